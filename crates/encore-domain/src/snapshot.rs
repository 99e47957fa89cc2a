//! Snapshots of cumulative counters read from a live API (a YouTube video's views and likes, a
//! Last.fm track's playcount and listeners): a value as the API stated it at one instant. Daily
//! movements come from the difference between snapshots, never from one alone.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which API a snapshot was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotSource {
    /// YouTube Data API v3 `videos.list?part=statistics`.
    Youtube,
    /// Last.fm `track.getInfo`.
    LastFm,
}

impl SnapshotSource {
    /// The name stored in the `snapshots` dataset's `source` column.
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotSource::Youtube => "youtube",
            SnapshotSource::LastFm => "lastfm",
        }
    }

    /// The source a stored name stands for.
    pub fn from_name(name: &str) -> Option<SnapshotSource> {
        match name {
            "youtube" => Some(SnapshotSource::Youtube),
            "lastfm" => Some(SnapshotSource::LastFm),
            _ => None,
        }
    }
}

/// One cumulative counter of one subject, as read at `fetched_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub source: SnapshotSource,
    /// The video id, or `artist/track` for Last.fm.
    pub subject: String,
    /// The counter: `views`, `likes`, `playcount`, `listeners`.
    pub metric: String,
    pub value: u64,
    pub fetched_at: DateTime<Utc>,
    /// The collection run the snapshot came from (never a URL: it may have carried a key).
    pub source_file: String,
}
