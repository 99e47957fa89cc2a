//! Dates as sources give them: a day, a month, a year, or an interval of days.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A date with the precision its source stated (ISO 8601 forms `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, and
/// the interval `YYYY-MM-DD/YYYY-MM-DD` used for weekly chart periods).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartialDate {
    Day(NaiveDate),
    Month { year: i32, month: u32 },
    Year(i32),
    Interval { start: NaiveDate, end: NaiveDate },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a date (expected YYYY-MM-DD, YYYY-MM, YYYY or YYYY-MM-DD/YYYY-MM-DD)")]
pub struct DateError {
    pub text: String,
}

impl PartialDate {
    pub fn parse(text: &str) -> Result<PartialDate, DateError> {
        let text = text.trim();
        let error = || DateError { text: text.to_string() };
        if let Some((start, end)) = text.split_once('/') {
            let start = parse_day(start).ok_or_else(error)?;
            let end = parse_day(end).ok_or_else(error)?;
            if end < start {
                return Err(error());
            }
            return Ok(PartialDate::Interval { start, end });
        }
        match text.len() {
            10 => parse_day(text).map(PartialDate::Day).ok_or_else(error),
            7 => {
                let (year, month) = text.split_once('-').ok_or_else(error)?;
                let year: i32 = year.parse().map_err(|_| error())?;
                let month: u32 = month.parse().map_err(|_| error())?;
                NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(error)?;
                Ok(PartialDate::Month { year, month })
            }
            4 => text.parse().map(PartialDate::Year).map_err(|_| error()),
            _ => Err(error()),
        }
    }

    /// The first day the date covers.
    pub fn first_day(&self) -> NaiveDate {
        match *self {
            PartialDate::Day(day) => day,
            PartialDate::Month { year, month } => {
                NaiveDate::from_ymd_opt(year, month, 1).expect("validated when parsed")
            }
            PartialDate::Year(year) => NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN),
            PartialDate::Interval { start, .. } => start,
        }
    }

    /// The last day the date covers.
    pub fn last_day(&self) -> NaiveDate {
        match *self {
            PartialDate::Day(day) => day,
            PartialDate::Month { year, month } => {
                let next = if month == 12 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(year, month + 1, 1)
                };
                next.and_then(|day| day.pred_opt()).unwrap_or(NaiveDate::MAX)
            }
            PartialDate::Year(year) => NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX),
            PartialDate::Interval { end, .. } => end,
        }
    }

    /// The day itself when the source stated a day, `None` for coarser dates.
    pub fn as_day(&self) -> Option<NaiveDate> {
        match *self {
            PartialDate::Day(day) => Some(day),
            _ => None,
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartialDate::Day(day) => write!(formatter, "{day}"),
            PartialDate::Month { year, month } => write!(formatter, "{year:04}-{month:02}"),
            PartialDate::Year(year) => write!(formatter, "{year:04}"),
            PartialDate::Interval { start, end } => write!(formatter, "{start}/{end}"),
        }
    }
}

fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// Whole years from `origin` to `day`, counting a year only once its anniversary is reached.
pub fn whole_years_between(origin: NaiveDate, day: NaiveDate) -> i32 {
    let mut years = day.year() - origin.year();
    if (day.month(), day.day()) < (origin.month(), origin.day()) {
        years -= 1;
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn parses_every_precision_and_keeps_its_span() {
        let check = |text: &str, first: &str, last: &str| {
            let date = PartialDate::parse(text).unwrap();
            assert_eq!((date.first_day(), date.last_day()), (day(first), day(last)), "{text}");
            assert_eq!(date.to_string(), text);
        };
        check("2016-12-02", "2016-12-02", "2016-12-02");
        check("2019-07", "2019-07-01", "2019-07-31");
        check("2024-02", "2024-02-01", "2024-02-29");
        check("2022", "2022-01-01", "2022-12-31");
        check("2020-05-24/2020-05-30", "2020-05-24", "2020-05-30");
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for text in ["", "2016-13-01", "2016-02-30", "20161202", "soon", "2020-05-30/2020-05-24"] {
            assert!(PartialDate::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn counts_whole_years() {
        assert_eq!(whole_years_between(day("2016-12-02"), day("2025-12-01")), 8);
        assert_eq!(whole_years_between(day("2016-12-02"), day("2025-12-02")), 9);
    }
}
