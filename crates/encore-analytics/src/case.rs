//! One case: a song and its drama, with every analysis Encore runs on them. The report, the
//! server and `encore analyze` all show this one result.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use encore_domain::{ChartEntry, Drama, DramaViewing, Episode, Event, Song};

use crate::airing::{
    airing_response, airings_of, daily_series, Airing, AiringResponse, BASELINE_DAYS, MAX_LAG_DAYS, RESPONSE_DAYS,
};
use crate::longevity::{longevity, Longevity, DEFAULT_SEED, DEFAULT_THRESHOLD, DEFAULT_WINDOW_DAYS};
use crate::spread::{regional_spread, RegionSpread};
use crate::{
    dated_song_attention, drama_attention, eclipse, find_peaks, song_attention, year_end_scores, AttentionBasis,
    Eclipse, EclipseInput, Peak, PeakContext, Point,
};

/// One song and its drama, with everything the analytics found about them.
#[derive(Debug, Clone)]
pub struct Case<'a> {
    pub song: &'a Song,
    pub drama: Option<&'a Drama>,
    pub episodes: Vec<&'a Episode>,
    /// Events of the song and of its drama.
    pub events: Vec<&'a Event>,
    /// This song's chart rows, all charts and regions.
    pub entries: Vec<ChartEntry>,
    pub song_attention: Vec<Point>,
    pub drama_attention: Vec<Point>,
    /// What the drama's index is measured from (ratings, Netflix viewing, or assumed).
    pub drama_attention_basis: AttentionBasis,
    pub eclipse: Eclipse,
    pub peaks: Vec<Peak>,
    /// The series event studies use: Spotify Korea daily streams, else the dated chart index.
    pub daily_series: Vec<Point>,
    /// Decay after the finale, half-life with its interval, days above the threshold, re-entries.
    pub longevity: Measured<Longevity>,
    /// How the song moved on and after each episode's air date.
    pub airing: Measured<AiringResponse>,
    /// First chart day per region, lag from Korea and share of attention, earliest first.
    pub spread: Measured<Vec<RegionSpread>>,
}

/// An analysis's result, or why this case's data cannot give one. In JSON, the result itself or
/// `{"not_measurable": "<reason>"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Measured<T> {
    Measured(T),
    NotMeasurable { not_measurable: String },
}

impl<T> Measured<T> {
    pub fn not_measurable(reason: impl Into<String>) -> Measured<T> {
        Measured::NotMeasurable { not_measurable: reason.into() }
    }

    pub fn value(&self) -> Option<&T> {
        match self {
            Measured::Measured(value) => Some(value),
            Measured::NotMeasurable { .. } => None,
        }
    }
}

impl<'a> Case<'a> {
    /// Analyses one song's chart rows against its drama: attention indices, eclipse, peaks,
    /// longevity after the finale, airing response and regional spread.
    /// `entries` must be this song's rows only; `viewing` and `events` those of its drama (and
    /// the song's events).
    pub fn analyse(
        song: &'a Song,
        drama: Option<&'a Drama>,
        episodes: Vec<&'a Episode>,
        viewing: &[DramaViewing],
        events: Vec<&'a Event>,
        entries: Vec<ChartEntry>,
    ) -> Case<'a> {
        let owned_episodes: Vec<Episode> = episodes.iter().map(|episode| (*episode).clone()).collect();
        let owned_events: Vec<Event> = events.iter().map(|event| (*event).clone()).collect();
        let song_index = song_attention(&entries, song.release_date);
        let song_dated = dated_song_attention(&entries, song.release_date);
        let (drama_index, drama_basis) = match drama.map(|drama| drama_attention(drama, &owned_episodes, viewing)) {
            Some(attention) => (attention.points, attention.basis),
            None => (Vec::new(), AttentionBasis::AssumedOnAir),
        };
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
            song,
            drama,
            episodes,
            events,
            entries,
            song_attention: song_index,
            drama_attention: drama_index,
            drama_attention_basis: drama_basis,
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
