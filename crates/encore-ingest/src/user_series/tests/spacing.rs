//! Each row as one step ([`Spacing::Rows`]): business days, a price sampled every 13 to 16 days,
//! and what is still refused; and real series from the change point dataset.

use super::*;

/// A dataset of the Turing Change Point Dataset, read from `../shared/data` (never copied here).
fn change_point_dataset(name: &str) -> Value {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/tcpd/datasets");
    let text = std::fs::read_to_string(folder.join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn business_days_are_rows() {
    let text = "date,close\n2024-01-04,10\n2024-01-05,11\n2024-01-08,12\n2024-01-09,13\n2024-01-10,14\n\
                2024-01-11,15\n2024-01-12,16\n2024-01-15,17\n";
    check_error(
        text,
        "s.csv: line 4, column `date`: 2024-01-08 follows 2024-01-05 on line 3, so 2 days are missing (2024-01-06 \
         to 2024-01-07); add the missing rows, or use --fill zero or --fill linear; a series without weekends is \
         read with --spacing rows, each row a step",
    );
    for gaps in [GapPolicy::Refuse, GapPolicy::Zero, GapPolicy::Linear] {
        check_with(text, &rows_as_steps(gaps), "2024-01-04..2024-01-15 daily: close=[10 11 12 13 14 15 16 17]");
    }
    let series = read_with(text, "s.csv", &rows_as_steps(GapPolicy::Refuse)).unwrap();
    let dates = series.dates.unwrap_or_default();
    assert_eq!((dates.len(), dates[2], dates[7]), (8, day("2024-01-08"), day("2024-01-15")));
    // A gap a regular series would refuse or fill is no gap: nothing is filled.
    check_with(
        "date,x\n2024-01-01,1\n2024-01-03,2\n2024-01-04,3\n",
        &rows_as_steps(GapPolicy::Zero),
        "2024-01-01..2024-01-04 daily: x=[1 2 3]",
    );
    // A panel's units on the same uneven dates; a series without dates is as it was.
    check_with(
        "date,song,streams\n2024-01-01,a,1\n2024-01-01,b,2\n2024-01-04,a,3\n2024-01-04,b,4\n2024-01-05,a,5\n\
         2024-01-05,b,6\n",
        &rows_as_steps(GapPolicy::Refuse),
        "2024-01-01..2024-01-05 daily: a=[1 3 5]; b=[2 4 6]",
    );
    check_with("3\n4\n", &rows_as_steps(GapPolicy::Refuse), "positions: value=[3 4]");
}

#[test]
fn rows_are_still_sorted_unique_and_whole() {
    let error_as_rows = |text: &str| error_of(text, &rows_as_steps(GapPolicy::Zero));
    assert_eq!(
        error_as_rows("date,x\n2024-01-05,1\n2024-01-03,2\n"),
        "s.csv: line 3, column `date`: 2024-01-03 comes before 2024-01-05 on line 2; sort the file by date"
    );
    assert_eq!(
        error_as_rows("date,x\n2024-01-05,1\n2024-01-05,2\n"),
        "s.csv: line 3, column `date`: 2024-01-05 is already on line 2; keep one row per date"
    );
    // Nothing is filled in: not an empty cell, nor a unit's missing date.
    assert_eq!(
        error_as_rows("date,x\n2024-01-01,1\n2024-01-02,\n2024-01-05,3\n"),
        "s.csv: line 3, column `x`: empty value; fill it in"
    );
    assert_eq!(
        error_as_rows("date,song,streams\n2024-01-01,a,1\n2024-01-04,a,2\n2024-01-04,b,3\n"),
        "s.csv: unit `b` has no value for 2024-01-01, which `a` has on line 2; give every unit the same dates"
    );
}

/// Brent crude's spot price, 500 prices mostly 14 days apart but sometimes 13 to 19, as the CSV a
/// user would bring: refused as irregular, read as rows.
#[test]
fn brent_spot_reads_as_rows() {
    let dataset = change_point_dataset("brent_spot.json");
    let (dates, prices) = (dataset["time"]["raw"].as_array().unwrap(), dataset["series"][0]["raw"].as_array().unwrap());
    let mut text = "date,price\n".to_string();
    for (date, price) in dates.iter().zip(prices) {
        text.push_str(&format!("{},{price}\n", date.as_str().unwrap()));
    }
    assert_eq!(
        error_of(&text, &SeriesOptions::default()),
        "s.csv: line 10, column `date`: irregular dates: 2000-04-27 is 16 days after 2000-04-11 on line 9, not a \
         whole number of the series' step (every 14 days); fix the date, or use --spacing rows to take each row as \
         one step"
    );
    let series = read_with(&text, "brent_spot.csv", &rows_as_steps(GapPolicy::Refuse)).unwrap();
    assert_eq!((series.len(), series.step), (500, Some(DateStep::Days(14))));
    let labels = series.dates.as_deref().unwrap_or_default();
    assert_eq!((labels[0], labels[8], labels[499]), (day("2000-01-04"), day("2000-04-27"), day("2019-08-20")));
    assert_eq!((series.units[0].name.as_str(), &series.units[0].values[..2]), ("price", &[23.95, 26.31][..]));
    assert!(series.filled_gaps.is_empty());
}

/// Real series from the Turing Change Point Dataset in `../shared/data`, as
/// `{"dates":[…],"values":[…]}`: JFK airport's monthly passengers (1977-2015), Japan's yearly GDP,
/// Centralia's population every ten years, and Brent crude's spot price (mostly every 14 days),
/// refused as irregular.
#[test]
fn real_series_from_the_change_point_dataset() {
    let as_columns = |name: &str| -> Value {
        let dataset = change_point_dataset(name);
        serde_json::json!({
            "dates": dataset["time"]["raw"],
            "values": dataset["series"][0]["raw"],
            "name": dataset["name"],
        })
    };
    let passengers = as_columns("jfk_passengers.json");
    let series = user_series_from_json(&passengers, "jfk_passengers.json", &SeriesOptions::default()).unwrap();
    assert_eq!(series.step, Some(DateStep::Months(1)));
    assert_eq!(series.len(), 468);
    let dates = series.dates.as_deref().unwrap_or_default();
    assert_eq!((dates[0], dates[467]), (day("1977-01-01"), day("2015-12-01")));
    assert_eq!(series.units[0].name, "jfk_passengers");
    assert_eq!(series.units[0].values[..2], [1_487_588.0, 1_237_719.0]);
    let gdp = as_columns("gdp_japan.json");
    let series = user_series_from_json(&gdp, "gdp_japan.json", &SeriesOptions::default()).unwrap();
    assert_eq!((series.step, series.len()), (Some(DateStep::Months(12)), 58));
    let dates = series.dates.as_deref().unwrap_or_default();
    assert_eq!((dates[0], dates[57]), (day("1960-01-01"), day("2017-01-01")));
    let centralia = as_columns("centralia.json");
    let series = user_series_from_json(&centralia, "centralia.json", &SeriesOptions::default()).unwrap();
    assert_eq!((series.step.map(|step| step.to_string()), series.len()), (Some("every 120 months".to_string()), 15));
    let brent = as_columns("brent_spot.json");
    let error = user_series_from_json(&brent, "brent_spot.json", &SeriesOptions::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "brent_spot.json: item 9, column `dates`: irregular dates: 2000-04-27 is 16 days after 2000-04-11 on item 8, \
         not a whole number of the series' step (every 14 days); fix the date, or use --spacing rows to take each row \
         as one step"
    );
}
