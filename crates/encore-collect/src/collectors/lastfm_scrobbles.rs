//! Last.fm `user.getRecentTracks` (key from `LASTFM_API_KEY`):
//! `GET {base}?method=user.getrecenttracks&user={user}&api_key={key}&from={unix}&to={unix}&limit=200&page={n}&format=json`,
//! newest first, answering `{"recenttracks":{"track":[{"artist":{"#text"},"album":{"#text"},"name",
//! "mbid","date":{"uts":"…"}}],"@attr":{"page","totalPages","total"}}}`. The track playing now
//! comes first with `"@attr":{"nowplaying":"true"}` and no date: it is not a scrobble yet and is
//! skipped. `to` is fixed at the run's start so scrobbles arriving while paging do not shift the
//! pages. The window starts after the listener's checkpoint; the scrobbles go to the ingest
//! pipeline as a Last.fm CSV (`uts,artist,album,track,user`), so they are matched like any log.

use chrono::Duration;
use encore_pipeline::Input;
use serde_json::Value;

use super::checkpoint::{last_listen, listens_file};
use super::lastfm::get_document;
use super::{count_of, Fetched, SubjectOutcome};
use crate::error::CollectError;
use crate::keys::{Secret, LASTFM_KEY_VARIABLE};
use crate::polite::Client;
use crate::watch::WatchList;
use crate::Environment;
use encore_store::Store;

pub(crate) const API: &str = "lastfm";

/// Scrobbles a page: the API's most.
const PAGE_SIZE: &str = "200";

/// One scrobble: when (unix seconds), artist, album, track.
type Scrobble = (i64, String, String, String);

pub(crate) fn collect(store: &Store, watch: &WatchList, environment: &Environment) -> Fetched {
    let mut fetched = Fetched::default();
    if watch.lastfm_users.is_empty() {
        return fetched;
    }
    let Some(key) = environment.keys.lastfm.as_ref() else {
        let error = CollectError::MissingKey { api: API, variable: LASTFM_KEY_VARIABLE };
        fetched.outcomes.extend(watch.lastfm_users.iter().map(|user| SubjectOutcome::failed(API, user, &error)));
        return fetched;
    };
    let manifest = match store.manifest() {
        Ok(manifest) => manifest,
        Err(error) => {
            let error = CollectError::from(error);
            fetched.outcomes.extend(watch.lastfm_users.iter().map(|user| SubjectOutcome::failed(API, user, &error)));
            return fetched;
        }
    };
    let mut client = super::lastfm::client(environment);
    let now = environment.clock.now().timestamp();
    for user in &watch.lastfm_users {
        let after = last_listen(&manifest, "lastfm", user)
            .unwrap_or_else(|| now - Duration::days(i64::from(watch.backfill_days)).num_seconds());
        match fetch_user(&mut client, key, user, after, now) {
            Ok(scrobbles) if scrobbles.is_empty() => fetched.outcomes.push(SubjectOutcome::fetched(API, user, 0, None)),
            Ok(scrobbles) => match to_csv(user, &scrobbles, now) {
                Ok(input) => {
                    fetched.outcomes.push(SubjectOutcome::fetched(API, user, scrobbles.len(), Some(input.name())));
                    fetched.inputs.push(input);
                }
                Err(error) => fetched.outcomes.push(SubjectOutcome::failed(API, user, &error)),
            },
            Err(error) => fetched.outcomes.push(SubjectOutcome::failed(API, user, &error)),
        }
    }
    fetched
}

/// Every scrobble after `after` up to `to`, oldest first.
fn fetch_user(
    client: &mut Client<'_>,
    key: &Secret,
    user: &str,
    after: i64,
    to: i64,
) -> Result<Vec<Scrobble>, CollectError> {
    let mut scrobbles = Vec::new();
    let mut page = 1u64;
    loop {
        let (from_text, to_text, page_text) = ((after + 1).to_string(), to.to_string(), page.to_string());
        let url = crate::url::with_query(
            &client.environment().endpoints.lastfm,
            &[
                ("method", "user.getrecenttracks"),
                ("user", user),
                ("api_key", key.expose()),
                ("from", &from_text),
                ("to", &to_text),
                ("limit", PAGE_SIZE),
                ("page", &page_text),
                ("format", "json"),
            ],
        );
        let document = get_document(client, &url)?;
        let recent = document.get("recenttracks").ok_or_else(|| client.malformed(&url, "no `recenttracks` object"))?;
        // A single track comes as an object rather than an array of one.
        let tracks: Vec<&Value> = match recent.get("track") {
            Some(Value::Array(tracks)) => tracks.iter().collect(),
            Some(track @ Value::Object(_)) => vec![track],
            None => Vec::new(),
            Some(_) => return Err(client.malformed(&url, "`recenttracks.track` is not a list")),
        };
        for (position, track) in tracks.into_iter().enumerate() {
            let now_playing = track.pointer("/@attr/nowplaying").and_then(Value::as_str) == Some("true");
            if now_playing {
                continue;
            }
            let scrobble = scrobble(track).ok_or_else(|| {
                client.malformed(&url, &format!("recenttracks.track[{position}] lacks date, artist or name"))
            })?;
            if scrobble.0 > after && scrobble.0 <= to {
                scrobbles.push(scrobble);
            }
        }
        let total_pages = count_of(recent.pointer("/@attr/totalPages")).unwrap_or(1);
        if page >= total_pages {
            break;
        }
        page += 1;
    }
    scrobbles.sort();
    scrobbles.dedup();
    Ok(scrobbles)
}

fn scrobble(track: &Value) -> Option<Scrobble> {
    let when = count_of(track.pointer("/date/uts")).and_then(|uts| i64::try_from(uts).ok())?;
    let text = |pointer: &str| track.pointer(pointer).and_then(Value::as_str).map(str::to_string);
    let artist = text("/artist/#text").or_else(|| text("/artist/name"))?;
    let name = text("/name")?;
    Some((when, artist, text("/album/#text").unwrap_or_default(), name))
}

/// The scrobbles as a Last.fm CSV the ingest pipeline reads, named by the user and their range.
fn to_csv(user: &str, scrobbles: &[Scrobble], fetched: i64) -> Result<Input, CollectError> {
    let (Some(oldest), Some(newest)) = (scrobbles.first(), scrobbles.last()) else {
        return Err(CollectError::Internal("no scrobbles to write".to_string()));
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    let written = writer.write_record(["uts", "artist", "album", "track", "user"]).and_then(|()| {
        scrobbles.iter().try_for_each(|(when, artist, album, track)| {
            writer.write_record([&when.to_string(), artist, album, track, user])
        })
    });
    written.map_err(|error| CollectError::Internal(format!("writing scrobbles as CSV: {error}")))?;
    let bytes =
        writer.into_inner().map_err(|error| CollectError::Internal(format!("writing scrobbles as CSV: {error}")))?;
    Ok(Input::Upload { name: listens_file("lastfm", user, (oldest.0, newest.0), fetched, "csv"), bytes })
}
