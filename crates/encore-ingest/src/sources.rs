//! The one table of source formats: per format its name, the other spellings `--format` accepts,
//! what it reads, the datasets it feeds, how it is detected and its parser. Detection, the
//! unknown-format error, `encore ingest --help` and the server's OpenAPI list all read this table,
//! so a new source is one row here plus one parser.

use std::path::Path;

use encore_domain::ChartEntry;

use crate::billboard::parse_billboard;
use crate::billboard_csv::parse_billboard_csv;
use crate::detect::SourceFormat;
use crate::dramas::{parse_korean_wiki_dramas, parse_mydramalist};
use crate::encoding::utf8_or_euc_kr;
use crate::google_trends::{is_google_trends, parse_google_trends};
use crate::korean::{parse_with_default, ChartOptions};
use crate::korean_layout::{has_ranked_header, PREAMBLE_LINES};
use crate::listen_log::{parse_lastfm, parse_listenbrainz, parse_spotify_account, parse_spotify_extended};
use crate::melon::parse_melon;
use crate::naver_datalab::{is_naver_datalab, parse_naver_datalab};
use crate::netflix_top10::{is_netflix_top10, parse_netflix_top10};
use crate::report::Parsed;
use crate::series::{parse_counts_csv, parse_episode_ratings, parse_pageviews};
use crate::series_files::{SeriesFormat, SeriesRows};
use crate::spotify::parse_spotify;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A source format: a chart's (rows with a rank on a chart) or another file's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Chart(SourceFormat),
    Series(SeriesFormat),
}

impl Format {
    /// The format's name in [`SOURCES`].
    pub fn name(self) -> &'static str {
        source_of(self).name
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.name())
    }
}

impl std::str::FromStr for Format {
    type Err = crate::error::IngestError;

    /// A format's name or alias, any case; the error lists every format.
    fn from_str(text: &str) -> Result<Format, crate::error::IngestError> {
        format_named(text).ok_or_else(|| crate::error::IngestError::UnknownFormat { name: text.to_string() })
    }
}

/// How a format's files are read.
#[derive(Clone, Copy)]
pub enum Parser {
    Chart(fn(&[u8], &str, &ChartOptions) -> Parsed<ChartEntry>),
    Series(fn(&[u8], &str) -> SeriesRows),
}

/// One row of [`SOURCES`].
pub struct Source {
    pub format: Format,
    /// The name `--format` takes and messages use.
    pub name: &'static str,
    /// Other spellings `--format` accepts (any case).
    pub aliases: &'static [&'static str],
    /// What the format is, for `--help` and the OpenAPI document.
    pub reads: &'static str,
    /// The datasets its rows go to, and what picks one.
    pub datasets: &'static str,
    /// Whether a file's first bytes and name are this format's.
    detect: fn(&Probe) -> bool,
    pub parser: Parser,
}

/// Every format Encore reads, charts first. Detection tries the rows in this order and takes the
/// first that claims a file, so the catch-all ranked-list row (`korean-chart`) comes after every
/// chart it could mistake (Billboard CSV also has `rank,song,artist`).
pub static SOURCES: [Source; 18] = [
    Source {
        format: Format::Chart(SourceFormat::BillboardJson),
        name: "billboard",
        aliases: &["billboard-json", "billboard_hot100"],
        reads: "Billboard weekly chart JSON",
        datasets: "billboard_hot100, or billboard_global200 when the file's path names the Global 200",
        detect: |probe| {
            (probe.text.starts_with(b"{") && !is_pageviews(probe) && !is_listenbrainz(probe))
                || (probe.text.is_empty() && probe.name.ends_with(".json"))
        },
        parser: Parser::Chart(|bytes, name, _| parse_billboard(bytes, name)),
    },
    Source {
        format: Format::Chart(SourceFormat::BillboardCsv),
        name: "billboard-csv",
        aliases: &["billboard_csv"],
        reads: "Billboard chart CSV with the JSON's columns",
        datasets: "billboard_hot100, or billboard_global200 when the file's path names the Global 200",
        detect: |probe| {
            probe.has("song")
                && probe.has("artist")
                && (probe.has("this_week") || probe.has("rank"))
                && (probe.has("weeks_on_chart") || probe.has("weeks-on-board"))
        },
        parser: Parser::Chart(|bytes, name, _| parse_billboard_csv(bytes, name)),
    },
    Source {
        format: Format::Chart(SourceFormat::SpotifyCsv),
        name: "spotify",
        aliases: &["spotify-csv", "spotify_daily"],
        reads: "Spotify Charts CSV, daily or weekly, current or old layout",
        datasets: "spotify_daily, or spotify_weekly when the file's name says weekly",
        detect: |probe| {
            crate::spotify_old::is_old_layout(probe.text)
                || (probe.has("rank") && probe.has("uri") && probe.has("track_name") && probe.has("streams"))
                || (probe.text.is_empty() && probe.name.starts_with("regional-") && probe.name.ends_with(".csv"))
        },
        parser: Parser::Chart(|bytes, name, _| parse_spotify(bytes, name)),
    },
    Source {
        format: Format::Chart(SourceFormat::MelonCsv),
        name: "melon",
        aliases: &["melon-csv", "melon_year_end"],
        reads: "Melon year-end CSV (song_year,song_rank,singer,title,…)",
        datasets: "melon_year_end",
        detect: |probe| {
            (probe.has("song_year") && probe.has("song_rank"))
                || (probe.text.is_empty() && probe.name.starts_with("kr_song_chart_") && probe.name.ends_with(".csv"))
        },
        parser: Parser::Chart(|bytes, name, _| parse_melon(bytes, name)),
    },
    Source {
        format: Format::Chart(SourceFormat::CircleCsv),
        name: "circle",
        aliases: &["circle-csv", "circle_weekly", "gaon"],
        reads: "Circle (Gaon) chart CSV: a Korean chart file that is Circle weekly unless it says otherwise",
        datasets: "circle_weekly (or another Circle chart named by a site column, the file's name or --chart)",
        // Detected as `korean-chart`, which reads Circle's files the same way.
        detect: |_| false,
        parser: Parser::Chart(|bytes, name, options| {
            parse_with_default(bytes, name, options, Some(encore_domain::ChartKind::CIRCLE_WEEKLY))
        }),
    },
    Source {
        format: Format::Chart(SourceFormat::KoreanChart),
        name: "korean-chart",
        aliases: &["korean", "kr-chart", "ranked-list"],
        reads: "Korean platform chart CSV (Melon, Genie, Bugs, FLO, VIBE, Circle; real-time, daily, weekly, \
                monthly, year-end; Korean or English headers, UTF-8 or EUC-KR, Circle's year,time week \
                numbers), or any ranked list mapped with --columns",
        datasets: "<platform>_<period> (genie_daily, bugs_weekly, melon_realtime, circle_weekly, …) by the site \
                   column, the file's name or --chart",
        detect: |probe| has_ranked_header(&probe.decoded),
        parser: Parser::Chart(|bytes, name, options| parse_with_default(bytes, name, options, None)),
    },
    Source {
        format: Format::Series(SeriesFormat::Pageviews),
        name: "pageviews",
        aliases: &["wikipedia-pageviews"],
        reads: "Wikipedia pageviews JSON (Wikimedia REST API, per article, daily)",
        datasets: "daily_counts",
        detect: is_pageviews,
        parser: Parser::Series(|bytes, name| SeriesRows::Counts(parse_pageviews(bytes, name))),
    },
    Source {
        format: Format::Series(SeriesFormat::CountsCsv),
        name: "counts",
        aliases: &["counts-csv", "youtube"],
        reads: "YouTube views (date,video_id,views) or social counts (date,subject,count) CSV",
        datasets: "daily_counts",
        detect: |probe| {
            probe.has("date")
                && (probe.has("video_id") || probe.has("subject"))
                && (probe.has("views") || probe.has("count"))
        },
        parser: Parser::Series(|bytes, name| SeriesRows::Counts(parse_counts_csv(bytes, name))),
    },
    Source {
        format: Format::Series(SeriesFormat::NaverDataLab),
        name: "naver-datalab",
        aliases: &["naver", "datalab"],
        reads: "Naver DataLab search-trend export (검색어트렌드; metadata lines, then 날짜 and a column per keyword \
                group, one date column or one per group; daily, weekly or monthly; UTF-8 or EUC-KR)",
        datasets: "search_interest (unit naver_relative_index)",
        detect: |probe| is_naver_datalab(&probe.decoded),
        parser: Parser::Series(|bytes, name| SeriesRows::SearchInterest(parse_naver_datalab(bytes, name))),
    },
    Source {
        format: Format::Series(SeriesFormat::GoogleTrends),
        name: "google-trends",
        aliases: &["google", "multitimeline"],
        reads: "Google Trends interest-over-time CSV (multiTimeline.csv: a Category line, then Day, Week, Month or \
                Time and a KEYWORD: (GEO) column per term; <1 stored as 0.5)",
        datasets: "search_interest (unit google_trends_index)",
        detect: |probe| is_google_trends(&probe.decoded),
        parser: Parser::Series(|bytes, name| SeriesRows::SearchInterest(parse_google_trends(bytes, name))),
    },
    Source {
        format: Format::Series(SeriesFormat::NetflixTop10),
        name: "netflix-top10",
        aliases: &["netflix", "netflix-top-10"],
        reads: "Netflix global weekly Top 10 TSV (week, category, weekly_rank, show_title, season_title, \
                weekly_hours_viewed, …; hours viewed per title and week)",
        datasets: "drama_viewing",
        detect: |probe| is_netflix_top10(probe.text),
        parser: Parser::Series(|bytes, name| SeriesRows::Viewing(parse_netflix_top10(bytes, name))),
    },
    Source {
        format: Format::Series(SeriesFormat::LastFm),
        name: "lastfm",
        aliases: &["last.fm"],
        reads: "Last.fm scrobbles CSV: a header naming the time (uts, utc_time, date or timestamp), artist \
                (artist, artist_name), track (track, track_name, name), optionally album and user (user, \
                username); or lastfm-to-csv's header-less artist,album,track,date",
        datasets: "listens",
        detect: |probe| {
            crate::lastfm::is_lastfm_header(|column| probe.has(column)) || crate::lastfm::is_headerless(probe.text)
        },
        parser: Parser::Series(|bytes, name| SeriesRows::Listens(parse_lastfm(bytes, name))),
    },
    Source {
        format: Format::Series(SeriesFormat::ListenBrainz),
        name: "listenbrainz",
        aliases: &[],
        reads: "ListenBrainz listens: an export (a JSON array or JSON lines) or an API answer \
                ({\"payload\": {\"listens\": […]}}); album, track length and recording MBID kept",
        datasets: "listens",
        detect: is_listenbrainz,
        parser: Parser::Series(|bytes, name| SeriesRows::Listens(parse_listenbrainz(bytes, name))),
    },
    Source {
        format: Format::Series(SeriesFormat::SpotifyExtended),
        name: "spotify-extended",
        aliases: &["spotify-extended-history", "endsong"],
        reads: "Spotify extended streaming history JSON (Streaming_History_Audio_*.json, endsong_*.json): one \
                listener's plays with ms played, country, track URI, start and end reasons, shuffle, skip, \
                offline; podcast and audiobook plays skipped; IP address, user agent and platform never read",
        datasets: "listens",
        detect: |probe| {
            probe.text.starts_with(b"[")
                && probe.mentions(b"\"ms_played\"")
                && (probe.mentions(b"\"ts\"") || probe.mentions(b"\"master_metadata_track_name\""))
        },
        parser: Parser::Series(|bytes, name| SeriesRows::Listens(parse_spotify_extended(bytes, name))),
    },
    Source {
        format: Format::Series(SeriesFormat::SpotifyAccount),
        name: "spotify-account",
        aliases: &["spotify-account-history", "streaminghistory"],
        reads: "Spotify account data streaming history JSON (StreamingHistory_music_*.json, StreamingHistory*.json: \
                endTime, artistName, trackName, msPlayed); podcast plays skipped",
        datasets: "listens",
        detect: |probe| {
            probe.text.starts_with(b"[") && probe.mentions(b"\"endTime\"") && probe.mentions(b"\"msPlayed\"")
        },
        parser: Parser::Series(|bytes, name| SeriesRows::Listens(parse_spotify_account(bytes, name))),
    },
    Source {
        format: Format::Series(SeriesFormat::MyDramaList),
        name: "mydramalist",
        aliases: &[],
        reads: "MyDramaList export CSV",
        datasets: "drama_metadata",
        detect: |probe| {
            (probe.has("drama_name") && probe.has("tot_eps") && probe.has("start_dt"))
                || (probe.has("Title") && probe.has("Episodes") && probe.has("Start_date"))
        },
        parser: Parser::Series(|bytes, name| SeriesRows::Dramas(parse_mydramalist(bytes, name))),
    },
    Source {
        format: Format::Series(SeriesFormat::KoreanWikiDramas),
        name: "korean-wiki-dramas",
        aliases: &["kowiki-dramas"],
        reads: "Korean wiki drama table CSV (제목,방송 기간,…,방송 횟수,…,채널)",
        datasets: "drama_metadata",
        detect: |probe| probe.has("제목") && probe.has("방송 기간") && probe.has("방송 횟수"),
        parser: Parser::Series(|bytes, name| SeriesRows::Dramas(parse_korean_wiki_dramas(bytes, name))),
    },
    Source {
        format: Format::Series(SeriesFormat::EpisodeRatings),
        name: "episode-ratings",
        aliases: &["ratings"],
        reads: "episode ratings CSV in the catalog's episodes.csv shape",
        datasets: "episode_ratings",
        detect: |probe| probe.has("drama_id") && probe.has("air_date") && probe.has("nielsen_nationwide_pct"),
        parser: Parser::Series(|bytes, name| SeriesRows::Ratings(parse_episode_ratings(bytes, name))),
    },
];

/// What detection looks at: the file's lower-case name and its first bytes.
pub(crate) struct Probe<'a> {
    name: String,
    /// The first bytes, byte-order mark and leading whitespace dropped.
    text: &'a [u8],
    /// The first line's cells, decoded from UTF-8 or EUC-KR, unquoted and trimmed.
    header: Vec<String>,
    /// The first lines, decoded (a last line cut short by the prefix left out).
    decoded: String,
}

impl<'a> Probe<'a> {
    fn new(path: &Path, first_bytes: &'a [u8]) -> Probe<'a> {
        let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default().to_ascii_lowercase();
        let text = first_bytes.strip_prefix(UTF8_BOM).unwrap_or(first_bytes).trim_ascii_start();
        let first_line = text.split(|&byte| byte == b'\n').next().unwrap_or_default();
        let header_text = String::from_utf8_lossy(&utf8_or_euc_kr(first_line)).into_owned();
        let header = header_text.split(',').map(|column| column.trim().trim_matches('"').to_string()).collect();
        let mut lines: Vec<&[u8]> = text.split(|&byte| byte == b'\n').take(PREAMBLE_LINES + 2).collect();
        if lines.len() > 1 && !text.ends_with(b"\n") {
            lines.pop();
        }
        let decoded = lines
            .iter()
            .map(|line| String::from_utf8_lossy(&utf8_or_euc_kr(line)).into_owned())
            .collect::<Vec<String>>()
            .join("\n");
        Probe { name, text, header, decoded }
    }

    fn has(&self, column: &str) -> bool {
        self.header.iter().any(|known| known == column)
    }

    fn mentions(&self, needle: &[u8]) -> bool {
        self.text.windows(needle.len()).any(|window| window == needle)
    }
}

fn is_pageviews(probe: &Probe) -> bool {
    probe.text.strip_prefix(b"{").is_some_and(|object| object.trim_ascii_start().starts_with(b"\"items\""))
}

fn is_listenbrainz(probe: &Probe) -> bool {
    (probe.text.starts_with(b"[") || probe.text.starts_with(b"{"))
        && (probe.mentions(b"\"listened_at\"") || probe.mentions(b"\"track_metadata\""))
}

/// The table's row of a format.
pub fn source_of(format: Format) -> &'static Source {
    // Every format has its row (a test checks); the first row stands in rather than panic.
    SOURCES.iter().find(|source| source.format == format).unwrap_or(&SOURCES[0])
}

/// Every format's name, in the table's order (charts first).
pub fn format_names() -> Vec<&'static str> {
    SOURCES.iter().map(|source| source.name).collect()
}

/// The format `text` names: a name or an alias, in any case.
pub fn format_named(text: &str) -> Option<Format> {
    let wanted = text.trim().to_ascii_lowercase();
    SOURCES
        .iter()
        .find(|source| source.name == wanted || source.aliases.contains(&wanted.as_str()))
        .map(|source| source.format)
}

/// The format of a file, told by its first bytes (UTF-8 or EUC-KR, a byte-order mark skipped) and,
/// when they are empty, its name; `None` when no row claims it.
pub fn detect(path: &Path, first_bytes: &[u8]) -> Option<Format> {
    let probe = Probe::new(path, first_bytes);
    SOURCES.iter().find(|source| (source.detect)(&probe)).map(|source| source.format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_one_row_and_names_are_unique() {
        let mut names: Vec<&str> =
            SOURCES.iter().flat_map(|source| source.aliases.iter().copied().chain([source.name])).collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "a name or alias is given twice");
        for source in &SOURCES {
            assert_eq!(source_of(source.format).name, source.name);
            assert_eq!(format_named(&source.name.to_uppercase()), Some(source.format));
            for alias in source.aliases {
                assert_eq!(format_named(alias), Some(source.format), "{alias}");
            }
        }
        for format in SourceFormat::ALL {
            assert!(SOURCES.iter().any(|source| source.format == Format::Chart(format)), "{format:?}");
        }
        for format in SeriesFormat::ALL {
            assert!(SOURCES.iter().any(|source| source.format == Format::Series(format)), "{format:?}");
        }
    }

    #[test]
    fn detection_reads_the_table() {
        let check = |name: &str, first_bytes: &[u8], expected: Option<&str>| {
            let detected = detect(Path::new(name), first_bytes).map(|format| source_of(format).name);
            assert_eq!(detected, expected, "{name}: {:?}", String::from_utf8_lossy(first_bytes));
        };
        check("p.json", b"{\"items\":[{\"project\"", Some("pageviews"));
        check("l.json", b"[{\"listened_at\": 1}]", Some("listenbrainz"));
        check("b.json", b"{\"date\":\"2022-06-18\"", Some("billboard"));
        check("h.csv", b"date,rank,song,artist,last-week,peak-rank,weeks-on-board\n", Some("billboard-csv"));
        check("day_genie_20220101.xlsx", "날짜,순위,곡,가수,앨범\n2022-01-01,1".as_bytes(), Some("korean-chart"));
        check("c.csv", b"year,time,rank,song_title,artist,album\r\n2016,1,1", Some("korean-chart"));
        check(
            "x.csv",
            "멜론 차트 내보내기\n2022-01-01 13:00 기준\n\n순위,제목,아티스트\n1,".as_bytes(),
            Some("korean-chart"),
        );
        let (euc_kr, _, _) = encoding_rs::EUC_KR.encode("순위,곡명,가수\n1,첫눈처럼 너에게 가겠다,에일리\n2,너를");
        check("g.csv", &euc_kr, Some("korean-chart"));
        check("k.csv", "제목,방송 기간,방송 시간,방송 횟수\n".as_bytes(), Some("korean-wiki-dramas"));
        let naver = "네이버 데이터랩 검색어트렌드\n기간,2022-01-01 ~ 2022-03-31\n구간,일간\n\n\
                     주제어1,사내맞선,주제어2,사랑인가 봐\n날짜,사내맞선,날짜,사랑인가 봐\n2022-01-01,3.2,2022-01-01,0";
        check("datalab.csv", naver.as_bytes(), Some("naver-datalab"));
        let (naver_euc_kr, _, _) = encoding_rs::EUC_KR.encode(naver);
        check("datalab.csv", &naver_euc_kr, Some("naver-datalab"));
        check("x.csv", "\u{FEFF}날짜,사내맞선,사랑인가 봐\r\n2022-01-01,3.2,0.5\r\n".as_bytes(), Some("naver-datalab"));
        let google = "Category: All categories\n\nDay,Love Maybe: (South Korea),Business Proposal: (South Korea)\n";
        check("multiTimeline.csv", google.as_bytes(), Some("google-trends"));
        check("t.csv", "카테고리: 모든 카테고리\n\n주,사랑인가 봐: (대한민국)\n".as_bytes(), Some("google-trends"));
        check("t.csv", b"Time,Love Maybe: (Worldwide)\n2024-01-07,3\n", Some("google-trends"));
        // The names alone do not make a search-trend file.
        check("multiTimeline.csv", b"Day,Love Maybe\n2022-01-02,12\n", None);
        check("datalab.csv", "날짜,사내맞선\n어제,많이\n".as_bytes(), None);
        check("pos.csv", b"pos,name,by\n1,a,b\n", None);
    }
}
