//! One ListenBrainz listen (from an export, a JSON array or JSON lines, or the API's
//! `{"payload": {"listens": [...]}}`): `listened_at` in Unix seconds, `user_name`, and
//! `track_metadata` with `artist_name`, `track_name`, `release_name` (the album),
//! `additional_info.duration_ms` (or `duration` in seconds) and a MusicBrainz recording id from
//! `additional_info.recording_mbid` or `mbid_mapping.recording_mbid`.
//!
//! Only these keys are read: serde skips the rest of a listen without building it.
//!
//! A log's listens go straight into a piece's columns ([`numbered`]), each song known by the text
//! its `track_metadata` fields span ([`SpanMemo`]).

use std::borrow::Cow;

use encore_domain::{unix_seconds_micros, ListenColumns, ListenFields, NumberedListen, TextColumn};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::json_fields::{
    by_serde, object_fields, object_read, scanned_or_serde, slots, Found, Read, Shapes, Want, SHAPES_KEPT,
};
use crate::listen_fields::{Field, JsonRow, SpanMemo, Unstored};
use crate::listen_log::Owner;
use crate::report::Rejected;

/// What a listen that is not one is said not to be.
const WHAT: &str = "a ListenBrainz listen";

/// The listen's user field, as rejections name it.
pub(crate) const USER_FIELD: &str = "user_name";

#[derive(Deserialize)]
struct RawListen<'a> {
    #[serde(borrow)]
    listened_at: Option<Field<'a>>,
    #[serde(borrow)]
    user_name: Option<Field<'a>>,
    #[serde(borrow)]
    track_metadata: Option<RawTrack<'a>>,
}

#[derive(Deserialize)]
struct RawTrack<'a> {
    #[serde(borrow)]
    artist_name: Option<Field<'a>>,
    #[serde(borrow)]
    track_name: Option<Field<'a>>,
    #[serde(borrow)]
    release_name: Option<Field<'a>>,
    #[serde(borrow)]
    additional_info: Option<RawInfo<'a>>,
    #[serde(borrow)]
    mbid_mapping: Option<RawMapping<'a>>,
}

#[derive(Deserialize)]
struct RawInfo<'a> {
    #[serde(borrow)]
    duration_ms: Option<Field<'a>>,
    #[serde(borrow)]
    duration: Option<Field<'a>>,
    #[serde(borrow)]
    recording_mbid: Option<Field<'a>>,
}

#[derive(Deserialize)]
struct RawMapping<'a> {
    #[serde(borrow)]
    recording_mbid: Option<Field<'a>>,
}

/// The API's answer to a listens request: each listen kept as its text, so one that is not a
/// listen is rejected alone.
#[derive(Deserialize)]
struct Answer<'a> {
    #[serde(borrow)]
    payload: Payload<'a>,
}

#[derive(Deserialize)]
struct Payload<'a> {
    #[serde(borrow)]
    listens: Vec<&'a RawValue>,
}

/// The keys of a listen read, as [`RawListen`] names them.
const LISTEN_KEYS: &[(&str, Want)] =
    &[("listened_at", Want::Leaf), ("user_name", Want::Leaf), ("track_metadata", Want::Object(TRACK_KEYS))];
const TRACK_KEYS: &[(&str, Want)] = &[
    ("artist_name", Want::Leaf),
    ("track_name", Want::Leaf),
    ("release_name", Want::Leaf),
    ("additional_info", Want::Object(INFO_KEYS)),
    ("mbid_mapping", Want::Object(MAPPING_KEYS)),
];
const INFO_KEYS: &[(&str, Want)] =
    &[("duration_ms", Want::Leaf), ("duration", Want::Leaf), ("recording_mbid", Want::Leaf)];
const MAPPING_KEYS: &[(&str, Want)] = &[("recording_mbid", Want::Leaf)];

const SLOTS: usize = slots(LISTEN_KEYS);

/// The slots of what the scan finds of a listen's song, a bit each: the leaves of
/// `track_metadata`.
const SONG_SLOTS: u64 = 1 << 3 | 1 << 4 | 1 << 5 | 1 << 7 | 1 << 8 | 1 << 9 | 1 << 11;

/// One listen from its JSON text: scanned for its keys where the scan can, else through serde;
/// `shapes` are the layouts of the listens read before it.
pub(crate) fn listen<'a>(
    bytes: &'a [u8],
    file: &str,
    line: u64,
    shapes: &mut Shapes,
) -> Result<Option<ListenFields<'a>>, Rejected> {
    let raw = scanned_or_serde(bytes, |bytes| scanned(bytes, shapes), file, line, WHAT)?;
    convert(raw, JsonRow { file, line }).map(Some)
}

/// The listen's keys as serde would read them, found by a scan of the text.
fn scanned<'a>(bytes: &'a [u8], shapes: &mut Shapes) -> Option<RawListen<'a>> {
    object_fields::<SLOTS>(bytes, LISTEN_KEYS, shapes).map(|mut found| raw_listen(&mut found))
}

/// The keys the scan found, as serde would read them, taken out of `found`.
fn raw_listen<'a>(found: &mut [Found<'a>; SLOTS]) -> RawListen<'a> {
    // In the order of the keys above, an object's keys right after it.
    let [listened_at, user_name, track, artist_name, track_name, release_name, info, duration_ms, duration, info_mbid, mapping, mapping_mbid] =
        found.each_mut().map(|found| std::mem::replace(found, Found::Absent));
    let track_metadata = track.is_object().then(|| RawTrack {
        artist_name: artist_name.field(),
        track_name: track_name.field(),
        release_name: release_name.field(),
        additional_info: info.is_object().then(|| RawInfo {
            duration_ms: duration_ms.field(),
            duration: duration.field(),
            recording_mbid: info_mbid.field(),
        }),
        mbid_mapping: mapping.is_object().then(|| RawMapping { recording_mbid: mapping_mbid.field() }),
    });
    RawListen { listened_at: listened_at.field(), user_name: user_name.field(), track_metadata }
}

/// A listen read straight into a piece's columns, or one to store as its fields.
pub(crate) enum Stored<'a> {
    /// Its text numbered in the columns' dictionaries, to push.
    Numbered(NumberedListen),
    /// A listen the scan could not read, read by serde.
    Fields(ListenFields<'a>),
}

/// What a listen says of its recording, by the numbers of its text in a piece's columns.
#[derive(Clone, Copy)]
struct Song {
    artist: u32,
    track: u32,
    album: Option<u32>,
    duration_ms: Option<i64>,
    track_uri: Option<u32>,
}

/// The songs of a piece's listens, known by the text their `track_metadata` fields span, one
/// [`SpanMemo`] for each layout kept ([`Shapes`]): the same text between the first and last of
/// them reads as the same song only in listens laid out alike.
#[derive(Default)]
pub(crate) struct Songs {
    /// The memo of each layout kept, by its number modulo how many are kept.
    memos: Vec<(u64, SpanMemo<Song>)>,
}

impl Songs {
    fn memo(&mut self, layout: u64) -> &mut SpanMemo<Song> {
        let index = (layout % SHAPES_KEPT as u64) as usize;
        if self.memos.len() <= index {
            self.memos.resize_with(index + 1, || (u64::MAX, SpanMemo::default()));
        }
        let (known, memo) = &mut self.memos[index];
        if *known != layout {
            (*known, *memo) = (layout, SpanMemo::default());
        }
        memo
    }
}

/// One listen from its JSON text, its text numbered in `columns` where the scan can read it (its
/// song found in `songs` by the text it spans), else read through serde; its user checked against
/// `owner`'s. A listen is checked whole before its text is numbered, so a rejected one numbers
/// nothing.
pub(crate) fn numbered<'a>(
    bytes: &'a [u8],
    row: JsonRow<'_>,
    owner: &Owner<'_>,
    shapes: &mut Shapes,
    songs: &mut Songs,
    columns: &mut ListenColumns,
) -> Result<Stored<'a>, Unstored> {
    let mut read = Read::<SLOTS>::default();
    if !object_read(bytes, LISTEN_KEYS, SONG_SLOTS, shapes, &mut read) {
        let raw = by_serde(bytes, row.file, row.line, WHAT)?;
        return Ok(Stored::Fields(convert(raw, row)?));
    }
    let (text, span, layout) = (read.text, read.span.clone(), read.layout);
    let found = &mut read.found;
    let take = |slot: &mut Found<'a>| std::mem::replace(slot, Found::Absent).field();
    let listened_at = listened_at(take(&mut found[0]).as_ref(), row)?;
    let named = row.text(take(&mut found[1]).as_ref(), USER_FIELD);
    let checked = named.as_ref().map_err(Rejected::clone);
    let user = match checked.and_then(|named| owner.user(named.as_deref().unwrap_or_default(), row.line)) {
        Ok(user) => user,
        // The song is checked first, as `convert` does, and numbered only for a listen kept.
        Err(rejected) => {
            song_fields(raw_listen(found).track_metadata, row)?;
            return Err(rejected.into());
        }
    };
    let mut read_song = || number_song(raw_listen(found).track_metadata, row, columns);
    let song = match span.is_empty() {
        true => read_song()?,
        false => songs.memo(layout).get_or_read(&text[span], read_song)?,
    };
    Ok(Stored::Numbered(NumberedListen {
        user: columns.user.next_number(user)?,
        listened_at,
        artist: song.artist,
        track: song.track,
        album: song.album,
        duration_ms: song.duration_ms,
        track_uri: song.track_uri,
        source_line: row.line,
    }))
}

/// A listen's song, checked, its text numbered in `columns`.
fn number_song(track: Option<RawTrack<'_>>, row: JsonRow<'_>, columns: &mut ListenColumns) -> Result<Song, Unstored> {
    let song = song_fields(track, row)?;
    let number =
        |column: &mut TextColumn, text: Option<Cow<'_, str>>| text.map(|text| column.next_number(&text)).transpose();
    Ok(Song {
        artist: columns.artist.next_number(&song.artist)?,
        track: columns.track.next_number(&song.track)?,
        album: number(&mut columns.album, song.album)?,
        duration_ms: song.duration_ms,
        track_uri: number(&mut columns.track_uri, song.track_uri)?,
    })
}

/// The listens of an API answer, each with its 1-based position in `payload.listens` as its line.
pub(crate) fn answer_listens<'a>(bytes: &'a [u8], file: &str) -> Vec<Result<Option<ListenFields<'a>>, Rejected>> {
    let answer: Answer<'_> = match serde_json::from_slice(bytes) {
        Ok(answer) => answer,
        Err(error) => {
            let reason = format!("not a ListenBrainz answer with payload.listens ({error})");
            return vec![Err(Rejected::new(file, error.line().max(1) as u64, "", reason))];
        }
    };
    let mut shapes = Shapes::default();
    let listens = answer.payload.listens.into_iter().enumerate();
    listens.map(|(position, text)| listen(text.get().as_bytes(), file, position as u64 + 1, &mut shapes)).collect()
}

fn convert<'a>(raw: RawListen<'a>, row: JsonRow<'_>) -> Result<ListenFields<'a>, Rejected> {
    let listened_at = listened_at(raw.listened_at.as_ref(), row)?;
    let song = song_fields(raw.track_metadata, row)?;
    let user = row.text(raw.user_name.as_ref(), USER_FIELD)?.unwrap_or_default();
    let mut listen = ListenFields::new(user, listened_at, song.artist, song.track);
    listen.source_line = row.line;
    listen.album = song.album;
    listen.duration_ms = song.duration_ms;
    listen.track_uri = song.track_uri;
    Ok(listen)
}

/// `listened_at`, in Unix seconds, as microseconds since the Unix epoch.
fn listened_at(value: Option<&Field<'_>>, row: JsonRow<'_>) -> Result<i64, Rejected> {
    let value = value.ok_or_else(|| row.reject("listened_at", "is missing"))?;
    let seconds = value.whole().and_then(unix_seconds_micros);
    seconds.ok_or_else(|| row.reject("listened_at", format!("{value} is not a time in Unix seconds")))
}

/// What a listen says of its recording, checked.
struct SongFields<'a> {
    artist: Cow<'a, str>,
    track: Cow<'a, str>,
    album: Option<Cow<'a, str>>,
    duration_ms: Option<i64>,
    track_uri: Option<Cow<'a, str>>,
}

fn song_fields<'a>(track: Option<RawTrack<'a>>, row: JsonRow<'_>) -> Result<SongFields<'a>, Rejected> {
    let track = track.ok_or_else(|| row.reject("track_metadata.artist_name", "is missing"))?;
    let artist = row.required_text(track.artist_name.as_ref(), "track_metadata.artist_name")?;
    let track_name = row.required_text(track.track_name.as_ref(), "track_metadata.track_name")?;
    let album = row.text(track.release_name.as_ref(), "track_metadata.release_name")?;
    let info = track.additional_info;
    let duration_ms = match info.as_ref() {
        Some(RawInfo { duration_ms: Some(milliseconds), .. }) if !milliseconds.is_null() => {
            row.whole_number(Some(milliseconds), "track_metadata.additional_info.duration_ms")?
        }
        Some(RawInfo { duration: Some(seconds), .. }) if !seconds.is_null() => {
            let field = "track_metadata.additional_info.duration";
            Some(
                seconds_as_milliseconds(seconds)
                    .ok_or_else(|| row.reject(field, format!("{seconds} is not seconds")))?,
            )
        }
        _ => None,
    };
    let from_info = row.text(
        info.as_ref().and_then(|info| info.recording_mbid.as_ref()),
        "track_metadata.additional_info.recording_mbid",
    )?;
    let from_mapping = row.text(
        track.mbid_mapping.as_ref().and_then(|mapping| mapping.recording_mbid.as_ref()),
        "track_metadata.mbid_mapping.recording_mbid",
    )?;
    Ok(SongFields { artist, track: track_name, album, duration_ms, track_uri: from_info.or(from_mapping) })
}

/// `duration` is seconds, a whole number or not (`213.5`).
fn seconds_as_milliseconds(seconds: &Field<'_>) -> Option<i64> {
    seconds.as_f64().filter(|value| value.is_finite() && *value >= 0.0).map(|value| (value * 1000.0).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The listen serde alone reads from `text`.
    fn by_serde(text: &str) -> Result<Option<ListenFields<'_>>, Rejected> {
        let raw: RawListen<'_> = serde_json::from_str(text)
            .map_err(|error| Rejected::new("f", 1, "", format!("not a ListenBrainz listen ({error})")))?;
        convert(raw, JsonRow { file: "f", line: 1 }).map(Some)
    }

    #[test]
    fn a_scanned_listen_is_the_listen_serde_reads() {
        let fixture = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/series/listenbrainz-listens.jsonl"),
        )
        .unwrap();
        let odd = [
            r#"{"listened_at": null, "track_metadata": {"artist_name": "A", "track_name": "T"}}"#,
            r#"{"listened_at": 5, "track_metadata": null}"#,
            r#"{"listened_at": 5, "track_metadata": {"artist_name": "A", "track_name": "T", "additional_info": null}}"#,
            r#"{"listened_at": 5, "track_metadata": {"artist_name": "A", "track_name": "T", "additional_info": {"duration": 213.5}}}"#,
            r#"{"listened_at": 5, "track_metadata": {"artist_name": " \u00c9 ", "track_name": "\"T\"", "release_name": ""}}"#,
            r#"{"listened_at": 5, "track_metadata": {"artist_name": 7, "track_name": "T"}}"#,
            r#"{"listened_at": "5", "user_name": ["x"], "track_metadata": {"artist_name": "A", "track_name": {}}}"#,
            r#"{"listened_at": 5, "track_metadata": {"artist_name": "A", "track_name": "T", "mbid_mapping": {"recording_mbid": null}}}"#,
            r#"{"listened_at": 1.5, "track_metadata": {"artist_name": "A", "track_name": "T"}}"#,
            r#"{"listened_at": 5, "listened_at": 6}"#,
            r#"{"listened_at": 5, "track_metadata": "none"}"#,
            r#"{"listened_at": 5, "track_metadata": {"artist_name": "A", "track_name": "T", "additional_info": {"duration_ms": "120000"}}}"#,
        ];
        let mut shapes = Shapes::default();
        for text in fixture.lines().chain(odd) {
            assert_eq!(listen(text.as_bytes(), "f", 1, &mut shapes), by_serde(text), "{text}");
        }
        for text in fixture.lines().filter(|text| serde_json::from_str::<serde_json::Value>(text).is_ok()) {
            assert!(
                super::scanned(text.as_bytes(), &mut Shapes::default()).is_some(),
                "the scan reads a usual listen: {text}"
            );
        }
    }
}
