//! `encore checklist`: the creator's checklist audit of the store's catalog: per song, each item
//! the catalog and the chart data evidence, lack or cannot tell, and across the catalog the outcome
//! with and without each item.

use std::path::PathBuf;

use clap::Args;

use encore_analytics::checklist::{checklist_outcomes, song_checklists, OutcomeRow, SongChecklist};
use encore_lyrics::catalog_song_motifs;

use encore_report::checklist_json::{checklist_json, metric_label, outcome_cells, OUTCOME_BASIS};

use super::analyze::{check_song_ids, stored_analysis};
use super::catalog::stored_catalog;
use super::lyrics::read_lyrics;
use super::table::{Align, TextTable};
use super::StoreArgs;

/// Audit the catalog against the creator's checklist: pre-release before the premiere, release
/// during the broadcast, music video, challenge, remix or acoustic version, live performance, the
/// vocalist's prior chart record, universal motifs, production quality and vocal strength.
///
/// Each item is evidenced (with what shows it), absent, or "no data" (with why: a song the catalog
/// lists no events for has no data on its events; no data can evidence production quality). Then,
/// over every charting catalog song, the eclipse score and the dated chart days after the finale
/// with and without each item: n, means and a 95 % bootstrap interval of the difference.
#[derive(Debug, Args)]
pub struct ChecklistArgs {
    /// Catalog song ids to show (e.g. stay_with_me); all catalog songs when none is given. The
    /// outcome table is always over the whole catalog.
    #[arg(value_name = "SONG_ID")]
    songs: Vec<String>,
    /// The data folder holding melon-year-end/ (the lyrics the motifs item reads), or that folder
    /// itself. Default: `data` in the nearest encore.toml, else $ENCORE_HOME/data. Without lyrics
    /// there, every song has no data on motifs.
    #[arg(long, env = "ENCORE_DATA", value_name = "DIR")]
    data: Option<PathBuf>,
    /// Print JSON instead of tables.
    #[arg(long, env = "ENCORE_JSON")]
    json: bool,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(arguments: ChecklistArgs) -> anyhow::Result<()> {
    let store = arguments.store.open_for_reading()?;
    let catalog = stored_catalog(&store)?;
    check_song_ids(&catalog, &arguments.songs)?;
    let analysis = stored_analysis(&store, &catalog)?;
    let lyrics = read_lyrics(arguments.data.as_deref())?;
    if lyrics.files == 0 {
        eprintln!(
            "no Melon year-end lyrics in {}: the motifs item has no data ({})",
            lyrics.folder.display(),
            lyrics.how_to_set
        );
    }
    let motifs = catalog_song_motifs(&catalog, &lyrics.rows);
    let checklists = song_checklists(&catalog, &analysis, &motifs);
    let outcomes = checklist_outcomes(&checklists, &analysis);
    let shown: Vec<&SongChecklist> = checklists
        .iter()
        .filter(|checklist| {
            arguments.songs.is_empty() || arguments.songs.iter().any(|wanted| wanted == checklist.song_id.as_str())
        })
        .collect();
    if arguments.json {
        println!("{}", serde_json::to_string_pretty(&checklist_json(&shown, &outcomes))?);
    } else {
        print_tables(&shown, &outcomes);
    }
    Ok(())
}

fn print_tables(checklists: &[&SongChecklist], outcomes: &[OutcomeRow]) {
    for checklist in checklists {
        let drama = checklist.drama.as_deref().unwrap_or("drama not in the catalog");
        println!("== {} ({}), {drama}", checklist.title, checklist.song_id);
        if checklist.event_count == 0 {
            println!("the catalog lists no events for this song: its event items have no data, not a score of 0");
        }
        let mut table =
            TextTable::new(&[("item", Align::Left, 32), ("status", Align::Left, 9), ("detail", Align::Left, 90)]);
        for item in &checklist.items {
            let status = item.evidence.status().replace('_', " ");
            table.row(vec![item.kind.label().to_string(), status, item.evidence.detail().to_string()]);
        }
        println!("{}", table.render());
    }
    println!("outcome with and without each item ({OUTCOME_BASIS})");
    let mut table = TextTable::new(&[
        ("item", Align::Left, 32),
        ("outcome", Align::Left, 24),
        ("n with", Align::Right, 6),
        ("n w/o", Align::Right, 6),
        ("no data", Align::Right, 7),
        ("mean with", Align::Right, 9),
        ("mean w/o", Align::Right, 9),
        ("difference [95 %]", Align::Left, 70),
    ]);
    for row in outcomes {
        let [mean_with, mean_without, difference] = outcome_cells(row);
        let metric = metric_label(row.metric);
        table.row(vec![
            row.item.label().to_string(),
            metric.to_string(),
            row.songs_with.to_string(),
            row.songs_without.to_string(),
            row.songs_without_data.to_string(),
            mean_with,
            mean_without,
            difference,
        ]);
    }
    print!("{}", table.render());
}
