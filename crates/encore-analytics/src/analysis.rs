//! The analysis of a whole catalog against its chart rows: one case per charting song, the
//! eclipse leaderboard, the marketing table and every drama's attention. The report, the server
//! and `encore analyze` are views of this one result; none computes a figure of its own.

use std::collections::BTreeMap;

use serde::Serialize;

use encore_domain::{Catalog, ChartEntry, DramaId, DramaViewing, Episode, Event, SongId};

use crate::effect::{marketing_table, premiere_moves, MarketingRow};
use crate::{drama_attention, leaderboard, AttentionBasis, Case, DailyPanel, Eclipse, Point};

/// Every catalog song with chart rows, analysed, and what is computed over them all.
#[derive(Debug, Clone)]
pub struct Analysis<'a> {
    /// One case per song with matched chart rows, in song id order.
    pub cases: Vec<Case<'a>>,
    /// Highest eclipse score first; every row has its case in `cases`.
    pub leaderboard: Vec<LeaderboardRow>,
    /// Every catalog marketing event of a song, charting or not, and each drama's premiere for its
    /// songs released before it ([`premiere_moves`]), with its lift or why there is none.
    pub marketing: Vec<MarketingRow>,
    /// Each catalog drama's daily attention index (from its ratings, else its Netflix viewing, else
    /// its run), whether or not any of its songs charted.
    pub drama_attention: BTreeMap<DramaId, Vec<Point>>,
    /// What each drama's index is measured from; every drama of `drama_attention` has one.
    pub drama_attention_basis: BTreeMap<DramaId, AttentionBasis>,
}

/// One row of the eclipse leaderboard, with the names people read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeaderboardRow {
    /// 1 for the highest eclipse score.
    pub rank: usize,
    pub song_id: SongId,
    pub song: String,
    pub artists: String,
    pub drama: String,
    pub eclipse: Eclipse,
}

impl<'a> Analysis<'a> {
    /// The case of a song, if it has chart rows.
    pub fn case(&self, song_id: &SongId) -> Option<&Case<'a>> {
        self.cases.binary_search_by(|case| case.song.id.cmp(song_id)).ok().map(|index| &self.cases[index])
    }

    /// A song's place on the leaderboard, if it has one.
    pub fn leaderboard_rank(&self, song_id: &SongId) -> Option<usize> {
        self.leaderboard.iter().find(|row| row.song_id == *song_id).map(|row| row.rank)
    }
}

/// Analyses each catalog song that `entries` (chart rows of any songs) match, with each drama's
/// attention from its ratings or, lacking them, its rows of `viewing` (Netflix Top 10 rows of any
/// dramas). Rows of songs the catalog does not hold serve only as the peers of a young song on a
/// daily chart (the marketing table's [`DailyPanel`]); rows naming a drama the catalog does not
/// hold are left out.
pub fn analyse_catalog<'a>(catalog: &'a Catalog, entries: Vec<ChartEntry>, viewing: &[DramaViewing]) -> Analysis<'a> {
    let mut viewing_by_drama: BTreeMap<&DramaId, Vec<DramaViewing>> = BTreeMap::new();
    for row in viewing {
        if let Some(drama_id) = &row.drama_id {
            viewing_by_drama.entry(drama_id).or_default().push(row.clone());
        }
    }
    let viewing_of = |drama_id: &DramaId| viewing_by_drama.get(drama_id).map(Vec::as_slice).unwrap_or_default();
    let panel = DailyPanel::from_entries(&entries);
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
        let drama = catalog.drama(&song.drama_id);
        cases.push(Case::analyse(song, drama, episodes, viewing_of(&song.drama_id), events, song_entries));
    }
    let leaderboard = leaderboard_rows(catalog, &cases);
    let moves: Vec<Event> = catalog.events.iter().cloned().chain(premiere_moves(catalog)).collect();
    let marketing = marketing_table(&moves, &daily_series_by_song(&cases), &panel);
    let mut attention_by_drama = BTreeMap::new();
    let mut drama_attention_basis = BTreeMap::new();
    for drama in &catalog.dramas {
        let episodes: Vec<Episode> = catalog.episodes_of(&drama.id).cloned().collect();
        let attention = drama_attention(drama, &episodes, viewing_of(&drama.id));
        drama_attention_basis.insert(drama.id.clone(), attention.basis);
        attention_by_drama.insert(drama.id.clone(), attention.points);
    }
    Analysis { cases, leaderboard, marketing, drama_attention: attention_by_drama, drama_attention_basis }
}

/// The cases' daily series by song, leaving out songs without one: what the marketing table
/// measures lifts on.
pub fn daily_series_by_song(cases: &[Case<'_>]) -> BTreeMap<SongId, Vec<Point>> {
    cases
        .iter()
        .filter(|case| !case.daily_series.is_empty())
        .map(|case| (case.song.id.clone(), case.daily_series.clone()))
        .collect()
}

fn leaderboard_rows(catalog: &Catalog, cases: &[Case<'_>]) -> Vec<LeaderboardRow> {
    leaderboard(cases.iter().map(|case| case.eclipse.clone()).collect())
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
            song_id: song.id.clone(),
            song: song.display_title().to_string(),
            artists: song.artists.join(", "),
            drama,
            eclipse: song_eclipse,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample_catalog;

    #[test]
    fn one_analysis_holds_every_song_event_and_every_drama() {
        let (catalog, entries) = sample_catalog();
        let analysis = analyse_catalog(&catalog, entries, &[]);
        let case_ids: Vec<&str> = analysis.cases.iter().map(|case| case.song.id.as_str()).collect();
        assert_eq!(case_ids, ["sample_song"]);
        let sample = SongId::new("sample_song");
        assert_eq!(analysis.leaderboard_rank(&sample), Some(1));
        assert!(analysis.case(&SongId::new("quiet_song")).is_none());
        let case = analysis.case(&sample).expect("the charting song has a case");
        assert!(case.airing.value().is_some(), "{:?}", case.airing);
        assert!(case.longevity.value().is_some(), "{:?}", case.longevity);

        // The song that never charted keeps its marketing row, with the reason it has no lift.
        let quiet: Vec<&MarketingRow> =
            analysis.marketing.iter().filter(|row| row.song_id.as_str() == "quiet_song").collect();
        assert_eq!(quiet.len(), 1);
        assert!(
            quiet[0].lift.is_none() && quiet[0].reason.as_deref().is_some_and(|reason| reason.contains("no daily"))
        );
        let video = analysis.marketing.iter().find(|row| row.song_id == sample).expect("the music video row");
        assert!(video.lift.is_some(), "{video:?}");

        // Every drama has its own attention, whether or not a song of it charted.
        let other = &analysis.drama_attention[&DramaId::new("other_drama")];
        assert!(!other.is_empty());
        let own = &analysis.drama_attention[&DramaId::new("sample_drama")];
        assert_eq!(own, &case.drama_attention);
        assert_ne!(own, other);
    }
}
