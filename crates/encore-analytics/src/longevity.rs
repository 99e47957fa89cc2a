//! Longevity after the finale: how fast a song's attention decays, how long it stays high, and how
//! often it comes back.
//!
//! Method:
//! - Decay fit: on the points from the finale on (day `t` since the finale, value `y`), the curve
//!   `y ≈ b + A·f(t; h)` with a baseline `b ≥ 0`, an amplitude `A > 0` and a half-life `h`, for two
//!   shapes of `f` ([`crate::synthetic::decay_factor`]): exponential `2^(−t/h)` and power law
//!   `(1 + t)^(−α)` with `α = ln 2 / ln(1 + h)`. The half-life is thus, for both, the days until the
//!   excess over the baseline halves. For a given `h` the fit is linear in `b` and `A`; it minimises
//!   relative squared error (weights `1/y²`, least squares on the log scale to first order), with
//!   `h` found on a log-spaced grid from 0.5 day to four times the window and refined by golden
//!   section. The shape with the lower AIC wins (both have three parameters, so: the lower error).
//!   A power law's long tail and the baseline are hard to tell apart over a few months: where the
//!   caller knows the baseline (the song before its rise), [`fit_decay`] takes it.
//! - Interval: a residual bootstrap ([`BOOTSTRAP_REPLICATES`] replicates drawn with the seeded
//!   [`SplitMix64`]): each replicate multiplies the fitted curve by resampled relative residuals
//!   and refits the chosen shape (its grid coarser: [`REFIT_GRID_STEPS`] steps, not
//!   [`GRID_STEPS`]); the 2.5th and 97.5th percentiles of the half-lives bound it. The replicates
//!   are drawn in order and refitted on every core.
//! - Days above a threshold: days after the finale whose value reaches the threshold.
//! - Re-entries: returns to the chart after the finale following an absence longer than
//!   [`REENTRY_GAP_DAYS`].

use chrono::NaiveDate;
use serde::Serialize;

use crate::attention::Point;
use crate::synthetic::{decay_factor, DecayShape, SplitMix64};

pub const BOOTSTRAP_REPLICATES: usize = 200;
/// Steps of the log-spaced grid a fit first seeks the half-life on, before golden section.
pub const GRID_STEPS: usize = 120;
/// The same for a bootstrap replicate: its data are the fit's, perturbed, so a coarser grid finds
/// the bracket of its minimum as surely, at a quarter of the cost.
pub const REFIT_GRID_STEPS: usize = 30;
/// An absence longer than this many days, followed by a return, is a re-entry.
pub const REENTRY_GAP_DAYS: i64 = 7;
/// Fewer points than this after the finale: no decay is fitted.
pub const MIN_FIT_POINTS: usize = 8;
/// Index points (0-100) a day must reach to count as a day above the threshold, by default.
pub const DEFAULT_THRESHOLD: f64 = 50.0;
/// How many days after the finale the decay is fitted over, by default.
pub const DEFAULT_WINDOW_DAYS: i64 = 365;
/// The default bootstrap seed: the same data always gives the same intervals.
pub const DEFAULT_SEED: u64 = 2022;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DecayFit {
    pub shape: DecayShape,
    pub baseline: f64,
    pub amplitude: f64,
    pub half_life_days: f64,
    /// Sum of squared relative residuals.
    pub relative_sse: f64,
    pub aic: f64,
    pub points: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Longevity {
    pub finale: NaiveDate,
    /// The better of the two shapes; `None` with fewer than [`MIN_FIT_POINTS`] points.
    pub fit: Option<DecayFit>,
    /// AIC of the other shape, to show how clear the choice was.
    pub other_shape_aic: Option<f64>,
    /// 95 % bootstrap interval of the half-life.
    pub half_life_interval: Option<(f64, f64)>,
    pub threshold: f64,
    pub days_above_threshold: usize,
    pub reentries: usize,
}

/// Fits one shape to `(days since the start, value)` points with positive values; with `baseline`
/// given (known from before the rise), only the amplitude and half-life are fitted.
pub fn fit_decay(points: &[(f64, f64)], shape: DecayShape, baseline: Option<f64>) -> Option<DecayFit> {
    fit_decay_on_grid(points, shape, baseline, GRID_STEPS)
}

/// [`fit_decay`] with the half-life first sought on a grid of `steps` steps.
fn fit_decay_on_grid(
    points: &[(f64, f64)],
    shape: DecayShape,
    baseline: Option<f64>,
    steps: usize,
) -> Option<DecayFit> {
    let usable: Vec<(f64, f64)> = points.iter().copied().filter(|(_, value)| *value > 0.0).collect();
    if usable.len() < MIN_FIT_POINTS {
        return None;
    }
    let problem = DecayProblem::new(&usable, shape);
    let span = usable.iter().map(|(day, _)| *day).fold(1.0_f64, f64::max);
    let (low, high) = (0.5_f64.ln(), (4.0 * span).ln());
    let grid: Vec<f64> = (0..=steps).map(|step| low + (high - low) * step as f64 / steps as f64).collect();
    let errors: Vec<f64> =
        grid.iter().map(|log_half_life| problem.linear_fit(log_half_life.exp(), baseline).2).collect();
    let best = (0..errors.len()).fold(0, |best, index| if errors[index] < errors[best] { index } else { best });
    let bracket_low = grid[best.saturating_sub(1)];
    let bracket_high = grid[(best + 1).min(steps)];
    let log_half_life =
        golden_section(bracket_low, bracket_high, |log_half_life| problem.linear_fit(log_half_life.exp(), baseline).2);
    let half_life_days = log_half_life.exp();
    let (fitted_baseline, amplitude, relative_sse) = problem.linear_fit(half_life_days, baseline);
    let count = usable.len() as f64;
    let aic = count * (relative_sse.max(1e-300) / count).ln() + 2.0 * if baseline.is_some() { 2.0 } else { 3.0 };
    Some(DecayFit {
        shape,
        baseline: fitted_baseline,
        amplitude,
        half_life_days,
        relative_sse,
        aic,
        points: usable.len(),
    })
}

/// Both shapes fitted; the better first.
pub fn fit_best_decay(points: &[(f64, f64)], baseline: Option<f64>) -> Option<(DecayFit, Option<DecayFit>)> {
    let exponential = fit_decay(points, DecayShape::Exponential, baseline);
    let power_law = fit_decay(points, DecayShape::PowerLaw, baseline);
    match (exponential, power_law) {
        (Some(first), Some(second)) if second.aic < first.aic => Some((second, Some(first))),
        (Some(first), second) => Some((first, second)),
        (None, Some(second)) => Some((second, None)),
        (None, None) => None,
    }
}

/// The 95 % residual-bootstrap interval of `fit`'s half-life over `points`.
/// A fit with a known baseline is refitted with the same baseline.
pub fn half_life_interval(
    points: &[(f64, f64)],
    fit: &DecayFit,
    known_baseline: bool,
    replicates: usize,
    seed: u64,
) -> Option<(f64, f64)> {
    let usable: Vec<(f64, f64)> = points.iter().copied().filter(|(_, value)| *value > 0.0).collect();
    let fitted: Vec<f64> = usable.iter().map(|(day, _)| curve(fit, *day)).collect();
    let residuals: Vec<f64> = usable.iter().zip(&fitted).map(|((_, value), model)| value / model - 1.0).collect();
    if residuals.is_empty() || replicates == 0 {
        return None;
    }
    let mut random = SplitMix64::new(seed);
    // Drawn in order from the seed, then refitted on every core: the same replicates whatever the
    // number of cores.
    let samples: Vec<Vec<(f64, f64)>> = (0..replicates)
        .map(|_| {
            usable
                .iter()
                .zip(&fitted)
                .map(|((day, _), model)| (*day, model * (1.0 + residuals[random.index(residuals.len())])))
                .collect()
        })
        .collect();
    let refit = |sample: &Vec<(f64, f64)>| {
        fit_decay_on_grid(sample, fit.shape, known_baseline.then_some(fit.baseline), REFIT_GRID_STEPS)
            .map(|refit| refit.half_life_days)
    };
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = samples.len().div_ceil(cores).max(1);
    let mut half_lives: Vec<f64> = std::thread::scope(|scope| {
        let workers: Vec<_> = samples
            .chunks(chunk)
            .map(|share| scope.spawn(move || share.iter().filter_map(refit).collect::<Vec<f64>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    half_lives.sort_by(f64::total_cmp);
    Some((percentile(&half_lives, 0.025)?, percentile(&half_lives, 0.975)?))
}

/// The longevity of a song's daily index after `finale`: see the module documentation.
/// `window_days` bounds the decay fit; `points` must be sorted by date.
pub fn longevity(points: &[Point], finale: NaiveDate, threshold: f64, window_days: i64, seed: u64) -> Longevity {
    let after: Vec<&Point> = points.iter().filter(|point| point.date >= finale).collect();
    let fit_points: Vec<(f64, f64)> = after
        .iter()
        .map(|point| ((point.date - finale).num_days() as f64, point.value))
        .filter(|(day, _)| *day <= window_days as f64)
        .collect();
    let estimate = decay_estimate(&fit_points, None, seed);
    let days_above_threshold = after.iter().filter(|point| point.date > finale && point.value >= threshold).count();
    let mut reentries = 0;
    for pair in points.windows(2) {
        if pair[1].date > finale && (pair[1].date - pair[0].date).num_days() > REENTRY_GAP_DAYS {
            reentries += 1;
        }
    }
    Longevity {
        finale,
        fit: estimate.as_ref().map(|estimate| estimate.fit),
        other_shape_aic: estimate.as_ref().and_then(|estimate| estimate.other_shape.map(|other| other.aic)),
        half_life_interval: estimate.and_then(|estimate| estimate.half_life_interval),
        threshold,
        days_above_threshold,
        reentries,
    }
}

fn curve(fit: &DecayFit, day: f64) -> f64 {
    fit.baseline + fit.amplitude * decay_factor(fit.shape, fit.half_life_days, day)
}

impl DecayFit {
    /// The fitted curve's value `day` days after the start.
    pub fn value_at(&self, day: f64) -> f64 {
        curve(self, day)
    }
}

/// A decay fitted to any series: the better shape, the other one, and the half-life's interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DecayEstimate {
    pub fit: DecayFit,
    pub other_shape: Option<DecayFit>,
    /// 95 % bootstrap interval of the half-life, from [`BOOTSTRAP_REPLICATES`] replicates.
    pub half_life_interval: Option<(f64, f64)>,
}

/// Both shapes fitted to `(days since the start, value)` points, the better kept with its
/// bootstrap interval (seeded by `seed`); `baseline` as in [`fit_decay`]. `None` with fewer than
/// [`MIN_FIT_POINTS`] positive points.
pub fn decay_estimate(points: &[(f64, f64)], baseline: Option<f64>, seed: u64) -> Option<DecayEstimate> {
    let (fit, other_shape) = fit_best_decay(points, baseline)?;
    let half_life_interval = half_life_interval(points, &fit, baseline.is_some(), BOOTSTRAP_REPLICATES, seed);
    Some(DecayEstimate { fit, other_shape, half_life_interval })
}

/// The points of one fit with what every trial half-life needs computed once: a fit tries some
/// 160 half-lives, and a bootstrap refits 200 times.
struct DecayProblem {
    shape: DecayShape,
    days: Vec<f64>,
    values: Vec<f64>,
    /// `1/y²`: the weights of relative squared error.
    weights: Vec<f64>,
    /// `ln(1 + t)`, the power law's exponent's factor.
    log_days: Vec<f64>,
}

impl DecayProblem {
    fn new(points: &[(f64, f64)], shape: DecayShape) -> DecayProblem {
        DecayProblem {
            shape,
            days: points.iter().map(|(day, _)| *day).collect(),
            values: points.iter().map(|(_, value)| *value).collect(),
            weights: points.iter().map(|(_, value)| 1.0 / (value * value)).collect(),
            log_days: points.iter().map(|(day, _)| day.ln_1p()).collect(),
        }
    }

    /// [`decay_factor`] at every point for `half_life`, as one exponential each.
    fn factors(&self, half_life: f64) -> Vec<f64> {
        match self.shape {
            DecayShape::Exponential => {
                let rate = -std::f64::consts::LN_2 / half_life;
                self.days.iter().map(|day| (rate * day).exp()).collect()
            }
            DecayShape::PowerLaw => {
                let exponent = -std::f64::consts::LN_2 / half_life.ln_1p();
                self.log_days.iter().map(|log_day| (exponent * log_day).exp()).collect()
            }
        }
    }

    /// `(baseline, amplitude, relative SSE)` of the best `b + A·f` for a fixed half-life, with
    /// `b ≥ 0` and `A ≥ 0`.
    fn linear_fit(&self, half_life: f64, known_baseline: Option<f64>) -> (f64, f64, f64) {
        let factors = self.factors(half_life);
        let (mut sum_w, mut sum_wf, mut sum_wff, mut sum_wy, mut sum_wfy) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for ((weight, factor), value) in self.weights.iter().zip(&factors).zip(&self.values) {
            sum_w += weight;
            sum_wf += weight * factor;
            sum_wff += weight * factor * factor;
            sum_wy += weight * value;
            sum_wfy += weight * factor * value;
        }
        let determinant = sum_w * sum_wff - sum_wf * sum_wf;
        let (mut baseline, mut amplitude) = if determinant.abs() > 1e-12 {
            ((sum_wff * sum_wy - sum_wf * sum_wfy) / determinant, (sum_w * sum_wfy - sum_wf * sum_wy) / determinant)
        } else {
            (sum_wy / sum_w, 0.0)
        };
        if let Some(known) = known_baseline {
            baseline = known;
            amplitude = if sum_wff > 0.0 { (sum_wfy - known * sum_wf) / sum_wff } else { 0.0 };
        } else if baseline < 0.0 {
            baseline = 0.0;
            amplitude = if sum_wff > 0.0 { sum_wfy / sum_wff } else { 0.0 };
        }
        if amplitude < 0.0 {
            amplitude = 0.0;
            baseline = known_baseline.unwrap_or(sum_wy / sum_w);
        }
        let sse = factors
            .iter()
            .zip(&self.values)
            .map(|(factor, value)| {
                let relative = (value - baseline - amplitude * factor) / value;
                relative * relative
            })
            .sum();
        (baseline, amplitude, sse)
    }
}

/// The minimum of a unimodal `error` on `[low, high]`, each step reusing one of the last two
/// evaluations.
fn golden_section(mut low: f64, mut high: f64, error: impl Fn(f64) -> f64) -> f64 {
    let ratio = (5.0_f64.sqrt() - 1.0) / 2.0;
    let mut left = high - ratio * (high - low);
    let mut right = low + ratio * (high - low);
    let (mut left_error, mut right_error) = (error(left), error(right));
    for _ in 0..40 {
        if left_error < right_error {
            high = right;
            (right, right_error) = (left, left_error);
            left = high - ratio * (high - low);
            left_error = error(left);
        } else {
            low = left;
            (left, left_error) = (right, right_error);
            right = low + ratio * (high - low);
            right_error = error(right);
        }
    }
    (low + high) / 2.0
}

/// The `quantile` of sorted values, by linear interpolation.
pub(crate) fn percentile(sorted: &[f64], quantile: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let position = quantile.clamp(0.0, 1.0) * last as f64;
    let below = position.floor() as usize;
    let above = (below + 1).min(last);
    Some(sorted[below] + (sorted[above] - sorted[below]) * (position - below as f64))
}

#[cfg(test)]
#[path = "longevity_tests.rs"]
mod tests;
