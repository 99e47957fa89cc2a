//! Encore's analytics: attention indices for songs and dramas, the song-vs-drama eclipse, and the
//! peaks of a chart series with their likely causes.
//!
//! [`analyse_catalog`] runs them all over a catalog and its chart rows; the report, the server and
//! `encore analyze` show that one [`Analysis`].
//!
//! Pure functions over domain types: nothing here reads a file, a clock or the store. Each analysis
//! states its method in its module documentation.

pub mod airing;
mod analysis;
pub mod any_series;
pub mod attention;
pub mod campaign;
mod case;
pub mod changepoints;
pub mod checklist;
mod checklist_outcome;
pub mod detect;
pub mod detect_peaks;
pub mod eclipse;
pub mod effect;
pub mod effect_path;
pub mod longevity;
mod peak_levels;
pub mod peaks;
pub mod peers;
mod pelt;
pub mod sample;
mod segment_cost;
pub mod spread;
pub mod synthetic;
pub mod tcpd_score;

pub use analysis::{analyse_catalog, daily_series_by_song, Analysis, LeaderboardRow};
pub use attention::{
    dated_song_attention, drama_attention, song_attention, year_end_scores, AttentionBasis, DramaAttention, Point,
};
pub use case::{Case, Measured};
pub use eclipse::{eclipse, leaderboard, Eclipse, EclipseInput};
pub use peaks::{find_peaks, CauseKind, ChartReentry, Peak, PeakCause, PeakContext, Phase, Prominence, Season, Timing};
pub use peers::DailyPanel;
