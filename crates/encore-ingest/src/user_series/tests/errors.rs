//! Every error by its message: the place, the column and the fix.

use super::*;

#[test]
fn errors_name_the_line_the_column_and_the_fix() {
    check_error(
        "date,streams\n2024-01-01,1\n2024-01-02,12a\n2024-01-03,n/a\n",
        "s.csv: 2 values are not numbers (line 3, column `streams`: \"12a\"; line 4, column `streams`: \"n/a\")",
    );
    check_error(
        "date,streams\n2024-01-01,1\n2024-01-02,12a\n",
        "s.csv: line 3, column `streams`: \"12a\" is not a number",
    );
    let many: String = (1..=12).map(|day| format!("2024-01-{day:02},x{day}\n")).collect();
    let message = error_of(&format!("date,streams\n{many}"), &SeriesOptions::default());
    assert!(message.starts_with("s.csv: 12 values are not numbers (line 2, column `streams`: \"x1\"; "), "{message}");
    assert!(message.ends_with("line 11, column `streams`: \"x10\"; and 2 more)"), "{message}");
    check_error(
        "date,streams\n2024-01-01,1\n2024-13-01,2\n",
        "s.csv: line 3, column `date`: \"2024-13-01\" is not a date; write dates as 2024-01-05, 2024/01/05, \
         2024.01.05, 20240105, 2024년 1월 5일, 2024-01 for a month, 2024Q1 for a quarter or 2024 for a year",
    );
    check_error(
        "date,streams\n2024-01-05,1\n2024-01-03,2\n",
        "s.csv: line 3, column `date`: 2024-01-03 comes before 2024-01-05 on line 2; sort the file by date",
    );
    check_error(
        "date,song,streams\n2024-01-05,a,1\n2024-01-05,b,1\n2024-01-06,b,2\n2024-01-03,a,2\n",
        "s.csv: line 5, column `date`: 2024-01-03 comes before 2024-01-05 on line 2 (unit `a`); sort the file by date",
    );
    check_error(
        "date,streams\n2024-01-05,1\n2024-01-05,2\n",
        "s.csv: line 3, column `date`: 2024-01-05 is already on line 2; keep one row per date",
    );
    check_error(
        "date,streams\n2024-01-01,1\n2024-01-08,2\n2024-01-15,3\n2024-01-17,4\n",
        "s.csv: line 5, column `date`: irregular dates: 2024-01-17 is 2 days after 2024-01-15 on line 4, not a whole \
         number of the series' step (weekly); fix the date, or use --spacing rows to take each row as one step",
    );
    check_error(
        "date,streams\n2024-01-01,1\n2024-01-02,2\n2024-01-03\n",
        "s.csv: line 4, column `streams`: empty value; fill it in, or use --fill zero or --fill linear",
    );
    check_error(
        "date,A,B,C\n2024-01-01,1,,\n2024-01-02,,5,\n",
        "s.csv: 2 empty values (line 2, column `B`; line 3, column `A`); fill them in, or use --fill zero or --fill \
         linear",
    );
    check_error(
        "date,streams\n2024-01-01,1,234\n",
        "s.csv: line 2: 3 cells where the header has 2; quote numbers with thousands separators (\"1,234\") or drop \
         the extra cells",
    );
    check_error(
        "date,song,streams\n2024-01-01,,1\n",
        "s.csv: line 2, column `song`: empty unit; every row of a panel names its unit",
    );
}

#[test]
fn errors_about_columns_and_headers_say_what_was_seen() {
    check_error(
        "date,comment\n2024-01-01,good\n",
        "s.csv: line 1: no column holds numbers (the header has `date`, `comment`); name the value column with \
         --value-column",
    );
    check_error("date,streams\n", "s.csv: no rows of data after the header on line 1 (`date`, `streams`); the file starts: line 1: \"date,streams\"");
    check_error("", "s.csv: no rows of data; the file starts: (nothing)");
    check_error(
        "date,song,streams,listeners\n2024-01-01,a,1,2\n",
        "s.csv: line 1: any of `streams`, `listeners` could be the value of each `song`; name one with --value-column",
    );
    let options = SeriesOptions { date_column: Some("when".into()), ..SeriesOptions::default() };
    assert_eq!(
        error_of("Category: All\n\ndate,streams\n2024-01-01,1\n", &options),
        "s.csv: none of the first 10 lines is a header with a `when` column (they start: line 1: \"Category: All\"; \
         line 3: \"date,streams\"; line 4: \"2024-01-01,1\"); check --date-column"
    );
    let options = SeriesOptions { value_column: Some("plays".into()), ..SeriesOptions::default() };
    assert_eq!(
        error_of("date,streams\n2024-01-01,1\n", &options),
        "s.csv: line 1: the header has no column `plays` (asked for as the value column); it has `date`, `streams`"
    );
}
