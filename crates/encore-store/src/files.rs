//! Crash-safe file writes (write to a temp file beside the target, fsync, rename, fsync the folder)
//! and reading a part back.

use std::fs::File;
use std::path::Path;

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use datafusion::parquet::basic::{Compression, Encoding};
use datafusion::parquet::errors::ParquetError;
use datafusion::parquet::file::properties::{EnabledStatistics, WriterProperties};
use datafusion::parquet::schema::types::ColumnPath;

use crate::commit::remove_if_present;
use crate::encode::write_on_cores;
use crate::error::StoreError;
use crate::series_schema::LISTENS;

pub fn create_dir_all(path: &Path) -> Result<(), StoreError> {
    std::fs::create_dir_all(path).map_err(StoreError::io("create folder", path))
}

pub fn write_atomically(path: &Path, write: impl FnOnce(&mut File) -> std::io::Result<()>) -> Result<(), StoreError> {
    let folder = path.parent().unwrap_or(Path::new("."));
    create_dir_all(folder)?;
    let temp_path = path.with_extension(format!("tmp-{}", std::process::id()));
    let mut file = File::create(&temp_path).map_err(StoreError::io("create", &temp_path))?;
    let written = write(&mut file)
        .map_err(StoreError::io("write", path))
        .and_then(|()| file.sync_all().map_err(StoreError::io("sync", path)));
    drop(file);
    if let Err(error) = written {
        // Ours, half-written: nothing names it.
        remove_if_present(&temp_path);
        return Err(error);
    }
    std::fs::rename(&temp_path, path).map_err(StoreError::io("rename into place", path))?;
    sync_folder(folder)
}

/// Syncs `folder`'s entries to disk: a rename (or a link) into it is durable only then.
pub(crate) fn sync_folder(folder: &Path) -> Result<(), StoreError> {
    File::open(folder).and_then(|folder| folder.sync_all()).map_err(StoreError::io("sync folder", folder))
}

pub fn write_parquet_atomically(path: &Path, batch: &RecordBatch) -> Result<(), StoreError> {
    write_batches_atomically(path, batch.schema(), std::iter::once(Ok(batch.clone()))).map(|_| ())
}

/// Writes `batches` (of `schema`) as one Parquet file, encoding each as it comes (its columns on
/// every core), so the caller can make the next batch on another thread meanwhile; returns the
/// rows written. The first error, of a batch or of the writer, leaves nothing behind.
pub fn write_batches_atomically(
    path: &Path,
    schema: SchemaRef,
    batches: impl IntoIterator<Item = Result<RecordBatch, StoreError>>,
) -> Result<u64, StoreError> {
    let properties = part_properties();
    let mut failure: Option<StoreError> = None;
    let mut rows = 0;
    write_atomically(path, |file| match write_on_cores(&mut *file, schema, properties, batches) {
        Ok(written) => {
            rows = written;
            Ok(())
        }
        Err(error) => {
            let io = match &error {
                StoreError::Parquet(parquet) => writer_io_error(parquet),
                other => std::io::Error::other(other.to_string()),
            };
            failure = Some(error);
            Err(io)
        }
    })
    .map_err(|error| match failure {
        // The disk's failure (full, too large, read-only) is said once, as the write's.
        Some(StoreError::Parquet(parquet)) if root_io_error(&parquet).is_some() => error,
        Some(failure) => failure,
        None => error,
    })?;
    Ok(rows)
}

/// The writer's error as the file's: the operating system's error at its bottom when there is one.
pub(crate) fn writer_io_error(error: &ParquetError) -> std::io::Error {
    match root_io_error(error) {
        Some(io) => std::io::Error::new(io.kind(), io.to_string()),
        None => std::io::Error::other(error.to_string()),
    }
}

/// How every part is written: Snappy, which encodes and decodes fast and still halves most parts.
pub(crate) fn part_properties() -> WriterProperties {
    WriterProperties::builder().set_compression(Compression::SNAPPY).build()
}

/// How a part of `dataset` is written: as [`part_properties`], but in a part of listens
/// - the text a log gives in no order (its users, artists, tracks, songs, albums, countries, track
///   URIs and reasons) keeps no least and greatest value where Parquet's Arrow writer writes it (a
///   log's batches generated rather than read): they span nearly every value in each page, so
///   they rule out no page when read, and finding them compares every value as it is written;
/// - the times and lines, nearly all distinct and rising, are written as their differences
///   (DELTA_BINARY_PACKED) rather than looked up in a dictionary that never fills.
pub(crate) fn part_properties_of(dataset: &str) -> WriterProperties {
    let unordered =
        ["user", "artist", "track", "song_id", "album", "country", "track_uri", "reason_start", "reason_end"];
    let mut properties = WriterProperties::builder().set_compression(Compression::SNAPPY);
    if dataset == LISTENS {
        for column in unordered {
            properties = properties.set_column_statistics_enabled(ColumnPath::from(column), EnabledStatistics::None);
        }
        for column in ["listened_at", "source_line"] {
            properties = properties
                .set_column_dictionary_enabled(ColumnPath::from(column), false)
                .set_column_encoding(ColumnPath::from(column), Encoding::DELTA_BINARY_PACKED);
        }
    }
    properties.build()
}

/// The operating system's error at the bottom of a Parquet writer's error, if there is one.
pub(crate) fn root_io_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    let mut current = Some(error);
    let mut found = None;
    while let Some(error) = current {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            found = Some(io);
        }
        current = error.source();
    }
    found
}

/// Every row of a Parquet part file, as the batches it was stored in.
pub fn read_parquet(path: &Path) -> Result<Vec<RecordBatch>, StoreError> {
    let file = File::open(path).map_err(StoreError::io("open", path))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)?.build()?;
    Ok(reader.collect::<Result<Vec<_>, _>>()?)
}

/// Whether the Parquet file at `path` can be opened and its footer read: a part cut short or
/// deleted behind the store's back fails here, and the error names it.
pub(crate) fn check_parquet(path: &Path) -> Result<(), StoreError> {
    let file = File::open(path).map_err(|error| StoreError::Corrupt {
        path: path.to_path_buf(),
        reason: format!("a part file named by the manifest cannot be opened: {error}"),
    })?;
    datafusion::parquet::file::reader::SerializedFileReader::new(file).map_err(|error| StoreError::Corrupt {
        path: path.to_path_buf(),
        reason: format!("a part file named by the manifest is not readable Parquet: {error}"),
    })?;
    Ok(())
}
