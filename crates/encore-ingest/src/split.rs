//! Cutting a listening log into pieces that parse on their own, so one large file parses on every
//! core: JSON lines and CSV at line ends (a CSV's only outside quotes, where a record may hold a
//! line break), a JSON array between its elements. Each piece knows the file's line it starts on,
//! so rejections name the same lines however the file was cut.

use std::ops::Range;
use std::sync::{Mutex, PoisonError};

/// A run of whole rows: bytes `range` of the file, starting on line `first_line` (1-based) and
/// holding `lines` lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    pub range: Range<usize>,
    pub first_line: u64,
    pub lines: u64,
}

fn newlines(bytes: &[u8]) -> u64 {
    occurrences(bytes, b'\n')
}

/// How many times `needle` is in `bytes`. The whole of a large file passes through here before
/// its pieces are parsed on every core, so it must run at memory speed: each run of 255 bytes is
/// counted in a one-byte sum, which the compiler turns into wide compares and subtractions (a
/// count straight into a `usize` compiles to a loop several times slower).
fn occurrences(bytes: &[u8], needle: u8) -> u64 {
    bytes.chunks(255).map(|run| u64::from(run.iter().fold(0u8, |count, &byte| count + u8::from(byte == needle)))).sum()
}

/// How many times each of two bytes is in `bytes`, counted in one pass as [`occurrences`] counts.
fn occurrences_of_two(bytes: &[u8], first: u8, second: u8) -> (u64, u64) {
    bytes.chunks(255).fold((0, 0), |(firsts, seconds), run| {
        let (in_run_first, in_run_second) = run.iter().fold((0u8, 0u8), |(first_count, second_count), &byte| {
            (first_count + u8::from(byte == first), second_count + u8::from(byte == second))
        });
        (firsts + u64::from(in_run_first), seconds + u64::from(in_run_second))
    })
}

/// `bytes[start..]` cut after a line end roughly every `target` bytes; with `quoted`, only after a
/// line end outside double quotes (CSV: `""` inside quotes toggles twice, so it needs no case of
/// its own). `start` must begin a row; `first_line` is its line.
#[cfg(test)]
pub(crate) fn line_pieces(bytes: &[u8], start: usize, first_line: u64, target: usize, quoted: bool) -> Vec<Piece> {
    let cuts = LinePieces::new(bytes, start, first_line, target, quoted);
    (0..).map_while(|index| cuts.get(index)).collect()
}

/// A file cut into pieces of whole lines as [`line_pieces`] cuts it, each cut made when a piece
/// is first asked for: the threads parsing the pieces make the cuts as they go, each over the
/// bytes it is about to parse, rather than one thread reading the whole file before any parse
/// begins.
pub(crate) struct LinePieces<'a> {
    bytes: &'a [u8],
    target: usize,
    quoted: bool,
    cut: Mutex<Cut>,
}

/// The pieces cut so far, and where the next begins.
struct Cut {
    pieces: Vec<Piece>,
    start: usize,
    line: u64,
}

impl<'a> LinePieces<'a> {
    pub(crate) fn new(bytes: &'a [u8], start: usize, first_line: u64, target: usize, quoted: bool) -> LinePieces<'a> {
        let cut = Mutex::new(Cut { pieces: Vec::new(), start, line: first_line });
        LinePieces { bytes, target: target.max(1), quoted, cut }
    }

    /// Piece `index` (the file cut up to it first); `None` past the file's end.
    pub(crate) fn get(&self, index: usize) -> Option<Piece> {
        // A cut is whole before the lock is let go, so a thread that panicked left none half made.
        let mut cut = self.cut.lock().unwrap_or_else(PoisonError::into_inner);
        while cut.pieces.len() <= index && cut.start < self.bytes.len() {
            let piece = self.next_piece(cut.start, cut.line);
            (cut.start, cut.line) = (piece.range.end, piece.end_line);
            let lines = piece.end_line - piece.first_line;
            cut.pieces.push(Piece { range: piece.range, first_line: piece.first_line, lines });
        }
        cut.pieces.get(index).cloned()
    }

    /// At most how many pieces there are.
    pub(crate) fn most(&self) -> usize {
        self.bytes.len() / self.target + 1
    }

    /// The piece beginning at `start` on `line`, and the line after it, the bytes read once.
    fn next_piece(&self, start: usize, line: u64) -> CutPiece {
        let bytes = self.bytes;
        let aim = start.saturating_add(self.target).min(bytes.len());
        let (newlines, quotes) = match self.quoted {
            true => occurrences_of_two(&bytes[start..aim], b'\n', b'"'),
            false => (newlines(&bytes[start..aim]), 0),
        };
        let mut end_line = line + newlines;
        let mut inside_quotes = self.quoted && quotes % 2 == 1;
        let mut end = bytes.len();
        for (offset, &byte) in bytes[aim..].iter().enumerate() {
            match byte {
                b'"' if self.quoted => inside_quotes = !inside_quotes,
                b'\n' if !inside_quotes => {
                    end = aim + offset + 1;
                    end_line += 1;
                    break;
                }
                b'\n' => end_line += 1,
                _ => {}
            }
        }
        CutPiece { range: start..end, first_line: line, end_line }
    }
}

struct CutPiece {
    range: Range<usize>,
    first_line: u64,
    end_line: u64,
}

/// One element of a JSON array: its bytes and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    pub range: Range<usize>,
    pub line: u64,
}

/// The elements of the JSON array `bytes[range]` holds, found by their brackets and quotes without
/// parsing them, so a malformed element is one rejected row, not a lost file. `Err` gives the line
/// where the text stops being an array.
pub(crate) fn array_elements(bytes: &[u8], range: Range<usize>) -> Result<Vec<Element>, u64> {
    let end = range.end.min(bytes.len());
    let mut position = skip_space(bytes, range.start, end);
    let mut line = 1 + newlines(&bytes[..position]);
    let line_at = |line: &mut u64, from: usize, to: usize| *line += newlines(&bytes[from..to]);
    if bytes.get(position) != Some(&b'[') {
        return Err(line);
    }
    let mut elements = Vec::new();
    let after_bracket = skip_space(bytes, position + 1, end);
    line_at(&mut line, position, after_bracket);
    position = after_bracket;
    if bytes.get(position) == Some(&b']') {
        return Ok(elements);
    }
    loop {
        let value_end = value_end(bytes, position, end);
        elements.push(Element { range: position..value_end, line });
        let next = skip_space(bytes, value_end, end);
        line_at(&mut line, position, next);
        match bytes.get(next) {
            Some(b',') if next < end => {
                position = skip_space(bytes, next + 1, end);
                line_at(&mut line, next, position);
            }
            Some(b']') if next < end => return Ok(elements),
            _ => return Err(line),
        }
    }
}

fn skip_space(bytes: &[u8], mut position: usize, end: usize) -> usize {
    while position < end && bytes[position].is_ascii_whitespace() {
        position += 1;
    }
    position
}

/// Where the JSON value starting at `start` ends: after its closing bracket or quote, or, for a
/// number or a word, at the next comma, bracket or space. Unbalanced text runs to `end`.
fn value_end(bytes: &[u8], start: usize, end: usize) -> usize {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (position, &byte) in bytes[start..end].iter().enumerate().map(|(offset, byte)| (start + offset, byte)) {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => {
                    in_string = false;
                    if depth == 0 {
                        return position + 1;
                    }
                }
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' if depth == 0 => return position,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return position + 1;
                }
            }
            b',' if depth == 0 => return position,
            byte if depth == 0 && byte.is_ascii_whitespace() => return position,
            _ => {}
        }
    }
    end
}

/// Consecutive elements grouped into pieces of roughly `target` bytes each.
pub(crate) fn element_pieces(elements: &[Element], target: usize) -> Vec<Range<usize>> {
    let mut pieces = Vec::new();
    let mut first = 0;
    while first < elements.len() {
        let piece_start = elements[first].range.start;
        let mut last = first;
        while last + 1 < elements.len() && elements[last].range.end - piece_start < target {
            last += 1;
        }
        pieces.push(first..last + 1);
        first = last + 1;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_is_counted_as_often_as_it_occurs_in_runs_of_any_length() {
        // Past 255 in one run, all of them the byte, and lengths around the run's size.
        for length in [0, 1, 254, 255, 256, 510, 511, 1_000, 70_000] {
            let all = vec![b'\n'; length];
            assert_eq!(occurrences(&all, b'\n'), length as u64, "{length} line ends");
            let mixed: Vec<u8> = (0..length).map(|index| if index % 7 == 3 { b'"' } else { b'x' }).collect();
            let expected = mixed.iter().filter(|&&byte| byte == b'"').count() as u64;
            assert_eq!(occurrences(&mixed, b'"'), expected, "{length} bytes");
            assert_eq!(occurrences_of_two(&mixed, b'x', b'"'), (length as u64 - expected, expected), "{length} bytes");
            assert_eq!(newlines(&mixed), 0);
        }
    }

    fn texts(bytes: &[u8], pieces: &[Piece]) -> Vec<(String, u64)> {
        pieces
            .iter()
            .map(|piece| (String::from_utf8_lossy(&bytes[piece.range.clone()]).into_owned(), piece.first_line))
            .collect()
    }

    #[test]
    fn csv_is_cut_only_at_line_ends_outside_quotes() {
        let text = b"a,\"x\ny\"\nb,2\n\"c\"\"\n\",3\nd,4";
        let pieces = line_pieces(text, 0, 2, 1, true);
        assert_eq!(
            texts(text, &pieces),
            [
                ("a,\"x\ny\"\n".to_string(), 2),
                ("b,2\n".to_string(), 4),
                ("\"c\"\"\n\",3\n".to_string(), 5),
                ("d,4".to_string(), 7)
            ]
        );
        assert_eq!(line_pieces(text, 0, 1, 1000, true).len(), 1);
        assert_eq!(line_pieces(b"{\"a\":1}\n{}\n", 0, 1, 1, false).len(), 2);
    }

    #[test]
    fn array_elements_are_found_with_their_lines() {
        let text = b" [\n {\"a\": \"]},\\\"\"},\n 12 ,\n [1, [2]], \"s\"\n]";
        let elements = array_elements(text, 0..text.len()).unwrap();
        let found: Vec<(String, u64)> = elements
            .iter()
            .map(|element| (String::from_utf8_lossy(&text[element.range.clone()]).into_owned(), element.line))
            .collect();
        assert_eq!(
            found,
            [
                ("{\"a\": \"]},\\\"\"}".to_string(), 2),
                ("12".to_string(), 3),
                ("[1, [2]]".to_string(), 4),
                ("\"s\"".to_string(), 4)
            ]
        );
        assert_eq!(array_elements(b"[]", 0..2).unwrap(), []);
        assert_eq!(array_elements(b"{}", 0..2), Err(1));
        assert_eq!(array_elements(b"[1,\n2", 0..5), Err(2));
        let pieces = element_pieces(&elements, 5);
        assert_eq!(pieces, [0..1, 1..3, 3..4]);
    }
}
