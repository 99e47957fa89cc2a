//! The real `encore` binary ingesting real and hand-written files: the quarantine of rejected
//! rows, sub-folders and skipped files named in the summary, exit codes for partial loads and
//! Ctrl-C, rows stored as the store counts them, and `encore unmatched` pointing at the catalog
//! song an unmatched row most likely is.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{files_under, project_root, run, succeed, text};

/// Runs the binary, checks its exit code, and returns its standard output and error.
fn exits_with(code: i32, arguments: &[&str]) -> (String, String) {
    let output = run(arguments);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(code), "{arguments:?}:\n{stdout}\n{stderr}");
    (stdout, stderr)
}

#[test]
fn every_rejected_row_lands_in_the_quarantine_file() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let fixtures = project_root().join("crates/encore-ingest/tests/fixtures");
    let (stdout, _) =
        exits_with(3, &["ingest", fixtures.to_str().unwrap(), "--no-recurse", "--store", store.to_str().unwrap()]);
    let quarantine_line =
        stdout.lines().find(|line| line.starts_with("quarantine: ")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        quarantine_line.starts_with("quarantine: 5 rejected rows and 0 skipped files written to "),
        "{quarantine_line}"
    );
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
    // MeloMance's 고백 is not an OST: it stays unmatched, with the band's catalog song nearest.
    let row = table
        .lines()
        .find(|line| line.contains("고백") && line.contains("멜로망스"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(row.contains("love_maybe ("), "{row}");
    let json: serde_json::Value = serde_json::from_str(&succeed(&[&arguments[..], &["--json"]].concat())).unwrap();
    let group = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|group| group["title"] == "고백" && group["artist"] == "멜로망스")
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(group["nearest"][0]["artist_matches"], true, "{group}");
    let nearest: Vec<&str> =
        group["nearest"].as_array().unwrap().iter().filter_map(|candidate| candidate["song_id"].as_str()).collect();
    assert!(nearest.contains(&"love_maybe"), "{nearest:?}");
    // The OSTs of the list now match their catalog songs, the ones re-charting years on included.
    assert!(!table.contains("너의 모든 순간"), "{table}");
    let bad_chart = run(&["unmatched", "--store", store.to_str().unwrap(), "--chart", "gaon"]);
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
    let (stdout, _) = exits_with(3, &["ingest", series.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    for label in [
        "Wikipedia pageviews",
        "YouTube/social counts",
        "Spotify account streaming history",
        "skipped: 3 podcast or audiobook plays",
    ] {
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
    assert!(listens.contains("| lastfm | first_snow | 3 |"), "{listens}");
    assert!(listens.contains("| listenbrainz | stay_with_me | 2 |"), "{listens}");
    assert!(listens.contains("| spotify_account | stay_with_me | 1 |"), "{listens}");
    assert!(listens.contains("| spotify_extended | first_snow | 1 |"), "{listens}");
    let ratings =
        sql(&store, "SELECT drama_id, episode, nielsen_nationwide_pct, basis FROM episode_ratings ORDER BY air_date");
    assert!(ratings.contains("| goblin | 16 | 18.68 | |"), "{ratings}");
    // Bad rows of every series file are quarantined.
    let quarantine = std::fs::read_dir(store.join("quarantine")).unwrap().next().unwrap().unwrap().path();
    let quarantined = std::fs::read_to_string(quarantine).unwrap();
    assert!(quarantined.contains("lastfm-scrobbles.csv,5,timestamp,"), "{quarantined}");
    assert!(quarantined.contains("Streaming_History_Audio_2023.json,73,ts,"), "{quarantined}");
    assert!(quarantined.contains("listenbrainz-listens.jsonl,5,user_name,listen of user jisoo"), "{quarantined}");
    assert!(quarantined.contains("pageviews-goblin.json,3,views,"), "{quarantined}");
    assert!(quarantined.contains("ratings.csv,4,nielsen_nationwide_pct,"), "{quarantined}");
    // Again: every file is held already, so nothing is added, and that is everything asked.
    let again = succeed(&["ingest", series.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    let listens_line = again.lines().find(|line| line.starts_with("listens ")).unwrap_or_default();
    assert_eq!(listens_line.split_whitespace().collect::<Vec<_>>().get(1..4), Some(&["6", "6", "0"][..]), "{again}");
    assert!(sql(&store, "SELECT count(*) AS n FROM listens").contains("| 14 |"));
}

#[test]
fn a_spotify_history_leaves_no_ip_address_user_agent_or_platform_in_the_store() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let history = project_root().join("crates/encore-ingest/tests/fixtures/series/Streaming_History_Audio_2023.json");
    let fixture = std::fs::read_to_string(&history).unwrap();
    let personal = ["203.0.113.42", "198.51.100.7", "EncoreFixtureAgent", "SM-S918N"];
    for text in personal {
        assert!(fixture.contains(text), "the fixture holds {text}");
    }
    let (stdout, _) = exits_with(3, &["ingest", history.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    assert!(stdout.contains("skipped: 2 podcast or audiobook plays"), "{stdout}");
    let stored = sql(&store, "SELECT user, country, ms_played, reason_end FROM listens ORDER BY listened_at");
    assert!(stored.contains("| minji | KR | 196000 | fwdbtn |"), "{stored}");
    let files = files_under(&store);
    assert!(files.iter().any(|file| file.extension().is_some_and(|extension| extension == "parquet")));
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for text in personal {
            let found = bytes.windows(text.len()).any(|window| window == text.as_bytes());
            assert!(!found, "{} holds {text}", file.display());
        }
    }
}

#[test]
fn a_log_naming_no_listener_is_the_given_listeners_or_else_its_folders() {
    let folder = tempfile::tempdir().unwrap();
    let export = folder.path().join("jisoo");
    std::fs::create_dir(&export).unwrap();
    let fixture = project_root().join("crates/encore-ingest/tests/fixtures/series/StreamingHistory_music_0.json");
    std::fs::copy(fixture, export.join("StreamingHistory_music_0.json")).unwrap();
    let users = |store: &Path| sql(store, "SELECT DISTINCT user FROM listens");
    let by_folder = folder.path().join("by-folder");
    exits_with(3, &["ingest", export.to_str().unwrap(), "--store", by_folder.to_str().unwrap()]);
    assert!(users(&by_folder).contains("| jisoo |"), "{}", users(&by_folder));
    let given = folder.path().join("given");
    let store = given.to_str().unwrap();
    exits_with(3, &["ingest", export.to_str().unwrap(), "--store", store, "--listener", "hana"]);
    assert!(users(&given).contains("| hana |") && !users(&given).contains("jisoo"), "{}", users(&given));
}

#[test]
fn search_interest_loads_once_with_its_units_and_keywords_matched_to_the_catalog() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let search = project_root().join("crates/encore-ingest/tests/fixtures/search");
    let (stdout, stderr) = exits_with(3, &["ingest", search.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    for label in ["Naver DataLab search interest", "Google Trends search interest"] {
        assert!(stdout.contains(label), "{stdout}");
    }
    // Four files, none held before, 87 rows stored, none replaced, four rejected.
    assert_eq!(dataset_line(&stdout, "search_interest")[1..6], ["4", "0", "87", "0", "4"], "{stdout}");
    assert!(stderr.contains("naver-datalab-weekly-euc-kr.csv:10: field `날짜`"), "{stderr}");
    assert_eq!(count(&store, "SELECT count(*) AS n FROM search_interest"), 87);
    let units = sql(
        &store,
        "SELECT source, unit, period, geo, count(*) AS n FROM search_interest GROUP BY 1, 2, 3, 4 ORDER BY 1, 3, 4",
    );
    for row in [
        "| google_trends | google_trends_index | day | South Korea | 26 |",
        "| google_trends | google_trends_index | week | Worldwide | 24 |",
        "| naver_datalab | naver_relative_index | day | kr | 13 |",
        "| naver_datalab | naver_relative_index | week | kr | 24 |",
    ] {
        assert!(units.contains(row), "{row} missing from:\n{units}");
    }
    assert_eq!(count(&store, "SELECT count(*) AS n FROM search_interest WHERE below_one AND value = 0.5"), 12);
    let matched = sql(&store, "SELECT DISTINCT keyword, song_id, drama_id FROM search_interest ORDER BY keyword");
    for row in [
        "| Business Proposal | | business_proposal |",
        "| Love Maybe | | |",
        "| Twenty-Five Twenty-One | | twenty_five_twenty_one |",
        "| 사내맞선 | | business_proposal |",
        "| 사랑인가 봐 | love_maybe | |",
        "| 스물다섯 스물하나 | | twenty_five_twenty_one |",
    ] {
        assert!(matched.contains(row), "{row} missing from:\n{matched}");
    }
    let peak = sql(&store, "SELECT date, value FROM search_interest WHERE source = 'naver_datalab' AND keyword = '스물다섯 스물하나' ORDER BY value DESC LIMIT 1");
    assert!(peak.contains("| 2022-03-14 | 100.0 |"), "{peak}");
    let quarantine = std::fs::read_dir(store.join("quarantine")).unwrap().next().unwrap().unwrap().path();
    let quarantined = std::fs::read_to_string(quarantine).unwrap();
    assert!(quarantined.contains("naver-datalab-daily.csv,14,사랑인가 봐,"), "{quarantined}");
    assert!(quarantined.contains("multiTimeline-daily.csv,8,사랑인가 봐: (South Korea),"), "{quarantined}");
    assert!(quarantined.contains("multiTimeline-weekly.csv,10,Week,"), "{quarantined}");
    // Again: every file is held, nothing is added.
    let again = succeed(&["ingest", search.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    assert_eq!(dataset_line(&again, "search_interest")[1..4], ["4", "4", "0"], "{again}");
    assert_eq!(count(&store, "SELECT count(*) AS n FROM search_interest"), 87);
}

#[test]
fn drama_lists_load_with_their_dates_and_episode_counts() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let data = project_root().join("../shared/data");
    let mydramalist = data.join("mydramalist/korean_drama.csv");
    let kowiki = data.join("kowiki-dramas/results.csv");
    // The Korean wiki list has rows without a day or an episode count: a partial load, exit 3,
    // with each rejected row named and the rest stored.
    let (stdout, stderr) = exits_with(
        3,
        &["ingest", mydramalist.to_str().unwrap(), kowiki.to_str().unwrap(), "--store", store.to_str().unwrap()],
    );
    assert!(stdout.contains("MyDramaList dramas") && stdout.contains("Korean wiki dramas"), "{stdout}");
    assert!(stderr.contains("results.csv:6: field `방송 횟수`"), "{stderr}");
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
    let (stdout, _) = exits_with(
        3,
        &["ingest", ratings.to_str().unwrap(), "--format", "episode-ratings", "--store", store.to_str().unwrap()],
    );
    assert!(stdout.contains("episode ratings"), "{stdout}");
    assert!(sql(&store, "SELECT count(*) AS n FROM episode_ratings").contains("| 2 |"));
    let wrong = run(&["ingest", ratings.to_str().unwrap(), "--format", "oricon", "--store", store.to_str().unwrap()]);
    assert_eq!(wrong.status.code(), Some(2));
}

/// The summary line of `dataset`, split into its columns: dataset, files, held, stored, replaced,
/// rejected, matched, source.
fn dataset_line(stdout: &str, dataset: &str) -> Vec<String> {
    let line =
        stdout.lines().find(|line| line.starts_with(&format!("{dataset} "))).unwrap_or_else(|| panic!("{stdout}"));
    line.split_whitespace().map(str::to_string).collect()
}

/// The one number `encore sql` prints for a `count(*)` query.
fn count(store: &Path, query: &str) -> u64 {
    let table = sql(store, query);
    let digits: String = table.lines().nth(3).unwrap_or_default().chars().filter(char::is_ascii_digit).collect();
    digits.parse().unwrap_or_else(|_| panic!("{table}"))
}

/// A folder of links to the first `weeks` real Billboard weeks.
fn billboard_weeks(into: &Path, weeks: usize) {
    let source = project_root().join("../shared/data/billboard-hot-100");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&source).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.sort();
    std::fs::create_dir_all(into).unwrap();
    for file in &files[..weeks] {
        std::os::unix::fs::symlink(file, into.join(file.file_name().unwrap())).unwrap();
    }
}

#[test]
fn the_catalog_folder_is_a_partial_load_that_names_its_catalog_files() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let catalog = project_root().join("catalog");
    let (_, stderr) = exits_with(3, &["ingest", catalog.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    for file in ["dramas.csv", "songs.csv", "events.csv", "artists.csv"] {
        let line = stderr
            .lines()
            .find(|line| line.starts_with("skipped: ") && line.contains(&format!("/{file}: ")))
            .unwrap_or_else(|| panic!("{file} not named: {stderr}"));
        assert!(line.contains("a catalog file") && line.contains("encore catalog"), "{line}");
    }
}

#[test]
fn sub_folders_are_walked_and_named_and_an_unrecognised_file_is_a_partial_load() {
    let folder = tempfile::tempdir().unwrap();
    let charts = folder.path().join("charts");
    billboard_weeks(&charts.join("billboard"), 2);
    std::fs::write(charts.join("notes.txt"), "to do: find the 2016 Circle charts").unwrap();
    let spotify_day = "regional-kr-daily-2025-01-01.csv";
    std::fs::copy(
        project_root().join("../shared/data/spotify-kr-daily-2025").join(spotify_day),
        charts.join(spotify_day),
    )
    .unwrap();
    let store = folder.path().join("store");
    let (stdout, stderr) = exits_with(3, &["ingest", charts.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    let hot100 = dataset_line(&stdout, "billboard_hot100");
    assert_eq!(hot100[1..4], ["2", "0", "200"], "{stdout}");
    // The folder table names the sub-folder with its files and rows, and the top with its skip.
    let sub_folder = charts.join("billboard").display().to_string();
    let sub_line = stdout.lines().find(|line| line.starts_with(&sub_folder)).unwrap_or_else(|| panic!("{stdout}"));
    assert_eq!(sub_line.split_whitespace().collect::<Vec<_>>()[1..5], ["2", "200", "0", "0"], "{sub_line}");
    let top = charts.display().to_string();
    let top_line = stdout.lines().find(|line| line.split_whitespace().next() == Some(top.as_str())).unwrap();
    // files, rows stored, rows rejected, files skipped
    assert_eq!(top_line.split_whitespace().collect::<Vec<_>>()[1..5], ["2", "200", "0", "1"], "{top_line}");
    assert!(
        stderr.contains(&format!("skipped: {}: not a format Encore reads", charts.join("notes.txt").display())),
        "{stderr}"
    );
    assert!(stderr.contains("partial load: 1 file(s) skipped"), "{stderr}");
    assert_eq!(count(&store, "SELECT count(*) AS n FROM billboard_hot100"), 200);
    assert_eq!(count(&store, "SELECT count(*) AS n FROM spotify_daily"), 200);

    // --no-recurse stays at the top: the weeks in the sub-folder are not read.
    let top_only = folder.path().join("top-only-store");
    let (stdout, _) =
        exits_with(3, &["ingest", charts.to_str().unwrap(), "--no-recurse", "--store", top_only.to_str().unwrap()]);
    assert!(!stdout.contains("billboard_hot100") && !stdout.contains(&sub_folder), "{stdout}");
    assert_eq!(count(&top_only, "SELECT count(*) AS n FROM billboard_hot100"), 0);
    assert_eq!(count(&top_only, "SELECT count(*) AS n FROM spotify_daily"), 200);
}

#[test]
fn rows_stored_are_what_the_store_holds_and_a_re_ingest_stores_none() {
    let folder = tempfile::tempdir().unwrap();
    let weeks = folder.path().join("weeks");
    billboard_weeks(&weeks, 30);
    let store = folder.path().join("store");
    let stdout = succeed(&["ingest", weeks.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    let first = dataset_line(&stdout, "billboard_hot100");
    let stored: u64 = first[3].parse().unwrap();
    assert_eq!(stored, count(&store, "SELECT count(*) AS n FROM billboard_hot100"), "{stdout}");
    assert_eq!(stored, count(&store, "SELECT count(*) AS n FROM chart_entries"));
    assert!(!store.join("quarantine").exists(), "nothing was rejected, so no quarantine file");

    let again = succeed(&["ingest", weeks.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    let second = dataset_line(&again, "billboard_hot100");
    // files, held, stored
    assert_eq!(second[1..4], ["30", "30", "0"], "{again}");
    assert_eq!(stored, count(&store, "SELECT count(*) AS n FROM billboard_hot100"));
}

#[test]
fn nothing_loadable_is_exit_2_with_the_reason() {
    let folder = tempfile::tempdir().unwrap();
    let notes = folder.path().join("notes.txt");
    std::fs::write(&notes, "hello").unwrap();
    let store = folder.path().join("store");
    let (_, stderr) = exits_with(2, &["ingest", notes.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    assert!(stderr.contains("error: nothing was loaded: ") && stderr.contains("not a format Encore reads"), "{stderr}");
}

/// Ctrl-C while a file is being read: that file is finished and stored with the ones before it,
/// the files after it are listed as not read, and the exit code is 130. The file being read is a
/// named pipe, so the test knows the ingest is inside it when the signal is sent.
#[test]
fn ctrl_c_stores_what_was_read_and_names_what_was_not() {
    let folder = tempfile::tempdir().unwrap();
    let weeks = folder.path().join("weeks");
    billboard_weeks(&weeks, 3);
    let mut week_files: Vec<PathBuf> = std::fs::read_dir(&weeks).unwrap().map(|entry| entry.unwrap().path()).collect();
    week_files.sort();
    let pipe = folder.path().join("week-being-read.json");
    assert!(Command::new("mkfifo").arg(&pipe).status().unwrap().success());
    let store = folder.path().join("store");
    let child = Command::new(env!("CARGO_BIN_EXE_encore"))
        .args(["ingest", week_files[0].to_str().unwrap(), pipe.to_str().unwrap(), week_files[2].to_str().unwrap()])
        // One file at a time: the third file's reading cannot begin before the interrupt.
        .args(["--jobs", "1"])
        .args(["--store", store.to_str().unwrap()])
        .current_dir(project_root())
        .env_remove("ENCORE_STORE")
        .env_remove("ENCORE_CATALOG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Opening a pipe for writing waits until the ingest opens it for reading.
    let mut writer = std::fs::OpenOptions::new().write(true).open(&pipe).unwrap();
    let interrupt = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(interrupt.success());
    std::thread::sleep(std::time::Duration::from_millis(500));
    std::io::Write::write_all(&mut writer, &std::fs::read(&week_files[1]).unwrap()).unwrap();
    drop(writer);
    let output = child.wait_with_output().unwrap();
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(130), "{stdout}\n{stderr}");
    assert!(stdout.contains("interrupted: 200 rows stored from the files read; 1 files not read"), "{stdout}");
    assert!(stderr.contains(&format!("not read: {}", week_files[2].display())), "{stderr}");
    assert_eq!(count(&store, "SELECT count(*) AS n FROM billboard_hot100"), 200);
}

/// Korean chart files go to the dataset their site column or name says; the real Circle weekly
/// files load whole, and again add nothing.
#[test]
fn korean_charts_land_in_their_platform_and_period() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let korean = project_root().join("crates/encore-ingest/tests/fixtures/korean");
    let (stdout, _) = exits_with(3, &["ingest", korean.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    for (dataset, stored, rejected) in [
        ("genie_daily", "5", "2"),
        ("bugs_weekly", "2", "1"),
        ("melon_realtime", "2", "0"),
        ("flo_monthly", "2", "0"),
        ("vibe_year_end", "1", "1"),
        ("circle_weekly", "3", "1"),
    ] {
        let line = dataset_line(&stdout, dataset);
        assert_eq!((line[3].as_str(), line[5].as_str()), (stored, rejected), "{dataset}: {stdout}");
    }
    let circle = project_root().join("../shared/data/circle-weekly");
    let arguments = ["ingest", circle.to_str().unwrap(), "--store", store.to_str().unwrap()];
    let first = succeed(&arguments);
    assert_eq!(dataset_line(&first, "circle_weekly")[3], "20800", "{first}");
    let again = succeed(&arguments);
    assert_eq!(dataset_line(&again, "circle_weekly")[2..4], ["2", "0"], "{again}");
}

/// Every workbook of the 2022 Q1 Genie and Bugs crawl (208 files, two writers) lands in its
/// platform and period with no row rejected; a weekly chart named by its Monday is stored on its
/// Sunday; the same folder again adds nothing.
#[test]
fn the_korean_platform_workbooks_load_whole() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let charts = project_root().join("../shared/data/kr-platform-charts-2022q1");
    let arguments = ["ingest", charts.to_str().unwrap(), "--store", store.to_str().unwrap()];
    let first = succeed(&arguments);
    for (dataset, files, stored) in [
        ("genie_daily", "90", "9000"),
        ("bugs_daily", "90", "9000"),
        ("genie_weekly", "14", "1400"),
        ("bugs_weekly", "14", "1400"),
    ] {
        let line = dataset_line(&first, dataset);
        assert_eq!((line[1].as_str(), line[3].as_str(), line[5].as_str()), (files, stored, "0"), "{dataset}: {first}");
    }
    let again = succeed(&arguments);
    assert_eq!(dataset_line(&again, "genie_daily")[2..4], ["90", "0"], "{again}");
    // Genie's week of Monday 2022-01-03 is stored on Sunday 2022-01-09.
    assert_eq!(count(&store, "SELECT count(*) AS n FROM genie_weekly WHERE chart_date = '2022-01-09'"), 100);
    assert_eq!(count(&store, "SELECT count(DISTINCT chart_date) AS n FROM bugs_daily"), 90);
    // Crawled cells with line breaks and Office escapes stay one sheet row: rank n is on row n + 1.
    let misplaced =
        "SELECT count(*) AS n FROM chart_entries WHERE source_line <> rank + 1 AND chart <> 'circle_weekly'";
    assert_eq!(count(&store, misplaced), 0);
    assert_eq!(count(&store, "SELECT count(*) AS n FROM bugs_daily WHERE artist LIKE '%_x000D_%'"), 0);
    // Albums are kept (as Polars reads the same workbooks: 1,165 Bugs daily rows name an OST).
    assert_eq!(count(&store, "SELECT count(*) AS n FROM bugs_daily WHERE album LIKE '%OST%'"), 1165);
}

/// A ranked list Encore has never seen is skipped with its headers and the way out; mapped with
/// --columns and named with --chart, it loads.
#[test]
fn an_unknown_ranked_list_loads_with_columns_and_chart() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let list = folder.path().join("my-list.csv");
    std::fs::write(&list, "pos,name,by,day\n1,Drawer,10CM,2022.01.01\n2,Christmas Tree,V,2022.01.01\n").unwrap();
    let (_, stderr) = exits_with(2, &["ingest", list.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    assert!(stderr.contains("--columns rank=COL,title=COL,artist=COL,date=COL"), "{stderr}");
    let (_, stderr) = exits_with(
        2,
        &["ingest", list.to_str().unwrap(), "--chart", "genie:daily", "--store", store.to_str().unwrap()],
    );
    assert!(stderr.contains("it starts with: pos,name,by,day"), "{stderr}");
    let stdout = succeed(&[
        "ingest",
        list.to_str().unwrap(),
        "--chart",
        "genie:daily",
        "--columns",
        "rank=pos,title=name,artist=by,date=day",
        "--store",
        store.to_str().unwrap(),
    ]);
    assert_eq!(dataset_line(&stdout, "genie_daily")[3], "2", "{stdout}");
    assert_eq!(count(&store, "SELECT count(*) AS n FROM genie_daily WHERE chart_date = '2022-01-01'"), 2);
    let wrong = run(&["ingest", list.to_str().unwrap(), "--chart", "circle:daily"]);
    assert_eq!(wrong.status.code(), Some(2), "{}", text(&wrong.stderr));
}

/// `--help` lists every format of the one table of sources, with what it reads.
#[test]
fn help_lists_every_format_of_the_table() {
    let help = succeed(&["ingest", "--help"]);
    for source in &encore_ingest::SOURCES {
        assert!(help.contains(&format!("  {}", source.name)), "{} missing from:\n{help}", source.name);
    }
    assert!(help.contains("--chart <PLATFORM:PERIOD>") && help.contains("--columns <MAP>"), "{help}");
}

/// `encore discover` lists the chart rows whose album names a drama's OST and that match no
/// catalog song, with a songs.csv row; a song titled like a drama without such an album, a
/// catalog song and a plain album are not listed.
#[test]
fn discover_lists_ost_rows_the_catalog_lacks() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let chart = folder.path().join("day_genie_20220101.csv");
    std::fs::write(
        &chart,
        "날짜,순위,곡,가수,앨범\n\
         2022-01-01,1,옷소매 붉은 끝동,이준호,옷소매 붉은 끝동 OST Part.8\n\
         2022-01-01,2,\"스물다섯, 스물하나\",자우림,\"Goodbye, grief.\"\n\
         2022-01-01,3,사랑인가 봐,멜로망스,사내맞선 OST Part.1\n\
         2022-01-01,4,드라마,아이유,조각집\n",
    )
    .unwrap();
    succeed(&["ingest", chart.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    let json: serde_json::Value =
        serde_json::from_str(&succeed(&["discover", "--store", store.to_str().unwrap(), "--json"])).unwrap();
    let songs = json["songs"].as_array().unwrap();
    assert_eq!(songs.len(), 1, "{json}");
    assert_eq!(
        (songs[0]["title"].as_str(), songs[0]["drama_id"].as_str()),
        (Some("옷소매 붉은 끝동"), Some("red_sleeve"))
    );
    assert_eq!(songs[0]["ost_part"], 8);
    let row = songs[0]["catalog_row"].as_str().unwrap();
    assert!(row.starts_with("otsomae_bukeun_kkeutdong_ijunho,red_sleeve,8,,옷소매 붉은 끝동,이준호,,"), "{row}");
    let table = succeed(&["discover", "--store", store.to_str().unwrap()]);
    assert!(table.contains("songs.csv rows to check and append") && table.contains(row), "{table}");
}

#[test]
fn netflix_top10_loads_whole_once_and_a_newer_download_replaces_its_weeks() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let store_arg = store.to_str().unwrap();
    let real = project_root().join("../shared/data/netflix-top10/all-weeks-global.tsv");
    let stdout = succeed(&["ingest", real.to_str().unwrap(), "--store", store_arg]);
    // Every row of the file: its README says 10,559, but the file holds 10,560 data lines (the
    // last without a line end) and every one is a Top 10 row.
    assert_eq!(dataset_line(&stdout, "drama_viewing")[1..6], ["1", "0", "10560", "0", "0"], "{stdout}");
    assert_eq!(count(&store, "SELECT count(*) AS n FROM drama_viewing"), 10560);
    let matched = sql(
        &store,
        "SELECT drama_id, count(*) AS weeks, max(hours_viewed) AS best FROM drama_viewing \
         WHERE drama_id IN ('stranger_things_s4', 'business_proposal') GROUP BY drama_id ORDER BY drama_id",
    );
    assert!(matched.contains("| business_proposal | 13 | 41460000 |"), "{matched}");
    assert!(matched.contains("| stranger_things_s4 | 29 | 335010000 |"), "{matched}");
    // The show's other seasons and its first season (`N/A`) are not season 4.
    let other_seasons = "SELECT count(*) AS n FROM drama_viewing WHERE show_title = 'Stranger Things' \
                         AND season_title <> 'Stranger Things 4' AND drama_id IS NOT NULL";
    assert_eq!(count(&store, other_seasons), 0);

    // The same bytes again add nothing.
    let again = succeed(&["ingest", real.to_str().unwrap(), "--store", store_arg]);
    assert_eq!(dataset_line(&again, "drama_viewing")[1..4], ["1", "1", "0"], "{again}");
    // A newer download of the cumulative file (other bytes, the same weeks) replaces them.
    let newer = folder.path().join("all-weeks-global-newer.tsv");
    let mut bytes = std::fs::read(&real).unwrap();
    bytes.push(b'\n');
    std::fs::write(&newer, bytes).unwrap();
    let replaced = succeed(&["ingest", newer.to_str().unwrap(), "--store", store_arg]);
    assert_eq!(dataset_line(&replaced, "drama_viewing")[1..5], ["1", "0", "10560", "10560"], "{replaced}");
    assert_eq!(count(&store, "SELECT count(*) AS n FROM drama_viewing"), 10560);
}
