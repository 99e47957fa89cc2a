//! Encore's live data collectors: public APIs polled politely into the store, and alerts when a
//! song moves.
//!
//! A watch list ([`WatchList`], TOML; `examples/watch.toml`) names songs and dramas of the catalog
//! with their Wikipedia articles (any language), YouTube videos and Last.fm tracks, and the Last.fm
//! and ListenBrainz users whose listens to collect. [`collect_once`] fetches each API, written from
//! its public documentation:
//! - Wikimedia pageviews (daily views per article, no key) into `daily_counts`;
//! - YouTube Data API v3 `videos.list?part=statistics` (cumulative views, likes, comments;
//!   `YOUTUBE_API_KEY`) into `snapshots`;
//! - Last.fm `track.getInfo` (playcount and listeners; `LASTFM_API_KEY`) into `snapshots`, and
//!   `user.getRecentTracks` (scrobbles) into `listens`;
//! - ListenBrainz `/1/user/{user}/listens` (listens, paged back in time) into `listens`.
//!
//! Pageviews and listens go through the ingest pipeline, as `encore ingest` would store the same
//! files; snapshots are appended in one commit. Checkpoints are in the store, in the same commits:
//! a run is resumable after a crash at any point, and nothing is lost or doubled. Calls are polite
//! ([`Politeness`]); keys come from the environment or a key file ([`ApiKeys`]) and are redacted
//! from every log line, error and stored name. Then [`alerts`] runs the report's peak detection over
//! each collected daily series, and fires each new climb or re-entry once. [`run_every`] repeats a
//! collection until told to stop.
//!
//! Everything outside the process (HTTP, the clock) comes in through [`Environment`], so the tests
//! run against a loopback server on a fake clock.

pub mod alerts;
mod clock;
mod collectors;
mod environment;
mod error;
mod keys;
mod polite;
mod run;
mod series;
mod transport;
mod url;
mod watch;
mod webhook;

pub use alerts::{Alert, AlertKind};
pub use clock::{Clock, SystemClock};
pub use collectors::SubjectOutcome;
pub use environment::{ApiPoliteness, Endpoints, Environment};
pub use error::{CollectError, Fault};
pub use keys::{
    ApiKeys, Redactor, Secret, LASTFM_KEY_VARIABLE, REDACTED, WEBHOOK_SECRET_VARIABLE, YOUTUBE_KEY_VARIABLE,
};
pub use polite::Politeness;
pub use run::{collect_once, collected_series_of, run_every, CollectionSummary};
pub use series::{daily_from_counts, daily_from_snapshots, DailySeries};
pub use transport::{Method, Request, Response, Transport, TransportError, UreqTransport};
pub use watch::{Article, LastFmTrack, WatchList, Watched, WatchedKind, WATCH_LIST_COPY};
pub use webhook::{signature, SIGNATURE_HEADER};
