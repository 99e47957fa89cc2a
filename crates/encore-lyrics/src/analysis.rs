//! The lyrics analysis of a chart's songs: OST lyrics against the other songs of the same years,
//! period by period (distinguishing words and motif shares), year by year (motif shares), and the
//! essay's claim that seasons, distance and longing mark the OSTs that last.
//!
//! A period counts each song once (by singer and title; an OST if any of its rows says so), and a
//! word once per song that uses it, so a chorus sung twenty times is one use: the log-odds compare
//! how many songs use a word, not how loudly. A year counts its chart's rows. A lasting OST is an
//! OST on the year-end chart in [`LASTING_YEARS`] years or more.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

pub use encore_domain::SongLyric;

use crate::error::LyricsError;
use crate::log_odds::{log_odds, WordCounts, WordScore};
use crate::motifs::{motif_profile, Motif, MotifProfile};
use crate::proportions::{Share, ShareDifference};
use crate::tokenize::tokenize;

/// A lasting OST is on the year-end chart in at least this many years.
pub const LASTING_YEARS: usize = 2;

/// The families the essay names: "seasons, distance, longing".
pub const CLAIMED_MOTIFS: [Motif; 3] = [Motif::SeasonAndWeather, Motif::DistanceAndParting, Motif::LongingAndWaiting];

/// What the analysis is asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LyricsOptions {
    pub years_per_period: i32,
    pub top_words: usize,
    pub prior_total: f64,
}

impl LyricsOptions {
    /// Periods of eight years, the ten most distinguishing words a side, and α₀ = 1000.
    pub const DEFAULT: LyricsOptions =
        LyricsOptions { years_per_period: 8, top_words: 10, prior_total: crate::log_odds::DEFAULT_PRIOR_TOTAL };
}

/// The whole analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LyricsAnalysis {
    pub rows_read: usize,
    pub rows_without_lyrics: usize,
    pub periods: Vec<PeriodAnalysis>,
    pub years: Vec<YearMotifs>,
    pub claim: ClaimTest,
}

/// One period: its songs, the words that set the OSTs and the rest apart, the motifs' shares.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodAnalysis {
    pub first_year: i32,
    pub last_year: i32,
    pub ost_songs: usize,
    pub other_songs: usize,
    pub ost_words: Vec<WordScore>,
    pub other_words: Vec<WordScore>,
    pub motifs: Vec<MotifComparison>,
}

/// A family's share of OSTs against its share of the other songs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MotifComparison {
    pub motif: Motif,
    pub compared: ShareDifference,
}

/// One year's chart: the share of its OST rows and of its other rows using each family.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearMotifs {
    pub year: i32,
    pub motifs: Vec<MotifComparison>,
}

/// The essay's claim tested: lasting OSTs against the songs that are not OSTs, and against the
/// OSTs that charted one year only, both of the years a lasting OST charted in, for each family it
/// names and for any of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimTest {
    pub lasting_osts: Vec<String>,
    /// The years a lasting OST charted in, which the comparisons are drawn from.
    pub years: Vec<i32>,
    pub against_other_songs: Vec<MotifComparison>,
    pub against_one_year_osts: Vec<MotifComparison>,
    pub any_claimed_against_other_songs: ShareDifference,
}

/// A song once, with every year it charted.
struct DistinctSong {
    years: BTreeSet<i32>,
    is_ost: bool,
    stems: BTreeSet<String>,
    profile: MotifProfile,
}

/// Runs the analysis over every row with a lyric.
pub fn analyse_lyrics(rows: &[SongLyric], options: LyricsOptions) -> Result<LyricsAnalysis, LyricsError> {
    if options.years_per_period < 1 {
        return Err(LyricsError::PeriodLength { years: options.years_per_period });
    }
    let with_lyrics: Vec<&SongLyric> = rows.iter().filter(|row| has_lyric(&row.lyric)).collect();
    let (Some(first_year), Some(last_year)) =
        (with_lyrics.iter().map(|row| row.year).min(), with_lyrics.iter().map(|row| row.year).max())
    else {
        return Err(LyricsError::NoSongs);
    };
    let profiled: Vec<(&SongLyric, MotifProfile, BTreeSet<String>)> = with_lyrics
        .iter()
        .map(|row| {
            let tokens = tokenize(&row.lyric);
            let stems = tokens.iter().map(|token| token.stem.clone()).collect();
            (*row, motif_profile(&tokens), stems)
        })
        .collect();
    let mut periods = Vec::new();
    let mut period_start = first_year;
    while period_start <= last_year {
        let period_end = period_start + options.years_per_period - 1;
        let songs =
            distinct_songs(profiled.iter().filter(|(row, _, _)| (period_start..=period_end).contains(&row.year)));
        periods.push(period_analysis(period_start, period_end.min(last_year), &songs, options)?);
        period_start = period_end + 1;
    }
    let years = (first_year..=last_year)
        .map(|year| {
            let rows_of_year: Vec<_> = profiled.iter().filter(|(row, _, _)| row.year == year).collect();
            let motifs = compare_motifs(
                Motif::ALL.iter().copied(),
                rows_of_year.iter().filter(|(row, _, _)| row.is_ost).map(|(_, profile, _)| profile),
                rows_of_year.iter().filter(|(row, _, _)| !row.is_ost).map(|(_, profile, _)| profile),
            );
            YearMotifs { year, motifs }
        })
        .collect();
    let all_songs = distinct_songs(profiled.iter());
    Ok(LyricsAnalysis {
        rows_read: rows.len(),
        rows_without_lyrics: rows.len() - with_lyrics.len(),
        periods,
        years,
        claim: claim_test(&all_songs),
    })
}

/// A lyric the chart has ("가사 없음" is Melon's "no lyrics").
fn has_lyric(lyric: &str) -> bool {
    let trimmed = lyric.trim();
    !trimmed.is_empty() && trimmed != "가사 없음"
}

fn distinct_songs<'a>(
    rows: impl Iterator<Item = &'a (&'a SongLyric, MotifProfile, BTreeSet<String>)>,
) -> BTreeMap<(String, String), DistinctSong> {
    let mut songs: BTreeMap<(String, String), DistinctSong> = BTreeMap::new();
    for (row, profile, stems) in rows {
        let song = songs.entry((row.singer.clone(), row.title.clone())).or_insert_with(|| DistinctSong {
            years: BTreeSet::new(),
            is_ost: false,
            stems: stems.clone(),
            profile: profile.clone(),
        });
        song.years.insert(row.year);
        song.is_ost |= row.is_ost;
    }
    songs
}

fn period_analysis(
    first_year: i32,
    last_year: i32,
    songs: &BTreeMap<(String, String), DistinctSong>,
    options: LyricsOptions,
) -> Result<PeriodAnalysis, LyricsError> {
    let mut ost_counts = WordCounts::new();
    let mut other_counts = WordCounts::new();
    for song in songs.values() {
        let counts = if song.is_ost { &mut ost_counts } else { &mut other_counts };
        for stem in &song.stems {
            counts.add(stem, 1);
        }
    }
    // A period without OSTs (or with nothing else) has no words to set apart, but still its counts.
    let scores = if ost_counts.total() == 0 || other_counts.total() == 0 {
        Vec::new()
    } else {
        log_odds(&ost_counts, &other_counts, options.prior_total)?
    };
    let ost_words = scores.iter().take(options.top_words).filter(|score| score.z > 0.0).cloned().collect();
    let other_words = scores.iter().rev().take(options.top_words).filter(|score| score.z < 0.0).cloned().collect();
    let motifs = compare_motifs(
        Motif::ALL.iter().copied(),
        songs.values().filter(|song| song.is_ost).map(|song| &song.profile),
        songs.values().filter(|song| !song.is_ost).map(|song| &song.profile),
    );
    Ok(PeriodAnalysis {
        first_year,
        last_year,
        ost_songs: songs.values().filter(|song| song.is_ost).count(),
        other_songs: songs.values().filter(|song| !song.is_ost).count(),
        ost_words,
        other_words,
        motifs,
    })
}

fn compare_motifs<'a>(
    motifs: impl Iterator<Item = Motif>,
    first: impl Iterator<Item = &'a MotifProfile> + Clone,
    second: impl Iterator<Item = &'a MotifProfile> + Clone,
) -> Vec<MotifComparison> {
    motifs
        .map(|motif| MotifComparison {
            motif,
            compared: ShareDifference::new(
                share_with(first.clone(), |profile| profile.has(motif)),
                share_with(second.clone(), |profile| profile.has(motif)),
            ),
        })
        .collect()
}

fn share_with<'a>(profiles: impl Iterator<Item = &'a MotifProfile>, test: impl Fn(&MotifProfile) -> bool) -> Share {
    let (with, of) = profiles.fold((0, 0), |(with, of), profile| (with + usize::from(test(profile)), of + 1));
    Share { with, of }
}

fn claim_test(songs: &BTreeMap<(String, String), DistinctSong>) -> ClaimTest {
    let lasting = |song: &&DistinctSong| song.is_ost && song.years.len() >= LASTING_YEARS;
    // The comparison is the songs of the same charts: years in which a lasting OST charted.
    let lasting_years: BTreeSet<i32> =
        songs.values().filter(|song| lasting(song)).flat_map(|song| song.years.iter().copied()).collect();
    let same_years = |song: &&DistinctSong| song.years.iter().any(|year| lasting_years.contains(year));
    let one_year = |song: &&DistinctSong| song.is_ost && song.years.len() < LASTING_YEARS && same_years(song);
    let other = |song: &&DistinctSong| !song.is_ost && same_years(song);
    let profiles = |keep: &dyn Fn(&&DistinctSong) -> bool| -> Vec<&MotifProfile> {
        songs.values().filter(|song| keep(song)).map(|song| &song.profile).collect()
    };
    let (lasting_profiles, one_year_profiles, other_profiles) =
        (profiles(&lasting), profiles(&one_year), profiles(&other));
    let any_claimed = |profile: &MotifProfile| CLAIMED_MOTIFS.iter().any(|motif| profile.has(*motif));
    ClaimTest {
        lasting_osts: songs
            .iter()
            .filter(|(_, song)| lasting(song))
            .map(|((singer, title), _)| format!("{singer} – {title}"))
            .collect(),
        years: lasting_years.iter().copied().collect(),
        against_other_songs: compare_motifs(
            CLAIMED_MOTIFS.iter().copied(),
            lasting_profiles.iter().copied(),
            other_profiles.iter().copied(),
        ),
        against_one_year_osts: compare_motifs(
            CLAIMED_MOTIFS.iter().copied(),
            lasting_profiles.iter().copied(),
            one_year_profiles.iter().copied(),
        ),
        any_claimed_against_other_songs: ShareDifference::new(
            share_with(lasting_profiles.iter().copied(), any_claimed),
            share_with(other_profiles.iter().copied(), any_claimed),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(year: i32, title: &str, is_ost: bool, lyric: &str) -> SongLyric {
        SongLyric {
            year,
            singer: "가수".into(),
            title: title.into(),
            is_ost,
            lyric: lyric.into(),
            source_file: "test.csv".into(),
            source_line: 2,
        }
    }

    #[test]
    fn counts_songs_once_per_period_and_finds_the_ost_words() {
        let rows = [
            row(2000, "첫눈", true, "첫눈이 오면 그대가 그리워"),
            row(2001, "첫눈", true, "첫눈이 오면 그대가 그리워"),
            row(2001, "겨울", true, "겨울 바람에 그대를 기다려"),
            row(2000, "춤", false, "dance dance 춤을 춰 밤새"),
            row(2001, "파티", false, "party 춤을 춰"),
            row(2001, "없음", false, "가사 없음"),
            row(2002, "봄", false, "봄바람 dance"),
        ];
        let options = LyricsOptions { years_per_period: 2, top_words: 3, prior_total: 10.0 };
        let analysis = analyse_lyrics(&rows, options).expect("songs with lyrics");
        assert_eq!((analysis.rows_read, analysis.rows_without_lyrics), (7, 1));
        let first = &analysis.periods[0];
        assert_eq!((first.first_year, first.last_year, first.ost_songs, first.other_songs), (2000, 2001, 2, 2));
        assert_eq!(first.ost_words[0].word, "그대");
        assert!(first.other_words.iter().any(|score| score.word == "춤"));
        let season = &first.motifs[0];
        assert_eq!((season.compared.first.with, season.compared.first.of), (2, 2));
        assert_eq!(analysis.periods[1].ost_songs, 0);
        assert_eq!(analysis.claim.lasting_osts, ["가수 – 첫눈"]);
        // Against the songs of the lasting OST's years only: 춤 and 파티, not 봄 of 2002.
        assert_eq!(analysis.claim.years, [2000, 2001]);
        assert_eq!(analysis.claim.against_other_songs[0].compared.second.of, 2);
        assert_eq!(analysis.years.len(), 3);
    }

    #[test]
    fn refuses_a_period_of_no_years_and_a_chart_without_lyrics() {
        let options = LyricsOptions { years_per_period: 0, top_words: 3, prior_total: 10.0 };
        assert_eq!(analyse_lyrics(&[], options), Err(LyricsError::PeriodLength { years: 0 }));
        let options = LyricsOptions { years_per_period: 8, ..options };
        assert_eq!(analyse_lyrics(&[row(2000, "t", true, "가사 없음")], options), Err(LyricsError::NoSongs));
    }
}
