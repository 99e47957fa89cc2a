//! One commit: under the writer lock, read the manifest, change it (writing new parts), retire the
//! parts it no longer names, rename the new manifest into place, then delete what is safe to delete.

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::error::StoreError;
use crate::manifest::{self, Manifest, RetiredPart};
use crate::{writer_lock, Store};

/// Runs `change` on the store's manifest as one commit, holding the writer lock from reading the
/// manifest until the files it frees are deleted, so that no other writer's commit is lost and no
/// part is taken for an orphan while it is being written. When `change` leaves the manifest as it
/// was, nothing is written.
pub(crate) fn commit<T>(
    store: &Store,
    doing: &str,
    change: impl FnOnce(&mut Manifest) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let _lock = writer_lock::acquire(store, &store.holder_label(doing))?;
    let before = store.manifest()?;
    let mut after = before.clone();
    let not_committed = |error: StoreError| {
        // The parts this commit wrote are named by no manifest: ours to delete, under the lock.
        remove_orphans(store.root(), &before);
        // A mistake of the user's (no catalog to match against, say) is said as it is.
        if error.is_user_error() {
            return error;
        }
        StoreError::NotCommitted { doing: doing.to_string(), cause: Box::new(error) }
    };
    let value = change(&mut after).map_err(not_committed)?;
    if after == before {
        return Ok(value);
    }
    let now = Utc::now();
    retire_dropped_parts(&before, &mut after, now);
    let expired = take_expired(&mut after, now, store.retired_grace());
    manifest::write(&store.manifest_path(), &after).map_err(not_committed)?;
    // The commit is done: from here on a failure to delete only leaves files for the next commit.
    for file in &expired {
        remove_if_present(&store.root().join(file));
    }
    remove_orphans(store.root(), &after);
    Ok(value)
}

/// Puts every part `before` names and `after` does not on the retired list: a query that read
/// `before` may still be reading it.
fn retire_dropped_parts(before: &Manifest, after: &mut Manifest, now: DateTime<Utc>) {
    let still_named: HashSet<&str> = after.part_files().collect();
    let dropped: Vec<RetiredPart> = before
        .part_files()
        .filter(|file| !still_named.contains(file))
        .map(|file| RetiredPart { file: file.to_string(), retired_at: now })
        .collect();
    after.retired.extend(dropped);
}

/// Takes the retired parts older than `grace` off the list and returns their files.
fn take_expired(manifest: &mut Manifest, now: DateTime<Utc>, grace: Duration) -> Vec<String> {
    let (expired, kept): (Vec<RetiredPart>, Vec<RetiredPart>) = std::mem::take(&mut manifest.retired)
        .into_iter()
        // A retirement time in the future (the clock was set back) counts as not yet expired.
        .partition(|part| (now - part.retired_at).to_std().is_ok_and(|age| age >= grace));
    manifest.retired = kept;
    expired.into_iter().map(|part| part.file).collect()
}

pub(crate) fn remove_if_present(path: &Path) {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            tracing::warn!(path = %path.display(), %error, "cannot remove a part file the store no longer needs");
        }
        _ => {}
    }
}

/// Whether a file name is one Encore writes under `data/<dataset>/`: a part
/// (`part-000012.parquet`, `part-000012-0003.parquet`) or a part's temp file
/// (`part-000012.tmp-4242`). Nothing else there is ever deleted: the folder may hold the user's own
/// files.
pub(crate) fn is_part_file_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("part-") else {
        return false;
    };
    let Some((number, extension)) = rest.split_once('.') else {
        return false;
    };
    let numbered = !number.is_empty() && number.chars().all(|character| character.is_ascii_digit() || character == '-');
    let temp_of_process = extension
        .strip_prefix("tmp-")
        .is_some_and(|pid| !pid.is_empty() && pid.chars().all(|character| character.is_ascii_digit()));
    numbered && (extension == "parquet" || temp_of_process)
}

/// Removes the part files under `data/` that the manifest neither names nor keeps retired: the
/// leftovers of a commit that crashed before its manifest's rename. Only called under the writer
/// lock, when no other commit can be writing a part.
fn remove_orphans(root: &Path, manifest: &Manifest) {
    let known: HashSet<std::path::PathBuf> = manifest
        .part_files()
        .chain(manifest.retired.iter().map(|part| part.file.as_str()))
        .map(|file| root.join(file))
        .collect();
    let Ok(datasets) = std::fs::read_dir(root.join("data")) else {
        return;
    };
    for dataset in datasets.flatten() {
        let Ok(files) = std::fs::read_dir(dataset.path()) else {
            continue;
        };
        for file in files.flatten() {
            let path = file.path();
            let ours = file.file_name().to_str().is_some_and(is_part_file_name);
            if ours && !known.contains(&path) {
                remove_if_present(&path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_part_file_name;

    #[test]
    fn only_the_names_encore_writes_count_as_parts() {
        for ours in
            ["part-000012.parquet", "part-000012-0003.parquet", "part-000012.tmp-4242", "part-000012-0001.tmp-7"]
        {
            assert!(is_part_file_name(ours), "{ours}");
        }
        for theirs in [
            "notes.xlsx",
            "part-notes.parquet",
            "part-000012.csv",
            "part-000012.tmp-",
            "part-000012.tmp-12a",
            "part-.parquet",
            "my-part-000001.parquet",
            "part-000001.parquet.bak",
        ] {
            assert!(!is_part_file_name(theirs), "{theirs}");
        }
    }
}
