//! Writing the report folder so that a crash never leaves a half-written report in place: files go
//! to a staging folder next to the target, which then replaces the target by renames.
//!
//! The swap renames the old report aside, renames the staging folder into place, then deletes the
//! old one. A crash between the two renames leaves no report at the target, but never a mix of old
//! and new files; the aside and staging folders name the process that left them.
//!
//! Encore deletes only what it wrote: every report folder carries a marker file, and a folder
//! without it is replaced only when it is empty or the caller says so ([`Overwrite::Anything`]).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::{Overwrite, ReportError};

/// The file that marks a folder as a report Encore wrote, and so one it may replace.
pub const MARKER: &str = ".encore-report";

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> ReportError + '_ {
    move |source| ReportError::Io { path: path.to_path_buf(), source }
}

/// `<dir>.<what>-<pid>`, a sibling of the target folder (same file system, so renames are atomic).
fn sibling(dir: &Path, what: &str) -> Result<PathBuf, ReportError> {
    let Some(name) = dir.file_name() else {
        return Err(ReportError::BadInput { message: format!("report folder `{}` has no folder name", dir.display()) });
    };
    let mut sibling_name = name.to_os_string();
    sibling_name.push(format!(".{what}-{}", std::process::id()));
    Ok(dir.with_file_name(sibling_name))
}

/// A fresh, empty staging folder for the report that will go to `dir`.
pub fn create_staging_dir(dir: &Path) -> Result<PathBuf, ReportError> {
    let staging = sibling(dir, "tmp")?;
    if staging.exists() {
        // Left by an earlier run of a process with the same id that crashed.
        fs::remove_dir_all(&staging).map_err(io_error(&staging))?;
    }
    fs::create_dir_all(&staging).map_err(io_error(&staging))?;
    Ok(staging)
}

/// Refuses, before anything is written, to replace a folder that is not Encore's to replace.
pub fn check_replaceable(dir: &Path, overwrite: Overwrite) -> Result<(), ReportError> {
    if overwrite == Overwrite::Anything || !dir.exists() || dir.join(MARKER).is_file() {
        return Ok(());
    }
    let is_empty_folder = dir.is_dir() && fs::read_dir(dir).map_err(io_error(dir))?.next().is_none();
    if is_empty_folder {
        return Ok(());
    }
    Err(ReportError::NotEncores { path: dir.to_path_buf() })
}

pub fn write_marker(staging: &Path) -> Result<(), ReportError> {
    let text = format!(
        "This folder is a report written by Encore {}. The next report written here replaces the whole folder.\n",
        env!("CARGO_PKG_VERSION")
    );
    write_file(&staging.join(MARKER), &text)
}

pub fn write_file(path: &Path, contents: &str) -> Result<(), ReportError> {
    fs::write(path, contents).map_err(io_error(path))
}

/// Replaces whatever is at `dir` with the staging folder.
pub fn swap_into_place(staging: &Path, dir: &Path) -> Result<(), ReportError> {
    let aside = if dir.exists() {
        let aside = sibling(dir, "old")?;
        if aside.exists() {
            fs::remove_dir_all(&aside).map_err(io_error(&aside))?;
        }
        fs::rename(dir, &aside).map_err(io_error(dir))?;
        Some(aside)
    } else {
        None
    };
    if let Err(source) = fs::rename(staging, dir) {
        // Put the old report back, so a failed write leaves things as they were.
        if let Some(aside) = &aside {
            let _ = fs::rename(aside, dir);
        }
        return Err(ReportError::Io { path: dir.to_path_buf(), source });
    }
    if let Some(aside) = aside {
        let removal = if aside.is_dir() { fs::remove_dir_all(&aside) } else { fs::remove_file(&aside) };
        removal.map_err(io_error(&aside))?;
    }
    Ok(())
}

/// Best-effort removal of a staging folder after a failed write; the error that caused the failure
/// is the one worth reporting.
pub fn discard_staging_dir(staging: &Path) {
    let _ = fs::remove_dir_all(staging);
}
