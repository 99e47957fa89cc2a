//! Encore's domain model: the catalog of dramas and their soundtrack songs, chart entries, and the
//! matching of chart rows to catalog songs (across scripts, with romanisation), and non-chart
//! attention series (counts, listens, search interest, and the keywords' songs and dramas), and
//! Netflix viewing with the catalog drama each title and season is.
//!
//! This crate is pure: it reads no files, opens no sockets and knows nothing of the query engine,
//! the command line or HTTP. Everything here is plain data and functions over it.

pub mod calendar;
pub mod catalog;
pub mod chart;
pub mod dates;
pub mod discover;
pub mod drama_metadata;
pub mod ids;
pub mod keywords;
pub mod korean_chart;
pub mod listen_columns;
pub mod lyrics;
pub mod matching;
mod nearest;
pub mod romanize;
pub mod search_interest;
pub mod series;
pub mod snapshot;
pub mod viewing;

pub use catalog::{ArtistAlias, Catalog, Drama, Episode, Event, EventKind, EventSubject, Song, SongAlias};
pub use chart::{ChartEntry, ChartKind, ChartPeriod};
pub use dates::{DateError, PartialDate};
pub use drama_metadata::{DramaMetadata, MetadataSource};
pub use ids::{DramaId, SongId};
pub use keywords::{KeywordMatch, KeywordMatcher};
pub use korean_chart::{KoreanChart, Platform};
pub use listen_columns::{unix_seconds_micros, ColumnFull, ListenColumns, ListenFields, NumberedListen, TextColumn};
pub use lyrics::SongLyric;
pub use matching::{MatchOutcome, SongMatcher};
pub use nearest::Candidate;
pub use search_interest::{SearchInterest, SearchPeriod, SearchSource};
pub use series::{CountSource, DailyCount, Listen, ListenSource, Playback};
pub use snapshot::{Snapshot, SnapshotSource};
pub use viewing::{DramaViewing, ViewingMatcher};
