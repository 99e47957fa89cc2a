//! The write endpoints: ingest one file (through the ingest pipeline), reload the store's catalog
//! and rows. Both need the bearer token; a server started without one refuses every write. After a write the snapshot is rebuilt and
//! swapped in whole.

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use encore_domain::ChartKind;
use encore_ingest::{ChartOptions, ColumnMap, IngestError};
use encore_pipeline::{IngestOptions, IngestSummary, Input, NamedFormat, NoProgress};

use crate::auth::authorize_write;
use crate::error::ServerError;
use crate::limits::MAX_UPLOAD_BYTES;
use crate::{snapshot, AppState};

/// Rejected rows named in an ingest answer; the rest are counted.
const REJECTED_SHOWN: usize = 20;

#[derive(Debug, Deserialize)]
pub struct IngestParameters {
    /// The file's name, as the source publishes it: Spotify's region, period and date, and
    /// Billboard's Global 200, come from it.
    pub file: String,
    /// Any format `encore ingest --format` takes; detected from the name and first bytes when absent.
    pub format: Option<String>,
    /// As `encore ingest --chart`: `PLATFORM:PERIOD` (`genie:daily`) or a chart's dataset name.
    pub chart: Option<String>,
    /// As `encore ingest --columns`: `rank=COL,title=COL,artist=COL,date=COL`.
    pub columns: Option<String>,
    /// As `encore ingest --listener`: the listener of a listening log that names none.
    pub listener: Option<String>,
}

/// `POST /api/ingest?file=NAME[&format=FORMAT][&chart=PLATFORM:PERIOD][&columns=MAP][&listener=ID]` with the file's bytes as the body: the same
/// pipeline as `encore ingest`, so the file lands in the dataset the command line would pick.
pub async fn ingest(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(parameters): Query<IngestParameters>,
    body: Body,
) -> Result<Json<Value>, ServerError> {
    if let Err(refused) = authorize_write(&state, &headers) {
        // Read to its end but never kept: a client still sending would otherwise see its
        // connection reset instead of the answer.
        discard_upload(body, state.config.upload_timeout_seconds).await;
        return Err(refused);
    }
    let body = receive_upload(body, state.config.upload_timeout_seconds).await?;
    let file_name = Path::new(&parameters.file)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| !name.is_empty())
        .ok_or_else(|| ServerError::BadRequest("`file` must name the uploaded file".to_string()))?;
    let format = match parameters.format.as_deref() {
        Some(name) => Some(name.parse::<NamedFormat>()?),
        None => None,
    };
    let chart = match parameters.chart.as_deref() {
        Some(given) => Some(
            ChartKind::from_chart_spec(given)
                .ok_or_else(|| IngestError::UnknownChartName { given: given.to_string() })?,
        ),
        None => None,
    };
    let columns = match parameters.columns.as_deref() {
        Some(given) => Some(given.parse::<ColumnMap>()?),
        None => None,
    };
    let chart_options = ChartOptions { chart, columns };
    let listener =
        parameters.listener.map(|listener| listener.trim().to_string()).filter(|listener| !listener.is_empty());
    let _writer = state.write_lock.lock().await;
    let catalog = state.snapshot().catalog.clone();
    let store = state.store.clone();
    let answer = tokio::task::spawn_blocking(move || -> Result<Value, ServerError> {
        let upload = Input::Upload { name: format!("upload/{file_name}"), bytes: body.to_vec() };
        let options =
            IngestOptions { format, chart: chart_options, listener, ..IngestOptions::new(chrono::Utc::now()) };
        let summary = encore_pipeline::ingest(&store, &catalog, vec![upload], &options, &mut NoProgress)?;
        Ok(ingest_answer(&file_name, &summary))
    })
    .await??;
    let fresh = snapshot::load(&state.store, state.lyric_rows.clone()).await?;
    state.replace_snapshot(fresh);
    tracing::info!(file = %parameters.file, "ingested");
    Ok(Json(answer))
}

/// The whole upload, read only once the writer is known: refused past [`MAX_UPLOAD_BYTES`] (413) or
/// when it has not all arrived within `timeout_seconds` (408).
async fn receive_upload(body: Body, timeout_seconds: u64) -> Result<axum::body::Bytes, ServerError> {
    let limit = std::time::Duration::from_secs(timeout_seconds);
    match tokio::time::timeout(limit, axum::body::to_bytes(body, MAX_UPLOAD_BYTES)).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(error)) if is_length_limit(&error) => Err(ServerError::TooLarge(format!(
            "the upload is larger than {} MiB (the limit of POST /api/ingest)",
            MAX_UPLOAD_BYTES / (1024 * 1024)
        ))),
        Ok(Err(error)) => Err(ServerError::BadRequest(format!("the upload could not be read: {error}"))),
        Err(_) => Err(ServerError::TooSlow(format!(
            "the upload did not arrive within {timeout_seconds} s (--upload-timeout-seconds)"
        ))),
    }
}

/// Reads an upload that will not be used, keeping none of it, up to the size and time limits.
async fn discard_upload(body: Body, timeout_seconds: u64) {
    use http_body_util::BodyExt;
    let mut body = body;
    let drain = async {
        let mut seen = 0_usize;
        while let Some(Ok(frame)) = body.frame().await {
            seen += frame.data_ref().map_or(0, |data| data.len());
            if seen > MAX_UPLOAD_BYTES {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(timeout_seconds), drain).await;
}

/// Whether reading a body stopped at its length limit.
fn is_length_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        if current.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = current.source();
    }
    false
}

/// The pipeline's summary of one uploaded file, as the API's JSON.
fn ingest_answer(file_name: &str, summary: &IngestSummary) -> Value {
    let dataset = summary.files.first().and_then(|file| file.dataset);
    let row = dataset.and_then(|dataset| summary.datasets.get(&dataset)).cloned().unwrap_or_default();
    let rejected: Vec<String> = summary.rejected.iter().take(REJECTED_SHOWN).map(ToString::to_string).collect();
    serde_json::json!({
        "file": file_name,
        "dataset": dataset.map(|dataset| dataset.name()),
        "source": row.sources.first(),
        "already_held": row.files_already_held > 0,
        "rows_stored": row.rows_stored,
        "rows_replaced": row.rows_replaced,
        "rows_matched": row.rows_matched,
        "rows_rejected": summary.rejected.len(),
        "rejected": rejected,
    })
}

/// `POST /api/catalog/reload`: reads the store's catalog and rows again and re-analyses, after
/// `encore catalog` (which re-matches the stored rows) changed them behind the server's back.
pub async fn reload_catalog(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ServerError> {
    authorize_write(&state, &headers)?;
    let _writer = state.write_lock.lock().await;
    let fresh = snapshot::load(&state.store, state.lyric_rows.clone()).await?;
    let counts = serde_json::json!({
        "dramas": fresh.catalog.dramas.len(),
        "episodes": fresh.catalog.episodes.len(),
        "songs": fresh.catalog.songs.len(),
        "events": fresh.catalog.events.len(),
    });
    state.replace_snapshot(fresh);
    tracing::info!("catalog reloaded");
    Ok(Json(counts))
}
