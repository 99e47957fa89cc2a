//! The cost of a segment of a series, in O(1) from prefix sums, for the three models a
//! changepoint can change ([`Cost`]).
//!
//! - [`Cost::Mean`]: the residual sum of squares about the segment's mean (a Gaussian change in
//!   mean with one noise variance for the whole series; ruptures' `l2`);
//! - [`Cost::Linear`]: the residual sum of squares about the segment's least-squares line (a
//!   change in level or trend, the segments not joined);
//! - [`Cost::MeanVar`]: `L · ln max(v, floor)`, `v` the segment's variance about its mean and `L`
//!   its length: twice the Gaussian negative log-likelihood with the segment's own mean and
//!   variance, up to a constant per point. The floor keeps a short, flat segment from being
//!   infinitely likely.
//!
//! Every cost is sub-additive (cutting a segment never raises the total), which is what PELT's
//! pruning needs. The prefix sums are taken of the values minus their mean and of the indices
//! minus the middle index, so they stay small; a linear cost on series much longer than 10⁵
//! points still loses digits to the differences of prefix sums.

/// The model inside a segment: what a changepoint changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cost {
    /// Gaussian change in mean, one noise variance for the whole series.
    Mean,
    /// Gaussian change in mean and variance.
    MeanVar,
    /// Piecewise linear trend: a change in level, slope or both.
    Linear,
}

impl Cost {
    /// Every cost, in the order the default rule tries them (ties go to the first).
    pub const ALL: [Cost; 3] = [Cost::Mean, Cost::Linear, Cost::MeanVar];

    /// The name used in tables and settings: `mean`, `meanvar`, `linear`.
    pub fn name(self) -> &'static str {
        match self {
            Cost::Mean => "mean",
            Cost::MeanVar => "meanvar",
            Cost::Linear => "linear",
        }
    }

    /// Parameters a segment adds: its mean, and its slope or variance.
    pub(crate) fn parameters_per_segment(self) -> usize {
        match self {
            Cost::Mean => 1,
            Cost::MeanVar | Cost::Linear => 2,
        }
    }

    /// Whether the cost is a residual sum of squares (in squared units of the series) rather than
    /// a log-likelihood.
    pub(crate) fn is_sum_of_squares(self) -> bool {
        !matches!(self, Cost::MeanVar)
    }
}

/// Prefix sums of a series for the O(1) costs and the segment summaries.
#[derive(Debug, Clone)]
pub(crate) struct PrefixSums {
    offset: f64,
    values: Vec<f64>,
    squares: Vec<f64>,
    times: Vec<f64>,
    timed_values: Vec<f64>,
    with_times: bool,
}

impl PrefixSums {
    /// The sums over `values`; `with_times` adds those a line needs.
    pub(crate) fn new(values: &[f64], with_times: bool) -> PrefixSums {
        let count = values.len();
        let offset = if count == 0 { 0.0 } else { values.iter().sum::<f64>() / count as f64 };
        let middle = count as f64 / 2.0;
        let capacity = if with_times { count + 1 } else { 0 };
        let mut sums = PrefixSums {
            offset,
            values: Vec::with_capacity(count + 1),
            squares: Vec::with_capacity(count + 1),
            times: Vec::with_capacity(capacity),
            timed_values: Vec::with_capacity(capacity),
            with_times,
        };
        let (mut value_sum, mut square_sum, mut time_sum, mut timed_sum) = (0.0, 0.0, 0.0, 0.0);
        sums.values.push(0.0);
        sums.squares.push(0.0);
        if with_times {
            sums.times.push(0.0);
            sums.timed_values.push(0.0);
        }
        for (index, value) in values.iter().enumerate() {
            let centred = value - offset;
            value_sum += centred;
            square_sum += centred * centred;
            sums.values.push(value_sum);
            sums.squares.push(square_sum);
            if with_times {
                let time = index as f64 - middle;
                time_sum += time;
                timed_sum += time * centred;
                sums.times.push(time_sum);
                sums.timed_values.push(timed_sum);
            }
        }
        sums
    }

    /// The mean of `start..end`.
    pub(crate) fn mean(&self, start: usize, end: usize) -> f64 {
        self.offset + (self.values[end] - self.values[start]) / (end - start) as f64
    }

    /// The residual sum of squares of `start..end` about its mean.
    #[inline]
    pub(crate) fn mean_residuals(&self, start: usize, end: usize) -> f64 {
        let length = (end - start) as f64;
        let sum = self.values[end] - self.values[start];
        (self.squares[end] - self.squares[start] - sum * sum / length).max(0.0)
    }

    /// The slope of `start..end`'s least-squares line and its residual sum of squares; a segment
    /// of one point has slope 0.
    #[inline]
    pub(crate) fn line(&self, start: usize, end: usize) -> (f64, f64) {
        debug_assert!(self.with_times, "a line needs the sums with times");
        let length = (end - start) as f64;
        let value_sum = self.values[end] - self.values[start];
        let time_mean = (self.times[end] - self.times[start]) / length;
        // Σ(t − t̄)² of consecutive indices, exactly.
        let time_spread = length * (length * length - 1.0) / 12.0;
        let covariance = self.timed_values[end] - self.timed_values[start] - time_mean * value_sum;
        let spread = self.squares[end] - self.squares[start] - value_sum * value_sum / length;
        if time_spread <= 0.0 {
            return (0.0, spread.max(0.0));
        }
        let slope = covariance / time_spread;
        (slope, (spread - covariance * slope).max(0.0))
    }
}

/// One cost over one series, ready for PELT.
#[derive(Debug, Clone)]
pub(crate) struct SegmentCost {
    cost: Cost,
    sums: PrefixSums,
    variance_floor: f64,
}

impl SegmentCost {
    /// `variance_floor` matters only to [`Cost::MeanVar`]; it must be positive.
    pub(crate) fn new(cost: Cost, values: &[f64], variance_floor: f64) -> SegmentCost {
        SegmentCost { cost, sums: PrefixSums::new(values, cost == Cost::Linear), variance_floor }
    }

    /// The cost of `start..end` (`start < end`).
    #[inline]
    pub(crate) fn of(&self, start: usize, end: usize) -> f64 {
        match self.cost {
            Cost::Mean => self.sums.mean_residuals(start, end),
            Cost::Linear => self.sums.line(start, end).1,
            Cost::MeanVar => {
                let length = (end - start) as f64;
                length * (self.sums.mean_residuals(start, end) / length).max(self.variance_floor).ln()
            }
        }
    }

    /// The residual sum of squares of `start..end` about its model's fit.
    pub(crate) fn residuals(&self, start: usize, end: usize) -> f64 {
        match self.cost {
            Cost::Linear => self.sums.line(start, end).1,
            Cost::Mean | Cost::MeanVar => self.sums.mean_residuals(start, end),
        }
    }

    pub(crate) fn sums(&self) -> &PrefixSums {
        &self.sums
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_fits_a_trend_exactly_and_the_mean_does_not() {
        let values: Vec<f64> = (0..20).map(|index| 3.0 + 0.5 * index as f64).collect();
        let sums = PrefixSums::new(&values, true);
        let (slope, residuals) = sums.line(4, 14);
        assert!((slope - 0.5).abs() < 1e-12 && residuals < 1e-9, "{slope} {residuals}");
        assert!((sums.mean(4, 14) - 7.25).abs() < 1e-12);
        let expected: f64 = (4..14).map(|index| (values[index] - 7.25).powi(2)).sum();
        assert!((sums.mean_residuals(4, 14) - expected).abs() < 1e-9);
    }

    #[test]
    fn the_meanvar_cost_is_floored() {
        let cost = SegmentCost::new(Cost::MeanVar, &[1.0, 1.0, 1.0, 5.0], 0.5);
        assert!((cost.of(0, 3) - 3.0 * 0.5f64.ln()).abs() < 1e-12);
        assert!((cost.of(2, 4) - 2.0 * 4.0f64.ln()).abs() < 1e-12);
    }
}
