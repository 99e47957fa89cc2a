//! Store errors, by whose fault they are.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The disk or the operating system failed us.
    #[error("cannot {action} {path}: {source}")]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },
    /// The store folder holds something we did not write, or a newer format.
    #[error("the store at {path} is damaged or of another version: {reason}")]
    Corrupt { path: PathBuf, reason: String },
    /// The user named a folder that holds no store: a reader never creates one.
    #[error("no store at {path}")]
    NoStore { path: PathBuf },
    /// Re-matching was asked of a store that holds no catalog to match against.
    #[error("the store at {path} holds no catalog to match chart rows against")]
    NoCatalog { path: PathBuf },
    /// Another writer held the store's writer lock for longer than this writer may wait. Nobody's
    /// fault: the same write succeeds once the other writer is done.
    #[error("the store at {path} is in use by another writer ({holder}); gave up after waiting {waited_seconds} s")]
    Busy { path: PathBuf, holder: String, waited_seconds: u64 },
    /// The user's query is not valid SQL, names a missing table, or tries to write.
    #[error("query rejected: {0}")]
    BadQuery(String),
    /// A commit failed before its manifest was in place (a full disk, say): the parts it wrote are
    /// gone and the store is as it was. The machine's, unless the cause is the user's.
    #[error("{doing} was not committed, and the store is as it was before: {cause}")]
    NotCommitted { doing: String, cause: Box<StoreError> },
    /// An engine (a cluster) was told to read the store's parts where they are not.
    #[error("the store's part files are not at {location}, where the engine's workers would read them: {reason}")]
    PartsNotThere { location: String, reason: String },
    /// The query ran longer than allowed.
    #[error("query stopped after {seconds} s (the limit)")]
    Timeout { seconds: u64 },
    /// The query needed more engine memory than its limit and could not spill to disk. The user's:
    /// the same query fails the same way until it asks for less.
    #[error("query stopped: it needs more memory than the {} MiB limit ({reason})", limit_bytes / (1024 * 1024))]
    MemoryLimit { limit_bytes: usize, reason: String },
    /// A failure inside the query engine or the Parquet writer: our bug or theirs.
    #[error("query engine failure: {0}")]
    Engine(#[from] datafusion::error::DataFusionError),
    #[error("parquet failure: {0}")]
    Parquet(#[from] datafusion::parquet::errors::ParquetError),
    #[error("arrow failure: {0}")]
    Arrow(#[from] datafusion::arrow::error::ArrowError),
    /// Writing an answer out failed: a closed pipe, a full disk. The reader's or the machine's.
    #[error("cannot write the output: {0}")]
    Output(#[source] std::io::Error),
}

impl StoreError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> StoreError {
        let path = path.into();
        move |source| StoreError::Io { action, path, source }
    }

    /// Whether the error is the user's to fix (a bad query, a folder that is not a store, a store
    /// without a catalog) rather than ours or the machine's. `Busy` is not: the input was fine.
    /// The error itself, or what kept a commit from happening ([`StoreError::NotCommitted`]).
    pub fn cause(&self) -> &StoreError {
        match self {
            StoreError::NotCommitted { cause, .. } => cause.cause(),
            other => other,
        }
    }

    /// A thread of ours that panicked: our bug, said as the engine's internal errors are.
    pub(crate) fn panicked(what: &str) -> StoreError {
        StoreError::Engine(datafusion::error::DataFusionError::Internal(format!("{what} panicked")))
    }

    pub fn is_user_error(&self) -> bool {
        if let StoreError::NotCommitted { cause, .. } = self {
            return cause.is_user_error();
        }
        matches!(
            self,
            StoreError::BadQuery(_)
                | StoreError::Timeout { .. }
                | StoreError::MemoryLimit { .. }
                | StoreError::NoStore { .. }
                | StoreError::NoCatalog { .. }
        )
    }
}
