//! Spotify Charts Top 200 CSV, daily and weekly, regional and global, in both layouts Spotify has
//! used: the current `rank,uri,artist_names,track_name,source,peak_rank,previous_rank,
//! days_on_chart,streams` (`weeks_on_chart` in weekly files; UTF-8 with a byte-order mark) and the
//! old `Position,"Track Name",Artist,Streams,URL` (see [`crate::spotify_old`]).
//!
//! The file holds neither its region nor its date; both come from the file name
//! `regional-<region>-<daily|weekly>-<YYYY-MM-DD>.csv`, as Spotify names its downloads (old weekly
//! downloads name the week `<first day>--<last day>`; the last day labels it). A file named
//! otherwise is rejected whole, unless the caller states the issue with [`parse_spotify_issue`].

use std::path::Path;

use chrono::NaiveDate;
use encore_domain::{ChartEntry, ChartKind};

use crate::error::{read_bytes, IngestError};
use crate::report::{Parsed, Rejected};
use crate::spotify_old::{is_old_layout, parse_old_layout};
use crate::table::{parse_day, read_csv, CsvRow};

const COLUMNS: [&str; 8] = [
    "rank",
    "uri",
    "artist_names",
    "track_name",
    "peak_rank",
    "previous_rank",
    "days_on_chart|weeks_on_chart",
    "streams",
];

/// Which chart a Spotify file is: daily or weekly, its region and its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpotifyIssue {
    /// [`ChartKind::SpotifyDaily`] or [`ChartKind::SpotifyWeekly`].
    pub chart: ChartKind,
    /// Lower-case region code: `kr`, `us`, `global`.
    pub region: String,
    /// The day, or the last day of the week.
    pub date: NaiveDate,
}

impl SpotifyIssue {
    /// Reads the issue from a name like `regional-kr-daily-2025-01-01.csv` or
    /// `regional-global-weekly-2023-01-05.csv` (any folders before the name are ignored; a
    /// workbook's extension, `.xlsx` and the like, stands for `.csv` too).
    pub fn from_file_name(file_name: &str) -> Option<SpotifyIssue> {
        let name = Path::new(file_name).file_name()?.to_str()?;
        let stem = crate::spreadsheet::table_stem(name.strip_prefix("regional-")?)?;
        let (chart, region, date) = if let Some((region, date)) = stem.rsplit_once("-daily-") {
            (ChartKind::SpotifyDaily, region, date)
        } else {
            let (region, dates) = stem.rsplit_once("-weekly-")?;
            let last_day = dates.rsplit_once("--").map_or(dates, |(_, last)| last);
            (ChartKind::SpotifyWeekly, region, last_day)
        };
        if region.is_empty() || !region.chars().all(|character| character.is_ascii_alphanumeric()) {
            return None;
        }
        Some(SpotifyIssue { chart, region: region.to_ascii_lowercase(), date: parse_day(date)? })
    }
}

/// The chart a Spotify file of this name belongs to: weekly when the name says so, else daily.
pub(crate) fn chart_of_file(file_name: &str) -> ChartKind {
    SpotifyIssue::from_file_name(file_name).map_or(ChartKind::SpotifyDaily, |issue| issue.chart)
}

/// Parses one Spotify file, taking its period, region and date from `file_name`.
pub fn parse_spotify(bytes: &[u8], file_name: &str) -> Parsed<ChartEntry> {
    let Some(issue) = SpotifyIssue::from_file_name(file_name) else {
        let reason = "the file name does not say which chart this is: Spotify files must be named \
                      regional-<region>-<daily|weekly>-<YYYY-MM-DD>.csv";
        return Parsed::only_rejected(Rejected::new(file_name, 1, "", reason));
    };
    parse_spotify_issue(bytes, file_name, &issue)
}

/// Parses one Spotify file, in either layout, whose issue the caller knows.
pub fn parse_spotify_issue(bytes: &[u8], file_name: &str, issue: &SpotifyIssue) -> Parsed<ChartEntry> {
    if is_old_layout(bytes) {
        return parse_old_layout(bytes, file_name, issue);
    }
    read_csv(bytes, file_name, &COLUMNS, &[], |row| entry(row, issue))
}

/// Reads and parses one Spotify file, taking its issue from its name.
pub fn read_spotify(path: &Path) -> Result<Parsed<ChartEntry>, IngestError> {
    let bytes = read_bytes(path)?;
    Ok(parse_spotify(&bytes, &path.display().to_string()))
}

fn entry(row: &CsvRow<'_>, issue: &SpotifyIssue) -> Result<ChartEntry, Rejected> {
    let rank = row.rank("rank")?;
    let track_uri = row.required_text("uri")?;
    let artist = row.required_text("artist_names")?;
    let title = row.required_text("track_name")?;
    let peak_rank = row.rank("peak_rank")?;
    // Spotify writes -1 for a track that was not on the previous chart.
    let previous_rank = match row.number::<i64>("previous_rank")? {
        -1 => None,
        rank => match u32::try_from(rank) {
            Ok(rank) if rank >= 1 => Some(rank),
            _ => {
                return Err(
                    row.reject("previous_rank", format!("\"{rank}\" is not a rank (ranks start at 1; -1 means new)"))
                )
            }
        },
    };
    Ok(ChartEntry {
        streams: Some(row.number("streams")?),
        previous_rank,
        peak_rank: Some(peak_rank),
        periods_on_chart: Some(row.number("days_on_chart|weeks_on_chart")?),
        track_uri: Some(track_uri.to_string()),
        source_file: row.file().to_string(),
        source_line: row.line(),
        ..ChartEntry::new(issue.chart, &issue.region, issue.date, rank, title, artist)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support;

    const HEADER: &str =
        "\u{FEFF}rank,uri,artist_names,track_name,source,peak_rank,previous_rank,days_on_chart,streams\n";
    const FILE: &str = "regional-kr-daily-2025-12-18.csv";

    fn check(body: &str, expected_rows: &[&str], expected_rejected: &[&str]) {
        let parsed = parse_spotify(format!("{HEADER}{body}").as_bytes(), FILE);
        test_support::check(&parsed, expected_rows, expected_rejected);
    }

    #[test]
    fn reads_rows_with_region_and_day_from_the_file_name() {
        check(
            "1,\"spotify:track:7tI\",\"Jimin\",\"Who\",\"BIGHIT MUSIC\",1,1,167,\"182826\"\n\
             148,\"spotify:track:2BP\",\"AILEE\",\"I Will Go To You Like the First Snow\",\"Genie, Stone\",148,-1,4,\"10284\"\n",
            &[
                r#"2025-12-18 kr #1 "Who" by Jimin, prev 1, peak 1, periods 167, line 2, streams 182826, uri spotify:track:7tI"#,
                r#"2025-12-18 kr #148 "I Will Go To You Like the First Snow" by AILEE, prev -, peak 148, periods 4, line 3, streams 10284, uri spotify:track:2BP"#,
            ],
            &[],
        );
    }

    #[test]
    fn columns_are_found_by_name() {
        let reordered = "streams,track_name,artist_names,uri,rank,peak_rank,previous_rank,days_on_chart\n\
                         \"5\",T,A,spotify:track:x,7,3,6,9\n";
        let parsed = parse_spotify(reordered.as_bytes(), "regional-global-daily-2025-01-01.csv");
        test_support::check(
            &parsed,
            &[r#"2025-01-01 global #7 "T" by A, prev 6, peak 3, periods 9, line 2, streams 5, uri spotify:track:x"#],
            &[],
        );
    }

    #[test]
    fn a_bad_row_names_its_field_and_the_others_still_load() {
        check(
            "1,u1,A,T,S,1,1,1,\"10\"\n\
             2,u2,A,T,S,1,1,1,\"12a\"\n\
             3,u3,A,T,S,1,1\n\
             4,u4,A,T,S,1,-2,1,\"10\"\n\
             0,u5,A,T,S,1,1,1,\"10\"\n\
             6,u6,,T,S,1,1,1,\"10\"\n\
             7,u7,A,\"multi\nline\",S,1,1,1,\"10\"\n\
             8,u8,A,T,S,1,1,1,\"10\"\n",
            &[
                r#"2025-12-18 kr #1 "T" by A, prev 1, peak 1, periods 1, line 2, streams 10, uri u1"#,
                "2025-12-18 kr #7 \"multi\\nline\" by A, prev 1, peak 1, periods 1, line 8, streams 10, uri u7",
                r#"2025-12-18 kr #8 "T" by A, prev 1, peak 1, periods 1, line 10, streams 10, uri u8"#,
            ],
            &[
                "regional-kr-daily-2025-12-18.csv:3: field `streams`: \"12a\" is not a number",
                "regional-kr-daily-2025-12-18.csv:4: has 7 fields where the header has 9",
                "regional-kr-daily-2025-12-18.csv:5: field `previous_rank`: \"-2\" is not a rank (ranks start at 1; -1 means new)",
                "regional-kr-daily-2025-12-18.csv:6: field `rank`: \"0\" is not a rank (ranks start at 1)",
                "regional-kr-daily-2025-12-18.csv:7: field `artist_names`: is empty",
            ],
        );
    }

    #[test]
    fn invalid_utf8_rejects_the_row_naming_the_field() {
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(b"1,u1,A,T\xC3,S,1,1,1,10\n2,u2,A,T,S,1,1,1,20\n");
        let parsed = parse_spotify(&bytes, FILE);
        test_support::check(
            &parsed,
            &[r#"2025-12-18 kr #2 "T" by A, prev 1, peak 1, periods 1, line 3, streams 20, uri u2"#],
            &["regional-kr-daily-2025-12-18.csv:2: field `track_name`: is not valid UTF-8 (bad byte at offset 1)"],
        );
    }

    #[test]
    fn weekly_and_global_files_take_their_chart_from_the_name() {
        let body = "rank,uri,artist_names,track_name,source,peak_rank,previous_rank,weeks_on_chart,streams\n\
                    1,spotify:track:x,Ailee,First Snow,S,1,-1,3,\"1,234\"\n2,u,A,T,S,1,1,2,99\n";
        let parsed = parse_spotify(body.as_bytes(), "regional-global-weekly-2023-01-05.csv");
        assert!(parsed.rows.iter().all(|row| row.chart == ChartKind::SpotifyWeekly && row.region == "global"));
        test_support::check(
            &parsed,
            &[r#"2023-01-05 global #2 "T" by A, prev 1, peak 1, periods 2, line 3, streams 99, uri u"#],
            &["regional-global-weekly-2023-01-05.csv:2: field `streams`: \"1,234\" is not a number"],
        );
        let old_week = SpotifyIssue::from_file_name("regional-kr-weekly-2019-12-27--2020-01-03.csv");
        assert_eq!(
            old_week.map(|issue| (issue.chart, issue.date.to_string())),
            Some((ChartKind::SpotifyWeekly, "2020-01-03".to_string()))
        );
        assert_eq!(chart_of_file("regional-kr-daily-2025-01-01.csv"), ChartKind::SpotifyDaily);
    }

    #[test]
    fn a_file_name_without_region_and_day_rejects_the_file() {
        let parsed = parse_spotify(format!("{HEADER}1,u,A,T,S,1,1,1,1\n").as_bytes(), "charts/kr-2025.csv");
        assert!(parsed.rows.is_empty());
        assert_eq!(parsed.rejected.len(), 1);
        assert_eq!((parsed.rejected[0].file.as_str(), parsed.rejected[0].line), ("charts/kr-2025.csv", 1));
        for (name, expected) in [
            ("data/regional-kr-daily-2025-01-01.csv", Some(("kr", "2025-01-01"))),
            ("regional-global-daily-2024-02-29.csv", Some(("global", "2024-02-29"))),
            ("regional-kr-daily-2025-02-30.csv", None),
            ("regional--daily-2025-01-01.csv", None),
            ("regional-kr-monthly-2025-01-01.csv", None),
            ("regional-kr-daily-2025-01-01.json", None),
        ] {
            let issue = SpotifyIssue::from_file_name(name);
            let found = issue.as_ref().map(|issue| (issue.region.as_str(), issue.date.to_string()));
            assert_eq!(found, expected.map(|(region, date)| (region, date.to_string())), "{name}");
        }
    }
}
