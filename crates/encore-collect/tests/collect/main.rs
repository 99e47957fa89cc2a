//! The collectors against a loopback server playing each public API in its documented shape, on a
//! fake clock: paging, politeness, malformed answers, a crash and a resumed run, alerts and the
//! webhook's signature, and keys that never leak.

mod fakes;
mod server;
mod watch_list;

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use encore_collect::{
    collect_once, run_every, Clock, Request, Response, Transport, TransportError, UreqTransport, WatchList,
};
use encore_store::{Store, LISTENS, SNAPSHOTS};
use fakes::{environment, start_time, FakeClock, World, LASTFM_KEY, WEBHOOK_SECRET, YOUTUBE_KEY};
use server::{Canned, Server};

fn watch(text: &str) -> WatchList {
    WatchList::parse(text, Path::new("watch.toml")).unwrap()
}

const FULL: &str = r#"
[[song]]
id = "stay_with_me"
wikipedia = ["en.wikipedia/Stay_with_Me_(Chanyeol_and_Punch_song)"]
youtube = ["pcKR0LPwoYs", "gone"]
lastfm = [{ artist = "Chanyeol & Punch", track = "Stay With Me" }]

[[drama]]
id = "goblin"
wikipedia = ["ko.wikipedia/도깨비_(드라마)"]

[lastfm]
users = ["rj"]

[listenbrainz]
users = ["rob"]
"#;

fn rows(store: &Store, dataset: &str) -> u64 {
    store.manifest().unwrap().dataset(dataset).map(|dataset| dataset.rows()).unwrap_or(0)
}

fn pageview_days(store: &Store) -> usize {
    let subjects =
        ["en.wikipedia/Stay_with_Me_(Chanyeol_and_Punch_song)".to_string(), "ko.wikipedia/도깨비_(드라마)".to_string()];
    store.daily_counts_read("wikipedia_pageviews", &subjects).unwrap().len()
}

fn world_server(world: Arc<World>) -> Server {
    Server::start(move |request| world.answer(request))
}

#[test]
fn a_run_fills_the_store_and_a_rerun_adds_nothing_but_new_snapshots() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let server = world_server(World::new(fakes::flat_views));
    let clock = FakeClock::at(start_time());
    let env = environment(&server.base, clock.clone(), Arc::new(UreqTransport::default()));

    let first = collect_once(&store, &watch(FULL), &env).unwrap();
    let failures: Vec<&str> = first.failures().map(|outcome| outcome.subject.as_str()).collect();
    assert_eq!(failures, vec!["gone"], "{:#?}", first.subjects);
    // 90 days of backfill up to yesterday, for each article.
    assert_eq!(pageview_days(&store), 180);
    // Views, likes and comments of one video, playcount and listeners of one track.
    assert_eq!(first.snapshots_stored, 5);
    // Every listen across three ListenBrainz pages and every scrobble across three Last.fm pages,
    // without the track playing now.
    assert_eq!(rows(&store, LISTENS), 2345 + 450);
    assert_eq!(first.rows_stored, 180 + 2345 + 450);

    // ListenBrainz pages go back by max_ts; Last.fm pages keep one window.
    let requests = server.recorded();
    let max_ts: Vec<i64> = requests
        .iter()
        .filter(|request| request.path == "/1/user/rob/listens")
        .map(|request| request.param("max_ts").unwrap().parse().unwrap())
        .collect();
    assert_eq!(max_ts.len(), 3);
    assert!(max_ts.windows(2).all(|pair| pair[1] < pair[0]), "{max_ts:?}");
    let pages: Vec<(&str, &str)> = requests
        .iter()
        .filter(|request| request.param("method") == Some("user.getrecenttracks"))
        .map(|request| (request.param("page").unwrap(), request.param("to").unwrap()))
        .collect();
    assert_eq!(pages.iter().map(|(page, _)| *page).collect::<Vec<_>>(), vec!["1", "2", "3"]);
    assert!(pages.iter().all(|(_, to)| *to == pages[0].1));
    // Every call says who we are and how to reach us.
    assert!(requests.iter().all(|request| {
        let agent = request.header("User-Agent").unwrap_or("");
        agent.starts_with("Encore/") && agent.contains("https://example.org/encore-tests")
    }));
    // The article reached Wikimedia as one encoded segment.
    assert!(requests
        .iter()
        .any(|request| request.raw_target.contains("/Stay_with_Me_%28Chanyeol_and_Punch_song%29/daily/")));

    // The same day again: nothing new to fetch but the counters' new snapshots.
    let calls_before = server.count("/api/rest_v1");
    let second = collect_once(&store, &watch(FULL), &env).unwrap();
    assert_eq!(server.count("/api/rest_v1"), calls_before, "no pageviews call when nothing is due");
    assert_eq!(pageview_days(&store), 180);
    assert_eq!(rows(&store, LISTENS), 2345 + 450);
    assert_eq!(second.rows_stored, 0);
    assert_eq!(rows(&store, SNAPSHOTS), 10);

    // A day later: one new day per article.
    clock.advance(chrono::Duration::days(1));
    collect_once(&store, &watch(FULL), &env).unwrap();
    assert_eq!(pageview_days(&store), 182);
}

/// Answers from `world`, except for the first `failures` pageviews calls, which get these.
fn failing_first(world: Arc<World>, failures: Vec<Canned>) -> Server {
    let left = Mutex::new(failures.into_iter());
    Server::start(move |request| {
        if request.path.starts_with("/api/rest_v1") {
            if let Some(failure) = left.lock().unwrap().next() {
                return failure;
            }
        }
        world.answer(request)
    })
}

const ONE_ARTICLE: &str = r#"
[[drama]]
id = "goblin"
wikipedia = ["en.wikipedia/Guardian:_The_Lonely_and_Great_God"]
"#;

#[test]
fn retry_after_is_honoured_and_5xx_backed_off() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let server = failing_first(
        World::new(fakes::flat_views),
        vec![
            Canned::status(429, "slow down").with_header("Retry-After", "7"),
            Canned::status(503, "maintenance"),
            Canned::status(500, "oops"),
        ],
    );
    let clock = FakeClock::at(start_time());
    let env = environment(&server.base, clock.clone(), Arc::new(UreqTransport::default()));
    let summary = collect_once(&store, &watch(ONE_ARTICLE), &env).unwrap();
    assert_eq!(summary.failures().count(), 0, "{:#?}", summary.subjects);
    assert_eq!(server.count("/api/rest_v1"), 4);
    let sleeps = clock.sleeps();
    assert_eq!(sleeps[0], Duration::from_secs(7), "{sleeps:?}");
    // Equal jitter: between half and all of 4 s, then of 8 s.
    assert!(sleeps[1] >= Duration::from_secs(2) && sleeps[1] <= Duration::from_secs(4), "{sleeps:?}");
    assert!(sleeps[2] >= Duration::from_secs(4) && sleeps[2] <= Duration::from_secs(8), "{sleeps:?}");
}

#[test]
fn lastfm_errors_that_say_try_again_are_retried_even_when_answered_with_200() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let world = World::new(fakes::flat_views);
    let passing = Mutex::new(
        vec![
            Canned::json(r#"{"error":29,"message":"Rate Limit Exceeded"}"#),
            Canned::json(r#"{"error":16,"message":"There was a temporary error processing your request."}"#),
        ]
        .into_iter(),
    );
    let server = Server::start(move |request| {
        if request.param("method") == Some("track.getInfo") {
            if let Some(fault) = passing.lock().unwrap().next() {
                return fault;
            }
        }
        world.answer(request)
    });
    let clock = FakeClock::at(start_time());
    let env = environment(&server.base, clock.clone(), Arc::new(UreqTransport::default()));
    let one_track = r#"
[[song]]
id = "stay_with_me"
lastfm = [{ artist = "Chanyeol & Punch", track = "Stay With Me" }]
"#;
    let summary = collect_once(&store, &watch(one_track), &env).unwrap();
    assert_eq!(summary.failures().count(), 0, "{:#?}", summary.subjects);
    assert_eq!(server.count("/2.0/"), 3);
    assert_eq!(clock.sleeps().len(), 2, "a backoff after each passing error");
    assert_eq!(rows(&store, SNAPSHOTS), 2, "the track's playcount and listeners, once");

    // An error that is the request's own (6: no such track) is not asked again.
    let server = Server::start(|_| Canned::json(r#"{"error":6,"message":"Track not found","links":[]}"#));
    let env = environment(&server.base, FakeClock::at(start_time()), Arc::new(UreqTransport::default()));
    let summary = collect_once(&store, &watch(one_track), &env).unwrap();
    let failure = summary.failures().next().unwrap();
    assert!(failure.error.as_deref().unwrap().contains("Last.fm error 6"), "{failure:?}");
    assert_eq!(server.count("/2.0/"), 1);
}

#[test]
fn listens_of_one_second_cut_by_a_page_end_are_each_stored_once() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    // 1,500 listens a minute apart, newest first, but the 999th to the 1,002nd share one second:
    // the first page of 1,000 ends inside it.
    let start = start_time().timestamp();
    let mut times: Vec<i64> = (0..1500).map(|index| start - 3600 - index * 60).collect();
    for index in 999..1002 {
        times[index] = times[998];
    }
    let world = Arc::new(World { listens: times, ..Arc::try_unwrap(World::new(fakes::flat_views)).ok().unwrap() });
    let server = world_server(world);
    let env = environment(&server.base, FakeClock::at(start_time()), Arc::new(UreqTransport::default()));
    let only_listens = "[listenbrainz]\nusers = [\"rob\"]\n";
    let summary = collect_once(&store, &watch(only_listens), &env).unwrap();
    assert_eq!(summary.failures().count(), 0, "{:#?}", summary.subjects);
    assert_eq!(server.count("/1/user/rob/listens"), 2);
    assert_eq!(rows(&store, LISTENS), 1500);

    // A first collection goes back `backfill_days` only: of the 1,500 (the newest an hour
    // before the start, then one a minute back), 1,380 are within the last day.
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let one_day = "[listenbrainz]\nusers = [\"rob\"]\n[settings]\nbackfill_days = 1\n";
    let summary = collect_once(&store, &watch(one_day), &env).unwrap();
    assert_eq!(summary.failures().count(), 0, "{:#?}", summary.subjects);
    assert_eq!(rows(&store, LISTENS), 1380);
}

#[test]
fn a_subject_that_keeps_failing_is_given_up_on_and_named() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let failures = (0..10).map(|_| Canned::status(502, "bad gateway")).collect();
    let server = failing_first(World::new(fakes::flat_views), failures);
    let env = environment(&server.base, FakeClock::at(start_time()), Arc::new(UreqTransport::default()));
    let summary = collect_once(&store, &watch(ONE_ARTICLE), &env).unwrap();
    let failure = summary.failures().next().unwrap();
    assert_eq!(failure.subject, "en.wikipedia/Guardian:_The_Lonely_and_Great_God");
    assert!(failure.error.as_deref().unwrap().contains("gave up after 4 attempts"), "{failure:?}");
    assert_eq!(server.count("/api/rest_v1"), 4);
}

#[test]
fn a_timeout_is_retried() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let world = World::new(fakes::flat_views);
    let slow_once = AtomicBool::new(true);
    let server = Server::start(move |request| {
        let answer = world.answer(request);
        if slow_once.swap(false, Ordering::SeqCst) {
            return answer.delayed(Duration::from_millis(1500));
        }
        answer
    });
    let clock = FakeClock::at(start_time());
    let env = environment(&server.base, clock.clone(), Arc::new(UreqTransport::default()));
    let summary = collect_once(&store, &watch(ONE_ARTICLE), &env).unwrap();
    assert_eq!(summary.failures().count(), 0, "{:#?}", summary.subjects);
    assert_eq!(server.count("/api/rest_v1"), 2);
    assert_eq!(clock.sleeps().len(), 1, "one backoff after the timeout");
}

#[test]
fn truncated_and_malformed_answers_fail_only_their_subject() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let world = World::new(fakes::flat_views);
    let server = Server::start(move |request| {
        if request.path.contains("/Truncated/") {
            return Canned::json(
                r#"{"items":[{"project":"en.wikipedia","article":"Truncated","granularity":"daily","timest"#,
            );
        }
        if request.path.contains("/Malformed/") {
            return Canned::json(r#"{"items":[{"timestamp":"yesterday","views":"many"}]}"#);
        }
        if request.param("method") == Some("track.getInfo") {
            return Canned::json("<html>Service Unavailable</html>");
        }
        if request.path.contains("/Unread/") {
            // Wikimedia's answer for dates without data: nothing to store, not a failure.
            return Canned::status(
                404,
                r#"{"type":"https://mediawiki.org/wiki/HyperSwitch/errors/not_found","title":"Not found.","method":"get","detail":"The date(s) you used are valid, but we either do not have data for those date(s), or the project you asked for is not loaded yet."}"#,
            );
        }
        world.answer(request)
    });
    let env = environment(&server.base, FakeClock::at(start_time()), Arc::new(UreqTransport::default()));
    let list = r#"
[[song]]
id = "stay_with_me"
wikipedia = ["en.wikipedia/Truncated", "en.wikipedia/Malformed", "en.wikipedia/Fine", "en.wikipedia/Unread"]
lastfm = [{ artist = "Chanyeol & Punch", track = "Stay With Me" }]
"#;
    let summary = collect_once(&store, &watch(list), &env).unwrap();
    let mut failures: Vec<(String, String)> =
        summary.failures().map(|outcome| (outcome.subject.clone(), outcome.error.clone().unwrap())).collect();
    failures.sort();
    assert_eq!(failures.len(), 3, "{failures:#?}");
    assert_eq!(failures[0].0, "Chanyeol & Punch/Stay With Me");
    assert_eq!(failures[1].0, "en.wikipedia/Malformed");
    assert!(failures[1].1.contains("not the documented shape") && failures[1].1.contains("timestamp"), "{failures:?}");
    assert_eq!(failures[2].0, "en.wikipedia/Truncated");
    assert!(failures[2].1.contains("not JSON"), "{failures:?}");
    let fine = store.daily_counts_read("wikipedia_pageviews", &["en.wikipedia/Fine".to_string()]).unwrap();
    assert_eq!(fine.len(), 90);
    let unread = summary.subjects.iter().find(|outcome| outcome.subject == "en.wikipedia/Unread").unwrap();
    assert_eq!((unread.rows_fetched, unread.error.as_deref()), (0, None));
}

/// A transport that dies (panics, as a killed process stops) at its `crash_at`-th call.
struct Crashing {
    inner: UreqTransport,
    calls: AtomicUsize,
    crash_at: usize,
}

impl Transport for Crashing {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        if self.calls.fetch_add(1, Ordering::SeqCst) + 1 == self.crash_at {
            panic!("the process is killed here");
        }
        self.inner.send(request)
    }
}

#[test]
fn a_crash_at_any_call_then_a_resumed_run_loses_and_doubles_nothing() {
    let world = World::new(fakes::flat_views);
    let server = world_server(world);
    // Calls of the crashing run: 2 articles, 1 videos call, 1 track, 1 Last.fm page, 1 ListenBrainz page.
    for crash_at in [1, 3, 4, 5, 6] {
        let folder = tempfile::tempdir().unwrap();
        let store = Store::open(folder.path()).unwrap();
        let clock = FakeClock::at(start_time());
        // A first, whole run a day earlier, so the crash interrupts a run that has a checkpoint.
        clock.advance(chrono::Duration::days(-1));
        let env = environment(&server.base, clock.clone(), Arc::new(UreqTransport::default()));
        collect_once(&store, &watch(FULL), &env).unwrap();
        let days_before = pageview_days(&store);
        clock.advance(chrono::Duration::days(1));

        let crashing = Arc::new(Crashing { inner: UreqTransport::default(), calls: AtomicUsize::new(0), crash_at });
        let crashing_env = environment(&server.base, clock.clone(), crashing);
        let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            collect_once(&store, &watch(FULL), &crashing_env)
        }));
        assert!(crashed.is_err(), "the run crashed at call {crash_at}");
        assert_eq!(pageview_days(&store), days_before, "a crashed run commits nothing half-way");

        collect_once(&store, &watch(FULL), &env).unwrap();
        assert_eq!(pageview_days(&store), days_before + 2, "crash at {crash_at}");
        assert_eq!(rows(&store, LISTENS), 2345 + 450, "crash at {crash_at}");
        // And again: nothing is doubled.
        collect_once(&store, &watch(FULL), &env).unwrap();
        assert_eq!(pageview_days(&store), days_before + 2);
        assert_eq!(rows(&store, LISTENS), 2345 + 450);
    }
}

/// Flat around 100, then a climb to twenty times that over the last three days before the start.
fn climbing_views(_: &str, day: NaiveDate) -> u64 {
    let climb_from = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    if day >= climb_from {
        2000 + (day - climb_from).num_days() as u64 * 150
    } else {
        fakes::flat_views("", day)
    }
}

#[test]
fn a_climb_alerts_once_across_runs_and_the_webhook_body_is_signed() {
    use hmac::{Hmac, Mac};

    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let world = World::new(climbing_views);
    let server = Server::start(move |request| {
        if request.path == "/hook" {
            return Canned::status(204, "");
        }
        world.answer(request)
    });
    let clock = FakeClock::at(start_time());
    let env = environment(&server.base, clock.clone(), Arc::new(UreqTransport::default()));
    let list = format!("{ONE_ARTICLE}\n[alerts]\nwebhook_url = \"{}/hook\"\n", server.base);

    let first = collect_once(&store, &watch(&list), &env).unwrap();
    assert!(first.problems.is_empty(), "{:?}", first.problems);
    assert_eq!(first.alerts.len(), 1, "{:#?}", first.alerts);
    let alert = &first.alerts[0];
    assert_eq!(alert.kind, encore_collect::AlertKind::NewClimb);
    assert_eq!(alert.subject, "en.wikipedia/Guardian:_The_Lonely_and_Great_God");
    assert_eq!(alert.watched, vec!["goblin".to_string()]);
    assert!(alert.peak_date >= NaiveDate::from_ymd_opt(2026, 11, 28).unwrap());

    let hooks: Vec<_> = server.recorded().into_iter().filter(|request| request.path == "/hook").collect();
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0].method, "POST");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(WEBHOOK_SECRET.as_bytes()).unwrap();
    mac.update(&hooks[0].body);
    let expected: String = mac.finalize().into_bytes().iter().map(|byte| format!("{byte:02x}")).collect();
    assert_eq!(hooks[0].header("X-Encore-Signature"), Some(format!("sha256={expected}").as_str()));
    let posted: encore_collect::Alert = serde_json::from_slice(&hooks[0].body).unwrap();
    assert_eq!(&posted, alert);

    // The next runs see the same climb: no new alert, no new POST.
    for _ in 0..2 {
        clock.advance(chrono::Duration::days(1));
        let later = collect_once(&store, &watch(&list), &env).unwrap();
        assert!(later.alerts.is_empty(), "{:#?}", later.alerts);
    }
    assert_eq!(server.count("/hook"), 1);
    assert_eq!(encore_collect::alerts::list(folder.path()).unwrap(), vec![alert.clone()]);
}

/// Collects tracing output.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn files_under(folder: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path))
        } else {
            files.push(path)
        }
    }
    files
}

#[test]
fn keys_never_reach_logs_errors_or_the_store() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let world = World::new(fakes::flat_views);
    // Servers that echo the request back in their errors, key and all.
    let server = Server::start(move |request| {
        if request.path == "/youtube/v3/videos" {
            return Canned::status(500, &format!("internal error for {}", request.raw_target));
        }
        if request.param("method") == Some("track.getInfo") {
            return Canned::json(format!(
                r#"{{"error":26,"message":"Suspended API key {}"}}"#,
                request.param("api_key").unwrap()
            ));
        }
        world.answer(request)
    });
    let env = environment(&server.base, FakeClock::at(start_time()), Arc::new(UreqTransport::default()));
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let summary = tracing::subscriber::with_default(subscriber, || collect_once(&store, &watch(FULL), &env)).unwrap();

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("retrying") && logs.contains("REDACTED"), "the failures were logged: {logs}");
    let errors: Vec<String> = summary.failures().map(|outcome| outcome.error.clone().unwrap()).collect();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    let mut texts = vec![logs, errors.join("\n"), format!("{summary:?}"), format!("{env:?}")];
    for file in files_under(folder.path()) {
        texts.push(String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned());
    }
    for text in &texts {
        for key in [YOUTUBE_KEY, LASTFM_KEY, WEBHOOK_SECRET] {
            assert!(!text.contains(key), "{key} leaked into: {text}");
        }
    }
    // The keys did reach the APIs.
    assert!(server.recorded().iter().any(|request| request.param("key") == Some(YOUTUBE_KEY)));
}

#[test]
fn run_every_collects_until_stopped_and_sleeps_on_the_clock() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let server = world_server(World::new(fakes::flat_views));
    let clock = FakeClock::at(start_time());
    let env = environment(&server.base, clock.clone(), Arc::new(UreqTransport::default()));
    let stop = AtomicBool::new(false);
    let mut runs = 0;
    run_every(&store, &watch(ONE_ARTICLE), &env, Duration::from_secs(6 * 3600), &stop, |result| {
        assert!(result.is_ok());
        runs += 1;
        if runs == 3 {
            stop.store(true, Ordering::SeqCst);
        }
    });
    assert_eq!(runs, 3);
    // Two whole waits of six hours; the third was cut short by the stop.
    assert_eq!(clock.now() - start_time(), chrono::Duration::hours(12));
}

const ONE_LISTENER: &str = r#"
[listenbrainz]
users = ["rob"]
"#;

#[test]
fn a_rate_limit_reset_is_waited_out_and_a_long_retry_after_fails_the_subject_only() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let world = World::new(fakes::flat_views);
    let limited_once = AtomicBool::new(true);
    let server = Server::start(move |request| {
        if request.path.starts_with("/1/user/") && limited_once.swap(false, Ordering::SeqCst) {
            return Canned::status(429, "")
                .with_header("X-RateLimit-Remaining", "0")
                .with_header("X-RateLimit-Reset-In", "12");
        }
        if request.path.contains("/Busy/") {
            return Canned::status(503, "").with_header("Retry-After", "86400");
        }
        world.answer(request)
    });
    let clock = FakeClock::at(start_time());
    let env = environment(&server.base, clock.clone(), Arc::new(UreqTransport::default()));
    let list = format!("{ONE_LISTENER}\n[[drama]]\nid = \"goblin\"\nwikipedia = [\"en.wikipedia/Busy\"]\n");
    let summary = collect_once(&store, &watch(&list), &env).unwrap();
    assert!(clock.sleeps().contains(&Duration::from_secs(12)), "{:?}", clock.sleeps());
    assert_eq!(rows(&store, LISTENS), 2345);
    let failures: Vec<_> = summary.failures().collect();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].subject, "en.wikipedia/Busy");
    assert!(failures[0].error.as_deref().unwrap().contains("asks to wait 86400 s"), "{failures:?}");
    assert_eq!(server.count("/api/rest_v1"), 1, "a day-long Retry-After is not waited out");
}

#[test]
fn the_example_watch_list_fills_a_store_from_the_test_server() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let server = world_server(World::new(fakes::flat_views));
    let env = environment(&server.base, FakeClock::at(start_time()), Arc::new(UreqTransport::default()));
    let example = WatchList::from_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/watch.toml")).unwrap();
    let summary = collect_once(&store, &example, &env).unwrap();
    assert_eq!(summary.failures().count(), 0, "{:#?}", summary.subjects);
    // Three articles of 90 days, every listen and scrobble, two videos and two tracks' counters.
    assert_eq!(summary.rows_stored, 3 * 90 + 2345 + 450);
    assert_eq!(summary.snapshots_stored, 2 * 3 + 2 * 2);
}
