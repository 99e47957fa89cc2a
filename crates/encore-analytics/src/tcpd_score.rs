//! TCPDBench's two scores of detected changepoints against several annotators' (van den Burg &
//! Williams, "An Evaluation of Change Point Detection Algorithms", arXiv:2003.06222), as its
//! `metrics.py` defines them.
//!
//! Locations are 0-based indices, and the point 0 is added to every annotator's set and to the
//! prediction set.
//! - F1 with a margin: a true point is detected when an unused prediction lies within the margin;
//!   the closest is used (the smaller on a tie), so one prediction matches one true point.
//!   Precision is the share of predictions matching a point of the union of the annotators' sets,
//!   recall the mean over annotators of the share of their points matched, and
//!   `F1 = P·R / (½R + ½P)`.
//! - Cover: each list of changepoints cuts `0..n` into segments (a changepoint starts one); for
//!   one annotator's segments `A` and the predicted `B`,
//!   `C = (1/n) · Σ_{a∈A} |a| · max_{b∈B} |a∩b| / |a∪b|`; the score is the mean of `C` over the
//!   annotators.

use std::collections::BTreeSet;

/// TCPDBench's margin, in points.
pub const MARGIN: usize = 5;

/// The F1 score of `predictions` against `annotations` (one list per annotator).
pub fn f1_score(annotations: &[Vec<usize>], predictions: &[usize], margin: usize) -> f64 {
    let with_zero = |points: &[usize]| -> BTreeSet<usize> { points.iter().copied().chain([0]).collect() };
    let predicted = with_zero(predictions);
    let annotated: Vec<BTreeSet<usize>> = annotations.iter().map(|points| with_zero(points)).collect();
    if annotated.is_empty() {
        return 0.0;
    }
    let union: BTreeSet<usize> = annotated.iter().flatten().copied().collect();
    let precision = true_positives(&union, &predicted, margin) as f64 / predicted.len() as f64;
    let recall = annotated
        .iter()
        .map(|truth| true_positives(truth, &predicted, margin) as f64 / truth.len() as f64)
        .sum::<f64>()
        / annotated.len() as f64;
    precision * recall / (0.5 * recall + 0.5 * precision)
}

/// How many points of `truth` a distinct prediction lies within `margin` of, taking the true
/// points in order and each the closest prediction left.
fn true_positives(truth: &BTreeSet<usize>, predictions: &BTreeSet<usize>, margin: usize) -> usize {
    let mut left = predictions.clone();
    let mut hits = 0;
    for &point in truth {
        let window = point.saturating_sub(margin)..=point + margin;
        let closest = left.range(window).min_by_key(|prediction| (prediction.abs_diff(point), **prediction)).copied();
        if let Some(prediction) = closest {
            left.remove(&prediction);
            hits += 1;
        }
    }
    hits
}

/// The cover of `predictions` against `annotations` for a series of `count` points.
pub fn cover_score(annotations: &[Vec<usize>], predictions: &[usize], count: usize) -> f64 {
    if annotations.is_empty() || count == 0 {
        return 0.0;
    }
    let predicted = segments(predictions, count);
    let total: f64 = annotations
        .iter()
        .map(|points| {
            segments(points, count)
                .iter()
                .map(|&(start, end)| {
                    let best = predicted.iter().map(|&other| jaccard((start, end), other)).fold(0.0, f64::max);
                    (end - start) as f64 * best
                })
                .sum::<f64>()
                / count as f64
        })
        .sum();
    total / annotations.len() as f64
}

/// The segments `(start, end)` of `0..count` that `changepoints` start (0 and repeats add none).
fn segments(changepoints: &[usize], count: usize) -> Vec<(usize, usize)> {
    let cuts: BTreeSet<usize> = changepoints.iter().copied().filter(|&point| point > 0 && point < count).collect();
    let starts = std::iter::once(0).chain(cuts.iter().copied());
    let ends = cuts.iter().copied().chain(std::iter::once(count));
    starts.zip(ends).collect()
}

fn jaccard(first: (usize, usize), second: (usize, usize)) -> f64 {
    let overlap = first.1.min(second.1).saturating_sub(first.0.max(second.0));
    let union = (first.1 - first.0) + (second.1 - second.0) - overlap;
    overlap as f64 / union as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < 1e-12, "{actual} != {expected}");
    }

    #[test]
    fn f1_reproduces_the_published_unit_cases() {
        let first = [vec![10, 20], vec![11, 20], vec![10], vec![0, 5]];
        check(f1_score(&first, &[10, 20], MARGIN), 1.0);
        let second = [vec![], vec![10], vec![50]];
        check(f1_score(&second, &[10], MARGIN), 0.9090909090909091);
        check(f1_score(&second, &[], MARGIN), 0.8);
    }

    #[test]
    fn cover_reproduces_the_published_unit_cases() {
        let first = [vec![10, 20], vec![10], vec![0, 5]];
        check(cover_score(&first, &[10, 20], 45), 0.7962962962962963);
        let second = [vec![], vec![10], vec![50]];
        let second_within = [vec![], vec![10], vec![40]];
        check(cover_score(&second_within, &[10], 45), 0.7954144620811286);
        check(cover_score(&second_within, &[], 45), 0.8189300411522634);
        // A changepoint past the end cuts nothing.
        check(cover_score(&second, &[], 45), cover_score(&[vec![], vec![10], vec![]], &[], 45));
    }

    #[test]
    fn one_prediction_matches_one_true_point() {
        // Both true points are within the margin of the one prediction: only one is matched.
        let annotations = [vec![10, 12]];
        let precision = 2.0 / 2.0;
        let recall = 2.0 / 3.0;
        check(f1_score(&annotations, &[11], MARGIN), precision * recall / (0.5 * recall + 0.5 * precision));
    }
}
