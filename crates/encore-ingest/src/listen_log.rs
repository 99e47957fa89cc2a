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
use crate::report::{Parsed, Rejected};
use crate::series_files::SeriesFormat;
use crate::split::{array_elements, element_pieces, Element, LinePieces};
use crate::{lastfm, listenbrainz, spotify_history};

/// Bytes per piece: big enough that a piece's bookkeeping is little beside its parse (each of its
/// distinct values is looked up once more when its dictionaries join a row group's), small enough
/// that a large file makes many pieces for the cores to share and a piece's columns stay in memory
/// the allocator reuses from piece to piece.
const PIECE_BYTES: usize = 4 << 20;

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
        self.each_row(index, &mut |row| {
            self.take(&mut piece, row);
            ControlFlow::Continue(())
        });
        // A CSV's records with a wrong number of fields are told once its piece is read.
        piece.rejected.sort_by_key(|rejected| rejected.line);
        Some(piece)
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
        } else if let Some(field) = self.account.filter(|_| listen.user != self.listener) {
            let reason = format!("listen of user {} in a file of user {}'s; not merged", listen.user, self.listener);
            piece.rejected.push(Rejected::new(self.file, listen.source_line, field, reason));
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
            Layout::Lines { row, pieces } => {
                let Some(piece) = pieces.get(index) else { return };
                let mut shapes = Shapes::default();
                for (offset, line) in lines(&self.bytes[piece.range.clone()]).enumerate() {
                    let line = line.strip_prefix(UTF8_BOM).unwrap_or(line);
                    if line.trim_ascii().is_empty() {
                        continue;
                    }
                    if each(row(line, self.file, piece.first_line + offset as u64, &mut shapes)).is_break() {
                        return;
                    }
                }
            }
            Layout::Array { row, elements, pieces } => {
                let Some(piece) = pieces.get(index) else { return };
                let mut shapes = Shapes::default();
                for element in &elements[piece.clone()] {
                    if each(row(&self.bytes[element.range.clone()], self.file, element.line, &mut shapes)).is_break() {
                        return;
                    }
                }
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
    fn a_per_account_file_gives_its_listener_to_rows_without_one() {
        let lines = b"{\"listened_at\":1,\"track_metadata\":{\"artist_name\":\"A\",\"track_name\":\"T\"}}\n\
            {\"listened_at\":2,\"user_name\":\"minji\",\"track_metadata\":{\"artist_name\":\"A\",\"track_name\":\"T\"}}\n";
        let parsed = parse_listenbrainz(lines, "lb.jsonl");
        assert_eq!(parsed.rows.iter().map(|row| row.user.as_str()).collect::<Vec<_>>(), ["minji", "minji"]);
        assert!(parsed.rejected.is_empty());
        assert_eq!(ListenLog::new(SeriesFormat::Pageviews, b"{}", "p.json", "").map(|log| log.most_pieces()), None);
    }
}
