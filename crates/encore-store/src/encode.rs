//! Parquet encoding with a part's columns spread over the cores: encoding (dictionaries,
//! compression) is most of a large commit's time, and each column encodes on its own. The file is
//! the one `ArrowWriter` would write (its schema, its row groups of at most the properties'
//! `max_row_group_row_count` rows); only the work is shared out.

use std::io::Write;
use std::sync::mpsc;

use datafusion::arrow::array::Array;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::arrow_writer::{compute_leaves, ArrowColumnChunk, ArrowColumnWriter};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::errors::ParquetError;
use datafusion::parquet::file::properties::WriterProperties;

use crate::error::StoreError;

/// Batches in flight to each encoding thread: enough to keep it busy, few enough to bound memory.
const BATCHES_IN_FLIGHT: usize = 2;

/// Writes `batches` of `schema` to `file` as Parquet, each row group's columns encoded on up to
/// one thread per core; returns the rows written. Stops at the first error, of a batch or of the
/// writer, and returns it.
pub(crate) fn write_on_cores<W: Write + Send>(
    file: W,
    schema: SchemaRef,
    properties: WriterProperties,
    batches: impl IntoIterator<Item = Result<RecordBatch, StoreError>>,
) -> Result<u64, StoreError> {
    let max_rows = properties.max_row_group_row_count().unwrap_or(usize::MAX).max(1);
    let (mut file_writer, factory) =
        ArrowWriter::try_new(file, schema.clone(), Some(properties))?.into_serialized_writer()?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let mut batches = batches.into_iter();
    // The part of a batch the last row group had no room for.
    let mut left_over: Option<RecordBatch> = None;
    let mut rows = 0u64;
    for group in 0.. {
        let first = match left_over.take() {
            Some(batch) => batch,
            None => match batches.next() {
                Some(batch) => batch?,
                None => break,
            },
        };
        let writers = factory.create_column_writers(group)?;
        let shares = share_out(writers, &first, cores);
        let (group_rows, chunks) = std::thread::scope(|scope| -> Result<_, StoreError> {
            let mut senders = Vec::new();
            let mut encoders = Vec::new();
            for share in shares {
                let (sender, receiver) = mpsc::sync_channel::<RecordBatch>(BATCHES_IN_FLIGHT);
                let schema = &schema;
                encoders.push(scope.spawn(move || encode(schema, share, receiver)));
                senders.push(sender);
            }
            let mut group_rows = 0;
            let mut next = Some(Ok(first));
            let mut fed = Ok(());
            while let Some(batch) = next.take() {
                let batch = match batch {
                    Ok(batch) => batch,
                    Err(error) => {
                        fed = Err(error);
                        break;
                    }
                };
                let room = max_rows - group_rows;
                let batch = if batch.num_rows() > room {
                    left_over = Some(batch.slice(room, batch.num_rows() - room));
                    batch.slice(0, room)
                } else {
                    batch
                };
                group_rows += batch.num_rows();
                // A thread that stopped said why when it is joined below.
                if senders.iter().any(|sender| sender.send(batch.clone()).is_err()) {
                    break;
                }
                if group_rows < max_rows {
                    next = batches.next();
                }
            }
            drop(senders);
            let mut chunks = Vec::new();
            for encoder in encoders {
                let encoded = encoder.join().map_err(|_| StoreError::panicked("a Parquet encoding thread"))?;
                chunks.extend(encoded?);
            }
            fed?;
            Ok((group_rows, chunks))
        })?;
        let mut chunks = chunks;
        chunks.sort_by_key(|(leaf, _)| *leaf);
        let mut row_group = file_writer.next_row_group()?;
        for (_, chunk) in chunks {
            chunk.append_to_row_group(&mut row_group)?;
        }
        row_group.close()?;
        rows += group_rows as u64;
    }
    file_writer.close()?;
    Ok(rows)
}

/// The column writers shared out among up to `threads` threads, each with its leaves' positions,
/// balanced by the size of `sample`'s columns (strings weigh more than numbers); round robin when
/// the schema nests (a column then has several leaves).
fn share_out(
    writers: Vec<ArrowColumnWriter>,
    sample: &RecordBatch,
    threads: usize,
) -> Vec<Vec<(usize, ArrowColumnWriter)>> {
    let threads = threads.clamp(1, writers.len().max(1));
    let weights: Vec<usize> = if writers.len() == sample.num_columns() {
        sample.columns().iter().map(|column| column.get_array_memory_size().max(1)).collect()
    } else {
        vec![1; writers.len()]
    };
    let mut order: Vec<usize> = (0..writers.len()).collect();
    order.sort_by_key(|leaf| std::cmp::Reverse(weights[*leaf]));
    let mut loads = vec![0usize; threads];
    let mut owner = vec![0usize; writers.len()];
    for leaf in order {
        let lightest = (0..threads).min_by_key(|thread| loads[*thread]).unwrap_or(0);
        loads[lightest] += weights[leaf];
        owner[leaf] = lightest;
    }
    let mut shares: Vec<Vec<(usize, ArrowColumnWriter)>> = (0..threads).map(|_| Vec::new()).collect();
    for (leaf, writer) in writers.into_iter().enumerate() {
        shares[owner[leaf]].push((leaf, writer));
    }
    shares.retain(|share| !share.is_empty());
    shares
}

/// Encodes this thread's leaves of every batch it receives; returns their chunks, by leaf.
fn encode(
    schema: &SchemaRef,
    mut share: Vec<(usize, ArrowColumnWriter)>,
    batches: mpsc::Receiver<RecordBatch>,
) -> Result<Vec<(usize, ArrowColumnChunk)>, ParquetError> {
    for batch in batches {
        let mut leaf = 0;
        for (field, column) in schema.fields().iter().zip(batch.columns()) {
            for leaf_column in compute_leaves(field, column)? {
                if let Some((_, writer)) = share.iter_mut().find(|(owned, _)| *owned == leaf) {
                    writer.write(&leaf_column)?;
                }
                leaf += 1;
            }
        }
    }
    share.into_iter().map(|(leaf, writer)| Ok((leaf, writer.close()?))).collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::{Int32Array, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use datafusion::parquet::file::reader::{FileReader, SerializedFileReader};

    use super::*;

    fn batch(schema: &SchemaRef, from: i32, count: i32) -> RecordBatch {
        let numbers: Vec<i32> = (from..from + count).collect();
        let texts: Vec<Option<String>> =
            numbers.iter().map(|number| (number % 3 != 0).then(|| format!("row {number}"))).collect();
        let columns: Vec<Arc<dyn Array>> =
            vec![Arc::new(Int32Array::from(numbers)), Arc::new(StringArray::from(texts))];
        RecordBatch::try_new(schema.clone(), columns).unwrap()
    }

    #[test]
    fn batches_across_row_groups_read_back_in_order_with_every_value() {
        let schema: SchemaRef = Arc::new(Schema::new(vec![
            Field::new("number", DataType::Int32, false),
            Field::new("text", DataType::Utf8, true),
        ]));
        let properties = WriterProperties::builder().set_max_row_group_row_count(Some(7)).build();
        let batches = [batch(&schema, 0, 5), batch(&schema, 5, 10), batch(&schema, 15, 0), batch(&schema, 15, 3)];
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("part.parquet");
        let file = std::fs::File::create(&path).unwrap();
        let rows = write_on_cores(file, schema.clone(), properties, batches.iter().cloned().map(Ok)).unwrap();
        assert_eq!(rows, 18);
        let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        let groups: Vec<i64> = reader.metadata().row_groups().iter().map(|group| group.num_rows()).collect();
        assert_eq!(groups, [7, 7, 4]);
        let read: Vec<RecordBatch> = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path).unwrap())
            .unwrap()
            .build()
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let whole = datafusion::arrow::compute::concat_batches(&schema, &read).unwrap();
        assert_eq!(whole, batch(&schema, 0, 18));
    }

    #[test]
    fn a_failing_batch_stops_the_write_with_its_error() {
        let schema: SchemaRef = Arc::new(Schema::new(vec![Field::new("number", DataType::Int32, false)]));
        let good = RecordBatch::try_new(schema.clone(), vec![Arc::new(Int32Array::from(vec![1, 2]))]).unwrap();
        let batches = vec![Ok(good), Err(StoreError::BadQuery("the rows ran out".into()))];
        let error = write_on_cores(Vec::new(), schema, WriterProperties::default(), batches).unwrap_err();
        assert!(error.to_string().contains("the rows ran out"), "{error}");
    }
}
