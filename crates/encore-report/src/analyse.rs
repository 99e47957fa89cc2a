//! Running the analytics for one case: every figure a case shows comes from here.

use std::collections::BTreeMap;

use encore_analytics::{
    dated_song_attention, drama_attention, eclipse, find_peaks, leaderboard, song_attention, year_end_scores,
    EclipseInput, PeakContext,
};
use encore_domain::{Catalog, ChartEntry, Drama, Episode, Event, Song, SongId};

use crate::{Case, LeaderboardRow};

impl<'a> Case<'a> {
    /// Analyses one song's chart rows against its drama: attention indices, eclipse and peaks.
    /// `entries` must be this song's rows only; `events` those of the song and of its drama.
    pub fn analyse(
        song: &'a Song,
        drama: Option<&'a Drama>,
        episodes: Vec<&'a Episode>,
        events: Vec<&'a Event>,
        entries: Vec<ChartEntry>,
    ) -> Case<'a> {
        let owned_episodes: Vec<Episode> = episodes.iter().map(|episode| (*episode).clone()).collect();
        let owned_events: Vec<Event> = events.iter().map(|event| (*event).clone()).collect();
        let song_index = song_attention(&entries, song.release_date);
        let drama_index = drama.map(|drama| drama_attention(drama, &owned_episodes)).unwrap_or_default();
        let song_eclipse = eclipse(&EclipseInput {
            song_id: &song.id,
            drama_id: &song.drama_id,
            premiere: drama.and_then(|drama| drama.premiere),
            finale: drama.and_then(|drama| drama.finale),
            song: &song_index,
            song_dated: &dated_song_attention(&entries, song.release_date),
            song_year_end: &year_end_scores(&entries),
            drama: &drama_index,
        });
        let context = PeakContext { song, drama, episodes: &owned_episodes, events: &owned_events };
        let peaks = find_peaks(&entries, &context);
        Case {
            slug: song.id.to_string(),
            song,
            drama,
            episodes,
            events,
            entries,
            song_attention: song_index,
            drama_attention: drama_index,
            eclipse: song_eclipse,
            peaks,
        }
    }
}

/// Every catalog song with chart rows, analysed, and the leaderboard over them.
#[derive(Debug, Clone)]
pub struct Analysis<'a> {
    /// One case per song with matched chart rows, in song id order.
    pub cases: Vec<Case<'a>>,
    /// Highest eclipse score first.
    pub leaderboard: Vec<LeaderboardRow>,
}

/// Analyses each catalog song that `entries` (chart rows of any songs) match. Rows naming a song
/// the catalog does not hold are left out.
pub fn analyse_catalog(catalog: &Catalog, entries: Vec<ChartEntry>) -> Analysis<'_> {
    let mut by_song: BTreeMap<SongId, Vec<ChartEntry>> = BTreeMap::new();
    for entry in entries {
        if let Some(song_id) = entry.song_id.clone() {
            by_song.entry(song_id).or_default().push(entry);
        }
    }
    let mut cases = Vec::new();
    for (song_id, song_entries) in by_song {
        let Some(song) = catalog.song(&song_id) else {
            continue;
        };
        let episodes: Vec<&Episode> = catalog.episodes_of(&song.drama_id).collect();
        let events: Vec<&Event> =
            catalog.events_of_song(&song.id).chain(catalog.events_of_drama(&song.drama_id)).collect();
        cases.push(Case::analyse(song, catalog.drama(&song.drama_id), episodes, events, song_entries));
    }
    let ranked = leaderboard(cases.iter().map(|case| case.eclipse.clone()).collect());
    let rows = ranked
        .into_iter()
        .filter_map(|song_eclipse| {
            let song = catalog.song(&song_eclipse.song_id)?;
            let drama =
                catalog.drama(&song.drama_id).map(|drama| drama.display_title().to_string()).unwrap_or_default();
            Some((song, drama, song_eclipse))
        })
        .enumerate()
        .map(|(position, (song, drama, song_eclipse))| LeaderboardRow {
            rank: position + 1,
            song: song.display_title().to_string(),
            artists: song.artists.join(", "),
            drama,
            case_slug: Some(song.id.to_string()),
            eclipse: song_eclipse,
        })
        .collect();
    Analysis { cases, leaderboard: rows }
}
