//! Running the analytics for one case: every figure a case shows comes from here.

use encore_analytics::{
    dated_song_attention, drama_attention, eclipse, find_peaks, song_attention, year_end_scores, EclipseInput,
    PeakContext,
};
use encore_domain::{ChartEntry, Drama, Episode, Event, Song};

use crate::Case;

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
