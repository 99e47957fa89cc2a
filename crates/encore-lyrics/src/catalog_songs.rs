//! The catalog songs a chart's lyrics are of: each row matched to a catalog song by its title and
//! singer (the chart rows' own matching, across Hangul, romanisation and featuring credits), and
//! the song's motif profile from the first row that carries a lyric.

use std::collections::BTreeMap;

use encore_domain::{Catalog, SongId, SongLyric, SongMatcher};

use crate::analysis::CLAIMED_MOTIFS;
use crate::motifs::{motif_profile, Motif, MotifProfile};
use crate::tokenize::tokenize;

/// One catalog song's lyric, as far as the motifs go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogSongMotifs {
    pub profile: MotifProfile,
    /// The chart year and the file and line the lyric was read from.
    pub year: i32,
    pub source: String,
}

impl CatalogSongMotifs {
    /// The families the essay names (seasons, distance, longing) that the lyric uses.
    pub fn claimed_motifs_used(&self) -> Vec<Motif> {
        CLAIMED_MOTIFS.into_iter().filter(|motif| self.profile.has(*motif)).collect()
    }

    /// The lyric as features of its song (the recommender places a song nobody has played yet
    /// by them): `lyrics:<family>` for each motif family it uses (`lyrics:season-and-weather`),
    /// `lyrics:no-motif` for none.
    pub fn feature_names(&self) -> Vec<String> {
        let used: Vec<String> = Motif::ALL
            .into_iter()
            .filter(|motif| self.profile.has(*motif))
            .map(|motif| format!("lyrics:{}", motif.name().replace(' ', "-")))
            .collect();
        if used.is_empty() {
            vec!["lyrics:no-motif".to_string()]
        } else {
            used
        }
    }
}

/// Each catalog song some row's lyric is of. A row without a lyric, or matching no song, adds
/// nothing; of a song's rows the earliest year's (then the first read) gives its lyric.
pub fn catalog_song_motifs(catalog: &Catalog, rows: &[SongLyric]) -> BTreeMap<SongId, CatalogSongMotifs> {
    let matcher = SongMatcher::new(catalog);
    let mut found: BTreeMap<SongId, CatalogSongMotifs> = BTreeMap::new();
    for row in rows.iter().filter(|row| !row.lyric.trim().is_empty()) {
        let outcome = matcher.match_row(&row.title, &row.singer);
        let Some(song_id) = outcome.song_id() else { continue };
        if found.get(song_id).is_some_and(|held| held.year <= row.year) {
            continue;
        }
        found.insert(
            song_id.clone(),
            CatalogSongMotifs {
                profile: motif_profile(&tokenize(&row.lyric)),
                year: row.year,
                source: format!("{}:{}", row.source_file, row.source_line),
            },
        );
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use encore_domain::{Drama, Song};

    fn song(id: &str, title: &str, artists: &[&str]) -> Song {
        Song {
            id: SongId::new(id),
            drama_id: encore_domain::DramaId::new("goblin"),
            ost_part: None,
            title_en: title.into(),
            title_ko: String::new(),
            artists: artists.iter().map(ToString::to_string).collect(),
            release_date: None,
            source: String::new(),
        }
    }

    fn lyric(year: i32, singer: &str, title: &str, text: &str) -> SongLyric {
        SongLyric {
            year,
            singer: singer.into(),
            title: title.into(),
            is_ost: true,
            lyric: text.into(),
            source_file: "melon.csv".into(),
            source_line: year as u64,
        }
    }

    #[test]
    fn rows_match_catalog_songs_by_title_and_singer_and_the_earliest_lyric_wins() {
        let catalog = Catalog {
            dramas: vec![Drama::titled("goblin", "Goblin", "도깨비")],
            songs: vec![
                song("beautiful", "Beautiful", &["Crush"]),
                song("stay_with_me", "Stay With Me", &["Chanyeol", "Punch"]),
            ],
            ..Catalog::default()
        };
        let rows = [
            lyric(2018, "Crush", "Beautiful", "겨울 눈 내리는 밤"),
            lyric(2017, "Crush", "Beautiful", "그리워 기다려"),
            lyric(2017, "Punch", "Stay With Me", ""),
            lyric(2017, "Someone Else", "Another Song", "봄"),
        ];
        let found = catalog_song_motifs(&catalog, &rows);
        assert_eq!(found.keys().map(SongId::as_str).collect::<Vec<_>>(), ["beautiful"]);
        let beautiful = &found[&SongId::new("beautiful")];
        assert_eq!((beautiful.year, beautiful.source.as_str()), (2017, "melon.csv:2017"));
        assert_eq!(beautiful.claimed_motifs_used(), [Motif::LongingAndWaiting]);
        assert_eq!(beautiful.feature_names(), ["lyrics:longing-and-waiting"]);
        let plain = catalog_song_motifs(&catalog, &[lyric(2017, "Crush", "Beautiful", "커피 한 잔")]);
        assert_eq!(plain[&SongId::new("beautiful")].feature_names(), ["lyrics:no-motif"]);
    }
}
