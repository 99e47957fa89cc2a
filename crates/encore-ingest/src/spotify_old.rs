//! The old Spotify Charts layout (spotifycharts.com, until 2022): `Position,"Track Name",Artist,
//! Streams,URL`, often after a first line of notes ("Note that these figures are generated using a
//! formula that protects against any artificial inflation of chart positions.,,,,").
//!
//! Line numbers count the notes line, so they are the file's own. The track URL
//! (`https://open.spotify.com/track/<id>`) becomes the `spotify:track:<id>` URI the new layout
//! writes, so both layouts name a track the same way.

use encore_domain::ChartEntry;

use crate::report::{Parsed, Rejected};
use crate::spotify::SpotifyIssue;
use crate::table::{read_csv, CsvRow};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const COLUMNS: [&str; 4] = ["Position", "Track Name", "Artist", "Streams"];
const OPTIONAL_COLUMNS: [&str; 1] = ["URL"];

/// Whether the file's first or second line is the old header (it starts with `Position`).
pub(crate) fn is_old_layout(bytes: &[u8]) -> bool {
    header_line(bytes).is_some()
}

/// Which line (0 or 1) holds the old header.
fn header_line(bytes: &[u8]) -> Option<usize> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    bytes.split(|&byte| byte == b'\n').take(2).position(|line| {
        let line = line.trim_ascii_start();
        let line = line.strip_prefix(b"\"").unwrap_or(line);
        line.starts_with(b"Position,") || line.starts_with(b"Position\",")
    })
}

pub(crate) fn parse_old_layout(bytes: &[u8], file_name: &str, issue: &SpotifyIssue) -> Parsed<ChartEntry> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let skipped = header_line(bytes).unwrap_or(0);
    let table = match skipped {
        0 => bytes,
        _ => bytes.iter().position(|&byte| byte == b'\n').map_or(&bytes[..0], |end| &bytes[end + 1..]),
    };
    let mut parsed = read_csv(table, file_name, &COLUMNS, &OPTIONAL_COLUMNS, |row| entry(row, issue));
    let skipped = skipped as u64;
    for row in &mut parsed.rows {
        row.source_line += skipped;
    }
    for rejected in &mut parsed.rejected {
        rejected.line += skipped;
    }
    parsed
}

fn entry(row: &CsvRow<'_>, issue: &SpotifyIssue) -> Result<ChartEntry, Rejected> {
    let rank = row.rank("Position")?;
    let title = row.required_text("Track Name")?;
    let artist = row.required_text("Artist")?;
    let streams = row.number("Streams")?;
    let url = row.text("URL")?;
    let track_uri = match url.rsplit_once("/track/") {
        Some((_, id)) if !id.is_empty() => Some(format!("spotify:track:{}", id.split('?').next().unwrap_or(id))),
        _ => (!url.is_empty()).then(|| url.to_string()),
    };
    Ok(ChartEntry {
        streams: Some(streams),
        track_uri,
        source_file: row.file().to_string(),
        source_line: row.line(),
        ..ChartEntry::new(issue.chart, &issue.region, issue.date, rank, title, artist)
    })
}

#[cfg(test)]
mod tests {
    use crate::spotify::parse_spotify;
    use crate::test_support;

    const NOTE: &str = "Note that these figures are generated using a formula that protects against any artificial inflation of chart positions.,,,,\n";
    const HEADER: &str = "Position,\"Track Name\",Artist,Streams,URL\n";

    #[test]
    fn reads_the_old_layout_after_its_notes_line() {
        let body = "1,\"첫눈처럼 너에게 가겠다\",Ailee,102543,https://open.spotify.com/track/7tI8dRuH2Yc6RuoTjxo4dU\n\
                    2,\"Stay With Me\",\"CHANYEOL, Punch\",x,https://open.spotify.com/track/2\n\
                    3,,A,5,\n";
        let file = "regional-kr-daily-2017-01-01.csv";
        let expected_rows = [
            r#"2017-01-01 kr #1 "첫눈처럼 너에게 가겠다" by Ailee, prev -, peak -, periods -, line 3, streams 102543, uri spotify:track:7tI8dRuH2Yc6RuoTjxo4dU"#,
        ];
        test_support::check(
            &parse_spotify(format!("{NOTE}{HEADER}{body}").as_bytes(), file),
            &expected_rows,
            &[
                "regional-kr-daily-2017-01-01.csv:4: field `Streams`: \"x\" is not a number",
                "regional-kr-daily-2017-01-01.csv:5: field `Track Name`: is empty",
            ],
        );
        let without_note = parse_spotify(format!("{HEADER}{body}").as_bytes(), file);
        assert_eq!(without_note.rows[0].source_line, 2);
        let weekly = parse_spotify(
            format!("{NOTE}{HEADER}{body}").as_bytes(),
            "regional-global-weekly-2016-12-23--2016-12-30.csv",
        );
        assert_eq!(weekly.rows[0].chart, encore_domain::ChartKind::SpotifyWeekly);
    }
}
