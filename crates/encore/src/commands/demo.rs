//! `encore demo`: the whole job on the embedded store, from the bundled catalog and the real chart
//! files to the report.

use std::path::PathBuf;

use clap::Args;

use super::{catalog, ingest, report, CatalogPathArgs, WriterArgs};

/// The chart folders the demo reads, under the data folder.
const DEMO_CHART_FOLDERS: [&str; 3] = ["billboard-hot-100", "spotify-kr-daily-2025", "melon-year-end"];

/// Run the whole job: load the catalog, ingest the real chart files, analyse, write the report.
///
/// Needs no set-up and no network: the store is a folder of Parquet files under --out. Running it
/// again reuses the store (files already ingested are skipped) and rewrites the report.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Folder holding billboard-hot-100/, spotify-kr-daily-2025/ and melon-year-end/.
    #[arg(long, env = "ENCORE_DATA", default_value = "../shared/data", value_name = "DIR")]
    data: PathBuf,
    /// Output folder: the store goes to OUT/store and the report to OUT/report.
    #[arg(long, env = "ENCORE_OUT", default_value = "encore-out", value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    catalog: CatalogPathArgs,
    #[command(flatten)]
    writer: WriterArgs,
}

pub fn run(arguments: DemoArgs) -> anyhow::Result<()> {
    let store = arguments.writer.open(&arguments.out.join("store"), "demo")?;
    let catalog = catalog::load(&arguments.catalog.catalog, &store)?;
    println!(
        "catalog: {} dramas, {} songs, {} events",
        catalog.dramas.len(),
        catalog.songs.len(),
        catalog.events.len()
    );
    let folders: Vec<PathBuf> = DEMO_CHART_FOLDERS.iter().map(|folder| arguments.data.join(folder)).collect();
    let summary = ingest::ingest_paths(&store, &catalog, &folders, None)?;
    ingest::print_summary(&summary);
    let entries = super::runtime()?.block_on(store.matched_chart_entries())?;
    let sources = folders.iter().map(|folder| folder.display().to_string()).collect();
    let written = report::write(&catalog, entries, &arguments.out.join("report"), sources)?;
    report::print_written(&written);
    Ok(())
}
