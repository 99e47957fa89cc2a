//! `POST /api/sql`: one read-only query over the store, for a holder of the read or write token,
//! bounded in rows, answer bytes, engine memory and time, answered as JSON rows. The engine and the
//! encoder run on a blocking thread, so a heavy query never stalls the other requests.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use serde::Deserialize;

use encore_store::{QueryLimits, StoreError};

use crate::error::ServerError;
use crate::routes::json_bytes;
use crate::{auth, sql_json, AppState, MAX_SQL_BODY_BYTES};

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
    headers: HeaderMap,
    body: Result<Json<SqlRequest>, JsonRejection>,
) -> Result<Response, ServerError> {
    // The clock starts before anything else: the limit covers the wait for a turn, planning,
    // running and encoding.
    let timeout_seconds = state.config.sql_timeout_seconds;
    let deadline = Instant::now() + Duration::from_secs(timeout_seconds);
    auth::authorize_sql(&state, &headers)?;
    let Json(request) = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ServerError::TooLarge(format!("the request passes the {} KiB limit of /api/sql", MAX_SQL_BODY_BYTES / 1024))
        } else {
            ServerError::BadRequest(format!("expected {{\"query\": \"SELECT …\"}}: {}", rejection.body_text()))
        }
    })?;
    if request.query.trim().is_empty() {
        return Err(ServerError::BadRequest("the query is empty".to_string()));
    }
    let timed_out = move || ServerError::Store(StoreError::Timeout { seconds: timeout_seconds });
    let max_rows = request.max_rows.unwrap_or(DEFAULT_MAX_ROWS).clamp(1, MAX_ROWS_CAP);
    let max_bytes = state.config.sql_max_bytes;
    // Owned, so that the turn is held by the blocking work until it ends, even when the client has
    // gone and this future was dropped.
    let permit = tokio::time::timeout_at(deadline.into(), state.sql_permits.clone().acquire_owned())
        .await
        .map_err(|_| timed_out())?
        .map_err(|error| ServerError::Internal(format!("query queue closed: {error}")))?;
    let limits = QueryLimits {
        max_rows: Some(max_rows),
        timeout: Some(deadline.saturating_duration_since(Instant::now())),
        max_answer_bytes: Some(max_bytes),
        memory_bytes: Some(state.config.query_memory_bytes()),
    };
    let store = state.store.clone();
    let runtime = tokio::runtime::Handle::current();
    let query = request.query;
    let encoded = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let answer = runtime.block_on(store.sql_answer(&query, limits)).map_err(|error| match error {
            StoreError::Timeout { .. } => timed_out(),
            other => ServerError::Store(other),
        })?;
        sql_json::encode(&answer, sql_json::Bounds { max_rows, max_bytes, deadline, timeout_seconds })
    })
    .await??;
    Ok(json_bytes(encoded))
}
