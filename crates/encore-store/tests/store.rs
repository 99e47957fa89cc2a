//! The store through its public API, on real files in a temp folder.

use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use encore_domain::{
    Catalog, ChartEntry, ChartKind, CountSource, DailyCount, Drama, DramaId, DramaMetadata, Listen, ListenSource,
    MetadataSource, SongId,
};
use encore_store::{format_batches, QueryCut, QueryLimits, SourceBatch, SourceRows, Store, StoreError};

// One test binary; its longer themes in files of their own.
#[path = "store/catalog_and_rematch.rs"]
mod catalog_and_rematch;
#[path = "store/writers.rs"]
mod writers;

pub fn entry(date: &str, rank: u32, title: &str, song: Option<&str>) -> ChartEntry {
    let chart_date = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    ChartEntry {
        peak_rank: Some(rank),
        periods_on_chart: Some(1),
        source_file: format!("{date}.json"),
        source_line: u64::from(rank),
        song_id: song.map(SongId::new),
        ..ChartEntry::new(ChartKind::BillboardHot100, "us", chart_date, rank, title, "Kate Bush")
    }
}

pub fn batch(name: &str, content: &str, entries: Vec<ChartEntry>) -> SourceBatch {
    SourceBatch::new(Path::new(name), content.as_bytes(), entries)
}

pub async fn count(store: &Store, query: &str) -> i64 {
    let batches = store.sql(query, QueryLimits::unbounded()).await.unwrap();
    let text = format_batches(&batches).unwrap();
    let digits: String = text.lines().nth(3).unwrap_or("").chars().filter(char::is_ascii_digit).collect();
    digits.parse().unwrap()
}

#[tokio::test]
async fn ingesting_the_same_file_twice_adds_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let first = batch(
        "a.json",
        "week one",
        vec![entry("2022-06-11", 8, "Running Up That Hill", Some("ruth")), entry("2022-06-11", 9, "Other", None)],
    );
    let summary = store.append_chart(ChartKind::BillboardHot100, std::slice::from_ref(&first)).unwrap();
    assert_eq!((summary.sources_added, summary.rows_added), (1, 2));
    let again = store.append_chart(ChartKind::BillboardHot100, &[first.clone(), first]).unwrap();
    assert_eq!((again.sources_added, again.sources_already_present, again.rows_added), (0, 2, 0));
    assert_eq!(count(&store, "SELECT count(*) FROM billboard_hot100").await, 2);
    assert_eq!(count(&store, "SELECT count(*) FROM chart_entries WHERE song_id = 'ruth'").await, 1);
    let matched = store.matched_chart_entries().await.unwrap();
    assert_eq!(matched, vec![entry("2022-06-11", 8, "Running Up That Hill", Some("ruth"))]);
}

#[tokio::test]
async fn a_crash_before_the_manifest_leaves_the_old_state_and_the_next_commit_cleans_up() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    store
        .append_chart(ChartKind::BillboardHot100, &[batch("a.json", "one", vec![entry("2022-06-11", 8, "A", None)])])
        .unwrap();
    // What a crash after writing a part but before the manifest rename leaves behind.
    let orphan = folder.path().join("data/billboard_hot100/part-000099.parquet");
    std::fs::copy(folder.path().join("data/billboard_hot100/part-000001.parquet"), &orphan).unwrap();
    std::fs::write(folder.path().join("manifest.tmp-12345"), "{ half a manif").unwrap();
    let reopened = Store::open(folder.path()).unwrap();
    assert_eq!(count(&reopened, "SELECT count(*) FROM chart_entries").await, 1);
    reopened
        .append_chart(ChartKind::BillboardHot100, &[batch("b.json", "two", vec![entry("2022-06-18", 4, "A", None)])])
        .unwrap();
    assert!(!orphan.exists());
    assert_eq!(count(&reopened, "SELECT count(*) FROM chart_entries").await, 2);
}

#[tokio::test]
async fn sql_is_read_only_and_bounded() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let entries: Vec<ChartEntry> = (1..=50).map(|rank| entry("2022-06-11", rank, "T", None)).collect();
    store.append_chart(ChartKind::BillboardHot100, &[batch("a.json", "one", entries)]).unwrap();
    for statement in [
        "DROP VIEW chart_entries",
        "CREATE TABLE x AS SELECT 1",
        "INSERT INTO billboard_hot100 SELECT * FROM billboard_hot100",
        "SET datafusion.execution.batch_size = 1",
    ] {
        let error = store.sql(statement, QueryLimits::unbounded()).await.unwrap_err();
        assert!(matches!(error, StoreError::BadQuery(_)), "{statement}: {error}");
    }
    let error = store.sql("SELECT nope FROM billboard_hot100", QueryLimits::unbounded()).await.unwrap_err();
    assert!(error.is_user_error(), "{error}");
    let limited = store
        .sql("SELECT * FROM billboard_hot100", QueryLimits { max_rows: Some(7), ..QueryLimits::unbounded() })
        .await
        .unwrap();
    assert_eq!(limited.iter().map(|batch| batch.num_rows()).sum::<usize>(), 7);
}

#[tokio::test]
async fn a_query_is_held_to_its_memory_and_answer_bytes() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    let small_memory = QueryLimits { memory_bytes: Some(1024 * 1024), ..QueryLimits::unbounded() };
    let error = store.sql("SELECT array_agg(value) FROM generate_series(1, 2000000)", small_memory).await.unwrap_err();
    assert!(matches!(error, StoreError::MemoryLimit { .. }), "{error}");
    assert!(error.is_user_error() && error.to_string().contains("1 MiB"), "{error}");

    let error = store.sql("SELECT repeat('x', 500000000) AS s", small_memory).await.unwrap_err();
    assert!(matches!(error, StoreError::MemoryLimit { .. }), "{error}");
    let fitting = store.sql("SELECT repeat('ab', 3) AS s, lpad('x', 4) AS p", small_memory).await.unwrap();
    assert_eq!(format_batches(&fitting).unwrap().lines().nth(3).unwrap(), "| ababab |    x |");

    let few_bytes = QueryLimits { max_answer_bytes: Some(64 * 1024), ..QueryLimits::unbounded() };
    let answer = store.sql_answer("SELECT value FROM generate_series(1, 1000000)", few_bytes).await.unwrap();
    let rows: usize = answer.batches.iter().map(|batch| batch.num_rows()).sum();
    assert_eq!(answer.cut, Some(QueryCut::Bytes(64 * 1024)));
    assert!(rows > 0 && rows < 1_000_000, "{rows} rows");
    let huge = store.sql_answer("SELECT repeat('x', 10000000) AS s", few_bytes).await.unwrap();
    assert_eq!(huge.cut, Some(QueryCut::Bytes(64 * 1024)));
    assert_eq!(huge.batches.iter().map(|batch| batch.num_rows()).sum::<usize>(), 0);
}

#[tokio::test]
async fn the_catalog_is_replaced_whole() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap().with_retired_grace(Duration::ZERO);
    let drama = |id: &str| Drama {
        id: DramaId::new(id),
        title_en: id.to_uppercase(),
        title_ko: "도깨비".into(),
        network: "tvN".into(),
        premiere: NaiveDate::from_ymd_opt(2016, 12, 2),
        finale: NaiveDate::from_ymd_opt(2017, 1, 21),
        episode_count: Some(16),
        slot: String::new(),
        source: "https://example.org".into(),
    };
    let mut catalog = Catalog { dramas: vec![drama("goblin"), drama("dots")], ..Catalog::default() };
    store.replace_catalog(&catalog, vec![]).unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM dramas WHERE title_ko = '도깨비'").await, 2);
    catalog.dramas.pop();
    store.replace_catalog(&catalog, vec![]).unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM dramas").await, 1);
    let parts = std::fs::read_dir(folder.path().join("data/dramas")).unwrap().count();
    assert_eq!(parts, 1, "the replaced part is removed once its grace period (none here) is over");
}

#[tokio::test]
async fn a_re_issued_chart_replaces_the_old_rows_instead_of_doubling_them() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap().with_retired_grace(Duration::ZERO);
    let two_weeks = batch(
        "weeks.json",
        "two weeks",
        vec![entry("2022-06-11", 1, "A", None), entry("2022-06-11", 2, "B", None), entry("2022-06-18", 1, "C", None)],
    );
    store.append_chart(ChartKind::BillboardHot100, &[two_weeks]).unwrap();
    // The 2022-06-11 chart again, corrected, from another file.
    let corrected = batch("2022-06-11.json", "corrected", vec![entry("2022-06-11", 1, "B", None)]);
    let summary = store.append_chart(ChartKind::BillboardHot100, &[corrected]).unwrap();
    assert_eq!((summary.rows_added, summary.rows_replaced), (1, 2));
    assert_eq!(count(&store, "SELECT count(*) FROM billboard_hot100").await, 2);
    assert_eq!(count(&store, "SELECT count(*) FROM billboard_hot100 WHERE chart_date = DATE '2022-06-18'").await, 1);
    assert_eq!(count(&store, "SELECT count(*) FROM billboard_hot100 WHERE title = 'B'").await, 1);
    // Two files of one chart in one commit: the later one wins.
    let first = batch("x.json", "x", vec![entry("2022-06-25", 1, "X", None), entry("2022-06-25", 2, "Y", None)]);
    let second = batch("y.json", "y", vec![entry("2022-06-25", 1, "Z", None)]);
    store.append_chart(ChartKind::BillboardHot100, &[first, second]).unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM billboard_hot100 WHERE chart_date = DATE '2022-06-25'").await, 1);
    let data_files = std::fs::read_dir(folder.path().join("data/billboard_hot100")).unwrap().count();
    assert_eq!(data_files, store.manifest().unwrap().dataset("billboard_hot100").unwrap().parts.len());
}

#[tokio::test]
async fn counts_listens_and_drama_lists_are_stored_once_per_file() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(folder.path()).unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM listens").await, 0, "an empty table before any listen");
    let day = NaiveDate::from_ymd_opt(2016, 12, 2).unwrap();
    let pageview = DailyCount {
        source: CountSource::WikipediaPageviews,
        subject: "en.wikipedia/Goblin".into(),
        date: day,
        count: 1520,
        source_file: "p.json".into(),
        source_line: 1,
    };
    let counts = SourceRows::new(Path::new("p.json"), b"pageviews", vec![pageview.clone(), pageview]);
    assert_eq!(store.append_daily_counts(std::slice::from_ref(&counts)).unwrap().rows_added, 2);
    assert_eq!(store.append_daily_counts(&[counts]).unwrap().sources_already_present, 1);
    let listen = Listen {
        source: ListenSource::LastFm,
        user: "minji".into(),
        listened_at: chrono::DateTime::from_timestamp(1_483_228_800, 0).unwrap(),
        artist: "Ailee".into(),
        track: "I Will Go To You Like the First Snow".into(),
        playback: Default::default(),
        source_file: "l.csv".into(),
        source_line: 2,
        song_id: Some(SongId::new("first_snow")),
    };
    store.append_listens(&[SourceRows::new(Path::new("l.csv"), b"listens", vec![listen])]).unwrap();
    let drama = DramaMetadata {
        source: MetadataSource::KoreanWiki,
        title: "도깨비".into(),
        year: Some(2016),
        episodes: Some(16),
        premiere: Some(day),
        finale: NaiveDate::from_ymd_opt(2017, 1, 21),
        network: "tvN".into(),
        source_file: "w.csv".into(),
        source_line: 2,
    };
    store.append_drama_metadata(&[SourceRows::new(Path::new("w.csv"), b"dramas", vec![drama])]).unwrap();
    assert_eq!(count(&store, "SELECT sum(count) FROM daily_counts WHERE source = 'wikipedia_pageviews'").await, 3040);
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM listens WHERE song_id = 'first_snow' AND listened_at = '2017-01-01T00:00:00Z'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&store, "SELECT episodes FROM drama_metadata WHERE finale = DATE '2017-01-21' AND title = '도깨비'")
            .await,
        16
    );
}
