//! Search-interest exports from the hand-written files in `tests/fixtures/search/`: Naver DataLab
//! with a date column per keyword group (UTF-8 with a byte-order mark, CRLF) and with one shared
//! date column (EUC-KR, weekly), Google Trends daily (with `<1`) and weekly. Each is told by its
//! content (under a name that says nothing), read whole, and names its one bad row.

use std::path::{Path, PathBuf};

use encore_domain::SearchInterest;
use encore_ingest::{detect, parse_series, Format, SeriesFormat, SeriesRows, DETECT_PREFIX_LEN};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search").join(name)
}

/// `keyword|geo|date value unit period range`, with `(<1)` for Google's below one.
fn summary(row: &SearchInterest) -> String {
    let below = if row.below_one { " (<1)" } else { "" };
    format!(
        "{}|{}|{} {}{below} {} {} {}..{}",
        row.keyword,
        row.geo,
        row.date,
        row.value,
        row.source.unit(),
        row.period.as_str(),
        row.range_start,
        row.range_end
    )
}

/// Detects `name`'s format from its first bytes under a neutral file name, parses it, and checks
/// the row count, a few rows and the rejections.
fn check(name: &str, format: SeriesFormat, rows: usize, some_rows: &[&str], rejected: &[&str]) {
    let bytes = std::fs::read(fixture(name)).unwrap();
    let first_bytes = &bytes[..bytes.len().min(DETECT_PREFIX_LEN)];
    assert_eq!(detect(Path::new("export.csv"), first_bytes), Some(Format::Series(format)), "{name}");
    let SeriesRows::SearchInterest(parsed) = parse_series(format, &bytes, name) else {
        panic!("{name} is not read as search interest");
    };
    let summaries: Vec<String> = parsed.rows.iter().map(summary).collect();
    assert_eq!(summaries.len(), rows, "{name}: {summaries:#?}\n{:?}", parsed.rejected);
    for row in some_rows {
        assert!(summaries.iter().any(|summary| summary == row), "{name} lacks {row}: {summaries:#?}");
    }
    let rejections: Vec<String> = parsed.rejected.iter().map(ToString::to_string).collect();
    assert_eq!(rejections, rejected, "{name}");
    assert!(parsed.rows.iter().all(|row| row.source_file == name && row.song_id.is_none()));
}

#[test]
fn naver_datalab_with_a_date_column_per_group_in_utf8_with_a_bom() {
    check(
        "naver-datalab-daily.csv",
        SeriesFormat::NaverDataLab,
        13,
        &[
            "사내맞선|kr|2022-02-26 2.14301 naver_relative_index day 2022-02-26..2022-03-04",
            "사내맞선|kr|2022-03-01 100 naver_relative_index day 2022-02-26..2022-03-04",
            "사랑인가 봐|kr|2022-03-04 11.9482 naver_relative_index day 2022-02-26..2022-03-04",
        ],
        &["naver-datalab-daily.csv:14: field `사랑인가 봐`: \"-\" is not a number (0-100, or <1)"],
    );
}

#[test]
fn naver_datalab_weekly_with_one_date_column_in_euc_kr() {
    check(
        "naver-datalab-weekly-euc-kr.csv",
        SeriesFormat::NaverDataLab,
        24,
        &[
            "스물다섯 스물하나|kr|2022-03-14 100 naver_relative_index week 2022-01-03..2022-03-28",
            "사내맞선|kr|2022-01-03 0.18 naver_relative_index week 2022-01-03..2022-03-28",
        ],
        &["naver-datalab-weekly-euc-kr.csv:10: field `날짜`: \"2022-02-O7\" is not a date (YYYY-MM-DD, or \
             YYYY-MM for a month)"],
    );
}

#[test]
fn google_trends_daily_with_below_one() {
    check(
        "multiTimeline-daily.csv",
        SeriesFormat::GoogleTrends,
        26,
        &[
            "사랑인가 봐|South Korea|2022-02-26 0.5 (<1) google_trends_index day 2022-02-26..2022-03-06",
            "Business Proposal|South Korea|2022-03-01 100 google_trends_index day 2022-02-26..2022-03-06",
            "Love Maybe|South Korea|2022-03-02 1 google_trends_index day 2022-02-26..2022-03-06",
        ],
        &["multiTimeline-daily.csv:8: field `사랑인가 봐: (South Korea)`: \"x\" is not a number (0-100, or <1)"],
    );
}

#[test]
fn google_trends_weekly_worldwide() {
    check(
        "multiTimeline-weekly.csv",
        SeriesFormat::GoogleTrends,
        24,
        &[
            "Twenty-Five Twenty-One|Worldwide|2022-03-20 100 google_trends_index week 2022-01-02..2022-03-27",
            "Business Proposal|Worldwide|2022-01-02 0.5 (<1) google_trends_index week 2022-01-02..2022-03-27",
        ],
        &["multiTimeline-weekly.csv:10: field `Week`: \"2022-13-13\" is not a date (YYYY-MM-DD, or YYYY-MM for a \
             month)"],
    );
}

/// The UTF-8 export re-encoded as EUC-KR (as Excel saves CSV on Korean Windows), with LF line ends
/// and no byte-order mark, is detected and reads the same.
#[test]
fn naver_datalab_reads_the_same_in_either_encoding() {
    let utf8 = std::fs::read(fixture("naver-datalab-daily.csv")).unwrap();
    let text = String::from_utf8(utf8[3..].to_vec()).unwrap().replace("\r\n", "\n");
    let (euc_kr, _, unmappable) = encoding_rs::EUC_KR.encode(&text);
    assert!(!unmappable);
    let read = |bytes: &[u8]| match parse_series(SeriesFormat::NaverDataLab, bytes, "n.csv") {
        SeriesRows::SearchInterest(parsed) => (parsed.rows.iter().map(summary).collect::<Vec<_>>(), parsed.rejected),
        other => panic!("{other:?}"),
    };
    assert_eq!(read(&euc_kr), read(&utf8));
    assert_eq!(detect(Path::new("n.csv"), &euc_kr), Some(Format::Series(SeriesFormat::NaverDataLab)));
}

/// A Naver export as the downloaded workbook: dates stored as serial numbers, decimal values, a
/// text cell where a number belongs. The pipeline reads the sheet as CSV, keeping sheet rows as
/// lines, and that CSV is detected and read like a saved one.
#[test]
fn a_naver_workbook_reads_as_its_sheet() {
    let rows = concat!(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
        r#"<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>2</v></c></row>"#,
        r#"<row r="4"><c r="A4" t="s"><v>3</v></c><c r="B4" t="s"><v>4</v></c><c r="C4" t="s"><v>3</v></c><c r="D4" t="s"><v>5</v></c></row>"#,
        r#"<row r="5"><c r="A5" s="1"><v>44564</v></c><c r="B5"><v>3.21455</v></c><c r="C5" s="1"><v>44564</v></c><c r="D5"><v>0.52</v></c></row>"#,
        r#"<row r="6"><c r="A6" s="1"><v>44571</v></c><c r="B6"><v>100</v></c><c r="C6" s="1"><v>44571</v></c><c r="D6" t="s"><v>6</v></c></row>"#,
    );
    let strings = ["네이버 데이터랩 검색어트렌드", "구간", "주간", "날짜", "사내맞선", "사랑인가 봐", "-"];
    let workbook = crate::workbook::one_sheet(crate::workbook::Writer::Plain, rows, &strings);
    let table = encore_ingest::table_bytes("datalab.xlsx", &workbook).unwrap();
    assert_eq!(detect(Path::new("datalab.xlsx"), &table), Some(Format::Series(SeriesFormat::NaverDataLab)));
    let SeriesRows::SearchInterest(parsed) = parse_series(SeriesFormat::NaverDataLab, &table, "datalab.xlsx") else {
        panic!("not read as search interest");
    };
    let summaries: Vec<String> = parsed.rows.iter().map(summary).collect();
    assert_eq!(
        summaries,
        [
            "사내맞선|kr|2022-01-03 3.21455 naver_relative_index week 2022-01-03..2022-01-10",
            "사랑인가 봐|kr|2022-01-03 0.52 naver_relative_index week 2022-01-03..2022-01-10",
            "사내맞선|kr|2022-01-10 100 naver_relative_index week 2022-01-03..2022-01-10",
        ]
    );
    let rejections: Vec<String> = parsed.rejected.iter().map(ToString::to_string).collect();
    assert_eq!(rejections, ["datalab.xlsx:6: field `사랑인가 봐`: \"-\" is not a number (0-100, or <1)"]);
}
