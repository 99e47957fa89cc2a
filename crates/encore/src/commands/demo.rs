//! `encore demo`: the whole job on the embedded store, from the bundled catalog and the real chart
//! files to the report.

use std::path::PathBuf;

use clap::Args;

use encore_pipeline::{list_inputs, IngestOptions, Recurse};

use super::{catalog, ingest, listeners, report, settings, CatalogPathArgs, OutArgs, StoreArgs, UserInput, WriterArgs};

/// The chart folders (and Netflix's weekly Top 10, the dramas' viewing) the demo reads, under the data folder.
const DEMO_CHART_FOLDERS: [&str; 6] = [
    "billboard-hot-100",
    "spotify-kr-daily-2025",
    "melon-year-end",
    "circle-weekly",
    "kr-platform-charts-2022q1",
    "netflix-top10",
];

/// Run the whole job: load the catalog, ingest the real chart files, analyse, write the report.
///
/// Needs no set-up and no network. The store is a folder of Parquet files (--store); the report
/// goes to OUT/report (--out). Running it again reuses the store (files already ingested are
/// skipped) and rewrites the report. In the project folder, encore.toml names all three paths.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Folder holding billboard-hot-100/, spotify-kr-daily-2025/, melon-year-end/, circle-weekly/,
    /// kr-platform-charts-2022q1/ and netflix-top10/ (the project's shared data). Default: `data` in the nearest encore.toml, else $ENCORE_HOME/data.
    #[arg(long, env = "ENCORE_DATA", value_name = "DIR")]
    data: Option<PathBuf>,
    #[command(flatten)]
    out: OutArgs,
    #[command(flatten)]
    catalog: CatalogPathArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    writer: WriterArgs,
}

pub fn run(arguments: DemoArgs) -> anyhow::Result<()> {
    let data = settings::Project::find()?.resolve(settings::DATA, arguments.data.as_deref())?;
    let folders: Vec<PathBuf> = DEMO_CHART_FOLDERS.iter().map(|folder| data.path.join(folder)).collect();
    if let Some(missing) = folders.iter().find(|folder| !folder.is_dir()) {
        return Err(UserInput(format!(
            "the demo reads its chart files from the data folder {data}, but {} is not there; {}",
            missing.display(),
            data.how_to_set()
        ))
        .into());
    }
    let report_folder = arguments.out.report_folder()?;
    let store = arguments.store.open_for_writing(&arguments.writer, "demo")?;
    let loaded = catalog::load(&arguments.catalog, &store)?;
    println!(
        "catalog ({}): {} dramas, {} songs, {} events",
        loaded.from,
        loaded.catalog.dramas.len(),
        loaded.catalog.songs.len(),
        loaded.catalog.events.len()
    );
    let inputs = list_inputs(&folders, Recurse::Yes)?;
    let summary =
        ingest::ingest_and_print(&store, &loaded.catalog, inputs, &IngestOptions::new(chrono::Utc::now()), false)?;
    if !summary.is_complete() {
        // The report is still worth writing from what loaded; the problems were listed above.
        eprintln!("warning: not every chart file loaded (see above); the report uses what did");
    }
    add_generated_listens(&store, &loaded.catalog)?;
    let sources = folders.iter().map(|folder| folder.display().to_string()).collect();
    let overwrite = arguments.out.overwrite();
    let written = report::write(&store, &loaded.catalog, &report_folder, sources, Some(&data.path), overwrite)?;
    report::print_written(&written);
    Ok(())
}

/// Listeners the demo generates: enough for every listener figure to read clearly, few enough
/// to stay quick.
const DEMO_LISTENERS: u64 = 1_000;

/// The demo has no real listening logs to show the listener pages with, so it generates some
/// (labelled `generated` wherever they show); a store holding real listens gets none, so the two
/// never mix.
fn add_generated_listens(store: &encore_store::Store, catalog: &encore_domain::Catalog) -> anyhow::Result<()> {
    let runtime = super::runtime()?;
    let real = runtime.block_on(store.sql(
        "SELECT count(*) AS listens FROM listens WHERE source <> 'generated'",
        encore_store::QueryLimits::unbounded(),
    ))?;
    let real_listens = real
        .first()
        .and_then(|batch| encore_listeners::frames::int64_column(batch, "listens").ok())
        .filter(|column| !column.is_empty())
        .map_or(0, |column| column.value(0));
    if real_listens > 0 {
        println!("listeners: the store holds {real_listens} real listens, so the demo adds no generated ones");
        return Ok(());
    }
    let config = encore_listeners::generator::GeneratorConfig {
        listeners: DEMO_LISTENERS,
        ..encore_listeners::generator::GeneratorConfig::demo()
    };
    println!("listeners: {}", listeners::write_generated(store, catalog, config)?);
    Ok(())
}
