//! Encore's store: one Parquet dataset per source on disk, behind a manifest, queried with Apache
//! DataFusion.
//!
//! Layout of a store folder:
//! - `manifest.json`: the datasets, their part files, and the source files (path and SHA-256)
//!   each part was made from; and the retired parts, which a commit dropped but which wait out a
//!   grace period. It is the commit point: a part not named in it does not exist for readers.
//! - `data/<dataset>/part-<generation>[-<index>].parquet`: immutable part files. Datasets: one per
//!   chart, the catalog's, and `daily_counts`, `search_interest`, `listens`, `drama_metadata` and
//!   `episode_ratings`.
//! - `staging/<dataset>-<pid>-<n>.staged`: parts written before their commit (a listening log's,
//!   encoded while it is parsed), locked by their writer; a commit renames them into `data/`, and
//!   those of a writer that died are deleted by the next staging.
//! - `writer.lock`: the writer lock ([`WRITER_LOCK_FILE`]), created once and never deleted, and
//!   `writer-holder.json`, naming the writer that holds it.
//!
//! One writer at a time, across processes: every commit holds an exclusive OS lock on
//! `writer.lock` from reading the manifest until the manifest's rename (and the clean-up after
//! it), so a commit always builds on the last one and no row is lost or doubled. A writer waits
//! for the lock up to [`Store::with_writer_wait`], then fails with [`StoreError::Busy`]. Readers
//! never take the lock: they read whichever manifest is in place.
//!
//! A commit writes its part files (temp file, fsync, rename), then a new manifest the same way.
//! A crash before the manifest's rename leaves the old manifest, so readers see the old state; the
//! orphaned parts are removed by the next commit. Parts a commit drops (re-issued chart weeks, a
//! replaced catalog, re-matched parts) are retired, not deleted, so that a query already reading
//! them finishes; a later commit deletes them once the grace period
//! ([`Store::with_retired_grace`]) is over. Only files named as Encore names its parts are ever
//! deleted: anything else under `data/` is left alone.
//!
//! Ingesting a source file whose hash the dataset already holds adds nothing, and a chart issue (a
//! region's chart of one date) is held once: a newer file of the same issue replaces the older
//! one's rows; so does a newer file of a search-interest series (a keyword's source, geo, period and
//! range of dates). Replacing the catalog re-matches every stored chart row, listen and search
//! keyword in the same commit.

mod append;
mod append_listens;
mod append_search;
mod catalog_read;
mod commit;
mod counts_read;
mod dictionary_chunk;
mod encode;
mod engine;
mod error;
mod export;
mod files;
mod guarded_functions;
mod limits;
mod manifest;
mod query;
mod rematch;
mod rematch_keywords;
mod rematch_viewing;
mod schema;
mod series_schema;
mod snapshots;
mod staging;
mod viewing;
mod writer_lock;

pub use append::{issue_key, Issue};
pub use append_listens::{listens_batch, ListenFile};
pub use counts_read::SubjectCount;
pub use engine::Engine;
pub use error::StoreError;
pub use export::{write_batches, ExportFormat};
pub use limits::{QueryAnswer, QueryCut, QueryLimits};
pub use manifest::{DatasetManifest, Manifest, PartManifest, RetiredPart, SourceFile, SHA256_PREFIX};
pub use query::format_batches;
pub use rematch::{DatasetRematch, RematchExample, RematchSummary};
pub use schema::{chart_entries_from_batches, CATALOG_DATASETS};
pub use series_schema::{listens_schema, DAILY_COUNTS, DRAMA_METADATA, EPISODE_RATINGS, LISTENS, SEARCH_INTEREST};
pub use snapshots::{snapshots_schema, SNAPSHOTS};
pub use staging::{StagedPart, STAGING_FOLDER};
pub use viewing::DRAMA_VIEWING;
pub use writer_lock::{read_holder, WaitingForWriter, WriterHolder, WRITER_HOLDER_FILE, WRITER_LOCK_FILE};

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::prelude::SessionContext;
use encore_domain::{
    Catalog, ChartEntry, ChartKind, ChartPeriod, DailyCount, DramaMetadata, DramaViewing, Episode, Listen,
    ListenColumns, SearchInterest,
};
use sha2::Digest;

/// How long a writer waits for another writer's commit unless told otherwise: long enough for a
/// big ingest's commit, short enough that a stuck writer is noticed.
pub const DEFAULT_WRITER_WAIT: Duration = Duration::from_secs(300);

/// How long a dropped part stays on disk unless told otherwise: longer than any query is allowed
/// to run.
pub const DEFAULT_RETIRED_GRACE: Duration = Duration::from_secs(600);

/// What a writer calls once when it has to wait for another writer.
type WaitingNotice = Arc<dyn Fn(&WaitingForWriter) + Send + Sync>;

/// One source file's parsed rows, ready to be committed.
#[derive(Debug, Clone)]
pub struct SourceBatch {
    pub source: SourceFile,
    pub entries: Vec<ChartEntry>,
}

impl SourceBatch {
    pub fn new(path: &Path, bytes: &[u8], entries: Vec<ChartEntry>) -> SourceBatch {
        SourceBatch { source: SourceFile { path: path.display().to_string(), content: content_hash(bytes) }, entries }
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
        SourceRows { source: SourceFile { path: path.display().to_string(), content: content_hash(bytes) }, rows }
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

/// What a source file is known by in the store: `blake3:` and the BLAKE3 of its bytes in hex.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut hash = FileHash::new(bytes);
    hash.hash_to(bytes.len());
    hash.finish()
}

/// What a source file was known by before stores hashed with BLAKE3: `sha256:` and the SHA-256
/// of its bytes in hex. A dataset that holds such sources has each new file hashed this way too,
/// so that one ingested before is still known.
pub fn sha256_content_hash(bytes: &[u8]) -> String {
    let digest = sha2::Sha256::digest(bytes);
    format!("{SHA256_PREFIX}{}", digest.iter().map(|byte| format!("{byte:02x}")).collect::<String>())
}

/// The [`content_hash`] of a file's bytes taken front to back in steps, as the file is read, so
/// each step hashes bytes that were just read and are still in memory.
pub struct FileHash<'a> {
    bytes: &'a [u8],
    hashed: usize,
    hasher: blake3::Hasher,
}

impl<'a> FileHash<'a> {
    pub fn new(bytes: &'a [u8]) -> FileHash<'a> {
        FileHash { bytes, hashed: 0, hasher: blake3::Hasher::new() }
    }

    /// How many bytes the file has.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Hashes the bytes up to `end` not hashed yet.
    pub fn hash_to(&mut self, end: usize) {
        let end = end.min(self.bytes.len());
        if end > self.hashed {
            self.hasher.update(&self.bytes[self.hashed..end]);
            self.hashed = end;
        }
    }

    /// The [`content_hash`] of every byte, those not hashed yet hashed now.
    pub fn finish(mut self) -> String {
        self.hash_to(self.bytes.len());
        format!("blake3:{}", self.hasher.finalize().to_hex())
    }
}

/// A store folder. One writer at a time (across processes); any number of readers, never blocked.
#[derive(Clone)]
pub struct Store {
    root: PathBuf,
    writer_wait: Duration,
    retired_grace: Duration,
    writer_purpose: Option<String>,
    waiting_notice: Option<WaitingNotice>,
    engine: Option<Arc<dyn Engine>>,
}

impl fmt::Debug for Store {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Store")
            .field("root", &self.root)
            .field("writer_wait", &self.writer_wait)
            .field("retired_grace", &self.retired_grace)
            .field("writer_purpose", &self.writer_purpose)
            .field("waiting_notice", &self.waiting_notice.as_ref().map(|_| "set"))
            .field("engine", &self.engine)
            .finish()
    }
}

impl Store {
    /// Opens the store at `root` for writing, creating the folder and an empty manifest if there
    /// is none.
    pub fn open(root: &Path) -> Result<Store, StoreError> {
        files::create_dir_all(&root.join("data"))?;
        let store = Store::at(root);
        manifest::create_if_missing(&store.manifest_path())?;
        Ok(store)
    }

    /// Opens the store at `root` for reading; fails with [`StoreError::NoStore`] when there is no
    /// store there. Creates nothing.
    pub fn open_existing(root: &Path) -> Result<Store, StoreError> {
        let store = Store::at(root);
        if !store.manifest_path().is_file() {
            return Err(StoreError::NoStore { path: root.to_path_buf() });
        }
        Ok(store)
    }

    fn at(root: &Path) -> Store {
        Store {
            root: root.to_path_buf(),
            writer_wait: DEFAULT_WRITER_WAIT,
            retired_grace: DEFAULT_RETIRED_GRACE,
            writer_purpose: None,
            waiting_notice: None,
            engine: None,
        }
    }

    /// Runs the store's queries on `engine` (a cluster) instead of in this process.
    pub fn on_engine(mut self, engine: Arc<dyn Engine>) -> Store {
        self.engine = Some(engine);
        self
    }

    /// The engine set by [`Store::on_engine`], if any.
    pub fn engine(&self) -> Option<&Arc<dyn Engine>> {
        self.engine.as_ref()
    }

    /// How long a commit waits for another writer before failing with [`StoreError::Busy`]; zero
    /// refuses at once.
    pub fn with_writer_wait(mut self, wait: Duration) -> Store {
        self.writer_wait = wait;
        self
    }

    /// Called once by a commit that has to wait for another writer, e.g. to tell the user.
    pub fn with_waiting_notice(mut self, notice: impl Fn(&WaitingForWriter) + Send + Sync + 'static) -> Store {
        self.waiting_notice = Some(Arc::new(notice));
        self
    }

    /// What this writer is (e.g. `ingest`), recorded beside the lock so that a waiting writer can
    /// say whom it waits for.
    pub fn with_writer_purpose(mut self, purpose: impl Into<String>) -> Store {
        self.writer_purpose = Some(purpose.into());
        self
    }

    /// How long a part that a commit dropped stays on disk for queries that may still read it.
    pub fn with_retired_grace(mut self, grace: Duration) -> Store {
        self.retired_grace = grace;
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub(crate) fn writer_wait(&self) -> Duration {
        self.writer_wait
    }

    pub(crate) fn retired_grace(&self) -> Duration {
        self.retired_grace
    }

    pub(crate) fn tell_waiting(&self, waiting: &WaitingForWriter) {
        if let Some(notice) = &self.waiting_notice {
            notice(waiting);
        }
    }

    /// What the lock's holder note says this writer is doing.
    pub(crate) fn holder_label(&self, doing: &str) -> String {
        match &self.writer_purpose {
            Some(purpose) => format!("{purpose}: {doing}"),
            None => doing.to_string(),
        }
    }

    pub(crate) fn manifest_path(&self) -> PathBuf {
        self.root.join("manifest.json")
    }

    /// The manifest in place now. Never waits for a writer.
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

    /// Adds search interest (with each keyword's matched `song_id` and `drama_id`) to
    /// `search_interest` in one commit, skipping source files the dataset already holds. A series
    /// (source, geo, period, keyword and range of dates) the dataset holds is replaced by the new
    /// file's rows, never doubled: the newest file of a series wins.
    pub fn append_search_interest(&self, batches: &[SourceRows<SearchInterest>]) -> Result<CommitSummary, StoreError> {
        append_search::append_search_interest(self, batches)
    }

    /// Adds Netflix Top 10 rows (with each title's matched `drama_id`) to `drama_viewing` in one
    /// commit, skipping source files the dataset already holds. A weekly list (week and category)
    /// the dataset holds is replaced by the new file's rows, never doubled: the newest file wins.
    pub fn append_drama_viewing(&self, batches: &[SourceRows<DramaViewing>]) -> Result<CommitSummary, StoreError> {
        append_search::append_keyed(self, &viewing::VIEWING, batches)
    }

    /// Adds listens (with their matched `song_id`) to `listens` in one commit, skipping source
    /// files the dataset already holds.
    pub fn append_listens(&self, batches: &[SourceRows<Listen>]) -> Result<CommitSummary, StoreError> {
        append::append_rows(self, LISTENS, batches, series_schema::listens_to_batch)
    }

    /// Adds one source's listens, already Arrow batches of the `listens` schema (as a generator
    /// writes them), to `listens` in one commit and one part, each batch encoded as it comes so
    /// the rows are never all in memory; a source the dataset already holds (by its hash) is
    /// skipped without reading a batch. The part is staged before the commit, so the writer lock
    /// is held for its rename, not for the whole write.
    pub fn append_listen_batches(
        &self,
        source: SourceFile,
        batches: impl IntoIterator<Item = Result<RecordBatch, StoreError>>,
    ) -> Result<CommitSummary, StoreError> {
        let manifest = self.manifest()?;
        let held =
            manifest.dataset(LISTENS).is_some_and(|listens| listens.source_hashes().any(|hash| hash == source.content));
        if held {
            return Ok(CommitSummary { sources_already_present: 1, ..CommitSummary::default() });
        }
        let staged = self.stage_part(LISTENS, series_schema::listens_schema(), batches)?;
        // Should another writer have added the same source meanwhile, the commit skips it and the
        // staged part is deleted.
        self.append_listen_files(vec![ListenFile { source, staged }])
    }

    /// Writes `batches` (of `schema`) as a part of `dataset` that waits under `staging/` for a
    /// commit to adopt it, encoding each batch as it comes: a large file's rows are stored while
    /// it is read, never held all at once. The part is deleted when dropped unadopted.
    pub fn stage_part(
        &self,
        dataset: &str,
        schema: SchemaRef,
        batches: impl IntoIterator<Item = Result<RecordBatch, StoreError>>,
    ) -> Result<StagedPart, StoreError> {
        staging::stage_part(self, dataset, schema, batches)
    }

    /// Writes the pieces of one listening log, read as columns and matched, as a part of `listens`
    /// naming `source_file`, waiting under `staging/` for a commit as [`Store::stage_part`]'s do:
    /// each piece is encoded as it comes, the text columns from their dictionaries.
    pub fn stage_listen_columns(
        &self,
        source_file: &str,
        pieces: impl IntoIterator<Item = Result<ListenColumns, StoreError>>,
    ) -> Result<StagedPart, StoreError> {
        staging::stage_listen_columns(self, source_file, pieces)
    }

    /// [`Store::append_listens`] for listens staged as their files were read (the ingest of
    /// large listening logs): one commit, a part per file, each the file's staged part renamed.
    pub fn append_listen_files(&self, files: Vec<ListenFile>) -> Result<CommitSummary, StoreError> {
        append_listens::append_listen_files(self, files)
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

    /// Replaces the catalog datasets (dramas, episodes, songs, events, artist and song aliases)
    /// and, in the same commit, re-matches every stored chart row, listen and search keyword against the new
    /// catalog, rewriting only the parts whose song ids change.
    pub fn replace_catalog(&self, catalog: &Catalog, sources: Vec<SourceFile>) -> Result<RematchSummary, StoreError> {
        commit::commit(self, "replace the catalog", |manifest| {
            manifest.generation += 1;
            for (name, batch) in schema::catalog_to_batches(catalog)? {
                let part = self.write_part(name, manifest.generation, &batch, sources.clone())?;
                manifest.datasets.insert(name.to_string(), DatasetManifest { parts: vec![part] });
            }
            let generation = manifest.generation;
            rematch::rematch_all(self, manifest, catalog, generation)
        })
    }

    /// Re-matches every stored chart row, listen and search keyword against the stored catalog in one commit
    /// (none when no song id changes); fails with [`StoreError::NoCatalog`] when the store holds
    /// no catalog.
    pub fn rematch(&self) -> Result<RematchSummary, StoreError> {
        commit::commit(self, "re-match songs", |manifest| {
            let catalog =
                catalog_read::read(self, manifest)?.ok_or_else(|| StoreError::NoCatalog { path: self.root.clone() })?;
            let generation = manifest.generation + 1;
            let summary = rematch::rematch_all(self, manifest, &catalog, generation)?;
            if summary.rows_changed() > 0 {
                manifest.generation = generation;
            }
            Ok(summary)
        })
    }

    /// The catalog the store holds, read back as it was stored; `None` when it holds none.
    pub fn catalog(&self) -> Result<Option<Catalog>, StoreError> {
        catalog_read::read(self, &self.manifest()?)
    }

    pub(crate) fn write_part(
        &self,
        dataset: &str,
        generation: u64,
        batch: &RecordBatch,
        sources: Vec<SourceFile>,
    ) -> Result<PartManifest, StoreError> {
        self.write_part_of_batches(dataset, generation, batch.schema(), [Ok(batch.clone())], sources)
    }

    /// [`Store::write_part`] for rows that come as several batches, each encoded as it comes.
    pub(crate) fn write_part_of_batches(
        &self,
        dataset: &str,
        generation: u64,
        schema: SchemaRef,
        batches: impl IntoIterator<Item = Result<RecordBatch, StoreError>>,
        sources: Vec<SourceFile>,
    ) -> Result<PartManifest, StoreError> {
        let relative = format!("data/{dataset}/part-{generation:06}.parquet");
        let rows = files::write_batches_atomically(&self.root.join(&relative), schema, batches)?;
        Ok(PartManifest { file: relative, rows, sources, issues: Vec::new() })
    }

    /// A DataFusion session with every dataset registered as the manifest names it now. Its queries
    /// keep reading those part files even after a commit drops them, for the grace period.
    pub async fn session(&self) -> Result<SessionContext, StoreError> {
        query::session(self).await
    }

    /// [`Store::session`] whose sorts, joins and aggregates hold at most `memory_bytes` of memory,
    /// spilling to disk past it: for plans over data larger than memory (listening logs).
    pub async fn session_within(&self, memory_bytes: usize) -> Result<SessionContext, StoreError> {
        query::session_within(self, memory_bytes).await
    }

    /// Runs one read-only SQL statement over every dataset.
    pub async fn sql(&self, query: &str, limits: QueryLimits) -> Result<Vec<RecordBatch>, StoreError> {
        Ok(query::run(self, query, limits).await?.batches)
    }

    /// Runs one read-only SQL statement over every dataset, and tells which bound cut the answer.
    pub async fn sql_answer(&self, query: &str, limits: QueryLimits) -> Result<QueryAnswer, StoreError> {
        query::run(self, query, limits).await
    }

    /// The viewing rows matched to a catalog drama, by week.
    pub async fn matched_drama_viewing(&self) -> Result<Vec<DramaViewing>, StoreError> {
        let query = "SELECT * FROM drama_viewing WHERE drama_id IS NOT NULL ORDER BY week_end, category, rank";
        viewing::drama_viewing_from_batches(&self.sql(query, QueryLimits::unbounded()).await?)
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

    /// What the catalog analysis reads: the chart rows matched to a catalog song, and every row of
    /// the daily charts, whose unmatched songs are the peers a young song's move is compared with.
    pub async fn analysis_chart_entries(&self) -> Result<Vec<ChartEntry>, StoreError> {
        let daily: Vec<String> = ChartKind::ALL
            .into_iter()
            .filter(|chart| chart.period() == ChartPeriod::Day)
            .map(|chart| format!("'{}'", chart.dataset()))
            .collect();
        let query = format!(
            "SELECT * FROM chart_entries WHERE song_id IS NOT NULL OR chart IN ({}) ORDER BY chart_date, chart, rank",
            daily.join(", ")
        );
        chart_entries_from_batches(&self.sql(&query, QueryLimits::unbounded()).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_hashed_in_steps_has_the_hash_of_its_bytes() {
        let bytes: Vec<u8> = (0..1000u32).map(|value| (value * 7 % 251) as u8).collect();
        // The hashes of no bytes, as published.
        assert_eq!(content_hash(b""), "blake3:af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262");
        assert_eq!(sha256_content_hash(b""), "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        let whole = content_hash(&bytes);
        for steps in [vec![], vec![1, 1, 64, 999], vec![500, 200, 5000]] {
            let mut hash = FileHash::new(&bytes);
            for end in steps.iter().copied() {
                hash.hash_to(end);
            }
            assert_eq!(hash.finish(), whole, "steps {steps:?}");
        }
        assert_ne!(content_hash(&bytes[1..]), whole);
    }
}
