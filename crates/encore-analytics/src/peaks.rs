//! Primary and secondary peaks of a song's chart series, each with its likely cause.
//!
//! Method, for each chart (and region) a song appears on:
//! 1. Runs: consecutive chart issues with the song, split where the song is absent for longer than
//!    [`max_gap`] (two weeks of a daily chart, eight weeks of a weekly one, more than a year of a
//!    year-end one).
//! 2. Peaks: the best position of each run, plus any local best inside a run whose prominence (its
//!    score above the higher of the troughs separating it from better positions, on the 0-100 scale
//!    of [`crate::attention::rank_score`]) reaches [`MIN_PROMINENCE`]. A run of at least
//!    [`MIN_CHANGEPOINT_RUN`] issues is also cut into levels by Encore's default changepoint
//!    detector ([`crate::detect`]: the same rule for every series, no per-song tuning); a level
//!    standing `max(2σ, MIN_CHANGEPOINT_STEP)` above the lowest level on each side before a higher
//!    one ([`crate::detect_peaks`], `σ` from the run's own noise) is a peak too, at its highest
//!    issue, unless a peak already lies in it. That admits sustained second climbs whose
//!    dip in between is too shallow for the fixed rule, which stays as the floor: its peaks are
//!    kept whatever the levels say. The highest-scoring peak of all charts is primary, the others
//!    secondary.
//! 3. Phase: a run that starts within a year of the song's release (or, with no known release, of
//!    its first chart day) is the original run; a later one is a revival. Timing: the peak's chart
//!    date before the drama's premiere, during the broadcast (premiere to finale, inclusive) or
//!    after the finale; none for year-end charts or without the drama's dates.
//! 4. Rise: where the climb to the peak took off. The climb starts, in a run cut into levels when
//!    it comes from a lower level inside the run, at the first issue after that level (the
//!    changepoint); otherwise at the lowest point before the peak, back to the run's first day or a
//!    better position, at least [`MIN_PROMINENCE`] below it (with none that deep, the first point
//!    looked at). The rise is the climb's steepest step after that start: the issue that gained
//!    most on the one before (the run's first issue gains its whole score, from off the chart).
//! 5. Cause: the catalog events that can move attention (release, music video, viral trend, live
//!    performance, remix, anniversary), the drama's premiere, episode airings and finale, and the
//!    yearly anniversaries of the song's release and of the drama's premiere and finale. The cause
//!    is the one nearest the rise within [`LOOKBACK_DAYS`] before it and the rise's chart issue; a
//!    cause after the rise counts double distance, since causes come first. None there:
//!    "unexplained".
//! 6. Chart re-entry: a catalog `chart_reentry` event is an observation (the song was seen back on
//!    a chart), not a cause, so it never displaces one. Only when a run that follows an earlier run
//!    of the same chart climbs from its first issue and has no cause, the nearest such observation
//!    in the same window is attached as [`Peak::reentry`] (the cause stays "unexplained").

use std::fmt;

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::Serialize;

use encore_domain::dates::whole_years_between;
use encore_domain::{ChartEntry, ChartKind, ChartPeriod, Drama, Episode, Event, EventKind, EventSubject, Song};

use crate::attention::{covered_days_since_release, rank_score};
use crate::peak_levels::RunLevels;
pub use crate::peak_levels::{MIN_CHANGEPOINT_RUN, MIN_CHANGEPOINT_STEP};

/// How far before a rise an event may lie and still explain it.
pub const LOOKBACK_DAYS: i64 = 60;
/// The least prominence, in index points, of a peak inside a run.
pub const MIN_PROMINENCE: f64 = 25.0;
/// How long a song of a chart with a run before it can be not found and still be in the same run.
pub fn max_gap(period: ChartPeriod) -> Duration {
    match period {
        ChartPeriod::RealTime | ChartPeriod::Day => Duration::days(14),
        ChartPeriod::Week => Duration::weeks(8),
        ChartPeriod::Month => Duration::days(100),
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

/// When a peak happened relative to its drama's broadcast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    BeforePremiere,
    /// From the premiere to the finale, both included.
    DuringBroadcast,
    AfterFinale,
}

impl Timing {
    /// `None` when the drama's dates cannot place the day (no drama, or no finale for a day after
    /// the premiere).
    pub fn of(day: NaiveDate, drama: Option<&Drama>) -> Option<Timing> {
        let drama = drama?;
        if drama.premiere.is_some_and(|premiere| day < premiere) {
            return Some(Timing::BeforePremiere);
        }
        let finale = drama.finale?;
        if day > finale {
            Some(Timing::AfterFinale)
        } else if drama.premiere.is_some() {
            Some(Timing::DuringBroadcast)
        } else {
            None
        }
    }
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
    /// Before, during or after the drama's broadcast; `None` for year-end charts or when the
    /// drama's dates are unknown.
    pub timing: Option<Timing>,
    pub cause: PeakCause,
    /// The catalog's report of a chart re-entry, for a re-entering run with no cause (see the
    /// module documentation); the cause then stays "unexplained".
    pub reentry: Option<ChartReentry>,
}

/// A catalog observation that the song came back on a chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartReentry {
    pub date: NaiveDate,
    pub label: String,
}

impl fmt::Display for Phase {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Phase::OriginalRun => "original run",
            Phase::Revival => "revival",
        })
    }
}

impl fmt::Display for Timing {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Timing::BeforePremiere => "before the premiere",
            Timing::DuringBroadcast => "during the broadcast",
            Timing::AfterFinale => "after the finale",
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
    /// One line for people:
    /// `revival, winter, after the finale: 9th anniversary of Goblin premiere (2016-12-02)`.
    pub fn describe(&self) -> String {
        let mut when = self.phase.to_string();
        if let Some(season) = self.season {
            when.push_str(&format!(", {season}"));
        }
        if let Some(timing) = self.timing {
            when.push_str(&format!(", {timing}"));
        }
        match &self.reentry {
            Some(reentry) => format!("{when}: {}; chart re-entry reported: {}", self.cause.label, reentry.label),
            None => format!("{when}: {}", self.cause.label),
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
    let reentries = chart_reentries(context.events);
    let mut peaks = Vec::new();
    for (chart, region) in charts {
        let mut series: Vec<&ChartEntry> =
            entries.iter().filter(|entry| entry.chart == chart && entry.region == region).collect();
        series.sort_by_key(|entry| (entry.chart_date, entry.rank));
        series.dedup_by_key(|entry| entry.chart_date);
        for (run_number, run) in split_runs(&series, max_gap(chart.period())).into_iter().enumerate() {
            for (peak_index, rise_index) in run_peaks(run) {
                let peak_entry = run[peak_index];
                let rise_day = covered_days_since_release(run[rise_index], context.song.release_date).0;
                let window_end = run[rise_index].chart_date;
                let run_start = covered_days_since_release(run[0], context.song.release_date).0;
                let phase = match original_from {
                    Some(origin) if run_start > origin + Duration::days(365) => Phase::Revival,
                    _ => Phase::OriginalRun,
                };
                let (season, timing) = match chart.period() {
                    ChartPeriod::Year => (None, None),
                    _ => (Some(Season::of(peak_entry.chart_date)), Timing::of(peak_entry.chart_date, context.drama)),
                };
                let cause = nearest_cause(&causes, rise_day, window_end);
                let reenters = run_number > 0 && rise_index == 0 && cause.kind == CauseKind::Unexplained;
                let reentry = if reenters { nearest_reentry(&reentries, rise_day, window_end) } else { None };
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
                    timing,
                    cause,
                    reentry,
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

/// Peaks of one run as `(peak index, rise index)`, by issue: the run's best position, the local
/// bests with enough prominence and, in a long run, the levels above their neighbours; each with
/// the point its rise started from (see the module documentation).
fn run_peaks(run: &[&ChartEntry]) -> Vec<(usize, usize)> {
    let scores: Vec<f64> = run.iter().map(|entry| rank_score(entry.rank, entry.chart.size())).collect();
    let rank_step = run.first().map_or(1.0, |entry| 100.0 / f64::from(entry.chart.size().max(1)));
    let levels = RunLevels::of(&scores, rank_step);
    let rise = |index: usize| {
        let start =
            levels.as_ref().and_then(|levels| levels.climb_start(index)).unwrap_or_else(|| rise_start(&scores, index));
        take_off(&scores, start, index)
    };
    let best = (0..scores.len()).fold(0, |best, index| if scores[index] > scores[best] { index } else { best });
    let mut peak_indices = vec![best];
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
            peak_indices.push(index);
        }
    }
    if let Some(levels) = &levels {
        for index in levels.peaks(&scores) {
            let level = levels.level_of(index);
            if !peak_indices.iter().any(|known| levels.level_of(*known) == level) {
                peak_indices.push(index);
            }
        }
    }
    peak_indices.into_iter().map(|index| (index, rise(index))).collect()
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

/// The issue of the climb's steepest step, from the climb's start `start` to the peak `index`: the
/// issue that gained most on the one before it (the first such, on a tie). A climb from the run's
/// first issue counts that entry as a step from nothing. A climb of several issues is
/// dated where it took off, not where it set out: a song drifting near its low for a week and
/// then leaping after an episode is explained by what came just before the leap.
fn take_off(scores: &[f64], start: usize, index: usize) -> usize {
    let first = if start == 0 { 0 } else { start + 1 };
    if first > index {
        return start;
    }
    let gain = |position: usize| if position == 0 { scores[0] } else { scores[position] - scores[position - 1] };
    (first..=index).fold(first, |best, position| if gain(position) > gain(best) { position } else { best })
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

fn chart_reentries(events: &[Event]) -> Vec<ChartReentry> {
    events
        .iter()
        .filter(|event| event.kind == EventKind::ChartReentry)
        .filter_map(|event| {
            let day = event.date.and_then(|date| date.as_day())?;
            Some(ChartReentry { date: day, label: format!("{} ({day})", event.detail) })
        })
        .collect()
}

/// How far `day` lies from the rise, a day after it counting double; `None` outside the window
/// from [`LOOKBACK_DAYS`] before the rise to `window_end`.
fn distance_from_rise(day: NaiveDate, rise_day: NaiveDate, window_end: NaiveDate) -> Option<i64> {
    if day < rise_day - Duration::days(LOOKBACK_DAYS) || day > window_end {
        return None;
    }
    Some(if day <= rise_day { (rise_day - day).num_days() } else { 2 * (day - rise_day).num_days() })
}

fn nearest_cause(causes: &[PeakCause], rise_day: NaiveDate, window_end: NaiveDate) -> PeakCause {
    causes
        .iter()
        .filter_map(|cause| Some((distance_from_rise(cause.date?, rise_day, window_end)?, cause.kind, cause)))
        .min_by_key(|(distance, kind, _)| (*distance, *kind))
        .map(|(_, _, cause)| cause.clone())
        .unwrap_or(PeakCause { kind: CauseKind::Unexplained, date: None, label: "unexplained".to_string() })
}

fn nearest_reentry(reentries: &[ChartReentry], rise_day: NaiveDate, window_end: NaiveDate) -> Option<ChartReentry> {
    reentries
        .iter()
        .filter_map(|reentry| Some((distance_from_rise(reentry.date, rise_day, window_end)?, reentry.date, reentry)))
        .min_by_key(|(distance, date, _)| (*distance, *date))
        .map(|(_, _, reentry)| reentry.clone())
}

#[cfg(test)]
#[path = "peaks_tests.rs"]
mod tests;
