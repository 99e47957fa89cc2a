//! `POST /api/sql`: one read-only query over the store, bounded in rows and time, answered as JSON
//! rows. The engine runs on a blocking thread, so a heavy query never stalls the other requests.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::Json;
use datafusion::arrow::json::ArrayWriter;
use datafusion::arrow::record_batch::RecordBatch;
use serde::Deserialize;
use serde_json::Value;

use encore_store::QueryLimits;

use crate::error::ServerError;
use crate::AppState;

/// Rows a query returns when the request names no limit.
pub const DEFAULT_MAX_ROWS: usize = 1000;
/// Rows a query may return at most, whatever the request asks.
pub const MAX_ROWS_CAP: usize = 10_000;

#[derive(Debug, Deserialize)]
pub struct SqlRequest {
    pub query: String,
    pub max_rows: Option<usize>,
}

pub async fn run_sql(
    State(state): State<Arc<AppState>>,
    body: Result<Json<SqlRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, ServerError> {
    let Json(request) = body.map_err(|rejection| {
        ServerError::BadRequest(format!("expected {{\"query\": \"SELECT …\"}}: {}", rejection.body_text()))
    })?;
    if request.query.trim().is_empty() {
        return Err(ServerError::BadRequest("the query is empty".to_string()));
    }
    let max_rows = request.max_rows.unwrap_or(DEFAULT_MAX_ROWS).clamp(1, MAX_ROWS_CAP);
    let limits =
        QueryLimits { max_rows: Some(max_rows), timeout: Some(Duration::from_secs(state.config.sql_timeout_seconds)) };
    let _permit = state
        .sql_permits
        .acquire()
        .await
        .map_err(|error| ServerError::Internal(format!("query queue closed: {error}")))?;
    let store = state.store.clone();
    let runtime = tokio::runtime::Handle::current();
    let query = request.query;
    let batches = tokio::task::spawn_blocking(move || runtime.block_on(store.sql(&query, limits))).await??;
    let columns: Vec<String> = batches
        .first()
        .map(|batch| batch.schema().fields().iter().map(|field| field.name().clone()).collect())
        .unwrap_or_default();
    let rows = batches_to_rows(&batches)?;
    Ok(Json(serde_json::json!({
        "columns": columns,
        "row_count": rows.len(),
        "truncated": rows.len() == max_rows,
        "max_rows": max_rows,
        "rows": rows,
    })))
}

/// Record batches as JSON objects, one per row, keyed by column name.
pub fn batches_to_rows(batches: &[RecordBatch]) -> Result<Vec<Value>, ServerError> {
    let mut writer = ArrayWriter::new(Vec::new());
    let references: Vec<&RecordBatch> = batches.iter().collect();
    writer
        .write_batches(&references)
        .and_then(|()| writer.finish())
        .map_err(|error| ServerError::Internal(format!("cannot encode the query result: {error}")))?;
    let bytes = writer.into_inner();
    if bytes.is_empty() {
        return Ok(Vec::new());
    }
    Ok(serde_json::from_slice(&bytes)?)
}
