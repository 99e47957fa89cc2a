//! Drama metadata lists: MyDramaList exports (`korean_drama.csv`: `drama_name,year,tot_eps,
//! start_dt,end_dt,org_net`, dates as `Aug  2, 2023` or `2023-07-05`; `top100_kdrama.csv`:
//! `Title,Episodes,Start_date,End_date`, dates as `5/14/2021`) and Korean wiki tables (`제목`,
//! `방송 기간` as `2018년 3월 5일 ~ 2018년 4월 24일`, `방송 횟수` as `16부작`, `채널`, `방송 시작`).

use chrono::{Datelike, NaiveDate};
use encore_domain::{DramaMetadata, MetadataSource};

use crate::encoding::utf8_or_euc_kr;
use crate::report::{Parsed, Rejected};
use crate::table::{read_csv, CsvRow};

/// Parses a MyDramaList export. Empty dates or episode counts are `None`; unreadable ones reject
/// the row.
pub fn parse_mydramalist(bytes: &[u8], file_name: &str) -> Parsed<DramaMetadata> {
    let required = ["drama_name|Title", "tot_eps|Episodes", "start_dt|Start_date", "end_dt|End_date"];
    read_csv(bytes, file_name, &required, &["year", "org_net"], |row| {
        let premiere = english_date(row, "start_dt|Start_date")?;
        let year = match row.optional_number::<i32>("year")? {
            Some(year) => Some(year),
            None => premiere.map(|day| day.year()),
        };
        Ok(DramaMetadata {
            source: MetadataSource::MyDramaList,
            title: row.required_text("drama_name|Title")?.to_string(),
            year,
            episodes: row.optional_number("tot_eps|Episodes")?,
            premiere,
            finale: english_date(row, "end_dt|End_date")?,
            network: row.text("org_net")?.to_string(),
            source_file: row.file().to_string(),
            source_line: row.line(),
        })
    })
}

/// A day as MyDramaList writes it. A range (`Aug 30, 2017 - 2017`) gives its first day; a date
/// coarser than a day (`2017`, `May, 2021 - Jul, 2021`) is `None`, as the list does not know the day.
fn english_date(row: &CsvRow<'_>, column: &str) -> Result<Option<NaiveDate>, Rejected> {
    let text = row.text(column)?;
    if text.is_empty() {
        return Ok(None);
    }
    // `Aug  2, 2023` pads the day with a space: collapse runs of spaces first.
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let first = collapsed.split(" - ").next().unwrap_or_default();
    let day = ["%b %d, %Y", "%Y-%m-%d", "%m/%d/%Y", "%d-%b-%y"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(first, format).ok());
    if day.is_some() || is_coarse_date(first) {
        return Ok(day);
    }
    Err(row.reject(column, format!("{text:?} is not a date (\"Aug 2, 2023\", 2023-08-02, 8/2/2023 or 2-Aug-23)")))
}

/// `2017` or `May, 2021`: a year, maybe with a month name.
fn is_coarse_date(text: &str) -> bool {
    let year = text.rsplit(' ').next().unwrap_or_default();
    let month = text.strip_suffix(year).unwrap_or_default().trim_end_matches([',', ' ']);
    let is_month = month.is_empty() || NaiveDate::parse_from_str(&format!("1 {month} 2000"), "%d %b %Y").is_ok();
    year.len() == 4 && year.bytes().all(|byte| byte.is_ascii_digit()) && is_month
}

/// Parses a Korean wiki drama table. The period's first two dates are the premiere and the finale
/// (a finale without a year is in the premiere's year, or the next when it would come before);
/// later dates (reruns, specials) are ignored. When the period gives no day, `방송 시작` does. The
/// episode count is the first number of `방송 횟수` (`16부작 + 스페셜 3부작` is 16).
pub fn parse_korean_wiki_dramas(bytes: &[u8], file_name: &str) -> Parsed<DramaMetadata> {
    read_csv(
        &utf8_or_euc_kr(bytes),
        file_name,
        &["제목", "방송 기간", "방송 횟수", "채널"],
        &["방송 시작"],
        |row| {
            let period = row.text("방송 기간")?;
            let (mut premiere, finale) = korean_period(period);
            if premiere.is_none() {
                premiere =
                    row.text("방송 시작")?.get(..10).and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok());
            }
            if premiere.is_none() && !period.is_empty() {
                return Err(
                    row.reject("방송 기간", format!("{period:?} names no day (\"2018년 3월 5일 ~ 2018년 4월 24일\")"))
                );
            }
            let episodes_text = row.text("방송 횟수")?;
            let episodes = match first_number(episodes_text) {
                Some(count) => Some(count),
                None if episodes_text.is_empty() => None,
                None => {
                    return Err(row.reject("방송 횟수", format!("{episodes_text:?} has no episode count (\"16부작\")")))
                }
            };
            Ok(DramaMetadata {
                source: MetadataSource::KoreanWiki,
                title: row.required_text("제목")?.to_string(),
                year: premiere.map(|day| day.year()),
                episodes,
                premiere,
                finale,
                network: row.text("채널")?.to_string(),
                source_file: row.file().to_string(),
                source_line: row.line(),
            })
        },
    )
}

/// A number followed by 년, 월 or 일.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DatePart {
    value: u32,
    unit: char,
}

fn date_parts(text: &str) -> Vec<DatePart> {
    let mut parts = Vec::new();
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        let Some(mut value) = character.to_digit(10) else {
            continue;
        };
        while let Some(digit) = characters.peek().and_then(|next| next.to_digit(10)) {
            value = value.saturating_mul(10).saturating_add(digit);
            characters.next();
        }
        while characters.peek().is_some_and(|next| next.is_whitespace()) {
            characters.next();
        }
        if let Some(&unit @ ('년' | '월' | '일')) = characters.peek() {
            parts.push(DatePart { value, unit });
            characters.next();
        }
    }
    parts
}

/// The first `[Y년] M월 D일` of the parts, with its year when it states one.
fn first_day(parts: &[DatePart]) -> Option<(Option<i32>, u32, u32)> {
    let position = parts.windows(2).position(|pair| pair[0].unit == '월' && pair[1].unit == '일')?;
    let year = position
        .checked_sub(1)
        .and_then(|before| parts.get(before))
        .filter(|part| part.unit == '년')
        .and_then(|part| i32::try_from(part.value).ok());
    Some((year, parts[position].value, parts[position + 1].value))
}

/// The premiere and finale of a `방송 기간` cell.
fn korean_period(text: &str) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let (start_text, end_text) = match text.split_once('~') {
        Some((start, end)) => (start, Some(end)),
        None => (text, None),
    };
    let premiere = match first_day(&date_parts(start_text)) {
        Some((Some(year), month, day)) => NaiveDate::from_ymd_opt(year, month, day),
        _ => None,
    };
    let Some(premiere) = premiere else {
        return (None, None);
    };
    let Some(end_text) = end_text else {
        // One day: a single-episode special.
        return (Some(premiere), Some(premiere));
    };
    let finale = first_day(&date_parts(end_text)).and_then(|(year, month, day)| match year {
        Some(year) => NaiveDate::from_ymd_opt(year, month, day),
        None => NaiveDate::from_ymd_opt(premiere.year(), month, day)
            .filter(|finale| *finale >= premiere)
            .or_else(|| NaiveDate::from_ymd_opt(premiere.year() + 1, month, day)),
    });
    (Some(premiere), finale)
}

fn first_number(text: &str) -> Option<u32> {
    let digits: String =
        text.chars().skip_while(|character| !character.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    }

    #[test]
    fn korean_periods_read_their_first_run() {
        let check = |text: &str, premiere: &str, finale: &str| {
            assert_eq!(korean_period(text), (day(premiere), day(finale)), "{text:?}");
        };
        check("  2018년 3월 5일 ~ 2018년 4월 24일 ", "2018-03-05", "2018-04-24");
        check("2015년 6월 22일 ~ 8월 11일", "2015-06-22", "2015-08-11");
        check("2016년 12월 2일 ~ 1월 21일", "2016-12-02", "2017-01-21");
        check("2011년\u{a0}9월 28일\u{a0}~\u{a0}2011년\u{a0}12월 28일", "2011-09-28", "2011-12-28");
        check(
            " 2016년 2월 24일 ~ 2016년 4월 14일(본방), 2017년 11월 3일 ~ 2017년 12월 23일 (재방)",
            "2016-02-24",
            "2016-04-14",
        );
        check("2005년 12월 3일", "2005-12-03", "2005-12-03");
        check("ON AIR 2020년 2월 21일 ~", "2020-02-21", "");
        check("2020년 4월 ~ (예정)", "", "");
    }

    #[test]
    fn rows_with_bad_fields_are_rejected_and_the_rest_load() {
        let wiki = "제목,방송 기간,방송 횟수,채널,방송 시작\n\
                    그남자오수,  2018년 3월 5일 ~ 2018년 4월 24일 ,  16부작 ,  OCN ,2018-03-05 00:00:00\n\
                    태양의후예,,  16부작 (본편) 3부작 (스페셜) ,  KBS 2TV ,unknown\n\
                    예정,2020년 4월 ~ (예정),부작,JTBC,\n";
        let parsed = parse_korean_wiki_dramas(wiki.as_bytes(), "w.csv");
        assert_eq!(parsed.rows.len(), 2);
        let first = &parsed.rows[0];
        assert_eq!((first.title.as_str(), first.episodes, first.network.as_str()), ("그남자오수", Some(16), "OCN"));
        assert_eq!((first.premiere, first.finale, first.year), (day("2018-03-05"), day("2018-04-24"), Some(2018)));
        assert_eq!((parsed.rows[1].premiere, parsed.rows[1].episodes), (None, Some(16)));
        let rejected: Vec<String> = parsed.rejected.iter().map(ToString::to_string).collect();
        assert_eq!(
            rejected,
            ["w.csv:4: field `방송 기간`: \"2020년 4월 ~ (예정)\" names no day (\"2018년 3월 5일 ~ 2018년 4월 24일\")"]
        );

        let list = "kdrama_id,drama_name,year,tot_eps,start_dt,end_dt,org_net\n\
                    a,Sing My Crush,2023,8,\"Aug  2, 2023\",\"Aug  2, 2023\",\n\
                    b,Goblin,2016,16,2016-12-02,2017-01-21,tvN\n\
                    c,Broken,2020,x,2020-01-01,,\n";
        let parsed = parse_mydramalist(list.as_bytes(), "m.csv");
        let rows: Vec<_> = parsed.rows.iter().map(|row| (row.title.as_str(), row.premiere, row.finale)).collect();
        assert_eq!(
            rows,
            [("Sing My Crush", day("2023-08-02"), day("2023-08-02")), ("Goblin", day("2016-12-02"), day("2017-01-21"))]
        );
        assert_eq!(parsed.rejected[0].to_string(), "m.csv:4: field `tot_eps`: \"x\" is not a number");
        let top =
            parse_mydramalist(b"ID,Title,Episodes,Start_date,End_date\n1,Move to Heaven,10,5/14/2021,\n", "t.csv");
        assert_eq!((top.rows[0].premiere, top.rows[0].finale, top.rows[0].year), (day("2021-05-14"), None, Some(2021)));
    }
}
