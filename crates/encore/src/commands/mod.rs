//! Subcommands and the settings they share. Every setting is a flag with an `ENCORE_*` variable.

mod analyze;
mod bundled;
mod catalog;
mod checklist;
mod cluster;
mod collect;
mod demo;
mod discover;
mod ingest;
mod interrupt;
mod listeners;
mod lyrics;
mod new_file;
mod progress;
mod recommend;
mod rematch;
mod report;
mod series;
mod series_tables;
mod serve;
mod settings;
mod sql;
mod table;
mod timeline;
mod unmatched;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use encore_store::{Store, StoreError};

pub use settings::ProjectFileError;

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
    Rematch(rematch::RematchArgs),
    Ingest(ingest::IngestArgs),
    Sql(sql::SqlArgs),
    Report(report::ReportArgs),
    Analyze(analyze::AnalyzeArgs),
    Checklist(checklist::ChecklistArgs),
    Timeline(timeline::TimelineArgs),
    Serve(serve::ServeArgs),
    Unmatched(unmatched::UnmatchedArgs),
    Discover(discover::DiscoverArgs),
    Listeners(listeners::ListenersArgs),
    Recommend(recommend::RecommendArgs),
    Playlist(recommend::PlaylistArgs),
    Detect(series::DetectArgs),
    Effect(series::EffectArgs),
    Decay(series::DecayArgs),
    Lyrics(lyrics::LyricsArgs),
    Collect(collect::CollectArgs),
    Alerts(collect::AlertsArgs),
    Scheduler(cluster::SchedulerArgs),
    Executor(cluster::ExecutorArgs),
}

/// Where the store lives: shared by every command that reads or writes it.
#[derive(Debug, Clone, Args)]
struct StoreArgs {
    /// The store folder (Parquet datasets, their manifest and the catalog). Default: `store` in the
    /// nearest encore.toml, else $ENCORE_HOME/store (ENCORE_HOME defaults to the platform's data
    /// folder, e.g. ~/.local/share/encore).
    #[arg(long, env = "ENCORE_STORE", value_name = "DIR")]
    store: Option<PathBuf>,
}

impl StoreArgs {
    /// The store folder and where its path came from.
    fn resolve(&self) -> anyhow::Result<settings::Resolved> {
        settings::Project::find()?.resolve(settings::STORE, self.store.as_deref())
    }

    /// Opens the store for a command that writes, creating it if it is not there yet, as `purpose`
    /// (named to a writer that has to wait for this one).
    fn open_for_writing(&self, writer: &WriterArgs, purpose: &str) -> anyhow::Result<Store> {
        let resolved = self.resolve()?;
        Ok(writer.configure(Store::open(&resolved.path)?, purpose))
    }

    /// Opens an existing store for a command that writes but has nothing to write to a new store.
    fn open_existing_for_writing(&self, writer: &WriterArgs, purpose: &str) -> anyhow::Result<Store> {
        Ok(writer.configure(self.open_for_reading()?, purpose))
    }

    /// Opens the store for a command that only reads: a store that is not there is the user's
    /// mistake (a typo in the path, most often), never created empty.
    fn open_for_reading(&self) -> anyhow::Result<Store> {
        let resolved = self.resolve()?;
        Store::open_existing(&resolved.path).map_err(|error| match error {
            StoreError::NoStore { .. } => UserInput(format!(
                "no store at {resolved}; {}, or create one with `encore demo`, `encore catalog` or `encore ingest`",
                resolved.how_to_set()
            ))
            .into(),
            other => other.into(),
        })
    }
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
    /// The store, waiting for other writers as asked and saying so on stderr when it has to.
    fn configure(&self, store: Store, purpose: &str) -> Store {
        store
            .with_writer_wait(Duration::from_secs(self.wait_seconds))
            .with_writer_purpose(purpose)
            .with_waiting_notice(|waiting| eprintln!("{waiting} (--wait)"))
    }
}

/// A catalog folder to load; the catalog bundled with Encore when none is named.
#[derive(Debug, Clone, Args)]
struct CatalogPathArgs {
    /// Folder with dramas.csv, episodes.csv, songs.csv, events.csv and optionally artists.csv and
    /// song_aliases.csv (columns: catalog/README.md). Default: `catalog` in the nearest
    /// encore.toml, else the catalog bundled with Encore.
    #[arg(long = "catalog", env = "ENCORE_CATALOG", value_name = "DIR")]
    catalog: Option<PathBuf>,
}

/// Where a command writes its output: the report goes to OUT/report.
#[derive(Debug, Clone, Args)]
struct OutArgs {
    /// The output folder; the report goes to OUT/report. Default: `out` in the nearest encore.toml,
    /// else $ENCORE_HOME/out.
    #[arg(long, env = "ENCORE_OUT", value_name = "OUT")]
    out: Option<PathBuf>,
    /// Replace OUT/report even if it is not a report Encore wrote (a folder without the
    /// .encore-report marker file). Without it, Encore never deletes a folder it did not write.
    #[arg(long)]
    force: bool,
}

impl OutArgs {
    fn report_folder(&self) -> anyhow::Result<PathBuf> {
        Ok(settings::Project::find()?.resolve(settings::OUT, self.out.as_deref())?.path.join("report"))
    }

    fn overwrite(&self) -> encore_report::Overwrite {
        if self.force {
            encore_report::Overwrite::Anything
        } else {
            encore_report::Overwrite::OnlyEncoreReports
        }
    }
}

/// A mistake in what the user asked for, found by the binary itself: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserInput(pub String);

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Demo(arguments) => demo::run(arguments),
        Command::Catalog(arguments) => catalog::run(arguments),
        Command::Rematch(arguments) => rematch::run(arguments),
        Command::Ingest(arguments) => ingest::run(arguments),
        Command::Sql(arguments) => sql::run(arguments),
        Command::Report(arguments) => report::run(arguments),
        Command::Unmatched(arguments) => unmatched::run(arguments),
        Command::Discover(arguments) => discover::run(arguments),
        Command::Analyze(arguments) => analyze::run(arguments),
        Command::Checklist(arguments) => checklist::run(arguments),
        Command::Timeline(arguments) => timeline::run(arguments),
        Command::Serve(arguments) => serve::run(arguments),
        Command::Listeners(arguments) => listeners::run(arguments),
        Command::Recommend(arguments) => recommend::run_recommend(arguments),
        Command::Playlist(arguments) => recommend::run_playlist(arguments),
        Command::Detect(arguments) => series::run_detect(arguments),
        Command::Effect(arguments) => series::run_effect(arguments),
        Command::Decay(arguments) => series::run_decay(arguments),
        Command::Lyrics(arguments) => lyrics::run(arguments),
        Command::Collect(arguments) => collect::run(arguments),
        Command::Alerts(arguments) => collect::run_alerts(arguments),
        Command::Scheduler(arguments) => cluster::run_scheduler(arguments),
        Command::Executor(arguments) => cluster::run_executor(arguments),
    }
}

/// The async runtime for the query engine, built per command: commands are short-lived.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}
