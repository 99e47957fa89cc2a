//! The report, the API and `encore analyze` are views of one analysis. Their JSON shapes are
//! pinned here by snapshots of the sample catalog (`encore_analytics::sample`), so renaming a field
//! is a visible change, and where two views show the same figure they must agree. The API's
//! listener answer is pinned too, by its shape on a small generated log, and its recommendation
//! and playlist answers by their shapes on values made here.
//!
//! After a deliberate change of shape, review and accept the new snapshots with
//! `INSTA_UPDATE=always cargo test --workspace --test commands views::` (or `cargo insta review`).

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use serde_json::Value;

use encore_analytics::analyse_catalog;
use encore_analytics::sample::sample_catalog;
use encore_domain::{ChartKind, DramaId};
use encore_listeners::generator::{generate, GeneratorConfig, Model};
use encore_listeners::{analyse, zones::parse_zone, Scope};
use encore_recommend::playlist::Track;
use encore_recommend::recommend::{Because, Similar};
use encore_recommend::{Playlist, Recommendation, Seed};
use encore_report::{write_report, Overwrite, Report};
use encore_server::{listener_view, playlist_view, recommendations_view, ModelView, Snapshot};
use encore_store::{SourceBatch, SourceFile, Store};

/// The value with every long array cut to its first two items and a count: a snapshot pins the
/// names, types and first values, not every point of a series.
fn shape(value: &Value) -> Value {
    match value {
        Value::Array(items) if items.len() > 3 => {
            let mut kept: Vec<Value> = items.iter().take(2).map(shape).collect();
            kept.push(Value::String(format!("… {} items in all", items.len())));
            Value::Array(kept)
        }
        Value::Array(items) => Value::Array(items.iter().map(shape).collect()),
        Value::Object(fields) => {
            Value::Object(fields.iter().map(|(name, field)| (name.clone(), shape(field))).collect())
        }
        other => other.clone(),
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(&shape(value)).expect("JSON text")
}

fn parse(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("a view's answer is JSON")
}

/// `report.json` of the sample, as `encore report` writes it.
fn report_json() -> Value {
    let (catalog, entries) = sample_catalog();
    let analysis = analyse_catalog(&catalog, entries, &[]);
    let report = Report {
        title: "sample".to_string(),
        generated_from: Vec::new(),
        leaderboard: analysis.leaderboard.clone(),
        marketing: analysis.marketing.clone(),
        listeners: Vec::new(),
        sections: Default::default(),
        cases: analysis.cases,
    };
    let folder = tempfile::tempdir().expect("temporary folder");
    let html = write_report(&folder.path().join("report"), &report, Overwrite::OnlyEncoreReports).expect("report");
    parse(&std::fs::read(html.with_file_name("report.json")).expect("report.json"))
}

fn api() -> Snapshot {
    let (catalog, entries) = sample_catalog();
    Snapshot::build(catalog, entries, Vec::new(), Vec::new(), &[], 1).expect("the API's answers")
}

/// `encore analyze --json` on a store holding the sample.
fn analyze_json() -> Value {
    let (catalog, entries) = sample_catalog();
    let folder = tempfile::tempdir().expect("temporary folder");
    let store = Store::open(folder.path()).expect("a new store");
    store.replace_catalog(&catalog, Vec::new()).expect("the catalog stored");
    let batch = SourceBatch::new(Path::new("sample.csv"), b"sample chart", entries);
    store.append_chart(ChartKind::SpotifyDaily, &[batch]).expect("the chart stored");
    let output = Command::new(env!("CARGO_BIN_EXE_encore"))
        .args(["analyze", "--json", "--store"])
        .arg(folder.path())
        .env_remove("ENCORE_JSON")
        .output()
        .expect("the encore binary runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    parse(&output.stdout)
}

/// The value with each number replaced by its JSON type: a snapshot of a generated log pins names,
/// types, nulls and lengths, while the listener crate's tests check the figures against the
/// generator's truth.
fn without_numbers(value: &Value) -> Value {
    match value {
        Value::Number(number) if number.is_i64() || number.is_u64() => Value::String("integer".into()),
        Value::Number(_) => Value::String("number".into()),
        Value::Array(items) => Value::Array(items.iter().map(without_numbers).collect()),
        Value::Object(fields) => {
            Value::Object(fields.iter().map(|(name, field)| (name.clone(), without_numbers(field))).collect())
        }
        other => other.clone(),
    }
}

/// `GET /api/dramas/business_proposal/listeners` on a store holding a small generated log of the
/// project's catalog.
fn listeners_json() -> Value {
    let catalog_folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    let catalog = encore_ingest::read_catalog(&catalog_folder).expect("the catalog").catalog;
    let folder = tempfile::tempdir().expect("temporary folder");
    let store = Store::open(folder.path()).expect("a new store");
    let config =
        GeneratorConfig { listeners: 100, days: 120, dramas: vec!["business_proposal".into()], ..Default::default() };
    let source = SourceFile { path: config.source_name(), content: "generated".into() };
    let model = Arc::new(Model::new(config, &catalog));
    store.append_listen_batches(source, generate(&model)).expect("the listens stored");
    let scope = Scope::Drama(DramaId::new("business_proposal"));
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let report = runtime
        .block_on(async {
            let context = store.session().await?;
            analyse(&context, &catalog, scope.clone(), parse_zone("UTC")?).await
        })
        .expect("the listener report");
    serde_json::to_value(listener_view(report, &scope, "UTC")).expect("JSON")
}

#[test]
fn api_listeners_shape_is_pinned() {
    insta::assert_snapshot!("api_listeners", pretty(&without_numbers(&shape(&listeners_json()))));
}

/// `GET /api/recommend` and `GET /api/playlist` for values made here: the shapes pinned whatever
/// the model learns (the server's tests check the answers on a fitted model).
fn recommend_json() -> (Value, Value) {
    let recommendation = Recommendation {
        rank: 1,
        item: "love_maybe".into(),
        song_id: Some("love_maybe".into()),
        title: "Love, Maybe".into(),
        artist: "MeloMance".into(),
        drama_id: Some("business_proposal".into()),
        drama: Some("Business Proposal".into()),
        score: 0.5,
        cold_start: false,
        because: vec![Because { item: "first_snow".into(), title: "First Snow — Ailee".into(), co_listeners: 12 }],
        similar: vec![Similar { item: "sweet".into(), title: "Sweet — Lee Mu-jin".into(), similarity: 0.75 }],
        explanation: "listeners of First Snow — Ailee (12 of them) also play this".into(),
    };
    let model =
        ModelView { factors: 64, regularization: 0.05, alpha: 10.0, iterations: 15, listeners: 300, songs: 1200 };
    let recommendations = recommendations_view("listener-0000001".into(), vec![recommendation], model, true);
    let track = Track {
        position: 1,
        song_id: "love_maybe".into(),
        title: "Love, Maybe".into(),
        artist: "MeloMance".into(),
        drama: "Business Proposal".into(),
        similarity: 1.0,
        closest_before: 0.0,
        cold_start: false,
        uri: None,
    };
    let playlist = Playlist { seed: Seed::Drama("business_proposal".into()), variety: 0.25, tracks: vec![track] };
    // Through the bytes, as served: an f32 is written by its shortest form (0.05, not 0.0500000007).
    (
        parse(&serde_json::to_vec(&recommendations).expect("JSON")),
        parse(&serde_json::to_vec(&playlist_view(playlist, true)).expect("JSON")),
    )
}

#[test]
fn api_recommend_and_playlist_shapes_are_pinned() {
    let (recommendations, playlist) = recommend_json();
    insta::assert_snapshot!("api_recommend", pretty(&recommendations));
    insta::assert_snapshot!("api_playlist", pretty(&playlist));
}

#[test]
fn report_json_is_pinned() {
    insta::assert_snapshot!("report_json", pretty(&report_json()));
}

#[test]
fn api_answers_are_pinned() {
    let api = api();
    insta::assert_snapshot!("api_song", pretty(&parse(&api.song_by_id["sample_song"])));
    insta::assert_snapshot!("api_drama_without_charting_songs", pretty(&parse(&api.drama_by_id["other_drama"])));
    insta::assert_snapshot!("api_marketing", pretty(&parse(&api.marketing)));
    insta::assert_snapshot!("api_leaderboard", pretty(&parse(&api.leaderboard)));
    insta::assert_snapshot!("api_checklist", pretty(&parse(&api.checklist)));
    insta::assert_snapshot!("api_timeline", pretty(&parse(&api.timeline_by_drama["sample_drama"].json)));
}

#[test]
fn analyze_json_is_pinned() {
    insta::assert_snapshot!("analyze_json", pretty(&analyze_json()));
}

#[test]
fn the_views_agree_where_they_show_the_same_figure() {
    let report = report_json();
    let api = api();
    let analyze = analyze_json();

    // The marketing table: every song event, the one that never charted included, and the drama's
    // premiere for the song released before it, with the same lift or the same reason in all three.
    let api_marketing = parse(&api.marketing);
    let key = |row: &Value| (row["song_id"].clone(), row["date"].clone(), row["reason"].clone());
    let lifts = |rows: &Value| -> Vec<(Value, Value, Value, Value)> {
        let rows = rows.as_array().expect("a list of rows");
        rows.iter()
            .map(|row| {
                let (song, date, reason) = key(row);
                (song, date, reason, row["lift"]["estimate"].clone())
            })
            .collect()
    };
    assert_eq!(lifts(&api_marketing).len(), 3, "{api_marketing}");
    assert!(api_marketing
        .as_array()
        .into_iter()
        .flatten()
        .any(|row| row["detail"].as_str().is_some_and(|detail| detail.starts_with("Sample Drama premiere"))));
    assert!(lifts(&api_marketing).iter().any(|(song, _, reason, _)| song == "quiet_song" && reason.is_string()));
    assert_eq!(lifts(&report["marketing"]), lifts(&api_marketing));
    assert_eq!(lifts(&analyze["marketing"]), lifts(&api_marketing));

    // The eclipse and the leaderboard.
    let api_song = parse(&api.song_by_id["sample_song"]);
    assert_eq!(report["cases"][0]["eclipse"], api_song["eclipse"]);
    assert_eq!(analyze["songs"][0]["eclipse"], api_song["eclipse"]);
    let api_leaderboard = parse(&api.leaderboard);
    assert_eq!(report["leaderboard"][0]["case"], api_leaderboard[0]["song_id"]);
    assert_eq!(analyze["leaderboard"][0]["song_id"], api_leaderboard[0]["song_id"]);

    // Peaks, longevity and the airing response.
    assert_eq!(report["cases"][0]["longevity"], analyze["songs"][0]["longevity"]);
    assert_eq!(report["cases"][0]["airing"], analyze["songs"][0]["airing"]);
    let report_peak_dates: Vec<&Value> =
        report["cases"][0]["peaks"].as_array().expect("peaks").iter().map(|peak| &peak["date"]).collect();
    let api_peak_dates: Vec<&Value> =
        api_song["peak_list"].as_array().expect("peaks").iter().map(|peak| &peak["date"]).collect();
    assert!(!api_peak_dates.is_empty());
    assert_eq!(report_peak_dates, api_peak_dates);

    // A drama's attention is its own, computed whether or not any of its songs charted.
    let other = parse(&api.drama_by_id["other_drama"]);
    assert!(!other["drama_attention"].as_array().expect("points").is_empty(), "{other}");
    let own = parse(&api.drama_by_id["sample_drama"]);
    assert_eq!(own["drama_attention"], api_song["drama_attention"]);
}
