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

mod analyze_series;
mod checklist;
// The collectors' loopback replay of the public APIs, which their own tests use.
#[path = "../../encore-collect/tests/collect/fakes.rs"]
#[allow(dead_code)]
mod fakes;
mod recommendations;
#[path = "../../encore-collect/tests/collect/server.rs"]
#[allow(dead_code)]
mod server;
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
    add_collected_series(&store);
}

/// Stay With Me's pageviews and its video's and track's counts on two days, collected from the
/// replayed APIs, with the watch list where `encore collect` keeps its copy: the song page's
/// collected series. No listener is watched, so the listens stay the generated ones.
fn add_collected_series(store: &Store) {
    let world = fakes::World::new(fakes::flat_views);
    let apis = server::Server::start(move |request| world.answer(request));
    let copy = store.root().join(encore_collect::WATCH_LIST_COPY);
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::write(
        &copy,
        "[[song]]\nid = \"stay_with_me\"\nwikipedia = [\"en.wikipedia/Stay_with_Me_(Chanyeol_and_Punch_song)\"]\n\
         youtube = [\"pcKR0LPwoYs\"]\nlastfm = [{ artist = \"Chanyeol & Punch\", track = \"Stay With Me\" }]\n",
    )
    .unwrap();
    let watch = encore_collect::WatchList::from_path(&copy).unwrap();
    let clock = fakes::FakeClock::at(fakes::start_time());
    let environment = fakes::environment(&apis.base, clock.clone(), Arc::new(encore_collect::UreqTransport::default()));
    for _ in 0..2 {
        let summary = encore_collect::collect_once(store, &watch, &environment).unwrap();
        assert_eq!(summary.failures().count(), 0, "{summary:?}");
        clock.advance(chrono::Duration::days(1));
    }
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
    let source = SourceFile { path: config.source_name(), content: "generated".into() };
    let model = Arc::new(Model::new(config, catalog));
    store.append_listen_batches(source, generate(&model)).unwrap();
}

/// Starts a server on a free loopback port over `store` and waits until it answers.
fn start_server(store: PathBuf) -> String {
    support::serve(ServerConfig {
        token: Some(TOKEN.to_string()),
        public_sql: true,
        lyrics_folder: Some(data_dir().join("melon-year-end")),
        ..ServerConfig::new(store)
    })
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
        "/api/dramas/{id}/timeline",
        "/api/songs/{id}/checklist",
        "/api/songs/{id}/collected",
        "/api/checklist",
        "/api/lyrics",
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
    let scripts =
        ["analyze.js", "app.js", "charts.js", "format.js", "listeners.js", "listener_charts.js", "recommend.js"];
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
