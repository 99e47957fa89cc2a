//! The marketing table as the API answers it: approach | example | measured lift, one row per
//! catalog marketing event of a song, each with its lift and interval or the reason it has none.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use encore_analytics::effect::{Counterfactual, MarketingRow};
use encore_domain::Catalog;

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
    /// The daily chart whose songs of the same age the song was compared with, if it was.
    pub compared_on: Option<String>,
}

/// The marketing table as the analysis measured it (every catalog song event; songs without chart
/// rows get a reason, not a lift), and the same rows by song id.
pub fn marketing_views(
    catalog: &Catalog,
    rows: &[MarketingRow],
) -> (Vec<MarketingView>, HashMap<String, Vec<MarketingView>>) {
    let views: Vec<MarketingView> = rows.iter().map(|row| marketing_view(catalog, row.clone())).collect();
    let mut by_song: HashMap<String, Vec<MarketingView>> = HashMap::new();
    for view in &views {
        by_song.entry(view.song_id.clone()).or_default().push(view.clone());
    }
    (views, by_song)
}

fn marketing_view(catalog: &Catalog, row: MarketingRow) -> MarketingView {
    let song = catalog.song(&row.song_id);
    let drama = song.and_then(|song| catalog.drama(&song.drama_id));
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
            compared_on: lift.chart.map(|chart| chart.dataset().to_string()),
        }),
        method: row.lift.map(|lift| lift.counterfactual),
        reason: row.reason,
    }
}
