//! Daily attention indices on a 0-100 scale, one for a song and one for a drama, so the two can be
//! put on one timeline.
//!
//! Song: each chart entry scores `100 × (size + 1 − rank) / size` (rank 1 of a Top 100 scores 100,
//! rank 100 scores 1) on every day the entry speaks for (a week for Billboard, a day for Spotify, a
//! year for a year-end chart); a day covered by several entries takes the best score. Days with no
//! entry have no point: the song was not on any chart Encore holds.
//!
//! Drama, on one of three bases ([`AttentionBasis`]), in this order of preference:
//! - **Netflix hours viewed**, for a drama with weekly Top 10 rows, even when it also has
//!   ratings: hours viewed count the audience itself, worldwide and in the same unit for every
//!   title, where a rating is a domestic share of one broadcast slot (Business Proposal's 5-11 %
//!   on SBS says nothing of its weeks at #1 of Netflix's non-English list). Each week's
//!   hours viewed, divided by the best week's, on each of the week's seven days (from the premiere
//!   on); before its first Top 10 week the first week's value, as before a first rating. Only when
//!   the first Top 10 week ends within [`VIEWING_START_DAYS`] of the premiere: a drama first listed
//!   later (Netflix carried it after its broadcast) is not measured by its viewing. After a
//!   Top 10 week that the next week does not follow, the value decays as after a finale.
//! - **ratings**, for a drama without such viewing: from the premiere to the finale, the latest
//!   rating on or before the day, divided by the drama's highest rating (one measurement basis
//!   only, see [`rating_series`]).
//! - **assumed on air**, with neither: 100 from the premiere to the finale, an assumption, not a
//!   measurement, which the report and the API say.
//!
//! After the finale (or the last Top 10 week) the last value decays with a half-life of
//! [`DRAMA_HALF_LIFE_DAYS`] days, the fading of talk about a finished drama, until it drops below
//! [`DRAMA_FLOOR`].

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use encore_domain::{ChartEntry, ChartPeriod, Drama, DramaViewing, Episode};

/// Half-life, in days, of a drama's attention after its finale.
pub const DRAMA_HALF_LIFE_DAYS: f64 = 14.0;
/// A drama's first Top 10 week must end within this many days of its premiere for its viewing to
/// stand for its run (Netflix's lists begin with the week ending 2021-07-04).
pub const VIEWING_START_DAYS: i64 = 35;
/// Below this index a finished drama's attention is taken as gone.
pub const DRAMA_FLOOR: f64 = 1.0;

/// What a drama's attention index is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttentionBasis {
    /// Its episodes' TV ratings.
    Ratings,
    /// Hours viewed per week on Netflix's global Top 10.
    NetflixHoursViewed,
    /// Nothing measured: 100 while it airs.
    AssumedOnAir,
}

impl AttentionBasis {
    /// The name JSON and tables use.
    pub fn as_str(self) -> &'static str {
        match self {
            AttentionBasis::Ratings => "ratings",
            AttentionBasis::NetflixHoursViewed => "netflix_hours_viewed",
            AttentionBasis::AssumedOnAir => "assumed_on_air",
        }
    }

    /// What people read beside a chart.
    pub fn label(self) -> &'static str {
        match self {
            AttentionBasis::Ratings => "TV ratings (relative to the best episode)",
            AttentionBasis::NetflixHoursViewed => "Netflix hours viewed per week (relative to the best week)",
            AttentionBasis::AssumedOnAir => "no ratings or viewing: assumed 100 while on air",
        }
    }
}

/// A drama's daily index and what it is measured from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DramaAttention {
    pub basis: AttentionBasis,
    pub points: Vec<Point>,
}

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

/// The drama's daily index and its basis: see the module documentation. `viewing` must be this
/// drama's rows only. No points when the premiere is unknown (and, with viewing, no week either).
pub fn drama_attention(drama: &Drama, episodes: &[Episode], viewing: &[DramaViewing]) -> DramaAttention {
    let ratings = rating_series(episodes);
    if viewing_covers_the_run(drama, viewing) {
        return DramaAttention { basis: AttentionBasis::NetflixHoursViewed, points: viewing_attention(drama, viewing) };
    }
    let basis = if ratings.is_empty() { AttentionBasis::AssumedOnAir } else { AttentionBasis::Ratings };
    let Some(premiere) = drama.premiere else {
        return DramaAttention { basis, points: Vec::new() };
    };
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
    points.extend(decay_after(finale, final_value, None));
    DramaAttention { basis, points }
}

/// Whether a drama's Top 10 weeks measure its run: it has hours viewed, and its first Top 10 week
/// ends no later than [`VIEWING_START_DAYS`] after the premiere (a drama Netflix listed only
/// years after its broadcast, or one older than the Top 10, says nothing of its run).
fn viewing_covers_the_run(drama: &Drama, viewing: &[DramaViewing]) -> bool {
    let first_week = viewing.iter().filter(|row| row.hours_viewed > 0).map(|row| row.week_end).min();
    match (first_week, drama.premiere) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(first_week), Some(premiere)) => first_week <= premiere + Duration::days(VIEWING_START_DAYS),
    }
}

/// The points after `last_day`, decaying from `value`, up to (not including) `until` and while
/// above [`DRAMA_FLOOR`].
fn decay_after(last_day: NaiveDate, value: f64, until: Option<NaiveDate>) -> Vec<Point> {
    let mut points = Vec::new();
    let mut days_after = 1_i64;
    loop {
        let date = last_day + Duration::days(days_after);
        let decayed = value * 0.5_f64.powf(days_after as f64 / DRAMA_HALF_LIFE_DAYS);
        if decayed < DRAMA_FLOOR || until.is_some_and(|until| date >= until) {
            return points;
        }
        points.push(Point { date, value: decayed });
        days_after += 1;
    }
}

/// The index from weekly hours viewed (see the module documentation).
fn viewing_attention(drama: &Drama, viewing: &[DramaViewing]) -> Vec<Point> {
    // One value a week: the week's highest hours, should a title be on two lists.
    let mut hours_by_week: BTreeMap<NaiveDate, u64> = BTreeMap::new();
    for row in viewing {
        let hours = hours_by_week.entry(row.week_end).or_default();
        *hours = (*hours).max(row.hours_viewed);
    }
    let best = hours_by_week.values().copied().max().unwrap_or(0);
    let Some(first_week) = hours_by_week.keys().next().copied() else {
        return Vec::new();
    };
    if best == 0 {
        return Vec::new();
    }
    let start = drama.premiere.unwrap_or(first_week - Duration::days(6));
    let weeks: Vec<(NaiveDate, f64)> = hours_by_week
        .into_iter()
        .filter(|(week_end, _)| *week_end >= start)
        .map(|(week_end, hours)| (week_end, 100.0 * hours as f64 / best as f64))
        .collect();
    let Some(&(first_end, first_value)) = weeks.first() else {
        return Vec::new();
    };
    let mut points: Vec<Point> = start
        .iter_days()
        .take_while(|day| *day < first_end - Duration::days(6))
        .map(|date| Point { date, value: first_value })
        .collect();
    for (position, &(week_end, value)) in weeks.iter().enumerate() {
        let week_start = (week_end - Duration::days(6)).max(start);
        points.extend(week_start.iter_days().take_while(|day| *day <= week_end).map(|date| Point { date, value }));
        let next_start = weeks.get(position + 1).map(|(next_end, _)| *next_end - Duration::days(6));
        points.extend(decay_after(week_end, value, next_start));
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
        let points = drama_attention(&drama("2020-01-01", "2020-01-03"), &episodes, &[]).points;
        let values: Vec<f64> = points.iter().take(3).map(|point| point.value).collect();
        assert_eq!(values, [50.0, 50.0, 100.0]);
        let half_life_later = points.iter().find(|point| point.date == day("2020-01-17")).unwrap();
        assert!((half_life_later.value - 50.0).abs() < 1e-9);
        assert!(points.last().unwrap().value >= DRAMA_FLOOR);
    }

    #[test]
    fn a_drama_without_ratings_scores_full_while_on_air() {
        let attention = drama_attention(&drama("2022-05-27", "2022-07-01"), &[], &[]);
        assert_eq!(attention.basis, AttentionBasis::AssumedOnAir);
        let points = attention.points;
        assert!(points.iter().take_while(|point| point.date <= day("2022-07-01")).all(|point| point.value == 100.0));
        assert!(points.len() > 36);
    }

    fn week(week_end: &str, hours: u64) -> DramaViewing {
        DramaViewing {
            week_end: day(week_end),
            category: "TV (English)".into(),
            rank: 1,
            show_title: "D".into(),
            season_title: "D 1".into(),
            hours_viewed: hours,
            runtime_hours: None,
            views: None,
            weeks_in_top10: 1,
            drama_id: Some(DramaId::new("d")),
            source_file: String::new(),
            source_line: 1,
        }
    }

    #[test]
    fn a_drama_without_ratings_follows_its_hours_viewed() {
        // Premiere on a Friday; Top 10 weeks end on Sundays; one week off the list, then back.
        let viewing =
            [week("2022-05-29", 300), week("2022-06-05", 400), week("2022-06-12", 100), week("2022-06-26", 200)];
        let attention = drama_attention(&drama("2022-05-27", "2022-07-01"), &[], &viewing);
        assert_eq!(attention.basis, AttentionBasis::NetflixHoursViewed);
        let value_on =
            |date: &str| attention.points.iter().find(|point| point.date == day(date)).map(|point| point.value);
        assert_eq!(attention.points[0].date, day("2022-05-27"), "nothing before the premiere");
        assert_eq!(value_on("2022-05-29"), Some(75.0));
        assert_eq!(value_on("2022-05-30"), Some(100.0));
        assert_eq!(value_on("2022-06-12"), Some(25.0));
        // The week off the list decays from the week before, a half-life at a time.
        let decayed = value_on("2022-06-19").unwrap();
        assert!((decayed - 25.0 * 0.5_f64.powf(7.0 / DRAMA_HALF_LIFE_DAYS)).abs() < 1e-9, "{decayed}");
        assert_eq!(value_on("2022-06-20"), Some(50.0));
        // After the last Top 10 week, not the catalog's finale, the value halves every half-life.
        let half_life_later = value_on("2022-07-10").unwrap();
        assert!((half_life_later - 25.0).abs() < 1e-9, "{half_life_later}");
        let dates: Vec<NaiveDate> = attention.points.iter().map(|point| point.date).collect();
        assert!(dates.windows(2).all(|pair| pair[1] == pair[0] + Duration::days(1)), "one point a day");
    }

    #[test]
    fn viewing_that_begins_long_after_the_premiere_is_not_the_run() {
        let attention = drama_attention(&drama("2019-07-13", "2019-09-01"), &[], &[week("2021-09-12", 100)]);
        assert_eq!(attention.basis, AttentionBasis::AssumedOnAir);
        assert_eq!(attention.points[0].value, 100.0);
    }

    #[test]
    fn viewing_wins_over_ratings_and_ratings_over_the_assumption() {
        let drama = drama("2020-01-01", "2020-01-03");
        let ratings = [episode("2020-01-01", 5.0, "")];
        let viewed = drama_attention(&drama, &ratings, &[week("2020-01-05", 100)]);
        assert_eq!(viewed.basis, AttentionBasis::NetflixHoursViewed);
        let rated = drama_attention(&drama, &ratings, &[week("2021-09-12", 100)]);
        assert_eq!(rated.basis, AttentionBasis::Ratings);
        assert_eq!(rated.points[0].value, 100.0);
    }
}
