//! Listening logs: Last.fm scrobbles as CSV (`user,timestamp,artist,track`, the shape scrobble
//! exporters write) and a ListenBrainz listens export (a JSON array of listens, or one listen per
//! line, each with `listened_at` in Unix seconds and `track_metadata.artist_name` and
//! `.track_name`). `encore ingest` matches them to catalog songs and stores them as `listens`.

use chrono::{DateTime, NaiveDateTime, Utc};
use encore_domain::{Listen, ListenSource, Playback};
use serde_json::Value;

use crate::report::{Parsed, Rejected};
use crate::table::read_csv;

/// Parses a Last.fm scrobble CSV. `timestamp` is Unix seconds, RFC 3339, or Last.fm's own
/// `01 Jan 2017 10:05` (UTC).
pub fn parse_lastfm(bytes: &[u8], file_name: &str) -> Parsed<Listen> {
    read_csv(bytes, file_name, &["user", "timestamp", "artist", "track"], &[], |row| {
        let timestamp = row.required_text("timestamp")?;
        let listened_at = parse_time(timestamp).ok_or_else(|| {
            row.reject(
                "timestamp",
                format!("{timestamp:?} is not a time (Unix seconds, RFC 3339 or \"01 Jan 2017 10:05\")"),
            )
        })?;
        Ok(Listen {
            source: ListenSource::LastFm,
            user: row.text("user")?.to_string(),
            listened_at,
            artist: row.required_text("artist")?.to_string(),
            track: row.required_text("track")?.to_string(),
            playback: Playback::default(),
            source_file: row.file().to_string(),
            source_line: row.line(),
            song_id: None,
        })
    })
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(seconds) = text.parse::<i64>() {
        return DateTime::from_timestamp(seconds, 0);
    }
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(text, "%d %b %Y %H:%M").ok().map(|time| time.and_utc())
}

/// Parses a ListenBrainz export: a JSON array of listens (line = 1-based position in it) or JSON
/// lines (line = the file's line). A listen's `user_name`, when present, is its user.
pub fn parse_listenbrainz(bytes: &[u8], file_name: &str) -> Parsed<Listen> {
    let mut parsed = Parsed::default();
    if bytes.trim_ascii_start().starts_with(b"[") {
        match serde_json::from_slice::<Vec<Value>>(bytes) {
            Ok(listens) => {
                for (position, value) in listens.iter().enumerate() {
                    parsed.push(listen(value, file_name, position as u64 + 1));
                }
            }
            Err(error) => {
                let reason = format!("not a JSON array of listens ({error})");
                parsed.rejected.push(Rejected::new(file_name, error.line().max(1) as u64, "", reason));
            }
        }
        return parsed;
    }
    for (index, line) in bytes.split(|&byte| byte == b'\n').enumerate() {
        if line.trim_ascii().is_empty() {
            continue;
        }
        let number = index as u64 + 1;
        match serde_json::from_slice::<Value>(line) {
            Ok(value) => parsed.push(listen(&value, file_name, number)),
            Err(error) => parsed.rejected.push(Rejected::new(file_name, number, "", format!("not JSON ({error})"))),
        }
    }
    parsed
}

fn listen(value: &Value, file: &str, line: u64) -> Result<Listen, Rejected> {
    let reject = |field: &str, reason: String| Rejected::new(file, line, field, reason);
    let listened_at_value = value.get("listened_at").ok_or_else(|| reject("listened_at", "is missing".into()))?;
    let listened_at = listened_at_value
        .as_i64()
        .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
        .ok_or_else(|| reject("listened_at", format!("{listened_at_value} is not a time in Unix seconds")))?;
    let metadata = value.get("track_metadata");
    let text = |key: &str| {
        let field = format!("track_metadata.{key}");
        match metadata.and_then(|metadata| metadata.get(key)) {
            Some(Value::String(text)) if !text.trim().is_empty() => Ok(text.trim().to_string()),
            Some(other) => Err(reject(&field, format!("{other} is not a non-empty string"))),
            None => Err(reject(&field, "is missing".into())),
        }
    };
    Ok(Listen {
        source: ListenSource::ListenBrainz,
        user: value.get("user_name").and_then(Value::as_str).unwrap_or_default().to_string(),
        listened_at,
        artist: text("artist_name")?,
        track: text("track_name")?,
        playback: Playback::default(),
        source_file: file.to_string(),
        source_line: line,
        song_id: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/series").join(name))
            .unwrap()
    }

    fn summary(parsed: &Parsed<Listen>) -> (Vec<String>, Vec<String>) {
        let rows = parsed
            .rows
            .iter()
            .map(|row| format!("{} {} / {} line {}", row.listened_at, row.artist, row.track, row.source_line))
            .collect();
        (rows, parsed.rejected.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn lastfm_scrobbles_in_any_time_format() {
        let (rows, rejected) = summary(&parse_lastfm(&fixture("lastfm-scrobbles.csv"), "l.csv"));
        assert_eq!(
            rows,
            [
                "2017-01-01 00:00:00 UTC Ailee / I Will Go To You Like the First Snow line 2",
                "2017-01-01 09:30:00 UTC 에일리 / 첫눈처럼 너에게 가겠다 line 3",
                "2017-01-01 10:05:00 UTC Chanyeol & Punch / Stay With Me line 4",
            ]
        );
        assert_eq!(rejected, ["l.csv:5: field `timestamp`: \"yesterday\" is not a time (Unix seconds, RFC 3339 or \"01 Jan 2017 10:05\")"]);
    }

    #[test]
    fn listenbrainz_exports_as_an_array_or_json_lines() {
        let (rows, rejected) = summary(&parse_listenbrainz(&fixture("listenbrainz-export.json"), "lb.json"));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1], "2017-01-01 00:05:00 UTC Chanyeol, Punch / Stay With Me line 2");
        assert_eq!(
            rejected,
            [
                "lb.json:3: field `listened_at`: \"soon\" is not a time in Unix seconds",
                "lb.json:4: field `track_metadata.artist_name`: is missing"
            ]
        );
        let lines = b"{\"listened_at\":1,\"user_name\":\"u\",\"track_metadata\":{\"artist_name\":\"A\",\"track_name\":\"T\"}}\n\nnot json\n";
        let parsed = parse_listenbrainz(lines, "lb.jsonl");
        assert_eq!((parsed.rows[0].user.as_str(), parsed.rejected[0].line), ("u", 3));
        assert_eq!(parse_listenbrainz(b"[1,", "x").rejected.len(), 1);
    }
}
