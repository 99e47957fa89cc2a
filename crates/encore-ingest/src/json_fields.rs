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

use std::borrow::Cow;

use serde::Deserialize;

use crate::listen_fields::Field;
use crate::report::Rejected;

/// A key asked for: a value read as a [`Field`], or an object with keys of its own.
pub(crate) enum Want {
    Leaf,
    Object(&'static [(&'static str, Want)]),
}

/// What an object held of the keys asked for, in the order they were asked for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Found<'a> {
    Absent,
    Leaf(Field<'a>),
    /// An object asked for; `null` there reads as absent, as an `Option` of it does in serde.
    Object(Vec<Found<'a>>),
}

impl<'a> Found<'a> {
    /// The field, if it was there and not `null`: what serde reads into an `Option<Field>`.
    pub(crate) fn take(&mut self) -> Option<Field<'a>> {
        match std::mem::replace(self, Found::Absent) {
            Found::Leaf(Field::Null) => None,
            Found::Leaf(field) => Some(field),
            _ => None,
        }
    }

    /// The object's keys asked for, if it was there.
    pub(crate) fn object(&mut self) -> Option<Vec<Found<'a>>> {
        match std::mem::replace(self, Found::Absent) {
            Found::Object(keys) => Some(keys),
            _ => None,
        }
    }
}

/// A row read by `scan` where it can read it, else by serde, whose refusal is the row's rejection
/// (saying the row is not `what`).
pub(crate) fn scanned_or_serde<'a, T: Deserialize<'a>>(
    bytes: &'a [u8],
    scan: fn(&'a [u8]) -> Option<T>,
    file: &str,
    line: u64,
    what: &str,
) -> Result<T, Rejected> {
    match scan(bytes) {
        Some(row) => Ok(row),
        None => serde_json::from_slice(bytes)
            .map_err(|error| Rejected::new(file, line, "", format!("not {what} ({error})"))),
    }
}

/// Nesting deeper than this is left to serde (whose own limit is 128).
const DEEPEST: usize = 64;

/// The keys of `wanted` found in the JSON object `bytes` (surrounding whitespace allowed); `None`
/// when the scan cannot read it exactly, see the module's documentation.
pub(crate) fn object_fields<'a>(bytes: &'a [u8], wanted: &'static [(&'static str, Want)]) -> Option<Vec<Found<'a>>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut scan = Scan { text, at: 0 };
    scan.space();
    let found = scan.object(wanted, 0)?;
    scan.space();
    (scan.at == text.len()).then_some(found)
}

struct Scan<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scan<'a> {
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

    /// An object, at `{`, keeping the keys asked for.
    fn object(&mut self, wanted: &'static [(&'static str, Want)], depth: usize) -> Option<Vec<Found<'a>>> {
        if depth > DEEPEST {
            return None;
        }
        self.eat(b'{')?;
        // More keys than a mask has bits are left to serde.
        if wanted.len() > 64 {
            return None;
        }
        let mut found: Vec<Found<'a>> = wanted.iter().map(|_| Found::Absent).collect();
        let mut seen = 0u64;
        self.space();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(found);
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
                    found[index] = match &wanted[index].1 {
                        Want::Leaf => Found::Leaf(self.value(depth)?),
                        Want::Object(keys) => match self.peek()? {
                            b'{' => Found::Object(self.object(keys, depth + 1)?),
                            b'n' => {
                                self.literal("null")?;
                                Found::Absent
                            }
                            _ => return None,
                        },
                    };
                }
                None => self.skip(depth)?,
            }
            self.space();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(found);
                }
                _ => return None,
            }
        }
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
                self.object(&[], depth + 1)?;
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
        let negative = bytes.get(self.at) == Some(&b'-');
        self.at += usize::from(negative);
        let digits_start = self.at;
        while bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        let digits = &self.text[digits_start..self.at];
        if digits.is_empty() || (digits.len() > 1 && digits.starts_with('0')) {
            return None;
        }
        // A fraction or exponent makes it a real number, which serde reads its own way.
        if matches!(bytes.get(self.at), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        // serde reads "-0" as the real number -0.0.
        if negative && digits == "0" {
            return None;
        }
        self.text[start..self.at].parse().ok()
    }

    /// Text, at its opening quote: borrowed where it has no escapes.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        let bytes = self.text.as_bytes();
        if bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        let start = self.at + 1;
        // The text up to its closing quote or first escape, found many bytes at a time.
        let at = start + memchr::memchr2(b'"', b'\\', bytes.get(start..)?)?;
        if bytes[start..at].iter().any(|&byte| byte < 0x20) {
            return None;
        }
        if bytes[at] == b'"' {
            self.at = at + 1;
            return Some(Cow::Borrowed(&self.text[start..at]));
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

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    const INNER: &[(&str, Want)] = &[("a", Want::Leaf), ("b", Want::Leaf)];
    const WANTED: &[(&str, Want)] = &[("x", Want::Leaf), ("inner", Want::Object(INNER)), ("y", Want::Leaf)];

    /// What serde makes of the same text, in the scan's shape.
    fn by_serde(text: &str) -> Option<Vec<Found<'_>>> {
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
        let inner = match value.get("inner") {
            None | Some(serde_json::Value::Null) => Found::Absent,
            Some(serde_json::Value::Object(keys)) => Found::Object(vec![leaf(keys.get("a")), leaf(keys.get("b"))]),
            Some(_) => return None,
        };
        Some(vec![leaf(value.get("x")), inner, leaf(value.get("y"))])
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
            let scanned = object_fields(text.as_bytes(), WANTED);
            assert!(scanned.is_some(), "{text}");
            assert_eq!(scanned, by_serde(text), "{text}");
        }
        let borrowed = object_fields(br#"{"x": "plain"}"#, WANTED).unwrap();
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
            assert_eq!(object_fields(text.as_bytes(), WANTED), None, "{text}");
        }
        assert_eq!(object_fields(b"{\"x\": \"\xFF\"}", WANTED), None);
    }
}
