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
    let stdout =
        succeed(&["unmatched", "--store", store.to_str().unwrap(), "--chart", "melon_year_end", "--limit", "1000"]);
    let lines: Vec<&str> = stdout.lines().collect();
    let row = lines
        .iter()
        .position(|line| line.contains("\"너의 모든 순간\" by \"성시경\""))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(lines[row + 1].contains("nearest: every_moment_of_you ("), "{}", lines[row + 1]);
    assert!(lines[row + 1].contains("same artist"), "{}", lines[row + 1]);
    let bad_chart = encore(&["unmatched", "--store", store.to_str().unwrap(), "--chart", "gaon"]);
    assert_eq!(bad_chart.status.code(), Some(2), "{}", text(&bad_chart.stderr));
}
