//! Attention series other than charts: daily counts (Wikipedia pageviews, YouTube views, social
//! and challenge counts) and single listens (ListenBrainz, Last.fm scrobbles).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::SongId;

/// Where a daily count comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountSource {
    /// Wikimedia REST API per-article daily pageviews.
    WikipediaPageviews,
    /// A YouTube video's cumulative view count, as read on the day.
    YoutubeViews,
    /// A social or challenge count (videos using a sound, hashtag posts), cumulative.
    SocialCount,
}

impl CountSource {
    /// The name stored in the `daily_counts` dataset's `source` column.
    pub fn as_str(self) -> &'static str {
        match self {
            CountSource::WikipediaPageviews => "wikipedia_pageviews",
            CountSource::YoutubeViews => "youtube_views",
            CountSource::SocialCount => "social_counts",
        }
    }
}

/// One count of one subject on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DailyCount {
    pub source: CountSource,
    /// The article (`en.wikipedia/Goblin_(TV_series)`), video id or hashtag counted.
    pub subject: String,
    pub date: NaiveDate,
    pub count: u64,
    pub source_file: String,
    pub source_line: u64,
}

/// Where a listen was logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListenSource {
    ListenBrainz,
    LastFm,
    /// Spotify's extended streaming history (`Streaming_History_Audio_*.json`).
    SpotifyExtended,
    /// Spotify's account data export (`StreamingHistory_music_*.json`).
    SpotifyAccount,
    /// Encore's seeded generator of listening logs (`encore listeners generate`), never real data.
    Generated,
}

impl ListenSource {
    /// The name stored in the `listens` dataset's `source` column.
    pub fn as_str(self) -> &'static str {
        match self {
            ListenSource::ListenBrainz => "listenbrainz",
            ListenSource::LastFm => "lastfm",
            ListenSource::SpotifyExtended => "spotify_extended",
            ListenSource::SpotifyAccount => "spotify_account",
            ListenSource::Generated => "generated",
        }
    }
}

/// One play of one track by one listener.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listen {
    pub source: ListenSource,
    /// The listener: the log's user field where it has one, else the id the ingest gave the file.
    pub user: String,
    /// When the play started (Spotify logs when it ended; its parsers subtract `ms_played`).
    pub listened_at: DateTime<Utc>,
    pub artist: String,
    pub track: String,
    /// What the log says of the play beyond who, when and what; empty where it says nothing.
    pub playback: Playback,
    pub source_file: String,
    pub source_line: u64,
    /// The catalog song the listen is of, once matched; `None` when it matched none (or before
    /// matching).
    pub song_id: Option<SongId>,
}

/// How one play went, as far as its log tells. Personal fields of the logs (IP address, user
/// agent, device) have no place here: they are dropped at parsing and never stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Playback {
    pub album: Option<String>,
    /// Milliseconds of the track played.
    pub ms_played: Option<i64>,
    /// The track's length in milliseconds, where the log gives it.
    pub duration_ms: Option<i64>,
    /// ISO 3166-1 alpha-2 country the play was made from (Spotify's `conn_country`), upper case.
    pub country: Option<String>,
    /// The service's id of the track (`spotify:track:…`, a MusicBrainz recording id).
    pub track_uri: Option<String>,
    /// Why the play started and ended (Spotify: `trackdone`, `fwdbtn`, `clickrow`, …).
    pub reason_start: Option<String>,
    pub reason_end: Option<String>,
    pub shuffle: Option<bool>,
    pub skipped: Option<bool>,
    pub offline: Option<bool>,
}
