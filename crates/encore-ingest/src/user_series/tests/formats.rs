//! Every layout, separator, encoding and spelling of a value or a date, on hand-made inputs.

use super::*;

#[path = "../../../tests/support/workbook.rs"]
mod workbook;

#[test]
fn long_form_in_every_separator_and_encoding() {
    let expected = "2024-01-01..2024-01-03 daily: streams=[1234 5 6]";
    check("date,streams\n2024-01-01,\"1,234\"\n2024-01-02,5\n2024-01-03,6\n", expected);
    check(
        "\u{FEFF}Date,Streams\r\n2024-01-01,1234\r\n2024-01-02, 5 \r\n2024-01-03,6\r\n",
        "2024-01-01..2024-01-03 daily: Streams=[1234 5 6]",
    );
    check("date\tstreams\n2024-01-01\t1 234\n2024-01-02\t5\n2024-01-03\t6\n", expected);
    check("date;streams\n2024-01-01;1234\n2024-01-02;5\n2024-01-03;6\n", expected);
    // A semicolon-separated file's numbers are European: a decimal comma, dots grouping thousands.
    check("date;value\n2024-01-01;3,5\n2024-01-02;1.234,5\n", "2024-01-01..2024-01-02 daily: value=[3.5 1234.5]");
    // A header-less `date,value`, and the options' column names over the synonyms.
    check("2024-01-01,3\n2024-01-02,4\n", "2024-01-01..2024-01-02 daily: value=[3 4]");
    let options = SeriesOptions {
        date_column: Some("when".into()),
        value_column: Some("Total".into()),
        ..SeriesOptions::default()
    };
    check_with(
        "when,value,total\n2024-01-01,1,10\n2024-01-02,2,20\n",
        &options,
        "2024-01-01..2024-01-02 daily: total=[10 20]",
    );
}

#[test]
fn euc_kr_with_korean_headers_and_dates() {
    let text = "날짜,조회수\n2024년 1월 5일,\"1,200\"\n2024년 1월 6일,800\n";
    let (bytes, _, _) = encoding_rs::EUC_KR.encode(text);
    let series = read_user_series(&bytes, "조회수.csv", &SeriesOptions::default()).unwrap();
    assert_eq!(show(&series), "2024-01-05..2024-01-06 daily: 조회수=[1200 800]");
    let bad = read_user_series(b"date,value\n2024-01-01,\xFF\xFE\xFF\n", "bad.csv", &SeriesOptions::default());
    assert_eq!(
        bad.unwrap_err().to_string(),
        "bad.csv: neither UTF-8 nor EUC-KR text (a bad byte at offset 22); save it as UTF-8 CSV"
    );
}

#[test]
fn dates_in_every_spelling() {
    let check_date = |text: &str, expected: Option<&str>| {
        assert_eq!(parse_date(text), expected.map(day), "{text:?}");
    };
    check_date("2024-01-05", Some("2024-01-05"));
    check_date("2024/01/05", Some("2024-01-05"));
    check_date("2024.01.05", Some("2024-01-05"));
    check_date("2024.1.5.", Some("2024-01-05"));
    check_date("20240105", Some("2024-01-05"));
    check_date("2024-01-05T00:00:00Z", Some("2024-01-05"));
    check_date("2024-01-05 23:59:59+09:00", Some("2024-01-05"));
    check_date("2024년 1월 5일", Some("2024-01-05"));
    check_date("2024-01", Some("2024-01-01"));
    check_date("2024.01", Some("2024-01-01"));
    check_date("2024년 3월", Some("2024-03-01"));
    check_date("Jan 5, 2024", Some("2024-01-05"));
    check_date("5 January 2024", Some("2024-01-05"));
    // An Excel serial number: a workbook's date cell stored without a date format.
    check_date("45296", Some("2024-01-05"));
    check_date("2024.01.01~2024.01.07", Some("2024-01-01"));
    check_date("2024Q1", Some("2024-01-01"));
    check_date("2024-Q3", Some("2024-07-01"));
    check_date("Q4 2023", Some("2023-10-01"));
    check_date("2024 q2", Some("2024-04-01"));
    check_date("2024년 2분기", Some("2024-04-01"));
    // A year alone is its 1 January, from any century; only a date column is read so.
    check_date("2024", Some("2024-01-01"));
    check_date("1800", Some("1800-01-01"));
    check_date("2024년", Some("2024-01-01"));
    check_date("0960", None);
    check_date("2024Q5", None);
    check_date("24Q1", None);
    check_date("2024-13-01", None);
    check_date("2024-02-O7", None);
    check_date("01/05/2024", None);
    check_date("yesterday", None);
    check_date("", None);
}

#[test]
fn numbers_with_separators_spaces_and_percent() {
    let number = |text: &str| read_number(text, false);
    assert_eq!(number("1,234"), Reading::Number(1234.0));
    assert_eq!(number("-1,234,567.25"), Reading::Number(-1_234_567.25));
    assert_eq!(number(" 12 345 "), Reading::Number(12345.0));
    assert_eq!(number("45%"), Reading::Number(45.0));
    assert_eq!(number("<1"), Reading::Number(0.5));
    assert_eq!(number("1e3"), Reading::Number(1000.0));
    assert_eq!(number(""), Reading::Empty);
    for bad in ["1,23", "12,34.5", "1.2,345", "NaN", "inf", "12a", "n/a", "-", "1,234,5"] {
        assert_eq!(number(bad), Reading::NotANumber(bad.to_string()), "{bad}");
    }
    assert_eq!(read_number("1,5", true), Reading::Number(1.5));
}

#[test]
fn google_trends_with_its_preamble_and_below_one() {
    let text = "\u{FEFF}Category: All categories\n\nDay,Love Maybe: (Worldwide),Drawer: (Worldwide)\n\
                2022-01-01,12,<1\n2022-01-02,100,3\n2022-01-03,40,<1\n";
    check(text, "2022-01-01..2022-01-03 daily: Love Maybe: (Worldwide)=[12 100 40]; Drawer: (Worldwide)=[0.5 3 0.5]");
    let series = read_with(text, "multiTimeline.csv", &SeriesOptions::default()).unwrap();
    assert_eq!(series.unit("drawer: (worldwide)").map(|unit| unit.values.len()), Some(3));
    assert!(series.unit("Drawer").is_none());
    // The weekly Korean export.
    check(
        "카테고리: 모든 카테고리\n\n주,사랑인가 봐: (대한민국)\n2022-01-02,1\n2022-01-09,2\n",
        "2022-01-02..2022-01-09 weekly: 사랑인가 봐: (대한민국)=[1 2]",
    );
}

#[test]
fn naver_datalab_with_its_metadata_lines() {
    let text = "네이버 데이터랩 검색어트렌드\n기간,2022-01-03 ~ 2022-01-17\n구간,주간\n주제어1,사내맞선\n\n\
                날짜,사내맞선,날짜,사랑인가 봐\n2022-01-03,10.5,2022-01-03,1\n2022-01-10,100,2022-01-10,2\n\
                2022-01-17,50,2022-01-17,3\n";
    check(text, "2022-01-03..2022-01-17 weekly: 사내맞선=[10.5 100 50]; 사랑인가 봐=[1 2 3]");
}

#[test]
fn wide_and_long_panels() {
    let wide = "date,Love Maybe,Drawer,memo\n2024-01-01,1,4,x\n2024-01-02,2,5,y\n";
    check(wide, "2024-01-01..2024-01-02 daily: Love Maybe=[1 2]; Drawer=[4 5]");
    // Several value columns without a unit column are a panel too (Spotify for Artists' timeline).
    check(
        "date,listeners,streams\n2024-01-01,1,10\n2024-01-02,2,20\n",
        "2024-01-01..2024-01-02 daily: listeners=[1 2]; streams=[10 20]",
    );
    // One value column by name wins over other numbers.
    check("date,views,likes\n2024-01-01,100,3\n2024-01-02,200,4\n", "2024-01-01..2024-01-02 daily: views=[100 200]");
    let long = "date,song,streams\n2024-01-01,Love Maybe,1\n2024-01-01,Drawer,4\n2024-01-02,Love Maybe,2\n\
                2024-01-02,Drawer,5\n";
    check(long, "2024-01-01..2024-01-02 daily: Love Maybe=[1 2]; Drawer=[4 5]");
    // A long panel's other number column is its value when nothing is named one.
    check("date,song,n\n2024-01-01,a,1\n2024-01-02,a,2\n", "2024-01-01..2024-01-02 daily: a=[1 2]");
    // YouTube Studio's chart data: videos by title, views by name, the durations left alone.
    let youtube = "Date,Content,Video title,Video publish time,Duration,Views\n\
                   2024-01-01,abc,Love Maybe MV,\"Feb 18, 2022\",215,100\n\
                   2024-01-02,abc,Love Maybe MV,\"Feb 18, 2022\",215,120\n";
    check(youtube, "2024-01-01..2024-01-02 daily: Love Maybe MV=[100 120]");
}

#[test]
fn positions_without_dates() {
    check("streams\n3\n4\n5\n", "positions: streams=[3 4 5]");
    check("3\n4\n\"1,005\"\n", "positions: value=[3 4 1005]");
    check("3,30\n4,40\n", "positions: column 1=[3 4]; column 2=[30 40]");
    check("song,plays\na,1\nb,10\na,2\nb,20\n", "positions: a=[1 2]; b=[10 20]");
    check_error(
        "song,plays\na,1\nb,10\na,2\n",
        "s.csv: unit `b` has 1 values and `a` 2; without dates every unit needs as many (add a date column to align \
         them)",
    );
    // An empty line is skipped; an empty cell has no date to fill it by.
    check("streams\n3\n\n4\n\n", "positions: streams=[3 4]");
    assert_eq!(
        error_of("a,b\n1,2\n3,\n", &filling(GapPolicy::Zero)),
        "s.csv: line 3, column `b`: empty value; fill it in"
    );
}

#[test]
fn a_workbook_reads_as_its_first_sheet() {
    // Sheet row 1 the header, rows 2-3 dates stored as date-formatted serials (style 1), row 4 a
    // bare serial number, as a date column without a date format holds.
    let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" s="1"><v>45292</v></c><c r="B2"><v>10</v></c></row><row r="3"><c r="A3" s="1"><v>45293</v></c><c r="B3"><v>1234.5</v></c></row><row r="4"><c r="A4"><v>45294</v></c><c r="B4" t="s"><v>2</v></c></row>"#;
    let bytes = workbook::one_sheet(workbook::Writer::Plain, rows, &["날짜", "재생수", "oops"]);
    let error = read_user_series(&bytes, "plays.xlsx", &SeriesOptions::default()).unwrap_err();
    assert_eq!(error.to_string(), "plays.xlsx: line 4, column `재생수`: \"oops\" is not a number");
    let good = rows.replace(r#"t="s"><v>2</v>"#, "><v>7</v>");
    let bytes = workbook::one_sheet(workbook::Writer::Plain, &good, &["날짜", "재생수"]);
    let series = read_user_series(&bytes, "plays.xlsx", &SeriesOptions::default()).unwrap();
    assert_eq!(show(&series), "2024-01-01..2024-01-03 daily: 재생수=[10 1234.5 7]");
    let broken = read_user_series(b"PK\x03\x04 not really", "plays.xlsx", &SeriesOptions::default()).unwrap_err();
    assert!(broken.to_string().starts_with("plays.xlsx: cannot read the workbook: "), "{broken}");
}
