//! Encore's HTTP server: a JSON API over the embedded store (catalog, songs with their chart
//! series, attention, eclipse and peaks, leaderboard, regions, the marketing table, listener
//! behaviour, recommendations and playlists, read-only SQL, and token-guarded writes) and the
//! dashboard that draws it, embedded in the binary.
//!
//! Reads answer from a [`snapshot::Snapshot`]: everything is analysed and encoded once at start and
//! again after each write, then swapped in whole, so a read never waits for the analysis and never
//! sees half of one. Listener answers, one per scope and time zone, are analysed on first request
//! and cached for the snapshot's generation, and so is the recommender, fitted once per generation.
//! CPU-heavy work (analysis, fitting, SQL, parsing uploads) runs on blocking threads.

mod analyze_series;
mod assets;
mod auth;
mod collected;
mod error;
mod headers;
mod idle;
mod limits;
mod listener_cache;
mod listener_views;
mod listeners;
mod lyrics;
mod marketing;
mod openapi;
mod recommend;
mod recommend_cache;
mod recommend_views;
mod routes;
mod snapshot;
mod sql;
mod sql_json;
mod views;
mod writes;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use tokio::net::TcpListener;
use tokio::sync::{Mutex, Semaphore};

use axum::body::Bytes;
use encore_domain::SongLyric;
use encore_store::Store;

pub use error::ServerError;
pub use limits::{
    DEFAULT_SQL_CONCURRENCY, DEFAULT_SQL_MAX_BYTES, DEFAULT_SQL_MEMORY_MB, DEFAULT_SQL_TIMEOUT_SECONDS,
    DEFAULT_UPLOAD_TIMEOUT_SECONDS, MAX_SQL_BODY_BYTES, MAX_UPLOAD_BYTES,
};
pub use listener_views::{listener_view, ListenerView};
pub use recommend_views::{
    model_view, playlist_view, recommendations_view, ModelView, PlaylistView, RecommendationsView,
};
pub use snapshot::Snapshot;

/// What the server serves, who may write and query, and the bounds on a query.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The store folder (Parquet datasets and their manifest).
    pub store: PathBuf,
    /// The bearer token writes must carry; `None` refuses every write. It is accepted for SQL too.
    pub token: Option<String>,
    /// A bearer token that may run SQL but not write.
    pub read_token: Option<String>,
    /// Lets anyone run SQL, without a token.
    pub public_sql: bool,
    /// A SQL request is stopped after this many seconds, from arrival to its answer encoded.
    pub sql_timeout_seconds: u64,
    /// MiB of engine memory shared by all running queries, each getting an equal share.
    pub sql_memory_mb: usize,
    /// Queries that may run at once.
    pub sql_concurrency: usize,
    /// Bytes of JSON rows a SQL answer may carry.
    pub sql_max_bytes: usize,
    /// A connection that moves no byte either way for this many seconds is closed; `None` leaves
    /// connections open. The clock runs while a request is computed too, so it must be longer than
    /// any request may take, writes included.
    pub idle_timeout_seconds: Option<u64>,
    /// An upload whose body has not fully arrived this many seconds after its headers is refused
    /// with 408.
    pub upload_timeout_seconds: u64,
    /// A folder of Melon year-end CSVs with lyrics: `/api/lyrics` analyses them, and the
    /// checklist's motifs item reads them. `None`: `/api/lyrics` answers 404 and no song has data
    /// on motifs.
    pub lyrics_folder: Option<PathBuf>,
    /// Where queries run: `None` in this process, or an engine such as a cluster. Uploads are
    /// still written here, into the store folder the engine's workers read.
    pub engine: Option<Arc<dyn encore_store::Engine>>,
}

impl ServerConfig {
    /// The store with every default: no tokens (writes and SQL closed) and the default limits.
    pub fn new(store: PathBuf) -> ServerConfig {
        ServerConfig {
            store,
            token: None,
            read_token: None,
            public_sql: false,
            sql_timeout_seconds: DEFAULT_SQL_TIMEOUT_SECONDS,
            sql_memory_mb: DEFAULT_SQL_MEMORY_MB,
            sql_concurrency: DEFAULT_SQL_CONCURRENCY,
            sql_max_bytes: DEFAULT_SQL_MAX_BYTES,
            idle_timeout_seconds: None,
            upload_timeout_seconds: DEFAULT_UPLOAD_TIMEOUT_SECONDS,
            lyrics_folder: None,
            engine: None,
        }
    }

    /// Engine memory one query may use: an equal share of the total.
    pub fn query_memory_bytes(&self) -> usize {
        self.sql_memory_mb.saturating_mul(1024 * 1024) / self.sql_concurrency.max(1)
    }
}

/// Shared by every request.
#[derive(Debug)]
pub struct AppState {
    config: ServerConfig,
    store: Store,
    snapshot: RwLock<Arc<Snapshot>>,
    /// One write (ingest or reload) at a time: the store has one writer.
    write_lock: Mutex<()>,
    /// Held by a query from its start to its answer encoded, even if the client has gone.
    sql_permits: Arc<Semaphore>,
    /// Held by a listener analysis from its start to its answer encoded, and by a recommender fit.
    listener_permits: Arc<Semaphore>,
    /// Held by an analysis of a posted series (`/api/analyze/*`) while it runs.
    analyze_permits: Arc<Semaphore>,
    listener_cache: listener_cache::ListenerCache,
    /// The recommender fitted on the listens of the snapshot's generation.
    recommend_cache: recommend_cache::ModelCache<recommend::RecommendModel>,
    /// The lyrics of `config.lyrics_folder` (none without one), read once: every snapshot's
    /// checklist reads them.
    lyric_rows: Arc<Vec<SongLyric>>,
    /// `/api/lyrics`'s answer, analysed once at start; `None` without a lyrics folder.
    lyrics: Option<Bytes>,
}

impl AppState {
    /// Opens the store and loads the first snapshot.
    pub async fn load(config: ServerConfig) -> Result<AppState, ServerError> {
        let mut store = Store::open(&config.store)?;
        if let Some(engine) = &config.engine {
            store = store.on_engine(engine.clone());
        }
        let (lyric_rows, lyrics) = match config.lyrics_folder.clone() {
            Some(folder) => tokio::task::spawn_blocking(move || lyrics::read_and_analyse(&folder)).await??,
            None => (Vec::new(), None),
        };
        let lyric_rows = Arc::new(lyric_rows);
        let snapshot = snapshot::load(&store, lyric_rows.clone()).await?;
        let sql_permits = Arc::new(Semaphore::new(config.sql_concurrency.max(1)));
        Ok(AppState {
            config,
            store,
            snapshot: RwLock::new(Arc::new(snapshot)),
            write_lock: Mutex::new(()),
            sql_permits,
            listener_permits: Arc::new(Semaphore::new(limits::LISTENER_ANALYSES_AT_ONCE)),
            analyze_permits: Arc::new(Semaphore::new(analyze_series::ANALYSES_AT_ONCE)),
            listener_cache: listener_cache::ListenerCache::default(),
            recommend_cache: recommend_cache::ModelCache::default(),
            lyric_rows,
            lyrics,
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
    let idle = config.idle_timeout_seconds.map(|seconds| std::time::Duration::from_secs(seconds.max(1)));
    let state = Arc::new(AppState::load(config).await?);
    tracing::info!(%address, "serving");
    axum::serve(idle::IdleLimitedListener::new(listener, idle), router(state))
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
