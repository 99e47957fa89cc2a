//! Several `encore ingest` processes started at the same moment into one store: every one must
//! succeed and the store must hold each chart week's rows exactly once. And a writer told not to
//! wait (`--wait 0`) refuses clearly while another holds the store's writer lock, while one told to
//! wait says so and goes on once the lock is free.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::ops::Range;
use std::path::Path;
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use crate::support::{billboard_files, billboard_slice, piped};

/// The writer lock inside a store folder, as `encore_store::WRITER_LOCK_FILE` documents it.
const WRITER_LOCK_FILE: &str = "writer.lock";

fn ingest(folder: &Path, store: &Path, extra: &[&str]) -> Command {
    let mut arguments = vec!["ingest", folder.to_str().unwrap(), "--store", store.to_str().unwrap()];
    arguments.extend_from_slice(extra);
    piped(&arguments)
}

/// The one number a one-row, one-column query prints.
fn query_number(store: &Path, query: &str) -> u64 {
    let output = piped(&["sql", query, "--store", store.to_str().unwrap()]).output().unwrap();
    assert!(output.status.success(), "{query}: {}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let number_line = stdout.lines().nth(3).unwrap_or_default();
    number_line.chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

/// The rows of a week's file: its entries (every entry of the real files loads).
fn rows_in_file(file: &Path) -> u64 {
    let week: serde_json::Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    week["data"].as_array().unwrap().len() as u64
}

#[test]
fn ingests_started_together_each_succeed_and_no_row_is_lost_or_doubled() {
    let work = tempfile::tempdir().unwrap();
    let store = work.path().join("store");
    let files = billboard_files();
    // Six small disjoint slices at once into the new store (many writers make their commits meet),
    // then disjoint slices, overlapping ones, one slice three times at once, weeks held already
    // beside new ones (among them weeks of 99 rows), and six small slices again.
    let six_small =
        |first: usize| -> Vec<Range<usize>> { (0..6).map(|n| first + n * 20..first + n * 20 + 20).collect() };
    let rounds: Vec<Vec<Range<usize>>> = vec![
        six_small(0),
        vec![120..270, 270..420, 420..570],
        vec![500..650, 600..750],
        vec![750..900, 750..900, 750..900],
        vec![200..350, 900..1050],
        six_small(1050),
    ];
    let mut held_weeks: BTreeSet<usize> = BTreeSet::new();
    for (round, slices) in rounds.iter().enumerate() {
        let children: Vec<_> = slices
            .iter()
            .enumerate()
            .map(|(writer, weeks)| {
                let folder =
                    billboard_slice(&work.path().join(format!("round-{round}-writer-{writer}")), weeks.clone());
                ingest(&folder, &store, &[]).spawn().unwrap()
            })
            .collect();
        for (writer, child) in children.into_iter().enumerate() {
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "round {round}, writer {writer} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        held_weeks.extend(slices.iter().flat_map(|weeks| weeks.clone()));
        let expected_rows: u64 = held_weeks.iter().map(|&week| rows_in_file(&files[week])).sum();
        let rows = query_number(&store, "SELECT count(*) FROM billboard_hot100");
        let distinct_rows =
            query_number(&store, "SELECT count(*) FROM (SELECT DISTINCT chart_date, rank FROM billboard_hot100)");
        let weeks = query_number(&store, "SELECT count(DISTINCT chart_date) FROM billboard_hot100");
        assert_eq!(
            (rows, distinct_rows, weeks),
            (expected_rows, expected_rows, held_weeks.len() as u64),
            "after round {round}: (rows, distinct chart positions, weeks)"
        );
    }
}

fn hold_writer_lock(store: &Path) -> File {
    std::fs::create_dir_all(store).unwrap();
    let file = File::options().create(true).truncate(false).write(true).open(store.join(WRITER_LOCK_FILE)).unwrap();
    file.lock().unwrap();
    file
}

#[test]
fn a_writer_told_not_to_wait_refuses_while_another_holds_the_store() {
    let work = tempfile::tempdir().unwrap();
    let store = work.path().join("store");
    let weeks = billboard_slice(&work.path().join("weeks"), 0..10);
    let lock = hold_writer_lock(&store);
    let output = ingest(&weeks, &store, &["--wait", "0"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "busy is not the user's input: {stderr}");
    assert!(stderr.contains(&format!("the store at {} is in use by another writer", store.display())), "{stderr}");
    assert_eq!(query_number(&store, "SELECT count(*) FROM billboard_hot100"), 0, "nothing was written");
    drop(lock);
    let output = ingest(&weeks, &store, &["--wait", "0"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(query_number(&store, "SELECT count(*) FROM billboard_hot100"), 1000);
}

#[test]
fn a_waiting_writer_says_whom_it_waits_for_and_goes_on_when_the_store_is_free() {
    let work = tempfile::tempdir().unwrap();
    let store = work.path().join("store");
    let weeks = billboard_slice(&work.path().join("weeks"), 0..10);
    let lock = hold_writer_lock(&store);
    let mut child = ingest(&weeks, &store, &[]).env("ENCORE_WAIT", "120").spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines_sender, lines) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            lines_sender.send(line.unwrap()).ok();
        }
    });
    let notice = loop {
        let line = lines.recv_timeout(Duration::from_secs(60)).expect("the writer says it waits");
        if line.starts_with("waiting for another writer") {
            break line;
        }
    };
    assert!(notice.contains("for up to 120 s") && notice.ends_with("(--wait)"), "{notice}");
    drop(lock);
    assert!(child.wait().unwrap().success());
    reader.join().unwrap();
    assert_eq!(query_number(&store, "SELECT count(*) FROM billboard_hot100"), 1000);
}
