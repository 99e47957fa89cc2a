//! The checklist's outcome table: for each item, the catalog's charting songs with the item
//! evidenced against those where it is absent (songs with no data on it are on neither side), on
//! two outcomes from the analysis: the eclipse score, and the chart days after the finale (the
//! eclipse's count of dated chart days after the drama's finale, `Eclipse::chart_days_after_finale`).
//!
//! Each side's n and mean, the difference (with minus without) and its 95 % percentile bootstrap
//! interval: each side resampled with replacement, [`BOOTSTRAP_RESAMPLES`] times, from a fixed
//! seed, so the same catalog gives the same interval. A side of fewer than [`MIN_SONGS_A_SIDE`]
//! songs gives no comparison but the reason. A song without chart rows has no outcome and is left
//! out. This is a description of the catalog, not an effect: songs with a music video differ in
//! more than their music video.

use std::collections::BTreeMap;

use encore_domain::SongId;

use crate::checklist::{ChecklistItemKind, SongChecklist};
use crate::synthetic::SplitMix64;
use crate::{Analysis, Measured};

/// The fewest songs a side needs for a comparison.
pub const MIN_SONGS_A_SIDE: usize = 3;
/// Resamples of the bootstrap interval.
pub const BOOTSTRAP_RESAMPLES: usize = 2000;
const BOOTSTRAP_SEED: u64 = 0x0c4e_c6c1_1575;

/// An outcome the table compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeMetric {
    EclipseScore,
    ChartDaysAfterFinale,
}

impl OutcomeMetric {
    pub const ALL: [OutcomeMetric; 2] = [OutcomeMetric::EclipseScore, OutcomeMetric::ChartDaysAfterFinale];

    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeMetric::EclipseScore => "eclipse_score",
            OutcomeMetric::ChartDaysAfterFinale => "chart_days_after_finale",
        }
    }
}

/// With against without one item, on one outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub mean_with: f64,
    pub mean_without: f64,
    /// `mean_with - mean_without`.
    pub difference: f64,
    /// The 95 % bootstrap interval of the difference.
    pub interval: (f64, f64),
}

/// One row of the outcome table.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeRow {
    pub item: ChecklistItemKind,
    pub metric: OutcomeMetric,
    /// Charting songs with the item evidenced.
    pub songs_with: usize,
    /// Charting songs with the item absent.
    pub songs_without: usize,
    /// Charting songs the data cannot tell about.
    pub songs_without_data: usize,
    pub comparison: Measured<Comparison>,
}

/// For each item and each outcome, the charting songs with the item against those without.
pub fn checklist_outcomes(checklists: &[SongChecklist], analysis: &Analysis<'_>) -> Vec<OutcomeRow> {
    // A score over a drama without attention, or days after an unknown finale, would read as 0.
    let outcomes: BTreeMap<&SongId, (Option<f64>, Option<f64>)> = analysis
        .cases
        .iter()
        .map(|case| {
            let score = (case.eclipse.drama_attention_total > 0.0).then_some(case.eclipse.score);
            let days = case.drama.and_then(|drama| drama.finale).map(|_| case.eclipse.chart_days_after_finale as f64);
            (&case.song.id, (score, days))
        })
        .collect();
    let mut rows = Vec::new();
    for item in ChecklistItemKind::ALL {
        for metric in OutcomeMetric::ALL {
            let mut with = Vec::new();
            let mut without = Vec::new();
            let mut songs_without_data = 0;
            for checklist in checklists {
                let Some(&(score, days)) = outcomes.get(&checklist.song_id) else {
                    continue;
                };
                let measured = match metric {
                    OutcomeMetric::EclipseScore => score,
                    OutcomeMetric::ChartDaysAfterFinale => days,
                };
                let Some(value) = measured else {
                    continue;
                };
                match checklist.item(item).and_then(|evidence| evidence.holds()) {
                    Some(true) => with.push(value),
                    Some(false) => without.push(value),
                    None => songs_without_data += 1,
                }
            }
            let comparison = match item.never_evidenced_reason() {
                Some(reason) => Measured::not_measurable(reason),
                None => compare(&with, &without),
            };
            rows.push(OutcomeRow {
                item,
                metric,
                songs_with: with.len(),
                songs_without: without.len(),
                songs_without_data,
                comparison,
            });
        }
    }
    rows
}

fn compare(with: &[f64], without: &[f64]) -> Measured<Comparison> {
    if with.len() < MIN_SONGS_A_SIDE || without.len() < MIN_SONGS_A_SIDE {
        return Measured::not_measurable(format!(
            "too few songs ({} with, {} without; {MIN_SONGS_A_SIDE} a side needed)",
            with.len(),
            without.len()
        ));
    }
    let mean_with = mean(with);
    let mean_without = mean(without);
    Measured::Measured(Comparison {
        mean_with,
        mean_without,
        difference: mean_with - mean_without,
        interval: bootstrap_interval(with, without),
    })
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// The 2.5th and 97.5th percentiles of the resampled differences of means.
fn bootstrap_interval(with: &[f64], without: &[f64]) -> (f64, f64) {
    let mut random = SplitMix64::new(BOOTSTRAP_SEED);
    let mut resample_mean = |values: &[f64]| {
        (0..values.len()).map(|_| values[random.index(values.len())]).sum::<f64>() / values.len() as f64
    };
    let mut differences: Vec<f64> =
        (0..BOOTSTRAP_RESAMPLES).map(|_| resample_mean(with) - resample_mean(without)).collect();
    differences.sort_by(f64::total_cmp);
    let at = |share: f64| differences[(share * (differences.len() - 1) as f64).round() as usize];
    (at(0.025), at(0.975))
}
