//! Arrow schemas of the datasets and conversions between domain types and record batches.

use std::sync::Arc;

use chrono::NaiveDate;
use datafusion::arrow::array::{
    new_null_array, Array, ArrayRef, Date32Array, Date32Builder, Int32Array, Int32Builder, Int64Array, Int64Builder,
    RecordBatch, StringArray, StringBuilder,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};

use encore_domain::{Catalog, ChartEntry, ChartKind, Episode, EventSubject, SongId};

use crate::error::StoreError;

/// The catalog's datasets, in the order they are written.
pub const CATALOG_DATASETS: [&str; 6] = ["dramas", "episodes", "songs", "events", "artist_aliases", "song_aliases"];

pub fn chart_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("chart", DataType::Utf8, false),
        Field::new("region", DataType::Utf8, false),
        Field::new("chart_date", DataType::Date32, false),
        Field::new("rank", DataType::Int32, false),
        Field::new("title", DataType::Utf8, false),
        Field::new("artist", DataType::Utf8, false),
        Field::new("streams", DataType::Int64, true),
        Field::new("previous_rank", DataType::Int32, true),
        Field::new("peak_rank", DataType::Int32, true),
        Field::new("periods_on_chart", DataType::Int32, true),
        Field::new("track_uri", DataType::Utf8, true),
        Field::new("genre", DataType::Utf8, true),
        Field::new("source_file", DataType::Utf8, false),
        Field::new("source_line", DataType::Int64, false),
        Field::new("song_id", DataType::Utf8, true),
        // Added with the Korean real-time charts: parts written before lack it and read as null.
        Field::new("snapshot_hour", DataType::Int32, true),
        // Added with OST discovery: parts written before lack it and read as null.
        Field::new("album", DataType::Utf8, true),
    ]))
}

fn days_since_epoch(date: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN);
    (date - epoch).num_days() as i32
}

pub(crate) fn date_from_days(days: i32) -> NaiveDate {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN);
    epoch + chrono::Duration::days(i64::from(days))
}

pub(crate) fn to_i32(value: Option<u32>) -> Option<i32> {
    value.and_then(|value| i32::try_from(value).ok())
}

/// A string column of `values`, its buffers made once at their exact size: a builder grown by
/// doubling copies its bytes at every step and keeps up to twice the room it needs, and a large
/// listening log's columns are held until the commit.
pub(crate) fn strings<'a>(values: impl Iterator<Item = Option<&'a str>> + Clone) -> ArrayRef {
    let bytes = values.clone().map(|value| value.map_or(0, str::len)).sum();
    let mut builder = StringBuilder::with_capacity(values.size_hint().0, bytes);
    for value in values {
        builder.append_option(value);
    }
    Arc::new(builder.finish())
}

pub(crate) fn dates(values: impl Iterator<Item = Option<NaiveDate>>) -> ArrayRef {
    let mut builder = Date32Builder::with_capacity(values.size_hint().0);
    for value in values {
        builder.append_option(value.map(days_since_epoch));
    }
    Arc::new(builder.finish())
}

pub(crate) fn int32s(values: impl Iterator<Item = Option<i32>>) -> ArrayRef {
    let mut builder = Int32Builder::with_capacity(values.size_hint().0);
    for value in values {
        builder.append_option(value);
    }
    Arc::new(builder.finish())
}

pub(crate) fn int64s(values: impl Iterator<Item = Option<i64>>) -> ArrayRef {
    let mut builder = Int64Builder::with_capacity(values.size_hint().0);
    for value in values {
        builder.append_option(value);
    }
    Arc::new(builder.finish())
}

/// The rows as one batch of the chart schema, in one pass over the rows: they are scattered on
/// the heap, and a pass per column would read them all seventeen times.
pub fn chart_entries_to_batch(entries: &[&ChartEntry]) -> Result<RecordBatch, StoreError> {
    let rows = entries.len();
    let text = |bytes_per_row: usize| StringBuilder::with_capacity(rows, rows * bytes_per_row);
    let (mut chart, mut region, mut title, mut artist) = (text(16), text(2), text(24), text(24));
    let (mut track_uri, mut genre, mut source_file, mut song_id, mut album) =
        (text(0), text(0), text(48), text(8), text(0));
    let mut chart_date = Date32Builder::with_capacity(rows);
    let [mut rank, mut previous_rank, mut peak_rank, mut periods_on_chart, mut snapshot_hour] =
        std::array::from_fn(|_| Int32Builder::with_capacity(rows));
    let (mut streams, mut source_line) = (Int64Builder::with_capacity(rows), Int64Builder::with_capacity(rows));
    for entry in entries {
        chart.append_value(entry.chart.dataset());
        region.append_value(&entry.region);
        chart_date.append_value(days_since_epoch(entry.chart_date));
        rank.append_option(to_i32(Some(entry.rank)));
        title.append_value(&entry.title);
        artist.append_value(&entry.artist);
        streams.append_option(entry.streams.and_then(|streams| i64::try_from(streams).ok()));
        previous_rank.append_option(to_i32(entry.previous_rank));
        peak_rank.append_option(to_i32(entry.peak_rank));
        periods_on_chart.append_option(to_i32(entry.periods_on_chart));
        track_uri.append_option(entry.track_uri.as_deref());
        genre.append_option(entry.genre.as_deref());
        source_file.append_value(&entry.source_file);
        source_line.append_option(i64::try_from(entry.source_line).ok());
        song_id.append_option(entry.song_id.as_ref().map(SongId::as_str));
        snapshot_hour.append_option(entry.snapshot_hour.map(i32::from));
        album.append_option(entry.album.as_deref());
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(chart.finish()),
        Arc::new(region.finish()),
        Arc::new(chart_date.finish()),
        Arc::new(rank.finish()),
        Arc::new(title.finish()),
        Arc::new(artist.finish()),
        Arc::new(streams.finish()),
        Arc::new(previous_rank.finish()),
        Arc::new(peak_rank.finish()),
        Arc::new(periods_on_chart.finish()),
        Arc::new(track_uri.finish()),
        Arc::new(genre.finish()),
        Arc::new(source_file.finish()),
        Arc::new(source_line.finish()),
        Arc::new(song_id.finish()),
        Arc::new(snapshot_hour.finish()),
        Arc::new(album.finish()),
    ];
    Ok(RecordBatch::try_new(chart_schema(), columns)?)
}

/// The batch with the chart schema's columns in their stored types: the engine may hand strings
/// back as views, and a query may reorder columns.
fn as_chart_batch(batch: &RecordBatch) -> Result<RecordBatch, StoreError> {
    let schema = chart_schema();
    let mut columns = Vec::with_capacity(schema.fields().len());
    for field in schema.fields() {
        let column = match batch.column_by_name(field.name()) {
            Some(column) => cast(column, field.data_type())?,
            // A part written before the column existed: every row null.
            None if field.is_nullable() => new_null_array(field.data_type(), batch.num_rows()),
            None => return Err(StoreError::BadQuery(format!("chart rows need the column `{}`", field.name()))),
        };
        columns.push(column);
    }
    Ok(RecordBatch::try_new(schema, columns)?)
}

fn column<T: 'static>(batch: &RecordBatch, index: usize) -> Result<&T, StoreError> {
    batch.column(index).as_any().downcast_ref::<T>().ok_or_else(|| StoreError::Corrupt {
        path: std::path::PathBuf::from("chart_entries"),
        reason: format!("column {index} is not of the chart schema's type"),
    })
}

fn optional_u32(array: &Int32Array, row: usize) -> Option<u32> {
    (!array.is_null(row)).then(|| array.value(row)).and_then(|value| u32::try_from(value).ok())
}

fn optional_string(array: &StringArray, row: usize) -> Option<String> {
    (!array.is_null(row)).then(|| array.value(row).to_string())
}

/// Reads chart rows back from batches with the chart schema (as `SELECT *` over a chart returns).
pub fn chart_entries_from_batches(batches: &[RecordBatch]) -> Result<Vec<ChartEntry>, StoreError> {
    let mut entries = Vec::new();
    for stored_batch in batches {
        let batch = &as_chart_batch(stored_batch)?;
        let chart = column::<StringArray>(batch, 0)?;
        let region = column::<StringArray>(batch, 1)?;
        let chart_date = column::<Date32Array>(batch, 2)?;
        let rank = column::<Int32Array>(batch, 3)?;
        let title = column::<StringArray>(batch, 4)?;
        let artist = column::<StringArray>(batch, 5)?;
        let streams = column::<Int64Array>(batch, 6)?;
        let previous_rank = column::<Int32Array>(batch, 7)?;
        let peak_rank = column::<Int32Array>(batch, 8)?;
        let periods_on_chart = column::<Int32Array>(batch, 9)?;
        let track_uri = column::<StringArray>(batch, 10)?;
        let genre = column::<StringArray>(batch, 11)?;
        let source_file = column::<StringArray>(batch, 12)?;
        let source_line = column::<Int64Array>(batch, 13)?;
        let song_id = column::<StringArray>(batch, 14)?;
        let snapshot_hour = column::<Int32Array>(batch, 15)?;
        let album = column::<StringArray>(batch, 16)?;
        for row in 0..batch.num_rows() {
            let kind = ChartKind::from_dataset(chart.value(row))
                .ok_or_else(|| StoreError::BadQuery(format!("unknown chart `{}`", chart.value(row))))?;
            entries.push(ChartEntry {
                chart: kind,
                region: region.value(row).to_string(),
                chart_date: date_from_days(chart_date.value(row)),
                snapshot_hour: (!snapshot_hour.is_null(row))
                    .then(|| snapshot_hour.value(row))
                    .and_then(|hour| u8::try_from(hour).ok()),
                rank: u32::try_from(rank.value(row)).unwrap_or(0),
                title: title.value(row).to_string(),
                artist: artist.value(row).to_string(),
                streams: (!streams.is_null(row))
                    .then(|| streams.value(row))
                    .and_then(|value| u64::try_from(value).ok()),
                previous_rank: optional_u32(previous_rank, row),
                peak_rank: optional_u32(peak_rank, row),
                periods_on_chart: optional_u32(periods_on_chart, row),
                track_uri: optional_string(track_uri, row),
                genre: optional_string(genre, row),
                album: optional_string(album, row),
                source_file: source_file.value(row).to_string(),
                source_line: u64::try_from(source_line.value(row)).unwrap_or(0),
                song_id: optional_string(song_id, row).map(SongId::new),
            });
        }
    }
    Ok(entries)
}

fn batch(fields: Vec<(&str, DataType, bool)>, columns: Vec<ArrayRef>) -> Result<RecordBatch, StoreError> {
    let schema = Schema::new(
        fields.into_iter().map(|(name, data_type, nullable)| Field::new(name, data_type, nullable)).collect::<Vec<_>>(),
    );
    Ok(RecordBatch::try_new(Arc::new(schema), columns)?)
}

/// The catalog as one batch per dataset of [`CATALOG_DATASETS`].
pub fn catalog_to_batches(catalog: &Catalog) -> Result<Vec<(&'static str, RecordBatch)>, StoreError> {
    use DataType::{Date32, Int32, Int64, Utf8};
    let dramas = &catalog.dramas;
    let dramas_batch = batch(
        vec![
            ("drama_id", Utf8, false),
            ("title_en", Utf8, false),
            ("title_ko", Utf8, false),
            ("network", Utf8, false),
            ("premiere", Date32, true),
            ("finale", Date32, true),
            ("episodes", Int32, true),
            ("slot", Utf8, false),
            ("source", Utf8, false),
        ],
        vec![
            strings(dramas.iter().map(|drama| Some(drama.id.as_str()))),
            strings(dramas.iter().map(|drama| Some(drama.title_en.as_str()))),
            strings(dramas.iter().map(|drama| Some(drama.title_ko.as_str()))),
            strings(dramas.iter().map(|drama| Some(drama.network.as_str()))),
            dates(dramas.iter().map(|drama| drama.premiere)),
            dates(dramas.iter().map(|drama| drama.finale)),
            int32s(dramas.iter().map(|drama| to_i32(drama.episode_count))),
            strings(dramas.iter().map(|drama| Some(drama.slot.as_str()))),
            strings(dramas.iter().map(|drama| Some(drama.source.as_str()))),
        ],
    )?;
    let episodes_batch = episodes_to_batch(&catalog.episodes.iter().collect::<Vec<_>>())?;
    let songs = &catalog.songs;
    let artists: Vec<String> = songs.iter().map(|song| song.artists.join("; ")).collect();
    let songs_batch = batch(
        vec![
            ("song_id", Utf8, false),
            ("drama_id", Utf8, false),
            ("ost_part", Int32, true),
            ("title_en", Utf8, false),
            ("title_ko", Utf8, false),
            ("artists", Utf8, false),
            ("release_date", Date32, true),
            ("source", Utf8, false),
        ],
        vec![
            strings(songs.iter().map(|song| Some(song.id.as_str()))),
            strings(songs.iter().map(|song| Some(song.drama_id.as_str()))),
            int32s(songs.iter().map(|song| to_i32(song.ost_part))),
            strings(songs.iter().map(|song| Some(song.title_en.as_str()))),
            strings(songs.iter().map(|song| Some(song.title_ko.as_str()))),
            strings(artists.iter().map(|artists| Some(artists.as_str()))),
            dates(songs.iter().map(|song| song.release_date)),
            strings(songs.iter().map(|song| Some(song.source.as_str()))),
        ],
    )?;
    let events = &catalog.events;
    let subject = |event: &encore_domain::Event| -> (&'static str, String) {
        match &event.subject {
            EventSubject::Song(id) => ("song", id.to_string()),
            EventSubject::Drama(id) => ("drama", id.to_string()),
        }
    };
    let subjects: Vec<(&str, String)> = events.iter().map(subject).collect();
    let date_texts: Vec<Option<String>> = events.iter().map(|event| event.date.map(|date| date.to_string())).collect();
    let events_batch = batch(
        vec![
            ("subject_kind", Utf8, false),
            ("subject_id", Utf8, false),
            ("date", Utf8, true),
            ("first_day", Date32, true),
            ("last_day", Date32, true),
            ("kind", Utf8, false),
            ("detail", Utf8, false),
            ("value", Int64, true),
            ("source", Utf8, false),
        ],
        vec![
            strings(subjects.iter().map(|(kind, _)| Some(*kind))),
            strings(subjects.iter().map(|(_, id)| Some(id.as_str()))),
            strings(date_texts.iter().map(Option::as_deref)),
            dates(events.iter().map(|event| event.date.map(|date| date.first_day()))),
            dates(events.iter().map(|event| event.date.map(|date| date.last_day()))),
            strings(events.iter().map(|event| Some(event.kind.as_str()))),
            strings(events.iter().map(|event| Some(event.detail.as_str()))),
            int64s(events.iter().map(|event| event.value)),
            strings(events.iter().map(|event| Some(event.source.as_str()))),
        ],
    )?;
    let aliases = &catalog.artist_aliases;
    let aliases_batch = batch(
        vec![("name", Utf8, false), ("alias", Utf8, false), ("source", Utf8, false)],
        vec![
            strings(aliases.iter().map(|alias| Some(alias.name.as_str()))),
            strings(aliases.iter().map(|alias| Some(alias.alias.as_str()))),
            strings(aliases.iter().map(|alias| Some(alias.source.as_str()))),
        ],
    )?;
    let song_aliases = &catalog.song_aliases;
    let song_aliases_batch = batch(
        vec![("song_id", Utf8, false), ("alias", Utf8, false), ("source", Utf8, false)],
        vec![
            strings(song_aliases.iter().map(|alias| Some(alias.song_id.as_str()))),
            strings(song_aliases.iter().map(|alias| Some(alias.alias.as_str()))),
            strings(song_aliases.iter().map(|alias| Some(alias.source.as_str()))),
        ],
    )?;
    Ok(vec![
        ("dramas", dramas_batch),
        ("episodes", episodes_batch),
        ("songs", songs_batch),
        ("events", events_batch),
        ("artist_aliases", aliases_batch),
        ("song_aliases", song_aliases_batch),
    ])
}

/// Episode rows (the catalog's `episodes` and ingested `episode_ratings`), one schema for both.
pub fn episodes_to_batch(episodes: &[&Episode]) -> Result<RecordBatch, StoreError> {
    use DataType::{Date32, Float64, Int32, Utf8};
    let floats =
        |values: Vec<Option<f64>>| -> ArrayRef { Arc::new(datafusion::arrow::array::Float64Array::from(values)) };
    batch(
        vec![
            ("drama_id", Utf8, false),
            ("episode", Int32, true),
            ("air_date", Date32, true),
            ("nielsen_nationwide_pct", Float64, true),
            ("nielsen_seoul_pct", Float64, true),
            ("tnms_pct", Float64, true),
            ("basis", Utf8, false),
            ("source", Utf8, false),
        ],
        vec![
            strings(episodes.iter().map(|episode| Some(episode.drama_id.as_str()))),
            int32s(episodes.iter().map(|episode| to_i32(episode.number))),
            dates(episodes.iter().map(|episode| episode.air_date)),
            floats(episodes.iter().map(|episode| episode.rating_nationwide).collect()),
            floats(episodes.iter().map(|episode| episode.rating_seoul).collect()),
            floats(episodes.iter().map(|episode| episode.rating_tnms).collect()),
            strings(episodes.iter().map(|episode| Some(episode.basis.as_str()))),
            strings(episodes.iter().map(|episode| Some(episode.source.as_str()))),
        ],
    )
}
