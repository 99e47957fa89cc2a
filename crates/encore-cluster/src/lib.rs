//! Encore on an Apache Ballista cluster. A [`Cluster`] is an [`encore_store::Engine`]: a store
//! set on it registers its datasets in a session whose plans go to the cluster's scheduler, so
//! the same SQL and listener plans run there unchanged. [`run_scheduler`] and [`run_executor`]
//! are the cluster's processes (`encore scheduler`, `encore executor`), built from the same
//! dependencies and with the same codec as the client, so whatever plan Encore makes, its cluster
//! can read.
//!
//! What the processes must share: the store's part files at the same path (`file://`, a shared
//! file system), or at the URL given by [`Cluster::with_parts_url`] (`s3://…`, read with each
//! process's own `AWS_*` environment).

mod codec;
mod processes;

use std::time::Duration;

use ballista::prelude::{SessionConfigExt, SessionContextExt};
use ballista_core::object_store::{runtime_env_with_s3_support, S3Options};
use ballista_core::serde::protobuf::scheduler_grpc_client::SchedulerGrpcClient;
use ballista_core::serde::protobuf::GetJobStatusParams;
use datafusion::error::DataFusionError;
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};
use futures::future::BoxFuture;
use futures::FutureExt;

pub use codec::{logical_codec, EncoreLogicalCodec};
pub use processes::{run_executor, run_scheduler, start_in_process, ExecutorArgs, SchedulerArgs};

/// The environment variable that names the cluster when `--cluster` is not given.
pub const CLUSTER_VARIABLE: &str = "ENCORE_CLUSTER";

/// How long [`Cluster::connect`] waits for the scheduler before saying it is unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The scheduler's port when the address names none (Ballista's default).
pub const DEFAULT_PORT: u16 = 50050;

/// Ballista's setting that plans each stage from the sizes the stages before it turned out to have;
/// Encore's sessions turn it off (see `ballista_config`).
const ADAPTIVE_PLANNER: &str = "ballista.planner.adaptive.enabled";

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("`{address}` is not a cluster address ({reason}); give it as df://HOST:PORT, e.g. df://localhost:50050")]
    BadAddress { address: String, reason: String },
    #[error(
        "no Ballista scheduler answered at {address} within {seconds} s ({reason}); start one with \
         `encore scheduler` and at least one `encore executor`, or leave out --cluster to run here"
    )]
    Unreachable { address: String, seconds: u64, reason: String },
    #[error("`{url}` is not a URL the cluster can read parts from ({reason}); use file:///PATH or s3://BUCKET/PREFIX")]
    BadPartsUrl { url: String, reason: String },
    #[error("the cluster could not start: {0}")]
    Start(String),
    #[error(transparent)]
    Engine(#[from] DataFusionError),
}

/// A Ballista cluster, known by its scheduler's address.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// `df://HOST:PORT`, as Ballista's client takes it.
    address: String,
    /// Where the workers read the store's root; `None` when they see the same path.
    parts_url: Option<String>,
}

impl Cluster {
    /// The cluster whose scheduler is at `address` (`df://HOST:PORT`; the port defaults to
    /// 50050), once its scheduler has answered: an address where nothing answers fails within
    /// [`CONNECT_TIMEOUT`] instead of hanging the first query.
    pub async fn connect(address: &str) -> Result<Cluster, ClusterError> {
        let (host, port) = parse_address(address)?;
        let endpoint = format!("http://{host}:{port}");
        // Any answer to a job-status request, even "no such job", is a scheduler's; a port that
        // accepts and never answers, or speaks something else, is not.
        let ask = async {
            let mut client = SchedulerGrpcClient::connect(endpoint).await.map_err(|error| transport_reason(&error))?;
            let probe = GetJobStatusParams { job_id: "encore-connection-check".to_string() };
            match client.get_job_status(probe).await {
                Ok(_) => Ok(()),
                Err(status) if status.code() == tonic::Code::Internal => Ok(()),
                Err(status) => Err(transport_reason(&status)),
            }
        };
        let reason = match tokio::time::timeout(CONNECT_TIMEOUT, ask).await {
            Ok(Ok(())) => return Ok(Cluster { address: format!("df://{host}:{port}"), parts_url: None }),
            Ok(Err(reason)) => reason,
            Err(_) => "no answer".to_string(),
        };
        Err(ClusterError::Unreachable { address: format!("{host}:{port}"), seconds: CONNECT_TIMEOUT.as_secs(), reason })
    }

    /// The workers read the store's root at `url` (`s3://bucket/prefix`, `file:///shared/store`)
    /// instead of at the path this process opened it at.
    pub fn with_parts_url(mut self, url: &str) -> Result<Cluster, ClusterError> {
        let bad = |reason: &str| ClusterError::BadPartsUrl { url: url.to_string(), reason: reason.to_string() };
        let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("it has no scheme"))?;
        if !matches!(scheme, "file" | "s3" | "http" | "https") {
            return Err(bad("the cluster reads file, s3, http and https URLs"));
        }
        if rest.trim_matches('/').is_empty() {
            return Err(bad("it names no bucket or folder"));
        }
        self.parts_url = Some(url.trim_end_matches('/').to_string());
        Ok(self)
    }

    /// `df://HOST:PORT`.
    pub fn address(&self) -> &str {
        &self.address
    }
}

impl encore_store::Engine for Cluster {
    fn session(&self, config: SessionConfig) -> BoxFuture<'_, Result<SessionContext, DataFusionError>> {
        async move {
            let config = ballista_config(config);
            let runtime = runtime_env_with_s3_support(&config)?;
            let state = SessionStateBuilder::new()
                .with_default_features()
                .with_config(config)
                .with_runtime_env(runtime)
                .build();
            SessionContext::remote_with_state(&self.address, state).await
        }
        .boxed()
    }

    fn parts_url(&self) -> Option<&str> {
        self.parts_url.as_deref()
    }
}

/// `config` for a Ballista session: S3 options, Encore's codec, and the static planner.
fn ballista_config(config: SessionConfig) -> SessionConfig {
    let config = config
        .with_option_extension(S3Options::default())
        .upgrade_for_ballista()
        .with_ballista_logical_extension_codec(logical_codec());
    // Ballista 55.0's adaptive planner, found wanting at 10^8 listens: its join selection loops
    // without end (thousands of empty stages a minute) when a shuffled join side turns out empty
    // at run time, as the playback plan's track lengths are when every listen has its track's
    // length; and with that selection off, a join of the charts with the catalog fails the
    // co-partitioning check of the sort-merge join it plans. The static planner runs both.
    config.set_bool(ADAPTIVE_PLANNER, false)
}

/// The host and port of `df://HOST[:PORT]`.
fn parse_address(address: &str) -> Result<(String, u16), ClusterError> {
    let bad = |reason: &str| ClusterError::BadAddress { address: address.to_string(), reason: reason.to_string() };
    let rest = address.strip_prefix("df://").ok_or_else(|| bad("it does not start with df://"))?;
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() {
        return Err(bad("it names no host"));
    }
    // A bracketed IPv6 host keeps its colons.
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => {
            (host, port.parse::<u16>().map_err(|_| bad(&format!("`{port}` is not a port")))?)
        }
        _ => (rest, DEFAULT_PORT),
    };
    if host.is_empty() || host.contains('/') {
        return Err(bad("it names no host"));
    }
    Ok((host.to_string(), port))
}

/// The innermost cause of a failed connection: tonic's own message is only "transport error".
fn transport_reason(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_plan_statically() {
        let config = ballista_config(SessionConfig::new());
        let settings = config.options().entries();
        let adaptive = settings.iter().find(|entry| entry.key == ADAPTIVE_PLANNER).expect("a Ballista setting");
        assert_eq!(adaptive.value.as_deref(), Some("false"));
    }

    #[test]
    fn addresses_name_a_host_and_a_port() {
        assert_eq!(parse_address("df://localhost:50051").unwrap(), ("localhost".to_string(), 50051));
        assert_eq!(parse_address("df://10.0.0.7").unwrap(), ("10.0.0.7".to_string(), DEFAULT_PORT));
        assert_eq!(parse_address("df://[::1]:6000/").unwrap(), ("[::1]".to_string(), 6000));
        for bad in ["localhost:50050", "http://localhost:50050", "df://", "df://host:port", "df://:50050"] {
            let error = parse_address(bad).unwrap_err().to_string();
            assert!(error.contains(bad) && error.contains("df://HOST:PORT"), "{error}");
        }
    }

    #[test]
    fn parts_urls_name_where_the_workers_read() {
        let cluster = Cluster { address: "df://localhost:50050".to_string(), parts_url: None };
        let on_s3 = cluster.clone().with_parts_url("s3://labels/encore/").unwrap();
        let engine: &dyn encore_store::Engine = &on_s3;
        assert_eq!(engine.parts_url(), Some("s3://labels/encore"));
        let engine: &dyn encore_store::Engine = &cluster;
        assert_eq!(engine.parts_url(), None);
        for bad in ["labels/encore", "ftp://labels/encore", "s3://"] {
            assert!(cluster.clone().with_parts_url(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn an_address_where_nothing_listens_is_refused_quickly() {
        // A port just bound and released: nothing listens there.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let started = std::time::Instant::now();
        let error = Cluster::connect(&format!("df://127.0.0.1:{port}")).await.unwrap_err();
        assert!(matches!(error, ClusterError::Unreachable { .. }), "{error}");
        assert!(error.to_string().contains(&format!("127.0.0.1:{port}")), "{error}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
