//! Listens appended from parts staged while their files were read: an ingest encodes each
//! listening log to Parquet piece by piece as it is parsed and matched ([`Store::stage_part`]), so
//! a large log is never held whole; the commit renames each log's staged part into the dataset.

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BooleanArray, Int64Array, RecordBatch, StringArray, TimestampMicrosecondArray,
};
use datafusion::arrow::buffer::{Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use datafusion::arrow::error::ArrowError;

use encore_domain::{Listen, ListenColumns, TextColumn};

use crate::append::unheld_sources;
use crate::error::StoreError;
use crate::files::{create_dir_all, sync_folder};
use crate::manifest::{PartManifest, SourceFile};
use crate::series_schema::{listens_schema, listens_to_batch, LISTENS};
use crate::staging::StagedPart;
use crate::{CommitSummary, Store};

/// Some listens as a batch of the `listens` schema (with their matched song ids).
pub fn listens_batch(listens: &[Listen]) -> Result<RecordBatch, StoreError> {
    let rows: Vec<&Listen> = listens.iter().collect();
    listens_to_batch(&rows)
}

/// A listening log's listens read as columns, as a batch of the `listens` schema naming
/// `source_file`: the text columns' buffers become the arrays as they are.
pub fn listen_columns_batch(columns: ListenColumns, source_file: &str) -> Result<RecordBatch, StoreError> {
    let rows = columns.len();
    let lines = columns.source_line.iter().map(|line| i64::try_from(*line).ok());
    let arrays: Vec<ArrayRef> = vec![
        repeated(columns.source.as_str(), rows)?,
        text_array(columns.user),
        Arc::new(TimestampMicrosecondArray::from(columns.listened_at).with_timezone("UTC")),
        text_array(columns.artist),
        text_array(columns.track),
        if columns.song_id.is_empty() { Arc::new(StringArray::new_null(rows)) } else { text_array(columns.song_id) },
        repeated(source_file, rows)?,
        Arc::new(lines.collect::<Int64Array>()),
        text_array(columns.album),
        Arc::new(Int64Array::from(columns.ms_played)),
        Arc::new(Int64Array::from(columns.duration_ms)),
        text_array(columns.country),
        text_array(columns.track_uri),
        text_array(columns.reason_start),
        text_array(columns.reason_end),
        Arc::new(BooleanArray::from(columns.shuffle)),
        Arc::new(BooleanArray::from(columns.skipped)),
        Arc::new(BooleanArray::from(columns.offline)),
    ];
    Ok(RecordBatch::try_new(listens_schema(), arrays)?)
}

/// A text column as a string array over the same buffers.
fn text_array(column: TextColumn) -> ArrayRef {
    let missing = column.missing();
    let (text, offsets, present) = column.into_parts();
    let nulls = (missing > 0).then(|| NullBuffer::from(present));
    let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
    // SAFETY: a `TextColumn` is only ever built by pushing whole `&str` values, so its text is
    // UTF-8 and each of its offsets (rising from 0 to the text's length) falls between two values,
    // on a character's boundary: what `StringArray::try_new` would read every byte again to check.
    Arc::new(unsafe { StringArray::new_unchecked(offsets, Buffer::from_vec(text.into_bytes()), nulls) })
}

/// `value` in each of `rows` rows, its text laid out at once rather than row by row.
fn repeated(value: &str, rows: usize) -> Result<ArrayRef, StoreError> {
    let too_long = || {
        ArrowError::InvalidArgumentError(format!("{rows} rows of {value:?} are more text than a string array holds"))
    };
    let length = i32::try_from(value.len()).map_err(|_| too_long())?;
    i32::try_from(value.len().saturating_mul(rows)).map_err(|_| too_long())?;
    let offsets: Vec<i32> = (0..=rows as i32).map(|row| row * length).collect();
    let text = Buffer::from_vec(value.repeat(rows).into_bytes());
    Ok(Arc::new(StringArray::try_new(OffsetBuffer::new(ScalarBuffer::from(offsets)), text, None)?))
}

/// One source file's listens, staged.
#[derive(Debug)]
pub struct ListenFile {
    pub source: SourceFile,
    pub staged: StagedPart,
}

/// Adds the files' listens to `listens` in one commit, a part per file, skipping files the
/// dataset holds already (their staged parts are deleted when `files` is dropped).
pub(crate) fn append_listen_files(store: &Store, mut files: Vec<ListenFile>) -> Result<CommitSummary, StoreError> {
    crate::commit::commit(store, "append to listens", |manifest| {
        let (unheld_positions, already_present) =
            unheld_sources(manifest, LISTENS, files.iter().map(|file| &file.source));
        let mut summary = CommitSummary { sources_already_present: already_present, ..CommitSummary::default() };
        if unheld_positions.is_empty() {
            return Ok(summary);
        }
        manifest.generation += 1;
        let generation = manifest.generation;
        let folder = store.root().join("data").join(LISTENS);
        create_dir_all(&folder)?;
        let mut parts = Vec::new();
        for (index, position) in unheld_positions.into_iter().enumerate() {
            let file = &mut files[position];
            let relative = format!("data/{LISTENS}/part-{generation:06}-{index:04}.parquet");
            file.staged.adopt(&store.root().join(&relative))?;
            summary.sources_added += 1;
            summary.rows_added += file.staged.rows() as usize;
            let sources = vec![file.source.clone()];
            parts.push(PartManifest { file: relative, rows: file.staged.rows(), sources, issues: Vec::new() });
        }
        sync_folder(&folder)?;
        manifest.datasets.entry(LISTENS.to_string()).or_default().parts.extend(parts);
        Ok(summary)
    })
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{Array, AsArray};

    use super::*;

    #[test]
    fn columns_become_arrays_of_the_same_values() {
        let mut column = TextColumn::default();
        for value in [Some("가수"), None, Some(""), Some("Ailee")] {
            column.push(value).unwrap();
        }
        let array = text_array(column);
        let strings = array.as_string::<i32>();
        let values: Vec<Option<&str>> = strings.iter().collect();
        assert_eq!(values, [Some("가수"), None, Some(""), Some("Ailee")]);
        strings.to_data().validate_full().unwrap();

        let source = repeated("logs/스크로블.csv", 3).unwrap();
        let values: Vec<Option<&str>> = source.as_string::<i32>().iter().collect();
        assert_eq!(values, [Some("logs/스크로블.csv"); 3]);
        assert_eq!(repeated("x", 0).unwrap().len(), 0);
    }
}
