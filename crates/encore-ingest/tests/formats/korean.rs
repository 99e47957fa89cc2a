//! Korean platform charts and mapped ranked lists, from the hand-written files in
//! `tests/fixtures/korean/`, each in UTF-8 and again re-encoded as EUC-KR.

use std::path::{Path, PathBuf};

use encore_domain::{ChartEntry, ChartKind, ChartPeriod, KoreanChart};
use encore_ingest::{chart_of, detect_format, parse_chart_with, ChartOptions, Parsed, SourceFormat};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/korean").join(name)
}

/// `genie_daily 2022-01-01 #1 "Drawer" by 10CM, line 2`, with `@13h` for a snapshot's hour.
fn summary(entry: &ChartEntry) -> String {
    let hour = entry.snapshot_hour.map(|hour| format!("@{hour}h")).unwrap_or_default();
    format!(
        "{} {}{hour} #{} {:?} by {}, line {}",
        entry.chart.dataset(),
        entry.chart_date,
        entry.rank,
        entry.title,
        entry.artist,
        entry.source_line
    )
}

fn parse(bytes: &[u8], name: &str, options: &ChartOptions) -> Parsed<ChartEntry> {
    parse_chart_with(SourceFormat::KoreanChart, bytes, name, options)
}

fn check_parsed(parsed: &Parsed<ChartEntry>, expected_rows: &[&str], expected_rejected: &[&str], what: &str) {
    let rows: Vec<String> = parsed.rows.iter().map(summary).collect();
    let rejected: Vec<String> = parsed.rejected.iter().map(ToString::to_string).collect();
    assert_eq!(rows, expected_rows, "rows of {what}");
    assert_eq!(rejected, expected_rejected, "rejected of {what}");
}

/// Reads a fixture as it is and as EUC-KR (as Excel saves it on Korean Windows): the format is
/// detected, and both give the same rows and rejections.
fn check(name: &str, options: &ChartOptions, expected_rows: &[&str], expected_rejected: &[&str]) {
    let utf8 = std::fs::read(fixture(name)).unwrap();
    let text = String::from_utf8(utf8.clone()).unwrap();
    let (euc_kr, _, unmappable) = encoding_rs::EUC_KR.encode(text.trim_start_matches('\u{FEFF}'));
    assert!(!unmappable, "{name} has characters EUC-KR lacks");
    for (encoding, bytes) in [("UTF-8", utf8.as_slice()), ("EUC-KR", euc_kr.as_ref())] {
        if options.columns.is_none() {
            let detected = detect_format(Path::new(name), &bytes[..bytes.len().min(2048)]).ok();
            assert_eq!(detected, Some(SourceFormat::KoreanChart), "{name} in {encoding}");
        }
        check_parsed(&parse(bytes, name, options), expected_rows, expected_rejected, &format!("{name} in {encoding}"));
    }
}

/// A ranked list in a layout Encore does not know; the date an Excel serial (2022-01-01).
const MY_LIST: &str = "pos,name,by,day\n1,Drawer,10CM,44562\n2,Christmas Tree,V,44562\n";

fn no_options() -> ChartOptions {
    ChartOptions::default()
}

fn told(chart: &str) -> ChartOptions {
    ChartOptions { chart: ChartKind::from_chart_spec(chart), columns: None }
}

#[test]
fn genie_and_bugs_files_in_the_crawled_layout() {
    check(
        "day_genie_20220101.csv",
        &no_options(),
        &[
            r#"genie_daily 2022-01-01 #1 "Drawer" by 10CM, line 2"#,
            r#"genie_daily 2022-01-01 #2 "Christmas Tree" by V, line 3"#,
        ],
        &["day_genie_20220101.csv:4: field `순위`: \"삼\" is not a number"],
    );
    // The weekly file names the week's Monday; the week runs to Sunday, the date stored.
    check(
        "week_bugs_20220103.csv",
        &no_options(),
        &[
            r#"bugs_weekly 2022-01-09 #1 "Drawer" by 10CM, line 2"#,
            r#"bugs_weekly 2022-01-09 #2 "사랑인가 봐" by 멜로망스, line 3"#,
        ],
        &["week_bugs_20220103.csv:4: field `곡`: is empty"],
    );
}

#[test]
fn metadata_lines_before_the_header_are_skipped_and_a_snapshot_keeps_its_hour() {
    check(
        "melon-realtime-2022-01-01-13.csv",
        &no_options(),
        &[
            r#"melon_realtime 2022-01-01@13h #1 "Drawer" by 10CM, line 5"#,
            r#"melon_realtime 2022-01-01@13h #2 "Christmas Tree" by V, line 6"#,
        ],
        &[],
    );
}

#[test]
fn english_headers_monthly_and_year_end_charts_dated_by_their_last_day() {
    check(
        "flo_monthly_2022-01.csv",
        &no_options(),
        &[
            r#"flo_monthly 2022-01-31 #1 "Drawer" by 10CM, line 2"#,
            r#"flo_monthly 2022-01-31 #2 "Christmas Tree" by V, line 3"#,
        ],
        &[],
    );
    check(
        "vibe-year-end-2021.csv",
        &no_options(),
        &[r#"vibe_year_end 2021-12-31 #1 "Drawer" by 10CM, line 2"#],
        &["vibe-year-end-2021.csv:3: field `rank`: \"0\" is not a rank (ranks start at 1)"],
    );
}

#[test]
fn a_site_column_names_the_platform_and_other_sites_are_rejected() {
    check(
        "daily-by-site.csv",
        &no_options(),
        &[
            r#"genie_daily 2022-01-02 #1 "Drawer" by 10CM, line 2"#,
            r#"genie_daily 2022-01-02 #2 "Christmas Tree" by V, line 3"#,
        ],
        &["daily-by-site.csv:4: field `사이트`: names Bugs, but this file's rows go to genie_daily: give each site its own file"],
    );
}

#[test]
fn a_release_date_is_never_the_chart_date() {
    check(
        "genie_daily_20220305.csv",
        &no_options(),
        &[r#"genie_daily 2022-03-05 #1 "사랑인가 봐" by 멜로망스, line 2"#],
        &[],
    );
}

#[test]
fn the_user_names_the_chart_over_the_file_name() {
    check(
        "day_genie_20220101.csv",
        &told("melon:daily"),
        &[
            r#"melon_daily 2022-01-01 #1 "Drawer" by 10CM, line 2"#,
            r#"melon_daily 2022-01-01 #2 "Christmas Tree" by V, line 3"#,
        ],
        &["day_genie_20220101.csv:4: field `순위`: \"삼\" is not a number"],
    );
}

#[test]
fn an_unknown_layout_names_its_headers_and_the_way_out() {
    // Not a file in `fixtures/`: the pipeline's tests ingest that folder whole and expect every
    // file there to load.
    let bytes = MY_LIST.as_bytes();
    assert!(detect_format(Path::new("my-list.csv"), bytes).is_err());
    let error = chart_of(SourceFormat::KoreanChart, "my-list.csv", bytes, &told("genie:daily")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "my-list.csv: no header with a rank, a title and an artist column in its first lines (it starts with: \
         pos,name,by,day); map its columns with --columns rank=COL,title=COL,artist=COL,date=COL (columns= on \
         upload) and name its chart with --chart PLATFORM:PERIOD"
    );
    let mapped = ChartOptions {
        columns: Some("rank=pos,title=name,artist=by,date=day".parse().unwrap()),
        ..told("genie:daily")
    };
    check_parsed(
        &parse(bytes, "my-list.csv", &mapped),
        &[
            r#"genie_daily 2022-01-01 #1 "Drawer" by 10CM, line 2"#,
            r#"genie_daily 2022-01-01 #2 "Christmas Tree" by V, line 3"#,
        ],
        &[],
        "my-list.csv",
    );
    let unnamed = chart_of(SourceFormat::KoreanChart, "my-list.csv", bytes, &ChartOptions { chart: None, ..mapped });
    let message = unnamed.unwrap_err().to_string();
    assert!(message.starts_with("cannot tell which chart my-list.csv is (neither a platform nor a period is named)"));
    assert!(message.contains("--chart PLATFORM:PERIOD"), "{message}");
}

#[test]
fn circle_week_numbers_give_the_saturday_ending_the_week() {
    check(
        "circle-weeks.csv",
        &no_options(),
        &[
            r#"circle_weekly 2020-02-22 #1 "마음을 드려요" by 아이유 (IU), line 2"#,
            r#"circle_weekly 2020-02-15 #71 "마음을 드려요" by 아이유 (IU), line 3"#,
            r#"circle_weekly 2020-01-04 #3 "아무노래 (Feat. A, B)" by 지코 (ZICO), X, line 4"#,
        ],
        &["circle-weeks.csv:5: field `time`: 2016 has no week 53"],
    );
}

/// Every platform and period, from a file whose name says which, in UTF-8 and EUC-KR.
#[test]
fn every_korean_chart_reads_from_its_file_name() {
    for chart in KoreanChart::ALL {
        let (name_date, expected_date) = match chart.period() {
            ChartPeriod::RealTime => ("2022-01-03-09", "2022-01-03@9h"),
            ChartPeriod::Day => ("20220103", "2022-01-03"),
            ChartPeriod::Week if chart.platform() == encore_domain::Platform::Circle => ("20220108", "2022-01-08"),
            ChartPeriod::Week => ("20220103", "2022-01-09"),
            ChartPeriod::Month => ("2022-01", "2022-01-31"),
            ChartPeriod::Year => ("2021", "2021-12-31"),
        };
        let name = format!("{}_{}_{name_date}.csv", chart.platform().name(), chart.period().name());
        let text = "순위,곡명,가수,앨범\n1,첫눈처럼 너에게 가겠다,에일리,도깨비 OST Part 9\n";
        let (euc_kr, _, _) = encoding_rs::EUC_KR.encode(text);
        for bytes in [text.as_bytes(), euc_kr.as_ref()] {
            let expected =
                format!(r#"{} {expected_date} #1 "첫눈처럼 너에게 가겠다" by 에일리, line 2"#, chart.dataset());
            check_parsed(&parse(bytes, &name, &no_options()), &[expected.as_str()], &[], &name);
            let dataset = chart_of(SourceFormat::KoreanChart, &name, bytes, &no_options()).map(ChartKind::dataset);
            assert_eq!(dataset.ok(), Some(chart.dataset()), "{name}");
        }
    }
}
