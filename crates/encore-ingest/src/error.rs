//! The one error type of the crate: what stopped a whole read, and whose fault it was.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::report::Rejected;

/// Why a read could not go ahead at all. Bad rows are not errors: they are reported as
/// [`Rejected`] rows next to the good ones.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// Bad input: the named path does not exist.
    #[error("no such file or folder: {}", path.display())]
    Missing { path: PathBuf },

    /// Outside failure: the path exists but the operating system would not let us read it.
    #[error("could not read {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// Bad input: neither the file's name nor its first bytes say which source it came from.
    #[error(
        "cannot tell what {} holds: it is neither Billboard JSON or CSV, a Spotify Charts CSV, a \
         Melon year-end CSV nor a Circle chart CSV (name the format explicitly)",
        path.display()
    )]
    Unrecognised { path: PathBuf },

    /// Bad input: a format name (as given on a command line) that names no source format.
    #[error("`{name}` is not a source format (one of billboard, billboard-csv, spotify, melon, circle)")]
    UnknownFormat { name: String },

    /// Bad input: the files were read but not one row survived.
    #[error("nothing was loaded from {}: {}", path.display(), NothingLoadedReason(rejected))]
    NothingLoaded { path: PathBuf, rejected: Vec<Rejected> },
}

struct NothingLoadedReason<'a>(&'a [Rejected]);

impl fmt::Display for NothingLoadedReason<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [] => formatter.write_str("it holds no rows"),
            [only] => write!(formatter, "its one row was rejected ({only})"),
            [first, ..] => write!(formatter, "all {} rows were rejected, the first: {first}", self.0.len()),
        }
    }
}

/// Reads a whole file, telling a missing path apart from other failures.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>, IngestError> {
    std::fs::read(path).map_err(|source| io_error(path, source))
}

/// A failed read of `path`: missing (the user's) or refused by the system (outside).
pub fn io_error(path: &Path, source: io::Error) -> IngestError {
    if source.kind() == io::ErrorKind::NotFound {
        IngestError::Missing { path: path.to_path_buf() }
    } else {
        IngestError::Io { path: path.to_path_buf(), source }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_sentence_naming_the_path() {
        let missing = IngestError::Missing { path: PathBuf::from("data/nope.csv") };
        assert_eq!(missing.to_string(), "no such file or folder: data/nope.csv");
        let rejected = Rejected::new("a.json", 1, "", "not JSON (expected value at line 1 column 1)");
        let nothing = IngestError::NothingLoaded { path: PathBuf::from("a.json"), rejected: vec![rejected] };
        assert_eq!(
            nothing.to_string(),
            "nothing was loaded from a.json: its one row was rejected (a.json:1: not JSON (expected value at line 1 column 1))"
        );
    }

    #[test]
    fn reading_a_missing_file_says_it_is_missing() {
        let error = read_bytes(Path::new("/no/such/encore/file.csv"));
        assert!(matches!(error, Err(IngestError::Missing { .. })), "{error:?}");
    }
}
