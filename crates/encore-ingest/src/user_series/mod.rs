//! A user's own time series (issue 10: `encore detect|effect|decay FILE`): stream counts, a
//! YouTube Studio export, a Google Trends CSV, a researcher's panel, read into one regular series
//! or a panel of units on the same dates.
//!
//! The file may be CSV, TSV or semicolon-separated text (the separator sniffed from the first
//! lines), in UTF-8 with or without a byte-order mark or in EUC-KR, a workbook (its first sheet
//! with data, through [`table_bytes`]), or JSON (by a `.json` name or a first `[` or `{`; see
//! [`user_series_from_json`]). Lines before the header are skipped (a Google Trends export's
//! `Category:` line, Naver DataLab's metadata): the header is the first of the first ten non-empty
//! lines with a date column and no date beside it. Columns go by name, in any case, in English or
//! Korean ([`DATE_NAMES`], [`VALUE_NAMES`], [`UNIT_NAMES`]), and the user's names win:
//!
//! - long form: a date, maybe a unit, and a value column (`date,value`, `date,song,streams`);
//! - wide form: a date column and several number columns, each a unit (Google Trends' `Day,Song A:
//!   (Worldwide),Song B: (Worldwide)`, a sheet with one column per song);
//! - without a date column, the values are positions 0..n (a single column of numbers needs no
//!   header).
//!
//! A value is a number, maybe with `,` thousands separators (`"1,234"`), spaces or a trailing `%`
//! (dropped: `45%` is 45); in a semicolon-separated file a comma is the decimal mark (`3,5`), as
//! European spreadsheets write it. Google Trends writes `<1` for above zero but below one: it reads
//! as 0.5, the middle of that interval, as the crate's search-trend readers store it.
//!
//! A date is `2024-01-05`, `2024/01/05`, `2024.01.05`, `20240105`, `2024년 1월 5일`, `Jan 5, 2024`,
//! a date and time (its date as written, whatever the zone), a month (`2024-01`, `2024.01`: its
//! first day), a quarter (`2024Q1`, `2024-Q1`, `Q1 2024`, `2024년 1분기`: its first day), a year
//! (`1960` in the date column, `2024년`: its 1 January), or an Excel serial number (a workbook's
//! date column without a date format; date cells come out of [`table_bytes`] as ISO text). The
//! step is a whole number of months when every date is on the same day of its month (or every one
//! on its month's last): monthly, quarterly, yearly or any constant count; else the most common
//! difference in days (daily, weekly, any constant).
//!
//! Nothing is sorted, dropped or guessed silently: an unsorted file, a repeated date, irregular
//! dates, a gap, an empty cell or a value that is not a number is an error naming the file, the
//! line (a JSON list's item) and the column, and saying what to do. Gaps (and empty cells) are
//! filled only when the user asks ([`GapPolicy`]), and every fill is reported ([`FilledGap`]).
//! Unevenly spaced dates (business days, a price sampled every 13 to 16 days) are read only when
//! the user takes each row as one step ([`Spacing::Rows`]).

mod align;
mod cells;
mod columns;
mod error;
mod json;
mod observations;
mod steps;
mod table;

use std::fmt;

use chrono::NaiveDate;
use serde_json::Value;

use crate::encoding::utf8_or_euc_kr;
use crate::error::IngestError;
use crate::spreadsheet::table_bytes;

pub use columns::{DATE_NAMES, UNIT_NAMES, VALUE_NAMES};
pub use error::{DatePair, SeriesError};
use json::json_table;
use observations::series_of_table;
use table::delimited_table;

/// A user's series or panel, every unit on the same dates.
#[derive(Debug, Clone, PartialEq)]
pub struct UserSeries {
    /// The file name as given, for messages.
    pub file: String,
    /// One label per step, ascending: evenly spaced (after gap filling) under
    /// [`Spacing::Regular`], the file's own dates under [`Spacing::Rows`]; `None` when the file has
    /// no date column (then steps are positions 0..n).
    pub dates: Option<Vec<NaiveDate>>,
    /// The step between consecutive dates (under [`Spacing::Rows`] the most common one, for
    /// information); `None` without dates.
    pub step: Option<DateStep>,
    /// One or more units (a single series is one unit named after its value column, a long
    /// panel's units in the order they first appear); all the same length as `dates`.
    pub units: Vec<UnitSeries>,
    /// Gaps that were filled (empty under [`GapPolicy::Refuse`]), to report to the user.
    pub filled_gaps: Vec<FilledGap>,
}

/// One unit's values, one per step.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitSeries {
    pub name: String,
    pub values: Vec<f64>,
}

/// The step between consecutive dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStep {
    /// A constant number of days: 1 for daily, 7 for weekly.
    Days(u32),
    /// A constant number of calendar months: 1 for monthly, 3 for quarterly, 12 for yearly; every
    /// date on the same day of its month (or every one on its month's last).
    Months(u32),
}

/// A run of steps one unit lacked, filled by the [`GapPolicy`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilledGap {
    pub unit: String,
    /// The first date filled.
    pub from: NaiveDate,
    /// The last date filled.
    pub to: NaiveDate,
    /// How many steps were filled.
    pub missing: usize,
}

/// What to do with a missing date (or an empty value cell) of a dated series.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum GapPolicy {
    /// An error naming the gap: a silent fill would change what the analyses find.
    #[default]
    Refuse,
    /// A missing step is 0 (a day without plays).
    Zero,
    /// A missing step is on the straight line between its neighbours; a unit that starts later or
    /// ends earlier than the others has no neighbour there, and is an error.
    Linear,
}

/// How a dated series' dates make its steps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Spacing {
    /// The dates are evenly spaced (every day, week, N days, month, quarter, year…): a date off the
    /// step is an error, a missing one a gap for the [`GapPolicy`].
    #[default]
    Regular,
    /// Each row is one step whatever its date (a business-day series without weekends, a price
    /// sampled every 13 to 16 days): the dates must still ascend without repeats and every unit
    /// have them all, but nothing is a gap and nothing is filled (an empty cell is an error); the
    /// dates stay as the steps' labels.
    Rows,
}

/// The user's choices: gap filling, spacing and column names (which win over the synonyms).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeriesOptions {
    pub gaps: GapPolicy,
    pub spacing: Spacing,
    pub date_column: Option<String>,
    pub value_column: Option<String>,
    pub unit_column: Option<String>,
    /// The most values (steps × units, after the dates are laid out) a read may make; `None` takes
    /// any. A server sets it: two dates centuries apart make a long axis from a short file.
    pub max_cells: Option<usize>,
}

/// Where in the input a cell is, as the user can find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A line of a text file, or a workbook's sheet row, from 1.
    Line(u64),
    /// An element of a JSON list, from 1, and the unit whose list it is in `{"unit": [...]}`.
    Item { index: usize, unit: Option<String> },
}

/// A cell whose value could not be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadCell {
    pub place: Place,
    /// The column as the header spells it.
    pub column: String,
    pub text: String,
}

impl fmt::Display for Place {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Line(line) => write!(formatter, "line {line}"),
            Place::Item { index, unit: None } => write!(formatter, "item {index}"),
            Place::Item { index, unit: Some(unit) } => write!(formatter, "item {index} of `{unit}`"),
        }
    }
}

impl fmt::Display for DateStep {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateStep::Days(1) => formatter.write_str("daily"),
            DateStep::Days(7) => formatter.write_str("weekly"),
            DateStep::Days(days) => write!(formatter, "every {days} days"),
            DateStep::Months(1) => formatter.write_str("monthly"),
            DateStep::Months(3) => formatter.write_str("quarterly"),
            DateStep::Months(12) => formatter.write_str("yearly"),
            DateStep::Months(months) => write!(formatter, "every {months} months"),
        }
    }
}

impl UserSeries {
    /// The unit of that name: as written, else ignoring case and surrounding spaces.
    pub fn unit(&self, name: &str) -> Option<&UnitSeries> {
        let loose = name.trim().to_lowercase();
        self.units
            .iter()
            .find(|unit| unit.name == name)
            .or_else(|| self.units.iter().find(|unit| unit.name.trim().to_lowercase() == loose))
    }

    /// The number of steps.
    pub fn len(&self) -> usize {
        self.units.first().map_or(0, |unit| unit.values.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Reads a user's series from a file's bytes (see the module's documentation); `file_name` is
/// for messages and tells a `.json` file.
pub fn read_user_series(bytes: &[u8], file_name: &str, options: &SeriesOptions) -> Result<UserSeries, SeriesError> {
    let table_text = table_bytes(file_name, bytes).map_err(|error| SeriesError::Workbook {
        file: file_name.to_string(),
        reason: match error {
            IngestError::Workbook { reason, .. } => reason,
            other => other.to_string(),
        },
    })?;
    let decoded = utf8_or_euc_kr(&table_text);
    let text = std::str::from_utf8(&decoded).map_err(|error| SeriesError::Unreadable {
        file: file_name.to_string(),
        reason: format!(
            "neither UTF-8 nor EUC-KR text (a bad byte at offset {}); save it as UTF-8 CSV",
            error.valid_up_to()
        ),
    })?;
    let is_json = file_name.to_ascii_lowercase().ends_with(".json") || text.trim_start().starts_with(['[', '{']);
    if is_json {
        let value: Value = serde_json::from_str(text).map_err(|error| SeriesError::Unreadable {
            file: file_name.to_string(),
            reason: format!("not valid JSON ({error})"),
        })?;
        return user_series_from_json(&value, file_name, options);
    }
    let table = delimited_table(text, file_name, options)?;
    series_of_table(&table, file_name, options)
}

/// The same from a JSON value (the HTTP body's `series` field, or a JSON file): accepts
/// `[{"date":"2024-01-01","value":3}, …]` (with an optional unit, any of the column names a file
/// may use), `[3, 4, 5]` (positions), `{"dates":[…],"values":[…]}` (maybe with a `"name"`), and
/// `{"unit name": [{"date":…,"value":…}, …], …}` (or lists of numbers), units in the order
/// serde_json keeps the object's keys. A value may be a number, a string as a file would write
/// it (`"1,234"`, `"<1"`), or `null` for an empty cell.
pub fn user_series_from_json(
    value: &Value,
    source_name: &str,
    options: &SeriesOptions,
) -> Result<UserSeries, SeriesError> {
    let table = json_table(value, source_name)?;
    series_of_table(&table, source_name, options)
}

#[cfg(test)]
mod tests;
