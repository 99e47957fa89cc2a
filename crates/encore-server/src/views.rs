//! The JSON shapes the API answers with, built from the catalog and the analysed cases. They own
//! their data, so a snapshot outlives the analysis that made it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use encore_analytics::{AttentionBasis, Case, Eclipse, LeaderboardRow, Peak, Point};
use encore_domain::{Catalog, ChartEntry, Drama, Episode, Event, EventSubject, Song};

/// A song in lists: who, which drama, and the headline numbers.
#[derive(Debug, Clone, Serialize)]
pub struct SongSummary {
    pub id: String,
    pub title: String,
    pub title_en: String,
    pub title_ko: String,
    pub artists: Vec<String>,
    pub drama_id: String,
    pub drama: String,
    pub ost_part: Option<u32>,
    pub release_date: Option<NaiveDate>,
    pub chart_rows: usize,
    pub first_chart_date: Option<NaiveDate>,
    pub best_rank: Option<u32>,
    pub peaks: usize,
    pub eclipse_score: Option<f64>,
    pub crossover: Option<String>,
    pub leaderboard_rank: Option<usize>,
}

/// A drama in lists.
#[derive(Debug, Clone, Serialize)]
pub struct DramaSummary {
    #[serde(flatten)]
    pub drama: Drama,
    pub title: String,
    pub songs: usize,
    pub songs_on_charts: usize,
}

/// One drama with its episodes, events, OST parts and attention index.
#[derive(Debug, Clone, Serialize)]
pub struct DramaDetail {
    #[serde(flatten)]
    pub summary: DramaSummary,
    pub episodes: Vec<Episode>,
    pub events: Vec<EventView>,
    pub ost: Vec<SongSummary>,
    pub drama_attention: Vec<Point>,
    /// What the index is measured from: `ratings`, `netflix_hours_viewed` or `assumed_on_air`.
    pub drama_attention_basis: AttentionBasis,
}

/// A catalog event with its date as days a chart can mark.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub subject: String,
    pub kind: String,
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    pub detail: String,
    pub value: Option<i64>,
    pub source: String,
}

/// One chart and region of a song: its positions over time.
#[derive(Debug, Clone, Serialize)]
pub struct ChartSeries {
    pub chart: String,
    pub chart_name: String,
    pub region: String,
    pub chart_size: u32,
    /// `[date, rank, streams]` per chart issue, oldest first.
    pub points: Vec<(NaiveDate, u32, Option<u64>)>,
}

/// A peak with its one-line description for people.
#[derive(Debug, Clone, Serialize)]
pub struct PeakView {
    pub description: String,
    pub chart_name: String,
    #[serde(flatten)]
    pub peak: Peak,
}

/// Everything about one song: the song page's data.
#[derive(Debug, Clone, Serialize)]
pub struct SongDetail {
    #[serde(flatten)]
    pub summary: SongSummary,
    pub song: Song,
    pub drama_detail: Option<Drama>,
    pub episodes: Vec<Episode>,
    pub events: Vec<EventView>,
    pub series: Vec<ChartSeries>,
    pub song_attention: Vec<Point>,
    pub drama_attention: Vec<Point>,
    /// What the drama's index is measured from; `None` for a song without chart rows.
    pub drama_attention_basis: Option<AttentionBasis>,
    pub eclipse: Option<Eclipse>,
    pub peak_list: Vec<PeakView>,
}

/// A leaderboard row with the ids a client links with.
#[derive(Debug, Clone, Serialize)]
pub struct LeaderboardView {
    pub rank: usize,
    pub song_id: Option<String>,
    pub song: String,
    pub artists: String,
    pub drama: String,
    pub crossover: Option<String>,
    pub eclipse: Eclipse,
}

pub fn event_view(event: &Event) -> EventView {
    let subject = match &event.subject {
        EventSubject::Song(id) => format!("song:{id}"),
        EventSubject::Drama(id) => format!("drama:{id}"),
    };
    EventView {
        subject,
        kind: event.kind.as_str().to_string(),
        first_day: event.date.map(|date| date.first_day()),
        last_day: event.date.map(|date| date.last_day()),
        detail: event.detail.clone(),
        value: event.value,
        source: event.source.clone(),
    }
}

pub fn leaderboard_view(row: &LeaderboardRow) -> LeaderboardView {
    LeaderboardView {
        rank: row.rank,
        song_id: Some(row.song_id.to_string()),
        song: row.song.clone(),
        artists: row.artists.clone(),
        drama: row.drama.clone(),
        crossover: row.eclipse.crossover_text(),
        eclipse: row.eclipse.clone(),
    }
}

pub fn song_summary(
    catalog: &Catalog,
    song: &Song,
    case: Option<&Case<'_>>,
    leaderboard_rank: Option<usize>,
) -> SongSummary {
    let drama = catalog.drama(&song.drama_id).map(|drama| drama.display_title().to_string()).unwrap_or_default();
    let entries: &[ChartEntry] = case.map(|case| case.entries.as_slice()).unwrap_or_default();
    SongSummary {
        id: song.id.to_string(),
        title: song.display_title().to_string(),
        title_en: song.title_en.clone(),
        title_ko: song.title_ko.clone(),
        artists: song.artists.clone(),
        drama_id: song.drama_id.to_string(),
        drama,
        ost_part: song.ost_part,
        release_date: song.release_date,
        chart_rows: entries.len(),
        first_chart_date: entries.iter().map(|entry| entry.chart_date).min(),
        best_rank: entries.iter().map(|entry| entry.rank).min(),
        peaks: case.map(|case| case.peaks.len()).unwrap_or(0),
        eclipse_score: case.map(|case| case.eclipse.score),
        crossover: case.and_then(|case| case.eclipse.crossover_text()),
        leaderboard_rank,
    }
}

pub fn song_detail(
    catalog: &Catalog,
    song: &Song,
    case: Option<&Case<'_>>,
    leaderboard_rank: Option<usize>,
) -> SongDetail {
    let events =
        catalog.events_of_song(&song.id).chain(catalog.events_of_drama(&song.drama_id)).map(event_view).collect();
    SongDetail {
        summary: song_summary(catalog, song, case, leaderboard_rank),
        song: song.clone(),
        drama_detail: catalog.drama(&song.drama_id).cloned(),
        episodes: catalog.episodes_of(&song.drama_id).cloned().collect(),
        events,
        series: case.map(|case| chart_series(&case.entries)).unwrap_or_default(),
        song_attention: case.map(|case| case.song_attention.clone()).unwrap_or_default(),
        drama_attention: case.map(|case| case.drama_attention.clone()).unwrap_or_default(),
        drama_attention_basis: case.map(|case| case.drama_attention_basis),
        eclipse: case.map(|case| case.eclipse.clone()),
        peak_list: case
            .map(|case| {
                case.peaks
                    .iter()
                    .map(|peak| PeakView {
                        description: peak.describe(),
                        chart_name: peak.chart.display_name().to_string(),
                        peak: peak.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// A song's rows grouped by chart and region, each group oldest first.
pub fn chart_series(entries: &[ChartEntry]) -> Vec<ChartSeries> {
    let mut groups: BTreeMap<(String, String), ChartSeries> = BTreeMap::new();
    for entry in entries {
        let chart = entry.chart.dataset().to_string();
        let series = groups.entry((chart.clone(), entry.region.clone())).or_insert_with(|| ChartSeries {
            chart,
            chart_name: entry.chart.display_name().to_string(),
            region: entry.region.clone(),
            chart_size: entry.chart.size(),
            points: Vec::new(),
        });
        series.points.push((entry.chart_date, entry.rank, entry.streams));
    }
    let mut series: Vec<ChartSeries> = groups.into_values().collect();
    for group in &mut series {
        group.points.sort_by_key(|point| point.0);
    }
    series
}
