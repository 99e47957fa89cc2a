//! The eclipse: when, and by how much, a song outgrows the drama it comes from.
//!
//! Method, on the daily indices of [`crate::attention`]:
//! - crossover: the first day on or after the premiere when the song's index is above the drama's
//!   (a day the drama has no point counts as 0 for it);
//! - share after finale: of the days the song spent on any chart, the share after the finale;
//! - score: the song's attention summed over the days after the finale, divided by the drama's
//!   attention summed over its whole life. Above 1, the song's afterlife alone outweighs the drama.
//!
//! The leaderboard ranks songs by score.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use encore_domain::{DramaId, SongId};

use crate::attention::Point;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Eclipse {
    pub song_id: SongId,
    pub drama_id: DramaId,
    pub crossover: Option<NaiveDate>,
    pub chart_days: usize,
    pub chart_days_after_finale: usize,
    /// `chart_days_after_finale / chart_days`; `None` when the song never charted or the finale is
    /// unknown.
    pub share_after_finale: Option<f64>,
    pub song_attention_after_finale: f64,
    pub drama_attention_total: f64,
    /// `song_attention_after_finale / drama_attention_total`; 0 when the drama has no attention.
    pub score: f64,
}

/// The eclipse of one song over its drama, from their daily indices.
pub fn eclipse(
    song_id: SongId,
    drama_id: DramaId,
    premiere: Option<NaiveDate>,
    finale: Option<NaiveDate>,
    song: &[Point],
    drama: &[Point],
) -> Eclipse {
    let drama_by_day: HashMap<NaiveDate, f64> = drama.iter().map(|point| (point.date, point.value)).collect();
    let crossover = premiere.and_then(|premiere| {
        song.iter()
            .filter(|point| point.date >= premiere && point.value > 0.0)
            .find(|point| point.value > drama_by_day.get(&point.date).copied().unwrap_or(0.0))
            .map(|point| point.date)
    });
    let after_finale: Vec<&Point> = match finale {
        Some(finale) => song.iter().filter(|point| point.date > finale).collect(),
        None => Vec::new(),
    };
    let chart_days = song.len();
    let share_after_finale = match (finale, chart_days) {
        (Some(_), days) if days > 0 => Some(after_finale.len() as f64 / days as f64),
        _ => None,
    };
    let song_attention_after_finale: f64 = after_finale.iter().map(|point| point.value).sum();
    let drama_attention_total: f64 = drama.iter().map(|point| point.value).sum();
    let score = if drama_attention_total > 0.0 {
        song_attention_after_finale / drama_attention_total
    } else {
        0.0
    };
    Eclipse {
        song_id,
        drama_id,
        crossover,
        chart_days,
        chart_days_after_finale: after_finale.len(),
        share_after_finale,
        song_attention_after_finale,
        drama_attention_total,
        score,
    }
}

/// Songs ranked by how far they outgrew their drama: highest score first, ties by song id.
pub fn leaderboard(mut eclipses: Vec<Eclipse>) -> Vec<Eclipse> {
    eclipses.sort_by(|left, right| {
        right.score.total_cmp(&left.score).then_with(|| left.song_id.cmp(&right.song_id))
    });
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
        let result = eclipse(SongId::new("s"), DramaId::new("d"), Some(day(0)), Some(day(2)), &series(song), &series(drama));
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
    fn leaderboard_puts_the_biggest_eclipse_first() {
        let make = |id: &str, score: f64| Eclipse {
            song_id: SongId::new(id),
            drama_id: DramaId::new("d"),
            crossover: None,
            chart_days: 0,
            chart_days_after_finale: 0,
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
