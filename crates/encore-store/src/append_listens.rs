//! Listens appended from parts staged while their files were read: an ingest encodes each
//! listening log to Parquet piece by piece as it is parsed and matched
//! ([`Store::stage_listen_columns`]), so a large log is never held whole; the commit renames each
//! log's staged part into the dataset.

use std::io::Write;
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BooleanArray, Int64Array, RecordBatch, TimestampMicrosecondArray};
use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::parquet::arrow::arrow_writer::{compute_leaves, ArrowColumnWriter};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::errors::ParquetError;
use datafusion::parquet::file::properties::WriterProperties;
use datafusion::parquet::file::writer::SerializedFileWriter;
use datafusion::parquet::schema::types::ColumnDescPtr;

use encore_domain::{Listen, ListenColumns, TextColumn};

use crate::append::unheld_sources;
use crate::dictionary_chunk::TextChunk;
use crate::error::StoreError;
use crate::files::{create_dir_all, part_properties_of, sync_folder};
use crate::manifest::{PartManifest, SourceFile};
use crate::series_schema::{listens_schema, listens_to_batch, LISTENS};
use crate::staging::StagedPart;
use crate::{CommitSummary, Store};

/// Some listens as a batch of the `listens` schema (with their matched song ids).
pub fn listens_batch(listens: &[Listen]) -> Result<RecordBatch, StoreError> {
    let rows: Vec<&Listen> = listens.iter().collect();
    listens_to_batch(&rows)
}

/// The most text a row group's dictionary of one column gathers before the group is closed: a
/// Parquet page's length is four bytes, and a dictionary page is one page.
const DICTIONARY_BYTES: usize = 256 << 20;

/// The most rows a row group makes room for at once: the properties' row count, unless that is
/// more than a group of listens is likely to reach.
const GROUP_ROWS_ROOM: usize = 1 << 20;

/// Writes the pieces of one listening log, read as columns and matched, to `file` as one Parquet
/// part of `listens` naming `source_file`; returns the rows written. The text columns are written
/// from their dictionaries ([`TextChunk`]), the others by Parquet's Arrow writer; a row group
/// gathers whole pieces up to the properties' row count. Stops at the first error, of a piece or
/// of the writer, and returns it.
pub(crate) fn write_listen_columns<W: Write + Send>(
    file: W,
    source_file: &str,
    pieces: impl IntoIterator<Item = Result<ListenColumns, StoreError>>,
) -> Result<u64, StoreError> {
    write_listen_columns_as(file, source_file, pieces, part_properties_of(LISTENS))
}

/// [`write_listen_columns`] with the writer's `properties`.
fn write_listen_columns_as<W: Write + Send>(
    file: W,
    source_file: &str,
    pieces: impl IntoIterator<Item = Result<ListenColumns, StoreError>>,
    properties: WriterProperties,
) -> Result<u64, StoreError> {
    let schema = listens_schema();
    let max_rows = properties.max_row_group_row_count().unwrap_or(usize::MAX).max(1);
    let page_rows = properties.data_page_row_count_limit();
    let (mut file_writer, factory) =
        ArrowWriter::try_new(file, schema.clone(), Some(properties))?.into_serialized_writer()?;
    let leaves = file_writer.schema_descr().columns().to_vec();
    let mut rows = 0u64;
    let mut group: Option<RowGroup> = None;
    for piece in pieces {
        let mut piece = piece?;
        if piece.is_empty() {
            continue;
        }
        let open = match group.as_mut() {
            Some(open) => open,
            None => {
                let writers = factory.create_column_writers(file_writer.flushed_row_groups().len())?;
                group.insert(RowGroup::new(&schema, &leaves, writers, max_rows.min(GROUP_ROWS_ROOM)))
            }
        };
        open.append(&schema, &mut piece, source_file)?;
        if open.rows >= max_rows || open.dictionary_bytes() >= DICTIONARY_BYTES {
            rows += group.take().map_or(Ok(0), |full| full.write(&mut file_writer, page_rows))?;
        }
    }
    if let Some(last) = group {
        rows += last.write(&mut file_writer, page_rows)?;
    }
    file_writer.close()?;
    Ok(rows)
}

/// One row group of listens as it is filled: a chunk per column, in the schema's order.
struct RowGroup {
    rows: usize,
    columns: Vec<ColumnSink>,
}

enum ColumnSink {
    Text(Box<TextChunk>),
    Arrow(Box<ArrowColumnWriter>),
}

impl RowGroup {
    /// A group of `schema`'s columns, with room for `rows` rows.
    fn new(schema: &SchemaRef, leaves: &[ColumnDescPtr], writers: Vec<ArrowColumnWriter>, rows: usize) -> RowGroup {
        let columns = schema
            .fields()
            .iter()
            .zip(leaves)
            .zip(writers)
            .map(|((field, leaf), writer)| match field.data_type() {
                DataType::Utf8 => ColumnSink::Text(Box::new(TextChunk::new(leaf.clone(), rows))),
                _ => ColumnSink::Arrow(Box::new(writer)),
            })
            .collect();
        RowGroup { rows: 0, columns }
    }

    /// The most text a column's dictionary holds.
    fn dictionary_bytes(&self) -> usize {
        let texts = self.columns.iter().filter_map(|column| match column {
            ColumnSink::Text(chunk) => Some(chunk.dictionary_bytes()),
            ColumnSink::Arrow(_) => None,
        });
        texts.max().unwrap_or(0)
    }

    /// Appends a piece's listens, each column to its chunk.
    fn append(&mut self, schema: &SchemaRef, piece: &mut ListenColumns, source_file: &str) -> Result<(), StoreError> {
        let rows = piece.len();
        for (field, column) in schema.fields().iter().zip(&mut self.columns) {
            let name = field.name().as_str();
            match column {
                ColumnSink::Text(chunk) => match name {
                    "source" => chunk.append_repeated(piece.source.as_str(), rows)?,
                    "source_file" => chunk.append_repeated(source_file, rows)?,
                    _ => match text_column(piece, name)? {
                        // A column ends after its last value (a log not matched has no songs).
                        column if column.len() <= rows => {
                            chunk.append(column)?;
                            chunk.append_missing(rows - column.len())?;
                        }
                        column => {
                            let reason = format!("{} values of {name} for {rows} listens", column.len());
                            return Err(StoreError::Parquet(ParquetError::General(reason)));
                        }
                    },
                },
                ColumnSink::Arrow(writer) => {
                    let array = other_array(piece, name, rows)?;
                    for leaf in compute_leaves(field, &array)? {
                        writer.write(&leaf)?;
                    }
                }
            }
        }
        self.rows += rows;
        Ok(())
    }

    /// Writes the group's chunks to `writer` as its next row group; returns its rows.
    fn write<W: Write + Send>(self, writer: &mut SerializedFileWriter<W>, page_rows: usize) -> Result<u64, StoreError> {
        let mut group = writer.next_row_group()?;
        for column in self.columns {
            match column {
                ColumnSink::Text(chunk) => {
                    let (bytes, close) = chunk.finish(page_rows)?;
                    group.append_column(&bytes, close)?;
                }
                ColumnSink::Arrow(column) => column.close()?.append_to_row_group(&mut group)?,
            }
        }
        group.close()?;
        Ok(self.rows as u64)
    }
}

/// The text column of `piece` the schema names `name`.
fn text_column<'c>(piece: &'c ListenColumns, name: &str) -> Result<&'c TextColumn, StoreError> {
    Ok(match name {
        "user" => &piece.user,
        "artist" => &piece.artist,
        "track" => &piece.track,
        "song_id" => &piece.song_id,
        "album" => &piece.album,
        "country" => &piece.country,
        "track_uri" => &piece.track_uri,
        "reason_start" => &piece.reason_start,
        "reason_end" => &piece.reason_end,
        _ => return Err(unknown_column(name)),
    })
}

/// The column of `piece` the schema names `name`, not text, taken out of `piece` as an array of
/// its `rows` listens.
fn other_array(piece: &mut ListenColumns, name: &str, rows: usize) -> Result<ArrayRef, StoreError> {
    Ok(match name {
        "listened_at" => {
            Arc::new(TimestampMicrosecondArray::from(std::mem::take(&mut piece.listened_at)).with_timezone("UTC"))
        }
        "source_line" => {
            let lines = std::mem::take(&mut piece.source_line).into_iter().map(|line| i64::try_from(line).ok());
            Arc::new(lines.collect::<Int64Array>())
        }
        "ms_played" => Arc::new(Int64Array::from(optional(&mut piece.ms_played, rows))),
        "duration_ms" => Arc::new(Int64Array::from(optional(&mut piece.duration_ms, rows))),
        "shuffle" => Arc::new(BooleanArray::from(optional(&mut piece.shuffle, rows))),
        "skipped" => Arc::new(BooleanArray::from(optional(&mut piece.skipped, rows))),
        "offline" => Arc::new(BooleanArray::from(optional(&mut piece.offline, rows))),
        _ => return Err(unknown_column(name)),
    })
}

/// An optional column taken out of its piece, as `rows` values: missing past its end.
fn optional<T>(column: &mut Vec<Option<T>>, rows: usize) -> Vec<Option<T>> {
    let mut values = std::mem::take(column);
    values.resize_with(rows, || None);
    values
}

fn unknown_column(name: &str) -> StoreError {
    StoreError::Parquet(ParquetError::General(format!("the listens schema's column {name} is not a listen's")))
}

/// One source file's listens, staged.
#[derive(Debug)]
pub struct ListenFile {
    pub source: SourceFile,
    pub staged: StagedPart,
}

/// Adds the files' listens to `listens` in one commit, a part per file, skipping files the
/// dataset holds already (their staged parts are deleted when `files` is dropped).
pub(crate) fn append_listen_files(store: &Store, mut files: Vec<ListenFile>) -> Result<CommitSummary, StoreError> {
    crate::commit::commit(store, "append to listens", |manifest| {
        let (unheld_positions, already_present) =
            unheld_sources(manifest, LISTENS, files.iter().map(|file| &file.source));
        let mut summary = CommitSummary { sources_already_present: already_present, ..CommitSummary::default() };
        if unheld_positions.is_empty() {
            return Ok(summary);
        }
        manifest.generation += 1;
        let generation = manifest.generation;
        let folder = store.root().join("data").join(LISTENS);
        create_dir_all(&folder)?;
        let mut parts = Vec::new();
        for (index, position) in unheld_positions.into_iter().enumerate() {
            let file = &mut files[position];
            let relative = format!("data/{LISTENS}/part-{generation:06}-{index:04}.parquet");
            file.staged.adopt(&store.root().join(&relative))?;
            summary.sources_added += 1;
            summary.rows_added += file.staged.rows() as usize;
            let sources = vec![file.source.clone()];
            parts.push(PartManifest { file: relative, rows: file.staged.rows(), sources, issues: Vec::new() });
        }
        sync_folder(&folder)?;
        manifest.datasets.entry(LISTENS.to_string()).or_default().parts.extend(parts);
        Ok(summary)
    })
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use datafusion::arrow::compute::concat_batches;
    use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use encore_domain::{ListenFields, ListenSource};
    use proptest::prelude::*;

    use super::*;

    const WORDS: [&str; 6] = ["Ailee", "첫눈처럼 너에게 가겠다", "", "Gummy", "도깨비 OST", "a,\"b\""];

    /// A row of a piece: the words of its user, artist and track, maybe of its album and song.
    type Row = (usize, usize, usize, Option<usize>, Option<usize>);

    /// A piece of listens, each row's text drawn from a few words (some rows without an album or
    /// a country, some matched to a song).
    fn piece(rows: &[Row], first_line: u64) -> ListenColumns {
        let mut columns = ListenColumns::new(ListenSource::SpotifyExtended);
        let mut songs = TextColumn::default();
        for (offset, &(user, artist, track, album, song)) in rows.iter().enumerate() {
            let at = DateTime::from_timestamp(1_700_000_000 + offset as i64 * 61, 0).unwrap();
            let mut listen =
                ListenFields::new(WORDS[user].into(), at.timestamp_micros(), WORDS[artist].into(), WORDS[track].into());
            listen.source_line = first_line + offset as u64;
            listen.album = album.map(|album| WORDS[album].into());
            listen.country = (offset % 3 == 0).then(|| "KR".into());
            listen.ms_played = (offset % 2 == 0).then_some(offset as i64 * 1000);
            listen.skipped = (offset % 4 != 1).then_some(offset % 4 == 0);
            columns.push(&listen).unwrap();
            songs.push(song.map(|song| WORDS[song])).unwrap();
        }
        columns.song_id = songs;
        columns
    }

    fn read_back(bytes: Vec<u8>) -> (RecordBatch, usize) {
        let reader = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes)).unwrap();
        let groups = reader.metadata().num_row_groups();
        let batches: Vec<RecordBatch> = reader.build().unwrap().collect::<Result<_, _>>().unwrap();
        (concat_batches(&listens_schema(), &batches).unwrap(), groups)
    }

    proptest! {
        #[test]
        fn listens_written_from_dictionaries_read_back_as_the_same_rows(
            pieces in prop::collection::vec(
                prop::collection::vec(
                    (0usize..6, 0usize..6, 0usize..6, prop::option::of(0usize..6), prop::option::of(0usize..6)),
                    0..40,
                ),
                0..5,
            ),
        ) {
            let mut expected = Vec::new();
            let mut columns = Vec::new();
            for rows in &pieces {
                let columns_of = piece(rows, expected.len() as u64 + 2);
                expected.extend(columns_of.listens("logs/기록.json"));
                columns.push(Ok(columns_of));
            }
            // Small groups and pages: a group gathers whole pieces past its seven rows.
            let properties = WriterProperties::builder()
                .set_max_row_group_row_count(Some(7))
                .set_data_page_row_count_limit(3)
                .build();
            let mut bytes = Vec::new();
            let written = write_listen_columns_as(&mut bytes, "logs/기록.json", columns, properties).unwrap();
            prop_assert_eq!(written as usize, expected.len());
            let (batch, _) = read_back(bytes);
            prop_assert_eq!(batch, listens_batch(&expected).unwrap());
        }
    }

    #[test]
    fn a_log_not_matched_is_stored_without_songs_and_a_column_longer_than_its_listens_is_refused() {
        let mut unmatched = piece(&[(0, 1, 1, None, None), (3, 3, 4, Some(4), None)], 2);
        let expected = unmatched.listens("a.csv");
        unmatched.song_id = TextColumn::default();
        let mut bytes = Vec::new();
        let properties = WriterProperties::builder().set_data_page_row_count_limit(1).build();
        write_listen_columns_as(&mut bytes, "a.csv", [Ok(unmatched)], properties).unwrap();
        let (batch, groups) = read_back(bytes);
        assert_eq!((batch, groups), (listens_batch(&expected).unwrap(), 1));

        // A column that ends early is missing past its end.
        let mut short = piece(&[(0, 1, 1, None, None), (3, 3, 4, Some(4), None)], 2);
        short.song_id = TextColumn::default();
        short.song_id.push(Some("goblin_stay_with_me")).unwrap();
        let mut expected = short.listens("a.csv");
        expected[1].song_id = None;
        let mut bytes = Vec::new();
        write_listen_columns(&mut bytes, "a.csv", [Ok(short.clone())]).unwrap();
        assert_eq!(read_back(bytes).0, listens_batch(&expected).unwrap());

        short.song_id.push(None).unwrap();
        short.song_id.push(None).unwrap();
        let error = write_listen_columns(Vec::new(), "a.csv", [Ok(short)]).unwrap_err();
        assert!(error.to_string().contains("3 values of song_id for 2 listens"), "{error}");
    }
}
