//! PELT (Killick, Fearnhead, Eckley 2012) over any segment cost, and CROPS (Haynes, Eckley,
//! Fearnhead 2017): every segmentation PELT gives for some penalty in an interval.
//!
//! PELT is optimal partitioning (the least total of segment costs plus one penalty per
//! changepoint, over every segmentation whose segments are at least `min_segment` long) with the
//! pruning of candidate last changepoints that can no longer be optimal. It is exact for a
//! sub-additive cost and linear in `n` when changes are spread. Ties go to the earliest last
//! changepoint, as ruptures' `Pelt` does, so both give the same segmentation.

/// The starts of the segments after the first (the changepoints) of `0..count`, by PELT with
/// `penalty` per changepoint; `cost(start, end)` is the cost of the segment `start..end`.
pub(crate) fn pelt_by(
    count: usize,
    cost: impl Fn(usize, usize) -> f64,
    penalty: f64,
    min_segment: usize,
) -> Vec<usize> {
    let min_segment = min_segment.max(1);
    if count < min_segment.saturating_mul(2) {
        return Vec::new();
    }
    let mut best = vec![0.0; count + 1];
    best[0] = -penalty;
    let mut previous = vec![0usize; count + 1];
    let mut candidates: Vec<usize> = vec![0];
    let mut totals: Vec<f64> = Vec::new();
    for end in min_segment..=count {
        // A candidate is pushed `min_segment` before the first end it is tried at, so every
        // candidate here leaves a segment at least `min_segment` long.
        totals.clear();
        totals.extend(candidates.iter().map(|&start| best[start] + cost(start, end)));
        let mut best_here = f64::INFINITY;
        let mut best_start = 0;
        for (&start, &total) in candidates.iter().zip(&totals) {
            if total + penalty < best_here {
                best_here = total + penalty;
                best_start = start;
            }
        }
        best[end] = best_here;
        previous[end] = best_start;
        let mut kept = 0;
        for position in 0..candidates.len() {
            if totals[position] <= best_here {
                candidates[kept] = candidates[position];
                kept += 1;
            }
        }
        candidates.truncate(kept);
        // The candidate `end + 1 − min_segment` begins a segment of `min_segment` at the next end,
        // and may be the last changepoint while it leaves `min_segment` after it: `end < count`.
        if end + 1 >= 2 * min_segment && end < count {
            candidates.push(end + 1 - min_segment);
        }
    }
    let mut changepoints = Vec::new();
    let mut end = count;
    while end > 0 {
        let start = previous[end];
        if start > 0 {
            changepoints.push(start);
        }
        end = start;
    }
    changepoints.reverse();
    changepoints
}

/// One segmentation of a penalty path and its total segment cost, without penalties.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PathPoint {
    pub(crate) changepoints: Vec<usize>,
    pub(crate) cost: f64,
}

/// Every segmentation PELT gives for a penalty in `[lowest, highest]`, fewest changepoints first:
/// CROPS runs PELT at both ends, then at the penalty where the two segmentations' penalised
/// costs meet, and recurses into both halves until neighbouring segmentations differ by one
/// changepoint or nothing lies between them.
pub(crate) fn penalty_path(
    count: usize,
    cost: impl Fn(usize, usize) -> f64,
    lowest: f64,
    highest: f64,
    min_segment: usize,
) -> Vec<PathPoint> {
    let run = |penalty: f64| {
        let changepoints = pelt_by(count, &cost, penalty, min_segment);
        let total = total_cost(&changepoints, count, &cost);
        PathPoint { changepoints, cost: total }
    };
    let mut found: Vec<PathPoint> = Vec::new();
    let mut intervals = vec![(lowest, run(lowest), highest, run(highest))];
    while let Some((low_penalty, low, high_penalty, high)) = intervals.pop() {
        let (many, few) = (low.changepoints.len(), high.changepoints.len());
        if many > few + 1 {
            let meeting = (high.cost - low.cost) / (many - few) as f64;
            if meeting > low_penalty && meeting < high_penalty {
                let middle = run(meeting);
                let middle_count = middle.changepoints.len();
                if middle_count != many && middle_count != few {
                    intervals.push((meeting, middle.clone(), high_penalty, high.clone()));
                    intervals.push((low_penalty, low.clone(), meeting, middle));
                }
            }
        }
        for point in [low, high] {
            if !found.iter().any(|known| known.changepoints == point.changepoints) {
                found.push(point);
            }
        }
    }
    found.sort_by_key(|point| point.changepoints.len());
    found
}

/// The total cost of the segments `changepoints` cut `0..count` into.
pub(crate) fn total_cost(changepoints: &[usize], count: usize, cost: impl Fn(usize, usize) -> f64) -> f64 {
    segment_bounds(changepoints, count).map(|(start, end)| cost(start, end)).sum()
}

/// The `(start, end)` of each segment `changepoints` cut `0..count` into.
pub(crate) fn segment_bounds(changepoints: &[usize], count: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let starts = std::iter::once(0).chain(changepoints.iter().copied());
    let ends = changepoints.iter().copied().chain(std::iter::once(count));
    starts.zip(ends).filter(|(start, end)| start < end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment_cost::{Cost, SegmentCost};

    fn steps() -> Vec<f64> {
        let mut random = crate::synthetic::SplitMix64::new(7);
        let levels = [0.0, 4.0, 1.0, 6.0, 2.0];
        (0..250).map(|index| levels[index / 50] + random.normal()).collect()
    }

    #[test]
    fn pelt_finds_the_steps_of_a_noisy_series() {
        let values = steps();
        let cost = SegmentCost::new(Cost::Mean, &values, 1e-9);
        let found = pelt_by(values.len(), |start, end| cost.of(start, end), 3.0 * (250f64).ln(), 2);
        assert_eq!(found.len(), 4, "{found:?}");
        for (found_at, truth) in found.iter().zip([50, 100, 150, 200]) {
            assert!(found_at.abs_diff(truth) <= 2, "{found:?}");
        }
    }

    #[test]
    fn pelt_is_optimal_partitioning() {
        // Brute force over every segmentation of a short series, segments at least 2 long.
        let values = [0.3, 1.2, 0.1, 5.0, 4.4, 5.3, 0.2, 0.8, 2.5, 2.9, 3.1];
        let cost = SegmentCost::new(Cost::Mean, &values, 1e-9);
        let penalty = 1.5;
        let count = values.len();
        let mut best = (f64::INFINITY, Vec::new());
        for mask in 0u32..(1 << (count - 1)) {
            let changepoints: Vec<usize> = (1..count).filter(|index| mask & (1 << (index - 1)) != 0).collect();
            if segment_bounds(&changepoints, count).any(|(start, end)| end - start < 2) {
                continue;
            }
            let total = total_cost(&changepoints, count, |start, end| cost.of(start, end))
                + penalty * changepoints.len() as f64;
            if total < best.0 - 1e-12 {
                best = (total, changepoints);
            }
        }
        assert_eq!(pelt_by(count, |start, end| cost.of(start, end), penalty, 2), best.1);
    }

    #[test]
    fn the_path_holds_each_count_of_the_convex_hull_once() {
        let values = steps();
        let cost = SegmentCost::new(Cost::Mean, &values, 1e-9);
        let path = penalty_path(values.len(), |start, end| cost.of(start, end), 0.5, 1e6, 2);
        assert!(path[0].changepoints.is_empty());
        assert!(path.windows(2).all(|pair| pair[0].changepoints.len() < pair[1].changepoints.len()));
        assert!(path.windows(2).all(|pair| pair[0].cost > pair[1].cost));
        assert!(path.iter().any(|point| point.changepoints.len() == 4));
    }
}
