//! Ranking metrics at a cutoff `k`, for one user's list against the items it went on to play
//! (binary relevance):
//!
//! - precision@k: hits in the top k / k;
//! - recall@k: hits in the top k / relevant items;
//! - nDCG@k: `Σ_hits 1/log2(rank + 1)` over the same sum for the best possible list
//!   (`min(k, relevant)` hits at the top);
//! - AP@k: `Σ_hits precision at the hit's rank / min(k, relevant)`; MAP@k its mean over users.
//!
//! The bench (`bench/als_vs_implicit.py`) scores every model with the same formulas.

use std::collections::HashSet;

use serde::Serialize;

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Metrics {
    pub precision: f64,
    pub recall: f64,
    pub ndcg: f64,
    pub map: f64,
    /// Users the means are over (those with at least one relevant item).
    pub users: usize,
}

/// One user's metrics.
pub fn score<T: Eq + std::hash::Hash>(ranked: &[T], relevant: &HashSet<T>, k: usize) -> Metrics {
    if relevant.is_empty() || k == 0 {
        return Metrics::default();
    }
    let mut hits = 0usize;
    let mut dcg = 0.0;
    let mut precision_sum = 0.0;
    for (rank, item) in ranked.iter().take(k).enumerate() {
        if relevant.contains(item) {
            hits += 1;
            dcg += 1.0 / ((rank + 2) as f64).log2();
            precision_sum += hits as f64 / (rank + 1) as f64;
        }
    }
    let best = k.min(relevant.len());
    let ideal: f64 = (0..best).map(|rank| 1.0 / ((rank + 2) as f64).log2()).sum();
    Metrics {
        precision: hits as f64 / k as f64,
        recall: hits as f64 / relevant.len() as f64,
        ndcg: dcg / ideal,
        map: precision_sum / best as f64,
        users: 1,
    }
}

/// Means over users.
pub fn mean(each: impl IntoIterator<Item = Metrics>) -> Metrics {
    let mut sum = Metrics::default();
    for metrics in each {
        if metrics.users == 0 {
            continue;
        }
        sum.precision += metrics.precision;
        sum.recall += metrics.recall;
        sum.ndcg += metrics.ndcg;
        sum.map += metrics.map;
        sum.users += 1;
    }
    let users = sum.users.max(1) as f64;
    Metrics {
        precision: sum.precision / users,
        recall: sum.recall / users,
        ndcg: sum.ndcg / users,
        map: sum.map / users,
        users: sum.users,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_computed_list() {
        let relevant: HashSet<&str> = ["a", "c"].into_iter().collect();
        let metrics = score(&["a", "b", "c"], &relevant, 3);
        assert!((metrics.precision - 2.0 / 3.0).abs() < 1e-12);
        assert!((metrics.recall - 1.0).abs() < 1e-12);
        assert!((metrics.map - (1.0 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
        let ndcg = (1.0 + 1.0 / 4f64.log2()) / (1.0 + 1.0 / 3f64.log2());
        assert!((metrics.ndcg - ndcg).abs() < 1e-12);
        let none = score(&["b"], &relevant, 3);
        assert_eq!((none.precision, none.ndcg, none.map), (0.0, 0.0, 0.0));
        let both = mean([metrics, none, score(&["x"], &HashSet::new(), 3)]);
        assert_eq!(both.users, 2);
        assert!((both.recall - 0.5).abs() < 1e-12);
    }
}
