//! The tables listener plans join beside `listens`: `zone_offsets` (a listen's local time, see
//! `zones`), `airings` (`drama_id`, `number`, `at_seconds`: each airing's start in Unix seconds)
//! and `ost_songs` (`song_id`, `drama_id`: the catalog's OSTs). Registered once per session; on a
//! cluster they are small enough to broadcast.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono_tz::Tz;
use datafusion::arrow::array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::datasource::MemTable;
use datafusion::prelude::SessionContext;
use encore_domain::Catalog;

use crate::error::ListenersError;
use crate::frames::{int64_column, string_column};
use crate::schedule::airings;
use crate::zones::zone_offsets;

/// Registers `zone_offsets`, `airings` and `ost_songs` in a session whose `listens` is registered;
/// listens without a country are read in `default_zone`.
pub async fn register(context: &SessionContext, catalog: &Catalog, default_zone: Tz) -> Result<(), ListenersError> {
    for (name, batch) in tables(context, catalog, default_zone).await? {
        replace(context, name, batch)?;
    }
    Ok(())
}

/// [`register`] without `zone_offsets`, whose making reads every listen's country: for plans
/// that need no local time.
pub fn register_without_zones(context: &SessionContext, catalog: &Catalog) -> Result<(), ListenersError> {
    replace(context, "airings", airings_batch(catalog)?)?;
    replace(context, "ost_songs", ost_songs_batch(catalog)?)
}

/// The tables by name, for registering here or handing to another engine.
pub async fn tables(
    context: &SessionContext,
    catalog: &Catalog,
    default_zone: Tz,
) -> Result<[(&'static str, RecordBatch); 3], ListenersError> {
    let (countries, first_day, last_day) = countries_and_days(context).await?;
    Ok([
        ("zone_offsets", zone_offsets(&countries, first_day, last_day, default_zone)?),
        ("airings", airings_batch(catalog)?),
        ("ost_songs", ost_songs_batch(catalog)?),
    ])
}

fn replace(context: &SessionContext, name: &str, batch: RecordBatch) -> Result<(), ListenersError> {
    let table = MemTable::try_new(batch.schema(), vec![vec![batch]])?;
    context.deregister_table(name)?;
    context.register_table(name, Arc::new(table))?;
    Ok(())
}

/// The countries the listens name and their first and last UTC day (days since 1970-01-01).
async fn countries_and_days(context: &SessionContext) -> Result<(BTreeSet<String>, i64, i64), ListenersError> {
    let days = context
        .sql(
            // The first and last times, not days: the engine takes a column's bounds from the
            // Parquet footers' statistics instead of reading every listen.
            "SELECT CAST(floor(date_part('epoch', min(listened_at)) / 86400) AS BIGINT) AS first_day, \
             CAST(floor(date_part('epoch', max(listened_at)) / 86400) AS BIGINT) AS last_day FROM listens",
        )
        .await?
        .collect()
        .await?;
    let (mut first, mut last) = (0, 0);
    for batch in &days {
        let (firsts, lasts) = (int64_column(batch, "first_day")?, int64_column(batch, "last_day")?);
        if batch.num_rows() > 0 && !firsts.is_null(0) {
            (first, last) = (firsts.value(0), lasts.value(0));
        }
    }
    let countries =
        context.sql("SELECT DISTINCT country FROM listens WHERE country IS NOT NULL").await?.collect().await?;
    let mut names = BTreeSet::new();
    for batch in &countries {
        let column = string_column(batch, "country")?;
        names
            .extend((0..batch.num_rows()).filter(|&row| !column.is_null(row)).map(|row| column.value(row).to_string()));
    }
    Ok((names, first, last))
}

fn airings_batch(catalog: &Catalog) -> Result<RecordBatch, ListenersError> {
    let all: Vec<_> = catalog.dramas.iter().flat_map(|drama| airings(catalog, drama)).collect();
    let schema = Schema::new(vec![
        Field::new("drama_id", DataType::Utf8, false),
        Field::new("number", DataType::Int64, false),
        Field::new("at_seconds", DataType::Int64, false),
    ]);
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(all.iter().map(|airing| airing.drama_id.as_str()))),
        Arc::new(Int64Array::from_iter_values(all.iter().map(|airing| i64::from(airing.number)))),
        Arc::new(Int64Array::from_iter_values(all.iter().map(|airing| airing.at.timestamp()))),
    ];
    Ok(RecordBatch::try_new(Arc::new(schema), columns)?)
}

fn ost_songs_batch(catalog: &Catalog) -> Result<RecordBatch, ListenersError> {
    let schema =
        Schema::new(vec![Field::new("song_id", DataType::Utf8, false), Field::new("drama_id", DataType::Utf8, false)]);
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(catalog.songs.iter().map(|song| song.id.as_str()))),
        Arc::new(StringArray::from_iter_values(catalog.songs.iter().map(|song| song.drama_id.as_str()))),
    ];
    Ok(RecordBatch::try_new(Arc::new(schema), columns)?)
}
