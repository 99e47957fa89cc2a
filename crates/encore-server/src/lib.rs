//! Encore's HTTP server: a JSON API over the embedded store (catalog, songs with their chart
//! series, attention, eclipse and peaks, leaderboard, regions, the marketing table, read-only SQL,
//! and token-guarded writes) and the dashboard that draws it, embedded in the binary.
//!
//! Reads answer from a [`snapshot::Snapshot`]: everything is analysed and encoded once at start and
//! again after each write, then swapped in whole, so a read never waits for the analysis and never
//! sees half of one. CPU-heavy work (analysis, SQL, parsing uploads) runs on blocking threads.

mod assets;
mod error;
mod marketing;
mod openapi;
mod routes;
mod snapshot;
mod sql;
mod views;
mod writes;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use tokio::net::TcpListener;
use tokio::sync::{Mutex, Semaphore};

use encore_store::Store;

pub use error::ServerError;
pub use snapshot::Snapshot;

/// Queries that may run at once; more wait their turn (the machine has few cores).
const CONCURRENT_QUERIES: usize = 2;

/// What the server serves and who may write.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The store folder (Parquet datasets and their manifest).
    pub store: PathBuf,
    /// The bearer token writes must carry; `None` refuses every write.
    pub token: Option<String>,
    /// A SQL query is stopped after this many seconds.
    pub sql_timeout_seconds: u64,
}

/// Shared by every request.
#[derive(Debug)]
pub struct AppState {
    config: ServerConfig,
    store: Store,
    snapshot: RwLock<Arc<Snapshot>>,
    /// One write (ingest or reload) at a time: the store has one writer.
    write_lock: Mutex<()>,
    sql_permits: Semaphore,
}

impl AppState {
    /// Opens the store and loads the first snapshot.
    pub async fn load(config: ServerConfig) -> Result<AppState, ServerError> {
        let store = Store::open(&config.store)?;
        let snapshot = snapshot::load(&store).await?;
        Ok(AppState {
            config,
            store,
            snapshot: RwLock::new(Arc::new(snapshot)),
            write_lock: Mutex::new(()),
            sql_permits: Semaphore::new(CONCURRENT_QUERIES),
        })
    }

    /// The current snapshot; cheap (an `Arc` clone).
    pub fn snapshot(&self) -> Arc<Snapshot> {
        // A poisoned lock still holds a whole snapshot: swaps replace the `Arc` in one move.
        self.snapshot.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    fn replace_snapshot(&self, snapshot: Snapshot) {
        *self.snapshot.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(snapshot);
    }
}

/// Binds the address (`127.0.0.1:0` picks a free port).
pub async fn bind(address: &str) -> Result<TcpListener, ServerError> {
    TcpListener::bind(address).await.map_err(|source| ServerError::Bind { address: address.to_string(), source })
}

/// The API and dashboard routes over `state`.
pub fn router(state: Arc<AppState>) -> axum::Router {
    routes::router(state)
}

/// Loads the store and catalog, then serves on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let address = local_address(&listener)?;
    let state = Arc::new(AppState::load(config).await?);
    tracing::info!(%address, "serving");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|source| ServerError::Bind { address: address.to_string(), source })
}

pub fn local_address(listener: &TcpListener) -> Result<SocketAddr, ServerError> {
    listener.local_addr().map_err(|source| ServerError::Bind { address: "the listener".to_string(), source })
}

/// Completes on Ctrl-C (SIGINT); never, if the signal cannot be watched (then the process is killed).
pub async fn until_ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
