//! The JSON of the creator's checklist audit (`encore checklist --json`, `GET /api/checklist`,
//! the report's `report.json`): each song's items, and the outcome with and without each item.

use serde_json::{json, Value};

use encore_analytics::checklist::{OutcomeMetric, OutcomeRow, SongChecklist};
use encore_analytics::Measured;

/// What the outcome table compares, for people.
pub const OUTCOME_BASIS: &str =
    "charting catalog songs only; eclipse score from each song's eclipse; chart days after \
     the finale: the eclipse's count of dated chart days after the drama's finale (year-end lists not counted); \
     95 % percentile bootstrap interval of the difference (with minus without), fixed seed";

/// An outcome as people read it: eclipse scores to two places, days to one.
pub fn outcome_figure(value: f64, metric: OutcomeMetric) -> String {
    match metric {
        OutcomeMetric::EclipseScore => format!("{value:.2}"),
        OutcomeMetric::ChartDaysAfterFinale => format!("{value:.1}"),
    }
}

/// The outcome a row compares, as people read it.
pub fn metric_label(metric: OutcomeMetric) -> &'static str {
    match metric {
        OutcomeMetric::EclipseScore => "eclipse score",
        OutcomeMetric::ChartDaysAfterFinale => "chart days after finale",
    }
}

/// A row's mean with, mean without, and difference with its interval, as the tables print them; a
/// row without a comparison gives `-`, `-` and why it has none.
pub fn outcome_cells(row: &OutcomeRow) -> [String; 3] {
    match &row.comparison {
        Measured::Measured(comparison) => [
            outcome_figure(comparison.mean_with, row.metric),
            outcome_figure(comparison.mean_without, row.metric),
            format!(
                "{} [{}, {}]",
                outcome_figure(comparison.difference, row.metric),
                outcome_figure(comparison.interval.0, row.metric),
                outcome_figure(comparison.interval.1, row.metric)
            ),
        ],
        Measured::NotMeasurable { not_measurable } => ["-".into(), "-".into(), not_measurable.clone()],
    }
}

/// One song's checklist: each item with its status and what shows it.
pub fn song_checklist_json(checklist: &SongChecklist) -> Value {
    let items: Vec<Value> = checklist
        .items
        .iter()
        .map(|item| {
            json!({
                "item": item.kind.as_str(),
                "label": item.kind.label(),
                "status": item.evidence.status(),
                "detail": item.evidence.detail(),
            })
        })
        .collect();
    json!({
        "song_id": checklist.song_id.as_str(),
        "title": checklist.title,
        "drama": checklist.drama,
        "events": checklist.event_count,
        "days_from_premiere": checklist.days_from_premiere,
        "items": items,
    })
}

/// The checklists of `checklists` and the catalog's outcome table.
pub fn checklist_json(checklists: &[&SongChecklist], outcomes: &[OutcomeRow]) -> Value {
    let songs: Vec<Value> = checklists.iter().map(|checklist| song_checklist_json(checklist)).collect();
    let rows: Vec<Value> = outcomes
        .iter()
        .map(|row| {
            let mut value = json!({
                "item": row.item.as_str(),
                "metric": row.metric.as_str(),
                "songs_with": row.songs_with,
                "songs_without": row.songs_without,
                "songs_without_data": row.songs_without_data,
            });
            match &row.comparison {
                Measured::Measured(comparison) => {
                    value["mean_with"] = json!(comparison.mean_with);
                    value["mean_without"] = json!(comparison.mean_without);
                    value["difference"] = json!(comparison.difference);
                    value["interval"] = json!([comparison.interval.0, comparison.interval.1]);
                }
                Measured::NotMeasurable { not_measurable } => value["not_measurable"] = json!(not_measurable),
            }
            value
        })
        .collect();
    json!({ "songs": songs, "outcomes": rows, "outcome_basis": OUTCOME_BASIS })
}
