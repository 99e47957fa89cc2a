//! Writers and the files they leave: the writer lock, retired parts and their grace period, the
//! user's own files, and opening a folder that holds no store.

use std::fs::File;
use std::sync::mpsc;
use std::time::Duration;

use encore_domain::ChartKind;
use encore_store::{Store, StoreError, WaitingForWriter, WRITER_HOLDER_FILE, WRITER_LOCK_FILE};

use super::{batch, count, entry};

fn hold_writer_lock(store: &Store) -> File {
    let file =
        File::options().create(true).truncate(false).write(true).open(store.root().join(WRITER_LOCK_FILE)).unwrap();
    file.lock().unwrap();
    file
}

fn week(name: &str, date: &str, title: &str) -> encore_store::SourceBatch {
    batch(name, &format!("{name} {date} {title}"), vec![entry(date, 1, title, None), entry(date, 2, "Other", None)])
}

#[tokio::test]
async fn a_writer_refuses_at_once_with_wait_zero_and_names_the_holder() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap().with_writer_wait(Duration::ZERO);
    let lock = hold_writer_lock(&store);
    let holder = r#"{"pid":4242,"since":"2026-12-02T18:02:11Z","doing":"ingest: append to billboard_hot100"}"#;
    std::fs::write(folder.path().join(WRITER_HOLDER_FILE), holder).unwrap();
    let error = store.append_chart(ChartKind::BillboardHot100, &[week("a.json", "2022-06-11", "A")]).unwrap_err();
    assert!(matches!(error, StoreError::Busy { .. }), "{error}");
    assert!(!error.is_user_error());
    let message = error.to_string();
    assert!(message.contains(&folder.path().display().to_string()), "{message}");
    assert!(message.contains("pid 4242, ingest: append to billboard_hot100 since 18:02:11 UTC"), "{message}");
    assert_eq!(count(&store, "SELECT count(*) FROM billboard_hot100").await, 0);
    drop(lock);
    store.append_chart(ChartKind::BillboardHot100, &[week("a.json", "2022-06-11", "A")]).unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM billboard_hot100").await, 2);
    // Readers never take the lock.
    let _held_again = hold_writer_lock(&store);
    assert_eq!(count(&store, "SELECT count(*) FROM billboard_hot100").await, 2);
    store.manifest().unwrap();
}

#[tokio::test]
async fn a_waiting_writer_is_told_once_and_commits_when_the_lock_is_released() {
    let folder = tempfile::tempdir().unwrap();
    let (told, notices) = mpsc::channel::<WaitingForWriter>();
    let store = Store::open(folder.path())
        .unwrap()
        .with_writer_wait(Duration::from_secs(60))
        .with_waiting_notice(move |waiting| told.send(waiting.clone()).unwrap());
    let lock = hold_writer_lock(&store);
    let writer = store.clone();
    let commit = std::thread::spawn(move || {
        writer.append_chart(ChartKind::BillboardHot100, &[week("a.json", "2022-06-11", "A")])
    });
    let notice = notices.recv_timeout(Duration::from_secs(30)).expect("the waiting writer says so");
    assert_eq!(notice.longest_wait, Duration::from_secs(60));
    assert!(notice.to_string().starts_with("waiting for another writer"), "{notice}");
    std::thread::sleep(Duration::from_millis(300));
    drop(lock);
    assert_eq!(commit.join().unwrap().unwrap().rows_added, 2);
    assert!(notices.try_recv().is_err(), "told once only");
    let holder = encore_store::read_holder(folder.path()).unwrap();
    assert_eq!((holder.pid, holder.doing.as_str()), (std::process::id(), "append to billboard_hot100"));
}

#[tokio::test]
async fn writers_in_many_threads_lose_no_row() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let writers: Vec<_> = (0..6)
        .map(|writer| {
            let store = store.clone();
            std::thread::spawn(move || {
                for week_number in 0..4 {
                    let day = week_date(writer * 4 + week_number);
                    let name = format!("{day}.json");
                    store.append_chart(ChartKind::BillboardHot100, &[week(&name, &day, "T")]).unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    assert_eq!(count(&store, "SELECT count(*) FROM billboard_hot100").await, 48);
    assert_eq!(count(&store, "SELECT count(DISTINCT chart_date) FROM billboard_hot100").await, 24);
}

/// The chart date `number` weeks after the first of 2022, as text.
fn week_date(number: i64) -> String {
    let first = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
    (first + chrono::Duration::weeks(number)).to_string()
}

#[tokio::test]
async fn a_retired_part_stays_until_its_grace_period_is_over() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    store.append_chart(ChartKind::BillboardHot100, &[week("a.json", "2022-06-11", "A")]).unwrap();
    let first_part = folder.path().join("data/billboard_hot100/part-000001.parquet");
    // The same week again, corrected: the first part is dropped from the state, not from the disk.
    store.append_chart(ChartKind::BillboardHot100, &[week("b.json", "2022-06-11", "B")]).unwrap();
    assert!(first_part.exists());
    let manifest = store.manifest().unwrap();
    assert_eq!(manifest.retired.len(), 1);
    assert_eq!(manifest.retired[0].file, "data/billboard_hot100/part-000001.parquet");
    assert_eq!(count(&store, "SELECT count(*) FROM billboard_hot100 WHERE title = 'A'").await, 0);
    store.append_chart(ChartKind::BillboardHot100, &[week("c.json", "2022-06-18", "C")]).unwrap();
    assert!(first_part.exists(), "still within the grace period");
    let impatient = store.clone().with_retired_grace(Duration::ZERO);
    impatient.append_chart(ChartKind::BillboardHot100, &[week("d.json", "2022-06-25", "D")]).unwrap();
    assert!(!first_part.exists(), "deleted by the first commit after the grace period");
    assert!(store.manifest().unwrap().retired.is_empty());
    assert_eq!(count(&store, "SELECT count(*) FROM billboard_hot100").await, 6);
}

#[tokio::test]
async fn a_session_opened_before_a_replacing_commit_still_reads_all_its_rows() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    store.append_chart(ChartKind::BillboardHot100, &[week("a.json", "2022-06-11", "A")]).unwrap();
    let session = store.session().await.unwrap();
    store.append_chart(ChartKind::BillboardHot100, &[week("b.json", "2022-06-11", "B")]).unwrap();
    let batches =
        session.sql("SELECT title FROM billboard_hot100 WHERE rank = 1").await.unwrap().collect().await.unwrap();
    let text = encore_store::format_batches(&batches).unwrap();
    assert!(text.contains("| A "), "the session reads the state it was opened on: {text}");
}

#[tokio::test]
async fn the_users_own_files_survive_commits_and_orphaned_parts_do_not() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap().with_retired_grace(Duration::ZERO);
    store.append_chart(ChartKind::BillboardHot100, &[week("a.json", "2022-06-11", "A")]).unwrap();
    let dataset_folder = folder.path().join("data/billboard_hot100");
    let users_files = ["notes.xlsx", "part-notes.parquet", "part-000001.parquet.bak", "README"];
    for name in users_files {
        std::fs::write(dataset_folder.join(name), "mine").unwrap();
    }
    let orphans = ["part-000042.parquet", "part-000042-0001.parquet", "part-000043.tmp-999"];
    for name in orphans {
        std::fs::write(dataset_folder.join(name), "half a part").unwrap();
    }
    store.append_chart(ChartKind::BillboardHot100, &[week("b.json", "2022-06-11", "B")]).unwrap();
    store.append_chart(ChartKind::BillboardHot100, &[week("c.json", "2022-06-18", "C")]).unwrap();
    for name in users_files {
        assert_eq!(std::fs::read_to_string(dataset_folder.join(name)).unwrap(), "mine", "{name}");
    }
    for name in orphans {
        assert!(!dataset_folder.join(name).exists(), "{name}");
    }
    assert!(!dataset_folder.join("part-000001.parquet").exists(), "the replaced part, after a zero grace period");
    assert_eq!(count(&store, "SELECT count(*) FROM billboard_hot100").await, 4);
}

#[test]
fn opening_a_folder_without_a_store_for_reading_is_an_error_and_creates_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let missing = folder.path().join("no-such-store");
    let error = Store::open_existing(&missing).unwrap_err();
    assert!(matches!(error, StoreError::NoStore { .. }));
    assert!(error.is_user_error());
    assert_eq!(error.to_string(), format!("no store at {}", missing.display()));
    assert!(!missing.exists());
    let empty_folder = folder.path().join("empty");
    std::fs::create_dir(&empty_folder).unwrap();
    assert!(matches!(Store::open_existing(&empty_folder), Err(StoreError::NoStore { .. })));
    assert_eq!(std::fs::read_dir(&empty_folder).unwrap().count(), 0);
    Store::open(&missing).unwrap();
    Store::open_existing(&missing).unwrap();
}

fn listens_of(file: &str, lines: std::ops::Range<u64>) -> Vec<encore_domain::Listen> {
    lines
        .map(|line| encore_domain::Listen {
            source: encore_domain::ListenSource::LastFm,
            user: "minji".into(),
            listened_at: chrono::DateTime::from_timestamp(1_483_228_800 + line as i64, 0).unwrap(),
            artist: "Ailee".into(),
            track: "First Snow".into(),
            playback: Default::default(),
            source_file: file.into(),
            source_line: line,
            song_id: None,
        })
        .collect()
}

fn staged_files(store: &Store) -> Vec<String> {
    let folder = store.root().join(encore_store::STAGING_FOLDER);
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .map(|entries| entries.flatten().map(|entry| entry.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

fn stage(store: &Store, file: &str, lines: std::ops::Range<u64>) -> Result<encore_store::StagedPart, StoreError> {
    let batch = encore_store::listens_batch(&listens_of(file, lines));
    store.stage_part(encore_store::LISTENS, encore_store::listens_schema(), [batch])
}

#[tokio::test]
async fn staged_parts_are_adopted_by_their_commit_and_deleted_otherwise() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    // Dropped unadopted, or failed half-way: nothing left.
    let dropped = stage(&store, "a.csv", 0..10).unwrap();
    assert_eq!((dropped.rows(), staged_files(&store).len()), (10, 1));
    drop(dropped);
    assert!(staged_files(&store).is_empty());
    let failing =
        [encore_store::listens_batch(&listens_of("a.csv", 0..5)), Err(StoreError::BadQuery("a parser failed".into()))];
    assert!(store.stage_part(encore_store::LISTENS, encore_store::listens_schema(), failing).is_err());
    assert!(staged_files(&store).is_empty());
    // Two files committed at once: a part each; a file the dataset holds is not stored again.
    let source = |name: &str| encore_store::SourceFile { path: name.into(), content: format!("hash of {name}") };
    let files = vec![
        encore_store::ListenFile { source: source("a.csv"), staged: stage(&store, "a.csv", 0..10).unwrap() },
        encore_store::ListenFile { source: source("b.csv"), staged: stage(&store, "b.csv", 0..4).unwrap() },
    ];
    let summary = store.append_listen_files(files).unwrap();
    assert_eq!((summary.sources_added, summary.rows_added), (2, 14));
    let parts: Vec<String> =
        store.manifest().unwrap().datasets["listens"].parts.iter().map(|part| part.file.clone()).collect();
    assert_eq!(parts, ["data/listens/part-000001-0000.parquet", "data/listens/part-000001-0001.parquet"]);
    assert_eq!(count(&store, "SELECT count(*) FROM listens WHERE source_file = 'b.csv'").await, 4);
    let again =
        vec![encore_store::ListenFile { source: source("b.csv"), staged: stage(&store, "b.csv", 0..4).unwrap() }];
    let summary = store.append_listen_files(again).unwrap();
    assert_eq!((summary.sources_added, summary.sources_already_present, summary.rows_added), (0, 1, 0));
    assert_eq!(count(&store, "SELECT count(*) FROM listens").await, 14);
    assert!(staged_files(&store).is_empty());
}

#[test]
fn staging_sweeps_the_parts_of_dead_writers_and_nothing_else() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let staging = store.root().join(encore_store::STAGING_FOLDER);
    std::fs::create_dir_all(&staging).unwrap();
    let long_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    let old_file = |name: &str| {
        let file = File::create(staging.join(name)).unwrap();
        file.set_modified(long_ago).unwrap();
        file
    };
    // A dead writer's part, a live writer's (locked), and the user's own file.
    drop(old_file("listens-999999-0.staged"));
    let live = old_file("listens-999999-1.staged");
    live.lock().unwrap();
    drop(old_file("notes.staged"));
    let fresh = File::create(staging.join("listens-999999-2.staged")).unwrap();
    let part = stage(&store, "a.csv", 0..3).unwrap();
    let mut left = staged_files(&store);
    left.retain(|name| !name.starts_with(&format!("listens-{}-", std::process::id())));
    assert_eq!(left, ["listens-999999-1.staged", "listens-999999-2.staged", "notes.staged"]);
    drop((part, live, fresh));
}

#[tokio::test]
async fn listens_made_as_batches_are_written_without_holding_the_writer_lock() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap().with_writer_wait(Duration::ZERO);
    let source = |name: &str| encore_store::SourceFile { path: name.into(), content: format!("hash of {name}") };
    // While the generator's batches are made and written, another writer commits at once.
    let mut other_commit = None;
    let batches = (0..3).map(|round| {
        if round == 1 {
            other_commit = Some(store.append_chart(ChartKind::BillboardHot100, &[week("w.json", "2022-06-11", "A")]));
        }
        encore_store::listens_batch(&listens_of("generated", round * 10..round * 10 + 10))
    });
    let summary = store.append_listen_batches(source("generated"), batches).unwrap();
    assert_eq!((summary.sources_added, summary.rows_added), (1, 30));
    assert!(other_commit.unwrap().is_ok(), "the writer lock was free while the listens were written");
    assert_eq!(count(&store, "SELECT count(*) FROM listens").await, 30);
    // The same source again is skipped without a batch being made.
    let mut made = 0;
    let again = std::iter::from_fn(|| {
        made += 1;
        (made < 3).then(|| encore_store::listens_batch(&listens_of("generated", 0..10)))
    });
    let summary = store.append_listen_batches(source("generated"), again).unwrap();
    assert_eq!((summary.sources_added, summary.sources_already_present, made), (0, 1, 0));
    assert_eq!(count(&store, "SELECT count(*) FROM listens").await, 30);
    assert!(staged_files(&store).is_empty());
}
