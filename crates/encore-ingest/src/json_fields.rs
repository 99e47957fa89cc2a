//! The fields a listening log's parser reads from one JSON object, found by a plain scan of its
//! bytes: a log is millions of small objects of the same few keys, and building each through
//! serde's visitors was most of a JSON log's ingest.
//!
//! The scan knows only the JSON it can read exactly as `serde_json` would: text, whole numbers
//! that fit in an `i64`, `true`, `false`, `null`, and objects and arrays to pass over. Anything
//! else (a number with a fraction or an exponent, a `\u` escape of half a character pair, a key
//! asked for twice, a control character, bytes that are not UTF-8, anything malformed) answers
//! `None`, and the caller reads the object through serde instead, which gives the same fields or
//! says exactly what is wrong. So the scan is only ever a faster way to the same answer.
//!
//! Most objects of a log are laid out alike, and are read along the layout of one read before
//! ([`Shapes`]): the text between their values compared whole rather than scanned key by key.

use std::borrow::Cow;
use std::ops::Range;

use serde::Deserialize;

use crate::listen_fields::{whole_number, Field};
use crate::report::Rejected;

/// A key asked for: a value read as a [`Field`], or an object with keys of its own.
pub(crate) enum Want {
    Leaf,
    Object(&'static [(&'static str, Want)]),
}

impl Want {
    /// The slots this key takes in what [`object_fields`] finds: one, and an object's keys' after.
    const fn slots(&self) -> usize {
        match self {
            Want::Leaf => 1,
            Want::Object(keys) => 1 + slots(keys),
        }
    }
}

/// The slots of what [`object_fields`] finds for `keys`: each key in its order, an object's keys
/// right after it.
pub(crate) const fn slots(keys: &[(&str, Want)]) -> usize {
    let mut count = 0;
    let mut index = 0;
    while index < keys.len() {
        count += keys[index].1.slots();
        index += 1;
    }
    count
}

/// What an object held of one key asked for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Found<'a> {
    Absent,
    Leaf(Field<'a>),
    /// An object asked for was there (its keys are in the slots after it); `null` there reads as
    /// absent, as an `Option` of it does in serde.
    Object,
}

impl<'a> Found<'a> {
    /// The field, if it was there and not `null`: what serde reads into an `Option<Field>`.
    pub(crate) fn field(self) -> Option<Field<'a>> {
        match self {
            Found::Leaf(Field::Null) => None,
            Found::Leaf(field) => Some(field),
            _ => None,
        }
    }

    /// Whether this is an object asked for that was there.
    pub(crate) fn is_object(&self) -> bool {
        matches!(self, Found::Object)
    }
}

/// A row read by `scan` where it can read it, else by serde, whose refusal is the row's rejection
/// (saying the row is not `what`).
pub(crate) fn scanned_or_serde<'a, T: Deserialize<'a>>(
    bytes: &'a [u8],
    scan: impl FnOnce(&'a [u8]) -> Option<T>,
    file: &str,
    line: u64,
    what: &str,
) -> Result<T, Rejected> {
    match scan(bytes) {
        Some(row) => Ok(row),
        None => by_serde(bytes, file, line, what),
    }
}

/// A row read by serde, whose refusal is the row's rejection (saying the row is not `what`).
pub(crate) fn by_serde<'a, T: Deserialize<'a>>(
    bytes: &'a [u8],
    file: &str,
    line: u64,
    what: &str,
) -> Result<T, Rejected> {
    serde_json::from_slice(bytes).map_err(|error| Rejected::new(file, line, "", format!("not {what} ({error})")))
}

/// Nesting deeper than this is left to serde (whose own limit is 128).
const DEEPEST: usize = 64;

/// How many layouts of objects [`Shapes`] keeps.
pub(crate) const SHAPES_KEPT: usize = 4;

/// The layouts of the last objects of a log read: their keys, punctuation and spacing, with where
/// the values go. A log writes millions of objects with the same keys in the same order, so an
/// object is first followed along a layout seen before: its text between values must be exactly
/// that layout's, byte for byte, and its values are read as the scan reads them. Text that is the
/// same is read the same way, so following a layout finds what the full scan would; where the
/// object differs anywhere, the full scan reads it and its layout is kept.
#[derive(Default)]
pub(crate) struct Shapes {
    known: Vec<Shape>,
    /// The oldest of `known`, replaced next.
    oldest: usize,
    /// Buffers for the next layout to record.
    spare: Shape,
    /// How many layouts were kept: the next one's number.
    kept: u64,
}

impl Shapes {
    /// Keeps `shape`, in place of the oldest when enough are kept, numbered as the next kept.
    fn keep(&mut self, mut shape: Shape) {
        shape.number = self.kept;
        self.kept += 1;
        if self.known.len() < SHAPES_KEPT {
            self.known.push(shape);
        } else {
            self.spare = std::mem::replace(&mut self.known[self.oldest], shape);
            self.oldest = (self.oldest + 1) % SHAPES_KEPT;
        }
    }
}

/// One layout: the object's text between its values, and what each value is.
#[derive(Default)]
struct Shape {
    /// Which layout kept by its [`Shapes`] this is, counted from 0.
    number: u64,
    wanted: &'static [(&'static str, Want)],
    /// The text between values, each stretch named by a [`Step::Text`].
    text: Vec<u8>,
    steps: Vec<Step>,
    /// The slots of the objects asked for that are there (their keys' slots follow them).
    objects: Vec<usize>,
}

enum Step {
    /// This text, exactly.
    Text(Range<usize>),
    /// A value read as a field into its slot.
    Leaf { slot: usize, depth: usize },
    /// A value not asked for, passed over.
    Skip { depth: usize },
}

/// The keys of `wanted` found in the JSON object `bytes` (surrounding whitespace allowed), each in
/// its slot (see [`slots`]); `None` when the scan cannot read it exactly, see the module's
/// documentation. `shapes` are the layouts of the objects read before, see [`Shapes`].
pub(crate) fn object_fields<'a, const SLOTS: usize>(
    bytes: &'a [u8],
    wanted: &'static [(&'static str, Want)],
    shapes: &mut Shapes,
) -> Option<[Found<'a>; SLOTS]> {
    let mut read = Read::default();
    object_read(bytes, wanted, 0, shapes, &mut read).then_some(read.found)
}

/// What [`object_read`] read of an object.
pub(crate) struct Read<'a, const SLOTS: usize> {
    /// The object's text.
    pub text: &'a str,
    /// The keys asked for, each in its slot.
    pub found: [Found<'a>; SLOTS],
    /// From the first value read of the slots asked to be spanned to the last, with all between
    /// (empty when none was read).
    pub span: Range<usize>,
    /// The layout the object has: objects of the same layout number (within one [`Shapes`]) have
    /// the same text between their values, so the same text between the same two values reads the
    /// same in both.
    pub layout: u64,
}

impl<const SLOTS: usize> Default for Read<'_, SLOTS> {
    fn default() -> Self {
        Read { text: "", found: std::array::from_fn(|_| Found::Absent), span: 0..0, layout: 0 }
    }
}

/// [`object_fields`] into `read` (all [`Found::Absent`] before), with where the values of the
/// slots `spanned` (a bit each) lie and the object's layout; `false` when the scan cannot read it.
pub(crate) fn object_read<'a, const SLOTS: usize>(
    bytes: &'a [u8],
    wanted: &'static [(&'static str, Want)],
    spanned: u64,
    shapes: &mut Shapes,
    read: &mut Read<'a, SLOTS>,
) -> bool {
    debug_assert_eq!(SLOTS, slots(wanted));
    let Ok(text) = simdutf8::basic::from_utf8(bytes) else { return false };
    read.text = text;
    debug_assert!(read.found.iter().all(|found| *found == Found::Absent));
    for shape in shapes.known.iter().filter(|shape| std::ptr::eq(shape.wanted, wanted)) {
        let mut scan = Scan { text, at: 0, recording: None, spanned, span: 0..0 };
        if scan.follow(shape, &mut read.found).is_some() {
            (read.span, read.layout) = (scan.span, shape.number);
            return true;
        }
        // A layout is written only where it has values: what one not followed to the end wrote
        // goes before the next is tried.
        read.found.fill(Found::Absent);
    }
    let mut shape = std::mem::take(&mut shapes.spare);
    shape.wanted = wanted;
    shape.text.clear();
    shape.steps.clear();
    shape.objects.clear();
    let mut scan = Scan { text, at: 0, recording: Some(Recording { shape: &mut shape, from: 0 }), spanned, span: 0..0 };
    let whole = scan.whole_object(wanted, &mut read.found).is_some();
    read.span = scan.span;
    if whole {
        shapes.keep(shape);
        read.layout = shapes.kept - 1;
    } else {
        shapes.spare = shape;
    }
    whole
}

/// Where the text of a layout being recorded has got to.
struct Recording<'r> {
    shape: &'r mut Shape,
    /// Where the text not yet in the layout starts.
    from: usize,
}

struct Scan<'a, 'r> {
    text: &'a str,
    at: usize,
    /// The layout being recorded, while the scan reads the keys asked for.
    recording: Option<Recording<'r>>,
    /// The slots whose values' span is kept, a bit each.
    spanned: u64,
    /// From the first value of those slots read to the last.
    span: Range<usize>,
}

impl<'a> Scan<'a, '_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        self.space();
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// The whole text as one object, its layout recorded.
    fn whole_object(&mut self, wanted: &'static [(&'static str, Want)], found: &mut [Found<'a>]) -> Option<()> {
        self.space();
        self.object(wanted, 0, found, 0)?;
        self.space();
        (self.at == self.text.len()).then_some(())?;
        self.record_text();
        Some(())
    }

    /// The text since the last step into the layout being recorded.
    fn record_text(&mut self) {
        if let Some(recording) = &mut self.recording {
            let text = &self.text.as_bytes()[recording.from..self.at];
            if !text.is_empty() {
                let shape = &mut *recording.shape;
                let start = shape.text.len();
                shape.text.extend_from_slice(text);
                shape.steps.push(Step::Text(start..shape.text.len()));
            }
            recording.from = self.at;
        }
    }

    /// A step of the layout being recorded, at the value that starts here.
    fn record(&mut self, step: Step) {
        self.record_text();
        if let Some(recording) = &mut self.recording {
            recording.shape.steps.push(step);
        }
    }

    /// A value read without recording what is inside it; the layout goes on after it.
    fn unrecorded<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let recording = self.recording.take();
        let value = read(self);
        self.recording = recording.map(|recording| Recording { from: self.at, ..recording });
        value
    }

    /// The object along `shape`: `None` where it differs from it, see [`Shapes`].
    fn follow(&mut self, shape: &Shape, found: &mut [Found<'a>]) -> Option<()> {
        let bytes = self.text.as_bytes();
        for step in &shape.steps {
            match *step {
                Step::Text(ref range) => {
                    let expected = &shape.text[range.clone()];
                    let end = self.at + expected.len();
                    same_text(bytes.get(self.at..end)?, expected).then_some(())?;
                    self.at = end;
                }
                Step::Leaf { slot, depth } => found[slot] = Found::Leaf(self.leaf(slot, depth)?),
                Step::Skip { depth } => self.skip(depth)?,
            }
        }
        (self.at == bytes.len()).then_some(())?;
        for &slot in &shape.objects {
            found[slot] = Found::Object;
        }
        Some(())
    }

    /// An object, at `{`, keeping the keys asked for in `found`, their slots from `first` on.
    fn object(
        &mut self,
        wanted: &'static [(&'static str, Want)],
        first: usize,
        found: &mut [Found<'a>],
        depth: usize,
    ) -> Option<()> {
        if depth > DEEPEST {
            return None;
        }
        self.eat(b'{')?;
        // More keys than a mask has bits are left to serde.
        if wanted.len() > 64 {
            return None;
        }
        let mut seen = 0u64;
        self.space();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        loop {
            self.space();
            let key = self.string()?;
            self.eat(b':')?;
            self.space();
            let asked = |name: &str| name.len() == key.len() && name.as_bytes()[0] == key.as_bytes()[0] && name == key;
            match wanted.iter().position(|(name, _)| asked(name)) {
                // serde refuses a field given twice.
                Some(index) if seen & (1 << index) != 0 => return None,
                Some(index) => {
                    seen |= 1 << index;
                    let slot = first + slots(&wanted[..index]);
                    match &wanted[index].1 {
                        Want::Leaf => {
                            self.record(Step::Leaf { slot, depth });
                            found[slot] = Found::Leaf(self.unrecorded(|scan| scan.leaf(slot, depth))?);
                        }
                        Want::Object(keys) => match self.peek()? {
                            b'{' => {
                                if let Some(recording) = &mut self.recording {
                                    recording.shape.objects.push(slot);
                                }
                                found[slot] = Found::Object;
                                self.object(keys, slot + 1, found, depth + 1)?;
                            }
                            // Left absent, as are its keys; `null` is part of the layout's text.
                            b'n' => self.literal("null")?,
                            _ => return None,
                        },
                    }
                }
                None => {
                    self.record(Step::Skip { depth });
                    self.unrecorded(|scan| scan.skip(depth))?;
                }
            }
            self.space();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// A value read as a field into `slot`, taken into the span when the slot is spanned.
    fn leaf(&mut self, slot: usize, depth: usize) -> Option<Field<'a>> {
        let start = self.at;
        let field = self.value(depth)?;
        if slot < 64 && self.spanned & (1 << slot) != 0 {
            if self.span.is_empty() {
                self.span.start = start;
            }
            self.span.end = self.at;
        }
        Some(field)
    }

    /// A value read as a field: an object or array is passed over as [`Field::Nested`].
    fn value(&mut self, depth: usize) -> Option<Field<'a>> {
        Some(match self.peek()? {
            b'"' => Field::Text(self.string()?),
            b'{' => {
                self.skip(depth)?;
                Field::Nested("an object")
            }
            b'[' => {
                self.skip(depth)?;
                Field::Nested("an array")
            }
            b't' => self.literal("true").map(|()| Field::Bool(true))?,
            b'f' => self.literal("false").map(|()| Field::Bool(false))?,
            b'n' => self.literal("null").map(|()| Field::Null)?,
            _ => Field::Whole(self.whole()?),
        })
    }

    /// Passes over any value, checking it is one.
    fn skip(&mut self, depth: usize) -> Option<()> {
        if depth > DEEPEST {
            return None;
        }
        match self.peek()? {
            b'{' => {
                self.object(&[], 0, &mut [], depth + 1)?;
            }
            b'[' => {
                self.at += 1;
                self.space();
                if self.peek()? == b']' {
                    self.at += 1;
                    return Some(());
                }
                loop {
                    self.space();
                    self.skip(depth + 1)?;
                    self.space();
                    match self.peek()? {
                        b',' => self.at += 1,
                        b']' => {
                            self.at += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'-' | b'0'..=b'9' => self.number()?,
            _ => {
                self.value(depth)?;
            }
        }
        Some(())
    }

    /// Passes over a number of any kind JSON writes (`-1.5e3`), checking its form.
    fn number(&mut self) -> Option<()> {
        let bytes = self.text.as_bytes();
        let digits = |at: &mut usize| {
            let start = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            *at - start
        };
        let mut at = self.at + usize::from(bytes.get(self.at) == Some(&b'-'));
        let whole = digits(&mut at);
        if whole == 0 || (whole > 1 && bytes[at - whole] == b'0') {
            return None;
        }
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            if digits(&mut at) == 0 {
                return None;
            }
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            at += usize::from(matches!(bytes.get(at), Some(b'+' | b'-')));
            if digits(&mut at) == 0 {
                return None;
            }
        }
        self.at = at;
        Some(())
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        let rest = self.text.get(self.at..)?;
        rest.starts_with(word).then(|| self.at += word.len())
    }

    /// A whole number: an optional minus and digits, no leading zero, within an `i64`.
    fn whole(&mut self) -> Option<i64> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let negative = bytes.get(start) == Some(&b'-');
        let digits_start = start + usize::from(negative);
        let mut at = digits_start;
        while bytes.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        let digits = &bytes[digits_start..at];
        if digits.is_empty() || (digits.len() > 1 && digits[0] == b'0') {
            return None;
        }
        // A fraction or exponent makes it a real number, which serde reads its own way.
        if matches!(bytes.get(at), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        // serde reads "-0" as the real number -0.0.
        if negative && digits == b"0" {
            return None;
        }
        self.at = at;
        whole_number(&self.text[start..at])
    }

    /// Text, at its opening quote: borrowed where it has no escapes.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        let bytes = self.text.as_bytes();
        if bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        let start = self.at + 1;
        let at = start + plain_length(bytes.get(start..)?);
        match *bytes.get(at)? {
            b'"' => {
                self.at = at + 1;
                return Some(Cow::Borrowed(&self.text[start..at]));
            }
            b'\\' => {}
            // A control character, which JSON text must escape.
            _ => return None,
        }
        let mut at = at;
        let mut owned = self.text[start..at].to_string();
        loop {
            match *bytes.get(at)? {
                b'"' => {
                    self.at = at + 1;
                    return Some(Cow::Owned(owned));
                }
                b'\\' => {
                    let (character, length) = self.escape(at)?;
                    owned.push(character);
                    at += length;
                }
                byte if byte < 0x20 => return None,
                _ => {
                    let character = self.text.get(at..)?.chars().next()?;
                    owned.push(character);
                    at += character.len_utf8();
                }
            }
        }
    }

    /// The character an escape at `at` stands for and the bytes it takes; `None` for an escape
    /// serde refuses or reads otherwise (half of a surrogate pair).
    fn escape(&self, at: usize) -> Option<(char, usize)> {
        let bytes = self.text.as_bytes();
        let simple = match *bytes.get(at + 1)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex(at + 2)?;
                if (0xD800..0xDC00).contains(&first) {
                    if bytes.get(at + 6..at + 8)? != b"\\u" {
                        return None;
                    }
                    let second = self.hex(at + 8)?;
                    if !(0xDC00..0xE000).contains(&second) {
                        return None;
                    }
                    let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                    return Some((char::from_u32(code)?, 12));
                }
                return Some((char::from_u32(first)?, 6));
            }
            _ => return None,
        };
        Some((simple, 2))
    }

    fn hex(&self, at: usize) -> Option<u32> {
        let digits = self.text.get(at..at + 4)?;
        if !digits.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(digits, 16).ok()
    }
}

/// Whether two texts of the same length are the same, compared a word at a time: a layout's texts
/// are a few words long, shorter than a call to `memcmp` pays for.
fn same_text(text: &[u8], expected: &[u8]) -> bool {
    debug_assert_eq!(text.len(), expected.len());
    let length = text.len().min(expected.len());
    let word = |bytes: &[u8], at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
    let half = |bytes: &[u8], at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("four bytes"));
    match length {
        0..4 => text == expected,
        // Two words that overlap where the length is not a multiple of theirs.
        4..8 => half(text, 0) == half(expected, 0) && half(text, length - 4) == half(expected, length - 4),
        _ => {
            let mut at = 0;
            while at + 8 < length {
                if word(text, at) != word(expected, at) {
                    return false;
                }
                at += 8;
            }
            word(text, length - 8) == word(expected, length - 8)
        }
    }
}

/// How many bytes of `bytes` come before its first `"`, `\` or control character (all of them
/// when it has none), looked for eight bytes at a time: most text in a log is a few words.
fn plain_length(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH_BITS: u64 = ONES * 0x80;
    // The high bit of each byte below `limit`; exact up to the first such byte (a borrow only
    // carries upwards), which is all that is read of it.
    let below = |word: u64, limit: u8| word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGH_BITS;
    let special = |word: u64| {
        below(word, 0x20) | below(word ^ (ONES * u64::from(b'"')), 1) | below(word ^ (ONES * u64::from(b'\\')), 1)
    };
    let mut at = 0;
    while let Some(eight) = bytes.get(at..at + 8) {
        let found = special(u64::from_le_bytes(eight.try_into().expect("eight bytes")));
        if found != 0 {
            return at + found.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    let rest = &bytes[at..];
    at + rest.iter().position(|&byte| byte == b'"' || byte == b'\\' || byte < 0x20).unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    const INNER: &[(&str, Want)] = &[("a", Want::Leaf), ("b", Want::Leaf)];
    const WANTED: &[(&str, Want)] = &[("x", Want::Leaf), ("inner", Want::Object(INNER)), ("y", Want::Leaf)];

    const SLOTS: usize = slots(WANTED);

    fn scan(text: &str) -> Option<[Found<'_>; SLOTS]> {
        object_fields(text.as_bytes(), WANTED, &mut Shapes::default())
    }

    /// What serde makes of the same text, in the scan's slots.
    fn by_serde(text: &str) -> Option<[Found<'_>; SLOTS]> {
        let value: HashMap<String, serde_json::Value> = serde_json::from_str(text).ok()?;
        let leaf = |value: Option<&serde_json::Value>| -> Found<'static> {
            match value {
                None => Found::Absent,
                Some(value) => {
                    let json = value.to_string();
                    let field: Field<'_> = serde_json::from_str(&json).unwrap();
                    Found::Leaf(owned(field))
                }
            }
        };
        let (inner, a, b) = match value.get("inner") {
            None | Some(serde_json::Value::Null) => (Found::Absent, Found::Absent, Found::Absent),
            Some(serde_json::Value::Object(keys)) => (Found::Object, leaf(keys.get("a")), leaf(keys.get("b"))),
            Some(_) => return None,
        };
        Some([leaf(value.get("x")), inner, a, b, leaf(value.get("y"))])
    }

    fn owned(field: Field<'_>) -> Field<'static> {
        match field {
            Field::Text(text) => Field::Text(Cow::Owned(text.into_owned())),
            Field::Null => Field::Null,
            Field::Bool(flag) => Field::Bool(flag),
            Field::Whole(whole) => Field::Whole(whole),
            Field::Real(real) => Field::Real(real),
            Field::Nested(kind) => Field::Nested(kind),
        }
    }

    #[test]
    fn what_the_scan_reads_is_what_serde_reads() {
        let texts = [
            r#"{"x": 1, "y": "two", "inner": {"a": true, "b": null, "c": [1, {"d": "e"}]}}"#,
            r#"  {"y":"\u00e9\n\"q\"","x":-12,"z":{"inner":{"a":1}}}  "#,
            r#"{"x": "😀 \ud83d\ude00", "inner": null, "y": [], "w": {}}"#,
            r#"{"x": 9223372036854775807, "inner": {"a": "한국어", "b": {"n": 1}}}"#,
            r#"{"x": 0, "y": false, "inner": {}}"#,
            r#"{"x": -7, "z": [-0, 1.5, -2e-3, 0.25E+2, 10], "inner": {"a": "\/\\\t"}}"#,
            r#"{}"#,
        ];
        for text in texts {
            let scanned = scan(text);
            assert!(scanned.is_some(), "{text}");
            assert_eq!(scanned, by_serde(text), "{text}");
        }
        let borrowed = scan(r#"{"x": "plain"}"#).unwrap();
        assert!(matches!(&borrowed[0], Found::Leaf(Field::Text(Cow::Borrowed("plain")))));
    }

    #[test]
    fn what_the_scan_cannot_read_exactly_it_leaves_to_serde() {
        let texts = [
            r#"{"x": 1.5}"#,
            r#"{"x": 1e3}"#,
            r#"{"x": 01}"#,
            r#"{"x": -0}"#,
            r#"{"x": 9223372036854775808}"#,
            r#"{"x": 1, "x": 2}"#,
            r#"{"x": "\ud83d"}"#,
            r#"{"x": "\udc00"}"#,
            r#"{"x": "\q"}"#,
            "{\"x\": \"a\u{1}b\"}",
            r#"{"inner": 3}"#,
            r#"{"x": 1,}"#,
            r#"{"x": 1} x"#,
            r#"{"x": [1,]}"#,
            r#"{"z": 1.}"#,
            r#"{"z": .5}"#,
            r#"{"z": 1e}"#,
            r#"{"z": -}"#,
            r#"{"z": 00.5}"#,
            r#"{"x": tru}"#,
            r#"["x"]"#,
            r#"{"x": 1"#,
        ];
        for text in texts {
            assert_eq!(scan(text), None, "{text}");
        }
        assert_eq!(object_fields::<SLOTS>(b"{\"x\": \"\xFF\"}", WANTED, &mut Shapes::default()), None);
    }

    #[test]
    fn an_object_laid_out_as_one_before_is_read_along_its_layout() {
        let texts = [
            r#"{"x": 1, "inner": {"a": "one", "b": null}, "y": [1, 2]}"#,
            r#"{"x": 22, "inner": {"a": "two \"quoted\"", "b": true}, "y": {"deep": [3]}}"#,
            r#"{"x": "text", "inner": {"a": {"nested": 1}, "b": -5}, "y": "é"}"#,
            r#"{"x": 1, "inner": null, "y": 2}"#,
            r#"{"x": 1, "inner": {"a": 1.5, "b": 2}, "y": 3}"#,
            r#"{"x": 1, "inner": {"a": "\u0041", "b": 2}, "y": 3} "#,
            r#"{"x": 1, "inner": {"a": "a", "b": 2}, "y": 3, "x": 4}"#,
            r#"{"x": 1, "inner": {"a": "a", "b": 2}, "y": "unclosed}"#,
            r#"{"x": 1, "inner": {"a": "a", "b": 2}, "y": 3}"#,
        ];
        let mut shapes = Shapes::default();
        for text in texts {
            let along = object_fields::<SLOTS>(text.as_bytes(), WANTED, &mut shapes);
            assert_eq!(along, scan(text), "{text}");
            assert_eq!(along, by_serde(text).filter(|_| along.is_some()), "{text}");
        }
        let same = (0..100).map(|n| format!(r#"{{"x": {n}, "inner": {{"a": "a{n}", "b": [{n}]}}, "y": "{n}"}}"#));
        let mut shapes = Shapes::default();
        for text in same {
            assert_eq!(object_fields::<SLOTS>(text.as_bytes(), WANTED, &mut shapes), scan(&text), "{text}");
        }
        assert_eq!(shapes.known.len(), 1, "one layout for objects laid out alike");
    }

    /// A JSON object of `WANTED`'s keys and others, in any order, with values of every kind.
    fn any_object() -> impl Strategy<Value = String> {
        let value = prop_oneof![
            Just("1".to_string()),
            Just("-20".to_string()),
            Just("2.5".to_string()),
            Just("null".to_string()),
            Just("true".to_string()),
            Just(r#""a""#.to_string()),
            Just(r#""\u00e9\n""#.to_string()),
            Just(r#"{"a": 1, "b": "x"}"#.to_string()),
            Just(r#"{"b": null}"#.to_string()),
            Just("[1, {\"a\": 2}]".to_string()),
        ];
        let key = prop_oneof![Just("x"), Just("y"), Just("inner"), Just("z")];
        let space = prop_oneof![Just(""), Just(" "), Just("\n  ")];
        proptest::collection::vec((key, value, space), 0..5).prop_map(|entries| {
            let entries: Vec<String> =
                entries.into_iter().map(|(key, value, space)| format!("{space}\"{key}\":{space}{value}")).collect();
            format!("{{{}}}", entries.join(","))
        })
    }

    proptest! {
        #[test]
        fn following_layouts_reads_what_the_full_scan_reads(texts in proptest::collection::vec(any_object(), 1..12)) {
            let mut shapes = Shapes::default();
            for text in &texts {
                prop_assert_eq!(object_fields::<SLOTS>(text.as_bytes(), WANTED, &mut shapes), scan(text), "{}", text);
            }
        }

        #[test]
        fn same_text_is_equality(text in proptest::collection::vec(any::<u8>(), 0..40), flip in any::<prop::sample::Index>()) {
            prop_assert!(same_text(&text, &text.clone()));
            if !text.is_empty() {
                let mut other = text.clone();
                other[flip.index(text.len())] ^= 1;
                prop_assert!(!same_text(&text, &other));
            }
        }

        #[test]
        fn whole_numbers_read_as_serde_reads_them(number: i64, digits in "-?[0-9]{1,21}") {
            let any = format!(r#"{{"x": {number}}}"#);
            for text in [any.clone(), format!(r#"{{"x": {digits}}}"#)] {
                let scanned = scan(&text);
                prop_assert!(scanned.is_none() || scanned == by_serde(&text), "{}", text);
            }
            prop_assert!(scan(&any).is_some(), "{}", any);
        }

        #[test]
        fn plain_length_stops_at_the_first_quote_backslash_or_control(
            bytes in proptest::collection::vec(prop_oneof![3 => 0x20u8..=0xFF, 1 => any::<u8>()], 0..40)
        ) {
            let first = bytes.iter().position(|&byte| byte == b'"' || byte == b'\\' || byte < 0x20);
            prop_assert_eq!(plain_length(&bytes), first.unwrap_or(bytes.len()));
        }
    }
}
