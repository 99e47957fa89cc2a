//! One listening log read on every core and stored as it is read: its pieces ([`ListenLog`]) are
//! parsed into columns and matched by as many threads as the ingest has, while this thread
//! encodes them, in the file's order, into a part staged for the commit
//! ([`Store::stage_listen_columns`]). Each piece is dropped once it is encoded, so a log of a
//! hundred million listens is never held whole.
//! The listener of a row whose log names none is chosen here: the user's `--listener`, else the
//! folder the file is in (a user's export folder).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use encore_domain::ListenColumns;
use encore_ingest::{ListenLog, ListenPiece, Rejected};
use encore_store::{FileHash, StagedPart, Store, StoreError};

use crate::input::Input;
use crate::matching::{Matchers, SongMemo};

/// One log's listens, staged as one part, and what was not stored.
pub(crate) struct ListenRows {
    pub staged: StagedPart,
    pub rows: usize,
    pub matched: usize,
    pub rejected: Vec<Rejected>,
    /// Plays that are not music (podcasts, audiobooks).
    pub skipped: usize,
}

/// The listener of rows whose log names none: the one the user gave, else the name of the folder
/// holding the file; an upload has no folder, so only the one given.
pub(crate) fn default_listener(given: Option<&str>, input: &Input) -> String {
    if let Some(given) = given {
        return given.to_string();
    }
    match input {
        Input::Path(path) => folder_name(path),
        Input::Upload { .. } => String::new(),
    }
}

fn folder_name(path: &Path) -> String {
    let folder = path.parent().and_then(Path::file_name);
    folder.map(|name| name.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Pieces parsed ahead of the writer, per parsing thread: enough that no thread waits on the
/// writer, few enough that memory stays a few pieces deep.
const PIECES_AHEAD: usize = 2;

/// How a log being read is hashed.
pub(crate) enum Hashing<'h, 'b> {
    /// On a thread of its own, which sets `stop` when the hash shows the store held the file: no
    /// further piece is begun.
    Apart { stop: &'h AtomicBool },
    /// Here, as the pieces are staged: each share of the file is hashed once its piece is, while
    /// its bytes are still in memory (a log larger than memory is then read from disk once).
    Along(&'h mut FileHash<'b>),
}

/// Parses and matches every piece of `log` on up to `jobs` threads, and stages the pieces as one
/// part of `listens` on this thread as they come, hashing the file as `hashing` says.
pub(crate) fn read_listens(
    store: &Store,
    log: &ListenLog<'_>,
    file: &str,
    matchers: &Matchers,
    jobs: usize,
    hashing: Hashing<'_, '_>,
) -> Result<ListenRows, StoreError> {
    let pieces = log.most_pieces();
    stage_pieces(store, file, pieces, jobs, hashing, |index, memo| {
        log.parse_piece(index).map(|piece| matched_piece(piece, file, matchers, memo))
    })
}

/// Runs `read_piece` on every piece index, until one past the last, on up to `jobs` threads (no
/// more than `pieces`, at most how many there are) beside this one, which stages their listens
/// in the pieces' order as `file`'s; each thread matches through a memo of its own.
fn stage_pieces(
    store: &Store,
    file: &str,
    pieces: usize,
    jobs: usize,
    hashing: Hashing<'_, '_>,
    read_piece: impl Fn(usize, &mut SongMemo) -> Option<PieceRows> + Sync,
) -> Result<ListenRows, StoreError> {
    let never = AtomicBool::new(false);
    let (stop, hash) = match hashing {
        Hashing::Apart { stop } => (stop, None),
        Hashing::Along(hash) => (&never, Some(hash)),
    };
    let threads = jobs.clamp(1, pieces.max(1));
    let next = AtomicUsize::new(0);
    let mut tally = Tally::default();
    let staged = std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<(usize, PieceRows)>(threads * PIECES_AHEAD);
        for _ in 0..threads {
            let sender = sender.clone();
            let (next, read_piece) = (&next, &read_piece);
            scope.spawn(move || {
                let mut memo = SongMemo::default();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let Some(piece) = read_piece(index, &mut memo) else { return };
                    // The writer stopped (its disk failed): nothing more is wanted.
                    if sender.send((index, piece)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);
        let in_order = InOrder { receiver, waiting: BTreeMap::new(), expected: 0, tally: &mut tally, hash };
        // Should staging fail, a parsing thread still at work sends into a closed channel and stops.
        store.stage_listen_columns(file, in_order)
    })?;
    Ok(ListenRows {
        staged,
        rows: tally.rows,
        matched: tally.matched,
        rejected: tally.rejected,
        skipped: tally.skipped,
    })
}

/// What the pieces staged so far gave.
#[derive(Default)]
struct Tally {
    rows: usize,
    matched: usize,
    rejected: Vec<Rejected>,
    skipped: usize,
}

/// The pieces' listens in the pieces' order, whichever thread finished first; their counts and
/// rejections go to the tally as each is taken, and the file is hashed up to the piece's end.
struct InOrder<'a, 'b> {
    receiver: mpsc::Receiver<(usize, PieceRows)>,
    waiting: BTreeMap<usize, PieceRows>,
    expected: usize,
    tally: &'a mut Tally,
    hash: Option<&'a mut FileHash<'b>>,
}

impl Iterator for InOrder<'_, '_> {
    type Item = Result<ListenColumns, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let piece = match self.waiting.remove(&self.expected) {
                Some(piece) => piece,
                None => match self.receiver.recv() {
                    Ok((index, piece)) if index == self.expected => piece,
                    Ok((index, piece)) => {
                        self.waiting.insert(index, piece);
                        continue;
                    }
                    // Every thread is done: after a stop, the pieces begun are all there.
                    Err(_) => return None,
                },
            };
            self.expected += 1;
            if let Some(hash) = self.hash.as_deref_mut() {
                hash.hash_to(piece.end);
            }
            let tally = &mut *self.tally;
            tally.skipped += piece.skipped;
            tally.rejected.extend(piece.rejected);
            if let Some(columns) = piece.columns {
                tally.rows += columns.len();
                tally.matched += piece.matched;
                return Some(Ok(columns));
            }
        }
    }
}

struct PieceRows {
    columns: Option<ListenColumns>,
    matched: usize,
    rejected: Vec<Rejected>,
    skipped: usize,
    /// Where in the file the piece ends.
    end: usize,
}

/// A piece's listens matched, their rows' songs set.
fn matched_piece(piece: ListenPiece, file: &str, matchers: &Matchers, memo: &mut SongMemo) -> PieceRows {
    let ListenPiece { mut columns, mut rejected, skipped, end } = piece;
    if columns.is_empty() {
        return PieceRows { columns: None, matched: 0, rejected, skipped, end };
    }
    match matchers.match_listen_columns(&columns, memo) {
        Ok((songs, matched)) => {
            columns.song_id = songs;
            PieceRows { columns: Some(columns), matched, rejected, skipped, end }
        }
        // Our fault, not the file's, but its rows are still named rather than lost unsaid.
        Err(_) => {
            let (rows, first_line) = (columns.len(), columns.source_line[0]);
            let why = "their catalog songs are more text than a column holds";
            let reason = format!("{rows} listens from this line on could not be stored: {why}");
            rejected.push(Rejected::new(file, first_line, "", reason));
            rejected.sort_by_key(|rejected| rejected.line);
            PieceRows { columns: None, matched: 0, rejected, skipped, end }
        }
    }
}
