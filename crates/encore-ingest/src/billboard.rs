//! Billboard weekly chart JSON: `{date, data: [{song, artist, this_week, last_week,
//! peak_position, weeks_on_chart}]}`, one file per chart week. The Hot 100 by default; a file whose
//! name says `global-200` (or `global200`) is the Billboard Global 200. The same columns as CSV are
//! read by [`crate::billboard_csv`].
//!
//! JSON rows have no line numbers of their own, so a row's `source_line` (and a rejected row's
//! `line`) is its 1-based position in `data`. A file that is not JSON at all is one rejection,
//! with the line serde_json stopped at.

use std::path::Path;

use chrono::NaiveDate;
use encore_domain::{ChartEntry, ChartKind};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::error::{read_bytes, IngestError};
use crate::report::{Parsed, Rejected};
use crate::table::parse_day;

/// The file as it should be. Parsing straight into it is the fast path; only a file that does
/// not fit falls back to the slower row-by-row reading that can name the bad field.
#[derive(Deserialize)]
struct WeekFile {
    date: String,
    data: Vec<WeekRow>,
}

#[derive(Deserialize)]
pub(crate) struct WeekRow {
    pub(crate) song: String,
    pub(crate) artist: String,
    pub(crate) this_week: u32,
    // Without `deserialize_with`, serde would read a missing `last_week` as `None`; the key must
    // be present, `null` for a new entry.
    #[serde(deserialize_with = "nullable")]
    pub(crate) last_week: Option<u32>,
    pub(crate) peak_position: u32,
    pub(crate) weeks_on_chart: u32,
}

fn nullable<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    Option::<u32>::deserialize(deserializer)
}

/// Which Billboard chart a file holds, by its path (file or folder name): the Global 200 when it
/// says so, else the Hot 100.
pub(crate) fn chart_of_file(file_name: &str) -> ChartKind {
    let name = file_name.to_ascii_lowercase().replace(['_', ' '], "-");
    if name.contains("global-200") || name.contains("global200") {
        ChartKind::BillboardGlobal200
    } else {
        ChartKind::BillboardHot100
    }
}

/// The region a Billboard chart speaks for.
pub(crate) fn region_of(chart: ChartKind) -> &'static str {
    match chart {
        ChartKind::BillboardGlobal200 => "global",
        _ => "us",
    }
}

/// Parses one Billboard week (Hot 100 or, by its name, Global 200). `file_name` is used for the
/// chart, in messages and in `source_file`.
pub fn parse_billboard(bytes: &[u8], file_name: &str) -> Parsed<ChartEntry> {
    let chart = chart_of_file(file_name);
    let mut parsed = parse_billboard_week(bytes, file_name);
    for row in &mut parsed.rows {
        row.chart = chart;
        row.region = region_of(chart).to_string();
    }
    parsed
}

fn parse_billboard_week(bytes: &[u8], file_name: &str) -> Parsed<ChartEntry> {
    match serde_json::from_slice::<WeekFile>(bytes) {
        Ok(week) => {
            let Some(chart_date) = parse_day(&week.date) else {
                return Parsed::only_rejected(bad_date(file_name, &week.date));
            };
            let mut parsed = Parsed { rows: Vec::with_capacity(week.data.len()), rejected: Vec::new(), skipped: 0 };
            for (position, row) in week.data.into_iter().enumerate() {
                parsed.push(entry(row, chart_date, file_name, position as u64 + 1));
            }
            parsed
        }
        Err(_) => parse_row_by_row(bytes, file_name),
    }
}

/// Reads and parses one Billboard JSON file.
pub fn read_billboard(path: &Path) -> Result<Parsed<ChartEntry>, IngestError> {
    let bytes = read_bytes(path)?;
    Ok(parse_billboard(&bytes, &path.display().to_string()))
}

fn parse_row_by_row(bytes: &[u8], file: &str) -> Parsed<ChartEntry> {
    let document: Value = match serde_json::from_slice(bytes) {
        Ok(document) => document,
        Err(error) => {
            let line = error.line().max(1) as u64;
            return Parsed::only_rejected(Rejected::new(file, line, "", format!("not JSON ({error})")));
        }
    };
    let Some(week) = document.as_object() else {
        return Parsed::only_rejected(Rejected::new(file, 1, "", "not a JSON object with `date` and `data`"));
    };
    let chart_date = match week.get("date") {
        Some(Value::String(text)) => match parse_day(text) {
            Some(day) => day,
            None => return Parsed::only_rejected(bad_date(file, text)),
        },
        Some(other) => {
            return Parsed::only_rejected(Rejected::new(file, 1, "date", format!("{other} is not a string")))
        }
        None => return Parsed::only_rejected(Rejected::new(file, 1, "date", "is missing")),
    };
    let rows = match week.get("data") {
        Some(Value::Array(rows)) => rows,
        Some(other) => {
            let reason = format!("{} is not an array of rows", kind_of(other));
            return Parsed::only_rejected(Rejected::new(file, 1, "data", reason));
        }
        None => return Parsed::only_rejected(Rejected::new(file, 1, "data", "is missing")),
    };
    let mut parsed = Parsed::default();
    for (position, value) in rows.iter().enumerate() {
        let line = position as u64 + 1;
        let row = week_row(value, file, line).and_then(|row| entry(row, chart_date, file, line));
        parsed.push(row);
    }
    parsed
}

fn week_row(value: &Value, file: &str, line: u64) -> Result<WeekRow, Rejected> {
    let Some(row) = value.as_object() else {
        return Err(Rejected::new(file, line, "", format!("{} is not a row object", kind_of(value))));
    };
    let field = |name: &str| row.get(name).ok_or_else(|| Rejected::new(file, line, name, "is missing"));
    let text = |name: &str| match field(name)? {
        Value::String(text) => Ok(text.clone()),
        other => Err(Rejected::new(file, line, name, format!("{other} is not a string"))),
    };
    let number = |name: &str| whole_number(field(name)?, name, file, line);
    Ok(WeekRow {
        song: text("song")?,
        artist: text("artist")?,
        this_week: number("this_week")?,
        last_week: match field("last_week")? {
            Value::Null => None,
            value => Some(whole_number(value, "last_week", file, line)?),
        },
        peak_position: number("peak_position")?,
        weeks_on_chart: number("weeks_on_chart")?,
    })
}

fn whole_number(value: &Value, name: &str, file: &str, line: u64) -> Result<u32, Rejected> {
    value
        .as_u64()
        .and_then(|number| u32::try_from(number).ok())
        .ok_or_else(|| Rejected::new(file, line, name, format!("{value} is not a whole number from 0 to 4294967295")))
}

pub(crate) fn entry(row: WeekRow, chart_date: NaiveDate, file: &str, line: u64) -> Result<ChartEntry, Rejected> {
    let reject = |name: &str, reason: &str| Rejected::new(file, line, name, reason);
    let title = row.song.trim();
    let artist = row.artist.trim();
    if title.is_empty() {
        return Err(reject("song", "is empty"));
    }
    if artist.is_empty() {
        return Err(reject("artist", "is empty"));
    }
    for (name, rank) in
        [("this_week", Some(row.this_week)), ("last_week", row.last_week), ("peak_position", Some(row.peak_position))]
    {
        if rank == Some(0) {
            return Err(reject(name, "0 is not a rank (ranks start at 1)"));
        }
    }
    Ok(ChartEntry {
        chart: ChartKind::BillboardHot100,
        region: "us".to_string(),
        chart_date,
        snapshot_hour: None,
        rank: row.this_week,
        title: title.to_string(),
        artist: artist.to_string(),
        streams: None,
        previous_rank: row.last_week,
        peak_rank: Some(row.peak_position),
        periods_on_chart: Some(row.weeks_on_chart),
        track_uri: None,
        genre: None,
        album: None,
        source_file: file.to_string(),
        source_line: line,
        song_id: None,
    })
}

fn bad_date(file: &str, text: &str) -> Rejected {
    Rejected::new(file, 1, "date", format!("{text:?} is not a day (YYYY-MM-DD)"))
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support;

    fn check(json: &str, expected_rows: &[&str], expected_rejected: &[&str]) {
        let parsed = parse_billboard(json.as_bytes(), "2022-06-18.json");
        test_support::check(&parsed, expected_rows, expected_rejected);
        assert!(parsed
            .rows
            .iter()
            .all(|row| row.chart == ChartKind::BillboardHot100 && row.source_file == "2022-06-18.json"));
    }

    const ROW_1: &str = r#"{"song":"As It Was","artist":"Harry Styles","this_week":1,"last_week":1,"peak_position":1,"weeks_on_chart":10}"#;
    const ROW_4: &str = r#"{"song":"Running Up That Hill (A Deal With God) ","artist":"Kate Bush","this_week":4,"last_week":null,"peak_position":4,"weeks_on_chart":22}"#;

    fn week(rows: &[&str]) -> String {
        format!(r#"{{"date":"2022-06-18","data":[{}]}}"#, rows.join(","))
    }

    #[test]
    fn reads_rows_with_their_position_as_line() {
        check(
            &week(&[ROW_1, ROW_4]),
            &[
                r#"2022-06-18 us #1 "As It Was" by Harry Styles, prev 1, peak 1, periods 10, line 1"#,
                r#"2022-06-18 us #4 "Running Up That Hill (A Deal With God)" by Kate Bush, prev -, peak 4, periods 22, line 2"#,
            ],
            &[],
        );
        check(r#"{"date":"2022-06-18","data":[]}"#, &[], &[]);
    }

    #[test]
    fn a_bad_row_names_its_field_and_the_others_still_load() {
        let bad_rows = [
            r#"{"artist":"A","this_week":2,"last_week":1,"peak_position":1,"weeks_on_chart":1}"#,
            r#"{"song":"S","artist":"A","this_week":"3","last_week":1,"peak_position":1,"weeks_on_chart":1}"#,
            r#"{"song":"S","artist":"A","this_week":4,"peak_position":1,"weeks_on_chart":1}"#,
            r#"{"song":"S","artist":7,"this_week":5,"last_week":1,"peak_position":1,"weeks_on_chart":1}"#,
            r#"{"song":"S","artist":"A","this_week":6,"last_week":1,"peak_position":1,"weeks_on_chart":-1}"#,
            r#"{"song":"S","artist":"A","this_week":0,"last_week":1,"peak_position":1,"weeks_on_chart":1}"#,
            r#"{"song":" ","artist":"A","this_week":8,"last_week":1,"peak_position":1,"weeks_on_chart":1}"#,
            r#"[1,2]"#,
        ];
        let mut rows = vec![ROW_1];
        rows.extend(bad_rows);
        rows.push(ROW_4);
        check(
            &week(&rows),
            &[
                r#"2022-06-18 us #1 "As It Was" by Harry Styles, prev 1, peak 1, periods 10, line 1"#,
                r#"2022-06-18 us #4 "Running Up That Hill (A Deal With God)" by Kate Bush, prev -, peak 4, periods 22, line 10"#,
            ],
            &[
                "2022-06-18.json:2: field `song`: is missing",
                "2022-06-18.json:3: field `this_week`: \"3\" is not a whole number from 0 to 4294967295",
                "2022-06-18.json:4: field `last_week`: is missing",
                "2022-06-18.json:5: field `artist`: 7 is not a string",
                "2022-06-18.json:6: field `weeks_on_chart`: -1 is not a whole number from 0 to 4294967295",
                "2022-06-18.json:7: field `this_week`: 0 is not a rank (ranks start at 1)",
                "2022-06-18.json:8: field `song`: is empty",
                "2022-06-18.json:9: an array is not a row object",
            ],
        );
    }

    #[test]
    fn a_global_200_file_is_named_so() {
        let parsed = parse_billboard(week(&[ROW_1]).as_bytes(), "billboard-hot-100/2022-06-18.json");
        assert_eq!((parsed.rows[0].chart, parsed.rows[0].region.as_str()), (ChartKind::BillboardHot100, "us"));
        let parsed = parse_billboard(week(&[ROW_1]).as_bytes(), "billboard_global_200/2022-06-18.json");
        assert_eq!((parsed.rows[0].chart, parsed.rows[0].region.as_str()), (ChartKind::BillboardGlobal200, "global"));
    }

    #[test]
    fn a_file_that_is_not_a_chart_week_is_one_rejection() {
        check("", &[], &["2022-06-18.json:1: not JSON (EOF while parsing a value at line 1 column 0)"]);
        check(
            "{\n\"date\": \"2022-06-18\",\n oops",
            &[],
            &["2022-06-18.json:3: not JSON (key must be a string at line 3 column 2)"],
        );
        check("[]", &[], &["2022-06-18.json:1: not a JSON object with `date` and `data`"]);
        check(r#"{"data":[]}"#, &[], &["2022-06-18.json:1: field `date`: is missing"]);
        check(
            r#"{"date":"18/06/2022","data":[]}"#,
            &[],
            &["2022-06-18.json:1: field `date`: \"18/06/2022\" is not a day (YYYY-MM-DD)"],
        );
        check(
            r#"{"date":"2022-06-18","data":{}}"#,
            &[],
            &["2022-06-18.json:1: field `data`: an object is not an array of rows"],
        );
        check(r#"{"date":"2022-06-18"}"#, &[], &["2022-06-18.json:1: field `data`: is missing"]);
    }
}
