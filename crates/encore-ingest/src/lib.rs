//! Encore's readers of real source files (Billboard JSON and CSV, Spotify Charts CSV in both
//! layouts, Melon year-end CSV, Korean platform chart CSV (Melon, Genie, Bugs, FLO, VIBE, Circle) and any mapped ranked list, the catalog CSV folder, Wikipedia pageviews, YouTube and social counts, Naver DataLab and Google Trends search interest, Netflix's weekly Top 10,
//! episode ratings, listening logs (Last.fm, ListenBrainz, Spotify's extended and account histories), MyDramaList and Korean wiki drama lists), each returning domain types and a report of bad rows.
//!
//! Every `parse_*` function is pure, takes the file's bytes and its name (for messages, for
//! Spotify's region and day, and a Korean chart's platform, period and date), and never fails: a bad row becomes a [`Rejected`] entry naming
//! file, line and field, and the rest of the file still loads. The `read_*` functions are thin
//! wrappers that read a path; they fail ([`IngestError`]) only when the path cannot be read, its
//! format cannot be told, or nothing at all loaded. A workbook (`.xlsx`, `.xls`, `.xlsb`, `.ods`)
//! is read as the CSV of its first sheet with data ([`table_bytes`], used by [`read_chart_file`]
//! and the ingest pipeline). This crate never writes.

mod billboard;
mod billboard_csv;
mod catalog;
mod catalog_rows;
mod charts;
mod csv_records;
mod detect;
mod dramas;
mod encoding;
mod error;
mod google_trends;
mod json_fields;
mod korean;
mod korean_dates;
mod korean_layout;
mod lastfm;
mod listen_fields;
mod listen_log;
mod listenbrainz;
mod melon;
mod naver_datalab;
mod netflix_top10;
mod play_counts;
mod report;
mod search_trends;
mod series;
mod series_files;
mod sources;
mod split;
mod spotify;
mod spotify_history;
mod spotify_old;
mod spreadsheet;
mod table;
#[cfg(test)]
mod test_support;
pub mod user_series;

pub use billboard::{parse_billboard, read_billboard};
pub use billboard_csv::parse_billboard_csv;
pub use catalog::{parse_catalog, parse_song_aliases, read_catalog, CatalogFiles, ParsedCatalog};
pub use charts::{chart_of, parse_chart, parse_chart_with, read_chart_file, read_charts};
pub use detect::{detect_format, list_source_files, SourceFormat, DETECT_PREFIX_LEN};
pub use dramas::{parse_korean_wiki_dramas, parse_mydramalist};
pub use error::{io_error, IngestError};
pub use google_trends::parse_google_trends;
pub use korean::{korean_chart_of, parse_circle, parse_korean_chart, ChartOptions};
pub use korean_layout::ColumnMap;
pub use listen_log::{
    parse_lastfm, parse_listenbrainz, parse_spotify_account, parse_spotify_extended, ListenLog, ListenPiece,
};
pub use melon::{parse_melon, parse_melon_lyrics, read_melon, read_melon_lyrics_folder, DRAMA_GENRE};
pub use naver_datalab::parse_naver_datalab;
pub use netflix_top10::parse_netflix_top10;
pub use play_counts::{parse_play_counts, PlayCount};
pub use report::{Parsed, Rejected};
pub use series::{parse_counts_csv, parse_episode_ratings, parse_pageviews};
pub use series_files::{detect_series_format, parse_series, SeriesFormat, SeriesRows};
pub use sources::{detect, format_named, format_names, source_of, Format, Parser, Source, SOURCES};
pub use spotify::{parse_spotify, parse_spotify_issue, read_spotify, SpotifyIssue};
pub use spreadsheet::{table_bytes, workbook_to_csv, WorkbookKind};
pub use user_series::{
    read_user_series, user_series_from_json, BadCell, DatePair, DateStep, FilledGap, GapPolicy, Place, SeriesError,
    SeriesOptions, Spacing, UnitSeries, UserSeries,
};
