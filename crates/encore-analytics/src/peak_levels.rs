//! Levels of one long chart run by PELT: where a new climb starts and which climbs are peaks.
//!
//! The run's scores (0-100) are cut into levels by [`crate::changepoints::pelt`] with a change in
//! mean cost and the automatic penalty `2 · σ² · ln n`, `σ` the run's own noise from the MAD of
//! its first differences ([`crate::changepoints::robust_sigma`]), never below one rank's step of the
//! chart (`100 / size`), since ranks are whole numbers. Nothing is tuned per song.

use crate::changepoints::{pelt, robust_sigma};

/// The shortest run, in chart issues, cut into levels: shorter ones give no noise estimate.
pub const MIN_CHANGEPOINT_RUN: usize = 10;
/// The least step, in index points, between a level and its neighbours for the level to be a
/// peak: a fixed floor under the noise-scaled `2σ`, so a very quiet run's small steps stay wiggles.
pub const MIN_CHANGEPOINT_STEP: f64 = 10.0;
/// The shortest level, in chart issues: one issue is an outlier, not a level.
const MIN_LEVEL: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Level {
    start: usize,
    end: usize,
    mean: f64,
}

/// The levels of a run and the step that separates them.
#[derive(Debug, Clone, PartialEq)]
pub struct RunLevels {
    levels: Vec<Level>,
    step: f64,
}

impl RunLevels {
    /// `None` for a run shorter than [`MIN_CHANGEPOINT_RUN`].
    pub fn of(scores: &[f64], rank_step: f64) -> Option<RunLevels> {
        if scores.len() < MIN_CHANGEPOINT_RUN {
            return None;
        }
        let sigma = robust_sigma(scores).max(rank_step);
        let penalty = 2.0 * sigma * sigma * (scores.len() as f64).ln();
        let mut bounds = vec![0];
        bounds.extend(pelt(scores, penalty, MIN_LEVEL));
        bounds.push(scores.len());
        let levels = bounds
            .windows(2)
            .map(|pair| Level {
                start: pair[0],
                end: pair[1],
                mean: scores[pair[0]..pair[1]].iter().sum::<f64>() / (pair[1] - pair[0]) as f64,
            })
            .collect();
        Some(RunLevels { levels, step: (2.0 * sigma).max(MIN_CHANGEPOINT_STEP) })
    }

    /// The index of the level holding issue `index`.
    pub fn level_of(&self, index: usize) -> usize {
        self.levels.iter().position(|level| index < level.end).unwrap_or(self.levels.len().saturating_sub(1))
    }

    /// Where the climb to the issue at `index` started: walking back from its level while the
    /// level before is lower, the first issue after the lowest level reached, when that level lies
    /// inside the run and is at least a step below. `None` when the climb goes back to the run's
    /// first level (the song climbed from its entry: the caller's own rule applies).
    pub fn climb_start(&self, index: usize) -> Option<usize> {
        let peak_level = self.level_of(index);
        let mut lowest = peak_level;
        while lowest > 0 && self.levels[lowest - 1].mean < self.levels[lowest].mean {
            lowest -= 1;
        }
        let climbed = self.levels[peak_level].mean - self.levels[lowest].mean;
        if lowest == 0 || lowest == peak_level || climbed < self.step {
            return None;
        }
        Some(self.levels[lowest].end)
    }

    /// Levels above each neighbour by the step (the first and last need only their one
    /// neighbour), each as its highest issue.
    pub fn peaks(&self, scores: &[f64]) -> Vec<usize> {
        if self.levels.len() < 2 {
            return Vec::new();
        }
        let mut peaks = Vec::new();
        for (position, level) in self.levels.iter().enumerate() {
            let above_left = position == 0 || level.mean >= self.levels[position - 1].mean + self.step;
            let above_right =
                position + 1 == self.levels.len() || level.mean >= self.levels[position + 1].mean + self.step;
            if above_left && above_right {
                let highest =
                    (level.start..level.end)
                        .fold(level.start, |best, index| if scores[index] > scores[best] { index } else { best });
                peaks.push(highest);
            }
        }
        peaks
    }
}
