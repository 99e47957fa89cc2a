//! Crash-safe file writes (write to a temp file beside the target, fsync, rename, fsync the folder)
//! and reading a part back.

use std::fs::File;
use std::path::Path;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::Compression;
use datafusion::parquet::file::properties::WriterProperties;

use crate::commit::remove_if_present;
use crate::error::StoreError;

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
    // The rename is durable only once the folder's entry is on disk.
    File::open(folder).and_then(|folder| folder.sync_all()).map_err(StoreError::io("sync folder", folder))
}

pub fn write_parquet_atomically(path: &Path, batch: &RecordBatch) -> Result<(), StoreError> {
    let properties = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let mut failure = None;
    write_atomically(path, |file| {
        let result = ArrowWriter::try_new(&mut *file, batch.schema(), Some(properties)).and_then(|mut writer| {
            writer.write(batch)?;
            writer.close().map(|_| ())
        });
        result.map_err(|error| match root_io_error(&error) {
            // The disk's failure (full, too large, read-only), said once.
            Some(io) => std::io::Error::new(io.kind(), io.to_string()),
            None => {
                let message = error.to_string();
                failure = Some(error);
                std::io::Error::other(message)
            }
        })
    })
    .map_err(|error| failure.map(StoreError::from).unwrap_or(error))
}

/// The operating system's error at the bottom of a Parquet writer's error, if there is one.
fn root_io_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
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
