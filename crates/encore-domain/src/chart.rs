//! Chart entries: one row of one chart, whatever its source.

use std::fmt;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ids::SongId;

/// The charts Encore reads. Each has its own dataset in the store, and one name everywhere: the
/// dataset name (`melon_year_end`) in the CLI, SQL, JSON, the report and the dashboard, with
/// [`ChartKind::display_name`] as the label people read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Billboard Hot 100, weekly, United States.
    BillboardHot100,
    /// Spotify Charts daily Top 200 of one region.
    SpotifyDaily,
    /// Melon year-end Top 100, South Korea.
    MelonYearEnd,
    /// Spotify Charts weekly Top 200 of one region (`global` included), labelled with the week's
    /// last day.
    SpotifyWeekly,
    /// Billboard Global 200, weekly, labelled like the Hot 100.
    BillboardGlobal200,
    /// Circle (formerly Gaon) digital chart, weekly Top 200, South Korea.
    CircleWeekly,
}

/// How long one chart issue covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChartPeriod {
    Day,
    Week,
    Year,
}

impl ChartKind {
    pub const ALL: [ChartKind; 6] = [
        ChartKind::BillboardHot100,
        ChartKind::SpotifyDaily,
        ChartKind::MelonYearEnd,
        ChartKind::SpotifyWeekly,
        ChartKind::BillboardGlobal200,
        ChartKind::CircleWeekly,
    ];

    /// The dataset name in the store and the chart's name in SQL.
    pub fn dataset(self) -> &'static str {
        match self {
            ChartKind::BillboardHot100 => "billboard_hot100",
            ChartKind::SpotifyDaily => "spotify_daily",
            ChartKind::MelonYearEnd => "melon_year_end",
            ChartKind::SpotifyWeekly => "spotify_weekly",
            ChartKind::BillboardGlobal200 => "billboard_global200",
            ChartKind::CircleWeekly => "circle_weekly",
        }
    }

    pub fn from_dataset(name: &str) -> Option<ChartKind> {
        ChartKind::ALL.into_iter().find(|kind| kind.dataset() == name)
    }

    pub fn display_name(self) -> &'static str {
        match self {
            ChartKind::BillboardHot100 => "Billboard Hot 100",
            ChartKind::SpotifyDaily => "Spotify daily Top 200",
            ChartKind::MelonYearEnd => "Melon year-end Top 100",
            ChartKind::SpotifyWeekly => "Spotify weekly Top 200",
            ChartKind::BillboardGlobal200 => "Billboard Global 200",
            ChartKind::CircleWeekly => "Circle weekly digital Top 200",
        }
    }

    pub fn period(self) -> ChartPeriod {
        match self {
            ChartKind::BillboardHot100
            | ChartKind::SpotifyWeekly
            | ChartKind::BillboardGlobal200
            | ChartKind::CircleWeekly => ChartPeriod::Week,
            ChartKind::SpotifyDaily => ChartPeriod::Day,
            ChartKind::MelonYearEnd => ChartPeriod::Year,
        }
    }

    /// How many positions the chart has: rank 1 is the best, this one the worst.
    pub fn size(self) -> u32 {
        match self {
            ChartKind::BillboardHot100 | ChartKind::MelonYearEnd => 100,
            ChartKind::SpotifyDaily
            | ChartKind::SpotifyWeekly
            | ChartKind::BillboardGlobal200
            | ChartKind::CircleWeekly => 200,
        }
    }
}

impl fmt::Display for ChartKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.display_name())
    }
}

/// One row of one chart issue, as read from its source file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartEntry {
    pub chart: ChartKind,
    /// Lower-case region code: `us`, `kr`, `global`.
    pub region: String,
    /// The date the chart issue is labelled with: Billboard's week date, Spotify's day, the last
    /// day of a year-end chart's year.
    pub chart_date: NaiveDate,
    pub rank: u32,
    pub title: String,
    pub artist: String,
    pub streams: Option<u64>,
    pub previous_rank: Option<u32>,
    pub peak_rank: Option<u32>,
    /// Weeks (Billboard) or days (Spotify) on the chart, as the source counts them.
    pub periods_on_chart: Option<u32>,
    pub track_uri: Option<String>,
    pub genre: Option<String>,
    pub source_file: String,
    /// 1-based line of the row in its source file (for JSON, the row's position in the chart).
    pub source_line: u64,
    /// The catalog song this row was matched to, if any.
    pub song_id: Option<SongId>,
}

impl ChartEntry {
    /// A row with what every chart states: which chart, region, date, rank, title and artist. The
    /// rest is empty, for the caller to fill in: the source file and line, optional columns, the song.
    pub fn new(
        chart: ChartKind,
        region: &str,
        chart_date: NaiveDate,
        rank: u32,
        title: &str,
        artist: &str,
    ) -> ChartEntry {
        ChartEntry {
            chart,
            region: region.to_string(),
            chart_date,
            rank,
            title: title.to_string(),
            artist: artist.to_string(),
            streams: None,
            previous_rank: None,
            peak_rank: None,
            periods_on_chart: None,
            track_uri: None,
            genre: None,
            source_file: String::new(),
            source_line: 0,
            song_id: None,
        }
    }

    /// The days this entry speaks for, first and last inclusive.
    pub fn covered_days(&self) -> (NaiveDate, NaiveDate) {
        covered_days(self.chart.period(), self.chart_date)
    }
}

/// The days one chart issue of the given period, labelled `chart_date`, speaks for.
pub fn covered_days(period: ChartPeriod, chart_date: NaiveDate) -> (NaiveDate, NaiveDate) {
    match period {
        ChartPeriod::Day => (chart_date, chart_date),
        ChartPeriod::Week => (chart_date - Duration::days(6), chart_date),
        ChartPeriod::Year => {
            let first_of_year = NaiveDate::from_ymd_opt(chart_date.year(), 1, 1);
            (first_of_year.unwrap_or(chart_date), chart_date)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_period_covers_its_days() {
        let day = NaiveDate::from_ymd_opt(2017, 12, 31).unwrap();
        assert_eq!(covered_days(ChartPeriod::Day, day), (day, day));
        assert_eq!(covered_days(ChartPeriod::Week, day).0, NaiveDate::from_ymd_opt(2017, 12, 25).unwrap());
        assert_eq!(covered_days(ChartPeriod::Year, day).0, NaiveDate::from_ymd_opt(2017, 1, 1).unwrap());
    }

    #[test]
    fn datasets_name_their_chart() {
        for kind in ChartKind::ALL {
            assert_eq!(ChartKind::from_dataset(kind.dataset()), Some(kind));
        }
    }

    #[test]
    fn json_names_a_chart_by_its_dataset_name() {
        for kind in ChartKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), serde_json::Value::from(kind.dataset()));
        }
    }
}
