//! Running the analytics for one case: every figure a case shows comes from here.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use encore_analytics::airing::{
    airing_response, airings_of, daily_series, Airing, AiringResponse, BASELINE_DAYS, MAX_LAG_DAYS, RESPONSE_DAYS,
};
use encore_analytics::effect::{marketing_table, MarketingRow};
use encore_analytics::longevity::{longevity, Longevity, DEFAULT_SEED, DEFAULT_THRESHOLD, DEFAULT_WINDOW_DAYS};
use encore_analytics::spread::{regional_spread, RegionSpread};
use encore_analytics::{
    dated_song_attention, drama_attention, eclipse, find_peaks, leaderboard, song_attention, year_end_scores,
    EclipseInput, PeakContext, Point,
};
use encore_domain::{Catalog, ChartEntry, Drama, Episode, Event, EventSubject, Song, SongId};

use crate::{Case, LeaderboardRow, Measured};

impl<'a> Case<'a> {
    /// Analyses one song's chart rows against its drama: attention indices, eclipse, peaks,
    /// longevity after the finale, airing response and regional spread.
    /// `entries` must be this song's rows only; `events` those of the song and of its drama.
    pub fn analyse(
        song: &'a Song,
        drama: Option<&'a Drama>,
        episodes: Vec<&'a Episode>,
        events: Vec<&'a Event>,
        entries: Vec<ChartEntry>,
    ) -> Case<'a> {
        let owned_episodes: Vec<Episode> = episodes.iter().map(|episode| (*episode).clone()).collect();
        let owned_events: Vec<Event> = events.iter().map(|event| (*event).clone()).collect();
        let song_index = song_attention(&entries, song.release_date);
        let song_dated = dated_song_attention(&entries, song.release_date);
        let drama_index = drama.map(|drama| drama_attention(drama, &owned_episodes)).unwrap_or_default();
        let song_eclipse = eclipse(&EclipseInput {
            song_id: &song.id,
            drama_id: &song.drama_id,
            premiere: drama.and_then(|drama| drama.premiere),
            finale: drama.and_then(|drama| drama.finale),
            song: &song_index,
            song_dated: &song_dated,
            song_year_end: &year_end_scores(&entries),
            drama: &drama_index,
        });
        let context = PeakContext { song, drama, episodes: &owned_episodes, events: &owned_events };
        let peaks = find_peaks(&entries, &context);
        let finale = drama.and_then(|drama| drama.finale);
        let song_daily = daily_series(&entries);
        let song_longevity = longevity_of(&song_dated, finale);
        let airing = airing_of(&song_daily, &airings_of(episodes.iter().copied()));
        let spread = spread_of(&entries, song.release_date);
        Case {
            slug: song.id.to_string(),
            song,
            drama,
            episodes,
            events,
            entries,
            song_attention: song_index,
            drama_attention: drama_index,
            eclipse: song_eclipse,
            peaks,
            daily_series: song_daily,
            longevity: song_longevity,
            airing,
            spread,
        }
    }
}

fn longevity_of(song_dated: &[Point], finale: Option<NaiveDate>) -> Measured<Longevity> {
    let Some(finale) = finale else {
        return Measured::not_measurable("the drama's finale date is unknown");
    };
    if song_dated.is_empty() {
        return Measured::not_measurable("no daily or weekly chart entries (year-end ranks have no days)");
    }
    if song_dated.last().is_some_and(|point| point.date < finale) {
        return Measured::not_measurable("no daily or weekly chart entries after the finale");
    }
    Measured::Measured(longevity(song_dated, finale, DEFAULT_THRESHOLD, DEFAULT_WINDOW_DAYS, DEFAULT_SEED))
}

/// The airing response, measured only when the daily series has days around the broadcast.
fn airing_of(song_daily: &[Point], airings: &[Airing]) -> Measured<AiringResponse> {
    let (Some(first), Some(last)) =
        (airings.iter().map(|airing| airing.date).min(), airings.iter().map(|airing| airing.date).max())
    else {
        return Measured::not_measurable("no episode air dates in the catalog");
    };
    let from = first - Duration::days(BASELINE_DAYS);
    let to = last + Duration::days(MAX_LAG_DAYS + RESPONSE_DAYS);
    if !song_daily.iter().any(|point| point.date >= from && point.date <= to) {
        return Measured::not_measurable(format!(
            "no daily or weekly chart data during the broadcast ({first} to {last})"
        ));
    }
    match airing_response(song_daily, airings) {
        Some(response) => Measured::Measured(response),
        None => Measured::not_measurable("too few chart days around the air dates for a baseline and a response"),
    }
}

fn spread_of(entries: &[ChartEntry], release: Option<NaiveDate>) -> Measured<Vec<RegionSpread>> {
    let spread = regional_spread(entries, release);
    if spread.is_empty() {
        return Measured::not_measurable("no chart entries");
    }
    Measured::Measured(spread)
}

/// The marketing table over the cases: each case's song events (release, music video, viral
/// trend, remix) with the lift measured on the songs' daily series. Events of songs without a
/// case (no chart rows) are not in it.
pub fn marketing_rows(cases: &[Case<'_>]) -> Vec<MarketingRow> {
    let events: Vec<Event> = cases
        .iter()
        .flat_map(|case| {
            let subject = EventSubject::Song(case.song.id.clone());
            case.events.iter().filter(move |event| event.subject == subject).map(|event| (*event).clone())
        })
        .collect();
    let daily: BTreeMap<SongId, Vec<Point>> = cases
        .iter()
        .filter(|case| !case.daily_series.is_empty())
        .map(|case| (case.song.id.clone(), case.daily_series.clone()))
        .collect();
    marketing_table(&events, &daily)
}

/// Every catalog song with chart rows, analysed, and the leaderboard over them.
#[derive(Debug, Clone)]
pub struct Analysis<'a> {
    /// One case per song with matched chart rows, in song id order.
    pub cases: Vec<Case<'a>>,
    /// Highest eclipse score first.
    pub leaderboard: Vec<LeaderboardRow>,
}

/// Analyses each catalog song that `entries` (chart rows of any songs) match. Rows naming a song
/// the catalog does not hold are left out.
pub fn analyse_catalog(catalog: &Catalog, entries: Vec<ChartEntry>) -> Analysis<'_> {
    let mut by_song: BTreeMap<SongId, Vec<ChartEntry>> = BTreeMap::new();
    for entry in entries {
        if let Some(song_id) = entry.song_id.clone() {
            by_song.entry(song_id).or_default().push(entry);
        }
    }
    let mut cases = Vec::new();
    for (song_id, song_entries) in by_song {
        let Some(song) = catalog.song(&song_id) else {
            continue;
        };
        let episodes: Vec<&Episode> = catalog.episodes_of(&song.drama_id).collect();
        let events: Vec<&Event> =
            catalog.events_of_song(&song.id).chain(catalog.events_of_drama(&song.drama_id)).collect();
        cases.push(Case::analyse(song, catalog.drama(&song.drama_id), episodes, events, song_entries));
    }
    let ranked = leaderboard(cases.iter().map(|case| case.eclipse.clone()).collect());
    let rows = ranked
        .into_iter()
        .filter_map(|song_eclipse| {
            let song = catalog.song(&song_eclipse.song_id)?;
            let drama =
                catalog.drama(&song.drama_id).map(|drama| drama.display_title().to_string()).unwrap_or_default();
            Some((song, drama, song_eclipse))
        })
        .enumerate()
        .map(|(position, (song, drama, song_eclipse))| LeaderboardRow {
            rank: position + 1,
            song: song.display_title().to_string(),
            artists: song.artists.join(", "),
            drama,
            case_slug: Some(song.id.to_string()),
            eclipse: song_eclipse,
        })
        .collect();
    Analysis { cases, leaderboard: rows }
}
