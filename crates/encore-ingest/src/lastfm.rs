//! Last.fm scrobbles as CSV, in the shapes scrobble exporters write: a header naming the time
//! (`uts`, `utc_time`, `date` or `timestamp`), the artist (`artist`, `artist_name`), the track
//! (`track`, `track_name`, `name`) and optionally the album and the user (`user`, `username`); or
//! lastfm-to-csv's header-less `artist,album,track,date`. A file with a user column is a dataset of
//! many listeners: its users are not checked against each other.

use encore_domain::{ListenColumns, NumberedListen};

use crate::listen_fields::{parse_time, parse_time_micros, SpanMemo, Unstored};
use crate::report::Rejected;
use crate::table::{column_position, read_records, CsvRow, Header};

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

/// The columns of a scrobble by their place in what [`read_records`] is asked for: the
/// required ones, then the optional ones.
const TIME: usize = 0;
const ARTIST: usize = 1;
const TRACK: usize = 2;
const ALBUM: usize = 3;
const USER: usize = 4;

/// Reads the records of `bytes` (a whole file or a piece cut after whole records, starting on
/// line `first_line`), named by the header `names`, straight into `columns`, a scrobble naming no
/// user given `listener`; returns the rejections, in the file's order.
pub(crate) fn scrobble_columns(
    bytes: &[u8],
    file: &str,
    names: &[String],
    first_line: u64,
    listener: &str,
    columns: &mut ListenColumns,
) -> Vec<Rejected> {
    let mut songs = SongSpans::new(names);
    let header = Header::Given { names, first_line };
    let read = read_records(bytes, file, b',', header, &REQUIRED, &OPTIONAL, |row| {
        let rows = columns.len();
        match scrobble(row, listener, columns, &mut songs) {
            Ok(listen) => {
                columns.push_numbered(listen);
                Ok(())
            }
            Err(Unstored::Rejected(rejected)) => Err(rejected),
            Err(Unstored::Full) => {
                // What the record numbered before it failed goes, and the songs that knew it.
                columns.truncate(rows);
                songs = SongSpans::new(names);
                Err(row.reject("", crate::listen_log::NOT_STORED))
            }
        }
    });
    read.rejected
}

/// One scrobble, its text numbered in `columns`' dictionaries; a record is read and checked whole
/// before any of its text is numbered, so a rejected one numbers nothing.
fn scrobble(
    row: &CsvRow<'_>,
    listener: &str,
    columns: &mut ListenColumns,
    songs: &mut SongSpans,
) -> Result<NumberedListen, Unstored> {
    let time = row.required_text_at(TIME)?;
    let listened_at = parse_time_micros(time).ok_or_else(|| {
        row.reject(REQUIRED[0], format!("{time:?} is not a time (Unix seconds, RFC 3339 or \"01 Jan 2017 10:05\")"))
    })?;
    let user = match row.text_at(USER)? {
        "" => listener,
        user => user,
    };
    let song = songs.song(row, columns)?;
    Ok(NumberedListen {
        user: columns.user.next_number(user)?,
        listened_at,
        artist: song.artist,
        track: song.track,
        album: song.album,
        duration_ms: None,
        track_uri: None,
        source_line: row.line(),
    })
}

/// A song by the numbers of its text in a piece's columns.
#[derive(Clone, Copy)]
struct Song {
    artist: u32,
    track: u32,
    album: Option<u32>,
}

/// The song of each distinct text a record's song columns span (artist, album and track, and any
/// column between them), see [`SpanMemo`].
struct SongSpans {
    /// The positions of the first and last song column in a record, when neither the time nor
    /// the user lies between them (a span holding either would be new in almost every record).
    fields: Option<(usize, usize)>,
    songs: SpanMemo<Song>,
}

impl SongSpans {
    fn new(names: &[String]) -> SongSpans {
        let position = |spec| column_position(names, spec);
        let song: Vec<usize> = [REQUIRED[ARTIST], REQUIRED[TRACK], OPTIONAL[ALBUM - REQUIRED.len()]]
            .into_iter()
            .filter_map(position)
            .collect();
        let (first, last) = (song.iter().min().copied(), song.iter().max().copied());
        let fields = first.zip(last).filter(|&(first, last)| {
            let mut others = [REQUIRED[TIME], OPTIONAL[USER - REQUIRED.len()]].into_iter().filter_map(position);
            others.all(|other| other < first || other > last)
        });
        SongSpans { fields, songs: SpanMemo::default() }
    }

    /// The record's song: known by the text its song columns span, or read from its fields.
    fn song(&mut self, row: &CsvRow<'_>, columns: &mut ListenColumns) -> Result<Song, Unstored> {
        match self.fields.and_then(|(first, last)| row.span(first, last)) {
            Some(span) => self.songs.get_or_read(span, || read_song(row, columns)),
            None => read_song(row, columns),
        }
    }
}

/// The record's song from its fields, checked, then numbered.
fn read_song(row: &CsvRow<'_>, columns: &mut ListenColumns) -> Result<Song, Unstored> {
    let album = row.text_at(ALBUM)?;
    let artist = row.required_text_at(ARTIST)?;
    let track = row.required_text_at(TRACK)?;
    Ok(Song {
        artist: columns.artist.next_number(artist)?,
        track: columns.track.next_number(track)?,
        album: if album.is_empty() { None } else { Some(columns.album.next_number(album)?) },
    })
}

#[cfg(test)]
mod tests {
    use encore_domain::ListenSource;

    use super::*;

    /// A scrobble read: user, artist, track, album, line.
    type Scrobble = (String, String, String, Option<String>, u64);
    /// A rejection: line, field, reason.
    type Rejection = (u64, String, String);

    /// Each scrobble of `text`, and each rejection.
    fn read(text: &str) -> (Vec<Scrobble>, Vec<Rejection>) {
        let (names, data_start) = crate::table::header_of(text.as_bytes(), "s.csv").unwrap();
        let mut columns = ListenColumns::new(ListenSource::LastFm);
        let bytes = &text.as_bytes()[data_start..];
        let rejected = scrobble_columns(bytes, "s.csv", &names, 2, "folder", &mut columns);
        let listens = columns.listens("s.csv").into_iter();
        let rows =
            listens.map(|listen| (listen.user, listen.artist, listen.track, listen.playback.album, listen.source_line));
        let rejected = rejected.into_iter().map(|rejected| (rejected.line, rejected.field, rejected.reason));
        (rows.collect(), rejected.collect())
    }

    fn row(
        user: &str,
        artist: &str,
        track: &str,
        album: Option<&str>,
        line: u64,
    ) -> (String, String, String, Option<String>, u64) {
        (user.into(), artist.into(), track.into(), album.map(str::to_string), line)
    }

    #[test]
    fn a_song_known_by_its_span_reads_as_its_fields_do() {
        // The same songs again, one quoted (read field by field), one padded with spaces (another
        // span, the same fields), an empty track rejected each time it comes, mbids between.
        let text = "uts,username,artist,artist_mbid,album,track\n\
            1,minji,Ailee,m1,Goblin OST,첫눈처럼\n\
            2,,Ailee,m1,Goblin OST,첫눈처럼\n\
            3,jun,\"Chanyeol, Punch\",m2,,Stay With Me\n\
            4,jun,\"Chanyeol, Punch\",m2,,Stay With Me\n\
            5,minji,Ailee,m1,Goblin OST,\n\
            6,minji, Ailee ,m1,Goblin OST,첫눈처럼\n\
            7,minji,Ailee,m1,Goblin OST,\n\
            8,jun,Ailee,m1,Goblin OST,첫눈처럼\n";
        let (rows, rejected) = read(text);
        let goblin = Some("Goblin OST");
        assert_eq!(
            rows,
            [
                row("minji", "Ailee", "첫눈처럼", goblin, 2),
                row("folder", "Ailee", "첫눈처럼", goblin, 3),
                row("jun", "Chanyeol, Punch", "Stay With Me", None, 4),
                row("jun", "Chanyeol, Punch", "Stay With Me", None, 5),
                row("minji", "Ailee", "첫눈처럼", goblin, 7),
                row("jun", "Ailee", "첫눈처럼", goblin, 9),
            ]
        );
        let empty = |line| (line, "track".to_string(), "is empty".to_string());
        assert_eq!(rejected, [empty(6), empty(8)]);
    }

    #[test]
    fn songs_are_read_field_by_field_where_the_user_lies_between_them() {
        let text = "artist,username,track,date\nAilee,minji,첫눈처럼,1\nAilee,jun,첫눈처럼,2\nGummy,jun,,3\n";
        assert!(SongSpans::new(&["artist", "username", "track", "date"].map(String::from)).fields.is_none());
        let (rows, rejected) = read(text);
        assert_eq!(rows, [row("minji", "Ailee", "첫눈처럼", None, 2), row("jun", "Ailee", "첫눈처럼", None, 3)]);
        assert_eq!(rejected, [(4, "track".to_string(), "is empty".to_string())]);
    }
}
