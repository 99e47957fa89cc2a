//! Which source a file came from, told by its first bytes and its name, and the source files a
//! path names.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use encore_domain::ChartKind;

use crate::encoding::utf8_or_euc_kr;
use crate::error::{io_error, IngestError};

/// How many leading bytes [`detect_format`] needs to see: enough for any of the headers.
pub const DETECT_PREFIX_LEN: usize = 512;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The chart file formats Encore reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    /// Billboard weekly JSON (Hot 100, or Global 200 by the file's path).
    BillboardJson,
    /// Spotify Charts CSV, daily or weekly, either layout.
    SpotifyCsv,
    /// Melon year-end CSV.
    MelonCsv,
    /// Billboard chart CSV with the JSON's columns (Hot 100, or Global 200 by the file's path).
    BillboardCsv,
    /// Circle (Gaon) weekly digital chart CSV, Korean headers, UTF-8 or EUC-KR.
    CircleCsv,
}

impl SourceFormat {
    pub const ALL: [SourceFormat; 5] = [
        SourceFormat::BillboardJson,
        SourceFormat::SpotifyCsv,
        SourceFormat::MelonCsv,
        SourceFormat::BillboardCsv,
        SourceFormat::CircleCsv,
    ];

    /// The short name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::BillboardJson => "billboard",
            SourceFormat::SpotifyCsv => "spotify",
            SourceFormat::MelonCsv => "melon",
            SourceFormat::BillboardCsv => "billboard-csv",
            SourceFormat::CircleCsv => "circle",
        }
    }

    /// The chart this format's rows belong to unless the file's name says otherwise (see
    /// [`SourceFormat::chart_of_file`]).
    pub fn chart(self) -> ChartKind {
        match self {
            SourceFormat::BillboardJson | SourceFormat::BillboardCsv => ChartKind::BillboardHot100,
            SourceFormat::SpotifyCsv => ChartKind::SpotifyDaily,
            SourceFormat::MelonCsv => ChartKind::MelonYearEnd,
            SourceFormat::CircleCsv => ChartKind::CircleWeekly,
        }
    }

    /// The chart a file of this format and name belongs to: Spotify weekly files and Billboard
    /// Global 200 files say so in their names.
    pub fn chart_of_file(self, file_name: &str) -> ChartKind {
        match self {
            SourceFormat::BillboardJson | SourceFormat::BillboardCsv => crate::billboard::chart_of_file(file_name),
            SourceFormat::SpotifyCsv => crate::spotify::chart_of_file(file_name),
            SourceFormat::MelonCsv | SourceFormat::CircleCsv => self.chart(),
        }
    }
}

impl fmt::Display for SourceFormat {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.name())
    }
}

impl FromStr for SourceFormat {
    type Err = IngestError;

    /// Accepts the short name (`billboard`), the name with its syntax (`billboard-json`) or the
    /// chart's dataset name (`billboard_hot100`), in any case.
    fn from_str(text: &str) -> Result<SourceFormat, IngestError> {
        let wanted = text.trim().to_ascii_lowercase();
        SourceFormat::ALL
            .into_iter()
            .find(|format| {
                let with_syntax = match format {
                    SourceFormat::BillboardJson => "billboard-json",
                    SourceFormat::SpotifyCsv => "spotify-csv",
                    SourceFormat::MelonCsv => "melon-csv",
                    SourceFormat::BillboardCsv => "billboard_csv",
                    SourceFormat::CircleCsv => "circle-csv",
                };
                [format.name(), with_syntax, format.chart().dataset()].contains(&wanted.as_str())
            })
            .ok_or_else(|| IngestError::UnknownFormat { name: text.to_string() })
    }
}

/// Tells a file's format from its first bytes (a JSON object, or a CSV header naming the
/// source's columns, in UTF-8 or EUC-KR; a byte-order mark is skipped; the old Spotify header may
/// follow a line of notes), falling back to its name when the bytes say nothing (an empty file):
/// `.json` is Billboard, `regional-*.csv` Spotify, `kr_song_chart_*.csv` Melon.
pub fn detect_format(path: &Path, first_bytes: &[u8]) -> Result<SourceFormat, IngestError> {
    let text = first_bytes.strip_prefix(UTF8_BOM).unwrap_or(first_bytes).trim_ascii_start();
    if text.starts_with(b"{") {
        return Ok(SourceFormat::BillboardJson);
    }
    if crate::spotify_old::is_old_layout(text) {
        return Ok(SourceFormat::SpotifyCsv);
    }
    let first_line = text.split(|&byte| byte == b'\n').next().unwrap_or_default();
    let header = utf8_or_euc_kr(first_line);
    let columns: Vec<&[u8]> = header.split(|&byte| byte == b',').map(|column| unquote(column.trim_ascii())).collect();
    let has = |name: &str| columns.contains(&name.as_bytes());
    if has("rank") && has("uri") && has("track_name") && has("streams") {
        return Ok(SourceFormat::SpotifyCsv);
    }
    if has("song_year") && has("song_rank") {
        return Ok(SourceFormat::MelonCsv);
    }
    if has("song")
        && has("artist")
        && (has("this_week") || has("rank"))
        && (has("weeks_on_chart") || has("weeks-on-board"))
    {
        return Ok(SourceFormat::BillboardCsv);
    }
    if has("순위") && (has("곡명") || has("제목")) {
        return Ok(SourceFormat::CircleCsv);
    }
    let unrecognised = || IngestError::Unrecognised { path: path.to_path_buf() };
    if !text.is_empty() {
        return Err(unrecognised());
    }
    let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default().to_ascii_lowercase();
    if name.ends_with(".json") {
        Ok(SourceFormat::BillboardJson)
    } else if name.starts_with("regional-") && name.ends_with(".csv") {
        Ok(SourceFormat::SpotifyCsv)
    } else if name.starts_with("kr_song_chart_") && name.ends_with(".csv") {
        Ok(SourceFormat::MelonCsv)
    } else {
        Err(unrecognised())
    }
}

fn unquote(column: &[u8]) -> &[u8] {
    match column {
        [b'"', inner @ .., b'"'] => inner,
        other => other,
    }
}

/// The files a path names: the path itself when it is a file, else the files directly inside the
/// folder, sorted by name, leaving out sub-folders, hidden files, `README*` and `*.md`.
pub fn list_source_files(path: &Path) -> Result<Vec<PathBuf>, IngestError> {
    let metadata = std::fs::metadata(path).map_err(|source| io_error(path, source))?;
    if !metadata.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(|source| io_error(path, source))? {
        let entry = entry.map_err(|source| io_error(path, source))?;
        let file_path = entry.path();
        let name = entry.file_name().to_string_lossy().to_lowercase();
        if name.starts_with('.') || name.starts_with("readme") || name.ends_with(".md") {
            continue;
        }
        // `fs::metadata` follows symbolic links, so a link to a file counts as a file.
        let is_file = std::fs::metadata(&file_path).map_err(|source| io_error(&file_path, source))?.is_file();
        if is_file {
            files.push(file_path);
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, first_bytes: &str, expected: Option<SourceFormat>) {
        let detected = detect_format(Path::new(name), first_bytes.as_bytes()).ok();
        assert_eq!(detected, expected, "{name}: {first_bytes:?}");
    }

    #[test]
    fn detects_by_first_bytes_then_by_name() {
        check("2022-06-18.json", r#"{"date":"2022-06-18","data":[]}"#, Some(SourceFormat::BillboardJson));
        check("week.txt", "\u{FEFF}  {\"date\"", Some(SourceFormat::BillboardJson));
        check(
            "any.csv",
            "\u{FEFF}rank,uri,artist_names,track_name,source,peak_rank,previous_rank,days_on_chart,streams\r\n1,",
            Some(SourceFormat::SpotifyCsv),
        );
        check("x.csv", "\"streams\",\"track_name\",\"uri\",\"rank\"\n", Some(SourceFormat::SpotifyCsv));
        check("kr.csv", "song_year,song_rank,singer,title,Genre,lyric\n2017,1", Some(SourceFormat::MelonCsv));
        check("empty.json", "", Some(SourceFormat::BillboardJson));
        check("regional-kr-daily-2025-01-01.csv", "", Some(SourceFormat::SpotifyCsv));
        check("kr_song_chart_2017_data.csv", "", Some(SourceFormat::MelonCsv));
        check(
            "regional-kr-daily-2017-01-01.csv",
            "Note that these figures are generated using a formula,,,,\nPosition,\"Track Name\",Artist,Streams,URL\n",
            Some(SourceFormat::SpotifyCsv),
        );
        check(
            "hot.csv",
            "date,song,artist,this_week,last_week,peak_position,weeks_on_chart\n",
            Some(SourceFormat::BillboardCsv),
        );
        check(
            "charts.csv",
            "date,rank,song,artist,last-week,peak-rank,weeks-on-board\n",
            Some(SourceFormat::BillboardCsv),
        );
        check("gaon.csv", "\u{FEFF}순위,곡명,아티스트,앨범\n1,", Some(SourceFormat::CircleCsv));
        let (euc_kr, _, _) = encoding_rs::EUC_KR.encode("순위,제목,가수\n1,첫눈");
        assert_eq!(detect_format(Path::new("g.csv"), &euc_kr).ok(), Some(SourceFormat::CircleCsv));
        check("dramas.csv", "drama_id,title_en\n", None);
        check("notes.json", "not json", None);
        check("empty.csv", "", None);
    }

    #[test]
    fn format_names_parse_in_any_spelling() {
        for format in SourceFormat::ALL {
            assert_eq!(format.name().parse::<SourceFormat>().ok(), Some(format));
            // A dataset name picks the first format that fills it (Billboard JSON for the Hot 100).
            let by_dataset = format.chart().dataset().parse::<SourceFormat>().ok();
            assert_eq!(by_dataset.map(SourceFormat::chart), Some(format.chart()));
        }
        assert_eq!("billboard_csv".parse::<SourceFormat>().ok(), Some(SourceFormat::BillboardCsv));
        assert_eq!("Spotify-CSV".parse::<SourceFormat>().ok(), Some(SourceFormat::SpotifyCsv));
        let error = "gaon".parse::<SourceFormat>().map(|_| ()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`gaon` is not a source format (one of billboard, billboard-csv, spotify, melon, circle)"
        );
    }

    #[test]
    fn lists_a_folder_sorted_without_notes_or_subfolders() {
        let folder = tempfile::tempdir().unwrap();
        for name in ["b.json", "a.json", "README", "README.md", "SOURCES.md", ".hidden.json"] {
            std::fs::write(folder.path().join(name), "{}").unwrap();
        }
        std::fs::create_dir(folder.path().join("sub")).unwrap();
        let names: Vec<String> = list_source_files(folder.path())
            .unwrap()
            .iter()
            .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.json", "b.json"]);
        let one = folder.path().join("a.json");
        assert_eq!(list_source_files(&one).unwrap(), [one]);
        let missing = list_source_files(&folder.path().join("nope"));
        assert!(matches!(missing, Err(IngestError::Missing { .. })), "{missing:?}");
    }
}
