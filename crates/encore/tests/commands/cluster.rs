//! `--cluster`: the README's cluster demo (a scheduler and two executors started from the
//! binary on loopback) gives the embedded engine's answers, and a cluster that is not there is a
//! clear error within seconds.

use std::time::{Duration, Instant};

use crate::support::{project_root, run, shared_data, text};

#[test]
fn the_cluster_demo_gives_the_embedded_answers_on_three_processes() {
    let output = std::process::Command::new(project_root().join("scripts/cluster-demo"))
        .env("ENCORE_BIN", env!("CARGO_BIN_EXE_encore"))
        .env("ENCORE_DEMO_DATA", shared_data())
        .output()
        .unwrap();
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(output.status.success(), "{stdout}\n{stderr}");
    // Six answers, each printed and each the same on the cluster; none of them empty.
    assert_eq!(stdout.matches("-- the same on the cluster as in this process").count(), 6, "{stdout}");
    assert!(stdout.contains("first_snow") && stdout.contains("Business Proposal"), "{stdout}");
    assert!(stdout.contains("every answer on the cluster matched"), "{stdout}");
}

#[test]
fn a_cluster_that_is_not_there_is_a_clear_error_within_seconds() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    let store = store.to_str().unwrap();
    crate::support::succeed(&["catalog", "--store", store]);
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let address = format!("df://127.0.0.1:{port}");

    let started = Instant::now();
    let output = run(&["sql", "--store", store, "--cluster", &address, "SELECT count(*) FROM songs"]);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains(&format!("no Ballista scheduler answered at 127.0.0.1:{port}")), "{stderr}");
    assert!(stderr.contains("encore scheduler"), "{stderr}");

    // A port that takes the connection and never answers: the wait is bounded too.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("df://127.0.0.1:{}", silent.local_addr().unwrap().port());
    let started = Instant::now();
    let output = run(&["listeners", "show", "--store", store, "--cluster", &address]);
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert!(text(&output.stderr).contains("no answer"), "{}", text(&output.stderr));

    let output = run(&["sql", "--store", store, "--cluster", "localhost:50050", "SELECT 1"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("df://HOST:PORT"), "{}", text(&output.stderr));
}
