//! The catalog bundled with Encore: the project's `catalog/` folder compiled into the binary, so
//! that a fresh install, run from any folder, has a catalog to match chart rows against.

use std::path::Path;

use encore_ingest::{parse_catalog, CatalogFiles, ParsedCatalog};

/// How the bundled catalog's files are named in messages.
pub const BUNDLED_NAME: &str = "(bundled catalog)";

const DRAMAS: &[u8] = include_bytes!("../../../../catalog/dramas.csv");
const EPISODES: &[u8] = include_bytes!("../../../../catalog/episodes.csv");
const SONGS: &[u8] = include_bytes!("../../../../catalog/songs.csv");
const EVENTS: &[u8] = include_bytes!("../../../../catalog/events.csv");
const ARTISTS: &[u8] = include_bytes!("../../../../catalog/artists.csv");

/// The bundled catalog, parsed.
pub fn bundled_catalog() -> ParsedCatalog {
    let files =
        CatalogFiles { dramas: DRAMAS, episodes: EPISODES, songs: SONGS, events: EVENTS, artists: Some(ARTISTS) };
    parse_catalog(&files, Path::new(BUNDLED_NAME))
}

/// The bundled files as (name, bytes), for the store's record of where its catalog came from.
pub fn bundled_files() -> [(&'static str, &'static [u8]); 5] {
    [
        ("dramas.csv", DRAMAS),
        ("episodes.csv", EPISODES),
        ("songs.csv", SONGS),
        ("events.csv", EVENTS),
        ("artists.csv", ARTISTS),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_catalog_is_the_project_catalog_and_loads_whole() {
        let parsed = bundled_catalog();
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        let from_folder = encore_ingest::read_catalog(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog"))
            .expect("the project catalog reads");
        assert_eq!(parsed.catalog, from_folder.catalog);
        assert!(parsed.catalog.songs.len() >= 69);
    }
}
