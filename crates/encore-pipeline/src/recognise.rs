//! Which format a file is in (named, or detected from its first bytes and its name) and which
//! dataset its rows go to. The dataset is decided by the file, never by the format alone: a
//! Spotify weekly file is a Spotify CSV whose name says weekly.

use std::path::Path;
use std::str::FromStr;

use encore_domain::ChartKind;
use encore_ingest::{detect_format, detect_series_format, IngestError, SeriesFormat, SourceFormat, DETECT_PREFIX_LEN};

use crate::summary::SkipReason;

/// A format named by the user (`--format`, or `format=` on upload): a chart's or another file's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedFormat {
    Chart(SourceFormat),
    Series(SeriesFormat),
}

impl FromStr for NamedFormat {
    type Err = IngestError;

    fn from_str(text: &str) -> Result<NamedFormat, IngestError> {
        match (text.parse::<SourceFormat>(), SeriesFormat::from_name(text)) {
            (Ok(chart), _) => Ok(NamedFormat::Chart(chart)),
            (Err(_), Some(series)) => Ok(NamedFormat::Series(series)),
            (Err(error), None) => Err(error),
        }
    }
}

impl NamedFormat {
    /// Every format name, charts first, as `--help`, error messages and the OpenAPI list give them.
    pub fn all_names() -> Vec<&'static str> {
        let charts = SourceFormat::ALL.into_iter().map(SourceFormat::name);
        charts.chain(SeriesFormat::ALL.into_iter().map(SeriesFormat::name)).collect()
    }

    pub fn name(self) -> &'static str {
        match self {
            NamedFormat::Chart(format) => format.name(),
            NamedFormat::Series(format) => format.name(),
        }
    }

    /// The dataset a file of this format and name goes to.
    pub fn dataset_of_file(self, file_name: &str) -> Dataset {
        match self {
            NamedFormat::Chart(format) => Dataset::Chart(format.chart_of_file(file_name)),
            NamedFormat::Series(format) => Dataset::Series(format.dataset()),
        }
    }

    /// What the summary calls the rows of this format.
    pub fn label(self, file_name: &str) -> &'static str {
        match self {
            NamedFormat::Chart(format) => format.chart_of_file(file_name).display_name(),
            NamedFormat::Series(SeriesFormat::Pageviews) => "Wikipedia pageviews",
            NamedFormat::Series(SeriesFormat::CountsCsv) => "YouTube/social counts",
            NamedFormat::Series(SeriesFormat::LastFm) => "Last.fm listens",
            NamedFormat::Series(SeriesFormat::ListenBrainz) => "ListenBrainz listens",
            NamedFormat::Series(SeriesFormat::MyDramaList) => "MyDramaList dramas",
            NamedFormat::Series(SeriesFormat::KoreanWikiDramas) => "Korean wiki dramas",
            NamedFormat::Series(SeriesFormat::EpisodeRatings) => "episode ratings",
        }
    }
}

/// A store dataset rows are committed to, one commit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dataset {
    Chart(ChartKind),
    /// A non-chart dataset, by its store name (`daily_counts`, `listens`, …).
    Series(&'static str),
}

impl Dataset {
    /// The store's name for it, as `encore sql` knows it.
    pub fn name(self) -> &'static str {
        match self {
            Dataset::Chart(chart) => chart.dataset(),
            Dataset::Series(name) => name,
        }
    }
}

/// The file's format: `named` when given, else told by its first bytes (non-chart formats first,
/// then charts) and its name. A catalog file is recognised as such, so the user is told where it
/// belongs.
pub fn recognise(file_name: &str, bytes: &[u8], named: Option<NamedFormat>) -> Result<NamedFormat, SkipReason> {
    if let Some(named) = named {
        return Ok(named);
    }
    let first_bytes = &bytes[..bytes.len().min(DETECT_PREFIX_LEN)];
    if let Some(series) = detect_series_format(first_bytes) {
        return Ok(NamedFormat::Series(series));
    }
    if let Ok(chart) = detect_format(Path::new(file_name), first_bytes) {
        return Ok(NamedFormat::Chart(chart));
    }
    match catalog_file_of(first_bytes) {
        Some(catalog_file) => Err(SkipReason::CatalogFile { catalog_file }),
        None => Err(SkipReason::Unrecognised),
    }
}

/// Which catalog file a CSV header is (the catalog's own `episodes.csv` shape is also the episode
/// ratings format, so it loads as such and is not listed here).
fn catalog_file_of(first_bytes: &[u8]) -> Option<&'static str> {
    const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
    let text = first_bytes.strip_prefix(UTF8_BOM).unwrap_or(first_bytes);
    let first_line = text.split(|&byte| byte == b'\n').next().unwrap_or_default();
    let header = String::from_utf8_lossy(first_line);
    let columns: Vec<&str> = header.split(',').map(|column| column.trim().trim_matches('"')).collect();
    let has = |name: &str| columns.contains(&name);
    if has("drama_id") && has("title_en") && has("premiere") {
        Some("dramas.csv")
    } else if has("song_id") && has("drama_id") && has("ost_part") {
        Some("songs.csv")
    } else if has("song_id_or_drama_id") && has("kind") {
        Some("events.csv")
    } else if has("song_id") && has("alias") {
        Some("song_aliases.csv")
    } else if has("name") && has("alias") {
        Some("artists.csv")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dataset_comes_from_the_file_not_the_format_alone() {
        let spotify = NamedFormat::Chart(SourceFormat::SpotifyCsv);
        let weekly = spotify.dataset_of_file("upload/regional-global-weekly-2023-01-05.csv");
        assert_eq!(weekly, Dataset::Chart(ChartKind::SpotifyWeekly));
        let global = NamedFormat::Chart(SourceFormat::BillboardCsv).dataset_of_file("billboard-global-200-2022.csv");
        assert_eq!(global.name(), "billboard_global200");
        assert_eq!(NamedFormat::Series(SeriesFormat::LastFm).dataset_of_file("x.csv").name(), "listens");
    }

    #[test]
    fn catalog_files_are_told_apart_from_unrecognised_ones() {
        let check = |header: &str, expected: Result<NamedFormat, SkipReason>| {
            assert_eq!(recognise("file.csv", header.as_bytes(), None), expected, "{header}");
        };
        let catalog = |catalog_file| Err(SkipReason::CatalogFile { catalog_file });
        check("drama_id,title_en,title_ko,network,premiere,finale,episodes,slot,source\n", catalog("dramas.csv"));
        check("song_id,drama_id,ost_part,title_en,title_ko,artists,release_date,source\n", catalog("songs.csv"));
        check("song_id_or_drama_id,date,kind,detail,value,source\n", catalog("events.csv"));
        check("name,alias,source\n", catalog("artists.csv"));
        check("song_id,alias,source\n", catalog("song_aliases.csv"));
        check(
            "drama_id,episode,air_date,nielsen_nationwide_pct,nielsen_seoul_pct,tnms_pct,source,basis\n",
            Ok(NamedFormat::Series(SeriesFormat::EpisodeRatings)),
        );
        check("hello", Err(SkipReason::Unrecognised));
        assert_eq!("gaon".parse::<NamedFormat>().map(NamedFormat::name).ok(), None);
        assert_eq!("lastfm".parse::<NamedFormat>().map(NamedFormat::name).ok(), Some("lastfm"));
    }
}
