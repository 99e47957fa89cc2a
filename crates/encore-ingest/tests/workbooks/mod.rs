//! Workbooks built here from hand-written XML parts, turned into CSV cell by cell: plain and
//! `x:`-prefixed writers, shared and inline strings, dates stored as serial numbers, several
//! sheets, and truncated or corrupt files; then a Spotify chart read from a workbook.

use std::path::Path;

use encore_domain::ChartKind;
use encore_ingest::{read_chart_file, table_bytes, workbook_to_csv, IngestError, WorkbookKind};

use crate::workbook::{one_sheet, spotify_daily, Workbook, Writer};

/// The CSV of a workbook's bytes, as text.
fn csv_of(name: &str, bytes: &[u8]) -> String {
    let csv = table_bytes(name, bytes).unwrap_or_else(|error| panic!("{name}: {error}"));
    String::from_utf8(csv.into_owned()).unwrap()
}

/// A chart as two writers write it: shared strings for text, numbers, an empty cell, an error
/// cell, a boolean, a comma and a quote to be quoted, an empty row inside the data, and a
/// formatted but empty row at the end.
const CHART_ROWS: &str = concat!(
    r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>"#,
    r#"<row r="2"><c r="A2" t="s"><v>5</v></c><c r="B2"><v>1</v></c><c r="C2" t="s"><v>6</v></c><c r="D2" t="s"><v>7</v></c><c r="E2" t="s"><v>8</v></c></row>"#,
    r#"<row r="4"><c r="A4" t="s"><v>5</v></c><c r="B4"><v>2.5</v></c><c r="C4" t="e"><v>#N/A</v></c><c r="E4" t="b"><v>1</v></c></row>"#,
    r#"<row r="5"><c r="A5" s="1"/><c r="B5" s="1"/></row>"#,
);
const CHART_STRINGS: [&str; 9] =
    ["날짜", "순위", "곡", "가수", "앨범", "2022-01-01", "사랑인가 봐", "멜로망스", "Love, \"Maybe\""];
const CHART_CSV: &str =
    "날짜,순위,곡,가수,앨범\n2022-01-01,1,사랑인가 봐,멜로망스,\"Love, \"\"Maybe\"\"\"\n\n2022-01-01,2.5,,,TRUE\n";

#[test]
fn a_plain_workbook_becomes_csv_cell_by_cell() {
    let bytes = one_sheet(Writer::Plain, CHART_ROWS, &CHART_STRINGS);
    assert_eq!(WorkbookKind::of_file("upload", &bytes), Some(WorkbookKind::Xlsx));
    assert_eq!(csv_of("day_genie_20220101.xlsx", &bytes), CHART_CSV);
}

#[test]
fn a_prefixed_workbook_reads_the_same() {
    let bytes = one_sheet(Writer::Prefixed, CHART_ROWS, &CHART_STRINGS);
    assert_eq!(csv_of("week_bugs_20220103.xlsx", &bytes), CHART_CSV);
}

#[test]
fn inline_strings_are_read_as_text() {
    let rows = concat!(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>곡</t></is></c><c r="B1" t="inlineStr"><is><t>가수</t></is></c></row>"#,
        r#"<row r="2"><c r="A2" t="inlineStr"><is><t>Drawer</t></is></c><c r="B2" t="inlineStr"><is><r><t>10</t></r><r><t>CM</t></r></is></c></row>"#,
    );
    for writer in [Writer::Plain, Writer::Prefixed] {
        let bytes = one_sheet(writer, rows, &[]);
        assert_eq!(csv_of("inline.xlsx", &bytes), "곡,가수\nDrawer,10CM\n", "{writer:?}");
    }
}

#[test]
fn a_date_stored_as_a_serial_number_becomes_iso_and_a_text_date_stays() {
    let rows = concat!(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>"#,
        // 44562 is 2022-01-01 in Excel's 1900 date system; style 1 is format 14, style 2 has a time.
        r#"<row r="2"><c r="A2" s="1"><v>44562</v></c><c r="B2" s="2"><v>44562.75</v></c><c r="C2" t="s"><v>4</v></c><c r="D2"><v>44562</v></c></row>"#,
        r#"<row r="3"><c r="A3" s="1"><v>44620</v></c><c r="B3" s="2"><v>44620.000001</v></c><c r="C3" t="s"><v>5</v></c><c r="D3"><v>0.25</v></c></row>"#,
    );
    let strings = ["date", "datetime", "text", "number", "2022-01-01", "2022.02.28"];
    for writer in [Writer::Plain, Writer::Prefixed] {
        let bytes = one_sheet(writer, rows, &strings);
        assert_eq!(
            csv_of("dates.xlsx", &bytes),
            "date,datetime,text,number\n\
             2022-01-01,2022-01-01 18:00:00,2022-01-01,44562\n\
             2022-02-28,2022-02-28,2022.02.28,0.25\n",
            "{writer:?}"
        );
    }
}

#[test]
fn the_first_sheet_with_data_is_read_and_its_row_numbers_kept() {
    let later = r#"<row r="3"><c r="B3" t="s"><v>0</v></c></row><row r="4"><c r="B4"><v>7</v></c></row>"#;
    let workbook = Workbook {
        writer: Writer::Plain,
        sheets: vec![("Notes", r#"<row r="1"><c r="A1" s="1"/></row>"#), ("Data", later), ("More", CHART_ROWS)],
        shared_strings: vec!["rank"],
    };
    // Two empty lines stand for rows 1 and 2, so `rank` is on line 3 as in the sheet.
    assert_eq!(csv_of("two.xlsx", &workbook.to_bytes()), "\n\nrank\n7\n");
}

#[test]
fn a_workbook_without_data_gives_no_bytes() {
    let bytes = one_sheet(Writer::Plain, "", &[]);
    assert_eq!(csv_of("empty.xlsx", &bytes), "");
}

#[test]
fn a_truncated_or_corrupt_workbook_is_an_error_naming_the_file() {
    let whole = one_sheet(Writer::Plain, CHART_ROWS, &CHART_STRINGS);
    let check = |name: &str, bytes: &[u8]| {
        let error = table_bytes(name, bytes).map(|_| ()).unwrap_err();
        assert!(matches!(error, IngestError::Workbook { .. }), "{name}: {error:?}");
        let message = error.to_string();
        assert!(message.starts_with(&format!("cannot read the workbook {name}: ")), "{message}");
    };
    check("charts/half.xlsx", &whole[..whole.len() / 2]);
    check("charts/head.xlsx", &whole[..30]);
    check("charts/not-a-zip.xlsx", b"rank,uri\n1,x\n");
    check("charts/old.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 and then nothing");
    // A whole zip whose sheet is not well-formed XML (a cell left open).
    let broken = one_sheet(Writer::Plain, r#"<row r="1"><c r="A1"><v>1</v></row>"#, &[]);
    let error = workbook_to_csv(WorkbookKind::Xlsx, &broken, "broken.xlsx").map(|_| ()).unwrap_err();
    assert!(error.to_string().starts_with("cannot read the workbook broken.xlsx: sheet `Sheet1`: "), "{error}");
}

#[test]
fn a_spotify_chart_can_come_as_a_workbook_and_its_rejections_name_sheet_rows() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("regional-kr-daily-2025-12-18.xlsx");
    std::fs::write(&path, spotify_daily(Writer::Prefixed)).unwrap();
    let parsed = read_chart_file(Path::new(&path), None).unwrap();
    assert_eq!(parsed.rows.len(), 1, "{:?}", parsed.rejected);
    let entry = &parsed.rows[0];
    assert_eq!(
        (entry.chart, entry.region.as_str(), entry.chart_date.to_string()),
        (ChartKind::SpotifyDaily, "kr", "2025-12-18".to_string())
    );
    assert_eq!((entry.rank, entry.streams, entry.source_line), (1, Some(95514), 2));
    let rejected: Vec<(u64, &str)> = parsed.rejected.iter().map(|row| (row.line, row.field.as_str())).collect();
    assert_eq!(rejected, [(4, "streams")]);
}
