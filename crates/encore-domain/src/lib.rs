//! Encore's domain model: the catalog of dramas and their soundtrack songs, chart entries, and the
//! matching of chart rows to catalog songs.
//!
//! This crate is pure: it reads no files, opens no sockets and knows nothing of the query engine,
//! the command line or HTTP. Everything here is plain data and functions over it.

pub mod catalog;
pub mod chart;
pub mod dates;
pub mod ids;
pub mod matching;

pub use catalog::{Catalog, Drama, Episode, Event, EventKind, EventSubject, Song, ArtistAlias};
pub use chart::{ChartEntry, ChartKind, ChartPeriod};
pub use dates::{DateError, PartialDate};
pub use ids::{DramaId, SongId};
pub use matching::{MatchOutcome, SongMatcher};
