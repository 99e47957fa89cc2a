//! The API and the dashboard, tested against the real server on loopback over a store built from
//! the real catalog and chart files, plus a small log of generated listens. With `ENCORE_E2E=1`,
//! also drives the dashboard in Chromium.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde_json::Value;

use encore_domain::{ChartKind, EventSubject, KoreanChart};
use encore_ingest::read_catalog;
use encore_listeners::generator::{generate, GeneratorConfig, Model};
use encore_pipeline::{list_inputs, Dataset, IngestOptions, Input, NoProgress, Recurse};
use encore_server::ServerConfig;
use encore_store::{SourceFile, Store};

mod recommendations;
mod support;

const TOKEN: &str = "test-token";
const CHART_FOLDERS: [&str; 3] = ["billboard-hot-100", "spotify-kr-daily-2025", "melon-year-end"];

struct TestServer {
    base: String,
    catalog: PathBuf,
    store: PathBuf,
    _dir: tempfile::TempDir,
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn data_dir() -> PathBuf {
    manifest_dir().join("../../../shared/data")
}

/// Ingests the real chart files into a new store, as `encore demo` does (the same pipeline).
fn build_store(store_dir: &Path, catalog_dir: &Path) {
    let catalog = read_catalog(catalog_dir).unwrap().catalog;
    let store = Store::open(store_dir).unwrap();
    store.replace_catalog(&catalog, Vec::new()).unwrap();
    let folders: Vec<PathBuf> = CHART_FOLDERS.iter().map(|folder| data_dir().join(folder)).collect();
    let inputs = list_inputs(&folders, Recurse::Yes).unwrap();
    let options = IngestOptions::new(chrono::Utc::now());
    encore_pipeline::ingest(&store, &catalog, inputs, &options, &mut NoProgress).unwrap();
    add_generated_listens(&store, &catalog);
}

/// The listeners of Business Proposal and Twenty-Five Twenty-One (aired together in 2022) over
/// their broadcasts and the weeks after, in two taste clusters, so that listeners differ in which
/// drama they watch (what recommendations learn from); small enough for a debug build: a few
/// hundred listeners over four months.
fn add_generated_listens(store: &Store, catalog: &encore_domain::Catalog) {
    let config = GeneratorConfig {
        listeners: 300,
        days: 120,
        dramas: vec!["business_proposal".into(), "twenty_five_twenty_one".into()],
        clusters: 2,
        ..GeneratorConfig::default()
    };
    let source = SourceFile { path: config.source_name(), sha256: "generated".into() };
    let model = Arc::new(Model::new(config, catalog));
    store.append_listen_batches(source, generate(&model)).unwrap();
}

/// Starts a server on a free loopback port over `store` and waits until it answers.
fn start_server(store: PathBuf) -> String {
    support::serve(ServerConfig { token: Some(TOKEN.to_string()), public_sql: true, ..ServerConfig::new(store) })
}

/// One server for every test of this file, on a free loopback port.
fn server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let catalog = manifest_dir().join("../../catalog");
        let store = dir.path().join("store");
        build_store(&store, &catalog);
        let base = start_server(store.clone());
        TestServer { base, catalog, store, _dir: dir }
    })
}

/// Status and JSON body of a request, whatever the status.
fn answer(result: Result<ureq::Response, ureq::Error>) -> (u16, Value) {
    let response = match result {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(error) => panic!("request failed: {error}"),
    };
    let status = response.status();
    assert!(
        response.content_type().starts_with("application/json"),
        "status {status} answered {}",
        response.content_type()
    );
    (status, response.into_json().unwrap())
}

fn get(path: &str) -> (u16, Value) {
    answer(ureq::get(&format!("{}{path}", server().base)).call())
}

fn post_sql(query: &str) -> (u16, Value) {
    answer(ureq::post(&format!("{}/api/sql", server().base)).send_json(serde_json::json!({ "query": query })))
}

#[test]
fn a_song_has_its_series_attention_eclipse_and_the_2022_revival() {
    let (status, song) = get("/api/songs/running_up_that_hill");
    assert_eq!(status, 200);
    assert_eq!(song["title"], "Running Up That Hill");
    assert_eq!(song["drama_id"], "stranger_things_s4");
    let revival_2022 = song["peak_list"].as_array().unwrap().iter().any(|peak| {
        peak["phase"] == "revival"
            && peak["date"].as_str().unwrap().starts_with("2022")
            && peak["chart"] == "billboard_hot100"
    });
    assert!(revival_2022, "no 2022 Billboard revival among {}", song["peak_list"]);
    assert!(song["peak_list"][0]["description"].as_str().unwrap().contains(':'));
    let billboard =
        song["series"].as_array().unwrap().iter().find(|series| series["chart"] == "billboard_hot100").unwrap();
    assert!(billboard["points"].as_array().unwrap().len() > 10);
    assert!(!song["song_attention"].as_array().unwrap().is_empty());
    assert!(!song["drama_attention"].as_array().unwrap().is_empty());
    assert_eq!(song["eclipse"]["song_id"], "running_up_that_hill");
}

#[test]
fn the_leaderboard_is_the_analysis_of_the_whole_catalog() {
    let store = Store::open(&server().store).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let entries = runtime.block_on(store.analysis_chart_entries()).unwrap();
    let viewing = runtime.block_on(store.matched_drama_viewing()).unwrap();
    let catalog = read_catalog(&server().catalog).unwrap().catalog;
    let expected = encore_analytics::analyse_catalog(&catalog, entries, &viewing).leaderboard;
    let (status, rows) = get("/api/leaderboard");
    assert_eq!(status, 200);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), expected.len());
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(rows[0]["song_id"].as_str(), Some(expected[0].song_id.as_str()));
    let scores: Vec<f64> = rows.iter().map(|row| row["eclipse"]["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|pair| pair[0] >= pair[1]), "not sorted by score: {scores:?}");
}

#[test]
fn a_drama_lists_its_ost_parts_and_songs_list_every_catalog_song() {
    let (status, drama) = get("/api/dramas/goblin");
    assert_eq!(status, 200);
    let ost: Vec<&str> = drama["ost"].as_array().unwrap().iter().map(|song| song["id"].as_str().unwrap()).collect();
    assert!(ost.contains(&"first_snow"), "goblin's OST lacks first_snow: {ost:?}");
    assert!(!drama["episodes"].as_array().unwrap().is_empty());
    let (_, songs) = get("/api/songs");
    let catalog = read_catalog(&server().catalog).unwrap().catalog;
    assert_eq!(songs.as_array().unwrap().len(), catalog.songs.len());
    let (_, dramas) = get("/api/dramas");
    assert_eq!(dramas.as_array().unwrap().len(), catalog.dramas.len());
}

#[test]
fn regions_name_each_chart_region_and_first_chart_days() {
    let (status, regions) = get("/api/regions");
    assert_eq!(status, 200);
    let korea = regions
        .as_array()
        .unwrap()
        .iter()
        .find(|region| region["chart"] == "spotify_daily" && region["region"] == "kr")
        .unwrap();
    assert_eq!(korea["chart_rows"], 73_000);
    let songs = korea["songs"].as_array().unwrap();
    assert!(!songs.is_empty());
    assert!(songs.iter().all(|song| song["first_chart_date"].as_str().unwrap().starts_with("2025")));
}

#[test]
fn sql_reads_with_limits_and_refuses_bad_or_writing_queries_with_a_json_error() {
    let (status, result) =
        post_sql("SELECT chart_date, rank FROM chart_entries WHERE song_id = 'first_snow' ORDER BY chart_date");
    assert_eq!(status, 200);
    assert_eq!(result["columns"], serde_json::json!(["chart_date", "rank"]));
    assert!(result["row_count"].as_u64().unwrap() > 0);
    let (status, limited) = answer(
        ureq::post(&format!("{}/api/sql", server().base))
            .send_json(serde_json::json!({ "query": "SELECT * FROM billboard_hot100", "max_rows": 5 })),
    );
    assert_eq!(status, 200);
    assert_eq!(limited["row_count"], 5);
    assert_eq!(limited["truncated"], true);
    let (status, error) = post_sql("SELEKT nonsense");
    assert_eq!(status, 400);
    assert!(error["error"].as_str().unwrap().contains("query rejected"), "{error}");
    let (status, _) = post_sql("CREATE TABLE evil AS SELECT 1");
    assert_eq!(status, 400);
    let (status, error) = answer(ureq::post(&format!("{}/api/sql", server().base)).send_string("not json"));
    assert_eq!(status, 400);
    assert!(error["error"].is_string());
}

#[test]
fn unknown_things_are_404_with_json_errors() {
    let (status, error) = get("/api/songs/no_such_song");
    assert_eq!(status, 404);
    assert_eq!(error["error"], "no song `no_such_song` in the catalog");
    assert_eq!(get("/api/songs/no_such_song/marketing-effect").0, 404);
    assert_eq!(get("/api/dramas/no_such_drama").0, 404);
    assert_eq!(get("/api/nothing/here").0, 404);
}

#[test]
fn the_marketing_table_has_a_row_per_marketing_event_each_measured_or_explained() {
    let catalog = read_catalog(&server().catalog).unwrap().catalog;
    // The catalog's song events, and each drama's premiere for its songs released before it.
    let premieres = encore_analytics::effect::premiere_moves(&catalog);
    let mut expected: Vec<(String, String)> = catalog
        .events
        .iter()
        .chain(&premieres)
        .filter(|event| {
            ["music_video", "remix_release", "viral_trend", "release"].contains(&event.kind.as_str())
                && event.date.and_then(|date| date.as_day()).is_some()
        })
        .filter_map(|event| match &event.subject {
            EventSubject::Song(song_id) => Some((song_id.to_string(), event.kind.as_str().to_string())),
            EventSubject::Drama(_) => None,
        })
        .collect();
    assert!(!expected.is_empty(), "the catalog has no dated marketing events of songs");
    let (status, table) = get("/api/marketing-effect");
    assert_eq!(status, 200);
    let rows = table.as_array().unwrap();
    let mut listed: Vec<(String, String)> = rows
        .iter()
        .map(|row| (row["song_id"].as_str().unwrap().to_string(), row["kind"].as_str().unwrap().to_string()))
        .collect();
    expected.sort();
    listed.sort();
    assert_eq!(listed, expected);
    // The store's daily series (Spotify Korea, 2025) cover none of the catalog's dated moves, so
    // today every row states its reason; a measured row must carry its interval and method.
    for row in rows {
        assert!(!row["approach"].as_str().unwrap().is_empty() && !row["title"].as_str().unwrap().is_empty(), "{row}");
        assert!(row["date"].is_string(), "{row}");
        let interval = &row["lift"]["interval"];
        if interval.is_array() {
            let (low, high) = (interval[0].as_f64().unwrap(), interval[1].as_f64().unwrap());
            let estimate = row["lift"]["estimate"].as_f64().unwrap();
            assert!(low <= estimate && estimate <= high, "{row}");
            assert!(["own_pre_period", "comparable_songs"].contains(&row["method"].as_str().unwrap()), "{row}");
            assert!(row["reason"].is_null(), "{row}");
        } else {
            assert!(!row["reason"].as_str().unwrap_or_default().is_empty(), "neither an interval nor a reason: {row}");
        }
    }

    let song_id = rows[0]["song_id"].as_str().unwrap();
    let (status, song_rows) = get(&format!("/api/songs/{song_id}/marketing-effect"));
    assert_eq!(status, 200);
    let of_song: Vec<&Value> = rows.iter().filter(|row| row["song_id"] == song_id).collect();
    assert_eq!(song_rows.as_array().unwrap().iter().collect::<Vec<_>>(), of_song);
}

#[test]
fn writes_need_the_bearer_token() {
    let base = &server().base;
    let spotify = data_dir().join("spotify-kr-daily-2025/regional-kr-daily-2025-01-01.csv");
    let bytes = std::fs::read(&spotify).unwrap();
    let ingest_url = format!("{base}/api/ingest?file=regional-kr-daily-2025-01-01.csv");
    let (status, error) = answer(ureq::post(&ingest_url).send_bytes(&bytes));
    assert_eq!(status, 401);
    assert!(error["error"].as_str().unwrap().contains("Bearer"));
    let (status, _) = answer(ureq::post(&ingest_url).set("Authorization", "Bearer wrong").send_bytes(&bytes));
    assert_eq!(status, 401);
    assert_eq!(answer(ureq::post(&format!("{base}/api/catalog/reload")).call()).0, 401);

    let authorization = format!("Bearer {TOKEN}");
    let (status, summary) = answer(ureq::post(&ingest_url).set("Authorization", &authorization).send_bytes(&bytes));
    assert_eq!(status, 200, "{summary}");
    assert_eq!(summary["dataset"], "spotify_daily");
    assert_eq!(summary["already_held"], true, "the same bytes must not be added twice: {summary}");
    assert_eq!(summary["rows_stored"], 0);
    let (status, error) = answer(
        ureq::post(&format!("{base}/api/ingest?file=notes.txt"))
            .set("Authorization", &authorization)
            .send_bytes(b"hello"),
    );
    assert_eq!(status, 400, "{error}");
    assert!(error["error"].as_str().unwrap().contains("not a format Encore reads"), "{error}");
    let (status, counts) =
        answer(ureq::post(&format!("{base}/api/catalog/reload")).set("Authorization", &authorization).call());
    assert_eq!(status, 200, "{counts}");
    assert!(counts["songs"].as_u64().unwrap() > 0);
}

/// Every dataset an ingest can write, with its rows as the store's manifest counts them.
fn rows_by_dataset(store: &Store) -> BTreeMap<&'static str, u64> {
    let manifest = store.manifest().unwrap();
    let series = ["daily_counts", "search_interest", "listens", "drama_metadata", "episode_ratings"];
    ChartKind::ALL
        .iter()
        .map(|chart| chart.dataset())
        .chain(series)
        .map(|name| (name, manifest.dataset(name).map_or(0, |dataset| dataset.rows())))
        .collect()
}

/// One upload per chart format and layout: (file holding the bytes, name to upload them as,
/// the dataset the rows must land in).
fn chart_uploads() -> Vec<(PathBuf, &'static str, &'static str)> {
    let fixtures = manifest_dir().join("../encore-ingest/tests/fixtures");
    let mut uploads = vec![
        (data_dir().join("billboard-hot-100/2022-06-18.json"), "2022-06-18.json", "billboard_hot100"),
        (
            fixtures.join("billboard-global-200-2024-06-08.json"),
            "billboard-global-200-2024-06-08.json",
            "billboard_global200",
        ),
        (fixtures.join("billboard-hot-100-2022.csv"), "billboard-hot-100-2022.csv", "billboard_hot100"),
        (fixtures.join("billboard-hot-100-2022.csv"), "billboard_global_200_2022.csv", "billboard_global200"),
        (
            data_dir().join("spotify-kr-daily-2025/regional-kr-daily-2025-03-01.csv"),
            "regional-kr-daily-2025-03-01.csv",
            "spotify_daily",
        ),
        (fixtures.join("regional-kr-daily-2017-01-01.csv"), "regional-kr-daily-2017-01-01.csv", "spotify_daily"),
        (
            fixtures.join("regional-global-weekly-2023-01-05.csv"),
            "regional-global-weekly-2023-01-05.csv",
            "spotify_weekly",
        ),
        (
            fixtures.join("regional-kr-daily-2017-01-01.csv"),
            "regional-global-weekly-2016-12-30--2017-01-06.csv",
            "spotify_weekly",
        ),
        (
            data_dir().join("melon-year-end/kr_song_chart_2017_data.csv"),
            "kr_song_chart_2017_data.csv",
            "melon_year_end",
        ),
        (fixtures.join("circle-digital-2017-01-07.csv"), "circle-digital-2017-01-07.csv", "circle_weekly"),
        (fixtures.join("gaon_20160409.csv"), "gaon_20160409.csv", "circle_weekly"),
    ];
    // Every Korean chart from one file, its chart named by the upload's name (date and hour too).
    for chart in KoreanChart::ALL {
        let name = format!("{}_{}_2022-01-01-13.csv", chart.platform().name(), chart.period().name());
        uploads.push((fixtures.join("korean/melon-realtime-2022-01-01-13.csv"), &*name.leak(), chart.dataset()));
    }
    uploads
}

/// Each chart format uploaded to a real server over an empty store lands in the dataset its file
/// names, leaving every other dataset as it was; the same bytes under the same name given to the
/// pipeline from disk, as `encore ingest` does, land in the same dataset.
#[test]
fn every_chart_format_uploaded_lands_where_the_command_line_puts_it() {
    let dir = tempfile::tempdir().unwrap();
    let catalog_dir = manifest_dir().join("../../catalog");
    let store_dir = dir.path().join("store");
    let store = Store::open(&store_dir).unwrap();
    let catalog = read_catalog(&catalog_dir).unwrap().catalog;
    // The server analyses with the store's catalog, so the store holds one from the start.
    store.replace_catalog(&catalog, Vec::new()).unwrap();
    let base = start_server(store_dir);
    let disk_store = Store::open(&dir.path().join("disk-store")).unwrap();
    let authorization = format!("Bearer {TOKEN}");
    for (source, name, expected) in chart_uploads() {
        let bytes = std::fs::read(&source).unwrap();
        let before = rows_by_dataset(&store);
        let url = format!("{base}/api/ingest?file={name}");
        let (status, summary) = answer(ureq::post(&url).set("Authorization", &authorization).send_bytes(&bytes));
        assert_eq!(status, 200, "{name}: {summary}");
        assert_eq!(summary["dataset"], expected, "{name}: {summary}");
        let stored = summary["rows_stored"].as_u64().unwrap();
        let replaced = summary["rows_replaced"].as_u64().unwrap();
        assert!(stored > 0, "{name}: {summary}");
        let after = rows_by_dataset(&store);
        for (dataset, rows) in &after {
            // A file re-issuing a chart of the same region and date replaces that rows.
            let expected_rows =
                if *dataset == expected { before[dataset] + stored - replaced } else { before[dataset] };
            assert_eq!(*rows, expected_rows, "{name}: {dataset} went from {} to {rows}", before[dataset]);
        }
        let query = format!("SELECT count(*) AS n FROM {expected}");
        let (status, counted) =
            answer(ureq::post(&format!("{base}/api/sql")).send_json(serde_json::json!({ "query": query })));
        assert_eq!((status, counted["rows"][0]["n"].as_u64()), (200, Some(after[expected])), "{name}: {counted}");

        let on_disk = dir.path().join("files").join(name);
        std::fs::create_dir_all(on_disk.parent().unwrap()).unwrap();
        std::fs::write(&on_disk, &bytes).unwrap();
        let options = IngestOptions::new(chrono::Utc::now());
        let from_disk =
            encore_pipeline::ingest(&disk_store, &catalog, vec![Input::Path(on_disk)], &options, &mut NoProgress)
                .unwrap();
        assert_eq!(from_disk.files[0].dataset.map(Dataset::name), Some(expected), "{name} from disk");
        assert_eq!(from_disk.rows_stored() as u64, stored, "{name} from disk");
    }
    let after = rows_by_dataset(&store);
    assert_eq!(after, rows_by_dataset(&disk_store));
    for dataset in ChartKind::ALL.map(ChartKind::dataset) {
        assert!(after[dataset] > 0, "no upload reached {dataset}");
    }
}

/// A non-chart file goes through the same pipeline: pageviews into daily_counts, listens matched,
/// search interest into search_interest.
#[test]
fn non_chart_files_upload_like_the_command_line_ingests_them() {
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    let store = Store::open(&store_dir).unwrap();
    store.replace_catalog(&read_catalog(&manifest_dir().join("../../catalog")).unwrap().catalog, Vec::new()).unwrap();
    let base = start_server(store_dir);
    let series = manifest_dir().join("../encore-ingest/tests/fixtures/series");
    let authorization = format!("Bearer {TOKEN}");
    for (name, format, expected) in [
        ("pageviews-goblin.json", None, "daily_counts"),
        ("lastfm-scrobbles.csv", None, "listens"),
        ("ratings.csv", Some("episode-ratings"), "episode_ratings"),
    ] {
        let bytes = std::fs::read(series.join(name)).unwrap();
        let format = format.map(|format| format!("&format={format}")).unwrap_or_default();
        let url = format!("{base}/api/ingest?file={name}{format}");
        let (status, summary) = answer(ureq::post(&url).set("Authorization", &authorization).send_bytes(&bytes));
        assert_eq!(status, 200, "{name}: {summary}");
        assert_eq!(summary["dataset"], expected, "{name}: {summary}");
        assert!(summary["rows_rejected"].as_u64().unwrap() > 0, "the fixture has a bad row: {summary}");
        assert_eq!(rows_by_dataset(&store)[expected], summary["rows_stored"].as_u64().unwrap());
    }
    // A Google Trends export, told by its content under its usual name, keywords matched.
    let trends = std::fs::read(series.join("../search/multiTimeline-daily.csv")).unwrap();
    let url = format!("{base}/api/ingest?file=multiTimeline.csv");
    let (status, summary) = answer(ureq::post(&url).set("Authorization", &authorization).send_bytes(&trends));
    assert_eq!((status, summary["dataset"].as_str()), (200, Some("search_interest")), "{summary}");
    assert_eq!(rows_by_dataset(&store)["search_interest"], 26);
    let (_, listens) =
        answer(ureq::post(&format!("{base}/api/sql")).send_json(
            serde_json::json!({ "query": "SELECT count(*) AS n FROM listens WHERE song_id = 'first_snow'" }),
        ));
    assert_eq!(listens["rows"][0]["n"], 2, "{listens}");
    let (status, error) = answer(
        ureq::post(&format!("{base}/api/ingest?file=x.csv&format=oricon"))
            .set("Authorization", &authorization)
            .send_bytes(b"a"),
    );
    assert_eq!(status, 400, "{error}");
    assert!(error["error"].as_str().unwrap().contains("korean-chart, pageviews"), "{error}");
    // A ranked list in a layout Encore does not know, mapped and named as on the command line.
    let list = b"pos,name,by,day\n1,Drawer,10CM,2022-01-01\n";
    let upload = |chart: &str| {
        let request = ureq::post(&format!("{base}/api/ingest?file=my-list.csv"))
            .query("chart", chart)
            .query("columns", "rank=pos,title=name,artist=by,date=day")
            .set("Authorization", &authorization);
        answer(request.send_bytes(list))
    };
    let (status, summary) = upload("genie:daily");
    assert_eq!((status, summary["dataset"].as_str()), (200, Some("genie_daily")), "{summary}");
    let (status, error) = upload("genie:never");
    assert_eq!(status, 400, "{error}");
    assert!(error["error"].as_str().unwrap().contains("is not a chart"), "{error}");
}

#[test]
fn the_openapi_document_lists_every_route() {
    let (status, document) = get("/api/openapi.json");
    assert_eq!(status, 200);
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    let routes = [
        "/api/status",
        "/api/dramas",
        "/api/dramas/{id}",
        "/api/songs",
        "/api/songs/{id}",
        "/api/songs/{id}/marketing-effect",
        "/api/songs/{id}/listeners",
        "/api/dramas/{id}/listeners",
        "/api/listeners",
        "/api/recommend/listeners",
        "/api/recommend",
        "/api/playlist",
        "/api/leaderboard",
        "/api/regions",
        "/api/marketing-effect",
        "/api/sql",
        "/api/analyze/{analysis}",
        "/api/ingest",
        "/api/catalog/reload",
        "/api/openapi.json",
        "/",
        "/assets/{file}",
    ];
    // Without white space, so a route that rustfmt breaks over lines reads `.route("/path",`.
    let source: String =
        std::fs::read_to_string(manifest_dir().join("src/routes.rs")).unwrap().split_whitespace().collect();
    assert_eq!(source.matches(".route(\"").count(), routes.len(), "routes.rs has routes this test does not list");
    for route in routes {
        assert!(source.contains(&format!(".route(\"{route}\"")), "{route} is not a route");
        assert!(document["paths"][route].is_object(), "the OpenAPI document lacks {route}");
    }
}

// ----- POST /api/analyze/{detect,effect,decay}: the analyses on a series sent in the body -----

/// The body limit of `/api/analyze` (`analyze_series::MAX_ANALYZE_BODY_BYTES`, not exported).
const ANALYZE_BODY_BYTES: usize = 8 * 1024 * 1024;

/// Status and JSON answer of `POST /api/analyze/{analysis}` (which may carry a query) with `body`.
fn analyze(analysis: &str, body: &Value) -> (u16, Value) {
    answer(ureq::post(&format!("{}/api/analyze/{analysis}", server().base)).send_json(body))
}

/// The message of a JSON error answer.
fn error_message(body: &Value) -> &str {
    body["error"].as_str().unwrap_or_else(|| panic!("no error message in {body}"))
}

/// `days` consecutive dates from 2024-01-01 (a leap year: step 60 is 2024-03-01).
fn days_of_2024(days: usize) -> Vec<String> {
    let first = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    (0..days).map(|offset| first.checked_add_days(chrono::Days::new(offset as u64)).unwrap().to_string()).collect()
}

/// A deterministic wiggle in [-1, 1], different for each `phase`.
fn wiggle(step: usize, phase: f64) -> f64 {
    (step as f64 * 1.3 + phase).sin()
}

/// `[{"date", "value"}, …]` of `values` from 2024-01-01, one a day.
fn dated(values: &[f64]) -> Value {
    let rows: Vec<Value> = days_of_2024(values.len())
        .into_iter()
        .zip(values)
        .map(|(date, value)| serde_json::json!({"date": date, "value": value}))
        .collect();
    Value::Array(rows)
}

/// 60 days at 10, then 60 at 30, each ± 0.5.
fn level_shift() -> Vec<f64> {
    (0..120).map(|step| if step < 60 { 10.0 } else { 30.0 } + 0.5 * wiggle(step, 0.0)).collect()
}

#[test]
fn detect_finds_a_level_shift_on_its_date_with_the_levels_either_side() {
    let dates = days_of_2024(120);
    let (status, answer) = analyze("detect", &serde_json::json!({"series": dated(&level_shift())}));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["source"], "the request's series");
    assert_eq!(answer["filled_gaps"], serde_json::json!([]));
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "one unit: {answer}");
    let detection = &results[0];
    assert_eq!(detection["analysis"], "detect");
    assert_eq!(detection["steps"], 120);
    assert_eq!(detection["penalty"], "auto");
    let changepoints = detection["changepoints"].as_array().unwrap();
    assert_eq!(changepoints.len(), 1, "{detection}");
    let step = changepoints[0]["step"].as_u64().unwrap() as usize;
    assert!(step.abs_diff(60) <= 2, "changepoint at step {step}, the shift is at 60");
    assert_eq!(changepoints[0]["date"].as_str(), Some(dates[step].as_str()));
    let segments = detection["segments"].as_array().unwrap();
    let (first, last) = (&segments[0], &segments[segments.len() - 1]);
    assert_eq!(first["start"]["date"], "2024-01-01");
    assert_eq!(last["end"]["date"].as_str(), Some(dates[119].as_str()));
    let level = |segment: &Value| segment["level"].as_f64().unwrap();
    assert!((level(first) - 10.0).abs() < 1.0, "first level {first}");
    assert!((level(last) - 30.0).abs() < 1.0, "last level {last}");
    let steps: u64 = segments.iter().map(|segment| segment["steps"].as_u64().unwrap()).sum();
    assert_eq!(steps, 120, "the segments cover the series: {detection}");

    // A named cost and penalty, and the bare-array form, find the same shift by step.
    let (status, answer) = analyze(
        "detect",
        &serde_json::json!({"series": level_shift(), "cost": "mean", "penalty": 50, "min_segment": 5}),
    );
    assert_eq!(status, 200, "{answer}");
    let detection = &answer["results"][0];
    assert_eq!((detection["cost"].as_str(), detection["penalty"].as_str()), (Some("mean"), Some("50")));
    let changepoints = detection["changepoints"].as_array().unwrap();
    assert_eq!(changepoints.len(), 1, "{detection}");
    assert!(changepoints[0]["step"].as_u64().unwrap().abs_diff(60) <= 2, "{detection}");
    assert!(changepoints[0].get("date").is_none(), "a series without dates has no dates: {detection}");
}

/// A long panel from 2024-01-01 over 200 days: B and C follow a shared rising trend, and so does A
/// until day 150 (2024-05-30), from which it is 50 % higher; each unit with its own small wiggle.
fn lifted_panel() -> (Value, String) {
    let dates = days_of_2024(200);
    let mut rows = Vec::new();
    for (step, date) in dates.iter().enumerate() {
        let trend = 100.0 * (0.003 * step as f64).exp();
        let lift = if step >= 150 { 1.5 } else { 1.0 };
        for (unit, scale, phase) in [("A", 1.2 * lift, 0.0), ("B", 1.0, 2.0), ("C", 0.8, 4.0)] {
            let value = trend * scale * (0.02 * wiggle(step, phase)).exp();
            rows.push(serde_json::json!({"date": date, "unit": unit, "value": value}));
        }
    }
    (Value::Array(rows), dates[150].clone())
}

#[test]
fn effect_measures_a_fifty_percent_lift_against_the_other_units_and_against_its_own_past() {
    let (panel, at) = lifted_panel();
    let (status, answer) = analyze("effect", &serde_json::json!({"series": panel, "treated": "A", "at": [at]}));
    assert_eq!(status, 200, "{answer}");
    let results = &answer["results"];
    assert_eq!(results["unit"], "A");
    let interventions = results["interventions"].as_array().unwrap();
    assert_eq!(interventions.len(), 1);
    let effect = &interventions[0];
    assert_eq!(effect["at"], serde_json::json!({"step": 150, "date": at}));
    assert_eq!(effect["against"], "a synthetic control of 2 other units");
    let weights = effect["weights"].as_object().unwrap();
    assert_eq!(weights.keys().collect::<Vec<_>>(), ["B", "C"]);
    let lift = effect["lift"].as_f64().unwrap();
    assert!((lift - 0.5).abs() < 0.1, "lift {lift}: {effect}");
    let (low, high) = (effect["lift_interval"][0].as_f64().unwrap(), effect["lift_interval"][1].as_f64().unwrap());
    assert!(low < 0.5 && 0.5 < high && low > 0.0, "interval [{low}, {high}] must hold 0.5 and not 0");
    // 28 days (the default post window) of about +50 % over a level of about 1.2 × 100 × e^(0.003·164).
    let cumulative = effect["cumulative"].as_f64().unwrap();
    let expected = 28.0 * 0.5 * 120.0 * (0.003_f64 * 164.0).exp();
    assert!((cumulative - expected).abs() < 0.2 * expected, "cumulative {cumulative}, about {expected}");
    let path = effect["path"].as_array().unwrap();
    assert_eq!(path.last().unwrap()["date"].as_str(), Some(days_of_2024(178)[177].as_str()), "{effect}");

    let (panel, at) = lifted_panel();
    let own = serde_json::json!({"series": panel, "treated": "A", "at": [at], "control": "own"});
    let (status, answer) = analyze("effect", &own);
    assert_eq!(status, 200, "{answer}");
    let effect = &answer["results"]["interventions"][0];
    assert_eq!(effect["against"], "its own pre-period");
    assert_eq!(effect["weights"], serde_json::json!({}));
    // The own pre-period misses the trend (+0.3 % a day over the 28 days either side of the move).
    let lift = effect["lift"].as_f64().unwrap();
    assert!((lift - 0.5).abs() < 0.2, "lift {lift}: {effect}");
    assert!(effect["lift_interval"][0].as_f64().unwrap() > 0.0, "{effect}");
}

#[test]
fn decay_recovers_a_ten_day_half_life_above_a_baseline() {
    // Five days of rise, then 5 + 100 · 2^(−t/10) over 90 days, each ± 2 %.
    let values: Vec<f64> = (0..95)
        .map(|step| {
            let clean =
                if step < 5 { 20.0 * step as f64 } else { 5.0 + 100.0 * 0.5_f64.powf((step - 5) as f64 / 10.0) };
            clean * (1.0 + 0.02 * wiggle(step, 1.0))
        })
        .collect();
    let (status, answer) = analyze("decay", &serde_json::json!({"series": dated(&values)}));
    assert_eq!(status, 200, "{answer}");
    let decay = &answer["results"];
    assert_eq!(decay["start"], serde_json::json!({"step": 5, "date": "2024-01-06"}), "{decay}");
    assert_eq!(decay["shape"], "exponential", "{decay}");
    let half_life = decay["half_life_days"].as_f64().unwrap();
    assert!((half_life - 10.0).abs() < 1.0, "half-life {half_life}");
    let (low, high) =
        (decay["half_life_interval"][0].as_f64().unwrap(), decay["half_life_interval"][1].as_f64().unwrap());
    assert!(low <= half_life && half_life <= high && low < 10.0 && 10.0 < high, "interval [{low}, {high}]");
    let baseline = decay["baseline"].as_f64().unwrap();
    assert!((baseline - 5.0).abs() < 1.0, "baseline {baseline}");

    // A start and a known baseline given: the same half-life.
    let settings = serde_json::json!({"series": dated(&values), "after": "2024-01-06", "baseline": 5.0});
    let (status, answer) = analyze("decay", &settings);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["results"]["baseline"], 5.0);
    let half_life = answer["results"]["half_life_days"].as_f64().unwrap();
    assert!((half_life - 10.0).abs() < 1.0, "half-life {half_life}");
}

#[test]
fn each_analysis_draws_its_plot_as_svg() {
    let (panel, at) = lifted_panel();
    let bodies = [
        ("detect", serde_json::json!({"series": dated(&level_shift())})),
        ("effect", serde_json::json!({"series": panel, "treated": "A", "at": [at]})),
        ("decay", serde_json::json!({"series": (0..40).map(|step| 100.0 * 0.9_f64.powi(step)).collect::<Vec<_>>()})),
    ];
    for (analysis, body) in bodies {
        let response =
            ureq::post(&format!("{}/api/analyze/{analysis}?plot=svg", server().base)).send_json(body).unwrap();
        assert_eq!(response.content_type(), "image/svg+xml", "{analysis}");
        let svg = response.into_string().unwrap();
        assert!(svg.trim_start().starts_with("<svg"), "{analysis}: {}", &svg[..svg.len().min(200)]);
        assert!(svg.trim_end().ends_with("</svg>"), "{analysis}");
    }
    let (status, error) = analyze("detect?plot=png", &serde_json::json!({"series": level_shift()}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("plot=svg"), "{error}");
}

#[test]
fn bad_series_are_400_naming_what_to_fix_and_a_gap_may_be_filled() {
    let mut rows = dated(&(0..30).map(|step| 10.0 + wiggle(step, 0.0)).collect::<Vec<_>>());
    rows[3]["value"] = Value::from("lots");
    let (status, error) = analyze("detect", &serde_json::json!({"series": rows}));
    assert_eq!(status, 400, "{error}");
    let message = error_message(&error);
    assert!(message.contains("item 4") && message.contains("`value`") && message.contains("lots"), "{message}");

    let mut unsorted = dated(&(0..30).map(|step| 10.0 + wiggle(step, 0.0)).collect::<Vec<_>>());
    unsorted.as_array_mut().unwrap().swap(10, 11);
    let (status, error) = analyze("detect", &serde_json::json!({"series": unsorted}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("sort"), "{error}");

    // 2024-01-11 is missing.
    let mut gapped = dated(&(0..30).map(|step| 10.0 + wiggle(step, 0.0)).collect::<Vec<_>>());
    gapped.as_array_mut().unwrap().remove(10);
    let (status, error) = analyze("detect", &serde_json::json!({"series": gapped}));
    assert_eq!(status, 400, "{error}");
    let message = error_message(&error);
    assert!(message.contains("2024-01-11") && message.contains("missing"), "{message}");
    let (status, answer) = analyze("detect", &serde_json::json!({"series": gapped, "fill": "linear"}));
    assert_eq!(status, 200, "{answer}");
    let gap = serde_json::json!({"unit": "value", "from": "2024-01-11", "to": "2024-01-11", "missing": 1});
    assert_eq!(answer["filled_gaps"], serde_json::json!([gap]), "{answer}");
    assert_eq!(answer["results"][0]["steps"], 30);
    let (status, error) = analyze("detect", &serde_json::json!({"series": gapped, "fill": "mean"}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("refuse, zero or linear"), "{error}");

    let (status, error) = analyze("detect", &serde_json::json!({"series": [3, 4, 5]}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("too short"), "{error}");
    let (status, error) = analyze("detect", &serde_json::json!({"series": "3, 4, 5"}));
    assert_eq!(status, 400, "{error}");
}

#[test]
fn bad_requests_to_analyze_are_json_errors_with_their_status() {
    let (status, error) = analyze("forecast", &serde_json::json!({"series": level_shift()}));
    assert_eq!(status, 404, "{error}");
    assert!(error_message(&error).contains("forecast"), "{error}");

    let (status, error) = analyze("detect", &serde_json::json!({"series": level_shift(), "penalti": 3}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("unknown field `penalti`"), "{error}");
    let (status, error) = analyze("detect", &serde_json::json!({"values": level_shift()}));
    assert_eq!(status, 400, "{error}");
    let (status, error) = analyze("detect", &serde_json::json!({"series": level_shift(), "penalty": -1}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("penalty"), "{error}");
    let (status, error) = analyze("effect", &serde_json::json!({"series": level_shift()}));
    assert_eq!(status, 400, "no intervention date: {error}");
    let (panel, _) = lifted_panel();
    let (status, error) = analyze("effect", &serde_json::json!({"series": panel, "at": ["2024-05-30"]}));
    assert_eq!(status, 400, "no treated unit among several: {error}");
    assert!(error_message(&error).contains("A, B, C"), "{error}");

    let mut body = b"{\"series\": [".to_vec();
    while body.len() <= ANALYZE_BODY_BYTES {
        body.extend_from_slice(b"1.000000000000,");
    }
    body.extend_from_slice(b"1]}");
    let (status, error) = answer(
        ureq::post(&format!("{}/api/analyze/detect", server().base))
            .set("Content-Type", "application/json")
            .send_bytes(&body),
    );
    assert_eq!(status, 413, "{error}");
    assert!(error_message(&error).contains("8 MiB"), "{error}");
}

#[test]
fn series_past_the_limits_are_413_unless_the_detector_is_told_its_cost_and_penalty() {
    let long: Vec<f64> = (0..5_001).map(|step| if step < 2_500 { 10.0 } else { 30.0 } + wiggle(step, 0.0)).collect();
    let (status, error) = analyze("detect", &serde_json::json!({"series": long}));
    assert_eq!(status, 413, "{error}");
    assert!(error_message(&error).contains("5000"), "{error}");
    let (status, error) = analyze("detect", &serde_json::json!({"series": long, "cost": "mean"}));
    assert_eq!(status, 413, "a cost without a penalty is still automatic: {error}");
    let (status, answer) = analyze("detect", &serde_json::json!({"series": long, "cost": "mean", "penalty": 100}));
    assert_eq!(status, 200, "{answer}");
    let changepoints = answer["results"][0]["changepoints"].as_array().unwrap();
    assert_eq!(changepoints.len(), 1, "{changepoints:?}");
    assert!(changepoints[0]["step"].as_u64().unwrap().abs_diff(2_500) <= 2, "{changepoints:?}");

    let units: serde_json::Map<String, Value> =
        (0..51).map(|unit| (format!("unit {unit}"), serde_json::json!([1, 2, 3, 4, 5]))).collect();
    let (status, error) = analyze("detect", &serde_json::json!({"series": units}));
    assert_eq!(status, 413, "{error}");
    assert!(error_message(&error).contains("50"), "{error}");

    let too_long = vec![1; 100_001];
    let (status, error) = analyze("decay", &serde_json::json!({"series": too_long}));
    assert_eq!(status, 413, "{error}");
    assert!(error_message(&error).contains("100000"), "{error}");
}

/// A least segment of up to half the series still finds a change in its middle (PELT once required
/// the last segment to be `2 · min_segment − 1` long, losing the shift at 60 of 120 from 41 on).
#[test]
fn detect_honours_a_min_segment_of_up_to_half_the_series() {
    for min_segment in [31, 45, 60] {
        let body =
            serde_json::json!({"series": level_shift(), "min_segment": min_segment, "cost": "mean", "penalty": 50});
        let (status, answer) = analyze("detect", &body);
        assert_eq!(status, 200, "{answer}");
        let changepoints = &answer["results"][0]["changepoints"];
        assert_eq!(changepoints, &serde_json::json!([{"step": 60}]), "min_segment {min_segment}");
    }
}

/// Settings at the ends of their types: each analysis answers, or refuses naming the setting, and
/// never fails (a `min_segment` or a window of 2⁶⁴ − 1 once overflowed the analyses' step counts,
/// and a `post_days` of 10¹² sized a buffer of that many steps).
#[test]
fn extreme_settings_are_answered_or_refused_by_name() {
    let (panel, at) = lifted_panel();
    let effect = |settings: Value| {
        let mut body = serde_json::json!({"series": panel.clone(), "treated": "A", "at": [at.clone()]});
        body.as_object_mut().unwrap().extend(settings.as_object().unwrap().clone());
        analyze("effect", &body)
    };
    let (status, error) = analyze("detect", &serde_json::json!({"series": level_shift(), "min_segment": u64::MAX}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("min_segment"), "{error}");
    let (status, error) = analyze("detect", &serde_json::json!({"series": level_shift(), "min_segment": 61}));
    assert_eq!(status, 400, "two segments of 61 do not fit 120 steps: {error}");
    assert!(error_message(&error).contains("too short"), "{error}");
    let (status, answer) =
        analyze("detect", &serde_json::json!({"series": level_shift(), "penalty": 1e300, "cost": "linear"}));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["results"][0]["changepoints"], serde_json::json!([]), "no change is worth 1e300");

    // A post window past the series' end measures to its end, whatever its length.
    let (status, whole) = effect(serde_json::json!({"post_days": 50}));
    assert_eq!(status, 200, "{whole}");
    for post_days in [u64::MAX, 1_000_000_000_000] {
        let (status, answer) = effect(serde_json::json!({"post_days": post_days}));
        assert_eq!(status, 200, "{answer}");
        let (measured, expected) = (&answer["results"]["interventions"][0], &whole["results"]["interventions"][0]);
        assert_eq!(measured["post_steps"], 50, "{post_days}");
        assert_eq!(measured["lift"], expected["lift"], "{post_days}");
    }
    let (status, answer) = effect(serde_json::json!({"post_days": u64::MAX, "control": "own"}));
    assert_eq!(status, 200, "{answer}");
    for settings in
        [serde_json::json!({"pre_days": u64::MAX}), serde_json::json!({"history_days": 700, "pre_days": 200})]
    {
        let (status, error) = effect(settings.clone());
        assert_eq!(status, 400, "{settings}: {error}");
        assert!(error_message(&error).contains("too short before"), "{error}");
    }
    // A synthetic control's history costs about its square: the API bounds it.
    let (status, error) = effect(serde_json::json!({"history_days": u64::MAX}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("history_days: 730 at most"), "{error}");
    let (status, error) = effect(serde_json::json!({"at": ["1999-01-01"]}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("outside the series"), "{error}");

    let (status, error) = analyze("decay", &serde_json::json!({"series": level_shift(), "baseline": -1e300}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("baseline"), "{error}");
    let (status, error) =
        analyze("decay", &serde_json::json!({"series": dated(&level_shift()), "after": "2024-04-29"}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("too short"), "{error}");
}

fn listens_in_store() -> u64 {
    let (_, counted) = post_sql("SELECT count(*) AS n FROM listens");
    counted["rows"][0]["n"].as_u64().unwrap()
}

#[test]
fn a_drama_s_listeners_have_every_view_and_are_labelled_generated() {
    let started = std::time::Instant::now();
    let (status, drama) = get("/api/dramas/business_proposal/listeners?time_zone=Asia/Seoul");
    assert_eq!(status, 200, "{drama}");
    eprintln!("first answer in {:?}", started.elapsed());
    assert_eq!(
        drama["scope"],
        serde_json::json!({"kind": "drama", "id": "business_proposal", "label": "Business Proposal OSTs"})
    );
    assert_eq!(drama["time_zone"], "Asia/Seoul");
    assert_eq!(drama["generated"], true);
    let listens = listens_in_store();
    assert_eq!(drama["listens"].as_u64(), Some(listens));
    assert_eq!(drama["sources"], serde_json::json!([{"source": "generated", "listens": listens}]));

    let heatmap = &drama["heatmap"];
    assert_eq!(heatmap["weekdays"][0], "Mon");
    let cells = heatmap["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 7);
    assert!(cells.iter().all(|day| day.as_array().unwrap().len() == 24));
    let all_plays: u64 =
        cells.iter().flat_map(|day| day.as_array().unwrap()).map(|cell| cell["all_plays"].as_u64().unwrap()).sum();
    assert_eq!((heatmap["all_plays"].as_u64(), all_plays), (Some(listens), listens));
    assert!(heatmap["plays"].as_u64().unwrap() > 0);

    let airings = &drama["airings"];
    assert_eq!(
        (airings["airings"].as_i64(), airings["hours_before"].as_i64(), airings["hours_after"].as_i64()),
        (Some(12), Some(48), Some(72))
    );
    let offsets: Vec<i64> =
        airings["points"].as_array().unwrap().iter().map(|point| point["offset_hours"].as_i64().unwrap()).collect();
    assert_eq!(offsets, (-48..72).collect::<Vec<_>>());
    let first_hour = &airings["points"][48];
    assert!(first_hour["lift"].as_f64().unwrap() > 1.0, "the hour after an airing: {first_hour}");
    assert!(first_hour["low"].as_f64().unwrap() <= first_hour["lift"].as_f64().unwrap());

    let cohorts = &drama["cohorts"];
    let phases: Vec<&str> =
        cohorts["first_plays"].as_array().unwrap().iter().map(|phase| phase["phase"].as_str().unwrap()).collect();
    assert!(phases.contains(&"during_broadcast") && phases.contains(&"after_finale"), "{phases:?}");
    let gateway = cohorts["gateway_share"].as_f64().unwrap();
    assert!(gateway > 0.0 && gateway < 1.0, "{gateway}");
    let retention = cohorts["retention"].as_array().unwrap();
    assert!(retention
        .iter()
        .all(|curve| curve["shares"].as_array().unwrap().len() == 26 && curve["label"].is_string()));

    let sessions = &drama["sessions"];
    assert_eq!(sessions["all"]["plays"].as_u64(), Some(listens));
    assert!(sessions["in_scope"]["replay_share"].as_f64().unwrap() > 0.0);
    assert_eq!(sessions["gap_minutes"], 30);
    let completion = drama["playback"]["in_scope"]["completion"].as_f64().unwrap();
    assert!(completion > 0.5 && completion <= 1.0, "{completion}");
    let countries = drama["countries"]["countries"].as_array().unwrap();
    assert_eq!(countries[0]["country"], "KR", "the model's largest country");
    let country_plays: u64 = countries.iter().map(|country| country["plays"].as_u64().unwrap()).sum();
    assert_eq!(Some(country_plays), heatmap["plays"].as_u64());

    // The second load is the cached answer, byte for byte.
    let again = std::time::Instant::now();
    let (status, cached) = get("/api/dramas/business_proposal/listeners?time_zone=Asia/Seoul");
    assert_eq!((status, &cached), (200, &drama));
    assert!(again.elapsed() < std::time::Duration::from_secs(1), "the cached answer took {:?}", again.elapsed());
}

#[test]
fn a_song_and_all_music_have_their_listeners_and_bad_questions_are_json_errors() {
    let (status, song) = get("/api/songs/love_maybe/listeners");
    assert_eq!(status, 200, "{song}");
    assert_eq!((song["scope"]["kind"].as_str(), song["scope"]["id"].as_str()), (Some("song"), Some("love_maybe")));
    assert_eq!(song["time_zone"], "UTC");
    assert!(
        song["airings"]["points"].is_array() && song["cohorts"]["retention"].is_array(),
        "a song has its drama's airings"
    );
    let (status, all) = get("/api/listeners");
    assert_eq!(status, 200, "{all}");
    assert_eq!((all["scope"]["kind"].as_str(), all["scope"]["id"].is_null()), (Some("all"), true));
    assert!(all["airings"].is_null() && all["cohorts"].is_null());
    assert_eq!(all["heatmap"]["plays"], all["heatmap"]["all_plays"]);
    assert!(song["heatmap"]["plays"].as_u64().unwrap() < all["heatmap"]["plays"].as_u64().unwrap());

    let (status, error) = get("/api/songs/no_such_song/listeners");
    assert_eq!((status, error["error"].as_str()), (404, Some("no song `no_such_song` in the catalog")));
    assert_eq!(get("/api/dramas/no_such_drama/listeners").0, 404);
    let (status, error) = get("/api/listeners?time_zone=Mars/Olympus");
    assert_eq!(status, 400, "{error}");
    assert!(error["error"].as_str().unwrap().contains("unknown time zone"), "{error}");
    assert_eq!(get("/api/dramas/business_proposal/listeners?time_zone=Not_A_Zone").0, 400);
}

/// A store without listens answers with none and says so; a write of listens changes the answer
/// at once (the cache follows the store's generation).
#[test]
fn listeners_of_an_empty_store_are_empty_until_a_log_is_ingested() {
    let server = support::start(|config| config.token = Some(TOKEN.to_string()));
    let listeners = || answer(ureq::get(&format!("{}/api/dramas/goblin/listeners", server.base)).call());
    let (status, empty) = listeners();
    assert_eq!(status, 200, "{empty}");
    assert_eq!((empty["listens"].as_u64(), empty["generated"].as_bool()), (Some(0), Some(false)));
    assert_eq!(empty["sources"], serde_json::json!([]));
    assert_eq!(empty["heatmap"]["all_plays"], 0);
    let bytes =
        std::fs::read(manifest_dir().join("../encore-ingest/tests/fixtures/series/lastfm-scrobbles.csv")).unwrap();
    let url = format!("{}/api/ingest?file=lastfm-scrobbles.csv", server.base);
    let (status, summary) =
        answer(ureq::post(&url).set("Authorization", &format!("Bearer {TOKEN}")).send_bytes(&bytes));
    assert_eq!(status, 200, "{summary}");
    let (status, after) = listeners();
    assert_eq!(status, 200, "{after}");
    assert_eq!(after["listens"], summary["rows_stored"]);
    assert_eq!(after["generated"], false);
    assert_eq!(after["sources"][0]["source"], "lastfm");
    let goblin_plays = after["heatmap"]["plays"].as_u64().unwrap();
    assert!(goblin_plays >= 2, "the fixture's two plays of Goblin's first_snow: {goblin_plays}");
}

#[test]
fn the_dashboard_and_its_charting_library_are_served_from_the_binary() {
    let base = &server().base;
    let page = ureq::get(&format!("{base}/")).call().unwrap();
    assert!(page.content_type().starts_with("text/html"));
    let html = page.into_string().unwrap();
    assert!(html.contains("/assets/uPlot.iife.min.js") && html.contains("/assets/app.js"));
    let scripts = ["app.js", "charts.js", "format.js", "listeners.js", "listener_charts.js", "recommend.js"];
    for asset in scripts.into_iter().chain(["style.css", "uPlot.iife.min.js", "uPlot.min.css"]) {
        let response = ureq::get(&format!("{base}/assets/{asset}")).call().unwrap();
        assert_eq!(response.status(), 200, "{asset}");
    }
    assert_eq!(answer(ureq::get(&format!("{base}/assets/missing.js")).call()).0, 404);
}

/// Opens the dashboard in Debian's Chromium, clicks from the leaderboard to a song and checks the
/// song page, the listener sections, and the recommendations page with a playlist. Runs with
/// `ENCORE_E2E=1` (set by `.ci/run`, which installs Chromium and the script's dependencies);
/// skipped otherwise.
#[test]
fn the_dashboard_works_in_a_browser() {
    if std::env::var("ENCORE_E2E").as_deref() != Ok("1") {
        eprintln!("skipped: set ENCORE_E2E=1 to drive the dashboard in Chromium (needs chromium and `npm ci` in e2e/)");
        return;
    }
    let screenshot = std::env::temp_dir().join(format!("encore-dashboard-{}.png", std::process::id()));
    let output = std::process::Command::new("node")
        .arg(manifest_dir().join("e2e/dashboard.mjs"))
        .arg(format!("{}/", server().base))
        .arg(&screenshot)
        .output()
        .unwrap();
    let log = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the browser test failed:\n{log}");
    assert!(std::fs::metadata(&screenshot).unwrap().len() > 10_000, "the screenshot is empty:\n{log}");
    eprintln!("{log}screenshot: {}", screenshot.display());
}

#[test]
fn an_undated_series_takes_its_steps_as_numbers_or_text() {
    let series: Vec<f64> = (0..200)
        .map(|step| if step < 150 { 100.0 } else { 150.0 } * (1.0 + 0.02 * (step as f64 * 1.3).sin()))
        .collect();
    for at in [serde_json::json!(150), serde_json::json!("150")] {
        let (status, answer) = analyze("effect", &serde_json::json!({"series": series, "at": [at]}));
        assert_eq!(status, 200, "{answer}");
        let intervention = &answer["results"]["interventions"][0];
        assert_eq!(intervention["at"]["step"], 150, "{intervention}");
        assert!((intervention["lift"].as_f64().unwrap() - 0.5).abs() < 0.05, "{intervention}");
    }
    let (status, error) = analyze("effect", &serde_json::json!({"series": series, "at": [-3]}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("neither a date nor a step number"), "{error}");
}
