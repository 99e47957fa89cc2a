//! One writer at a time, across processes: an exclusive OS lock on `<store>/writer.lock`, and a
//! note in `<store>/writer-holder.json` saying who holds it, so that a waiting writer can name it.
//!
//! The lock file is created once and never deleted: deleting it would let two writers lock two
//! different files of the same name. The lock goes with the open file (`flock` on Unix), so a
//! writer that dies, even by `kill -9`, releases it.

use std::fmt;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::Store;

/// The lock file, relative to the store folder. Locking it with `File::lock` keeps every Encore
/// writer out of the store until the file is closed.
pub const WRITER_LOCK_FILE: &str = "writer.lock";

/// The note naming the current (or last) holder of the writer lock, relative to the store folder.
pub const WRITER_HOLDER_FILE: &str = "writer-holder.json";

/// The longest pause between two tries of the lock: short enough that a waiting writer starts
/// soon after the holder is done, long enough not to spin.
const LONGEST_PAUSE: Duration = Duration::from_millis(100);

/// Who holds a store's writer lock, as the holder recorded itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriterHolder {
    pub pid: u32,
    /// When the holder took the lock.
    pub since: DateTime<Utc>,
    /// What the holder is doing, e.g. `ingest: append to billboard_hot100`.
    pub doing: String,
}

impl fmt::Display for WriterHolder {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "pid {}, {} since {} UTC", self.pid, self.doing, self.since.format("%H:%M:%S"))
    }
}

/// What a writer is told once when it has to wait for another writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingForWriter {
    pub store: PathBuf,
    /// The other writer, when it could be read from its note.
    pub holder: Option<WriterHolder>,
    /// How long this writer will wait before giving up.
    pub longest_wait: Duration,
}

impl fmt::Display for WaitingForWriter {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let holder = self.holder.as_ref().map_or_else(|| "holder unknown".to_string(), WriterHolder::to_string);
        write!(
            formatter,
            "waiting for another writer ({holder}) to finish with {}, for up to {} s",
            self.store.display(),
            self.longest_wait.as_secs()
        )
    }
}

/// The held writer lock; dropping it closes the file, which releases the lock.
#[derive(Debug)]
pub(crate) struct WriterLock {
    _file: File,
}

/// Takes the store's writer lock, waiting for another writer up to the store's writer wait and
/// telling the store's notice hook once if it has to wait; fails with `Busy` when the wait is over.
pub(crate) fn acquire(store: &Store, doing: &str) -> Result<WriterLock, StoreError> {
    let lock_path = store.root().join(WRITER_LOCK_FILE);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&lock_path)
        .map_err(StoreError::io("open the writer lock", &lock_path))?;
    let longest_wait = store.writer_wait();
    let started = Instant::now();
    let mut pause = Duration::from_millis(5);
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(error)) => return Err(StoreError::io("lock", &lock_path)(error)),
        }
        let waited = started.elapsed();
        if waited >= longest_wait {
            let holder = read_holder(store.root());
            return Err(StoreError::Busy {
                path: store.root().to_path_buf(),
                holder: holder.map_or_else(|| "holder unknown".to_string(), |holder| holder.to_string()),
                waited_seconds: waited.as_secs(),
            });
        }
        if !told {
            told = true;
            let waiting =
                WaitingForWriter { store: store.root().to_path_buf(), holder: read_holder(store.root()), longest_wait };
            store.tell_waiting(&waiting);
        }
        std::thread::sleep(pause.min(longest_wait - waited));
        pause = (pause * 2).min(LONGEST_PAUSE);
    }
    let holder = WriterHolder { pid: std::process::id(), since: Utc::now(), doing: doing.to_string() };
    if let Err(error) = write_holder(store.root(), &holder) {
        // The note only helps another writer name us; the commit does not depend on it.
        tracing::warn!(store = %store.root().display(), %error, "cannot record the writer lock's holder");
    }
    Ok(WriterLock { _file: file })
}

/// The holder's note, when there is one and it reads. It can name the previous holder for the
/// moment between a new holder taking the lock and writing its note.
pub fn read_holder(root: &Path) -> Option<WriterHolder> {
    let text = std::fs::read_to_string(root.join(WRITER_HOLDER_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Replaces the note by rename, so that a waiting writer never reads half of it. Not synced: after
/// a crash the note is stale anyway.
fn write_holder(root: &Path, holder: &WriterHolder) -> std::io::Result<()> {
    let path = root.join(WRITER_HOLDER_FILE);
    let temp_path = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&temp_path, serde_json::to_vec(holder).map_err(std::io::Error::other)?)?;
    std::fs::rename(&temp_path, &path)
}
