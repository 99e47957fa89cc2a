//! The server under load and abuse, on loopback: an abusive query is cut within the time limit
//! without the process's memory growing past the cap, page reads still answer while eight run,
//! SQL needs a token, bodies are bounded, security headers are sent, and a damaged part file is a
//! JSON error naming it while the other endpoints keep serving. The servers run in this process, so
//! its resident memory is theirs.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

use encore_store::Store;
use std::path::Path;

mod support;
use support::{start, TestServer};

const WRITE_TOKEN: &str = "write-token";
const READ_TOKEN: &str = "read-token";
const TIMEOUT_SECONDS: u64 = 5;
/// Slack over the time limit for a debug build on a busy 2-core machine.
const TIME_MARGIN: Duration = Duration::from_secs(3);
const MEMORY_MB: usize = 256;
/// Slack over the memory cap for the test harness, the servers' snapshots and allocator slack.
const RSS_MARGIN_MB: u64 = 200;
const MAX_BYTES: usize = 64 * 1024;
const ABUSIVE_QUERY: &str = "SELECT repeat('x', 500000000) AS s";

/// SQL closed to anonymous clients, with small limits.
fn guarded() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        start(|config| {
            config.token = Some(WRITE_TOKEN.to_string());
            config.read_token = Some(READ_TOKEN.to_string());
            config.sql_timeout_seconds = TIMEOUT_SECONDS;
            config.sql_memory_mb = MEMORY_MB;
            config.sql_max_bytes = MAX_BYTES;
        })
    })
}

/// Status, headers and JSON body of a request, whatever the status.
fn answer(result: Result<ureq::Response, ureq::Error>) -> (u16, ureq::Response) {
    match result {
        Ok(response) => (response.status(), response),
        Err(ureq::Error::Status(status, response)) => (status, response),
        Err(error) => panic!("request failed: {error}"),
    }
}

fn json(result: Result<ureq::Response, ureq::Error>) -> (u16, Value) {
    let (status, response) = answer(result);
    assert!(response.content_type().starts_with("application/json"), "{status}: {}", response.content_type());
    (status, response.into_json().unwrap())
}

fn post_sql(server: &TestServer, token: Option<&str>, query: &str) -> (u16, Value) {
    let mut request = ureq::post(&format!("{}/api/sql", server.base)).timeout(Duration::from_secs(60));
    if let Some(token) = token {
        request = request.set("Authorization", &format!("Bearer {token}"));
    }
    json(request.send_json(serde_json::json!({ "query": query, "max_rows": 10000 })))
}

/// The process's resident memory, in MiB.
fn resident_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|line| line.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() / 1024
}

/// Samples the resident memory until `stop` is set, and returns the peak.
fn watch_memory(stop: std::sync::Arc<std::sync::atomic::AtomicBool>) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let mut peak = resident_mb();
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            peak = peak.max(resident_mb());
            std::thread::sleep(Duration::from_millis(10));
        }
        peak
    })
}

#[test]
fn abusive_queries_are_cut_in_time_and_memory_while_pages_still_answer() {
    let server = guarded();
    let first_song = json(ureq::get(&format!("{}/api/songs", server.base)).call()).1;
    let song_id = first_song.as_array().unwrap()[0]["id"].as_str().unwrap().to_string();
    let baseline = resident_mb();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = watch_memory(stop.clone());

    let started = Instant::now();
    let (status, body) = post_sql(server, Some(READ_TOKEN), ABUSIVE_QUERY);
    let elapsed = started.elapsed();
    assert!(matches!(status, 408 | 413), "{status}: {body}");
    assert!(body["error"].as_str().unwrap().contains("MiB"), "{body}");
    assert!(elapsed < Duration::from_secs(TIMEOUT_SECONDS) + TIME_MARGIN, "{elapsed:?}");

    let abusers: Vec<_> = (0..8)
        .map(|_| {
            std::thread::spawn(|| {
                let started = Instant::now();
                let (status, body) = post_sql(guarded(), Some(READ_TOKEN), ABUSIVE_QUERY);
                (status, body, started.elapsed())
            })
        })
        .collect();
    let mut page_reads = 0;
    while !abusers.iter().all(|abuser| abuser.is_finished()) || page_reads < 5 {
        let started = Instant::now();
        let (status, song) = json(ureq::get(&format!("{}/api/songs/{song_id}", server.base)).call());
        assert_eq!(status, 200, "{song}");
        assert!(started.elapsed() < Duration::from_secs(2), "a page read took {:?}", started.elapsed());
        page_reads += 1;
    }
    for abuser in abusers {
        let (status, body, elapsed) = abuser.join().unwrap();
        assert!(matches!(status, 408 | 413), "{status}: {body}");
        // Eight share two turns: the last waits for the others, all within one time limit.
        assert!(elapsed < Duration::from_secs(TIMEOUT_SECONDS) + TIME_MARGIN, "{elapsed:?}");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak = watcher.join().unwrap();
    eprintln!("resident memory: {baseline} MiB before, peak {peak} MiB, {} MiB after", resident_mb());
    assert!(
        peak < baseline + MEMORY_MB as u64 + RSS_MARGIN_MB,
        "resident memory peaked at {peak} MiB from {baseline} MiB (cap {MEMORY_MB} + margin {RSS_MARGIN_MB})"
    );
}

#[test]
fn a_slow_query_ends_at_the_time_limit_and_a_greedy_one_at_the_memory_cap() {
    let started = Instant::now();
    let (status, body) =
        post_sql(guarded(), Some(READ_TOKEN), "SELECT count(*) AS n FROM generate_series(1, 100000000000)");
    let elapsed = started.elapsed();
    assert_eq!(status, 408, "{body}");
    assert!(body["error"].as_str().unwrap().contains(&format!("{TIMEOUT_SECONDS} s")), "{body}");
    assert!(elapsed < Duration::from_secs(TIMEOUT_SECONDS) + TIME_MARGIN, "{elapsed:?}");

    let (status, body) =
        post_sql(guarded(), Some(READ_TOKEN), "SELECT array_agg(value) AS a FROM generate_series(1, 100000000)");
    assert_eq!(status, 413, "{body}");
    assert!(body["error"].as_str().unwrap().contains("MiB limit"), "{body}");
}

#[test]
fn a_large_answer_is_cut_at_the_byte_cap_and_named() {
    let (status, body) = post_sql(guarded(), Some(READ_TOKEN), "SELECT value FROM generate_series(1, 100000)");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["truncated"], true);
    assert_eq!(body["truncated_by"], "max_bytes");
    assert_eq!(body["max_bytes"], MAX_BYTES);
    let rows = body["rows"].as_array().unwrap();
    assert!(!rows.is_empty() && rows.len() < 10000, "{} rows", rows.len());
    assert_eq!(body["row_count"], rows.len());

    let (status, body) = post_sql(guarded(), Some(READ_TOKEN), "SELECT repeat('x', 100000) AS s");
    assert_eq!(status, 413, "{body}");
    assert!(body["error"].as_str().unwrap().contains("64 KiB"), "{body}");
}

#[test]
fn sql_needs_the_read_or_write_token_unless_public() {
    let query = "SELECT 1 AS one";
    let (status, body) = post_sql(guarded(), None, query);
    assert_eq!(status, 401, "{body}");
    assert!(body["error"].as_str().unwrap().contains("Bearer"), "{body}");
    assert_eq!(post_sql(guarded(), Some("wrong"), query).0, 401);
    let (status, body) = post_sql(guarded(), Some(READ_TOKEN), query);
    assert_eq!((status, &body["rows"]), (200, &serde_json::json!([{ "one": 1 }])));
    assert_eq!(post_sql(guarded(), Some(WRITE_TOKEN), query).0, 200);

    // The read token does not write.
    let (status, _) = json(
        ureq::post(&format!("{}/api/catalog/reload", guarded().base))
            .set("Authorization", &format!("Bearer {READ_TOKEN}"))
            .call(),
    );
    assert_eq!(status, 401);

    let public = start(|config| config.public_sql = true);
    assert_eq!(post_sql(&public, None, query).0, 200);
    let closed = start(|_| {});
    let (status, body) = post_sql(&closed, None, query);
    assert_eq!(status, 401);
    assert!(body["error"].as_str().unwrap().contains("--public-sql"), "{body}");
}

#[test]
fn a_sql_body_past_its_limit_is_refused_with_413() {
    let padding = " ".repeat(encore_server::MAX_SQL_BODY_BYTES + 1);
    let (status, body) = post_sql(guarded(), Some(READ_TOKEN), &format!("SELECT 1{padding}"));
    assert_eq!(status, 413, "{body}");
    assert!(body["error"].as_str().unwrap().contains("64 KiB"), "{body}");
}

#[test]
fn every_answer_carries_the_security_headers_and_no_cors() {
    for path in ["/", "/api/songs", "/assets/app.js", "/api/nothing-here"] {
        let (_, response) = answer(ureq::get(&format!("{}{path}", guarded().base)).call());
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(response.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(response.header("referrer-policy"), Some("no-referrer"), "{path}");
        let policy = response.header("content-security-policy").unwrap_or_default();
        assert!(policy.contains("script-src 'self'") && policy.contains("style-src 'self'"), "{path}: {policy}");
        assert_eq!(response.header("access-control-allow-origin"), None, "{path}");
    }
}

#[test]
fn a_damaged_part_file_is_a_json_error_naming_it_and_pages_still_answer() {
    let server = start(|config| config.public_sql = true);
    let manifest = Store::open_existing(&server.store).unwrap().manifest().unwrap();
    let part = &manifest.dataset("songs").unwrap().parts[0].file;
    let path = server.store.join(part);
    let length = std::fs::metadata(&path).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(length / 2).unwrap();

    let (status, body) = post_sql(&server, None, "SELECT count(*) AS songs FROM songs");
    assert!((400..600).contains(&status), "{status}: {body}");
    let file_name = Path::new(part).file_name().unwrap().to_string_lossy().into_owned();
    assert!(body["error"].as_str().unwrap().contains(&file_name), "{body}");
    let (status, _) = json(ureq::get(&format!("{}/api/songs", server.base)).call());
    assert_eq!(status, 200);

    std::fs::remove_file(&path).unwrap();
    let (status, body) = post_sql(&server, None, "SELECT count(*) AS songs FROM songs");
    assert!((400..600).contains(&status), "{status}: {body}");
    assert!(body["error"].as_str().unwrap().contains(&file_name), "{body}");
    assert_eq!(json(ureq::get(&format!("{}/api/status", server.base)).call()).0, 200);
}

#[test]
fn a_connection_idle_past_the_limit_is_closed_and_others_are_served() {
    use std::io::{Read, Write};
    let server = start(|config| config.idle_timeout_seconds = Some(1));
    let address = server.base.trim_start_matches("http://");
    let mut slow = std::net::TcpStream::connect(address).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let started = Instant::now();
    slow.write_all(b"GET /api/status HTTP/1.1\r\nHost: x\r\n").unwrap();
    let mut answer = Vec::new();
    // The headers never end: the server closes the connection instead of waiting for ever.
    let _ = slow.read_to_end(&mut answer);
    assert!(started.elapsed() < Duration::from_secs(4), "closed after {:?}", started.elapsed());
    assert!(answer.is_empty() || String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 4"), "{answer:?}");
    assert_eq!(json(ureq::get(&format!("{}/api/status", server.base)).call()).0, 200);
}

#[test]
fn an_upload_trickling_past_its_time_limit_is_refused_with_408() {
    use std::io::{Read, Write};
    let server = start(|config| {
        config.token = Some("writer".to_string());
        config.upload_timeout_seconds = 1;
    });
    let address = server.base.trim_start_matches("http://");
    let mut slow = std::net::TcpStream::connect(address).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let started = Instant::now();
    // A body of 1,000 bytes announced, ten sent, the rest never.
    slow.write_all(
        b"POST /api/ingest?file=day_genie_20220101.csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer writer\r\n\
          Content-Length: 1000\r\n\r\n\xec\x88\x9c\xec\x9c\x84,rank\n",
    )
    .unwrap();
    let mut answer = [0_u8; 512];
    let read = slow.read(&mut answer).unwrap_or(0);
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("did not arrive within 1 s"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(4), "answered after {:?}", started.elapsed());
    assert_eq!(json(ureq::get(&format!("{}/api/status", server.base)).call()).0, 200);
}

#[test]
fn an_upload_past_its_size_limit_is_refused_with_413_and_stores_nothing() {
    let server = start(|config| config.token = Some("writer".to_string()));
    let body = vec![b'x'; encore_server::MAX_UPLOAD_BYTES + 1];
    let (status, answer) = json(
        ureq::post(&format!("{}/api/ingest?file=huge.csv", server.base))
            .set("Authorization", "Bearer writer")
            .send_bytes(&body),
    );
    assert_eq!(status, 413, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("64 MiB"), "{answer}");
    let (status, _) = json(ureq::post(&format!("{}/api/ingest?file=huge.csv", server.base)).send_bytes(b"x"));
    assert_eq!(status, 401, "no token, no upload kept");
}
