//! The listener analyses on generated logs, checked against the generator's truth: counts the
//! generator took from its own rows must come back exactly; the model's parameters (airing
//! lift, replay chance, completion, retention) within the stated tolerances.

use std::sync::Arc;

use chrono_tz::Tz;
use encore_domain::{Catalog, DramaId, SongId};
use encore_listeners::generator::{expected_completion, expected_retention, generate, GeneratorConfig, Model, Truth};
use encore_listeners::{analyse, Analysis, ListenerReport, Resolved, Scope};
use encore_store::{SourceFile, Store};

fn catalog() -> Catalog {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    encore_ingest::read_catalog(&folder).unwrap().catalog
}

struct Generated {
    _folder: tempfile::TempDir,
    store: Store,
    truth: Truth,
    config: GeneratorConfig,
    catalog: Catalog,
}

fn generated(config: GeneratorConfig) -> Generated {
    let catalog = catalog();
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(&folder.path().join("store")).unwrap();
    let model = Arc::new(Model::new(config.clone(), &catalog));
    let mut generation = generate(&model);
    let source = SourceFile { path: config.source_name(), content: "test".into() };
    let summary = store.append_listen_batches(source, generation.by_ref()).unwrap();
    let truth = generation.truth().clone();
    assert_eq!(summary.rows_added as u64, truth.listens);
    Generated { _folder: folder, store, truth, config, catalog }
}

async fn report(generated: &Generated, scope: Scope) -> ListenerReport {
    let context = generated.store.session().await.unwrap();
    analyse(&context, &generated.catalog, scope, Tz::UTC).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_analysis_recovers_the_generators_truth() {
    let generated = generated(GeneratorConfig::default());
    let truth = &generated.truth;
    let config = &generated.config;
    let drama = "business_proposal";
    let report = report(&generated, Scope::Drama(DramaId::new(drama))).await;

    // Countries: every play counted, exactly.
    let measured: Vec<(String, u64)> =
        report.countries.countries.iter().map(|country| (country.country.clone(), country.plays as u64)).collect();
    let scope_plays: u64 = measured.iter().map(|(_, plays)| plays).sum();
    assert_eq!(scope_plays, truth.ost_plays[drama], "the drama's OST plays");

    // Gateway split: the listeners who first played after the finale are the gateway listeners.
    let cohorts = report.cohorts.as_ref().unwrap();
    let listeners: i64 = cohorts.first_plays.iter().map(|(_, count)| count).sum();
    assert_eq!(listeners as u64, truth.watchers_playing[drama] + truth.gateways_playing[drama]);
    let gateway = cohorts.gateway_share().unwrap();
    let expected_gateway =
        truth.gateways_playing[drama] as f64 / (truth.watchers_playing[drama] + truth.gateways_playing[drama]) as f64;
    assert!((gateway - expected_gateway).abs() < 1e-9, "gateway share {gateway} vs {expected_gateway}");

    // Retention of the broadcast's cohort, week by week, within 4 points of the model.
    let during =
        cohorts.retention.iter().find(|curve| curve.phase == encore_listeners::cohorts::Phase::DuringBroadcast);
    let during = during.unwrap_or_else(|| panic!("{:?}", cohorts.first_plays));
    for week in 0..12 {
        let expected = expected_retention(config, week);
        let measured = during.shares[week as usize];
        assert!((measured - expected).abs() < 0.04, "week {week}: retention {measured:.3} vs {expected:.3}");
    }

    // Airings: the burst in the hours after each airing, within 15 %; the hours before, flat.
    let curve = report.airings.as_ref().unwrap();
    assert_eq!(curve.airings, 12);
    for (hour, lift) in config.airing_lift.iter().enumerate() {
        let measured = curve.mean_lift(hour as i64, hour as i64 + 1).unwrap();
        assert!((measured / lift - 1.0).abs() < 0.15, "hour {hour}: lift {measured:.2} vs {lift}");
    }
    // Before the premiere nobody listens yet: one airing in twelve has no plays before it.
    let before = curve.mean_lift(-6, 0).unwrap();
    assert!((before - 11.0 / 12.0).abs() < 0.1, "the hours before an airing: lift {before:.2}");
    let first = curve.points.iter().find(|point| point.offset_hours == 0).unwrap();
    assert!(first.low.unwrap() > 1.0, "the first hour's interval excludes no change: {first:?}");

    // Replays and streaks of the OSTs: the generator's replay chance.
    let replays = report.sessions.in_scope.replay_share().unwrap();
    assert!((replays - config.replay).abs() < 0.03, "replay share {replays:.3} vs {}", config.replay);
    let streak = report.sessions.in_scope.mean_streak().unwrap();
    let expected_streak = 1.0 + 1.0 / (1.0 - config.replay);
    assert!((streak - expected_streak).abs() < 0.1, "mean streak {streak:.2} vs {expected_streak:.2}");

    // Completion and skips.
    let completion = report.playback.all.completion.unwrap();
    assert!((completion - expected_completion(config)).abs() < 0.01, "completion {completion:.3}");
    assert_eq!(report.playback.all.skipped as u64, truth.skipped);
    assert_eq!(report.playback.all.plays as u64, truth.listens);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_heatmap_follows_the_listeners_local_rhythm() {
    let config = GeneratorConfig { listeners: 1_500, dramas: vec!["business_proposal".into()], ..Default::default() };
    let generated = generated(config);
    let song = generated.catalog.songs.iter().find(|song| song.drama_id.as_str() == "business_proposal").unwrap();
    let report = report(&generated, Scope::Song(SongId::new(song.id.as_str()))).await;
    let heatmap = &report.heatmap;
    assert_eq!(heatmap.all_plays as u64, generated.truth.listens);
    // All music: hour shares in local time follow the model's daily rhythm.
    let hours: Vec<f64> = (0..24).map(|hour| (0..7).map(|day| heatmap.cells[day][hour].baseline_share).sum()).collect();
    let model = encore_listeners::generator::HOUR_SHARES;
    let correlation = pearson(&hours, &model);
    assert!(correlation > 0.97, "local-hour rhythm correlation {correlation:.3}: {hours:?}");
    // Read in UTC instead, the rhythms of ten countries blur.
    // (The model's countries span UTC−5 to UTC+9, so the peak moves away from 20-22 h.)
    let peak = hours.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
    assert!((18..=22).contains(&peak), "peak hour {peak}");
    // The song's evenings after its drama's airings (Mon-Tue 22:00 in Seoul) stand out.
    let monday_late = heatmap.cells[0][22].index.unwrap();
    assert!(monday_late > 1.2, "Monday 22:00 index {monday_late:.2}");
}

/// A plan that uses a table derived from the listens twice reads them twice: DataFusion plans a
/// common table expression again at each use. Each plan reads them once, except playback's,
/// whose tracks without a duration take their longest play from a second read (a window over
/// every play by track would sort them all).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_plan_reads_the_listens_once() {
    let config = GeneratorConfig { listeners: 20, days: 60, ..Default::default() };
    let generated = generated(config);
    let context = generated.store.session().await.unwrap();
    encore_listeners::tables::register(&context, &generated.catalog, Tz::UTC).await.unwrap();
    let scope = Resolved::new(&generated.catalog, Scope::Drama(DramaId::new("business_proposal"))).unwrap();
    for analysis in Analysis::ALL {
        let sql = analysis.sql(&scope, Some("business_proposal")).unwrap();
        let plan = context.sql(&sql).await.unwrap().create_physical_plan().await.unwrap();
        let shown = datafusion::physical_plan::displayable(plan.as_ref()).indent(false).to_string();
        let reads =
            shown.lines().filter(|line| line.contains("DataSourceExec") && line.contains("data/listens/")).count();
        let expected = if analysis == Analysis::Playback { 2 } else { 1 };
        assert_eq!(reads, expected, "{} reads the listens {reads} times:\n{shown}", analysis.name());
    }
}

fn pearson(left: &[f64], right: &[f64]) -> f64 {
    let mean = |values: &[f64]| values.iter().sum::<f64>() / values.len() as f64;
    let (left_mean, right_mean) = (mean(left), mean(right));
    let covariance: f64 = left.iter().zip(right).map(|(a, b)| (a - left_mean) * (b - right_mean)).sum();
    let spread = |values: &[f64], center: f64| values.iter().map(|value| (value - center).powi(2)).sum::<f64>().sqrt();
    covariance / (spread(left, left_mean) * spread(right, right_mean))
}
