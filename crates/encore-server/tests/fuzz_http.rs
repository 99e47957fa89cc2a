//! Whatever a client sends, on any route: random paths, query strings, JSON and SQL bodies and
//! uploaded bytes, with and without tokens. The server answers every request with a status below
//! 500 and a JSON error body for the API, and keeps answering afterwards.

use std::sync::OnceLock;
use std::time::Duration;

use proptest::prelude::*;

mod support;
use support::{start, TestServer};

const WRITE_TOKEN: &str = "fuzz-write";
const READ_TOKEN: &str = "fuzz-read";

fn server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        start(|config| {
            config.token = Some(WRITE_TOKEN.to_string());
            config.read_token = Some(READ_TOKEN.to_string());
            config.sql_timeout_seconds = 5;
            config.sql_memory_mb = 128;
            config.upload_timeout_seconds = 5;
        })
    })
}

const ROUTES: [&str; 19] = [
    "/api/status",
    "/api/dramas",
    "/api/dramas/",
    "/api/songs",
    "/api/songs/",
    "/api/songs/first_snow/marketing-effect",
    "/api/leaderboard",
    "/api/regions",
    "/api/marketing-effect",
    "/api/recommend/listeners",
    "/api/recommend",
    "/api/playlist",
    "/api/sql",
    "/api/analyze/detect",
    "/api/analyze/",
    "/api/ingest",
    "/api/catalog/reload",
    "/api/openapi.json",
    "/assets/",
];

/// Text as a URL's path segment or query value: every byte outside letters and digits escaped.
fn escaped(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|byte| if byte.is_ascii_alphanumeric() { (*byte as char).to_string() } else { format!("%{byte:02X}") })
        .collect()
}

/// A body a client might send: bytes, a JSON document of random shape, SQL in JSON, or a series
/// to analyse with random settings.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let json = proptest::collection::vec(any::<(String, i64)>(), 0..4).prop_map(|pairs| {
        let object: serde_json::Map<String, serde_json::Value> =
            pairs.into_iter().map(|(key, value)| (key, serde_json::json!(value))).collect();
        serde_json::to_vec(&object).unwrap()
    });
    let sql = prop_oneof![
        Just("SELECT * FROM chart_entries".to_string()),
        Just("DROP TABLE songs".to_string()),
        Just("SELECT repeat('x', 100000000)".to_string()),
        "[ -~]{0,80}",
    ]
    .prop_flat_map(|query| {
        (Just(query), proptest::option::of(-5_i64..20_000)).prop_map(|(query, max_rows)| {
            serde_json::to_vec(&serde_json::json!({"query": query, "max_rows": max_rows})).unwrap()
        })
    });
    let value = prop_oneof![
        any::<f64>().prop_map(|number| serde_json::json!(number)),
        (-1_000_i64..1_000).prop_map(|number| serde_json::json!(number)),
        "[ -~]{0,6}".prop_map(|text| serde_json::json!(text)),
        Just(serde_json::Value::Null),
    ];
    let setting = prop_oneof![
        (-3_i64..1_000_000).prop_map(|number| serde_json::json!(number)),
        Just(serde_json::json!(u64::MAX)),
        "[ -~]{0,12}".prop_map(|text| serde_json::json!(text)),
        Just(serde_json::json!(["2024-01-05"])),
    ];
    let names = ["fill", "penalty", "cost", "min_segment", "scale", "at", "post_days", "pre_days", "after", "baseline"];
    let series = (
        proptest::collection::vec(value, 0..80),
        any::<bool>(),
        proptest::collection::vec((0..names.len(), setting), 0..4),
    )
        .prop_map(move |(values, dated, settings)| {
            let first = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
            let series: serde_json::Value = if dated {
                let rows = values.into_iter().enumerate().map(|(step, value)| {
                    let date = first.checked_add_days(chrono::Days::new(step as u64)).unwrap();
                    serde_json::json!({"date": date.to_string(), "value": value})
                });
                serde_json::Value::Array(rows.collect())
            } else {
                serde_json::Value::Array(values)
            };
            let mut body = serde_json::json!({ "series": series });
            for (name, setting) in settings {
                body[names[name]] = setting;
            }
            serde_json::to_vec(&body).unwrap()
        });
    prop_oneof![proptest::collection::vec(any::<u8>(), 0..600), json, sql, series]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_request_is_answered_with_a_server_error(
        route in 0..ROUTES.len(),
        segment in proptest::collection::vec(any::<u8>(), 0..12),
        query in proptest::collection::vec((proptest::collection::vec(any::<u8>(), 0..8), proptest::collection::vec(any::<u8>(), 0..16)), 0..4),
        post in any::<bool>(),
        token in prop_oneof![Just(None), Just(Some(WRITE_TOKEN)), Just(Some(READ_TOKEN)), Just(Some("wrong"))],
        body in body(),
    ) {
        let server = server();
        let path = ROUTES[route];
        let path = if path.ends_with('/') { format!("{path}{}", escaped(&segment)) } else { path.to_string() };
        let query: Vec<String> = query.iter().map(|(key, value)| format!("{}={}", escaped(key), escaped(value))).collect();
        let url = format!("{}{path}?{}", server.base, query.join("&"));
        let request = if post { ureq::post(&url) } else { ureq::get(&url) }.timeout(Duration::from_secs(30));
        let request = match token {
            Some(token) => request.set("Authorization", &format!("Bearer {token}")),
            None => request,
        };
        let result = if post { request.send_bytes(&body) } else { request.call() };
        let response = match result {
            Ok(response) | Err(ureq::Error::Status(_, response)) => response,
            Err(error) => panic!("{url}: no answer: {error}"),
        };
        let status = response.status();
        prop_assert!(status < 500 || status == 503, "{url} answered {status}: {}", response.into_string().unwrap_or_default());
        if path.starts_with("/api/") && status >= 400 {
            prop_assert!(response.content_type().starts_with("application/json"), "{url}: {status} {}", response.content_type());
        }
    }
}

#[test]
fn the_server_still_answers_after_the_fuzzing() {
    let status = ureq::get(&format!("{}/api/status", server().base)).call().unwrap();
    assert_eq!(status.status(), 200);
}
