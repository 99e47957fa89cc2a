//! Which format a file is in (named, or detected from its first bytes and its name) and which
//! dataset its rows go to. The dataset is decided by the file, never by the format alone: a
//! Spotify weekly file is a Spotify CSV whose name says weekly.

use std::path::Path;

use encore_domain::ChartKind;
use encore_ingest::{chart_of, detect, ChartOptions, Format, SeriesFormat, DETECT_PREFIX_LEN};

use crate::summary::SkipReason;

/// A format named by the user (`--format`, or `format=` on upload), or detected: a chart's or
/// another file's, as a row of `encore_ingest::SOURCES`.
pub use encore_ingest::Format as NamedFormat;

/// Every format name, charts first, as `--help`, error messages and the OpenAPI list give them.
pub fn all_format_names() -> Vec<&'static str> {
    encore_ingest::format_names()
}

/// The dataset a file of this format, name and content goes to: never by the format alone (a
/// Spotify weekly file is a Spotify CSV whose name says weekly; a Korean chart file's site column,
/// name or the user's `--chart` names its chart).
pub fn dataset_of_file(
    format: NamedFormat,
    file_name: &str,
    bytes: &[u8],
    options: &ChartOptions,
) -> Result<Dataset, SkipReason> {
    match format {
        Format::Chart(chart_format) => chart_of(chart_format, file_name, bytes, options)
            .map(Dataset::Chart)
            .map_err(|error| SkipReason::UnknownChart { message: error.to_string() }),
        Format::Series(series_format) => Ok(Dataset::Series(series_format.dataset())),
    }
}

/// What the summary calls the rows of this format going to `dataset`.
pub fn label(format: NamedFormat, dataset: Dataset) -> &'static str {
    match (format, dataset) {
        (_, Dataset::Chart(chart)) => chart.display_name(),
        (Format::Series(series), _) => series_label(series),
        (Format::Chart(_), Dataset::Series(name)) => name,
    }
}

fn series_label(format: SeriesFormat) -> &'static str {
    match format {
        SeriesFormat::Pageviews => "Wikipedia pageviews",
        SeriesFormat::CountsCsv => "YouTube/social counts",
        SeriesFormat::NaverDataLab => "Naver DataLab search interest",
        SeriesFormat::GoogleTrends => "Google Trends search interest",
        SeriesFormat::NetflixTop10 => "Netflix weekly Top 10",
        SeriesFormat::LastFm => "Last.fm listens",
        SeriesFormat::ListenBrainz => "ListenBrainz listens",
        SeriesFormat::SpotifyExtended => "Spotify extended streaming history",
        SeriesFormat::SpotifyAccount => "Spotify account streaming history",
        SeriesFormat::MyDramaList => "MyDramaList dramas",
        SeriesFormat::KoreanWikiDramas => "Korean wiki dramas",
        SeriesFormat::EpisodeRatings => "episode ratings",
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

/// The file's format: `named` when given, else told by its first bytes and its name (the table of
/// `encore_ingest::SOURCES`). A catalog file is recognised as such, so the user is told where it
/// belongs; a file nothing recognises is read as a ranked list when the user mapped its columns
/// or named its chart (`--columns`, `--chart`), so its header is named in the error if it is not one.
pub fn recognise(
    file_name: &str,
    bytes: &[u8],
    named: Option<NamedFormat>,
    options: &ChartOptions,
) -> Result<NamedFormat, SkipReason> {
    if let Some(named) = named {
        return Ok(named);
    }
    let first_bytes = &bytes[..bytes.len().min(DETECT_PREFIX_LEN)];
    if options.columns.is_some() {
        return Ok(Format::Chart(encore_ingest::SourceFormat::KoreanChart));
    }
    if let Some(format) = detect(Path::new(file_name), first_bytes) {
        return Ok(format);
    }
    match catalog_file_of(first_bytes) {
        Some(catalog_file) => Err(SkipReason::CatalogFile { catalog_file }),
        None if options.chart.is_some() => Ok(Format::Chart(encore_ingest::SourceFormat::KoreanChart)),
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
    use encore_ingest::SourceFormat;

    fn dataset(format: NamedFormat, file_name: &str, bytes: &str, options: &ChartOptions) -> Option<&'static str> {
        dataset_of_file(format, file_name, bytes.as_bytes(), options).ok().map(Dataset::name)
    }

    #[test]
    fn the_dataset_comes_from_the_file_not_the_format_alone() {
        let none = ChartOptions::default();
        let spotify = NamedFormat::Chart(SourceFormat::SpotifyCsv);
        assert_eq!(dataset(spotify, "upload/regional-global-weekly-2023-01-05.csv", "", &none), Some("spotify_weekly"));
        let billboard = NamedFormat::Chart(SourceFormat::BillboardCsv);
        assert_eq!(dataset(billboard, "billboard-global-200-2022.csv", "", &none), Some("billboard_global200"));
        assert_eq!(dataset(NamedFormat::Series(SeriesFormat::LastFm), "x.csv", "", &none), Some("listens"));
        let korean = NamedFormat::Chart(SourceFormat::KoreanChart);
        let body = "날짜,순위,곡,가수,앨범\n2022-01-03,1,T,A,B\n";
        assert_eq!(dataset(korean, "week_bugs_20220103.xlsx", body, &none), Some("bugs_weekly"));
        let told = ChartOptions { chart: ChartKind::from_chart_spec("genie:daily"), columns: None };
        assert_eq!(dataset(korean, "chart.csv", body, &told), Some("genie_daily"));
        let unknown = dataset_of_file(korean, "chart.csv", body.as_bytes(), &none).unwrap_err().to_string();
        assert!(unknown.contains("--chart PLATFORM:PERIOD"), "{unknown}");
    }

    #[test]
    fn catalog_files_are_told_apart_from_unrecognised_ones() {
        let check = |header: &str, expected: Result<NamedFormat, SkipReason>| {
            assert_eq!(recognise("file.csv", header.as_bytes(), None, &ChartOptions::default()), expected, "{header}");
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
        assert_eq!("oricon".parse::<NamedFormat>().ok(), None);
        assert_eq!("lastfm".parse::<NamedFormat>().map(NamedFormat::name).ok(), Some("lastfm"));
        let told = ChartOptions { chart: ChartKind::from_chart_spec("genie:daily"), columns: None };
        assert_eq!(recognise("file.csv", b"hello", None, &told), Ok(NamedFormat::Chart(SourceFormat::KoreanChart)));
    }
}
