//! Non-chart files (daily counts, listens, drama metadata lists): their formats, told by their
//! first bytes, and each handed to its parser. Chart formats stay in [`crate::SourceFormat`]: a
//! chart row has a rank and a chart, these rows do not.

use std::fmt;

use encore_domain::{DailyCount, DramaMetadata, Episode, Listen};

use crate::dramas::{parse_korean_wiki_dramas, parse_mydramalist};
use crate::encoding::utf8_or_euc_kr;
use crate::listens::{parse_lastfm, parse_listenbrainz};
use crate::report::Parsed;
use crate::series::{parse_counts_csv, parse_episode_ratings, parse_pageviews};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The non-chart file formats `encore ingest` stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SeriesFormat {
    /// Wikimedia REST API per-article daily pageviews JSON (`{"items":[…]}`).
    Pageviews,
    /// YouTube views (`date,video_id,views`) or social counts (`date,subject,count`) CSV.
    CountsCsv,
    /// Last.fm scrobbles CSV (`user,timestamp,artist,track`).
    LastFm,
    /// ListenBrainz listens export, a JSON array or JSON lines.
    ListenBrainz,
    /// MyDramaList export CSV (`drama_name,…,tot_eps,start_dt,end_dt` or `Title,…,Episodes,Start_date`).
    MyDramaList,
    /// Korean wiki drama table CSV (`제목,방송 기간,…,방송 횟수,…,채널`).
    KoreanWikiDramas,
    /// Episode ratings CSV in the catalog's `episodes.csv` shape (Nielsen nationwide and Seoul,
    /// TNmS, with a rating-basis column).
    EpisodeRatings,
}

impl SeriesFormat {
    pub const ALL: [SeriesFormat; 7] = [
        SeriesFormat::Pageviews,
        SeriesFormat::CountsCsv,
        SeriesFormat::LastFm,
        SeriesFormat::ListenBrainz,
        SeriesFormat::MyDramaList,
        SeriesFormat::KoreanWikiDramas,
        SeriesFormat::EpisodeRatings,
    ];

    /// The format named `text` (as `name` spells it, any case), if any.
    pub fn from_name(text: &str) -> Option<SeriesFormat> {
        SeriesFormat::ALL.into_iter().find(|format| format.name().eq_ignore_ascii_case(text.trim()))
    }

    pub fn name(self) -> &'static str {
        match self {
            SeriesFormat::Pageviews => "pageviews",
            SeriesFormat::CountsCsv => "counts",
            SeriesFormat::LastFm => "lastfm",
            SeriesFormat::ListenBrainz => "listenbrainz",
            SeriesFormat::MyDramaList => "mydramalist",
            SeriesFormat::KoreanWikiDramas => "korean-wiki-dramas",
            SeriesFormat::EpisodeRatings => "episode-ratings",
        }
    }

    /// The store dataset this format's rows go to.
    pub fn dataset(self) -> &'static str {
        match self {
            SeriesFormat::Pageviews | SeriesFormat::CountsCsv => "daily_counts",
            SeriesFormat::LastFm | SeriesFormat::ListenBrainz => "listens",
            SeriesFormat::MyDramaList | SeriesFormat::KoreanWikiDramas => "drama_metadata",
            SeriesFormat::EpisodeRatings => "episode_ratings",
        }
    }
}

impl fmt::Display for SeriesFormat {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.name())
    }
}

/// One non-chart file's rows, by kind.
#[derive(Debug, Clone, PartialEq)]
pub enum SeriesRows {
    Counts(Parsed<DailyCount>),
    Listens(Parsed<Listen>),
    Dramas(Parsed<DramaMetadata>),
    Ratings(Parsed<Episode>),
}

impl SeriesRows {
    pub fn rows_len(&self) -> usize {
        match self {
            SeriesRows::Counts(parsed) => parsed.rows.len(),
            SeriesRows::Listens(parsed) => parsed.rows.len(),
            SeriesRows::Dramas(parsed) => parsed.rows.len(),
            SeriesRows::Ratings(parsed) => parsed.rows.len(),
        }
    }
}

/// Parses one non-chart file of a known format.
pub fn parse_series(format: SeriesFormat, bytes: &[u8], file_name: &str) -> SeriesRows {
    match format {
        SeriesFormat::Pageviews => SeriesRows::Counts(parse_pageviews(bytes, file_name)),
        SeriesFormat::CountsCsv => SeriesRows::Counts(parse_counts_csv(bytes, file_name)),
        SeriesFormat::LastFm => SeriesRows::Listens(parse_lastfm(bytes, file_name)),
        SeriesFormat::ListenBrainz => SeriesRows::Listens(parse_listenbrainz(bytes, file_name)),
        SeriesFormat::MyDramaList => SeriesRows::Dramas(parse_mydramalist(bytes, file_name)),
        SeriesFormat::KoreanWikiDramas => SeriesRows::Dramas(parse_korean_wiki_dramas(bytes, file_name)),
        SeriesFormat::EpisodeRatings => SeriesRows::Ratings(parse_episode_ratings(bytes, file_name)),
    }
}

/// Tells a non-chart file's format from its first bytes, or `None` when they are not one of
/// [`SeriesFormat`]'s (a chart file, say). Pageviews JSON opens with `{"items"`; a ListenBrainz
/// export is a JSON array or lines naming `listened_at` or `track_metadata`; a CSV by its header.
pub fn detect_series_format(first_bytes: &[u8]) -> Option<SeriesFormat> {
    let text = first_bytes.strip_prefix(UTF8_BOM).unwrap_or(first_bytes).trim_ascii_start();
    let mentions = |needle: &[u8]| text.windows(needle.len()).any(|window| window == needle);
    if let Some(object) = text.strip_prefix(b"{") {
        if object.trim_ascii_start().starts_with(b"\"items\"") {
            return Some(SeriesFormat::Pageviews);
        }
    }
    if text.starts_with(b"[") || text.starts_with(b"{") {
        let is_listens = mentions(b"\"listened_at\"") || mentions(b"\"track_metadata\"");
        return is_listens.then_some(SeriesFormat::ListenBrainz);
    }
    let first_line = text.split(|&byte| byte == b'\n').next().unwrap_or_default();
    let header = String::from_utf8_lossy(&utf8_or_euc_kr(first_line)).into_owned();
    let columns: Vec<&str> = header.split(',').map(|column| column.trim().trim_matches('"')).collect();
    let has = |name: &str| columns.contains(&name);
    if has("date") && (has("video_id") || has("subject")) && (has("views") || has("count")) {
        return Some(SeriesFormat::CountsCsv);
    }
    if has("user") && has("timestamp") && has("artist") && has("track") {
        return Some(SeriesFormat::LastFm);
    }
    if (has("drama_name") && has("tot_eps") && has("start_dt"))
        || (has("Title") && has("Episodes") && has("Start_date"))
    {
        return Some(SeriesFormat::MyDramaList);
    }
    if has("drama_id") && has("air_date") && has("nielsen_nationwide_pct") {
        return Some(SeriesFormat::EpisodeRatings);
    }
    if has("제목") && has("방송 기간") && has("방송 횟수") {
        return Some(SeriesFormat::KoreanWikiDramas);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_series_by_first_bytes_and_leaves_charts_alone() {
        let check = |first_bytes: &str, expected: Option<SeriesFormat>| {
            assert_eq!(detect_series_format(first_bytes.as_bytes()), expected, "{first_bytes:?}");
        };
        check("{\"items\":[{\"project\":\"en.wikipedia\"", Some(SeriesFormat::Pageviews));
        check("[\n  {\"listened_at\": 1483228800, \"track_metadata\"", Some(SeriesFormat::ListenBrainz));
        check("{\"listened_at\":1,\"user_name\":\"u\"}\n", Some(SeriesFormat::ListenBrainz));
        check("date,video_id,views\n2019-09-01,a,1\n", Some(SeriesFormat::CountsCsv));
        check("date,subject,count\n", Some(SeriesFormat::CountsCsv));
        check("user,timestamp,artist,track\n", Some(SeriesFormat::LastFm));
        check("kdrama_id,drama_name,year,director,tot_eps,start_dt,end_dt\n", Some(SeriesFormat::MyDramaList));
        check("\u{FEFF}ID,Title,Genre,Episodes,Start_date,End_date\n", Some(SeriesFormat::MyDramaList));
        check("제목,방송 기간,방송 시간,방송 횟수,장르,채널,방송 시작\n", Some(SeriesFormat::KoreanWikiDramas));
        check("{\"date\":\"2022-06-18\",\"data\":[]}", None);
        check("rank,uri,artist_names,track_name,source,peak_rank,previous_rank,days_on_chart,streams\n", None);
        check("순위,곡명,아티스트,앨범\n", None);
        check(
            "drama_id,episode,air_date,nielsen_nationwide_pct,nielsen_seoul_pct,tnms_pct,source,basis\n",
            Some(SeriesFormat::EpisodeRatings),
        );
        check("", None);
    }
}
