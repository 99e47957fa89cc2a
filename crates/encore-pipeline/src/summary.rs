//! What an ingest did, as plain data: per dataset the rows the store committed, per file what
//! became of it, and the rows rejected. The edges (the command line's table, the server's JSON)
//! convert it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use encore_ingest::{Rejected, SeriesFormat, SourceFormat};

use crate::recognise::Dataset;

/// Why a file was not loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// A catalog CSV (`dramas.csv`, `songs.csv`, …): it belongs to `encore catalog`.
    CatalogFile { catalog_file: &'static str },
    /// Neither its name nor its first bytes say which source it came from.
    Unrecognised,
    /// A chart file whose chart (platform and period) or columns could not be told.
    UnknownChart { message: String },
    /// The operating system would not let us read it.
    Unreadable { message: String },
    /// A workbook that cannot be read (truncated, corrupt): `reason` says what is wrong.
    Workbook { reason: String },
    /// Read and parsed, but not one row survived (`rows_rejected` of them were bad).
    NoRows { rows_rejected: usize },
}

impl fmt::Display for SkipReason {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::CatalogFile { catalog_file } => write!(
                formatter,
                "a catalog file (the header of {catalog_file}): load the catalog folder with \
                 `encore catalog --catalog <folder>`"
            ),
            SkipReason::Unrecognised => {
                let charts: Vec<&str> = SourceFormat::ALL.into_iter().map(SourceFormat::name).collect();
                let others: Vec<&str> = SeriesFormat::ALL.into_iter().map(SeriesFormat::name).collect();
                write!(
                    formatter,
                    "not a format Encore reads (charts: {}; other files: {}); if it is one, name its format, and \
                     map a ranked list's columns with --columns rank=COL,title=COL,artist=COL,date=COL",
                    charts.join(", "),
                    others.join(", ")
                )
            }
            SkipReason::UnknownChart { message } => formatter.write_str(message),
            SkipReason::Unreadable { message } => write!(formatter, "cannot be read: {message}"),
            SkipReason::Workbook { reason } => write!(formatter, "not a readable workbook: {reason}"),
            SkipReason::NoRows { rows_rejected: 0 } => formatter.write_str("holds no rows"),
            SkipReason::NoRows { rows_rejected } => write!(formatter, "all {rows_rejected} rows were rejected"),
        }
    }
}

/// What became of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStatus {
    /// Committed: its rows are in the store (fewer than it holds when rows were rejected, or when a
    /// later file of the same ingest re-issued the same chart).
    Stored {
        rows_stored: usize,
        rows_rejected: usize,
    },
    /// The dataset already held these exact bytes (before, or earlier in this ingest): nothing added.
    AlreadyHeld,
    Skipped(SkipReason),
    /// Not read: the ingest was interrupted before its turn.
    NotRead,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileOutcome {
    /// The file as it was named (a path, or an upload's name).
    pub file: String,
    /// The folder it was found in; empty for an upload.
    pub folder: String,
    /// The dataset its rows went or would have gone to, once its format was known.
    pub dataset: Option<Dataset>,
    pub status: FileStatus,
}

/// One dataset's commit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatasetSummary {
    /// What fed it, e.g. "Billboard Hot 100" or "Wikipedia pageviews, YouTube/social counts".
    pub sources: Vec<&'static str>,
    /// Files of this dataset, read or already held.
    pub files: usize,
    pub files_already_held: usize,
    /// Rows the store added (its commit summary's count).
    pub rows_stored: usize,
    /// Rows the store removed because a file of this ingest re-issued their chart.
    pub rows_replaced: usize,
    pub rows_rejected: usize,
    /// Rows read and left out on purpose, not rejected: podcast and audiobook plays in a
    /// listening history are not music.
    pub rows_skipped: usize,
    /// Stored rows matched to a catalog song; `None` for datasets that are not matched.
    pub rows_matched: Option<usize>,
}

/// One folder's files, for the summary by folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderSummary {
    pub files: usize,
    pub files_stored: usize,
    pub files_already_held: usize,
    pub files_skipped: usize,
    pub files_not_read: usize,
    pub rows_stored: usize,
    pub rows_rejected: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestSummary {
    pub datasets: BTreeMap<Dataset, DatasetSummary>,
    /// Every file, in the order given.
    pub files: Vec<FileOutcome>,
    /// Every rejected row, with file, line, field and reason.
    pub rejected: Vec<Rejected>,
    /// Set when the ingest was told to stop before it read every file.
    pub interrupted: bool,
    /// Where the rejected rows and skipped files were written, when there were any.
    pub quarantine: Option<PathBuf>,
}

impl IngestSummary {
    pub fn rows_stored(&self) -> usize {
        self.datasets.values().map(|dataset| dataset.rows_stored).sum()
    }

    pub fn files_already_held(&self) -> usize {
        self.files.iter().filter(|file| file.status == FileStatus::AlreadyHeld).count()
    }

    /// The files skipped, with why, in order.
    pub fn skipped(&self) -> impl Iterator<Item = (&str, &SkipReason)> {
        self.files.iter().filter_map(|file| match &file.status {
            FileStatus::Skipped(reason) => Some((file.file.as_str(), reason)),
            _ => None,
        })
    }

    /// The files left unread by an interruption.
    pub fn not_read(&self) -> impl Iterator<Item = &str> {
        self.files.iter().filter(|file| file.status == FileStatus::NotRead).map(|file| file.file.as_str())
    }

    /// Whether everything asked was done: every file read and stored (or held already), no row
    /// rejected.
    pub fn is_complete(&self) -> bool {
        !self.interrupted && self.rejected.is_empty() && self.skipped().next().is_none()
    }

    /// Per folder (sorted by name): its files and what became of them.
    pub fn folders(&self) -> BTreeMap<&str, FolderSummary> {
        let mut folders: BTreeMap<&str, FolderSummary> = BTreeMap::new();
        for file in &self.files {
            let folder = folders.entry(file.folder.as_str()).or_default();
            folder.files += 1;
            match &file.status {
                FileStatus::Stored { rows_stored, rows_rejected } => {
                    folder.files_stored += 1;
                    folder.rows_stored += rows_stored;
                    folder.rows_rejected += rows_rejected;
                }
                FileStatus::AlreadyHeld => folder.files_already_held += 1,
                FileStatus::Skipped(reason) => {
                    folder.files_skipped += 1;
                    if let SkipReason::NoRows { rows_rejected } = reason {
                        folder.rows_rejected += rows_rejected;
                    }
                }
                FileStatus::NotRead => folder.files_not_read += 1,
            }
        }
        folders
    }

    /// Whether not one file gave rows to store or was held already (an interruption aside).
    pub fn nothing_loaded(&self) -> bool {
        !self.interrupted
            && !self.files.iter().any(|file| matches!(file.status, FileStatus::Stored { .. } | FileStatus::AlreadyHeld))
    }

    /// One sentence on why nothing loaded, for [`crate::PipelineError::NothingLoaded`].
    pub fn nothing_loaded_reason(&self) -> String {
        let skipped: Vec<(&str, &SkipReason)> = self.skipped().collect();
        match skipped.as_slice() {
            [] => "there were no files to read".to_string(),
            [(file, reason)] => format!("{file}: {reason}"),
            [(file, reason), ..] => format!("all {} files were skipped, the first: {file}: {reason}", skipped.len()),
        }
    }
}
