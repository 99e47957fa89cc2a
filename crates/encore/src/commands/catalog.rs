//! `encore catalog`: load a catalog folder, or the bundled catalog, into the store, replacing the
//! catalog held there and matching every stored chart row, listen and search keyword against it
//! again.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use encore_domain::Catalog;
use encore_ingest::{read_catalog, ParsedCatalog};
use encore_store::{RematchSummary, SourceFile, Store};

use super::bundled::{bundled_catalog, bundled_files, BUNDLED_NAME};
use super::rematch::print_rematch;
use super::{settings, CatalogPathArgs, StoreArgs, UserInput, WriterArgs};

/// Load the catalog (dramas, episodes, songs, events, artist and song aliases) into the store.
///
/// The store holds one catalog, and every command and the server use it. Loading a catalog
/// replaces the one held and matches every stored chart row, listen and search keyword against it
/// again, in the same commit, then prints what changed: rows newly matched, rows no longer
/// matched, and rows moved to another song. Without --catalog the catalog bundled with Encore is
/// loaded. The columns of each file, required and optional, are described in catalog/README.md.
/// Bad rows are reported with file, line and field; the good rows load.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    #[command(flatten)]
    catalog: CatalogPathArgs,
    /// Print the summary as JSON.
    #[arg(long, env = "ENCORE_JSON")]
    json: bool,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    writer: WriterArgs,
}

pub fn run(arguments: CatalogArgs) -> anyhow::Result<()> {
    let store = arguments.store.open_for_writing(&arguments.writer, "catalog")?;
    let loaded = load(&arguments.catalog, &store)?;
    if arguments.json {
        return print_rematch(&loaded.rematch, true);
    }
    let catalog = &loaded.catalog;
    println!(
        "catalog loaded from {}: {} dramas, {} episodes, {} songs, {} events, {} artist aliases, {} song aliases",
        loaded.from,
        catalog.dramas.len(),
        catalog.episodes.len(),
        catalog.songs.len(),
        catalog.events.len(),
        catalog.artist_aliases.len(),
        catalog.song_aliases.len()
    );
    print_rematch(&loaded.rematch, false)
}

/// A catalog stored, where it was read from, and what matching the stored rows again changed.
pub struct Loaded {
    pub catalog: Catalog,
    pub from: String,
    pub rematch: RematchSummary,
}

/// Reads the named catalog folder (or the project file's, or the bundled catalog), reports its bad
/// rows, and stores it.
pub fn load(arguments: &CatalogPathArgs, store: &Store) -> anyhow::Result<Loaded> {
    let project = settings::Project::find()?;
    let folder: Option<PathBuf> = arguments.catalog.clone().or_else(|| project.catalog().map(Path::to_path_buf));
    let (parsed, sources, from) = match &folder {
        Some(folder) => {
            let parsed = read_catalog(folder).with_context(|| {
                format!("cannot load the catalog from {} (--catalog or ENCORE_CATALOG)", folder.display())
            })?;
            (parsed, folder_sources(folder)?, folder.display().to_string())
        }
        None => (bundled_catalog(), bundled_sources(), BUNDLED_NAME.to_string()),
    };
    let rematch = store_catalog(store, parsed, sources, &from)?;
    let catalog = store.catalog()?.unwrap_or_default();
    Ok(Loaded { catalog, from, rematch })
}

fn store_catalog(
    store: &Store,
    parsed: ParsedCatalog,
    sources: Vec<SourceFile>,
    from: &str,
) -> anyhow::Result<RematchSummary> {
    for rejected in &parsed.rejected {
        eprintln!("rejected: {rejected}");
    }
    for problem in parsed.catalog.dangling_references() {
        eprintln!("warning: {problem}");
    }
    if parsed.catalog.songs.is_empty() {
        return Err(UserInput(format!("the catalog at {from} holds no songs")).into());
    }
    Ok(store.replace_catalog(&parsed.catalog, sources)?)
}

/// The store's catalog; for a store that holds none yet (a new one), the bundled catalog, stored
/// first so that the store's rows and its catalog always go together.
pub fn ensure_catalog(store: &Store) -> anyhow::Result<Catalog> {
    if let Some(catalog) = store.catalog()? {
        return Ok(catalog);
    }
    let bundled = bundled_catalog();
    let catalog = bundled.catalog.clone();
    store_catalog(store, bundled, bundled_sources(), BUNDLED_NAME)?;
    // What the store now holds: a catalog reads back as it was stored (the store's tests say so).
    Ok(catalog)
}

/// The store's catalog, for a command that only reads.
pub fn stored_catalog(store: &Store) -> anyhow::Result<Catalog> {
    store.catalog()?.ok_or_else(|| {
        UserInput(format!(
            "the store at {} holds no catalog: load one with `encore catalog` (the bundled one) or \
             `encore catalog --catalog DIR`",
            store.root().display()
        ))
        .into()
    })
}

fn folder_sources(folder: &Path) -> anyhow::Result<Vec<SourceFile>> {
    ["dramas.csv", "episodes.csv", "songs.csv", "events.csv", "artists.csv", "song_aliases.csv"]
        .iter()
        .map(|name| folder.join(name))
        .filter(|path| path.exists())
        .map(|path| {
            let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            Ok(SourceFile { path: path.display().to_string(), content: encore_store::content_hash(&bytes) })
        })
        .collect()
}

fn bundled_sources() -> Vec<SourceFile> {
    bundled_files()
        .into_iter()
        .map(|(name, bytes)| SourceFile {
            path: format!("{BUNDLED_NAME}/{name}"),
            content: encore_store::content_hash(bytes),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ensure_catalog` hands back the bundled catalog it stored without reading it back: the two
    /// must be the same.
    #[test]
    fn a_new_store_gets_the_bundled_catalog_as_it_reads_back() {
        let folder = tempfile::tempdir().unwrap();
        let store = Store::open(folder.path()).unwrap();
        let handed = ensure_catalog(&store).unwrap();
        assert_eq!(handed, bundled_catalog().catalog);
        assert_eq!(store.catalog().unwrap(), Some(handed.clone()));
        assert_eq!(ensure_catalog(&store).unwrap(), handed, "a second call reads the stored one");
    }
}
