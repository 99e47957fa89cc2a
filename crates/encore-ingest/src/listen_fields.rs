//! What the JSON listening logs share: reading one field of a row (text, whole number, yes or no,
//! each `null` or absent as nothing) with a rejection naming the field, and the times the logs
//! write.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;

use crate::report::Rejected;

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
    pub(crate) fn text(&self, value: Option<&Value>, field: &str) -> Result<Option<String>, Rejected> {
        match value {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.trim().to_string())),
            Some(other) => Err(self.reject(field, format!("{other} is not text"))),
        }
    }

    /// Text that must be there and not be empty.
    pub(crate) fn required_text(&self, value: Option<&Value>, field: &str) -> Result<String, Rejected> {
        match value {
            None => Err(self.reject(field, "is missing")),
            Some(Value::String(text)) if !text.trim().is_empty() => Ok(text.trim().to_string()),
            Some(other) => Err(self.reject(field, format!("{other} is not a non-empty string"))),
        }
    }

    /// A whole number (a number in a string too: some exporters quote them).
    pub(crate) fn whole_number(&self, value: Option<&Value>, field: &str) -> Result<Option<i64>, Rejected> {
        match value {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(number)) if number.as_i64().is_some() => Ok(number.as_i64()),
            Some(Value::String(text)) if text.trim().parse::<i64>().is_ok() => Ok(text.trim().parse().ok()),
            Some(other) => Err(self.reject(field, format!("{other} is not a whole number"))),
        }
    }

    /// `true` or `false` (or 1 and 0).
    pub(crate) fn yes_no(&self, value: Option<&Value>, field: &str) -> Result<Option<bool>, Rejected> {
        match value {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(Value::Number(number)) if number.as_u64() == Some(0) => Ok(Some(false)),
            Some(Value::Number(number)) if number.as_u64() == Some(1) => Ok(Some(true)),
            Some(other) => Err(self.reject(field, format!("{other} is not true or false"))),
        }
    }
}

/// A time as listening logs write it: Unix seconds, RFC 3339, `2023-01-05 13:42[:10]`, or
/// Last.fm's `01 Jan 2017 10:05` (with or without a comma before the hour); all but RFC 3339 in UTC.
pub(crate) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
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
        let value = serde_json::json!({"text": " a ", "null": null, "number": 12, "quoted": "12", "flag": false});
        assert_eq!(row.text(value.get("text"), "text"), Ok(Some("a".to_string())));
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
}
