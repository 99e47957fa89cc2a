//! What a listener analysis is about: one song, a drama's OSTs, or all music (the baseline).

use encore_domain::{Catalog, DramaId, SongId};

use crate::error::ListenersError;
use crate::frames::in_list;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Song(SongId),
    Drama(DramaId),
}

/// A scope with its catalog songs and a label for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub scope: Scope,
    pub label: String,
    /// The songs in scope; empty for [`Scope::All`].
    pub song_ids: Vec<String>,
}

impl Resolved {
    pub fn new(catalog: &Catalog, scope: Scope) -> Result<Resolved, ListenersError> {
        match &scope {
            Scope::All => Ok(Resolved { label: "all music".into(), song_ids: Vec::new(), scope }),
            Scope::Song(id) => {
                let song = catalog
                    .songs
                    .iter()
                    .find(|song| &song.id == id)
                    .ok_or_else(|| ListenersError::NotInCatalog { what: "song", id: id.as_str().to_string() })?;
                let label = format!("{} ({})", song.title_en, song.artists.join(", "));
                Ok(Resolved { label, song_ids: vec![id.as_str().to_string()], scope })
            }
            Scope::Drama(id) => {
                let drama = catalog
                    .dramas
                    .iter()
                    .find(|drama| &drama.id == id)
                    .ok_or_else(|| ListenersError::NotInCatalog { what: "drama", id: id.as_str().to_string() })?;
                let song_ids =
                    catalog.songs.iter().filter(|song| &song.drama_id == id).map(|song| song.id.as_str().to_string());
                Ok(Resolved { label: format!("{} OSTs", drama.title_en), song_ids: song_ids.collect(), scope })
            }
        }
    }

    /// A SQL condition on `listens` true for the plays in scope.
    pub fn condition(&self) -> String {
        match self.scope {
            Scope::All => "TRUE".to_string(),
            _ => in_list("song_id", &self.song_ids),
        }
    }

    pub fn drama_id(&self) -> Option<&DramaId> {
        match &self.scope {
            Scope::Drama(id) => Some(id),
            _ => None,
        }
    }
}
