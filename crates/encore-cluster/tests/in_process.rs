//! The same queries and listener analyses on the embedded engine and on a Ballista cluster run
//! inside the test (a scheduler and two executors on loopback): the answers must be the same.

use std::sync::Arc;

use chrono_tz::Tz;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::arrow::util::pretty::pretty_format_batches;
use encore_domain::{Catalog, DramaId};
use encore_listeners::generator::{generate, GeneratorConfig, Model};
use encore_listeners::{analyse, Scope};
use encore_store::{QueryLimits, SourceFile, Store};

fn catalog() -> Catalog {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    encore_ingest::read_catalog(&folder).unwrap().catalog
}

/// A store with generated listens: about 40,000 of them, in several part files.
fn store_with_listens(folder: &std::path::Path, catalog: &Catalog) -> Store {
    let store = Store::open(&folder.join("store")).unwrap();
    for seed in [1, 2, 3] {
        let config = GeneratorConfig { seed, ..GeneratorConfig::for_listens(13_000) };
        let model = Arc::new(Model::new(config.clone(), catalog));
        let source = SourceFile { path: format!("{}-{seed}", config.source_name()), content: format!("seed-{seed}") };
        store.append_listen_batches(source, generate(&model)).unwrap();
    }
    assert!(store.manifest().unwrap().dataset("listens").unwrap().parts.len() >= 3);
    store
}

/// The rows as text, in the order the query sorted them.
fn text(batches: &[RecordBatch]) -> String {
    pretty_format_batches(batches).unwrap().to_string()
}

const QUERIES: [&str; 5] = [
    "SELECT count(*) AS listens, count(DISTINCT \"user\") AS listeners, min(listened_at), max(listened_at) FROM listens",
    "SELECT country, count(*) AS plays, sum(ms_played) AS ms FROM listens GROUP BY country ORDER BY country",
    "SELECT \"user\", count(*) AS plays FROM listens GROUP BY \"user\" ORDER BY plays DESC, \"user\" LIMIT 15",
    "SELECT date_trunc('week', listened_at) AS week, count(DISTINCT track) AS tracks FROM listens \
     WHERE country IS NOT NULL GROUP BY 1 ORDER BY 1",
    // Sorted per table below the union, over the charts' empty in-memory tables (a sort over a
    // stage that wrote nothing).
    "SELECT count(*) AS chart_rows FROM (SELECT chart FROM chart_entries ORDER BY chart_date, chart, rank LIMIT 100000)",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cluster_gives_the_embedded_engines_answers() {
    let catalog = catalog();
    let folder = tempfile::tempdir().unwrap();
    let here = store_with_listens(folder.path(), &catalog);
    let cluster = encore_cluster::start_in_process(2, 2).await.unwrap();
    let cluster_address = &cluster.address().to_string();
    let there = Store::open_existing(here.root()).unwrap().on_engine(Arc::new(cluster));

    assert_runs_on_the_cluster(&there).await;

    for query in QUERIES {
        let expected = text(&here.sql(query, QueryLimits::unbounded()).await.unwrap());
        let answer = text(&there.sql(query, QueryLimits::unbounded()).await.unwrap());
        assert_eq!(answer, expected, "{query}");
        assert!(expected.lines().count() > 4, "{query} answered nothing:\n{expected}");
    }

    // The executors reading the parts by URL, as they read a copy of the store on an object store.
    let by_url = reading_parts_at(&here, cluster_address, &format!("file://{}", here.root().display())).await;
    assert_runs_on_the_cluster(&by_url).await;
    let expected = text(&here.sql(QUERIES[1], QueryLimits::unbounded()).await.unwrap());
    assert_eq!(text(&by_url.sql(QUERIES[1], QueryLimits::unbounded()).await.unwrap()), expected);

    // ... and only there: a URL where the parts are not is an error, not empty answers.
    let elsewhere =
        reading_parts_at(&here, cluster_address, &format!("file://{}/elsewhere", folder.path().display())).await;
    let error = elsewhere.sql(QUERIES[1], QueryLimits::unbounded()).await.unwrap_err().to_string();
    assert!(error.contains("part files are not at file://") && error.contains("/elsewhere/data/"), "{error}");

    // Every listener analysis of a drama: its plans join the in-memory airings, zone offsets and
    // OST tables, which travel inside the plan.
    let scope = || Scope::Drama(DramaId::new("business_proposal"));
    let expected = analyse(&here.session().await.unwrap(), &catalog, scope(), Tz::Asia__Seoul).await.unwrap();
    let answer = analyse(&there.session().await.unwrap(), &catalog, scope(), Tz::Asia__Seoul).await.unwrap();
    assert!(expected.countries.countries.iter().map(|country| country.plays).sum::<i64>() > 1000);
    assert_eq!(rounded(&answer), rounded(&expected));
}

/// `store` on the cluster at `address`, whose executors read its parts under `url`.
async fn reading_parts_at(store: &Store, address: &str, url: &str) -> Store {
    let cluster = encore_cluster::Cluster::connect(address).await.unwrap().with_parts_url(url).unwrap();
    Store::open_existing(store.root()).unwrap().on_engine(Arc::new(cluster))
}

/// The store's plans go to the cluster.
async fn assert_runs_on_the_cluster(store: &Store) {
    let plan = store.session().await.unwrap().sql(QUERIES[1]).await.unwrap().create_physical_plan().await.unwrap();
    let shown = datafusion::physical_plan::displayable(plan.as_ref()).indent(false).to_string();
    assert!(shown.contains("DistributedQueryExec"), "{shown}");
}

/// The report as JSON with every number to 9 significant digits: sums of floats taken in
/// another order may differ in their last bits.
fn rounded(report: &encore_listeners::ListenerReport) -> serde_json::Value {
    fn round(value: serde_json::Value) -> serde_json::Value {
        match value {
            serde_json::Value::Number(number) if number.is_f64() => {
                let float = number.as_f64().unwrap();
                serde_json::json!(format!("{float:.9e}"))
            }
            serde_json::Value::Array(items) => serde_json::Value::Array(items.into_iter().map(round).collect()),
            serde_json::Value::Object(fields) => {
                serde_json::Value::Object(fields.into_iter().map(|(key, value)| (key, round(value))).collect())
            }
            other => other,
        }
    }
    round(serde_json::to_value(report).unwrap())
}
