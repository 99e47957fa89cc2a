//! Reading the small answers of listener plans back into Rust: typed columns by name, numbers
//! whatever integer or float type the engine chose.

use datafusion::arrow::array::{Array, AsArray, Int64Array, RecordBatch, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::prelude::SessionContext;

use crate::error::ListenersError;

/// Runs one query and collects its (small) answer.
pub async fn collect(context: &SessionContext, query: &str) -> Result<Vec<RecordBatch>, ListenersError> {
    Ok(context.sql(query).await?.collect().await?)
}

/// A column as Int64, cast from whatever integer type it has.
pub fn int64_column(batch: &RecordBatch, name: &str) -> Result<Int64Array, ListenersError> {
    let column = column(batch, name)?;
    Ok(cast(column, &DataType::Int64)?.as_primitive().clone())
}

/// A column as Float64.
pub fn float64_column(
    batch: &RecordBatch,
    name: &str,
) -> Result<datafusion::arrow::array::Float64Array, ListenersError> {
    let column = column(batch, name)?;
    Ok(cast(column, &DataType::Float64)?.as_primitive().clone())
}

/// A column as Utf8.
pub fn string_column(batch: &RecordBatch, name: &str) -> Result<StringArray, ListenersError> {
    let column = column(batch, name)?;
    Ok(cast(column, &DataType::Utf8)?.as_string::<i32>().clone())
}

fn column<'b>(batch: &'b RecordBatch, name: &str) -> Result<&'b dyn Array, ListenersError> {
    batch.column_by_name(name).map(|column| column.as_ref()).ok_or_else(|| {
        ListenersError::Engine(datafusion::error::DataFusionError::Internal(format!("answer lacks column {name}")))
    })
}

/// Optional numbers: `None` where null.
pub fn int64_at(column: &Int64Array, row: usize) -> Option<i64> {
    (!column.is_null(row)).then(|| column.value(row))
}

pub fn float64_at(column: &datafusion::arrow::array::Float64Array, row: usize) -> Option<f64> {
    (!column.is_null(row)).then(|| column.value(row))
}

/// A SQL string literal.
pub fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `column IN ('a', 'b')`, or FALSE for no values.
pub fn in_list(column: &str, values: &[String]) -> String {
    if values.is_empty() {
        return "FALSE".to_string();
    }
    let listed: Vec<String> = values.iter().map(|value| quoted(value)).collect();
    format!("{column} IN ({})", listed.join(", "))
}
