//! The quarantine: every row an ingest rejected and every file it skipped, as
//! `<store>/quarantine/<UTC time>.csv` with the columns `file,line,field,reason` (a skipped file is
//! line 0 with no field), so nothing read is lost without a trace.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use encore_ingest::Rejected;

use crate::error::PipelineError;

/// Writes the rows to a new quarantine file (temp file, fsync, rename: a reader never sees half a
/// file) and returns its path. Two ingests in the same millisecond get distinct files.
pub fn write_quarantine(
    store_root: &Path,
    rejected: &[Rejected],
    now: DateTime<Utc>,
) -> Result<PathBuf, PipelineError> {
    let folder = store_root.join("quarantine");
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |source| PipelineError::Quarantine { path, source }
    };
    std::fs::create_dir_all(&folder).map_err(failed(&folder))?;
    let stamp = now.format("%Y%m%dT%H%M%S%.3fZ").to_string();
    let mut path = folder.join(format!("{stamp}.csv"));
    let mut attempt = 1;
    while path.exists() {
        attempt += 1;
        path = folder.join(format!("{stamp}-{attempt}.csv"));
    }
    let temporary = folder.join(format!(".{stamp}-{attempt}.csv.tmp"));
    let text = quarantine_csv(rejected).map_err(failed(&path))?;
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(&text)?;
        file.sync_all()?;
        std::fs::rename(&temporary, &path)
    })();
    if let Err(source) = written {
        // Best effort: the temp file is hidden and the next write picks another name anyway.
        let _ = std::fs::remove_file(&temporary);
        return Err(PipelineError::Quarantine { path, source });
    }
    Ok(path)
}

fn quarantine_csv(rejected: &[Rejected]) -> std::io::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["file", "line", "field", "reason"])?;
    for row in rejected {
        let line = row.line.to_string();
        writer.write_record([row.file.as_str(), line.as_str(), row.field.as_str(), row.reason.as_str()])?;
    }
    writer.into_inner().map_err(|error| std::io::Error::other(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_one_quoted_row_per_rejection_and_never_overwrites() {
        let store = tempfile::tempdir().unwrap();
        let rejected = [
            Rejected::new("a, b.csv", 3, "streams", "\"12a\" is not a number"),
            Rejected::new("notes.txt", 0, "", "not a format Encore reads"),
        ];
        let now = DateTime::parse_from_rfc3339("2026-01-02T03:04:05.006Z").unwrap().with_timezone(&Utc);
        let first = write_quarantine(store.path(), &rejected, now).unwrap();
        let second = write_quarantine(store.path(), &rejected, now).unwrap();
        assert_eq!(first.file_name().unwrap(), "20260102T030405.006Z.csv");
        assert_ne!(first, second);
        assert_eq!(
            std::fs::read_to_string(first).unwrap(),
            "file,line,field,reason\n\"a, b.csv\",3,streams,\"\"\"12a\"\" is not a number\"\n\
             notes.txt,0,,not a format Encore reads\n"
        );
        assert_eq!(std::fs::read_dir(store.path().join("quarantine")).unwrap().count(), 2);
    }
}
