//! Listens appended from parts staged while their files were read: an ingest encodes each
//! listening log to Parquet piece by piece as it is parsed and matched ([`Store::stage_part`]), so
//! a large log is never held whole; the commit renames each log's staged part into the dataset.

use datafusion::arrow::array::RecordBatch;

use encore_domain::Listen;

use crate::append::unheld_sources;
use crate::error::StoreError;
use crate::files::{create_dir_all, sync_folder};
use crate::manifest::{PartManifest, SourceFile};
use crate::series_schema::{listens_to_batch, LISTENS};
use crate::staging::StagedPart;
use crate::{CommitSummary, Store};

/// Some listens as a batch of the `listens` schema (with their matched song ids).
pub fn listens_batch(listens: &[Listen]) -> Result<RecordBatch, StoreError> {
    let rows: Vec<&Listen> = listens.iter().collect();
    listens_to_batch(&rows)
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
