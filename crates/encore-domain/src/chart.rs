//! Chart entries: one row of one chart, whatever its source.

use std::fmt;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ids::SongId;
use crate::korean_chart::{KoreanChart, Platform};

/// The charts Encore reads. Each has its own dataset in the store, and one name everywhere: the
/// dataset name (`melon_year_end`, `genie_daily`) in the CLI, SQL, JSON, the report and the
/// dashboard, with [`ChartKind::display_name`] as the label people read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChartKind {
    /// Billboard Hot 100, weekly, United States.
    BillboardHot100,
    /// Spotify Charts daily Top 200 of one region.
    SpotifyDaily,
    /// Spotify Charts weekly Top 200 of one region (`global` included), labelled with the week's
    /// last day.
    SpotifyWeekly,
    /// Billboard Global 200, weekly, labelled like the Hot 100.
    BillboardGlobal200,
    /// A Korean platform's chart (Melon, Genie, Bugs, FLO, VIBE, Circle) of one period, South Korea.
    Korean(KoreanChart),
}

/// How long one chart issue covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ChartPeriod {
    /// An hourly real-time snapshot: one day, with the hour in [`ChartEntry::snapshot_hour`].
    RealTime,
    Day,
    Week,
    /// A calendar month, labelled with its last day.
    Month,
    Year,
}

impl ChartPeriod {
    pub const ALL: [ChartPeriod; 5] =
        [ChartPeriod::RealTime, ChartPeriod::Day, ChartPeriod::Week, ChartPeriod::Month, ChartPeriod::Year];

    /// The name used in dataset names and on the command line (`genie:daily`).
    pub fn name(self) -> &'static str {
        self.spellings()[0]
    }

    /// The names a file name, a site's label or the user may give it.
    pub fn spellings(self) -> &'static [&'static str] {
        match self {
            ChartPeriod::RealTime => &["realtime", "real-time", "real_time", "hourly", "hour", "실시간"],
            ChartPeriod::Day => &["daily", "day", "일간"],
            ChartPeriod::Week => &["weekly", "week", "주간"],
            ChartPeriod::Month => &["monthly", "month", "월간"],
            ChartPeriod::Year => &["year_end", "year-end", "yearend", "yearly", "year", "연간"],
        }
    }

    /// The period spelled `text` (any case).
    pub fn from_name(text: &str) -> Option<ChartPeriod> {
        let wanted = text.trim().to_lowercase();
        ChartPeriod::ALL.into_iter().find(|period| period.spellings().contains(&wanted.as_str()))
    }
}

impl ChartKind {
    /// Melon's year-end chart (the `melon_year_end` dataset).
    pub const MELON_YEAR_END: ChartKind = ChartKind::Korean(KoreanChart::MELON_YEAR_END);
    /// Circle's weekly digital chart (the `circle_weekly` dataset).
    pub const CIRCLE_WEEKLY: ChartKind = ChartKind::Korean(KoreanChart::CIRCLE_WEEKLY);

    const OTHERS: [ChartKind; 4] =
        [ChartKind::BillboardHot100, ChartKind::SpotifyDaily, ChartKind::SpotifyWeekly, ChartKind::BillboardGlobal200];

    /// Every chart: the four non-Korean ones, then the Korean table's.
    pub const ALL: [ChartKind; 4 + KoreanChart::COUNT] = {
        let mut all = [ChartKind::BillboardHot100; 4 + KoreanChart::COUNT];
        let mut index = 0;
        while index < all.len() {
            all[index] =
                if index < 4 { ChartKind::OTHERS[index] } else { ChartKind::Korean(KoreanChart::ALL[index - 4]) };
            index += 1;
        }
        all
    };

    /// The dataset name in the store and the chart's name in SQL.
    pub fn dataset(self) -> &'static str {
        match self {
            ChartKind::BillboardHot100 => "billboard_hot100",
            ChartKind::SpotifyDaily => "spotify_daily",
            ChartKind::SpotifyWeekly => "spotify_weekly",
            ChartKind::BillboardGlobal200 => "billboard_global200",
            ChartKind::Korean(chart) => chart.dataset(),
        }
    }

    pub fn from_dataset(name: &str) -> Option<ChartKind> {
        ChartKind::ALL.into_iter().find(|kind| kind.dataset() == name)
    }

    /// A Korean platform's chart of a period, when the platform publishes one.
    pub fn korean(platform: Platform, period: ChartPeriod) -> Option<ChartKind> {
        KoreanChart::new(platform, period).map(ChartKind::Korean)
    }

    /// The Korean chart a user names as `PLATFORM:PERIOD` (`genie:daily`, `멜론:주간`) or by its
    /// dataset name (`bugs_weekly`).
    pub fn from_chart_spec(text: &str) -> Option<ChartKind> {
        if let Some(kind) = ChartKind::from_dataset(text.trim()) {
            return Some(kind);
        }
        let (platform, period) = text.split_once(':')?;
        ChartKind::korean(Platform::from_name(platform)?, ChartPeriod::from_name(period)?)
    }

    pub fn display_name(self) -> &'static str {
        match self {
            ChartKind::BillboardHot100 => "Billboard Hot 100",
            ChartKind::SpotifyDaily => "Spotify daily Top 200",
            ChartKind::SpotifyWeekly => "Spotify weekly Top 200",
            ChartKind::BillboardGlobal200 => "Billboard Global 200",
            ChartKind::Korean(chart) => chart.display_name(),
        }
    }

    pub fn period(self) -> ChartPeriod {
        match self {
            ChartKind::BillboardHot100 | ChartKind::SpotifyWeekly | ChartKind::BillboardGlobal200 => ChartPeriod::Week,
            ChartKind::SpotifyDaily => ChartPeriod::Day,
            ChartKind::Korean(chart) => chart.period(),
        }
    }

    /// How many positions the chart has: rank 1 is the best, this one the worst.
    pub fn size(self) -> u32 {
        match self {
            ChartKind::BillboardHot100 => 100,
            ChartKind::SpotifyDaily | ChartKind::SpotifyWeekly | ChartKind::BillboardGlobal200 => 200,
            ChartKind::Korean(chart) => chart.size(),
        }
    }
}

/// A chart is written as its dataset name in JSON.
impl Serialize for ChartKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.dataset())
    }
}

impl<'de> Deserialize<'de> for ChartKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ChartKind, D::Error> {
        let name = String::deserialize(deserializer)?;
        ChartKind::from_dataset(&name).ok_or_else(|| serde::de::Error::custom(format!("unknown chart `{name}`")))
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
    /// day a Korean chart's week, month or year covers, a real-time snapshot's day.
    pub chart_date: NaiveDate,
    /// A real-time snapshot's hour (0-23); `None` for every other period.
    pub snapshot_hour: Option<u8>,
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
    /// The album as the chart names it; on Korean charts an OST's album names its drama and part
    /// (`옷소매 붉은 끝동 OST Part.8`), evidence that the song is that drama's.
    pub album: Option<String>,
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
            snapshot_hour: None,
            rank,
            title: title.to_string(),
            artist: artist.to_string(),
            streams: None,
            previous_rank: None,
            peak_rank: None,
            periods_on_chart: None,
            track_uri: None,
            genre: None,
            album: None,
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
        ChartPeriod::RealTime | ChartPeriod::Day => (chart_date, chart_date),
        ChartPeriod::Week => (chart_date - Duration::days(6), chart_date),
        ChartPeriod::Month => (chart_date.with_day(1).unwrap_or(chart_date), chart_date),
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
        assert_eq!(covered_days(ChartPeriod::Month, day).0, NaiveDate::from_ymd_opt(2017, 12, 1).unwrap());
        assert_eq!(covered_days(ChartPeriod::RealTime, day), (day, day));
    }

    #[test]
    fn datasets_name_their_chart() {
        for kind in ChartKind::ALL {
            assert_eq!(ChartKind::from_dataset(kind.dataset()), Some(kind));
        }
    }

    #[test]
    fn korean_charts_are_named_by_platform_and_period() {
        let check = |spec: &str, expected: Option<&str>| {
            assert_eq!(ChartKind::from_chart_spec(spec).map(ChartKind::dataset), expected, "{spec}");
        };
        check("genie:daily", Some("genie_daily"));
        check("Bugs:week", Some("bugs_weekly"));
        check("멜론:실시간", Some("melon_realtime"));
        check("gaon:weekly", Some("circle_weekly"));
        check("melon:year-end", Some("melon_year_end"));
        check("flo_monthly", Some("flo_monthly"));
        check("circle:daily", None);
        check("genie", None);
        assert_eq!(ChartKind::MELON_YEAR_END.size(), 100);
        assert_eq!(ChartKind::CIRCLE_WEEKLY.size(), 200);
        assert_eq!(ChartKind::ALL.len(), 32);
    }

    #[test]
    fn json_names_a_chart_by_its_dataset_name() {
        for kind in ChartKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), serde_json::Value::from(kind.dataset()));
            assert_eq!(serde_json::from_value::<ChartKind>(kind.dataset().into()).unwrap(), kind);
        }
    }
}
