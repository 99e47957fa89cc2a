//! What the server knows, loaded once at start and again after each write: the catalog, the
//! analysis (the marketing table included), and every read answer already encoded as JSON, so a
//! read is a lookup and a copy.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::body::Bytes;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use encore_analytics::campaign::campaign;
use encore_analytics::checklist::{checklist_outcomes, song_checklists, SongChecklist};
use encore_analytics::{analyse_catalog, AttentionBasis, Case};
use encore_domain::{Catalog, ChartEntry, DramaViewing, SongId, SongLyric};
use encore_lyrics::{catalog_song_motifs, CatalogSongMotifs};
use encore_report::campaign_figure::campaign_svg;
use encore_report::campaign_json::campaign_json;
use encore_report::checklist_json::{checklist_json, song_checklist_json};
use encore_store::{QueryLimits, Store};

use crate::error::ServerError;
use crate::marketing::marketing_views;
use crate::sql_json::batches_to_rows;
use crate::views::{event_view, leaderboard_view, song_detail, song_summary, DramaDetail, DramaSummary, SongSummary};

/// Charts and regions in the store, every row counted, matched or not.
const REGIONS_QUERY: &str = "SELECT chart, region, COUNT(*) AS chart_rows, \
     SUM(CASE WHEN song_id IS NOT NULL AND song_id <> '' THEN 1 ELSE 0 END) AS matched_rows, \
     MIN(chart_date) AS first_date, MAX(chart_date) AS last_date \
     FROM chart_entries GROUP BY chart, region ORDER BY chart, region";

/// The encoded answers of every read endpoint.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub catalog: Catalog,
    pub dramas: Bytes,
    pub drama_by_id: HashMap<String, Bytes>,
    pub songs: Bytes,
    pub song_by_id: HashMap<String, Bytes>,
    pub leaderboard: Bytes,
    pub regions: Bytes,
    /// The marketing table, and each catalog song's rows of it (an empty list for most).
    pub marketing: Bytes,
    pub marketing_by_song: HashMap<String, Bytes>,
    pub status: Bytes,
    /// The creator's checklist of every song with the outcome table, and each song's checklist.
    pub checklist: Bytes,
    pub checklist_by_song: HashMap<String, Bytes>,
    /// Each drama's campaign timeline as JSON and as an SVG figure.
    pub timeline_by_drama: HashMap<String, Timeline>,
    /// The motifs of each catalog song whose lyric was read (the checklist's and the
    /// recommender's).
    pub song_motifs: BTreeMap<SongId, CatalogSongMotifs>,
    /// The store's manifest generation the snapshot was read at: the listener answers are cached
    /// under it, so a write (which loads a new snapshot) makes them be computed afresh.
    pub generation: u64,
}

/// One drama's campaign timeline, encoded.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub json: Bytes,
    /// The figure, or why there is none (a drama with nothing dated to draw).
    pub svg: Result<Bytes, String>,
}

#[derive(Serialize)]
struct RegionView {
    #[serde(flatten)]
    totals: Value,
    /// Catalog songs on this chart and region, by the day they first appeared.
    songs: Vec<RegionSong>,
}

#[derive(Serialize)]
struct RegionSong {
    song_id: String,
    title: String,
    drama: String,
    first_chart_date: NaiveDate,
    best_rank: u32,
    chart_rows: usize,
}

/// Reads the store's catalog and matched rows, and analyses them off the runtime; `lyrics` are the
/// chart lyrics the checklist's motifs item reads (none: no song has data on it).
pub async fn load(store: &Store, lyrics: Arc<Vec<SongLyric>>) -> Result<Snapshot, ServerError> {
    let reader = store.clone();
    let catalog = tokio::task::spawn_blocking(move || reader.catalog()).await??.ok_or_else(|| {
        ServerError::BadRequest(format!(
            "the store at {} holds no catalog: load one with `encore catalog`",
            store.root().display()
        ))
    })?;
    let entries = store.analysis_chart_entries().await?;
    let viewing = store.matched_drama_viewing().await?;
    let region_batches = store.sql(REGIONS_QUERY, QueryLimits::unbounded()).await?;
    let region_totals = batches_to_rows(&region_batches)?;
    let generation = store.manifest()?.generation;
    tokio::task::spawn_blocking(move || Snapshot::build(catalog, entries, viewing, region_totals, &lyrics, generation))
        .await?
}

impl Snapshot {
    /// Analyses the catalog against its chart rows (and its dramas' Netflix viewing) and encodes
    /// every read answer.
    pub fn build(
        catalog: Catalog,
        entries: Vec<ChartEntry>,
        viewing: Vec<DramaViewing>,
        region_totals: Vec<Value>,
        lyrics: &[SongLyric],
        generation: u64,
    ) -> Result<Snapshot, ServerError> {
        let analysis = analyse_catalog(&catalog, entries, &viewing);
        let song_motifs = catalog_song_motifs(&catalog, lyrics);
        let checklists = song_checklists(&catalog, &analysis, &song_motifs);
        let outcomes = checklist_outcomes(&checklists, &analysis);
        let every_checklist: Vec<&SongChecklist> = checklists.iter().collect();
        let checklist = Bytes::from(serde_json::to_vec(&checklist_json(&every_checklist, &outcomes))?);
        let mut checklist_by_song = HashMap::new();
        for song_checklist in &checklists {
            checklist_by_song.insert(
                song_checklist.song_id.to_string(),
                Bytes::from(serde_json::to_vec(&song_checklist_json(song_checklist))?),
            );
        }
        let mut timeline_by_drama = HashMap::new();
        for drama in &catalog.dramas {
            if let Some(timeline) = campaign(&catalog, &analysis, &drama.id) {
                let svg = campaign_svg(&timeline).map(Bytes::from).map_err(|error| error.to_string());
                let json = Bytes::from(serde_json::to_vec(&campaign_json(&timeline))?);
                timeline_by_drama.insert(drama.id.to_string(), Timeline { json, svg });
            }
        }
        let mut song_by_id = HashMap::new();
        let mut summaries: Vec<SongSummary> = Vec::new();
        for song in &catalog.songs {
            let case = analysis.case(&song.id);
            let rank = analysis.leaderboard_rank(&song.id);
            summaries.push(song_summary(&catalog, song, case, rank));
            let detail = song_detail(&catalog, song, case, rank);
            song_by_id.insert(song.id.to_string(), Bytes::from(serde_json::to_vec(&detail)?));
        }

        let mut drama_by_id = HashMap::new();
        let mut drama_list = Vec::new();
        for drama in &catalog.dramas {
            let ost: Vec<SongSummary> =
                summaries.iter().filter(|song| song.drama_id == drama.id.as_str()).cloned().collect();
            let summary = DramaSummary {
                drama: drama.clone(),
                title: drama.display_title().to_string(),
                songs: ost.len(),
                songs_on_charts: ost.iter().filter(|song| song.chart_rows > 0).count(),
            };
            let drama_attention = analysis.drama_attention.get(&drama.id).cloned().unwrap_or_default();
            let drama_attention_basis =
                analysis.drama_attention_basis.get(&drama.id).copied().unwrap_or(AttentionBasis::AssumedOnAir);
            let detail = DramaDetail {
                summary: summary.clone(),
                episodes: catalog.episodes_of(&drama.id).cloned().collect(),
                events: catalog.events_of_drama(&drama.id).map(event_view).collect(),
                ost,
                drama_attention,
                drama_attention_basis,
            };
            drama_by_id.insert(drama.id.to_string(), Bytes::from(serde_json::to_vec(&detail)?));
            drama_list.push(summary);
        }

        let leaderboard: Vec<_> = analysis.leaderboard.iter().map(leaderboard_view).collect();
        let regions = region_views(&analysis.cases, region_totals);
        let (marketing, mut marketing_rows_by_song) = marketing_views(&catalog, &analysis.marketing);
        let mut marketing_by_song = HashMap::new();
        for song in &catalog.songs {
            let rows = marketing_rows_by_song.remove(song.id.as_str()).unwrap_or_default();
            marketing_by_song.insert(song.id.to_string(), Bytes::from(serde_json::to_vec(&rows)?));
        }
        let status = serde_json::json!({
            "store_generation": generation,
            "dramas": catalog.dramas.len(),
            "songs": catalog.songs.len(),
            "songs_on_charts": analysis.cases.len(),
            "events": catalog.events.len(),
        });
        Ok(Snapshot {
            catalog,
            dramas: Bytes::from(serde_json::to_vec(&drama_list)?),
            drama_by_id,
            songs: Bytes::from(serde_json::to_vec(&summaries)?),
            song_by_id,
            leaderboard: Bytes::from(serde_json::to_vec(&leaderboard)?),
            regions: Bytes::from(serde_json::to_vec(&regions)?),
            marketing: Bytes::from(serde_json::to_vec(&marketing)?),
            marketing_by_song,
            status: Bytes::from(serde_json::to_vec(&status)?),
            checklist,
            checklist_by_song,
            timeline_by_drama,
            song_motifs,
            generation,
        })
    }
}

/// Per chart and region: the store's totals, and each catalog song's first day there.
fn region_views(cases: &[Case<'_>], region_totals: Vec<Value>) -> Vec<RegionView> {
    let mut songs: BTreeMap<(String, String), Vec<RegionSong>> = BTreeMap::new();
    for case in cases {
        let mut firsts: BTreeMap<(String, String), RegionSong> = BTreeMap::new();
        for entry in &case.entries {
            let key = (entry.chart.dataset().to_string(), entry.region.clone());
            let song = firsts.entry(key).or_insert_with(|| RegionSong {
                song_id: case.song.id.to_string(),
                title: case.song.display_title().to_string(),
                drama: case.drama.map(|drama| drama.display_title().to_string()).unwrap_or_default(),
                first_chart_date: entry.chart_date,
                best_rank: entry.rank,
                chart_rows: 0,
            });
            song.first_chart_date = song.first_chart_date.min(entry.chart_date);
            song.best_rank = song.best_rank.min(entry.rank);
            song.chart_rows += 1;
        }
        for (key, song) in firsts {
            songs.entry(key).or_default().push(song);
        }
    }
    region_totals
        .into_iter()
        .map(|totals| {
            let key = (text_field(&totals, "chart"), text_field(&totals, "region"));
            let mut region_songs = songs.remove(&key).unwrap_or_default();
            region_songs.sort_by(|left, right| {
                left.first_chart_date.cmp(&right.first_chart_date).then(left.song_id.cmp(&right.song_id))
            });
            RegionView { totals, songs: region_songs }
        })
        .collect()
}

fn text_field(row: &Value, name: &str) -> String {
    row.get(name).and_then(Value::as_str).unwrap_or_default().to_string()
}
