//! Property tests (proptest): no `parse_*` function panics, whatever the bytes, from arbitrary bytes to real
//! rows with a few bytes changed, cut or inserted; nor does the user series reader, on bytes or on any JSON
//! value. Case counts stay modest so this runs in seconds.

use std::path::Path;

use encore_ingest::{
    detect_format, detect_series_format, parse_billboard, parse_billboard_csv, parse_catalog, parse_chart,
    parse_circle, parse_counts_csv, parse_episode_ratings, parse_google_trends, parse_korean_wiki_dramas, parse_lastfm,
    parse_listenbrainz, parse_melon, parse_mydramalist, parse_naver_datalab, parse_pageviews, parse_spotify,
    parse_spotify_account, parse_spotify_extended, read_user_series, user_series_from_json, CatalogFiles, GapPolicy,
    SeriesOptions, SourceFormat, Spacing,
};
use proptest::prelude::*;
use serde_json::Value;

/// Real rows of every format (Korean text, quotes, BOMs, notes lines, EUC-KR bytes included).
fn samples() -> Vec<Vec<u8>> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut samples: Vec<Vec<u8>> = Vec::new();
    for folder in [fixtures.clone(), fixtures.join("series"), fixtures.join("search")] {
        let files = std::fs::read_dir(folder)
            .map(|entries| entries.filter_map(|entry| std::fs::read(entry.ok()?.path()).ok()).collect::<Vec<_>>());
        samples.extend(files.unwrap_or_default());
    }
    samples.push(b"song_year,song_rank,singer,title,Genre,lyric\n2017,1,\xEC\x97\x90\xEC\x9D\xBC\xEB\xA6\xAC,T,\"a, b\",\"x\ny\"\n".to_vec());
    samples.push(br#"{"date":"2022-06-18","data":[{"song":"S","artist":"A","this_week":1,"last_week":null,"peak_position":1,"weeks_on_chart":1}]}"#.to_vec());
    samples.push(
        b"Category: All\n\nDay,A: (Worldwide),B: (Worldwide)\n2022-01-01,1,<1\n2022-01-02,\n2022-01-04,4,5\n".to_vec(),
    );
    samples.push(b"year,name,gdp\n1960,kr,\"1,234\"\n1960,jp,2\n1962,kr,3\n2024Q1,jp,4\n".to_vec());
    samples.push(br#"{"a":[{"date":"2024-01-07","value":1}],"b":[{"date":"2024-01-21","value":"<1"}]}"#.to_vec());
    samples
}

/// Every gap policy beside every spacing.
fn series_options() -> Vec<SeriesOptions> {
    let policies = [GapPolicy::Refuse, GapPolicy::Zero, GapPolicy::Linear];
    let spacings = [Spacing::Regular, Spacing::Rows];
    policies
        .into_iter()
        .flat_map(|gaps| spacings.map(|spacing| SeriesOptions { gaps, spacing, ..SeriesOptions::default() }))
        .collect()
}

const NAMES: [&str; 4] = [
    "regional-kr-daily-2025-01-01.csv",
    "regional-global-weekly-2023-01-05.csv",
    "global-200/2024-06-08.json",
    "gaon_20160409.csv",
];

fn parse_everything(bytes: &[u8]) {
    for name in NAMES {
        let _ = detect_format(Path::new(name), bytes);
        for format in SourceFormat::ALL {
            let _ = parse_chart(format, bytes, name);
        }
        let _ = parse_billboard(bytes, name);
        let _ = parse_billboard_csv(bytes, name);
        let _ = parse_spotify(bytes, name);
        let _ = parse_melon(bytes, name);
        let _ = parse_circle(bytes, name);
    }
    let _ = parse_pageviews(bytes, "p.json");
    let _ = parse_counts_csv(bytes, "c.csv");
    let _ = parse_naver_datalab(bytes, "datalab.csv");
    let _ = parse_google_trends(bytes, "multiTimeline.csv");
    let _ = parse_episode_ratings(bytes, "r.csv");
    let _ = parse_lastfm(bytes, "l.csv");
    let _ = parse_listenbrainz(bytes, "lb.json");
    let _ = parse_spotify_extended(bytes, "s.json");
    let _ = parse_spotify_account(bytes, "a.json");
    let _ = parse_mydramalist(bytes, "m.csv");
    let _ = parse_korean_wiki_dramas(bytes, "k.csv");
    let _ = detect_series_format(bytes);
    let files = CatalogFiles { dramas: bytes, episodes: bytes, songs: bytes, events: bytes, artists: Some(bytes) };
    let _ = parse_catalog(&files, Path::new(""));
    for options in series_options() {
        let _ = read_user_series(bytes, "s.csv", &options);
        let _ = read_user_series(bytes, "s.json", &options);
    }
}

/// Dates and numbers in the spellings the user series reader takes, and near misses.
#[rustfmt::skip]
const SERIES_CELLS: &[&str] = &[
    "2024-01-01", "2024-01-02", "2024-01-08", "2024-02-01", "2024-01-31", "2024Q1", "2024년 2분기", "1960", "1961",
    "20240105", "45296", "2024-13-01", "<1", "1,234", "3,5", "45%", "", "-", "NaN",
];

/// A cell of a user's series: a spelling the reader takes or nearly, a number, or any text.
fn json_cell() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1.0e6..1.0e6f64).prop_map(Value::from),
        prop::sample::select(SERIES_CELLS).prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
    ]
}

/// JSON a user or a client might send: lists and objects, a few levels deep, keyed by the names the reader
/// looks for or by any text.
fn json_series() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        prop::sample::select(vec!["date", "dates", "value", "values", "unit", "name", "year", "ds", "y", "a", "b"])
            .prop_map(String::from),
        "\\PC{0,6}",
    ];
    json_cell().prop_recursive(3, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Replace(usize, u8),
    Truncate(usize),
    Insert(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let troublemaker = prop::sample::select(b"\",{}[]\n\r\xFF\xEF\xBB\xBF-0:9 <().".to_vec());
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Replace(at, byte)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), troublemaker).prop_map(|(at, byte)| Mutation::Insert(at, byte)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        parse_everything(&bytes);
    }

    #[test]
    fn mutated_real_rows_never_panic(sample in any::<prop::sample::Index>(), mutations in prop::collection::vec(mutation(), 1..6)) {
        let samples = samples();
        let mut bytes = samples[sample.index(samples.len())].clone();
        for mutation in mutations {
            if bytes.is_empty() {
                break;
            }
            match mutation {
                Mutation::Replace(at, byte) => {
                    let position = at % bytes.len();
                    bytes[position] = byte;
                }
                Mutation::Truncate(at) => bytes.truncate(at % bytes.len()),
                Mutation::Insert(at, byte) => {
                    let position = at % (bytes.len() + 1);
                    bytes.insert(position, byte);
                }
            }
        }
        parse_everything(&bytes);
    }

    #[test]
    fn any_json_series_never_panics(value in json_series()) {
        for options in series_options() {
            let _ = user_series_from_json(&value, "body", &options);
        }
        let _ = read_user_series(value.to_string().as_bytes(), "s.json", &SeriesOptions::default());
    }
}
