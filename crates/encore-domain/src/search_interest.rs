//! Search interest: how much a keyword was searched, per day, week or month, as the relative index
//! Naver DataLab and Google Trends export (0-100, relative to the file's own maximum).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{DramaId, SongId};

/// Where a search-interest series comes from; each source has its own unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchSource {
    /// Naver DataLab's search-trend export (검색어트렌드).
    NaverDataLab,
    /// A Google Trends "interest over time" export (`multiTimeline.csv`).
    GoogleTrends,
}

impl SearchSource {
    /// The name stored in the `search_interest` dataset's `source` column.
    pub fn as_str(self) -> &'static str {
        match self {
            SearchSource::NaverDataLab => "naver_datalab",
            SearchSource::GoogleTrends => "google_trends",
        }
    }

    /// The unit of its values, stored beside each: a 0-100 index relative to the largest value in
    /// the same file, so not comparable across files, nor between the two sources.
    pub fn unit(self) -> &'static str {
        match self {
            SearchSource::NaverDataLab => "naver_relative_index",
            SearchSource::GoogleTrends => "google_trends_index",
        }
    }
}

/// What one value covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchPeriod {
    Day,
    Week,
    Month,
}

impl SearchPeriod {
    /// The name stored in the `period` column.
    pub fn as_str(self) -> &'static str {
        match self {
            SearchPeriod::Day => "day",
            SearchPeriod::Week => "week",
            SearchPeriod::Month => "month",
        }
    }
}

/// One keyword's search interest over one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchInterest {
    pub source: SearchSource,
    /// The keyword as the file names it (Naver's keyword group, Google's search term).
    pub keyword: String,
    /// Google's region as the file names it (`South Korea`, `Worldwide`); `kr` for Naver.
    pub geo: String,
    pub period: SearchPeriod,
    /// The period's first day, as the source dates it (a Google week by its Sunday, a month by its
    /// first day).
    pub date: NaiveDate,
    /// 0-100, relative to the file's largest value; Google's `<1` is stored as 0.5.
    pub value: f64,
    /// Whether the source wrote `<1` (stored as 0.5).
    pub below_one: bool,
    /// The first and last dates of the file's rows: the range its values are relative to. A file
    /// re-issued with the same keyword and range replaces the older one's rows.
    pub range_start: NaiveDate,
    pub range_end: NaiveDate,
    pub source_file: String,
    pub source_line: u64,
    /// The catalog song whose title the keyword is, once matched.
    pub song_id: Option<SongId>,
    /// The catalog drama whose title the keyword is, once matched.
    pub drama_id: Option<DramaId>,
}

impl SearchInterest {
    /// The series a row belongs to: a newer file of the same series replaces an older one's rows
    /// (`naver_datalab/kr/day/사내맞선/2022-01-01..2022-03-31`).
    pub fn series_key(&self) -> String {
        series_key(
            self.source.as_str(),
            &self.geo,
            self.period.as_str(),
            &self.keyword,
            self.range_start,
            self.range_end,
        )
    }
}

/// The key of a series from its parts, as [`SearchInterest::series_key`] builds it (the store
/// computes it from stored columns).
pub fn series_key(
    source: &str,
    geo: &str,
    period: &str,
    keyword: &str,
    range_start: NaiveDate,
    range_end: NaiveDate,
) -> String {
    format!("{source}/{geo}/{period}/{keyword}/{range_start}..{range_end}")
}
