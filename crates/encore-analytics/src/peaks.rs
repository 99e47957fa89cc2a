//! Primary and secondary peaks of a song's chart series, each with its likely cause.
//!
//! Method, for each chart (and region) a song appears on:
//! 1. Runs: consecutive chart issues with the song, split where the song is absent for longer than
//!    [`max_gap`] (two weeks of a daily chart, eight weeks of a weekly one, more than a year of a
//!    year-end one).
//! 2. Peaks: the best position of each run, plus any local best inside a run whose prominence (its
//!    score above the higher of the troughs separating it from better positions, on the 0-100 scale
//!    of [`crate::attention::rank_score`]) reaches [`MIN_PROMINENCE`]. The highest-scoring peak of
//!    all charts is primary, the others secondary.
//! 3. Phase: a run that starts within a year of the song's release (or, with no known release, of
//!    its first chart day) is the original run; a later one is a revival.
//! 4. Cause: the catalog events that can move attention (release, music video, viral trend, live
//!    performance, remix, anniversary), the drama's premiere, episode airings and finale, and the
//!    yearly anniversaries of the song's release and of the drama's premiere and finale. The cause
//!    is the one nearest the rise (the lowest point before the peak, back to the run's first day or a
//!    better position)
//!    within [`LOOKBACK_DAYS`] before it and the first chart period after it; a cause after the rise
//!    counts double distance, since causes come first. None there: "unexplained".

use std::fmt;

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::Serialize;

use encore_domain::dates::whole_years_between;
use encore_domain::{ChartEntry, ChartKind, ChartPeriod, Drama, Episode, Event, EventKind, EventSubject, Song};

use crate::attention::{covered_days_since_release, rank_score};

/// How far before a rise an event may lie and still explain it.
pub const LOOKBACK_DAYS: i64 = 60;
/// The least prominence, in index points, of a peak inside a run.
pub const MIN_PROMINENCE: f64 = 25.0;
/// How long a song of a chart with a run before it can be not found and still be in the same run.
pub fn max_gap(period: ChartPeriod) -> Duration {
    match period {
        ChartPeriod::Day => Duration::days(14),
        ChartPeriod::Week => Duration::weeks(8),
        ChartPeriod::Year => Duration::days(400),
    }
}

/// What is known around a song: the catalog facts causes are looked for in.
#[derive(Debug, Clone, Copy)]
pub struct PeakContext<'a> {
    pub song: &'a Song,
    pub drama: Option<&'a Drama>,
    pub episodes: &'a [Episode],
    /// Events of the song and of its drama.
    pub events: &'a [Event],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Prominence {
    Primary,
    Secondary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    OriginalRun,
    Revival,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Season {
    Winter,
    Spring,
    Summer,
    Autumn,
}

impl Season {
    /// The meteorological season of the northern hemisphere, where Korea is.
    pub fn of(date: NaiveDate) -> Season {
        match date.month() {
            12 | 1 | 2 => Season::Winter,
            3..=5 => Season::Spring,
            6..=8 => Season::Summer,
            _ => Season::Autumn,
        }
    }
}

/// The kinds of cause, in the order that breaks a tie between causes on the same day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CauseKind {
    Release,
    Premiere,
    Finale,
    Airing,
    Remix,
    MusicVideo,
    ViralTrend,
    LivePerformance,
    Anniversary,
    Unexplained,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeakCause {
    pub kind: CauseKind,
    pub date: Option<NaiveDate>,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Peak {
    pub chart: ChartKind,
    pub region: String,
    /// The chart date of the peak position.
    pub date: NaiveDate,
    pub rank: u32,
    pub score: f64,
    pub run_start: NaiveDate,
    pub run_end: NaiveDate,
    pub prominence: Prominence,
    pub phase: Phase,
    /// `None` for year-end charts, whose peak has no season.
    pub season: Option<Season>,
    pub cause: PeakCause,
}

impl fmt::Display for Phase {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Phase::OriginalRun => "original run",
            Phase::Revival => "revival",
        })
    }
}

impl fmt::Display for Season {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Season::Winter => "winter",
            Season::Spring => "spring",
            Season::Summer => "summer",
            Season::Autumn => "autumn",
        })
    }
}

impl Peak {
    /// One line for people: `revival, winter: 9th anniversary of Goblin's premiere (2016-12-02)`.
    pub fn describe(&self) -> String {
        match self.season {
            Some(season) => format!("{}, {}: {}", self.phase, season, self.cause.label),
            None => format!("{}: {}", self.phase, self.cause.label),
        }
    }
}

/// The peaks of one song's chart entries (entries of other songs must be filtered out by the
/// caller), sorted by date.
pub fn find_peaks(entries: &[ChartEntry], context: &PeakContext<'_>) -> Vec<Peak> {
    let mut charts: Vec<(ChartKind, &str)> = entries.iter().map(|entry| (entry.chart, entry.region.as_str())).collect();
    charts.sort();
    charts.dedup();
    let first_chart_day = entries.iter().map(|entry| entry.covered_days().0).min();
    let original_from = context.song.release_date.or(first_chart_day);
    let causes = candidate_causes(context);
    let mut peaks = Vec::new();
    for (chart, region) in charts {
        let mut series: Vec<&ChartEntry> =
            entries.iter().filter(|entry| entry.chart == chart && entry.region == region).collect();
        series.sort_by_key(|entry| (entry.chart_date, entry.rank));
        series.dedup_by_key(|entry| entry.chart_date);
        for run in split_runs(&series, max_gap(chart.period())) {
            for (peak_index, rise_index) in run_peaks(run) {
                let peak_entry = run[peak_index];
                let rise_day = covered_days_since_release(run[rise_index], context.song.release_date).0;
                let window_end = run[rise_index].chart_date;
                let run_start = covered_days_since_release(run[0], context.song.release_date).0;
                let phase = match original_from {
                    Some(origin) if run_start > origin + Duration::days(365) => Phase::Revival,
                    _ => Phase::OriginalRun,
                };
                let season = match chart.period() {
                    ChartPeriod::Year => None,
                    _ => Some(Season::of(peak_entry.chart_date)),
                };
                peaks.push(Peak {
                    chart,
                    region: region.to_string(),
                    date: peak_entry.chart_date,
                    rank: peak_entry.rank,
                    score: rank_score(peak_entry.rank, chart.size()),
                    run_start,
                    run_end: run[run.len() - 1].chart_date,
                    prominence: Prominence::Secondary,
                    phase,
                    season,
                    cause: nearest_cause(&causes, rise_day, window_end),
                });
            }
        }
    }
    if let Some(primary) = peaks.iter_mut().reduce(|best, peak| if peak.score > best.score { peak } else { best }) {
        primary.prominence = Prominence::Primary;
    }
    peaks.sort_by_key(|peak| (peak.date, peak.chart));
    peaks
}

fn split_runs<'e>(series: &'e [&'e ChartEntry], gap: Duration) -> Vec<&'e [&'e ChartEntry]> {
    let mut runs = Vec::new();
    let mut start = 0;
    for index in 1..=series.len() {
        let ends_run = index == series.len() || series[index].chart_date - series[index - 1].chart_date > gap;
        if ends_run {
            runs.push(&series[start..index]);
            start = index;
        }
    }
    runs.retain(|run| !run.is_empty());
    runs
}

/// Peaks of one run as `(peak index, rise index)`: the run's best position and the local bests
/// with enough prominence, each with the point its rise started from (see [`rise_start`]).
fn run_peaks(run: &[&ChartEntry]) -> Vec<(usize, usize)> {
    let scores: Vec<f64> = run.iter().map(|entry| rank_score(entry.rank, entry.chart.size())).collect();
    let best = (0..scores.len()).fold(0, |best, index| if scores[index] > scores[best] { index } else { best });
    let mut peaks = vec![(best, rise_start(&scores, best))];
    for index in 0..scores.len() {
        if index == best {
            continue;
        }
        let is_local_best = (index == 0 || scores[index - 1] < scores[index])
            && (index + 1 == scores.len() || scores[index + 1] <= scores[index]);
        if !is_local_best {
            continue;
        }
        let left_trough = trough_towards(&scores, index, -1);
        let right_trough = trough_towards(&scores, index, 1);
        if scores[index] - left_trough.max(right_trough) >= MIN_PROMINENCE {
            peaks.push((index, rise_start(&scores, index)));
        }
    }
    peaks
}

/// Where the climb to the peak at `index` started: looking back to the run's start or to a better
/// position, the lowest point at least [`MIN_PROMINENCE`] below the peak; with no point that deep
/// (small wiggles on the way up), the first point looked at.
fn rise_start(scores: &[f64], index: usize) -> usize {
    let mut first_looked_at = index;
    let mut deepest: Option<usize> = None;
    for position in (0..index).rev() {
        if scores[position] > scores[index] {
            break;
        }
        first_looked_at = position;
        let deep_enough = scores[index] - scores[position] >= MIN_PROMINENCE;
        if deep_enough && deepest.is_none_or(|lowest| scores[position] < scores[lowest]) {
            deepest = Some(position);
        }
    }
    deepest.unwrap_or(first_looked_at)
}

/// The lowest score between `index` and the nearest higher score in `direction`. A side with no
/// higher score does not bound the peak's prominence, so it gives the lowest possible score.
fn trough_towards(scores: &[f64], index: usize, direction: isize) -> f64 {
    let mut lowest = scores[index];
    let mut position = index as isize + direction;
    while position >= 0 && (position as usize) < scores.len() {
        let score = scores[position as usize];
        if score > scores[index] {
            return lowest;
        }
        lowest = lowest.min(score);
        position += direction;
    }
    f64::MIN
}

fn candidate_causes(context: &PeakContext<'_>) -> Vec<PeakCause> {
    let mut causes = Vec::new();
    let song_title = context.song.display_title().to_string();
    if let Some(release) = context.song.release_date {
        causes.push(PeakCause {
            kind: CauseKind::Release,
            date: Some(release),
            label: format!("release of \"{song_title}\" ({release})"),
        });
        causes.extend(anniversaries(release, &format!("release of \"{song_title}\"")));
    }
    if let Some(drama) = context.drama {
        let title = drama.display_title();
        if let Some(premiere) = drama.premiere {
            causes.push(PeakCause {
                kind: CauseKind::Premiere,
                date: Some(premiere),
                label: format!("{title} premiere ({premiere})"),
            });
            causes.extend(anniversaries(premiere, &format!("{title} premiere")));
        }
        if let Some(finale) = drama.finale {
            causes.push(PeakCause {
                kind: CauseKind::Finale,
                date: Some(finale),
                label: format!("{title} finale ({finale})"),
            });
            causes.extend(anniversaries(finale, &format!("{title} finale")));
        }
        for episode in context.episodes {
            if let Some(aired) = episode.air_date {
                let which = episode
                    .number
                    .map(|number| format!("episode {number}"))
                    .unwrap_or_else(|| "an episode".to_string());
                causes.push(PeakCause {
                    kind: CauseKind::Airing,
                    date: Some(aired),
                    label: format!("{title} {which} aired ({aired})"),
                });
            }
        }
    }
    for event in context.events {
        let kind = match event.kind {
            // A drama's release is its premiere (streaming dramas are "released").
            EventKind::Release if matches!(event.subject, EventSubject::Drama(_)) => CauseKind::Premiere,
            EventKind::Release => CauseKind::Release,
            EventKind::MusicVideo => CauseKind::MusicVideo,
            EventKind::ViralTrend => CauseKind::ViralTrend,
            EventKind::LivePerformance => CauseKind::LivePerformance,
            EventKind::RemixRelease => CauseKind::Remix,
            EventKind::Anniversary => CauseKind::Anniversary,
            _ => continue,
        };
        if let Some(day) = event.date.and_then(|date| date.as_day()) {
            causes.push(PeakCause { kind, date: Some(day), label: format!("{} ({day})", event.detail) });
        }
    }
    causes
}

fn anniversaries(origin: NaiveDate, what: &str) -> Vec<PeakCause> {
    (1..=60u32)
        .filter_map(|years| origin.checked_add_months(Months::new(12 * years)))
        .map(|day| {
            let years = whole_years_between(origin, day);
            PeakCause {
                kind: CauseKind::Anniversary,
                date: Some(day),
                label: format!("{} anniversary of {what} ({origin})", ordinal(years)),
            }
        })
        .collect()
}

fn ordinal(number: i32) -> String {
    let suffix = match (number % 10, number % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{number}{suffix}")
}

fn nearest_cause(causes: &[PeakCause], rise_day: NaiveDate, window_end: NaiveDate) -> PeakCause {
    let window_start = rise_day - Duration::days(LOOKBACK_DAYS);
    causes
        .iter()
        .filter_map(|cause| {
            let day = cause.date?;
            if day < window_start || day > window_end {
                return None;
            }
            let distance = if day <= rise_day { (rise_day - day).num_days() } else { 2 * (day - rise_day).num_days() };
            Some((distance, cause.kind, cause))
        })
        .min_by_key(|(distance, kind, _)| (*distance, *kind))
        .map(|(_, _, cause)| cause.clone())
        .unwrap_or(PeakCause { kind: CauseKind::Unexplained, date: None, label: "unexplained".to_string() })
}

#[cfg(test)]
#[path = "peaks_tests.rs"]
mod tests;
