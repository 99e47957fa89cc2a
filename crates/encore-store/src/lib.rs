//! Encore's store: one Parquet dataset per source on disk, behind a manifest, queried with Apache
//! DataFusion.
//!
//! Layout of a store folder:
//! - `manifest.json`: the datasets, their part files, and the source files (path and SHA-256)
//!   each part was made from. It is the commit point: a part not named in it does not exist.
//! - `data/<dataset>/part-<generation>.parquet`: immutable part files. Datasets: one per chart,
//!   the catalog's, and `daily_counts`, `listens` and `drama_metadata`.
//!
//! A commit writes its part files (temp file, fsync, rename), then a new manifest the same way.
//! A crash before the manifest's rename leaves the old manifest, so readers see the old state; the
//! orphaned parts are removed by the next commit. Ingesting a source file whose hash the dataset
//! already holds adds nothing, and a chart issue (a region's chart of one date) is held once: a
//! newer file of the same issue replaces the older one's rows.

mod append;
mod error;
mod export;
mod files;
mod manifest;
mod query;
mod schema;
mod series_schema;

pub use error::StoreError;
pub use export::{write_batches, ExportFormat};
pub use manifest::{DatasetManifest, Manifest, PartManifest, SourceFile};
pub use query::{format_batches, QueryLimits};
pub use schema::{chart_entries_from_batches, CATALOG_DATASETS};
pub use series_schema::{DAILY_COUNTS, DRAMA_METADATA, EPISODE_RATINGS, LISTENS};

use std::path::{Path, PathBuf};

use datafusion::arrow::record_batch::RecordBatch;
use encore_domain::{Catalog, ChartEntry, ChartKind, DailyCount, DramaMetadata, Episode, Listen};
use sha2::{Digest, Sha256};

/// One source file's parsed rows, ready to be committed.
#[derive(Debug, Clone)]
pub struct SourceBatch {
    pub source: SourceFile,
    pub entries: Vec<ChartEntry>,
}

impl SourceBatch {
    pub fn new(path: &Path, bytes: &[u8], entries: Vec<ChartEntry>) -> SourceBatch {
        SourceBatch { source: SourceFile { path: path.display().to_string(), sha256: sha256_hex(bytes) }, entries }
    }
}

/// One source file's parsed non-chart rows (daily counts, listens, drama metadata).
#[derive(Debug, Clone)]
pub struct SourceRows<T> {
    pub source: SourceFile,
    pub rows: Vec<T>,
}

impl<T> SourceRows<T> {
    pub fn new(path: &Path, bytes: &[u8], rows: Vec<T>) -> SourceRows<T> {
        SourceRows { source: SourceFile { path: path.display().to_string(), sha256: sha256_hex(bytes) }, rows }
    }
}

/// What a commit did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitSummary {
    pub sources_added: usize,
    /// Source files skipped because the dataset already holds their exact content.
    pub sources_already_present: usize,
    pub rows_added: usize,
    /// Rows removed because a newer file re-issued their chart (same region and date).
    pub rows_replaced: usize,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A store folder. One writer at a time; any number of readers.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    /// Opens the store at `root`, creating the folder and an empty manifest if there is none.
    pub fn open(root: &Path) -> Result<Store, StoreError> {
        files::create_dir_all(&root.join("data"))?;
        let store = Store { root: root.to_path_buf() };
        if !store.manifest_path().exists() {
            manifest::write(&store.manifest_path(), &Manifest::default())?;
        }
        Ok(store)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn manifest_path(&self) -> PathBuf {
        self.root.join("manifest.json")
    }

    pub fn manifest(&self) -> Result<Manifest, StoreError> {
        manifest::read(&self.manifest_path())
    }

    /// Adds the batches to the chart's dataset in one commit. A source file whose exact bytes the
    /// dataset holds is skipped. A chart issue (region and date) that the dataset already holds is
    /// replaced by the new file's rows, never doubled: the newest file of an issue wins.
    pub fn append_chart(&self, chart: ChartKind, batches: &[SourceBatch]) -> Result<CommitSummary, StoreError> {
        append::append_chart(self, chart, batches)
    }

    /// Adds daily counts (pageviews, views, social counts) to `daily_counts` in one commit, skipping
    /// source files the dataset already holds.
    pub fn append_daily_counts(&self, batches: &[SourceRows<DailyCount>]) -> Result<CommitSummary, StoreError> {
        append::append_rows(self, DAILY_COUNTS, batches, series_schema::daily_counts_to_batch)
    }

    /// Adds listens (with their matched `song_id`) to `listens` in one commit, skipping source
    /// files the dataset already holds.
    pub fn append_listens(&self, batches: &[SourceRows<Listen>]) -> Result<CommitSummary, StoreError> {
        append::append_rows(self, LISTENS, batches, series_schema::listens_to_batch)
    }

    /// Adds drama list rows to `drama_metadata` in one commit, skipping source files the dataset
    /// already holds.
    pub fn append_drama_metadata(&self, batches: &[SourceRows<DramaMetadata>]) -> Result<CommitSummary, StoreError> {
        append::append_rows(self, DRAMA_METADATA, batches, series_schema::drama_metadata_to_batch)
    }

    /// Adds episode ratings files to `episode_ratings` in one commit, skipping source files the
    /// dataset already holds. The catalog's own `episodes` are not touched.
    pub fn append_episode_ratings(&self, batches: &[SourceRows<Episode>]) -> Result<CommitSummary, StoreError> {
        append::append_rows(self, EPISODE_RATINGS, batches, schema::episodes_to_batch)
    }

    /// Replaces the catalog datasets (dramas, episodes, songs, events, artist aliases) in one commit.
    pub fn replace_catalog(&self, catalog: &Catalog, sources: Vec<SourceFile>) -> Result<(), StoreError> {
        let mut manifest = self.manifest()?;
        manifest.generation += 1;
        for (name, batch) in schema::catalog_to_batches(catalog)? {
            let part = self.write_part(name, manifest.generation, &batch, sources.clone())?;
            manifest.datasets.insert(name.to_string(), DatasetManifest { parts: vec![part] });
        }
        self.commit(&manifest)
    }

    /// The catalog the store holds (stand-in until the catalog datasets are decoded back).
    pub fn catalog(&self) -> Result<Option<Catalog>, StoreError> {
        Ok(None)
    }

    pub(crate) fn write_part(
        &self,
        dataset: &str,
        generation: u64,
        batch: &RecordBatch,
        sources: Vec<SourceFile>,
    ) -> Result<PartManifest, StoreError> {
        let relative = format!("data/{dataset}/part-{generation:06}.parquet");
        files::write_parquet_atomically(&self.root.join(&relative), batch)?;
        Ok(PartManifest { file: relative, rows: batch.num_rows() as u64, sources, issues: Vec::new() })
    }

    /// Makes `manifest` the store's state, then removes part files it no longer names.
    pub(crate) fn commit(&self, manifest: &Manifest) -> Result<(), StoreError> {
        manifest::write(&self.manifest_path(), manifest)?;
        files::remove_unlisted_parts(&self.root, manifest)
    }

    /// Runs one read-only SQL statement over every dataset.
    pub async fn sql(&self, query: &str, limits: QueryLimits) -> Result<Vec<RecordBatch>, StoreError> {
        query::run(self, query, limits).await
    }

    /// The chart rows matched to any catalog song, all charts.
    pub async fn matched_chart_entries(&self) -> Result<Vec<ChartEntry>, StoreError> {
        let batches = self
            .sql(
                "SELECT * FROM chart_entries WHERE song_id IS NOT NULL ORDER BY chart_date, chart, rank",
                QueryLimits::unbounded(),
            )
            .await?;
        chart_entries_from_batches(&batches)
    }
}
