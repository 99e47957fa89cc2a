//! The catalog songs nearest to a row that matched none, so a user can tell which song it was and
//! add an alias.
//!
//! Nearness is the normalised edit distance (Levenshtein distance over characters divided by the
//! longer key's length, 0 equal, 1 nothing in common) between the closest pair of the row's and
//! the song's title keys, exact or loose romanised. Songs crediting the row's artist come first:
//! an unmatched row by a catalog artist is most often one of that artist's songs under another
//! title (성시경's "너의 모든 순간" is the catalog's "Every Moment of You").

use crate::ids::SongId;
use crate::matching::{artist_keys, loose_artist_keys, title_keys, SongMatcher};
use crate::romanize::loose_key;

/// One catalog song near an unmatched row.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub song_id: SongId,
    /// Normalised edit distance of the closest title keys, 0..=1.
    pub distance: f64,
    /// Whether the song credits one of the row's artists.
    pub artist_matches: bool,
}

impl SongMatcher {
    /// The `count` songs nearest to the row: those crediting its artist first, then by distance.
    pub fn nearest(&self, title: &str, artist: &str, count: usize) -> Vec<Candidate> {
        let exact = title_keys(title);
        let loose = exact.iter().map(|key| loose_key(key)).filter(|key| !key.is_empty());
        let row_keys: Vec<String> = exact.iter().cloned().chain(loose).collect();
        let mut row_artists = artist_keys(artist);
        row_artists.extend(loose_artist_keys(artist));
        let mut candidates: Vec<Candidate> = self
            .songs
            .iter()
            .map(|song| {
                let distance = row_keys
                    .iter()
                    .flat_map(|row_key| {
                        song.title_keys.iter().map(move |song_key| normalised_distance(row_key, song_key))
                    })
                    .fold(1.0_f64, f64::min);
                let artist_matches = row_artists.iter().any(|name| song.artist_names.contains(name));
                Candidate { song_id: song.id.clone(), distance, artist_matches }
            })
            .collect();
        candidates.sort_by(|left, right| {
            right
                .artist_matches
                .cmp(&left.artist_matches)
                .then(left.distance.total_cmp(&right.distance))
                .then_with(|| left.song_id.as_str().cmp(right.song_id.as_str()))
        });
        candidates.truncate(count);
        candidates
    }
}

impl SongMatcher {
    /// The `count` song ids nearest to `wanted`, a song id or title someone typed that is not a
    /// catalog id: by the normalised edit distance to the id or to a title key, whichever is closer.
    pub fn nearest_ids(&self, wanted: &str, count: usize) -> Vec<SongId> {
        let wanted_id = wanted.trim().to_lowercase();
        let wanted_title_keys = title_keys(&wanted_id.replace('_', " "));
        let mut scored: Vec<(f64, &SongId)> = self
            .songs
            .iter()
            .map(|song| {
                let by_id = normalised_distance(&wanted_id, song.id.as_str());
                let by_title = wanted_title_keys
                    .iter()
                    .flat_map(|key| song.title_keys.iter().map(move |song_key| normalised_distance(key, song_key)))
                    .fold(1.0_f64, f64::min);
                (by_id.min(by_title), &song.id)
            })
            .collect();
        scored.sort_by(|left, right| left.0.total_cmp(&right.0).then_with(|| left.1.as_str().cmp(right.1.as_str())));
        scored.into_iter().take(count).map(|(_, id)| id.clone()).collect()
    }
}

/// Levenshtein distance over characters divided by the longer length; 0 for two empty keys.
pub fn normalised_distance(left: &str, right: &str) -> f64 {
    let left: Vec<char> = left.chars().collect();
    let right: Vec<char> = right.chars().collect();
    let longer = left.len().max(right.len());
    if longer == 0 {
        return 0.0;
    }
    let mut previous: Vec<usize> = (0..=right.len()).collect();
    let mut current = vec![0; right.len() + 1];
    for (row, left_character) in left.iter().enumerate() {
        current[0] = row + 1;
        for (column, right_character) in right.iter().enumerate() {
            let substitution = previous[column] + usize::from(left_character != right_character);
            current[column + 1] = substitution.min(previous[column + 1] + 1).min(current[column] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[right.len()] as f64 / longer as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ArtistAlias, Catalog, Song};
    use crate::ids::DramaId;

    fn song(id: &str, title_en: &str, artist: &str) -> Song {
        Song {
            id: SongId::new(id),
            drama_id: DramaId::new("drama"),
            ost_part: None,
            title_en: title_en.to_string(),
            title_ko: String::new(),
            artists: vec![artist.to_string()],
            release_date: None,
            source: String::new(),
        }
    }

    #[test]
    fn a_mistyped_song_id_or_a_title_finds_the_nearest_ids() {
        let catalog = Catalog {
            songs: vec![
                song("first_snow", "I Will Go To You Like the First Snow", "Ailee"),
                song("stay_with_me", "Stay With Me", "Chanyeol"),
                song("love_maybe", "Love, Maybe", "MeloMance"),
            ],
            ..Catalog::default()
        };
        let matcher = SongMatcher::new(&catalog);
        assert_eq!(matcher.nearest_ids("first_snw", 1), [SongId::new("first_snow")]);
        assert_eq!(matcher.nearest_ids("stay with me", 1), [SongId::new("stay_with_me")]);
        assert_eq!(matcher.nearest_ids("love maybe", 2)[0], SongId::new("love_maybe"));
    }

    #[test]
    fn the_artists_songs_come_first_then_the_closest_titles() {
        let catalog = Catalog {
            songs: vec![
                song("every_moment_of_you", "Every Moment of You", "Sung Si-kyung"),
                song("every_day", "Every Day Every Moment", "Paul Kim"),
                song("always", "Always", "Yoon Mi-rae"),
            ],
            artist_aliases: vec![ArtistAlias {
                name: "Sung Si-kyung".into(),
                alias: "성시경".into(),
                source: String::new(),
            }],
            ..Catalog::default()
        };
        let matcher = SongMatcher::new(&catalog);
        let nearest = matcher.nearest("너의 모든 순간", "성시경", 2);
        assert_eq!(nearest[0].song_id.as_str(), "every_moment_of_you");
        assert!(nearest[0].artist_matches && !nearest[1].artist_matches);
        let by_title = matcher.nearest("Every Moment", "Someone", 3);
        assert_eq!(
            by_title.iter().map(|candidate| candidate.song_id.as_str()).collect::<Vec<_>>(),
            ["every_moment_of_you", "every_day", "always"]
        );
        assert_eq!(normalised_distance("kitten", "sitting"), 3.0 / 7.0);
        assert_eq!(normalised_distance("", ""), 0.0);
    }
}
