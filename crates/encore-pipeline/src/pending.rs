//! Rows read and matched, waiting per dataset for the dataset's one commit, and that commit.

use std::collections::{BTreeMap, HashMap};

use encore_domain::{ChartEntry, ChartKind, DailyCount, DramaMetadata, DramaViewing, Episode, SearchInterest};
use encore_store::{
    issue_key, CommitSummary, Issue, ListenFile, SourceBatch, SourceFile, SourceRows, StagedPart, Store, StoreError,
    DAILY_COUNTS, DRAMA_METADATA, DRAMA_VIEWING, EPISODE_RATINGS, LISTENS, SEARCH_INTEREST,
};

use crate::recognise::Dataset;

/// One file's rows, not committed yet.
#[derive(Debug)]
pub(crate) struct PendingFile<T> {
    /// The file's place in the summary's list of files.
    pub outcome: usize,
    pub source: SourceFile,
    pub rows: Vec<T>,
    pub rows_rejected: usize,
}

/// One listening log's listens, staged, not committed yet.
#[derive(Debug)]
pub(crate) struct PendingListens {
    pub outcome: usize,
    pub source: SourceFile,
    pub staged: StagedPart,
    pub rows: usize,
    pub rows_matched: usize,
    pub rows_rejected: usize,
}

/// What one committed file gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StoredFile {
    pub outcome: usize,
    pub rows_stored: usize,
    pub rows_rejected: usize,
    pub rows_matched: usize,
}

/// One dataset's commit: the store's summary and each file's share.
#[derive(Debug)]
pub(crate) struct DatasetCommit {
    pub dataset: Dataset,
    pub commit: CommitSummary,
    pub files: Vec<StoredFile>,
    /// Whether the dataset's rows are matched to catalog songs.
    pub matched: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Pending {
    pub charts: BTreeMap<ChartKind, Vec<PendingFile<ChartEntry>>>,
    pub counts: Vec<PendingFile<DailyCount>>,
    pub search_interest: Vec<PendingFile<SearchInterest>>,
    pub listens: Vec<PendingListens>,
    pub dramas: Vec<PendingFile<DramaMetadata>>,
    pub ratings: Vec<PendingFile<Episode>>,
    pub viewing: Vec<PendingFile<DramaViewing>>,
}

impl Pending {
    /// Commits each dataset once, charts first.
    pub fn commit(self, store: &Store) -> Result<Vec<DatasetCommit>, StoreError> {
        let mut commits = Vec::new();
        for (chart, mut files) in self.charts {
            // An issue as the store keys it: a real-time snapshot's hour is part of it.
            drop_reissued_rows(&mut files, issue_key, |one, other| Issue::of(one) == Issue::of(other));
            let stored = shares(&files, |entry| entry.song_id.is_some());
            let batches: Vec<SourceBatch> =
                files.into_iter().map(|file| SourceBatch { source: file.source, entries: file.rows }).collect();
            let commit = store.append_chart(chart, &batches)?;
            commits.push(DatasetCommit { dataset: Dataset::Chart(chart), commit, files: stored, matched: true });
        }
        if !self.counts.is_empty() {
            let stored = shares(&self.counts, |_| false);
            let commit = store.append_daily_counts(&source_rows(self.counts))?;
            commits.push(DatasetCommit {
                dataset: Dataset::Series(DAILY_COUNTS),
                commit,
                files: stored,
                matched: false,
            });
        }
        if !self.search_interest.is_empty() {
            let mut files = self.search_interest;
            drop_reissued_rows(&mut files, SearchInterest::series_key, |one, other| {
                one.series_key() == other.series_key()
            });
            let stored = shares(&files, |row| row.song_id.is_some() || row.drama_id.is_some());
            let commit = store.append_search_interest(&source_rows(files))?;
            commits.push(DatasetCommit {
                dataset: Dataset::Series(SEARCH_INTEREST),
                commit,
                files: stored,
                matched: true,
            });
        }
        if !self.listens.is_empty() {
            let stored = self
                .listens
                .iter()
                .map(|file| StoredFile {
                    outcome: file.outcome,
                    rows_stored: file.rows,
                    rows_rejected: file.rows_rejected,
                    rows_matched: file.rows_matched,
                })
                .collect();
            let files: Vec<ListenFile> =
                self.listens.into_iter().map(|file| ListenFile { source: file.source, staged: file.staged }).collect();
            let commit = store.append_listen_files(files)?;
            commits.push(DatasetCommit { dataset: Dataset::Series(LISTENS), commit, files: stored, matched: true });
        }
        if !self.dramas.is_empty() {
            let stored = shares(&self.dramas, |_| false);
            let commit = store.append_drama_metadata(&source_rows(self.dramas))?;
            commits.push(DatasetCommit {
                dataset: Dataset::Series(DRAMA_METADATA),
                commit,
                files: stored,
                matched: false,
            });
        }
        if !self.ratings.is_empty() {
            let stored = shares(&self.ratings, |_| false);
            let commit = store.append_episode_ratings(&source_rows(self.ratings))?;
            commits.push(DatasetCommit {
                dataset: Dataset::Series(EPISODE_RATINGS),
                commit,
                files: stored,
                matched: false,
            });
        }
        if !self.viewing.is_empty() {
            let mut files = self.viewing;
            drop_reissued_rows(&mut files, DramaViewing::list_key, |one, other| one.list_key() == other.list_key());
            let stored = shares(&files, |row| row.drama_id.is_some());
            let commit = store.append_drama_viewing(&source_rows(files))?;
            commits.push(DatasetCommit {
                dataset: Dataset::Series(DRAMA_VIEWING),
                commit,
                files: stored,
                matched: true,
            });
        }
        Ok(commits)
    }
}

fn shares<T>(files: &[PendingFile<T>], is_matched: impl Fn(&T) -> bool) -> Vec<StoredFile> {
    files
        .iter()
        .map(|file| StoredFile {
            outcome: file.outcome,
            rows_stored: file.rows.len(),
            rows_rejected: file.rows_rejected,
            rows_matched: file.rows.iter().filter(|row| is_matched(row)).count(),
        })
        .collect()
}

fn source_rows<T>(files: Vec<PendingFile<T>>) -> Vec<SourceRows<T>> {
    files.into_iter().map(|file| SourceRows { source: file.source, rows: file.rows }).collect()
}

/// Within one ingest the last file of an issue (a region's chart of one date; a
/// search-interest series; a Netflix weekly list) wins, as the store's commit does; done here too
/// so that each file's count of stored rows is true. A file's rows come an issue at a time, so
/// `issue` is asked only where `same_issue` says a new run of rows begins.
fn drop_reissued_rows<T, K: std::hash::Hash + Eq>(
    files: &mut [PendingFile<T>],
    issue: impl Fn(&T) -> K,
    same_issue: impl Fn(&T, &T) -> bool,
) {
    let file_issues: Vec<Vec<K>> = files
        .iter()
        .map(|file| {
            let mut issues = Vec::new();
            let mut previous: Option<&T> = None;
            for row in &file.rows {
                if !previous.is_some_and(|previous| same_issue(previous, row)) {
                    issues.push(issue(row));
                }
                previous = Some(row);
            }
            issues
        })
        .collect();
    let mut last_file_of_issue = HashMap::new();
    for (position, issues) in file_issues.iter().enumerate() {
        for issue in issues {
            last_file_of_issue.insert(issue, position);
        }
    }
    for (position, file) in files.iter_mut().enumerate() {
        // Rows of an issue a later file re-issued are dropped; mostly, no file has any.
        if file_issues[position].iter().any(|issue| last_file_of_issue.get(issue) != Some(&position)) {
            file.rows.retain(|row| last_file_of_issue.get(&issue(row)) == Some(&position));
        }
    }
}
