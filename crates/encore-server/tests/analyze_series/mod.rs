//! `POST /api/analyze/{detect,effect,decay}`: the analyses on a series sent in the body, on the
//! shared server: answers checked against series with known changes, lifts and half-lives, and
//! every refusal with its status.

use serde_json::Value;

use super::{answer, server};

/// The body limit of `/api/analyze` (`analyze_series::MAX_ANALYZE_BODY_BYTES`, not exported).
const ANALYZE_BODY_BYTES: usize = 8 * 1024 * 1024;

/// Status and JSON answer of `POST /api/analyze/{analysis}` (which may carry a query) with `body`.
fn analyze(analysis: &str, body: &Value) -> (u16, Value) {
    answer(ureq::post(&format!("{}/api/analyze/{analysis}", server().base)).send_json(body))
}

/// The message of a JSON error answer.
fn error_message(body: &Value) -> &str {
    body["error"].as_str().unwrap_or_else(|| panic!("no error message in {body}"))
}

/// `days` consecutive dates from 2024-01-01 (a leap year: step 60 is 2024-03-01).
fn days_of_2024(days: usize) -> Vec<String> {
    let first = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    (0..days).map(|offset| first.checked_add_days(chrono::Days::new(offset as u64)).unwrap().to_string()).collect()
}

/// A deterministic wiggle in [-1, 1], different for each `phase`.
fn wiggle(step: usize, phase: f64) -> f64 {
    (step as f64 * 1.3 + phase).sin()
}

/// `[{"date", "value"}, …]` of `values` from 2024-01-01, one a day.
fn dated(values: &[f64]) -> Value {
    let rows: Vec<Value> = days_of_2024(values.len())
        .into_iter()
        .zip(values)
        .map(|(date, value)| serde_json::json!({"date": date, "value": value}))
        .collect();
    Value::Array(rows)
}

/// 60 days at 10, then 60 at 30, each ± 0.5.
fn level_shift() -> Vec<f64> {
    (0..120).map(|step| if step < 60 { 10.0 } else { 30.0 } + 0.5 * wiggle(step, 0.0)).collect()
}

#[test]
fn detect_finds_a_level_shift_on_its_date_with_the_levels_either_side() {
    let dates = days_of_2024(120);
    let (status, answer) = analyze("detect", &serde_json::json!({"series": dated(&level_shift())}));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["source"], "the request's series");
    assert_eq!(answer["filled_gaps"], serde_json::json!([]));
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "one unit: {answer}");
    let detection = &results[0];
    assert_eq!(detection["analysis"], "detect");
    assert_eq!(detection["steps"], 120);
    assert_eq!(detection["penalty"], "auto");
    let changepoints = detection["changepoints"].as_array().unwrap();
    assert_eq!(changepoints.len(), 1, "{detection}");
    let step = changepoints[0]["step"].as_u64().unwrap() as usize;
    assert!(step.abs_diff(60) <= 2, "changepoint at step {step}, the shift is at 60");
    assert_eq!(changepoints[0]["date"].as_str(), Some(dates[step].as_str()));
    let segments = detection["segments"].as_array().unwrap();
    let (first, last) = (&segments[0], &segments[segments.len() - 1]);
    assert_eq!(first["start"]["date"], "2024-01-01");
    assert_eq!(last["end"]["date"].as_str(), Some(dates[119].as_str()));
    let level = |segment: &Value| segment["level"].as_f64().unwrap();
    assert!((level(first) - 10.0).abs() < 1.0, "first level {first}");
    assert!((level(last) - 30.0).abs() < 1.0, "last level {last}");
    let steps: u64 = segments.iter().map(|segment| segment["steps"].as_u64().unwrap()).sum();
    assert_eq!(steps, 120, "the segments cover the series: {detection}");

    // A named cost and penalty, and the bare-array form, find the same shift by step.
    let (status, answer) = analyze(
        "detect",
        &serde_json::json!({"series": level_shift(), "cost": "mean", "penalty": 50, "min_segment": 5}),
    );
    assert_eq!(status, 200, "{answer}");
    let detection = &answer["results"][0];
    assert_eq!((detection["cost"].as_str(), detection["penalty"].as_str()), (Some("mean"), Some("50")));
    let changepoints = detection["changepoints"].as_array().unwrap();
    assert_eq!(changepoints.len(), 1, "{detection}");
    assert!(changepoints[0]["step"].as_u64().unwrap().abs_diff(60) <= 2, "{detection}");
    assert!(changepoints[0].get("date").is_none(), "a series without dates has no dates: {detection}");
}

/// A long panel from 2024-01-01 over 200 days: B and C follow a shared rising trend, and so does A
/// until day 150 (2024-05-30), from which it is 50 % higher; each unit with its own small wiggle.
fn lifted_panel() -> (Value, String) {
    let dates = days_of_2024(200);
    let mut rows = Vec::new();
    for (step, date) in dates.iter().enumerate() {
        let trend = 100.0 * (0.003 * step as f64).exp();
        let lift = if step >= 150 { 1.5 } else { 1.0 };
        for (unit, scale, phase) in [("A", 1.2 * lift, 0.0), ("B", 1.0, 2.0), ("C", 0.8, 4.0)] {
            let value = trend * scale * (0.02 * wiggle(step, phase)).exp();
            rows.push(serde_json::json!({"date": date, "unit": unit, "value": value}));
        }
    }
    (Value::Array(rows), dates[150].clone())
}

#[test]
fn effect_measures_a_fifty_percent_lift_against_the_other_units_and_against_its_own_past() {
    let (panel, at) = lifted_panel();
    let (status, answer) = analyze("effect", &serde_json::json!({"series": panel, "treated": "A", "at": [at]}));
    assert_eq!(status, 200, "{answer}");
    let results = &answer["results"];
    assert_eq!(results["unit"], "A");
    let interventions = results["interventions"].as_array().unwrap();
    assert_eq!(interventions.len(), 1);
    let effect = &interventions[0];
    assert_eq!(effect["at"], serde_json::json!({"step": 150, "date": at}));
    assert_eq!(effect["against"], "a synthetic control of 2 other units");
    let weights = effect["weights"].as_object().unwrap();
    assert_eq!(weights.keys().collect::<Vec<_>>(), ["B", "C"]);
    let lift = effect["lift"].as_f64().unwrap();
    assert!((lift - 0.5).abs() < 0.1, "lift {lift}: {effect}");
    let (low, high) = (effect["lift_interval"][0].as_f64().unwrap(), effect["lift_interval"][1].as_f64().unwrap());
    assert!(low < 0.5 && 0.5 < high && low > 0.0, "interval [{low}, {high}] must hold 0.5 and not 0");
    // 28 days (the default post window) of about +50 % over a level of about 1.2 × 100 × e^(0.003·164).
    let cumulative = effect["cumulative"].as_f64().unwrap();
    let expected = 28.0 * 0.5 * 120.0 * (0.003_f64 * 164.0).exp();
    assert!((cumulative - expected).abs() < 0.2 * expected, "cumulative {cumulative}, about {expected}");
    let path = effect["path"].as_array().unwrap();
    assert_eq!(path.last().unwrap()["date"].as_str(), Some(days_of_2024(178)[177].as_str()), "{effect}");

    let (panel, at) = lifted_panel();
    let own = serde_json::json!({"series": panel, "treated": "A", "at": [at], "control": "own"});
    let (status, answer) = analyze("effect", &own);
    assert_eq!(status, 200, "{answer}");
    let effect = &answer["results"]["interventions"][0];
    assert_eq!(effect["against"], "its own pre-period");
    assert_eq!(effect["weights"], serde_json::json!({}));
    // The own pre-period misses the trend (+0.3 % a day over the 28 days either side of the move).
    let lift = effect["lift"].as_f64().unwrap();
    assert!((lift - 0.5).abs() < 0.2, "lift {lift}: {effect}");
    assert!(effect["lift_interval"][0].as_f64().unwrap() > 0.0, "{effect}");
}

#[test]
fn decay_recovers_a_ten_day_half_life_above_a_baseline() {
    // Five days of rise, then 5 + 100 · 2^(−t/10) over 90 days, each ± 2 %.
    let values: Vec<f64> = (0..95)
        .map(|step| {
            let clean =
                if step < 5 { 20.0 * step as f64 } else { 5.0 + 100.0 * 0.5_f64.powf((step - 5) as f64 / 10.0) };
            clean * (1.0 + 0.02 * wiggle(step, 1.0))
        })
        .collect();
    let (status, answer) = analyze("decay", &serde_json::json!({"series": dated(&values)}));
    assert_eq!(status, 200, "{answer}");
    let decay = &answer["results"];
    assert_eq!(decay["start"], serde_json::json!({"step": 5, "date": "2024-01-06"}), "{decay}");
    assert_eq!(decay["shape"], "exponential", "{decay}");
    let half_life = decay["half_life_days"].as_f64().unwrap();
    assert!((half_life - 10.0).abs() < 1.0, "half-life {half_life}");
    let (low, high) =
        (decay["half_life_interval"][0].as_f64().unwrap(), decay["half_life_interval"][1].as_f64().unwrap());
    assert!(low <= half_life && half_life <= high && low < 10.0 && 10.0 < high, "interval [{low}, {high}]");
    let baseline = decay["baseline"].as_f64().unwrap();
    assert!((baseline - 5.0).abs() < 1.0, "baseline {baseline}");

    // A start and a known baseline given: the same half-life.
    let settings = serde_json::json!({"series": dated(&values), "after": "2024-01-06", "baseline": 5.0});
    let (status, answer) = analyze("decay", &settings);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["results"]["baseline"], 5.0);
    let half_life = answer["results"]["half_life_days"].as_f64().unwrap();
    assert!((half_life - 10.0).abs() < 1.0, "half-life {half_life}");
}

#[test]
fn each_analysis_draws_its_plot_as_svg() {
    let (panel, at) = lifted_panel();
    let bodies = [
        ("detect", serde_json::json!({"series": dated(&level_shift())})),
        ("effect", serde_json::json!({"series": panel, "treated": "A", "at": [at]})),
        ("decay", serde_json::json!({"series": (0..40).map(|step| 100.0 * 0.9_f64.powi(step)).collect::<Vec<_>>()})),
    ];
    for (analysis, body) in bodies {
        let response =
            ureq::post(&format!("{}/api/analyze/{analysis}?plot=svg", server().base)).send_json(body).unwrap();
        assert_eq!(response.content_type(), "image/svg+xml", "{analysis}");
        let svg = response.into_string().unwrap();
        assert!(svg.trim_start().starts_with("<svg"), "{analysis}: {}", &svg[..svg.len().min(200)]);
        assert!(svg.trim_end().ends_with("</svg>"), "{analysis}");
    }
    let (status, error) = analyze("detect?plot=png", &serde_json::json!({"series": level_shift()}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("plot=svg"), "{error}");
}

#[test]
fn bad_series_are_400_naming_what_to_fix_and_a_gap_may_be_filled() {
    let mut rows = dated(&(0..30).map(|step| 10.0 + wiggle(step, 0.0)).collect::<Vec<_>>());
    rows[3]["value"] = Value::from("lots");
    let (status, error) = analyze("detect", &serde_json::json!({"series": rows}));
    assert_eq!(status, 400, "{error}");
    let message = error_message(&error);
    assert!(message.contains("item 4") && message.contains("`value`") && message.contains("lots"), "{message}");

    let mut unsorted = dated(&(0..30).map(|step| 10.0 + wiggle(step, 0.0)).collect::<Vec<_>>());
    unsorted.as_array_mut().unwrap().swap(10, 11);
    let (status, error) = analyze("detect", &serde_json::json!({"series": unsorted}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("sort"), "{error}");

    // 2024-01-11 is missing.
    let mut gapped = dated(&(0..30).map(|step| 10.0 + wiggle(step, 0.0)).collect::<Vec<_>>());
    gapped.as_array_mut().unwrap().remove(10);
    let (status, error) = analyze("detect", &serde_json::json!({"series": gapped}));
    assert_eq!(status, 400, "{error}");
    let message = error_message(&error);
    assert!(message.contains("2024-01-11") && message.contains("missing"), "{message}");
    let (status, answer) = analyze("detect", &serde_json::json!({"series": gapped, "fill": "linear"}));
    assert_eq!(status, 200, "{answer}");
    let gap = serde_json::json!({"unit": "value", "from": "2024-01-11", "to": "2024-01-11", "missing": 1});
    assert_eq!(answer["filled_gaps"], serde_json::json!([gap]), "{answer}");
    assert_eq!(answer["results"][0]["steps"], 30);
    let (status, error) = analyze("detect", &serde_json::json!({"series": gapped, "fill": "mean"}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("refuse, zero or linear"), "{error}");

    let (status, error) = analyze("detect", &serde_json::json!({"series": [3, 4, 5]}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("too short"), "{error}");
    let (status, error) = analyze("detect", &serde_json::json!({"series": "3, 4, 5"}));
    assert_eq!(status, 400, "{error}");
}

#[test]
fn bad_requests_to_analyze_are_json_errors_with_their_status() {
    let (status, error) = analyze("forecast", &serde_json::json!({"series": level_shift()}));
    assert_eq!(status, 404, "{error}");
    assert!(error_message(&error).contains("forecast"), "{error}");

    let (status, error) = analyze("detect", &serde_json::json!({"series": level_shift(), "penalti": 3}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("unknown field `penalti`"), "{error}");
    let (status, error) = analyze("detect", &serde_json::json!({"values": level_shift()}));
    assert_eq!(status, 400, "{error}");
    let (status, error) = analyze("detect", &serde_json::json!({"series": level_shift(), "penalty": -1}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("penalty"), "{error}");
    let (status, error) = analyze("effect", &serde_json::json!({"series": level_shift()}));
    assert_eq!(status, 400, "no intervention date: {error}");
    let (panel, _) = lifted_panel();
    let (status, error) = analyze("effect", &serde_json::json!({"series": panel, "at": ["2024-05-30"]}));
    assert_eq!(status, 400, "no treated unit among several: {error}");
    assert!(error_message(&error).contains("A, B, C"), "{error}");

    let mut body = b"{\"series\": [".to_vec();
    while body.len() <= ANALYZE_BODY_BYTES {
        body.extend_from_slice(b"1.000000000000,");
    }
    body.extend_from_slice(b"1]}");
    let (status, error) = answer(
        ureq::post(&format!("{}/api/analyze/detect", server().base))
            .set("Content-Type", "application/json")
            .send_bytes(&body),
    );
    assert_eq!(status, 413, "{error}");
    assert!(error_message(&error).contains("8 MiB"), "{error}");
}

#[test]
fn series_past_the_limits_are_413_unless_the_detector_is_told_its_cost_and_penalty() {
    let long: Vec<f64> = (0..5_001).map(|step| if step < 2_500 { 10.0 } else { 30.0 } + wiggle(step, 0.0)).collect();
    let (status, error) = analyze("detect", &serde_json::json!({"series": long}));
    assert_eq!(status, 413, "{error}");
    assert!(error_message(&error).contains("5000"), "{error}");
    let (status, error) = analyze("detect", &serde_json::json!({"series": long, "cost": "mean"}));
    assert_eq!(status, 413, "a cost without a penalty is still automatic: {error}");
    let (status, answer) = analyze("detect", &serde_json::json!({"series": long, "cost": "mean", "penalty": 100}));
    assert_eq!(status, 200, "{answer}");
    let changepoints = answer["results"][0]["changepoints"].as_array().unwrap();
    assert_eq!(changepoints.len(), 1, "{changepoints:?}");
    assert!(changepoints[0]["step"].as_u64().unwrap().abs_diff(2_500) <= 2, "{changepoints:?}");

    let units: serde_json::Map<String, Value> =
        (0..51).map(|unit| (format!("unit {unit}"), serde_json::json!([1, 2, 3, 4, 5]))).collect();
    let (status, error) = analyze("detect", &serde_json::json!({"series": units}));
    assert_eq!(status, 413, "{error}");
    assert!(error_message(&error).contains("50"), "{error}");

    let too_long = vec![1; 100_001];
    let (status, error) = analyze("decay", &serde_json::json!({"series": too_long}));
    assert_eq!(status, 413, "{error}");
    assert!(error_message(&error).contains("100000"), "{error}");
}

/// A least segment of up to half the series still finds a change in its middle (PELT once required
/// the last segment to be `2 · min_segment − 1` long, losing the shift at 60 of 120 from 41 on).
#[test]
fn detect_honours_a_min_segment_of_up_to_half_the_series() {
    for min_segment in [31, 45, 60] {
        let body =
            serde_json::json!({"series": level_shift(), "min_segment": min_segment, "cost": "mean", "penalty": 50});
        let (status, answer) = analyze("detect", &body);
        assert_eq!(status, 200, "{answer}");
        let changepoints = &answer["results"][0]["changepoints"];
        assert_eq!(changepoints, &serde_json::json!([{"step": 60}]), "min_segment {min_segment}");
    }
}

/// Settings at the ends of their types: each analysis answers, or refuses naming the setting, and
/// never fails (a `min_segment` or a window of 2⁶⁴ − 1 once overflowed the analyses' step counts,
/// and a `post_days` of 10¹² sized a buffer of that many steps).
#[test]
fn extreme_settings_are_answered_or_refused_by_name() {
    let (panel, at) = lifted_panel();
    let effect = |settings: Value| {
        let mut body = serde_json::json!({"series": panel.clone(), "treated": "A", "at": [at.clone()]});
        body.as_object_mut().unwrap().extend(settings.as_object().unwrap().clone());
        analyze("effect", &body)
    };
    let (status, error) = analyze("detect", &serde_json::json!({"series": level_shift(), "min_segment": u64::MAX}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("min_segment"), "{error}");
    let (status, error) = analyze("detect", &serde_json::json!({"series": level_shift(), "min_segment": 61}));
    assert_eq!(status, 400, "two segments of 61 do not fit 120 steps: {error}");
    assert!(error_message(&error).contains("too short"), "{error}");
    let (status, answer) =
        analyze("detect", &serde_json::json!({"series": level_shift(), "penalty": 1e300, "cost": "linear"}));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["results"][0]["changepoints"], serde_json::json!([]), "no change is worth 1e300");

    // A post window past the series' end measures to its end, whatever its length.
    let (status, whole) = effect(serde_json::json!({"post_days": 50}));
    assert_eq!(status, 200, "{whole}");
    for post_days in [u64::MAX, 1_000_000_000_000] {
        let (status, answer) = effect(serde_json::json!({"post_days": post_days}));
        assert_eq!(status, 200, "{answer}");
        let (measured, expected) = (&answer["results"]["interventions"][0], &whole["results"]["interventions"][0]);
        assert_eq!(measured["post_steps"], 50, "{post_days}");
        assert_eq!(measured["lift"], expected["lift"], "{post_days}");
    }
    let (status, answer) = effect(serde_json::json!({"post_days": u64::MAX, "control": "own"}));
    assert_eq!(status, 200, "{answer}");
    for settings in
        [serde_json::json!({"pre_days": u64::MAX}), serde_json::json!({"history_days": 700, "pre_days": 200})]
    {
        let (status, error) = effect(settings.clone());
        assert_eq!(status, 400, "{settings}: {error}");
        assert!(error_message(&error).contains("too short before"), "{error}");
    }
    // A synthetic control's history costs about its square: the API bounds it.
    let (status, error) = effect(serde_json::json!({"history_days": u64::MAX}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("history_days: 730 at most"), "{error}");
    let (status, error) = effect(serde_json::json!({"at": ["1999-01-01"]}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("outside the series"), "{error}");

    let (status, error) = analyze("decay", &serde_json::json!({"series": level_shift(), "baseline": -1e300}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("baseline"), "{error}");
    let (status, error) =
        analyze("decay", &serde_json::json!({"series": dated(&level_shift()), "after": "2024-04-29"}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("too short"), "{error}");
}

#[test]
fn an_undated_series_takes_its_steps_as_numbers_or_text() {
    let series: Vec<f64> = (0..200)
        .map(|step| if step < 150 { 100.0 } else { 150.0 } * (1.0 + 0.02 * (step as f64 * 1.3).sin()))
        .collect();
    for at in [serde_json::json!(150), serde_json::json!("150")] {
        let (status, answer) = analyze("effect", &serde_json::json!({"series": series, "at": [at]}));
        assert_eq!(status, 200, "{answer}");
        let intervention = &answer["results"]["interventions"][0];
        assert_eq!(intervention["at"]["step"], 150, "{intervention}");
        assert!((intervention["lift"].as_f64().unwrap() - 0.5).abs() < 0.05, "{intervention}");
    }
    let (status, error) = analyze("effect", &serde_json::json!({"series": series, "at": [-3]}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("neither a date nor a step number"), "{error}");
}

#[test]
fn a_file_s_text_is_read_as_the_command_line_reads_the_file() {
    // A Google Trends export: its preamble, a wide header and "<1" for the smallest values.
    let mut export = String::from("Category: All categories\n\nDay,도깨비: (South Korea),Goblin: (Worldwide)\n");
    for (day, date) in days_of_2024(120).iter().enumerate() {
        let korean = if day < 60 { "<1".to_string() } else { format!("{}", 40 + day % 3) };
        export.push_str(&format!("{date},{korean},{}\n", 10 + day % 2));
    }
    let (status, answer) =
        analyze("detect", &serde_json::json!({"series": export, "units": ["도깨비: (South Korea)"]}));
    assert_eq!(status, 200, "{answer}");
    let result = &answer["results"][0];
    assert_eq!(result["steps"], 120);
    let changepoints: Vec<u64> =
        result["changepoints"].as_array().unwrap().iter().map(|point| point["step"].as_u64().unwrap()).collect();
    assert!(changepoints.iter().any(|step| step.abs_diff(60) <= 1), "{changepoints:?}");
    let (status, error) = analyze("detect", &serde_json::json!({"series": "date,value\n2024-01-01,3\n2024-01-02,x\n"}));
    assert_eq!(status, 400, "{error}");
    assert!(error_message(&error).contains("line 3"), "{error}");
}
