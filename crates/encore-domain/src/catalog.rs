//! The catalog: dramas, their episodes, soundtrack songs, dated events and artist aliases.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::PartialDate;
use crate::ids::{DramaId, SongId};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drama {
    pub id: DramaId,
    pub title_en: String,
    pub title_ko: String,
    pub network: String,
    pub premiere: Option<NaiveDate>,
    pub finale: Option<NaiveDate>,
    pub episode_count: Option<u32>,
    pub slot: String,
    pub source: String,
}

impl Drama {
    /// A drama known only by its id and titles: no network, dates, episodes, slot or source.
    pub fn titled(id: &str, title_en: &str, title_ko: &str) -> Drama {
        Drama {
            id: DramaId::new(id),
            title_en: title_en.to_string(),
            title_ko: title_ko.to_string(),
            network: String::new(),
            premiere: None,
            finale: None,
            episode_count: None,
            slot: String::new(),
            source: String::new(),
        }
    }

    /// The English title, or the Hangul one where no English title is known.
    pub fn display_title(&self) -> &str {
        if self.title_en.is_empty() {
            &self.title_ko
        } else {
            &self.title_en
        }
    }
}

/// One broadcast of an episode as one source reported it. The same episode can appear more than
/// once, with ratings measured on different bases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Episode {
    pub drama_id: DramaId,
    pub number: Option<u32>,
    pub air_date: Option<NaiveDate>,
    /// Nielsen Korea nationwide household rating, percent.
    pub rating_nationwide: Option<f64>,
    pub rating_seoul: Option<f64>,
    pub rating_tnms: Option<f64>,
    /// Measurement basis when the source states it (`paid_platform`, `cable_platform`, …).
    pub basis: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Song {
    pub id: SongId,
    pub drama_id: DramaId,
    pub ost_part: Option<u32>,
    pub title_en: String,
    pub title_ko: String,
    pub artists: Vec<String>,
    pub release_date: Option<NaiveDate>,
    pub source: String,
}

impl Song {
    pub fn display_title(&self) -> &str {
        if self.title_en.is_empty() {
            &self.title_ko
        } else {
            &self.title_en
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Release,
    MusicVideo,
    ViewsMilestone,
    ChartEntry,
    ChartReentry,
    Award,
    Anniversary,
    ViralTrend,
    LivePerformance,
    RemixRelease,
}

impl EventKind {
    pub const ALL: [EventKind; 10] = [
        EventKind::Release,
        EventKind::MusicVideo,
        EventKind::ViewsMilestone,
        EventKind::ChartEntry,
        EventKind::ChartReentry,
        EventKind::Award,
        EventKind::Anniversary,
        EventKind::ViralTrend,
        EventKind::LivePerformance,
        EventKind::RemixRelease,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Release => "release",
            EventKind::MusicVideo => "music_video",
            EventKind::ViewsMilestone => "views_milestone",
            EventKind::ChartEntry => "chart_entry",
            EventKind::ChartReentry => "chart_reentry",
            EventKind::Award => "award",
            EventKind::Anniversary => "anniversary",
            EventKind::ViralTrend => "viral_trend",
            EventKind::LivePerformance => "live_performance",
            EventKind::RemixRelease => "remix_release",
        }
    }

    /// Whether an event of this kind can move a song's attention, as opposed to recording what the
    /// attention already did (a chart position, a view count, an award).
    pub fn can_cause_attention(self) -> bool {
        matches!(
            self,
            EventKind::Release
                | EventKind::MusicVideo
                | EventKind::Anniversary
                | EventKind::ViralTrend
                | EventKind::LivePerformance
                | EventKind::RemixRelease
        )
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an event kind (one of release, music_video, views_milestone, chart_entry, chart_reentry, award, anniversary, viral_trend, live_performance, remix_release)")]
pub struct UnknownEventKind(pub String);

impl FromStr for EventKind {
    type Err = UnknownEventKind;

    fn from_str(text: &str) -> Result<EventKind, UnknownEventKind> {
        EventKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text.trim())
            .ok_or_else(|| UnknownEventKind(text.to_string()))
    }
}

/// What an event is about: a song or a whole drama.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventSubject {
    Song(SongId),
    Drama(DramaId),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub subject: EventSubject,
    pub date: Option<PartialDate>,
    pub kind: EventKind,
    pub detail: String,
    pub value: Option<i64>,
    pub source: String,
}

/// Another spelling of an artist's name: Hangul, a romanisation, a stage name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtistAlias {
    pub name: String,
    pub alias: String,
    pub source: String,
}

/// Another title a song is known by on some chart: a romanisation, a translation, a chart's own
/// spelling. Read from the catalog's optional `song_aliases.csv`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SongAlias {
    pub song_id: SongId,
    pub alias: String,
    pub source: String,
}

/// The whole catalog, with look-ups by id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub dramas: Vec<Drama>,
    pub episodes: Vec<Episode>,
    pub songs: Vec<Song>,
    pub events: Vec<Event>,
    pub artist_aliases: Vec<ArtistAlias>,
    #[serde(default)]
    pub song_aliases: Vec<SongAlias>,
}

impl Catalog {
    pub fn drama(&self, id: &DramaId) -> Option<&Drama> {
        self.dramas.iter().find(|drama| &drama.id == id)
    }

    pub fn song(&self, id: &SongId) -> Option<&Song> {
        self.songs.iter().find(|song| &song.id == id)
    }

    pub fn songs_of<'a>(&'a self, drama: &'a DramaId) -> impl Iterator<Item = &'a Song> + 'a {
        self.songs.iter().filter(move |song| &song.drama_id == drama)
    }

    pub fn episodes_of<'a>(&'a self, drama: &'a DramaId) -> impl Iterator<Item = &'a Episode> + 'a {
        self.episodes.iter().filter(move |episode| &episode.drama_id == drama)
    }

    pub fn events_of_song<'a>(&'a self, song: &'a SongId) -> impl Iterator<Item = &'a Event> + 'a {
        self.events.iter().filter(move |event| matches!(&event.subject, EventSubject::Song(id) if id == song))
    }

    pub fn events_of_drama<'a>(&'a self, drama: &'a DramaId) -> impl Iterator<Item = &'a Event> + 'a {
        self.events.iter().filter(move |event| matches!(&event.subject, EventSubject::Drama(id) if id == drama))
    }

    /// Every name an artist is known by, keyed by each of those names.
    pub fn artist_names(&self) -> HashMap<String, Vec<String>> {
        let mut names: HashMap<String, Vec<String>> = HashMap::new();
        for alias in &self.artist_aliases {
            names.entry(alias.name.clone()).or_default().push(alias.alias.clone());
        }
        names
    }

    /// Song ids or drama ids that an event, episode or song names but the catalog lacks.
    pub fn dangling_references(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for song in &self.songs {
            if self.drama(&song.drama_id).is_none() {
                problems.push(format!("song `{}` names unknown drama `{}`", song.id, song.drama_id));
            }
        }
        for episode in &self.episodes {
            if self.drama(&episode.drama_id).is_none() {
                problems.push(format!("an episode names unknown drama `{}`", episode.drama_id));
            }
        }
        for event in &self.events {
            match &event.subject {
                EventSubject::Song(id) if self.song(id).is_none() => {
                    problems.push(format!("an event names unknown song `{id}`"));
                }
                EventSubject::Drama(id) if self.drama(id).is_none() => {
                    problems.push(format!("an event names unknown drama `{id}`"));
                }
                _ => {}
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_kinds_round_trip_through_their_names() {
        for kind in EventKind::ALL {
            assert_eq!(kind.as_str().parse::<EventKind>(), Ok(kind));
        }
        assert!("premiere".parse::<EventKind>().is_err());
    }
}
