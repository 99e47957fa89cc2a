//! The watch list: what a collection fetches, from a TOML file (`examples/watch.toml` documents
//! it). Songs and dramas by catalog id with their Wikipedia articles, YouTube videos and Last.fm
//! tracks; Last.fm and ListenBrainz users whose listens to collect. Never a key: keys come from
//! the environment or a key file ([`crate::ApiKeys`]), and a watch list naming one is refused.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::CollectError;

/// Where `encore collect` keeps, inside the store, a copy of the watch list it last ran with: the
/// server reads it to know which collected series are a song's.
pub const WATCH_LIST_COPY: &str = "collect/watch.toml";

/// A parsed watch list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WatchList {
    pub subjects: Vec<Watched>,
    pub lastfm_users: Vec<String>,
    pub listenbrainz_users: Vec<String>,
    /// How many days of pageviews the first collection of an article fetches.
    pub backfill_days: u32,
    /// Where alerts are POSTed, if anywhere (the secret signing them comes from the environment).
    pub webhook_url: Option<String>,
    /// A peak within this many days of a series' last day is a new climb.
    pub recent_days: u32,
}

/// A song or a drama of the catalog and where it is counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    pub kind: WatchedKind,
    /// The catalog id (`songs.csv`'s or `dramas.csv`'s `id`).
    pub id: String,
    pub wikipedia: Vec<Article>,
    pub youtube: Vec<String>,
    pub lastfm: Vec<LastFmTrack>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchedKind {
    Song,
    Drama,
}

/// A Wikipedia article of any language: `ko.wikipedia/도깨비_(드라마)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// `en.wikipedia`, `ko.wikipedia`: the Wikimedia project.
    pub project: String,
    /// The title with underscores for spaces, as Wikipedia's URLs have it.
    pub title: String,
}

impl Article {
    /// The subject its counts are stored under, as `encore ingest` names a pageviews file's:
    /// `project/title`.
    pub fn subject(&self) -> String {
        format!("{}/{}", self.project, self.title)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LastFmTrack {
    pub artist: String,
    pub track: String,
}

impl LastFmTrack {
    /// The subject its snapshots are stored under: `artist/track`.
    pub fn subject(&self) -> String {
        format!("{}/{}", self.artist, self.track)
    }
}

pub const DEFAULT_BACKFILL_DAYS: u32 = 90;
pub const DEFAULT_RECENT_DAYS: u32 = 3;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    song: Vec<Entry>,
    #[serde(default)]
    drama: Vec<Entry>,
    #[serde(default)]
    lastfm: Users,
    #[serde(default)]
    listenbrainz: Users,
    #[serde(default)]
    settings: Settings,
    #[serde(default)]
    alerts: Alerts,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    #[serde(default)]
    wikipedia: Vec<String>,
    #[serde(default)]
    youtube: Vec<String>,
    #[serde(default)]
    lastfm: Vec<LastFmTrack>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Users {
    #[serde(default)]
    users: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Settings {
    backfill_days: Option<u32>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Alerts {
    webhook_url: Option<String>,
    recent_days: Option<u32>,
}

impl WatchList {
    pub fn from_path(path: &Path) -> Result<WatchList, CollectError> {
        let text = std::fs::read_to_string(path).map_err(CollectError::io("read the watch list", path))?;
        WatchList::parse(&text, path)
    }

    /// Parses the text of the watch list at `path` (named in errors).
    pub fn parse(text: &str, path: &Path) -> Result<WatchList, CollectError> {
        let fail = |field: String, reason: String| CollectError::Config { file: path.to_path_buf(), field, reason };
        refuse_keys(text, path)?;
        let file: File = toml::from_str(text).map_err(|error| toml_error(&error, text, path))?;
        let mut subjects = Vec::new();
        for (kind, table, entries) in
            [(WatchedKind::Song, "song", file.song), (WatchedKind::Drama, "drama", file.drama)]
        {
            for (index, entry) in entries.into_iter().enumerate() {
                let at = |field: &str| format!("{table}[{index}].{field}");
                if entry.id.trim().is_empty() {
                    return Err(fail(at("id"), "is empty: give the catalog id".to_string()));
                }
                let mut wikipedia = Vec::new();
                for (position, text) in entry.wikipedia.iter().enumerate() {
                    wikipedia.push(
                        article(text).map_err(|reason| fail(format!("{}[{position}]", at("wikipedia")), reason))?,
                    );
                }
                for (position, video) in entry.youtube.iter().enumerate() {
                    let valid =
                        !video.is_empty() && video.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                    if !valid {
                        return Err(fail(
                            format!("{}[{position}]", at("youtube")),
                            format!("{video:?} is not a YouTube video id"),
                        ));
                    }
                }
                for (position, track) in entry.lastfm.iter().enumerate() {
                    if track.artist.trim().is_empty() || track.track.trim().is_empty() {
                        return Err(fail(
                            format!("{}[{position}]", at("lastfm")),
                            "needs an artist and a track".to_string(),
                        ));
                    }
                }
                subjects.push(Watched {
                    kind,
                    id: entry.id.trim().to_string(),
                    wikipedia,
                    youtube: entry.youtube,
                    lastfm: entry.lastfm,
                });
            }
        }
        for (table, users) in [("lastfm", &file.lastfm.users), ("listenbrainz", &file.listenbrainz.users)] {
            for (position, user) in users.iter().enumerate() {
                if user.trim().is_empty() || user.contains('/') {
                    return Err(fail(format!("{table}.users[{position}]"), format!("{user:?} is not a user name")));
                }
            }
        }
        if let Some(url) = &file.alerts.webhook_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(fail("alerts.webhook_url".to_string(), format!("{url:?} is not an http(s) URL")));
            }
        }
        Ok(WatchList {
            subjects,
            lastfm_users: file.lastfm.users,
            listenbrainz_users: file.listenbrainz.users,
            backfill_days: file.settings.backfill_days.unwrap_or(DEFAULT_BACKFILL_DAYS),
            webhook_url: file.alerts.webhook_url,
            recent_days: file.alerts.recent_days.unwrap_or(DEFAULT_RECENT_DAYS).max(1),
        })
    }
}

/// `en.wikipedia/Goblin_(TV_series)` as project and title.
fn article(text: &str) -> Result<Article, String> {
    let (project, title) = text
        .split_once('/')
        .ok_or_else(|| format!("{text:?} is not `project/Article_title` (e.g. `en.wikipedia/Goblin_(TV_series)`)"))?;
    let project = project.trim().trim_end_matches(".org");
    let known = [".wikipedia", ".wiktionary", ".wikiquote", ".wikisource", ".wikinews", ".wikivoyage"];
    if !known.iter().any(|suffix| project.ends_with(suffix) && project.len() > suffix.len()) {
        return Err(format!("{project:?} is not a Wikimedia project such as `en.wikipedia` or `ko.wikipedia`"));
    }
    let title = title.trim().replace(' ', "_");
    if title.is_empty() {
        return Err(format!("{text:?} names no article"));
    }
    Ok(Article { project: project.to_string(), title })
}

/// A watch list that names a key is refused before anything else is read: keys never live there.
fn refuse_keys(text: &str, path: &Path) -> Result<(), CollectError> {
    for (number, line) in text.lines().enumerate() {
        let name = line.split('=').next().unwrap_or("").trim().to_lowercase();
        let is_key = line.contains('=')
            && (name.contains("api_key") || name == "key" || name.contains("secret") || name.contains("token"));
        if is_key && !line.trim_start().starts_with('#') {
            return Err(CollectError::Config {
                file: path.to_path_buf(),
                field: format!("{name} (line {})", number + 1),
                reason: "keys never go in the watch list: set YOUTUBE_API_KEY, LASTFM_API_KEY or ENCORE_WEBHOOK_SECRET, or give a key file".to_string(),
            });
        }
    }
    Ok(())
}

/// The TOML parser's error as the file's, with the line it points at.
fn toml_error(error: &toml::de::Error, text: &str, path: &Path) -> CollectError {
    let line = error.span().map(|span| text.get(..span.start).unwrap_or(text).matches('\n').count() + 1);
    let field = match line {
        Some(line) => format!("line {line}"),
        None => String::new(),
    };
    CollectError::Config { file: PathBuf::from(path), field, reason: error.message().to_string() }
}
