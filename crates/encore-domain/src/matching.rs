//! Matching chart rows to catalog songs across scripts and credit styles.
//!
//! A chart row matches a song when one of the row's title keys equals one of the song's title keys
//! and one of the row's artist names equals one of the song's artist names (or their aliases).
//! Keys are normalised (Unicode NFKC, lower case, letters and digits only), so case, punctuation,
//! spacing and full-width forms do not matter. A title also yields keys without its bracketed parts
//! (`Running Up That Hill (A Deal With God)`), and each bracketed part on its own (Melon writes
//! `모든 날, 모든 순간 (Every day, Every Moment)`), except credits such as `(feat. X)`.
//! The artist is required because titles alone collide: Billboard's "Always" is not Yoon Mi-rae's.
//!
//! Credits split at `,` `;` `&` `/` `+` `×` ` x ` ` and ` ` with ` ` vs ` and `feat.`, and any one
//! credited name is enough, so the order and separators of a credit do not matter.
//!
//! **Versions.** A bracketed or dashed suffix made of version words (`(Inst.)`, `(Explicit Ver.)`,
//! `- Remix`, `(Acoustic Ver.)`, `(Live)`, `- Radio Edit`) is not a title of its own. A row with
//! one is tried first under its full title and then under the title without it: so a remix or an
//! instrumental counts as the catalog's song, unless the catalog lists that version as a song of
//! its own (a catalog title with a version suffix is known only by its full title), in which case
//! the row is that song. The catalog decides whether a version is a different song.
//!
//! **Scripts.** Titles and names are also compared under a loose romanised key
//! ([`crate::romanize::loose_key`]), so `Neoui Modeun Sungan` meets `너의 모든 순간`, but only when
//! no exact key found a song. **Aliases.** A song's aliases (`Catalog::song_aliases`) are titles
//! of it like its English and Hangul ones; artists' aliases count as their names.

use std::collections::{BTreeSet, HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

use crate::catalog::Catalog;
use crate::ids::SongId;
use crate::romanize::loose_key;

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

pub(crate) struct IndexedSong {
    pub(crate) id: SongId,
    /// Normalised names and, prefixed with `~`, loose romanised ones.
    pub(crate) artist_names: HashSet<String>,
    /// Every exact and loose title key of the song, for [`SongMatcher::nearest`].
    pub(crate) title_keys: Vec<String>,
}

/// An index of the catalog's songs by title key.
pub struct SongMatcher {
    pub(crate) songs: Vec<IndexedSong>,
    by_title_key: HashMap<String, Vec<usize>>,
    by_loose_key: HashMap<String, Vec<usize>>,
}

impl SongMatcher {
    pub fn new(catalog: &Catalog) -> SongMatcher {
        let aliases = catalog.artist_names();
        let mut song_aliases: HashMap<&str, Vec<&str>> = HashMap::new();
        for alias in &catalog.song_aliases {
            song_aliases.entry(alias.song_id.as_str()).or_default().push(alias.alias.as_str());
        }
        let mut songs = Vec::with_capacity(catalog.songs.len());
        let mut by_title_key: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_loose_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (position, song) in catalog.songs.iter().enumerate() {
            let mut artist_names = HashSet::new();
            for artist in &song.artists {
                let names = std::iter::once(artist.as_str())
                    .chain(aliases.get(artist.trim()).into_iter().flatten().map(String::as_str));
                for name in names {
                    artist_names.extend(artist_keys(name));
                    artist_names.extend(loose_artist_keys(name));
                }
            }
            let mut exact_keys = BTreeSet::new();
            let mut loose_keys = BTreeSet::new();
            let titles = [song.title_en.as_str(), song.title_ko.as_str()];
            for title in titles.into_iter().chain(song_aliases.get(song.id.as_str()).into_iter().flatten().copied()) {
                let keys = title_keys(title);
                // A version listed as a song of its own is known only by its full title.
                let keys = if has_version_suffix(title) { keys.into_iter().take(1).collect() } else { keys };
                loose_keys.extend(keys.iter().map(|key| loose_key(key)).filter(|key| !key.is_empty()));
                exact_keys.extend(keys);
            }
            for key in &exact_keys {
                by_title_key.entry(key.clone()).or_default().push(position);
            }
            for key in &loose_keys {
                by_loose_key.entry(key.clone()).or_default().push(position);
            }
            let title_keys = exact_keys.into_iter().chain(loose_keys).collect();
            songs.push(IndexedSong { id: song.id.clone(), artist_names, title_keys });
        }
        SongMatcher { songs, by_title_key, by_loose_key }
    }

    /// Matches one chart row. Title keys are tried from the most specific (the full title) to the
    /// loosest (romanised); the first tier whose songs credit the row's artist decides.
    pub fn match_row(&self, title: &str, artist: &str) -> MatchOutcome {
        let keys = title_keys(title);
        // Most chart rows name no catalog title: the artist's keys and the title's loose
        // (romanised) keys, the costly part, are made only when a tier needs them.
        let mut row_artists: Option<Vec<String>> = None;
        let mut loose: Option<Vec<String>> = None;
        let mut first_candidates: Option<BTreeSet<usize>> = None;
        for tier in 0..3 {
            let (index, tier_keys) = match tier {
                0 => (&self.by_title_key, &keys[..keys.len().min(1)]),
                1 => (&self.by_title_key, &keys[..]),
                _ => {
                    let loose = loose.get_or_insert_with(|| {
                        keys.iter().map(|key| loose_key(key)).filter(|key| !key.is_empty()).collect()
                    });
                    (&self.by_loose_key, &loose[..])
                }
            };
            let candidates: BTreeSet<usize> =
                tier_keys.iter().filter_map(|key| index.get(key)).flatten().copied().collect();
            if candidates.is_empty() {
                continue;
            }
            let row_artists = row_artists.get_or_insert_with(|| {
                let mut names = artist_keys(artist);
                names.extend(loose_artist_keys(artist));
                names
            });
            let matched: Vec<SongId> = candidates
                .iter()
                .map(|&position| &self.songs[position])
                .filter(|song| row_artists.iter().any(|name| song.artist_names.contains(name)))
                .map(|song| song.id.clone())
                .collect();
            match matched.len() {
                0 => {
                    first_candidates.get_or_insert(candidates);
                }
                1 => return MatchOutcome::Matched(matched.into_iter().next().expect("one element")),
                _ => return MatchOutcome::Ambiguous(matched),
            }
        }
        match first_candidates {
            Some(candidates) => MatchOutcome::ArtistDiffers(
                candidates.iter().map(|&position| self.songs[position].id.clone()).collect(),
            ),
            None => MatchOutcome::NoSuchTitle,
        }
    }
}

/// The loose romanised keys of a credit's names, `~`-prefixed so they never meet an exact key.
pub(crate) fn loose_artist_keys(credit: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for name in split_credit(credit) {
        let (outside, inside) = split_brackets(&name);
        for candidate in std::iter::once(outside).chain(inside) {
            let key = format!("~{}", loose_key(&candidate));
            if key.len() > 2 && !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}

/// Letters and digits only, lower case, after NFKC (so full-width forms fold to ASCII).
pub fn normalize(text: &str) -> String {
    text.nfkc().flat_map(char::to_lowercase).filter(|c| c.is_alphanumeric()).collect()
}

const CREDIT_WORDS: [&str; 6] = ["feat", "ft.", "featuring", "with ", "prod", "from "];

/// Words that make a bracketed or dashed part a version of the song rather than a title, anywhere
/// in it (`Acoustic Ver.`), and words that do so only at its end (`Live`, but not `Live Your Life`).
const VERSION_WORDS: [&str; 10] =
    ["ver", "version", "inst", "instrumental", "remix", "explicit", "remaster", "remastered", "karaoke", "unplugged"];
const VERSION_LAST_WORDS: [&str; 8] = ["live", "mix", "edit", "clean", "acoustic", "demo", "mr", "sped"];

/// The keys a title is known by, most specific first: whole (with any version suffix), without
/// bracketed parts, and each bracketed part that is neither a credit nor a version.
pub fn title_keys(title: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut push = |text: &str| {
        let key = normalize(text);
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
        }
    };
    let (outside, inside) = split_brackets(&bracket_dashed_suffix(title));
    let credit_free: Vec<&str> = inside.iter().map(String::as_str).filter(|part| !is_credit(part)).collect();
    let mut whole = outside.clone();
    for part in &credit_free {
        whole.push_str(part);
    }
    push(&whole);
    push(&outside);
    for part in credit_free.into_iter().filter(|part| !is_version(part)) {
        push(part);
    }
    keys
}

/// Whether the title ends in a version part (`(Inst.)`, `- Remix`).
pub fn has_version_suffix(title: &str) -> bool {
    split_brackets(&bracket_dashed_suffix(title)).1.iter().any(|part| is_version(part))
}

fn is_version(part: &str) -> bool {
    let lower = part.to_lowercase();
    let words: Vec<&str> =
        lower.split(|character: char| !character.is_alphanumeric()).filter(|word| !word.is_empty()).collect();
    words.iter().any(|word| VERSION_WORDS.contains(word))
        || words.last().is_some_and(|word| VERSION_LAST_WORDS.contains(word))
}

/// `Title - Remix` as `Title (Remix)`, when what follows the last ` - ` is a version or a credit
/// (Spotify writes `- From "Goblin"`); other dashes are part of the title.
fn bracket_dashed_suffix(title: &str) -> String {
    match title.rsplit_once(" - ") {
        Some((head, tail)) if is_version(tail) || is_credit(tail) => format!("{head} ({tail})"),
        _ => title.to_string(),
    }
}

/// The names credited in an artist field, each normalised, with bracketed alternatives split out:
/// `찬열 (CHANYEOL), 펀치 (Punch)` gives `찬열chanyeol`, `찬열`, `chanyeol`, `펀치punch`, `펀치`, `punch`.
pub fn artist_keys(credit: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for name in split_credit(credit) {
        let (outside, inside) = split_brackets(&name);
        for candidate in
            std::iter::once(name.as_str()).chain([outside.as_str()]).chain(inside.iter().map(String::as_str))
        {
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
pub(crate) fn split_brackets(text: &str) -> (String, Vec<String>) {
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
pub(crate) fn split_credit(credit: &str) -> Vec<String> {
    let lowered: String = credit.to_lowercase();
    let mut names = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut rest = lowered.as_str();
    let separators = [
        " featuring ",
        " feat. ",
        " feat ",
        " ft. ",
        " x ",
        " × ",
        " and ",
        " with ",
        " vs. ",
        " vs ",
        ",",
        ";",
        "&",
        "/",
        "+",
        "×",
        "、",
    ];
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
#[path = "matching_tests.rs"]
mod tests;
