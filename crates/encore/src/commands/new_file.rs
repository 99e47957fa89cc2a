//! Files a command writes for the user (`--out`, `--plot`): always new, whole or not at all.
//! Encore never replaces a file it may not have written.

use std::io::Write as _;
use std::path::Path;

use super::UserInput;

/// Refuses `path` when something is there already.
pub fn refuse_existing(path: &Path) -> anyhow::Result<()> {
    if path.exists() {
        return Err(UserInput(format!(
            "{} exists; Encore does not replace a file it may not have written",
            path.display()
        ))
        .into());
    }
    Ok(())
}

/// Writes `bytes` as a new file at `path`, whole or not at all: into a temporary file beside it,
/// synced, then linked to `path` (which fails if `path` appeared meanwhile: nothing is replaced).
pub fn write_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    refuse_existing(path)?;
    let temporary = path.with_extension(format!("encore-{}.partial", std::process::id()));
    let written = std::fs::File::create_new(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&temporary, path));
    // Ours, and either linked or half-written: nothing else names it.
    let _ = std::fs::remove_file(&temporary);
    linked.map_err(|error| {
        UserInput(format!("{}: {error} (Encore does not replace a file it may not have written)", path.display()))
            .into()
    })
}
