//! `encore collect` and `encore alerts` end to end: the real binary collects the example watch
//! list from the collectors' loopback replay of every public API (the one their own tests use),
//! a second run adds no pageview twice, the keys never reach the output or the store, and the
//! server shows the song's collected series.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::{fakes, server};

use crate::support::{files_under, project_root, text};

fn encore(arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_encore"))
        .args(arguments)
        .env("YOUTUBE_API_KEY", fakes::YOUTUBE_KEY)
        .env("LASTFM_API_KEY", fakes::LASTFM_KEY)
        .env_remove("ENCORE_STORE")
        .output()
        .unwrap()
}

fn sql_count(store: &Path, query: &str) -> u64 {
    let output = encore(&["sql", "--store", store.to_str().unwrap(), "--format", "json", query]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let rows: Value = serde_json::from_slice(&output.stdout).unwrap();
    rows[0]["n"].as_u64().unwrap_or_else(|| panic!("no count in {rows}"))
}

#[test]
fn collects_the_watch_list_resumes_without_doubling_and_shows_the_song_series() {
    // The binary runs on the real clock: the world's listens are the last days' from now.
    let world = fakes::World::anchored(fakes::flat_views, chrono::Utc::now());
    let apis = server::Server::start(move |request| world.answer(request));
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let store_arg = store.to_str().unwrap();
    let catalog = encore(&["catalog", "--store", store_arg]);
    assert!(catalog.status.success(), "{}", text(&catalog.stderr));
    let watch = project_root().join("crates/encore-collect/examples/watch.toml");
    let collect = || {
        encore(&[
            "collect",
            "--once",
            "--config",
            watch.to_str().unwrap(),
            "--store",
            store_arg,
            "--base-url",
            &apis.base,
            "--contact",
            "tests@example.com",
        ])
    };

    let first = collect();
    let (stdout, stderr) = (text(&first.stdout), text(&first.stderr));
    assert!(first.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("rows stored") && stdout.contains("wikimedia"), "{stdout}");
    for output in [&stdout, &stderr] {
        assert!(!output.contains(fakes::YOUTUBE_KEY) && !output.contains(fakes::LASTFM_KEY), "a key leaked: {output}");
    }
    let pageviews = "SELECT count(*) AS n FROM daily_counts WHERE source = 'wikipedia_pageviews'";
    let days = sql_count(&store, pageviews);
    assert!(days >= 3 * 80, "only {days} pageview days for three articles");
    let listens = sql_count(&store, "SELECT count(*) AS n FROM listens");
    assert!(listens > 0);
    let snapshots = sql_count(&store, "SELECT count(*) AS n FROM snapshots");
    assert!(snapshots > 0);

    // A second run the same day: no pageview day or listen again, new snapshots of the counters.
    let second = collect();
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert_eq!(sql_count(&store, pageviews), days);
    assert_eq!(sql_count(&store, "SELECT count(*) AS n FROM listens"), listens);
    assert!(sql_count(&store, "SELECT count(*) AS n FROM snapshots") > snapshots);
    for file in files_under(&store) {
        let bytes = std::fs::read(&file).unwrap();
        let stored = String::from_utf8_lossy(&bytes);
        assert!(!stored.contains(fakes::YOUTUBE_KEY) && !stored.contains(fakes::LASTFM_KEY), "{}", file.display());
    }

    let alerts = encore(&["alerts", "--store", store_arg]);
    assert!(alerts.status.success(), "{}", text(&alerts.stderr));

    // The server shows Stay With Me's collected series: its article's pageviews and its video's
    // and track's daily increases.
    let base = crate::server_support::serve(encore_server::ServerConfig::new(store.clone()));
    let collected = ureq::get(&format!("{base}/api/songs/stay_with_me/collected")).call().unwrap();
    let answer: Value = collected.into_json().unwrap();
    assert_eq!(answer["watched"], true, "{answer}");
    let sources: Vec<&str> =
        answer["series"].as_array().unwrap().iter().map(|series| series["source"].as_str().unwrap()).collect();
    assert!(sources.contains(&"wikipedia_pageviews"), "{sources:?}");
    let pageviews =
        answer["series"].as_array().unwrap().iter().find(|series| series["source"] == "wikipedia_pageviews");
    assert!(pageviews.unwrap()["points"].as_array().unwrap().len() >= 80);
    let unwatched: Value =
        ureq::get(&format!("{base}/api/songs/first_snow/collected")).call().unwrap().into_json().unwrap();
    assert_eq!(unwatched["watched"], false);
}

#[test]
fn a_bad_interval_or_watch_list_is_the_users_mistake() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let bad_interval =
        encore(&["collect", "--every", "6 weeks", "--config", "x.toml", "--store", store.to_str().unwrap()]);
    assert_eq!(bad_interval.status.code(), Some(2), "{}", text(&bad_interval.stderr));
    let watch = folder.path().join("watch.toml");
    std::fs::write(&watch, "[[song]]\nid = \"x\"\nyoutube = [\"abc\"]\napi_key = \"sneaky-value\"\n").unwrap();
    let refused =
        encore(&["collect", "--once", "--config", watch.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    assert!(!refused.status.success());
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("watch.toml") && !stderr.contains("sneaky-value"), "{stderr}");
}
