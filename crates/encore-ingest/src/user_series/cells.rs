//! One cell read: a value as a number (thousands separators, decimal commas, `%`, `<1`), a date
//! in any of the spellings the module's documentation lists.

use chrono::NaiveDate;

use crate::korean_dates::{parse_date_cell, DateLabel};
use crate::search_trends::BELOW_ONE_VALUE;

/// A value cell as read.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Reading {
    Number(f64),
    Empty,
    NotANumber(String),
}

/// A value cell (see the module's documentation for what is taken).
pub(super) fn read_number(text: &str, decimal_comma: bool) -> Reading {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Reading::Empty;
    }
    if trimmed == "<1" {
        return Reading::Number(BELOW_ONE_VALUE);
    }
    let compact: String = trimmed.chars().filter(|character| !character.is_whitespace()).collect();
    let compact = compact.strip_suffix('%').unwrap_or(&compact);
    let plain = if decimal_comma && compact.contains(',') {
        // `1.234,5`: dots group thousands, the comma is the decimal mark.
        Some(compact.replace('.', "").replace(',', "."))
    } else if compact.contains(',') {
        without_thousands_commas(compact)
    } else {
        Some(compact.to_string())
    };
    match plain.and_then(|plain| plain.parse::<f64>().ok()) {
        Some(number) if number.is_finite() => Reading::Number(number),
        _ => Reading::NotANumber(trimmed.to_string()),
    }
}

/// `1,234,567.5` without its commas; `None` when the commas do not group thousands (`1,23`).
fn without_thousands_commas(text: &str) -> Option<String> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = whole.strip_prefix(['-', '+']).unwrap_or(whole);
    let mut groups = digits.split(',');
    let all_digits = |group: &str| group.chars().all(|character| character.is_ascii_digit());
    let first = groups.next()?;
    let first_fits = !first.is_empty() && first.len() <= 3 && all_digits(first);
    if !first_fits || !groups.all(|group| group.len() == 3 && all_digits(group)) || fraction.contains(',') {
        return None;
    }
    Some(text.replace(',', ""))
}

/// A date cell as the day it names: a month, a quarter or a year as its first day, a date and
/// time as its date (as written, whatever the time zone), a range (`2024.01.01~2024.01.07`) as its
/// first day, an Excel serial number (a workbook's date cell stored without a date format) as its
/// day. Only a date column's cells are read so: elsewhere a bare `1960` is a value.
pub(super) fn parse_date(text: &str) -> Option<NaiveDate> {
    let trimmed = text.trim();
    // English month names, as some dashboards export them.
    for format in ["%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y"] {
        if let Ok(date) = NaiveDate::parse_from_str(trimmed, format) {
            return Some(date);
        }
    }
    if let Some(first_day) = quarter_start(trimmed) {
        return Some(first_day);
    }
    // A year alone, from any century (the change point dataset's series start in 1800).
    if trimmed.len() == 4 && trimmed.bytes().all(|byte| byte.is_ascii_digit()) && !trimmed.starts_with('0') {
        return NaiveDate::from_ymd_opt(trimmed.parse().ok()?, 1, 1);
    }
    // Anything else must be digits and date punctuation: `2024-02-O7` is a typo, not a month.
    let is_date_character = |character: char| {
        character.is_ascii_digit() || character.is_whitespace() || "-./~:TZ+년월일".contains(character)
    };
    if trimmed.is_empty() || !trimmed.chars().all(is_date_character) {
        return None;
    }
    match parse_date_cell(trimmed)? {
        DateLabel::Day { first, day, .. } => Some(first.unwrap_or(day)),
        DateLabel::Month { year, month } => NaiveDate::from_ymd_opt(year, month, 1),
        DateLabel::Year(year) => NaiveDate::from_ymd_opt(year, 1, 1),
    }
}

/// The first day of a quarter written `2024Q1`, `2024-Q1`, `2024 q1`, `Q1 2024` or `2024년 1분기`.
fn quarter_start(text: &str) -> Option<NaiveDate> {
    let compact: String =
        text.chars().filter(|character| !character.is_whitespace() && *character != '-').collect::<String>();
    let compact = compact.to_uppercase();
    let (year, quarter) = match compact.split_once('Q') {
        // `Q1 2024`: the quarter's digit, then the year.
        Some(("", rest)) => (rest.get(1..)?, rest.get(..1)?),
        Some((year, quarter)) => (year, quarter),
        None => compact.strip_suffix("분기")?.split_once('년')?,
    };
    let is_digits = |text: &str| text.bytes().all(|byte| byte.is_ascii_digit());
    if year.len() != 4 || !is_digits(year) || quarter.len() != 1 || !is_digits(quarter) {
        return None;
    }
    let quarter: u32 = quarter.parse().ok().filter(|quarter| (1..=4).contains(quarter))?;
    NaiveDate::from_ymd_opt(year.parse().ok()?, quarter * 3 - 2, 1)
}
