//! Every JSON shape, and inputs mangled at random that must give a series or an error.

use super::*;

#[test]
fn json_in_each_shape() {
    let json = |text: &str| -> Value { serde_json::from_str(text).unwrap() };
    let read = |text: &str, options: &SeriesOptions| user_series_from_json(&json(text), "body", options);
    let show_json = |text: &str| {
        read(text, &SeriesOptions::default()).map(|series| show(&series)).map_err(|error| error.to_string())
    };
    assert_eq!(
        show_json(r#"[{"date":"2024-01-01","value":3},{"date":"2024-01-02","value":"1,004"}]"#),
        Ok("2024-01-01..2024-01-02 daily: value=[3 1004]".to_string())
    );
    assert_eq!(
        show_json(
            r#"[{"date":"2024-01-01","unit":"a","value":1},{"date":"2024-01-01","unit":"b","value":2},
                {"date":"2024-01-02","unit":"a","value":3},{"date":"2024-01-02","unit":"b","value":4}]"#
        ),
        Ok("2024-01-01..2024-01-02 daily: a=[1 3]; b=[2 4]".to_string())
    );
    assert_eq!(show_json("[3, 4, 5]"), Ok("positions: value=[3 4 5]".to_string()));
    assert_eq!(
        show_json(r#"{"dates":["2024-01","2024-02"],"values":[1,2],"name":"Love Maybe","source":"mine"}"#),
        Ok("2024-01-01..2024-02-01 monthly: Love Maybe=[1 2]".to_string())
    );
    assert_eq!(
        show_json(
            r#"{"a":[{"date":"2024-01-07","value":1},{"date":"2024-01-14","value":2}],"b":[{"date":"2024-01-07","value":3},{"date":"2024-01-14","value":4}]}"#
        ),
        Ok("2024-01-07..2024-01-14 weekly: a=[1 2]; b=[3 4]".to_string())
    );
    assert_eq!(show_json(r#"{"a":[1,2],"b":[3,4]}"#), Ok("positions: a=[1 2]; b=[3 4]".to_string()));
    // A null is an empty cell, filled with the gap after it as one run.
    let gap = r#"[{"date":"2024-01-01","value":1},{"date":"2024-01-02","value":null},{"date":"2024-01-04","value":4}]"#;
    assert_eq!(
        read(gap, &filling(GapPolicy::Zero)).map(|series| show(&series)).map_err(|error| error.to_string()),
        Ok("2024-01-01..2024-01-04 daily: value=[1 0 0 4] | filled value 2024-01-02..2024-01-03 (2)".to_string())
    );
    assert_eq!(
        show_json(r#"[{"date":"2024-01-02","value":1},{"date":"2024-01-01","value":2}]"#),
        Err("body: item 2, column `date`: 2024-01-01 comes before 2024-01-02 on item 1; sort the file by date"
            .to_string())
    );
    assert_eq!(
        show_json(r#"{"a":[{"date":"2024-01-01","value":"x"}]}"#),
        Err("body: item 1 of `a`, column `value`: \"x\" is not a number".to_string())
    );
    let shape_error = show_json(r#"{"dates":["2024-01-01"],"values":[1,2]}"#).unwrap_err();
    assert!(shape_error.starts_with("body: `values` has 2 items and `dates` 1; give [{\"date\""), "{shape_error}");
    let shape_error = show_json(r#"[{"date":"2024-01-01","value":[1]}]"#).unwrap_err();
    assert!(shape_error.starts_with("body: item 1: `value` holds a list; give "), "{shape_error}");
    assert!(show_json("3").unwrap_err().starts_with("body: the series is a number; give "));
    assert!(show_json("[]").unwrap_err().starts_with("body: no rows of data; the file starts: []"));
}

#[test]
fn a_json_file_is_told_by_its_name_or_its_first_byte() {
    let text = r#"  [{"ds": "2024-01-01", "y": 1}, {"ds": "2024-01-02", "y": 2}]"#;
    for name in ["series.json", "upload"] {
        let series = read_with(text, name, &SeriesOptions::default()).unwrap();
        assert_eq!(show(&series), "2024-01-01..2024-01-02 daily: y=[1 2]");
    }
    let broken = read_with("[1, 2", "s.json", &SeriesOptions::default()).unwrap_err();
    assert_eq!(broken.to_string(), "s.json: not valid JSON (EOF while parsing a list at line 1 column 5)");
}

/// No input panics: samples of each shape with bytes changed, dropped and repeated at random (a
/// fixed seed), read under every gap policy and spacing, must each give a series or an error.
#[test]
fn mangled_inputs_give_errors_not_panics() {
    let samples: [&[u8]; 9] = [
        b"Category: All\n\nDay,A: (Worldwide),B: (Worldwide)\n2022-01-01,1,<1\n2022-01-02,2,3\n2022-01-04,4,5\n",
        b"date,song,streams\n2024-01-01,a,\"1,234\"\n2024-01-02,a,2\n2024-01-31,b,3\n2024-02-29,b,4\n",
        b"month;value\n2024-01;3,5\n2024-03;4\n",
        b"3\n4\n5\n",
        br#"{"a":[{"date":"2024-01-07","value":1}],"b":[1,2]}"#,
        br#"{"dates":["2024-01","2024-02"],"values":[1,null],"name":"x"}"#,
        b"year,name,gdp\n1960,kr,1\n1960,jp,2\n1962,kr,3\n1963,jp,4\n",
        b"quarter,sales\n2023Q3,1\n2023Q4,\n2024 Q2,3\n",
        b"date,close\n2024-01-04,10\n2024-01-05,11\n2024-01-08,12\n2024-01-23,13\n",
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below.max(1) as u64) as usize
    };
    let alphabet = b"0123456789-,;\t\n\"<%.{}[]:T ";
    for round in 0..3000 {
        let mut bytes = samples[round % samples.len()].to_vec();
        for _ in 0..1 + next(4) {
            let at = next(bytes.len());
            match next(3) {
                0 => bytes[at] = alphabet[next(alphabet.len())],
                1 => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, bytes[at]),
            }
            if bytes.is_empty() {
                break;
            }
        }
        let name = if round % 2 == 0 { "s.csv" } else { "s.json" };
        for gaps in [GapPolicy::Refuse, GapPolicy::Zero, GapPolicy::Linear] {
            for spacing in [Spacing::Regular, Spacing::Rows] {
                let _ = read_user_series(&bytes, name, &SeriesOptions { gaps, spacing, ..SeriesOptions::default() });
            }
        }
    }
}
