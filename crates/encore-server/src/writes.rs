//! The write endpoints: ingest one chart file, reload the store's catalog and rows. Both need the bearer token;
//! a server started without one refuses every write. After a write the snapshot is rebuilt and
//! swapped in whole.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use encore_domain::SongMatcher;
use encore_ingest::{detect_format, parse_chart, IngestError, SourceFormat, DETECT_PREFIX_LEN};
use encore_store::SourceBatch;

use crate::error::ServerError;
use crate::{snapshot, AppState};

/// Rejected rows named in an ingest answer; the rest are counted.
const REJECTED_SHOWN: usize = 20;

#[derive(Debug, Deserialize)]
pub struct IngestParameters {
    /// The file's name, as the chart publishes it: Spotify's region and date come from it.
    pub file: String,
    /// billboard, spotify or melon; detected from the name and first bytes when absent.
    pub format: Option<String>,
}

/// Refuses the request unless it carries `Authorization: Bearer <the configured token>`.
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ServerError> {
    let Some(expected) = state.config.token.as_deref() else {
        return Err(ServerError::Unauthorized(
            "writes are disabled: the server was started without a token (--token or ENCORE_TOKEN)".to_string(),
        ));
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    match presented {
        Some(token) if constant_time_equal(token.as_bytes(), expected.as_bytes()) => Ok(()),
        Some(_) => Err(ServerError::Unauthorized("the bearer token is wrong".to_string())),
        None => Err(ServerError::Unauthorized("this endpoint needs `Authorization: Bearer <token>`".to_string())),
    }
}

/// Compares without stopping at the first difference, so timing does not leak the token.
pub(crate) fn constant_time_equal(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len() && left.iter().zip(right).fold(0u8, |difference, (a, b)| difference | (a ^ b)) == 0
}

/// `POST /api/ingest?file=NAME[&format=FORMAT]` with the file's bytes as the body.
pub async fn ingest(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(parameters): Query<IngestParameters>,
    body: Bytes,
) -> Result<Json<Value>, ServerError> {
    authorize(&state, &headers)?;
    let file_name = Path::new(&parameters.file)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| !name.is_empty())
        .ok_or_else(|| ServerError::BadRequest("`file` must name the uploaded file".to_string()))?;
    let format = match parameters.format.as_deref() {
        Some(name) => Some(name.parse::<SourceFormat>()?),
        None => None,
    };
    let _writer = state.write_lock.lock().await;
    let catalog = state.snapshot().catalog.clone();
    let store = state.store.clone();
    let summary = tokio::task::spawn_blocking(move || -> Result<Value, ServerError> {
        let path = PathBuf::from("upload").join(&file_name);
        let format = match format {
            Some(format) => format,
            None => detect_format(&path, &body[..body.len().min(DETECT_PREFIX_LEN)])?,
        };
        let mut parsed = parse_chart(format, &body, &path.display().to_string());
        if parsed.rows.is_empty() {
            return Err(IngestError::NothingLoaded { path, rejected: parsed.rejected }.into());
        }
        let matcher = SongMatcher::new(&catalog);
        let mut matched = 0usize;
        for entry in &mut parsed.rows {
            entry.song_id = matcher.match_row(&entry.title, &entry.artist).song_id().cloned();
            matched += usize::from(entry.song_id.is_some());
        }
        let rows_loaded = parsed.rows.len();
        let chart = format.chart();
        let commit = store.append_chart(chart, &[SourceBatch::new(&path, &body, parsed.rows)])?;
        let rejected: Vec<String> = parsed.rejected.iter().take(REJECTED_SHOWN).map(ToString::to_string).collect();
        Ok(serde_json::json!({
            "file": file_name,
            "format": format.name(),
            "chart": chart.dataset(),
            "rows_loaded": rows_loaded,
            "rows_matched": matched,
            "rows_rejected": parsed.rejected.len(),
            "rejected": rejected,
            "already_held": commit.sources_already_present > 0,
            "rows_added": commit.rows_added,
        }))
    })
    .await??;
    let fresh = snapshot::load(&state.store).await?;
    state.replace_snapshot(fresh);
    tracing::info!(file = %parameters.file, "ingested");
    Ok(Json(summary))
}

/// `POST /api/catalog/reload`: reads the store's catalog and rows again and re-analyses, after
/// `encore catalog` (which re-matches the stored rows) changed them behind the server's back.
pub async fn reload_catalog(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ServerError> {
    authorize(&state, &headers)?;
    let _writer = state.write_lock.lock().await;
    let fresh = snapshot::load(&state.store).await?;
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
