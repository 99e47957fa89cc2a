//! CSV records read as the csv crate reads them (RFC 4180 quotes with `""` inside them; `\n`,
//! `\r` or `\r\n` ending a record; empty lines passed over), many bytes at a time: a record with
//! no quote in it is split where it lies in the text, without a copy (in one pass over its line
//! where the text ahead holds no quote and no carriage return), and only a record with a quote
//! goes through csv's state machine, byte by byte. Tests hold the two to the same records.

use std::ops::Range;
use std::str::Utf8Error;

use csv_core::ReadRecordResult;

/// One record: the line it starts on, its text, and where each field lies in that text.
pub(crate) struct Record<'r> {
    pub line: u64,
    text: &'r [u8],
    fields: &'r [Range<usize>],
    /// For a record split where it lies in a stretch of text checked as UTF-8: that stretch, and
    /// where in it the record starts.
    within: Option<(&'r str, usize)>,
}

impl<'r> Record<'r> {
    /// How many fields the record has (at least one).
    pub(crate) fn len(&self) -> usize {
        self.fields.len()
    }

    /// Field `index`, as text. In a text checked whole, a field cut at delimiters and line ends
    /// (ASCII, never inside a character) is text without a check of its own.
    pub(crate) fn text(&self, index: usize) -> Option<Result<&'r str, Utf8Error>> {
        let field = self.fields.get(index)?;
        let checked = self.within.and_then(|(text, start)| text.get(start + field.start..start + field.end));
        Some(checked.map_or_else(|| std::str::from_utf8(&self.text[field.clone()]), Ok))
    }

    /// The text from the start of field `first` to the end of field `last`, delimiters and all,
    /// for a record split where it lies in text checked as UTF-8; else `None`.
    pub(crate) fn span(&self, first: usize, last: usize) -> Option<&'r str> {
        let (text, start) = self.within?;
        text.get(start + self.fields.get(first)?.start..start + self.fields.get(last)?.end)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &'r [u8]> + '_ {
        self.fields.iter().map(|field| &self.text[field.clone()])
    }
}

/// The bytes of `word` equal to `byte`, each marked by its highest bit. Exact: a byte's low seven
/// bits plus 0x7F carry into its high bit only if one of them is set, and never into the next byte.
fn bytes_equal(word: u64, byte: u8) -> u64 {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let difference = word ^ (u64::from(byte) * 0x0101_0101_0101_0101);
    !(((difference & LOW) + LOW) | difference | LOW)
}

/// How much text is checked as UTF-8 at a time, ahead of the records read.
const CHECKED_AHEAD: usize = 64 << 10;

/// The records of a CSV text, one after another; see the module's documentation.
pub(crate) struct Records<'a> {
    text: &'a [u8],
    /// The stretch of the text last checked as UTF-8 (it starts at `checked_from`): text is
    /// checked a stretch at a time ahead of the records, not field by field.
    checked: &'a str,
    checked_from: usize,
    /// Where the next record's line begins (or an empty line before it).
    position: usize,
    /// The line `position` is on.
    line: u64,
    delimiter: u8,
    /// Where the text known to have no quote and no carriage return ends (from `position`): a
    /// record within it is its line, cut at each delimiter.
    plain_until: usize,
    machine: csv_core::Reader,
    /// A quoted record's fields, unquoted.
    unquoted: Vec<u8>,
    ends: Vec<usize>,
    fields: Vec<Range<usize>>,
}

impl<'a> Records<'a> {
    /// The records of `text` (after any byte-order mark), fields split at `delimiter`, `text`
    /// starting on line `first_line`.
    pub(crate) fn new(text: &'a [u8], delimiter: u8, first_line: u64) -> Records<'a> {
        let mut machine = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        // An empty line read first, which changes nothing else, has the machine take the text as
        // begun: it takes a byte-order mark off only the first thing it reads.
        let _ = machine.read_record(b"\n", &mut [0], &mut [0]);
        Records {
            text,
            checked: "",
            checked_from: 0,
            position: 0,
            line: first_line,
            delimiter,
            plain_until: 0,
            machine,
            unquoted: vec![0; 1 << 10],
            ends: vec![0; 64],
            fields: Vec::new(),
        }
    }

    /// Where the text after the records read so far begins: past the last record's line end.
    pub(crate) fn position(&self) -> usize {
        self.position
    }

    /// The next record; `None` at the end of the text.
    pub(crate) fn next_record(&mut self) -> Option<Record<'_>> {
        // Line ends between records (empty lines) are passed over, as csv passes over them.
        while let Some(&byte) = self.text.get(self.position) {
            match byte {
                b'\n' => self.line += 1,
                b'\r' => {}
                _ => break,
            }
            self.position += 1;
        }
        let rest = &self.text[self.position..];
        if rest.is_empty() {
            return None;
        }
        let line = self.line;
        self.fields.clear();
        let plain = self.plain_ahead();
        let end = if let Some(end) = self.split_plain(&rest[..plain], plain == rest.len()) {
            end
        } else {
            let end = memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
            let record = &rest[..end];
            if memchr::memchr(b'"', record).is_some() {
                return self.read_quoted(line);
            }
            let mut start = 0;
            for delimiter in memchr::memchr_iter(self.delimiter, record) {
                self.fields.push(start..delimiter);
                start = delimiter + 1;
            }
            self.fields.push(start..record.len());
            end
        };
        let record = &rest[..end];
        let within = self.checked(self.position, self.position + end);
        self.position += end;
        self.pass_line_end();
        Some(Record { line, text: record, fields: &self.fields, within })
    }

    /// How many bytes from `position` on are known to hold no quote and no carriage return: up
    /// to the first of them in the next stretch of text, looked for once.
    fn plain_ahead(&mut self) -> usize {
        if self.position >= self.plain_until {
            let until = self.text.len().min(self.position + CHECKED_AHEAD);
            let stretch = &self.text[self.position..until];
            self.plain_until = memchr::memchr2(b'"', b'\r', stretch).map_or(until, |at| self.position + at);
        }
        self.plain_until - self.position
    }

    /// The fields of the record starting `plain` (text without a quote or a carriage return), in
    /// one pass to its line's end; returns where it ends, or `None` (no fields) if the line goes
    /// past `plain` and the text does not end there (`ends`).
    fn split_plain(&mut self, plain: &[u8], ends: bool) -> Option<usize> {
        // Eight bytes at a time, in a machine word: fields are a few bytes long, shorter than a
        // vector search pays for setting itself up.
        let (delimiter, fields) = (self.delimiter, &mut self.fields);
        let mut start = 0;
        let mut words = plain.chunks_exact(8);
        for (word_start, word) in (0..).step_by(8).zip(&mut words) {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            let line_ends = bytes_equal(word, b'\n');
            // The delimiters before the first line end, then the line end.
            let before_end = line_ends ^ line_ends.wrapping_sub(1);
            let mut hits = (bytes_equal(word, delimiter) & before_end) | (line_ends & line_ends.wrapping_neg());
            while hits != 0 {
                let at = word_start + (hits.trailing_zeros() / 8) as usize;
                fields.push(start..at);
                if plain[at] == b'\n' {
                    return Some(at);
                }
                start = at + 1;
                hits &= hits - 1;
            }
        }
        let tail = plain.len() - words.remainder().len();
        for (at, &byte) in plain.iter().enumerate().skip(tail) {
            if byte == delimiter {
                fields.push(start..at);
                start = at + 1;
            } else if byte == b'\n' {
                fields.push(start..at);
                return Some(at);
            }
        }
        if ends {
            fields.push(start..plain.len());
            return Some(plain.len());
        }
        fields.clear();
        None
    }

    /// The checked stretch of text holding `text[start..end]` and where it starts, the stretch
    /// checked from `start` first if the last one does not hold it; `None` where that text is not
    /// valid UTF-8. A stretch ends before the first byte that is not UTF-8, so the check costs no
    /// more than the bytes up to it.
    fn checked(&mut self, start: usize, end: usize) -> Option<(&'a str, usize)> {
        let holds = |records: &Records<'a>| {
            start >= records.checked_from && end <= records.checked_from + records.checked.len()
        };
        if !holds(self) {
            let until = end.max(start + CHECKED_AHEAD).min(self.text.len());
            let stretch = &self.text[start..until];
            // Checked many bytes at a time, and where it fails where, as the standard check says.
            self.checked = match simdutf8::compat::from_utf8(stretch) {
                Ok(valid) => valid,
                Err(error) => std::str::from_utf8(&stretch[..error.valid_up_to()]).unwrap_or_default(),
            };
            self.checked_from = start;
        }
        holds(self).then_some((self.checked, start - self.checked_from))
    }

    /// Passes over the line end at `position`: `\r\n`, `\r` or `\n`.
    fn pass_line_end(&mut self) {
        if self.text.get(self.position) == Some(&b'\r') {
            self.position += 1;
        }
        if self.text.get(self.position) == Some(&b'\n') {
            self.position += 1;
            self.line += 1;
        }
    }

    /// The record at `position`, which has a quote, read by csv's state machine.
    fn read_quoted(&mut self, line: u64) -> Option<Record<'_>> {
        let (mut written, mut ended) = (0, 0);
        loop {
            let input = &self.text[self.position..];
            let (result, read, wrote, ends) =
                self.machine.read_record(input, &mut self.unquoted[written..], &mut self.ends[ended..]);
            self.line += memchr::memchr_iter(b'\n', &input[..read]).count() as u64;
            self.position += read;
            written += wrote;
            ended += ends;
            match result {
                // At the end of the text: the machine is told so by an empty input.
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.unquoted.resize(self.unquoted.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => break,
                ReadRecordResult::End => return None,
            }
        }
        // The machine stops after a line end's first byte: `\n` of `\r\n` is still to pass.
        if self.position > 0 && self.text[self.position - 1] == b'\r' && self.text.get(self.position) == Some(&b'\n') {
            self.position += 1;
            self.line += 1;
        }
        self.fields.clear();
        let mut start = 0;
        for &end in &self.ends[..ended] {
            self.fields.push(start..end);
            start = end;
        }
        Some(Record { line, text: &self.unquoted[..written], fields: &self.fields, within: None })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Every record of `text` as csv reads it, and the line it starts on as counted from the bytes.
    fn as_csv_reads(text: &[u8], delimiter: u8) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut reader =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text);
        let mut lines = crate::table::LineCounter::new(text);
        let mut record = csv::ByteRecord::new();
        let mut records = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            records.push((lines.line_of(&record), record.iter().map(<[u8]>::to_vec).collect()));
        }
        records
    }

    fn as_read_here(text: &[u8], delimiter: u8) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut records = Records::new(text, delimiter, 1);
        let mut read = Vec::new();
        while let Some(record) = records.next_record() {
            for (index, bytes) in record.iter().enumerate() {
                let text = record.text(index).unwrap();
                assert_eq!(
                    text.map_err(|error| error.valid_up_to()),
                    std::str::from_utf8(bytes).map_err(|error| error.valid_up_to())
                );
            }
            read.push((record.line, record.iter().map(<[u8]>::to_vec).collect()));
        }
        assert_eq!(records.position(), text.len(), "every byte passed");
        read
    }

    #[test]
    fn records_read_as_csv_reads_them() {
        let texts: [&[u8]; 12] = [
            b"a,b\nc,d\n",
            b"a,b\r\nc,d\r\n\r\n\r\ne,f",
            b"a,\"b\nc\",d\r\ne,\"\"\"\",f\n",
            b"\"unclosed,\nquote",
            b"x\"y,z\"\nq",
            b"\"a\"b,c\n\"\"\n",
            b"\r\r\n\n,\n,,\n",
            b"one\rtwo\r\"th\rree\"\r",
            b"\"a\"\r\n\"b\"\r\n",
            b"bom,\"x\"\n\xEF\xBB\xBF\"y\"\n\xEF\xBB\xBFz",
            b"",
            b"\"long quoted field that is longer than the first output buffer of a quoted record's \
              fields, which has room for a thousand and twenty-four bytes and no more, so that the \
              buffer must grow once or twice before the record is whole: ................................\
              .............................................................................................\
              .............................................................................................\
              .............................................................................................\
              .............................................................................................\
              .............................................................................................\
              .............................................................................................\
              .............................................................................................\
              .............................................................................................\
              .............................................................................................\
              ........................................................................................\"\n",
        ];
        for text in texts {
            assert_eq!(as_read_here(text, b','), as_csv_reads(text, b','), "{:?}", String::from_utf8_lossy(text));
        }
        let many_fields = vec![b','; 200];
        assert_eq!(as_read_here(&many_fields, b','), as_csv_reads(&many_fields, b','));
        let mut quoted_many = b"\"q\"".to_vec();
        quoted_many.extend(vec![b','; 200]);
        assert_eq!(as_read_here(&quoted_many, b','), as_csv_reads(&quoted_many, b','));
        assert_eq!(as_read_here(b"a\tb\t\"c\"\n", b'\t'), as_csv_reads(b"a\tb\t\"c\"\n", b'\t'));
    }

    #[test]
    fn text_checked_a_stretch_at_a_time_is_the_text_of_each_field() {
        // Stretches end inside records and inside characters; a byte that is not UTF-8 sits in
        // the middle, and one in a quoted field.
        let mut text = Vec::new();
        for row in 0..20_000 {
            let last = if row % 7 == 0 { format!("\"따옴표 {row}\"") } else { format!("끝 {row}") };
            text.extend_from_slice(format!("{row},가수 {row},노래,{last}\n").as_bytes());
            if row == 9_000 {
                text.extend_from_slice(b"bad,\xFF,x,\"\xFE\"\n");
            }
        }
        let read = as_read_here(&text, b',');
        assert_eq!(read.len(), 20_001);
        let mut records = Records::new(&text, b',', 1);
        let mut checked_whole = 0;
        while let Some(record) = records.next_record() {
            checked_whole += usize::from(record.within.is_some());
        }
        assert_eq!(checked_whole, 20_000 - 20_000_usize.div_ceil(7), "each record without a quote or a bad byte");
        assert_eq!(read, as_csv_reads(&text, b','));
    }

    #[test]
    fn the_position_after_a_record_is_the_start_of_the_next_line() {
        for (text, after) in [(&b"h,i\r\nx"[..], 5), (b"h,i\nx", 4), (b"\"h\",i\r\n\nx", 7), (b"h,i", 3), (b"h\r", 2)] {
            let mut records = Records::new(text, b',', 1);
            records.next_record();
            assert_eq!(records.position(), after, "{:?}", String::from_utf8_lossy(text));
        }
    }

    proptest! {
        #[test]
        fn any_text_of_csv_bytes_reads_as_csv_reads_it(
            text in proptest::collection::vec(prop::sample::select(b"ab,\"\r\n \xC3\xA9".to_vec()), 0..60)
        ) {
            prop_assert_eq!(as_read_here(&text, b','), as_csv_reads(&text, b','));
        }

        #[test]
        fn bytes_equal_marks_exactly_the_equal_bytes(word: u64, byte: u8) {
            let marked = (0..8).filter(|index| bytes_equal(word, byte) >> (index * 8 + 7) & 1 == 1);
            let equal = (0..8).filter(|index| word.to_le_bytes()[*index as usize] == byte);
            prop_assert_eq!(marked.collect::<Vec<u32>>(), equal.collect::<Vec<u32>>());
            prop_assert_eq!(bytes_equal(word, byte) & !0x8080_8080_8080_8080, 0);
        }

        #[test]
        fn text_without_quotes_or_carriage_returns_reads_as_csv_reads_it(
            text in proptest::collection::vec(prop::sample::select(b"ab,\n \xC3\xA9".to_vec()), 0..60)
        ) {
            prop_assert_eq!(as_read_here(&text, b','), as_csv_reads(&text, b','));
        }
    }
}
