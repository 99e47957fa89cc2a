//! Drama OSTs the catalog lacks, found in chart rows: a row that matches no catalog song but whose
//! album names a drama's soundtrack (`옷소매 붉은 끝동 OST Part.8`) or whose genre is Melon's
//! 국내드라마 (Korean drama) is listed, with the evidence and a `songs.csv` row ready to append.
//!
//! Evidence is the album or the genre, never the title: Jaurim's 2013 song 스물다섯, 스물하나
//! charted again in 2022 beside the drama of that name, but its album is Jaurim's own, so it is
//! not the drama's OST and is not listed. An album's drama is the text before `OST` (or
//! `O.S.T`), linked to the catalog drama whose Korean or English title it spells (letters and
//! digits compared, case and spacing aside); the part is the number after `Part`, `Pt` or `파트`.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::catalog::Catalog;
use crate::chart::ChartEntry;
use crate::ids::DramaId;
use crate::matching::{normalize, split_brackets, split_credit, SongMatcher};
use crate::romanize::{has_hangul, romanize};

/// What marks a chart row as a drama OST.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum OstEvidence {
    /// An album naming a drama's soundtrack: the album as written, the drama's name in it, the part.
    Album { album: String, drama: String, part: Option<u32> },
    /// A genre naming Korean drama music (Melon's 국내드라마).
    Genre { genre: String },
}

impl OstEvidence {
    /// The evidence of one row, if it has any.
    pub fn of(entry: &ChartEntry) -> Option<OstEvidence> {
        if let Some(album) = entry.album.as_deref() {
            if let Some((drama, part)) = soundtrack_album(album) {
                return Some(OstEvidence::Album { album: album.trim().to_string(), drama, part });
            }
        }
        let genre = entry.genre.as_deref()?;
        genre.contains("드라마").then(|| OstEvidence::Genre { genre: genre.trim().to_string() })
    }

    fn describe(&self) -> String {
        match self {
            OstEvidence::Album { album, .. } => format!("album \"{album}\""),
            OstEvidence::Genre { genre } => format!("genre \"{genre}\""),
        }
    }
}

/// A title and artist of the charts that the evidence marks as a drama OST and the catalog lacks.
#[derive(Debug, Clone, PartialEq)]
pub struct Discovery {
    pub title: String,
    pub artist: String,
    /// The catalog drama the album names, if the catalog has it.
    pub drama_id: Option<DramaId>,
    /// The drama's name as the album gives it, when no catalog drama has that title.
    pub drama_named: Option<String>,
    pub ost_part: Option<u32>,
    /// Each distinct piece of evidence, as people read it.
    pub evidence: Vec<String>,
    pub rows: usize,
    pub best_rank: u32,
    pub first_date: NaiveDate,
    /// Where the first row with evidence was read (`file:line`).
    pub first_seen: String,
}

impl Discovery {
    /// A `songs.csv` row (`song_id,drama_id,ost_part,title_en,title_ko,artists,release_date,source`)
    /// for the song; the drama id is empty when no catalog drama is known (fill it in, or add the
    /// drama to `dramas.csv` first).
    pub fn catalog_row(&self) -> String {
        let (title_en, title_ko) = split_title(&self.title);
        let artists: Vec<String> = split_credit_names(&self.artist);
        let song_id = song_id(&self.title, artists.first().map_or("", String::as_str));
        let source = format!("chart row {} ({})", self.first_seen, self.evidence.join("; "));
        let cells = [
            song_id,
            self.drama_id.as_ref().map(|id| id.as_str().to_string()).unwrap_or_default(),
            self.ost_part.map(|part| part.to_string()).unwrap_or_default(),
            title_en,
            title_ko,
            artists.join("; "),
            String::new(),
            source,
        ];
        cells.iter().map(|cell| csv_cell(cell)).collect::<Vec<_>>().join(",")
    }
}

/// The rows of `entries` that match no song of `catalog` and carry OST evidence, one discovery
/// per title and artist (as the chart writes them, letters and digits compared), most rows first.
pub fn discover(catalog: &Catalog, entries: &[ChartEntry]) -> Vec<Discovery> {
    let matcher = SongMatcher::new(catalog);
    let dramas: Vec<(String, &DramaId)> = catalog
        .dramas
        .iter()
        .flat_map(|drama| [(normalize(&drama.title_ko), &drama.id), (normalize(&drama.title_en), &drama.id)])
        .filter(|(key, _)| !key.is_empty())
        .collect();
    let drama_of = |name: &str| {
        let key = normalize(name);
        dramas.iter().find(|(title, _)| *title == key).map(|(_, id)| (*id).clone())
    };
    let mut found: BTreeMap<(String, String), Discovery> = BTreeMap::new();
    for entry in entries {
        let Some(evidence) = OstEvidence::of(entry) else {
            continue;
        };
        if matcher.match_row(&entry.title, &entry.artist).song_id().is_some() {
            continue;
        }
        let key = (normalize(&entry.title), normalize(&entry.artist));
        let discovery = found.entry(key).or_insert_with(|| Discovery {
            title: entry.title.clone(),
            artist: entry.artist.clone(),
            drama_id: None,
            drama_named: None,
            ost_part: None,
            evidence: Vec::new(),
            rows: 0,
            best_rank: entry.rank,
            first_date: entry.chart_date,
            first_seen: format!("{}:{}", entry.source_file, entry.source_line),
        });
        discovery.rows += 1;
        discovery.best_rank = discovery.best_rank.min(entry.rank);
        if entry.chart_date < discovery.first_date {
            discovery.first_date = entry.chart_date;
            discovery.first_seen = format!("{}:{}", entry.source_file, entry.source_line);
        }
        if let OstEvidence::Album { drama, part, .. } = &evidence {
            if discovery.drama_id.is_none() {
                discovery.drama_id = drama_of(drama);
                if discovery.drama_id.is_none() && !drama.is_empty() {
                    discovery.drama_named = Some(drama.clone());
                } else {
                    discovery.drama_named = None;
                }
            }
            discovery.ost_part = discovery.ost_part.or(*part);
        }
        let described = evidence.describe();
        if !discovery.evidence.contains(&described) {
            discovery.evidence.push(described);
        }
    }
    let mut discoveries: Vec<Discovery> = found.into_values().collect();
    discoveries.sort_by(|left, right| right.rows.cmp(&left.rows).then(left.best_rank.cmp(&right.best_rank)));
    discoveries
}

/// Words of a soundtrack album that is not a TV drama's: films, webtoons, games, musicals.
const NOT_DRAMA: [&str; 11] =
    ["motion picture", "영화", "movie", "film", "웹툰", "webtoon", "게임", "game", "뮤지컬", "musical", "애니메이션"];

/// The drama's name and part of a soundtrack album (`옷소매 붉은 끝동 OST Part.8`,
/// `Business Proposal (Original Television Soundtrack), Pt. 1`), or `None` for another album.
fn soundtrack_album(album: &str) -> Option<(String, Option<u32>)> {
    let lower = album.to_lowercase();
    if NOT_DRAMA.iter().any(|word| lower.contains(word)) {
        return None;
    }
    let marker = ["o.s.t", "ost", "original television soundtrack", "original soundtrack", "드라마"]
        .iter()
        .filter_map(|marker| word_at(&lower, marker).map(|at| (at, marker.len())))
        .min()?;
    let drama = album[..marker.0].trim().trim_end_matches(['(', '[', '-', ':', ' ', '\'', '"']).trim().to_string();
    let after = &lower[marker.0 + marker.1..];
    let part = ["part", "pt", "파트", "vol"].iter().find_map(|word| {
        let at = after.find(word)?;
        let digits: String = after[at + word.len()..]
            .trim_start_matches(['.', ' ', '_'])
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    });
    Some((drama, part))
}

/// Where `word` starts in `text` as a word of its own (no letter or digit either side).
fn word_at(text: &str, word: &str) -> Option<usize> {
    text.match_indices(word).map(|(at, _)| at).find(|&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A chart title as English and Korean titles: Hangul goes to the Korean one, a bracketed Latin
/// part (`모든 날, 모든 순간 (Every day, Every Moment)`) to the English one.
fn split_title(title: &str) -> (String, String) {
    if !has_hangul(title) {
        return (title.trim().to_string(), String::new());
    }
    let (outside, inside) = split_brackets(title);
    let english = inside.into_iter().find(|part| !has_hangul(part) && !part.to_lowercase().starts_with("feat"));
    match english {
        Some(english) if has_hangul(&outside) => (english.trim().to_string(), outside.trim().to_string()),
        _ => (String::new(), title.trim().to_string()),
    }
}

/// The names of a credit, each by its Latin spelling where the chart gives one in brackets
/// (`첸 (CHEN), 펀치 (Punch)` gives `CHEN` and `Punch`). The matcher lower-cases the credit as it
/// splits it, so the names are cut out of the original by position.
fn split_credit_names(credit: &str) -> Vec<String> {
    let parts = split_credit(credit);
    let mut names = Vec::new();
    let mut rest = credit;
    for part in parts {
        let lower_rest = rest.to_lowercase();
        let original = match lower_rest.find(part.trim()) {
            // Lower-casing keeps the byte length of Hangul and ASCII alike.
            Some(at) if lower_rest.len() == rest.len() => {
                let end = at + part.trim().len();
                let original = &rest[at..end];
                rest = &rest[end..];
                original.to_string()
            }
            _ => part.trim().to_string(),
        };
        let (outside, inside) = split_brackets(&original);
        let latin = inside.into_iter().find(|part| !has_hangul(part) && !part.trim().is_empty());
        let name = match latin {
            Some(latin) if has_hangul(&outside) => latin,
            _ => original,
        };
        let name = name.trim().to_string();
        if !name.is_empty() {
            names.push(name);
        }
    }
    names
}

/// A lower_snake id from the title and the first artist, romanised.
fn song_id(title: &str, artist: &str) -> String {
    let (outside, _) = split_brackets(title);
    let words = |text: &str| -> Vec<String> {
        romanize(text)
            .to_lowercase()
            .split(|character: char| !character.is_ascii_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut parts = words(&outside);
    parts.extend(words(artist));
    parts.join("_")
}

fn csv_cell(cell: &str) -> String {
    if cell.contains([',', '"', '\n']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Drama, Song};
    use crate::chart::ChartKind;
    use crate::ids::SongId;

    fn row(title: &str, artist: &str, album: Option<&str>, genre: Option<&str>, line: u64) -> ChartEntry {
        let day = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default() + chrono::Duration::days(line as i64);
        let mut entry = ChartEntry::new(ChartKind::MELON_YEAR_END, "kr", day, line as u32, title, artist);
        entry.album = album.map(str::to_string);
        entry.genre = genre.map(str::to_string);
        entry.source_file = "day_genie_20220101.xlsx".into();
        entry.source_line = line;
        entry
    }

    fn catalog() -> Catalog {
        Catalog {
            dramas: vec![
                Drama::titled("red_sleeve", "The Red Sleeve", "옷소매 붉은 끝동"),
                Drama::titled("twenty_five_twenty_one", "Twenty-Five Twenty-One", "스물다섯 스물하나"),
            ],
            songs: vec![Song {
                id: SongId::new("starlight"),
                drama_id: DramaId::new("twenty_five_twenty_one"),
                ost_part: Some(1),
                title_en: "Starlight".into(),
                title_ko: String::new(),
                artists: vec!["Taeil".into()],
                release_date: None,
                source: String::new(),
            }],
            ..Catalog::default()
        }
    }

    #[test]
    fn soundtrack_albums_name_their_drama_and_part() {
        let check = |album: &str, expected: Option<(&str, Option<u32>)>| {
            let found = soundtrack_album(album);
            assert_eq!(found.as_ref().map(|(drama, part)| (drama.as_str(), *part)), expected, "{album}");
        };
        check("옷소매 붉은 끝동 OST Part.8", Some(("옷소매 붉은 끝동", Some(8))));
        check("그 해 우리는 OST Part 3", Some(("그 해 우리는", Some(3))));
        check("사내맞선 OST", Some(("사내맞선", None)));
        check("스물다섯 스물하나 O.S.T Part.1", Some(("스물다섯 스물하나", Some(1))));
        check("Business Proposal (Original Television Soundtrack), Pt. 1", Some(("Business Proposal", Some(1))));
        check("Goodbye, grief.", None);
        check("HOSTAGE", None);
        check("Aladdin (Original Motion Picture Soundtrack) OST", None);
        check("La La Land (영화 `라라랜드` OST)", None);
        check("달빛조각사 웹툰 OST Part.1", None);
        check("스물다섯 스물하나", None);
    }

    #[test]
    fn rows_with_evidence_that_match_nothing_are_discovered_with_a_catalog_row() {
        let entries = [
            row("옷소매 붉은 끝동", "이준호", Some("옷소매 붉은 끝동 OST Part.8"), None, 3),
            row("옷소매 붉은 끝동", "이준호", Some("옷소매 붉은 끝동 OST Part.8"), None, 2),
            row("모든 날, 모든 순간 (Every day, Every Moment)", "폴킴", None, Some("발라드, 국내드라마"), 5),
            row("서랍", "10CM", Some("그 해 우리는 OST Part.1"), None, 9),
            // A catalog song, and a song titled like a drama with no OST evidence: neither is listed.
            row("Starlight", "태일 (TAEIL)", Some("스물다섯 스물하나 OST Part 1"), None, 4),
            row("스물다섯, 스물하나", "자우림(Jaurim)", Some("Goodbye, grief."), Some("록/메탈"), 6),
        ];
        let mut catalog = catalog();
        catalog.artist_aliases.push(crate::ArtistAlias {
            name: "Taeil".into(),
            alias: "태일".into(),
            source: String::new(),
        });
        let found = discover(&catalog, &entries);
        let titles: Vec<&str> = found.iter().map(|discovery| discovery.title.as_str()).collect();
        assert_eq!(titles, ["옷소매 붉은 끝동", "모든 날, 모든 순간 (Every day, Every Moment)", "서랍"]);

        // The title of the drama itself, as the song of Lee Jun-ho's: linked by the album, not the title.
        let red_sleeve = &found[0];
        assert_eq!((red_sleeve.rows, red_sleeve.best_rank, red_sleeve.ost_part), (2, 2, Some(8)));
        assert_eq!(red_sleeve.drama_id, Some(DramaId::new("red_sleeve")));
        assert_eq!(red_sleeve.first_seen, "day_genie_20220101.xlsx:2");
        assert_eq!(
            red_sleeve.catalog_row(),
            "otsomae_bukeun_kkeutdong_ijunho,red_sleeve,8,,옷소매 붉은 끝동,이준호,,\
             \"chart row day_genie_20220101.xlsx:2 (album \"\"옷소매 붉은 끝동 OST Part.8\"\")\""
        );

        // Melon's genre says drama but not which: the row leaves the drama to the user.
        let every_day = &found[1];
        assert_eq!((every_day.drama_id.clone(), every_day.drama_named.clone()), (None, None));
        assert_eq!(
            every_day.catalog_row(),
            "modeun_nal_modeun_sungan_polkim,,,\"Every day, Every Moment\",\"모든 날, 모든 순간\",폴킴,,\
             \"chart row day_genie_20220101.xlsx:5 (genre \"\"발라드, 국내드라마\"\")\""
        );

        // An album naming a drama the catalog lacks: its name is kept for the user.
        assert_eq!(found[2].drama_named.as_deref(), Some("그 해 우리는"));
    }

    #[test]
    fn credits_keep_the_latin_spelling_a_chart_gives() {
        assert_eq!(split_credit_names("첸 (CHEN), 펀치 (Punch)"), ["CHEN", "Punch"]);
        assert_eq!(split_credit_names("멜로망스"), ["멜로망스"]);
        assert_eq!(split_credit_names("Crush & Heize"), ["Crush", "Heize"]);
        assert_eq!(song_id("Love, Maybe", "MeloMance"), "love_maybe_melomance");
    }
}
