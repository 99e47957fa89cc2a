//! What the two search-trend exports (Naver DataLab, Google Trends) share: a date cell read as the
//! first day of its period, a value cell read as a 0-100 index (Google's `<1` as 0.5), the period
//! told by the dates when the file does not name it, and each row stamped with its file's range.

use chrono::{Datelike, NaiveDate};
use encore_domain::{SearchInterest, SearchPeriod};

use crate::korean_dates::{parse_date_cell, DateLabel};

/// What Google writes for a value above zero but below one.
const BELOW_ONE: &str = "<1";

/// What may stand between a date's digits: `2022-01-02`, `2022.01.02`, `2022/01/02`,
/// `2022-01-02 - 2022-01-08`, `2022.01.03~2022.01.09`, `2022-01-02T05:00:00`.
const DATE_PUNCTUATION: &str = "-./~:T ";

/// The value stored for `<1`: the middle of the open interval (0, 1).
pub(crate) const BELOW_ONE_VALUE: f64 = 0.5;

/// The first day of the period a date cell names: a day (`2022-01-01`, `2022.01.01`, `20220101`,
/// an Excel serial number), the first day of a range (`2022-01-02 - 2022-01-08`,
/// `2022.01.03~2022.01.09`) or of a month (`2022-01`). A time of day or a bare year is refused, and
/// so is a cell with anything but digits and date punctuation (`2022-02-O7` is a typo, not a date).
pub(crate) fn first_day(text: &str) -> Result<NaiveDate, String> {
    let not_a_date = || format!("{text:?} is not a date (YYYY-MM-DD, or YYYY-MM for a month)");
    if !text.chars().all(|character| character.is_ascii_digit() || DATE_PUNCTUATION.contains(character)) {
        return Err(not_a_date());
    }
    match parse_date_cell(text).ok_or_else(not_a_date)? {
        DateLabel::Day { hour: Some(_), .. } => {
            Err(format!("{text:?} is a time of day: only daily, weekly and monthly series are read"))
        }
        DateLabel::Day { first, day, hour: None } => Ok(first.unwrap_or(day)),
        DateLabel::Month { year, month } => NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(not_a_date),
        DateLabel::Year(_) => Err(not_a_date()),
    }
}

/// A value cell: a number from 0 to 100 (a decimal for Naver, a whole number for Google), or `<1`,
/// stored as [`BELOW_ONE_VALUE`]. Returns the value and whether it was `<1`.
pub(crate) fn index_value(text: &str) -> Result<(f64, bool), String> {
    let trimmed = text.trim();
    if trimmed == BELOW_ONE {
        return Ok((BELOW_ONE_VALUE, true));
    }
    if trimmed.is_empty() {
        return Err("is empty".to_string());
    }
    match trimmed.parse::<f64>() {
        Ok(value) if (0.0..=100.0).contains(&value) => Ok((value, false)),
        Ok(_) => Err(format!("{trimmed:?} is outside 0-100")),
        Err(_) => Err(format!("{trimmed:?} is not a number (0-100, or <1)")),
    }
}

/// The period the dates step by, when the file does not name it: a month when every date is a
/// month's first day and they are at least 28 days apart, a week when they are 7 days apart, a day
/// when 1. `None` when there are fewer than two dates or the steps fit none of these.
pub(crate) fn period_of_dates(dates: &[NaiveDate]) -> Option<SearchPeriod> {
    let mut sorted: Vec<NaiveDate> = dates.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let smallest_step = sorted.windows(2).map(|pair| (pair[1] - pair[0]).num_days()).min()?;
    if smallest_step >= 28 && sorted.iter().all(|date| date.day() == 1) {
        return Some(SearchPeriod::Month);
    }
    match smallest_step {
        1 => Some(SearchPeriod::Day),
        7 => Some(SearchPeriod::Week),
        _ => None,
    }
}

/// Stamps every row with the period (the file's, else told by the dates, else a day) and the
/// file's range: the first and last dates of its rows, which its values are relative to.
pub(crate) fn finish(rows: &mut [SearchInterest], named_period: Option<SearchPeriod>) {
    let dates: Vec<NaiveDate> = rows.iter().map(|row| row.date).collect();
    let period = named_period.or_else(|| period_of_dates(&dates)).unwrap_or(SearchPeriod::Day);
    let (Some(&range_start), Some(&range_end)) = (dates.iter().min(), dates.iter().max()) else {
        return;
    };
    for row in rows {
        row.period = period;
        row.range_start = range_start;
        row.range_end = range_end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn a_date_cell_gives_its_periods_first_day() {
        let check = |text: &str, expected: Result<&str, &str>| {
            assert_eq!(first_day(text), expected.map(day).map_err(str::to_string), "{text}");
        };
        check("2022-01-01", Ok("2022-01-01"));
        check("2022.01.03", Ok("2022-01-03"));
        check("20220103", Ok("2022-01-03"));
        check("44562", Ok("2022-01-01"));
        check("2022-01-02 - 2022-01-08", Ok("2022-01-02"));
        check("2022.01.03~2022.01.09", Ok("2022-01-03"));
        check("2022-01", Ok("2022-01-01"));
        check("2022-13-01", Err("\"2022-13-01\" is not a date (YYYY-MM-DD, or YYYY-MM for a month)"));
        check("2022-02-O7", Err("\"2022-02-O7\" is not a date (YYYY-MM-DD, or YYYY-MM for a month)"));
        check("yesterday", Err("\"yesterday\" is not a date (YYYY-MM-DD, or YYYY-MM for a month)"));
        check("2022", Err("\"2022\" is not a date (YYYY-MM-DD, or YYYY-MM for a month)"));
        check(
            "2022-01-02T05:00:00",
            Err("\"2022-01-02T05:00:00\" is a time of day: only daily, weekly and monthly series are read"),
        );
    }

    #[test]
    fn values_are_indices_and_below_one_is_a_half() {
        assert_eq!(index_value("3.21455"), Ok((3.21455, false)));
        assert_eq!(index_value(" 100 "), Ok((100.0, false)));
        assert_eq!(index_value("<1"), Ok((0.5, true)));
        assert_eq!(index_value("n/a"), Err("\"n/a\" is not a number (0-100, or <1)".to_string()));
        assert_eq!(index_value("101"), Err("\"101\" is outside 0-100".to_string()));
        assert_eq!(index_value("NaN"), Err("\"NaN\" is outside 0-100".to_string()));
        assert_eq!(index_value(""), Err("is empty".to_string()));
    }

    #[test]
    fn the_period_is_told_by_the_steps_between_dates() {
        let check = |dates: &[&str], expected: Option<SearchPeriod>| {
            let dates: Vec<NaiveDate> = dates.iter().map(|text| day(text)).collect();
            assert_eq!(period_of_dates(&dates), expected, "{dates:?}");
        };
        check(&["2022-01-02", "2022-01-01", "2022-01-03"], Some(SearchPeriod::Day));
        check(&["2022-01-02", "2022-01-09", "2022-01-23"], Some(SearchPeriod::Week));
        check(&["2022-01-01", "2022-02-01", "2022-03-01"], Some(SearchPeriod::Month));
        check(&["2022-01-01", "2022-01-04"], None);
        check(&["2022-01-01"], None);
    }
}
