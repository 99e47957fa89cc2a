//! Dates of Korean chart files: what a date cell or a file name says (a day, a range, a month, a
//! year, maybe an hour, an Excel serial number), Circle's week numbers, and the `chart_date` each
//! period stores (the last day the issue covers).

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use encore_domain::{ChartKind, ChartPeriod, Platform};

/// What a date cell or a file name names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateLabel {
    /// One day (the last of a range), with the hour of a real-time snapshot when given; `first`
    /// is the range's first day when the label was a range.
    Day {
        first: Option<NaiveDate>,
        day: NaiveDate,
        hour: Option<u8>,
    },
    Month {
        year: i32,
        month: u32,
    },
    Year(i32),
}

/// The first Excel serial day number read as a date (1982-03-18) and the last (2119-10-15): a
/// bare number outside this is not taken for a date.
const EXCEL_SERIALS: std::ops::RangeInclusive<i64> = 30_000..=80_000;

/// Reads a date cell: `2022-01-01`, `2022.01.01`, `2022/01/01`, `20220101`, with an optional hour
/// (`2022-01-01 13:00`, `2022.01.01 13시`), a range (`2022.01.03~2022.01.09`), a month (`2022-01`,
/// `202201`), a year (`2022`), or an Excel serial number (`44562`, `44562.0`) for a day.
pub(crate) fn parse_date_cell(text: &str) -> Option<DateLabel> {
    let trimmed = text.trim();
    if let Some(serial) = excel_serial(trimmed) {
        return Some(DateLabel::Day { first: None, day: serial, hour: None });
    }
    let (before, after) = match trimmed.split_once('~') {
        Some((before, after)) => (Some(before), after),
        None => (None, trimmed),
    };
    let label = label_of_runs(&digit_runs(after))?;
    match (before.and_then(|before| label_of_runs(&digit_runs(before))), label) {
        (Some(DateLabel::Day { day: first, .. }), DateLabel::Day { day, hour, .. }) => {
            Some(DateLabel::Day { first: Some(first), day, hour })
        }
        (_, label) => Some(label),
    }
}

/// Reads the date in a file name (`day_genie_20220101.xlsx`, `melon-realtime-2022-01-01-13.csv`,
/// `genie_monthly_2022-01.csv`, `melon_year_end_2021.csv`): the first run of digits that starts a
/// date, its hour when a short number follows the day.
pub(crate) fn parse_name_date(file_name: &str) -> Option<DateLabel> {
    let name = std::path::Path::new(file_name).file_name().and_then(|name| name.to_str()).unwrap_or(file_name);
    let runs = digit_runs(name);
    (0..runs.len()).find_map(|start| label_of_runs(&runs[start..]))
}

fn excel_serial(text: &str) -> Option<NaiveDate> {
    let whole = text.strip_suffix(".0").unwrap_or(text);
    let serial: i64 = whole.parse().ok()?;
    if !EXCEL_SERIALS.contains(&serial) {
        return None;
    }
    // Excel counts 1900-01-01 as day 1 and wrongly holds a 1900-02-29, so from March 1900 on day
    // 0 is 1899-12-30.
    NaiveDate::from_ymd_opt(1899, 12, 30).map(|epoch| epoch + Duration::days(serial))
}

fn digit_runs(text: &str) -> Vec<&str> {
    text.split(|character: char| !character.is_ascii_digit()).filter(|run| !run.is_empty()).collect()
}

/// A date made of the leading digit runs: `[YYYYMMDD(HH)]`, `[YYYY, MM, DD, (HH)]`,
/// `[YYYYMM]`, `[YYYY, MM]` or `[YYYY]`.
fn label_of_runs(runs: &[&str]) -> Option<DateLabel> {
    let first = *runs.first()?;
    let number = |text: &str| text.parse::<u32>().ok();
    let hour_of = |text: Option<&&str>| {
        text.filter(|text| text.len() <= 2).and_then(|text| number(text)).filter(|hour| *hour < 24)
    };
    let year_of = |text: &str| {
        let year = text.parse::<i32>().ok()?;
        (1900..=2199).contains(&year).then_some(year)
    };
    let make_day = |year: i32, month: &str, day: &str| NaiveDate::from_ymd_opt(year, number(month)?, number(day)?);
    let as_hour = |hour: Option<u32>| hour.and_then(|hour| u8::try_from(hour).ok());
    match first.len() {
        8 | 10 => {
            let date = make_day(year_of(first.get(0..4)?)?, first.get(4..6)?, first.get(6..8)?)?;
            let hour = if first.len() == 10 { hour_of(first.get(8..10).as_ref()) } else { hour_of(runs.get(1)) };
            if first.len() == 10 && hour.is_none() {
                return None;
            }
            Some(DateLabel::Day { first: None, day: date, hour: as_hour(hour) })
        }
        6 => {
            let year = year_of(first.get(0..4)?)?;
            let month = number(first.get(4..6)?).filter(|month| (1..=12).contains(month))?;
            Some(DateLabel::Month { year, month })
        }
        4 => {
            let year = year_of(first)?;
            match (runs.get(1), runs.get(2)) {
                (Some(month), Some(day_text)) if month.len() <= 2 && day_text.len() <= 2 => {
                    let date = make_day(year, month, day_text)?;
                    Some(DateLabel::Day { first: None, day: date, hour: as_hour(hour_of(runs.get(3))) })
                }
                (Some(month), _) if month.len() <= 2 => {
                    let month = number(month).filter(|month| (1..=12).contains(month))?;
                    Some(DateLabel::Month { year, month })
                }
                _ => Some(DateLabel::Year(year)),
            }
        }
        _ => None,
    }
}

/// The `chart_date` (last day covered) and snapshot hour a label gives for `chart`, or why not.
///
/// A weekly label that is one day names the week's first day for the platforms (their weeks run
/// Monday to Sunday and their files are named by the Monday), and the week's last day for Circle
/// (Sunday to Saturday, named by the Saturday, as Circle prints its weeks); a range names its last
/// day. A monthly label stands for its month, a year-end label for its year.
pub(crate) fn chart_date_of(chart: ChartKind, label: DateLabel) -> Result<(NaiveDate, Option<u8>), String> {
    let is_circle = matches!(chart, ChartKind::Korean(korean) if korean.platform() == Platform::Circle);
    match (chart.period(), label) {
        (ChartPeriod::RealTime, DateLabel::Day { day, hour: Some(hour), .. }) => Ok((day, Some(hour))),
        (ChartPeriod::RealTime, DateLabel::Day { .. }) => Err("names no hour for a real-time snapshot".to_string()),
        (ChartPeriod::Day, DateLabel::Day { day, .. }) => Ok((day, None)),
        (ChartPeriod::Week, DateLabel::Day { first: Some(_), day, .. }) => Ok((day, None)),
        (ChartPeriod::Week, DateLabel::Day { first: None, day, .. }) if is_circle => Ok((day, None)),
        (ChartPeriod::Week, DateLabel::Day { first: None, day, .. }) => Ok((day + Duration::days(6), None)),
        (ChartPeriod::Month, DateLabel::Day { day, .. }) => {
            last_of_month(day.year(), day.month()).map(|day| (day, None))
        }
        (ChartPeriod::Month, DateLabel::Month { year, month }) => last_of_month(year, month).map(|day| (day, None)),
        (ChartPeriod::Year, DateLabel::Day { day, .. }) => year_end(day.year()),
        (ChartPeriod::Year, DateLabel::Year(year) | DateLabel::Month { year, .. }) => year_end(year),
        (period, _) => Err(format!("names no day for a {} chart", period.name())),
    }
}

fn last_of_month(year: i32, month: u32) -> Result<NaiveDate, String> {
    let next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
    next.and_then(|next| next.pred_opt()).ok_or_else(|| format!("{year}-{month:02} is not a month"))
}

fn year_end(year: i32) -> Result<(NaiveDate, Option<u8>), String> {
    NaiveDate::from_ymd_opt(year, 12, 31).map(|day| (day, None)).ok_or_else(|| format!("{year} is not a year"))
}

/// The Saturday ending Circle's week `week` of `year`. Circle's weeks run Sunday to Saturday and
/// are numbered ISO-style: a week belongs to the year holding its Thursday, so week 1 is the week
/// of the year's first Thursday (2016 week 1 is 3-9 January 2016, 2020 week 1 is 29 December 2019
/// to 4 January 2020).
pub(crate) fn circle_week_end(year: i32, week: u32) -> Option<NaiveDate> {
    let first_thursday = NaiveDate::from_weekday_of_month_opt(year, 1, Weekday::Thu, 1)?;
    let week_one_sunday = first_thursday - Duration::days(4);
    let saturday = week_one_sunday + Duration::weeks(i64::from(week.checked_sub(1)?)) + Duration::days(6);
    // The week's Thursday must still fall in `year`: week 53 exists only in some years.
    let thursday = saturday - Duration::days(2);
    (thursday.year() == year).then_some(saturday)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn check_cell(text: &str, expected: Option<&str>) {
        let shown = parse_date_cell(text).map(|label| match label {
            DateLabel::Day { first, day, hour } => {
                let first = first.map(|first| format!("{first}~")).unwrap_or_default();
                let hour = hour.map(|hour| format!(" {hour}h")).unwrap_or_default();
                format!("{first}{day}{hour}")
            }
            DateLabel::Month { year, month } => format!("{year}-{month:02}"),
            DateLabel::Year(year) => year.to_string(),
        });
        assert_eq!(shown.as_deref(), expected, "{text:?}");
    }

    #[test]
    fn date_cells_in_every_spelling() {
        check_cell("2022-01-01", Some("2022-01-01"));
        check_cell("2022.01.01", Some("2022-01-01"));
        check_cell("2022.01.01.", Some("2022-01-01"));
        check_cell("20220101", Some("2022-01-01"));
        check_cell("2022/1/1", Some("2022-01-01"));
        check_cell("44562", Some("2022-01-01"));
        check_cell("44562.0", Some("2022-01-01"));
        check_cell("2022-01-01 13:00", Some("2022-01-01 13h"));
        check_cell("2022.01.01 09시", Some("2022-01-01 9h"));
        check_cell("2022.01.03~2022.01.09", Some("2022-01-03~2022-01-09"));
        check_cell("2022-01", Some("2022-01"));
        check_cell("202201", Some("2022-01"));
        check_cell("2022", Some("2022"));
        check_cell("2022-13-01", None);
        check_cell("지난주", None);
        check_cell("17", None);
    }

    #[test]
    fn file_names_carry_a_date_and_maybe_an_hour() {
        let check = |name: &str, expected: Option<DateLabel>| assert_eq!(parse_name_date(name), expected, "{name}");
        let on = |text: &str, hour: Option<u8>| Some(DateLabel::Day { first: None, day: day(text), hour });
        check("day_genie_20220101.xlsx", on("2022-01-01", None));
        check("data/2022/week_bugs_20220103.xlsx", on("2022-01-03", None));
        check("melon-realtime-2022-01-01-13.csv", on("2022-01-01", Some(13)));
        check("melon_realtime_2022010113.csv", on("2022-01-01", Some(13)));
        check("genie_monthly_2022-01.csv", Some(DateLabel::Month { year: 2022, month: 1 }));
        check("melon_top100_year_end_2021.csv", Some(DateLabel::Year(2021)));
        check("chart.csv", None);
    }

    #[test]
    fn each_period_stores_the_last_day_it_covers() {
        let genie = |period| ChartKind::korean(Platform::Genie, period).unwrap();
        let on = |text: &str| DateLabel::Day { first: None, day: day(text), hour: None };
        let check = |chart: ChartKind, label: DateLabel, expected: Result<(NaiveDate, Option<u8>), String>| {
            assert_eq!(chart_date_of(chart, label), expected, "{chart:?} {label:?}");
        };
        check(genie(ChartPeriod::Day), on("2022-01-01"), Ok((day("2022-01-01"), None)));
        check(genie(ChartPeriod::Week), on("2022-01-03"), Ok((day("2022-01-09"), None)));
        let range = DateLabel::Day { first: Some(day("2022-01-03")), day: day("2022-01-09"), hour: None };
        check(genie(ChartPeriod::Week), range, Ok((day("2022-01-09"), None)));
        check(ChartKind::CIRCLE_WEEKLY, on("2017-01-07"), Ok((day("2017-01-07"), None)));
        check(genie(ChartPeriod::Month), on("2022-02-01"), Ok((day("2022-02-28"), None)));
        check(genie(ChartPeriod::Month), DateLabel::Month { year: 2022, month: 12 }, Ok((day("2022-12-31"), None)));
        check(ChartKind::MELON_YEAR_END, DateLabel::Year(2021), Ok((day("2021-12-31"), None)));
        let snapshot = DateLabel::Day { first: None, day: day("2022-01-01"), hour: Some(13) };
        check(genie(ChartPeriod::RealTime), snapshot, Ok((day("2022-01-01"), Some(13))));
        check(genie(ChartPeriod::RealTime), on("2022-01-01"), Err("names no hour for a real-time snapshot".into()));
        check(genie(ChartPeriod::Day), DateLabel::Year(2022), Err("names no day for a daily chart".into()));
    }

    #[test]
    fn circle_weeks_end_on_saturday_in_the_year_of_their_thursday() {
        let check = |year: i32, week: u32, expected: Option<&str>| {
            assert_eq!(circle_week_end(year, week), expected.map(day), "{year} week {week}");
        };
        check(2016, 1, Some("2016-01-09"));
        check(2017, 1, Some("2017-01-07"));
        check(2017, 4, Some("2017-01-28"));
        check(2020, 1, Some("2020-01-04"));
        check(2020, 8, Some("2020-02-22"));
        check(2020, 52, Some("2020-12-26"));
        check(2020, 53, Some("2021-01-02"));
        check(2016, 53, None);
        check(2016, 0, None);
    }
}
