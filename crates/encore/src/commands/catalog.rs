//! `encore catalog`: load a catalog folder into the store, replacing the catalog held there.

use anyhow::Context;
use clap::Args;

use encore_domain::Catalog;
use encore_ingest::read_catalog;
use encore_store::{SourceFile, Store};

use super::{CatalogPathArgs, StoreArgs, WriterArgs};

/// Load the catalog (dramas, episodes, songs, events, artist aliases) from CSV files into the store.
///
/// Bad rows are reported with file, line and field; the good rows load. Chart rows and listens
/// already stored are matched again against the new catalog, in the same commit.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    #[command(flatten)]
    catalog: CatalogPathArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    writer: WriterArgs,
}

pub fn run(arguments: CatalogArgs) -> anyhow::Result<()> {
    let store = arguments.writer.open(&arguments.store.store, "catalog")?;
    let catalog = load(&arguments.catalog.catalog, &store)?;
    println!(
        "catalog loaded: {} dramas, {} episodes, {} songs, {} events, {} artist aliases",
        catalog.dramas.len(),
        catalog.episodes.len(),
        catalog.songs.len(),
        catalog.events.len(),
        catalog.artist_aliases.len()
    );
    Ok(())
}

/// Reads the catalog folder, reports its bad rows, and stores it.
pub fn load(folder: &std::path::Path, store: &Store) -> anyhow::Result<Catalog> {
    let parsed = read_catalog(folder).with_context(|| format!("cannot load the catalog from {}", folder.display()))?;
    for rejected in &parsed.rejected {
        eprintln!("rejected: {rejected}");
    }
    for problem in parsed.catalog.dangling_references() {
        eprintln!("warning: {problem}");
    }
    if parsed.catalog.songs.is_empty() {
        anyhow::bail!("the catalog at {} holds no songs", folder.display());
    }
    let sources = ["dramas.csv", "episodes.csv", "songs.csv", "events.csv", "artists.csv"]
        .iter()
        .map(|name| folder.join(name))
        .filter(|path| path.exists())
        .map(|path| {
            let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            Ok(SourceFile { path: path.display().to_string(), sha256: encore_store::sha256_hex(&bytes) })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let rematched = store.replace_catalog(&parsed.catalog, sources)?;
    for (dataset, changes) in rematched.datasets.iter().filter(|(_, changes)| changes.rows_changed() > 0) {
        println!(
            "re-matched {dataset}: {} rows newly matched, {} no longer matched, {} moved to another song",
            changes.rows_newly_matched, changes.rows_no_longer_matched, changes.rows_moved
        );
        for example in &changes.examples {
            println!("  {example}");
        }
    }
    Ok(parsed.catalog)
}
