//! Airing response: how a song's daily series moves on and after each episode's air date.
//!
//! Method (an event study on the log scale, so a change reads as a ratio):
//! - baseline of an episode: the mean of the lowest [`BASELINE_LOWEST`] log values of the
//!   [`BASELINE_DAYS`] days before its air date (the lowest, so that the fading lift of the previous
//!   episode, a week or a day earlier, does not raise the baseline);
//! - response at lag `L`: the mean log value over days `L .. L + RESPONSE_DAYS` after the air date,
//!   minus the baseline, reported as a relative change `exp(Δ) − 1`;
//! - lag: the `L` in `0..=MAX_LAG_DAYS` that maximises the mean response over the episodes (one lag
//!   per song: the delay between an airing and listeners reaching the song);
//! - correlation: Pearson's `r` between episode ratings and responses at that lag, with a 95 %
//!   interval from Fisher's `z` (`atanh r ± 1.96 / √(n − 3)`), given four or more episodes;
//! - the episode that moved the song most: the largest response.
//!
//! Days the series has no value are skipped; an episode needs at least two baseline days and one
//! response day.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use encore_domain::{ChartEntry, ChartKind, Episode};

use crate::attention::{dated_song_attention, Point};

pub const BASELINE_DAYS: i64 = 7;
pub const BASELINE_LOWEST: usize = 3;
pub const RESPONSE_DAYS: i64 = 3;
pub const MAX_LAG_DAYS: i64 = 7;

/// One airing: an episode's number, date and rating (one measurement basis for all episodes).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Airing {
    pub number: Option<u32>,
    pub date: NaiveDate,
    pub rating: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EpisodeResponse {
    pub airing: Airing,
    /// Relative change of the response window over the baseline, at the chosen lag.
    pub response: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Correlation {
    pub r: f64,
    /// 95 % interval (Fisher's z).
    pub low: f64,
    pub high: f64,
    pub episodes: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AiringResponse {
    pub lag_days: i64,
    /// Mean relative response over the episodes at the lag.
    pub mean_response: f64,
    pub episodes: Vec<EpisodeResponse>,
    pub rating_correlation: Option<Correlation>,
    pub strongest: Option<EpisodeResponse>,
}

/// The airing response of a song's daily series; `None` when no episode has a baseline and a
/// response in the series.
pub fn airing_response(series: &[Point], airings: &[Airing]) -> Option<AiringResponse> {
    let log_by_day: HashMap<NaiveDate, f64> =
        series.iter().filter(|point| point.value > 0.0).map(|point| (point.date, point.value.ln())).collect();
    let mut best: Option<(i64, f64, Vec<EpisodeResponse>)> = None;
    for lag in 0..=MAX_LAG_DAYS {
        let responses: Vec<EpisodeResponse> = airings
            .iter()
            .filter_map(|airing| {
                let change = log_change(&log_by_day, airing.date, lag)?;
                Some(EpisodeResponse { airing: *airing, response: change.exp() - 1.0 })
            })
            .collect();
        if responses.is_empty() {
            continue;
        }
        let mean = responses.iter().map(|episode| episode.response).sum::<f64>() / responses.len() as f64;
        if best.as_ref().is_none_or(|(_, best_mean, _)| mean > *best_mean) {
            best = Some((lag, mean, responses));
        }
    }
    let (lag_days, mean_response, episodes) = best?;
    let strongest =
        episodes.iter().copied().reduce(|best, episode| if episode.response > best.response { episode } else { best });
    let rated: Vec<(f64, f64)> =
        episodes.iter().filter_map(|episode| Some((episode.airing.rating?, episode.response))).collect();
    Some(AiringResponse { lag_days, mean_response, rating_correlation: pearson(&rated), strongest, episodes })
}

/// A song's daily series for event studies (airing response, marketing lift): Spotify Korea daily
/// streams where the entries have them, otherwise the song's index on daily and weekly charts.
pub fn daily_series(entries: &[ChartEntry]) -> Vec<Point> {
    let mut streams: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for entry in entries.iter().filter(|entry| entry.chart == ChartKind::SpotifyDaily && entry.region == "kr") {
        if let Some(count) = entry.streams {
            streams.insert(entry.chart_date, count as f64);
        }
    }
    if streams.is_empty() {
        return dated_song_attention(entries, None);
    }
    streams.into_iter().map(|(date, value)| Point { date, value }).collect()
}

/// The airings of episodes with an air date, rated on the nationwide basis, else TNmS.
pub fn airings_of<'e>(episodes: impl IntoIterator<Item = &'e Episode>) -> Vec<Airing> {
    episodes
        .into_iter()
        .filter_map(|episode| {
            let rating = episode.rating_nationwide.or(episode.rating_tnms);
            Some(Airing { number: episode.number, date: episode.air_date?, rating })
        })
        .collect()
}

fn log_change(log_by_day: &HashMap<NaiveDate, f64>, aired: NaiveDate, lag: i64) -> Option<f64> {
    let values_over = |first: i64, count: i64| -> Vec<f64> {
        (first..first + count).filter_map(|offset| log_by_day.get(&(aired + Duration::days(offset))).copied()).collect()
    };
    let mean = |values: &[f64]| values.iter().sum::<f64>() / values.len().max(1) as f64;
    let mut before = values_over(-BASELINE_DAYS, BASELINE_DAYS);
    before.sort_by(f64::total_cmp);
    let baseline_days = before.len();
    let baseline = mean(&before[..baseline_days.min(BASELINE_LOWEST)]);
    let after = values_over(lag, RESPONSE_DAYS);
    let (response_days, response) = (after.len(), mean(&after));
    (baseline_days >= 2 && response_days >= 1).then_some(response - baseline)
}

/// Pearson's r with its Fisher-z 95 % interval; `None` under four pairs or with no spread.
pub fn pearson(pairs: &[(f64, f64)]) -> Option<Correlation> {
    if pairs.len() < 4 {
        return None;
    }
    let count = pairs.len() as f64;
    let mean_x = pairs.iter().map(|(x, _)| x).sum::<f64>() / count;
    let mean_y = pairs.iter().map(|(_, y)| y).sum::<f64>() / count;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mean_x) * (y - mean_y);
        sxx += (x - mean_x) * (x - mean_x);
        syy += (y - mean_y) * (y - mean_y);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    let r = (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0);
    let z = r.clamp(-0.999_999, 0.999_999).atanh();
    let margin = 1.96 / (count - 3.0).sqrt();
    Some(Correlation { r, low: (z - margin).tanh(), high: (z + margin).tanh(), episodes: pairs.len() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::{airing_case, generate};

    fn start() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
    }

    fn as_points(values: &[f64]) -> Vec<Point> {
        values
            .iter()
            .enumerate()
            .map(|(day, value)| Point { date: start() + Duration::days(day as i64), value: *value })
            .collect()
    }

    #[test]
    fn the_lag_and_the_strongest_episode_are_recovered() {
        let mut strongest_in_top_three = 0;
        for seed in 0..10 {
            let truth = airing_case(seed);
            let points = as_points(&generate(&truth, seed));
            // Ratings that track the lifts: the correlation must come out strongly positive.
            let airings: Vec<Airing> = truth
                .airings
                .iter()
                .enumerate()
                .map(|(index, (day, lift))| Airing {
                    number: Some(index as u32 + 1),
                    date: start() + Duration::days(*day as i64),
                    rating: Some(lift / 10.0),
                })
                .collect();
            let result = airing_response(&points, &airings).unwrap();
            assert_eq!(result.lag_days, truth.airing_lag as i64, "seed {seed}");
            // The strongest found is among the three biggest lifts in most seeds: with 3 % day-to-day
            // noise, lifts within ~15 % of each other can swap.
            let found = result.strongest.unwrap().airing.number.unwrap() as usize - 1;
            let bigger = truth.airings.iter().filter(|(_, lift)| *lift > truth.airings[found].1).count();
            strongest_in_top_three += usize::from(bigger < 3);
            let correlation = result.rating_correlation.unwrap();
            assert!(
                correlation.r > 0.8 && correlation.low < correlation.r && correlation.r < correlation.high,
                "{correlation:?}"
            );
        }
        assert!(strongest_in_top_three >= 8, "{strongest_in_top_three} of 10");
    }

    #[test]
    fn a_flat_series_responds_by_nothing_and_no_data_gives_none() {
        let points = as_points(&[50.0; 60]);
        let airing = Airing { number: Some(1), date: start() + Duration::days(20), rating: None };
        let result = airing_response(&points, &[airing]).unwrap();
        assert!(result.mean_response.abs() < 1e-12);
        assert_eq!(result.rating_correlation, None);
        let outside = Airing { date: start() + Duration::days(400), ..airing };
        assert_eq!(airing_response(&points, &[outside]), None);
    }

    #[test]
    fn pearson_needs_four_pairs_and_spread() {
        assert_eq!(pearson(&[(1.0, 1.0), (2.0, 2.0), (3.0, 3.0)]), None);
        assert_eq!(pearson(&[(1.0, 1.0), (1.0, 2.0), (1.0, 3.0), (1.0, 4.0)]), None);
        let perfect = pearson(&[(1.0, 2.0), (2.0, 4.0), (3.0, 6.0), (4.0, 8.0)]).unwrap();
        assert!((perfect.r - 1.0).abs() < 1e-12);
    }
}
