//! `GET /api/songs/{id}/collected`: the daily series `encore collect` gathered for a song (its
//! watch list entry's Wikipedia pageviews, and the daily increases of its YouTube views and Last.fm
//! plays from their snapshots), read on request from the store on a blocking thread.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use encore_collect::{collected_series_of, WatchList, WATCH_LIST_COPY};
use encore_store::Store;

use crate::error::ServerError;
use crate::AppState;

pub async fn song_collected(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ServerError> {
    if !state.snapshot().song_by_id.contains_key(&id) {
        return Err(ServerError::no_song(&id));
    }
    let store = state.store.clone();
    let answer = tokio::task::spawn_blocking(move || collected_json(&store, &id)).await??;
    Ok(Json(answer).into_response())
}

/// The song's collected series; `watched: false` when the last watch list collected (its copy in
/// the store) does not name it, or nothing was collected yet.
fn collected_json(store: &Store, id: &str) -> Result<Value, ServerError> {
    let copy = store.root().join(WATCH_LIST_COPY);
    if !copy.is_file() {
        return Ok(json!({ "song_id": id, "watched": false, "series": [] }));
    }
    let watch = WatchList::from_path(&copy)
        .map_err(|error| ServerError::Internal(format!("the store's copy of the watch list: {error}")))?;
    let watched = watch.subjects.iter().any(|subject| subject.id == id);
    let series = collected_series_of(store, &watch, id)
        .map_err(|error| ServerError::Internal(format!("reading the collected series: {error}")))?;
    let series: Vec<Value> = series
        .iter()
        .map(|daily| {
            json!({
                "source": daily.source,
                "subject": daily.subject,
                "points": daily.days.iter().map(|(date, value)| json!({ "date": date.to_string(), "value": value })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(json!({ "song_id": id, "watched": watched, "series": series }))
}
