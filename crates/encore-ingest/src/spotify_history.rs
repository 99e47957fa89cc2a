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

/// One play of the extended streaming history; `None` for a podcast or audiobook play.
pub(crate) fn extended_play<'a>(bytes: &'a [u8], file: &str, line: u64) -> Result<Option<ListenFields<'a>>, Rejected> {
    let play: ExtendedPlay<'_> = serde_json::from_slice(bytes)
        .map_err(|error| Rejected::new(file, line, "", format!("not a Spotify play ({error})")))?;
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
    let mut listen = ListenFields::new(user, started(&row, ended, ms_played, "ms_played")?, artist, track);
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

/// One play of the account data export; `None` for a podcast play.
pub(crate) fn account_play<'a>(bytes: &'a [u8], file: &str, line: u64) -> Result<Option<ListenFields<'a>>, Rejected> {
    let play: AccountPlay<'_> = serde_json::from_slice(bytes)
        .map_err(|error| Rejected::new(file, line, "", format!("not a Spotify play ({error})")))?;
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
    let mut listen = ListenFields::new(Cow::Borrowed(""), started(&row, ended, ms_played, "msPlayed")?, artist, track);
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
