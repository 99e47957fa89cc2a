//! Subcommands and the settings they share. Every setting is a flag with an `ENCORE_*` variable.

mod analyze;
mod catalog;
mod demo;
mod ingest;
mod ingest_series;
mod progress;
mod quarantine;
mod report;
mod serve;
mod sql;
mod unmatched;

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use encore_store::Store;

/// Encore puts a drama's soundtrack songs and the drama on one timeline: when a song outgrew its
/// drama (the "eclipse"), its peaks and their likely causes, from real chart files.
///
/// Start with `encore demo`: it loads the bundled catalog, ingests the chart files under the data
/// folder, and writes an HTML report with charts.
#[derive(Debug, Parser)]
#[command(name = "encore", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Demo(demo::DemoArgs),
    Catalog(catalog::CatalogArgs),
    Ingest(ingest::IngestArgs),
    Sql(sql::SqlArgs),
    Report(report::ReportArgs),
    Analyze(analyze::AnalyzeArgs),
    Serve(serve::ServeArgs),
    Unmatched(unmatched::UnmatchedArgs),
}

/// Where the store lives: shared by every command that reads or writes it.
#[derive(Debug, Clone, Args)]
struct StoreArgs {
    /// The store folder (Parquet datasets and their manifest); created if missing.
    #[arg(long, env = "ENCORE_STORE", default_value = "encore-out/store", value_name = "DIR")]
    store: PathBuf,
}

/// How a command that writes to the store shares it with other writers.
#[derive(Debug, Clone, Args)]
struct WriterArgs {
    /// How long to wait for another writer (another ingest, catalog or demo on the same store) to
    /// finish its commit before giving up; 0 refuses at once when the store is in use.
    #[arg(long = "wait", env = "ENCORE_WAIT", default_value_t = 300, value_name = "SECONDS")]
    wait_seconds: u64,
}

impl WriterArgs {
    /// Opens (or creates) the store for writing as `purpose`, waiting for other writers as asked
    /// and saying so on stderr when it has to.
    fn open(&self, root: &Path, purpose: &str) -> anyhow::Result<Store> {
        Ok(Store::open(root)?
            .with_writer_wait(Duration::from_secs(self.wait_seconds))
            .with_writer_purpose(purpose)
            .with_waiting_notice(|waiting| eprintln!("{waiting} (--wait)")))
    }
}

/// Where the catalog CSV files are.
#[derive(Debug, Clone, Args)]
struct CatalogPathArgs {
    /// Folder with dramas.csv, episodes.csv, songs.csv, events.csv and optionally artists.csv.
    #[arg(long = "catalog", env = "ENCORE_CATALOG", default_value = "catalog", value_name = "DIR")]
    catalog: PathBuf,
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Demo(arguments) => demo::run(arguments),
        Command::Catalog(arguments) => catalog::run(arguments),
        Command::Ingest(arguments) => ingest::run(arguments),
        Command::Sql(arguments) => sql::run(arguments),
        Command::Report(arguments) => report::run(arguments),
        Command::Unmatched(arguments) => unmatched::run(arguments),
        Command::Analyze(arguments) => analyze::run(arguments),
        Command::Serve(arguments) => serve::run(arguments),
    }
}

/// The async runtime for the query engine, built per command: commands are short-lived.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}
