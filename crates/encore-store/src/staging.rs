//! Parts written before their commit: a large listening log is encoded to Parquet while it is
//! still being parsed, so the ingest holds a few pieces of it at a time rather than the whole file
//! as columns until the commit. The part waits under `staging/` until the commit renames it into
//! its dataset's folder; it is no part of any dataset before that.
//!
//! A staged file is Encore's alone (`<dataset>-<pid>-<n>.staged` under `staging/`), open and
//! locked for as long as it waits. Dropping a [`StagedPart`] that was not adopted deletes it; a
//! process that died with staged files leaves them unlocked, and the next staging sweeps them.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;

use encore_domain::ListenColumns;

use crate::append_listens::write_listen_columns;
use crate::commit::remove_if_present;
use crate::encode::write_on_cores;
use crate::error::StoreError;
use crate::files::{create_dir_all, part_properties_of, root_io_error, writer_io_error};
use crate::series_schema::LISTENS;
use crate::Store;

/// The folder, under the store's, where parts wait for their commit.
pub const STAGING_FOLDER: &str = "staging";

const STAGED_EXTENSION: &str = "staged";

/// How long an unlocked staged file is left alone before it counts as abandoned: a writer locks
/// its file right after creating it, and this covers the moment between the two.
const ABANDONED_AFTER: Duration = Duration::from_secs(60);

/// Staged files made by this process, for their names.
static STAGED: AtomicU64 = AtomicU64::new(0);

/// One Parquet part written and synced, waiting for the commit that adopts it.
#[derive(Debug)]
pub struct StagedPart {
    path: PathBuf,
    /// Open, and locked, for as long as the part is.
    file: File,
    rows: u64,
    /// Renamed into a dataset by a commit: no longer the part's to delete.
    adopted: bool,
}

impl StagedPart {
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Moves the part to `target` (in the same store); the caller syncs the folder. From then on
    /// the file is the commit's: dropping this no longer deletes it.
    pub(crate) fn adopt(&mut self, target: &Path) -> Result<(), StoreError> {
        std::fs::rename(&self.path, target).map_err(StoreError::io("rename into place", target))?;
        self.path = target.to_path_buf();
        self.adopted = true;
        Ok(())
    }
}

impl Drop for StagedPart {
    fn drop(&mut self) {
        // Not adopted: ours, and named by nothing.
        if !self.adopted {
            remove_if_present(&self.path);
        }
    }
}

/// Writes `batches` (of `schema`) as one staged part of `dataset`. On an error, of a batch or of
/// the disk, nothing is left behind.
pub(crate) fn stage_part(
    store: &Store,
    dataset: &str,
    schema: SchemaRef,
    batches: impl IntoIterator<Item = Result<RecordBatch, StoreError>>,
) -> Result<StagedPart, StoreError> {
    stage_with(store, dataset, |file| write_on_cores(file, schema, part_properties_of(dataset), batches))
}

/// Writes the pieces of one listening log, read as columns, as one staged part of `listens`
/// naming `source_file`. On an error, of a piece or of the disk, nothing is left behind.
pub(crate) fn stage_listen_columns(
    store: &Store,
    source_file: &str,
    pieces: impl IntoIterator<Item = Result<ListenColumns, StoreError>>,
) -> Result<StagedPart, StoreError> {
    stage_with(store, LISTENS, |file| write_listen_columns(file, source_file, pieces))
}

/// A staged part of `dataset`, its file written by `write` (which returns the rows it wrote).
fn stage_with(
    store: &Store,
    dataset: &str,
    write: impl FnOnce(&mut File) -> Result<u64, StoreError>,
) -> Result<StagedPart, StoreError> {
    let folder = store.root().join(STAGING_FOLDER);
    create_dir_all(&folder)?;
    sweep_abandoned(&folder);
    let number = STAGED.fetch_add(1, Ordering::Relaxed);
    let path = folder.join(format!("{dataset}-{}-{number}.{STAGED_EXTENSION}", std::process::id()));
    let file = File::create_new(&path).map_err(StoreError::io("create", &path))?;
    // From here on the part deletes its file if anything fails.
    let mut part = StagedPart { path: path.clone(), file, rows: 0, adopted: false };
    part.file.try_lock().map_err(|error| match error {
        TryLockError::Error(error) => StoreError::io("lock", &path)(error),
        TryLockError::WouldBlock => StoreError::io("lock", &path)(std::io::ErrorKind::WouldBlock.into()),
    })?;
    part.rows = match write(&mut part.file) {
        Ok(rows) => rows,
        // The disk's failure (full, read-only) is said as the file's.
        Err(StoreError::Parquet(parquet)) if root_io_error(&parquet).is_some() => {
            return Err(StoreError::io("write", &path)(writer_io_error(&parquet)));
        }
        Err(other) => return Err(other),
    };
    part.file.sync_all().map_err(StoreError::io("sync", &path))?;
    Ok(part)
}

/// Deletes the staged files of writers that died: those no process holds locked, and old enough
/// that their writer is not between creating and locking them. Anything else is left alone.
fn sweep_abandoned(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let ours = entry.file_name().to_str().is_some_and(is_staged_name);
        let old = entry
            .metadata()
            .and_then(|metadata| metadata.modified())
            .is_ok_and(|modified| modified.elapsed().is_ok_and(|age| age >= ABANDONED_AFTER));
        if !(ours && old) {
            continue;
        }
        // A lock taken means no writer holds the file; closing it right after lets it go.
        let unlocked = File::open(&path).is_ok_and(|file| file.try_lock().is_ok());
        if unlocked {
            remove_if_present(&path);
        }
    }
}

/// `<dataset>-<pid>-<n>.staged`, the names [`stage_with`] gives.
fn is_staged_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(STAGED_EXTENSION).and_then(|stem| stem.strip_suffix('.')) else {
        return false;
    };
    let mut numbers = stem.rsplitn(3, '-');
    let digits =
        |text: Option<&str>| text.is_some_and(|text| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()));
    let (number, pid, dataset) = (numbers.next(), numbers.next(), numbers.next());
    digits(number) && digits(pid) && dataset.is_some_and(|dataset| !dataset.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_names_staging_gives_are_swept() {
        assert!(is_staged_name("listens-4242-0.staged"));
        assert!(is_staged_name("chart-a-b-1-12.staged"));
        for theirs in
            ["listens-4242-0.parquet", "notes.staged", "listens-x-0.staged", "-1-2.staged", "listens-1-.staged"]
        {
            assert!(!is_staged_name(theirs), "{theirs}");
        }
    }
}
