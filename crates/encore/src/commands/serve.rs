//! `encore serve`: the HTTP API and the dashboard over the embedded store.

use clap::Args;

use encore_server::ServerConfig;

use super::catalog::stored_catalog;
use super::StoreArgs;

/// Serve the JSON API and the web dashboard (leaderboard, song and drama pages, regions).
///
/// Analyses the store (with the store's catalog) once at start, then answers reads from memory. The
/// dashboard is at the root URL and needs no login; the API is under /api/ and described by
/// /api/openapi.json. Writes (POST /api/ingest; POST /api/catalog/reload, which re-reads the store
/// after `encore catalog` changed its catalog) need
/// `Authorization: Bearer <token>` with the token given here; without a token every write is
/// refused with 401. Stop with Ctrl-C.
///
/// Example: encore serve --store encore-out/store --addr 127.0.0.1:8080
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (host:port); port 0 picks a free port.
    #[arg(long, env = "ENCORE_ADDR", default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    addr: String,
    /// Bearer token that write requests must carry; without one, writes are refused.
    #[arg(long, env = "ENCORE_TOKEN", hide_env_values = true, value_name = "TOKEN")]
    token: Option<String>,
    /// Stop a SQL query sent to POST /api/sql after this many seconds.
    #[arg(long, env = "ENCORE_SQL_TIMEOUT_SECONDS", default_value_t = 10)]
    sql_timeout_seconds: u64,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(arguments: ServeArgs) -> anyhow::Result<()> {
    let store = arguments.store.open_for_reading()?;
    // Checked here too, so that the message names the command to run.
    stored_catalog(&store)?;
    let config = ServerConfig {
        store: store.root().to_path_buf(),
        token: arguments.token.filter(|token| !token.is_empty()),
        sql_timeout_seconds: arguments.sql_timeout_seconds,
    };
    super::runtime()?.block_on(async {
        let listener = encore_server::bind(&arguments.addr).await?;
        let address = encore_server::local_address(&listener)?;
        println!("serving the dashboard at http://{address}/ and the API at http://{address}/api/ (Ctrl-C stops)");
        encore_server::serve(listener, config, encore_server::until_ctrl_c()).await?;
        anyhow::Ok(())
    })
}
