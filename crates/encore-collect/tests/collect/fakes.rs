//! The fake clock, and the APIs as the loopback server plays them: each answers in its documented
//! shape from a made-up history, honouring the request's dates, pages and limits.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use encore_collect::{Clock, Environment, Politeness};
use serde_json::{json, Value};

use crate::server::{Canned, Recorded};

pub const YOUTUBE_KEY: &str = "yt-SECRET-key-123";
pub const LASTFM_KEY: &str = "lfm-SECRET-key-456";
pub const WEBHOOK_SECRET: &str = "hook-SECRET-789";

/// A clock that never sleeps: a sleep moves its time on, and is noted.
pub struct FakeClock {
    pub now: Mutex<DateTime<Utc>>,
    pub slept: Mutex<Vec<Duration>>,
}

impl FakeClock {
    pub fn at(now: DateTime<Utc>) -> Arc<FakeClock> {
        Arc::new(FakeClock { now: Mutex::new(now), slept: Mutex::new(Vec::new()) })
    }

    pub fn advance(&self, by: chrono::Duration) {
        *self.now.lock().unwrap() += by;
    }

    pub fn sleeps(&self) -> Vec<Duration> {
        self.slept.lock().unwrap().clone()
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap()
    }

    fn sleep(&self, duration: Duration) {
        self.slept.lock().unwrap().push(duration);
        *self.now.lock().unwrap() += chrono::Duration::from_std(duration).unwrap();
    }
}

/// 2026-12-01 06:00 UTC.
pub fn start_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-01T06:00:00Z").unwrap().with_timezone(&Utc)
}

/// Tests' politeness: the real rules, short timeouts (the only real waits).
pub fn test_politeness() -> Politeness {
    Politeness { timeout: Duration::from_millis(500), max_attempts: 4, ..Politeness::DEFAULT }
}

pub fn environment(base: &str, clock: Arc<FakeClock>, transport: Arc<dyn encore_collect::Transport>) -> Environment {
    let keys = encore_collect::ApiKeys::from_lookup(
        |name| match name {
            "YOUTUBE_API_KEY" => Some(YOUTUBE_KEY.to_string()),
            "LASTFM_API_KEY" => Some(LASTFM_KEY.to_string()),
            "ENCORE_WEBHOOK_SECRET" => Some(WEBHOOK_SECRET.to_string()),
            _ => None,
        },
        None,
    )
    .unwrap();
    let politeness = test_politeness();
    Environment {
        transport,
        clock,
        keys,
        endpoints: encore_collect::Endpoints::all_at(base),
        politeness: encore_collect::ApiPoliteness {
            wikimedia: politeness,
            youtube: politeness,
            lastfm: politeness,
            listenbrainz: politeness,
            webhook: politeness,
        },
        contact: "https://example.org/encore-tests".to_string(),
    }
}

/// The made-up world the fake APIs answer from.
pub struct World {
    /// Pageviews of a day of an article.
    pub views: fn(&str, NaiveDate) -> u64,
    /// YouTube views grow by this much at every call.
    pub youtube_calls: AtomicU64,
    /// Unix times of the ListenBrainz user's listens, and of the Last.fm user's scrobbles.
    pub listens: Vec<i64>,
    pub scrobbles: Vec<i64>,
}

pub fn flat_views(_: &str, day: NaiveDate) -> u64 {
    100 + (day.ordinal() as u64 * 7919) % 13
}

use chrono::Datelike;

impl World {
    pub fn new(views: fn(&str, NaiveDate) -> u64) -> Arc<World> {
        World::anchored(views, start_time())
    }

    /// The same world, its listens and scrobbles before `now` (for a run on the real clock,
    /// which a first collection's backfill reaches back from).
    pub fn anchored(views: fn(&str, NaiveDate) -> u64, now: DateTime<Utc>) -> Arc<World> {
        let start = now.timestamp();
        Arc::new(World {
            views,
            youtube_calls: AtomicU64::new(0),
            // 2,345 listens, one every 20 minutes, the newest an hour before the start.
            listens: (0..2345).map(|index| start - 3600 - index * 1200).collect(),
            // 450 scrobbles, one every 30 minutes, within the 90 days of backfill.
            scrobbles: (0..450).map(|index| start - 1800 - index * 1800).collect(),
        })
    }

    /// The documented answer to any request the collectors make.
    pub fn answer(&self, request: &Recorded) -> Canned {
        if request.path.starts_with("/api/rest_v1/metrics/pageviews/per-article/") {
            return self.pageviews(request);
        }
        if request.path == "/youtube/v3/videos" {
            return self.youtube(request);
        }
        if request.path == "/2.0/" {
            return match request.param("method") {
                Some("track.getInfo") => self.track_info(request),
                Some("user.getrecenttracks") => self.recent_tracks(request),
                _ => Canned::status(400, r#"{"error":3,"message":"Invalid Method"}"#),
            };
        }
        if request.path.starts_with("/1/user/") && request.path.ends_with("/listens") {
            return self.listenbrainz(request);
        }
        Canned::status(404, "no such route")
    }

    fn pageviews(&self, request: &Recorded) -> Canned {
        // …/per-article/{project}/all-access/user/{article}/daily/{start}/{end}
        let rest = request.path.trim_start_matches("/api/rest_v1/metrics/pageviews/per-article/");
        let parts: Vec<&str> = rest.split('/').collect();
        let [project, "all-access", "user", article, "daily", start, end] = parts[..] else {
            return Canned::status(400, "bad path");
        };
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y%m%d").unwrap();
        let subject = format!("{project}/{article}");
        let items: Vec<Value> = day(start)
            .iter_days()
            .take_while(|date| *date <= day(end))
            .map(|date| {
                json!({"project": project, "article": article, "granularity": "daily",
                       "timestamp": format!("{}00", date.format("%Y%m%d")), "access": "all-access",
                       "agent": "user", "views": (self.views)(&subject, date)})
            })
            .collect();
        Canned::json(serde_json::to_vec(&json!({ "items": items })).unwrap())
    }

    fn youtube(&self, request: &Recorded) -> Canned {
        if request.param("key") != Some(YOUTUBE_KEY) {
            return Canned::status(400, r#"{"error":{"code":400,"message":"API key not valid."}}"#);
        }
        let call = self.youtube_calls.fetch_add(1, Ordering::SeqCst);
        let items: Vec<Value> = request
            .param("id")
            .unwrap_or("")
            .split(',')
            .filter(|id| *id != "gone")
            .map(|id| {
                json!({"kind": "youtube#video", "etag": "x", "id": id,
                       "statistics": {"viewCount": (1000 + call * 500).to_string(), "likeCount": "42",
                                      "favoriteCount": "0", "commentCount": "7"}})
            })
            .collect();
        let total = items.len();
        Canned::json(
            serde_json::to_vec(&json!({"kind": "youtube#videoListResponse", "etag": "y", "items": items,
                                       "pageInfo": {"totalResults": total, "resultsPerPage": total}}))
            .unwrap(),
        )
    }

    fn track_info(&self, request: &Recorded) -> Canned {
        let (artist, track) = (request.param("artist").unwrap_or(""), request.param("track").unwrap_or(""));
        if track == "Unknown" {
            return Canned::json(r#"{"error":6,"message":"Track not found","links":[]}"#);
        }
        Canned::json(
            serde_json::to_vec(&json!({"track": {"name": track, "mbid": "", "url": "https://www.last.fm/music/x",
                "duration": "215000", "listeners": "12345", "playcount": "67890",
                "artist": {"name": artist, "url": "https://www.last.fm/music/x"}}}))
            .unwrap(),
        )
    }

    fn recent_tracks(&self, request: &Recorded) -> Canned {
        if request.param("api_key") != Some(LASTFM_KEY) {
            return Canned::status(
                403,
                r#"{"error":10,"message":"Invalid API key - You must be granted a valid key by last.fm"}"#,
            );
        }
        let number =
            |name: &str, default: i64| request.param(name).and_then(|value| value.parse().ok()).unwrap_or(default);
        let (from, to, limit, page) =
            (number("from", 0), number("to", i64::MAX), number("limit", 50), number("page", 1));
        let window: Vec<i64> = self.scrobbles.iter().copied().filter(|when| *when >= from && *when <= to).collect();
        let total_pages = ((window.len() as i64 + limit - 1) / limit).max(1);
        let mut tracks: Vec<Value> = window
            .iter()
            .skip(((page - 1) * limit) as usize)
            .take(limit as usize)
            .map(|when| {
                json!({"artist": {"mbid": "", "#text": "Chanyeol & Punch"}, "streamable": "0", "mbid": "",
                       "album": {"mbid": "", "#text": "Goblin OST Part 1"}, "name": format!("Stay With Me {when}"),
                       "url": "https://www.last.fm/music/x", "date": {"uts": when.to_string(), "#text": "some day"}})
            })
            .collect();
        if page == 1 {
            tracks.insert(
                0,
                json!({"artist": {"#text": "Crush"}, "album": {"#text": ""}, "name": "Beautiful",
                                    "@attr": {"nowplaying": "true"}}),
            );
        }
        Canned::json(
            serde_json::to_vec(&json!({"recenttracks": {"track": tracks, "@attr": {"user": "rj", "page": page.to_string(),
                "perPage": limit.to_string(), "totalPages": total_pages.to_string(), "total": window.len().to_string()}}}))
            .unwrap(),
        )
    }

    fn listenbrainz(&self, request: &Recorded) -> Canned {
        let user = request.path.trim_start_matches("/1/user/").trim_end_matches("/listens");
        let max_ts: i64 = request.param("max_ts").and_then(|value| value.parse().ok()).unwrap_or(i64::MAX);
        let count: usize = request.param("count").and_then(|value| value.parse().ok()).unwrap_or(25);
        let listens: Vec<Value> = self
            .listens
            .iter()
            .enumerate()
            .filter(|(_, when)| **when < max_ts)
            .take(count)
            .map(|(index, when)| {
                json!({"inserted_at": when + 5, "listened_at": when, "recording_msid": format!("msid-{index}"),
                       "user_name": user, "track_metadata": {"artist_name": "10cm", "track_name": format!("My Eyes {when}"),
                       "release_name": "Goblin OST Part 2", "additional_info": {"duration_ms": 200000}}})
            })
            .collect();
        let count = listens.len();
        Canned::json(
            serde_json::to_vec(&json!({"payload": {"count": count, "user_id": user, "listens": listens,
                                       "latest_listen_ts": self.listens.first()}}))
            .unwrap(),
        )
    }
}
