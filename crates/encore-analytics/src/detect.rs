//! Changepoints of any numeric series: where its mean, its trend or its variance changes, and
//! a summary of each segment between them.
//!
//! Method: exact segmentation by PELT (Killick, Fearnhead, Eckley 2012) with one of three
//! segment costs ([`Cost`]: `mean`, `meanvar`, `linear`; each O(1) from prefix sums), a penalty
//! per changepoint and a least segment length. Both the cost and the penalty may be given or
//! left to the default.
//!
//! The default rule (`Settings::default()`: cost and penalty automatic, segments ≥ 2 points),
//! the same for every series, Encore's daily counts and chart runs as much as any other:
//! 1. for each cost, every segmentation that PELT gives for some penalty is found (CROPS, the
//!    penalty path);
//! 2. of all of them, across the three costs, the one with the least information criterion
//!    `GIC = −2 ln L̂ + w · p · ln n` is kept, where `L̂` is the Gaussian likelihood with the fitted
//!    means, slopes and variances (one variance for the series under `mean` and `linear`, one per
//!    segment under `meanvar`), `p` counts the parameters (a mean per segment, plus a slope or a
//!    variance per segment, plus each changepoint's place, plus the shared variance) and `n` is
//!    the series' length. That is BIC with each parameter weighted `w` times;
//! 3. the weight ([`criterion_weight`]) is how much the noise's dependence overstates the
//!    information in `n` points: BIC assumes independent noise, and on series whose noise is
//!    autocorrelated, as real series' is, it over-segments. Noise with lag-one correlation `φ`
//!    (AR(1)) carries what `n · (1 − φ) / (1 + φ)` independent points would, so
//!    `w = (1 + φ) / (1 − φ)`, `φ` measured from the robust spreads of the differences at lags one
//!    and two, kept between 0 (`w = 1`, BIC) and 0.6 (`w = 4`). Below
//!    [`MIN_DEPENDENCE_POINTS`] (40) values, or when over half the first differences are one value
//!    (flat or exactly repeated stretches), `φ` cannot be measured and the noise is taken as
//!    independent (`w = 1`);
//! 4. no variance, fitted or shared, is taken below 1 % of the series' own variance, so a fit
//!    that explains 99 % of the series gains nothing by explaining more.
//!
//! The path is searched only where the criterion's choice can lie (`automatic_candidates`): under
//! `meanvar` the criterion is PELT's own objective with the penalty `3 · w · ln n`, and under
//! `mean` and `linear` the choice lies between the penalties `w · (p + 1) · ln n` times the
//! variance floor and times the series' variance.
//!
//! On the 25 univariate real series of the Turing Change Point Dataset this default scores a mean
//! F1 of 0.808 and a mean cover of 0.724 (`benches/tcpd.rs`; R `changepoint`'s PELT with its
//! defaults: 0.684 and 0.656; a fixed weight of 4, the former default: 0.799 and 0.724). On the 40
//! seeded peak series of `benches/accuracy.rs` (independent noise, on the log scale, peaks by
//! [`peaks_of`]) it finds the injected peaks with an F1 of 0.991 within 7 days, where the fixed
//! weight 4 missed the low ones (0.938). The cap 4, the floor 1 % and the 40 points were chosen
//! with those same series and the report's peak tests in view, so these figures are in-sample.
//! Near them: with the cap at 3 to 5 the F1 is 0.795 to 0.818 and the cover 0.711 to 0.731; with
//! the floor at 0.5 % to 3 %, 0.786 to 0.812 and 0.702 to 0.731; with the least length for `φ`
//! anywhere from 20 to 55 points, 0.802 to 0.811 and 0.720 to 0.726 (at 60, a cover of 0.709).
//! The peak F1 stays 0.991 throughout.
//!
//! A penalty given as a number is in the units of the cost: squared units of the series for
//! `mean` and `linear`, twice the negative log-likelihood for `meanvar` (with the cost left to
//! the default, each cost runs with that number and the criterion picks among the three).
//!
//! Time: a given cost and penalty is one PELT run, linear in `n` when changes are spread (10⁶
//! points in well under a second, `benches/pelt_vs_ruptures.py`). The default runs PELT along the
//! path, and at its high penalties PELT prunes little, so it grows up to `n²`: the 25 TCPD series
//! (15 to 816 points) take 0.1 to 0.2 s in all, a chart run of 365 issues about 5 ms. A 10⁴-point
//! series with 35 level shifts in independent noise takes 5 to 11 s on a busy 2-core machine: its
//! weight is near 1, and the path down to that weight's penalties holds more segmentations than
//! under the fixed weight 4 of before (2.5 s there at the same time). For much longer series, give
//! a cost and a penalty.

pub use crate::detect_peaks::peaks_of;
use crate::pelt::{pelt_by, penalty_path, segment_bounds, total_cost, PathPoint};
pub use crate::segment_cost::Cost;
use crate::segment_cost::SegmentCost;

/// The most weight of each parameter in the default information criterion, in units of BIC's
/// `ln n`: the weight of strongly dependent noise (see [`criterion_weight`]).
pub const MAX_CRITERION_WEIGHT: f64 = 4.0;
/// The least variance, fitted or shared, as a share of the series' own variance.
pub const VARIANCE_FLOOR_SHARE: f64 = 0.01;
/// The fewest values from which the default measures how dependent the noise is: with independent
/// noise the estimate's standard deviation is about 0.6 at 40 points and 0.5 at 50 (simulated),
/// already the whole range 0 to 0.6 it decides between, and more below.
pub const MIN_DEPENDENCE_POINTS: usize = 40;
/// The least segment length of the default.
pub const DEFAULT_MIN_SEGMENT: usize = 2;

/// The penalty per changepoint.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Penalty {
    /// Chosen by the information criterion over the penalty path (see the module documentation).
    Auto,
    /// This penalty, in the units of the cost.
    Value(f64),
}

/// How to detect: the cost (`None`: chosen by the information criterion), the penalty and the
/// least segment length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub cost: Option<Cost>,
    pub penalty: Penalty,
    pub min_segment: usize,
}

impl Default for Settings {
    /// The default rule of the module documentation.
    fn default() -> Settings {
        Settings { cost: None, penalty: Penalty::Auto, min_segment: DEFAULT_MIN_SEGMENT }
    }
}

/// One segment `start..end` and its fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub start: usize,
    /// One past the segment's last index: the next segment's start.
    pub end: usize,
    pub mean: f64,
    /// The least-squares slope per index, under the `linear` cost.
    pub slope: Option<f64>,
    /// The variance of the values about the segment's fit (its mean, or its line).
    pub variance: f64,
}

/// The changepoints found and the segments between them.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// The cost used, given or chosen.
    pub cost: Cost,
    /// The start of every segment after the first, ascending.
    pub changepoints: Vec<usize>,
    pub segments: Vec<Segment>,
}

/// The changepoints of `values` under `settings`; `None` when a value is not finite.
pub fn detect(values: &[f64], settings: &Settings) -> Option<Detection> {
    if values.iter().any(|value| !value.is_finite()) {
        return None;
    }
    let count = values.len();
    let min_segment = settings.min_segment.max(1);
    let variance = population_variance(values);
    let costs: Vec<Cost> = settings.cost.map_or(Cost::ALL.to_vec(), |cost| vec![cost]);
    if count < min_segment.saturating_mul(2) || variance <= 0.0 {
        let cost = costs[0];
        return Some(summarise(values, cost, Vec::new(), variance.max(f64::MIN_POSITIVE)));
    }
    let floor = VARIANCE_FLOOR_SHARE * variance;
    let weight = criterion_weight(values);
    let mut best: Option<(f64, Cost, Vec<usize>)> = None;
    for cost in costs {
        let segment_cost = SegmentCost::new(cost, values, floor);
        let of = |start: usize, end: usize| segment_cost.of(start, end);
        let candidates = match settings.penalty {
            Penalty::Value(penalty) => {
                let changepoints = pelt_by(count, of, penalty, min_segment);
                let total = total_cost(&changepoints, count, of);
                vec![PathPoint { changepoints, cost: total }]
            }
            Penalty::Auto => automatic_candidates(cost, of, count, variance, weight, min_segment),
        };
        for candidate in candidates {
            let score = criterion(cost, &candidate, count, floor, weight);
            if best.as_ref().is_none_or(|(best_score, _, _)| score < *best_score) {
                best = Some((score, cost, candidate.changepoints));
            }
        }
    }
    let (_, cost, changepoints) = best?;
    Some(summarise(values, cost, changepoints, floor))
}

/// The segmentations of one cost among which the criterion's choice lies.
///
/// Under `meanvar` the cost is the likelihood, so the criterion is the penalised cost with the
/// penalty `weight · 3 · ln n` per changepoint (mean, variance and place) plus a constant: one
/// PELT run gives its choice. Under `mean` and `linear` (`p + 1` parameters per changepoint), by
/// the criterion, the segmentation optimal at the penalty `weight · (p + 1) · floor · ln n` is no
/// worse than any finer one, and the one optimal at `weight · (p + 1) · Var · ln n` no worse than
/// any coarser one when its shared variance is above the floor (`n · ln` of a ratio of variances
/// lies between the difference of the sums of squares over the larger and over the smaller
/// variance). So the penalty path between those two holds the choice; it goes on up to the whole
/// series' sum of squares (no changepoint) only when its coarsest segmentation is already under
/// the floor.
fn automatic_candidates(
    cost: Cost,
    of: impl Fn(usize, usize) -> f64 + Copy,
    count: usize,
    variance: f64,
    weight: f64,
    min_segment: usize,
) -> Vec<PathPoint> {
    let log_count = (count as f64).ln();
    let per_changepoint = weight * (cost.parameters_per_segment() + 1) as f64 * log_count;
    if !cost.is_sum_of_squares() {
        let changepoints = pelt_by(count, of, per_changepoint, min_segment);
        let total = total_cost(&changepoints, count, of);
        return vec![PathPoint { changepoints, cost: total }];
    }
    let floor = VARIANCE_FLOOR_SHARE * variance;
    let (lowest, highest) = (per_changepoint * floor, per_changepoint * variance);
    let mut candidates = penalty_path(count, of, lowest, highest, min_segment);
    let coarsest_under_floor = candidates.first().is_some_and(|coarsest| coarsest.cost < count as f64 * floor);
    let whole = count as f64 * variance * (1.0 + 1e-9);
    if coarsest_under_floor && whole > highest {
        let fewest = candidates[0].changepoints.len();
        let coarser = penalty_path(count, of, highest, whole, min_segment);
        candidates.extend(coarser.into_iter().filter(|point| point.changepoints.len() < fewest));
        candidates.sort_by_key(|point| point.changepoints.len());
    }
    candidates
}

/// `−2 ln L̂ + weight · p · ln n`, without the constants common to every segmentation.
fn criterion(cost: Cost, candidate: &PathPoint, count: usize, floor: f64, weight: f64) -> f64 {
    let segments = candidate.changepoints.len() + 1;
    let length = count as f64;
    let (likelihood, parameters) = match cost {
        Cost::MeanVar => (candidate.cost, 3 * segments - 1),
        Cost::Mean | Cost::Linear => {
            let shared = (candidate.cost / length).max(floor);
            let per_segment = cost.parameters_per_segment();
            (length * shared.ln(), (per_segment + 1) * segments)
        }
    };
    likelihood + weight * parameters as f64 * length.ln()
}

fn summarise(values: &[f64], cost: Cost, changepoints: Vec<usize>, floor: f64) -> Detection {
    let segment_cost = SegmentCost::new(cost, values, floor);
    let segments = segment_bounds(&changepoints, values.len())
        .map(|(start, end)| {
            let slope = (cost == Cost::Linear).then(|| segment_cost.sums().line(start, end).0);
            Segment {
                start,
                end,
                mean: segment_cost.sums().mean(start, end),
                slope,
                variance: segment_cost.residuals(start, end) / (end - start) as f64,
            }
        })
        .collect();
    Detection { cost, changepoints, segments }
}

/// The weight of each parameter in the default criterion, in units of BIC's `ln n`: the factor
/// `(1 + φ) / (1 − φ)` by which noise with lag-one correlation `φ` (AR(1)) overstates the
/// information in its points, `φ` from [`noise_correlation`] kept between 0 (BIC itself) and the
/// correlation that gives [`MAX_CRITERION_WEIGHT`]. A series of fewer than
/// [`MIN_DEPENDENCE_POINTS`] values, or whose first differences mostly repeat one value (so their
/// spread is nil), is taken as independent noise: weight 1.
pub fn criterion_weight(values: &[f64]) -> f64 {
    if values.len() < MIN_DEPENDENCE_POINTS {
        return 1.0;
    }
    let most_correlation = (MAX_CRITERION_WEIGHT - 1.0) / (MAX_CRITERION_WEIGHT + 1.0);
    match noise_correlation(values) {
        Some(correlation) => {
            let correlation = correlation.clamp(0.0, most_correlation);
            (1.0 + correlation) / (1.0 - correlation)
        }
        None => 1.0,
    }
}

/// The noise's lag-one correlation as AR(1) gives it from the spreads of the differences at lags
/// one and two, `Var(x₊₂ − x) / Var(x₊₁ − x) − 1` (`2σ²(1 − φ²)` over `2σ²(1 − φ)`), each spread
/// robust (the MAD about the median difference), so the few differences across a changepoint or a
/// peak, and a steady trend, barely move it. A random walk or a trend that wanders gives 1 or
/// more. `None` when the lag-one spread is zero.
fn noise_correlation(values: &[f64]) -> Option<f64> {
    let lag_one = difference_variance(values, 1);
    let lag_two = difference_variance(values, 2);
    (lag_one > 0.0).then(|| lag_two / lag_one - 1.0)
}

/// `1.4826 · MAD(Δx) / √2`: the noise's standard deviation from the first differences, robust to
/// the steps and slow trends the differences also hold.
pub fn robust_sigma(values: &[f64]) -> f64 {
    (difference_variance(values, 1) / 2.0).sqrt()
}

/// `(1.4826 · MAD)²` of the differences `x[i + lag] − x[i]`: their variance, robustly; 0 with no
/// difference.
fn difference_variance(values: &[f64], lag: usize) -> f64 {
    let mut differences: Vec<f64> = values.windows(lag + 1).map(|window| window[lag] - window[0]).collect();
    if differences.is_empty() {
        return 0.0;
    }
    let median = median_of(&mut differences);
    let mut deviations: Vec<f64> = differences.iter().map(|difference| (difference - median).abs()).collect();
    let spread = 1.4826 * median_of(&mut deviations);
    spread * spread
}

fn median_of(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    }
}

fn population_variance(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let count = values.len() as f64;
    let mean = values.iter().sum::<f64>() / count;
    values.iter().map(|value| (value - mean) * (value - mean)).sum::<f64>() / count
}

#[cfg(test)]
#[path = "detect_tests.rs"]
mod tests;
