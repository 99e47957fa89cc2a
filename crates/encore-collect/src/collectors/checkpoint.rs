//! Checkpoints, kept in the store itself so that they move in the same commit as the rows they
//! vouch for: a crash at any point leaves rows and checkpoint agreeing. An article's is the last
//! day of pageviews the store holds (whoever brought them); a listener's is the newest listen of
//! the files collectors stored for them, read from the source names in the manifest
//! (`collect/<api>/<user>/<oldest>-<newest>.fetched-<when>.<ext>`, unix seconds), so no listen is
//! read back.

use std::collections::HashMap;

use chrono::NaiveDate;
use encore_store::{Manifest, Store, LISTENS};

use crate::error::CollectError;

/// The last stored pageview day of each subject.
pub(crate) fn last_pageview_days(
    store: &Store,
    subjects: &[String],
) -> Result<HashMap<String, NaiveDate>, CollectError> {
    let mut last = HashMap::new();
    for count in store.daily_counts_read(encore_domain::CountSource::WikipediaPageviews.as_str(), subjects)? {
        let day = last.entry(count.subject).or_insert(count.date);
        *day = (*day).max(count.date);
    }
    Ok(last)
}

/// The name a collected listens file is stored under: its listener, the range of its listens and
/// when it was fetched (unix seconds).
pub(crate) fn listens_file(
    api: &str,
    user: &str,
    (oldest, newest): (i64, i64),
    fetched: i64,
    extension: &str,
) -> String {
    format!("collect/{api}/{user}/{oldest}-{newest}.fetched-{fetched}.{extension}")
}

/// The newest listen time (unix seconds) of the listens files collected from `api` for `user`.
pub(crate) fn last_listen(manifest: &Manifest, api: &str, user: &str) -> Option<i64> {
    let prefix = format!("collect/{api}/{user}/");
    manifest
        .dataset(LISTENS)?
        .parts
        .iter()
        .flat_map(|part| part.sources.iter())
        .filter_map(|source| source.path.strip_prefix(&prefix))
        .filter(|range| !range.contains('/'))
        .filter_map(|range| range.split('.').next()?.split_once('-')?.1.parse::<i64>().ok())
        .max()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_listener_checkpoint_reads_back_from_its_file_name() {
        let name = super::listens_file("listenbrainz", "rob", (100, 250), 300, "json");
        assert_eq!(name, "collect/listenbrainz/rob/100-250.fetched-300.json");
        let range = name.strip_prefix("collect/listenbrainz/rob/").unwrap_or_default();
        assert_eq!(range.split('.').next().and_then(|r| r.split_once('-')).map(|(_, n)| n), Some("250"));
    }
}
