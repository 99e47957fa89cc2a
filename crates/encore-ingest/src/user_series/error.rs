//! Why a file could not be read as a series: one variant per fault of the user's file, each
//! message naming the place and the fix.

use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};

use super::steps::month_number;
use super::table::HEADER_SEARCH_LINES;
use super::{BadCell, DateStep, Place};

/// What the fixes of a gap or an empty cell say.
const FILL_ADVICE: &str = "use --fill zero or --fill linear";

/// Why a file could not be read as a series. Every variant is bad input: the user's file (or
/// their column names) must change.
#[derive(Debug, thiserror::Error)]
pub enum SeriesError {
    /// Bad input: bytes that are neither UTF-8 nor EUC-KR text, CSV or JSON that does not parse.
    #[error("{file}: {reason}")]
    Unreadable { file: String, reason: String },

    /// Bad input: a workbook that cannot be read (truncated, corrupt, or not a workbook).
    #[error("{file}: cannot read the workbook: {reason}")]
    Workbook { file: String, reason: String },

    /// Bad input: JSON of a shape this reader does not take.
    #[error(
        "{file}: {location}{reason}; give [{{\"date\": \"2024-01-01\", \"value\": 3}}, …], [3, 4, 5], \
         {{\"dates\": […], \"values\": […]}} or {{\"unit name\": [{{\"date\": …, \"value\": …}}, …], …}}",
        location = place.as_ref().map(|place| format!("{place}: ")).unwrap_or_default()
    )]
    JsonShape { file: String, place: Option<Place>, reason: String },

    /// Bad input: a column the user named is not in the header.
    #[error("{file}: {place}: the header has no column `{column}` (asked for as the {role} column); it has {headers}")]
    MissingColumn { file: String, place: Place, role: &'static str, column: String, headers: String },

    /// Bad input: no header with the date column the user named in the first lines.
    #[error(
        "{file}: none of the first {HEADER_SEARCH_LINES} lines is a header with a `{column}` column (they start: \
         {seen}); check --date-column"
    )]
    HeaderNotFound { file: String, column: String, seen: String },

    /// Bad input: no column of numbers to read.
    #[error(
        "{file}: {place}: no column holds numbers (the header has {headers}); name the value column with \
         --value-column"
    )]
    NoValueColumn { file: String, place: Place, headers: String },

    /// Bad input: a long panel with several columns that could be its value.
    #[error(
        "{file}: {place}: any of {candidates} could be the value of each {unit_column}; name one with --value-column"
    )]
    ValueColumnUnclear { file: String, place: Place, unit_column: String, candidates: String },

    /// Bad input: more steps × units than the caller takes ([`super::SeriesOptions::max_cells`]).
    #[error(
        "{file}: its dates span {steps} steps for {units} units ({cells} values), more than the {max} taken here; \
         send fewer units or a shorter span"
    )]
    TooLarge { file: String, steps: usize, units: usize, cells: usize, max: usize },

    /// Bad input: a header, or nothing, and no rows of data.
    #[error("{file}: no rows of data{after}; the file starts: {seen}")]
    NoRows { file: String, after: String, seen: String },

    /// Bad input: a row with more cells than the header has columns (often an unquoted `1,234`).
    #[error(
        "{file}: {place}: {found} cells where the header has {expected}; quote numbers with thousands \
         separators (\"1,234\") or drop the extra cells"
    )]
    FieldCount { file: String, place: Place, found: usize, expected: usize },

    /// Bad input: values that are not numbers, the first ten of them listed.
    #[error("{file}: {}", BadCellList { cells, total: *total, what: "is not a number", plural: "values are not numbers" })]
    NotNumbers { file: String, cells: Vec<BadCell>, total: usize },

    /// Bad input: empty value cells where nothing may be filled in (no gap policy, or no dates).
    #[error(
        "{file}: {}; {}",
        BadCellList { cells, total: *total, what: "empty value", plural: "empty values" },
        fill_advice(*total, *can_fill)
    )]
    EmptyValues { file: String, cells: Vec<BadCell>, total: usize, can_fill: bool },

    /// Bad input: a long panel's row without its unit.
    #[error("{file}: {place}, column `{column}`: empty unit; every row of a panel names its unit")]
    EmptyUnit { file: String, place: Place, column: String },

    /// Bad input: a date cell that cannot be read.
    #[error(
        "{file}: {place}, column `{column}`: {}; write dates as 2024-01-05, 2024/01/05, 2024.01.05, 20240105, \
         2024년 1월 5일, 2024-01 for a month, 2024Q1 for a quarter or 2024 for a year",
        if text.is_empty() { "empty date".to_string() } else { format!("{text:?} is not a date") }
    )]
    BadDate { file: String, place: Place, column: String, text: String },

    /// Bad input: a date earlier than the row before (of the same unit).
    #[error(
        "{file}: {place}, column `{column}`: {date} comes before {previous} on {previous_place}{unit}; sort the file \
         by date",
        place = dates.place,
        column = dates.column,
        date = dates.date,
        previous = dates.previous,
        previous_place = dates.previous_place,
        unit = for_unit(&dates.unit)
    )]
    Unsorted { file: String, dates: Box<DatePair> },

    /// Bad input: the same date twice (for the same unit); `previous` is the same date, where it
    /// first is.
    #[error(
        "{file}: {place}, column `{column}`: {date} is already on {previous_place}{unit}; keep one row per date",
        place = dates.place,
        column = dates.column,
        date = dates.date,
        previous_place = dates.previous_place,
        unit = for_unit(&dates.unit)
    )]
    DuplicateDate { file: String, dates: Box<DatePair> },

    /// Bad input: dates not a whole number of steps apart, under
    /// [`Spacing::Regular`](super::Spacing::Regular).
    #[error(
        "{file}: {place}, column `{column}`: irregular dates: {date} is {distance} after {previous} on \
         {previous_place}, not a whole number of the series' step ({step}); fix the date, or use --spacing rows to \
         take each row as one step",
        place = dates.place,
        column = dates.column,
        date = dates.date,
        distance = distance(*step, dates.previous, dates.date),
        previous = dates.previous,
        previous_place = dates.previous_place
    )]
    Irregular { file: String, dates: Box<DatePair>, step: DateStep },

    /// Bad input: missing dates under [`GapPolicy::Refuse`](super::GapPolicy::Refuse).
    #[error(
        "{file}: {place}, column `{column}`: {date} follows {previous} on {previous_place}{unit}, so {missing} \
         ({range}); add the missing rows, or {FILL_ADVICE}{weekends}",
        place = dates.place,
        column = dates.column,
        date = dates.date,
        previous = dates.previous,
        previous_place = dates.previous_place,
        unit = for_unit(&dates.unit),
        missing = step.missing_phrase(*missing),
        range = date_range(*missing_from, *missing_to),
        weekends = weekend_advice(*step, *missing_from, *missing_to)
    )]
    Gap {
        file: String,
        dates: Box<DatePair>,
        step: DateStep,
        missing: usize,
        missing_from: NaiveDate,
        missing_to: NaiveDate,
    },

    /// Bad input: a panel's unit without a date other units have, where nothing may be filled in
    /// ([`GapPolicy::Refuse`](super::GapPolicy::Refuse) or [`Spacing::Rows`](super::Spacing::Rows)).
    #[error(
        "{file}: unit `{unit}` has no value for {date}, which `{other_unit}` has on {other_place}; give every unit \
         the same dates{}",
        if *can_fill { format!(", or {FILL_ADVICE}") } else { String::new() }
    )]
    UnitMissing { file: String, unit: String, date: NaiveDate, other_unit: String, other_place: Place, can_fill: bool },

    /// Bad input: [`GapPolicy::Linear`](super::GapPolicy::Linear) asked to fill before a unit's first
    /// or after its last value.
    #[error(
        "{file}: unit `{unit}` has no value from {from} to {to}, before its first or after its last: a straight line \
         needs a value on both sides; use --fill zero, or give it those dates"
    )]
    CannotInterpolate { file: String, unit: String, from: NaiveDate, to: NaiveDate },

    /// Bad input: units of an undated panel with different numbers of values.
    #[error(
        "{file}: unit `{unit}` has {length} values and `{other_unit}` {other_length}; without dates every unit needs \
         as many (add a date column to align them)"
    )]
    UnequalLengths { file: String, unit: String, length: usize, other_unit: String, other_length: usize },
}

/// A date of the file that breaks the order or the spacing of dates, beside the date before it
/// (of the same unit). Boxed in its errors, which it would make large.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatePair {
    pub place: Place,
    /// The date column as the header spells it.
    pub column: String,
    /// The unit whose dates these are, when a long panel's rows are per unit.
    pub unit: Option<String>,
    pub date: NaiveDate,
    pub previous: NaiveDate,
    pub previous_place: Place,
}

/// What to do about empty cells: fill them in, or (with dates) let the gap policy do it.
fn fill_advice(total: usize, can_fill: bool) -> String {
    let them = if total == 1 { "it" } else { "them" };
    if can_fill {
        format!("fill {them} in, or {FILL_ADVICE}")
    } else {
        format!("fill {them} in")
    }
}

fn for_unit(unit: &Option<String>) -> String {
    unit.as_ref().map(|unit| format!(" (unit `{unit}`)")).unwrap_or_default()
}

/// How far apart two dates are in the step's unit: `16 days`, `2 months`.
fn distance(step: DateStep, from: NaiveDate, to: NaiveDate) -> String {
    let (count, unit) = match step {
        DateStep::Days(_) => ((to - from).num_days(), "day"),
        DateStep::Months(_) => (month_number(to) - month_number(from), "month"),
    };
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {unit}{plural}")
}

/// A daily series missing only a weekend is likely a business-day series: each row its step.
fn weekend_advice(step: DateStep, from: NaiveDate, to: NaiveDate) -> &'static str {
    let is_weekend = |date: &NaiveDate| matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
    if step == DateStep::Days(1) && from.iter_days().take_while(|date| *date <= to).all(|date| is_weekend(&date)) {
        "; a series without weekends is read with --spacing rows, each row a step"
    } else {
        ""
    }
}

fn date_range(from: NaiveDate, to: NaiveDate) -> String {
    if from == to {
        from.to_string()
    } else {
        format!("{from} to {to}")
    }
}

/// `line 4, column `streams`: "12a" is not a number`, or a count and the first few.
struct BadCellList<'a> {
    cells: &'a [BadCell],
    total: usize,
    what: &'static str,
    plural: &'static str,
}

impl fmt::Display for BadCellList<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cell_text = |cell: &BadCell| {
            let text = if cell.text.is_empty() { String::new() } else { format!(": {:?}", cell.text) };
            format!("{}, column `{}`{text}", cell.place, cell.column)
        };
        if let ([only], 1) = (self.cells, self.total) {
            let text = if only.text.is_empty() { String::new() } else { format!("{:?} ", only.text) };
            return write!(formatter, "{}, column `{}`: {text}{}", only.place, only.column, self.what);
        }
        let listed: Vec<String> = self.cells.iter().map(cell_text).collect();
        write!(formatter, "{} {} ({}", self.total, self.plural, listed.join("; "))?;
        if self.total > self.cells.len() {
            write!(formatter, "; and {} more", self.total - self.cells.len())?;
        }
        formatter.write_str(")")
    }
}
