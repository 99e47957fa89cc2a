//! Listening logs through the pipeline: a file mixing good, malformed and other users' listens
//! keeps its good rows and quarantines the rest with file, line, field and reason; a log large
//! enough to be read in pieces on several threads is stored as on one.

use std::fmt::Write;

use encore_pipeline::{ingest, Dataset, FileStatus, IngestOptions, Input, NoProgress};
use encore_store::Store;

use super::{catalog, now, stored_rows};

const GOOD: &str = r#"{"listened_at": 1672925890, "user_name": "minji", "track_metadata": {"artist_name": "Ailee", "track_name": "I Will Go To You Like the First Snow"}}"#;

fn listen(user: &str, seconds: u64, track: &str) -> String {
    format!(
        r#"{{"listened_at": {seconds}, "user_name": "{user}", "track_metadata": {{"artist_name": "Chanyeol, Punch", "track_name": "{track}"}}}}"#
    )
}

#[test]
fn a_file_of_good_malformed_and_other_users_listens_keeps_the_good_and_quarantines_the_rest() {
    let lines = [
        GOOD.to_string(),
        "{\"listened_at\": 1672926000, \"user_name\": \"minji\", \"track_metadata\": {".to_string(),
        listen("minji", 1672926164, "Stay With Me"),
        listen("jisoo", 1672926200, "Stay With Me"),
        r#"{"listened_at": 1672926300, "track_metadata": {"artist_name": "Davichi", "track_name": "This Love"}}"#
            .to_string(),
        r#"{"listened_at": -99999999999999999, "user_name": "minji", "track_metadata": {"artist_name": "A", "track_name": "B"}}"#
            .to_string(),
    ];
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(&folder.path().join("store")).unwrap();
    let upload = Input::Upload { name: "minji/listens.jsonl".to_string(), bytes: lines.join("\n").into_bytes() };
    let summary = ingest(&store, &catalog(), vec![upload], &IngestOptions::new(now()), &mut NoProgress).unwrap();
    assert_eq!(summary.files[0].status, FileStatus::Stored { rows_stored: 3, rows_rejected: 3 });
    assert_eq!(stored_rows(&store, "listens"), 3);
    let listens = &summary.datasets[&Dataset::Series("listens")];
    assert_eq!((listens.rows_stored, listens.rows_rejected, listens.rows_matched), (3, 3, Some(3)));
    let quarantine = std::fs::read_to_string(summary.quarantine.as_ref().unwrap()).unwrap();
    let quarantined: Vec<&str> = quarantine.lines().collect();
    assert_eq!(quarantined[0], "file,line,field,reason");
    assert!(quarantined[1].starts_with("minji/listens.jsonl,2,,not a ListenBrainz listen (EOF while parsing"));
    assert_eq!(
        quarantined[2],
        "minji/listens.jsonl,4,user_name,listen of user jisoo in a file of user minji's; not merged"
    );
    assert!(quarantined[3].starts_with("minji/listens.jsonl,6,listened_at,"), "{quarantine}");
    assert_eq!(quarantined.len(), 4, "{quarantine}");
}

/// A JSON-lines log of `count` listens by one user, with a malformed line every 10 000.
fn large_log(count: u64) -> Vec<u8> {
    let mut text = String::new();
    for index in 0..count {
        if index % 10_000 == 9_999 {
            text.push_str("{\"listened_at\": oops}\n");
            continue;
        }
        let track = if index % 3 == 0 { "Stay With Me" } else { "Some Other Song" };
        let line = listen("minji", 1_600_000_000 + index, track);
        let _ = writeln!(text, "{line}");
    }
    text.into_bytes()
}

/// The `source_line` of every stored listen, in the order of the parts' rows.
fn lines_stored(store: &Store) -> Vec<i64> {
    use datafusion::arrow::array::{Array, Int64Array};
    use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let manifest = store.manifest().unwrap();
    let mut lines = Vec::new();
    for part in &manifest.datasets["listens"].parts {
        let file = std::fs::File::open(store.root().join(&part.file)).unwrap();
        for batch in ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap() {
            let batch = batch.unwrap();
            let column = batch.column_by_name("source_line").unwrap();
            let column = column.as_any().downcast_ref::<Int64Array>().expect("source_line is i64");
            lines.extend(column.iter().flatten());
        }
    }
    lines
}

#[test]
fn a_log_read_in_pieces_on_several_threads_is_stored_as_on_one() {
    // About 20 MB: twenty pieces, written to the store while they are read.
    let bytes = large_log(150_000);
    assert!(bytes.len() > 17 << 20, "{}", bytes.len());
    let run = |jobs: usize| {
        let folder = tempfile::tempdir().unwrap();
        let store = Store::open(&folder.path().join("store")).unwrap();
        let upload = Input::Upload { name: "big.jsonl".to_string(), bytes: bytes.clone() };
        let options = IngestOptions { jobs: Some(jobs), ..IngestOptions::new(now()) };
        let summary = ingest(&store, &catalog(), vec![upload.clone()], &options, &mut NoProgress).unwrap();
        let lines: Vec<u64> = summary.rejected.iter().map(|rejected| rejected.line).collect();
        // The same bytes again: hashed while they are read, found held, and nothing stored twice.
        let again = ingest(&store, &catalog(), vec![upload], &options, &mut NoProgress).unwrap();
        assert_eq!((again.files[0].status.clone(), again.rows_stored()), (FileStatus::AlreadyHeld, 0));
        assert!(again.rejected.is_empty() && again.quarantine.is_none());
        // The part staged while the file was read is the dataset's now; the second one is gone.
        let staging = store.root().join(encore_store::STAGING_FOLDER);
        assert_eq!(std::fs::read_dir(&staging).map(Iterator::count).unwrap_or(0), 0);
        assert_eq!(stored_rows(&store, "listens"), 149_985);
        assert!(lines_stored(&store).is_sorted(), "the pieces are stored in the file's order");
        (format!("{:?}", summary.files[0].status), summary.datasets[&Dataset::Series("listens")].rows_matched, lines)
    };
    let one = run(1);
    assert_eq!(one.0, "Stored { rows_stored: 149985, rows_rejected: 15 }");
    assert_eq!(one.1, Some(49_995));
    assert_eq!(one.2, (1..=15).map(|thousands| thousands * 10_000).collect::<Vec<u64>>());
    assert_eq!(run(3), one);
}
