//! Query answers written out for people and for other tools: an aligned text table, CSV with a
//! header, a JSON array of row objects, or a Parquet file.

use std::io::Write;

use datafusion::arrow::csv::WriterBuilder as CsvWriterBuilder;
use datafusion::arrow::json::ArrayWriter;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::arrow::util::pretty::pretty_format_batches;
use datafusion::parquet::arrow::ArrowWriter;

use crate::error::StoreError;

/// How an answer is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// An aligned text table with its column names, as a terminal shows it.
    Table,
    /// CSV, with a header line even when no row matched.
    Csv,
    /// A JSON array with one object per row.
    Json,
    /// A Parquet file (binary: to a file, not a terminal).
    Parquet,
}

impl ExportFormat {
    pub const NAMES: [&'static str; 4] = ["table", "csv", "json", "parquet"];

    pub fn from_name(name: &str) -> Option<ExportFormat> {
        match name.trim().to_ascii_lowercase().as_str() {
            "table" => Some(ExportFormat::Table),
            "csv" => Some(ExportFormat::Csv),
            "json" => Some(ExportFormat::Json),
            "parquet" => Some(ExportFormat::Parquet),
            _ => None,
        }
    }
}

/// Writes `batches` (all of one schema; at least one, possibly empty, for the columns) to `out`.
/// A write error (a closed pipe, a full disk) is returned as [`StoreError::Output`].
pub fn write_batches(
    batches: &[RecordBatch],
    format: ExportFormat,
    out: &mut (dyn Write + Send),
) -> Result<(), StoreError> {
    let mut recording = RecordingWriter { inner: out, failure: None };
    let result = write_to(batches, format, &mut recording);
    match (result, recording.failure) {
        // Arrow's CSV and JSON writers turn the writer's error into text; the one the writer saw
        // is the one that says what happened (a closed pipe, a full disk).
        (Err(_), Some(failure)) => Err(StoreError::Output(failure)),
        (result, _) => result,
    }
}

/// Passes writes through and keeps the first IO error, which arrow's writers do not.
struct RecordingWriter<'a> {
    inner: &'a mut (dyn Write + Send),
    failure: Option<std::io::Error>,
}

impl RecordingWriter<'_> {
    fn keep<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        result.inspect_err(|error| {
            let copy = std::io::Error::new(error.kind(), error.to_string());
            self.failure.get_or_insert(copy);
        })
    }
}

impl Write for RecordingWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let result = self.inner.write(bytes);
        self.keep(result)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let result = self.inner.flush();
        self.keep(result)
    }
}

fn write_to(batches: &[RecordBatch], format: ExportFormat, out: &mut (dyn Write + Send)) -> Result<(), StoreError> {
    match format {
        ExportFormat::Table => {
            let text = pretty_format_batches(batches)?.to_string();
            writeln!(out, "{text}").map_err(StoreError::Output)
        }
        ExportFormat::Csv => {
            let mut writer = CsvWriterBuilder::new().with_header(true).build(&mut *out);
            for batch in batches {
                writer.write(batch)?;
            }
            Ok(())
        }
        ExportFormat::Json => {
            let mut writer = ArrayWriter::new(&mut *out);
            for batch in batches {
                writer.write(batch)?;
            }
            writer.finish()?;
            writeln!(out).map_err(StoreError::Output)
        }
        ExportFormat::Parquet => {
            let Some(first) = batches.first() else {
                return Ok(());
            };
            let mut writer = ArrowWriter::try_new(&mut *out, first.schema(), None)?;
            for batch in batches {
                writer.write(batch)?;
            }
            writer.close()?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::{Int64Array, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};

    use super::*;

    fn batch(rows: usize) -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![
            Field::new("song_id", DataType::Utf8, true),
            Field::new("rank", DataType::Int64, false),
        ]));
        let ids: Vec<String> = (0..rows).map(|row| format!("song_{row}")).collect();
        let ranks: Vec<i64> = (0..rows as i64).map(|row| row + 1).collect();
        RecordBatch::try_new(schema, vec![Arc::new(StringArray::from(ids)), Arc::new(Int64Array::from(ranks))])
            .expect("a valid batch")
    }

    fn written(batches: &[RecordBatch], format: ExportFormat) -> String {
        let mut bytes = Vec::new();
        write_batches(batches, format, &mut bytes).expect("writes");
        String::from_utf8(bytes).expect("text")
    }

    #[test]
    fn each_format_writes_the_rows_and_empty_answers_keep_their_columns() {
        assert_eq!(written(&[batch(2)], ExportFormat::Csv), "song_id,rank\nsong_0,1\nsong_1,2\n");
        assert_eq!(written(&[batch(0)], ExportFormat::Csv), "song_id,rank\n");
        assert_eq!(written(&[batch(1)], ExportFormat::Json), "[{\"song_id\":\"song_0\",\"rank\":1}]\n");
        assert_eq!(written(&[batch(0)], ExportFormat::Json), "[]\n");
        let table = written(&[batch(0)], ExportFormat::Table);
        assert!(table.contains("| song_id | rank |"), "{table}");
        let mut parquet = Vec::new();
        write_batches(&[batch(3)], ExportFormat::Parquet, &mut parquet).expect("writes");
        assert_eq!(&parquet[..4], b"PAR1");
    }

    #[test]
    fn a_closed_pipe_is_an_output_error() {
        struct ClosedPipe;
        impl Write for ClosedPipe {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        for format in [ExportFormat::Table, ExportFormat::Csv, ExportFormat::Json] {
            let error = write_batches(&[batch(5)], format, &mut ClosedPipe).unwrap_err();
            assert!(
                matches!(&error, StoreError::Output(source) if source.kind() == std::io::ErrorKind::BrokenPipe),
                "{format:?}: {error:?}"
            );
        }
    }
}
