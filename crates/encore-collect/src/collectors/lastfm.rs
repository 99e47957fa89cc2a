//! Last.fm `track.getInfo` (key from `LASTFM_API_KEY`):
//! `GET {base}?method=track.getInfo&api_key={key}&artist={artist}&track={track}&autocorrect=0&format=json`,
//! answering `{"track":{"name","listeners":"…","playcount":"…",…}}` (counts as strings), or on a
//! fault `{"error":6,"message":"Track not found"}`. The track's playcount and listeners are
//! snapshots (cumulative, with the fetch time).

use encore_domain::{Snapshot, SnapshotSource};
use serde_json::Value;

use super::{count_of, json, Fetched, SubjectOutcome};
use crate::error::CollectError;
use crate::keys::{Secret, LASTFM_KEY_VARIABLE};
use crate::polite::Client;
use crate::watch::{LastFmTrack, WatchList};
use crate::Environment;

pub(crate) const API: &str = "lastfm";

pub(crate) fn collect(watch: &WatchList, environment: &Environment) -> Fetched {
    let mut tracks: Vec<&LastFmTrack> = watch.subjects.iter().flat_map(|watched| &watched.lastfm).collect();
    tracks.sort_by_key(|track| track.subject());
    tracks.dedup();
    let mut fetched = Fetched::default();
    if tracks.is_empty() {
        return fetched;
    }
    let Some(key) = environment.keys.lastfm.as_ref() else {
        let error = CollectError::MissingKey { api: API, variable: LASTFM_KEY_VARIABLE };
        fetched.outcomes.extend(tracks.iter().map(|track| SubjectOutcome::failed(API, track.subject(), &error)));
        return fetched;
    };
    let mut client = client(environment);
    for track in tracks {
        match fetch_track(&mut client, key, track) {
            Ok(snapshots) => {
                fetched.outcomes.push(SubjectOutcome::fetched(API, track.subject(), snapshots.len(), None));
                fetched.snapshots.extend(snapshots);
            }
            Err(error) => fetched.outcomes.push(SubjectOutcome::failed(API, track.subject(), &error)),
        }
    }
    fetched
}

fn fetch_track(client: &mut Client<'_>, key: &Secret, track: &LastFmTrack) -> Result<Vec<Snapshot>, CollectError> {
    let url = crate::url::with_query(
        &client.environment().endpoints.lastfm,
        &[
            ("method", "track.getInfo"),
            ("api_key", key.expose()),
            ("artist", &track.artist),
            ("track", &track.track),
            ("autocorrect", "0"),
            ("format", "json"),
        ],
    );
    let fetched_at = client.environment().clock.now();
    let document = get_document(client, &url)?;
    let info = document.get("track").ok_or_else(|| client.malformed(&url, "no `track` object"))?;
    let source_file = format!("collect/lastfm/{}", fetched_at.format("%Y-%m-%dT%H:%M:%SZ"));
    let mut snapshots = Vec::new();
    for metric in ["playcount", "listeners"] {
        let value = count_of(info.get(metric))
            .ok_or_else(|| client.malformed(&url, &format!("track.{metric} is not a count")))?;
        snapshots.push(Snapshot {
            source: SnapshotSource::LastFm,
            subject: track.subject(),
            metric: metric.to_string(),
            value,
            fetched_at,
            source_file: source_file.clone(),
        });
    }
    Ok(snapshots)
}

/// Last.fm's errors that say to try again (its documented codes 8, operation failed; 11, service
/// offline; 16, temporarily unavailable; 29, rate limit exceeded), which it may answer with 200.
const PASSING_ERRORS: [i64; 4] = [8, 11, 16, 29];

/// What is wrong with an answer that is one of Last.fm's [`PASSING_ERRORS`]; `None` for any other.
pub(crate) fn passing_error(body: &[u8]) -> Option<String> {
    // Only the two fields: every answer passes through here, most of them no error at all.
    #[derive(serde::Deserialize)]
    struct Fault {
        error: Option<i64>,
        message: Option<String>,
    }
    let fault: Fault = serde_json::from_slice(body).ok()?;
    let code = fault.error.filter(|code| PASSING_ERRORS.contains(code))?;
    Some(format!("Last.fm error {code}: {}", fault.message.as_deref().unwrap_or("no message")))
}

/// A client of Last.fm's API, retrying its passing errors.
pub(crate) fn client<'a>(environment: &'a Environment) -> Client<'a> {
    Client::new(API, environment, environment.politeness.lastfm).retrying_passing_faults(passing_error)
}

/// The answer's JSON, or the API's own error (`{"error": code, "message": …}`, whatever the status)
/// as an error of the subject.
pub(crate) fn get_document(client: &mut Client<'_>, url: &str) -> Result<Value, CollectError> {
    let request_failed = match client.get(url, false) {
        Ok(Some(body)) => return lastfm_document(client, url, &body),
        Ok(None) => client.http_error(url, "no answer"),
        Err(error) => error,
    };
    Err(request_failed)
}

fn lastfm_document(client: &Client<'_>, url: &str, body: &[u8]) -> Result<Value, CollectError> {
    let document = json(body).map_err(|reason| client.malformed(url, &reason))?;
    if let Some(code) = document.get("error") {
        let message = document.get("message").and_then(Value::as_str).unwrap_or("no message");
        return Err(client.http_error(url, &format!("Last.fm error {code}: {message}")));
    }
    Ok(document)
}
