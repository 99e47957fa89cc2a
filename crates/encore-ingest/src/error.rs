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
        "cannot tell what {} holds: it is none of the formats Encore reads ({}); name the format, or map a \
         ranked list's columns with --columns rank=COL,title=COL,artist=COL,date=COL",
        path.display(),
        crate::sources::format_names().join(", ")
    )]
    Unrecognised { path: PathBuf },

    /// Bad input: a format name (as given on a command line) that names no source format.
    #[error("`{name}` is not a source format (one of {})", crate::sources::format_names().join(", "))]
    UnknownFormat { name: String },

    /// Bad input: a ranked list whose header Encore does not know.
    #[error(
        "{file}: no header with a rank, a title and an artist column in its first lines (it starts with: \
         {headers}){}; map its columns with --columns rank=COL,title=COL,artist=COL,date=COL (columns= on \
         upload) and name its chart with --chart PLATFORM:PERIOD",
        columns.as_ref().map(|columns| format!(" and --columns {columns} names columns it does not have")).unwrap_or_default()
    )]
    UnknownLayout { file: String, headers: String, columns: Option<String> },

    /// Bad input: a Korean chart file whose platform or period nothing names.
    #[error(
        "cannot tell which chart {file} is ({found}): looked for a site column (사이트, site, platform) naming \
         Melon, Genie, Bugs, FLO, VIBE or Circle, a platform and a period in the file name (like \
         day_genie_20220101.xlsx, melon_weekly_2022-01-03.csv or melon-realtime-2022-01-01-13.csv), and \
         --chart PLATFORM:PERIOD (chart= on upload), e.g. --chart genie:daily"
    )]
    UnknownChart { file: String, found: String },

    /// Bad input: a `--chart` that names no chart.
    #[error(
        "`{given}` is not a chart: give PLATFORM:PERIOD with a platform of melon, genie, bugs, flo, vibe, circle \
         and a period of realtime, daily, weekly, monthly, year_end (Circle: weekly, monthly, year_end), or a \
         dataset name such as genie_daily"
    )]
    UnknownChartName { given: String },

    /// Bad input: a `--columns` map that cannot be read.
    #[error("--columns {given}: {reason} (give rank=COL,title=COL,artist=COL[,date=COL][,album=COL])")]
    BadColumns { given: String, reason: String },
    /// Bad input: a workbook (`.xlsx`, `.xls`, `.xlsb`, `.ods`) that cannot be read: truncated,
    /// corrupt, or not a workbook after all.
    #[error("cannot read the workbook {}: {reason}", path.display())]
    Workbook { path: PathBuf, reason: String },

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
