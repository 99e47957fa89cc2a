//! `encore report`: analyse the store's matched chart rows against the catalog and write the report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use encore_analytics::leaderboard;
use encore_domain::{Catalog, ChartEntry, Episode, Event, SongId};
use encore_ingest::read_catalog;
use encore_report::{write_report, Case, LeaderboardRow, Report};
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
    let mut by_song: BTreeMap<SongId, Vec<ChartEntry>> = BTreeMap::new();
    for entry in entries {
        if let Some(song_id) = entry.song_id.clone() {
            by_song.entry(song_id).or_default().push(entry);
        }
    }
    let mut cases = Vec::new();
    for (song_id, song_entries) in by_song {
        let Some(song) = catalog.song(&song_id) else {
            tracing::warn!(song = %song_id, "chart rows name a song the catalog no longer has");
            continue;
        };
        let episodes: Vec<&Episode> = catalog.episodes_of(&song.drama_id).collect();
        let events: Vec<&Event> = catalog.events_of_song(&song.id).chain(catalog.events_of_drama(&song.drama_id)).collect();
        cases.push(Case::analyse(song, catalog.drama(&song.drama_id), episodes, events, song_entries));
    }
    let ranked = leaderboard(cases.iter().map(|case| case.eclipse.clone()).collect());
    let rows: Vec<LeaderboardRow> = ranked
        .into_iter()
        .enumerate()
        .filter_map(|(position, song_eclipse)| {
            let song = catalog.song(&song_eclipse.song_id)?;
            let drama = catalog.drama(&song.drama_id).map(|drama| drama.display_title().to_string()).unwrap_or_default();
            Some(LeaderboardRow {
                rank: position + 1,
                song: song.display_title().to_string(),
                artists: song.artists.join(", "),
                drama,
                case_slug: Some(song.id.to_string()),
                eclipse: song_eclipse,
            })
        })
        .collect();
    let report = Report {
        title: "Encore: songs that outgrew their drama".to_string(),
        generated_from: sources,
        cases,
        leaderboard: rows.clone(),
    };
    let html = write_report(out, &report)?;
    Ok(Written { html, leaderboard: rows })
}

pub fn print_written(written: &Written) {
    println!("\nsongs that outgrew their drama (eclipse score: song attention after the finale / drama attention)");
    for row in written.leaderboard.iter().take(10) {
        let crossover = row.eclipse.crossover_text().unwrap_or_else(|| "-".to_string());
        println!("{:>3}. {:<40} {:<28} score {:>7.2}  crossover {}", row.rank, truncate(&row.song, 40), truncate(&row.drama, 28), row.eclipse.score, crossover);
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
