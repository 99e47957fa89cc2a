//! The words that set one corpus apart from another: weighted log-odds with an informative
//! Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words", §3.5.1).
//!
//! For word `w` with `y_a` uses among the `n_a` of corpus a (and `y_b`, `n_b` for b) and prior
//! count `α_w`, with `α_0` the prior's total:
//!
//! ```text
//! δ̂_w = log((y_a + α_w) / (n_a + α_0 − y_a − α_w)) − log((y_b + α_w) / (n_b + α_0 − y_b − α_w))
//! σ²_w ≈ 1 / (y_a + α_w) + 1 / (y_b + α_w)
//! z_w  = δ̂_w / √σ²_w
//! ```
//!
//! The prior is the pooled corpus (a and b together) scaled to the stated total `α_0`:
//! `α_w = α_0 · (y_a + y_b) / (n_a + n_b)`. A positive z leans to corpus a, a negative one to b;
//! the prior shrinks rare words toward zero, so a word one song repeats does not lead the list.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::LyricsError;

/// The prior's total `α_0` the CLI uses unless told otherwise.
pub const DEFAULT_PRIOR_TOTAL: f64 = 1000.0;

/// How often each word is used in one corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordCounts {
    counts: BTreeMap<String, u64>,
    total: u64,
}

impl WordCounts {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts `times` more uses of `word`.
    pub fn add(&mut self, word: &str, times: u64) {
        *self.counts.entry(word.to_string()).or_insert(0) += times;
        self.total += times;
    }

    /// The uses of `word`.
    pub fn count(&self, word: &str) -> u64 {
        self.counts.get(word).copied().unwrap_or(0)
    }

    /// The uses of every word together (`n`).
    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn words(&self) -> impl Iterator<Item = (&str, u64)> {
        self.counts.iter().map(|(word, count)| (word.as_str(), *count))
    }
}

/// One word's estimate: its counts, δ̂, its variance and z.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WordScore {
    pub word: String,
    pub count_a: u64,
    pub count_b: u64,
    pub prior: f64,
    pub delta: f64,
    pub variance: f64,
    pub z: f64,
}

/// Every word of either corpus scored, highest z (most corpus a) first; ties by word.
pub fn log_odds(corpus_a: &WordCounts, corpus_b: &WordCounts, prior_total: f64) -> Result<Vec<WordScore>, LyricsError> {
    if !(prior_total.is_finite() && prior_total > 0.0) {
        return Err(LyricsError::PriorTotal { prior_total });
    }
    if corpus_a.total() == 0 || corpus_b.total() == 0 {
        return Err(LyricsError::EmptyCorpus { words_a: corpus_a.total(), words_b: corpus_b.total() });
    }
    let pooled_total = (corpus_a.total() + corpus_b.total()) as f64;
    let total_a = corpus_a.total() as f64;
    let total_b = corpus_b.total() as f64;
    let mut pooled: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for (word, count) in corpus_a.words() {
        pooled.entry(word).or_default().0 += count;
    }
    for (word, count) in corpus_b.words() {
        pooled.entry(word).or_default().1 += count;
    }
    let mut scores: Vec<WordScore> = pooled
        .into_iter()
        .map(|(word, (count_a, count_b))| {
            let prior = prior_total * (count_a + count_b) as f64 / pooled_total;
            let used_a = count_a as f64 + prior;
            let used_b = count_b as f64 + prior;
            let log_odds_a = (used_a / (total_a + prior_total - used_a)).ln();
            let log_odds_b = (used_b / (total_b + prior_total - used_b)).ln();
            let delta = log_odds_a - log_odds_b;
            let variance = 1.0 / used_a + 1.0 / used_b;
            WordScore { word: word.to_string(), count_a, count_b, prior, delta, variance, z: delta / variance.sqrt() }
        })
        .collect();
    scores.sort_by(|left, right| right.z.total_cmp(&left.z).then_with(|| left.word.cmp(&right.word)));
    Ok(scores)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(words: &[(&str, u64)]) -> WordCounts {
        let mut counts = WordCounts::new();
        for (word, times) in words {
            counts.add(word, *times);
        }
        counts
    }

    fn close(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < 1e-9, "{actual} is not {expected}");
    }

    /// a = {rain 3, love 1}, b = {rain 1, love 2, sea 1}: n_a = n_b = 4, pooled n = 8. With α_0 = 8
    /// the prior is the pooled counts: α_rain = 4, α_love = 3, α_sea = 1.
    ///
    /// rain: δ̂ = ln((3+4)/(4+8−3−4)) − ln((1+4)/(4+8−1−4)) = ln(7/5) − ln(5/7) = 2·ln 1.4 = 0.672944…,
    ///       σ² = 1/7 + 1/5 = 12/35 = 0.342857…, z = 0.672944 / 0.585540 = 1.149271…
    /// love: δ̂ = ln(4/8) − ln(5/7) = ln(7/10) = −0.356675…, σ² = 1/4 + 1/5 = 0.45, z = −0.531700…
    /// sea:  δ̂ = ln(1/11) − ln(2/10) = ln(5/11) = −0.788457…, σ² = 1/1 + 1/2 = 1.5, z = −0.643773…
    #[test]
    fn matches_the_hand_computation() {
        let scores =
            log_odds(&counts(&[("rain", 3), ("love", 1)]), &counts(&[("rain", 1), ("love", 2), ("sea", 1)]), 8.0)
                .expect("both corpora have words");
        let words: Vec<&str> = scores.iter().map(|score| score.word.as_str()).collect();
        assert_eq!(words, ["rain", "love", "sea"]);
        let rain = &scores[0];
        close(rain.prior, 4.0);
        close(rain.delta, 2.0 * 1.4f64.ln());
        close(rain.variance, 12.0 / 35.0);
        close(rain.z, 1.1492714809232922);
        close(scores[1].delta, 0.7f64.ln());
        close(scores[1].variance, 0.45);
        close(scores[1].z, -0.5316996136786215);
        close(scores[2].delta, (5.0f64 / 11.0).ln());
        close(scores[2].variance, 1.5);
        close(scores[2].z, -0.6437727389447268);
    }

    #[test]
    fn swapping_the_corpora_flips_the_signs() {
        let a = counts(&[("snow", 5), ("night", 2)]);
        let b = counts(&[("snow", 1), ("night", 6), ("dance", 3)]);
        let forward = log_odds(&a, &b, 10.0).expect("words");
        let backward = log_odds(&b, &a, 10.0).expect("words");
        for score in &forward {
            let mirrored = backward.iter().find(|other| other.word == score.word).expect("same words");
            close(score.z, -mirrored.z);
        }
    }

    #[test]
    fn refuses_an_empty_corpus_or_a_prior_that_is_not_positive() {
        let a = counts(&[("snow", 1)]);
        assert!(matches!(log_odds(&a, &WordCounts::new(), 10.0), Err(LyricsError::EmptyCorpus { .. })));
        assert!(matches!(log_odds(&a, &a, 0.0), Err(LyricsError::PriorTotal { .. })));
        assert!(matches!(log_odds(&a, &a, f64::NAN), Err(LyricsError::PriorTotal { .. })));
    }
}
