//! Matching parsed rows to the catalog, on the worker that parsed them, so the ingest's one thread
//! is left only the bookkeeping and the commit. The workers share what they matched: a song that
//! charts for weeks is matched once, whichever worker meets it first.

use std::collections::HashMap;
use std::sync::RwLock;

use encore_domain::{
    Catalog, ColumnFull, DramaId, KeywordMatch, KeywordMatcher, ListenColumns, SongId, SongMatcher, TextColumn,
    ViewingMatcher,
};
use encore_ingest::SeriesRows;

/// The catalog's matchers and what they matched so far, shared by every worker.
pub(crate) struct Matchers {
    songs: SongMatcher,
    keywords: KeywordMatcher,
    viewing: ViewingMatcher,
    /// A song stays on a chart for weeks: each distinct (title, artist) is matched once.
    matched_songs: MatchCache<Option<SongId>>,
    /// A keyword has a row per day: each distinct keyword is matched once.
    matched_keywords: MatchCache<KeywordMatch>,
    /// A title stays on Netflix's lists for weeks: each distinct (show, season) is matched once.
    matched_titles: MatchCache<Option<DramaId>>,
}

/// The rows of one parsed file, of whichever kind.
pub(crate) enum ParsedRows {
    Chart(encore_ingest::Parsed<encore_domain::ChartEntry>),
    Series(SeriesRows),
    /// A listening log's, matched and turned into columns as it was read.
    Listens(crate::listens::ListenRows),
}

impl Matchers {
    pub(crate) fn new(catalog: &Catalog) -> Matchers {
        Matchers {
            songs: SongMatcher::new(catalog),
            keywords: KeywordMatcher::new(catalog),
            viewing: ViewingMatcher::new(catalog),
            matched_songs: MatchCache::default(),
            matched_keywords: MatchCache::default(),
            matched_titles: MatchCache::default(),
        }
    }

    /// Sets the catalog song (or drama) of every row that names one; other rows are left as read.
    pub(crate) fn match_rows(&self, rows: &mut ParsedRows) {
        match rows {
            ParsedRows::Chart(parsed) => {
                for entry in &mut parsed.rows {
                    entry.song_id = self.song_of(&entry.title, &entry.artist);
                }
            }
            ParsedRows::Series(SeriesRows::SearchInterest(parsed)) => {
                for row in &mut parsed.rows {
                    let keywords = &self.keywords;
                    let found =
                        self.matched_keywords.get_or_match(&row.keyword, "", || keywords.match_keyword(&row.keyword));
                    row.song_id = found.song_id;
                    row.drama_id = found.drama_id;
                }
            }
            ParsedRows::Series(SeriesRows::Listens(parsed)) => {
                self.match_listens(&mut parsed.rows, &mut SongMemo::default())
            }
            ParsedRows::Series(SeriesRows::Viewing(parsed)) => {
                for row in &mut parsed.rows {
                    let viewing = &self.viewing;
                    row.drama_id = self.matched_titles.get_or_match(&row.show_title, &row.season_title, || {
                        viewing.match_titles(&row.show_title, &row.season_title)
                    });
                }
            }
            ParsedRows::Series(SeriesRows::Counts(_) | SeriesRows::Dramas(_) | SeriesRows::Ratings(_))
            | ParsedRows::Listens(_) => {}
        }
    }

    /// Sets the catalog song of every listen that names one, through `memo`, the worker's own.
    pub(crate) fn match_listens(&self, listens: &mut [encore_domain::Listen], memo: &mut SongMemo) {
        for listen in listens {
            listen.song_id =
                memo.song_of(&listen.track, &listen.artist, || self.song_of(&listen.track, &listen.artist)).cloned();
        }
    }

    /// The catalog songs of listens read as columns, one a listen (missing where none matched),
    /// through `memo`, the worker's own; with how many matched. Each distinct (track, artist) of
    /// the columns is looked up once, by the numbers of its two values.
    pub(crate) fn match_listen_columns(
        &self,
        listens: &ListenColumns,
        memo: &mut SongMemo,
    ) -> Result<(TextColumn, usize), ColumnFull> {
        let mut songs = TextColumn::with_capacity(listens.len());
        let mut pairs = PairSongs::new(listens.track.distinct());
        let mut matched = 0;
        for row in 0..listens.len() {
            let (track, artist) = (listens.track.key(row), listens.artist.key(row));
            let song = match pairs.get(track, artist) {
                Some(song) => song,
                None => {
                    let (track_text, artist_text) = (text_of(&listens.track, track), text_of(&listens.artist, artist));
                    let found = memo.song_of(track_text, artist_text, || self.song_of(track_text, artist_text));
                    let song = found.map(|song| songs.number(song.as_str())).transpose()?;
                    pairs.insert(track, artist, song);
                    song
                }
            };
            matched += usize::from(song.is_some());
            songs.push_number(song);
        }
        Ok((songs, matched))
    }

    fn song_of(&self, title: &str, artist: &str) -> Option<SongId> {
        self.matched_songs.get_or_match(title, artist, || self.songs.match_row(title, artist).song_id().cloned())
    }
}

/// The song (its number in the songs column) of each (track, artist) of a piece met so far, by
/// the numbers of the two: a track is nearly always by one artist, so the first artist met with
/// a track is kept beside it, any other in a map.
struct PairSongs {
    by_track: Vec<Option<(u32, Option<u32>)>>,
    others: HashMap<(Option<u32>, Option<u32>), Option<u32>, foldhash::fast::RandomState>,
}

impl PairSongs {
    /// Pairs of tracks numbered below `tracks`.
    fn new(tracks: usize) -> PairSongs {
        PairSongs { by_track: vec![None; tracks], others: HashMap::default() }
    }

    fn get(&self, track: Option<u32>, artist: Option<u32>) -> Option<Option<u32>> {
        let beside = track.and_then(|track| self.by_track[track as usize]);
        match (beside, artist) {
            (Some((first, song)), Some(artist)) if first == artist => Some(song),
            _ => self.others.get(&(track, artist)).copied(),
        }
    }

    fn insert(&mut self, track: Option<u32>, artist: Option<u32>, song: Option<u32>) {
        match (track.map(|track| &mut self.by_track[track as usize]), artist) {
            (Some(slot @ None), Some(artist)) => *slot = Some((artist, song)),
            _ => {
                self.others.insert((track, artist), song);
            }
        }
    }
}

/// The value numbered `key` in `column`, empty for a missing one.
fn text_of(column: &TextColumn, key: Option<u32>) -> &str {
    key.map_or("", |key| column.value(key))
}

/// What one worker matched of a listening log: a log names a few thousand songs millions of
/// times, so each worker asks the shared cache once per distinct (title, artist) and never meets
/// the other workers at its lock again; a lookup hashes one key built in a reused buffer.
#[derive(Default)]
pub(crate) struct SongMemo {
    /// Each pair's position in `songs`.
    known: HashMap<Vec<u8>, usize, foldhash::fast::RandomState>,
    songs: Vec<Option<SongId>>,
    key: Vec<u8>,
}

impl SongMemo {
    fn song_of(&mut self, title: &str, artist: &str, match_pair: impl FnOnce() -> Option<SongId>) -> Option<&SongId> {
        self.key.clear();
        // The title's length first: no two pairs make the same key.
        self.key.extend_from_slice(&title.len().to_le_bytes());
        self.key.extend_from_slice(title.as_bytes());
        self.key.extend_from_slice(artist.as_bytes());
        let position = match self.known.get(self.key.as_slice()) {
            Some(&position) => position,
            None => {
                self.songs.push(match_pair());
                self.known.insert(self.key.clone(), self.songs.len() - 1);
                self.songs.len() - 1
            }
        };
        self.songs[position].as_ref()
    }
}

/// What a pair of texts (a title and an artist, a show and a season) matched, each pair matched
/// once: a row names the same song as hundreds of others, so a lookup allocates nothing. Two
/// workers meeting a new pair at once may both match it; they find the same answer.
struct MatchCache<V>(RwLock<HashMap<String, HashMap<String, V>>>);

impl<V> Default for MatchCache<V> {
    fn default() -> MatchCache<V> {
        MatchCache(RwLock::new(HashMap::new()))
    }
}

impl<V: Clone> MatchCache<V> {
    fn get_or_match(&self, first: &str, second: &str, match_pair: impl FnOnce() -> V) -> V {
        // A poisoned lock means a worker panicked mid-insert; the map is still sound to read.
        let known = self.0.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(found) = known.get(first).and_then(|by_second| by_second.get(second)) {
            return found.clone();
        }
        drop(known);
        let found = match_pair();
        let mut known = self.0.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        known.entry(first.to_string()).or_default().insert(second.to_string(), found.clone());
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_is_known_by_both_its_numbers() {
        let mut pairs = PairSongs::new(3);
        pairs.insert(Some(0), Some(5), Some(1));
        pairs.insert(Some(0), Some(6), None);
        pairs.insert(None, Some(5), Some(2));
        pairs.insert(Some(2), None, Some(3));
        assert_eq!([pairs.get(Some(0), Some(5)), pairs.get(Some(0), Some(6))], [Some(Some(1)), Some(None)]);
        assert_eq!([pairs.get(None, Some(5)), pairs.get(Some(2), None)], [Some(Some(2)), Some(Some(3))]);
        for (track, artist) in [(Some(0), Some(7)), (Some(1), Some(5)), (None, None), (Some(2), Some(5))] {
            assert_eq!(pairs.get(track, artist), None, "{track:?} {artist:?}");
        }
    }

    #[test]
    fn a_worker_asks_once_per_distinct_pair_and_pairs_never_share_a_key() {
        let mut memo = SongMemo::default();
        let mut asked = Vec::new();
        let pairs = [("ab", "c"), ("a", "bc"), ("ab", "c"), ("1:a", "b"), ("a", "bc")];
        let songs: Vec<Option<SongId>> = pairs
            .iter()
            .map(|&(title, artist)| {
                memo.song_of(title, artist, || {
                    asked.push((title, artist));
                    Some(SongId::new(format!("{title}|{artist}")))
                })
                .cloned()
            })
            .collect();
        assert_eq!(asked, [("ab", "c"), ("a", "bc"), ("1:a", "b")]);
        let names: Vec<String> = songs.into_iter().flatten().map(|song| song.to_string()).collect();
        assert_eq!(names, ["ab|c", "a|bc", "ab|c", "1:a|b", "a|bc"]);
    }
}
