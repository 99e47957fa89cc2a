//! The routes and the read handlers: each answers with JSON the snapshot already encoded (the
//! listener handlers, computed on request and cached, are in `listeners.rs`, the recommendation
//! handlers in `recommend.rs`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::analyze_series;
use crate::error::ServerError;
use crate::limits::{MAX_SQL_BODY_BYTES, MAX_UPLOAD_BYTES};
use crate::{assets, collected, headers, listeners, lyrics, openapi, recommend, sql, writes, AppState};

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/status", get(status))
        .route("/api/dramas", get(dramas))
        .route("/api/dramas/{id}", get(drama))
        .route("/api/dramas/{id}/listeners", get(listeners::drama_listeners))
        .route("/api/dramas/{id}/timeline", get(lyrics::drama_timeline))
        .route("/api/songs", get(songs))
        .route("/api/songs/{id}", get(song))
        .route("/api/songs/{id}/marketing-effect", get(song_marketing_effect))
        .route("/api/songs/{id}/listeners", get(listeners::song_listeners))
        .route("/api/songs/{id}/checklist", get(lyrics::song_checklist))
        .route("/api/songs/{id}/collected", get(collected::song_collected))
        .route("/api/checklist", get(lyrics::checklist))
        .route("/api/lyrics", get(lyrics::lyrics))
        .route("/api/listeners", get(listeners::all_listeners))
        .route("/api/recommend/listeners", get(recommend::listeners))
        .route("/api/recommend", get(recommend::recommend))
        .route("/api/playlist", get(recommend::playlist_answer))
        .route("/api/leaderboard", get(leaderboard))
        .route("/api/regions", get(regions))
        .route("/api/marketing-effect", get(marketing_effect))
        .route("/api/sql", post(sql::run_sql).layer(DefaultBodyLimit::max(MAX_SQL_BODY_BYTES)))
        .route(
            "/api/analyze/{analysis}",
            post(analyze_series::analyze).layer(DefaultBodyLimit::max(analyze_series::MAX_ANALYZE_BODY_BYTES)),
        )
        .route("/api/ingest", post(writes::ingest))
        .route("/api/catalog/reload", post(writes::reload_catalog))
        .route("/api/openapi.json", get(openapi_document))
        .route("/", get(assets::index))
        .route("/assets/{file}", get(assets::asset))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
        .layer(axum::middleware::from_fn(headers::json_errors))
        .layer(axum::middleware::from_fn(headers::security_headers))
        .with_state(state)
}

/// Encoded JSON as a response.
pub fn json_bytes(bytes: Bytes) -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], bytes).into_response()
}

async fn status(State(state): State<Arc<AppState>>) -> Response {
    json_bytes(state.snapshot().status.clone())
}

async fn dramas(State(state): State<Arc<AppState>>) -> Response {
    json_bytes(state.snapshot().dramas.clone())
}

async fn drama(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Response, ServerError> {
    let snapshot = state.snapshot();
    let bytes = snapshot.drama_by_id.get(&id).ok_or_else(|| ServerError::no_drama(&id))?;
    Ok(json_bytes(bytes.clone()))
}

async fn songs(State(state): State<Arc<AppState>>) -> Response {
    json_bytes(state.snapshot().songs.clone())
}

async fn song(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Response, ServerError> {
    let snapshot = state.snapshot();
    let bytes = snapshot.song_by_id.get(&id).ok_or_else(|| ServerError::no_song(&id))?;
    Ok(json_bytes(bytes.clone()))
}

async fn leaderboard(State(state): State<Arc<AppState>>) -> Response {
    json_bytes(state.snapshot().leaderboard.clone())
}

async fn regions(State(state): State<Arc<AppState>>) -> Response {
    json_bytes(state.snapshot().regions.clone())
}

async fn marketing_effect(State(state): State<Arc<AppState>>) -> Response {
    json_bytes(state.snapshot().marketing.clone())
}

async fn song_marketing_effect(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ServerError> {
    let snapshot = state.snapshot();
    let bytes = snapshot.marketing_by_song.get(&id).ok_or_else(|| ServerError::no_song(&id))?;
    Ok(json_bytes(bytes.clone()))
}

async fn openapi_document() -> Response {
    json_bytes(Bytes::from(openapi::document()))
}

async fn not_found(uri: axum::http::Uri) -> ServerError {
    ServerError::NotFound(format!("no route for {}", uri.path()))
}

async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ServerError {
    ServerError::MethodNotAllowed(format!("{} does not take {method}", uri.path()))
}
