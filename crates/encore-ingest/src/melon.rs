//! Melon year-end Top 100 CSV: `song_year,song_rank,singer,title,Genre,lyric`, UTF-8, Korean text,
//! lyrics quoted over many lines; an EUC-KR file is decoded first. A `Genre` containing 국내드라마 marks a Korean drama OST.

use std::path::Path;

use chrono::NaiveDate;
use encore_domain::{ChartEntry, ChartKind, SongLyric};

use crate::encoding::utf8_or_euc_kr;
use crate::error::{read_bytes, IngestError};
use crate::report::{Parsed, Rejected};
use crate::table::{read_csv, CsvRow};

const COLUMNS: [&str; 5] = ["song_year", "song_rank", "singer", "title", "Genre"];
/// The columns a lyrics read needs: the chart's and the lyric.
const LYRIC_COLUMNS: [&str; 5] = ["song_year", "singer", "title", "Genre", "lyric"];
/// The Melon genre that marks a Korean drama OST.
pub const DRAMA_GENRE: &str = "국내드라마";

/// Parses one Melon year-end file. Each row is labelled with the last day of its `song_year`,
/// and its `source_line` is the line its record starts on (lyrics span many lines).
pub fn parse_melon(bytes: &[u8], file_name: &str) -> Parsed<ChartEntry> {
    read_csv(&utf8_or_euc_kr(bytes), file_name, &COLUMNS, &[], entry)
}

/// Reads and parses one Melon year-end file.
pub fn read_melon(path: &Path) -> Result<Parsed<ChartEntry>, IngestError> {
    let bytes = read_bytes(path)?;
    Ok(parse_melon(&bytes, &path.display().to_string()))
}

/// Parses the lyrics of one Melon year-end file: each row's song, whether its genre marks a drama
/// OST, and its lyric (empty where the file has none). A bad row is rejected naming its line and
/// field; the others are kept.
pub fn parse_melon_lyrics(bytes: &[u8], file_name: &str) -> Parsed<SongLyric> {
    read_csv(&utf8_or_euc_kr(bytes), file_name, &LYRIC_COLUMNS, &[], lyric)
}

/// The lyrics of every `*.csv` in `folder` (not its sub-folders), files in name order, and how
/// many files were read. A file that cannot be read is an error; a bad row is rejected and named.
pub fn read_melon_lyrics_folder(folder: &Path) -> Result<(Parsed<SongLyric>, usize), IngestError> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(|error| crate::error::io_error(folder, error))? {
        let path = entry.map_err(|error| crate::error::io_error(folder, error))?.path();
        if path.is_file() && path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("csv")) {
            files.push(path);
        }
    }
    files.sort();
    let mut all = Parsed::default();
    for path in &files {
        let parsed = parse_melon_lyrics(&read_bytes(path)?, &path.display().to_string());
        all.rows.extend(parsed.rows);
        all.rejected.extend(parsed.rejected);
    }
    Ok((all, files.len()))
}

fn lyric(row: &CsvRow<'_>) -> Result<SongLyric, Rejected> {
    Ok(SongLyric {
        year: row.number("song_year")?,
        singer: row.required_text("singer")?.to_string(),
        title: row.required_text("title")?.to_string(),
        is_ost: row.text("Genre")?.contains(DRAMA_GENRE),
        lyric: row.text("lyric")?.to_string(),
        source_file: row.file().to_string(),
        source_line: row.line(),
    })
}

fn entry(row: &CsvRow<'_>) -> Result<ChartEntry, Rejected> {
    let year: i32 = row.number("song_year")?;
    let Some(chart_date) = NaiveDate::from_ymd_opt(year, 12, 31) else {
        return Err(row.reject("song_year", format!("\"{year}\" is not a year")));
    };
    let rank = row.rank("song_rank")?;
    let artist = row.required_text("singer")?;
    let title = row.required_text("title")?;
    let genre = row.text("Genre")?;
    Ok(ChartEntry {
        genre: (!genre.is_empty()).then(|| genre.to_string()),
        album: None,
        source_file: row.file().to_string(),
        source_line: row.line(),
        ..ChartEntry::new(ChartKind::MELON_YEAR_END, "kr", chart_date, rank, title, artist)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support;

    const HEADER: &str = "song_year,song_rank,singer,title,Genre,lyric\n";

    fn check(body: &str, expected_rows: &[&str], expected_rejected: &[&str]) {
        let parsed = parse_melon(format!("{HEADER}{body}").as_bytes(), "kr_song_chart_2017_data.csv");
        test_support::check(&parsed, expected_rows, expected_rejected);
    }

    #[test]
    fn reads_rows_whose_lyrics_span_lines() {
        check(
            "2017,1,에일리(Ailee),첫눈처럼 너에게 가겠다,\"발라드, 국내드라마\",\"널 품기 전\n알지 못했다\"\n\
             2017,2,윤종신,좋니,발라드,\n",
            &[
                r#"2017-12-31 kr #1 "첫눈처럼 너에게 가겠다" by 에일리(Ailee), prev -, peak -, periods -, line 2, genre 발라드, 국내드라마"#,
                r#"2017-12-31 kr #2 "좋니" by 윤종신, prev -, peak -, periods -, line 4, genre 발라드"#,
            ],
            &[],
        );
    }

    #[test]
    fn a_bad_row_names_its_field_and_the_others_still_load() {
        check(
            "2017,1,A,T,G,\"a\nb\"\n\
             twenty,2,A,T,G,\n\
             2017,x,A,T,G,\n\
             2017,4,,T,G,\n\
             2017,5,A,T,G\n\
             2017,6,A,T,,\n",
            &[
                r#"2017-12-31 kr #1 "T" by A, prev -, peak -, periods -, line 2, genre G"#,
                r#"2017-12-31 kr #6 "T" by A, prev -, peak -, periods -, line 8"#,
            ],
            &[
                "kr_song_chart_2017_data.csv:4: field `song_year`: \"twenty\" is not a number",
                "kr_song_chart_2017_data.csv:5: field `song_rank`: \"x\" is not a number",
                "kr_song_chart_2017_data.csv:6: field `singer`: is empty",
                "kr_song_chart_2017_data.csv:7: has 5 fields where the header has 6",
            ],
        );
    }

    #[test]
    fn reads_lyrics_and_the_ost_genre_and_rejects_a_bad_year() {
        let body = "2017,1,에일리(Ailee),첫눈처럼 너에게 가겠다,\"발라드, 국내드라마\",\"널 품기 전\n알지 못했다\"\n\
                    twenty,2,윤종신,좋니,발라드,가사\n\
                    2017,3,윤종신,좋니,발라드,\n";
        let parsed = parse_melon_lyrics(format!("{HEADER}{body}").as_bytes(), "m.csv");
        let read: Vec<(i32, &str, bool, &str, u64)> = parsed
            .rows
            .iter()
            .map(|row| (row.year, row.title.as_str(), row.is_ost, row.lyric.as_str(), row.source_line))
            .collect();
        assert_eq!(
            read,
            [(2017, "첫눈처럼 너에게 가겠다", true, "널 품기 전\n알지 못했다", 2), (2017, "좋니", false, "", 5)]
        );
        let rejected: Vec<String> = parsed.rejected.iter().map(ToString::to_string).collect();
        assert_eq!(rejected, ["m.csv:4: field `song_year`: \"twenty\" is not a number"]);
    }

    #[test]
    fn invalid_utf8_rejects_the_row_naming_the_field() {
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(b"2017,1,A,\xEC\x95,G,\n2017,2,B,T,G,\n");
        let parsed = parse_melon(&bytes, "m.csv");
        test_support::check(
            &parsed,
            &[r#"2017-12-31 kr #2 "T" by B, prev -, peak -, periods -, line 3, genre G"#],
            &["m.csv:2: field `title`: is not valid UTF-8 (bad byte at offset 0)"],
        );
    }
}
