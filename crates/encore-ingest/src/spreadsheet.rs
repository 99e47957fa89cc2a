//! Workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) read through calamine and turned into
//! UTF-8 CSV, so every tabular format Encore reads can also come as a spreadsheet.
//!
//! Only one sheet is read: the first, in the workbook's order, that holds a non-empty cell. The
//! CSV keeps the sheet's row numbers (one CSV line per sheet row, an empty row as an empty line,
//! which CSV readers skip but count), so a rejected row names the line the user sees in the
//! spreadsheet. Cells become text as the user sees them: numbers without a trailing `.0`,
//! booleans as `TRUE`/`FALSE`, a cell stored as a date (a serial number with a date format) as
//! `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM:SS` when it has a time, a time alone as `HH:MM:SS`; dates
//! typed as text stay as written; error and empty cells are empty fields. Trailing empty rows
//! are dropped. Text keeps one sheet row on one CSV line: Office's escapes (`_x000D_` for a
//! carriage return) are decoded, and a cell's lines (crawled cells often repeat a name on a
//! second line) become its distinct non-empty lines joined by ` / `.

use std::fmt::{Display, Write as _};
use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, ExcelDateTime, Ods, Range, Reader, SheetType, Xls, Xlsb, Xlsx};
use chrono::{NaiveTime, TimeDelta, Timelike};

use crate::error::IngestError;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// The kinds of workbook calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbookKind {
    /// Office Open XML (`.xlsx`, `.xlsm`): a zip holding `xl/workbook.xml`.
    Xlsx,
    /// Excel binary workbook (`.xlsb`): a zip holding `xl/workbook.bin`.
    Xlsb,
    /// Excel 97-2003 (`.xls`): an OLE compound file.
    Xls,
    /// OpenDocument spreadsheet (`.ods`): a zip whose `mimetype` says so.
    Ods,
}

impl WorkbookKind {
    /// The workbook kind of a file, told by its bytes (a zip holding a workbook part, or an OLE
    /// compound file), else by its name's extension; `None` for anything else.
    pub fn of_file(file_name: &str, bytes: &[u8]) -> Option<WorkbookKind> {
        if bytes.starts_with(ZIP_MAGIC) {
            let holds = |needle: &[u8]| bytes.windows(needle.len()).any(|window| window == needle);
            if holds(b"xl/workbook.xml") {
                return Some(WorkbookKind::Xlsx);
            }
            if holds(b"xl/workbook.bin") {
                return Some(WorkbookKind::Xlsb);
            }
            // The `mimetype` entry comes first, stored uncompressed.
            let head = &bytes[..bytes.len().min(256)];
            if head.windows(ODS_MIMETYPE.len()).any(|window| window == ODS_MIMETYPE) {
                return Some(WorkbookKind::Ods);
            }
        }
        if bytes.starts_with(OLE_MAGIC) {
            return Some(WorkbookKind::Xls);
        }
        WorkbookKind::of_extension(file_name)
    }

    /// The workbook kind a file name's extension says, in any case.
    pub fn of_extension(file_name: &str) -> Option<WorkbookKind> {
        let extension = Path::new(file_name).extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "xlsx" | "xlsm" => Some(WorkbookKind::Xlsx),
            "xlsb" => Some(WorkbookKind::Xlsb),
            "xls" => Some(WorkbookKind::Xls),
            "ods" => Some(WorkbookKind::Ods),
            _ => None,
        }
    }
}

/// A file name without its table extension (`.csv` or a workbook's), as file-name conventions
/// (Spotify's `regional-kr-daily-2025-01-01.csv`) are written; `None` for another extension.
pub(crate) fn table_stem(name: &str) -> Option<&str> {
    if let Some(stem) = name.strip_suffix(".csv") {
        return Some(stem);
    }
    WorkbookKind::of_extension(name)?;
    name.rsplit_once('.').map(|(stem, _)| stem)
}

/// The bytes a tabular parser reads: a workbook's first sheet with data as CSV, anything else
/// as it is.
pub fn table_bytes<'a>(file_name: &str, bytes: &'a [u8]) -> Result<std::borrow::Cow<'a, [u8]>, IngestError> {
    match WorkbookKind::of_file(file_name, bytes) {
        Some(kind) => Ok(std::borrow::Cow::Owned(workbook_to_csv(kind, bytes, file_name)?)),
        None => Ok(std::borrow::Cow::Borrowed(bytes)),
    }
}

/// Reads a workbook of `kind` and writes its first sheet with data as UTF-8 CSV (see the
/// module's documentation). A workbook with no data at all gives no bytes. Fails with
/// [`IngestError::Workbook`], naming `file_name`, when the workbook cannot be read.
pub fn workbook_to_csv(kind: WorkbookKind, bytes: &[u8], file_name: &str) -> Result<Vec<u8>, IngestError> {
    let range = match kind {
        WorkbookKind::Xlsx => first_sheet_with_data::<Xlsx<_>>(bytes, file_name)?,
        WorkbookKind::Xlsb => first_sheet_with_data::<Xlsb<_>>(bytes, file_name)?,
        WorkbookKind::Xls => first_sheet_with_data::<Xls<_>>(bytes, file_name)?,
        WorkbookKind::Ods => first_sheet_with_data::<Ods<_>>(bytes, file_name)?,
    };
    match range {
        Some(range) => Ok(write_csv(&range)),
        None => Ok(Vec::new()),
    }
}

/// The error naming the file and what is wrong with it.
fn workbook_error(file_name: &str, reason: impl Display) -> IngestError {
    IngestError::Workbook { path: PathBuf::from(file_name), reason: reason.to_string() }
}

fn first_sheet_with_data<'a, W>(bytes: &'a [u8], file_name: &str) -> Result<Option<Range<Data>>, IngestError>
where
    W: Reader<Cursor<&'a [u8]>>,
    W::Error: Display,
{
    let mut workbook = W::new(Cursor::new(bytes)).map_err(|error| workbook_error(file_name, error))?;
    let sheets: Vec<String> = workbook
        .sheets_metadata()
        .iter()
        .filter(|sheet| sheet.typ == SheetType::WorkSheet)
        .map(|sheet| sheet.name.clone())
        .collect();
    for sheet in sheets {
        let range = workbook
            .worksheet_range(&sheet)
            .map_err(|error| workbook_error(file_name, format!("sheet `{sheet}`: {error}")))?;
        if range.used_cells().any(|(_, _, cell)| !matches!(cell, Data::Empty)) {
            return Ok(Some(range));
        }
    }
    Ok(None)
}

/// Writes the range as CSV, one line per sheet row from row 1, up to the last row with data.
fn write_csv(range: &Range<Data>) -> Vec<u8> {
    let (first_row, _) = range.start().unwrap_or_default();
    let rows: Vec<&[Data]> = range.rows().collect();
    let last_with_data = rows.iter().rposition(|row| row.iter().any(|cell| !matches!(cell, Data::Empty)));
    let rows = &rows[..last_with_data.map_or(0, |last| last + 1)];
    let mut out = Vec::with_capacity(rows.len() * 64);
    // Rows above the range are empty: empty lines keep the sheet's numbering.
    out.resize(first_row as usize, b'\n');
    let mut text = String::new();
    for row in rows {
        if row.iter().any(|cell| !matches!(cell, Data::Empty | Data::Error(_))) {
            for (index, cell) in row.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                text.clear();
                write_cell(&mut text, cell);
                push_field(&mut out, &text);
            }
        }
        out.push(b'\n');
    }
    out
}

/// One CSV field, quoted when it holds a comma, a quote or a line break.
fn push_field(out: &mut Vec<u8>, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        out.push(b'"');
        out.extend_from_slice(field.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(field.as_bytes());
    }
}

/// A cell as the text a CSV of the sheet holds.
fn write_cell(out: &mut String, cell: &Data) {
    // Writing to a `String` cannot fail.
    let _ = match cell {
        Data::Empty | Data::Error(_) => Ok(()),
        Data::String(text) => {
            write_text(out, text);
            Ok(())
        }
        Data::Int(number) => write!(out, "{number}"),
        Data::Float(number) => write_number(out, *number),
        Data::Bool(true) => write!(out, "TRUE"),
        Data::Bool(false) => write!(out, "FALSE"),
        Data::DateTime(date_time) => write_date_time(out, date_time),
        // OpenDocument's ISO dates: `2022-01-01` or `2022-01-01T10:00:00`.
        Data::DateTimeIso(text) => write!(out, "{}", text.replacen('T', " ", 1)),
        Data::DurationIso(text) => write!(out, "{text}"),
    };
}

/// Text on one line: Office escapes decoded, its distinct non-empty lines joined by ` / `.
fn write_text(out: &mut String, text: &str) {
    let decoded = decode_office_escapes(text);
    if !decoded.contains(['\n', '\r']) {
        out.push_str(&decoded);
        return;
    }
    let mut lines: Vec<&str> = Vec::new();
    for line in decoded.split(['\n', '\r']).map(str::trim).filter(|line| !line.is_empty()) {
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    out.push_str(&lines.join(" / "));
}

/// Office Open XML's `_xHHHH_` escapes (a character by its UTF-16 code) as the characters; an
/// escaped underscore (`_x005F_`) stays an underscore.
fn decode_office_escapes(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("_x") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut decoded = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("_x") {
        decoded.push_str(&rest[..at]);
        let candidate = &rest[at..];
        let code = candidate
            .get(2..6)
            .filter(|_| candidate.as_bytes().get(6) == Some(&b'_'))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .and_then(char::from_u32);
        match code {
            Some(character) => {
                decoded.push(character);
                rest = &candidate[7..];
            }
            None => {
                decoded.push_str("_x");
                rest = &candidate[2..];
            }
        }
    }
    decoded.push_str(rest);
    std::borrow::Cow::Owned(decoded)
}

/// A number as typed: whole numbers without `.0`, others in the shortest form that reads back.
fn write_number(out: &mut String, number: f64) -> std::fmt::Result {
    // Below 2^53 every whole f64 is an exact integer.
    if number.fract() == 0.0 && number.abs() < 9_007_199_254_740_992.0 {
        write!(out, "{}", number as i64)
    } else {
        write!(out, "{number}")
    }
}

/// A date-formatted serial number as ISO text, rounded to the second: a date, a date and time, a
/// time of day (a serial below one) or a duration (`[h]:mm:ss` formats) as hours, minutes and
/// seconds.
fn write_date_time(out: &mut String, date_time: &ExcelDateTime) -> std::fmt::Result {
    let serial = date_time.as_f64();
    if date_time.is_duration() || (0.0..1.0).contains(&serial) {
        let seconds = (serial * 86_400.0).round() as i64;
        let sign = if seconds < 0 { "-" } else { "" };
        let seconds = seconds.abs();
        return write!(out, "{sign}{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
    let Some(moment) = date_time.as_datetime() else {
        return write!(out, "{serial}");
    };
    let moment = (moment + TimeDelta::milliseconds(500)).with_nanosecond(0).unwrap_or(moment);
    if moment.time() == NaiveTime::MIN {
        write!(out, "{}", moment.format("%Y-%m-%d"))
    } else {
        write!(out, "{}", moment.format("%Y-%m-%d %H:%M:%S"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_is_told_by_its_bytes_then_its_extension() {
        let xlsx = b"PK\x03\x04....xl/workbook.xml....";
        assert_eq!(WorkbookKind::of_file("upload", xlsx), Some(WorkbookKind::Xlsx));
        assert_eq!(WorkbookKind::of_file("a.csv", b"PK\x03\x04xl/workbook.bin"), Some(WorkbookKind::Xlsb));
        assert_eq!(WorkbookKind::of_file("upload", OLE_MAGIC), Some(WorkbookKind::Xls));
        let ods = [ZIP_MAGIC, b"........mimetype", ODS_MIMETYPE].concat();
        assert_eq!(WorkbookKind::of_file("upload", &ods), Some(WorkbookKind::Ods));
        assert_eq!(WorkbookKind::of_file("charts/DAY.XLSX", b""), Some(WorkbookKind::Xlsx));
        assert_eq!(WorkbookKind::of_file("a.zip", b"PK\x03\x04word/document.xml"), None);
        assert_eq!(WorkbookKind::of_file("a.csv", b"rank,uri\n"), None);
    }

    #[test]
    fn table_stems_drop_csv_and_workbook_extensions() {
        assert_eq!(table_stem("regional-kr-daily-2025-01-01.csv"), Some("regional-kr-daily-2025-01-01"));
        assert_eq!(table_stem("regional-kr-daily-2025-01-01.xlsx"), Some("regional-kr-daily-2025-01-01"));
        assert_eq!(table_stem("a.ods"), Some("a"));
        assert_eq!(table_stem("a.json"), None);
    }

    #[test]
    fn crawled_cells_stay_on_one_line() {
        let text = |cell: &str| {
            let mut out = String::new();
            write_cell(&mut out, &Data::String(cell.to_string()));
            out
        };
        assert_eq!(text("The Kid LAROI\r\n\r\n_x000D_\r\nThe Kid LAROI"), "The Kid LAROI");
        assert_eq!(text("크러쉬\n헤이즈"), "크러쉬 / 헤이즈");
        assert_eq!(text("a_x005F_b and _x and _x12"), "a_b and _x and _x12");
        assert_eq!(text("plain"), "plain");
    }

    #[test]
    fn numbers_print_as_typed() {
        let check = |number: f64, expected: &str| {
            let mut out = String::new();
            write_cell(&mut out, &Data::Float(number));
            assert_eq!(out, expected);
        };
        check(1.0, "1");
        check(-0.0, "0");
        check(123_456_789.0, "123456789");
        check(0.1, "0.1");
        check(2.5, "2.5");
        check(1e20, "100000000000000000000");
    }
}
