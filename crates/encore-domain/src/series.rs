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
}

impl ListenSource {
    /// The name stored in the `listens` dataset's `source` column.
    pub fn as_str(self) -> &'static str {
        match self {
            ListenSource::ListenBrainz => "listenbrainz",
            ListenSource::LastFm => "lastfm",
        }
    }
}

/// One play of one track by one user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listen {
    pub source: ListenSource,
    /// The user, where the log names one (a ListenBrainz export is one user's, unnamed).
    pub user: String,
    pub listened_at: DateTime<Utc>,
    pub artist: String,
    pub track: String,
    pub source_file: String,
    pub source_line: u64,
    /// The catalog song the listen is of, once matched; `None` when it matched none (or before
    /// matching).
    pub song_id: Option<SongId>,
}
