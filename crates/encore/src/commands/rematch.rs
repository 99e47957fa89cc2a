//! `encore rematch`: match every stored chart row, listen and search keyword against the store's
//! catalog again, and say what changed.

use clap::Args;
use serde_json::json;

use encore_store::RematchSummary;

use super::table::{Align, TextTable};
use super::{StoreArgs, WriterArgs};

/// Match every stored chart row, listen and search keyword against the store's catalog again, in
/// one commit.
///
/// Rows are matched to songs when they are ingested, and `encore catalog` matches them again
/// whenever it replaces the catalog; this does the same without a new catalog (after an Encore
/// update that matches better, say). It prints, per dataset, the rows newly matched, no longer
/// matched and moved to another song, with a few examples. Nothing changes when nothing would.
#[derive(Debug, Args)]
pub struct RematchArgs {
    /// Print the summary as JSON.
    #[arg(long, env = "ENCORE_JSON")]
    json: bool,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    writer: WriterArgs,
}

pub fn run(arguments: RematchArgs) -> anyhow::Result<()> {
    let store = arguments.store.open_existing_for_writing(&arguments.writer, "rematch")?;
    let summary = store.rematch()?;
    print_rematch(&summary, arguments.json)
}

/// What a re-match changed, as a table per dataset with examples, or as JSON.
pub fn print_rematch(summary: &RematchSummary, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        let datasets: serde_json::Map<String, serde_json::Value> = summary
            .datasets
            .iter()
            .map(|(dataset, changes)| {
                let examples: Vec<String> = changes.examples.iter().map(ToString::to_string).collect();
                let value = json!({
                    "rows_checked": changes.rows_checked,
                    "rows_newly_matched": changes.rows_newly_matched,
                    "rows_no_longer_matched": changes.rows_no_longer_matched,
                    "rows_moved": changes.rows_moved,
                    "parts_rewritten": changes.parts_rewritten,
                    "examples": examples,
                });
                (dataset.clone(), value)
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&json!({ "rematch": datasets }))?);
        return Ok(());
    }
    if summary.datasets.is_empty() {
        println!("re-match: the store holds no chart rows or listens yet");
        return Ok(());
    }
    let mut table = TextTable::new(&[
        ("re-matched dataset", Align::Left, 24),
        ("rows", Align::Right, 12),
        ("newly matched", Align::Right, 14),
        ("no longer matched", Align::Right, 18),
        ("moved", Align::Right, 8),
    ]);
    for (dataset, changes) in &summary.datasets {
        table.row(vec![
            dataset.clone(),
            changes.rows_checked.to_string(),
            changes.rows_newly_matched.to_string(),
            changes.rows_no_longer_matched.to_string(),
            changes.rows_moved.to_string(),
        ]);
    }
    print!("{}", table.render());
    for (dataset, changes) in &summary.datasets {
        for example in &changes.examples {
            println!("  {dataset}: {example}");
        }
    }
    Ok(())
}
