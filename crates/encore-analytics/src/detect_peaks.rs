//! Peaks of a series from its changepoints: the segments of a [`Detection`] that stand above
//! their neighbours by a step, each at its highest value.
//!
//! Rule ([`peaks_of`]):
//! - a segment's fit is its mean (costs `mean` and `meanvar`) or its least-squares line
//!   (`linear`); its summit is the fit's highest value on the segment (the mean, or the line at its
//!   higher end) and its floor the fit's lowest;
//! - on each side, the segment's base is the lowest of its own fit at that edge and the floors of
//!   the segments between it and the nearest segment whose summit is higher (or the series' end).
//!   Walking left, an equal summit already counts as higher, so a summit two segments share is one
//!   peak;
//! - a segment is a peak when its summit is at least the step (and more than nothing) above the
//!   higher of its two bases. The first and last segments have nothing on their outer side, which
//!   then does not bound them: they need only their one neighbour. A series of one segment has no
//!   peak;
//! - the step is `2σ`, `σ` the noise's standard deviation from the MAD of the first differences
//!   ([`crate::detect::robust_sigma`]: a slow trend or the steps themselves do not inflate it), or,
//!   when that is 0 (over half the differences are one value), the fit's residual standard
//!   deviation;
//! - a peak is placed at its segment's highest value (the first, on a tie), or a neighbour's when
//!   that neighbour's fit comes within the step of the summit at their shared edge: a rise and a
//!   fall fitted by two lines meet at the top, and the top value may lie on either side.
//!
//! For segments of means this is "above both neighbours by the step", except that the base walks
//! on past lower neighbours to the nearest higher segment: the default detector cuts a broad peak
//! into a staircase (up a level, up another, down), whose top stair is one stair above its
//! neighbours but a whole peak above the floor. A line's summit is at one end, so a rise fitted by
//! one line and the fall by the next meet at a summit: the higher of the two lines is the peak,
//! the other not (its base on the summit's side is its own high end), and both are measured
//! against the floors on either side. Bases are taken from fits at the segment's own edges and
//! from whole segments between, never from a higher neighbour's edge, since unjoined lines can
//! overshoot at their ends.

use crate::detect::{robust_sigma, Detection, Segment};

/// The peak indices of `values` from their changepoints `detection` (from
/// [`crate::detect::detect`] on the same `values`), ascending: each segment whose summit (its
/// mean, or its line's higher end) stands at least `2σ` above the lowest fitted level on each side
/// before a higher segment, the first and last segments needing only their one neighbour, placed
/// at the segment's highest value. `σ` is the noise's standard deviation from the MAD of the first
/// differences. See the module documentation for the rule in full. Empty when `detection` has one
/// segment or does not fit `values`.
pub fn peaks_of(values: &[f64], detection: &Detection) -> Vec<usize> {
    peaks_above(values, detection, 2.0 * noise_sigma(values, detection))
}

/// The peaks of [`peaks_of`]'s rule with a given `step`, for callers whose series need a floor
/// under the noise-scaled step (chart scores move by whole ranks).
pub(crate) fn peaks_above(values: &[f64], detection: &Detection, step: f64) -> Vec<usize> {
    let segments = &detection.segments;
    let fits_values = segments.iter().all(|segment| segment.start < segment.end && segment.end <= values.len());
    if segments.len() < 2 || !fits_values {
        return Vec::new();
    }
    let mut peaks = Vec::new();
    for (position, segment) in segments.iter().enumerate() {
        let top = summit(segment);
        // Walking left, an equal summit stops the walk; walking right, only a higher one does.
        let left_base = (position > 0).then(|| {
            let between = segments[..position].iter().rev().take_while(|before| summit(before) < top);
            between.map(floor).fold(fitted(segment, segment.start), f64::min)
        });
        let right_base = (position + 1 < segments.len()).then(|| {
            let between = segments[position + 1..].iter().take_while(|after| summit(after) <= top);
            between.map(floor).fold(fitted(segment, segment.end - 1), f64::min)
        });
        let base = left_base.into_iter().chain(right_base).fold(f64::MIN, f64::max);
        // Above zero as well, so that a step of zero (noise that cannot be measured) does not make
        // every level with no higher neighbour a peak.
        let rise = top - base;
        if rise > 0.0 && rise >= step {
            peaks.push(summit_index(values, segments, position, top, step));
        }
    }
    peaks
}

/// Where the peak of the segment at `position` (summit `top`) is: the highest value of the
/// segment and of each neighbour whose fit, at the edge they share, comes within `step` of the
/// summit. A rise and a fall fitted by two lines meet at the top, and the higher line's summit is
/// an extrapolation: the highest value may lie on either side of the changepoint.
fn summit_index(values: &[f64], segments: &[Segment], position: usize, top: f64, step: f64) -> usize {
    let segment = &segments[position];
    let meets = |neighbour: &Segment, edge: usize| fitted(neighbour, edge) >= top - step;
    let before = position.checked_sub(1).map(|index| &segments[index]).filter(|before| meets(before, before.end - 1));
    let after = segments.get(position + 1).filter(|after| meets(after, after.start));
    let start = before.map_or(segment.start, |before| before.start);
    let end = after.map_or(segment.end, |after| after.end);
    (start..end).fold(start, |best, index| if values[index] > values[best] { index } else { best })
}

/// The noise's standard deviation: robust, from the first differences, or the fit's residual one
/// when the differences give none.
fn noise_sigma(values: &[f64], detection: &Detection) -> f64 {
    let sigma = robust_sigma(values);
    if sigma > 0.0 {
        return sigma;
    }
    let (squares, count) = detection.segments.iter().fold((0.0, 0usize), |(squares, count), segment| {
        let length = segment.end - segment.start;
        (squares + segment.variance * length as f64, count + length)
    });
    if count == 0 {
        0.0
    } else {
        (squares / count as f64).sqrt()
    }
}

/// A segment's fitted value at `index`: its mean, or its line, which passes through the mean at
/// the segment's middle index.
pub(crate) fn fitted(segment: &Segment, index: usize) -> f64 {
    let middle = (segment.start + segment.end - 1) as f64 / 2.0;
    segment.mean + segment.slope.unwrap_or(0.0) * (index as f64 - middle)
}

/// The highest fitted value of a segment.
pub(crate) fn summit(segment: &Segment) -> f64 {
    fitted(segment, segment.start).max(fitted(segment, segment.end - 1))
}

/// The lowest fitted value of a segment.
pub(crate) fn floor(segment: &Segment) -> f64 {
    fitted(segment, segment.start).min(fitted(segment, segment.end - 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::{detect, Cost, Settings};
    use crate::synthetic::SplitMix64;

    /// Levels `(value, length)` with a little noise, and the detection that cuts them exactly.
    fn levels(spec: &[(f64, usize)]) -> (Vec<f64>, Detection) {
        let mut random = SplitMix64::new(3);
        let mut values = Vec::new();
        let mut segments = Vec::new();
        for &(level, length) in spec {
            let start = values.len();
            values.extend((0..length).map(|_| level + 0.05 * random.normal()));
            let mean = values[start..].iter().sum::<f64>() / length as f64;
            segments.push(Segment { start, end: start + length, mean, slope: None, variance: 0.0025 });
        }
        let changepoints = segments[1..].iter().map(|segment| segment.start).collect();
        (values, Detection { cost: Cost::Mean, changepoints, segments })
    }

    fn in_segments(peaks: &[usize], detection: &Detection) -> Vec<usize> {
        peaks.iter().map(|peak| detection.segments.iter().position(|segment| *peak < segment.end).unwrap()).collect()
    }

    #[test]
    fn a_level_above_both_neighbours_is_a_peak_at_its_highest_value() {
        let (values, detection) = levels(&[(0.0, 30), (5.0, 10), (0.0, 30), (3.0, 10), (0.0, 20)]);
        let peaks = peaks_of(&values, &detection);
        assert_eq!(in_segments(&peaks, &detection), [1, 3]);
        let top = (30..40).fold(30, |best, index| if values[index] > values[best] { index } else { best });
        assert_eq!(peaks[0], top);
    }

    #[test]
    fn a_staircase_or_a_shoulder_is_one_peak_at_its_top() {
        let (values, detection) = levels(&[(0.0, 30), (2.0, 5), (4.0, 5), (2.0, 5), (0.0, 30)]);
        assert_eq!(in_segments(&peaks_of(&values, &detection), &detection), [2]);
        // The top is only 0.5 above its right neighbour, but 5 above the floor on both sides.
        let (values, detection) = levels(&[(0.0, 30), (5.0, 5), (4.5, 8), (0.0, 30)]);
        assert_eq!(in_segments(&peaks_of(&values, &detection), &detection), [1]);
    }

    #[test]
    fn a_shallow_dip_between_two_high_levels_makes_one_peak_the_higher() {
        let (values, detection) = levels(&[(0.0, 30), (5.0, 10), (4.9, 5), (5.2, 10), (0.0, 30)]);
        assert_eq!(in_segments(&peaks_of(&values, &detection), &detection), [3]);
    }

    #[test]
    fn the_first_and_last_segments_need_only_their_one_neighbour() {
        let (values, detection) = levels(&[(5.0, 10), (0.0, 30), (4.0, 10)]);
        assert_eq!(in_segments(&peaks_of(&values, &detection), &detection), [0, 2]);
        let (values, detection) = levels(&[(0.0, 10), (0.02, 30)]);
        assert_eq!(peaks_of(&values, &detection), Vec::<usize>::new());
    }

    #[test]
    fn one_segment_or_a_detection_of_other_values_has_no_peak() {
        let (values, detection) = levels(&[(1.0, 30)]);
        assert_eq!(peaks_of(&values, &detection), Vec::<usize>::new());
        let (_, detection) = levels(&[(0.0, 30), (5.0, 10), (0.0, 30)]);
        assert_eq!(peaks_of(&[0.0; 10], &detection), Vec::<usize>::new());
    }

    #[test]
    fn a_summit_shared_by_two_segments_is_one_peak_at_their_highest_value() {
        let (values, mut detection) = levels(&[(0.0, 30), (5.0, 10), (5.0, 10), (0.0, 30)]);
        detection.segments[2].mean = detection.segments[1].mean;
        let highest = (30..50).fold(30, |best, index| if values[index] > values[best] { index } else { best });
        assert_eq!(peaks_of(&values, &detection), [highest]);
    }

    #[test]
    fn a_rise_and_a_fall_fitted_by_two_lines_is_one_peak_at_the_top() {
        let line = |start: usize, end: usize, mean: f64, slope: f64| Segment {
            start,
            end,
            mean,
            slope: Some(slope),
            variance: 0.0,
        };
        // Flat at 0, up to 5 over 10 points, down to 0 over 10, flat.
        let values: Vec<f64> = (0..60)
            .map(|index| match index {
                20..=29 => 0.5 * (index - 19) as f64,
                30..=39 => 5.0 - 0.5 * (index - 29) as f64,
                _ => 0.0,
            })
            .collect();
        let segments =
            vec![line(0, 20, 0.0, 0.0), line(20, 30, 2.75, 0.5), line(30, 40, 2.25, -0.5), line(40, 60, 0.0, 0.0)];
        let detection = Detection { cost: Cost::Linear, changepoints: vec![20, 30, 40], segments };
        // The noise is nil, so the step is the fit's residual spread: nil too.
        assert_eq!(peaks_of(&values, &detection), [29]);
        assert_eq!(peaks_above(&values, &detection, 5.1), Vec::<usize>::new());
        // The rising line reaches higher, but the highest value is the falling line's first.
        let mut topped = values.clone();
        topped[30] = 5.2;
        assert_eq!(peaks_above(&topped, &detection, 1.0), [30]);
    }

    #[test]
    fn the_default_detector_finds_injected_peaks_on_the_log_scale() {
        use crate::changepoints::peak_f1;
        use crate::synthetic::{generate, peaks_case};
        for seed in 0..10 {
            let truth = peaks_case(seed);
            let logs: Vec<f64> = generate(&truth, seed).iter().map(|value| value.ln()).collect();
            let detection = detect(&logs, &Settings::default()).unwrap();
            let days: Vec<usize> = truth.peaks.iter().map(|(day, _, _)| *day).collect();
            let f1 = peak_f1(&peaks_of(&logs, &detection), &days, 7).2;
            assert!(f1 >= 0.85, "seed {seed}: F1 {f1}");
        }
    }
}
