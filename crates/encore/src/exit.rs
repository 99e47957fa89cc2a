//! The one mapping from errors to exit codes: 2 for the user's input, 1 for everything else, and
//! success for a closed output pipe (`encore sql … | head` ends quietly).

use std::process::ExitCode;

use encore_ingest::IngestError;
use encore_report::ReportError;
use encore_server::ServerError;
use encore_store::StoreError;

/// Exit code for errors in what the user gave us: a missing file, a bad query, a bad format name,
/// an address to serve on that cannot be had.
pub const BAD_INPUT: u8 = 2;
/// Exit code for failures of the machine or of Encore itself.
pub const FAILURE: u8 = 1;

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
    let users_fault = error.chain().any(|cause| {
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
