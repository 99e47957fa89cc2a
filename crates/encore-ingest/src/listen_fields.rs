//! What the JSON listening logs share: one field of a row as read ([`Field`]: text borrowed from
//! the file where it needs no unescaping, so a row costs an allocation only for what is kept),
//! reading it as text, a whole number or yes or no (each `null` or absent as nothing) with a
//! rejection naming the field, and the times the logs write.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use encore_domain::{unix_seconds_micros, ColumnFull, TextColumn};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::report::Rejected;

/// One JSON value of a row, as the parsers read fields: a scalar, or the mere kind of a nested
/// value (an object or an array is never what a read field should hold, and is skipped unbuilt).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Field<'a> {
    Null,
    Bool(bool),
    Whole(i64),
    /// A number with a fraction, or too large for `i64`.
    Real(f64),
    Text(Cow<'a, str>),
    Nested(&'static str),
}

impl Field<'_> {
    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }

    /// A whole number written as a number.
    pub(crate) fn whole(&self) -> Option<i64> {
        match self {
            Field::Whole(whole) => Some(*whole),
            _ => None,
        }
    }

    /// The number a field holds, as a number or in a string (some exporters quote them).
    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Field::Whole(whole) => Some(*whole as f64),
            Field::Real(real) => Some(*real),
            Field::Text(text) => text.trim().parse().ok(),
            _ => None,
        }
    }
}

/// As JSON writes it (text quoted), for the rejections.
impl fmt::Display for Field<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Null => formatter.write_str("null"),
            Field::Bool(flag) => write!(formatter, "{flag}"),
            Field::Whole(whole) => write!(formatter, "{whole}"),
            Field::Real(real) => write!(formatter, "{real}"),
            Field::Text(text) => write!(formatter, "{text:?}"),
            Field::Nested(kind) => formatter.write_str(kind),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Field<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Field<'a>, D::Error> {
        deserializer.deserialize_any(FieldVisitor)
    }
}

struct FieldVisitor;

impl<'de> Visitor<'de> for FieldVisitor {
    type Value = Field<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Field<'de>, E> {
        Ok(Field::Null)
    }
    fn visit_none<E>(self) -> Result<Field<'de>, E> {
        Ok(Field::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Field<'de>, D::Error> {
        deserializer.deserialize_any(FieldVisitor)
    }
    fn visit_bool<E>(self, flag: bool) -> Result<Field<'de>, E> {
        Ok(Field::Bool(flag))
    }
    fn visit_i64<E>(self, whole: i64) -> Result<Field<'de>, E> {
        Ok(Field::Whole(whole))
    }
    fn visit_u64<E>(self, whole: u64) -> Result<Field<'de>, E> {
        Ok(i64::try_from(whole).map_or(Field::Real(whole as f64), Field::Whole))
    }
    fn visit_f64<E>(self, real: f64) -> Result<Field<'de>, E> {
        Ok(Field::Real(real))
    }
    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Field<'de>, E> {
        Ok(Field::Text(Cow::Borrowed(text)))
    }
    fn visit_str<E>(self, text: &str) -> Result<Field<'de>, E> {
        Ok(Field::Text(Cow::Owned(text.to_string())))
    }
    fn visit_string<E>(self, text: String) -> Result<Field<'de>, E> {
        Ok(Field::Text(Cow::Owned(text)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Field<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Field::Nested("an object"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Field<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Field::Nested("an array"))
    }
}

/// One row of a JSON log, for its rejections.
#[derive(Clone, Copy)]
pub(crate) struct JsonRow<'a> {
    pub file: &'a str,
    pub line: u64,
}

impl JsonRow<'_> {
    pub(crate) fn reject(&self, field: &str, reason: impl Into<String>) -> Rejected {
        Rejected::new(self.file, self.line, field, reason)
    }

    /// Text, trimmed; absent, `null` or empty is `None`.
    pub(crate) fn text<'f>(&self, value: Option<&Field<'f>>, field: &str) -> Result<Option<Cow<'f, str>>, Rejected> {
        match value {
            None | Some(Field::Null) => Ok(None),
            Some(Field::Text(text)) => Ok(Some(trimmed(text)).filter(|text| !text.is_empty())),
            Some(other) => Err(self.reject(field, format!("{other} is not text"))),
        }
    }

    /// Text that must be there and not be empty.
    pub(crate) fn required_text<'f>(&self, value: Option<&Field<'f>>, field: &str) -> Result<Cow<'f, str>, Rejected> {
        match value {
            None => Err(self.reject(field, "is missing")),
            Some(Field::Text(text)) if !trim(text).is_empty() => Ok(trimmed(text)),
            Some(other) => Err(self.reject(field, format!("{other} is not a non-empty string"))),
        }
    }

    /// A whole number (a number in a string too: some exporters quote them).
    pub(crate) fn whole_number(&self, value: Option<&Field<'_>>, field: &str) -> Result<Option<i64>, Rejected> {
        match value {
            None | Some(Field::Null) => Ok(None),
            Some(Field::Whole(whole)) => Ok(Some(*whole)),
            Some(Field::Text(text)) if text.trim().parse::<i64>().is_ok() => Ok(text.trim().parse().ok()),
            Some(other) => Err(self.reject(field, format!("{other} is not a whole number"))),
        }
    }

    /// `true` or `false` (or 1 and 0).
    pub(crate) fn yes_no(&self, value: Option<&Field<'_>>, field: &str) -> Result<Option<bool>, Rejected> {
        match value {
            None | Some(Field::Null) => Ok(None),
            Some(Field::Bool(flag)) => Ok(Some(*flag)),
            Some(Field::Whole(0)) => Ok(Some(false)),
            Some(Field::Whole(1)) => Ok(Some(true)),
            Some(other) => Err(self.reject(field, format!("{other} is not true or false"))),
        }
    }
}

/// Text without its surrounding whitespace, still borrowed from the file where it was.
fn trimmed<'f>(text: &Cow<'f, str>) -> Cow<'f, str> {
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(trim(text)),
        Cow::Owned(text) => Cow::Owned(trim(text).to_string()),
    }
}

/// `str::trim`, answered at once for the usual text that starts and ends with a visible ASCII
/// character (none of which is whitespace).
pub(crate) fn trim(text: &str) -> &str {
    let visible = |byte: Option<&u8>| byte.is_some_and(|byte| (0x21..0x7F).contains(byte));
    if visible(text.as_bytes().first()) && visible(text.as_bytes().last()) {
        text
    } else {
        text.trim()
    }
}

/// Why a row read straight into a piece's columns was not stored: it is not a listen, or its text
/// did not fit the columns.
pub(crate) enum Unstored {
    Rejected(Rejected),
    Full,
}

impl From<Rejected> for Unstored {
    fn from(rejected: Rejected) -> Unstored {
        Unstored::Rejected(rejected)
    }
}

impl From<ColumnFull> for Unstored {
    fn from(_: ColumnFull) -> Unstored {
        Unstored::Full
    }
}

/// What a row says of its song (numbered in a piece's columns), known by the text its song's
/// fields span in the row: a log names a few thousand songs millions of times, so a row costs one
/// lookup of that text rather than a read and a lookup of each field. Text that was rejected is
/// not kept: it is read again each time it comes, so each row says so with its own line.
pub(crate) struct SpanMemo<T> {
    /// The spans' text, as a dictionary (it has no rows).
    texts: TextColumn,
    /// By a span's number in `texts`: what it read as, or `None` for text that was rejected.
    values: Vec<Option<T>>,
}

impl<T> Default for SpanMemo<T> {
    fn default() -> SpanMemo<T> {
        SpanMemo { texts: TextColumn::default(), values: Vec::new() }
    }
}

impl<T: Copy> SpanMemo<T> {
    /// What `span` read as before, or what `read` reads of it now (kept unless rejected).
    pub(crate) fn get_or_read<E>(&mut self, span: &str, read: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        let Ok(number) = self.texts.number(span) else { return read() };
        let number = number as usize;
        if let Some(&Some(value)) = self.values.get(number) {
            return Ok(value);
        }
        let value = read();
        if number == self.values.len() {
            self.values.push(value.as_ref().ok().copied());
        }
        value
    }
}

/// [`parse_time`] in microseconds since the Unix epoch, Unix seconds read without working out
/// their date.
pub(crate) fn parse_time_micros(text: &str) -> Option<i64> {
    let text = trim(text);
    match whole_number(text) {
        Some(seconds) => unix_seconds_micros(seconds),
        None => parse_time(text).map(|time| time.timestamp_micros()),
    }
}

/// `text` as a whole number, as `str::parse::<i64>` reads it: up to 18 digits (which cannot
/// overflow) read without a check a digit, longer ones by `parse`.
pub(crate) fn whole_number(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes() {
        [b'-', digits @ ..] => (true, digits),
        [b'+', digits @ ..] => (false, digits),
        digits => (false, digits),
    };
    if digits.is_empty() || digits.len() > 18 {
        return text.parse().ok();
    }
    let mut value = 0i64;
    for &digit in digits {
        let digit = digit.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        value = value * 10 + i64::from(digit);
    }
    Some(if negative { -value } else { value })
}

/// A time as listening logs write it: Unix seconds, RFC 3339, `2023-01-05 13:42[:10]`, or
/// Last.fm's `01 Jan 2017 10:05` (with or without a comma before the hour); all but RFC 3339 in UTC.
pub(crate) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let text = trim(text);
    if let Ok(seconds) = text.parse::<i64>() {
        return DateTime::from_timestamp(seconds, 0);
    }
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time.with_timezone(&Utc));
    }
    ["%d %b %Y %H:%M", "%d %b %Y, %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|layout| NaiveDateTime::parse_from_str(text, layout).ok())
        .map(|time| time.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_every_form_the_logs_write() {
        let check = |text: &str, expected: Option<&str>| {
            assert_eq!(parse_time(text).map(|time| time.to_rfc3339()), expected.map(str::to_string), "{text}");
        };
        check("1483228800", Some("2017-01-01T00:00:00+00:00"));
        check("2017-01-01T09:30:00+09:00", Some("2017-01-01T00:30:00+00:00"));
        check("01 Jan 2017 10:05", Some("2017-01-01T10:05:00+00:00"));
        check("01 Jan 2017, 10:05", Some("2017-01-01T10:05:00+00:00"));
        check("2023-01-05 13:42", Some("2023-01-05T13:42:00+00:00"));
        check("2023-01-05 13:42:10", Some("2023-01-05T13:42:10+00:00"));
        check("yesterday", None);
    }

    #[test]
    fn fields_read_null_as_nothing_and_name_the_wrong_kind() {
        let row = JsonRow { file: "f.json", line: 3 };
        let text = r#"{"text": " a ", "null": null, "number": 12, "quoted": "12", "flag": false, "escaped": "\u00e9", "nested": {"a": [1]}}"#;
        let value: std::collections::HashMap<&str, Field<'_>> = serde_json::from_str(text).unwrap();
        assert!(matches!(value["text"], Field::Text(Cow::Borrowed(" a "))), "no copy without escapes");
        assert_eq!(row.text(value.get("escaped"), "escaped"), Ok(Some("é".into())));
        assert_eq!(row.text(value.get("nested"), "nested").unwrap_err().reason, "an object is not text");
        assert!(matches!(row.text(value.get("text"), "text"), Ok(Some(Cow::Borrowed("a")))), "trimmed, still borrowed");
        assert_eq!(row.text(value.get("null"), "null"), Ok(None));
        assert_eq!(
            row.text(value.get("number"), "number").unwrap_err().to_string(),
            "f.json:3: field `number`: 12 is not text"
        );
        assert_eq!(row.whole_number(value.get("quoted"), "quoted"), Ok(Some(12)));
        assert_eq!(row.yes_no(value.get("flag"), "flag"), Ok(Some(false)));
        assert!(row.yes_no(value.get("text"), "text").is_err());
        assert_eq!(row.required_text(value.get("gone"), "gone").unwrap_err().reason, "is missing");
    }

    proptest::proptest! {
        #[test]
        fn trim_is_str_trim(text in "[ \t\u{85}\u{3000}a-z~!\u{7f}é]{0,6}") {
            proptest::prop_assert_eq!(trim(&text), text.trim());
        }

        #[test]
        fn whole_number_is_str_parse(text in "[-+]?[0-9]{0,20}|[-+0-9a ]{0,6}", number: i64) {
            proptest::prop_assert_eq!(whole_number(&text), text.parse::<i64>().ok());
            let text = number.to_string();
            proptest::prop_assert_eq!(whole_number(&text), Some(number));
        }
    }
}
