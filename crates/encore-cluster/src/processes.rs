//! The cluster's processes: a scheduler, which plans each job into stages, and executors, which
//! run the stages' tasks and serve their results. Both are Ballista's own, started with Encore's
//! codec and session settings so that they read every plan an Encore client sends.

use std::net::SocketAddr;
use std::sync::Arc;

use ballista::prelude::SessionConfigExt;
use ballista_core::object_store::{
    runtime_env_with_s3_support, session_config_with_s3_support, session_state_with_s3_support,
};
use ballista_core::serde::protobuf::scheduler_grpc_client::SchedulerGrpcClient;
use ballista_executor::executor_process::{start_executor_process, ExecutorProcessConfig};
use ballista_executor::health::spawn_health_server;
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::SessionConfig;

use crate::codec::logical_codec;
use crate::{Cluster, ClusterError};

/// The scheduler's flags, as Ballista's own `ballista-scheduler` takes them.
#[derive(Debug, clap::Args)]
#[group(skip)]
pub struct SchedulerArgs {
    #[command(flatten)]
    config: ballista_scheduler::config::Config,
}

/// The executor's flags, as Ballista's own `ballista-executor` takes them.
#[derive(Debug, clap::Args)]
#[group(skip)]
pub struct ExecutorArgs {
    #[command(flatten)]
    config: ballista_executor::config::Config,
}

/// The session settings every process of an Encore cluster starts from: Ballista's, object
/// stores read with the process's own `AWS_*` environment, and Encore's codec.
fn session_config() -> SessionConfig {
    session_config_with_s3_support().with_ballista_logical_extension_codec(logical_codec())
}

/// Runs a scheduler until the process is stopped. `on_start` is told the address it is about to
/// bind (a taken port fails right after).
pub async fn run_scheduler(args: SchedulerArgs, on_start: impl FnOnce(SocketAddr)) -> Result<(), ClusterError> {
    let address: SocketAddr = format!("{}:{}", args.config.bind_host, args.config.bind_port)
        .parse()
        .map_err(|error| ClusterError::Start(format!("the bind address is not valid: {error}")))?;
    let config: SchedulerConfig = args.config.try_into().map_err(start_error)?;
    let mut config = config
        .with_override_config_producer(Arc::new(session_config))
        .with_override_session_builder(Arc::new(session_state_with_s3_support));
    config.override_logical_codec = Some(logical_codec());
    let cluster = BallistaCluster::new_from_config(&config).await.map_err(start_error)?;
    on_start(address);
    start_server(cluster, address, Arc::new(config)).await.map_err(start_error)
}

/// Runs an executor until the process is stopped or its scheduler goes away for good.
pub async fn run_executor(args: ExecutorArgs) -> Result<(), ClusterError> {
    let health_address: SocketAddr = format!("{}:{}", args.config.bind_host, args.config.bind_health_port)
        .parse()
        .map_err(|error| ClusterError::Start(format!("the health address is not valid: {error}")))?;
    let mut config: ExecutorProcessConfig = args.config.try_into().map_err(start_error)?;
    config.override_config_producer = Some(Arc::new(session_config));
    config.override_runtime_producer = Some(Arc::new(runtime_env_with_s3_support));
    config.override_logical_codec = Some(logical_codec());
    // Liveness and readiness for an orchestrator, as the upstream executor serves them.
    let (stop_health, health_stopped) = tokio::sync::oneshot::channel();
    let health = spawn_health_server(health_address, config.health.clone(), health_stopped);
    let result = start_executor_process(Arc::new(config)).await.map_err(start_error);
    let _ = stop_health.send(());
    let _ = health.await;
    result
}

/// A scheduler and `executors` executors inside this process, on loopback ports the system
/// picks, with `slots` task slots each: the same cluster code as the processes, for tests. They
/// run until the Tokio runtime they were started on stops.
pub async fn start_in_process(executors: usize, slots: usize) -> Result<Cluster, ClusterError> {
    let config = session_config();
    let runtime = runtime_env_with_s3_support(&config)?;
    let state =
        SessionStateBuilder::new().with_default_features().with_config(config).with_runtime_env(runtime).build();
    let address =
        ballista_scheduler::standalone::new_standalone_scheduler_from_state(&state).await.map_err(start_error)?;
    let endpoint = format!("http://localhost:{}", address.port());
    for _ in 0..executors {
        let scheduler = SchedulerGrpcClient::connect(endpoint.clone())
            .await
            .map_err(|error| ClusterError::Start(crate::transport_reason(&error)))?;
        ballista_executor::new_standalone_executor_from_state(scheduler, slots, &state).await.map_err(start_error)?;
    }
    Cluster::connect(&format!("df://localhost:{}", address.port())).await
}

fn start_error(error: impl std::fmt::Display) -> ClusterError {
    ClusterError::Start(error.to_string())
}
