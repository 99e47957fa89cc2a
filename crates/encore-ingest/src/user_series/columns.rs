//! Which columns are the date, the unit and the values: the names each role goes by, and the
//! user's names over them.

use super::cells::{read_number, Reading};
use super::table::{cell, Table};
use super::{SeriesError, SeriesOptions};

/// Header names of a date column, compared trimmed and lower-cased (Google Trends' Korean
/// export heads its column `일`, `주` or `월`; a `year` column's `1960` is a date).
#[rustfmt::skip]
pub const DATE_NAMES: &[&str] = &[
    "date", "dates", "day", "ds", "time", "timestamp", "week", "month", "quarter", "year", "period",
    "날짜", "일자", "일시", "기간", "일", "주", "월", "분기", "연도", "년도",
];
/// Header names of a value column.
#[rustfmt::skip]
pub const VALUE_NAMES: &[&str] = &[
    "value", "values", "y", "count", "streams", "plays", "views", "pageviews", "listeners", "score", "interest",
    "조회수", "재생수", "스트리밍", "값",
];
/// Header names of a unit column (YouTube Studio's chart data names its videos `Video title`).
#[rustfmt::skip]
pub const UNIT_NAMES: &[&str] = &[
    "unit", "series", "id", "song", "track", "title", "name", "group", "keyword", "video title",
    "곡명", "제목",
];

/// Lower-cased, trimmed, and without a trailing parenthesis (`Streams (total)`).
pub(super) fn name_matches(header_cell: &str, names: &[&str]) -> bool {
    let normal = header_cell.trim().trim_start_matches('\u{FEFF}').to_lowercase();
    let before_parenthesis = normal.split(" (").next().unwrap_or(&normal).trim();
    names.iter().any(|name| *name == normal || *name == before_parenthesis)
}

/// The column the user named: as written, else ignoring case and surrounding spaces.
fn column_named(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|column| column == name).or_else(|| header.iter().position(|column| is_named(column, name)))
}

pub(super) fn is_named(header_cell: &str, name: &str) -> bool {
    header_cell.trim().to_lowercase() == name.trim().to_lowercase()
}

/// Which columns are the date, the unit and the values: one value column with a unit column (a
/// long panel) or without (one series), or several (a wide panel, each column a unit).
pub(super) struct Layout {
    pub(super) date: Option<usize>,
    pub(super) unit: Option<usize>,
    pub(super) values: Vec<usize>,
}

pub(super) fn layout_of(table: &Table, file: &str, options: &SeriesOptions) -> Result<Layout, SeriesError> {
    let named = |role: &'static str, wanted: &Option<String>| -> Result<Option<usize>, SeriesError> {
        let Some(wanted) = wanted else { return Ok(None) };
        column_named(&table.header, wanted).map(Some).ok_or_else(|| SeriesError::MissingColumn {
            file: file.to_string(),
            place: table.header_place(),
            role,
            column: wanted.clone(),
            headers: table.headers_text(),
        })
    };
    let by_synonym = |names: &[&str], taken: &[Option<usize>]| {
        (0..table.header.len())
            .find(|&column| !taken.contains(&Some(column)) && name_matches(&table.header[column], names))
    };
    let date = match named("date", &options.date_column)? {
        Some(column) => Some(column),
        None => by_synonym(DATE_NAMES, &[]),
    };
    let unit = match (table.fixed_unit, named("unit", &options.unit_column)?) {
        (Some(column), _) | (None, Some(column)) => Some(column),
        (None, None) => by_synonym(UNIT_NAMES, &[date]),
    };
    if let Some(value) = named("value", &options.value_column)? {
        return Ok(Layout { date, unit, values: vec![value] });
    }
    let free: Vec<usize> =
        (0..table.header.len()).filter(|&column| Some(column) != date && Some(column) != unit).collect();
    let synonyms: Vec<usize> =
        free.iter().copied().filter(|&column| name_matches(&table.header[column], VALUE_NAMES)).collect();
    let numeric: Vec<usize> = free.iter().copied().filter(|&column| column_is_numeric(table, column)).collect();
    let unclear = |candidates: &[usize], unit_column: usize| {
        let names: Vec<String> = candidates.iter().map(|&column| format!("`{}`", table.column_name(column))).collect();
        SeriesError::ValueColumnUnclear {
            file: file.to_string(),
            place: table.header_place(),
            unit_column: format!("`{}`", table.column_name(unit_column)),
            candidates: names.join(", "),
        }
    };
    let values = match (unit, synonyms.len(), numeric.len()) {
        (_, 1, _) => synonyms,
        (None, 2.., _) => synonyms,
        (Some(unit), 2.., _) => return Err(unclear(&synonyms, unit)),
        (_, 0, 0) => {
            return Err(SeriesError::NoValueColumn {
                file: file.to_string(),
                place: table.header_place(),
                headers: table.headers_text(),
            })
        }
        (Some(unit), 0, 2..) => return Err(unclear(&numeric, unit)),
        (_, 0, _) => numeric,
    };
    Ok(Layout { date, unit, values })
}

/// Whether most of a column's filled cells are numbers: a column of text (titles, dates) is not,
/// and a column of numbers with a few typos is, so the typos are reported rather than the column
/// left out. A column without a filled cell is not (a sheet's unused columns).
fn column_is_numeric(table: &Table, column: usize) -> bool {
    let (mut numbers, mut others) = (0, 0);
    for row in &table.rows {
        match read_number(cell(row, column), table.decimal_comma) {
            Reading::Number(_) => numbers += 1,
            Reading::NotANumber(_) => others += 1,
            Reading::Empty => {}
        }
    }
    numbers > 0 && numbers >= others
}
