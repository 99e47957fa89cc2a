//! The marketing table as the API answers it: approach | example | measured lift, one row per
//! catalog marketing event of a song, each with its lift and interval or the reason it has none.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use encore_analytics::effect::{marketing_table, Counterfactual, MarketingRow, MIN_PLACEBOS, POST_DAYS, PRE_DAYS};
use encore_analytics::Point;
use encore_domain::{Catalog, SongId};
use encore_report::Case;

/// One row of the marketing table.
#[derive(Debug, Clone, Serialize)]
pub struct MarketingView {
    pub approach: &'static str,
    pub kind: String,
    pub song_id: String,
    pub title: String,
    pub drama_id: String,
    pub drama: String,
    pub date: NaiveDate,
    pub detail: String,
    /// `None` when the lift could not be measured (see `reason`).
    pub lift: Option<LiftView>,
    /// The counterfactual the lift was measured against.
    pub method: Option<Counterfactual>,
    /// Why there is no lift, or no interval; `None` when both are there.
    pub reason: Option<String>,
}

/// A measured lift: 0.35 is +35 %, with its 95 % placebo interval.
#[derive(Debug, Clone, Serialize)]
pub struct LiftView {
    pub estimate: f64,
    pub interval: Option<(f64, f64)>,
    pub placebos: usize,
}

/// The marketing table over every catalog song event (songs without chart rows get a reason, not
/// a lift), measured on the analysed songs' daily series; and the same rows by song id.
pub fn marketing_views(
    catalog: &Catalog,
    cases: &[Case<'_>],
) -> (Vec<MarketingView>, HashMap<String, Vec<MarketingView>>) {
    let daily: BTreeMap<SongId, Vec<Point>> = cases
        .iter()
        .filter(|case| !case.daily_series.is_empty())
        .map(|case| (case.song.id.clone(), case.daily_series.clone()))
        .collect();
    let rows: Vec<MarketingView> = marketing_table(&catalog.events, &daily)
        .into_iter()
        .map(|row| {
            let has_series = daily.contains_key(&row.song_id);
            marketing_view(catalog, row, has_series)
        })
        .collect();
    let mut by_song: HashMap<String, Vec<MarketingView>> = HashMap::new();
    for row in &rows {
        by_song.entry(row.song_id.clone()).or_default().push(row.clone());
    }
    (rows, by_song)
}

fn marketing_view(catalog: &Catalog, row: MarketingRow, has_series: bool) -> MarketingView {
    let song = catalog.song(&row.song_id);
    let drama = song.and_then(|song| catalog.drama(&song.drama_id));
    let reason = match &row.lift {
        None if has_series => Some(format!(
            "not measurable: the song's daily series does not cover the {PRE_DAYS} days before and {POST_DAYS} days \
             from the date"
        )),
        None => Some("not measurable: the song has no daily or weekly chart series".to_string()),
        Some(lift) if lift.interval.is_none() => {
            Some(format!("no interval: {} placebo dates in the pre-period, {MIN_PLACEBOS} needed", lift.placebos))
        }
        Some(_) => None,
    };
    MarketingView {
        approach: row.approach,
        kind: row.kind.as_str().to_string(),
        song_id: row.song_id.to_string(),
        title: song.map(|song| song.display_title().to_string()).unwrap_or_else(|| row.song_id.to_string()),
        drama_id: song.map(|song| song.drama_id.to_string()).unwrap_or_default(),
        drama: drama.map(|drama| drama.display_title().to_string()).unwrap_or_default(),
        date: row.date,
        detail: row.detail,
        lift: row.lift.map(|lift| LiftView {
            estimate: lift.estimate,
            interval: lift.interval,
            placebos: lift.placebos,
        }),
        method: row.lift.map(|lift| lift.counterfactual),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use encore_analytics::effect::Lift;
    use encore_domain::EventKind;

    use super::*;

    fn row(lift: Option<Lift>) -> MarketingRow {
        MarketingRow {
            approach: "music video",
            kind: EventKind::MusicVideo,
            song_id: SongId::new("some_song"),
            date: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default(),
            detail: "MV".to_string(),
            lift,
        }
    }

    fn lift(interval: Option<(f64, f64)>) -> Lift {
        Lift { counterfactual: Counterfactual::ComparableSongs, estimate: 0.3, interval, placebos: 40 }
    }

    #[test]
    fn a_row_has_a_lift_with_its_interval_or_says_why_not() {
        let catalog = Catalog::default();
        let measured = marketing_view(&catalog, row(Some(lift(Some((0.1, 0.5))))), true);
        assert_eq!(measured.method, Some(Counterfactual::ComparableSongs));
        assert_eq!(measured.lift.map(|lift| lift.interval), Some(Some((0.1, 0.5))));
        assert_eq!(measured.reason, None);
        let no_interval = marketing_view(&catalog, row(Some(lift(None))), true);
        assert!(no_interval.reason.is_some_and(|reason| reason.starts_with("no interval")));
        let uncovered = marketing_view(&catalog, row(None), true);
        assert!(uncovered.reason.is_some_and(|reason| reason.contains("does not cover")));
        let no_series = marketing_view(&catalog, row(None), false);
        assert!(no_series.reason.is_some_and(|reason| reason.contains("no daily or weekly chart series")));
        assert_eq!(no_series.title, "some_song");
    }
}
