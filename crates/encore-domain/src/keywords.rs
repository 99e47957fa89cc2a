//! Matching a search keyword to the catalog: the song or drama whose title the keyword is.
//!
//! A keyword has no artist, so unlike a chart row it is matched by title alone, and only exactly
//! (after the normalisation of [`crate::matching::normalize`]: case, spacing and punctuation do not
//! matter): a keyword is a song's when it is one of the song's title keys (English, Hangul, a
//! bracketed alternative or a song alias) and no other catalog song's, and a drama's when it is the
//! drama's English or Hangul title (or a bracketed part of it) and no other drama's. A keyword
//! shared by several songs (`Love, Maybe` and its remake) matches none of them. A keyword may be
//! both a song's and a drama's (a title song named after its drama).

use std::collections::{BTreeSet, HashMap};

use crate::catalog::Catalog;
use crate::ids::{DramaId, SongId};
use crate::matching::{has_version_suffix, normalize, title_keys};

/// What a keyword matched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeywordMatch {
    pub song_id: Option<SongId>,
    pub drama_id: Option<DramaId>,
}

/// An index of the catalog's song and drama titles by key.
pub struct KeywordMatcher {
    songs: HashMap<String, BTreeSet<SongId>>,
    dramas: HashMap<String, BTreeSet<DramaId>>,
}

impl KeywordMatcher {
    pub fn new(catalog: &Catalog) -> KeywordMatcher {
        let mut songs: HashMap<String, BTreeSet<SongId>> = HashMap::new();
        let aliases = catalog.song_aliases.iter().map(|alias| (&alias.song_id, alias.alias.as_str()));
        let titles = catalog
            .songs
            .iter()
            .flat_map(|song| [(&song.id, song.title_en.as_str()), (&song.id, song.title_ko.as_str())])
            .chain(aliases);
        for (song_id, title) in titles {
            let keys = title_keys(title);
            // A version listed as a song of its own is known only by its full title.
            let count = if has_version_suffix(title) { 1 } else { keys.len() };
            for key in keys.into_iter().take(count) {
                songs.entry(key).or_default().insert(song_id.clone());
            }
        }
        let mut dramas: HashMap<String, BTreeSet<DramaId>> = HashMap::new();
        for drama in &catalog.dramas {
            for title in [drama.title_en.as_str(), drama.title_ko.as_str()] {
                for key in title_keys(title) {
                    dramas.entry(key).or_default().insert(drama.id.clone());
                }
            }
        }
        KeywordMatcher { songs, dramas }
    }

    /// The one song and the one drama whose title `keyword` is, each `None` when none or several.
    pub fn match_keyword(&self, keyword: &str) -> KeywordMatch {
        let key = normalize(keyword);
        KeywordMatch { song_id: only(self.songs.get(&key)), drama_id: only(self.dramas.get(&key)) }
    }
}

fn only<T: Clone>(candidates: Option<&BTreeSet<T>>) -> Option<T> {
    match candidates {
        Some(candidates) if candidates.len() == 1 => candidates.iter().next().cloned(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Drama, Song};

    fn catalog() -> Catalog {
        let drama = Drama::titled;
        let song = |id: &str, drama: &str, title_en: &str, title_ko: &str| Song {
            id: SongId::new(id),
            drama_id: DramaId::new(drama),
            title_en: title_en.to_string(),
            title_ko: title_ko.to_string(),
            ost_part: None,
            artists: Vec::new(),
            release_date: None,
            source: String::new(),
        };
        Catalog {
            dramas: vec![
                drama("business_proposal", "Business Proposal", "사내맞선"),
                drama("twenty_five_twenty_one", "Twenty-Five Twenty-One", "스물다섯 스물하나"),
            ],
            songs: vec![
                song("love_maybe", "business_proposal", "Love, Maybe", "사랑인가 봐"),
                song("love_maybe_remake", "business_proposal", "Love, Maybe", ""),
                song("title_song", "twenty_five_twenty_one", "Twenty-Five, Twenty-One", "스물다섯, 스물하나"),
            ],
            ..Catalog::default()
        }
    }

    #[test]
    fn keywords_match_one_title_exactly_or_nothing() {
        let matcher = KeywordMatcher::new(&catalog());
        let check = |keyword: &str, song: Option<&str>, drama: Option<&str>| {
            let expected = KeywordMatch { song_id: song.map(SongId::new), drama_id: drama.map(DramaId::new) };
            assert_eq!(matcher.match_keyword(keyword), expected, "{keyword}");
        };
        check("사랑인가 봐", Some("love_maybe"), None);
        check("사랑인가봐", Some("love_maybe"), None);
        check("Love Maybe", None, None);
        check("business proposal", None, Some("business_proposal"));
        check("사내맞선", None, Some("business_proposal"));
        check("스물다섯 스물하나", Some("title_song"), Some("twenty_five_twenty_one"));
        check("사내 맞선 ost", None, None);
        check("", None, None);
    }
}
