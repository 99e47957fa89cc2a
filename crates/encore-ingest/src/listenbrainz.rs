//! One ListenBrainz listen (from an export, a JSON array or JSON lines, or the API's
//! `{"payload": {"listens": [...]}}`): `listened_at` in Unix seconds, `user_name`, and
//! `track_metadata` with `artist_name`, `track_name`, `release_name` (the album),
//! `additional_info.duration_ms` (or `duration` in seconds) and a MusicBrainz recording id from
//! `additional_info.recording_mbid` or `mbid_mapping.recording_mbid`.
//!
//! Only these keys are read: serde skips the rest of a listen without building it.

use encore_domain::{unix_seconds_micros, ListenFields};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::json_fields::{object_fields, scanned_or_serde, slots, Shapes, Want};
use crate::listen_fields::{Field, JsonRow};
use crate::report::Rejected;

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

/// One listen from its JSON text: scanned for its keys where the scan can, else through serde;
/// `shapes` are the layouts of the listens read before it.
pub(crate) fn listen<'a>(
    bytes: &'a [u8],
    file: &str,
    line: u64,
    shapes: &mut Shapes,
) -> Result<Option<ListenFields<'a>>, Rejected> {
    let raw = scanned_or_serde(bytes, |bytes| scanned(bytes, shapes), file, line, "a ListenBrainz listen")?;
    convert(raw, JsonRow { file, line }).map(Some)
}

/// The listen's keys as serde would read them, found by a scan of the text.
fn scanned<'a>(bytes: &'a [u8], shapes: &mut Shapes) -> Option<RawListen<'a>> {
    const SLOTS: usize = slots(LISTEN_KEYS);
    // In the order of the keys above, an object's keys right after it.
    let [listened_at, user_name, track, artist_name, track_name, release_name, info, duration_ms, duration, info_mbid, mapping, mapping_mbid] =
        object_fields::<SLOTS>(bytes, LISTEN_KEYS, shapes)?;
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
    Some(RawListen { listened_at: listened_at.field(), user_name: user_name.field(), track_metadata })
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
    let listened_at_value = raw.listened_at.ok_or_else(|| row.reject("listened_at", "is missing"))?;
    let listened_at = listened_at_value
        .whole()
        .and_then(unix_seconds_micros)
        .ok_or_else(|| row.reject("listened_at", format!("{listened_at_value} is not a time in Unix seconds")))?;
    let track = raw.track_metadata.ok_or_else(|| row.reject("track_metadata.artist_name", "is missing"))?;
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
    let user = row.text(raw.user_name.as_ref(), USER_FIELD)?.unwrap_or_default();
    let mut listen = ListenFields::new(user, listened_at, artist, track_name);
    listen.source_line = row.line;
    listen.album = album;
    listen.duration_ms = duration_ms;
    listen.track_uri = from_info.or(from_mapping);
    Ok(listen)
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
