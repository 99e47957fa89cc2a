//! `report.json`: the report's findings for programs (and tests) rather than people.

use serde::Serialize;

use encore_analytics::airing::AiringResponse;
use encore_analytics::effect::MarketingRow;
use encore_analytics::longevity::Longevity;
use encore_analytics::spread::RegionSpread;
use encore_analytics::{AttentionBasis, Eclipse, LeaderboardRow, Measured, Peak};

use crate::{slug, Report};

#[derive(Serialize)]
struct JsonReport<'a> {
    title: &'a str,
    leaderboard: Vec<JsonLeaderboardRow<'a>>,
    marketing: &'a [MarketingRow],
    cases: Vec<JsonCase<'a>>,
    /// The checklist, the campaign timelines and the lyrics (`null` or empty when absent).
    #[serde(flatten)]
    sections: serde_json::Value,
}

#[derive(Serialize)]
struct JsonLeaderboardRow<'a> {
    rank: usize,
    song: &'a str,
    artists: &'a str,
    drama: &'a str,
    case: Option<&'a str>,
    eclipse: &'a Eclipse,
}

#[derive(Serialize)]
struct JsonCase<'a> {
    slug: &'a str,
    song_id: &'a str,
    song: &'a str,
    drama_id: &'a str,
    /// What the drama's attention index is measured from.
    drama_attention_basis: AttentionBasis,
    chart_rows: usize,
    eclipse: &'a Eclipse,
    peaks: Vec<JsonPeak<'a>>,
    longevity: &'a Measured<Longevity>,
    airing: &'a Measured<AiringResponse>,
    spread: &'a Measured<Vec<RegionSpread>>,
}

#[derive(Serialize)]
struct JsonPeak<'a> {
    description: String,
    #[serde(flatten)]
    peak: &'a Peak,
}

fn leaderboard_row(row: &LeaderboardRow) -> JsonLeaderboardRow<'_> {
    JsonLeaderboardRow {
        rank: row.rank,
        song: &row.song,
        artists: &row.artists,
        drama: &row.drama,
        case: Some(row.song_id.as_str()),
        eclipse: &row.eclipse,
    }
}

pub fn report_json(report: &Report<'_>) -> Result<String, serde_json::Error> {
    let json = JsonReport {
        title: &report.title,
        leaderboard: report.leaderboard.iter().map(leaderboard_row).collect(),
        marketing: &report.marketing,
        cases: report
            .cases
            .iter()
            .map(|case| JsonCase {
                slug: slug(case),
                song_id: case.song.id.as_str(),
                song: case.song.display_title(),
                drama_id: case.song.drama_id.as_str(),
                drama_attention_basis: case.drama_attention_basis,
                chart_rows: case.entries.len(),
                eclipse: &case.eclipse,
                peaks: case.peaks.iter().map(|peak| JsonPeak { description: peak.describe(), peak }).collect(),
                longevity: &case.longevity,
                airing: &case.airing,
                spread: &case.spread,
            })
            .collect(),
        sections: report.sections.json(),
    };
    serde_json::to_string_pretty(&json)
}
