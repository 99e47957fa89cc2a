//! Matching parsed rows to the catalog, on the worker that parsed them, so the ingest's one thread
//! is left only the bookkeeping and the commit. The workers share what they matched: a song that
//! charts for weeks is matched once, whichever worker meets it first.

use std::collections::HashMap;
use std::sync::RwLock;

use encore_domain::{Catalog, DramaId, KeywordMatch, KeywordMatcher, SongId, SongMatcher, ViewingMatcher};
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
            ParsedRows::Series(SeriesRows::Listens(parsed)) => self.match_listens(&mut parsed.rows),
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

    /// Sets the catalog song of every listen that names one.
    pub(crate) fn match_listens(&self, listens: &mut [encore_domain::Listen]) {
        // A log names a few thousand songs millions of times: each distinct pair of a piece goes
        // to the shared cache once, so the workers do not take turns at its lock on every row.
        let mut known: HashMap<(&str, &str), Option<SongId>> = HashMap::new();
        let songs: Vec<Option<SongId>> = listens
            .iter()
            .map(|listen| {
                let pair = (listen.track.as_str(), listen.artist.as_str());
                known.entry(pair).or_insert_with(|| self.song_of(pair.0, pair.1)).clone()
            })
            .collect();
        for (listen, song) in listens.iter_mut().zip(songs) {
            listen.song_id = song;
        }
    }

    fn song_of(&self, title: &str, artist: &str) -> Option<SongId> {
        self.matched_songs.get_or_match(title, artist, || self.songs.match_row(title, artist).song_id().cloned())
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
