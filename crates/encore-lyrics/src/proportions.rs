//! Two shares compared: Wilson's score interval for each (Wilson 1927) and Newcombe's hybrid score
//! interval for their difference (Newcombe 1998, method 10), which stay inside [0, 1] and [−1, 1]
//! and keep their coverage at the small counts a period's OSTs have, where the Wald interval does not.

use serde::Serialize;

/// The normal quantile of a two-sided 95 % interval.
pub const Z_95: f64 = 1.959963984540054;

/// `with` of `of` songs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Share {
    pub with: usize,
    pub of: usize,
}

impl Share {
    /// The share; 0 of 0 is 0.
    pub fn value(self) -> f64 {
        if self.of == 0 {
            0.0
        } else {
            self.with as f64 / self.of as f64
        }
    }

    /// Wilson's 95 % score interval; [0, 1] for no songs.
    pub fn wilson(self) -> (f64, f64) {
        if self.of == 0 {
            return (0.0, 1.0);
        }
        let n = self.of as f64;
        let p = self.value();
        let z2 = Z_95 * Z_95;
        let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
        let half = Z_95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        ((centre - half).max(0.0), (centre + half).min(1.0))
    }
}

/// Two shares and the 95 % interval of their difference (first minus second).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ShareDifference {
    pub first: Share,
    pub second: Share,
    pub difference: f64,
    pub low: f64,
    pub high: f64,
}

impl ShareDifference {
    pub fn new(first: Share, second: Share) -> Self {
        let (p1, p2) = (first.value(), second.value());
        let ((low1, high1), (low2, high2)) = (first.wilson(), second.wilson());
        let difference = p1 - p2;
        let low = difference - ((p1 - low1).powi(2) + (high2 - p2).powi(2)).sqrt();
        let high = difference + ((high1 - p1).powi(2) + (p2 - low2).powi(2)).sqrt();
        Self { first, second, difference, low, high }
    }

    /// Whether the interval lies above zero (the first share is larger), below it, or spans it.
    pub fn verdict(&self) -> Verdict {
        if self.low > 0.0 {
            Verdict::Higher
        } else if self.high < 0.0 {
            Verdict::Lower
        } else {
            Verdict::NoClearDifference
        }
    }
}

/// What an interval of a difference says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    Higher,
    Lower,
    NoClearDifference,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Newcombe (1998), Table II, example (a): 56/70 against 48/80 gives 0.2000 with the hybrid
    /// score interval 0.0524 to 0.3339. Wilson's interval of 56/70, by hand from the formula:
    /// centre (0.8 + 3.8415/140) / (1 + 3.8415/70) = 0.78439, half-width 0.09256: 0.6918 to 0.8770.
    #[test]
    fn matches_newcombes_worked_example() {
        let compared = ShareDifference::new(Share { with: 56, of: 70 }, Share { with: 48, of: 80 });
        let (low, high) = Share { with: 56, of: 70 }.wilson();
        assert!((low - 0.6918).abs() < 5e-5 && (high - 0.8770).abs() < 5e-5, "{low} {high}");
        assert!((compared.difference - 0.2).abs() < 1e-12);
        assert!((compared.low - 0.0524).abs() < 5e-5, "{}", compared.low);
        assert!((compared.high - 0.3339).abs() < 5e-5, "{}", compared.high);
        assert_eq!(compared.verdict(), Verdict::Higher);
    }
}
