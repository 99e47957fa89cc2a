//! `encore listeners` through the real binary: every analysis runs on each real listening-log
//! format's fixture as ingested, and on generated logs, which every view labels as generated.

use crate::support::{json, project_root, run, succeed};

/// Ingests, accepting a partial load (exit 3 or success) but nothing worse.
fn ingest(arguments: &[&str]) {
    let output = run(&[&["ingest"], arguments].concat());
    assert!(output.status.code().is_some_and(|code| code == 0 || code == 3), "{arguments:?}: {output:?}");
}

fn fixture(name: &str) -> String {
    project_root().join("crates/encore-ingest/tests/fixtures/series").join(name).display().to_string()
}

#[test]
fn every_analysis_runs_on_every_real_listening_format() {
    for (file, source) in [
        ("Streaming_History_Audio_2023.json", "spotify_extended"),
        ("StreamingHistory_music_0.json", "spotify_account"),
        ("listenbrainz-export.json", "listenbrainz"),
        ("listenbrainz-listens.jsonl", "listenbrainz"),
        ("lastfm-scrobbles.csv", "lastfm"),
        ("lastfm-export.csv", "lastfm"),
    ] {
        let folder = tempfile::tempdir().unwrap();
        let store = folder.path().join("store").display().to_string();
        // Each fixture holds a bad row on purpose: a partial load, the good rows stored.
        ingest(&[&fixture(file), "--store", &store, "--listener", "fixture"]);
        let all = json(&["listeners", "show", "--json", "--time-zone", "Asia/Seoul", "--store", &store]);
        assert_eq!(all["sources"][0][0], source, "{file}");
        let listens = all["sources"][0][1].as_i64().unwrap();
        assert!(listens > 0, "{file}");
        assert_eq!(all["heatmap"]["all_plays"].as_i64(), Some(listens), "{file}: every listen in the heatmap");
        assert_eq!(all["sessions"]["all"]["plays"].as_i64(), Some(listens), "{file}");
        assert_eq!(all["playback"]["all"]["plays"].as_i64(), Some(listens), "{file}");
        let by_country: i64 =
            all["countries"]["countries"].as_array().unwrap().iter().map(|row| row["plays"].as_i64().unwrap()).sum();
        assert_eq!(by_country, listens, "{file}");
        assert!(all["airings"].is_null() && all["cohorts"].is_null(), "{file}: all music has no airings");
        // Goblin's OSTs: the airing curve and cohorts run too (on a handful of plays).
        let goblin = json(&["listeners", "show", "--json", "--drama", "goblin", "--store", &store]);
        assert_eq!(goblin["airings"]["points"].as_array().map(Vec::len), Some(120), "{file}");
        assert!(goblin["heatmap"]["plays"].as_i64().unwrap() > 0, "{file}: the fixture plays a Goblin OST");
        assert!(goblin["cohorts"]["first_plays"].is_array(), "{file}");
        let text = succeed(&["listeners", "show", "--drama", "goblin", "--store", &store]);
        assert!(!text.contains("generated listening logs"), "{file}: real logs are not labelled generated");
    }
}

#[test]
fn spotify_exports_give_completion_and_countries() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store").display().to_string();
    ingest(&[&fixture("Streaming_History_Audio_2023.json"), "--store", &store]);
    let report = json(&["listeners", "show", "--json", "--store", &store]);
    let completion = report["playback"]["all"]["completion"].as_f64().unwrap();
    assert!(completion > 0.0 && completion <= 1.0, "completion from ms_played: {completion}");
    assert_eq!(report["countries"]["countries"][0]["country"], "KR");
}

#[test]
fn generated_logs_are_labelled_and_their_sql_runs_elsewhere() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store").display().to_string();
    let said =
        succeed(&["listeners", "generate", "--listeners", "60", "--drama", "business_proposal", "--store", &store]);
    assert!(said.contains("made up"), "{said}");
    let again =
        succeed(&["listeners", "generate", "--listeners", "60", "--drama", "business_proposal", "--store", &store]);
    assert!(again.contains("already holds"), "a re-run adds nothing: {again}");
    let text = succeed(&["listeners", "show", "--drama", "business_proposal", "--store", &store]);
    assert!(text.contains("generated listening logs"), "{text}");
    let heatmap = json(&["listeners", "show", "--only", "heatmap", "--drama", "business_proposal", "--store", &store]);
    assert_eq!(heatmap["heatmap"]["cells"].as_array().map(Vec::len), Some(7));
    let tables = folder.path().join("tables");
    let tables_text = tables.display().to_string();
    let sql = succeed(&[
        "listeners",
        "sql",
        "--drama",
        "business_proposal",
        "--write-tables",
        &tables_text,
        "--store",
        &store,
    ]);
    for analysis in ["heatmap", "airings", "sessions", "playback", "cohorts", "countries"] {
        assert!(sql.contains(&format!("-- {analysis}\n")), "{analysis} in {sql}");
    }
    for table in ["zone_offsets", "airings", "ost_songs"] {
        assert!(tables.join(format!("{table}.parquet")).is_file(), "{table}");
    }
    let refused =
        run(&["listeners", "sql", "--drama", "business_proposal", "--write-tables", &tables_text, "--store", &store]);
    assert_eq!(refused.status.code(), Some(2), "a file it may not have written is never replaced");
    let plots = folder.path().join("plots");
    let plots_text = plots.display().to_string();
    let show = ["listeners", "show", "--drama", "business_proposal", "--plots", &plots_text, "--store", &store];
    succeed(&show);
    let heatmap_svg = std::fs::read_to_string(plots.join("listeners-scope-heatmap.svg")).unwrap();
    assert_eq!(heatmap_svg.matches("<rect x=").count(), 168, "a cell per weekday and hour");
    let mine = plots.join("listeners-scope-airings.svg");
    std::fs::write(&mine, "my own drawing").unwrap();
    let refused = run(&show);
    assert!(!refused.status.success());
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "my own drawing");
}
