//! A drama's campaign timeline: its OST parts' releases against the episode calendar, each song's
//! daily attention and catalog events, and what followed each release: what was released when, and
//! what came of it.
//!
//! Method: a song's release is placed against the broadcast by the checklist's own reading
//! ([`crate::checklist`]: days from the premiere, the episode it came out with); what followed is
//! the song's highest daily attention in the [`FOLLOW_DAYS`] days from its release, and the day it
//! came. A song without a release date or without attention says so.

use chrono::{Duration, NaiveDate};

use encore_domain::{Catalog, Drama, DramaId, Event, Song};

use crate::attention::Point;
use crate::checklist::release_timing;
use crate::Analysis;

/// Days after a release in which its song's peak counts as what followed it.
pub const FOLLOW_DAYS: i64 = 60;

/// One OST part on the timeline.
#[derive(Debug, Clone)]
pub struct CampaignSong<'a> {
    pub song: &'a Song,
    /// When it came out against the broadcast, in words ("12 days before the premiere", "the day
    /// episode 2 aired"), or why that is not known.
    pub timing: String,
    pub days_from_premiere: Option<i64>,
    /// The catalog events of the song, dated.
    pub events: Vec<(NaiveDate, &'a Event)>,
    /// Its daily attention (0-100); empty when it never charted.
    pub attention: &'a [Point],
    /// Its highest attention within [`FOLLOW_DAYS`] of the release.
    pub peak_after_release: Option<Point>,
}

/// A drama's timeline: see the module documentation.
#[derive(Debug, Clone)]
pub struct Campaign<'a> {
    pub drama: &'a Drama,
    /// Episode number (when known) and air date, in air order.
    pub episodes: Vec<(Option<u32>, NaiveDate)>,
    /// The drama's own daily attention; empty when it has none.
    pub drama_attention: &'a [Point],
    /// Its songs by OST part, then release.
    pub songs: Vec<CampaignSong<'a>>,
}

/// The timeline of `drama_id`; `None` when the catalog has no such drama.
pub fn campaign<'a>(catalog: &'a Catalog, analysis: &'a Analysis<'a>, drama_id: &'a DramaId) -> Option<Campaign<'a>> {
    let drama = catalog.drama(drama_id)?;
    let mut episodes: Vec<(Option<u32>, NaiveDate)> =
        catalog.episodes_of(drama_id).filter_map(|episode| Some((episode.number, episode.air_date?))).collect();
    // The catalog holds an episode once per ratings source, sometimes without its number: one row
    // an episode here, and a day's unnumbered row is the numbered episode of that day.
    episodes.sort_by_key(|(number, date)| (*date, *number));
    episodes.dedup();
    let numbered_days: std::collections::BTreeSet<NaiveDate> =
        episodes.iter().filter(|(number, _)| number.is_some()).map(|(_, date)| *date).collect();
    episodes.retain(|(number, date)| number.is_some() || !numbered_days.contains(date));
    let mut songs: Vec<CampaignSong<'a>> = catalog
        .songs_of(drama_id)
        .map(|song| {
            let (timing, days_from_premiere) = release_timing(catalog, song);
            let mut events: Vec<(NaiveDate, &Event)> = catalog
                .events_of_song(&song.id)
                .filter_map(|event| Some((event.date.as_ref()?.first_day(), event)))
                .collect();
            events.sort_by_key(|(date, _)| *date);
            let attention: &[Point] = analysis
                .cases
                .iter()
                .find(|case| case.song.id == song.id)
                .map_or(&[], |case| case.daily_series.as_slice());
            let peak_after_release = song.release_date.and_then(|release| {
                let window_end = release + Duration::days(FOLLOW_DAYS);
                attention
                    .iter()
                    .filter(|point| point.date >= release && point.date <= window_end)
                    .fold(None, |best: Option<&Point>, point| match best {
                        Some(best) if best.value >= point.value => Some(best),
                        _ => Some(point),
                    })
                    .cloned()
            });
            CampaignSong { song, timing, days_from_premiere, events, attention, peak_after_release }
        })
        .collect();
    songs.sort_by_key(|entry| (entry.song.ost_part.unwrap_or(u32::MAX), entry.song.release_date));
    let drama_attention = analysis.drama_attention.get(drama_id).map_or(&[][..], Vec::as_slice);
    Some(Campaign { drama, episodes, drama_attention, songs })
}
