//! Daily attention indices on a 0-100 scale, one for a song and one for a drama, so the two can be
//! put on one timeline.
//!
//! Song: each chart entry scores `100 × (size + 1 − rank) / size` (rank 1 of a Top 100 scores 100,
//! rank 100 scores 1) on every day the entry speaks for (a week for Billboard, a day for Spotify, a
//! year for a year-end chart); a day covered by several entries takes the best score. Days with no
//! entry have no point: the song was not on any chart Encore holds.
//!
//! Drama: from the premiere to the finale, the latest rating on or before the day, divided by the
//! drama's highest rating (one measurement basis only, see [`rating_series`]); a drama without
//! ratings scores 100 while it airs. After the finale the last value decays with a half-life of
//! [`DRAMA_HALF_LIFE_DAYS`] days, the fading of talk about a finished drama, until it drops below
//! [`DRAMA_FLOOR`].

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use encore_domain::{ChartEntry, ChartPeriod, Drama, Episode};

/// Half-life, in days, of a drama's attention after its finale.
pub const DRAMA_HALF_LIFE_DAYS: f64 = 14.0;
/// Below this index a finished drama's attention is taken as gone.
pub const DRAMA_FLOOR: f64 = 1.0;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub date: NaiveDate,
    pub value: f64,
}

/// The score of one chart position: 100 for rank 1, `100 / size` for the last rank.
pub fn rank_score(rank: u32, chart_size: u32) -> f64 {
    if rank == 0 || chart_size == 0 || rank > chart_size {
        return 0.0;
    }
    100.0 * f64::from(chart_size + 1 - rank) / f64::from(chart_size)
}

/// The days an entry speaks for, from the song's release on: a year-end chart of the release year
/// does not speak for the days before the song existed.
pub fn covered_days_since_release(entry: &ChartEntry, release: Option<NaiveDate>) -> (NaiveDate, NaiveDate) {
    let (first, last) = entry.covered_days();
    match release {
        Some(release) if release > first && release <= last => (release, last),
        _ => (first, last),
    }
}

/// The song's daily index from its chart entries (entries of other songs must be filtered out by
/// the caller), no earlier than its release. Points are sorted by date, one per covered day.
pub fn song_attention(entries: &[ChartEntry], release: Option<NaiveDate>) -> Vec<Point> {
    let mut best_by_day: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for entry in entries {
        let score = rank_score(entry.rank, entry.chart.size());
        let (first, last) = covered_days_since_release(entry, release);
        for day in first.iter_days().take_while(|day| *day <= last) {
            let best = best_by_day.entry(day).or_insert(0.0);
            *best = best.max(score);
        }
    }
    best_by_day.into_iter().map(|(date, value)| Point { date, value }).collect()
}

/// The song's index on dated charts only (daily and weekly), where a day means that day; a
/// year-end chart's score is the same for every day of its year.
pub fn dated_song_attention(entries: &[ChartEntry], release: Option<NaiveDate>) -> Vec<Point> {
    let dated: Vec<ChartEntry> =
        entries.iter().filter(|entry| entry.chart.period() != ChartPeriod::Year).cloned().collect();
    song_attention(&dated, release)
}

/// The song's best year-end score of each year, sorted by year.
pub fn year_end_scores(entries: &[ChartEntry]) -> Vec<(i32, f64)> {
    let mut best_by_year: BTreeMap<i32, f64> = BTreeMap::new();
    for entry in entries.iter().filter(|entry| entry.chart.period() == ChartPeriod::Year) {
        let best = best_by_year.entry(entry.chart_date.year()).or_insert(0.0);
        *best = best.max(rank_score(entry.rank, entry.chart.size()));
    }
    best_by_year.into_iter().collect()
}

/// Which rating of an episode a drama is scored on.
type RatingOf = fn(&Episode) -> Option<f64>;

/// The ratings used for a drama: Nielsen nationwide where any episode has one, in the basis most
/// rows share (a drama is never scored on a mix of bases); otherwise TNmS. Sorted by air date, one
/// per date (the first reported).
pub fn rating_series(episodes: &[Episode]) -> Vec<(NaiveDate, f64)> {
    let nationwide: Vec<&Episode> = episodes.iter().filter(|episode| episode.rating_nationwide.is_some()).collect();
    let (rows, pick): (Vec<&Episode>, RatingOf) = if nationwide.is_empty() {
        (episodes.iter().collect(), |episode| episode.rating_tnms)
    } else {
        (nationwide, |episode| episode.rating_nationwide)
    };
    let mut basis_counts: BTreeMap<&str, usize> = BTreeMap::new();
    for episode in rows.iter().filter(|episode| pick(episode).is_some()) {
        *basis_counts.entry(episode.basis.as_str()).or_default() += 1;
    }
    let Some(basis) = basis_counts.iter().max_by_key(|(_, count)| **count).map(|(basis, _)| *basis) else {
        return Vec::new();
    };
    let mut by_date: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for episode in rows.iter().filter(|episode| episode.basis == basis) {
        if let (Some(date), Some(rating)) = (episode.air_date, pick(episode)) {
            by_date.entry(date).or_insert(rating);
        }
    }
    by_date.into_iter().collect()
}

/// The drama's daily index: see the module documentation. Empty when the premiere is unknown.
pub fn drama_attention(drama: &Drama, episodes: &[Episode]) -> Vec<Point> {
    let Some(premiere) = drama.premiere else {
        return Vec::new();
    };
    let ratings = rating_series(episodes);
    let last_rating_day = ratings.last().map(|(date, _)| *date);
    let finale = drama.finale.or(last_rating_day).unwrap_or(premiere).max(premiere);
    let highest = ratings.iter().map(|(_, rating)| *rating).fold(0.0_f64, f64::max);
    let mut points = Vec::new();
    for day in premiere.iter_days().take_while(|day| *day <= finale) {
        let latest = ratings.iter().take_while(|(date, _)| *date <= day).last();
        let value = match latest {
            Some((_, rating)) if highest > 0.0 => 100.0 * rating / highest,
            // Before the first reported rating, or with none at all: the drama is on air.
            _ if highest > 0.0 => 100.0 * ratings[0].1 / highest,
            _ => 100.0,
        };
        points.push(Point { date: day, value });
    }
    let final_value = points.last().map(|point| point.value).unwrap_or(100.0);
    let mut days_after = 1_i64;
    loop {
        let value = final_value * 0.5_f64.powf(days_after as f64 / DRAMA_HALF_LIFE_DAYS);
        if value < DRAMA_FLOOR {
            break;
        }
        points.push(Point { date: finale + Duration::days(days_after), value });
        days_after += 1;
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use encore_domain::{ChartKind, DramaId};

    pub(crate) fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    pub(crate) fn entry(chart: ChartKind, date: &str, rank: u32) -> ChartEntry {
        ChartEntry::new(chart, "kr", day(date), rank, "t", "a")
    }

    fn drama(premiere: &str, finale: &str) -> Drama {
        Drama {
            id: DramaId::new("d"),
            title_en: "D".into(),
            title_ko: String::new(),
            network: String::new(),
            premiere: Some(day(premiere)),
            finale: Some(day(finale)),
            episode_count: None,
            slot: String::new(),
            source: String::new(),
        }
    }

    fn episode(date: &str, rating: f64, basis: &str) -> Episode {
        Episode {
            drama_id: DramaId::new("d"),
            number: None,
            air_date: Some(day(date)),
            rating_nationwide: Some(rating),
            rating_seoul: None,
            rating_tnms: None,
            basis: basis.into(),
            source: String::new(),
        }
    }

    #[test]
    fn a_day_of_real_time_snapshots_counts_its_best_snapshot() {
        let realtime = ChartKind::korean(encore_domain::Platform::Melon, ChartPeriod::RealTime).unwrap();
        let snapshot =
            |hour: u8, rank: u32| ChartEntry { snapshot_hour: Some(hour), ..entry(realtime, "2022-01-01", rank) };
        let points = song_attention(&[snapshot(9, 50), snapshot(13, 5), snapshot(23, 80)], None);
        assert_eq!(points, [Point { date: day("2022-01-01"), value: rank_score(5, 100) }]);
    }

    #[test]
    fn rank_scores_span_the_chart() {
        assert_eq!(rank_score(1, 100), 100.0);
        assert_eq!(rank_score(100, 100), 1.0);
        assert_eq!(rank_score(201, 200), 0.0);
    }

    #[test]
    fn song_index_covers_each_entry_period_and_keeps_the_best() {
        let points = song_attention(
            &[entry(ChartKind::BillboardHot100, "2022-06-11", 8), entry(ChartKind::SpotifyDaily, "2022-06-10", 1)],
            None,
        );
        assert_eq!(points.len(), 7);
        assert_eq!(points[0], Point { date: day("2022-06-05"), value: 93.0 });
        assert_eq!(points[5], Point { date: day("2022-06-10"), value: 100.0 });
    }

    #[test]
    fn a_year_end_entry_speaks_only_for_days_after_the_release() {
        let entries =
            [entry(ChartKind::MELON_YEAR_END, "2017-12-31", 1), entry(ChartKind::SpotifyDaily, "2017-03-01", 50)];
        let points = song_attention(&entries, Some(day("2017-01-07")));
        assert_eq!(points.first().map(|point| point.date), Some(day("2017-01-07")));
        assert_eq!(points.len(), 359);
        assert_eq!(dated_song_attention(&entries, None).len(), 1);
        assert_eq!(year_end_scores(&entries), [(2017, 100.0)]);
    }

    #[test]
    fn drama_index_follows_ratings_then_halves_every_half_life() {
        let episodes = [
            episode("2020-01-01", 5.0, ""),
            episode("2020-01-03", 10.0, ""),
            episode("2020-01-03", 12.0, "paid_platform"),
        ];
        let points = drama_attention(&drama("2020-01-01", "2020-01-03"), &episodes);
        let values: Vec<f64> = points.iter().take(3).map(|point| point.value).collect();
        assert_eq!(values, [50.0, 50.0, 100.0]);
        let half_life_later = points.iter().find(|point| point.date == day("2020-01-17")).unwrap();
        assert!((half_life_later.value - 50.0).abs() < 1e-9);
        assert!(points.last().unwrap().value >= DRAMA_FLOOR);
    }

    #[test]
    fn a_drama_without_ratings_scores_full_while_on_air() {
        let points = drama_attention(&drama("2022-05-27", "2022-07-01"), &[]);
        assert!(points.iter().take_while(|point| point.date <= day("2022-07-01")).all(|point| point.value == 100.0));
        assert!(points.len() > 36);
    }
}
