//! The real `encore` binary ingesting real and hand-written files: the quarantine of rejected
//! rows, and `encore unmatched` pointing at the catalog song an unmatched row most likely is.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn encore(arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_encore"))
        .args(arguments)
        .current_dir(project_root())
        .env_remove("ENCORE_STORE")
        .env_remove("ENCORE_CATALOG")
        .output()
        .expect("the encore binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn succeed(arguments: &[&str]) -> String {
    let output = encore(arguments);
    assert!(output.status.success(), "{arguments:?}: {}\n{}", text(&output.stdout), text(&output.stderr));
    text(&output.stdout)
}

#[test]
fn every_rejected_row_lands_in_the_quarantine_file() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let fixtures = project_root().join("crates/encore-ingest/tests/fixtures");
    let stdout = succeed(&["ingest", fixtures.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    let quarantine_line =
        stdout.lines().find(|line| line.starts_with("quarantine: ")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(quarantine_line.starts_with("quarantine: 5 rejected rows written to "), "{quarantine_line}");
    let files: Vec<PathBuf> =
        std::fs::read_dir(store.join("quarantine")).unwrap().map(|entry| entry.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(quarantine_line.ends_with(&files[0].display().to_string()));
    let quarantined = std::fs::read_to_string(&files[0]).unwrap();
    let lines: Vec<&str> = quarantined.lines().collect();
    assert_eq!(lines[0], "file,line,field,reason");
    assert_eq!(lines.len(), 6, "{quarantined}");
    assert!(lines.iter().any(|line| line.contains("gaon_20160409.csv,4,순위,")), "{quarantined}");
    for chart in ["Spotify weekly Top 200", "Billboard Global 200", "Circle weekly digital Top 200"] {
        assert!(stdout.contains(chart), "{stdout}");
    }
}

#[test]
fn unmatched_rows_show_their_nearest_catalog_songs() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let melon_2022 = project_root().join("../shared/data/melon-year-end/kr_song_chart_2022_data.csv");
    succeed(&["ingest", melon_2022.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    let arguments = ["unmatched", "--store", store.to_str().unwrap(), "--chart", "melon_year_end", "--limit", "1000"];
    let table = succeed(&arguments);
    let row = table.lines().find(|line| line.contains("너의 모든 순간")).unwrap_or_else(|| panic!("{table}"));
    assert!(row.contains("성시경") && row.contains("every_moment_of_you ("), "{row}");
    let json: serde_json::Value = serde_json::from_str(&succeed(&[&arguments[..], &["--json"]].concat())).unwrap();
    let group = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|group| group["title"] == "너의 모든 순간" && group["artist"] == "성시경")
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(group["nearest"][0]["song_id"], "every_moment_of_you");
    assert_eq!(group["nearest"][0]["artist_matches"], true);
    let bad_chart = encore(&["unmatched", "--store", store.to_str().unwrap(), "--chart", "gaon"]);
    assert_eq!(bad_chart.status.code(), Some(2), "{}", text(&bad_chart.stderr));
}

/// The table `encore sql` prints for `query`, with its runs of spaces collapsed.
fn sql(store: &Path, query: &str) -> String {
    let stdout = succeed(&["sql", "--store", store.to_str().unwrap(), query]);
    stdout.lines().map(|line| line.split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n")
}

#[test]
fn counts_and_listens_are_stored_and_listens_matched_to_songs() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let series = project_root().join("crates/encore-ingest/tests/fixtures/series");
    let stdout = succeed(&["ingest", series.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    for label in ["Wikipedia pageviews", "YouTube/social counts", "Last.fm listens", "ListenBrainz listens"] {
        assert!(stdout.contains(label), "{stdout}");
    }
    let counts = sql(&store, "SELECT source, subject, date, count FROM daily_counts ORDER BY source, date");
    assert!(
        counts
            .contains("| wikipedia_pageviews | en.wikipedia/Guardian:_The_Lonely_and_Great_God | 2016-12-03 | 2874 |"),
        "{counts}"
    );
    assert!(counts.contains("| youtube_views | EOiq5Pr1HSg | 2019-09-08 | 501234567 |"), "{counts}");
    let listens =
        sql(&store, "SELECT source, song_id, count(*) AS n FROM listens GROUP BY source, song_id ORDER BY 1, 2");
    assert!(listens.contains("| lastfm | first_snow | 2 |"), "{listens}");
    assert!(listens.contains("| listenbrainz | stay_with_me | 1 |"), "{listens}");
    let ratings =
        sql(&store, "SELECT drama_id, episode, nielsen_nationwide_pct, basis FROM episode_ratings ORDER BY air_date");
    assert!(ratings.contains("| goblin | 16 | 18.68 | |"), "{ratings}");
    // Bad rows of every series file are quarantined.
    let quarantine = std::fs::read_dir(store.join("quarantine")).unwrap().next().unwrap().unwrap().path();
    let quarantined = std::fs::read_to_string(quarantine).unwrap();
    assert!(quarantined.contains("lastfm-scrobbles.csv,5,timestamp,"), "{quarantined}");
    assert!(quarantined.contains("pageviews-goblin.json,3,views,"), "{quarantined}");
    assert!(quarantined.contains("ratings.csv,4,nielsen_nationwide_pct,"), "{quarantined}");
    // Again: every file is held already, so nothing is added.
    let again = succeed(&["ingest", series.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    assert!(again.lines().any(|line| line.starts_with("Last.fm listens") && line.contains(" 1 ")), "{again}");
    assert!(sql(&store, "SELECT count(*) AS n FROM listens").contains("| 5 |"));
}

#[test]
fn drama_lists_load_with_their_dates_and_episode_counts() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let data = project_root().join("../shared/data");
    let mydramalist = data.join("mydramalist/korean_drama.csv");
    let kowiki = data.join("kowiki-dramas/results.csv");
    let stdout = succeed(&[
        "ingest",
        mydramalist.to_str().unwrap(),
        kowiki.to_str().unwrap(),
        "--store",
        store.to_str().unwrap(),
    ]);
    assert!(stdout.contains("MyDramaList dramas") && stdout.contains("Korean wiki dramas"), "{stdout}");
    let goblin = sql(
        &store,
        "SELECT source, title, premiere, finale, episodes, network FROM drama_metadata \
         WHERE title IN ('Goblin', '도깨비') ORDER BY source",
    );
    assert!(goblin.contains("| korean_wiki | 도깨비 | 2016-12-02 | 2017-01-21 | 16 | tvN |"), "{goblin}");
    assert!(goblin.contains("| mydramalist | Goblin | 2016-12-02 | 2017-01-21 | 16 | tvN |"), "{goblin}");
    let padded_date = sql(&store, "SELECT premiere, episodes FROM drama_metadata WHERE title = 'Sing My Crush'");
    assert!(padded_date.contains("| 2023-08-02 | 8 |"), "{padded_date}");
    let totals = sql(&store, "SELECT source, count(*) AS n FROM drama_metadata GROUP BY source ORDER BY source");
    assert!(totals.contains("| mydramalist | 1752 |"), "{totals}");
}

#[test]
fn format_names_any_source_and_a_wrong_name_is_the_users_error() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let ratings = project_root().join("crates/encore-ingest/tests/fixtures/series/ratings.csv");
    let stdout = succeed(&[
        "ingest",
        ratings.to_str().unwrap(),
        "--format",
        "episode-ratings",
        "--store",
        store.to_str().unwrap(),
    ]);
    assert!(stdout.contains("episode ratings"), "{stdout}");
    assert!(sql(&store, "SELECT count(*) AS n FROM episode_ratings").contains("| 2 |"));
    let wrong = encore(&["ingest", ratings.to_str().unwrap(), "--format", "gaon", "--store", store.to_str().unwrap()]);
    assert_eq!(wrong.status.code(), Some(2));
}
