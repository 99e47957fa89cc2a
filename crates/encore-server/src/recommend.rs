//! The recommendation endpoints: `GET /api/recommend/listeners` (whom one may ask for),
//! `/api/recommend?user=` (OSTs of dramas the listener has played nothing of, each explained) and
//! `/api/playlist?seed=` (a playlist grown from a song, drama or artist, as JSON, CSV or M3U). All
//! three read one implicit-feedback ALS model of the store's listens, fitted on a blocking thread
//! at the first request after a write and kept for the snapshot's generation
//! (`recommend_cache.rs`).

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::prelude::SessionContext;
use serde::Deserialize;

use encore_domain::ListenSource;
use encore_recommend::{playlist, source, AlsConfig, RecommendError, Recommender, Seed};

use crate::error::ServerError;
use crate::recommend_views::{
    listener_choices, model_view, playlist_view, recommendations_view, ListenerChoice, ListenerChoicesView,
};
use crate::routes::json_bytes;
use crate::{AppState, Snapshot};

/// Listeners listed by default and at most.
const LISTENERS_LISTED: usize = 100;
const MAX_LISTENERS_LISTED: usize = 1000;
/// Recommendations given by default and at most.
const RECOMMENDED: usize = 10;
const MAX_RECOMMENDED: usize = 100;
/// Playlist tracks by default and at most, and the default weight of variety against likeness.
const PLAYLIST_LENGTH: usize = 20;
const MAX_PLAYLIST_LENGTH: usize = 200;
const PLAYLIST_VARIETY: f32 = 0.3;

/// The fitted model of one store generation, with what every answer shares.
pub struct RecommendModel {
    recommender: Recommender,
    /// Every listener, most plays first.
    listeners: Vec<ListenerChoice>,
    /// True when every listen came from Encore's generator.
    generated: bool,
}

impl std::fmt::Debug for RecommendModel {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("RecommendModel")
            .field("listeners", &self.listeners.len())
            .field("songs", &self.recommender.data.plays.items.len())
            .field("generated", &self.generated)
            .finish()
    }
}

#[derive(Debug, Deserialize)]
pub struct ListenerChoiceParameters {
    pub limit: Option<usize>,
}

#[derive(Debug, Deserialize)]
pub struct RecommendParameters {
    /// A listener as the logs name it.
    pub user: Option<String>,
    pub top: Option<usize>,
}

#[derive(Debug, Deserialize)]
pub struct PlaylistParameters {
    /// A song or drama id, a song or drama title, or an artist's name.
    pub seed: Option<String>,
    pub length: Option<usize>,
    /// 0: the songs most like the seed; 1: songs least like each other.
    pub variety: Option<f32>,
    /// `json` (the default), `csv` or `m3u`.
    pub format: Option<String>,
}

pub async fn listeners(
    State(state): State<Arc<AppState>>,
    Query(parameters): Query<ListenerChoiceParameters>,
) -> Result<Response, ServerError> {
    let limit = bounded("limit", parameters.limit, LISTENERS_LISTED, MAX_LISTENERS_LISTED)?;
    let snapshot = state.snapshot();
    let view = match fitted_model(&state, &snapshot).await {
        Ok(model) => ListenerChoicesView {
            listeners: model.listeners.iter().take(limit).cloned().collect(),
            total: model.listeners.len(),
            generated: model.generated,
        },
        // A store without listens has no listener to choose from: an empty list, not an error.
        Err(ServerError::Recommend(RecommendError::NoPlays)) => {
            ListenerChoicesView { listeners: Vec::new(), total: 0, generated: false }
        }
        Err(error) => return Err(error),
    };
    Ok(json_bytes(Bytes::from(serde_json::to_vec(&view)?)))
}

pub async fn recommend(
    State(state): State<Arc<AppState>>,
    Query(parameters): Query<RecommendParameters>,
) -> Result<Response, ServerError> {
    let user = required("user", parameters.user, "a listener of /api/recommend/listeners")?;
    let top = bounded("top", parameters.top, RECOMMENDED, MAX_RECOMMENDED)?;
    let snapshot = state.snapshot();
    let model = fitted_model(&state, &snapshot).await?;
    // Scoring every item and finding each pick's neighbours is CPU work: off the runtime.
    let bytes = tokio::task::spawn_blocking(move || {
        let recommendations = model.recommender.for_non_viewer(&user, &snapshot.catalog, top)?;
        let view = recommendations_view(user, recommendations, model_view(&model.recommender), model.generated);
        Ok::<_, ServerError>(Bytes::from(serde_json::to_vec(&view)?))
    })
    .await??;
    Ok(json_bytes(bytes))
}

pub async fn playlist_answer(
    State(state): State<Arc<AppState>>,
    Query(parameters): Query<PlaylistParameters>,
) -> Result<Response, ServerError> {
    let seed_text = required("seed", parameters.seed, "a song or drama id or title, or an artist's name")?;
    let length = bounded("length", parameters.length, PLAYLIST_LENGTH, MAX_PLAYLIST_LENGTH)?;
    let variety = parameters.variety.unwrap_or(PLAYLIST_VARIETY);
    if !(0.0..=1.0).contains(&variety) {
        return Err(ServerError::BadRequest(format!("`variety` must be between 0 and 1, not {variety}")));
    }
    let format = PlaylistFormat::parse(parameters.format.as_deref())?;
    let snapshot = state.snapshot();
    // Read from the catalog alone, so an unknown seed is told before any fit.
    let seed = Seed::resolve(&seed_text, &snapshot.catalog)?;
    let model = fitted_model(&state, &snapshot).await?;
    tokio::task::spawn_blocking(move || {
        let grown = playlist(&model.recommender, &snapshot.catalog, seed, length, variety)?;
        let (body, download_name) = match format {
            PlaylistFormat::Json => {
                let view = playlist_view(grown, model.generated);
                return Ok(json_bytes(Bytes::from(serde_json::to_vec(&view)?)));
            }
            PlaylistFormat::Csv => (grown.to_csv(), file_name(&grown.seed, "csv")),
            PlaylistFormat::M3u => (grown.to_m3u(), file_name(&grown.seed, "m3u")),
        };
        let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{download_name}\""))
            .map_err(|error| ServerError::Internal(format!("file name {download_name:?}: {error}")))?;
        Ok((
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(format.content_type())),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            body,
        )
            .into_response())
    })
    .await?
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum PlaylistFormat {
    Json,
    Csv,
    M3u,
}

impl PlaylistFormat {
    fn parse(given: Option<&str>) -> Result<PlaylistFormat, ServerError> {
        match given.map(str::trim).map(str::to_ascii_lowercase).as_deref() {
            None | Some("") | Some("json") => Ok(PlaylistFormat::Json),
            Some("csv") => Ok(PlaylistFormat::Csv),
            Some("m3u") => Ok(PlaylistFormat::M3u),
            Some(_) => Err(ServerError::BadRequest(format!(
                "`format` must be json, csv or m3u, not {:?}",
                given.unwrap_or_default()
            ))),
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            PlaylistFormat::Json => "application/json",
            PlaylistFormat::Csv => "text/csv; charset=utf-8",
            PlaylistFormat::M3u => "audio/x-mpegurl; charset=utf-8",
        }
    }
}

/// `encore-playlist-<seed>.<extension>`, the seed's id cut to letters, digits, `_` and `-` (an
/// artist's name in Hangul leaves only its kind).
fn file_name(seed: &Seed, extension: &str) -> String {
    let (kind, id) = match seed {
        Seed::Song(id) => ("song", id),
        Seed::Drama(id) => ("drama", id),
        Seed::Artist(name) => ("artist", name),
    };
    let mut slug = String::new();
    for character in id.chars().flat_map(char::to_lowercase) {
        if character.is_ascii_alphanumeric() || character == '_' {
            slug.push(character);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let trimmed: String = slug.trim_end_matches('-').chars().take(60).collect();
    let name = if trimmed.is_empty() { kind } else { &trimmed };
    format!("encore-playlist-{name}.{extension}")
}

fn required(name: &str, given: Option<String>, what: &str) -> Result<String, ServerError> {
    given
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty())
        .ok_or_else(|| ServerError::BadRequest(format!("give `{name}`: {what}")))
}

fn bounded(name: &str, given: Option<usize>, default: usize, most: usize) -> Result<usize, ServerError> {
    match given {
        None => Ok(default),
        Some(value) if (1..=most).contains(&value) => Ok(value),
        Some(value) => Err(ServerError::BadRequest(format!("`{name}` must be between 1 and {most}, not {value}"))),
    }
}

/// The model of the snapshot's generation, fitted by the first request to need it.
async fn fitted_model(state: &Arc<AppState>, snapshot: &Arc<Snapshot>) -> Result<Arc<RecommendModel>, ServerError> {
    let cell = state.recommend_cache.cell(snapshot.generation);
    if let Some(model) = cell.get() {
        return Ok(model.clone());
    }
    // Spawned, so that a fit whose client has gone still ends in the cell for the next request.
    let (owned_state, owned_snapshot) = (state.clone(), snapshot.clone());
    tokio::spawn(async move { cell.get_or_try_init(|| fit(&owned_state, owned_snapshot)).await.cloned() }).await?
}

/// Reads the listens as play counts and fits the model, on a blocking thread.
async fn fit(state: &Arc<AppState>, snapshot: Arc<Snapshot>) -> Result<Arc<RecommendModel>, ServerError> {
    // The same queue as the listener analyses: each reads every listen and takes every core.
    let permit = crate::listeners::listener_turn(state).await?;
    let store = state.store.clone();
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let started = Instant::now();
        let (data, generated) = runtime.block_on(async {
            let context = store.session_within(encore_listeners::MEMORY_BYTES).await?;
            let mut data = source::from_listens(&context, &snapshot.catalog).await?;
            for (song_id, motifs) in &snapshot.song_motifs {
                data.add_context(song_id.as_str(), motifs.feature_names());
            }
            let generated = all_generated(&context).await?;
            Ok::<_, ServerError>((data, generated))
        })?;
        let recommender = Recommender::fit(data, AlsConfig::default(), Some(&snapshot.catalog), |_| {})?;
        let choices = listener_choices(&recommender);
        tracing::info!(
            generation = snapshot.generation,
            listeners = choices.len(),
            songs = recommender.data.plays.items.len(),
            milliseconds = started.elapsed().as_millis() as u64,
            "recommender fitted"
        );
        Ok(Arc::new(RecommendModel { recommender, listeners: choices, generated }))
    })
    .await?
}

/// Whether the store holds listens and every one of them is generated.
async fn all_generated(context: &SessionContext) -> Result<bool, RecommendError> {
    let query = format!(
        "SELECT count(*) AS listens, sum(CASE WHEN source = '{}' THEN 1 ELSE 0 END) AS generated FROM listens",
        ListenSource::Generated.as_str()
    );
    let batches = context.sql(&query).await?.collect().await?;
    let count = |name: &str| -> Result<i64, RecommendError> {
        let Some(column) = batches.first().and_then(|batch| batch.column_by_name(name)) else { return Ok(0) };
        let as_int64 = cast(column, &DataType::Int64)?;
        let values = as_int64.as_primitive::<Int64Type>();
        Ok(if values.is_empty() || values.is_null(0) { 0 } else { values.value(0) })
    };
    let (listens, generated) = (count("listens")?, count("generated")?);
    Ok(listens > 0 && generated == listens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_keeps_the_seed_s_id_safe_for_a_header() {
        assert_eq!(file_name(&Seed::Drama("business_proposal".into()), "csv"), "encore-playlist-business_proposal.csv");
        assert_eq!(file_name(&Seed::Artist("10CM & Kim \"x\"".into()), "m3u"), "encore-playlist-10cm-kim-x.m3u");
        assert_eq!(file_name(&Seed::Artist("아이유".into()), "m3u"), "encore-playlist-artist.m3u");
    }

    #[test]
    fn parameters_out_of_bounds_are_the_client_s_fault() {
        assert_eq!(bounded("top", None, 10, 100).ok(), Some(10));
        assert_eq!(bounded("top", Some(100), 10, 100).ok(), Some(100));
        for wrong in [0, 101] {
            let error = bounded("top", Some(wrong), 10, 100).unwrap_err();
            assert_eq!(error.status(), axum::http::StatusCode::BAD_REQUEST);
        }
        assert!(required("user", Some("  ".into()), "a listener").is_err());
        assert_eq!(PlaylistFormat::parse(Some("M3U")).ok(), Some(PlaylistFormat::M3u));
        assert!(PlaylistFormat::parse(Some("xml")).is_err());
    }
}
