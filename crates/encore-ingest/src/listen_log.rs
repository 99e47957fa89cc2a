//! A listening log (Last.fm CSV, ListenBrainz JSON, Spotify's two exports) read as pieces that
//! parse on their own, so the ingest can parse one large file on every core; each piece's listens
//! go straight into columns ([`ListenColumns`]), a few buffers a piece rather than a few strings a
//! listen, and a large file is never held whole.
//!
//! A per-account export (Spotify's, ListenBrainz's) is one listener's: the first row's user is
//! the file's, a row without a user is the file's listener's, and a row naming another user is
//! rejected rather than merged. A Last.fm CSV with a user column is many listeners' on purpose and
//! is not checked. A row whose log names no user at all is given the listener the ingest names
//! (`--listener`, or the folder the file is in).

use std::borrow::Cow;
use std::ops::{ControlFlow, Range};

use encore_domain::{Listen, ListenColumns, ListenFields, ListenSource};

use crate::json_fields::Shapes;
use crate::listen_fields::{JsonRow, Unstored};
use crate::listenbrainz::{Songs, Stored};
use crate::report::{Parsed, Rejected};
use crate::series_files::SeriesFormat;
use crate::split::{array_elements, element_pieces, Element, LinePieces};
use crate::{lastfm, listenbrainz, spotify_history};

/// Bytes per piece: big enough that a piece's bookkeeping is little beside its parse (each of its
/// distinct values is looked up once more when its dictionaries join a row group's, and each of
/// its songs is read whole once before its text is known, see `SpanMemo`), small enough
/// that a large file makes many pieces for the cores to share and a piece's columns stay in memory
/// the allocator reuses from piece to piece.
const PIECE_BYTES: usize = 16 << 20;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why a listen whose text does not fit its piece's columns is rejected.
pub(crate) const NOT_STORED: &str =
    "not stored: this piece of the file holds more distinct text than a column can (2 GiB)";

/// One row of a log: a listen, a play that is not music (`None`), or a rejection.
type Row<'r> = Result<Option<ListenFields<'r>>, Rejected>;

/// Reads one row of a JSON log from its text, file name and line, given the layouts of the rows
/// read before it.
type RowParser = for<'r> fn(&'r [u8], &str, u64, &mut Shapes) -> Row<'r>;

/// A listening log, cut into pieces; see the module's documentation.
pub struct ListenLog<'a> {
    file: &'a str,
    bytes: &'a [u8],
    source: ListenSource,
    layout: Layout<'a>,
    /// The user given to rows that name none: the file's (its first row's) in a per-account
    /// export that names one, else the one the ingest named.
    listener: Cow<'a, str>,
    /// For a per-account export that names its user: the field naming a row's user, whose rows
    /// of another user are rejected.
    account: Option<&'static str>,
}

enum Layout<'a> {
    /// JSON lines, one row a line.
    Lines { row: RowParser, pieces: LinePieces<'a> },
    /// A JSON array's elements, in pieces of consecutive elements.
    Array { row: RowParser, elements: Vec<Element>, pieces: Vec<Range<usize>> },
    /// ListenBrainz's API answer, read whole (the API answers at most a thousand listens).
    Answer,
    /// Scrobble CSV records, named by the header or the header-less layout.
    Csv { names: Vec<String>, pieces: LinePieces<'a> },
    /// Nothing readable: the file's one rejection.
    Unreadable(Rejected),
}

/// One piece's listens as columns, what was rejected (by line), how many plays were not music,
/// and where in the file the piece ends.
#[derive(Debug)]
pub struct ListenPiece {
    pub columns: ListenColumns,
    pub rejected: Vec<Rejected>,
    pub skipped: usize,
    pub end: usize,
}

impl<'a> ListenLog<'a> {
    /// The log of a listens format, its rows without a user given `listener`; `None` for a format
    /// that is not one.
    pub fn new(format: SeriesFormat, bytes: &'a [u8], file: &'a str, listener: &'a str) -> Option<ListenLog<'a>> {
        ListenLog::with_piece_bytes(format, bytes, file, listener, PIECE_BYTES)
    }

    pub(crate) fn with_piece_bytes(
        format: SeriesFormat,
        bytes: &'a [u8],
        file: &'a str,
        listener: &'a str,
        piece_bytes: usize,
    ) -> Option<ListenLog<'a>> {
        let listener = Cow::Borrowed(listener);
        let (row, user_field, source): (RowParser, Option<&'static str>, _) = match format {
            SeriesFormat::LastFm => {
                let layout = match lastfm::layout(bytes, file) {
                    Ok(layout) => {
                        let pieces = LinePieces::new(bytes, layout.data_start, layout.first_line, piece_bytes, true);
                        Layout::Csv { names: layout.names, pieces }
                    }
                    Err(rejected) => Layout::Unreadable(rejected),
                };
                let source = ListenSource::LastFm;
                return Some(ListenLog { file, bytes, source, layout, listener, account: None });
            }
            SeriesFormat::ListenBrainz => {
                (listenbrainz::listen, Some(listenbrainz::USER_FIELD), ListenSource::ListenBrainz)
            }
            SeriesFormat::SpotifyExtended => {
                (spotify_history::extended_play, Some(spotify_history::USER_FIELD), ListenSource::SpotifyExtended)
            }
            SeriesFormat::SpotifyAccount => (spotify_history::account_play, None, ListenSource::SpotifyAccount),
            _ => return None,
        };
        let text = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes).trim_ascii_start();
        let layout = if text.starts_with(b"[") {
            match array_elements(bytes, 0..bytes.len()) {
                Ok(elements) => {
                    let pieces = element_pieces(&elements, piece_bytes);
                    Layout::Array { row, elements, pieces }
                }
                Err(line) => Layout::Unreadable(Rejected::new(file, line, "", "not a JSON array of listens")),
            }
        } else if format == SeriesFormat::ListenBrainz && is_answer(text) {
            Layout::Answer
        } else {
            Layout::Lines { row, pieces: LinePieces::new(bytes, 0, 1, piece_bytes, false) }
        };
        let mut log = ListenLog { file, bytes, source, layout, listener, account: None };
        if let Some(field) = user_field {
            if let Some(user) = log.first_user() {
                log.listener = Cow::Owned(user);
                log.account = Some(field);
            }
        }
        Some(log)
    }

    /// At most how many pieces [`ListenLog::parse_piece`] takes (at least one, which reports a
    /// file that cannot be read at all). A file of lines is cut as it is read, so how many it
    /// makes is known only at its end.
    pub fn most_pieces(&self) -> usize {
        match &self.layout {
            Layout::Lines { pieces, .. } | Layout::Csv { pieces, .. } => pieces.most(),
            Layout::Array { pieces, .. } => pieces.len().max(1),
            Layout::Answer | Layout::Unreadable(_) => 1,
        }
    }

    /// The listens and rejections of piece `index`, rows in the file's order, rejections by line;
    /// `None` past the last piece (the first piece always is one: it reports a file that cannot be
    /// read at all).
    pub fn parse_piece(&self, index: usize) -> Option<ListenPiece> {
        let end = self.piece_end(index)?;
        let columns = ListenColumns::with_capacity(self.source, self.rows_room(index));
        let mut piece = ListenPiece { columns, rejected: Vec::new(), skipped: 0, end };
        if let Layout::Csv { names, pieces } = &self.layout {
            // A CSV's records go straight into the columns: it names no file's listener.
            if let Some(lines) = pieces.get(index) {
                let bytes = &self.bytes[lines.range.clone()];
                piece.rejected = lastfm::scrobble_columns(
                    bytes,
                    self.file,
                    names,
                    lines.first_line,
                    &self.listener,
                    &mut piece.columns,
                );
            }
            return Some(piece);
        }
        let json_rows = matches!(self.layout, Layout::Lines { .. } | Layout::Array { .. });
        if self.source == ListenSource::ListenBrainz && json_rows {
            self.numbered_listens(index, &mut piece);
        } else {
            self.each_row(index, &mut |row| {
                self.take(&mut piece, row);
                ControlFlow::Continue(())
            });
        }
        Some(piece)
    }

    /// The ListenBrainz listens of piece `index` of JSON lines or a JSON array straight into its
    /// columns (see [`listenbrainz::numbered`]).
    fn numbered_listens(&self, index: usize, piece: &mut ListenPiece) {
        let owner = self.owner();
        let mut shapes = Shapes::default();
        let mut songs = Songs::default();
        self.each_text(index, &mut |text, line| {
            let row = JsonRow { file: self.file, line };
            let rows = piece.columns.len();
            match listenbrainz::numbered(text, row, &owner, &mut shapes, &mut songs, &mut piece.columns) {
                Ok(Stored::Numbered(listen)) => piece.columns.push_numbered(listen),
                Ok(Stored::Fields(listen)) => self.take(piece, Ok(Some(listen))),
                Err(Unstored::Rejected(rejected)) => piece.rejected.push(rejected),
                Err(Unstored::Full) => {
                    // What the listen numbered before it failed goes, and the songs that knew it.
                    piece.columns.truncate(rows);
                    songs = Songs::default();
                    piece.rejected.push(Rejected::new(self.file, line, "", NOT_STORED));
                }
            }
            ControlFlow::Continue(())
        });
    }

    /// Whose listens the log's are.
    fn owner(&self) -> Owner<'_> {
        Owner { file: self.file, listener: &self.listener, account: self.account }
    }

    /// Room for the rows of piece `index`: its lines, or its elements.
    fn rows_room(&self, index: usize) -> usize {
        match &self.layout {
            Layout::Lines { pieces, .. } | Layout::Csv { pieces, .. } => {
                pieces.get(index).map_or(0, |piece| usize::try_from(piece.lines).unwrap_or(0))
            }
            Layout::Array { pieces, .. } => pieces.get(index).map_or(0, ExactSizeIterator::len),
            Layout::Answer | Layout::Unreadable(_) => 0,
        }
    }

    /// Where piece `index` ends in the file; `None` past the last piece.
    fn piece_end(&self, index: usize) -> Option<usize> {
        let whole = self.bytes.len();
        match &self.layout {
            Layout::Lines { pieces, .. } | Layout::Csv { pieces, .. } => match pieces.get(index) {
                Some(piece) => Some(piece.range.end),
                None => (index == 0).then_some(whole),
            },
            Layout::Array { elements, pieces, .. } => match pieces.get(index) {
                Some(piece) if index + 1 < pieces.len() => Some(elements[piece.end].range.start),
                _ => (index == 0 || index < pieces.len()).then_some(whole),
            },
            Layout::Answer | Layout::Unreadable(_) => (index == 0).then_some(whole),
        }
    }

    /// One row into `piece`: a listen given its listener (or rejected for naming another user),
    /// a play that is not music counted, a rejection kept.
    fn take(&self, piece: &mut ListenPiece, row: Row<'_>) {
        let mut listen = match row {
            Ok(Some(listen)) => listen,
            Ok(None) => {
                piece.skipped += 1;
                return;
            }
            Err(rejected) => {
                piece.rejected.push(rejected);
                return;
            }
        };
        if listen.user.is_empty() {
            listen.user = Cow::Borrowed(&self.listener);
        } else if let Err(rejected) = self.owner().user(&listen.user, listen.source_line) {
            piece.rejected.push(rejected);
            return;
        }
        if piece.columns.push(&listen).is_err() {
            piece.rejected.push(Rejected::new(self.file, listen.source_line, "", NOT_STORED));
        }
    }

    /// Every piece, one after another, as rows naming the file.
    pub fn parse_all(&self) -> Parsed<Listen> {
        let mut parsed = Parsed::default();
        for piece in (0..).map_while(|index| self.parse_piece(index)) {
            parsed.extend(Parsed {
                rows: piece.columns.listens(self.file),
                rejected: piece.rejected,
                skipped: piece.skipped,
            });
        }
        parsed
    }

    /// The user of the first row that names one.
    fn first_user(&self) -> Option<String> {
        let mut found = None;
        for index in (0..).take_while(|&index| self.piece_end(index).is_some()) {
            self.each_row(index, &mut |row| match row {
                Ok(Some(listen)) if !listen.user.is_empty() => {
                    found = Some(listen.user.into_owned());
                    ControlFlow::Break(())
                }
                _ => ControlFlow::Continue(()),
            });
            if found.is_some() {
                break;
            }
        }
        found
    }

    /// Hands each row of piece `index` of a JSON log to `each`, in the file's order, until it
    /// breaks.
    fn each_row(&self, index: usize, each: &mut dyn FnMut(Row<'_>) -> ControlFlow<()>) {
        match &self.layout {
            Layout::Lines { row, .. } | Layout::Array { row, .. } => {
                let mut shapes = Shapes::default();
                self.each_text(index, &mut |text, line| each(row(text, self.file, line, &mut shapes)));
            }
            Layout::Answer if index == 0 => {
                for row in listenbrainz::answer_listens(self.bytes, self.file) {
                    if each(row).is_break() {
                        return;
                    }
                }
            }
            Layout::Unreadable(rejected) if index == 0 => {
                let _ = each(Err(rejected.clone()));
            }
            // A CSV's records are read into columns by `parse_piece`.
            Layout::Csv { .. } | Layout::Answer | Layout::Unreadable(_) => {}
        }
    }

    /// Hands the text and line of each row of piece `index` of JSON lines or a JSON array to
    /// `each`, in the file's order, until it breaks.
    fn each_text(&self, index: usize, each: &mut dyn FnMut(&'a [u8], u64) -> ControlFlow<()>) {
        match &self.layout {
            Layout::Lines { pieces, .. } => {
                let Some(piece) = pieces.get(index) else { return };
                for (offset, line) in lines(&self.bytes[piece.range.clone()]).enumerate() {
                    let line = line.strip_prefix(UTF8_BOM).unwrap_or(line);
                    if line.trim_ascii().is_empty() {
                        continue;
                    }
                    if each(line, piece.first_line + offset as u64).is_break() {
                        return;
                    }
                }
            }
            Layout::Array { elements, pieces, .. } => {
                let Some(piece) = pieces.get(index) else { return };
                for element in &elements[piece.clone()] {
                    if each(&self.bytes[element.range.clone()], element.line).is_break() {
                        return;
                    }
                }
            }
            Layout::Answer | Layout::Csv { .. } | Layout::Unreadable(_) => {}
        }
    }
}

/// Whose a log's listens are: see [`ListenLog`].
pub(crate) struct Owner<'l> {
    file: &'l str,
    listener: &'l str,
    account: Option<&'static str>,
}

impl Owner<'_> {
    /// The user a listen on `line` naming `user` (empty for none) is stored as: the log's
    /// listener for none; a per-account export's listen of another user is rejected.
    pub(crate) fn user<'u>(&'u self, user: &'u str, line: u64) -> Result<&'u str, Rejected> {
        if user.is_empty() {
            return Ok(self.listener);
        }
        match self.account.filter(|_| user != self.listener) {
            Some(field) => {
                let reason = format!("listen of user {user} in a file of user {}'s; not merged", self.listener);
                Err(Rejected::new(self.file, line, field, reason))
            }
            None => Ok(user),
        }
    }
}

/// The lines of `bytes`, split at `\n` as `split` would (a last line without one included), the
/// line ends found many bytes at a time rather than one by one.
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    ends.map(move |end| {
        let line = &bytes[start..end];
        start = end + 1;
        line
    })
}

/// Whether JSON text is an API answer (`{"payload": …}`) rather than the first of JSON lines.
fn is_answer(text: &[u8]) -> bool {
    text.strip_prefix(b"{").is_some_and(|object| object.trim_ascii_start().starts_with(b"\"payload\""))
}

/// Parses a whole Last.fm scrobble CSV (see [`ListenLog`]).
pub fn parse_lastfm(bytes: &[u8], file_name: &str) -> Parsed<Listen> {
    parse_log(SeriesFormat::LastFm, bytes, file_name)
}

/// Parses a whole ListenBrainz export or API answer (see [`ListenLog`]).
pub fn parse_listenbrainz(bytes: &[u8], file_name: &str) -> Parsed<Listen> {
    parse_log(SeriesFormat::ListenBrainz, bytes, file_name)
}

/// Parses a whole Spotify extended streaming history file (see [`ListenLog`]).
pub fn parse_spotify_extended(bytes: &[u8], file_name: &str) -> Parsed<Listen> {
    parse_log(SeriesFormat::SpotifyExtended, bytes, file_name)
}

/// Parses a whole Spotify account data streaming history file (see [`ListenLog`]).
pub fn parse_spotify_account(bytes: &[u8], file_name: &str) -> Parsed<Listen> {
    parse_log(SeriesFormat::SpotifyAccount, bytes, file_name)
}

fn parse_log(format: SeriesFormat, bytes: &[u8], file_name: &str) -> Parsed<Listen> {
    ListenLog::new(format, bytes, file_name, "").map(|log| log.parse_all()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/series").join(name))
            .unwrap()
    }

    #[test]
    fn a_log_cut_in_pieces_of_any_size_reads_as_the_whole_file() {
        let files = [
            (SeriesFormat::LastFm, "lastfm-scrobbles.csv"),
            (SeriesFormat::LastFm, "lastfm-export.csv"),
            (SeriesFormat::ListenBrainz, "listenbrainz-export.json"),
            (SeriesFormat::ListenBrainz, "listenbrainz-listens.jsonl"),
            (SeriesFormat::SpotifyExtended, "Streaming_History_Audio_2023.json"),
            (SeriesFormat::SpotifyAccount, "StreamingHistory_music_0.json"),
        ];
        let quoted =
            b"user,timestamp,artist,track\nminji,1,\"A\nB\",T\nminji,2,\"C,\"\"D\"\"\",U\nminji,x,E,V\n".to_vec();
        for (format, name) in files {
            let bytes = fixture(name);
            let whole = ListenLog::with_piece_bytes(format, &bytes, name, "", usize::MAX).unwrap();
            assert!(whole.parse_piece(0).is_some() && whole.parse_piece(1).is_none(), "{name}");
            let expected = whole.parse_all();
            for piece_bytes in [1, 7, 50, 300] {
                let log = ListenLog::with_piece_bytes(format, &bytes, name, "", piece_bytes).unwrap();
                assert_eq!(log.parse_all(), expected, "{name} in pieces of {piece_bytes} bytes");
            }
        }
        let whole =
            ListenLog::with_piece_bytes(SeriesFormat::LastFm, &quoted, "q.csv", "", usize::MAX).unwrap().parse_all();
        assert_eq!((whole.rows.len(), whole.rejected[0].line), (2, 5));
        for piece_bytes in [1, 5, 30] {
            let log = ListenLog::with_piece_bytes(SeriesFormat::LastFm, &quoted, "q.csv", "", piece_bytes).unwrap();
            assert_eq!(log.parse_all(), whole, "pieces of {piece_bytes}");
        }
    }

    #[test]
    fn rejections_name_the_line_after_a_header_ended_by_crlf() {
        let text = b"uts,username,artist,track\r\n1600000000,a,X,Y\r\nbad,a,X,Y\r\n\"1\",a,\"X\",\"Y\r\nZ\"\r\nworse,a,X,Y\r\n";
        for piece_bytes in [1, 10, usize::MAX] {
            let log = ListenLog::with_piece_bytes(SeriesFormat::LastFm, text, "crlf.csv", "", piece_bytes).unwrap();
            let parsed = log.parse_all();
            let lines: Vec<u64> = parsed.rejected.iter().map(|rejected| rejected.line).collect();
            assert_eq!((parsed.rows.len(), lines), (2, vec![3, 6]), "pieces of {piece_bytes} bytes");
            assert_eq!(parsed.rows[1].track, "Y\r\nZ");
        }
    }

    #[test]
    fn lines_split_as_split_does() {
        for text in [&b""[..], b"\n", b"a", b"a\n", b"a\nbc\n\nd", b"\n\nx"] {
            let expected: Vec<&[u8]> = text.split(|&byte| byte == b'\n').collect();
            assert_eq!(lines(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    #[test]
    fn listenbrainz_listens_read_into_columns_are_the_listens_read_one_by_one() {
        let fixture = String::from_utf8(fixture("listenbrainz-listens.jsonl")).unwrap();
        let song = r#""track_metadata": {"artist_name": "Ailee", "track_name": "Snow", "release_name": "OST"}"#;
        let lines = [
            format!(r#"{{"listened_at": 1, "user_name": "minji", {song}}}"#),
            // The same song again, in the same layout and in others.
            format!(r#"{{"listened_at": 2, "user_name": "minji", {song}}}"#),
            format!(r#"{{"listened_at": 3, {song}}}"#),
            format!(r#"{{"listened_at": 4, {song}, "user_name": " minji "}}"#),
            r#"{"listened_at": 5, "user_name": "minji", "track_metadata": {"artist_name": "Ailee ", "track_name": "Snow", "release_name": "OST"}}"#.into(),
            r#"{"listened_at": 6, "user_name": "minji", "track_metadata": {"release_name": "OST", "artist_name": "Ailee", "track_name": "Snow"}}"#.into(),
            // Another user, a user that is not text, each with a song good and bad, new and known.
            format!(r#"{{"listened_at": 7, "user_name": "jun", {song}}}"#),
            r#"{"listened_at": 8, "user_name": "jun", "track_metadata": {"artist_name": "New", "track_name": "Song"}}"#.into(),
            r#"{"listened_at": 9, "user_name": 7, "track_metadata": {"artist_name": "Newer", "track_name": "Song"}}"#.into(),
            r#"{"listened_at": 10, "user_name": 7, "track_metadata": {"artist_name": "", "track_name": "Song"}}"#.into(),
            // A rejected song, twice, then read well.
            r#"{"listened_at": 11, "user_name": "minji", "track_metadata": {"artist_name": "", "track_name": "Song"}}"#.into(),
            r#"{"listened_at": 12, "user_name": "minji", "track_metadata": {"artist_name": "", "track_name": "Song"}}"#.into(),
            r#"{"listened_at": 13, "user_name": "minji", "track_metadata": {"artist_name": "Late", "track_name": "Song"}}"#.into(),
            // Escapes, a fraction the scan leaves to serde, a bad time, mbids and durations.
            r#"{"listened_at": 14, "user_name": "minji", "track_metadata": {"artist_name": "\u00c9 \"q\"", "track_name": "Song"}}"#.into(),
            r#"{"listened_at": 15, "user_name": "minji", "track_metadata": {"artist_name": "A", "track_name": "T", "additional_info": {"duration": 213.5}}}"#.into(),
            r#"{"listened_at": "x", "user_name": "minji", "track_metadata": {"artist_name": "A", "track_name": "T"}}"#.into(),
            r#"{"listened_at": 16, "user_name": "minji", "track_metadata": {"artist_name": "A", "track_name": "T", "additional_info": {"duration_ms": 1000, "recording_mbid": "m1"}}}"#.into(),
            r#"{"listened_at": 17, "user_name": "minji", "track_metadata": {"artist_name": "A", "track_name": "T", "additional_info": {"duration_ms": 2000, "recording_mbid": "m1"}}}"#.into(),
            r#"{"listened_at": 18, "user_name": "minji", "track_metadata": {"artist_name": "A", "track_name": "T", "mbid_mapping": {"recording_mbid": "m2"}}}"#.into(),
            r#"{"listened_at": 19, "user_name": "minji", "track_metadata": null}"#.into(),
            "not json".into(),
        ];
        let text = fixture.lines().map(str::to_string).chain(lines).collect::<Vec<_>>().join("\n");
        let log = ListenLog::new(SeriesFormat::ListenBrainz, text.as_bytes(), "lb.jsonl", "folder").unwrap();
        let numbered = log.parse_all();
        // The same listens through the row parser, one listen at a time.
        let mut one_by_one = Parsed::default();
        for index in (0..).take_while(|&index| log.piece_end(index).is_some()) {
            let mut piece = ListenPiece {
                columns: ListenColumns::new(ListenSource::ListenBrainz),
                rejected: Vec::new(),
                skipped: 0,
                end: 0,
            };
            log.each_row(index, &mut |row| {
                log.take(&mut piece, row);
                ControlFlow::Continue(())
            });
            one_by_one.extend(Parsed {
                rows: piece.columns.listens("lb.jsonl"),
                rejected: piece.rejected,
                skipped: piece.skipped,
            });
        }
        assert_eq!(numbered, one_by_one);
        let users: Vec<&str> = numbered.rows.iter().map(|row| row.user.as_str()).collect();
        assert!(users.iter().all(|user| *user == "minji"), "{users:?}");
        assert!(numbered.rows.len() > 10 && numbered.rejected.len() > 8, "{numbered:?}");
        let durations: Vec<Option<i64>> = numbered.rows.iter().map(|row| row.playback.duration_ms).collect();
        assert!(durations.contains(&Some(213_500)) && durations.contains(&Some(2000)));
    }

    #[test]
    fn a_per_account_file_gives_its_listener_to_rows_without_one() {
        let lines = b"{\"listened_at\":1,\"track_metadata\":{\"artist_name\":\"A\",\"track_name\":\"T\"}}\n\
            {\"listened_at\":2,\"user_name\":\"minji\",\"track_metadata\":{\"artist_name\":\"A\",\"track_name\":\"T\"}}\n";
        let parsed = parse_listenbrainz(lines, "lb.jsonl");
        assert_eq!(parsed.rows.iter().map(|row| row.user.as_str()).collect::<Vec<_>>(), ["minji", "minji"]);
        assert!(parsed.rejected.is_empty());
        assert_eq!(ListenLog::new(SeriesFormat::Pageviews, b"{}", "p.json", "").map(|log| log.most_pieces()), None);
    }
}
