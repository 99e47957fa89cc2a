//! The quarantine: every row an ingest rejected, as `<store>/quarantine/<UTC time>.csv` with the
//! columns `file,line,field,reason`, so nothing read is lost without a trace.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, Utc};

use encore_ingest::Rejected;
use encore_report::csv_field;

/// Writes the rejected rows to a new quarantine file (temp file, fsync, rename: a reader never
/// sees half a file) and returns its path. Two ingests in the same millisecond get distinct files.
pub fn write(store_root: &Path, rejected: &[Rejected], now: DateTime<Utc>) -> anyhow::Result<PathBuf> {
    let folder = store_root.join("quarantine");
    std::fs::create_dir_all(&folder).with_context(|| format!("cannot create {}", folder.display()))?;
    let stamp = now.format("%Y%m%dT%H%M%S%.3fZ").to_string();
    let mut path = folder.join(format!("{stamp}.csv"));
    let mut attempt = 1;
    while path.exists() {
        attempt += 1;
        path = folder.join(format!("{stamp}-{attempt}.csv"));
    }
    let temporary = folder.join(format!(".{stamp}-{attempt}.csv.tmp"));
    let mut text = String::from("file,line,field,reason\n");
    for row in rejected {
        let line = row.line.to_string();
        let fields = [row.file.as_str(), line.as_str(), row.field.as_str(), row.reason.as_str()];
        let quoted: Vec<String> = fields.iter().map(|field| csv_field(field)).collect();
        text.push_str(&quoted.join(","));
        text.push('\n');
    }
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temporary, &path)
    })();
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(error).with_context(|| format!("cannot write the quarantine file {}", path.display()));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_one_quoted_row_per_rejection_and_never_overwrites() {
        let store = tempfile::tempdir().unwrap();
        let rejected = [Rejected::new("a, b.csv", 3, "streams", "\"12a\" is not a number")];
        let now = DateTime::parse_from_rfc3339("2026-01-02T03:04:05.006Z").unwrap().with_timezone(&Utc);
        let first = write(store.path(), &rejected, now).unwrap();
        let second = write(store.path(), &rejected, now).unwrap();
        assert_eq!(first.file_name().unwrap(), "20260102T030405.006Z.csv");
        assert_ne!(first, second);
        assert_eq!(
            std::fs::read_to_string(first).unwrap(),
            "file,line,field,reason\n\"a, b.csv\",3,streams,\"\"\"12a\"\" is not a number\"\n"
        );
        assert_eq!(std::fs::read_dir(store.path().join("quarantine")).unwrap().count(), 2);
    }
}
