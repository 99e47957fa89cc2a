//! Appending rows: skip files already held, replace re-issued charts, commit once under the writer
//! lock.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

use chrono::NaiveDate;

use datafusion::arrow::record_batch::RecordBatch;
use encore_domain::{ChartEntry, ChartKind};

use crate::error::StoreError;
use crate::manifest::{Manifest, PartManifest, SourceFile};
use crate::schema::{chart_entries_from_batches, chart_entries_to_batch, chart_schema};
use crate::{CommitSummary, SourceBatch, SourceRows, Store};

/// One chart issue: the region's chart of one date, and for a real-time snapshot one hour of it,
/// so a day's snapshots do not replace each other. Compared as it is; written in the manifest as
/// its text ([`issue_key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Issue<'a> {
    pub region: &'a str,
    pub date: NaiveDate,
    pub hour: Option<u8>,
}

impl<'a> Issue<'a> {
    pub fn of(entry: &'a ChartEntry) -> Issue<'a> {
        Issue { region: &entry.region, date: entry.chart_date, hour: entry.snapshot_hour }
    }
}

impl fmt::Display for Issue<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.hour {
            Some(hour) => write!(formatter, "{}/{}T{hour:02}", self.region, self.date),
            None => write!(formatter, "{}/{}", self.region, self.date),
        }
    }
}

/// The text of an entry's issue, as the manifest lists it: `kr/2022-01-01`, `kr/2022-01-01T13`.
pub fn issue_key(entry: &ChartEntry) -> String {
    Issue::of(entry).to_string()
}

pub fn append_chart(store: &Store, chart: ChartKind, batches: &[SourceBatch]) -> Result<CommitSummary, StoreError> {
    let doing = format!("append to {}", chart.dataset());
    crate::commit::commit(store, &doing, |manifest| append_chart_to(store, manifest, chart, batches))
}

/// The change of one chart append, made to the manifest read under the writer lock: which files
/// and issues are new is decided against the state other writers left.
fn append_chart_to(
    store: &Store,
    manifest: &mut Manifest,
    chart: ChartKind,
    batches: &[SourceBatch],
) -> Result<CommitSummary, StoreError> {
    let dataset_name = chart.dataset();
    let (unheld_positions, already_present) =
        unheld_sources(manifest, dataset_name, batches.iter().map(|batch| &batch.source));
    let mut summary = CommitSummary { sources_already_present: already_present, ..CommitSummary::default() };
    let new_batches: Vec<&SourceBatch> = unheld_positions.iter().map(|&position| &batches[position]).collect();
    if new_batches.is_empty() {
        return Ok(summary);
    }
    // Within this commit too, the last file of an issue wins.
    let batch_issues: Vec<Vec<Issue<'_>>> = new_batches.iter().map(|batch| issues_of(&batch.entries)).collect();
    let mut newest_batch_of_issue: HashMap<Issue<'_>, usize> = HashMap::new();
    for (position, issues) in batch_issues.iter().enumerate() {
        for issue in issues {
            newest_batch_of_issue.insert(*issue, position);
        }
    }
    let mut entries: Vec<&ChartEntry> = Vec::with_capacity(new_batches.iter().map(|batch| batch.entries.len()).sum());
    for (position, (batch, issues)) in new_batches.iter().zip(&batch_issues).enumerate() {
        summary.sources_added += 1;
        let newest_of_all = issues.iter().all(|issue| newest_batch_of_issue.get(issue) == Some(&position));
        if newest_of_all {
            entries.extend(batch.entries.iter());
        } else {
            entries.extend(
                batch.entries.iter().filter(|entry| newest_batch_of_issue.get(&Issue::of(entry)) == Some(&position)),
            );
        }
    }
    summary.rows_added = entries.len();
    let new_issues: BTreeSet<String> = newest_batch_of_issue.into_keys().map(|issue| issue.to_string()).collect();

    manifest.generation += 1;
    let generation = manifest.generation;
    let dataset = manifest.datasets.entry(dataset_name.to_string()).or_default();
    let mut kept_parts = Vec::new();
    for part in std::mem::take(&mut dataset.parts) {
        if part.issues.iter().any(|issue| new_issues.contains(issue)) {
            summary.rows_replaced += part.rows as usize;
            if let Some(rewritten) = without_issues(store, &part, &new_issues, generation, kept_parts.len())? {
                summary.rows_replaced -= rewritten.rows as usize;
                kept_parts.push(rewritten);
            }
        } else {
            kept_parts.push(part);
        }
    }
    let sources = new_batches.iter().map(|batch| batch.source.clone()).collect();
    let mut part = std::thread::scope(|scope| {
        // Rows become Arrow a chunk at a time on another core while this one encodes the last.
        let (sender, receiver) = std::sync::mpsc::sync_channel(2);
        let entries = &entries;
        scope.spawn(move || {
            for chunk in entries.chunks(ROWS_PER_BATCH) {
                if sender.send(chart_entries_to_batch(chunk)).is_err() {
                    break;
                }
            }
        });
        store.write_part_of_batches(dataset_name, generation, chart_schema(), receiver, sources)
    })?;
    part.issues = new_issues.into_iter().collect();
    kept_parts.push(part);
    dataset.parts = kept_parts;
    Ok(summary)
}

/// Rows per batch on their way to a part file.
const ROWS_PER_BATCH: usize = 65_536;

/// The issues of `entries`, a run of rows of one issue listed once: a file's rows come an issue at
/// a time (mostly one issue a file), so each run is looked up once.
fn issues_of(entries: &[ChartEntry]) -> Vec<Issue<'_>> {
    let mut issues: Vec<Issue<'_>> = Vec::new();
    for entry in entries {
        let issue = Issue::of(entry);
        if issues.last() != Some(&issue) {
            issues.push(issue);
        }
    }
    issues
}

/// The part rewritten without the rows of `issues`, or `None` when nothing of it is left.
fn without_issues(
    store: &Store,
    part: &PartManifest,
    issues: &BTreeSet<String>,
    generation: u64,
    index: usize,
) -> Result<Option<PartManifest>, StoreError> {
    let batches = crate::files::read_parquet(&store.root().join(&part.file))?;
    let kept: Vec<ChartEntry> =
        chart_entries_from_batches(&batches)?.into_iter().filter(|entry| !issues.contains(&issue_key(entry))).collect();
    if kept.is_empty() {
        return Ok(None);
    }
    let kept_references: Vec<&ChartEntry> = kept.iter().collect();
    let record_batch = chart_entries_to_batch(&kept_references)?;
    let dataset = part.file.split('/').nth(1).unwrap_or("chart");
    let relative = format!("data/{dataset}/part-{generation:06}-{index:04}.parquet");
    crate::files::write_parquet_atomically(&store.root().join(&relative), &record_batch)?;
    let remaining_issues = part.issues.iter().filter(|issue| !issues.contains(*issue)).cloned().collect();
    Ok(Some(PartManifest {
        file: relative,
        rows: kept.len() as u64,
        sources: part.sources.clone(),
        issues: remaining_issues,
    }))
}

/// Appends rows without chart issues (daily counts, listens, drama metadata) to `dataset_name` in
/// one commit: a source file whose exact bytes the dataset holds is skipped, the rest go into one
/// new part.
pub fn append_rows<T>(
    store: &Store,
    dataset_name: &str,
    batches: &[SourceRows<T>],
    to_batch: impl Fn(&[&T]) -> Result<RecordBatch, StoreError>,
) -> Result<CommitSummary, StoreError> {
    let doing = format!("append to {dataset_name}");
    crate::commit::commit(store, &doing, |manifest| append_rows_to(store, manifest, dataset_name, batches, to_batch))
}

fn append_rows_to<T>(
    store: &Store,
    manifest: &mut Manifest,
    dataset_name: &str,
    batches: &[SourceRows<T>],
    to_batch: impl Fn(&[&T]) -> Result<RecordBatch, StoreError>,
) -> Result<CommitSummary, StoreError> {
    let (unheld_positions, already_present) =
        unheld_sources(manifest, dataset_name, batches.iter().map(|batch| &batch.source));
    let mut summary = CommitSummary { sources_already_present: already_present, ..CommitSummary::default() };
    let mut rows: Vec<&T> = Vec::new();
    let mut sources = Vec::new();
    for batch in unheld_positions.iter().map(|&position| &batches[position]) {
        summary.sources_added += 1;
        rows.extend(batch.rows.iter());
        sources.push(batch.source.clone());
    }
    if sources.is_empty() {
        return Ok(summary);
    }
    summary.rows_added = rows.len();
    manifest.generation += 1;
    let part = store.write_part(dataset_name, manifest.generation, &to_batch(&rows)?, sources)?;
    manifest.datasets.entry(dataset_name.to_string()).or_default().parts.push(part);
    Ok(summary)
}

/// The positions of the source files the dataset does not hold yet (nor an earlier one of these,
/// by content hash), and how many were skipped as already held.
pub(crate) fn unheld_sources<'b>(
    manifest: &Manifest,
    dataset_name: &str,
    sources: impl Iterator<Item = &'b SourceFile>,
) -> (Vec<usize>, usize) {
    let held: HashSet<&str> =
        manifest.dataset(dataset_name).map(|dataset| dataset.source_hashes().collect()).unwrap_or_default();
    let mut seen_now = HashSet::new();
    let mut unheld = Vec::new();
    let mut already_present = 0;
    for (position, source) in sources.enumerate() {
        if held.contains(source.content.as_str()) || !seen_now.insert(source.content.as_str()) {
            already_present += 1;
        } else {
            unheld.push(position);
        }
    }
    (unheld, already_present)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_is_its_own_issue_by_hour() {
        let day = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default();
        let chart = ChartKind::korean(encore_domain::Platform::Melon, encore_domain::ChartPeriod::RealTime).unwrap();
        let at =
            |hour: Option<u8>| ChartEntry { snapshot_hour: hour, ..ChartEntry::new(chart, "kr", day, 1, "T", "A") };
        assert_eq!(issue_key(&at(None)), "kr/2022-01-01");
        assert_eq!(issue_key(&at(Some(9))), "kr/2022-01-01T09");
        assert_ne!(issue_key(&at(Some(13))), issue_key(&at(Some(14))));
    }
}
