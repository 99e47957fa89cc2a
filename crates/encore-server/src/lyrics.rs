//! The lyrics, the creator's checklist and the campaign timelines: `/api/lyrics` (the lyrics of the
//! folder the server was started with, analysed once), `/api/checklist`,
//! `/api/songs/{id}/checklist` and `/api/dramas/{id}/timeline` (JSON, or the figure with
//! `?plot=svg`), answered from the snapshot.

use std::path::Path;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, Query, State};
use axum::response::Response;

use encore_domain::SongLyric;
use encore_lyrics::{analyse_lyrics, LyricsOptions};
use encore_report::lyrics_json::{lyrics_json, LyricsRun};

use crate::analyze_series::{svg_response, PlotQuery};
use crate::error::ServerError;
use crate::routes::json_bytes;
use crate::AppState;

/// The lyrics analysis as `encore lyrics` runs it by default.
const OPTIONS: LyricsOptions = LyricsOptions::DEFAULT;

/// The lyrics of the Melon year-end CSVs in `folder`, and their analysis encoded (`None` when the
/// folder holds no lyrics). Bad rows are logged with file and line and left out.
pub fn read_and_analyse(folder: &Path) -> Result<(Vec<SongLyric>, Option<Bytes>), ServerError> {
    let (parsed, files) = encore_ingest::read_melon_lyrics_folder(folder)
        .map_err(|error| ServerError::BadRequest(format!("the lyrics folder: {error}")))?;
    for rejected in &parsed.rejected {
        tracing::warn!(%rejected, "lyrics row left out");
    }
    let Ok(analysis) = analyse_lyrics(&parsed.rows, OPTIONS) else {
        tracing::warn!(folder = %folder.display(), "no lyrics in the lyrics folder");
        return Ok((parsed.rows, None));
    };
    let run = LyricsRun { files, rows_rejected: parsed.rejected.len(), prior_total: OPTIONS.prior_total };
    let answer = Bytes::from(serde_json::to_vec(&lyrics_json(&analysis, run))?);
    Ok((parsed.rows, Some(answer)))
}

pub async fn lyrics(State(state): State<Arc<AppState>>) -> Result<Response, ServerError> {
    let answer = state.lyrics.clone().ok_or_else(|| {
        ServerError::NotFound(
            "this server holds no lyrics: start it with --data pointing at a folder with melon-year-end/".to_string(),
        )
    })?;
    Ok(json_bytes(answer))
}

pub async fn checklist(State(state): State<Arc<AppState>>) -> Response {
    json_bytes(state.snapshot().checklist.clone())
}

pub async fn song_checklist(
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, ServerError> {
    let snapshot = state.snapshot();
    let answer = snapshot.checklist_by_song.get(&id).ok_or_else(|| ServerError::no_song(&id))?;
    Ok(json_bytes(answer.clone()))
}

pub async fn drama_timeline(
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
    Query(query): Query<PlotQuery>,
) -> Result<Response, ServerError> {
    let wants_svg = query.wants_svg()?;
    let snapshot = state.snapshot();
    let timeline = snapshot.timeline_by_drama.get(&id).ok_or_else(|| ServerError::no_drama(&id))?;
    if !wants_svg {
        return Ok(json_bytes(timeline.json.clone()));
    }
    match &timeline.svg {
        Ok(svg) => Ok(svg_response(svg.clone())),
        Err(why) => Err(ServerError::NotFound(format!("no timeline figure of `{id}`: {why}"))),
    }
}
