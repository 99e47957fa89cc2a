//! Appending rows keyed by a series or list: skip files already held, and let a newer file of a
//! key replace the older one's rows, as a re-issued chart replaces its issue. The manifest names
//! each part's keys as its `issues`. Search interest is keyed by its series (same source, geo,
//! period, keyword and range of dates): series of different ranges are kept side by side, since
//! their values are relative to different maxima. Netflix viewing is keyed by its weekly list
//! (week and category; `append_viewing.rs`), so a newer download of the cumulative file replaces
//! the lists it repeats instead of doubling them.

use std::collections::{BTreeSet, HashMap};

use datafusion::arrow::array::{Array, BooleanArray, Date32Array, RecordBatch, StringArray};
use datafusion::arrow::compute::{cast, concat_batches, filter_record_batch};
use datafusion::arrow::datatypes::DataType;
use encore_domain::search_interest::series_key;
use encore_domain::SearchInterest;

use crate::append::unheld_sources;
use crate::error::StoreError;
use crate::manifest::{Manifest, PartManifest};
use crate::schema::date_from_days;
use crate::series_schema::{search_interest_to_batch, SEARCH_INTEREST};
use crate::{CommitSummary, SourceRows, Store};

/// How one dataset's rows are keyed, stored and read back.
pub(crate) struct KeyedDataset<T> {
    pub name: &'static str,
    pub key_of_row: fn(&T) -> String,
    pub to_batch: fn(&[&T]) -> Result<RecordBatch, StoreError>,
    pub keys_of_batch: fn(&RecordBatch) -> Result<Vec<String>, StoreError>,
}

const SEARCH: KeyedDataset<SearchInterest> = KeyedDataset {
    name: SEARCH_INTEREST,
    key_of_row: SearchInterest::series_key,
    to_batch: |rows| search_interest_to_batch(rows),
    keys_of_batch: series_keys,
};

pub fn append_search_interest(
    store: &Store,
    batches: &[SourceRows<SearchInterest>],
) -> Result<CommitSummary, StoreError> {
    append_keyed(store, &SEARCH, batches)
}

/// Appends `batches` to a keyed dataset in one commit: files already held are skipped, and the
/// newest file of a key (in the store or this commit) wins.
pub(crate) fn append_keyed<T>(
    store: &Store,
    dataset: &KeyedDataset<T>,
    batches: &[SourceRows<T>],
) -> Result<CommitSummary, StoreError> {
    let doing = format!("append to {}", dataset.name);
    crate::commit::commit(store, &doing, |manifest| append_to(store, manifest, dataset, batches))
}

fn append_to<T>(
    store: &Store,
    manifest: &mut Manifest,
    keyed: &KeyedDataset<T>,
    batches: &[SourceRows<T>],
) -> Result<CommitSummary, StoreError> {
    let (unheld_positions, already_present) =
        unheld_sources(manifest, keyed.name, batches.iter().map(|batch| &batch.source));
    let mut summary = CommitSummary { sources_already_present: already_present, ..CommitSummary::default() };
    let new_batches: Vec<&SourceRows<T>> = unheld_positions.iter().map(|&position| &batches[position]).collect();
    if new_batches.is_empty() {
        return Ok(summary);
    }
    // Within this commit too, the last file of a key wins.
    let mut newest_batch_of_key: HashMap<String, usize> = HashMap::new();
    for (position, batch) in new_batches.iter().enumerate() {
        for row in &batch.rows {
            newest_batch_of_key.insert((keyed.key_of_row)(row), position);
        }
    }
    let mut rows: Vec<&T> = Vec::new();
    for (position, batch) in new_batches.iter().enumerate() {
        summary.sources_added += 1;
        rows.extend(
            batch.rows.iter().filter(|row| newest_batch_of_key.get(&(keyed.key_of_row)(row)) == Some(&position)),
        );
    }
    summary.rows_added = rows.len();
    let new_keys: BTreeSet<String> = newest_batch_of_key.into_keys().collect();

    manifest.generation += 1;
    let generation = manifest.generation;
    let dataset = manifest.datasets.entry(keyed.name.to_string()).or_default();
    let mut kept_parts = Vec::new();
    for part in std::mem::take(&mut dataset.parts) {
        if part.issues.iter().any(|key| new_keys.contains(key)) {
            summary.rows_replaced += part.rows as usize;
            if let Some(rewritten) = without_keys(store, keyed, &part, &new_keys, generation, kept_parts.len())? {
                summary.rows_replaced -= rewritten.rows as usize;
                kept_parts.push(rewritten);
            }
        } else {
            kept_parts.push(part);
        }
    }
    let sources = new_batches.iter().map(|batch| batch.source.clone()).collect();
    let mut part = store.write_part(keyed.name, generation, &(keyed.to_batch)(&rows)?, sources)?;
    part.issues = new_keys.into_iter().collect();
    kept_parts.push(part);
    dataset.parts = kept_parts;
    Ok(summary)
}

/// The part rewritten without the rows of `series` (keys), or `None` when nothing of it is left.
fn without_keys<T>(
    store: &Store,
    keyed: &KeyedDataset<T>,
    part: &PartManifest,
    series: &BTreeSet<String>,
    generation: u64,
    index: usize,
) -> Result<Option<PartManifest>, StoreError> {
    let batches = crate::files::read_parquet(&store.root().join(&part.file))?;
    let Some(first) = batches.first() else {
        return Ok(None);
    };
    let mut kept_batches = Vec::with_capacity(batches.len());
    for batch in &batches {
        let keep: BooleanArray = (keyed.keys_of_batch)(batch)?.iter().map(|key| Some(!series.contains(key))).collect();
        kept_batches.push(filter_record_batch(batch, &keep)?);
    }
    let kept = concat_batches(&first.schema(), &kept_batches)?;
    if kept.num_rows() == 0 {
        return Ok(None);
    }
    let relative = format!("data/{}/part-{generation:06}-{index:04}.parquet", keyed.name);
    crate::files::write_parquet_atomically(&store.root().join(&relative), &kept)?;
    let remaining = part.issues.iter().filter(|issue| !series.contains(*issue)).cloned().collect();
    Ok(Some(PartManifest {
        file: relative,
        rows: kept.num_rows() as u64,
        sources: part.sources.clone(),
        issues: remaining,
    }))
}

/// Each stored row's series key, built from its columns as [`SearchInterest::series_key`] builds it.
fn series_keys(batch: &RecordBatch) -> Result<Vec<String>, StoreError> {
    let [source, geo, period, keyword] =
        ["source", "geo", "period", "keyword"].map(|name| text_column(batch, SEARCH_INTEREST, name));
    let (source, geo, period, keyword) = (source?, geo?, period?, keyword?);
    let range_start = date_column(batch, SEARCH_INTEREST, "range_start")?;
    let range_end = date_column(batch, SEARCH_INTEREST, "range_end")?;
    Ok((0..batch.num_rows())
        .map(|row| {
            series_key(
                source.value(row),
                geo.value(row),
                period.value(row),
                keyword.value(row),
                date_from_days(range_start.value(row)),
                date_from_days(range_end.value(row)),
            )
        })
        .collect())
}

fn column_as(
    batch: &RecordBatch,
    dataset: &str,
    name: &str,
    data_type: &DataType,
) -> Result<std::sync::Arc<dyn Array>, StoreError> {
    let column = batch.column_by_name(name).ok_or_else(|| StoreError::Corrupt {
        path: std::path::PathBuf::from(dataset),
        reason: format!("a part has no `{name}` column"),
    })?;
    Ok(cast(column, data_type)?)
}

pub(crate) fn text_column(batch: &RecordBatch, dataset: &str, name: &str) -> Result<StringArray, StoreError> {
    let column = column_as(batch, dataset, name, &DataType::Utf8)?;
    column.as_any().downcast_ref::<StringArray>().cloned().ok_or_else(|| StoreError::Corrupt {
        path: std::path::PathBuf::from(dataset),
        reason: format!("the column `{name}` does not hold text"),
    })
}

pub(crate) fn date_column(batch: &RecordBatch, dataset: &str, name: &str) -> Result<Date32Array, StoreError> {
    let column = column_as(batch, dataset, name, &DataType::Date32)?;
    column.as_any().downcast_ref::<Date32Array>().cloned().ok_or_else(|| StoreError::Corrupt {
        path: std::path::PathBuf::from(dataset),
        reason: format!("the column `{name}` does not hold dates"),
    })
}
