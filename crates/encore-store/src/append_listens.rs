//! Listens appended from columns made while their files are read: an ingest turns each piece of a
//! listening log into Arrow columns as soon as it is parsed and matched, and drops the listens, so
//! a large log is held as compact columns, never as one `Listen` a row. The commit streams those
//! columns into one part, adding the source file's name to each batch only as it is written.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, RecordBatch, StringArray};

use encore_domain::Listen;

use crate::append::unheld_sources;
use crate::error::StoreError;
use crate::manifest::SourceFile;
use crate::series_schema::{listens_schema, listens_to_batch, LISTENS};
use crate::{CommitSummary, Store};

/// The `listens` column every row of a file shares, left out of [`ListenColumns`].
const SOURCE_FILE_COLUMN: &str = "source_file";

/// Some listens of one file as Arrow columns: every column of `listens` but `source_file`, which
/// is the file's one name and is added when the part is written.
#[derive(Debug, Clone)]
pub struct ListenColumns(RecordBatch);

impl ListenColumns {
    /// The columns of `listens` (with their matched song ids).
    pub fn of(listens: &[Listen]) -> Result<ListenColumns, StoreError> {
        let rows: Vec<&Listen> = listens.iter().collect();
        let whole = listens_to_batch(&rows)?;
        let position = whole.schema().index_of(SOURCE_FILE_COLUMN)?;
        let mut columns = whole;
        columns.remove_column(position);
        Ok(ListenColumns(columns))
    }

    pub fn rows(&self) -> usize {
        self.0.num_rows()
    }

    /// The batch of the `listens` schema, every row from `source_file`.
    fn with_source_file(&self, source_file: &str) -> Result<RecordBatch, StoreError> {
        let schema = listens_schema();
        let position = schema.index_of(SOURCE_FILE_COLUMN)?;
        let mut columns: Vec<ArrayRef> = self.0.columns().to_vec();
        let names: ArrayRef =
            Arc::new(StringArray::from_iter_values(std::iter::repeat_n(source_file, self.0.num_rows())));
        columns.insert(position, names);
        Ok(RecordBatch::try_new(schema, columns)?)
    }
}

/// One source file's listens, as columns.
#[derive(Debug, Clone)]
pub struct ListenFile {
    pub source: SourceFile,
    pub columns: Vec<ListenColumns>,
}

/// Adds the files' listens to `listens` in one commit and one part, skipping files the dataset
/// holds already.
pub(crate) fn append_listen_files(store: &Store, files: &[ListenFile]) -> Result<CommitSummary, StoreError> {
    crate::commit::commit(store, "append to listens", |manifest| {
        let (unheld_positions, already_present) =
            unheld_sources(manifest, LISTENS, files.iter().map(|file| &file.source));
        let new_files: Vec<&ListenFile> = unheld_positions.iter().map(|&position| &files[position]).collect();
        let mut summary = CommitSummary { sources_already_present: already_present, ..CommitSummary::default() };
        if new_files.is_empty() {
            return Ok(summary);
        }
        summary.sources_added = new_files.len();
        summary.rows_added = new_files.iter().flat_map(|file| &file.columns).map(ListenColumns::rows).sum();
        manifest.generation += 1;
        let batches = new_files
            .iter()
            .flat_map(|file| file.columns.iter().map(|columns| columns.with_source_file(&file.source.path)));
        let sources = new_files.iter().map(|file| file.source.clone()).collect();
        let part = store.write_part_of_batches(LISTENS, manifest.generation, listens_schema(), batches, sources)?;
        manifest.datasets.entry(LISTENS.to_string()).or_default().parts.push(part);
        Ok(summary)
    })
}
