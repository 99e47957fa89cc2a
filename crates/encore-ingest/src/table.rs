//! CSV text read row by row, fields looked up by header name, every bad field reported.
//!
//! Records are read as bytes and each field is decoded on its own, so a stray invalid UTF-8 byte
//! rejects one row (naming the column) instead of stopping the file.
//!
//! A column asked for as `a|b` is whichever of `a` or `b` the header has (sources spell the same
//! column differently); messages name the column as the header spells it.

use std::str::FromStr;

use chrono::NaiveDate;
use encore_domain::PartialDate;

use crate::csv_records::{Record, Records};
use crate::report::{Parsed, Rejected};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// One data row of a CSV file, with its fields addressed by column name.
pub(crate) struct CsvRow<'a> {
    file: &'a str,
    record: &'a Record<'a>,
    columns: &'a [Column],
}

/// A column asked for (`spec`, maybe `a|b`), where the header has it and how the header spells it.
struct Column {
    spec: &'static str,
    position: Option<usize>,
    header_name: String,
}

/// Where the header has the column asked for as `spec` (maybe `a|b`: the first the header has).
pub(crate) fn column_position(header: &[String], spec: &'static str) -> Option<usize> {
    find_column(header, spec).position
}

fn find_column(header: &[String], spec: &'static str) -> Column {
    for name in spec.split('|') {
        if let Some(position) = header.iter().position(|column| column == name) {
            return Column { spec, position: Some(position), header_name: name.to_string() };
        }
    }
    let first_name = spec.split('|').next().unwrap_or(spec);
    Column { spec, position: None, header_name: first_name.to_string() }
}

/// Reads `bytes` as CSV with a header row, hands each data row to `convert` and collects what it
/// returns. A header lacking one of `required` rejects the whole file; `optional` columns read as
/// empty text when absent. Rows whose field count differs from the header's are rejected.
pub(crate) fn read_csv<T>(
    bytes: &[u8],
    file: &str,
    required: &[&'static str],
    optional: &[&'static str],
    convert: impl FnMut(&CsvRow<'_>) -> Result<T, Rejected>,
) -> Parsed<T> {
    read_delimited(bytes, file, b',', required, optional, convert)
}

/// [`read_csv`] with another field separator (`b'\t'` for tab-separated files).
pub(crate) fn read_delimited<T>(
    bytes: &[u8],
    file: &str,
    delimiter: u8,
    required: &[&'static str],
    optional: &[&'static str],
    convert: impl FnMut(&CsvRow<'_>) -> Result<T, Rejected>,
) -> Parsed<T> {
    read_records(bytes, file, delimiter, Header::FirstRow, required, optional, convert)
}

/// Where a CSV's column names come from.
pub(crate) enum Header<'h> {
    /// The first record is the header.
    FirstRow,
    /// Every record is data: a header-less export, or a piece of a file cut after its header
    /// (`first_line`: the file's line the piece starts on).
    Given { names: &'h [String], first_line: u64 },
}

/// The first record of a CSV, as the column names [`Header::Given`] takes, and the byte offset its
/// data starts at; a rejection when there is no readable header.
pub(crate) fn header_of(bytes: &[u8], file: &str) -> Result<(Vec<String>, usize), Rejected> {
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let mut records = Records::new(body, b',', 1);
    let Some(record) = records.next_record() else {
        return Err(Rejected::new(file, 1, "", "the file is empty: no header row"));
    };
    let names = header_names(&record, file)?;
    Ok((names, records.position() + (bytes.len() - body.len())))
}

fn header_names(record: &Record<'_>, file: &str) -> Result<Vec<String>, Rejected> {
    let mut header = Vec::with_capacity(record.len());
    for (position, name) in record.iter().enumerate() {
        match std::str::from_utf8(name) {
            Ok(name) => header.push(name.trim().to_string()),
            Err(_) => {
                let reason = format!("the header's column {} is not valid UTF-8", position + 1);
                return Err(Rejected::new(file, 1, "", reason));
            }
        }
    }
    Ok(header)
}

/// [`read_delimited`] with the header told: read from the first record, or given.
pub(crate) fn read_records<T>(
    bytes: &[u8],
    file: &str,
    delimiter: u8,
    header: Header<'_>,
    required: &[&'static str],
    optional: &[&'static str],
    mut convert: impl FnMut(&CsvRow<'_>) -> Result<T, Rejected>,
) -> Parsed<T> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let (header, mut records) = match header {
        Header::Given { names, first_line } => (names.to_vec(), Records::new(bytes, delimiter, first_line)),
        Header::FirstRow => {
            let mut records = Records::new(bytes, delimiter, 1);
            let Some(record) = records.next_record() else {
                return Parsed::only_rejected(Rejected::new(file, 1, "", "the file is empty: no header row"));
            };
            match header_names(&record, file) {
                Ok(names) => (names, records),
                Err(rejected) => return Parsed::only_rejected(rejected),
            }
        }
    };
    let mut columns = Vec::with_capacity(required.len() + optional.len());
    for &spec in required {
        let column = find_column(&header, spec);
        if column.position.is_none() {
            let name = spec.replace('|', "` or `");
            let reason = format!("the header has no `{name}` column (it has {})", header.join(","));
            return Parsed::only_rejected(Rejected::new(file, 1, column.header_name, reason));
        }
        columns.push(column);
    }
    for &spec in optional {
        columns.push(find_column(&header, spec));
    }

    let mut parsed = Parsed::default();
    // Room for the rows at once: growing by doubling copies every row each time.
    parsed.rows.reserve(rows_room(bytes.len()));
    while let Some(record) = records.next_record() {
        if record.len() != header.len() {
            let fields = if record.len() == 1 { "field" } else { "fields" };
            let reason = format!("has {} {fields} where the header has {}", record.len(), header.len());
            parsed.rejected.push(Rejected::new(file, record.line, "", reason));
            continue;
        }
        let row = CsvRow { file, record: &record, columns: &columns };
        parsed.push(convert(&row));
    }
    parsed
}

/// Rows to make room for in `bytes` bytes of CSV: one per 32 bytes (few rows are shorter), at most
/// 65,536; room never written to costs address space, not memory.
fn rows_room(bytes: usize) -> usize {
    (bytes / 32).min(1 << 16)
}

/// The line a record starts on, counted from the bytes. The csv reader's own line numbers are
/// where the previous record ended: they lag one behind after a CRLF line end and do not count
/// the empty lines it skips (a workbook's empty sheet rows among them).
pub(crate) struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a [u8]) -> LineCounter<'a> {
        LineCounter { text, offset: 0, line: 1 }
    }

    /// The line `record` starts on; records must come in the order they were read.
    pub(crate) fn line_of(&mut self, record: &csv::ByteRecord) -> u64 {
        let Some(position) = record.position() else { return 0 };
        let mut start = usize::try_from(position.byte()).unwrap_or(usize::MAX).min(self.text.len());
        while matches!(self.text.get(start), Some(b'\n' | b'\r')) {
            start += 1;
        }
        let passed = self.text.get(self.offset..start).unwrap_or_default();
        self.line += passed.iter().filter(|&&byte| byte == b'\n').count() as u64;
        self.offset = start.max(self.offset);
        self.line
    }
}

/// Reads `text` as CSV without a header row (the caller finds it), any number of fields a row,
/// handing each record and the line it starts on to `each`. An unreadable CSV ends the reading:
/// the rejection saying so is returned.
pub(crate) fn each_record(text: &[u8], file: &str, mut each: impl FnMut(u64, &csv::ByteRecord)) -> Option<Rejected> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text);
    let mut lines = LineCounter::new(text);
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => each(lines.line_of(&record), &record),
            Ok(false) => return None,
            Err(error) => return Some(csv_failure(file, &error)),
        }
    }
}

fn csv_failure(file: &str, error: &csv::Error) -> Rejected {
    let line = error.position().map_or(1, csv::Position::line);
    Rejected::new(file, line, "", format!("unreadable CSV: {error}"))
}

impl<'a> CsvRow<'a> {
    pub(crate) fn file(&self) -> &'a str {
        self.file
    }

    pub(crate) fn line(&self) -> u64 {
        self.record.line
    }

    /// A rejection of this row; `field` is a column as asked for, named as the header spells it.
    pub(crate) fn reject(&self, field: &str, reason: impl Into<String>) -> Rejected {
        let name = self.column(field).map_or(field, |column| column.header_name.as_str());
        Rejected::new(self.file, self.record.line, name, reason)
    }

    /// A rejection of this row for `column`, named as the header spells it.
    fn reject_column(&self, column: &Column, reason: impl Into<String>) -> Rejected {
        Rejected::new(self.file, self.record.line, &column.header_name, reason)
    }

    /// The column asked for as `spec`; a rejection if this reader did not ask for it.
    fn asked(&self, spec: &str) -> Result<&'a Column, Rejected> {
        self.column(spec).ok_or_else(|| self.reject(spec, "is not a column this reader asked for"))
    }

    /// The column asked for as `spec`: found by the address of its text first (a reader asks with
    /// the constant it declared its columns with), then by comparing the text.
    fn column(&self, spec: &str) -> Option<&'a Column> {
        let same = |known: &&Column| std::ptr::eq(known.spec, spec);
        self.columns.iter().find(same).or_else(|| self.columns.iter().find(|known| known.spec == spec))
    }

    /// Whether the column asked for as `spec` is spelled `name` in this file's header.
    pub(crate) fn has_named(&self, name: &str) -> bool {
        self.columns.iter().any(|known| known.position.is_some() && known.header_name == name)
    }

    /// The column's text, surrounding whitespace trimmed; empty for an absent optional column.
    pub(crate) fn text(&self, column: &str) -> Result<&'a str, Rejected> {
        self.text_of(self.asked(column)?)
    }

    /// [`CsvRow::text`] of the `index`th column asked for (the required ones, then the optional
    /// ones, each in the order asked), found without looking it up by name.
    pub(crate) fn text_at(&self, index: usize) -> Result<&'a str, Rejected> {
        self.text_of(&self.columns[index])
    }

    fn text_of(&self, column: &Column) -> Result<&'a str, Rejected> {
        let Some(text) = column.position.and_then(|position| self.record.text(position)) else {
            return Ok("");
        };
        match text {
            Ok(text) => Ok(crate::listen_fields::trim(text)),
            Err(error) => {
                let reason = format!("is not valid UTF-8 (bad byte at offset {})", error.valid_up_to());
                Err(self.reject_column(column, reason))
            }
        }
    }

    /// The record's text as it lies in the file from the start of field `first` to the end of
    /// field `last` (positions in the header), delimiters and all: a key for the fields between,
    /// each of which it alone decides. `None` for a record with a quote (its fields are unquoted
    /// apart from its text) or one whose text there is not UTF-8.
    pub(crate) fn span(&self, first: usize, last: usize) -> Option<&'a str> {
        self.record.span(first, last)
    }

    /// The column's text, which must not be empty.
    pub(crate) fn required_text(&self, column: &str) -> Result<&'a str, Rejected> {
        self.required_text_of(self.asked(column)?)
    }

    /// [`CsvRow::required_text`] of the `index`th column asked for, as [`CsvRow::text_at`] finds it.
    pub(crate) fn required_text_at(&self, index: usize) -> Result<&'a str, Rejected> {
        self.required_text_of(&self.columns[index])
    }

    fn required_text_of(&self, column: &Column) -> Result<&'a str, Rejected> {
        let text = self.text_of(column)?;
        if text.is_empty() {
            return Err(self.reject_column(column, "is empty"));
        }
        Ok(text)
    }

    pub(crate) fn number<N: FromStr>(&self, column: &str) -> Result<N, Rejected> {
        let text = self.text(column)?;
        text.parse().map_err(|_| self.reject(column, format!("{text:?} is not a number")))
    }

    /// An empty cell is `None`; anything else must be a number.
    pub(crate) fn optional_number<N: FromStr>(&self, column: &str) -> Result<Option<N>, Rejected> {
        if self.text(column)?.is_empty() {
            return Ok(None);
        }
        self.number(column).map(Some)
    }

    /// A chart position: a whole number from 1.
    pub(crate) fn rank(&self, column: &str) -> Result<u32, Rejected> {
        let rank: u32 = self.number(column)?;
        if rank == 0 {
            return Err(self.reject(column, "\"0\" is not a rank (ranks start at 1)"));
        }
        Ok(rank)
    }

    /// An empty cell is `None`; anything else must be a day, `YYYY-MM-DD`.
    pub(crate) fn optional_day(&self, column: &str) -> Result<Option<NaiveDate>, Rejected> {
        let Some(date) = self.optional_date(column)? else {
            return Ok(None);
        };
        match date.as_day() {
            Some(day) => Ok(Some(day)),
            None => Err(self.reject(column, format!("\"{date}\" is not a day: this column needs YYYY-MM-DD"))),
        }
    }

    /// An empty cell is `None`; anything else must be a date of any precision [`PartialDate`] reads.
    pub(crate) fn optional_date(&self, column: &str) -> Result<Option<PartialDate>, Rejected> {
        let text = self.text(column)?;
        if text.is_empty() {
            return Ok(None);
        }
        PartialDate::parse(text).map(Some).map_err(|error| self.reject(column, error.to_string()))
    }
}

pub(crate) fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8]) -> Parsed<String> {
        read_csv(input, "t.csv", &["id", "count"], &["note"], |row| {
            let id = row.required_text("id")?;
            let count: u32 = row.number("count")?;
            let note = row.text("note")?;
            Ok(format!("{id}={count}{note}"))
        })
    }

    fn check(input: &[u8], expected_rows: &[&str], expected_rejected: &[&str]) {
        let parsed = read(input);
        let rejected: Vec<String> = parsed.rejected.iter().map(ToString::to_string).collect();
        assert_eq!(parsed.rows, expected_rows, "rows of {:?}", String::from_utf8_lossy(input));
        assert_eq!(rejected, expected_rejected, "rejected of {:?}", String::from_utf8_lossy(input));
    }

    #[test]
    fn reads_columns_by_name_in_any_order_with_or_without_bom() {
        check(b"id,count\na,1\nb,2\n", &["a=1", "b=2"], &[]);
        check(b"\xEF\xBB\xBFcount,note,id\n\"3\",!,c\n", &["c=3!"], &[]);
        check(b"id,count\n\"multi\nline\",4\nd,5", &["multi\nline=4", "d=5"], &[]);
    }

    #[test]
    fn rejections_name_the_line_after_crlf_ends_and_empty_lines() {
        let rejected = ["t.csv:5: field `count`: \"x\" is not a number"];
        check(b"id,count\r\na,1\r\n\r\n\r\nb,x\r\n", &["a=1"], &rejected);
        check(b"id,count\na,1\n\n\nb,x\n", &["a=1"], &rejected);
        check(b"id,count\n\"a\n\",1\n\nb,x\n", &["a=1"], &rejected);
    }

    #[test]
    fn a_bad_row_is_reported_and_the_rest_still_loads() {
        check(
            b"id,count\na,1\nb\nc,12a\n,3\nd,\xFF\ne,6\n",
            &["a=1", "e=6"],
            &[
                "t.csv:3: has 1 field where the header has 2",
                "t.csv:4: field `count`: \"12a\" is not a number",
                "t.csv:5: field `id`: is empty",
                "t.csv:6: field `count`: is not valid UTF-8 (bad byte at offset 0)",
            ],
        );
    }

    #[test]
    fn a_column_can_go_by_either_of_its_names() {
        let parsed = read_csv(b"key,n\na,x\n".as_slice(), "t.csv", &["id|key", "count|n"], &[], |row| {
            let id = row.required_text("id|key")?;
            let count: u32 = row.number("count|n")?;
            Ok(format!("{id}={count}"))
        });
        let rejected: Vec<String> = parsed.rejected.iter().map(ToString::to_string).collect();
        assert_eq!(rejected, ["t.csv:2: field `n`: \"x\" is not a number"]);
        let missing = read_csv(b"key\na\n".as_slice(), "t.csv", &["count|n"], &[], |_| Ok(()));
        assert_eq!(
            missing.rejected[0].to_string(),
            "t.csv:1: field `count`: the header has no `count` or `n` column (it has key)"
        );
    }

    #[test]
    fn a_bad_header_rejects_the_whole_file_once() {
        check(b"", &[], &["t.csv:1: the file is empty: no header row"]);
        check(b"id,total\na,1\n", &[], &["t.csv:1: field `count`: the header has no `count` column (it has id,total)"]);
        check(b"id,c\xFFount\na,1\n", &[], &["t.csv:1: the header's column 2 is not valid UTF-8"]);
    }
}
