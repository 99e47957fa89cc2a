//! The JSON of the lyrics analysis (`encore lyrics --json`, `GET /api/lyrics`, the report's
//! `report.json`), and the one line that answers the essay's claim, built once for every view.

use serde_json::{json, Value};

use encore_lyrics::analysis::{ClaimTest, MotifComparison, CLAIMED_MOTIFS, LASTING_YEARS};
use encore_lyrics::proportions::{ShareDifference, Verdict};
use encore_lyrics::{LyricsAnalysis, WordScore};

/// Where the analysed lyrics came from and what was asked: the JSON's header fields.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LyricsRun {
    pub files: usize,
    pub rows_rejected: usize,
    pub prior_total: f64,
}

/// A share as a whole percentage: `29%`.
pub fn percent(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}

/// A share's difference in percentage points, signed, without a "-0".
pub fn points(value: f64) -> String {
    let rounded = (value * 100.0).round();
    if rounded == 0.0 {
        "0".to_string()
    } else {
        format!("{rounded:+.0}")
    }
}

/// The one line answering the essay's claim, with its numbers.
pub fn claim_answer(claim: &ClaimTest) -> String {
    let higher: Vec<&MotifComparison> = claim
        .against_other_songs
        .iter()
        .filter(|comparison| comparison.compared.verdict() == Verdict::Higher)
        .collect();
    let named = |comparisons: &[&MotifComparison]| {
        comparisons
            .iter()
            .map(|comparison| format!("{} {}", comparison.motif.name(), points(comparison.compared.difference)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let all: Vec<&MotifComparison> = claim.against_other_songs.iter().collect();
    let any = &claim.any_claimed_against_other_songs;
    let verdict = match higher.len() {
        count if count == CLAIMED_MOTIFS.len() => "supported",
        0 => "not supported",
        _ => "partly supported",
    };
    format!(
        "{verdict}: lasting OSTs against other songs, {} points; {} of {} families clearly more frequent (95% interval above 0){}; any of the three in {} of lasting OSTs vs {} of other songs",
        named(&all),
        higher.len(),
        CLAIMED_MOTIFS.len(),
        if higher.is_empty() { String::new() } else { format!(": {}", named(&higher)) },
        percent(any.first.value()),
        percent(any.second.value()),
    )
}

pub fn compared_json(compared: &ShareDifference) -> Value {
    json!({
        "ost_with": compared.first.with,
        "ost_of": compared.first.of,
        "other_with": compared.second.with,
        "other_of": compared.second.of,
        "difference": compared.difference,
        "low": compared.low,
        "high": compared.high,
    })
}

fn motifs_json(comparisons: &[MotifComparison]) -> Vec<Value> {
    comparisons
        .iter()
        .map(|comparison| json!({ "family": comparison.motif.name(), "share": compared_json(&comparison.compared) }))
        .collect()
}

fn words_json(words: &[WordScore]) -> Vec<Value> {
    words
        .iter()
        .map(|score| {
            json!({
                "word": score.word,
                "ost_songs": score.count_a,
                "other_songs": score.count_b,
                "delta": score.delta,
                "variance": score.variance,
                "z": score.z,
            })
        })
        .collect()
}

/// The whole analysis as JSON.
pub fn lyrics_json(analysis: &LyricsAnalysis, run: LyricsRun) -> Value {
    let periods: Vec<Value> = analysis
        .periods
        .iter()
        .map(|period| {
            json!({
                "first_year": period.first_year,
                "last_year": period.last_year,
                "ost_songs": period.ost_songs,
                "other_songs": period.other_songs,
                "ost_words": words_json(&period.ost_words),
                "other_words": words_json(&period.other_words),
                "motifs": motifs_json(&period.motifs),
            })
        })
        .collect();
    let years: Vec<Value> =
        analysis.years.iter().map(|year| json!({ "year": year.year, "motifs": motifs_json(&year.motifs) })).collect();
    let claim = &analysis.claim;
    json!({
        "files": run.files,
        "rows": analysis.rows_read,
        "rows_without_lyrics": analysis.rows_without_lyrics,
        "rows_rejected": run.rows_rejected,
        "prior_total": run.prior_total,
        "periods": periods,
        "years": years,
        "claim": {
            "lasting_years": LASTING_YEARS,
            "lasting_osts": claim.lasting_osts,
            "years": claim.years,
            "against_other_songs": motifs_json(&claim.against_other_songs),
            "against_one_year_osts": motifs_json(&claim.against_one_year_osts),
            "any_against_other_songs": compared_json(&claim.any_claimed_against_other_songs),
            "answer": claim_answer(claim),
        },
    })
}
