//! Marketing effect: the lift of one move (a pre-release single, a music video, a challenge, a
//! remix) on a song's daily series, against a counterfactual of what the song would have done.
//!
//! Method, on the log scale (a lift reads as a ratio; days without a positive value are skipped):
//! - own pre-period: the counterfactual of the [`POST_DAYS`] days from the event on is the mean log
//!   value of the [`PRE_DAYS`] days before it (a local level);
//! - comparable songs (synthetic control, Abadie et al.): an intercept and weights on the
//!   comparable songs' log series, non-negative and summing to 1 (so noise in the comparables does
//!   not shrink the weights), fitted by projected gradient descent on the whole pre-period (up to
//!   [`HISTORY_DAYS`] days); the counterfactual is that combination after the event;
//! - lift: `exp(mean log observed − mean log counterfactual) − 1` over the post window;
//! - interval (95 %), by placebo: the same estimator run on every placebo event date inside the
//!   pre-period, where the true lift is 0, gives errors; their root mean square (around 0, so a
//!   drift counts) is the standard error, and the interval is `estimate ± t × RMS` on the log
//!   scale, `t` the 97.5th percentile of Student's t with one degree of freedom less than the
//!   number of non-overlapping placebo windows (the overlapping windows are not independent: a
//!   120-day pre-period holds about four 28-day ones, so `t` is about 3.2, not 1.96). A synthetic control's placebo is fitted only on the days before its date, as the
//!   real one is. Fewer than [`MIN_PLACEBOS`] placebo dates: no interval.
//! - a song younger than the pre-period (a pre-release single ten days out when its drama
//!   premieres) is compared with the songs of its age on a daily chart instead
//!   ([`crate::peers`]), when the chart rows of every song are at hand.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use encore_domain::{Catalog, ChartKind, Event, EventKind, EventSubject, PartialDate, SongId};

use crate::attention::Point;
use crate::effect_path::{effect_path, Control, Window};
use crate::peers::DailyPanel;

pub const PRE_DAYS: usize = 28;
pub const POST_DAYS: usize = 28;
pub const HISTORY_DAYS: usize = 180;
pub const MIN_PLACEBOS: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Counterfactual {
    OwnPrePeriod,
    ComparableSongs,
    SongsOfTheSameAge,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Lift {
    pub counterfactual: Counterfactual,
    /// Relative lift: 0.35 is +35 %.
    pub estimate: f64,
    /// 95 % placebo interval.
    pub interval: Option<(f64, f64)>,
    pub placebos: usize,
    /// The daily chart the song was compared on, for [`Counterfactual::SongsOfTheSameAge`].
    pub chart: Option<ChartKind>,
}

impl Lift {
    /// What the lift was measured against, for people: "against its own pre-period".
    pub fn against(&self) -> String {
        match (self.counterfactual, self.chart) {
            (Counterfactual::OwnPrePeriod, _) => "against its own pre-period".to_string(),
            (Counterfactual::ComparableSongs, _) => "against comparable songs".to_string(),
            (Counterfactual::SongsOfTheSameAge, Some(chart)) => {
                format!("against {} songs of the same age on {}", self.placebos, chart.display_name())
            }
            (Counterfactual::SongsOfTheSameAge, None) => {
                format!("against {} songs of the same age", self.placebos)
            }
        }
    }
}

/// The lift of an event on day `event` of `series` from the song's own pre-period.
pub fn lift_from_own_pre_period(series: &[f64], event: usize) -> Option<Lift> {
    effect_path(series, Control::OwnPrePeriod, event, Window::default()).ok().map(|path| path.lift)
}

/// The lift of an event on day `event` of `series` against a synthetic control built from
/// `comparables` (series on the same days).
pub fn lift_from_comparables(series: &[f64], comparables: &[Vec<f64>], event: usize) -> Option<Lift> {
    if comparables.is_empty() {
        return None;
    }
    effect_path(series, Control::Comparables(comparables), event, Window::default()).ok().map(|path| path.lift)
}

/// The 97.5th percentile of Student's t with `degrees` degrees of freedom (at least 1).
pub(crate) fn student_t_975(degrees: usize) -> f64 {
    const TABLE: [f64; 10] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];
    match degrees {
        0 | 1 => TABLE[0],
        2..=10 => TABLE[degrees - 1],
        11..=30 => 2.042 + (2.228 - 2.042) * (30 - degrees) as f64 / 20.0,
        _ => 1.96,
    }
}

/// One row of the marketing table: approach | example | measured lift.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarketingRow {
    pub approach: &'static str,
    pub kind: EventKind,
    pub song_id: SongId,
    pub date: NaiveDate,
    pub detail: String,
    /// `None` when no daily series covers the event with a pre-period.
    pub lift: Option<Lift>,
    /// Why there is no lift, or no interval; `None` when both are there.
    pub reason: Option<String>,
}

/// Why a row has no lift or no interval, for people: `has_series` tells whether the song has a
/// daily series at all.
fn reason_of(lift: Option<&Lift>, has_series: bool) -> Option<String> {
    match lift {
        None if has_series => Some(format!(
            "not measurable: the song's daily series does not cover the {PRE_DAYS} days before and {POST_DAYS} days \
             from the date"
        )),
        None => Some("not measurable: the song has no daily or weekly chart series".to_string()),
        Some(lift) if lift.interval.is_none() => {
            Some(format!("no interval: {} placebo dates in the pre-period, {MIN_PLACEBOS} needed", lift.placebos))
        }
        Some(_) => None,
    }
}

/// The marketing moves Encore measures, and what the table calls them.
pub fn approach_of(kind: EventKind) -> Option<&'static str> {
    match kind {
        EventKind::Release => Some("pre-release single / release"),
        EventKind::MusicVideo => Some("music video"),
        EventKind::ViralTrend => Some("challenge / viral trend"),
        EventKind::RemixRelease => Some("remix / acoustic version"),
        _ => None,
    }
}

/// A drama's premiere as a move for each of its songs released before it (the pre-release
/// mechanism: a song out ahead of the drama is lifted when the drama starts), as events of the
/// song dated on the premiere, so the marketing table measures them with the other releases.
pub fn premiere_moves(catalog: &Catalog) -> Vec<Event> {
    catalog
        .songs
        .iter()
        .filter_map(|song| {
            let drama = catalog.drama(&song.drama_id)?;
            let premiere = drama.premiere?;
            let release = song.release_date?;
            let days = (premiere - release).num_days();
            (days > 0).then(|| Event {
                subject: EventSubject::Song(song.id.clone()),
                date: Some(PartialDate::Day(premiere)),
                kind: EventKind::Release,
                detail: format!(
                    "{} premiere, {days} day{} after the song's release",
                    drama.display_title(),
                    if days == 1 { "" } else { "s" }
                ),
                value: None,
                source: drama.source.clone(),
            })
        })
        .collect()
}

/// The marketing table from catalog events of songs and the songs' daily series (`daily`: one
/// point per day, days off the chart absent). A song younger than [`PRE_DAYS`] at the move is
/// compared with the songs of its age on a chart of `panel`; otherwise comparable songs are the
/// other songs of `daily` that cover the event's whole window; with none, the song's own
/// pre-period is used.
pub fn marketing_table(
    events: &[Event],
    daily: &BTreeMap<SongId, Vec<Point>>,
    panel: &DailyPanel,
) -> Vec<MarketingRow> {
    let mut rows = Vec::new();
    for event in events {
        let (Some(approach), EventSubject::Song(song_id), Some(date)) =
            (approach_of(event.kind), &event.subject, event.date.and_then(|date| date.as_day()))
        else {
            continue;
        };
        let first = date - Duration::days(HISTORY_DAYS as i64);
        let aligned = |points: &[Point]| -> Vec<f64> {
            let by_day: BTreeMap<NaiveDate, f64> = points.iter().map(|point| (point.date, point.value)).collect();
            (0..(HISTORY_DAYS + POST_DAYS) as i64)
                .map(|offset| by_day.get(&(first + Duration::days(offset))).copied().unwrap_or(0.0))
                .collect()
        };
        let young = daily
            .get(song_id)
            .and_then(|points| points.first())
            .is_some_and(|first| first.date > date - Duration::days(PRE_DAYS as i64));
        let by_age = young.then(|| panel.lift_against_songs_of_the_same_age(song_id, date)).flatten();
        let by_series = || {
            daily.get(song_id).and_then(|points| {
                let own = aligned(points);
                let comparables: Vec<Vec<f64>> = daily
                    .iter()
                    .filter(|(other, _)| *other != song_id)
                    .map(|(_, points)| aligned(points))
                    .filter(|series| series.iter().all(|value| *value > 0.0))
                    .collect();
                let by_comparables = (!comparables.is_empty())
                    .then(|| lift_from_comparables(&own, &comparables, HISTORY_DAYS))
                    .flatten();
                by_comparables.or_else(|| lift_from_own_pre_period(&own, HISTORY_DAYS))
            })
        };
        let lift = by_age.or_else(by_series);
        let reason = reason_of(lift.as_ref(), daily.contains_key(song_id));
        rows.push(MarketingRow {
            approach,
            kind: event.kind,
            song_id: song_id.clone(),
            date,
            detail: event.detail.clone(),
            lift,
            reason,
        });
    }
    rows.sort_by(|left, right| (left.approach, left.date).cmp(&(right.approach, right.date)));
    rows
}

#[cfg(test)]
#[path = "effect_tests.rs"]
mod tests;
