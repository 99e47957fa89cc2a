//! What can go wrong in a recommendation, and whose fault it is.

use datafusion::arrow::error::ArrowError;
use datafusion::error::DataFusionError;

#[derive(Debug, thiserror::Error)]
pub enum RecommendError {
    /// The user asked for a listener the play counts lack.
    #[error(
        "listener {0:?} has no plays here (`encore sql \"SELECT DISTINCT \\\"user\\\" FROM listens\"` lists them)"
    )]
    UnknownUser(String),
    /// A playlist seed that is no song, drama or artist of the catalog or the plays.
    #[error("{0:?} is no song, drama or artist Encore knows: give a song or drama id, a title or an artist's name")]
    UnknownSeed(String),
    /// Nothing to fit: no plays at all.
    #[error("there are no plays to learn from: ingest listening logs first (or learn from a play-count file)")]
    NoPlays,
    /// The engine failed (a bug of ours, or the machine out of memory or disk).
    #[error("query engine: {0}")]
    Engine(#[from] DataFusionError),
    #[error("arrow: {0}")]
    Arrow(#[from] ArrowError),
}

impl RecommendError {
    /// Whether the caller's input caused it (rather than Encore or the machine).
    pub fn is_bad_input(&self) -> bool {
        matches!(self, RecommendError::UnknownUser(_) | RecommendError::UnknownSeed(_) | RecommendError::NoPlays)
    }
}
