//! What a parser returns: the rows it loaded and a report of the rows it rejected, with why.

use std::fmt;

use serde::Serialize;

/// One row (or, when `field` is empty, one whole file or row) that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// The file name as it was given to the parser.
    pub file: String,
    /// 1-based line the row starts on; for Billboard JSON, the row's 1-based position in `data`.
    pub line: u64,
    /// The column or JSON key at fault; empty when the fault is the row's or file's shape.
    pub field: String,
    pub reason: String,
}

impl Rejected {
    pub fn new(file: impl Into<String>, line: u64, field: impl Into<String>, reason: impl Into<String>) -> Rejected {
        Rejected { file: file.into(), line, field: field.into(), reason: reason.into() }
    }
}

impl fmt::Display for Rejected {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(formatter, "{}:{}: {}", self.file, self.line, self.reason)
        } else {
            write!(formatter, "{}:{}: field `{}`: {}", self.file, self.line, self.field, self.reason)
        }
    }
}

/// The good rows of one or more files and the rejected ones. Bad rows never stop a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T> {
    pub rows: Vec<T>,
    pub rejected: Vec<Rejected>,
    /// Rows read and left out on purpose, not faults: a podcast play in a music listening log.
    pub skipped: usize,
}

impl<T> Default for Parsed<T> {
    fn default() -> Parsed<T> {
        Parsed { rows: Vec::new(), rejected: Vec::new(), skipped: 0 }
    }
}

impl<T> Parsed<T> {
    /// A file of which nothing could be read, for one reason.
    pub fn only_rejected(rejected: Rejected) -> Parsed<T> {
        Parsed { rows: Vec::new(), rejected: vec![rejected], skipped: 0 }
    }

    /// Appends another file's result to this one.
    pub fn extend(&mut self, other: Parsed<T>) {
        self.rows.extend(other.rows);
        self.rejected.extend(other.rejected);
        self.skipped += other.skipped;
    }

    pub(crate) fn push(&mut self, row: Result<T, Rejected>) {
        match row {
            Ok(row) => self.rows.push(row),
            Err(rejected) => self.rejected.push(rejected),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejection_reads_as_file_line_field_reason() {
        let with_field = Rejected::new("file.csv", 12, "streams", "\"12a\" is not a number");
        assert_eq!(with_field.to_string(), "file.csv:12: field `streams`: \"12a\" is not a number");
        let whole_row = Rejected::new("file.csv", 3, "", "has 2 fields where the header has 9");
        assert_eq!(whole_row.to_string(), "file.csv:3: has 2 fields where the header has 9");
    }
}
