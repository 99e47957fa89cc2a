//! Last.fm scrobbles as CSV, in the shapes scrobble exporters write: a header naming the time
//! (`uts`, `utc_time`, `date` or `timestamp`), the artist (`artist`, `artist_name`), the track
//! (`track`, `track_name`, `name`) and optionally the album and the user (`user`, `username`); or
//! lastfm-to-csv's header-less `artist,album,track,date`. A file with a user column is a dataset of
//! many listeners: its users are not checked against each other.

use std::borrow::Cow;

use encore_domain::ListenFields;

use crate::listen_fields::{parse_time, parse_time_micros};
use crate::report::Rejected;
use crate::table::{read_records, CsvRow, Header};

/// The columns a scrobble needs, each by any of its names (the first the header has wins).
pub(crate) const REQUIRED: [&str; 3] = ["uts|utc_time|date|timestamp", "artist|artist_name", "track|track_name|name"];
pub(crate) const OPTIONAL: [&str; 2] = ["album|album_name", "user|username"];

/// The columns of lastfm-to-csv's header-less export.
const HEADERLESS: [&str; 4] = ["artist", "album", "track", "date"];

/// How a scrobble file's records are named: by its header (data from `data_start`, line 2), or by
/// the header-less export's fixed columns (data from the first byte, line 1).
pub(crate) struct Layout {
    pub names: Vec<String>,
    pub data_start: usize,
    pub first_line: u64,
}

/// Where a scrobble file's data starts and how its columns are named; a rejection of the whole
/// file when its header lacks a column a scrobble needs.
pub(crate) fn layout(bytes: &[u8], file: &str) -> Result<Layout, Rejected> {
    if is_headerless(bytes) {
        let names = HEADERLESS.iter().map(|name| name.to_string()).collect();
        return Ok(Layout { names, data_start: 0, first_line: 1 });
    }
    let (names, data_start) = crate::table::header_of(bytes, file)?;
    // The header is checked once here, by reading no records with it, so the message is the
    // table reader's own.
    let checked =
        read_records(b"", file, b',', Header::Given { names: &names, first_line: 2 }, &REQUIRED, &OPTIONAL, |_| Ok(()));
    match checked.rejected.into_iter().next() {
        Some(mut rejected) => {
            rejected.line = 1;
            Err(rejected)
        }
        None => Ok(Layout { names, data_start, first_line: 2 }),
    }
}

/// Whether the first line is a scrobble of lastfm-to-csv's header-less export: four fields, the
/// last a time like `01 Jan 2017 10:05`.
pub(crate) fn is_headerless(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut record = csv::StringRecord::new();
    matches!(reader.read_record(&mut record), Ok(true))
        && record.len() == 4
        && record.get(3).is_some_and(|time| time.trim().parse::<i64>().is_err() && parse_time(time).is_some())
}

/// Whether a header names the columns of a scrobble file (and no rank: a ranked list is a chart).
pub(crate) fn is_lastfm_header(has: impl Fn(&str) -> bool) -> bool {
    let any = |spec: &str| spec.split('|').any(&has);
    REQUIRED.iter().all(|spec| any(spec)) && !has("rank")
}

/// Reads the records of `bytes` (a whole file or a piece cut after whole records) named as
/// `header` says, handing each scrobble or its rejection to `each`, in the file's order; returns
/// the rejections of records that are not scrobbles at all (a wrong number of fields).
pub(crate) fn scrobbles(
    bytes: &[u8],
    file: &str,
    header: Header<'_>,
    mut each: impl FnMut(Result<ListenFields<'_>, Rejected>),
) -> Vec<Rejected> {
    read_records(bytes, file, b',', header, &REQUIRED, &OPTIONAL, |row| {
        each(scrobble(row));
        Ok(())
    })
    .rejected
}

fn scrobble<'a>(row: &CsvRow<'a>) -> Result<ListenFields<'a>, Rejected> {
    let time_column = REQUIRED[0];
    let time = row.required_text(time_column)?;
    let listened_at = parse_time_micros(time).ok_or_else(|| {
        row.reject(time_column, format!("{time:?} is not a time (Unix seconds, RFC 3339 or \"01 Jan 2017 10:05\")"))
    })?;
    let album = row.text(OPTIONAL[0])?;
    let user = Cow::Borrowed(row.text(OPTIONAL[1])?);
    let artist = Cow::Borrowed(row.required_text(REQUIRED[1])?);
    let mut listen = ListenFields::new(user, listened_at, artist, Cow::Borrowed(row.required_text(REQUIRED[2])?));
    listen.source_line = row.line();
    listen.album = (!album.is_empty()).then_some(Cow::Borrowed(album));
    Ok(listen)
}
