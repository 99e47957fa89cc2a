//! What can go wrong in a listener analysis, and whose fault it is.

use datafusion::arrow::error::ArrowError;
use datafusion::error::DataFusionError;
use encore_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ListenersError {
    /// The user named a time zone that does not exist.
    #[error("unknown time zone {given:?}: give an IANA name such as Asia/Seoul, America/New_York or UTC")]
    UnknownZone { given: String },
    /// The user asked about a song or drama the catalog lacks.
    #[error("{what} {id:?} is not in the catalog")]
    NotInCatalog { what: &'static str, id: String },
    /// The engine failed (a bug of ours, or the machine out of memory or disk).
    #[error("query engine: {0}")]
    Engine(#[from] DataFusionError),
    #[error("arrow: {0}")]
    Arrow(#[from] ArrowError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ListenersError {
    /// Whether the caller's input caused it (rather than Encore or the machine).
    pub fn is_bad_input(&self) -> bool {
        matches!(self, ListenersError::UnknownZone { .. } | ListenersError::NotInCatalog { .. })
    }
}
