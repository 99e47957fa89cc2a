//! Drama facts from public drama lists (MyDramaList exports, Korean wiki tables): title, dates,
//! episode count and network, as each source states them, kept apart from the curated catalog.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Which list a drama's facts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetadataSource {
    /// A MyDramaList export (`korean_drama.csv`, `top100_kdrama.csv`).
    MyDramaList,
    /// A table scraped from the Korean Wikipedia or Namuwiki (`제목`, `방송 기간`, `방송 횟수`, `채널`).
    KoreanWiki,
}

impl MetadataSource {
    /// The name stored in the `drama_metadata` dataset's `source` column.
    pub fn as_str(self) -> &'static str {
        match self {
            MetadataSource::MyDramaList => "mydramalist",
            MetadataSource::KoreanWiki => "korean_wiki",
        }
    }
}

/// One drama as one list row describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DramaMetadata {
    pub source: MetadataSource,
    /// The title as the list spells it (English for MyDramaList, Hangul without spaces for the wikis).
    pub title: String,
    /// The year the list gives, else the premiere's year.
    pub year: Option<i32>,
    /// The regular episodes (specials left out).
    pub episodes: Option<u32>,
    pub premiere: Option<NaiveDate>,
    pub finale: Option<NaiveDate>,
    /// The broadcaster or platform; empty when the list names none.
    pub network: String,
    pub source_file: String,
    pub source_line: u64,
}
