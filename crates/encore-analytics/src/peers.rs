//! Songs of the same age on the same daily chart: what a move on a song too young for its own
//! pre-period is measured against.
//!
//! A song released ten days before its drama's premiere has ten days of history: too few for the
//! placebo dates of [`crate::effect::lift_from_own_pre_period`], and a young song's level is not
//! flat anyway (most slide after their release week). The question is then whether the song did
//! better after the move than songs of its age usually do. Method:
//! - the chart: of the daily charts on which the song's entry is seen (its first day is after the
//!   chart's first day in the data), the one with the most days of the song from its entry to the
//!   end of the post window;
//! - scores: the rank score of each day from a song's entry on; a day off the chart after the entry
//!   counts as half the last position's score (the song fell below the chart, it did not vanish),
//!   so songs that drop out weigh on the comparison as they should;
//! - the song's change: mean log score over the post window (up to [`POST_DAYS`] days from the
//!   move, as many as the data holds, at least half of them) minus the mean over the `age` days
//!   from its entry to the move (`age` at least [`MIN_AGE_DAYS`] and under [`PRE_DAYS`]);
//! - peers: every other song of that chart whose entry is seen, that charted on at least as many
//!   of its first `age` days as the song did (a song that charted one day and fell off is no
//!   peer of one that held on for ten), and whose data reach as many days past the same age;
//!   each gives the same change at the same age, where no move happened;
//! - lift: `exp(change − median peer change) − 1`; interval (95 %): the song's change less the
//!   97.5th and the 2.5th percentiles of the peers' changes, i.e. the lifts the song would show
//!   against the peers that did best and worst. Percentiles, not a normal interval: the peers'
//!   changes are bimodal (songs of that age either hold on or fall off the chart). Under
//!   [`MIN_PLACEBOS`] peers: no lift.
//!
//! Peers include songs with moves of their own at other ages, and other songs of the same drama;
//! both only widen the interval.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use encore_domain::{ChartEntry, ChartKind, ChartPeriod, SongId};

use crate::attention::rank_score;
use crate::effect::{Counterfactual, Lift, MIN_PLACEBOS, POST_DAYS, PRE_DAYS};
use crate::longevity::percentile;

/// The fewest days between a song's entry and its move for the comparison to be made.
pub const MIN_AGE_DAYS: usize = 7;

/// Every song's days on each daily chart, the matched ones under their song id.
#[derive(Debug, Clone, Default)]
pub struct DailyPanel {
    charts: BTreeMap<ChartKind, DailyChart>,
}

#[derive(Debug, Clone)]
struct DailyChart {
    /// The chart's positions: rank 1 is the best, this one the worst.
    size: u32,
    first_day: NaiveDate,
    last_day: NaiveDate,
    /// Rank by day, per song (a catalog song id, else its title and artist as charted).
    songs: BTreeMap<String, BTreeMap<NaiveDate, u32>>,
}

impl DailyPanel {
    /// The panel of the daily charts among `entries` (rows of any charts and songs).
    pub fn from_entries(entries: &[ChartEntry]) -> DailyPanel {
        let mut charts: BTreeMap<ChartKind, DailyChart> = BTreeMap::new();
        for entry in entries.iter().filter(|entry| entry.chart.period() == ChartPeriod::Day) {
            let chart = charts.entry(entry.chart).or_insert_with(|| DailyChart {
                size: entry.chart.size(),
                first_day: entry.chart_date,
                last_day: entry.chart_date,
                songs: BTreeMap::new(),
            });
            chart.first_day = chart.first_day.min(entry.chart_date);
            chart.last_day = chart.last_day.max(entry.chart_date);
            let key = match &entry.song_id {
                Some(song_id) => song_id.as_str().to_string(),
                None => format!("{}\u{1f}{}", entry.title.trim().to_lowercase(), entry.artist.trim().to_lowercase()),
            };
            let days = chart.songs.entry(key).or_default();
            let best = days.entry(entry.chart_date).or_insert(entry.rank);
            *best = (*best).min(entry.rank);
        }
        DailyPanel { charts }
    }

    /// The lift of a move on `date` for `song`, against the songs of its age on one daily chart;
    /// `None` when the song's entry is unseen, its age is outside `MIN_AGE_DAYS..PRE_DAYS`, or
    /// fewer than [`MIN_PLACEBOS`] peers can be compared.
    pub fn lift_against_songs_of_the_same_age(&self, song: &SongId, date: NaiveDate) -> Option<Lift> {
        let (chart_kind, chart, days, entry) = self
            .charts
            .iter()
            .filter_map(|(kind, chart)| {
                let days = chart.songs.get(song.as_str())?;
                let entry = chart.entry_of(days).filter(|entry| *entry < date)?;
                Some((kind, chart, days, entry))
            })
            .max_by_key(|(_, _, days, entry)| days.range(*entry..date + Duration::days(POST_DAYS as i64)).count())?;
        let age = usize::try_from((date - entry).num_days()).ok()?;
        let post_days = usize::try_from((chart.last_day - date).num_days() + 1).ok()?.min(POST_DAYS);
        if !(MIN_AGE_DAYS..PRE_DAYS).contains(&age) || post_days < POST_DAYS / 2 {
            return None;
        }
        let change = chart.change_at_age(days, entry, age, post_days);
        let days_before = charted_days(days, entry, age);
        let mut peer_changes: Vec<f64> = chart
            .songs
            .iter()
            .filter(|(key, _)| key.as_str() != song.as_str())
            .filter_map(|(_, peer_days)| {
                let peer_entry = chart.entry_of(peer_days)?;
                let last_needed = peer_entry + Duration::days((age + post_days) as i64 - 1);
                let alike = charted_days(peer_days, peer_entry, age) >= days_before;
                (alike && last_needed <= chart.last_day)
                    .then(|| chart.change_at_age(peer_days, peer_entry, age, post_days))
            })
            .collect();
        let count = peer_changes.len();
        if count < MIN_PLACEBOS {
            return None;
        }
        peer_changes.sort_by(f64::total_cmp);
        let log_lift = change - percentile(&peer_changes, 0.5)?;
        let (low, high) = (change - percentile(&peer_changes, 0.975)?, change - percentile(&peer_changes, 0.025)?);
        Some(Lift {
            counterfactual: Counterfactual::SongsOfTheSameAge,
            estimate: log_lift.exp() - 1.0,
            interval: Some((low.exp() - 1.0, high.exp() - 1.0)),
            placebos: count,
            chart: Some(*chart_kind),
        })
    }
}

/// The days of the `age` days from `entry` on which the song was on the chart.
fn charted_days(days: &BTreeMap<NaiveDate, u32>, entry: NaiveDate, age: usize) -> usize {
    days.range(entry..entry + Duration::days(age as i64)).count()
}

impl DailyChart {
    /// A song's first day, if it came after the chart's first day (else the entry was before the
    /// data began, and the song's age is unknown).
    fn entry_of(&self, days: &BTreeMap<NaiveDate, u32>) -> Option<NaiveDate> {
        days.keys().next().copied().filter(|first| *first > self.first_day)
    }

    /// Mean log score over `post_days` days from `age` days after `entry`, minus the mean over the
    /// `age` days before.
    fn change_at_age(&self, days: &BTreeMap<NaiveDate, u32>, entry: NaiveDate, age: usize, post_days: usize) -> f64 {
        let floor = 0.5 * rank_score(self.size, self.size);
        let log_score = |offset: usize| -> f64 {
            let day = entry + Duration::days(offset as i64);
            days.get(&day).map(|rank| rank_score(*rank, self.size)).filter(|score| *score > 0.0).unwrap_or(floor).ln()
        };
        let before = (0..age).map(log_score).sum::<f64>() / age as f64;
        let after = (age..age + post_days).map(log_score).sum::<f64>() / post_days as f64;
        after - before
    }
}

#[cfg(test)]
#[path = "peers_tests.rs"]
mod tests;
