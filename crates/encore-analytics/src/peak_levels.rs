//! Levels of one long chart run by Encore's default changepoint detector: where a new climb starts
//! and which climbs are peaks.
//!
//! The run's scores (0-100) are cut into levels by [`crate::detect::detect`] with
//! [`Settings::default`], the very rule that serves any series and the Turing Change Point
//! Dataset (PELT along each cost's penalty path, the least information criterion, each parameter
//! weighted by how dependent the run's noise is). A run of fewer than 40 issues, or one that holds
//! its rank from one issue to the next more often than not, gives no measure of that dependence:
//! each parameter then weighs as in BIC, so a sustained climb of a few issues is a level. A longer
//! run that moves at every issue weighs them by its noise's dependence, up to four times.
//!
//! On the scores themselves, not their logs as for daily counts ([`crate::changepoints`]): a song
//! low in a chart moves by more places from issue to issue than one near the top, so the noise
//! shrinks as the score rises, and a log would blow it up at the chart's foot (ranks 90 and 70 of
//! 100 are scores 11 and 31) where counts' logs even it out.
//!
//! The peaks are [`crate::detect::peaks_of`]'s rule with one change: the step is
//! `max(2σ, MIN_CHANGEPOINT_STEP)`, `σ` the run's own noise from the MAD of its first differences,
//! never below one rank's step of the chart (`100 / size`), since ranks are whole numbers and a
//! quiet run's small steps are wiggles. Nothing is tuned per song.
//!
//! A level is a segment of the detection; a line's level where levels are compared is its summit
//! (its higher end) and its floor (its lower end), as in [`crate::detect_peaks`].

use crate::detect::{detect, robust_sigma, Detection, Settings};
use crate::detect_peaks::{floor, peaks_above, summit};

/// The shortest run, in chart issues, cut into levels: shorter ones give no noise estimate.
pub const MIN_CHANGEPOINT_RUN: usize = 10;
/// The least step, in index points, between a level and its neighbours for the level to be a
/// peak: a fixed floor under the noise-scaled `2σ`, so a very quiet run's small steps stay wiggles.
pub const MIN_CHANGEPOINT_STEP: f64 = 10.0;

/// The levels of a run and the step that separates them.
#[derive(Debug, Clone, PartialEq)]
pub struct RunLevels {
    detection: Detection,
    step: f64,
}

impl RunLevels {
    /// `None` for a run shorter than [`MIN_CHANGEPOINT_RUN`] or with a score that is not finite.
    pub fn of(scores: &[f64], rank_step: f64) -> Option<RunLevels> {
        if scores.len() < MIN_CHANGEPOINT_RUN {
            return None;
        }
        let detection = detect(scores, &Settings::default())?;
        let sigma = robust_sigma(scores).max(rank_step);
        Some(RunLevels { detection, step: (2.0 * sigma).max(MIN_CHANGEPOINT_STEP) })
    }

    /// The index of the level holding issue `index`.
    pub fn level_of(&self, index: usize) -> usize {
        let levels = &self.detection.segments;
        levels.iter().position(|level| index < level.end).unwrap_or(levels.len().saturating_sub(1))
    }

    /// Where the climb to the issue at `index` started: walking back from its level while the
    /// level before has a lower summit, the first issue after the level reached, when that level
    /// lies inside the run and its floor is at least a step below the peak's summit. `None` when
    /// the climb goes back to the run's first level (the song climbed from its entry: the caller's
    /// own rule applies).
    pub fn climb_start(&self, index: usize) -> Option<usize> {
        let levels = &self.detection.segments;
        let peak_level = self.level_of(index);
        let peak = levels.get(peak_level)?;
        let mut lowest = peak_level;
        while lowest > 0 && summit(&levels[lowest - 1]) < summit(&levels[lowest]) {
            lowest -= 1;
        }
        let climbed = summit(peak) - floor(&levels[lowest]);
        if lowest == 0 || lowest == peak_level || climbed < self.step {
            return None;
        }
        Some(levels[lowest].end)
    }

    /// The peaks of [`crate::detect::peaks_of`]'s rule with this run's step, each as its highest
    /// issue.
    pub fn peaks(&self, scores: &[f64]) -> Vec<usize> {
        peaks_above(scores, &self.detection, self.step)
    }
}
