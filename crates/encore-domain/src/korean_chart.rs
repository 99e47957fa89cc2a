//! Korean platform charts: Melon, Genie, Bugs, FLO, VIBE and Circle, each by period, in one table
//! naming every chart's dataset, label and size.
//!
//! Period semantics (a chart issue is labelled with the LAST day it covers, see
//! [`crate::chart::covered_days`]):
//! - real-time: an hourly snapshot; `chart_date` is its day and [`crate::ChartEntry::snapshot_hour`]
//!   its hour (0-23). A day's daily series takes the day's best snapshot rank (attention keeps the
//!   best score of each day).
//! - daily: the day itself.
//! - weekly: seven days ending on `chart_date`. The platforms' weeks run Monday to Sunday and their
//!   files name the Monday, so a Genie or Bugs week labelled 2022-01-03 is stored as 2022-01-09;
//!   Circle's weeks run Sunday to Saturday and are stored as the Saturday.
//! - monthly: its calendar month; `chart_date` is the month's last day.
//! - year-end: its calendar year; `chart_date` is 31 December.

use serde::{Deserialize, Serialize};

use crate::chart::ChartPeriod;

/// A Korean music platform (or chart publisher) whose charts Encore reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Platform {
    Melon,
    Genie,
    Bugs,
    Flo,
    Vibe,
    /// Circle Chart, formerly Gaon: a publisher aggregating the platforms.
    Circle,
}

impl Platform {
    pub const ALL: [Platform; 6] =
        [Platform::Melon, Platform::Genie, Platform::Bugs, Platform::Flo, Platform::Vibe, Platform::Circle];

    /// The lower-case name used in dataset names and on the command line.
    pub fn name(self) -> &'static str {
        self.spellings()[0]
    }

    /// The names a site column, a file name or the user may give it, in Latin letters and Hangul.
    pub fn spellings(self) -> &'static [&'static str] {
        match self {
            Platform::Melon => &["melon", "멜론"],
            Platform::Genie => &["genie", "지니", "지니뮤직"],
            Platform::Bugs => &["bugs", "벅스"],
            Platform::Flo => &["flo", "플로"],
            Platform::Vibe => &["vibe", "바이브"],
            Platform::Circle => &["circle", "gaon", "써클", "서클", "가온"],
        }
    }

    /// The platform spelled `text` (any case, surrounding spaces ignored).
    pub fn from_name(text: &str) -> Option<Platform> {
        let wanted = text.trim().to_lowercase();
        Platform::ALL.into_iter().find(|platform| platform.spellings().contains(&wanted.as_str()))
    }
}

/// One Korean chart: a platform and a period, only as the table below lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KoreanChart {
    platform: Platform,
    period: ChartPeriod,
}

/// A row of [`KOREAN_CHARTS`].
#[derive(Clone, Copy)]
struct Row {
    chart: KoreanChart,
    dataset: &'static str,
    display_name: &'static str,
    size: u32,
}

const fn row(platform: Platform, period: ChartPeriod, dataset: &'static str, display_name: &'static str) -> Row {
    let size = match (platform, period) {
        (Platform::Circle, _) => 200,
        _ => 100,
    };
    Row { chart: KoreanChart { platform, period }, dataset, display_name, size }
}

/// Every Korean chart Encore stores. Circle publishes no real-time or daily digital chart.
const KOREAN_CHARTS: [Row; 28] = {
    use ChartPeriod::{Day, Month, RealTime, Week, Year};
    use Platform::{Bugs, Circle, Flo, Genie, Melon, Vibe};
    [
        row(Melon, RealTime, "melon_realtime", "Melon real-time Top 100"),
        row(Melon, Day, "melon_daily", "Melon daily Top 100"),
        row(Melon, Week, "melon_weekly", "Melon weekly Top 100"),
        row(Melon, Month, "melon_monthly", "Melon monthly Top 100"),
        row(Melon, Year, "melon_year_end", "Melon year-end Top 100"),
        row(Genie, RealTime, "genie_realtime", "Genie real-time Top 100"),
        row(Genie, Day, "genie_daily", "Genie daily Top 100"),
        row(Genie, Week, "genie_weekly", "Genie weekly Top 100"),
        row(Genie, Month, "genie_monthly", "Genie monthly Top 100"),
        row(Genie, Year, "genie_year_end", "Genie year-end Top 100"),
        row(Bugs, RealTime, "bugs_realtime", "Bugs real-time Top 100"),
        row(Bugs, Day, "bugs_daily", "Bugs daily Top 100"),
        row(Bugs, Week, "bugs_weekly", "Bugs weekly Top 100"),
        row(Bugs, Month, "bugs_monthly", "Bugs monthly Top 100"),
        row(Bugs, Year, "bugs_year_end", "Bugs year-end Top 100"),
        row(Flo, RealTime, "flo_realtime", "FLO real-time Top 100"),
        row(Flo, Day, "flo_daily", "FLO daily Top 100"),
        row(Flo, Week, "flo_weekly", "FLO weekly Top 100"),
        row(Flo, Month, "flo_monthly", "FLO monthly Top 100"),
        row(Flo, Year, "flo_year_end", "FLO year-end Top 100"),
        row(Vibe, RealTime, "vibe_realtime", "VIBE real-time Top 100"),
        row(Vibe, Day, "vibe_daily", "VIBE daily Top 100"),
        row(Vibe, Week, "vibe_weekly", "VIBE weekly Top 100"),
        row(Vibe, Month, "vibe_monthly", "VIBE monthly Top 100"),
        row(Vibe, Year, "vibe_year_end", "VIBE year-end Top 100"),
        row(Circle, Week, "circle_weekly", "Circle weekly digital Top 200"),
        row(Circle, Month, "circle_monthly", "Circle monthly digital Top 200"),
        row(Circle, Year, "circle_year_end", "Circle year-end digital Top 200"),
    ]
};

impl KoreanChart {
    /// Melon's year-end chart.
    pub const MELON_YEAR_END: KoreanChart = KoreanChart { platform: Platform::Melon, period: ChartPeriod::Year };
    /// Circle's weekly digital chart.
    pub const CIRCLE_WEEKLY: KoreanChart = KoreanChart { platform: Platform::Circle, period: ChartPeriod::Week };

    /// How many Korean charts there are.
    pub const COUNT: usize = KOREAN_CHARTS.len();

    /// Every Korean chart, in the table's order.
    pub const ALL: [KoreanChart; KoreanChart::COUNT] = {
        let mut all = [KOREAN_CHARTS[0].chart; KoreanChart::COUNT];
        let mut index = 0;
        while index < KoreanChart::COUNT {
            all[index] = KOREAN_CHARTS[index].chart;
            index += 1;
        }
        all
    };

    /// The platform's chart of that period, when the platform publishes one.
    pub fn new(platform: Platform, period: ChartPeriod) -> Option<KoreanChart> {
        let wanted = KoreanChart { platform, period };
        KOREAN_CHARTS.iter().any(|row| row.chart == wanted).then_some(wanted)
    }

    pub fn platform(self) -> Platform {
        self.platform
    }

    pub fn period(self) -> ChartPeriod {
        self.period
    }

    fn row(self) -> Row {
        // Every `KoreanChart` is made from the table (`new` checks), so the lookup always finds it;
        // the first row stands in rather than panic.
        KOREAN_CHARTS.into_iter().find(|row| row.chart == self).unwrap_or(KOREAN_CHARTS[0])
    }

    pub fn dataset(self) -> &'static str {
        self.row().dataset
    }

    pub fn display_name(self) -> &'static str {
        self.row().display_name
    }

    pub fn size(self) -> u32 {
        self.row().size
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chart_is_named_platform_then_period() {
        for chart in KoreanChart::ALL {
            assert!(chart.dataset().starts_with(chart.platform().name()), "{}", chart.dataset());
            assert!(chart.dataset().ends_with(chart.period().name()), "{}", chart.dataset());
            assert_eq!(KoreanChart::new(chart.platform(), chart.period()), Some(chart));
        }
        assert_eq!(KoreanChart::new(Platform::Circle, ChartPeriod::RealTime), None);
    }

    #[test]
    fn platforms_go_by_their_korean_and_latin_names() {
        let check = |text: &str, expected: Option<Platform>| assert_eq!(Platform::from_name(text), expected, "{text}");
        check("멜론", Some(Platform::Melon));
        check(" Genie ", Some(Platform::Genie));
        check("플로", Some(Platform::Flo));
        check("FLO", Some(Platform::Flo));
        check("바이브", Some(Platform::Vibe));
        check("가온", Some(Platform::Circle));
        check("Gaon", Some(Platform::Circle));
        check("spotify", None);
    }
}
