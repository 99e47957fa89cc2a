//! The `drama_viewing` dataset: Netflix's weekly Top 10 rows with the catalog drama each title and
//! season is. A newer file of a weekly list (week and category) replaces the older file's rows of
//! it, so a newer download of the cumulative file adds only the weeks it is the first to hold.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use encore_domain::viewing::list_key;
use encore_domain::{DramaId, DramaViewing};

use crate::append_search::{date_column, text_column, KeyedDataset};
use crate::error::StoreError;
use crate::schema::{date_from_days, dates, int64s, strings};

pub const DRAMA_VIEWING: &str = "drama_viewing";

pub(crate) const VIEWING: KeyedDataset<DramaViewing> = KeyedDataset {
    name: DRAMA_VIEWING,
    key_of_row: DramaViewing::list_key,
    to_batch: |rows| drama_viewing_to_batch(rows),
    keys_of_batch: list_keys,
};

pub fn drama_viewing_schema() -> SchemaRef {
    use DataType::{Date32, Float64, Int64, Utf8};
    let fields = [
        ("week_end", Date32, false),
        ("category", Utf8, false),
        ("rank", Int64, false),
        ("show_title", Utf8, false),
        ("season_title", Utf8, false),
        ("hours_viewed", Int64, false),
        ("runtime_hours", Float64, true),
        ("views", Int64, true),
        ("weeks_in_top10", Int64, false),
        ("drama_id", Utf8, true),
        ("source_file", Utf8, false),
        ("source_line", Int64, false),
    ];
    Arc::new(Schema::new(
        fields.into_iter().map(|(name, data_type, nullable)| Field::new(name, data_type, nullable)).collect::<Vec<_>>(),
    ))
}

fn whole(value: u64) -> Option<i64> {
    Some(i64::try_from(value).unwrap_or(i64::MAX))
}

pub fn drama_viewing_to_batch(rows: &[&DramaViewing]) -> Result<RecordBatch, StoreError> {
    let rows = || rows.iter();
    let columns: Vec<ArrayRef> = vec![
        dates(rows().map(|row| Some(row.week_end))),
        strings(rows().map(|row| Some(row.category.as_str()))),
        int64s(rows().map(|row| Some(i64::from(row.rank)))),
        strings(rows().map(|row| Some(row.show_title.as_str()))),
        strings(rows().map(|row| Some(row.season_title.as_str()))),
        int64s(rows().map(|row| whole(row.hours_viewed))),
        Arc::new(Float64Array::from(rows().map(|row| row.runtime_hours).collect::<Vec<Option<f64>>>())),
        int64s(rows().map(|row| row.views.and_then(whole))),
        int64s(rows().map(|row| Some(i64::from(row.weeks_in_top10)))),
        strings(rows().map(|row| row.drama_id.as_ref().map(DramaId::as_str))),
        strings(rows().map(|row| Some(row.source_file.as_str()))),
        int64s(rows().map(|row| i64::try_from(row.source_line).ok())),
    ];
    Ok(RecordBatch::try_new(drama_viewing_schema(), columns)?)
}

fn list_keys(batch: &RecordBatch) -> Result<Vec<String>, StoreError> {
    let week_end = date_column(batch, DRAMA_VIEWING, "week_end")?;
    let category = text_column(batch, DRAMA_VIEWING, "category")?;
    Ok((0..batch.num_rows()).map(|row| list_key(date_from_days(week_end.value(row)), category.value(row))).collect())
}

fn numbers(batch: &RecordBatch, name: &str) -> Result<Int64Array, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt { path: std::path::PathBuf::from(DRAMA_VIEWING), reason };
    let column = batch.column_by_name(name).ok_or_else(|| corrupt(format!("no `{name}` column")))?;
    let column = cast(column, &DataType::Int64)?;
    column
        .as_any()
        .downcast_ref::<Int64Array>()
        .cloned()
        .ok_or_else(|| corrupt(format!("`{name}` is not whole numbers")))
}

/// The rows of `drama_viewing` answers, read back.
pub fn drama_viewing_from_batches(batches: &[RecordBatch]) -> Result<Vec<DramaViewing>, StoreError> {
    let mut rows = Vec::new();
    for batch in batches {
        let week_end = date_column(batch, DRAMA_VIEWING, "week_end")?;
        let [category, show_title, season_title, drama_id, source_file] =
            ["category", "show_title", "season_title", "drama_id", "source_file"]
                .map(|name| text_column(batch, DRAMA_VIEWING, name));
        let (category, show_title, season_title, drama_id, source_file) =
            (category?, show_title?, season_title?, drama_id?, source_file?);
        let [rank, hours_viewed, views, weeks_in_top10, source_line] =
            ["rank", "hours_viewed", "views", "weeks_in_top10", "source_line"].map(|name| numbers(batch, name));
        let (rank, hours_viewed, views, weeks_in_top10, source_line) =
            (rank?, hours_viewed?, views?, weeks_in_top10?, source_line?);
        let runtime =
            batch.column_by_name("runtime_hours").map(|column| cast(column, &DataType::Float64)).transpose()?;
        let runtime = runtime.as_ref().and_then(|column| column.as_any().downcast_ref::<Float64Array>());
        let unsigned = |array: &Int64Array, row: usize| u64::try_from(array.value(row)).unwrap_or(0);
        for row in 0..batch.num_rows() {
            rows.push(DramaViewing {
                week_end: date_from_days(week_end.value(row)),
                category: category.value(row).to_string(),
                rank: u32::try_from(rank.value(row)).unwrap_or(0),
                show_title: show_title.value(row).to_string(),
                season_title: season_title.value(row).to_string(),
                hours_viewed: unsigned(&hours_viewed, row),
                runtime_hours: runtime.filter(|column| !column.is_null(row)).map(|column| column.value(row)),
                views: (!views.is_null(row)).then(|| unsigned(&views, row)),
                weeks_in_top10: u32::try_from(weeks_in_top10.value(row)).unwrap_or(0),
                drama_id: (!drama_id.is_null(row)).then(|| DramaId::new(drama_id.value(row))),
                source_file: source_file.value(row).to_string(),
                source_line: unsigned(&source_line, row),
            });
        }
    }
    Ok(rows)
}
