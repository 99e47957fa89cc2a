//! One listening log read on every core: its pieces ([`ListenLog`]) are parsed, matched and turned
//! into Arrow columns by as many threads as the ingest has, each piece's listens dropped as soon
//! as they are columns, so a log of ten million listens is never ten million `Listen`s at once.
//! The listener of a row whose log names none is given here: the user's `--listener`, else the
//! folder the file is in (a user's export folder).

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use encore_domain::Listen;
use encore_ingest::{ListenLog, Parsed, Rejected};
use encore_store::ListenColumns;

use crate::input::Input;
use crate::matching::Matchers;

/// One log's listens as columns, in the file's order, and what was not stored.
pub(crate) struct ListenRows {
    pub columns: Vec<ListenColumns>,
    pub rows: usize,
    pub matched: usize,
    pub rejected: Vec<Rejected>,
    /// Plays that are not music (podcasts, audiobooks).
    pub skipped: usize,
}

impl ListenRows {
    /// Listens parsed whole, as columns (for a parser of listens that is not a [`ListenLog`]).
    pub(crate) fn of_parsed(parsed: Parsed<Listen>) -> ListenRows {
        let piece = piece_columns(parsed, None, "");
        let matched = piece.matched;
        let columns = piece.columns.into_iter().collect();
        ListenRows { columns, rows: piece.rows, matched, rejected: piece.rejected, skipped: piece.skipped }
    }
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

/// Parses, matches and turns into columns every piece of `log` on up to `jobs` threads (this one
/// among them); once `stop` is set, no further piece is begun.
pub(crate) fn read_listens(
    log: &ListenLog<'_>,
    matchers: &Matchers,
    listener: &str,
    jobs: usize,
    stop: &AtomicBool,
) -> ListenRows {
    let pieces = log.pieces();
    let read_piece = |index: usize| piece_columns(log.parse_piece(index), Some(matchers), listener);
    let threads = jobs.clamp(1, pieces.max(1));
    let mut done: Vec<(usize, PieceRows)> = if threads == 1 {
        (0..pieces).take_while(|_| !stop.load(Ordering::Relaxed)).map(|index| (index, read_piece(index))).collect()
    } else {
        let next = AtomicUsize::new(0);
        let work = || {
            let mut mine = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= pieces || stop.load(Ordering::Relaxed) {
                    return mine;
                }
                mine.push((index, read_piece(index)));
            }
        };
        std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
            let mut all = work();
            for helper in helpers {
                // A helper that panicked loses its pieces; the panic is the bug to see, so pass it on.
                match helper.join() {
                    Ok(theirs) => all.extend(theirs),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            all
        })
    };
    done.sort_by_key(|(index, _)| *index);
    let mut rows = ListenRows { columns: Vec::new(), rows: 0, matched: 0, rejected: Vec::new(), skipped: 0 };
    for (_, piece) in done {
        rows.rows += piece.rows;
        rows.matched += piece.matched;
        rows.skipped += piece.skipped;
        rows.rejected.extend(piece.rejected);
        rows.columns.extend(piece.columns);
    }
    rows
}

struct PieceRows {
    columns: Option<ListenColumns>,
    rows: usize,
    matched: usize,
    rejected: Vec<Rejected>,
    skipped: usize,
}

/// A piece's listens given their listener, matched (unless matched already: `matchers` is `None`)
/// and turned into columns.
fn piece_columns(mut parsed: Parsed<Listen>, matchers: Option<&Matchers>, listener: &str) -> PieceRows {
    for listen in &mut parsed.rows {
        if listen.user.is_empty() {
            listen.user = listener.to_string();
        }
    }
    if let Some(matchers) = matchers {
        matchers.match_listens(&mut parsed.rows);
    }
    let matched = parsed.rows.iter().filter(|listen| listen.song_id.is_some()).count();
    let mut rejected = parsed.rejected;
    let (columns, rows) = if parsed.rows.is_empty() {
        (None, 0)
    } else {
        match ListenColumns::of(&parsed.rows) {
            Ok(columns) => (Some(columns), parsed.rows.len()),
            // Our fault, not the file's, but its rows are still named rather than lost unsaid.
            Err(error) => {
                let first = &parsed.rows[0];
                let reason = format!("{} listens from this line on could not be stored: {error}", parsed.rows.len());
                rejected.push(Rejected::new(first.source_file.as_str(), first.source_line, "", reason));
                (None, 0)
            }
        }
    };
    PieceRows { columns, rows, matched: if rows == 0 { 0 } else { matched }, rejected, skipped: parsed.skipped }
}
