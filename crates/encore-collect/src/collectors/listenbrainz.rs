//! ListenBrainz `GET {base}/1/user/{user}/listens?max_ts={unix}&count={n}` (no key for public
//! listens), newest first, answering `{"payload":{"count","user_id","listens":[{"listened_at",
//! "user_name","track_metadata":{"artist_name","track_name","release_name",…}}]}}`. Pages go back in
//! time: each asks for the listens up to the oldest second of the previous page (`max_ts`,
//! exclusive, one past it), since a page may end inside a second whose other listens are on the
//! next, and a listen the previous page held is taken once; until a page reaches the listener's
//! checkpoint (on a first collection, `backfill_days` back) or comes back short. The new listens go to the
//! ingest pipeline as the same `payload` JSON, which encore-ingest's ListenBrainz reader maps.

use encore_pipeline::Input;
use serde_json::Value;

use super::checkpoint::{last_listen, listens_file};
use super::{json, Fetched, SubjectOutcome};
use crate::error::CollectError;
use crate::polite::Client;
use crate::watch::WatchList;
use crate::Environment;
use encore_store::Store;

pub(crate) const API: &str = "listenbrainz";

/// Listens a page: the API's most (`MAX_ITEMS_PER_GET`).
const PAGE_SIZE: usize = 1000;

pub(crate) fn collect(store: &Store, watch: &WatchList, environment: &Environment) -> Fetched {
    let mut fetched = Fetched::default();
    if watch.listenbrainz_users.is_empty() {
        return fetched;
    }
    let manifest = match store.manifest() {
        Ok(manifest) => manifest,
        Err(error) => {
            let error = CollectError::from(error);
            fetched
                .outcomes
                .extend(watch.listenbrainz_users.iter().map(|user| SubjectOutcome::failed(API, user, &error)));
            return fetched;
        }
    };
    let mut client = Client::new(API, environment, environment.politeness.listenbrainz);
    let now = environment.clock.now().timestamp();
    for user in &watch.listenbrainz_users {
        // A first collection goes back `backfill_days`, as the other collectors' do.
        let backfill = now - chrono::Duration::days(i64::from(watch.backfill_days)).num_seconds();
        let after = last_listen(&manifest, API, user).unwrap_or(backfill);
        let outcome = fetch_user(&mut client, user, after, now).and_then(|listens| to_input(user, listens, now));
        match outcome {
            Ok(None) => fetched.outcomes.push(SubjectOutcome::fetched(API, user, 0, None)),
            Ok(Some((input, count))) => {
                fetched.outcomes.push(SubjectOutcome::fetched(API, user, count, Some(input.name())));
                fetched.inputs.push(input);
            }
            Err(error) => fetched.outcomes.push(SubjectOutcome::failed(API, user, &error)),
        }
    }
    fetched
}

/// The listens after `after` (the checkpoint, or the backfill's start) up to `now`, as
/// `(listened_at, listen)`.
fn fetch_user(client: &mut Client<'_>, user: &str, after: i64, now: i64) -> Result<Vec<(i64, Value)>, CollectError> {
    let base = client.environment().endpoints.listenbrainz.trim_end_matches('/').to_string();
    let mut listens = Vec::new();
    // Exclusive: a listen of this very second is left to the next run.
    let mut max_ts = now;
    // The listens of the second `max_ts - 1` that an earlier page held, when the page ended
    // inside that second: the next page holds them again, and each is taken once.
    let mut taken_in_boundary: Vec<Value> = Vec::new();
    loop {
        let url = crate::url::with_query(
            &format!("{base}/1/user/{}/listens", crate::url::encode(user)),
            &[("max_ts", &max_ts.to_string()), ("count", &PAGE_SIZE.to_string())],
        );
        let body = client.get(&url, false)?.ok_or_else(|| client.http_error(&url, "no answer"))?;
        let document = json(&body).map_err(|reason| client.malformed(&url, &reason))?;
        let page = document
            .pointer("/payload/listens")
            .and_then(Value::as_array)
            .ok_or_else(|| client.malformed(&url, "no `payload.listens` array"))?;
        let mut oldest = max_ts;
        let mut reached_checkpoint = false;
        let page_start = listens.len();
        for (position, listen) in page.iter().enumerate() {
            let listened_at = listen.get("listened_at").and_then(Value::as_i64).ok_or_else(|| {
                client.malformed(&url, &format!("payload.listens[{position}].listened_at is not a unix time"))
            })?;
            oldest = oldest.min(listened_at);
            if listened_at <= after {
                reached_checkpoint = true;
                continue;
            }
            if listened_at >= max_ts {
                continue;
            }
            if let Some(at) = taken_in_boundary.iter().position(|taken| taken == listen) {
                taken_in_boundary.swap_remove(at);
                continue;
            }
            listens.push((listened_at, listen.clone()));
        }
        // A short page is the end of the history; a page that did not move back would loop.
        if reached_checkpoint || page.len() < PAGE_SIZE || oldest >= max_ts {
            break;
        }
        if oldest + 1 < max_ts {
            // The page may end inside its oldest second: the next asks for that second again.
            let this_page = &listens[page_start..];
            taken_in_boundary =
                this_page.iter().filter(|(at, _)| *at == oldest).map(|(_, listen)| listen.clone()).collect();
            max_ts = oldest + 1;
        } else {
            // A page that is all one second cannot be paged within: its listens past this page
            // are lost, and the next page starts before it.
            taken_in_boundary.clear();
            max_ts = oldest;
        }
    }
    listens.sort_by_key(|(listened_at, _)| *listened_at);
    Ok(listens)
}

fn to_input(user: &str, listens: Vec<(i64, Value)>, fetched: i64) -> Result<Option<(Input, usize)>, CollectError> {
    let (Some((oldest, _)), Some((newest, _))) = (listens.first(), listens.last()) else {
        return Ok(None);
    };
    let name = listens_file(API, user, (*oldest, *newest), fetched, "json");
    let count = listens.len();
    let items: Vec<Value> = listens
        .into_iter()
        .map(|(_, mut listen)| {
            // The reader takes the listener from each listen's `user_name`; the API always sets it,
            // and the watch list's name stands in should it not.
            if let Some(fields) = listen.as_object_mut() {
                fields.entry("user_name").or_insert_with(|| Value::String(user.to_string()));
            }
            listen
        })
        .collect();
    let document = serde_json::json!({ "payload": { "count": count, "user_id": user, "listens": items } });
    let bytes = serde_json::to_vec(&document).map_err(|error| CollectError::Internal(error.to_string()))?;
    Ok(Some((Input::Upload { name, bytes }, count)))
}
