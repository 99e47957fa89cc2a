//! Encore's one ingest pipeline, called by `encore ingest`, `encore demo`, the server's
//! `POST /api/ingest` and, later, the collectors, so that the same file lands in the same dataset
//! whoever brings it.
//!
//! One place decides, for each file ([`Input`]: a path, or uploaded bytes with their name):
//! - the **format**: named, or detected from the first bytes and the name ([`recognise`]); a
//!   catalog CSV is recognised and pointed to `encore catalog`, anything else unknown is skipped;
//! - the **dataset**: by the file, never by the format alone (a Spotify weekly file goes to
//!   `spotify_weekly`, a Billboard Global 200 file to `billboard_global200`);
//! - **matching**: each distinct title and artist to a catalog song, once per worker, on the
//!   worker that parsed the file;
//! - the **commit**: one per dataset, after every file is read; files whose exact bytes the
//!   dataset holds are not stored again (nor parsed, but for a listening log's pieces begun
//!   while it was hashed);
//! - the **quarantine**: every rejected row and skipped file, to `<store>/quarantine/<UTC time>.csv`.
//!
//! It reports as plain data ([`IngestSummary`]: rows stored per dataset from the store's commit,
//! what became of each file); the command line and the server turn that into a table or JSON and
//! decide the exit code or status. Progress goes through [`Progress`]; a stop flag ends reading at
//! the next file and what was read is still committed.

mod error;
mod input;
mod listens;
mod matching;
mod pending;
mod pipeline;
mod progress;
mod quarantine;
mod recognise;
mod summary;

pub use error::{Fault, PipelineError};
pub use input::{list_inputs, Input, Recurse};
pub use pipeline::{ingest, IngestOptions};
pub use progress::{NoProgress, Progress};
pub use quarantine::write_quarantine;
pub use recognise::{all_format_names, dataset_of_file, recognise, Dataset, NamedFormat};
pub use summary::{DatasetSummary, FileOutcome, FileStatus, FolderSummary, IngestSummary, SkipReason};
