//! Korean platform chart CSV (Melon, Genie, Bugs, FLO, VIBE, Circle; real-time to year-end) and
//! any other ranked list whose columns the user maps (`--columns`). UTF-8 (with or without a
//! byte-order mark) or EUC-KR; metadata lines before the header are skipped; headers in Korean or
//! English (see `korean_layout`).
//!
//! Which chart a file is comes from, in order: the user (`--chart genie:daily`), a site column
//! (`멜론`, `Genie`, …, maybe with a period: `지니 일간`), the file's name
//! (`day_genie_20220101.xlsx`, `melon-realtime-2022-01-01-13.csv`), then the format's default
//! (`circle` is Circle weekly; `year,time` week numbers are Circle's). A row's date comes from its
//! date column, Circle's week numbers, or else the file's name (see `korean_dates`).

use encore_domain::{ChartEntry, ChartKind, ChartPeriod, Platform};

use crate::encoding::utf8_or_euc_kr;
use crate::error::IngestError;
use crate::korean_dates::{chart_date_of, circle_week_end, parse_date_cell, parse_name_date, DateLabel};
use crate::korean_layout::{synonyms_of, ColumnMap, Layout, Role, PREAMBLE_LINES};
use crate::report::{Parsed, Rejected};
use crate::table::LineCounter;

/// What the user says about chart files: which chart they are, how their columns map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartOptions {
    /// `--chart PLATFORM:PERIOD` (or a dataset name): overrides the site column and the name.
    pub chart: Option<ChartKind>,
    /// `--columns rank=COL,title=COL,artist=COL[,date=COL][,album=COL]`.
    pub columns: Option<ColumnMap>,
}

/// A file's rows after its header, as decoded bytes.
struct Table {
    header: Vec<String>,
    layout: Layout,
    rows: Vec<(u64, csv::ByteRecord)>,
    /// Where the CSV became unreadable, if it did (reading stops there).
    unreadable: Option<Rejected>,
}

/// Reads the file's header (within the first lines) and its rows, the first `row_limit` of them
/// when given.
fn read_table(
    bytes: &[u8],
    file: &str,
    columns: Option<&ColumnMap>,
    row_limit: Option<usize>,
) -> Result<Table, IngestError> {
    let text = utf8_or_euc_kr(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_ref());
    let mut first_lines: Vec<String> = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut found: Option<(Vec<String>, Layout)> = None;
    while found.is_none() && first_lines.len() <= PREAMBLE_LINES {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) | Err(_) => break,
        }
        let cells: Vec<String> = record.iter().map(|cell| String::from_utf8_lossy(cell).trim().to_string()).collect();
        found = Layout::of_header(&cells, columns).map(|layout| (cells.clone(), layout));
        first_lines.push(cells.join(","));
    }
    let Some((header, layout)) = found else {
        let seen = first_lines.first().cloned().unwrap_or_default();
        return Err(IngestError::UnknownLayout {
            file: file.to_string(),
            headers: seen,
            columns: columns.map(ToString::to_string),
        });
    };
    let mut rows = Vec::new();
    let mut unreadable = None;
    let mut lines = LineCounter::new(text.as_ref());
    while row_limit.is_none_or(|limit| rows.len() < limit) {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                let line = lines.line_of(&record);
                rows.push((line, record.clone()));
            }
            Ok(false) => break,
            Err(error) => {
                let line = error.position().map_or(0, csv::Position::line);
                unreadable = Some(Rejected::new(file, line, "", format!("unreadable CSV: {error}")));
                break;
            }
        }
    }
    Ok(Table { header, layout, rows, unreadable })
}

/// Which chart a Korean chart file's rows belong to (see the module's order), or why that cannot
/// be told. `default` is the format's own chart, if it has one.
pub fn korean_chart_of(
    bytes: &[u8],
    file_name: &str,
    options: &ChartOptions,
    default: Option<ChartKind>,
) -> Result<ChartKind, IngestError> {
    // The header and the first row (its site cell) tell the chart.
    let table = read_table(bytes, file_name, options.columns.as_ref(), Some(1))?;
    chart_of_table(&table, file_name, options, default)
}

fn chart_of_table(
    table: &Table,
    file_name: &str,
    options: &ChartOptions,
    default: Option<ChartKind>,
) -> Result<ChartKind, IngestError> {
    if let Some(chart) = options.chart {
        return Ok(chart);
    }
    let site = table.layout.position(Role::Site).and_then(|position| {
        let (_, first_row) = table.rows.first()?;
        Some(platform_and_period(&String::from_utf8_lossy(first_row.get(position)?)))
    });
    let base_name = std::path::Path::new(file_name).file_name().and_then(|name| name.to_str()).unwrap_or(file_name);
    let by_name = platform_and_period(base_name);
    let default_platform = default.and_then(korean_platform);
    let week_numbers = table.layout.has_week_numbers().then_some((Platform::Circle, ChartPeriod::Week));
    let platform =
        site.and_then(|site| site.0).or(by_name.0).or(week_numbers.map(|(platform, _)| platform)).or(default_platform);
    let period = site
        .and_then(|site| site.1)
        .or(by_name.1)
        .or(week_numbers.map(|(_, period)| period))
        .or(default.filter(|chart| korean_platform(*chart) == platform).map(ChartKind::period))
        .or((platform == Some(Platform::Circle)).then_some(ChartPeriod::Week));
    let found = match (platform, period) {
        (Some(platform), Some(period)) => match ChartKind::korean(platform, period) {
            Some(chart) => return Ok(chart),
            None => format!("{platform:?} publishes no {} chart", period.name()),
        },
        (Some(platform), None) => format!("the platform is {platform:?} but no period is named"),
        (None, Some(period)) => format!("the period is {} but no platform is named", period.name()),
        (None, None) => "neither a platform nor a period is named".to_string(),
    };
    Err(IngestError::UnknownChart { file: file_name.to_string(), found })
}

fn korean_platform(chart: ChartKind) -> Option<Platform> {
    match chart {
        ChartKind::Korean(korean) => Some(korean.platform()),
        _ => None,
    }
}

/// The platform and period named among the words of `text` (a site cell or a file name).
fn platform_and_period(text: &str) -> (Option<Platform>, Option<ChartPeriod>) {
    let lower = text.to_lowercase();
    let words: Vec<&str> =
        lower.split(|character: char| !character.is_alphanumeric()).filter(|word| !word.is_empty()).collect();
    let platform = words.iter().find_map(|word| Platform::from_name(word));
    let real_time = ["realtime", "real-time", "real_time", "real time"].iter().any(|name| lower.contains(name));
    let period = if real_time {
        Some(ChartPeriod::RealTime)
    } else {
        words.iter().find_map(|word| ChartPeriod::from_name(word))
    };
    (platform, period)
}

/// Parses a Korean chart file (or a ranked list mapped by `options.columns`); the chart as
/// [`korean_chart_of`] tells it. A file whose header or chart cannot be told is one rejection.
pub fn parse_korean_chart(bytes: &[u8], file_name: &str, options: &ChartOptions) -> Parsed<ChartEntry> {
    parse_with_default(bytes, file_name, options, None)
}

/// Parses a Circle (Gaon) chart file: a Korean chart file that is Circle weekly unless the user,
/// a site column or the file's name says otherwise.
pub fn parse_circle(bytes: &[u8], file_name: &str) -> Parsed<ChartEntry> {
    parse_with_default(bytes, file_name, &ChartOptions::default(), Some(ChartKind::CIRCLE_WEEKLY))
}

pub(crate) fn parse_with_default(
    bytes: &[u8],
    file_name: &str,
    options: &ChartOptions,
    default: Option<ChartKind>,
) -> Parsed<ChartEntry> {
    let table = match read_table(bytes, file_name, options.columns.as_ref(), None) {
        Ok(table) => table,
        Err(error) => return Parsed::only_rejected(Rejected::new(file_name, 1, "", error.to_string())),
    };
    let chart = match chart_of_table(&table, file_name, options, default) {
        Ok(chart) => chart,
        Err(error) => return Parsed::only_rejected(Rejected::new(file_name, 1, "", error.to_string())),
    };
    let name_date = parse_name_date(file_name);
    let mut parsed = Parsed::default();
    for (line, record) in &table.rows {
        let row = Row { file: file_name, line: *line, record, table: &table };
        parsed.push(row.entry(chart, name_date));
    }
    parsed.rejected.extend(table.unreadable);
    parsed
}

/// One data row, its cells addressed by role.
struct Row<'a> {
    file: &'a str,
    line: u64,
    record: &'a csv::ByteRecord,
    table: &'a Table,
}

impl Row<'_> {
    fn reject(&self, role: Option<Role>, reason: impl Into<String>) -> Rejected {
        let field = role
            .and_then(|role| self.table.layout.position(role))
            .and_then(|position| self.table.header.get(position))
            .cloned()
            .unwrap_or_default();
        Rejected::new(self.file, self.line, field, reason)
    }

    /// The cell of `role`, trimmed; empty when the file has no such column.
    fn text(&self, role: Role) -> Result<&str, Rejected> {
        let Some(bytes) = self.table.layout.position(role).and_then(|position| self.record.get(position)) else {
            return Ok("");
        };
        std::str::from_utf8(bytes).map(str::trim).map_err(|error| {
            self.reject(
                Some(role),
                format!("is not valid UTF-8 or EUC-KR (bad byte at offset {})", error.valid_up_to()),
            )
        })
    }

    fn required(&self, role: Role) -> Result<&str, Rejected> {
        let text = self.text(role)?;
        if text.is_empty() {
            return Err(self.reject(Some(role), "is empty"));
        }
        Ok(text)
    }

    fn number(&self, role: Role) -> Result<u32, Rejected> {
        let text = self.required(role)?;
        let digits = text.trim_end_matches('위');
        let digits = digits.strip_suffix(".0").unwrap_or(digits);
        digits.parse().map_err(|_| self.reject(Some(role), format!("{text:?} is not a number")))
    }

    fn entry(&self, chart: ChartKind, name_date: Option<DateLabel>) -> Result<ChartEntry, Rejected> {
        if self.record.len() != self.table.header.len() {
            let reason = format!("has {} fields where the header has {}", self.record.len(), self.table.header.len());
            return Err(self.reject(None, reason));
        }
        let rank = self.number(Role::Rank)?;
        if rank == 0 {
            return Err(self.reject(Some(Role::Rank), "\"0\" is not a rank (ranks start at 1)"));
        }
        let title = self.required(Role::Title)?;
        let artist = self.required(Role::Artist)?;
        self.check_site(chart)?;
        let (chart_date, snapshot_hour) = self.chart_date(chart, name_date)?;
        // The album is evidence, not a fact the row needs: an unreadable one is left out.
        let album = self.text(Role::Album).unwrap_or_default();
        Ok(ChartEntry {
            snapshot_hour,
            album: (!album.is_empty()).then(|| album.to_string()),
            source_file: self.file.to_string(),
            source_line: self.line,
            ..ChartEntry::new(chart, "kr", chart_date, rank, title, artist)
        })
    }

    /// A row whose site names another platform than the file's chart is not that chart's.
    fn check_site(&self, chart: ChartKind) -> Result<(), Rejected> {
        let site = self.text(Role::Site)?;
        if site.is_empty() {
            return Ok(());
        }
        match (platform_and_period(site).0, korean_platform(chart)) {
            (Some(platform), Some(expected)) if platform == expected => Ok(()),
            (Some(platform), _) => Err(self.reject(
                Some(Role::Site),
                format!(
                    "names {platform:?}, but this file's rows go to {}: give each site its own file",
                    chart.dataset()
                ),
            )),
            (None, _) => {
                Err(self.reject(Some(Role::Site), format!("{site:?} names no platform ({})", platform_names())))
            }
        }
    }

    fn chart_date(
        &self,
        chart: ChartKind,
        name_date: Option<DateLabel>,
    ) -> Result<(chrono::NaiveDate, Option<u8>), Rejected> {
        if self.table.layout.has(Role::Date) {
            let text = self.required(Role::Date)?;
            let label = parse_date_cell(text).ok_or_else(|| {
                self.reject(
                    Some(Role::Date),
                    format!("{text:?} is not a date (2022-01-01, 2022.01.01, 20220101, 2022/01/01 or an Excel serial number)"),
                )
            })?;
            let label = self.with_hour(label)?;
            return chart_date_of(chart, label)
                .map_err(|reason| self.reject(Some(Role::Date), format!("{text:?} {reason}")));
        }
        if self.table.layout.has_week_numbers() {
            let year = self.number(Role::Year)?;
            let week = self.number(Role::Week)?;
            if chart.period() != ChartPeriod::Week {
                return Err(self
                    .reject(Some(Role::Week), format!("week numbers do not date a {} chart", chart.period().name())));
            }
            let year = i32::try_from(year).unwrap_or(0);
            let saturday = circle_week_end(year, week)
                .ok_or_else(|| self.reject(Some(Role::Week), format!("{year} has no week {week}")))?;
            return Ok((saturday, None));
        }
        let label = name_date.ok_or_else(|| {
            let names = synonyms_of(Role::Date).join(", ");
            self.reject(
                None,
                format!("neither a date column ({names}) nor the file name says which chart issue this is"),
            )
        })?;
        let label = self.with_hour(label)?;
        chart_date_of(chart, label).map_err(|reason| self.reject(None, format!("the file name {reason}")))
    }

    /// The label with the hour column's hour, when the file has one.
    fn with_hour(&self, label: DateLabel) -> Result<DateLabel, Rejected> {
        let text = self.text(Role::Hour)?;
        if text.is_empty() {
            return Ok(label);
        }
        let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
        let hour = digits.parse::<u8>().ok().filter(|hour| *hour < 24);
        match (label, hour) {
            (DateLabel::Day { first, day, .. }, Some(hour)) => Ok(DateLabel::Day { first, day, hour: Some(hour) }),
            _ => Err(self.reject(Some(Role::Hour), format!("{text:?} is not an hour of a day (0-23)"))),
        }
    }
}

fn platform_names() -> String {
    let names: Vec<&str> = Platform::ALL.iter().flat_map(|platform| platform.spellings().iter().copied()).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support;

    fn check(body: &str, file_name: &str, expected_rows: &[&str], expected_rejected: &[&str]) {
        test_support::check(&parse_circle(body.as_bytes(), file_name), expected_rows, expected_rejected);
    }

    #[test]
    fn a_circle_week_comes_from_its_date_column_or_else_the_name() {
        check(
            "순위,제목,가수,기간\n1,T,A,2017.01.01~2017.01.07\n2,T,A,지난주\n",
            "gaon.csv",
            &[r#"2017-01-07 kr #1 "T" by A, prev -, peak -, periods -, line 2"#],
            &["gaon.csv:3: field `기간`: \"지난주\" is not a date (2022-01-01, 2022.01.01, 20220101, 2022/01/01 or an Excel serial number)"],
        );
        check(
            "순위,곡명,아티스트\n1,T,A\n",
            "chart.csv",
            &[],
            &["chart.csv:2: neither a date column (날짜, 일자, 기간, 집계기간, 차트일, date, chart_date, period) nor the file name says which chart issue this is"],
        );
        check(
            "순위,곡명,아티스트,앨범\n1,첫눈처럼 너에게 가겠다,에일리,도깨비 OST Part 9\nx,T,A,B\n2,T\n",
            "circle-digital-2017-01-07.csv",
            &[r#"2017-01-07 kr #1 "첫눈처럼 너에게 가겠다" by 에일리, prev -, peak -, periods -, line 2"#],
            &[
                "circle-digital-2017-01-07.csv:3: field `순위`: \"x\" is not a number",
                "circle-digital-2017-01-07.csv:4: has 2 fields where the header has 4",
            ],
        );
    }

    #[test]
    fn the_chart_comes_from_the_user_then_the_site_then_the_name() {
        let chart = |body: &str, file_name: &str, told: Option<&str>| {
            let options = ChartOptions { chart: told.and_then(ChartKind::from_chart_spec), columns: None };
            korean_chart_of(body.as_bytes(), file_name, &options, None)
                .map(ChartKind::dataset)
                .map_err(|error| error.to_string())
        };
        let plain = "순위,곡,가수\n1,T,A\n";
        let with_site = "사이트,순위,곡,가수\n멜론 주간,1,T,A\n";
        assert_eq!(chart(plain, "day_genie_20220101.xlsx", None), Ok("genie_daily"));
        assert_eq!(chart(plain, "genie_daily_2022-01-01.csv", None), Ok("genie_daily"));
        assert_eq!(chart(plain, "melon_weekly_2022-01-03.csv", None), Ok("melon_weekly"));
        assert_eq!(chart(plain, "FLO-Monthly-2022-01.csv", None), Ok("flo_monthly"));
        assert_eq!(chart(plain, "x.csv", Some("bugs:realtime")), Ok("bugs_realtime"));
        assert_eq!(chart(with_site, "day_genie_20220101.csv", None), Ok("melon_weekly"));
        assert_eq!(chart(with_site, "day_genie_20220101.csv", Some("vibe:daily")), Ok("vibe_daily"));
        let unknown = chart(plain, "genie.csv", None).unwrap_err();
        assert!(
            unknown.starts_with("cannot tell which chart genie.csv is (the platform is Genie but no period is named)"),
            "{unknown}"
        );
        let no_daily = chart(plain, "gaon_daily_20220101.csv", None).unwrap_err();
        assert!(no_daily.contains("(Circle publishes no daily chart)"), "{no_daily}");
    }
}
