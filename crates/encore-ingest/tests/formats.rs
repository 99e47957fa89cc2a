//! Every chart format read from hand-written files in its documented public shape
//! (`tests/fixtures/`), format detected, the way `encore ingest` reads a folder; search-interest
//! exports (`search`); listening logs (`listens`); and workbooks built from hand-written XML parts (`workbooks`).

#[path = "support/workbook.rs"]
mod workbook;
mod workbooks;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use encore_domain::ChartKind;
use encore_ingest::{detect_format, read_chart_file, read_charts, SourceFormat};

#[path = "formats/korean.rs"]
mod korean;
#[path = "formats/listens.rs"]
mod listens;
#[path = "formats/search.rs"]
mod search;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn check(name: &str, format: SourceFormat, chart: ChartKind, region: &str, rows: usize, rejected_lines: &[u64]) {
    let path = fixture(name);
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(detect_format(&path, &bytes[..bytes.len().min(512)]).unwrap(), format, "{name}");
    let parsed = read_chart_file(&path, None).unwrap();
    assert_eq!(parsed.rows.len(), rows, "{name}: {:?}", parsed.rejected);
    assert!(parsed.rows.iter().all(|row| row.chart == chart && row.region == region), "{name}");
    let lines: Vec<u64> = parsed.rejected.iter().map(|rejected| rejected.line).collect();
    assert_eq!(lines, rejected_lines, "{name}: {:?}", parsed.rejected);
    assert!(parsed.rejected.iter().all(|rejected| !rejected.field.is_empty()), "{name}");
}

#[test]
fn each_format_loads_its_good_rows_and_names_its_bad_ones() {
    check(
        "regional-global-weekly-2023-01-05.csv",
        SourceFormat::SpotifyCsv,
        ChartKind::SpotifyWeekly,
        "global",
        2,
        &[4],
    );
    check("regional-kr-daily-2017-01-01.csv", SourceFormat::SpotifyCsv, ChartKind::SpotifyDaily, "kr", 2, &[5]);
    check("billboard-hot-100-2022.csv", SourceFormat::BillboardCsv, ChartKind::BillboardHot100, "us", 3, &[5]);
    check(
        "billboard-global-200-2024-06-08.json",
        SourceFormat::BillboardJson,
        ChartKind::BillboardGlobal200,
        "global",
        2,
        &[],
    );
    // Circle's files are Korean chart files whose names say Circle (or Gaon); weekly is its default.
    check("circle-digital-2017-01-07.csv", SourceFormat::KoreanChart, ChartKind::CIRCLE_WEEKLY, "kr", 2, &[4]);
    check("gaon_20160409.csv", SourceFormat::KoreanChart, ChartKind::CIRCLE_WEEKLY, "kr", 2, &[4]);
}

#[test]
fn euc_kr_text_arrives_as_hangul_with_its_week() {
    let parsed = read_chart_file(&fixture("gaon_20160409.csv"), None).unwrap();
    let first = &parsed.rows[0];
    assert_eq!(
        (first.title.as_str(), first.artist.as_str(), first.chart_date.to_string()),
        ("This Love", "다비치", "2016-04-09".to_string())
    );
    assert_eq!(parsed.rows[1].title, "너를 위해");
}

#[test]
fn the_folder_reads_as_one() {
    let parsed = read_charts(&fixture(""), None).unwrap();
    let mut by_chart: BTreeMap<ChartKind, usize> = BTreeMap::new();
    for row in &parsed.rows {
        *by_chart.entry(row.chart).or_default() += 1;
    }
    assert_eq!(by_chart.values().sum::<usize>(), 13);
    assert_eq!(by_chart.len(), 5);
    assert_eq!(parsed.rejected.len(), 5);
}
