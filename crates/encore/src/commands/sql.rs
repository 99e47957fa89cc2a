//! `encore sql`: read-only SQL over the store, as a table, CSV, JSON or Parquet.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;

use encore_store::{write_batches, ExportFormat, QueryLimits};

use super::cluster::ClusterArgs;
use super::{StoreArgs, UserInput};

/// Run one read-only SQL query over the store and print the answer.
///
/// Tables: one per chart (billboard_hot100, billboard_global200, spotify_daily, spotify_weekly,
/// melon_year_end, circle_weekly), the view chart_entries over all of them (song_id is the matched
/// catalog song, empty when unmatched), daily_counts, search_interest (Naver DataLab and Google
/// Trends, with the keyword's song_id or drama_id), listens, drama_metadata, episode_ratings, and
/// the catalog: dramas, episodes, songs, events, artist_aliases, song_aliases. `SHOW TABLES` lists
/// them and `DESCRIBE <table>` shows a table's columns. Statements that would change anything are
/// refused.
///
/// Examples:
///   encore sql "SELECT chart_date, rank FROM chart_entries WHERE song_id = 'first_snow'"
///   encore sql --format csv --output first_snow.csv "SELECT * FROM chart_entries WHERE song_id = 'first_snow'"
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct SqlArgs {
    /// The query, in DataFusion's SQL dialect.
    query: String,
    /// How to write the answer: table (aligned text), csv (with a header), json (an array of row
    /// objects) or parquet (needs --output).
    #[arg(long, env = "ENCORE_SQL_FORMAT", default_value = "table", value_parser = parse_format)]
    format: ExportFormat,
    /// Write the answer to this file instead of standard output. An existing file is left alone
    /// unless --force is given.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace the --output file if it exists.
    #[arg(long, requires = "output")]
    force: bool,
    /// Return at most this many rows.
    #[arg(long, env = "ENCORE_SQL_MAX_ROWS", default_value_t = 1000)]
    max_rows: usize,
    /// Stop the query after this many seconds.
    #[arg(long, env = "ENCORE_SQL_TIMEOUT_SECONDS", default_value_t = 60)]
    timeout_seconds: u64,
    /// Memory the query engine may use, in MiB; sorts and joins spill to disk past it, and a query
    /// that cannot spill stops with an error naming the limit.
    #[arg(long, env = "ENCORE_SQL_MEMORY_MB", default_value_t = 1024, value_name = "MIB")]
    memory_mb: usize,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    cluster: ClusterArgs,
}

fn parse_format(name: &str) -> Result<ExportFormat, String> {
    ExportFormat::from_name(name)
        .ok_or_else(|| format!("`{name}` is not an output format (one of {})", ExportFormat::NAMES.join(", ")))
}

pub fn run(arguments: SqlArgs) -> anyhow::Result<()> {
    if arguments.format == ExportFormat::Parquet && arguments.output.is_none() {
        return Err(UserInput("--format parquet writes a binary file: name it with --output FILE".to_string()).into());
    }
    let store = arguments.cluster.apply(arguments.store.open_for_reading()?)?;
    let limits = QueryLimits {
        max_rows: Some(arguments.max_rows),
        timeout: Some(Duration::from_secs(arguments.timeout_seconds)),
        memory_bytes: Some(arguments.memory_mb.saturating_mul(1024 * 1024)),
        max_answer_bytes: None,
    };
    let batches = super::runtime()?.block_on(store.sql(&arguments.query, limits))?;
    let rows: usize = batches.iter().map(|batch| batch.num_rows()).sum();
    let cut = if rows == arguments.max_rows { "; the --max-rows limit, there may be more" } else { "" };
    match &arguments.output {
        Some(path) => {
            if path.exists() && !arguments.force {
                return Err(UserInput(format!(
                    "{} exists; Encore does not replace a file it did not write: name another with --output, or \
                     pass --force to replace it",
                    path.display()
                ))
                .into());
            }
            let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            let mut out = BufWriter::new(file);
            write_batches(&batches, arguments.format, &mut out)?;
            out.flush().with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("{rows} rows written to {}{cut}", path.display());
        }
        None => {
            let mut out = BufWriter::new(std::io::stdout());
            write_batches(&batches, arguments.format, &mut out)?;
            if arguments.format == ExportFormat::Table {
                writeln!(out, "({rows} rows{cut})").map_err(encore_store::StoreError::Output)?;
            } else if !cut.is_empty() {
                eprintln!("({rows} rows{cut})");
            }
            out.flush().map_err(encore_store::StoreError::Output)?;
        }
    }
    Ok(())
}
