//! The `snapshots` dataset (cumulative counters read from live APIs at a fetch time: YouTube views
//! and likes, Last.fm playcounts), and the collectors' reads of what the store holds. These reads go
//! straight to the manifest's part files, without the query engine: a collector checks its
//! checkpoints between every API call, and needs no async runtime for that.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use datafusion::arrow::array::{Array, ArrayRef, Int64Array, RecordBatch, TimestampMicrosecondArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use encore_domain::{Snapshot, SnapshotSource};

use crate::append_search::{date_column, text_column};
use crate::schema::{int64s, strings};
use crate::series_schema::DAILY_COUNTS;
use crate::{CommitSummary, SourceRows, Store, StoreError, SubjectCount};

pub const SNAPSHOTS: &str = "snapshots";

/// `snapshots`: one counter of one subject as read at `fetched_at` (UTC).
pub fn snapshots_schema() -> SchemaRef {
    use DataType::{Int64, Utf8};
    let fetched_at = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
    Arc::new(Schema::new(vec![
        Field::new("source", Utf8, false),
        Field::new("subject", Utf8, false),
        Field::new("metric", Utf8, false),
        Field::new("value", Int64, false),
        Field::new("fetched_at", fetched_at, false),
        Field::new("source_file", Utf8, false),
    ]))
}

fn snapshots_to_batch(snapshots: &[&Snapshot]) -> Result<RecordBatch, StoreError> {
    let rows = || snapshots.iter();
    let times: Vec<i64> = rows().map(|snapshot| snapshot.fetched_at.timestamp_micros()).collect();
    let columns: Vec<ArrayRef> = vec![
        strings(rows().map(|snapshot| Some(snapshot.source.as_str()))),
        strings(rows().map(|snapshot| Some(snapshot.subject.as_str()))),
        strings(rows().map(|snapshot| Some(snapshot.metric.as_str()))),
        int64s(rows().map(|snapshot| Some(i64::try_from(snapshot.value).unwrap_or(i64::MAX)))),
        Arc::new(TimestampMicrosecondArray::from(times).with_timezone("UTC")),
        strings(rows().map(|snapshot| Some(snapshot.source_file.as_str()))),
    ];
    Ok(RecordBatch::try_new(snapshots_schema(), columns)?)
}

fn corrupt(reason: &str) -> StoreError {
    StoreError::Corrupt { path: std::path::PathBuf::from(SNAPSHOTS), reason: reason.to_string() }
}

fn int64_column(batch: &RecordBatch, dataset: &str, name: &str) -> Result<Int64Array, StoreError> {
    let column = batch.column_by_name(name).ok_or_else(|| StoreError::Corrupt {
        path: std::path::PathBuf::from(dataset),
        reason: format!("a part has no `{name}` column"),
    })?;
    let cast_column = cast(column, &DataType::Int64)?;
    cast_column.as_any().downcast_ref::<Int64Array>().cloned().ok_or_else(|| StoreError::Corrupt {
        path: std::path::PathBuf::from(dataset),
        reason: format!("the column `{name}` does not hold numbers"),
    })
}

impl Store {
    /// Adds snapshots to `snapshots` in one commit, skipping sources (collection runs) the dataset
    /// already holds by their hash.
    pub fn append_snapshots(&self, batches: &[SourceRows<Snapshot>]) -> Result<CommitSummary, StoreError> {
        crate::append::append_rows(self, SNAPSHOTS, batches, snapshots_to_batch)
    }

    /// Every stored snapshot of `source`, in stored order.
    pub fn snapshots_of(&self, source: SnapshotSource) -> Result<Vec<Snapshot>, StoreError> {
        let mut snapshots = Vec::new();
        for batch in self.batches_of(SNAPSHOTS)? {
            let sources = text_column(&batch, SNAPSHOTS, "source")?;
            let subjects = text_column(&batch, SNAPSHOTS, "subject")?;
            let metrics = text_column(&batch, SNAPSHOTS, "metric")?;
            let files = text_column(&batch, SNAPSHOTS, "source_file")?;
            let values = int64_column(&batch, SNAPSHOTS, "value")?;
            let fetched_column = batch.column_by_name("fetched_at").ok_or_else(|| corrupt("no `fetched_at` column"))?;
            let fetched = fetched_column
                .as_any()
                .downcast_ref::<TimestampMicrosecondArray>()
                .ok_or_else(|| corrupt("the column `fetched_at` does not hold times"))?;
            for row in 0..batch.num_rows() {
                if sources.value(row) != source.as_str() {
                    continue;
                }
                let fetched_at = DateTime::<Utc>::from_timestamp_micros(fetched.value(row))
                    .ok_or_else(|| corrupt("a `fetched_at` is out of range"))?;
                snapshots.push(Snapshot {
                    source,
                    subject: subjects.value(row).to_string(),
                    metric: metrics.value(row).to_string(),
                    value: u64::try_from(values.value(row)).unwrap_or(0),
                    fetched_at,
                    source_file: files.value(row).to_string(),
                });
            }
        }
        Ok(snapshots)
    }

    /// The `daily_counts` of `source_name` (as stored, e.g. `wikipedia_pageviews`) for the subjects,
    /// one row per stored row, sorted by subject and date, read without the query engine.
    pub fn daily_counts_read(&self, source_name: &str, subjects: &[String]) -> Result<Vec<SubjectCount>, StoreError> {
        let mut counts = Vec::new();
        for batch in self.batches_of(DAILY_COUNTS)? {
            let sources = text_column(&batch, DAILY_COUNTS, "source")?;
            let subject_column = text_column(&batch, DAILY_COUNTS, "subject")?;
            let dates = date_column(&batch, DAILY_COUNTS, "date")?;
            let values = int64_column(&batch, DAILY_COUNTS, "count")?;
            for row in 0..batch.num_rows() {
                let subject = subject_column.value(row);
                if sources.value(row) != source_name || !subjects.iter().any(|wanted| wanted == subject) {
                    continue;
                }
                let date: Option<NaiveDate> = dates.value_as_date(row);
                let Some(date) = date else {
                    continue;
                };
                let count = u64::try_from(values.value(row)).unwrap_or(0);
                counts.push(SubjectCount { subject: subject.to_string(), date, count });
            }
        }
        counts.sort_by(|left, right| (&left.subject, left.date).cmp(&(&right.subject, right.date)));
        Ok(counts)
    }

    /// Every batch of the dataset's parts as the manifest in place names them.
    fn batches_of(&self, dataset: &str) -> Result<Vec<RecordBatch>, StoreError> {
        let manifest = self.manifest()?;
        let Some(parts) = manifest.dataset(dataset) else {
            return Ok(Vec::new());
        };
        let mut batches = Vec::new();
        for part in &parts.parts {
            batches.extend(crate::files::read_parquet(&self.root().join(&part.file))?);
        }
        Ok(batches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_come_back_as_they_were_appended() {
        let folder = tempfile::tempdir().unwrap();
        let store = Store::open(folder.path()).unwrap();
        let at = DateTime::<Utc>::from_timestamp(1_764_000_000, 0).unwrap();
        let snapshot = Snapshot {
            source: SnapshotSource::Youtube,
            subject: "abc".to_string(),
            metric: "views".to_string(),
            value: 42,
            fetched_at: at,
            source_file: "collect/youtube/run".to_string(),
        };
        let rows = SourceRows::new(std::path::Path::new("collect/youtube/run"), b"run", vec![snapshot.clone()]);
        assert_eq!(store.append_snapshots(std::slice::from_ref(&rows)).unwrap().rows_added, 1);
        assert_eq!(store.append_snapshots(&[rows]).unwrap().rows_added, 0);
        assert_eq!(store.snapshots_of(SnapshotSource::Youtube).unwrap(), vec![snapshot]);
        assert!(store.snapshots_of(SnapshotSource::LastFm).unwrap().is_empty());
    }
}
