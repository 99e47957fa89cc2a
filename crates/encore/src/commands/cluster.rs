//! `encore scheduler` and `encore executor`, the processes of an Apache Ballista cluster, and
//! `--cluster`, which runs a command's queries there.

use std::sync::Arc;

use clap::Args;
use encore_cluster::{Cluster, ClusterError};
use encore_store::Store;

use super::UserInput;

/// Run the scheduler of an Apache Ballista cluster that Encore's queries can run on.
///
/// The scheduler takes queries from `encore sql|report|listeners|serve --cluster df://HOST:PORT`,
/// splits them into stages and hands their tasks to executors (`encore executor`). It speaks
/// Encore's plans because it is Encore: the same build, codec and functions as the client. The
/// flags are those of Ballista's own scheduler.
///
/// Examples:
///   encore scheduler --bind-host 0.0.0.0 --bind-port 50050
///   ENCORE_LOG=info encore scheduler
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct SchedulerArgs {
    #[command(flatten)]
    inner: encore_cluster::SchedulerArgs,
}

/// Run an executor of an Apache Ballista cluster: it runs the tasks the scheduler hands it.
///
/// An executor reads the store's part files itself, so it must see the store folder at the same
/// path as the client (a shared folder), or at the URL the client gives with
/// --cluster-parts-url (s3://… with this process's AWS_* variables). The flags are those of
/// Ballista's own executor: --scheduler-host/--scheduler-port say where the scheduler is,
/// --vcores how many tasks run at once, --work-dir where shuffle files go.
///
/// Examples:
///   encore executor --scheduler-host localhost --scheduler-port 50050 --bind-port 50051
///   encore executor --bind-port 50061 --bind-grpc-port 50062 --vcores 2 --work-dir /tmp/encore-executor
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ExecutorArgs {
    #[command(flatten)]
    inner: encore_cluster::ExecutorArgs,
}

/// Where a command's queries run: in this process, or on a Ballista cluster.
#[derive(Debug, Clone, Args)]
pub struct ClusterArgs {
    /// Run the queries on the Apache Ballista cluster whose scheduler is at this address
    /// (df://HOST:PORT; start one with `encore scheduler` and `encore executor`). Its executors
    /// must read the store folder at the same path, or at --cluster-parts-url. Without it, the
    /// queries run in this process.
    #[arg(long, env = encore_cluster::CLUSTER_VARIABLE, value_name = "df://HOST:PORT")]
    cluster: Option<String>,
    /// Where the cluster's executors read the store folder when it is not at the same path for
    /// them: s3://BUCKET/PREFIX (a copy of the folder; each process's AWS_* variables give the
    /// credentials) or file:///SHARED/PATH.
    #[arg(long, env = "ENCORE_CLUSTER_PARTS_URL", value_name = "URL")]
    cluster_parts_url: Option<String>,
}

impl ClusterArgs {
    /// The cluster named, once its scheduler has answered; `None` to run here.
    pub fn connect(&self) -> anyhow::Result<Option<Cluster>> {
        let Some(address) = &self.cluster else {
            if self.cluster_parts_url.is_some() {
                return Err(UserInput("--cluster-parts-url needs --cluster".to_string()).into());
            }
            return Ok(None);
        };
        let cluster = super::runtime()?.block_on(Cluster::connect(address)).map_err(user_or_ours)?;
        let cluster = match &self.cluster_parts_url {
            Some(url) => cluster.with_parts_url(url).map_err(user_or_ours)?,
            None => cluster,
        };
        Ok(Some(cluster))
    }

    /// `store`, with its queries sent to the cluster when one is named.
    pub fn apply(&self, store: Store) -> anyhow::Result<Store> {
        Ok(match self.connect()? {
            Some(cluster) => store.on_engine(Arc::new(cluster)),
            None => store,
        })
    }
}

/// A wrong address is the user's mistake (exit 2); a cluster that does not answer is not.
fn user_or_ours(error: ClusterError) -> anyhow::Error {
    match error {
        ClusterError::BadAddress { .. } | ClusterError::BadPartsUrl { .. } => UserInput(error.to_string()).into(),
        other => other.into(),
    }
}

pub fn run_scheduler(arguments: SchedulerArgs) -> anyhow::Result<()> {
    super::runtime()?.block_on(encore_cluster::run_scheduler(arguments.inner, |address| {
        eprintln!("encore scheduler: starting on {address}; start executors with `encore executor` (Ctrl-C stops)")
    }))?;
    Ok(())
}

pub fn run_executor(arguments: ExecutorArgs) -> anyhow::Result<()> {
    super::runtime()?.block_on(encore_cluster::run_executor(arguments.inner))?;
    Ok(())
}
