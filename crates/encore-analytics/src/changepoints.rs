//! Changepoints of a daily series by PELT (Killick, Fearnhead, Eckley 2012), and the peaks they
//! delimit.
//!
//! Method:
//! - cost of a segment: the sum of squared deviations from its mean (a change in mean, Gaussian
//!   noise), on the log scale, so a doubling is the same step at any level;
//! - penalty per changepoint, chosen automatically: `2 · σ² · ln n` (BIC-like), where `σ` is the
//!   noise's standard deviation estimated robustly from the first differences,
//!   `σ = 1.4826 · MAD(Δx) / √2`, so a slow trend or the steps themselves do not inflate it;
//! - PELT: optimal partitioning with pruning of the candidate last changepoints that can no longer
//!   be optimal; exact, and linear in `n` when changes are spread;
//! - peaks: a segment whose mean is above both neighbours' (the first and last segments need only
//!   their one neighbour) by more than the penalty's step (`2σ`), at its highest day.

/// The automatic penalty for a series of log values: `2 · σ² · ln n`.
pub fn automatic_penalty(logs: &[f64]) -> f64 {
    let sigma = robust_sigma(logs);
    2.0 * sigma * sigma * (logs.len().max(2) as f64).ln()
}

/// `1.4826 · MAD(Δx) / √2`: the noise's standard deviation from first differences.
pub fn robust_sigma(values: &[f64]) -> f64 {
    let mut differences: Vec<f64> = values.windows(2).map(|pair| pair[1] - pair[0]).collect();
    if differences.is_empty() {
        return 0.0;
    }
    let median = median_of(&mut differences);
    let mut deviations: Vec<f64> = differences.iter().map(|difference| (difference - median).abs()).collect();
    1.4826 * median_of(&mut deviations) / std::f64::consts::SQRT_2
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

/// The starts of the segments after the first (the changepoints), by PELT with `penalty` and the
/// change-in-mean cost (the residual sum of squares about each segment's mean); the general
/// detector is [`crate::detect`].
pub fn pelt(values: &[f64], penalty: f64, min_segment: usize) -> Vec<usize> {
    let count = values.len();
    let mut sums = vec![0.0; count + 1];
    let mut squares = vec![0.0; count + 1];
    for (index, value) in values.iter().enumerate() {
        sums[index + 1] = sums[index] + value;
        squares[index + 1] = squares[index] + value * value;
    }
    let cost = |start: usize, end: usize| {
        let length = (end - start) as f64;
        let sum = sums[end] - sums[start];
        squares[end] - squares[start] - sum * sum / length
    };
    crate::pelt::pelt_by(count, cost, penalty, min_segment)
}

/// The peak days of a positive daily series: see the module documentation.
pub fn changepoint_peaks(values: &[f64]) -> Vec<usize> {
    let logs: Vec<f64> = values.iter().map(|value| value.max(1e-9).ln()).collect();
    let penalty = automatic_penalty(&logs);
    let step = 2.0 * robust_sigma(&logs);
    let mut bounds = vec![0];
    bounds.extend(pelt(&logs, penalty, 2));
    bounds.push(logs.len());
    let segments: Vec<(usize, usize, f64)> = bounds
        .windows(2)
        .map(|pair| (pair[0], pair[1], logs[pair[0]..pair[1]].iter().sum::<f64>() / (pair[1] - pair[0]) as f64))
        .collect();
    let mut peaks = Vec::new();
    for (index, (start, end, mean)) in segments.iter().enumerate() {
        let above_left = index == 0 || *mean > segments[index - 1].2 + step;
        let above_right = index + 1 == segments.len() || *mean > segments[index + 1].2 + step;
        if above_left && above_right && segments.len() > 1 {
            let highest = (*start..*end).fold(*start, |best, day| if logs[day] > logs[best] { day } else { best });
            peaks.push(highest);
        }
    }
    peaks
}

/// Precision, recall and F1 of `found` peaks against `truth`, a found peak matching an unmatched
/// true one within `tolerance` days.
pub fn peak_f1(found: &[usize], truth: &[usize], tolerance: usize) -> (f64, f64, f64) {
    let mut used = vec![false; truth.len()];
    let mut hits = 0;
    for day in found {
        if let Some(index) = (0..truth.len()).find(|index| !used[*index] && truth[*index].abs_diff(*day) <= tolerance) {
            used[index] = true;
            hits += 1;
        }
    }
    let precision = if found.is_empty() { 0.0 } else { hits as f64 / found.len() as f64 };
    let recall = if truth.is_empty() { 0.0 } else { hits as f64 / truth.len() as f64 };
    let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
    (precision, recall, f1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::{generate, peaks_case};

    #[test]
    fn pelt_finds_clean_steps_exactly() {
        let mut values = vec![0.0; 50];
        values.extend(vec![5.0; 30]);
        values.extend(vec![1.0; 40]);
        assert_eq!(pelt(&values, 1.0, 2), [50, 80]);
        assert_eq!(pelt(&[1.0; 40], 1.0, 2), Vec::<usize>::new());
    }

    #[test]
    fn the_robust_sigma_ignores_steps() {
        let mut random = crate::synthetic::SplitMix64::new(4);
        let mut values: Vec<f64> = (0..400).map(|_| 0.1 * random.normal()).collect();
        for value in values.iter_mut().skip(200) {
            *value += 10.0;
        }
        assert!((robust_sigma(&values) - 0.1).abs() < 0.015, "{}", robust_sigma(&values));
    }

    #[test]
    fn injected_peaks_are_found_with_a_high_f1() {
        let mut total = 0.0;
        for seed in 0..10 {
            let truth = peaks_case(seed);
            let found = changepoint_peaks(&generate(&truth, seed));
            let days: Vec<usize> = truth.peaks.iter().map(|(day, _, _)| *day).collect();
            total += peak_f1(&found, &days, 7).2;
        }
        assert!(total / 10.0 > 0.9, "mean F1 {}", total / 10.0);
    }

    #[test]
    fn f1_counts_each_true_peak_once() {
        assert_eq!(peak_f1(&[10, 11, 50], &[10, 90], 3), (1.0 / 3.0, 0.5, 0.4));
    }
}
