//! Listening logs from hand-written files in each exporter's documented shape: what each row
//! becomes, which rows are rejected with line and field, what is skipped as not music, and that a
//! per-account export keeps to its one listener.

use std::path::Path;

use encore_domain::Listen;
use encore_ingest::{detect, parse_series, Format, Parsed, SeriesFormat, SeriesRows};

fn series_fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/series").join(name)).unwrap()
}

/// One listen as a line: start, user, artist / track, then what the log said of the play.
fn described(listen: &Listen) -> String {
    let playback = &listen.playback;
    let mut said = Vec::new();
    let texts = [
        ("album", &playback.album),
        ("country", &playback.country),
        ("uri", &playback.track_uri),
        ("start", &playback.reason_start),
        ("end", &playback.reason_end),
    ];
    for (name, value) in texts {
        if let Some(value) = value {
            said.push(format!("{name}={value}"));
        }
    }
    for (name, value) in [("played", playback.ms_played), ("length", playback.duration_ms)] {
        if let Some(value) = value {
            said.push(format!("{name}={value}"));
        }
    }
    for (name, value) in [("shuffle", playback.shuffle), ("skipped", playback.skipped), ("offline", playback.offline)] {
        if let Some(value) = value {
            said.push(format!("{name}={value}"));
        }
    }
    format!(
        "{} line {}: {} {} / {} [{}]",
        listen.listened_at.format("%Y-%m-%d %H:%M:%S"),
        listen.source_line,
        listen.user,
        listen.artist,
        listen.track,
        said.join(" ")
    )
}

fn parsed(format: SeriesFormat, bytes: &[u8], name: &str) -> Parsed<Listen> {
    match parse_series(format, bytes, name) {
        SeriesRows::Listens(parsed) => parsed,
        other => panic!("{name}: not listens: {other:?}"),
    }
}

/// Detects the fixture's format, parses it and compares every row, rejection and skip.
fn check(name: &str, format: SeriesFormat, rows: &[&str], rejected: &[&str], skipped: usize) {
    let bytes = series_fixture(name);
    assert_eq!(detect(Path::new(name), &bytes[..bytes.len().min(2048)]), Some(Format::Series(format)), "{name}");
    let parsed = parsed(format, &bytes, name);
    let got_rows: Vec<String> = parsed.rows.iter().map(described).collect();
    let got_rejected: Vec<String> = parsed.rejected.iter().map(ToString::to_string).collect();
    assert_eq!(got_rows, rows, "{name}");
    assert_eq!(got_rejected, rejected, "{name}");
    assert_eq!(parsed.skipped, skipped, "{name}");
}

#[test]
fn spotify_extended_history_starts_a_play_its_length_before_its_end_and_skips_podcasts() {
    check(
        "Streaming_History_Audio_2023.json",
        SeriesFormat::SpotifyExtended,
        &[
            "2023-01-05 13:38:20 line 2: minji Ailee / I Will Go To You Like the First Snow [album=Guardian OST Part 9 \
             country=KR uri=spotify:track:0FixtureFirstSnow00000 start=clickrow end=trackdone played=230000 \
             shuffle=false offline=false]",
            "2023-01-05 13:42:44 line 25: minji Chanyeol, Punch / Stay With Me [album=Guardian OST Part 1 country=KR \
             uri=spotify:track:0FixtureStayWithMe0000 start=trackdone end=fwdbtn played=196000 shuffle=true \
             skipped=true offline=true]",
        ],
        &["Streaming_History_Audio_2023.json:73: field `ts`: \"yesterday\" is not an RFC 3339 time"],
        2,
    );
}

#[test]
fn spotify_account_history_reads_minutes_in_utc() {
    check(
        "StreamingHistory_music_0.json",
        SeriesFormat::SpotifyAccount,
        &[
            "2023-01-05 13:38:10 line 2:  Ailee / I Will Go To You Like the First Snow [played=230000]",
            "2023-01-05 13:42:44 line 8:  Chanyeol, Punch / Stay With Me [played=196000]",
        ],
        &["StreamingHistory_music_0.json:20: field `msPlayed`: -5 is not a length of time"],
        1,
    );
}

#[test]
fn listenbrainz_keeps_album_length_and_recording_and_one_listener() {
    check(
        "listenbrainz-listens.jsonl",
        SeriesFormat::ListenBrainz,
        &[
            "2023-01-05 13:38:10 line 1: minji Ailee / I Will Go To You Like the First Snow [album=Guardian OST Part 9 \
             uri=0f1x7e2a-0000-4000-8000-00000000f001 length=230000]",
            "2023-01-05 13:42:44 line 2: minji Chanyeol, Punch / Stay With Me [uri=0f1x7e2a-0000-4000-8000-00000000f002 \
             length=196000]",
        ],
        &[
            "listenbrainz-listens.jsonl:4: field `listened_at`: \"soon\" is not a time in Unix seconds",
            "listenbrainz-listens.jsonl:5: field `user_name`: listen of user jisoo in a file of user minji's; not merged",
            "listenbrainz-listens.jsonl:6: not a ListenBrainz listen (EOF while parsing an object at line 1 column 108)",
        ],
        0,
    );
    check(
        "listenbrainz-export.json",
        SeriesFormat::ListenBrainz,
        &[
            "2017-01-01 00:00:00 line 2:  Ailee / I Will Go To You Like the First Snow [album=Goblin OST Part 9]",
            "2017-01-01 00:05:00 line 3:  Chanyeol, Punch / Stay With Me []",
        ],
        &[
            "listenbrainz-export.json:4: field `listened_at`: \"soon\" is not a time in Unix seconds",
            "listenbrainz-export.json:5: field `track_metadata.artist_name`: is missing",
        ],
        0,
    );
}

#[test]
fn the_listenbrainz_api_answer_is_read_by_position() {
    let answer = br#"{"payload": {"count": 2, "user_id": "minji", "listens": [
        {"listened_at": 1672925890, "user_name": "minji", "track_metadata": {"artist_name": "Ailee", "track_name": "T"}},
        {"listened_at": 1672926164, "user_name": "jisoo", "track_metadata": {"artist_name": "Ailee", "track_name": "T"}}
    ]}}"#;
    let parsed = parsed(SeriesFormat::ListenBrainz, answer, "api.json");
    assert_eq!(parsed.rows.iter().map(|row| (row.user.as_str(), row.source_line)).collect::<Vec<_>>(), [("minji", 1)]);
    assert_eq!(
        parsed.rejected[0].to_string(),
        "api.json:2: field `user_name`: listen of user jisoo in a file of user minji's; not merged"
    );
}

#[test]
fn lastfm_reads_any_header_spelling_and_the_headerless_export() {
    check(
        "lastfm-scrobbles.csv",
        SeriesFormat::LastFm,
        &[
            "2017-01-01 00:00:00 line 2: minji Ailee / I Will Go To You Like the First Snow []",
            "2017-01-01 09:30:00 line 3: minji 에일리 / 첫눈처럼 너에게 가겠다 []",
            "2017-01-01 10:05:00 line 4: minji Chanyeol & Punch / Stay With Me []",
        ],
        &["lastfm-scrobbles.csv:5: field `timestamp`: \"yesterday\" is not a time (Unix seconds, RFC 3339 or \"01 Jan 2017 10:05\")"],
        0,
    );
    check(
        "lastfm-export.csv",
        SeriesFormat::LastFm,
        &[
            "2023-01-05 13:38:00 line 1:  Ailee / I Will Go To You Like the First Snow [album=Guardian OST Part 9]",
            "2023-01-05 13:42:00 line 2:  Chanyeol, Punch / Stay With Me [album=Guardian OST Part 1]",
            "2023-01-05 13:50:00 line 4:  Gummy / You Are My Everything [album=Descendants of the Sun OST Part 3]",
        ],
        &["lastfm-export.csv:3: field `date`: \"someday\" is not a time (Unix seconds, RFC 3339 or \"01 Jan 2017 10:05\")"],
        0,
    );
    // A dataset of many listeners: its users are not checked against each other.
    let many = b"uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid,username\n\
        1672925890,\"05 Jan 2023, 13:38\",Ailee,,Guardian OST,,First Snow,,minji\n\
        1672926164,\"05 Jan 2023, 13:42\",Gummy,,,,Everything,,jisoo\n";
    let parsed = parsed(SeriesFormat::LastFm, many, "many.csv");
    assert_eq!(parsed.rows.iter().map(|row| row.user.as_str()).collect::<Vec<_>>(), ["minji", "jisoo"]);
    assert_eq!(parsed.rows[1].playback.album, None);
    let missing = parsed_rejections(SeriesFormat::LastFm, b"artist,song\nA,B\n");
    assert_eq!(
        missing,
        ["l.csv:1: field `uts`: the header has no `uts` or `utc_time` or `date` or `timestamp` column (it has artist,song)"]
    );
}

fn parsed_rejections(format: SeriesFormat, bytes: &[u8]) -> Vec<String> {
    parsed(format, bytes, "l.csv").rejected.iter().map(ToString::to_string).collect()
}

#[test]
fn a_broken_json_array_is_one_rejection_naming_where_it_broke() {
    assert_eq!(
        parsed_rejections(SeriesFormat::SpotifyExtended, b"[\n{\"ts\": 1},\n"),
        ["l.csv:3: not a JSON array of listens"]
    );
    assert_eq!(parsed_rejections(SeriesFormat::SpotifyAccount, b"[]"), Vec::<String>::new());
}
