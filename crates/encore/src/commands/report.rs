//! `encore report`: analyse the store's matched chart rows against the catalog and write the report.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use encore_domain::{Catalog, ChartEntry};
use encore_ingest::read_catalog;
use encore_report::{analyse_catalog, write_report, LeaderboardRow, Report};
use encore_store::Store;

use super::{CatalogPathArgs, StoreArgs};

/// Write the HTML report (charts, peaks with causes, eclipse leaderboard) from the store.
///
/// The report folder holds report.html, one chart-position and one eclipse chart (SVG) per song,
/// leaderboard.csv and report.json. It is written beside the target and swapped into place, so an
/// interrupted run never leaves half a report.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The report folder; replaced whole.
    #[arg(long, env = "ENCORE_REPORT", default_value = "encore-out/report", value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    catalog: CatalogPathArgs,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(arguments: ReportArgs) -> anyhow::Result<()> {
    let catalog = read_catalog(&arguments.catalog.catalog)
        .with_context(|| format!("cannot load the catalog from {}", arguments.catalog.catalog.display()))?
        .catalog;
    let store = Store::open(&arguments.store.store)?;
    let entries = super::runtime()?.block_on(store.matched_chart_entries())?;
    let sources = vec![arguments.store.store.display().to_string()];
    let written = write(&catalog, entries, &arguments.out, sources)?;
    print_written(&written);
    Ok(())
}

/// What was written: the page, and the leaderboard in its order.
pub struct Written {
    pub html: PathBuf,
    pub leaderboard: Vec<LeaderboardRow>,
}

/// Analyses every catalog song with chart rows and writes the report folder.
pub fn write(catalog: &Catalog, entries: Vec<ChartEntry>, out: &Path, sources: Vec<String>) -> anyhow::Result<Written> {
    let analysis = analyse_catalog(catalog, entries);
    let report = Report {
        title: "Encore: songs that outgrew their drama".to_string(),
        generated_from: sources,
        cases: analysis.cases,
        leaderboard: analysis.leaderboard.clone(),
    };
    let html = write_report(out, &report)?;
    Ok(Written { html, leaderboard: analysis.leaderboard })
}

pub fn print_written(written: &Written) {
    println!("\nsongs that outgrew their drama (eclipse score: song attention after the finale / drama attention)");
    for row in written.leaderboard.iter().take(10) {
        let crossover = row.eclipse.crossover_text().unwrap_or_else(|| "-".to_string());
        println!(
            "{:>3}. {:<40} {:<28} score {:>7.2}  crossover {}",
            row.rank,
            truncate(&row.song, 40),
            truncate(&row.drama, 28),
            row.eclipse.score,
            crossover
        );
    }
    println!("\nreport: {}", written.html.display());
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}
