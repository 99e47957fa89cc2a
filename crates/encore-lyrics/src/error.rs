//! What can go wrong in a lyrics analysis: every case is the caller's input.

/// An analysis the input cannot give.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LyricsError {
    #[error("the prior's total must be a positive number, not {prior_total}")]
    PriorTotal { prior_total: f64 },
    #[error("log-odds need words in both corpora (there are {words_a} and {words_b})")]
    EmptyCorpus { words_a: u64, words_b: u64 },
    #[error("a period must span at least one year, not {years}")]
    PeriodLength { years: i32 },
    #[error("there are no songs with lyrics to analyse")]
    NoSongs,
}

/// Whose fault an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The caller asked for something the input cannot give.
    Input,
}

impl LyricsError {
    pub fn fault(&self) -> Fault {
        Fault::Input
    }
}
