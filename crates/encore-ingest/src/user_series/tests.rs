//! Tests of the user series reader: every format on hand-made inputs, every error by its message,
//! and real series from `../shared/data`; the helpers here, the tests in `tests/`.

use chrono::NaiveDate;
use serde_json::Value;

use super::cells::{parse_date, read_number, Reading};
use super::steps::{infer_step, usual_step};
use super::*;

mod errors;
mod formats;
mod json;
mod spacing;
mod steps;

/// A series as one line: its dates and step (or positions), each unit's values, what was filled.
fn show(series: &UserSeries) -> String {
    let axis = match (&series.dates, series.step) {
        (Some(dates), Some(step)) => match (dates.first(), dates.last()) {
            (Some(first), Some(last)) => format!("{first}..{last} {step}"),
            _ => "no dates".to_string(),
        },
        _ => "positions".to_string(),
    };
    let units: Vec<String> = series
        .units
        .iter()
        .map(|unit| {
            let values: Vec<String> = unit.values.iter().map(|value| value.to_string()).collect();
            format!("{}=[{}]", unit.name, values.join(" "))
        })
        .collect();
    let mut line = format!("{axis}: {}", units.join("; "));
    for gap in &series.filled_gaps {
        line.push_str(&format!(" | filled {} {}..{} ({})", gap.unit, gap.from, gap.to, gap.missing));
    }
    line
}

fn read_with(text: &str, name: &str, options: &SeriesOptions) -> Result<UserSeries, SeriesError> {
    read_user_series(text.as_bytes(), name, options)
}

fn check(text: &str, expected: &str) {
    check_with(text, &SeriesOptions::default(), expected);
}

fn check_with(text: &str, options: &SeriesOptions, expected: &str) {
    match read_with(text, "s.csv", options) {
        Ok(series) => {
            assert_eq!(show(&series), expected, "{text:?}");
            assert!(series.units.iter().all(|unit| unit.values.len() == series.len()));
            if let Some(dates) = &series.dates {
                assert_eq!(dates.len(), series.len());
            }
        }
        Err(error) => panic!("{text:?} failed: {error}"),
    }
}

fn error_of(text: &str, options: &SeriesOptions) -> String {
    match read_with(text, "s.csv", options) {
        Ok(series) => panic!("{text:?} read as {}", show(&series)),
        Err(error) => error.to_string(),
    }
}

fn check_error(text: &str, expected: &str) {
    assert_eq!(error_of(text, &SeriesOptions::default()), expected, "{text:?}");
}

fn filling(gaps: GapPolicy) -> SeriesOptions {
    SeriesOptions { gaps, ..SeriesOptions::default() }
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn rows_as_steps(gaps: GapPolicy) -> SeriesOptions {
    SeriesOptions { gaps, spacing: Spacing::Rows, ..SeriesOptions::default() }
}
