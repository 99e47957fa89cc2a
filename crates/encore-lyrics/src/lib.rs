//! Lyrics analysis for Encore, pure (no IO): the caller reads the lyrics and passes them in.
//!
//! - [`tokenize`]: Hangul and Latin tokens, Korean ones stemmed by the rule-based stemmer of
//!   [`stem`] (particles and endings, no dictionary);
//! - [`log_odds`]: the words that set one corpus apart from another, by weighted log-odds with an
//!   informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), with z-scores;
//! - [`motifs`]: the motif families' lexicon and each song's motif profile;
//! - [`proportions`]: Wilson and Newcombe intervals for shares and their differences;
//! - [`analysis`]: all of it over a chart's songs, OSTs against the rest, by period and year, and
//!   the essay's claim about lasting OSTs tested;
//! - [`catalog_songs`]: the catalog songs a chart's lyrics are of, each with its motif profile.

pub mod analysis;
pub mod catalog_songs;
mod error;
mod hangul;
pub mod log_odds;
pub mod motifs;
pub mod proportions;
pub mod stem;
pub mod tokenize;

pub use analysis::{analyse_lyrics, LyricsAnalysis, LyricsOptions, SongLyric};
pub use catalog_songs::{catalog_song_motifs, CatalogSongMotifs};
pub use error::{Fault, LyricsError};
pub use log_odds::{log_odds, WordCounts, WordScore, DEFAULT_PRIOR_TOTAL};
pub use motifs::{motif_of, motif_profile, Motif, MotifProfile, MOTIF_LEXICON};
pub use tokenize::{stems, tokenize, Script, Token};
