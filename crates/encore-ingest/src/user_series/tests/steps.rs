//! Steps of days and months inferred, and gaps refused or filled, in a series and across a panel.

use super::*;

#[test]
fn weekly_and_monthly_steps() {
    check("week,plays\n2024-01-07,1\n2024-01-14,2\n2024-01-21,3\n", "2024-01-07..2024-01-21 weekly: plays=[1 2 3]");
    check(
        "month,plays\n2023-11,1\n2023-12,2\n2024-01,3\n2024-02,4\n",
        "2023-11-01..2024-02-01 monthly: plays=[1 2 3 4]",
    );
    check("date,plays\n2024-01-15,1\n2024-02-15,2\n2024-03-15,3\n", "2024-01-15..2024-03-15 monthly: plays=[1 2 3]");
    check("date,plays\n2024-01-31,1\n2024-02-29,2\n2024-03-31,3\n", "2024-01-31..2024-03-31 monthly: plays=[1 2 3]");
    check(
        "date,plays\n2024-01-01,1\n2024-01-04,2\n2024-01-07,3\n",
        "2024-01-01..2024-01-07 every 3 days: plays=[1 2 3]",
    );
    check("date,plays\n2024-01-01,7\n", "2024-01-01..2024-01-01 daily: plays=[7]");
    // A monthly gap is filled on the month's same day, and on its last day for month ends.
    let zero = filling(GapPolicy::Zero);
    check_with(
        "date,plays\n2024-01-31,1\n2024-03-31,3\n2024-04-30,4\n",
        &zero,
        "2024-01-31..2024-04-30 monthly: plays=[1 0 3 4] | filled plays 2024-02-29..2024-02-29 (1)",
    );
    // A daily series with more gaps than steps is still daily.
    check_with(
        "date,plays\n2024-01-01,1\n2024-01-03,3\n2024-01-05,5\n2024-01-06,6\n",
        &filling(GapPolicy::Linear),
        "2024-01-01..2024-01-06 daily: plays=[1 2 3 4 5 6] | filled plays 2024-01-02..2024-01-02 (1) | filled plays \
         2024-01-04..2024-01-04 (1)",
    );
}

#[test]
fn steps_are_told_by_the_most_common_difference() {
    let dates = |texts: &[&str]| texts.iter().map(|text| day(text)).collect::<Vec<_>>();
    assert_eq!(infer_step(&dates(&["2024-01-01", "2024-01-08", "2024-01-22"])), Ok(DateStep::Days(7)));
    assert_eq!(infer_step(&dates(&["2024-01-01", "2024-01-03", "2024-01-05", "2024-01-06"])), Ok(DateStep::Days(1)));
    assert_eq!(
        infer_step(&dates(&["2024-01-01", "2024-01-08", "2024-01-15", "2024-01-17"])),
        Err((3, DateStep::Days(7)))
    );
    // Dates on one day of their months (or on their months' last days) step by months.
    assert_eq!(infer_step(&dates(&["2023-01-15", "2023-04-15", "2023-10-15"])), Ok(DateStep::Months(3)));
    assert_eq!(infer_step(&dates(&["2023-03-31", "2023-06-30", "2023-09-30"])), Ok(DateStep::Months(3)));
    assert_eq!(infer_step(&dates(&["2020-01-01", "2021-01-01", "2023-01-01"])), Ok(DateStep::Months(12)));
    assert_eq!(
        infer_step(&dates(&["2020-01-01", "2020-04-01", "2020-07-01", "2020-09-01"])),
        Err((3, DateStep::Months(3)))
    );
    // When each row is a step, the step only describes them: the most common difference.
    let weekdays = dates(&["2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09", "2024-01-10"]);
    assert_eq!(usual_step(&weekdays), DateStep::Days(1));
    assert_eq!(usual_step(&dates(&["2024-01-01", "2024-01-03", "2024-01-05", "2024-01-06"])), DateStep::Days(2));
}

#[test]
fn gaps_are_refused_or_filled_both_ways() {
    let text = "date,streams\n2024-01-01,10\n2024-01-02,20\n2024-01-05,50\n2024-01-06,60\n";
    assert_eq!(
        error_of(text, &SeriesOptions::default()),
        "s.csv: line 4, column `date`: 2024-01-05 follows 2024-01-02 on line 3, so 2 days are missing (2024-01-03 \
         to 2024-01-04); add the missing rows, or use --fill zero or --fill linear"
    );
    check_with(
        text,
        &filling(GapPolicy::Zero),
        "2024-01-01..2024-01-06 daily: streams=[10 20 0 0 50 60] | filled streams 2024-01-03..2024-01-04 (2)",
    );
    check_with(
        text,
        &filling(GapPolicy::Linear),
        "2024-01-01..2024-01-06 daily: streams=[10 20 30 40 50 60] | filled streams 2024-01-03..2024-01-04 (2)",
    );
    let weekly = "week,streams\n2024-01-07,1\n2024-01-14,2\n2024-01-28,4\n";
    assert_eq!(
        error_of(weekly, &SeriesOptions::default()),
        "s.csv: line 4, column `week`: 2024-01-28 follows 2024-01-14 on line 3, so 1 week is missing (2024-01-21); \
         add the missing rows, or use --fill zero or --fill linear"
    );
    // An empty cell is a gap the policy fills, or an error.
    let empty = "date,streams\n2024-01-01,10\n2024-01-02,\n2024-01-03,30\n";
    check_with(
        empty,
        &filling(GapPolicy::Linear),
        "2024-01-01..2024-01-03 daily: streams=[10 20 30] | filled streams 2024-01-02..2024-01-02 (1)",
    );
    assert_eq!(
        error_of(empty, &SeriesOptions::default()),
        "s.csv: line 3, column `streams`: empty value; fill it in, or use --fill zero or --fill linear"
    );
}

#[test]
fn panels_on_different_dates_are_aligned_on_their_union() {
    let text = "date,song,streams\n2024-01-01,a,1\n2024-01-02,a,2\n2024-01-03,a,3\n2024-01-02,b,20\n2024-01-03,b,30\n";
    assert_eq!(
        error_of(text, &SeriesOptions::default()),
        "s.csv: unit `b` has no value for 2024-01-01, which `a` has on line 2; give every unit the same dates, or use \
         --fill zero or --fill linear"
    );
    check_with(
        text,
        &filling(GapPolicy::Zero),
        "2024-01-01..2024-01-03 daily: a=[1 2 3]; b=[0 20 30] | filled b 2024-01-01..2024-01-01 (1)",
    );
    assert_eq!(
        error_of(text, &filling(GapPolicy::Linear)),
        "s.csv: unit `b` has no value from 2024-01-01 to 2024-01-01, before its first or after its last: a straight \
         line needs a value on both sides; use --fill zero, or give it those dates"
    );
    // A unit's own gap names the unit.
    let gap = "date,song,streams\n2024-01-01,a,1\n2024-01-03,a,3\n2024-01-01,b,1\n2024-01-02,b,2\n2024-01-03,b,3\n";
    assert_eq!(
        error_of(gap, &SeriesOptions::default()),
        "s.csv: line 3, column `date`: 2024-01-03 follows 2024-01-01 on line 2 (unit `a`), so 1 day is missing \
         (2024-01-02); add the missing rows, or use --fill zero or --fill linear"
    );
    // One unit ending before the other starts leaves dates no unit has.
    let apart = "date,song,streams\n2024-01-01,a,1\n2024-01-02,a,2\n2024-01-05,b,5\n2024-01-06,b,6\n";
    assert_eq!(
        error_of(apart, &SeriesOptions::default()),
        "s.csv: line 4, column `date`: 2024-01-05 follows 2024-01-02 on line 3, so 2 days are missing (2024-01-03 to \
         2024-01-04); add the missing rows, or use --fill zero or --fill linear"
    );
    // A wide panel's empty cells are filled per unit.
    check_with(
        "date,A,B\n2024-01-01,1,\n2024-01-02,2,5\n2024-01-03,3,6\n",
        &filling(GapPolicy::Zero),
        "2024-01-01..2024-01-03 daily: A=[1 2 3]; B=[0 5 6] | filled B 2024-01-01..2024-01-01 (1)",
    );
}

#[test]
fn quarterly_and_yearly_steps() {
    check(
        "quarter,gdp\n2023-01-01,1\n2023-04-01,2\n2023-07-01,3\n2023-10-01,4\n",
        "2023-01-01..2023-10-01 quarterly: gdp=[1 2 3 4]",
    );
    check("quarter,gdp\n2023Q3,1\n2023-Q4,2\nQ1 2024,3\n", "2023-07-01..2024-01-01 quarterly: gdp=[1 2 3]");
    check("분기,매출\n2023년 4분기,1\n2024년 1분기,2\n", "2023-10-01..2024-01-01 quarterly: 매출=[1 2]");
    check("date,sales\n2023-03-31,1\n2023-06-30,2\n2023-09-30,3\n", "2023-03-31..2023-09-30 quarterly: sales=[1 2 3]");
    // Years alone under a year's header are yearly dates; any constant count of months is a step.
    check("year,gdp\n1960,1.5\n1961,2\n1962,3\n", "1960-01-01..1962-01-01 yearly: gdp=[1.5 2 3]");
    check("연도,값\n2020,1\n2021,2\n", "2020-01-01..2021-01-01 yearly: 값=[1 2]");
    check("년도,인구\n2000,1\n2005,2\n2010,3\n", "2000-01-01..2010-01-01 every 60 months: 인구=[1 2 3]");
    check(
        "year,name,gdp\n2020,kr,1\n2020,jp,2\n2021,kr,3\n2021,jp,4\n",
        "2020-01-01..2021-01-01 yearly: kr=[1 3]; jp=[2 4]",
    );
    // Elsewhere a four-digit number is a value.
    check("streams\n2024\n2025\n", "positions: streams=[2024 2025]");
    check("2024\n2025\n", "positions: value=[2024 2025]");
    // Gaps are counted in the series' own steps.
    check_error(
        "year,gdp\n1960,1\n1961,2\n1963,4\n1964,5\n",
        "s.csv: line 4, column `year`: 1963-01-01 follows 1961-01-01 on line 3, so 1 year is missing (1962-01-01); add \
         the missing rows, or use --fill zero or --fill linear",
    );
    check_error(
        "quarter,gdp\n2023Q1,1\n2023Q2,2\n2024Q1,5\n",
        "s.csv: line 4, column `quarter`: 2024-01-01 follows 2023-04-01 on line 3, so 2 quarters are missing \
         (2023-07-01 to 2023-10-01); add the missing rows, or use --fill zero or --fill linear",
    );
    check_with(
        "quarter,gdp\n2023Q1,1\n2023Q2,2\n2024Q1,5\n",
        &filling(GapPolicy::Linear),
        "2023-01-01..2024-01-01 quarterly: gdp=[1 2 3 4 5] | filled gdp 2023-07-01..2023-10-01 (2)",
    );
    check_error(
        "quarter,gdp\n2023-01-01,1\n2023-04-01,2\n2023-07-01,3\n2023-09-01,4\n",
        "s.csv: line 5, column `quarter`: irregular dates: 2023-09-01 is 2 months after 2023-07-01 on line 4, not a \
         whole number of the series' step (quarterly); fix the date, or use --spacing rows to take each row as one \
         step",
    );
}

#[test]
fn a_cap_on_values_refuses_a_short_file_whose_dates_span_centuries() {
    let options = SeriesOptions { gaps: GapPolicy::Zero, max_cells: Some(1000), ..SeriesOptions::default() };
    let error =
        read_user_series(b"date,plays\n1900-01-01,1\n1900-01-02,1\n2199-12-31,2\n", "span.csv", &options).unwrap_err();
    assert_eq!(
        error.to_string(),
        "span.csv: its dates span 109573 steps for 1 units (109573 values), more than the 1000 taken here; \
         send fewer units or a shorter span"
    );
    let within = SeriesOptions { max_cells: Some(1000), ..SeriesOptions::default() };
    assert!(read_user_series(b"date,plays\n2024-01-01,1\n2024-01-02,2\n", "short.csv", &within).is_ok());
}
