//! The one error type of the crate: what stopped an ingest as a whole, and whose fault it was.
//! A file that cannot be read or recognised does not stop an ingest: it is a skipped file in the
//! summary.

use std::path::PathBuf;

use encore_ingest::IngestError;
use encore_store::StoreError;

use crate::summary::IngestSummary;

/// Whose fault an error is; the exit code and the HTTP status both derive from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The user's: a missing path, a bad format name, files of which nothing loads.
    Input,
    /// Encore's own: a failure that should not happen whatever the input.
    Ours,
    /// The machine's: the disk or the operating system failed us.
    Outside,
}

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// A named path is missing (the user's) or cannot be listed (the machine's).
    #[error(transparent)]
    Read(#[from] IngestError),

    /// The store refused or failed the commit.
    #[error(transparent)]
    Store(#[from] StoreError),

    /// Outside failure: the rejected rows could not be written down.
    #[error("cannot write the quarantine file {}: {source}", path.display())]
    Quarantine {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Bad input: not one file gave a row to store, and none was held already. The summary says
    /// what happened to each file.
    #[error("nothing was loaded: {}", summary.nothing_loaded_reason())]
    NothingLoaded { summary: Box<IngestSummary> },
}

impl PipelineError {
    pub fn fault(&self) -> Fault {
        match self {
            PipelineError::Read(IngestError::Io { .. }) => Fault::Outside,
            PipelineError::Read(_) | PipelineError::NothingLoaded { .. } => Fault::Input,
            PipelineError::Store(error) if error.is_user_error() => Fault::Input,
            PipelineError::Store(error)
                if matches!(
                    error.cause(),
                    StoreError::Io { .. } | StoreError::Corrupt { .. } | StoreError::Busy { .. }
                ) =>
            {
                Fault::Outside
            }
            PipelineError::Store(_) => Fault::Ours,
            PipelineError::Quarantine { .. } => Fault::Outside,
        }
    }
}
