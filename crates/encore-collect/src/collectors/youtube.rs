//! YouTube Data API v3 `videos.list` (key from `YOUTUBE_API_KEY`):
//! `GET {base}/videos?part=statistics&id={id,id,…}&key={key}`, up to 50 ids a call (each call costs
//! one unit of the 10,000-a-day quota), answering `{"items":[{"id","statistics":{"viewCount":"…",
//! "likeCount":"…","commentCount":"…"}}]}` with counts as strings. A video left out of `items` is
//! private, deleted or mistyped; a hidden like count is simply absent. Each count is a snapshot
//! (cumulative, with the fetch time); daily views come from differencing them
//! ([`crate::daily_from_snapshots`]).

use encore_domain::{Snapshot, SnapshotSource};
use serde_json::Value;

use super::{count_of, json, Fetched, SubjectOutcome};
use crate::error::CollectError;
use crate::keys::YOUTUBE_KEY_VARIABLE;
use crate::polite::Client;
use crate::watch::WatchList;
use crate::Environment;

pub(crate) const API: &str = "youtube";

/// The most ids `videos.list` takes at once.
const IDS_PER_CALL: usize = 50;

/// The statistics kept, by the API's field and the metric's stored name.
const METRICS: [(&str, &str); 3] = [("viewCount", "views"), ("likeCount", "likes"), ("commentCount", "comments")];

pub(crate) fn collect(watch: &WatchList, environment: &Environment) -> Fetched {
    let mut ids: Vec<&str> =
        watch.subjects.iter().flat_map(|watched| watched.youtube.iter().map(String::as_str)).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut fetched = Fetched::default();
    if ids.is_empty() {
        return fetched;
    }
    let Some(key) = environment.keys.youtube.as_ref() else {
        let error = CollectError::MissingKey { api: API, variable: YOUTUBE_KEY_VARIABLE };
        fetched.outcomes.extend(ids.iter().map(|id| SubjectOutcome::failed(API, *id, &error)));
        return fetched;
    };
    let mut client = Client::new(API, environment, environment.politeness.youtube);
    for chunk in ids.chunks(IDS_PER_CALL) {
        let base = environment.endpoints.youtube.trim_end_matches('/');
        let joined = chunk.join(",");
        let url = crate::url::with_query(
            &format!("{base}/videos"),
            &[("part", "statistics"), ("id", &joined), ("key", key.expose())],
        );
        let fetched_at = environment.clock.now();
        match fetch_chunk(&mut client, &url).and_then(|body| statistics(&client, &url, &body)) {
            Ok(items) => {
                for id in chunk {
                    let Some(statistics) = items.iter().find(|(item, _)| item == id).map(|(_, statistics)| statistics)
                    else {
                        let error = client.http_error(
                            &url,
                            &format!("video {id} is not in the answer (private, deleted or mistyped)"),
                        );
                        fetched.outcomes.push(SubjectOutcome::failed(API, *id, &error));
                        continue;
                    };
                    let source_file = format!("collect/youtube/{}", fetched_at.format("%Y-%m-%dT%H:%M:%SZ"));
                    let snapshots: Vec<Snapshot> = METRICS
                        .iter()
                        .filter_map(|(field, metric)| {
                            Some(Snapshot {
                                source: SnapshotSource::Youtube,
                                subject: (*id).to_string(),
                                metric: (*metric).to_string(),
                                value: count_of(statistics.get(*field))?,
                                fetched_at,
                                source_file: source_file.clone(),
                            })
                        })
                        .collect();
                    fetched.outcomes.push(SubjectOutcome::fetched(API, *id, snapshots.len(), None));
                    fetched.snapshots.extend(snapshots);
                }
            }
            Err(error) => fetched.outcomes.extend(chunk.iter().map(|id| SubjectOutcome::failed(API, *id, &error))),
        }
    }
    fetched
}

fn fetch_chunk(client: &mut Client<'_>, url: &str) -> Result<Vec<u8>, CollectError> {
    client.get(url, false)?.ok_or_else(|| client.http_error(url, "no answer"))
}

/// Each item's id and statistics object.
fn statistics(client: &Client<'_>, url: &str, body: &[u8]) -> Result<Vec<(String, Value)>, CollectError> {
    let document = json(body).map_err(|reason| client.malformed(url, &reason))?;
    let items =
        document.get("items").and_then(Value::as_array).ok_or_else(|| client.malformed(url, "no `items` array"))?;
    items
        .iter()
        .enumerate()
        .map(|(position, item)| {
            let id = item
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| client.malformed(url, &format!("items[{position}].id is missing")))?;
            let statistics = item
                .get("statistics")
                .filter(|statistics| statistics.is_object())
                .ok_or_else(|| client.malformed(url, &format!("items[{position}].statistics is missing")))?;
            Ok((id.to_string(), statistics.clone()))
        })
        .collect()
}
