//! Daily count series and episode ratings: Wikipedia pageviews (the Wikimedia REST API's
//! per-article JSON), YouTube view counts and social/challenge counts (CSV), and episode ratings
//! CSV (Nielsen Korea / TNmS, nationwide and Seoul, with a rating-basis column, as the catalog's
//! `episodes.csv`). Like the chart parsers, each returns the good rows and names every bad one.
//! `encore ingest` stores the counts as `daily_counts`; ratings belong to the catalog.

use encore_domain::{CountSource, DailyCount, Episode};
use serde_json::Value;

use crate::catalog_rows::{episode, EPISODE_COLUMNS, EPISODE_OPTIONAL_COLUMNS};
use crate::encoding::utf8_or_euc_kr;
use crate::report::{Parsed, Rejected};
use crate::table::{parse_day, read_csv, CsvRow};

/// Parses a Wikimedia pageviews response: `{"items":[{"project","article","granularity":"daily",
/// "timestamp":"2016120200","access","agent","views"}]}`. The subject is `project/article`; a row's
/// line is its 1-based position in `items`.
pub fn parse_pageviews(bytes: &[u8], file_name: &str) -> Parsed<DailyCount> {
    let document: Value = match serde_json::from_slice(bytes) {
        Ok(document) => document,
        Err(error) => {
            let reason = format!("not JSON ({error})");
            return Parsed::only_rejected(Rejected::new(file_name, error.line().max(1) as u64, "", reason));
        }
    };
    let Some(items) = document.get("items").and_then(Value::as_array) else {
        return Parsed::only_rejected(Rejected::new(file_name, 1, "items", "is missing or not an array"));
    };
    let mut parsed = Parsed::default();
    for (position, item) in items.iter().enumerate() {
        parsed.push(pageview(item, file_name, position as u64 + 1));
    }
    parsed
}

fn pageview(item: &Value, file: &str, line: u64) -> Result<DailyCount, Rejected> {
    let reject = |field: &str, reason: String| Rejected::new(file, line, field, reason);
    let text = |field: &str| match item.get(field) {
        Some(Value::String(text)) if !text.trim().is_empty() => Ok(text.trim()),
        Some(other) => Err(reject(field, format!("{other} is not a non-empty string"))),
        None => Err(reject(field, "is missing".to_string())),
    };
    let project = text("project")?;
    let article = text("article")?;
    let granularity = item.get("granularity").and_then(Value::as_str).unwrap_or("daily");
    if granularity != "daily" {
        return Err(reject("granularity", format!("{granularity:?} is not daily")));
    }
    let timestamp = text("timestamp")?;
    let date = timestamp
        .get(..8)
        .and_then(|day| chrono::NaiveDate::parse_from_str(day, "%Y%m%d").ok())
        .ok_or_else(|| reject("timestamp", format!("{timestamp:?} is not YYYYMMDDHH")))?;
    let views = item.get("views").ok_or_else(|| reject("views", "is missing".to_string()))?;
    let count = views.as_u64().ok_or_else(|| reject("views", format!("{views} is not a whole number")))?;
    Ok(DailyCount {
        source: CountSource::WikipediaPageviews,
        subject: format!("{project}/{article}"),
        date,
        count,
        source_file: file.to_string(),
        source_line: line,
    })
}

/// Parses a daily count CSV: YouTube views `date,video_id,views`, or social/challenge counts
/// `date,subject,count` (a hashtag, a sound). Counts may carry thousands separators (`1,234`).
pub fn parse_counts_csv(bytes: &[u8], file_name: &str) -> Parsed<DailyCount> {
    read_csv(bytes, file_name, &["date", "video_id|subject", "views|count"], &[], |row| {
        let date_text = row.text("date")?;
        let date = parse_day(date_text)
            .ok_or_else(|| row.reject("date", format!("{date_text:?} is not a day (YYYY-MM-DD)")))?;
        let source = if row.has_named("video_id") { CountSource::YoutubeViews } else { CountSource::SocialCount };
        Ok(DailyCount {
            source,
            subject: row.required_text("video_id|subject")?.to_string(),
            date,
            count: count(row, "views|count")?,
            source_file: row.file().to_string(),
            source_line: row.line(),
        })
    })
}

fn count(row: &CsvRow<'_>, column: &str) -> Result<u64, Rejected> {
    let text = row.text(column)?;
    let digits: String = text.chars().filter(|character| *character != ',' && *character != '_').collect();
    digits.parse().map_err(|_| row.reject(column, format!("{text:?} is not a whole number")))
}

/// Parses an episode ratings CSV in the catalog's `episodes.csv` shape: `drama_id,episode,
/// air_date,nielsen_nationwide_pct,nielsen_seoul_pct,tnms_pct,source` and optionally `basis`
/// (UTF-8 or EUC-KR).
pub fn parse_episode_ratings(bytes: &[u8], file_name: &str) -> Parsed<Episode> {
    read_csv(&utf8_or_euc_kr(bytes), file_name, &EPISODE_COLUMNS, &EPISODE_OPTIONAL_COLUMNS, episode)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/series").join(name))
            .unwrap()
    }

    fn rejections<T>(parsed: &Parsed<T>) -> Vec<String> {
        parsed.rejected.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn pageviews_load_per_day_and_name_bad_items() {
        let parsed = parse_pageviews(&fixture("pageviews-goblin.json"), "p.json");
        let rows: Vec<(String, String, u64)> =
            parsed.rows.iter().map(|row| (row.subject.clone(), row.date.to_string(), row.count)).collect();
        assert_eq!(
            rows,
            [
                ("en.wikipedia/Guardian:_The_Lonely_and_Great_God".to_string(), "2016-12-02".to_string(), 1520),
                ("en.wikipedia/Guardian:_The_Lonely_and_Great_God".to_string(), "2016-12-03".to_string(), 2874),
            ]
        );
        assert_eq!(
            rejections(&parsed),
            [
                "p.json:3: field `views`: \"many\" is not a whole number",
                "p.json:4: field `timestamp`: \"2016-12-05\" is not YYYYMMDDHH"
            ]
        );
        assert_eq!(
            rejections(&parse_pageviews(b"{}", "p.json")),
            ["p.json:1: field `items`: is missing or not an array"]
        );
    }

    #[test]
    fn youtube_and_social_counts_read_from_csv() {
        let views = parse_counts_csv(&fixture("youtube-views.csv"), "y.csv");
        assert_eq!(
            views.rows.iter().map(|row| (row.source, row.count)).collect::<Vec<_>>(),
            [(CountSource::YoutubeViews, 500_000_000), (CountSource::YoutubeViews, 501_234_567)]
        );
        assert_eq!(rejections(&views), ["y.csv:4: field `views`: \"n/a\" is not a whole number"]);
        let social = parse_counts_csv(b"date,subject,count\n2024-05-01,#SuddenShowerChallenge,1200\n", "s.csv");
        assert_eq!(
            (social.rows[0].source, social.rows[0].subject.as_str()),
            (CountSource::SocialCount, "#SuddenShowerChallenge")
        );
    }

    #[test]
    fn episode_ratings_keep_their_basis() {
        let parsed = parse_episode_ratings(&fixture("ratings.csv"), "r.csv");
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!((parsed.rows[1].rating_nationwide, parsed.rows[1].basis.as_str()), (Some(20.5), "paid_platform"));
        assert_eq!(rejections(&parsed), ["r.csv:4: field `nielsen_nationwide_pct`: \"high\" is not a number"]);
    }
}
