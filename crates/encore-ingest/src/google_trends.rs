//! Google Trends "interest over time" exports (`multiTimeline.csv`): a `Category:` line (or its
//! translation, `카테고리: 모든 카테고리`) and a blank line, then a header naming the period
//! (`Day`, `Week`, `Month`, or `Time` in the newer export that has no category line) and one
//! column per search term as `KEYWORD: (GEO)`, then one row per period dated by its first day, with
//! whole numbers 0-100 relative to the largest in the file and `<1` for above zero but below one.

use encore_domain::{SearchInterest, SearchPeriod, SearchSource};

use crate::encoding::utf8_or_euc_kr;
use crate::korean_layout::cells_of_line;
use crate::report::{Parsed, Rejected};
use crate::search_trends::{finish, first_day, index_value};
use crate::table::each_record;

/// How many lines may come before the header (the category line and a blank line).
const LINES_BEFORE_HEADER: usize = 3;

/// One search term's column.
struct TermColumn {
    /// The header cell as written, which rejections name.
    header: String,
    keyword: String,
    geo: String,
}

/// The header row: a period column, then one `KEYWORD: (GEO)` column per search term.
struct Header {
    period_column: String,
    period: Option<SearchPeriod>,
    terms: Vec<TermColumn>,
}

fn header_of(cells: &[String]) -> Option<Header> {
    let (first, rest) = cells.split_first()?;
    let period_column = first.trim_start_matches('\u{FEFF}').trim().to_string();
    // A spreadsheet may leave empty cells at a row's end.
    let used = rest.iter().rposition(|cell| !cell.trim().is_empty()).map_or(0, |last| last + 1);
    if period_column.is_empty() || used == 0 {
        return None;
    }
    let terms = rest[..used].iter().map(|cell| term_of(cell)).collect::<Option<Vec<TermColumn>>>()?;
    Some(Header { period: period_named(&period_column), period_column, terms })
}

/// `Love Maybe: (South Korea)` as its keyword and geo.
fn term_of(cell: &str) -> Option<TermColumn> {
    let header = cell.trim();
    let (keyword, geo) = header.strip_suffix(')')?.rsplit_once(": (")?;
    let (keyword, geo) = (keyword.trim(), geo.trim());
    if keyword.is_empty() || geo.is_empty() {
        return None;
    }
    Some(TermColumn { header: header.to_string(), keyword: keyword.to_string(), geo: geo.to_string() })
}

/// The period a header's first column names, in English or Korean; `Time` (and anything else)
/// leaves it to the dates.
fn period_named(column: &str) -> Option<SearchPeriod> {
    match column.to_lowercase().as_str() {
        "day" | "일" => Some(SearchPeriod::Day),
        "week" | "주" => Some(SearchPeriod::Week),
        "month" | "월" => Some(SearchPeriod::Month),
        _ => None,
    }
}

/// Parses a Google Trends interest-over-time export: every term's value of every row, `<1` as 0.5
/// (marked `below_one`). A bad date rejects its row once, a bad value its term's cell.
pub fn parse_google_trends(bytes: &[u8], file_name: &str) -> Parsed<SearchInterest> {
    let text = utf8_or_euc_kr(bytes);
    let mut parsed = Parsed::default();
    let mut header: Option<Header> = None;
    let unreadable = each_record(&text, file_name, |line, record| match &header {
        Some(header) => read_row(header, record, file_name, line, &mut parsed),
        None => {
            let cells: Vec<String> = record.iter().map(|cell| String::from_utf8_lossy(cell).into_owned()).collect();
            header = header_of(&cells);
        }
    });
    parsed.rejected.extend(unreadable);
    let Some(header) = header else {
        if parsed.rejected.is_empty() {
            let reason = "no header row of a period column (Day, Week, Month, Time) and `KEYWORD: (GEO)` columns";
            parsed.rejected.push(Rejected::new(file_name, 1, "", reason));
        }
        return parsed;
    };
    finish(&mut parsed.rows, header.period);
    parsed
}

fn read_row(header: &Header, record: &csv::ByteRecord, file: &str, line: u64, parsed: &mut Parsed<SearchInterest>) {
    if record.iter().all(|cell| cell.trim_ascii().is_empty()) {
        return;
    }
    let reject = |field: &str, reason: String| Rejected::new(file, line, field, reason);
    let date_text = String::from_utf8_lossy(record.get(0).unwrap_or_default());
    let date = match first_day(&date_text) {
        Ok(date) => date,
        Err(reason) => return parsed.rejected.push(reject(&header.period_column, reason)),
    };
    for (index, term) in header.terms.iter().enumerate() {
        let Some(cell) = record.get(index + 1) else {
            parsed.rejected.push(reject(&term.header, "is missing".to_string()));
            continue;
        };
        let value = std::str::from_utf8(cell)
            .map_err(|error| format!("is not valid UTF-8 (bad byte at offset {})", error.valid_up_to()))
            .and_then(index_value);
        match value {
            Ok((value, below_one)) => parsed.rows.push(SearchInterest {
                source: SearchSource::GoogleTrends,
                keyword: term.keyword.clone(),
                geo: term.geo.clone(),
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
            Err(reason) => parsed.rejected.push(reject(&term.header, reason)),
        }
    }
}

/// Whether the first lines (decoded) are a Google Trends export: within the first few lines, a
/// header of a period column and `KEYWORD: (GEO)` columns.
pub(crate) fn is_google_trends(decoded: &str) -> bool {
    decoded.lines().take(LINES_BEFORE_HEADER + 1).any(|line| header_of(&cells_of_line(line)).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(parsed: &Parsed<SearchInterest>) -> Vec<String> {
        parsed
            .rows
            .iter()
            .map(|row| {
                let below = if row.below_one { " (<1)" } else { "" };
                format!("{}|{}|{} {}{below} {}", row.keyword, row.geo, row.date, row.value, row.period.as_str())
            })
            .collect()
    }

    fn rejections(parsed: &Parsed<SearchInterest>) -> Vec<String> {
        parsed.rejected.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_daily_export_with_below_one_and_a_bad_value() {
        let text = "\u{FEFF}Category: All categories\n\n\
                    Day,Love Maybe: (South Korea),Business Proposal: (South Korea)\n\
                    2022-01-02,12,<1\n2022-01-03,15,n/a\n";
        let parsed = parse_google_trends(text.as_bytes(), "multiTimeline.csv");
        assert_eq!(
            rows(&parsed),
            [
                "Love Maybe|South Korea|2022-01-02 12 day",
                "Business Proposal|South Korea|2022-01-02 0.5 (<1) day",
                "Love Maybe|South Korea|2022-01-03 15 day",
            ]
        );
        assert_eq!(
            rejections(&parsed),
            ["multiTimeline.csv:5: field `Business Proposal: (South Korea)`: \"n/a\" is not a number (0-100, or <1)"]
        );
        assert!(parsed.rows.iter().all(|row| row.range_end.to_string() == "2022-01-03"));
    }

    #[test]
    fn the_newer_export_korean_headers_and_a_bad_date() {
        let newer = "Time,사랑인가 봐: (Worldwide)\n2022-01-02,1\n2022-01-09,2\n2022-02-30,3\n";
        let parsed = parse_google_trends(newer.as_bytes(), "t.csv");
        assert_eq!(
            rows(&parsed),
            ["사랑인가 봐|Worldwide|2022-01-02 1 week", "사랑인가 봐|Worldwide|2022-01-09 2 week"]
        );
        assert_eq!(
            rejections(&parsed),
            ["t.csv:4: field `Time`: \"2022-02-30\" is not a date (YYYY-MM-DD, or YYYY-MM for a month)"]
        );
        let korean = "카테고리: 모든 카테고리\n\n월,\"Love, Maybe: (대한민국)\"\n2022-01,40\n";
        assert_eq!(
            rows(&parse_google_trends(korean.as_bytes(), "k.csv")),
            ["Love, Maybe|대한민국|2022-01-01 40 month"]
        );
        let none = parse_google_trends(b"Day,Love Maybe\n2022-01-02,1\n", "x.csv");
        assert_eq!(rejections(&none).len(), 1);
    }

    #[test]
    fn detection_reads_the_header() {
        assert!(is_google_trends("Category: All categories\n\nWeek,Goblin: (Worldwide)\n2017-01-01,3"));
        assert!(is_google_trends("Time,a: (South Korea),b: (South Korea)\n"));
        assert!(!is_google_trends("Day,Goblin\n2017-01-01,3\n"));
        assert!(!is_google_trends("date,subject,count\n"));
    }
}
