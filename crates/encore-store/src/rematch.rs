//! Re-matching stored chart rows and listens (and, in `rematch_keywords`, search-interest
//! keywords; in `rematch_viewing`, Netflix Top 10 rows) against a catalog, inside a commit: only
//! the parts in which some row's song or drama id changes are rewritten; the others stay as they
//! are.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use datafusion::arrow::array::{Array, ArrayRef, RecordBatch, StringArray};
use datafusion::arrow::compute::{cast, concat_batches};
use datafusion::arrow::datatypes::DataType;
use encore_domain::{Catalog, ChartKind, DramaId, SongId, SongMatcher};

use crate::error::StoreError;
use crate::manifest::{Manifest, PartManifest};
use crate::series_schema::LISTENS;
use crate::Store;

/// How many changed rows each dataset's summary shows as examples.
pub(crate) const EXAMPLES_PER_DATASET: usize = 5;

/// What a re-match changed, per dataset (charts, `listens`, `search_interest` and `drama_viewing`)
/// that holds rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RematchSummary {
    pub datasets: BTreeMap<String, DatasetRematch>,
}

impl RematchSummary {
    /// Rows whose song id changed, over every dataset.
    pub fn rows_changed(&self) -> usize {
        self.datasets.values().map(DatasetRematch::rows_changed).sum()
    }
}

/// What a re-match changed in one dataset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatasetRematch {
    pub rows_checked: usize,
    /// Rows that matched no song and now match one.
    pub rows_newly_matched: usize,
    /// Rows that matched a song and now match none.
    pub rows_no_longer_matched: usize,
    /// Rows that matched one song and now match another.
    pub rows_moved: usize,
    /// Part files rewritten with the new song ids; the other parts were left as they were.
    pub parts_rewritten: usize,
    /// A few of the changes, each (title, artist) once.
    pub examples: Vec<RematchExample>,
}

impl DatasetRematch {
    pub fn rows_changed(&self) -> usize {
        self.rows_newly_matched + self.rows_no_longer_matched + self.rows_moved
    }
}

/// One changed (title, artist), or search keyword (with an empty artist): the song (and, for a
/// keyword, the drama) it matched before and the one it matches now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RematchExample {
    pub title: String,
    pub artist: String,
    pub old_song: Option<SongId>,
    pub new_song: Option<SongId>,
    pub old_drama: Option<DramaId>,
    pub new_drama: Option<DramaId>,
}

impl fmt::Display for RematchExample {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |song: &Option<SongId>, drama: &Option<DramaId>| match (song, drama) {
            (None, None) => "(none)".to_string(),
            (Some(song), None) => song.to_string(),
            (None, Some(drama)) => format!("drama {drama}"),
            (Some(song), Some(drama)) => format!("{song} and drama {drama}"),
        };
        let old = name(&self.old_song, &self.old_drama);
        let new = name(&self.new_song, &self.new_drama);
        if self.artist.is_empty() {
            write!(formatter, "{}: {old} -> {new}", self.title)
        } else {
            write!(formatter, "{} / {}: {old} -> {new}", self.title, self.artist)
        }
    }
}

/// The datasets whose rows carry a matched `song_id`, with their title and artist columns.
fn matched_datasets() -> Vec<(&'static str, &'static str, &'static str)> {
    let charts = ChartKind::ALL.iter().map(|chart| (chart.dataset(), "title", "artist"));
    charts.chain([(LISTENS, "track", "artist")]).collect()
}

/// Matches every row of the chart datasets, `listens` and `search_interest` against `catalog`
/// and, for each part in which a song (or a keyword's drama) id changes, writes a new part (named with `generation`) and names it in the
/// manifest instead of the old one, which the commit then retires. Sources and chart issues of a
/// rewritten part are kept.
pub(crate) fn rematch_all(
    store: &Store,
    manifest: &mut Manifest,
    catalog: &Catalog,
    generation: u64,
) -> Result<RematchSummary, StoreError> {
    let matcher = SongMatcher::new(catalog);
    // A song stays on a chart for weeks: each distinct (title, artist) is matched once.
    let mut matched: HashMap<(String, String), Option<SongId>> = HashMap::new();
    let mut summary = RematchSummary::default();
    for (dataset_name, title_column, artist_column) in matched_datasets() {
        rewrite_changed_parts(store, manifest, dataset_name, generation, &mut summary, |batch, report| {
            Rematcher { matcher: &matcher, matched: &mut matched, report }.batch(batch, title_column, artist_column)
        })?;
    }
    crate::rematch_keywords::rematch_keywords(store, manifest, catalog, generation, &mut summary)?;
    crate::rematch_viewing::rematch_viewing(store, manifest, catalog, generation, &mut summary)?;
    Ok(summary)
}

/// Re-matches every part of `dataset_name` (when the store holds it) batch by batch with
/// `rematch_batch`, which answers the batch matched anew and whether a row changed, counting into
/// the dataset's report in `summary`; a part in which a row changed is rewritten as `generation`.
pub(crate) fn rewrite_changed_parts(
    store: &Store,
    manifest: &mut Manifest,
    dataset_name: &str,
    generation: u64,
    summary: &mut RematchSummary,
    mut rematch_batch: impl FnMut(&RecordBatch, &mut DatasetRematch) -> Result<(RecordBatch, bool), StoreError>,
) -> Result<(), StoreError> {
    let Some(dataset) = manifest.datasets.get_mut(dataset_name) else {
        return Ok(());
    };
    if dataset.parts.is_empty() {
        return Ok(());
    }
    let report = summary.datasets.entry(dataset_name.to_string()).or_default();
    for part in &mut dataset.parts {
        let batches = crate::files::read_parquet(&store.root().join(&part.file))?;
        let mut rematched_batches = Vec::with_capacity(batches.len());
        let mut part_changed = false;
        for batch in &batches {
            let (rematched, changed) = rematch_batch(batch, report)?;
            part_changed |= changed;
            rematched_batches.push(rematched);
        }
        let Some(first) = rematched_batches.first().filter(|_| part_changed) else {
            continue;
        };
        let relative = format!("data/{dataset_name}/part-{generation:06}-{:04}.parquet", report.parts_rewritten);
        report.parts_rewritten += 1;
        let whole = concat_batches(&first.schema(), &rematched_batches)?;
        crate::files::write_parquet_atomically(&store.root().join(&relative), &whole)?;
        *part = PartManifest { file: relative, ..part.clone() };
    }
    Ok(())
}

/// Re-matches batches of one dataset, counting into its report.
struct Rematcher<'a> {
    matcher: &'a SongMatcher,
    matched: &'a mut HashMap<(String, String), Option<SongId>>,
    report: &'a mut DatasetRematch,
}

impl Rematcher<'_> {
    /// The batch with its `song_id` column matched anew, and whether any row's song id changed.
    fn batch(
        &mut self,
        batch: &RecordBatch,
        title_column: &str,
        artist_column: &str,
    ) -> Result<(RecordBatch, bool), StoreError> {
        let titles = text_column(batch, title_column)?;
        let artists = text_column(batch, artist_column)?;
        let old_songs = text_column(batch, "song_id")?;
        let mut new_songs: Vec<Option<SongId>> = Vec::with_capacity(batch.num_rows());
        let mut changed = false;
        for row in 0..batch.num_rows() {
            let (title, artist) = (titles.value(row), artists.value(row));
            let matcher = self.matcher;
            let new_song = self
                .matched
                .entry((title.to_string(), artist.to_string()))
                .or_insert_with(|| matcher.match_row(title, artist).song_id().cloned())
                .clone();
            let old_song = (!old_songs.is_null(row)).then(|| SongId::new(old_songs.value(row)));
            self.report.rows_checked += 1;
            if old_song != new_song {
                changed = true;
                self.count_change(title, artist, old_song, &new_song);
            }
            new_songs.push(new_song);
        }
        if !changed {
            return Ok((batch.clone(), false));
        }
        let song_id_position = batch.schema().index_of("song_id")?;
        let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
        let new_column: StringArray = new_songs.iter().map(|song| song.as_ref().map(SongId::as_str)).collect();
        // The stored column may be a view or a large string; the new one keeps its type.
        columns[song_id_position] = cast(&new_column, batch.column(song_id_position).data_type())?;
        Ok((RecordBatch::try_new(batch.schema(), columns)?, true))
    }

    fn count_change(&mut self, title: &str, artist: &str, old_song: Option<SongId>, new_song: &Option<SongId>) {
        match (&old_song, new_song) {
            (None, Some(_)) => self.report.rows_newly_matched += 1,
            (Some(_), None) => self.report.rows_no_longer_matched += 1,
            _ => self.report.rows_moved += 1,
        }
        let examples = &mut self.report.examples;
        let already_shown = examples.iter().any(|example| example.title == title && example.artist == artist);
        if examples.len() < EXAMPLES_PER_DATASET && !already_shown {
            examples.push(RematchExample {
                title: title.to_string(),
                artist: artist.to_string(),
                old_song,
                new_song: new_song.clone(),
                old_drama: None,
                new_drama: None,
            });
        }
    }
}

pub(crate) fn text_column(batch: &RecordBatch, name: &str) -> Result<StringArray, StoreError> {
    let column = batch.column_by_name(name).ok_or_else(|| StoreError::Corrupt {
        path: std::path::PathBuf::from(name),
        reason: format!("a part to re-match has no `{name}` column"),
    })?;
    let converted = cast(column, &DataType::Utf8)?;
    converted.as_any().downcast_ref::<StringArray>().cloned().ok_or_else(|| StoreError::Corrupt {
        path: std::path::PathBuf::from(name),
        reason: format!("the column `{name}` does not hold text"),
    })
}
