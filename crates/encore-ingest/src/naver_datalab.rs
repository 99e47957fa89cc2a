//! Naver DataLab search-trend exports (검색어트렌드), as saved from the downloaded workbook: a few
//! metadata lines (`네이버 데이터랩 검색어트렌드`, `기간,2022-01-01 ~ 2022-03-31`, `구간,일간`, the
//! keyword groups `주제어1,사내맞선,…`), then a header with `날짜` and one column per keyword group,
//! either after one shared date column (`날짜,사내맞선,사랑인가 봐`) or each after its own
//! (`날짜,사내맞선,날짜,사랑인가 봐`), then one row per day, week or month dated by its first day,
//! with decimal values 0-100 relative to the largest in the file. UTF-8 (with or without a
//! byte-order mark) or EUC-KR. A keyword's date column is the nearest `날짜` to its left.

use chrono::NaiveDate;
use encore_domain::{SearchInterest, SearchPeriod, SearchSource};

use crate::encoding::utf8_or_euc_kr;
use crate::korean_layout::{cells_of_line, Layout, PREAMBLE_LINES};
use crate::report::{Parsed, Rejected};
use crate::search_trends::{finish, first_day, index_value};
use crate::table::each_record;

/// The header of the date columns.
const DATE_COLUMN: &str = "날짜";

/// Words of Naver's own metadata lines, any of which before the header marks a Naver export.
const NAVER_MARKS: [&str; 3] = ["데이터랩", "검색어트렌드", "주제어"];

/// Naver writes every keyword as `geo` `kr`: DataLab counts searches on Naver, in Korea.
const NAVER_GEO: &str = "kr";

/// A keyword group's column and the date column it reads its dates from.
struct KeywordColumn {
    keyword: String,
    position: usize,
    date_position: usize,
}

/// The header row: `날짜` first, then keyword groups, each dated by the nearest `날짜` to its left.
fn keyword_columns(cells: &[String]) -> Option<Vec<KeywordColumn>> {
    let is_date = |cell: &str| cell.trim_start_matches('\u{FEFF}').trim() == DATE_COLUMN;
    if !is_date(cells.first()?) {
        return None;
    }
    let mut date_position = 0;
    let mut columns = Vec::new();
    for (position, cell) in cells.iter().enumerate() {
        let keyword = cell.trim();
        if is_date(keyword) {
            date_position = position;
        } else if !keyword.is_empty() {
            columns.push(KeywordColumn { keyword: keyword.to_string(), position, date_position });
        }
    }
    (!columns.is_empty()).then_some(columns)
}

/// The period a metadata line names (`구간,일간`, `구간 : 주간`), if it is that line.
fn period_named(cells: &[String]) -> Option<SearchPeriod> {
    let line = cells.join(",");
    let (_, after) = line.split_once("구간")?;
    [("일간", SearchPeriod::Day), ("주간", SearchPeriod::Week), ("월간", SearchPeriod::Month)]
        .into_iter()
        .find(|(word, _)| after.contains(word))
        .map(|(_, period)| period)
}

/// Parses a Naver DataLab search-trend export. Lines before the header are metadata (the period
/// is read from `구간`, else told by the dates); each row gives one value per keyword group. A bad
/// date rejects the groups dated by it on that line (named once), a bad value its group's cell.
pub fn parse_naver_datalab(bytes: &[u8], file_name: &str) -> Parsed<SearchInterest> {
    let text = utf8_or_euc_kr(bytes);
    let mut parsed = Parsed::default();
    let mut named_period = None;
    let mut columns: Option<Vec<KeywordColumn>> = None;
    let unreadable = each_record(&text, file_name, |line, record| match &columns {
        Some(columns) => read_row(columns, record, file_name, line, &mut parsed),
        None => {
            let cells: Vec<String> = record.iter().map(|cell| String::from_utf8_lossy(cell).into_owned()).collect();
            named_period = named_period.or_else(|| period_named(&cells));
            columns = keyword_columns(&cells);
        }
    });
    parsed.rejected.extend(unreadable);
    if columns.is_none() && parsed.rejected.is_empty() {
        let reason = format!("no header row starting with `{DATE_COLUMN}` and naming a keyword column");
        return Parsed::only_rejected(Rejected::new(file_name, 1, "", reason));
    }
    finish(&mut parsed.rows, named_period);
    parsed
}

fn read_row(
    columns: &[KeywordColumn],
    record: &csv::ByteRecord,
    file: &str,
    line: u64,
    parsed: &mut Parsed<SearchInterest>,
) {
    if record.iter().all(|cell| cell.trim_ascii().is_empty()) {
        return;
    }
    // Each date column is read once: a bad date is one rejection, however many groups it dates.
    let mut dates: Vec<(usize, Option<NaiveDate>)> = Vec::new();
    for column in columns {
        let date_cell = cell(record, column.date_position);
        let value_cell = cell(record, column.position);
        // A group with fewer rows than the others leaves its cells empty.
        if matches!((&date_cell, &value_cell), (Ok(""), Ok(""))) {
            continue;
        }
        let date = match dates.iter().find(|(position, _)| *position == column.date_position) {
            Some((_, date)) => *date,
            None => {
                let date = date_cell
                    .and_then(first_day)
                    .map_err(|reason| parsed.rejected.push(Rejected::new(file, line, DATE_COLUMN, reason)))
                    .ok();
                dates.push((column.date_position, date));
                date
            }
        };
        let Some(date) = date else {
            continue;
        };
        match value_cell.and_then(index_value) {
            Ok((value, below_one)) => parsed.rows.push(SearchInterest {
                source: SearchSource::NaverDataLab,
                keyword: column.keyword.clone(),
                geo: NAVER_GEO.to_string(),
                period: SearchPeriod::Day,
                date,
                value,
                below_one,
                range_start: date,
                range_end: date,
                source_file: file.to_string(),
                source_line: line,
                song_id: None,
                drama_id: None,
            }),
            Err(reason) => parsed.rejected.push(Rejected::new(file, line, column.keyword.as_str(), reason)),
        }
    }
}

/// A cell's text, trimmed; empty when the row is shorter.
fn cell(record: &csv::ByteRecord, position: usize) -> Result<&str, String> {
    let bytes = record.get(position).unwrap_or_default();
    std::str::from_utf8(bytes)
        .map(str::trim)
        .map_err(|error| format!("is not valid UTF-8 or EUC-KR (bad byte at offset {})", error.valid_up_to()))
}

/// Words of the title line Naver puts first, which alone mark an export whose header lies past the
/// bytes detection reads (many keyword groups make long metadata lines).
const NAVER_TITLES: [&str; 2] = ["데이터랩", "검색어트렌드"];

/// Whether the first lines (decoded) are a Naver DataLab export: a header row starting with
/// `날짜` that is no ranked list's, after Naver's own metadata lines or before a row of dates and
/// values; or, when no header is in sight, Naver's title in the first line.
pub(crate) fn is_naver_datalab(decoded: &str) -> bool {
    let lines: Vec<&str> = decoded.lines().take(PREAMBLE_LINES + 2).collect();
    let Some((position, columns)) =
        lines.iter().enumerate().find_map(|(position, line)| Some((position, keyword_columns(&cells_of_line(line))?)))
    else {
        let first_line = lines.first().copied().unwrap_or_default();
        return NAVER_TITLES.iter().any(|title| first_line.contains(title));
    };
    if Layout::of_header(&cells_of_line(lines[position]), None).is_some() {
        return false;
    }
    let marked = lines[..position].iter().any(|line| NAVER_MARKS.iter().any(|mark| line.contains(mark)));
    let values_follow = lines.get(position + 1).is_some_and(|line| {
        let cells = cells_of_line(line);
        let text = |position: usize| cells.get(position).map_or("", |cell| cell.trim());
        columns.iter().all(|column| {
            (text(column.date_position).is_empty() && text(column.position).is_empty())
                || (first_day(text(column.date_position)).is_ok() && index_value(text(column.position)).is_ok())
        }) && !text(0).is_empty()
    });
    marked || values_follow
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(parsed: &Parsed<SearchInterest>) -> Vec<String> {
        parsed
            .rows
            .iter()
            .map(|row| {
                let period = row.period.as_str();
                format!(
                    "{} {} {} {} {period} {}..{}",
                    row.keyword, row.date, row.value, row.geo, row.range_start, row.range_end
                )
            })
            .collect()
    }

    fn rejections(parsed: &Parsed<SearchInterest>) -> Vec<String> {
        parsed.rejected.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_date_column_per_group_and_the_period_from_the_metadata() {
        let text = "네이버 데이터랩 검색어트렌드\n기간,2022-01-03 ~ 2022-01-10\n구간,주간\n\n\
                    주제어1,사내맞선,주제어2,사랑인가 봐\n\
                    날짜,사내맞선,날짜,사랑인가 봐\n\
                    2022-01-03,3.21455,2022-01-03,0.52\n\
                    2022-01-10,100,2022-01-10,x\n";
        let parsed = parse_naver_datalab(text.as_bytes(), "n.csv");
        assert_eq!(
            rows(&parsed),
            [
                "사내맞선 2022-01-03 3.21455 kr week 2022-01-03..2022-01-10",
                "사랑인가 봐 2022-01-03 0.52 kr week 2022-01-03..2022-01-10",
                "사내맞선 2022-01-10 100 kr week 2022-01-03..2022-01-10",
            ]
        );
        assert_eq!(rejections(&parsed), ["n.csv:8: field `사랑인가 봐`: \"x\" is not a number (0-100, or <1)"]);
    }

    #[test]
    fn a_shared_date_column_the_period_from_the_dates_and_a_bad_date_named_once() {
        let text = "날짜,사내맞선,사랑인가 봐\r\n2022-01-01,1.5,2\r\n2022-01-02,3,4\r\n2022-01-32,5,6\r\n";
        let parsed = parse_naver_datalab(text.as_bytes(), "n.csv");
        assert_eq!(parsed.rows.len(), 4);
        assert!(parsed.rows.iter().all(|row| row.period == SearchPeriod::Day));
        assert_eq!(
            rejections(&parsed),
            ["n.csv:4: field `날짜`: \"2022-01-32\" is not a date (YYYY-MM-DD, or YYYY-MM for a month)"]
        );
    }

    #[test]
    fn euc_kr_reads_as_utf8_and_a_file_without_header_is_one_rejection() {
        let (euc_kr, _, _) = encoding_rs::EUC_KR.encode("구간,월간\n날짜,사내맞선\n2022-01-01,10\n2022-02-01,20\n");
        let parsed = parse_naver_datalab(&euc_kr, "n.csv");
        assert_eq!(rows(&parsed)[1], "사내맞선 2022-02-01 20 kr month 2022-01-01..2022-02-01");
        let none = parse_naver_datalab(b"a,b\n1,2\n", "n.csv");
        assert_eq!(rejections(&none), ["n.csv:1: no header row starting with `날짜` and naming a keyword column"]);
    }

    #[test]
    fn detection_needs_naver_marks_or_values_under_the_header() {
        assert!(is_naver_datalab("네이버 데이터랩 검색어트렌드\n\n날짜,사내맞선,날짜,사랑인가 봐\n"));
        assert!(is_naver_datalab("날짜,사내맞선,사랑인가 봐\n2022-01-01,3.2,0\n"));
        assert!(is_naver_datalab("네이버 데이터랩 검색어트렌드\n주제어1,사내맞선,사내 맞선,사내맞선 ost"));
        assert!(!is_naver_datalab("날짜,사내맞선\nhello,world\n"));
        assert!(!is_naver_datalab("날짜,순위,곡,가수\n2022-01-01,1,a,b\n"));
        assert!(!is_naver_datalab("date,subject,count\n2022-01-01,a,1\n"));
    }
}
