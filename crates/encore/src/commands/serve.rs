//! `encore serve`: the HTTP API and the dashboard over the embedded store.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use clap::Args;

use encore_server::ServerConfig;

use super::catalog::stored_catalog;
use super::cluster::ClusterArgs;
use super::lyrics::melon_folder;
use super::{StoreArgs, UserInput};

/// Serve the JSON API and the web dashboard (leaderboard, song and drama pages, regions).
///
/// Analyses the store (with the store's catalog) once at start, then answers reads from memory. The
/// dashboard is at the root URL and needs no login; the API is under /api/ and described by
/// /api/openapi.json. Writes (POST /api/ingest; POST /api/catalog/reload, which re-reads the store
/// after `encore catalog` changed its catalog) need
/// `Authorization: Bearer <token>` with the token given here; without a token every write is
/// refused with 401. POST /api/sql needs the read token or the write token, unless --public-sql.
/// Stop with Ctrl-C.
///
/// Limits: a SQL request ends within --sql-timeout-seconds (waiting for a turn, planning, running
/// and encoding), its engine memory is a share of --sql-memory-mb, its answer at most --sql-max-bytes
/// of rows (then `truncated: true`; 413 if not even one row fits), and at most --sql-concurrency run
/// at once. Request bodies: 64 KiB for /api/sql, 64 MiB for /api/ingest (413 past them). Idle
/// connections are closed only with --idle-timeout-seconds. No CORS
/// headers are sent: only the dashboard's own origin can read the API from a browser.
///
/// Example: encore serve --store encore-out/store --addr 127.0.0.1:8080
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (host:port); port 0 picks a free port.
    #[arg(long, env = "ENCORE_ADDR", default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    addr: String,
    /// Bearer token that write requests must carry (it may also run SQL); without one, writes are
    /// refused. Visible in `ps`: prefer --token-file or ENCORE_TOKEN.
    #[arg(long, env = "ENCORE_TOKEN", hide_env_values = true, value_name = "TOKEN", conflicts_with = "token_file")]
    token: Option<String>,
    /// Read the write token from this file (its first line), keeping it out of `ps`.
    #[arg(long, env = "ENCORE_TOKEN_FILE", value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// Bearer token that may run SQL (POST /api/sql) but not write.
    #[arg(
        long,
        env = "ENCORE_READ_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN",
        conflicts_with = "read_token_file"
    )]
    read_token: Option<String>,
    /// Read the read token from this file (its first line), keeping it out of `ps`.
    #[arg(long, env = "ENCORE_READ_TOKEN_FILE", value_name = "FILE")]
    read_token_file: Option<PathBuf>,
    /// Let anyone run SQL, without a token. Each query can still hold a core and its memory share
    /// for the whole time limit.
    #[arg(long, env = "ENCORE_PUBLIC_SQL")]
    public_sql: bool,
    /// Stop a SQL request to POST /api/sql after this many seconds, from its arrival to its answer
    /// encoded.
    #[arg(long, env = "ENCORE_SQL_TIMEOUT_SECONDS", default_value_t = encore_server::DEFAULT_SQL_TIMEOUT_SECONDS)]
    sql_timeout_seconds: u64,
    /// Engine memory, in MiB, shared by all running queries (each gets an equal share); sorts and
    /// joins spill to disk past it, and a query that cannot spill is refused with 413.
    #[arg(long, env = "ENCORE_SQL_MEMORY_MB", default_value_t = encore_server::DEFAULT_SQL_MEMORY_MB, value_name = "MIB")]
    sql_memory_mb: usize,
    /// Queries that may run at once; more wait for a turn within their time limit.
    #[arg(long, env = "ENCORE_SQL_CONCURRENCY", default_value_t = encore_server::DEFAULT_SQL_CONCURRENCY as u64, value_parser = clap::value_parser!(u64).range(1..))]
    sql_concurrency: u64,
    /// Bytes of JSON rows a SQL answer may carry; past it the answer is cut (`truncated: true`).
    #[arg(long, env = "ENCORE_SQL_MAX_BYTES", default_value_t = encore_server::DEFAULT_SQL_MAX_BYTES, value_name = "BYTES")]
    sql_max_bytes: usize,
    /// Close a connection that moves no byte either way for this many seconds (a client sending its
    /// headers a byte at a time, or never reading its answer). Off by default: the clock also runs
    /// while a request is computed, so it must be longer than any request, writes included; it must
    /// exceed --sql-timeout-seconds.
    #[arg(long, env = "ENCORE_IDLE_TIMEOUT_SECONDS", value_name = "SECONDS")]
    idle_timeout_seconds: Option<u64>,
    /// Refuse an upload to POST /api/ingest (with 408) whose body has not all arrived this many
    /// seconds after its headers, so that a client trickling a file cannot hold the upload open.
    #[arg(long, env = "ENCORE_UPLOAD_TIMEOUT_SECONDS", default_value_t = encore_server::DEFAULT_UPLOAD_TIMEOUT_SECONDS, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    upload_timeout_seconds: u64,
    /// The data folder holding melon-year-end/ (or that folder itself): GET /api/lyrics analyses
    /// its lyrics, and the checklist's motifs item reads them. Default: `data` in the nearest
    /// encore.toml, else $ENCORE_HOME/data; without lyrics there, /api/lyrics answers 404.
    #[arg(long, env = "ENCORE_DATA", value_name = "DIR")]
    data: Option<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    cluster: ClusterArgs,
}

pub fn run(arguments: ServeArgs) -> anyhow::Result<()> {
    if let Some(idle) = arguments.idle_timeout_seconds {
        if idle <= arguments.sql_timeout_seconds {
            return Err(UserInput(format!(
                "--idle-timeout-seconds ({idle}) must exceed --sql-timeout-seconds ({}): the connection of a \
                 running query moves no byte until its answer",
                arguments.sql_timeout_seconds
            ))
            .into());
        }
    }
    let store = arguments.store.open_for_reading()?;
    // Checked here too, so that the message names the command to run.
    stored_catalog(&store)?;
    let (lyrics_folder, _) = melon_folder(arguments.data.as_deref())?;
    let config = ServerConfig {
        token: token(arguments.token, arguments.token_file.as_deref())?,
        read_token: token(arguments.read_token, arguments.read_token_file.as_deref())?,
        public_sql: arguments.public_sql,
        sql_timeout_seconds: arguments.sql_timeout_seconds,
        sql_memory_mb: arguments.sql_memory_mb,
        sql_concurrency: usize::try_from(arguments.sql_concurrency).unwrap_or(usize::MAX),
        sql_max_bytes: arguments.sql_max_bytes,
        idle_timeout_seconds: arguments.idle_timeout_seconds,
        upload_timeout_seconds: arguments.upload_timeout_seconds,
        lyrics_folder: lyrics_folder.is_dir().then_some(lyrics_folder),
        engine: arguments.cluster.connect()?.map(|cluster| Arc::new(cluster) as Arc<dyn encore_store::Engine>),
        ..ServerConfig::new(store.root().to_path_buf())
    };
    super::runtime()?.block_on(async {
        let listener = encore_server::bind(&arguments.addr).await?;
        let address = encore_server::local_address(&listener)?;
        println!("serving the dashboard at http://{address}/ and the API at http://{address}/api/ (Ctrl-C stops)");
        encore_server::serve(listener, config, encore_server::until_ctrl_c()).await?;
        anyhow::Ok(())
    })
}

/// The token given on the command line, or the first line of the file named; an empty one is none.
fn token(given: Option<String>, file: Option<&Path>) -> anyhow::Result<Option<String>> {
    let token = match file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the token file {}", path.display()))?;
            let first_line = text.lines().next().unwrap_or_default().trim().to_string();
            if first_line.is_empty() {
                return Err(UserInput(format!("the token file {} is empty", path.display())).into());
            }
            Some(first_line)
        }
        None => given,
    };
    Ok(token.filter(|token| !token.is_empty()))
}
