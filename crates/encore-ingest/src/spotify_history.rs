//! One play of Spotify's two listening-history exports, each a JSON array of plays:
//!
//! - the extended streaming history (`Streaming_History_Audio_*.json`, once `endsong_*.json`):
//!   `ts` (RFC 3339, when the play ended), `ms_played`, `conn_country`,
//!   `master_metadata_track_name`, `…_album_artist_name`, `…_album_album_name`,
//!   `spotify_track_uri`, `reason_start`, `reason_end`, `shuffle`, `skipped`, `offline`, and in
//!   older exports `username`;
//! - the account data export (`StreamingHistory_music_*.json`, once `StreamingHistory*.json`):
//!   `endTime` (`2023-01-05 13:42`, UTC), `artistName`, `trackName`, `msPlayed`.
//!
//! A play starts `ms_played` before its logged end: `listened_at` is the end minus that.
//! Podcast and audiobook plays (no track, an episode or audiobook named) are not music: they are
//! counted as skipped, not rejected. The personal fields (`ip_addr`, `ip_addr_decrypted`,
//! `user_agent_decrypted`, `platform`) are not keys of the rows read here, so serde passes over
//! them: they are never read, let alone stored.

use std::borrow::Cow;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use encore_domain::ListenFields;
use serde::Deserialize;

use crate::json_fields::{object_fields, scanned_or_serde, slots, Found, Shapes, Want};
use crate::listen_fields::{Field, JsonRow};
use crate::report::Rejected;

/// The extended history's user field, as rejections name it.
pub(crate) const USER_FIELD: &str = "username";

#[derive(Deserialize)]
struct ExtendedPlay<'a> {
    #[serde(borrow)]
    ts: Option<Field<'a>>,
    #[serde(borrow)]
    ms_played: Option<Field<'a>>,
    #[serde(borrow)]
    conn_country: Option<Field<'a>>,
    #[serde(borrow)]
    master_metadata_track_name: Option<Field<'a>>,
    #[serde(borrow)]
    master_metadata_album_artist_name: Option<Field<'a>>,
    #[serde(borrow)]
    master_metadata_album_album_name: Option<Field<'a>>,
    #[serde(borrow)]
    spotify_track_uri: Option<Field<'a>>,
    #[serde(borrow)]
    reason_start: Option<Field<'a>>,
    #[serde(borrow)]
    reason_end: Option<Field<'a>>,
    #[serde(borrow)]
    shuffle: Option<Field<'a>>,
    #[serde(borrow)]
    skipped: Option<Field<'a>>,
    #[serde(borrow)]
    offline: Option<Field<'a>>,
    #[serde(borrow)]
    username: Option<Field<'a>>,
    #[serde(borrow)]
    episode_name: Option<Field<'a>>,
    #[serde(borrow)]
    spotify_episode_uri: Option<Field<'a>>,
    #[serde(borrow)]
    audiobook_title: Option<Field<'a>>,
    #[serde(borrow)]
    audiobook_uri: Option<Field<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccountPlay<'a> {
    #[serde(borrow)]
    end_time: Option<Field<'a>>,
    #[serde(borrow)]
    artist_name: Option<Field<'a>>,
    #[serde(borrow)]
    track_name: Option<Field<'a>>,
    #[serde(borrow)]
    ms_played: Option<Field<'a>>,
    #[serde(borrow)]
    podcast_name: Option<Field<'a>>,
    #[serde(borrow)]
    episode_name: Option<Field<'a>>,
}

fn is_set(value: &Option<Field<'_>>) -> bool {
    value.as_ref().is_some_and(|value| !value.is_null())
}

/// The keys of an extended play read, as [`ExtendedPlay`] names them.
const EXTENDED_KEYS: &[(&str, Want)] = &[
    ("ts", Want::Leaf),
    ("ms_played", Want::Leaf),
    ("conn_country", Want::Leaf),
    ("master_metadata_track_name", Want::Leaf),
    ("master_metadata_album_artist_name", Want::Leaf),
    ("master_metadata_album_album_name", Want::Leaf),
    ("spotify_track_uri", Want::Leaf),
    ("reason_start", Want::Leaf),
    ("reason_end", Want::Leaf),
    ("shuffle", Want::Leaf),
    ("skipped", Want::Leaf),
    ("offline", Want::Leaf),
    ("username", Want::Leaf),
    ("episode_name", Want::Leaf),
    ("spotify_episode_uri", Want::Leaf),
    ("audiobook_title", Want::Leaf),
    ("audiobook_uri", Want::Leaf),
];

/// The play's keys as serde would read them, found by a scan of the text.
fn scanned_extended<'a>(bytes: &'a [u8], shapes: &mut Shapes) -> Option<ExtendedPlay<'a>> {
    let keys = object_fields::<{ slots(EXTENDED_KEYS) }>(bytes, EXTENDED_KEYS, shapes)?;
    let mut key = keys.into_iter().map(Found::field);
    let mut next = || key.next().flatten();
    Some(ExtendedPlay {
        ts: next(),
        ms_played: next(),
        conn_country: next(),
        master_metadata_track_name: next(),
        master_metadata_album_artist_name: next(),
        master_metadata_album_album_name: next(),
        spotify_track_uri: next(),
        reason_start: next(),
        reason_end: next(),
        shuffle: next(),
        skipped: next(),
        offline: next(),
        username: next(),
        episode_name: next(),
        spotify_episode_uri: next(),
        audiobook_title: next(),
        audiobook_uri: next(),
    })
}

/// The keys of an account play read, as [`AccountPlay`] names them.
const ACCOUNT_KEYS: &[(&str, Want)] = &[
    ("endTime", Want::Leaf),
    ("artistName", Want::Leaf),
    ("trackName", Want::Leaf),
    ("msPlayed", Want::Leaf),
    ("podcastName", Want::Leaf),
    ("episodeName", Want::Leaf),
];

fn scanned_account<'a>(bytes: &'a [u8], shapes: &mut Shapes) -> Option<AccountPlay<'a>> {
    let keys = object_fields::<{ slots(ACCOUNT_KEYS) }>(bytes, ACCOUNT_KEYS, shapes)?;
    let mut key = keys.into_iter().map(Found::field);
    let mut next = || key.next().flatten();
    Some(AccountPlay {
        end_time: next(),
        artist_name: next(),
        track_name: next(),
        ms_played: next(),
        podcast_name: next(),
        episode_name: next(),
    })
}

/// One play of the extended streaming history; `None` for a podcast or audiobook play. `shapes`
/// are the layouts of the plays read before it.
pub(crate) fn extended_play<'a>(
    bytes: &'a [u8],
    file: &str,
    line: u64,
    shapes: &mut Shapes,
) -> Result<Option<ListenFields<'a>>, Rejected> {
    let play = scanned_or_serde(bytes, |bytes| scanned_extended(bytes, shapes), file, line, "a Spotify play")?;
    extended_play_of(play, file, line)
}

fn extended_play_of<'a>(play: ExtendedPlay<'a>, file: &str, line: u64) -> Result<Option<ListenFields<'a>>, Rejected> {
    let row = JsonRow { file, line };
    let not_music = [&play.episode_name, &play.spotify_episode_uri, &play.audiobook_title, &play.audiobook_uri];
    if !is_set(&play.master_metadata_track_name) && not_music.into_iter().any(is_set) {
        return Ok(None);
    }
    let ended_text = row.required_text(play.ts.as_ref(), "ts")?;
    let ended = DateTime::parse_from_rfc3339(&ended_text)
        .map_err(|_| row.reject("ts", format!("{ended_text:?} is not an RFC 3339 time")))?
        .with_timezone(&Utc);
    let ms_played = played(&row, play.ms_played.as_ref(), "ms_played")?;
    let user = row.text(play.username.as_ref(), USER_FIELD)?.unwrap_or_default();
    let artist =
        row.required_text(play.master_metadata_album_artist_name.as_ref(), "master_metadata_album_artist_name")?;
    let track = row.required_text(play.master_metadata_track_name.as_ref(), "master_metadata_track_name")?;
    let mut listen =
        ListenFields::new(user, started(&row, ended, ms_played, "ms_played")?.timestamp_micros(), artist, track);
    listen.source_line = line;
    listen.album = row.text(play.master_metadata_album_album_name.as_ref(), "master_metadata_album_album_name")?;
    listen.ms_played = Some(ms_played);
    listen.country = row.text(play.conn_country.as_ref(), "conn_country")?.map(upper_case);
    listen.track_uri = row.text(play.spotify_track_uri.as_ref(), "spotify_track_uri")?;
    listen.reason_start = row.text(play.reason_start.as_ref(), "reason_start")?;
    listen.reason_end = row.text(play.reason_end.as_ref(), "reason_end")?;
    listen.shuffle = row.yes_no(play.shuffle.as_ref(), "shuffle")?;
    listen.skipped = row.yes_no(play.skipped.as_ref(), "skipped")?;
    listen.offline = row.yes_no(play.offline.as_ref(), "offline")?;
    Ok(Some(listen))
}

/// A country code in capitals, copied only when it is not already.
fn upper_case(country: Cow<'_, str>) -> Cow<'_, str> {
    if country.bytes().any(|byte| byte.is_ascii_lowercase()) {
        Cow::Owned(country.to_ascii_uppercase())
    } else {
        country
    }
}

/// One play of the account data export; `None` for a podcast play. `shapes` are the layouts of
/// the plays read before it.
pub(crate) fn account_play<'a>(
    bytes: &'a [u8],
    file: &str,
    line: u64,
    shapes: &mut Shapes,
) -> Result<Option<ListenFields<'a>>, Rejected> {
    let play = scanned_or_serde(bytes, |bytes| scanned_account(bytes, shapes), file, line, "a Spotify play")?;
    account_play_of(play, file, line)
}

fn account_play_of<'a>(play: AccountPlay<'a>, file: &str, line: u64) -> Result<Option<ListenFields<'a>>, Rejected> {
    let row = JsonRow { file, line };
    if !is_set(&play.track_name) && (is_set(&play.podcast_name) || is_set(&play.episode_name)) {
        return Ok(None);
    }
    let ended_text = row.required_text(play.end_time.as_ref(), "endTime")?;
    let ended = NaiveDateTime::parse_from_str(&ended_text, "%Y-%m-%d %H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(&ended_text, "%Y-%m-%d %H:%M:%S"))
        .map_err(|_| row.reject("endTime", format!("{ended_text:?} is not a time like \"2023-01-05 13:42\"")))?
        .and_utc();
    let ms_played = played(&row, play.ms_played.as_ref(), "msPlayed")?;
    let artist = row.required_text(play.artist_name.as_ref(), "artistName")?;
    let track = row.required_text(play.track_name.as_ref(), "trackName")?;
    let mut listen = ListenFields::new(
        Cow::Borrowed(""),
        started(&row, ended, ms_played, "msPlayed")?.timestamp_micros(),
        artist,
        track,
    );
    listen.source_line = line;
    listen.ms_played = Some(ms_played);
    Ok(Some(listen))
}

fn played(row: &JsonRow<'_>, value: Option<&Field<'_>>, field: &str) -> Result<i64, Rejected> {
    match row.whole_number(value, field)? {
        Some(milliseconds) if milliseconds >= 0 => Ok(milliseconds),
        Some(milliseconds) => Err(row.reject(field, format!("{milliseconds} is not a length of time"))),
        None => Err(row.reject(field, "is missing")),
    }
}

fn started(row: &JsonRow<'_>, ended: DateTime<Utc>, ms_played: i64, field: &str) -> Result<DateTime<Utc>, Rejected> {
    ended
        .checked_sub_signed(Duration::milliseconds(ms_played))
        .ok_or_else(|| row.reject(field, format!("{ms_played} ms before the play's end is not a time")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(name: &str) -> Vec<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/series").join(name);
        let plays: Vec<serde_json::Value> = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        plays.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_scanned_play_is_the_play_serde_reads() {
        type Parser = for<'r> fn(&'r [u8], &str, u64, &mut Shapes) -> Result<Option<ListenFields<'r>>, Rejected>;
        let by_serde_extended: Parser = |bytes, file, line, _| {
            let play: ExtendedPlay<'_> = serde_json::from_slice(bytes)
                .map_err(|error| Rejected::new(file, line, "", format!("not a Spotify play ({error})")))?;
            extended_play_of(play, file, line)
        };
        let by_serde_account: Parser = |bytes, file, line, _| {
            let play: AccountPlay<'_> = serde_json::from_slice(bytes)
                .map_err(|error| Rejected::new(file, line, "", format!("not a Spotify play ({error})")))?;
            account_play_of(play, file, line)
        };
        let odd_extended = [
            r#"{"ts": "2023-01-05T13:42:10Z", "ms_played": 1.5, "master_metadata_track_name": "T"}"#,
            r#"{"ts": "2023-01-05T13:42:10Z", "ms_played": 1000, "master_metadata_track_name": null, "episode_name": "E"}"#,
            r#"{"ts": "2023-01-05T13:42:10Z", "ms_played": 1000, "master_metadata_track_name": "T", "master_metadata_album_artist_name": "A", "conn_country": "kr", "shuffle": 1, "skipped": null, "ip_addr": "1.2.3.4"}"#,
            r#"{"ts": "2023-01-05T13:42:10Z", "ms_played": -5, "master_metadata_track_name": "T", "master_metadata_album_artist_name": "A"}"#,
        ];
        let odd_account = [
            r#"{"endTime": "2023-01-05 13:42", "artistName": "A", "trackName": "T", "msPlayed": 5000}"#,
            r#"{"endTime": "2023-01-05 13:42", "artistName": "A", "trackName": null, "podcastName": "P", "msPlayed": 5}"#,
            r#"{"endTime": "2023-01-05", "artistName": "A", "trackName": "T", "msPlayed": "7"}"#,
        ];
        let cases: [(Vec<String>, Parser, Parser); 2] = [
            (
                elements("Streaming_History_Audio_2023.json")
                    .into_iter()
                    .chain(odd_extended.map(String::from))
                    .collect(),
                extended_play,
                by_serde_extended,
            ),
            (
                elements("StreamingHistory_music_0.json").into_iter().chain(odd_account.map(String::from)).collect(),
                account_play,
                by_serde_account,
            ),
        ];
        for (texts, parse, by_serde) in cases {
            let mut shapes = Shapes::default();
            for text in &texts {
                let expected = by_serde(text.as_bytes(), "f", 1, &mut Shapes::default());
                assert_eq!(parse(text.as_bytes(), "f", 1, &mut shapes), expected, "{text}");
            }
        }
        assert!(elements("Streaming_History_Audio_2023.json").iter().all(|text| scanned_extended(
            text.as_bytes(),
            &mut Shapes::default()
        )
        .is_some()));
        assert!(elements("StreamingHistory_music_0.json").iter().all(|text| scanned_account(
            text.as_bytes(),
            &mut Shapes::default()
        )
        .is_some()));
    }
}
