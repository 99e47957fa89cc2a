//! Non-chart files (daily counts, search interest, viewing, listens, drama metadata lists): their formats and rows. Their
//! names, detection and parsers are rows of [`crate::SOURCES`]; chart formats are
//! [`crate::SourceFormat`]: a chart row has a rank and a chart, these rows do not.

use std::fmt;

use encore_domain::{DailyCount, DramaMetadata, DramaViewing, Episode, Listen, SearchInterest};

use crate::report::Parsed;
use crate::sources::{detect, format_named, source_of, Format, Parser};

/// The non-chart file formats `encore ingest` stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SeriesFormat {
    /// Wikimedia REST API per-article daily pageviews JSON (`{"items":[…]}`).
    Pageviews,
    /// YouTube views (`date,video_id,views`) or social counts (`date,subject,count`) CSV.
    CountsCsv,
    /// Naver DataLab search-trend export (검색어트렌드): metadata lines, then `날짜` and a column per
    /// keyword group.
    NaverDataLab,
    /// Google Trends interest-over-time CSV (`multiTimeline.csv`): `Day`/`Week`/`Month`/`Time` and
    /// a `KEYWORD: (GEO)` column per search term.
    GoogleTrends,
    /// Netflix's global weekly Top 10 TSV (hours viewed per title and week).
    NetflixTop10,
    /// Last.fm scrobbles CSV (a header naming time, artist and track, or lastfm-to-csv's
    /// header-less `artist,album,track,date`).
    LastFm,
    /// ListenBrainz listens: an export (a JSON array or JSON lines) or an API answer.
    ListenBrainz,
    /// Spotify's extended streaming history (`Streaming_History_Audio_*.json`, `endsong_*.json`).
    SpotifyExtended,
    /// Spotify's account data streaming history (`StreamingHistory_music_*.json`).
    SpotifyAccount,
    /// MyDramaList export CSV (`drama_name,…,tot_eps,start_dt,end_dt` or `Title,…,Episodes,Start_date`).
    MyDramaList,
    /// Korean wiki drama table CSV (`제목,방송 기간,…,방송 횟수,…,채널`).
    KoreanWikiDramas,
    /// Episode ratings CSV in the catalog's `episodes.csv` shape (Nielsen nationwide and Seoul,
    /// TNmS, with a rating-basis column).
    EpisodeRatings,
}

impl SeriesFormat {
    pub const ALL: [SeriesFormat; 12] = [
        SeriesFormat::Pageviews,
        SeriesFormat::CountsCsv,
        SeriesFormat::NaverDataLab,
        SeriesFormat::GoogleTrends,
        SeriesFormat::NetflixTop10,
        SeriesFormat::LastFm,
        SeriesFormat::ListenBrainz,
        SeriesFormat::SpotifyExtended,
        SeriesFormat::SpotifyAccount,
        SeriesFormat::MyDramaList,
        SeriesFormat::KoreanWikiDramas,
        SeriesFormat::EpisodeRatings,
    ];

    /// The format named `text` (its name or an alias in [`crate::SOURCES`], any case), if any.
    pub fn from_name(text: &str) -> Option<SeriesFormat> {
        match format_named(text) {
            Some(Format::Series(format)) => Some(format),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        source_of(Format::Series(self)).name
    }

    /// Whether the format is a listening log, read through [`crate::ListenLog`].
    pub fn is_listens(self) -> bool {
        self.dataset() == "listens"
    }

    /// The store dataset this format's rows go to.
    pub fn dataset(self) -> &'static str {
        match self {
            SeriesFormat::Pageviews | SeriesFormat::CountsCsv => "daily_counts",
            SeriesFormat::NaverDataLab | SeriesFormat::GoogleTrends => "search_interest",
            SeriesFormat::NetflixTop10 => "drama_viewing",
            SeriesFormat::LastFm
            | SeriesFormat::ListenBrainz
            | SeriesFormat::SpotifyExtended
            | SeriesFormat::SpotifyAccount => "listens",
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
    SearchInterest(Parsed<SearchInterest>),
    Listens(Parsed<Listen>),
    Dramas(Parsed<DramaMetadata>),
    Ratings(Parsed<Episode>),
    Viewing(Parsed<DramaViewing>),
}

impl SeriesRows {
    pub fn rows_len(&self) -> usize {
        match self {
            SeriesRows::Counts(parsed) => parsed.rows.len(),
            SeriesRows::SearchInterest(parsed) => parsed.rows.len(),
            SeriesRows::Listens(parsed) => parsed.rows.len(),
            SeriesRows::Dramas(parsed) => parsed.rows.len(),
            SeriesRows::Ratings(parsed) => parsed.rows.len(),
            SeriesRows::Viewing(parsed) => parsed.rows.len(),
        }
    }
}

/// Parses one non-chart file of a known format, with the parser its row of [`crate::SOURCES`] names.
pub fn parse_series(format: SeriesFormat, bytes: &[u8], file_name: &str) -> SeriesRows {
    match source_of(Format::Series(format)).parser {
        Parser::Series(parse) => parse(bytes, file_name),
        // A series row always names a series parser (a test checks).
        Parser::Chart(_) => SeriesRows::Counts(Parsed::default()),
    }
}

/// Tells a non-chart file's format from its first bytes, or `None` when they are not one of
/// [`SeriesFormat`]'s (a chart file, say). The table of [`crate::SOURCES`] decides.
pub fn detect_series_format(first_bytes: &[u8]) -> Option<SeriesFormat> {
    match detect(std::path::Path::new(""), first_bytes) {
        Some(Format::Series(format)) => Some(format),
        _ => None,
    }
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
        check("네이버 데이터랩 검색어트렌드\n\n날짜,사내맞선,날짜,사랑인가 봐\n", Some(SeriesFormat::NaverDataLab));
        check("날짜,사내맞선\n2022-01-01,3.5\n", Some(SeriesFormat::NaverDataLab));
        check("Category: All categories\n\nDay,Goblin: (Worldwide)\n", Some(SeriesFormat::GoogleTrends));
        check("Time,Goblin: (South Korea)\n2017-01-01,<1\n", Some(SeriesFormat::GoogleTrends));
        check("user,timestamp,artist,track\n", Some(SeriesFormat::LastFm));
        check("uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid\n", Some(SeriesFormat::LastFm));
        check("username,date,artist_name,track_name\n", Some(SeriesFormat::LastFm));
        check("\"Ailee\",Goblin OST,\"Beautiful, Again\",01 Jan 2017 10:05\n", Some(SeriesFormat::LastFm));
        check(
            "[\n  {\n    \"ts\": \"2023-01-05T13:42:10Z\",\n    \"ms_played\": 1",
            Some(SeriesFormat::SpotifyExtended),
        );
        check(
            "[{\"endTime\":\"2023-01-05 13:42\",\"artistName\":\"A\",\"trackName\":\"T\",\"msPlayed\":1}]",
            Some(SeriesFormat::SpotifyAccount),
        );
        check("{\"payload\": {\"count\": 1, \"listens\": [{\"listened_at\": 1", Some(SeriesFormat::ListenBrainz));
        check("date,rank,name,artist\n", None);
        check("kdrama_id,drama_name,year,director,tot_eps,start_dt,end_dt\n", Some(SeriesFormat::MyDramaList));
        check("\u{FEFF}ID,Title,Genre,Episodes,Start_date,End_date\n", Some(SeriesFormat::MyDramaList));
        check("제목,방송 기간,방송 시간,방송 횟수,장르,채널,방송 시작\n", Some(SeriesFormat::KoreanWikiDramas));
        check("{\"date\":\"2022-06-18\",\"data\":[]}", None);
        check("rank,uri,artist_names,track_name,source,peak_rank,previous_rank,days_on_chart,streams\n", None);
        check("순위,곡명,아티스트,앨범\n", None);
        check("날짜,순위,곡,가수,앨범\n2022-01-01,1,T,A,B\n", None);
        check(
            "drama_id,episode,air_date,nielsen_nationwide_pct,nielsen_seoul_pct,tnms_pct,source,basis\n",
            Some(SeriesFormat::EpisodeRatings),
        );
        check(
            "week\tcategory\tweekly_rank\tshow_title\tseason_title\tweekly_hours_viewed\truntime\n",
            Some(SeriesFormat::NetflixTop10),
        );
        check("", None);
    }
}
