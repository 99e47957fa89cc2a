//! The pipeline on the hand-written fixtures and the real catalog: datasets by file, rows stored
//! as the store counts them, skipped files with their reasons, re-ingests, workbooks, and stopping
//! early; listening logs (`listens`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};

use encore_domain::Catalog;
use encore_ingest::read_catalog;
use encore_pipeline::{
    ingest, list_inputs, Dataset, Fault, FileStatus, IngestOptions, IngestSummary, Input, NoProgress, PipelineError,
    Progress, Recurse, SkipReason,
};
use encore_store::{content_hash, sha256_content_hash, SourceFile, Store, SHA256_PREFIX};

#[path = "../../encore-ingest/tests/support/workbook.rs"]
mod workbook;

#[path = "pipeline/listens.rs"]
mod listens;

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    project_root().join("crates/encore-ingest/tests/fixtures")
}

fn catalog() -> Catalog {
    read_catalog(&project_root().join("catalog")).unwrap().catalog
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-02T10:00:00Z").unwrap().with_timezone(&Utc)
}

fn ingest_paths(store: &Store, paths: &[PathBuf], recurse: Recurse) -> Result<IngestSummary, PipelineError> {
    let inputs = list_inputs(paths, recurse)?;
    ingest(store, &catalog(), inputs, &IngestOptions::new(now()), &mut NoProgress)
}

/// Rows per dataset as the store's manifest counts them.
fn stored_rows(store: &Store, dataset: &str) -> u64 {
    store.manifest().unwrap().dataset(dataset).map_or(0, |held| held.rows())
}

#[test]
fn every_fixture_lands_in_the_dataset_its_file_names_and_the_summary_counts_what_was_stored() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(&folder.path().join("store")).unwrap();
    let summary = ingest_paths(&store, &[fixtures()], Recurse::Yes).unwrap();
    let dataset_of = |name: &str| {
        let file = summary.files.iter().find(|file| file.file.ends_with(name)).unwrap();
        file.dataset.map(Dataset::name)
    };
    assert_eq!(dataset_of("regional-global-weekly-2023-01-05.csv"), Some("spotify_weekly"));
    assert_eq!(dataset_of("regional-kr-daily-2017-01-01.csv"), Some("spotify_daily"));
    assert_eq!(dataset_of("billboard-global-200-2024-06-08.json"), Some("billboard_global200"));
    assert_eq!(dataset_of("billboard-hot-100-2022.csv"), Some("billboard_hot100"));
    assert_eq!(dataset_of("gaon_20160409.csv"), Some("circle_weekly"));
    assert_eq!(dataset_of("series/lastfm-scrobbles.csv"), Some("listens"));
    assert_eq!(dataset_of("search/naver-datalab-weekly-euc-kr.csv"), Some("search_interest"));
    assert_eq!(dataset_of("search/multiTimeline-daily.csv"), Some("search_interest"));
    for (dataset, row) in &summary.datasets {
        assert!(row.rows_stored > 0, "{dataset:?}: {row:?}");
        assert_eq!(row.rows_stored as u64, stored_rows(&store, dataset.name()), "{dataset:?}");
    }
    assert!(!summary.is_complete(), "the fixtures hold bad rows");
    let quarantine = std::fs::read_to_string(summary.quarantine.as_ref().unwrap()).unwrap();
    assert_eq!(quarantine.lines().count(), 1 + summary.rejected.len());

    let again = ingest_paths(&store, &[fixtures()], Recurse::Yes).unwrap();
    assert_eq!(again.rows_stored(), 0);
    assert_eq!(again.files_already_held(), summary.files.len());
    assert!(again.is_complete() && again.quarantine.is_none(), "{again:?}");
}

#[test]
fn the_catalog_folder_is_named_as_catalog_files() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(&folder.path().join("store")).unwrap();
    let summary = ingest_paths(&store, &[project_root().join("catalog")], Recurse::Yes).unwrap();
    let catalog_files: Vec<&str> = summary
        .skipped()
        .filter_map(|(_, reason)| match reason {
            SkipReason::CatalogFile { catalog_file } => Some(*catalog_file),
            _ => None,
        })
        .collect();
    assert_eq!(catalog_files, ["artists.csv", "dramas.csv", "events.csv", "songs.csv"]);
    assert!(!summary.is_complete());
    // episodes.csv is in the episode ratings format, and loads as such.
    assert!(summary.datasets.keys().any(|dataset| dataset.name() == "episode_ratings"), "{summary:?}");
}

#[test]
fn a_folder_of_nothing_loadable_is_the_users_error_and_still_quarantined() {
    let folder = tempfile::tempdir().unwrap();
    let charts = folder.path().join("charts");
    std::fs::create_dir(&charts).unwrap();
    std::fs::write(charts.join("notes.txt"), "hello").unwrap();
    std::fs::write(charts.join("week.json"), "{not json").unwrap();
    let store = Store::open(&folder.path().join("store")).unwrap();
    let error = ingest_paths(&store, &[charts], Recurse::Yes).unwrap_err();
    assert_eq!(error.fault(), Fault::Input);
    assert!(error.to_string().starts_with("nothing was loaded: all 2 files were skipped, the first: "), "{error}");
    let PipelineError::NothingLoaded { summary } = error else { panic!("{error:?}") };
    assert!(summary.quarantine.as_ref().unwrap().exists());
    assert_eq!(summary.files[1].status, FileStatus::Skipped(SkipReason::NoRows { rows_rejected: 1 }));
    assert!(store.manifest().unwrap().datasets.is_empty());
}

#[test]
fn an_upload_lands_where_the_same_file_on_disk_lands() {
    let name = "regional-global-weekly-2023-01-05.csv";
    let bytes = std::fs::read(fixtures().join(name)).unwrap();
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(&folder.path().join("store")).unwrap();
    let upload = Input::Upload { name: format!("upload/{name}"), bytes };
    let summary = ingest(&store, &catalog(), vec![upload], &IngestOptions::new(now()), &mut NoProgress).unwrap();
    assert_eq!(summary.files[0].dataset.map(Dataset::name), Some("spotify_weekly"));
    assert_eq!(summary.files[0].folder, "");
    assert!(stored_rows(&store, "spotify_weekly") > 0);
    assert_eq!(stored_rows(&store, "spotify_daily"), 0);
}

#[test]
fn a_workbook_upload_is_read_as_its_sheet_and_recorded_as_its_own_bytes() {
    let bytes = workbook::spotify_daily(workbook::Writer::Plain);
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(&folder.path().join("store")).unwrap();
    let name = "upload/regional-kr-daily-2025-12-18.xlsx";
    let upload = Input::Upload { name: name.to_string(), bytes: bytes.clone() };
    let summary = ingest(&store, &catalog(), vec![upload], &IngestOptions::new(now()), &mut NoProgress).unwrap();
    assert_eq!(summary.files[0].dataset.map(Dataset::name), Some("spotify_daily"));
    assert_eq!(summary.files[0].status, FileStatus::Stored { rows_stored: 1, rows_rejected: 1 });
    // The rejected row is named by its row in the sheet.
    let rejected: Vec<(&str, u64, &str)> =
        summary.rejected.iter().map(|row| (row.file.as_str(), row.line, row.field.as_str())).collect();
    assert_eq!(rejected, [(name, 4, "streams")]);
    let manifest = store.manifest().unwrap();
    let sources: Vec<&SourceFile> =
        manifest.dataset("spotify_daily").unwrap().parts.iter().flat_map(|part| &part.sources).collect();
    assert_eq!(sources, [&SourceFile { path: name.to_string(), content: content_hash(&bytes) }]);

    // The same workbook again is held already; a cut one is skipped, saying why.
    let again = Input::Upload { name: name.to_string(), bytes: bytes.clone() };
    let cut = Input::Upload { name: "upload/cut.xlsx".to_string(), bytes: bytes[..bytes.len() / 2].to_vec() };
    let summary = ingest(&store, &catalog(), vec![again, cut], &IngestOptions::new(now()), &mut NoProgress).unwrap();
    assert_eq!(summary.files[0].status, FileStatus::AlreadyHeld);
    let FileStatus::Skipped(reason) = &summary.files[1].status else { panic!("{:?}", summary.files[1]) };
    assert!(matches!(reason, SkipReason::Workbook { .. }), "{reason:?}");
    assert!(reason.to_string().starts_with("not a readable workbook: "), "{reason}");
}

/// A store written before stores hashed with BLAKE3 records each source by its SHA-256 alone: an
/// ingest still finds those files there (a chart and a listening log, which is hashed while it is
/// read), and records a new file by its BLAKE3.
#[test]
fn a_file_recorded_by_its_sha256_by_an_older_build_is_still_held() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path().join("store");
    let store = Store::open(&root).unwrap();
    let (chart, log) =
        (fixtures().join("regional-kr-daily-2017-01-01.csv"), fixtures().join("series/listenbrainz-listens.jsonl"));
    ingest_paths(&store, &[chart.clone(), log.clone()], Recurse::No).unwrap();
    let rows = (stored_rows(&store, "spotify_daily"), stored_rows(&store, "listens"));
    assert!(rows.0 > 0 && rows.1 > 0, "{rows:?}");

    // The manifest as an older build wrote it.
    let manifest_path = root.join("manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    for dataset in manifest["datasets"].as_object_mut().unwrap().values_mut() {
        for part in dataset["parts"].as_array_mut().unwrap() {
            for source in part["sources"].as_array_mut().unwrap() {
                let source = source.as_object_mut().unwrap();
                let content = source.remove("content").unwrap();
                assert!(content.as_str().unwrap().starts_with("blake3:"), "{content}");
                let bytes = std::fs::read(source["path"].as_str().unwrap()).unwrap();
                let sha256 = sha256_content_hash(&bytes).strip_prefix(SHA256_PREFIX).unwrap().to_string();
                source.insert("sha256".into(), sha256.into());
            }
        }
    }
    std::fs::write(&manifest_path, serde_json::to_vec(&manifest).unwrap()).unwrap();

    let again = ingest_paths(&store, &[chart, log.clone()], Recurse::No).unwrap();
    let statuses: Vec<&FileStatus> = again.files.iter().map(|file| &file.status).collect();
    assert_eq!(statuses, [&FileStatus::AlreadyHeld, &FileStatus::AlreadyHeld]);
    assert_eq!((stored_rows(&store, "spotify_daily"), stored_rows(&store, "listens")), rows);

    // A new file in the same store is recorded by its BLAKE3, beside the old ones.
    let bytes = std::fs::read(&log).unwrap();
    let text = String::from_utf8(bytes).unwrap().replace("1672925890", "1672925891");
    let changed = Input::Upload { name: "upload/changed.jsonl".into(), bytes: text.clone().into_bytes() };
    ingest(&store, &catalog(), vec![changed], &IngestOptions::new(now()), &mut NoProgress).unwrap();
    let manifest = store.manifest().unwrap();
    let contents: Vec<&str> = manifest.dataset("listens").unwrap().source_hashes().collect();
    assert_eq!(contents.len(), 2);
    assert!(contents[0].starts_with(SHA256_PREFIX), "{contents:?}");
    assert_eq!(contents[1], content_hash(text.as_bytes()));
}

/// Keywords that are a catalog song's or drama's title are matched to it, one that fits two songs
/// (Love, Maybe and its remake) to none; a re-issued export of the same keywords and dates
/// replaces the older one's rows, while an export of another range is kept beside it.
#[test]
fn search_interest_is_matched_by_keyword_and_a_reissued_export_replaces_its_series() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(&folder.path().join("store")).unwrap();
    let daily = std::fs::read(fixtures().join("search/multiTimeline-daily.csv")).unwrap();
    let upload = |name: &str, bytes: Vec<u8>| Input::Upload { name: name.to_string(), bytes };
    let options = IngestOptions::new(now());
    let first =
        ingest(&store, &catalog(), vec![upload("first.csv", daily.clone())], &options, &mut NoProgress).unwrap();
    let dataset = Dataset::Series("search_interest");
    assert_eq!(first.datasets[&dataset].rows_stored, 26);
    assert_eq!(first.datasets[&dataset].rows_matched, Some(17), "the Love Maybe column matches no one song");
    let text = String::from_utf8(daily).unwrap();
    // Downloaded again a day later: Google's sampling moved one value; the dates are the same.
    let reissued = text.replace("2022-03-06,1,29,<1", "2022-03-06,1,30,<1");
    // A shorter range: its values are relative to another maximum, so it is a series of its own.
    let shorter: String = text.lines().take(9).map(|line| format!("{line}\n")).collect();
    let inputs = vec![upload("reissued.csv", reissued.into_bytes()), upload("shorter.csv", shorter.into_bytes())];
    let second = ingest(&store, &catalog(), inputs, &options, &mut NoProgress).unwrap();
    assert_eq!(second.datasets[&dataset].rows_stored, 26 + 17);
    assert_eq!(second.datasets[&dataset].rows_replaced, 26);
    assert_eq!(stored_rows(&store, "search_interest"), 26 + 17);
    let manifest = store.manifest().unwrap();
    let files: Vec<&str> = manifest
        .dataset("search_interest")
        .unwrap()
        .parts
        .iter()
        .flat_map(|part| part.sources.iter().map(|source| source.path.as_str()))
        .collect();
    assert_eq!(files, ["reissued.csv", "shorter.csv"], "the first file's part is dropped whole");
}

/// Raises the stop flag as soon as the first file is being read, as Ctrl-C would.
struct StopAfterFirstFile<'a>(&'a AtomicBool);

impl Progress for StopAfterFirstFile<'_> {
    fn file(&mut self, _file: &str) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[test]
fn a_stop_ends_reading_at_the_next_file_and_keeps_what_was_read() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(&folder.path().join("store")).unwrap();
    let inputs = list_inputs(&[fixtures()], Recurse::No).unwrap();
    let stop = AtomicBool::new(false);
    // One file at a time, so that no other file's reading began before the stop.
    let options = IngestOptions { stop: Some(&stop), jobs: Some(1), ..IngestOptions::new(now()) };
    let summary = ingest(&store, &catalog(), inputs.clone(), &options, &mut StopAfterFirstFile(&stop)).unwrap();
    assert!(summary.interrupted);
    assert!(matches!(summary.files[0].status, FileStatus::Stored { rows_stored, .. } if rows_stored > 0));
    assert_eq!(summary.not_read().count(), inputs.len() - 1);
    assert_eq!(summary.rows_stored() as u64, stored_rows(&store, "billboard_global200"));
}

/// Reading on several threads changes nothing but the time: the same files in the same order give
/// the same outcomes and the same stored rows as one thread.
#[test]
fn files_read_on_several_threads_are_stored_as_on_one() {
    let inputs = list_inputs(&[fixtures()], Recurse::No).unwrap();
    let run = |jobs: usize| {
        let folder = tempfile::tempdir().unwrap();
        let store = Store::open(&folder.path().join("store")).unwrap();
        let options = IngestOptions { jobs: Some(jobs), ..IngestOptions::new(now()) };
        let summary = ingest(&store, &catalog(), inputs.clone(), &options, &mut NoProgress).unwrap();
        let outcomes: Vec<String> = summary.files.iter().map(|file| format!("{file:?}")).collect();
        let stored = stored_rows(&store, "billboard_global200");
        (outcomes, summary.rows_stored(), stored, folder)
    };
    let (one, one_rows, one_stored, _one) = run(1);
    for jobs in [2, 4] {
        let (many, many_rows, many_stored, _many) = run(jobs);
        assert_eq!(many, one, "{jobs} threads");
        assert_eq!((many_rows, many_stored), (one_rows, one_stored), "{jobs} threads");
    }
    assert!(one.len() > 2 && one_rows > 0, "{one:?}");
}

/// Two real-time snapshots of one day, read in one ingest, are two issues: each hour keeps its rows.
#[test]
fn real_time_snapshots_of_one_day_keep_every_hour() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(&folder.path().join("store")).unwrap();
    let snapshot = |hour: u32, first: &str| Input::Upload {
        name: format!("melon-realtime-2022-01-01-{hour:02}.csv"),
        bytes: format!("순위,곡명,아티스트\n1,{first},10CM\n2,Christmas Tree,V\n").into_bytes(),
    };
    let inputs = vec![snapshot(13, "Drawer"), snapshot(14, "Drawer (Live)")];
    let summary = ingest(&store, &catalog(), inputs, &IngestOptions::new(now()), &mut NoProgress).unwrap();
    assert_eq!(summary.rows_stored(), 4, "{summary:?}");
    assert_eq!(stored_rows(&store, "melon_realtime"), 4);
}
