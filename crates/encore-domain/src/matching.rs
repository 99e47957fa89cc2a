//! Matching chart rows to catalog songs across scripts and credit styles.
//!
//! A chart row matches a song when one of the row's title keys equals one of the song's title keys
//! and one of the row's artist names equals one of the song's artist names (or their aliases).
//! Keys are normalised (Unicode NFKC, lower case, letters and digits only), so case, punctuation,
//! spacing and full-width forms do not matter. A title also yields keys without its bracketed parts
//! (`Running Up That Hill (A Deal With God)`), and each bracketed part on its own (Melon writes
//! `모든 날, 모든 순간 (Every day, Every Moment)`), except credits such as `(feat. X)`.
//! The artist is required because titles alone collide: Billboard's "Always" is not Yoon Mi-rae's.

use std::collections::{BTreeSet, HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

use crate::catalog::Catalog;
use crate::ids::SongId;

/// What became of one chart row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchOutcome {
    Matched(SongId),
    /// The title and artist fit more than one catalog song.
    Ambiguous(Vec<SongId>),
    /// The title fits these songs, but none of their artists is credited on the row.
    ArtistDiffers(Vec<SongId>),
    /// No catalog song has this title.
    NoSuchTitle,
}

impl MatchOutcome {
    pub fn song_id(&self) -> Option<&SongId> {
        match self {
            MatchOutcome::Matched(id) => Some(id),
            _ => None,
        }
    }
}

struct IndexedSong {
    id: SongId,
    artist_names: HashSet<String>,
}

/// An index of the catalog's songs by title key.
pub struct SongMatcher {
    songs: Vec<IndexedSong>,
    by_title_key: HashMap<String, Vec<usize>>,
}

impl SongMatcher {
    pub fn new(catalog: &Catalog) -> SongMatcher {
        let aliases = catalog.artist_names();
        let mut songs = Vec::with_capacity(catalog.songs.len());
        let mut by_title_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (position, song) in catalog.songs.iter().enumerate() {
            let mut artist_names = HashSet::new();
            for artist in &song.artists {
                artist_names.extend(artist_keys(artist));
                for alias in aliases.get(artist.trim()).into_iter().flatten() {
                    artist_names.extend(artist_keys(alias));
                }
            }
            let mut title_keys_of_song = BTreeSet::new();
            title_keys_of_song.extend(title_keys(&song.title_en));
            title_keys_of_song.extend(title_keys(&song.title_ko));
            for key in title_keys_of_song {
                by_title_key.entry(key).or_default().push(position);
            }
            songs.push(IndexedSong { id: song.id.clone(), artist_names });
        }
        SongMatcher { songs, by_title_key }
    }

    pub fn match_row(&self, title: &str, artist: &str) -> MatchOutcome {
        let mut title_candidates = BTreeSet::new();
        for key in title_keys(title) {
            if let Some(positions) = self.by_title_key.get(&key) {
                title_candidates.extend(positions.iter().copied());
            }
        }
        if title_candidates.is_empty() {
            return MatchOutcome::NoSuchTitle;
        }
        let row_artists = artist_keys(artist);
        let matched: Vec<SongId> = title_candidates
            .iter()
            .map(|&position| &self.songs[position])
            .filter(|song| row_artists.iter().any(|name| song.artist_names.contains(name)))
            .map(|song| song.id.clone())
            .collect();
        match matched.len() {
            0 => MatchOutcome::ArtistDiffers(
                title_candidates.iter().map(|&position| self.songs[position].id.clone()).collect(),
            ),
            1 => MatchOutcome::Matched(matched.into_iter().next().expect("one element")),
            _ => MatchOutcome::Ambiguous(matched),
        }
    }
}

/// Letters and digits only, lower case, after NFKC (so full-width forms fold to ASCII).
pub fn normalize(text: &str) -> String {
    text.nfkc().flat_map(char::to_lowercase).filter(|c| c.is_alphanumeric()).collect()
}

const CREDIT_WORDS: [&str; 6] = ["feat", "ft.", "featuring", "with ", "prod", "from "];

/// The keys a title is known by: whole, without bracketed parts, and each bracketed part that is
/// not a credit.
pub fn title_keys(title: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut push = |text: &str| {
        let key = normalize(text);
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
        }
    };
    let (outside, inside) = split_brackets(title);
    let credit_free: Vec<&str> = inside.iter().map(String::as_str).filter(|part| !is_credit(part)).collect();
    let mut whole = outside.clone();
    for part in &credit_free {
        whole.push_str(part);
    }
    push(&whole);
    push(&outside);
    for part in credit_free {
        push(part);
    }
    keys
}

/// The names credited in an artist field, each normalised, with bracketed alternatives split out:
/// `찬열 (CHANYEOL), 펀치 (Punch)` gives `찬열chanyeol`, `찬열`, `chanyeol`, `펀치punch`, `펀치`, `punch`.
pub fn artist_keys(credit: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for name in split_credit(credit) {
        let (outside, inside) = split_brackets(&name);
        for candidate in std::iter::once(name.as_str()).chain([outside.as_str()]).chain(inside.iter().map(String::as_str)) {
            let key = normalize(candidate);
            if !key.is_empty() && !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}

fn is_credit(part: &str) -> bool {
    let lower = part.trim().to_lowercase();
    CREDIT_WORDS.iter().any(|word| lower.starts_with(word))
}

/// Splits `A (B) [C]` into `A ` and `[B, C]`. Unbalanced brackets are kept as text.
fn split_brackets(text: &str) -> (String, Vec<String>) {
    let mut outside = String::new();
    let mut inside = Vec::new();
    let mut current: Option<String> = None;
    for character in text.chars() {
        match (character, current.as_mut()) {
            ('(' | '[' | '{', None) => current = Some(String::new()),
            (')' | ']' | '}', Some(_)) => inside.push(current.take().unwrap_or_default()),
            (_, Some(part)) => part.push(character),
            (_, None) => outside.push(character),
        }
    }
    if let Some(unclosed) = current {
        outside.push_str(&unclosed);
    }
    (outside, inside)
}

/// Splits an artist credit into names at `,` `;` `&` `/` `feat.` `featuring` `ft.` ` x ` ` and `
/// ` with `, never inside brackets.
fn split_credit(credit: &str) -> Vec<String> {
    let lowered: String = credit.to_lowercase();
    let mut names = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut rest = lowered.as_str();
    let separators = [" featuring ", " feat. ", " feat ", " ft. ", " x ", " and ", " with ", ",", ";", "&", "/", "、"];
    'outer: while let Some(character) = rest.chars().next() {
        if depth == 0 {
            for separator in separators {
                if rest.starts_with(separator) {
                    names.push(std::mem::take(&mut current));
                    rest = &rest[separator.len()..];
                    continue 'outer;
                }
            }
        }
        match character {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        current.push(character);
        rest = &rest[character.len_utf8()..];
    }
    names.push(current);
    names.into_iter().map(|name| name.trim().to_string()).filter(|name| !name.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ArtistAlias, Song};
    use crate::ids::DramaId;

    fn song(id: &str, title_en: &str, title_ko: &str, artists: &[&str]) -> Song {
        Song {
            id: SongId::new(id),
            drama_id: DramaId::new("drama"),
            ost_part: None,
            title_en: title_en.to_string(),
            title_ko: title_ko.to_string(),
            artists: artists.iter().map(|artist| artist.to_string()).collect(),
            release_date: None,
            source: String::new(),
        }
    }

    fn catalog() -> Catalog {
        Catalog {
            songs: vec![
                song("first_snow", "I Will Go to You Like the First Snow", "첫눈처럼 너에게 가겠다", &["Ailee"]),
                song("stay_with_me", "Stay With Me", "스테이 위드 미", &["Chanyeol", "Punch"]),
                song("this_love", "This Love", "이 사랑", &["Davichi"]),
                song("someday", "", "어떤날엔", &["Kim Jae-hwan"]),
                song("ruth", "Running Up That Hill", "", &["Kate Bush"]),
                song("always", "Always", "올웨이즈", &["Yoon Mi-rae"]),
            ],
            artist_aliases: vec![
                ArtistAlias { name: "Davichi".into(), alias: "다비치".into(), source: String::new() },
                ArtistAlias { name: "Kim Jae-hwan".into(), alias: "김재환".into(), source: String::new() },
            ],
            ..Catalog::default()
        }
    }

    fn check(title: &str, artist: &str, expected: Option<&str>) {
        let matcher = SongMatcher::new(&catalog());
        let outcome = matcher.match_row(title, artist);
        assert_eq!(outcome.song_id().map(SongId::as_str), expected, "{title} / {artist}: {outcome:?}");
    }

    #[test]
    fn matches_across_scripts_case_and_credits() {
        check("첫눈처럼 너에게 가겠다", "에일리(Ailee)", Some("first_snow"));
        check("I Will Go To You Like the First Snow", "AILEE", Some("first_snow"));
        check("Stay With Me", "찬열 (CHANYEOL), 펀치 (Punch)", Some("stay_with_me"));
        check("Stay with me (feat. Someone)", "Punch", Some("stay_with_me"));
        check("이 사랑", "다비치", Some("this_love"));
        check("어떤 날엔", "김재환", Some("someday"));
        check("Running Up That Hill (A Deal With God)", "Kate Bush", Some("ruth"));
    }

    #[test]
    fn a_title_alone_is_not_enough() {
        check("Always", "Bon Jovi", None);
        let matcher = SongMatcher::new(&catalog());
        assert_eq!(
            matcher.match_row("Always", "Bon Jovi"),
            MatchOutcome::ArtistDiffers(vec![SongId::new("always")])
        );
        assert_eq!(matcher.match_row("Yesterday", "The Beatles"), MatchOutcome::NoSuchTitle);
    }

    #[test]
    fn credits_split_into_names_with_their_alternatives() {
        assert_eq!(artist_keys("찬열 (CHANYEOL), 펀치 (Punch)"), ["찬열chanyeol", "찬열", "chanyeol", "펀치punch", "펀치", "punch"]);
        assert_eq!(artist_keys("Future Featuring Drake & Tems"), ["future", "drake", "tems"]);
        assert_eq!(title_keys("모든 날, 모든 순간 (Every day, Every Moment)"), ["모든날모든순간everydayeverymoment", "모든날모든순간", "everydayeverymoment"]);
        assert_eq!(title_keys("환청 (Feat. 나쑈 (NaShow))").first().map(String::as_str), Some("환청"));
    }
}
