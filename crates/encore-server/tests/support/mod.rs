//! A server over a new store holding the project's catalog, on a free loopback port, run in the
//! test's process: shared by the test files that start their own.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use encore_ingest::read_catalog;
use encore_server::ServerConfig;
use encore_store::Store;

pub struct TestServer {
    pub base: String,
    pub store: PathBuf,
    _dir: tempfile::TempDir,
}

/// A store holding the project's catalog (as Parquet parts) and nothing else.
fn build_store(store_dir: &Path) {
    let catalog_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    let catalog = read_catalog(&catalog_dir).unwrap().catalog;
    Store::open(store_dir).unwrap().replace_catalog(&catalog, Vec::new()).unwrap();
}

/// Starts a server over a new store on a free loopback port, with `configure` applied.
pub fn start(configure: impl FnOnce(&mut ServerConfig)) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    build_store(&store);
    let mut config = ServerConfig::new(store.clone());
    configure(&mut config);
    let base = serve(config);
    TestServer { base, store, _dir: dir }
}

/// Serves `config` on a free loopback port from a thread of its own and waits until it answers;
/// gives the server's base address.
pub fn serve(config: ServerConfig) -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(async move {
            let listener = encore_server::bind("127.0.0.1:0").await.unwrap();
            sender.send(encore_server::local_address(&listener).unwrap()).unwrap();
            encore_server::serve(listener, config, std::future::pending()).await.unwrap();
        });
    });
    let base = format!("http://{}", receiver.recv().unwrap());
    for _ in 0..600 {
        if ureq::get(&format!("{base}/api/status")).call().is_ok() {
            return base;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the server at {base} did not answer within 60 s");
}
