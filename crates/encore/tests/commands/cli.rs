//! The command line's promises to a user's data and to the shell, on the real binary: it never
//! deletes a folder it did not write, a mistyped store is an error (never a new empty store), it
//! runs from any folder, and its output is usable (formats, a closed pipe, empty answers, the
//! tables listed).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use serde_json::Value;

use crate::support::{command_in, project_root, text};

fn run_in(folder: &Path, arguments: &[&str]) -> Output {
    command_in(folder, arguments).output().expect("the encore binary runs")
}

fn succeed_in(folder: &Path, arguments: &[&str]) -> String {
    let output = run_in(folder, arguments);
    assert!(output.status.success(), "{arguments:?} failed: {}", text(&output.stderr));
    text(&output.stdout)
}

/// A store holding one real Melon year-end list, matched against the bundled catalog.
fn small_store(folder: &Path) -> PathBuf {
    let store = folder.join("store");
    let melon = project_root().join("../shared/data/melon-year-end/kr_song_chart_2017_data.csv");
    succeed_in(folder, &["ingest", melon.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    store
}

#[test]
fn report_never_replaces_a_folder_it_did_not_write() {
    let folder = tempfile::tempdir().unwrap();
    let store = small_store(folder.path());
    let out = folder.path().join("analysis");
    std::fs::create_dir_all(out.join("report")).unwrap();
    std::fs::write(out.join("report/notes.xlsx"), "the analyst's notes").unwrap();
    std::fs::write(out.join("keep.txt"), "beside the report").unwrap();
    let arguments = ["report", "--store", store.to_str().unwrap(), "--out", out.to_str().unwrap()];

    let refused = run_in(folder.path(), &arguments);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    assert!(text(&refused.stderr).contains("--force"), "{}", text(&refused.stderr));
    assert_eq!(std::fs::read_to_string(out.join("report/notes.xlsx")).unwrap(), "the analyst's notes");

    // A folder of its own is replaced; what stands beside it is never touched.
    std::fs::remove_dir_all(out.join("report")).unwrap();
    succeed_in(folder.path(), &arguments);
    assert!(out.join("report/report.html").is_file());
    succeed_in(folder.path(), &arguments);
    assert!(out.join("report/.encore-report").is_file());
    assert_eq!(std::fs::read_to_string(out.join("keep.txt")).unwrap(), "beside the report");
}

#[test]
fn a_mistyped_store_is_an_error_for_every_reading_command_and_nothing_is_created() {
    let folder = tempfile::tempdir().unwrap();
    let typo = folder.path().join("stroe");
    for arguments in [
        vec!["sql", "SELECT 1"],
        vec!["analyze"],
        vec!["report", "--out", folder.path().join("out").to_str().unwrap()],
        vec!["unmatched"],
        vec!["serve", "--addr", "127.0.0.1:0"],
    ] {
        let mut arguments = arguments.clone();
        arguments.extend(["--store", typo.to_str().unwrap()]);
        let output = run_in(folder.path(), &arguments);
        assert_eq!(output.status.code(), Some(2), "{arguments:?}: {}", text(&output.stderr));
        let message = text(&output.stderr);
        assert!(message.contains("no store at") && message.contains("ENCORE_STORE"), "{arguments:?}: {message}");
        assert!(!typo.exists(), "{arguments:?} created the mistyped store");
    }
}

#[test]
fn runs_from_any_folder_with_the_bundled_catalog_and_says_which_setting_to_change() {
    let folder = tempfile::tempdir().unwrap();
    let home = folder.path().join("home");
    let elsewhere = folder.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let with_home = |arguments: &[&str]| command_in(&elsewhere, arguments).env("ENCORE_HOME", &home).output().unwrap();

    let loaded = with_home(&["catalog"]);
    assert!(loaded.status.success(), "{}", text(&loaded.stderr));
    assert!(text(&loaded.stdout).contains("(bundled catalog)"), "{}", text(&loaded.stdout));
    assert!(home.join("store/manifest.json").is_file(), "the store goes under ENCORE_HOME");
    let songs = with_home(&["sql", "--format", "csv", "SELECT count(*) AS songs FROM songs"]);
    assert!(text(&songs.stdout).starts_with("songs\n"), "{}", text(&songs.stdout));
    let count: u64 = text(&songs.stdout).lines().nth(1).unwrap().parse().unwrap();
    assert!(count >= 69, "{count}");

    let no_data = with_home(&["demo"]);
    assert_eq!(no_data.status.code(), Some(2));
    let message = text(&no_data.stderr);
    assert!(message.contains("--data") && message.contains("ENCORE_DATA"), "{message}");

    // A project file up the tree names the paths, relative to itself.
    std::fs::write(folder.path().join("encore.toml"), "store = \"project-store\"\n").unwrap();
    let nested = elsewhere.join("deeper");
    std::fs::create_dir_all(&nested).unwrap();
    let from_project = command_in(&nested, &["catalog"]).env("ENCORE_HOME", &home).output().unwrap();
    assert!(from_project.status.success(), "{}", text(&from_project.stderr));
    assert!(folder.path().join("project-store/manifest.json").is_file());
    std::fs::write(folder.path().join("encore.toml"), "stor = \"typo\"\n").unwrap();
    let bad_file = command_in(&nested, &["catalog"]).env("ENCORE_HOME", &home).output().unwrap();
    assert_eq!(bad_file.status.code(), Some(2));
    assert!(text(&bad_file.stderr).contains("encore.toml"), "{}", text(&bad_file.stderr));
}

#[test]
fn sql_answers_in_every_format_and_lists_its_tables() {
    let folder = tempfile::tempdir().unwrap();
    let store = small_store(folder.path());
    let store = store.to_str().unwrap();
    let query = "SELECT rank, title FROM melon_year_end WHERE rank <= 2 ORDER BY rank";

    let csv = succeed_in(folder.path(), &["sql", "--store", store, "--format", "csv", query]);
    assert_eq!(csv.lines().next(), Some("rank,title"));
    assert_eq!(csv.lines().count(), 3, "{csv}");
    let json = succeed_in(folder.path(), &["sql", "--store", store, "--format", "json", query]);
    let rows: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[0]["rank"], 1);
    let parquet = folder.path().join("top.parquet");
    let arguments = ["sql", "--store", store, "--format", "parquet", "--output", parquet.to_str().unwrap(), query];
    succeed_in(folder.path(), &arguments);
    assert_eq!(&std::fs::read(&parquet).unwrap()[..4], b"PAR1");
    let again = run_in(folder.path(), &arguments);
    assert_eq!(again.status.code(), Some(2), "an existing file is not replaced without --force");

    // An empty answer still names its columns.
    let empty = succeed_in(
        folder.path(),
        &["sql", "--store", store, "SELECT rank, title FROM melon_year_end WHERE rank > 1000"],
    );
    assert!(empty.contains("| rank | title |"), "{empty}");
    assert!(empty.contains("(0 rows)"), "{empty}");
    let empty_csv = succeed_in(
        folder.path(),
        &["sql", "--store", store, "--format", "csv", "SELECT song_id FROM songs WHERE false"],
    );
    assert_eq!(empty_csv, "song_id\n");

    let tables = succeed_in(folder.path(), &["sql", "--store", store, "SHOW TABLES"]);
    for table in ["chart_entries", "melon_year_end", "songs", "listens"] {
        assert!(tables.contains(table), "SHOW TABLES lacks {table}: {tables}");
    }
    let columns = succeed_in(folder.path(), &["sql", "--store", store, "DESCRIBE chart_entries"]);
    assert!(columns.contains("song_id") && columns.contains("chart_date"), "{columns}");
    // The ingest summary as JSON: the same file again stores nothing and is held.
    let melon = project_root().join("../shared/data/melon-year-end/kr_song_chart_2017_data.csv");
    let again: Value = serde_json::from_str(&succeed_in(
        folder.path(),
        &["ingest", melon.to_str().unwrap(), "--store", store, "--json"],
    ))
    .unwrap();
    assert_eq!(again["rows_stored"], 0, "{again}");
    assert_eq!(again["datasets"]["melon_year_end"]["files_already_held"], 1, "{again}");

    let unknown = run_in(folder.path(), &["sql", "--store", store, "SELECT * FROM melon"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("melon_year_end"), "{}", text(&unknown.stderr));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let folder = tempfile::tempdir().unwrap();
    let store = small_store(folder.path());
    // Far more than a pipe holds, so the writer is still writing when the reader goes.
    let mut child = command_in(
        folder.path(),
        &[
            "sql",
            "--store",
            store.to_str().unwrap(),
            "--format",
            "csv",
            "--max-rows",
            "5000000",
            "SELECT * FROM range(5000000)",
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first_line = String::new();
    reader.read_line(&mut first_line).unwrap();
    assert_eq!(first_line, "value\n");
    drop(reader);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{:?}: {}", output.status, text(&output.stderr));
    assert!(!text(&output.stderr).contains("panicked"), "{}", text(&output.stderr));
}

/// The README's "your own data" walkthrough, as written there: a catalog of only the required
/// columns, a real chart folder, the song's analysis; then a second song added later is matched
/// to the rows already stored.
#[test]
fn the_readme_walkthrough_of_your_own_data_works() {
    let folder = tempfile::tempdir().unwrap();
    let catalog = folder.path().join("my-catalog");
    std::fs::create_dir_all(&catalog).unwrap();
    let write = |name: &str, text: &str| std::fs::write(catalog.join(name), text).unwrap();
    write(
        "dramas.csv",
        "drama_id,title_en,network,premiere,finale,episodes\nkpop_demon_hunters,KPop Demon Hunters,Netflix,2025-06-20,2025-06-20,1\n",
    );
    write("episodes.csv", "drama_id,episode,air_date\nkpop_demon_hunters,1,2025-06-20\n");
    let golden = "golden,kpop_demon_hunters,Golden,HUNTR/X; EJAE; AUDREY NUNA; REI AMI,2025-06-20\n";
    write("songs.csv", &format!("song_id,drama_id,title_en,artists,release_date\n{golden}"));
    write("events.csv", "song_id_or_drama_id,date,kind,detail\ngolden,2025-06-20,release,soundtrack album\n");
    let store = folder.path().join("my-store");
    let store = store.to_str().unwrap();
    let catalog_path = catalog.to_str().unwrap();
    succeed_in(folder.path(), &["catalog", "--catalog", catalog_path, "--store", store]);
    let spotify = project_root().join("../shared/data/spotify-kr-daily-2025");
    succeed_in(folder.path(), &["ingest", spotify.to_str().unwrap(), "--store", store]);
    let analysis: Value =
        serde_json::from_str(&succeed_in(folder.path(), &["analyze", "golden", "--json", "--store", store])).unwrap();
    let peaks = analysis["songs"][0]["peaks"].as_array().unwrap();
    assert!(!peaks.is_empty(), "{analysis}");
    assert!(peaks.iter().all(|peak| peak["chart"] == "spotify_daily"), "{analysis}");

    // A song added later gets the rows already stored, and the summary says so.
    let how_its_done = "how_its_done,kpop_demon_hunters,How It's Done,HUNTR/X; EJAE; AUDREY NUNA; REI AMI,2025-06-20\n";
    write("songs.csv", &format!("song_id,drama_id,title_en,artists,release_date\n{golden}{how_its_done}"));
    let summary = succeed_in(folder.path(), &["catalog", "--catalog", catalog_path, "--store", store]);
    assert!(summary.contains("spotify_daily") && summary.contains("newly matched"), "{summary}");
    let rows = succeed_in(
        folder.path(),
        &[
            "sql",
            "--format",
            "csv",
            "--store",
            store,
            "SELECT count(*) AS n FROM chart_entries WHERE song_id = 'how_its_done'",
        ],
    );
    let matched: u64 = rows.lines().nth(1).unwrap().parse().unwrap();
    assert!(matched > 0, "{rows}");
}

#[test]
fn serve_reads_tokens_from_files_and_sql_runs_under_a_memory_cap() {
    let folder = tempfile::tempdir().unwrap();
    let store = small_store(folder.path());
    let store = store.to_str().unwrap();
    let empty = folder.path().join("empty-token");
    std::fs::write(&empty, "\n").unwrap();
    let refused = run_in(folder.path(), &["serve", "--store", store, "--token-file", empty.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    assert!(text(&refused.stderr).contains("is empty"), "{}", text(&refused.stderr));
    let missing = folder.path().join("no-such-token");
    let refused = run_in(folder.path(), &["serve", "--store", store, "--read-token-file", missing.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("no-such-token"), "{}", text(&refused.stderr));

    let greedy = "SELECT array_agg(value) FROM generate_series(1, 2000000)";
    let stopped = run_in(folder.path(), &["sql", "--store", store, "--memory-mb", "1", greedy]);
    assert_eq!(stopped.status.code(), Some(2), "{}", text(&stopped.stderr));
    assert!(text(&stopped.stderr).contains("1 MiB limit"), "{}", text(&stopped.stderr));
}
