//! Viewing: Netflix's global weekly Top 10 rows (hours viewed per title and week), and the
//! matching of a row's show and season titles to a catalog drama.
//!
//! A row is matched by title and season, never by title alone: `Stranger Things` /
//! `Stranger Things 4` is the catalog's `Stranger Things season 4`, and no other season of it. The
//! season is a trailing `season N` or a trailing number (up to [`MAX_SEASON`], so `Reply 1988`
//! keeps its year) of either title; `Limited Series` and `N/A` mean a show of one season, matched
//! by its show title to a catalog drama whose title names no season (or season 1). A row that
//! could be several catalog dramas matches none.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::ids::DramaId;
use crate::matching::normalize;

/// A trailing number above this is part of the title (a year), not a season.
pub const MAX_SEASON: u32 = 30;

/// One title's place on one of Netflix's weekly global Top 10 lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DramaViewing {
    /// The list's last day, a Sunday: the week runs Monday to Sunday.
    pub week_end: NaiveDate,
    /// `TV (English)`, `TV (Non-English)`, `Films (English)`, `Films (Non-English)`.
    pub category: String,
    pub rank: u32,
    pub show_title: String,
    /// As written; `N/A` for a title without seasons.
    pub season_title: String,
    pub hours_viewed: u64,
    /// Hours of one viewing of the whole season (empty in the early weeks).
    pub runtime_hours: Option<f64>,
    /// Hours viewed divided by the runtime (empty in the early weeks).
    pub views: Option<u64>,
    pub weeks_in_top10: u32,
    /// The catalog drama this title and season is, if any.
    pub drama_id: Option<DramaId>,
    pub source_file: String,
    pub source_line: u64,
}

impl DramaViewing {
    /// The list this row is on (week and category): a newer file's rows of a list replace the
    /// older file's, as a re-issued chart's do.
    pub fn list_key(&self) -> String {
        list_key(self.week_end, &self.category)
    }
}

/// The key of one weekly list, built the same way from stored columns.
pub fn list_key(week_end: NaiveDate, category: &str) -> String {
    format!("{week_end}|{category}")
}

/// A title as its show key and season: `Stranger Things season 4` is (`strangerthings`, 4).
fn title_and_season(title: &str) -> (String, Option<u32>) {
    let mut words: Vec<String> =
        title.split(|c: char| !c.is_alphanumeric()).map(normalize).filter(|word| !word.is_empty()).collect();
    if words.ends_with(&["limited".to_string(), "series".to_string()]) {
        words.truncate(words.len() - 2);
        return (words.concat(), None);
    }
    let season =
        words.last().and_then(|word| word.parse::<u32>().ok()).filter(|season| (1..=MAX_SEASON).contains(season));
    if let (Some(season), true) = (season, words.len() > 1) {
        words.pop();
        if words.last().is_some_and(|word| word == "season" || word == "시즌") && words.len() > 1 {
            words.pop();
        }
        return (words.concat(), Some(season));
    }
    (words.concat(), None)
}

/// The catalog's dramas by show key and season, for matching viewing rows.
pub struct ViewingMatcher {
    dramas: HashMap<(String, Option<u32>), BTreeSet<DramaId>>,
}

impl ViewingMatcher {
    pub fn new(catalog: &Catalog) -> ViewingMatcher {
        let mut dramas: HashMap<(String, Option<u32>), BTreeSet<DramaId>> = HashMap::new();
        for drama in &catalog.dramas {
            let (show, season) = title_and_season(&drama.title_en);
            if show.is_empty() {
                continue;
            }
            // A drama whose title names no season is its show's only (or first) season.
            for season in [season, season.or(Some(1))] {
                dramas.entry((show.clone(), season)).or_default().insert(drama.id.clone());
            }
            let whole = normalize(&drama.title_en);
            if whole != show {
                dramas.entry((whole, None)).or_default().insert(drama.id.clone());
            }
        }
        ViewingMatcher { dramas }
    }

    /// The one catalog drama a row's show and season titles are, or `None` (none, or several).
    pub fn match_titles(&self, show_title: &str, season_title: &str) -> Option<DramaId> {
        let season_title = season_title.trim();
        let (show, show_season) = title_and_season(show_title);
        let (key, season) = if season_title.is_empty() || season_title.eq_ignore_ascii_case("n/a") {
            (show, show_season)
        } else {
            let (season_show, season) = title_and_season(season_title);
            match season {
                // `Stranger Things 4`, or `Stranger Things: Tales From '85: Season 1`.
                Some(season) => (season_show, Some(season)),
                // `Business Proposal: Limited Series`, or a season with a name of its own.
                None if season_show == show || season_show.is_empty() => (show, show_season),
                None => (season_show, None),
            }
        };
        let found = self.dramas.get(&(key, season))?;
        match found.len() {
            1 => found.iter().next().cloned(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Drama;

    fn catalog(titles: &[(&str, &str)]) -> Catalog {
        let dramas = titles.iter().map(|(id, title)| Drama::titled(id, title, "")).collect();
        Catalog { dramas, ..Catalog::default() }
    }

    fn check(matcher: &ViewingMatcher, show: &str, season: &str, expected: Option<&str>) {
        let found = matcher.match_titles(show, season);
        assert_eq!(found.as_ref().map(DramaId::as_str), expected, "{show} / {season}");
    }

    #[test]
    fn a_season_in_either_title_matches_the_catalog_season() {
        let matcher = ViewingMatcher::new(&catalog(&[
            ("stranger_things_s4", "Stranger Things season 4"),
            ("business_proposal", "Business Proposal"),
            ("hospital_playlist_2", "Hospital Playlist 2"),
            ("reply_1988", "Reply 1988"),
        ]));
        check(&matcher, "Stranger Things", "Stranger Things 4", Some("stranger_things_s4"));
        check(&matcher, "Stranger Things", "Stranger Things: Season 4", Some("stranger_things_s4"));
        check(&matcher, "Stranger Things 4", "N/A", Some("stranger_things_s4"));
        check(&matcher, "Hospital Playlist", "Hospital Playlist: Season 2", Some("hospital_playlist_2"));
        check(&matcher, "Business Proposal", "Business Proposal: Limited Series", Some("business_proposal"));
        check(&matcher, "Business Proposal", "N/A", Some("business_proposal"));
        check(&matcher, "business proposal", "Business Proposal: Season 1", Some("business_proposal"));
        check(&matcher, "Reply 1988", "N/A", Some("reply_1988"));
    }

    #[test]
    fn another_season_or_another_show_does_not_match() {
        let matcher = ViewingMatcher::new(&catalog(&[
            ("stranger_things_s4", "Stranger Things season 4"),
            ("business_proposal", "Business Proposal"),
        ]));
        check(&matcher, "Stranger Things", "Stranger Things 5", None);
        check(&matcher, "Stranger Things", "Stranger Things 3", None);
        // The show as a whole (Netflix's row for its first season) is not season 4.
        check(&matcher, "Stranger Things", "N/A", None);
        check(&matcher, "Stranger Things: Tales From '85", "Stranger Things: Tales From '85: Season 1", None);
        check(&matcher, "Business Proposal", "Business Proposal: Season 2", None);
        check(&matcher, "A Business Proposal", "N/A", None);
    }

    #[test]
    fn a_title_two_dramas_share_matches_neither() {
        let matcher = ViewingMatcher::new(&catalog(&[("mask_2015", "Mask"), ("mask_2023", "Mask")]));
        check(&matcher, "Mask", "N/A", None);
    }
}
