//! `encore analyze` end to end: the real binary on a demo store built from the real data in
//! `../shared/data`, checked against what is known of the two seed cases.

use std::process::Output;

use serde_json::Value;

use crate::support::{project_root, run};

fn encore(arguments: &[&str]) -> Output {
    let output = run(arguments);
    assert!(output.status.success(), "{arguments:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    output
}

fn song<'a>(analysis: &'a Value, song_id: &str) -> &'a Value {
    analysis["songs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|song| song["song_id"] == song_id)
        .unwrap_or_else(|| panic!("no {song_id}"))
}

#[test]
fn analyze_tells_the_afterlife_of_the_seed_cases() {
    let out = tempfile::tempdir().unwrap();
    let catalog = project_root().join("catalog");
    let data = project_root().join("../shared/data");
    let store = out.path().join("store");
    encore(&[
        "demo",
        "--store",
        store.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--catalog",
        catalog.to_str().unwrap(),
    ]);
    let store = store.to_str().unwrap();

    // The stored songs' daily attention is a series the series commands take by id.
    let detected = encore(&["detect", "--song", "running_up_that_hill", "--json", "--store", store]);
    let detected: Value = serde_json::from_slice(&detected.stdout).unwrap();
    let result = &detected["results"][0];
    assert_eq!(result["unit"], "running_up_that_hill");
    assert!(!result["changepoints"].as_array().unwrap().is_empty(), "{result}");
    // Its 2022 revival (Stranger Things 4, from 2022-05-27) is a peak.
    let peaks: Vec<&str> =
        result["peaks"].as_array().unwrap().iter().map(|peak| peak["date"].as_str().unwrap()).collect();
    assert!(peaks.iter().any(|date| date.starts_with("2022-")), "{peaks:?}");
    let unknown = run(&["detect", "--song", "no_such_song", "--store", store]);
    assert_eq!(unknown.status.code(), Some(2));

    // Goblin's campaign: Stay With Me came out the day episode 2 aired, and its attention peaked
    // within 60 days; the plot is drawn.
    let plot = out.path().join("goblin-timeline.svg");
    let timeline = encore(&["timeline", "goblin", "--json", "--plot", plot.to_str().unwrap(), "--store", store]);
    let timeline: Value = serde_json::from_slice(&timeline.stdout).unwrap();
    let stay = timeline["songs"].as_array().unwrap().iter().find(|song| song["song_id"] == "stay_with_me").unwrap();
    assert_eq!(stay["release_date"], "2016-12-03");
    assert!(stay["timing"].as_str().unwrap().contains("episode 2"), "{stay}");
    assert!(stay["peak_after_release"]["attention"].as_f64().unwrap() > 50.0, "{stay}");
    assert!(std::fs::read_to_string(&plot).unwrap().starts_with("<svg"));
    assert_eq!(run(&["timeline", "no_such_drama", "--store", store]).status.code(), Some(2));

    let json = encore(&["analyze", "running_up_that_hill", "first_snow", "--json", "--store", store]);
    let analysis: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(analysis["songs"].as_array().unwrap().len(), 2);
    // The leaderboard answers for the songs asked for, with their rank among all songs.
    let ranked: Vec<&str> =
        analysis["leaderboard"].as_array().unwrap().iter().map(|row| row["song_id"].as_str().unwrap()).collect();
    assert_eq!(ranked.len(), 2, "{ranked:?}");
    assert!(ranked.contains(&"first_snow") && ranked.contains(&"running_up_that_hill"), "{ranked:?}");

    // A mistyped id is refused with the nearest ids.
    let typo = run(&["analyze", "first_snw", "--store", store]);
    assert_eq!(typo.status.code(), Some(2));
    let message = String::from_utf8_lossy(&typo.stderr);
    assert!(message.contains("no song `first_snw`") && message.contains("first_snow"), "{message}");

    // Running Up That Hill after Stranger Things 4's finale (2022-07-01): it stayed in the top half
    // of the Hot 100 for 120 more days, faded slowly (a half-life of months, not days), and came
    // back once, in January 2026.
    let hill = song(&analysis, "running_up_that_hill");
    let longevity = &hill["longevity"];
    assert_eq!(longevity["finale"], "2022-07-01");
    assert_eq!(longevity["days_above_threshold"], 120);
    assert_eq!(longevity["reentries"], 1);
    let half_life = longevity["fit"]["half_life_days"].as_f64().unwrap();
    assert!((60.0..365.0).contains(&half_life), "{half_life}");
    let interval = longevity["half_life_interval"].as_array().unwrap();
    assert!(interval[0].as_f64().unwrap() < interval[1].as_f64().unwrap());
    assert_eq!(hill["spread"][0]["region"], "us");
    assert_eq!(hill["spread"][0]["first_chart_day"], "1985-09-01");
    assert_eq!(hill["peaks"][2]["date"], "2026-01-17");

    // First Snow: Melon's 2017 year-end #1 and on Circle's weekly chart all 2017, then back in
    // January and in September-December 2020 (Circle), January 2022 (Genie, Bugs) and December
    // 2025 (Spotify Korea), nine years after Goblin's finale; all its attention is Korean.
    let snow = song(&analysis, "first_snow");
    assert_eq!(snow["longevity"]["finale"], "2017-01-21");
    let reentries = snow["longevity"]["reentries"].as_u64().unwrap();
    assert!(reentries >= 4, "{reentries}");
    assert_eq!(snow["spread"][0]["region"], "kr");
    assert_eq!(snow["spread"][0]["lag_from_korea_days"], 0);
    assert_eq!(snow["spread"][0]["share"], 1.0);
    assert!(snow["eclipse"]["score"].as_f64().unwrap() > hill["eclipse"]["score"].as_f64().unwrap());

    // The marketing table lists the release moves it found, and says when no daily series covers one.
    let marketing = analysis["marketing"].as_array().unwrap();
    assert!(marketing
        .iter()
        .any(|row| row["song_id"] == "first_snow" && row["date"] == "2017-01-07" && row["lift"].is_null()));

    // The creator's checklist: Stay With Me's music video is a catalog event; its lyric, from the
    // Melon year-end lists of the data folder, uses the essay's motifs.
    let checklist = encore(&["checklist", "stay_with_me", "--json", "--store", store]);
    let checklist: Value = serde_json::from_slice(&checklist.stdout).unwrap();
    let songs = checklist["songs"].as_array().unwrap();
    assert_eq!(songs.len(), 1);
    let item = |name: &str| songs[0]["items"].as_array().unwrap().iter().find(|item| item["item"] == name).unwrap();
    assert_eq!(item("music_video")["status"], "evidenced", "{}", item("music_video"));
    assert_eq!(item("universal_motifs")["status"], "evidenced", "{}", item("universal_motifs"));
    assert!(item("universal_motifs")["detail"].as_str().unwrap().contains("melon-year-end"));
    assert_eq!(item("production_quality")["status"], "no_data");
    // Without lyrics, universal motifs is "no data", never absent.
    let no_lyrics = tempfile::tempdir().unwrap();
    let without = encore(&[
        "checklist",
        "stay_with_me",
        "--json",
        "--store",
        store,
        "--data",
        no_lyrics.path().to_str().unwrap(),
    ]);
    let without: Value = serde_json::from_slice(&without.stdout).unwrap();
    let motifs =
        without["songs"][0]["items"].as_array().unwrap().iter().find(|item| item["item"] == "universal_motifs");
    assert_eq!(motifs.unwrap()["status"], "no_data");
    // The outcome table is over the whole catalog, each row with its n or the reason it has none.
    let outcomes = checklist["outcomes"].as_array().unwrap();
    assert!(outcomes.iter().all(|row| row["difference"].is_number() || row["not_measurable"].is_string()));
    let tables = String::from_utf8(encore(&["checklist", "--store", store]).stdout).unwrap();
    assert!(tables.contains("the catalog lists no events for this song"), "{tables}");

    // The tables people read say the same.
    let tables = String::from_utf8(encore(&["analyze", "running_up_that_hill", "--store", store]).stdout).unwrap();
    assert!(tables.contains("longevity after the finale 2022-07-01: Exponential decay"), "{tables}");
    assert!(tables.contains("120 days >= 50, 1 re-entries"), "{tables}");
    assert!(tables.contains("marketing (approach | example | measured lift"), "{tables}");
}
