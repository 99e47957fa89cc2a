//! A source's cells as text before columns get roles: delimited text with its separator sniffed and
//! the lines before its header skipped.

use super::cells::{parse_date, read_number, Reading};
use super::columns::{is_named, name_matches, DATE_NAMES};
use super::{Place, SeriesError, SeriesOptions};
use crate::table::LineCounter;

/// How many lines may come before (and include) the header.
pub(super) const HEADER_SEARCH_LINES: usize = 10;

/// A source's cells as text, before columns are given roles.
pub(super) struct Table {
    pub(super) header: Vec<String>,
    /// Where the header is; `None` when the file has none and the names were made up.
    pub(super) header_place: Option<Place>,
    pub(super) rows: Vec<Row>,
    /// A semicolon-separated file's numbers write a decimal comma.
    pub(super) decimal_comma: bool,
    /// The unit column the source's shape fixes (a JSON object of units).
    pub(super) fixed_unit: Option<usize>,
    /// The first lines, for messages about a header or rows not found.
    pub(super) opening: String,
}

pub(super) struct Row {
    pub(super) place: Place,
    pub(super) cells: Vec<String>,
}

impl Table {
    pub(super) fn column_name(&self, column: usize) -> String {
        match self.header.get(column).map(|name| name.trim()) {
            Some(name) if !name.is_empty() => name.to_string(),
            _ => format!("column {}", column + 1),
        }
    }

    pub(super) fn headers_text(&self) -> String {
        let names: Vec<String> =
            (0..self.header.len()).map(|column| format!("`{}`", self.column_name(column))).collect();
        names.join(", ")
    }

    pub(super) fn header_place(&self) -> Place {
        self.header_place.clone().unwrap_or(Place::Line(1))
    }
}

pub(super) fn cell(row: &Row, column: usize) -> &str {
    row.cells.get(column).map_or("", |text| text.as_str())
}

/// Reads delimited text into a table: the separator sniffed, lines before the header skipped.
pub(super) fn delimited_table(text: &str, file: &str, options: &SeriesOptions) -> Result<Table, SeriesError> {
    let delimiter = sniff_delimiter(text);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut lines = LineCounter::new(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let mut rows = Vec::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                let line = error.position().map_or(1, csv::Position::line);
                let reason = format!("line {line}: unreadable CSV ({error})");
                return Err(SeriesError::Unreadable { file: file.to_string(), reason });
            }
        }
        let line = lines.line_of(&record);
        let cells: Vec<String> = record.iter().map(|field| String::from_utf8_lossy(field).trim().to_string()).collect();
        // A workbook's empty sheet row, or a line of separators only.
        if cells.iter().all(String::is_empty) {
            continue;
        }
        rows.push(Row { place: Place::Line(line), cells });
    }
    let opening = opening_of(&rows);
    let (header_index, header) = find_header(&rows, file, options, &opening)?;
    let header_place = header_index.and_then(|index| rows.get(index)).map(|row| row.place.clone());
    let data_rows: Vec<Row> = rows.into_iter().skip(header_index.map_or(0, |index| index + 1)).collect();
    if header_place.is_some() {
        for row in &data_rows {
            let used = row.cells.iter().rposition(|cell| !cell.is_empty()).map_or(0, |last| last + 1);
            if used > header.len() {
                let place = row.place.clone();
                return Err(SeriesError::FieldCount {
                    file: file.to_string(),
                    place,
                    found: used,
                    expected: header.len(),
                });
            }
        }
    }
    Ok(Table { header, header_place, rows: data_rows, decimal_comma: delimiter == b';', fixed_unit: None, opening })
}

/// The separator of most of the first lines (outside quotes): tab, then semicolon, then comma on a
/// tie, as a file with tabs or semicolons uses commas inside its values, not the other way round.
fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|line| !line.trim().is_empty()).take(HEADER_SEARCH_LINES).collect();
    let lines_with = |delimiter: char| {
        lines
            .iter()
            .filter(|line| {
                let mut quoted = false;
                line.chars().any(|character| {
                    if character == '"' {
                        quoted = !quoted;
                    }
                    !quoted && character == delimiter
                })
            })
            .count()
    };
    let mut best = (0, b',');
    for (delimiter, byte) in [(',', b','), (';', b';'), ('\t', b'\t')] {
        let count = lines_with(delimiter);
        if count > 0 && count >= best.0 {
            best = (count, byte);
        }
    }
    best.1
}

fn opening_of(rows: &[Row]) -> String {
    if rows.is_empty() {
        return "(nothing)".to_string();
    }
    let shown: Vec<String> = rows
        .iter()
        .take(3)
        .map(|row| {
            let text = row.cells.join(",");
            let short: String = text.chars().take(80).collect();
            format!("{}: {short:?}", row.place)
        })
        .collect();
    shown.join("; ")
}

/// The header's row (`None` when the file has none) and the column names.
fn find_header(
    rows: &[Row],
    file: &str,
    options: &SeriesOptions,
    opening: &str,
) -> Result<(Option<usize>, Vec<String>), SeriesError> {
    let searched = &rows[..rows.len().min(HEADER_SEARCH_LINES)];
    // A header names its columns: a line holding a date beside the name is metadata (Naver
    // DataLab's `기간,2022-01-01 ~ 2022-03-31`), not the header.
    let holds_a_date = |row: &Row| row.cells.iter().any(|cell| is_written_date(cell));
    let holding = |matches: &dyn Fn(&str) -> bool| {
        searched.iter().position(|row| row.cells.iter().any(|cell| matches(cell)) && !holds_a_date(row))
    };
    if let Some(wanted) = &options.date_column {
        let index = holding(&|cell| is_named(cell, wanted)).ok_or_else(|| SeriesError::HeaderNotFound {
            file: file.to_string(),
            column: wanted.clone(),
            seen: opening.to_string(),
        })?;
        return Ok((Some(index), rows[index].cells.clone()));
    }
    if let Some(index) = holding(&|cell| name_matches(cell, DATE_NAMES)) {
        return Ok((Some(index), rows[index].cells.clone()));
    }
    for wanted in [&options.value_column, &options.unit_column].into_iter().flatten() {
        if let Some(index) = holding(&|cell| is_named(cell, wanted)) {
            return Ok((Some(index), rows[index].cells.clone()));
        }
    }
    let Some(first) = rows.first() else {
        return Ok((None, vec!["value".to_string()]));
    };
    let is_number = |text: &str| matches!(read_number(text, false), Reading::Number(_));
    let rest_are_numbers = |cells: &[String]| cells.iter().all(|cell| cell.is_empty() || is_number(cell));
    let made_up = |first_name: Option<&str>| -> Vec<String> {
        let width = first.cells.len();
        match (first_name, width) {
            (None, 1) => vec!["value".to_string()],
            (Some(date), 2) => vec![date.to_string(), "value".to_string()],
            (Some(date), _) => {
                std::iter::once(date.to_string()).chain((2..=width).map(|column| format!("column {column}"))).collect()
            }
            (None, _) => (1..=width).map(|column| format!("column {column}")).collect(),
        }
    };
    if rest_are_numbers(&first.cells) {
        return Ok((None, made_up(None)));
    }
    // A header-less `2024-01-05,3`: a date, then numbers.
    let first_cell = first.cells.first().map_or("", String::as_str);
    if is_written_date(first_cell) && first.cells.len() > 1 && rest_are_numbers(&first.cells[1..]) {
        return Ok((None, made_up(Some("date"))));
    }
    Ok((Some(0), first.cells.clone()))
}

/// Whether a cell is a date written as one (not a bare number, which may be a serial or a value).
pub(super) fn is_written_date(cell: &str) -> bool {
    cell.contains(|character: char| !character.is_ascii_digit()) && parse_date(cell).is_some()
}
