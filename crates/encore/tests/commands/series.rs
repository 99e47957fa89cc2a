//! `encore detect|effect|decay` end to end: the real binary on files it has never seen (a real
//! series of the Turing Change Point Dataset written out as CSV, generated panels with a known
//! effect and decay), with each output form and each refusal the commands promise.

use std::path::Path;

use serde_json::Value;

use crate::support::{run, shared_data};

fn succeeds(arguments: &[&str]) -> String {
    let output = run(arguments);
    assert!(output.status.success(), "{arguments:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// The error message of a run that must fail as the user's mistake (exit code 2).
fn refused(arguments: &[&str]) -> String {
    let output = run(arguments);
    assert_eq!(output.status.code(), Some(2), "{arguments:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stderr).unwrap()
}

fn write(folder: &Path, name: &str, text: &str) -> String {
    let path = folder.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// A deterministic wiggle of about ±`share` around 1, instead of a random generator.
fn wiggle(step: usize, share: f64) -> f64 {
    1.0 + share * ((step as f64 * 1.7).sin() + (step as f64 * 0.37).cos()) / 2.0
}

/// Days from 2024-01-01 as dates.
fn date(offset: usize) -> String {
    (chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(offset as i64)).to_string()
}

#[test]
fn detect_finds_the_annotated_changes_of_a_real_monthly_series() {
    // US business inventories (TCPD `businv`): annotators mark the recessions' turns at 119 and 203.
    let dataset: Value =
        serde_json::from_str(&std::fs::read_to_string(shared_data().join("tcpd/datasets/businv.json")).unwrap())
            .unwrap();
    let months = dataset["time"]["raw"].as_array().unwrap();
    let values = dataset["series"][0]["raw"].as_array().unwrap();
    let mut csv = String::from("Month,Business inventories\n");
    for (month, value) in months.iter().zip(values) {
        csv.push_str(&format!("{},{}\n", month.as_str().unwrap(), value));
    }
    let folder = tempfile::tempdir().unwrap();
    let file = write(folder.path(), "businv.csv", &csv);
    let answer: Value = serde_json::from_str(&succeeds(&["detect", &file, "--json"])).unwrap();
    let result = &answer["results"][0];
    let changepoints: Vec<u64> =
        result["changepoints"].as_array().unwrap().iter().map(|point| point["step"].as_u64().unwrap()).collect();
    for annotated in [119, 203] {
        assert!(changepoints.iter().any(|step| step.abs_diff(annotated) <= 5), "{annotated} not in {changepoints:?}");
    }
    assert_eq!(result["steps"], 330);
    assert!(result["changepoints"][0]["date"].as_str().unwrap().starts_with("2001-"), "{}", result["changepoints"][0]);

    let table = succeeds(&["detect", &file]);
    assert!(table.contains("Business inventories: 330 steps"), "{table}");
    assert!(table.contains("1992-01-01"), "{table}");

    let plot = folder.path().join("businv.svg");
    succeeds(&["detect", &file, "--plot", plot.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&plot).unwrap().starts_with("<svg"));
    // An existing file is never replaced.
    let again = refused(&["detect", &file, "--plot", plot.to_str().unwrap()]);
    assert!(again.contains("exists"), "{again}");
}

#[test]
fn effect_measures_a_known_lift_against_the_other_units_and_draws_it() {
    let folder = tempfile::tempdir().unwrap();
    let mut csv = String::from("date,song,streams\n");
    for day in 0..200 {
        let trend = 1000.0 * (1.0 + 0.003 * day as f64);
        for (song, scale) in [("treated", 1.0), ("peer one", 0.7), ("peer two", 1.4)] {
            let lift = if song == "treated" && day >= 150 { 1.5 } else { 1.0 };
            let value = trend * scale * lift * wiggle(day + (scale * 100.0) as usize, 0.04);
            csv.push_str(&format!("{},{song},{value:.0}\n", date(day)));
        }
    }
    let file = write(folder.path(), "panel.csv", &csv);
    let answer: Value =
        serde_json::from_str(&succeeds(&["effect", &file, "--treated", "treated", "--at", &date(150), "--json"]))
            .unwrap();
    let intervention = &answer["results"]["interventions"][0];
    let lift = intervention["lift"].as_f64().unwrap();
    assert!((lift - 0.5).abs() < 0.05, "lift {lift}");
    let interval = intervention["lift_interval"].as_array().unwrap();
    assert!(interval[0].as_f64().unwrap() < 0.5 && 0.5 < interval[1].as_f64().unwrap(), "{interval:?}");
    assert!(interval[0].as_f64().unwrap() > 0.0, "{interval:?}");
    assert_eq!(intervention["against"], "a synthetic control of 2 other units");
    assert_eq!(intervention["post_steps"], 28);
    let own: Value = serde_json::from_str(&succeeds(&[
        "effect",
        &file,
        "--treated",
        "treated",
        "--at",
        &date(150),
        "--control",
        "own",
        "--post-days",
        "14",
        "--json",
    ]))
    .unwrap();
    assert_eq!(own["results"]["interventions"][0]["post_steps"], 14);
    assert_eq!(own["results"]["interventions"][0]["against"], "its own pre-period");

    let png = folder.path().join("effect.png");
    let table =
        succeeds(&["effect", &file, "--treated", "treated", "--at", &date(150), "--plot", png.to_str().unwrap()]);
    assert!(table.contains("a synthetic control of 2 other units"), "{table}");
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");

    let several = refused(&["effect", &file, "--at", &date(150)]);
    assert!(
        several.contains("holds several units; name the treated unit (one of: treated, peer one, peer two)"),
        "{several}"
    );
    let early = refused(&["effect", &file, "--treated", "treated", "--at", &date(5)]);
    assert!(early.contains("too short before the event"), "{early}");
}

#[test]
fn decay_recovers_a_known_half_life_from_the_peak() {
    let folder = tempfile::tempdir().unwrap();
    let mut csv = String::from("day,views\n");
    for day in 0..150 {
        let value = if day < 30 { 40.0 } else { 40.0 + 5000.0 * 0.5_f64.powf((day - 30) as f64 / 12.0) };
        csv.push_str(&format!("{},{:.1}\n", date(day), value * wiggle(day, 0.03)));
    }
    let file = write(folder.path(), "views.csv", &csv);
    let answer: Value = serde_json::from_str(&succeeds(&["decay", &file, "--json"])).unwrap();
    let result = &answer["results"];
    assert_eq!(result["start"]["date"], date(30));
    let half_life = result["half_life_days"].as_f64().unwrap();
    assert!((half_life - 12.0).abs() < 1.2, "half-life {half_life}");
    assert_eq!(result["shape"], "exponential");
    let interval = result["half_life_interval"].as_array().unwrap();
    assert!(interval[0].as_f64().unwrap() <= half_life && half_life <= interval[1].as_f64().unwrap());
    let table = succeeds(&["decay", &file, "--after", &date(30)]);
    assert!(table.contains("shape exponential, half-life"), "{table}");
    let late = refused(&["decay", &file, "--after", &date(145)]);
    assert!(late.contains("too short for a decay"), "{late}");
}

#[test]
fn bad_files_are_refused_with_the_line_and_the_field() {
    let folder = tempfile::tempdir().unwrap();
    let not_numeric = write(folder.path(), "text.csv", "date,value\n2024-01-01,3\n2024-01-02,many\n2024-01-03,5\n");
    let message = refused(&["detect", &not_numeric]);
    assert!(message.contains("line 3") && message.contains("`value`") && message.contains("\"many\""), "{message}");

    let gap = write(
        folder.path(),
        "gap.csv",
        "date,value\n2024-01-01,3\n2024-01-02,4\n2024-01-05,5\n2024-01-06,6\n2024-01-07,6\n",
    );
    let message = refused(&["detect", &gap]);
    assert!(message.contains("line 4") && message.contains("--fill"), "{message}");
    let filled: Value = serde_json::from_str(&succeeds(&["detect", &gap, "--fill", "linear", "--json"])).unwrap();
    assert_eq!(filled["filled_gaps"][0]["missing"], 2);
    assert_eq!(filled["results"][0]["steps"], 7);

    let unsorted = write(folder.path(), "unsorted.csv", "date,value\n2024-01-02,3\n2024-01-01,4\n2024-01-03,5\n");
    let message = refused(&["detect", &unsorted]);
    assert!(message.contains("line 3") && message.contains("sort the file by date"), "{message}");

    let short = write(folder.path(), "short.csv", "date,value\n2024-01-01,3\n2024-01-02,4\n2024-01-03,5\n");
    let message = refused(&["detect", &short]);
    assert!(message.contains("too short for changepoints: it needs at least 4 steps and has 3"), "{message}");

    let message = refused(&["detect", folder.path().join("absent.csv").to_str().unwrap()]);
    assert!(message.contains("no such file"), "{message}");
    let message = refused(&["effect", &short, "--at", "2024-13-01"]);
    assert!(message.contains("not a date"), "{message}");
}

#[test]
fn a_series_without_dates_is_addressed_by_steps() {
    let folder = tempfile::tempdir().unwrap();
    let values: Vec<String> =
        (0..80).map(|step| format!("{:.2}", if step < 40 { 5.0 } else { 9.0 } * wiggle(step, 0.02))).collect();
    let file = write(folder.path(), "steps.txt", &format!("{}\n", values.join("\n")));
    let answer: Value = serde_json::from_str(&succeeds(&["detect", &file, "--json"])).unwrap();
    let changepoints = answer["results"][0]["changepoints"].as_array().unwrap();
    assert_eq!(changepoints.len(), 1, "{changepoints:?}");
    assert_eq!(changepoints[0]["step"], 40);
    assert!(changepoints[0].get("date").is_none());
    let message = refused(&["effect", &file, "--at", "2024-01-01"]);
    assert!(message.contains("has no dates, so give a step number"), "{message}");
}

#[test]
fn uneven_dates_are_refused_unless_each_row_is_a_step() {
    // Brent spot prices (TCPD `brent_spot`): about every 14 days, some 13 or 16 apart.
    let dataset: Value =
        serde_json::from_str(&std::fs::read_to_string(shared_data().join("tcpd/datasets/brent_spot.json")).unwrap())
            .unwrap();
    let mut csv = String::from("Date,Dollars/Barrel\n");
    for (day, value) in
        dataset["time"]["raw"].as_array().unwrap().iter().zip(dataset["series"][0]["raw"].as_array().unwrap())
    {
        csv.push_str(&format!("{},{}\n", day.as_str().unwrap(), value));
    }
    let folder = tempfile::tempdir().unwrap();
    let file = write(folder.path(), "brent.csv", &csv);
    let message = refused(&["detect", &file]);
    assert!(message.contains("--spacing rows"), "{message}");
    let answer: Value = serde_json::from_str(&succeeds(&["detect", &file, "--spacing", "rows", "--json"])).unwrap();
    let result = &answer["results"][0];
    assert_eq!(result["steps"], 500);
    // The annotators' 2008 crash (steps 219 to 230) is found.
    let changepoints: Vec<u64> =
        result["changepoints"].as_array().unwrap().iter().map(|point| point["step"].as_u64().unwrap()).collect();
    assert!(changepoints.iter().any(|step| (214..=235).contains(step)), "{changepoints:?}");
}

#[test]
fn a_stored_subject_s_daily_counts_are_a_series_too() {
    // Daily views of a video, ingested as `encore ingest` stores any count file, with a jump on day 40.
    let folder = tempfile::tempdir().unwrap();
    let mut csv = String::from("date,video_id,views\n");
    for day in 0..80 {
        let views = if day < 40 { 1000.0 } else { 4000.0 } * wiggle(day, 0.05);
        csv.push_str(&format!("{},clip,{views:.0}\n", date(day)));
    }
    let counts = folder.path().join("counts");
    std::fs::create_dir(&counts).unwrap();
    write(&counts, "youtube-views.csv", &csv);
    let store = folder.path().join("store");
    let store = store.to_str().unwrap();
    succeeds(&["ingest", counts.to_str().unwrap(), "--store", store]);
    let answer: Value =
        serde_json::from_str(&succeeds(&["detect", "--subject", "clip", "--store", store, "--json"])).unwrap();
    let result = &answer["results"][0];
    assert_eq!(result["unit"], "clip");
    assert_eq!(result["steps"], 80);
    let changepoints = result["changepoints"].as_array().unwrap();
    assert!(changepoints.iter().any(|point| point["date"] == date(40)), "{changepoints:?}");
    let message = refused(&["detect", "--subject", "another clip", "--store", store]);
    assert!(message.contains("no daily counts of `another clip`"), "{message}");
    let message = refused(&["detect", "--subject", "clip", "--song", "first_snow", "--store", store]);
    assert!(message.contains("cannot be used with"), "{message}");
}
