//! The creator's checklist audit: per catalog song, which items of the usual OST checklist the
//! catalog and the chart data can evidence, and across the catalog the outcome with and without
//! each item ([`checklist_outcomes`]).
//!
//! Each item is `Evidenced` (with what shows it), `Absent` (the data could show it and does not)
//! or `NoData` (nothing Encore holds can tell, with the reason; never counted as absent). The
//! items read:
//! - pre-release: the song's release date against its drama's premiere (days before or after);
//! - release during the broadcast: the last episode that aired on or before the release;
//! - music video, challenge (a viral trend), live performance: the song's catalog events of that
//!   kind; remix or acoustic: a `remix_release` event, or a catalog song of the same drama whose
//!   title is this song's title marked remix, acoustic, ver. or version. A song the catalog lists
//!   no event for has no data for the event items: an uncatalogued song is not a song without a
//!   music video;
//! - the vocalist's prior chart record: another catalog song sharing an artist whose first chart
//!   row (of the analysis's rows) is before this song's release;
//! - universal motifs in the lyrics: the lyric matched to the song (Melon's year-end lyrics, by
//!   title and singer) uses one of the families the essay names (seasons, distance, longing); no
//!   data for a song whose lyric was not read;
//! - production quality and vocal strength: no data can evidence them.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use encore_domain::{Catalog, Drama, Event, EventKind, Song, SongId};
use encore_lyrics::CatalogSongMotifs;

use crate::Analysis;

pub use crate::checklist_outcome::{checklist_outcomes, Comparison, OutcomeMetric, OutcomeRow, MIN_SONGS_A_SIDE};

/// One item of the creator's checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChecklistItemKind {
    PreRelease,
    ReleaseDuringBroadcast,
    MusicVideo,
    Challenge,
    RemixOrAcoustic,
    LivePerformance,
    VocalistPriorChartRecord,
    UniversalMotifs,
    ProductionQuality,
    VocalStrength,
}

impl ChecklistItemKind {
    pub const ALL: [ChecklistItemKind; 10] = [
        ChecklistItemKind::PreRelease,
        ChecklistItemKind::ReleaseDuringBroadcast,
        ChecklistItemKind::MusicVideo,
        ChecklistItemKind::Challenge,
        ChecklistItemKind::RemixOrAcoustic,
        ChecklistItemKind::LivePerformance,
        ChecklistItemKind::VocalistPriorChartRecord,
        ChecklistItemKind::UniversalMotifs,
        ChecklistItemKind::ProductionQuality,
        ChecklistItemKind::VocalStrength,
    ];

    /// The item's name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ChecklistItemKind::PreRelease => "pre_release",
            ChecklistItemKind::ReleaseDuringBroadcast => "release_vs_episode",
            ChecklistItemKind::MusicVideo => "music_video",
            ChecklistItemKind::Challenge => "challenge",
            ChecklistItemKind::RemixOrAcoustic => "remix_or_acoustic",
            ChecklistItemKind::LivePerformance => "live_performance",
            ChecklistItemKind::VocalistPriorChartRecord => "vocalist_prior_chart_record",
            ChecklistItemKind::UniversalMotifs => "universal_motifs",
            ChecklistItemKind::ProductionQuality => "production_quality",
            ChecklistItemKind::VocalStrength => "vocal_strength",
        }
    }

    /// The item as people read it.
    pub fn label(self) -> &'static str {
        match self {
            ChecklistItemKind::PreRelease => "released before the premiere",
            ChecklistItemKind::ReleaseDuringBroadcast => "released during the broadcast",
            ChecklistItemKind::MusicVideo => "music video",
            ChecklistItemKind::Challenge => "challenge (viral trend)",
            ChecklistItemKind::RemixOrAcoustic => "remix or acoustic version",
            ChecklistItemKind::LivePerformance => "live performance",
            ChecklistItemKind::VocalistPriorChartRecord => "vocalist's prior chart record",
            ChecklistItemKind::UniversalMotifs => "universal motifs in the lyrics",
            ChecklistItemKind::ProductionQuality => "production quality",
            ChecklistItemKind::VocalStrength => "vocal strength",
        }
    }

    /// Why no song can have this item evidenced, for the items Encore holds no data on at all.
    pub fn never_evidenced_reason(self) -> Option<&'static str> {
        match self {
            ChecklistItemKind::ProductionQuality => Some("no data can evidence production quality"),
            ChecklistItemKind::VocalStrength => Some("no data can evidence vocal strength"),
            _ => None,
        }
    }
}

/// What the data says of one item for one song.
#[derive(Debug, Clone, PartialEq)]
pub enum Evidence {
    /// The item holds, with what shows it.
    Evidenced(String),
    /// The data could show the item and does not, with what was looked at.
    Absent(String),
    /// Nothing Encore holds can tell, with the reason.
    NoData(String),
}

impl Evidence {
    /// `evidenced`, `absent` or `no_data`.
    pub fn status(&self) -> &'static str {
        match self {
            Evidence::Evidenced(_) => "evidenced",
            Evidence::Absent(_) => "absent",
            Evidence::NoData(_) => "no_data",
        }
    }

    pub fn detail(&self) -> &str {
        match self {
            Evidence::Evidenced(detail) | Evidence::Absent(detail) | Evidence::NoData(detail) => detail,
        }
    }

    /// Whether the item holds, or `None` when the data cannot tell.
    pub fn holds(&self) -> Option<bool> {
        match self {
            Evidence::Evidenced(_) => Some(true),
            Evidence::Absent(_) => Some(false),
            Evidence::NoData(_) => None,
        }
    }
}

/// One item's evidence for one song.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistItem {
    pub kind: ChecklistItemKind,
    pub evidence: Evidence,
}

/// One song's checklist.
#[derive(Debug, Clone, PartialEq)]
pub struct SongChecklist {
    pub song_id: SongId,
    pub title: String,
    pub drama: Option<String>,
    /// How many catalog events name this song; with none, the event items have no data.
    pub event_count: usize,
    /// Days from the drama's premiere to the song's release: negative before the premiere.
    pub days_from_premiere: Option<i64>,
    /// Every item of [`ChecklistItemKind::ALL`], in that order.
    pub items: Vec<ChecklistItem>,
}

impl SongChecklist {
    pub fn item(&self, kind: ChecklistItemKind) -> Option<&Evidence> {
        self.items.iter().find(|item| item.kind == kind).map(|item| &item.evidence)
    }
}

/// Every catalog song's checklist, in catalog order. The chart rows are those the analysis holds:
/// a song's first chart day is its case's earliest row. `lyrics` holds the catalog songs whose
/// lyric was read (`encore_lyrics::catalog_song_motifs`); empty, every song has no data on motifs.
pub fn song_checklists(
    catalog: &Catalog,
    analysis: &Analysis<'_>,
    lyrics: &BTreeMap<SongId, CatalogSongMotifs>,
) -> Vec<SongChecklist> {
    let first_chart_days: BTreeMap<&SongId, NaiveDate> = analysis
        .cases
        .iter()
        .filter_map(|case| Some((&case.song.id, case.entries.iter().map(|entry| entry.chart_date).min()?)))
        .collect();
    catalog.songs.iter().map(|song| song_checklist(catalog, song, &first_chart_days, lyrics.get(&song.id))).collect()
}

fn song_checklist(
    catalog: &Catalog,
    song: &Song,
    first_chart_days: &BTreeMap<&SongId, NaiveDate>,
    lyric: Option<&CatalogSongMotifs>,
) -> SongChecklist {
    let drama = catalog.drama(&song.drama_id);
    let events: Vec<&Event> = catalog.events_of_song(&song.id).collect();
    let days_from_premiere = days_from_premiere(song, drama);
    let items = ChecklistItemKind::ALL
        .into_iter()
        .map(|kind| {
            let evidence = match kind {
                ChecklistItemKind::PreRelease => pre_release(song, drama, days_from_premiere),
                ChecklistItemKind::ReleaseDuringBroadcast => release_during_broadcast(catalog, song, drama),
                ChecklistItemKind::MusicVideo => event_item(&events, EventKind::MusicVideo),
                ChecklistItemKind::Challenge => event_item(&events, EventKind::ViralTrend),
                ChecklistItemKind::RemixOrAcoustic => remix_or_acoustic(catalog, song, &events),
                ChecklistItemKind::LivePerformance => event_item(&events, EventKind::LivePerformance),
                ChecklistItemKind::VocalistPriorChartRecord => prior_chart_record(catalog, song, first_chart_days),
                ChecklistItemKind::UniversalMotifs => universal_motifs(lyric),
                ChecklistItemKind::ProductionQuality | ChecklistItemKind::VocalStrength => {
                    Evidence::NoData(kind.never_evidenced_reason().unwrap_or_default().to_string())
                }
            };
            ChecklistItem { kind, evidence }
        })
        .collect();
    SongChecklist {
        song_id: song.id.clone(),
        title: song.display_title().to_string(),
        drama: drama.map(|drama| drama.display_title().to_string()),
        event_count: events.len(),
        days_from_premiere,
        items,
    }
}

/// Days from the drama's premiere to the song's release: negative before the premiere.
fn days_from_premiere(song: &Song, drama: Option<&Drama>) -> Option<i64> {
    song.release_date
        .zip(drama.and_then(|drama| drama.premiere))
        .map(|(release, premiere)| (release - premiere).num_days())
}

/// When `song` came out against its drama's broadcast, in the checklist's words (the episode it
/// came out with, else its place against the premiere), and its days from the premiere: the two
/// items a campaign timeline reads, without auditing the rest of the catalog.
pub fn release_timing(catalog: &Catalog, song: &Song) -> (String, Option<i64>) {
    let drama = catalog.drama(&song.drama_id);
    let days = days_from_premiere(song, drama);
    let timing = [release_during_broadcast(catalog, song, drama), pre_release(song, drama, days)]
        .iter()
        .map(|evidence| evidence.detail().to_string())
        .find(|detail| !detail.is_empty())
        .unwrap_or_else(|| "no release date".to_string());
    (timing, days)
}

fn universal_motifs(lyric: Option<&CatalogSongMotifs>) -> Evidence {
    let Some(lyric) = lyric else {
        return Evidence::NoData(
            "no lyric of this song was read (Melon's year-end lists, by title and singer)".to_string(),
        );
    };
    let used: Vec<&str> = lyric.claimed_motifs_used().into_iter().map(|motif| motif.name()).collect();
    if used.is_empty() {
        Evidence::Absent(format!(
            "its lyric ({}, {}) uses none of season and weather, distance and parting, longing and waiting",
            lyric.year, lyric.source
        ))
    } else {
        Evidence::Evidenced(format!("its lyric ({}, {}) uses {}", lyric.year, lyric.source, used.join(", ")))
    }
}

fn pre_release(song: &Song, drama: Option<&Drama>, days_from_premiere: Option<i64>) -> Evidence {
    let (Some(days), Some(premiere)) = (days_from_premiere, drama.and_then(|drama| drama.premiere)) else {
        return Evidence::NoData(missing_dates(song, drama));
    };
    match days {
        days if days < 0 => {
            Evidence::Evidenced(format!("released {} before the premiere ({premiere})", days_text(-days)))
        }
        0 => Evidence::Absent(format!("released on the premiere day ({premiere})")),
        days => Evidence::Absent(format!("released {} after the premiere ({premiere})", days_text(days))),
    }
}

fn missing_dates(song: &Song, drama: Option<&Drama>) -> String {
    if song.release_date.is_none() {
        "the song's release date is unknown".to_string()
    } else if drama.is_none() {
        "the song's drama is not in the catalog".to_string()
    } else {
        "the drama's premiere date is unknown".to_string()
    }
}

/// The last episode aired on or before the release, when the release falls between the first and
/// the last air date (the finale's, or the last episode's).
fn release_during_broadcast(catalog: &Catalog, song: &Song, drama: Option<&Drama>) -> Evidence {
    let Some(release) = song.release_date else {
        return Evidence::NoData("the song's release date is unknown".to_string());
    };
    let mut airings: Vec<(NaiveDate, Option<u32>)> =
        catalog.episodes_of(&song.drama_id).filter_map(|episode| Some((episode.air_date?, episode.number))).collect();
    airings.sort();
    airings.dedup_by_key(|(aired, _)| *aired);
    let (Some(&(first_aired, _)), Some(&(last_aired, _))) = (airings.first(), airings.last()) else {
        return Evidence::NoData("the catalog has no episode air dates for the drama".to_string());
    };
    let last_aired = drama.and_then(|drama| drama.finale).map_or(last_aired, |finale| finale.max(last_aired));
    if release < first_aired {
        let days = days_text((first_aired - release).num_days());
        return Evidence::Absent(format!("released {days} before the first episode aired ({first_aired})"));
    }
    if release > last_aired {
        let days = days_text((release - last_aired).num_days());
        return Evidence::Absent(format!("released {days} after the last episode aired ({last_aired})"));
    }
    let Some(&(aired, number)) = airings.iter().rev().find(|(aired, _)| *aired <= release) else {
        return Evidence::NoData("no episode aired on or before the release".to_string());
    };
    let episode = number.map_or_else(|| "the episode".to_string(), |number| format!("episode {number}"));
    if aired == release {
        return Evidence::Evidenced(format!("released the day {episode} aired ({aired})"));
    }
    Evidence::Evidenced(format!("released {} after {episode} aired ({aired})", days_text((release - aired).num_days())))
}

fn days_text(days: i64) -> String {
    if days == 1 {
        "1 day".to_string()
    } else {
        format!("{days} days")
    }
}

fn no_events() -> Evidence {
    Evidence::NoData("the catalog lists no events for this song".to_string())
}

fn event_item(events: &[&Event], kind: EventKind) -> Evidence {
    if events.is_empty() {
        return no_events();
    }
    match events.iter().find(|event| event.kind == kind) {
        Some(event) => Evidence::Evidenced(event_text(event)),
        None => Evidence::Absent(format!("none of the song's {} catalog events is a {kind}", events.len())),
    }
}

fn event_text(event: &Event) -> String {
    match &event.date {
        Some(date) => format!("{} ({date})", event.detail),
        None => format!("{} (undated)", event.detail),
    }
}

/// Words that mark a title as another version of a song.
const VERSION_MARKS: [&str; 6] = ["remix", "acoustic", "ver.", "version", "어쿠스틱", "리믹스"];

fn remix_or_acoustic(catalog: &Catalog, song: &Song, events: &[&Event]) -> Evidence {
    let version = catalog.songs_of(&song.drama_id).filter(|other| other.id != song.id).find(|other| {
        [(&song.title_en, &other.title_en), (&song.title_ko, &other.title_ko)].into_iter().any(|(own, theirs)| {
            let theirs = theirs.to_lowercase();
            !own.is_empty()
                && theirs.contains(&own.to_lowercase())
                && VERSION_MARKS.iter().any(|mark| theirs.contains(mark))
        })
    });
    if let Some(version) = version {
        return Evidence::Evidenced(format!("the catalog lists \"{}\" ({})", version.display_title(), version.id));
    }
    if events.is_empty() {
        return no_events();
    }
    match events.iter().find(|event| event.kind == EventKind::RemixRelease) {
        Some(event) => Evidence::Evidenced(event_text(event)),
        None => Evidence::Absent(format!(
            "no remix_release among the song's {} catalog events, no version of it in the catalog",
            events.len()
        )),
    }
}

fn prior_chart_record(catalog: &Catalog, song: &Song, first_chart_days: &BTreeMap<&SongId, NaiveDate>) -> Evidence {
    let Some(release) = song.release_date else {
        return Evidence::NoData("the song's release date is unknown".to_string());
    };
    let shares_an_artist = |other: &Song| other.artists.iter().any(|artist| song.artists.contains(artist));
    let others: Vec<&Song> =
        catalog.songs.iter().filter(|other| other.id != song.id && shares_an_artist(other)).collect();
    if others.is_empty() {
        return Evidence::Absent(format!("no other catalog song by {}", song.artists.join(", ")));
    }
    let earliest = others
        .iter()
        .filter_map(|other| Some((*first_chart_days.get(&other.id)?, *other)))
        .filter(|(first_day, _)| *first_day < release)
        .min_by_key(|(first_day, _)| *first_day);
    match earliest {
        Some((first_day, other)) => {
            Evidence::Evidenced(format!("\"{}\" ({}) charted from {first_day}", other.display_title(), other.id))
        }
        None => Evidence::Absent(format!(
            "none of the {} other catalog songs by {} charted before {release} in the stored charts",
            others.len(),
            song.artists.join(", ")
        )),
    }
}

#[cfg(test)]
#[path = "checklist_tests.rs"]
mod tests;
