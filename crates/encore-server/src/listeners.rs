//! The listener endpoints: `GET /api/listeners` (all music), `/api/songs/{id}/listeners` and
//! `/api/dramas/{id}/listeners`, each taking `?time_zone=` (an IANA name, UTC by default: the zone
//! of listens whose log names no country). The analysis is several DataFusion passes over every
//! listen, too slow for the snapshot's every-write rebuild and too many (scopes × zones) to do all
//! at once, so it runs on request: on a blocking thread, a few at a time, its encoded answer kept
//! per scope, zone and snapshot generation (`listener_cache.rs`), so a page load after the first
//! is a lookup.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono_tz::Tz;
use serde::Deserialize;

use encore_domain::{DramaId, SongId};
use encore_listeners::zones::parse_zone;
use encore_listeners::{analyse, Scope};

use crate::error::ServerError;
use crate::listener_views::listener_view;
use crate::routes::json_bytes;
use crate::{AppState, Snapshot};

#[derive(Debug, Deserialize)]
pub struct ListenerParameters {
    /// The zone of listens whose log names no country (Last.fm, ListenBrainz); UTC when absent.
    pub time_zone: Option<String>,
}

pub async fn all_listeners(
    State(state): State<Arc<AppState>>,
    Query(parameters): Query<ListenerParameters>,
) -> Result<Response, ServerError> {
    answer(&state, Scope::All, parameters).await
}

pub async fn song_listeners(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(parameters): Query<ListenerParameters>,
) -> Result<Response, ServerError> {
    answer(&state, Scope::Song(SongId::new(&id)), parameters).await
}

pub async fn drama_listeners(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(parameters): Query<ListenerParameters>,
) -> Result<Response, ServerError> {
    answer(&state, Scope::Drama(DramaId::new(&id)), parameters).await
}

async fn answer(state: &Arc<AppState>, scope: Scope, parameters: ListenerParameters) -> Result<Response, ServerError> {
    let snapshot = state.snapshot();
    // Checked before any work, with the messages of the song and drama endpoints.
    let scope_key = match &scope {
        Scope::All => "all".to_string(),
        Scope::Song(id) if snapshot.song_by_id.contains_key(id.as_str()) => format!("song:{id}"),
        Scope::Drama(id) if snapshot.drama_by_id.contains_key(id.as_str()) => format!("drama:{id}"),
        Scope::Song(id) => return Err(ServerError::no_song(id.as_str())),
        Scope::Drama(id) => return Err(ServerError::no_drama(id.as_str())),
    };
    let zone = match parameters.time_zone.as_deref().map(str::trim) {
        None | Some("") => Tz::UTC,
        Some(name) => parse_zone(name)?,
    };
    let cell = state.listener_cache.cell(snapshot.generation, (scope_key, zone.name()));
    let bytes = cell.get_or_try_init(|| analyse_and_encode(state, snapshot, scope, zone)).await?;
    Ok(json_bytes(bytes.clone()))
}

/// The scope's report as the API's JSON, computed on a blocking thread with the snapshot's catalog.
async fn analyse_and_encode(
    state: &Arc<AppState>,
    snapshot: Arc<Snapshot>,
    scope: Scope,
    zone: Tz,
) -> Result<Bytes, ServerError> {
    let permit = listener_turn(state).await?;
    let store = state.store.clone();
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let started = Instant::now();
        let report = runtime.block_on(async {
            let context = store.session_within(encore_listeners::MEMORY_BYTES).await?;
            analyse(&context, &snapshot.catalog, scope.clone(), zone).await
        })?;
        tracing::info!(scope = %report.scope, zone = zone.name(), milliseconds = started.elapsed().as_millis() as u64, "listeners analysed");
        let view = listener_view(report, &scope, zone.name());
        Ok(Bytes::from(serde_json::to_vec(&view)?))
    })
    .await?
}

/// A turn in the queue of work that reads every listen and takes every core (the listener
/// analyses, fitting the recommender). Owned, so that the turn is held by the blocking work until
/// it ends, even when the client has gone and the request's future was dropped.
pub(crate) async fn listener_turn(state: &AppState) -> Result<tokio::sync::OwnedSemaphorePermit, ServerError> {
    state
        .listener_permits
        .clone()
        .acquire_owned()
        .await
        .map_err(|error| ServerError::Internal(format!("listener queue closed: {error}")))
}
