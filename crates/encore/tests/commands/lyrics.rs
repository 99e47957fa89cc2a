//! `encore lyrics` on the real Melon year-end files in `../shared/data/melon-year-end`: what it
//! reads and what its figures say.

use serde_json::Value;

use crate::support::{project_root, run, text};

fn lyrics_json(extra: &[&str]) -> Value {
    let data = project_root().join("../shared/data");
    let mut arguments = vec!["lyrics", "--json", "--data", data.to_str().unwrap()];
    arguments.extend_from_slice(extra);
    let output = run(&arguments);
    assert!(output.status.success(), "lyrics failed: {}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("lyrics --json prints JSON")
}

fn number(value: &Value) -> f64 {
    value.as_f64().expect("a number")
}

#[test]
fn reads_every_year_end_chart_and_finds_osts_in_every_period() {
    let analysis = lyrics_json(&[]);
    // 24 files of 100 rows, 2000 to 2023; Melon says 가사 없음 for 20 of them.
    assert_eq!(analysis["files"], 24);
    assert_eq!(analysis["rows"], 2400);
    assert_eq!(analysis["rows_without_lyrics"], 20);
    let periods = analysis["periods"].as_array().unwrap();
    let spans: Vec<(i64, i64)> = periods
        .iter()
        .map(|period| (period["first_year"].as_i64().unwrap(), period["last_year"].as_i64().unwrap()))
        .collect();
    assert_eq!(spans, [(2000, 2007), (2008, 2015), (2016, 2023)]);
    for period in periods {
        assert!(period["ost_songs"].as_u64().unwrap() > 0, "no OST in {period}");
        // Each song once per period, so at most 800 songs in 8 charts of 100.
        let songs = period["ost_songs"].as_u64().unwrap() + period["other_songs"].as_u64().unwrap();
        assert!(songs > 500 && songs <= 800, "{songs} songs in a period");
    }
    assert_eq!(analysis["years"].as_array().unwrap().len(), 24);
}

#[test]
fn the_distinguishing_words_have_finite_z_sorted_from_the_strongest() {
    let analysis = lyrics_json(&["--top", "15"]);
    for period in analysis["periods"].as_array().unwrap() {
        let ost: Vec<f64> = period["ost_words"].as_array().unwrap().iter().map(|word| number(&word["z"])).collect();
        let other: Vec<f64> = period["other_words"].as_array().unwrap().iter().map(|word| number(&word["z"])).collect();
        assert_eq!((ost.len(), other.len()), (15, 15));
        assert!(ost.iter().chain(&other).all(|z| z.is_finite()));
        assert!(ost.windows(2).all(|pair| pair[0] >= pair[1]) && ost[14] > 0.0, "{ost:?}");
        assert!(other.windows(2).all(|pair| pair[0] <= pair[1]) && other[14] < 0.0, "{other:?}");
    }
    // 운명 (destiny) is among the words that set the latest period's OSTs apart.
    let latest = &analysis["periods"][2]["ost_words"];
    assert!(latest.as_array().unwrap().iter().any(|word| word["word"] == "운명"), "{latest}");
}

#[test]
fn motifs_and_the_claim_are_measured_on_the_osts_that_last() {
    let analysis = lyrics_json(&[]);
    let claim = &analysis["claim"];
    let lasting: Vec<&str> =
        claim["lasting_osts"].as_array().unwrap().iter().map(|song| song.as_str().unwrap()).collect();
    assert!(lasting.iter().any(|song| song.contains("첫눈처럼 너에게 가겠다")), "{lasting:?}");
    assert!(lasting.iter().any(|song| song.contains("모든 날, 모든 순간")), "{lasting:?}");
    let season = &claim["against_other_songs"][0];
    assert_eq!(season["family"], "season and weather");
    // 첫눈처럼 너에게 가겠다 is a first-snow song: its family counts it.
    assert!(season["share"]["ost_with"].as_u64().unwrap() >= 1);
    assert_eq!(season["share"]["ost_of"].as_u64().unwrap(), lasting.len() as u64);
    for period in analysis["periods"].as_array().unwrap() {
        for motif in period["motifs"].as_array().unwrap() {
            let share = &motif["share"];
            assert!(number(&share["low"]) <= number(&share["difference"]));
            assert!(number(&share["difference"]) <= number(&share["high"]));
        }
    }
    let answer = claim["answer"].as_str().unwrap();
    assert!(answer.contains("supported"), "{answer}");
}

#[test]
fn the_text_answers_the_claim_and_a_wrong_folder_is_the_users_mistake() {
    let data = project_root().join("../shared/data/melon-year-end");
    let output = run(&["lyrics", "--data", data.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let printed = text(&output.stdout);
    assert!(printed.contains("2000-2007") && printed.contains("Answer: "), "{printed}");
    let missing = run(&["lyrics", "--data", "/nonexistent/encore-lyrics"]);
    assert_eq!(missing.status.code(), Some(2), "{}", text(&missing.stderr));
}

/// Hand-made lyrics through the binary: a bad year is rejected with its line, the good rows still
/// count, and the OST's words lead.
#[test]
fn a_hand_made_chart_keeps_its_good_rows_and_names_the_bad_one() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("kr_song_chart_2020_data.csv"),
        "song_year,song_rank,singer,title,Genre,lyric\n\
         2020,1,가수,첫눈,\"발라드, 국내드라마\",\"첫눈이 오면\n그대가 그리워\"\n\
         2020,2,가수,춤,댄스,dance 춤을 춰\n\
         twenty,3,가수,비,댄스,비가 와\n",
    )
    .unwrap();
    let output = run(&["lyrics", "--json", "--top", "3", "--data", folder.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains(":5: field `song_year`: \"twenty\" is not a number"),
        "{}",
        text(&output.stderr)
    );
    let analysis: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!((analysis["rows"].as_u64(), analysis["rows_rejected"].as_u64()), (Some(2), Some(1)));
    let period = &analysis["periods"][0];
    assert_eq!((period["ost_songs"].as_u64(), period["other_songs"].as_u64()), (Some(1), Some(1)));
    let ost_words: Vec<&str> =
        period["ost_words"].as_array().unwrap().iter().map(|word| word["word"].as_str().unwrap()).collect();
    assert_eq!(ost_words.len(), 3);
    assert!(ost_words.iter().all(|word| ["첫눈", "오", "그대", "그립"].contains(word)), "{ost_words:?}");
}
