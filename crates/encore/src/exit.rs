//! The one mapping from errors to exit codes: 0 done (and for a closed output pipe: `encore sql … |
//! head` ends quietly), 2 for the user's input, 3 for an ingest that loaded only part of what it was
//! given, 130 for Ctrl-C, 1 for everything else.

use std::fmt;
use std::process::ExitCode;

use encore_ingest::IngestError;
use encore_pipeline::{Fault, PipelineError};
use encore_report::ReportError;
use encore_server::ServerError;
use encore_store::StoreError;

/// Exit code for errors in what the user gave us: a missing file, a bad query, a bad format name,
/// files of which nothing loads, an address to serve on that cannot be had.
pub const BAD_INPUT: u8 = 2;
/// Exit code for failures of the machine or of Encore itself.
pub const FAILURE: u8 = 1;
/// Exit code for an ingest that stored some of its files but skipped others (unrecognised,
/// unreadable) or rejected rows; the summary and the quarantine file say what and why.
pub const PARTIAL_LOAD: u8 = 3;
/// Exit code for a run stopped by Ctrl-C (128 + SIGINT): what was read was stored.
pub const INTERRUPTED: u8 = 130;

/// An ingest that did not load everything it was given; already reported in full.
#[derive(Debug)]
pub struct PartialLoad {
    pub files_skipped: usize,
    pub rows_rejected: usize,
}

impl fmt::Display for PartialLoad {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "partial load: {} file(s) skipped and {} row(s) rejected (listed above and in the quarantine file)",
            self.files_skipped, self.rows_rejected
        )
    }
}

impl std::error::Error for PartialLoad {}

/// An ingest stopped by Ctrl-C; what was read is stored and reported.
#[derive(Debug)]
pub struct Interrupted {
    pub files_not_read: usize,
}

impl fmt::Display for Interrupted {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "interrupted: {} file(s) not read (listed above)", self.files_not_read)
    }
}

impl std::error::Error for Interrupted {}

/// Whether the error is only that the reader of our output went away (`| head`): not a failure.
pub fn is_closed_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let io_error = cause.downcast_ref::<std::io::Error>().or_else(|| match cause.downcast_ref::<StoreError>() {
            Some(StoreError::Output(source)) => Some(source),
            _ => None,
        });
        io_error.is_some_and(|error| error.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

pub fn code_for(error: &anyhow::Error) -> ExitCode {
    if error.downcast_ref::<Interrupted>().is_some() {
        return ExitCode::from(INTERRUPTED);
    }
    if error.downcast_ref::<PartialLoad>().is_some() {
        return ExitCode::from(PARTIAL_LOAD);
    }
    let users_fault = error.chain().any(|cause| {
        if let Some(pipeline) = cause.downcast_ref::<PipelineError>() {
            return pipeline.fault() == Fault::Input;
        }
        if let Some(ingest) = cause.downcast_ref::<IngestError>() {
            return !matches!(ingest, IngestError::Io { .. });
        }
        if let Some(store) = cause.downcast_ref::<StoreError>() {
            // `NoStore` (a folder that holds no store) is the user's: 2. `Busy` (another writer
            // kept the store past --wait) is not: the command and its input were right and the
            // same command succeeds once the other writer is done, so it exits 1, which scripts
            // may retry, where 2 tells them to fix the command.
            return match store {
                StoreError::NoStore { .. } => true,
                StoreError::Busy { .. } => false,
                other => other.is_user_error(),
            };
        }
        if let Some(server) = cause.downcast_ref::<ServerError>() {
            return matches!(
                server,
                ServerError::Bind { .. }
                    | ServerError::NotFound(_)
                    | ServerError::BadRequest(_)
                    | ServerError::Unauthorized(_)
            );
        }
        if cause.is::<crate::commands::UserInput>() || cause.is::<crate::commands::ProjectFileError>() {
            return true;
        }
        matches!(
            cause.downcast_ref::<ReportError>(),
            Some(ReportError::BadInput { .. } | ReportError::NotEncores { .. })
        )
    });
    ExitCode::from(if users_fault { BAD_INPUT } else { FAILURE })
}
