//! The eclipse: when, and by how much, a song outgrows the drama it comes from.
//!
//! Method, on the daily indices of [`crate::attention`]:
//! - crossover: the first day on or after the premiere when the song's index on a dated (daily or
//!   weekly) chart is above the drama's (a day the drama has no point counts as 0 for it);
//! - crossover year: the first year, from the premiere's, whose year-end chart score is above the
//!   drama's mean index over that year (a year-end chart cannot say which day);
//! - chart days: the days the song's daily and weekly chart entries speak for (a week's entry, its
//!   seven days); a year-end list is counted apart, as one list, never as 365 chart days;
//! - share after finale: of the song's chart days, the share after the finale; for a song only on
//!   year-end lists, the mean over its lists of the share of the list's year after the finale;
//! - score: the song's attention summed over the days after the finale, divided by the drama's
//!   attention summed over its whole life. Above 1, the song's afterlife alone outweighs the drama.
//!
//! The leaderboard ranks songs by score.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use encore_domain::{DramaId, SongId};

use crate::attention::Point;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Eclipse {
    pub song_id: SongId,
    pub drama_id: DramaId,
    pub crossover: Option<NaiveDate>,
    pub crossover_year: Option<i32>,
    /// Days on daily and weekly charts.
    pub chart_days: usize,
    pub chart_days_after_finale: usize,
    /// Year-end lists the song is on.
    pub year_end_lists: usize,
    pub year_end_lists_after_finale: usize,
    /// `chart_days_after_finale / chart_days`, or for a song on year-end lists only, the mean share
    /// of its lists' years after the finale; `None` when the song never charted or the finale is
    /// unknown.
    pub share_after_finale: Option<f64>,
    pub song_attention_after_finale: f64,
    pub drama_attention_total: f64,
    /// `song_attention_after_finale / drama_attention_total`; 0 when the drama has no attention.
    pub score: f64,
}

/// A song's and its drama's indices, as [`crate::attention`] makes them.
#[derive(Debug, Clone, Copy)]
pub struct EclipseInput<'a> {
    pub song_id: &'a SongId,
    pub drama_id: &'a DramaId,
    pub premiere: Option<NaiveDate>,
    pub finale: Option<NaiveDate>,
    /// The song's index on all charts.
    pub song: &'a [Point],
    /// The song's index on daily and weekly charts only.
    pub song_dated: &'a [Point],
    /// The song's year-end score per year.
    pub song_year_end: &'a [(i32, f64)],
    pub drama: &'a [Point],
}

/// The eclipse of one song over its drama, from their indices.
pub fn eclipse(input: &EclipseInput<'_>) -> Eclipse {
    let EclipseInput { premiere, finale, song, song_dated, song_year_end, drama, .. } = *input;
    let drama_by_day: HashMap<NaiveDate, f64> = drama.iter().map(|point| (point.date, point.value)).collect();
    let crossover_year = premiere.and_then(|premiere| {
        song_year_end
            .iter()
            .filter(|(year, score)| *year >= premiere.year() && *score > 0.0)
            .find(|(year, score)| *score > mean_over_year(&drama_by_day, *year))
            .map(|(year, _)| *year)
    });
    let crossover = premiere.and_then(|premiere| {
        song_dated
            .iter()
            .filter(|point| point.date >= premiere && point.value > 0.0)
            .find(|point| point.value > drama_by_day.get(&point.date).copied().unwrap_or(0.0))
            .map(|point| point.date)
    });
    let after_finale: Vec<&Point> = match finale {
        Some(finale) => song.iter().filter(|point| point.date > finale).collect(),
        None => Vec::new(),
    };
    let chart_days = song_dated.iter().filter(|point| point.value > 0.0).count();
    let chart_days_after_finale = match finale {
        Some(finale) => song_dated.iter().filter(|point| point.value > 0.0 && point.date > finale).count(),
        None => 0,
    };
    let lists: Vec<i32> = song_year_end.iter().filter(|(_, score)| *score > 0.0).map(|(year, _)| *year).collect();
    let year_end_lists_after_finale = match finale {
        Some(finale) => lists.iter().filter(|year| **year > finale.year()).count(),
        None => 0,
    };
    let share_after_finale = match (finale, chart_days, lists.len()) {
        (None, _, _) | (Some(_), 0, 0) => None,
        // A year-end list speaks for its whole year: the part of that year after the finale counts.
        (Some(finale), 0, list_count) => {
            Some(lists.iter().map(|year| share_of_year_after(*year, finale)).sum::<f64>() / list_count as f64)
        }
        (Some(_), days, _) => Some(chart_days_after_finale as f64 / days as f64),
    };
    let song_attention_after_finale: f64 = after_finale.iter().map(|point| point.value).sum();
    let drama_attention_total: f64 = drama.iter().map(|point| point.value).sum();
    let score = if drama_attention_total > 0.0 { song_attention_after_finale / drama_attention_total } else { 0.0 };
    Eclipse {
        song_id: input.song_id.clone(),
        drama_id: input.drama_id.clone(),
        crossover,
        crossover_year,
        chart_days,
        chart_days_after_finale,
        year_end_lists: lists.len(),
        year_end_lists_after_finale,
        share_after_finale,
        song_attention_after_finale,
        drama_attention_total,
        score,
    }
}

impl Eclipse {
    /// The crossover as people read it: the day on dated charts, or the year on year-end charts
    /// when that came first; `None` when the song never passed its drama.
    pub fn crossover_text(&self) -> Option<String> {
        match (self.crossover, self.crossover_year) {
            (Some(day), Some(year)) if year < day.year() => Some(format!("{year} (year-end chart)")),
            (Some(day), _) => Some(day.to_string()),
            (None, Some(year)) => Some(format!("{year} (year-end chart)")),
            (None, None) => None,
        }
    }
}

/// The share of the days of `year` that come after `finale`: 0 before its year, 1 after it.
fn share_of_year_after(year: i32, finale: NaiveDate) -> f64 {
    let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
        return 0.0;
    };
    let days_in_year = (last - first).num_days() + 1;
    let days_after = (last - finale).num_days().clamp(0, days_in_year);
    days_after as f64 / days_in_year as f64
}

fn mean_over_year(index_by_day: &HashMap<NaiveDate, f64>, year: i32) -> f64 {
    let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
        return 0.0;
    };
    let days = first.iter_days().take_while(|day| *day <= last);
    let (sum, count) =
        days.fold((0.0, 0usize), |(sum, count), day| (sum + index_by_day.get(&day).copied().unwrap_or(0.0), count + 1));
    sum / count as f64
}

/// Songs ranked by how far they outgrew their drama: highest score first, ties by song id.
pub fn leaderboard(mut eclipses: Vec<Eclipse>) -> Vec<Eclipse> {
    eclipses.sort_by(|left, right| right.score.total_cmp(&left.score).then_with(|| left.song_id.cmp(&right.song_id)));
    eclipses
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(offset: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Duration::days(offset)
    }

    fn series(values: &[(i64, f64)]) -> Vec<Point> {
        values.iter().map(|&(offset, value)| Point { date: day(offset), value }).collect()
    }

    fn check(song: &[(i64, f64)], drama: &[(i64, f64)], crossover: Option<i64>, share: Option<f64>, score: f64) {
        let (song_id, drama_id) = (SongId::new("s"), DramaId::new("d"));
        let (song_points, drama_points) = (series(song), series(drama));
        let result = eclipse(&EclipseInput {
            song_id: &song_id,
            drama_id: &drama_id,
            premiere: Some(day(0)),
            finale: Some(day(2)),
            song: &song_points,
            song_dated: &song_points,
            song_year_end: &[],
            drama: &drama_points,
        });
        assert_eq!(result.crossover, crossover.map(day));
        assert_eq!(result.share_after_finale, share);
        assert!((result.score - score).abs() < 1e-9, "score {}", result.score);
    }

    #[test]
    fn crossover_share_and_score() {
        let drama = [(0, 100.0), (1, 80.0), (2, 60.0), (3, 30.0)];
        // On air the song trails; the day after the finale it passes the fading drama.
        check(&[(1, 50.0), (2, 50.0), (3, 50.0), (4, 40.0)], &drama, Some(3), Some(0.5), 90.0 / 270.0);
        // Never above the drama, never after the finale.
        check(&[(0, 10.0), (1, 10.0)], &drama, None, Some(0.0), 0.0);
        // Before the premiere does not count as a crossover.
        check(&[(-5, 90.0), (0, 100.0)], &drama, None, Some(0.0), 0.0);
    }

    #[test]
    fn a_year_end_chart_crosses_over_in_a_year_not_on_a_day() {
        let (song_id, drama_id) = (SongId::new("s"), DramaId::new("d"));
        // A drama airing two weeks at full attention in 2020: its mean over 2020 is under 4.
        let drama: Vec<Point> = (0..14).map(|offset| Point { date: day(offset), value: 100.0 }).collect();
        let check_year = |year_end: &[(i32, f64)], expected: Option<i32>| {
            let result = eclipse(&EclipseInput {
                song_id: &song_id,
                drama_id: &drama_id,
                premiere: Some(day(0)),
                finale: Some(day(13)),
                song: &[],
                song_dated: &[],
                song_year_end: year_end,
                drama: &drama,
            });
            assert_eq!((result.crossover, result.crossover_year), (None, expected), "{year_end:?}");
        };
        check_year(&[(2019, 90.0), (2020, 3.0), (2021, 2.0)], Some(2021));
        check_year(&[(2020, 50.0)], Some(2020));
        check_year(&[], None);
    }

    #[test]
    fn a_year_end_list_is_one_list_not_365_chart_days() {
        let (song_id, drama_id) = (SongId::new("love_maybe"), DramaId::new("business_proposal"));
        // Two year-end lists spread over two whole years of the all-charts index, as attention does.
        let spread: Vec<Point> = (0..730).map(|offset| Point { date: day(offset), value: 40.0 }).collect();
        let weekly = series(&[(400, 90.0), (401, 90.0), (402, 90.0)]);
        let result = |song_dated: &[Point]| {
            eclipse(&EclipseInput {
                song_id: &song_id,
                drama_id: &drama_id,
                premiere: Some(day(0)),
                finale: Some(day(60)),
                song: &spread,
                song_dated,
                song_year_end: &[(2020, 40.0), (2021, 40.0)],
                drama: &[],
            })
        };
        let lists_only = result(&[]);
        assert_eq!((lists_only.chart_days, lists_only.year_end_lists), (0, 2));
        // Finale 2020-03-01: 305 of 2020's 366 days come after it, and all of 2021.
        assert_eq!(lists_only.year_end_lists_after_finale, 1);
        let share = lists_only.share_after_finale.unwrap();
        assert!((share - (305.0 / 366.0 + 1.0) / 2.0).abs() < 1e-9, "{share}");
        let with_weeks = result(&weekly);
        assert_eq!((with_weeks.chart_days, with_weeks.chart_days_after_finale), (3, 3));
        assert_eq!(with_weeks.share_after_finale, Some(1.0));
    }

    #[test]
    fn leaderboard_puts_the_biggest_eclipse_first() {
        let make = |id: &str, score: f64| Eclipse {
            song_id: SongId::new(id),
            drama_id: DramaId::new("d"),
            crossover: None,
            crossover_year: None,
            chart_days: 0,
            chart_days_after_finale: 0,
            year_end_lists: 0,
            year_end_lists_after_finale: 0,
            share_after_finale: None,
            song_attention_after_finale: 0.0,
            drama_attention_total: 0.0,
            score,
        };
        let ranked = leaderboard(vec![make("a", 0.5), make("b", 3.0), make("c", 0.5)]);
        let ids: Vec<&str> = ranked.iter().map(|row| row.song_id.as_str()).collect();
        assert_eq!(ids, ["b", "a", "c"]);
    }
}
