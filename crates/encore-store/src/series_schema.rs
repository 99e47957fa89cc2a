//! Arrow schemas and record batches of the non-chart datasets: `daily_counts`, `search_interest`,
//! `listens`, `drama_metadata` and `episode_ratings` (`drama_viewing`'s are in `viewing.rs`).

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BooleanArray, Float64Array, RecordBatch, TimestampMicrosecondArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};

use encore_domain::{DailyCount, DramaId, DramaMetadata, Listen, SearchInterest, SongId};

use crate::error::StoreError;
use crate::schema::{dates, int32s, int64s, strings, to_i32};

pub const DAILY_COUNTS: &str = "daily_counts";
pub const SEARCH_INTEREST: &str = "search_interest";
pub const LISTENS: &str = "listens";
pub const DRAMA_METADATA: &str = "drama_metadata";
pub const EPISODE_RATINGS: &str = "episode_ratings";

type SchemaOf = fn() -> SchemaRef;

/// The non-chart datasets and their schemas, so a query may name one the store does not hold yet.
pub const SERIES_DATASETS: [(&str, SchemaOf); 7] = [
    (DAILY_COUNTS, daily_counts_schema),
    (SEARCH_INTEREST, search_interest_schema),
    (LISTENS, listens_schema),
    (DRAMA_METADATA, drama_metadata_schema),
    (EPISODE_RATINGS, episode_ratings_schema),
    (crate::viewing::DRAMA_VIEWING, crate::viewing::drama_viewing_schema),
    (crate::snapshots::SNAPSHOTS, crate::snapshots::snapshots_schema),
];

/// The schema of `episode_ratings`: that of the catalog's `episodes`.
fn episode_ratings_schema() -> SchemaRef {
    crate::schema::episodes_to_batch(&[]).map(|batch| batch.schema()).unwrap_or_else(|_| schema(&[]))
}

fn schema(fields: &[(&str, DataType, bool)]) -> SchemaRef {
    let fields: Vec<Field> =
        fields.iter().map(|(name, data_type, nullable)| Field::new(*name, data_type.clone(), *nullable)).collect();
    Arc::new(Schema::new(fields))
}

fn utc_timestamp() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

pub fn daily_counts_schema() -> SchemaRef {
    use DataType::{Date32, Int64, Utf8};
    schema(&[
        ("source", Utf8, false),
        ("subject", Utf8, false),
        ("date", Date32, false),
        ("count", Int64, false),
        ("source_file", Utf8, false),
        ("source_line", Int64, false),
    ])
}

/// `search_interest`: one keyword's relative search index for one period. `value` is in `unit`
/// (0-100 relative to the largest value of the file, whose dates run from `range_start` to
/// `range_end`); `below_one` marks Google's `<1`, stored as 0.5.
pub fn search_interest_schema() -> SchemaRef {
    use DataType::{Boolean, Date32, Float64, Int64, Utf8};
    schema(&[
        ("date", Date32, false),
        ("keyword", Utf8, false),
        ("geo", Utf8, false),
        ("value", Float64, false),
        ("below_one", Boolean, false),
        ("unit", Utf8, false),
        ("period", Utf8, false),
        ("source", Utf8, false),
        ("song_id", Utf8, true),
        ("drama_id", Utf8, true),
        ("range_start", Date32, false),
        ("range_end", Date32, false),
        ("source_file", Utf8, false),
        ("source_line", Int64, false),
    ])
}

/// The schema of `listens`: one play a row, `listened_at` its start. The playback columns after
/// `song_id` are null where the log does not say (and in parts written before they existed).
pub fn listens_schema() -> SchemaRef {
    use DataType::{Boolean, Int64, Utf8};
    schema(&[
        ("source", Utf8, false),
        ("user", Utf8, false),
        ("listened_at", utc_timestamp(), false),
        ("artist", Utf8, false),
        ("track", Utf8, false),
        ("song_id", Utf8, true),
        ("source_file", Utf8, false),
        ("source_line", Int64, false),
        ("album", Utf8, true),
        ("ms_played", Int64, true),
        ("duration_ms", Int64, true),
        ("country", Utf8, true),
        ("track_uri", Utf8, true),
        ("reason_start", Utf8, true),
        ("reason_end", Utf8, true),
        ("shuffle", Boolean, true),
        ("skipped", Boolean, true),
        ("offline", Boolean, true),
    ])
}

pub fn drama_metadata_schema() -> SchemaRef {
    use DataType::{Date32, Int32, Int64, Utf8};
    schema(&[
        ("source", Utf8, false),
        ("title", Utf8, false),
        ("year", Int32, true),
        ("episodes", Int32, true),
        ("premiere", Date32, true),
        ("finale", Date32, true),
        ("network", Utf8, false),
        ("source_file", Utf8, false),
        ("source_line", Int64, false),
    ])
}

fn booleans(values: impl Iterator<Item = Option<bool>>) -> ArrayRef {
    Arc::new(values.collect::<BooleanArray>())
}

fn line(number: u64) -> Option<i64> {
    i64::try_from(number).ok()
}

pub fn daily_counts_to_batch(counts: &[&DailyCount]) -> Result<RecordBatch, StoreError> {
    let rows = || counts.iter();
    let columns: Vec<ArrayRef> = vec![
        strings(rows().map(|count| Some(count.source.as_str()))),
        strings(rows().map(|count| Some(count.subject.as_str()))),
        dates(rows().map(|count| Some(count.date))),
        int64s(rows().map(|count| Some(i64::try_from(count.count).unwrap_or(i64::MAX)))),
        strings(rows().map(|count| Some(count.source_file.as_str()))),
        int64s(rows().map(|count| line(count.source_line))),
    ];
    Ok(RecordBatch::try_new(daily_counts_schema(), columns)?)
}

pub fn search_interest_to_batch(rows: &[&SearchInterest]) -> Result<RecordBatch, StoreError> {
    let rows = || rows.iter();
    let columns: Vec<ArrayRef> = vec![
        dates(rows().map(|row| Some(row.date))),
        strings(rows().map(|row| Some(row.keyword.as_str()))),
        strings(rows().map(|row| Some(row.geo.as_str()))),
        Arc::new(Float64Array::from_iter_values(rows().map(|row| row.value))),
        Arc::new(BooleanArray::from(rows().map(|row| row.below_one).collect::<Vec<bool>>())),
        strings(rows().map(|row| Some(row.source.unit()))),
        strings(rows().map(|row| Some(row.period.as_str()))),
        strings(rows().map(|row| Some(row.source.as_str()))),
        strings(rows().map(|row| row.song_id.as_ref().map(SongId::as_str))),
        strings(rows().map(|row| row.drama_id.as_ref().map(DramaId::as_str))),
        dates(rows().map(|row| Some(row.range_start))),
        dates(rows().map(|row| Some(row.range_end))),
        strings(rows().map(|row| Some(row.source_file.as_str()))),
        int64s(rows().map(|row| line(row.source_line))),
    ];
    Ok(RecordBatch::try_new(search_interest_schema(), columns)?)
}

pub fn listens_to_batch(listens: &[&Listen]) -> Result<RecordBatch, StoreError> {
    let rows = || listens.iter();
    let times: Vec<i64> = rows().map(|listen| listen.listened_at.timestamp_micros()).collect();
    let columns: Vec<ArrayRef> = vec![
        strings(rows().map(|listen| Some(listen.source.as_str()))),
        strings(rows().map(|listen| Some(listen.user.as_str()))),
        Arc::new(TimestampMicrosecondArray::from(times).with_timezone("UTC")),
        strings(rows().map(|listen| Some(listen.artist.as_str()))),
        strings(rows().map(|listen| Some(listen.track.as_str()))),
        strings(rows().map(|listen| listen.song_id.as_ref().map(SongId::as_str))),
        strings(rows().map(|listen| Some(listen.source_file.as_str()))),
        int64s(rows().map(|listen| line(listen.source_line))),
        strings(rows().map(|listen| listen.playback.album.as_deref())),
        int64s(rows().map(|listen| listen.playback.ms_played)),
        int64s(rows().map(|listen| listen.playback.duration_ms)),
        strings(rows().map(|listen| listen.playback.country.as_deref())),
        strings(rows().map(|listen| listen.playback.track_uri.as_deref())),
        strings(rows().map(|listen| listen.playback.reason_start.as_deref())),
        strings(rows().map(|listen| listen.playback.reason_end.as_deref())),
        booleans(rows().map(|listen| listen.playback.shuffle)),
        booleans(rows().map(|listen| listen.playback.skipped)),
        booleans(rows().map(|listen| listen.playback.offline)),
    ];
    Ok(RecordBatch::try_new(listens_schema(), columns)?)
}

pub fn drama_metadata_to_batch(dramas: &[&DramaMetadata]) -> Result<RecordBatch, StoreError> {
    let rows = || dramas.iter();
    let columns: Vec<ArrayRef> = vec![
        strings(rows().map(|drama| Some(drama.source.as_str()))),
        strings(rows().map(|drama| Some(drama.title.as_str()))),
        int32s(rows().map(|drama| drama.year)),
        int32s(rows().map(|drama| to_i32(drama.episodes))),
        dates(rows().map(|drama| drama.premiere)),
        dates(rows().map(|drama| drama.finale)),
        strings(rows().map(|drama| Some(drama.network.as_str()))),
        strings(rows().map(|drama| Some(drama.source_file.as_str()))),
        int64s(rows().map(|drama| line(drama.source_line))),
    ];
    Ok(RecordBatch::try_new(drama_metadata_schema(), columns)?)
}
