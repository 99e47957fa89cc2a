//! The real `encore` binary, end to end on the real data in `../shared/data`: what a user runs and
//! what the report then says.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::support::{project_root, run, shared_data, text};

fn run_demo(out: &Path) -> Output {
    let store = out.join("store");
    let output = run(&[
        "demo",
        "--store",
        store.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--data",
        shared_data().to_str().unwrap(),
        "--catalog",
        project_root().join("catalog").to_str().unwrap(),
    ]);
    assert!(output.status.success(), "demo failed: {}\n{}", text(&output.stdout), text(&output.stderr));
    output
}

/// What `encore sql` prints for a query on the store.
fn sql(store: &Path, query: &str) -> String {
    let output = run(&["sql", query, "--store", store.to_str().unwrap()]);
    assert!(output.status.success(), "{query}: {}", text(&output.stderr));
    text(&output.stdout)
}

fn case<'a>(report: &'a Value, song_id: &str) -> &'a Value {
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|case| case["song_id"] == song_id)
        .unwrap_or_else(|| panic!("no case {song_id}"))
}

fn peaks(case: &Value) -> Vec<(String, String, u64, String, String, String)> {
    case["peaks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|peak| {
            (
                peak["chart"].as_str().unwrap().to_string(),
                peak["date"].as_str().unwrap().to_string(),
                peak["rank"].as_u64().unwrap(),
                peak["prominence"].as_str().unwrap().to_string(),
                peak["phase"].as_str().unwrap().to_string(),
                peak["cause"]["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn owned(
    chart: &str,
    date: &str,
    rank: u64,
    prominence: &str,
    phase: &str,
    cause: &str,
) -> (String, String, u64, String, String, String) {
    (chart.into(), date.into(), rank, prominence.into(), phase.into(), cause.into())
}

#[test]
fn the_demo_tells_the_known_stories_of_the_real_data() {
    let out = tempfile::tempdir().unwrap();
    let first_run = run_demo(out.path());
    let stdout = text(&first_run.stdout);
    assert!(stdout.contains("report: "), "{stdout}");
    let report_dir = out.path().join("report");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(report_dir.join("report.json")).unwrap()).unwrap();

    // Running Up That Hill: the 1985-86 run of 20 weeks, the 2022 revival after Stranger Things 4.
    let hill = case(&report, "running_up_that_hill");
    assert_eq!(
        peaks(hill)[..2],
        [
            owned("billboard_hot100", "1985-11-30", 30, "secondary", "original_run", "release"),
            owned("billboard_hot100", "2022-07-30", 3, "primary", "revival", "premiere"),
        ]
    );
    assert!(hill["peaks"][1]["description"].as_str().unwrap().contains("Stranger Things"));
    // Stranger Things 4 has no ratings; its attention is its Netflix hours viewed (the best week,
    // 335.0 M hours to 2022-06-05, is 100). The week after, viewing halved (159.2 M, 47.5) while
    // the song entered the Hot 100 at #8 (93, the week of 2022-06-05 to 06-11): the song passed
    // the drama on Monday 2022-06-06, between Volume 1 and Volume 2, not after the finale as the
    // assumed flat 100 had it (2022-07-03).
    assert_eq!(hill["drama_attention_basis"], "netflix_hours_viewed");
    assert_eq!(hill["eclipse"]["crossover"], "2022-06-06");
    // Business Proposal is measured by its hours viewed too (Netflix's non-English #1 from its
    // third week), before its SBS ratings: Love, Maybe, #1 on Bugs from 2022-03-09, passed it on
    // 2022-03-01, the day of the second episode, as the first Top 10 week's value stands for the
    // weeks before it.
    let love_maybe = case(&report, "love_maybe");
    assert_eq!(love_maybe["drama_attention_basis"], "netflix_hours_viewed");
    assert_eq!(love_maybe["eclipse"]["crossover"], "2022-03-01");
    let hill_weeks_1985 = 20;
    let hill_weeks_2022 = 20;
    assert!(hill["chart_rows"].as_u64().unwrap() >= hill_weeks_1985 + hill_weeks_2022);

    // First Snow: #1 of Melon's 2017 year-end list and of Circle's weekly chart; back on Spotify
    // Korea in December 2025, nine winters on: an anniversary revival, not a new release.
    let snow = case(&report, "first_snow");
    let snow_peaks = peaks(snow);
    for expected in [
        owned("circle_weekly", "2017-01-14", 1, "secondary", "original_run", "release"),
        owned("melon_year_end", "2017-12-31", 1, "primary", "original_run", "release"),
        owned("spotify_daily", "2025-12-18", 148, "secondary", "revival", "anniversary"),
    ] {
        assert!(snow_peaks.contains(&expected), "{expected:?} not in {snow_peaks:?}");
    }
    let spotify_peak = snow["peaks"].as_array().unwrap().iter().find(|peak| peak["chart"] == "spotify_daily").unwrap();
    assert_eq!(spotify_peak["season"], "winter");
    assert_eq!(snow["eclipse"]["crossover_year"], 2017);

    // Give You My Heart reached #1 in the week of Crash Landing on You's finale (Sunday 2020-02-16,
    // the first day of Circle's week ending 2020-02-22).
    let heart = case(&report, "give_you_my_heart");
    assert!(peaks(heart).contains(&owned("circle_weekly", "2020-02-22", 1, "primary", "original_run", "release")));

    // Love, Maybe, from the 2022 daily charts: out on 02-18, ten days before Business Proposal; a
    // slide while nobody watched; the leap to #1 on Bugs after episodes 3 and 4.
    let love_maybe = case(&report, "love_maybe");
    let love_maybe_peaks = peaks(love_maybe);
    assert!(love_maybe_peaks.contains(&owned("bugs_daily", "2022-02-18", 14, "secondary", "original_run", "release")));
    assert!(love_maybe_peaks.contains(&owned("bugs_daily", "2022-03-09", 1, "primary", "original_run", "airing")));
    let leap = love_maybe["peaks"].as_array().unwrap().iter().find(|peak| peak["rank"] == 1).unwrap();
    assert_eq!(leap["cause"]["label"], "Business Proposal episode 4 aired (2022-03-08)");
    let responses = love_maybe["airing"]["episodes"].as_array().expect("airing response measured");
    let response_of = |episode: u64| {
        responses.iter().find(|row| row["airing"]["number"] == episode).unwrap()["response"].as_f64().unwrap()
    };
    assert!(response_of(3) > 0.0 && response_of(4) > 0.0, "{responses:?}");
    let premiere_move = report["marketing"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["song_id"] == "love_maybe" && row["date"] == "2022-02-28")
        .expect("the premiere is a move for the song released before it");
    assert_eq!(premiere_move["detail"], "Business Proposal premiere, 10 days after the song's release");
    // Ten days old at the premiere: measured against the songs of its age on Bugs, most of which
    // slid off the chart while it climbed; the interval excludes no lift.
    let lift = &premiere_move["lift"];
    assert_eq!(lift["counterfactual"], "songs_of_the_same_age", "{premiere_move}");
    assert_eq!(lift["chart"], "bugs_daily");
    assert!(lift["placebos"].as_u64().unwrap() >= 10, "{lift}");
    let low = lift["interval"][0].as_f64().expect("an interval");
    assert!(low > 0.0 && low < lift["estimate"].as_f64().unwrap(), "{lift}");

    // The Red Sleeve's finale (2022-01-01): Lee Sun-hee's song at #2 on Bugs that day, then a
    // decay with a half-life and its interval.
    let red_sleeve = case(&report, "let_go_of_your_hand_lee_sunhee");
    assert!(peaks(red_sleeve).contains(&owned("bugs_daily", "2022-01-01", 2, "primary", "original_run", "finale")));
    let half_life = red_sleeve["longevity"]["fit"]["half_life_days"].as_f64().expect("a fitted half-life");
    assert!((3.0..60.0).contains(&half_life), "{half_life}");
    let interval = red_sleeve["longevity"]["half_life_interval"].as_array().expect("an interval");
    assert!(interval[0].as_f64().unwrap() <= half_life && half_life <= interval[1].as_f64().unwrap());

    // Melon gives only Hangul titles and credits: the songs still land on the right drama.
    for (song_id, drama_id) in [
        ("first_snow", "goblin"),
        ("stay_with_me", "goblin"),
        ("this_love_davichi", "dots"),
        ("talk_love_kwill", "dots"),
        ("give_you_my_heart", "cloy"),
        ("someday_kim_jaehwan", "cloy"),
    ] {
        assert_eq!(case(&report, song_id)["drama_id"], drama_id, "{song_id}");
    }

    // The leaderboard is ranked by eclipse score, and the songs that famously outgrew their
    // dramas stand above the Western revival.
    let leaderboard = report["leaderboard"].as_array().unwrap();
    let scores: Vec<f64> = leaderboard.iter().map(|row| row["eclipse"]["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|pair| pair[0] >= pair[1]), "{scores:?}");
    let position = |song: &str| {
        leaderboard.iter().position(|row| row["case"] == song).unwrap_or_else(|| panic!("{song} not ranked"))
    };
    // My Love from the Star's 너의 모든 순간 (back on Melon's year-end lists in 2022 and 2023), Love,
    // Maybe and First Snow lead.
    let mut top_three: Vec<&str> = leaderboard[..3].iter().map(|row| row["case"].as_str().unwrap()).collect();
    top_three.sort();
    assert_eq!(top_three, ["every_moment_of_you", "first_snow", "love_maybe"]);
    assert!(position("first_snow") < position("running_up_that_hill"));

    // The page people read says the same.
    let html = std::fs::read_to_string(report_dir.join("report.html")).unwrap();
    assert!(html.contains("Songs that outgrew their drama"));
    assert!(html.contains("9th anniversary of Guardian: The Lonely and Great God premiere (2016-12-02)"));
    assert!(html.contains("첫눈처럼 너에게 가겠다"));
    for song_id in ["running_up_that_hill", "first_snow"] {
        assert!(report_dir.join(format!("{song_id}-chart.svg")).exists());
        assert!(report_dir.join(format!("{song_id}-eclipse.svg")).exists());
    }

    // The listener pages, on generated logs and labelled so: a section for each of the three
    // dramas they play most, with its four figures and the generated banner.
    let sections: Vec<&str> = html.split("id=\"listeners-").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    assert_eq!(sections.len(), 3, "{sections:?}");
    for drama in sections {
        assert!(
            [
                "red_sleeve",
                "our_beloved_summer",
                "young_lady_and_gentleman",
                "twenty_five_twenty_one",
                "business_proposal",
                "stranger_things_s4"
            ]
            .contains(&drama),
            "{drama}"
        );
        for figure in ["heatmap", "airings", "retention", "countries"] {
            assert!(report_dir.join(format!("listeners-{drama}-{figure}.svg")).exists(), "{drama} {figure}");
        }
    }
    assert!(html.contains("Generated listening logs"));

    // The catalog sections: the checklist with its outcome table, a campaign timeline per drama
    // with a charting OST (Goblin's among them), and the lyrics of the Melon lists the demo read.
    for anchor in ["id=\"checklist\"", "id=\"campaigns\"", "id=\"timeline-goblin\"", "id=\"lyrics\""] {
        assert!(html.contains(anchor), "no {anchor} in report.html");
    }
    assert!(report_dir.join("timeline-goblin.svg").exists());
    assert!(std::fs::read_to_string(report_dir.join("lyrics-motifs.svg")).unwrap().contains("season and weather"));
    let checklist = &report["checklist"];
    assert_eq!(checklist["outcomes"].as_array().unwrap().len(), 20);
    let stay = checklist["songs"].as_array().unwrap().iter().find(|song| song["song_id"] == "stay_with_me").unwrap();
    let motifs = stay["items"].as_array().unwrap().iter().find(|item| item["item"] == "universal_motifs").unwrap();
    assert_eq!(motifs["status"], "evidenced", "{motifs}");
    assert!(report["lyrics"]["claim"]["answer"].as_str().unwrap().contains("supported"));
    assert!(report["timelines"].as_array().unwrap().iter().any(|timeline| timeline["drama_id"] == "goblin"));
    let listens = sql(&out.path().join("store"), "SELECT source, count(*) AS listens FROM listens GROUP BY source");
    assert!(listens.contains("generated") && listens.contains("(1 rows)"), "only generated listens: {listens}");

    // Circle's weekly chart in the store: First Snow's three weeks at #1, and the Descendants of
    // the Sun OSTs that reached #1 in 2016.
    let store = out.path().join("store");
    let snow_weeks = sql(&store, "SELECT chart_date FROM circle_weekly WHERE song_id = 'first_snow' AND rank = 1");
    for week in ["2017-01-14", "2017-01-21", "2017-01-28"] {
        assert!(snow_weeks.contains(week), "{snow_weeks}");
    }
    assert!(snow_weeks.contains("(3 rows)"), "{snow_weeks}");
    let dots_number_ones = sql(
        &store,
        "SELECT count(DISTINCT c.song_id) AS songs FROM circle_weekly c JOIN songs s ON c.song_id = s.song_id \
         WHERE s.drama_id = 'dots' AND c.rank = 1",
    );
    assert!(dots_number_ones.contains("| 5 "), "{dots_number_ones}");
    // Love, Maybe slid to #94 on Bugs before the premiere.
    let slide = sql(
        &store,
        "SELECT max(rank) AS low FROM bugs_daily WHERE song_id = 'love_maybe' AND chart_date < '2022-02-28'",
    );
    assert!(slide.contains("| 94 "), "{slide}");

    // Running the demo again adds nothing to the store.
    let count_query = "SELECT chart, count(*) AS row_count FROM chart_entries GROUP BY chart ORDER BY chart";
    let before = run(&["sql", count_query, "--store", store.to_str().unwrap()]);
    let second_run = run_demo(out.path());
    let after = run(&["sql", count_query, "--store", store.to_str().unwrap()]);
    assert_eq!(text(&before.stdout), text(&after.stdout));
    assert!(text(&before.stdout).contains("354887"), "{}", text(&before.stdout));
    // The second run read no Billboard week again: all 3549 were held, none stored.
    let second_stdout = text(&second_run.stdout);
    let billboard = second_stdout.lines().find(|line| line.starts_with("billboard_hot100 ")).unwrap_or_default();
    let columns: Vec<&str> = billboard.split_whitespace().collect();
    assert_eq!(columns.get(1..4), Some(&["3549", "3549", "0"][..]), "{second_stdout}");
    assert!(second_stdout.contains("already holds these generated listens"), "{second_stdout}");
}

#[test]
fn bad_rows_are_named_and_the_good_rows_still_load() {
    let folder = tempfile::tempdir().unwrap();
    let charts = folder.path().join("charts");
    std::fs::create_dir(&charts).unwrap();
    let header = "\u{feff}rank,uri,artist_names,track_name,source,peak_rank,previous_rank,days_on_chart,streams\n";
    let rows = "1,\"spotify:track:a\",\"AILEE\",\"I Will Go To You Like the First Snow\",\"Stone\",1,-1,1,\"10284\"\n\
                2,\"spotify:track:b\",\"B\",\"Other\",\"S\",2,-1,1,\"12a\"\n\
                3,\"spotify:track:c\",\"C\",\"Third\",\"S\",3\n";
    std::fs::write(charts.join("regional-kr-daily-2025-12-18.csv"), format!("{header}{rows}")).unwrap();
    let store = folder.path().join("store");
    let output = run(&["ingest", charts.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    let stderr = text(&output.stderr);
    // Rows were rejected: a partial load, exit code 3, after the summary.
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("regional-kr-daily-2025-12-18.csv:3: field `streams`"), "{stderr}");
    assert!(stderr.contains("regional-kr-daily-2025-12-18.csv:4"), "{stderr}");
    let stdout = text(&output.stdout);
    let spotify = stdout.lines().find(|line| line.starts_with("spotify_daily ")).unwrap_or_default();
    // files, held, stored, replaced, rejected, matched
    let columns: Vec<&str> = spotify.split_whitespace().collect();
    assert_eq!(columns.get(1..7), Some(&["1", "0", "1", "0", "2", "1"][..]), "{stdout}");

    let query = run(&["sql", "SELECT song_id, streams FROM spotify_daily", "--store", store.to_str().unwrap()]);
    assert!(text(&query.stdout).contains("first_snow"), "{}", text(&query.stdout));
}

#[test]
fn a_missing_folder_gets_one_clear_sentence_and_exit_code_2() {
    let folder = tempfile::tempdir().unwrap();
    let missing = folder.path().join("no-such-charts");
    let output = run(&["ingest", missing.to_str().unwrap(), "--store", folder.path().join("store").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert_eq!(stderr.trim(), format!("error: no such file or folder: {}", missing.display()));
}

#[test]
fn sql_refuses_to_write() {
    let folder = tempfile::tempdir().unwrap();
    let store = folder.path().join("store");
    run(&["catalog", "--store", store.to_str().unwrap()]);
    let output = run(&["sql", "DROP TABLE songs", "--store", store.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    let songs = run(&["sql", "SELECT count(*) AS songs FROM songs", "--store", store.to_str().unwrap()]);
    let bundled = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog/songs.csv"))
        .expect("the bundled songs.csv")
        .lines()
        .count()
        - 1;
    assert!(text(&songs.stdout).contains(&bundled.to_string()), "{bundled}: {}", text(&songs.stdout));
}
