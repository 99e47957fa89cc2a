//! `encore sql`: read-only SQL over the store, printed as a table.

use std::time::Duration;

use clap::Args;

use encore_store::{format_batches, QueryLimits, Store};

use super::StoreArgs;

/// Run one read-only SQL query over the store and print the result as a table.
///
/// Tables: billboard_hot100, billboard_global200, spotify_daily, spotify_weekly, melon_year_end,
/// circle_weekly (one per chart source), the view
/// chart_entries (all charts; song_id is the matched catalog song, empty when unmatched), and the
/// catalog: dramas, episodes, songs, events, artist_aliases, song_aliases. Statements that would change anything
/// are refused.
///
/// Example: encore sql "SELECT chart_date, rank FROM chart_entries WHERE song_id = 'first_snow'"
#[derive(Debug, Args)]
pub struct SqlArgs {
    /// The query, in DataFusion's SQL dialect.
    query: String,
    /// Print at most this many rows.
    #[arg(long, env = "ENCORE_SQL_MAX_ROWS", default_value_t = 1000)]
    max_rows: usize,
    /// Stop the query after this many seconds.
    #[arg(long, env = "ENCORE_SQL_TIMEOUT_SECONDS", default_value_t = 60)]
    timeout_seconds: u64,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(arguments: SqlArgs) -> anyhow::Result<()> {
    if !arguments.store.store.join("manifest.json").exists() {
        anyhow::bail!("no store at {} (run `encore demo` or `encore ingest` first)", arguments.store.store.display());
    }
    let store = Store::open(&arguments.store.store)?;
    let limits = QueryLimits {
        max_rows: Some(arguments.max_rows),
        timeout: Some(Duration::from_secs(arguments.timeout_seconds)),
    };
    let batches = super::runtime()?.block_on(store.sql(&arguments.query, limits))?;
    let rows: usize = batches.iter().map(|batch| batch.num_rows()).sum();
    println!("{}", format_batches(&batches)?);
    if rows == arguments.max_rows {
        println!("({rows} rows shown, the --max-rows limit; there may be more)");
    } else {
        println!("({rows} rows)");
    }
    Ok(())
}
