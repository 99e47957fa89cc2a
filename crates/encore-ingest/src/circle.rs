//! Circle Chart (formerly Gaon) weekly digital chart CSV, with Korean headers: `순위` (rank),
//! `곡명` or `제목` (title), `아티스트` or `가수` (artist), optionally `앨범` (album) and a date column
//! `날짜`, `기간` or `집계기간`. UTF-8 (with or without a byte-order mark) or EUC-KR, as Korean sites
//! and Excel save it.
//!
//! A row's week is labelled with the last date its date column names (`2017.01.01~2017.01.07`
//! gives 2017-01-07); without a date column, with the last date in the file's name
//! (`circle-digital-2017-01-07.csv`, `gaon_20170107.csv`).

use chrono::NaiveDate;
use encore_domain::{ChartEntry, ChartKind};

use crate::encoding::utf8_or_euc_kr;
use crate::report::{Parsed, Rejected};
use crate::table::{read_csv, CsvRow};

const COLUMNS: [&str; 3] = ["순위", "곡명|제목", "아티스트|가수"];
const OPTIONAL_COLUMNS: [&str; 1] = ["날짜|기간|집계기간"];
const DATE_COLUMN: &str = "날짜|기간|집계기간";

/// Parses one Circle chart file.
pub fn parse_circle(bytes: &[u8], file_name: &str) -> Parsed<ChartEntry> {
    let name_date = std::path::Path::new(file_name).file_name().and_then(|name| name.to_str()).and_then(last_date_in);
    let text = utf8_or_euc_kr(bytes);
    read_csv(&text, file_name, &COLUMNS, &OPTIONAL_COLUMNS, |row| entry(row, name_date))
}

fn entry(row: &CsvRow<'_>, name_date: Option<NaiveDate>) -> Result<ChartEntry, Rejected> {
    let rank = row.rank("순위")?;
    let title = row.required_text("곡명|제목")?;
    let artist = row.required_text("아티스트|가수")?;
    let date_text = row.text(DATE_COLUMN)?;
    let chart_date = match (row.has(DATE_COLUMN), last_date_in(date_text)) {
        (true, Some(date)) => date,
        (true, None) => {
            return Err(
                row.reject(DATE_COLUMN, format!("{date_text:?} names no date (YYYY-MM-DD, YYYY.MM.DD or YYYYMMDD)"))
            )
        }
        (false, _) => name_date.ok_or_else(|| {
            row.reject("", "neither a date column (날짜, 기간, 집계기간) nor the file name says which week this is")
        })?,
    };
    Ok(ChartEntry {
        source_file: row.file().to_string(),
        source_line: row.line(),
        ..ChartEntry::new(ChartKind::CircleWeekly, "kr", chart_date, rank, title, artist)
    })
}

/// The last date written in `text` as `YYYY-MM-DD`, `YYYY.MM.DD`, `YYYY/MM/DD` or `YYYYMMDD`.
pub(crate) fn last_date_in(text: &str) -> Option<NaiveDate> {
    // Split on bytes: every separator is then one byte long, so offsets add up.
    let runs: Vec<(usize, &str)> = text
        .as_bytes()
        .split(|byte| !byte.is_ascii_digit())
        .scan(0usize, |offset, run| {
            let start = *offset;
            *offset += run.len() + 1;
            Some((start, std::str::from_utf8(run).unwrap_or_default()))
        })
        .filter(|(_, run)| !run.is_empty())
        .collect();
    let mut found = None;
    for (index, &(start, run)) in runs.iter().enumerate() {
        let date = if run.len() == 8 {
            let number = |range: std::ops::Range<usize>| run.get(range).and_then(|digits| digits.parse::<u32>().ok());
            match (number(0..4).and_then(|year| i32::try_from(year).ok()), number(4..6), number(6..8)) {
                (Some(year), Some(month), Some(day)) => NaiveDate::from_ymd_opt(year, month, day),
                _ => None,
            }
        } else if run.len() == 4 {
            match (runs.get(index + 1), runs.get(index + 2)) {
                (Some(&(month_start, month)), Some(&(day_start, day)))
                    if month_start == start + 5
                        && day_start == month_start + month.len() + 1
                        && month.len() <= 2
                        && day.len() <= 2 =>
                {
                    let separators = (text.as_bytes().get(start + 4), text.as_bytes().get(month_start + month.len()));
                    let is_date_separator = |byte: Option<&u8>| matches!(byte, Some(b'-' | b'.' | b'/'));
                    (is_date_separator(separators.0) && is_date_separator(separators.1))
                        .then(|| NaiveDate::from_ymd_opt(run.parse().ok()?, month.parse().ok()?, day.parse().ok()?))
                        .flatten()
                }
                _ => None,
            }
        } else {
            None
        };
        found = date.or(found);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support;

    const FILE_BODY: &str = "순위,곡명,아티스트,앨범\n1,첫눈처럼 너에게 가겠다,에일리,도깨비 OST Part 9\n2,,다비치,태양의 후예 OST\nx,Stay With Me,찬열 (CHANYEOL),도깨비 OST Part 1\n";

    #[test]
    fn reads_utf8_and_euc_kr_alike() {
        let expected_rows =
            [r#"2017-01-07 kr #1 "첫눈처럼 너에게 가겠다" by 에일리, prev -, peak -, periods -, line 2"#];
        let expected_rejected = [
            "circle-digital-2017-01-07.csv:3: field `곡명`: is empty",
            "circle-digital-2017-01-07.csv:4: field `순위`: \"x\" is not a number",
        ];
        let utf8 = parse_circle(FILE_BODY.as_bytes(), "circle-digital-2017-01-07.csv");
        test_support::check(&utf8, &expected_rows, &expected_rejected);
        let (euc_kr, _, _) = encoding_rs::EUC_KR.encode(FILE_BODY);
        let decoded = parse_circle(&euc_kr, "circle-digital-2017-01-07.csv");
        test_support::check(&decoded, &expected_rows, &expected_rejected);
        assert!(decoded.rows.iter().all(|row| row.chart == ChartKind::CircleWeekly));
    }

    #[test]
    fn the_week_comes_from_the_date_column_or_else_the_name() {
        let with_column = "순위,제목,가수,기간\n1,T,A,2017.01.01~2017.01.07\n2,T,A,지난주\n";
        test_support::check(
            &parse_circle(with_column.as_bytes(), "gaon.csv"),
            &[r#"2017-01-07 kr #1 "T" by A, prev -, peak -, periods -, line 2"#],
            &["gaon.csv:3: field `기간`: \"지난주\" names no date (YYYY-MM-DD, YYYY.MM.DD or YYYYMMDD)"],
        );
        let undated = parse_circle("순위,곡명,아티스트\n1,T,A\n".as_bytes(), "chart.csv");
        assert_eq!(
            undated.rejected[0].to_string(),
            "chart.csv:2: neither a date column (날짜, 기간, 집계기간) nor the file name says which week this is"
        );
        assert_eq!(last_date_in("gaon_20170107.csv"), NaiveDate::from_ymd_opt(2017, 1, 7));
        assert_eq!(last_date_in("2016-12-25--2016-12-31"), NaiveDate::from_ymd_opt(2016, 12, 31));
        assert_eq!(last_date_in("2016 12 25"), None);
    }
}
