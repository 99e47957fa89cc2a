//! Which source a file came from, told by its first bytes and its name, and the source files a
//! path names.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use encore_domain::ChartKind;

use crate::error::{io_error, IngestError};
use crate::sources::{detect, format_named, source_of, Format};

/// How many leading bytes [`detect_format`] needs to see: enough for any of the headers, and for a
/// few metadata lines before a Korean chart's header.
pub const DETECT_PREFIX_LEN: usize = 2048;

/// The chart file formats Encore reads; each has its row in [`crate::SOURCES`].
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
    /// Circle (Gaon) chart CSV: a Korean chart file that is Circle weekly unless it says otherwise.
    CircleCsv,
    /// Korean platform chart CSV of any platform and period, or any ranked list mapped by the user.
    KoreanChart,
}

impl SourceFormat {
    pub const ALL: [SourceFormat; 6] = [
        SourceFormat::BillboardJson,
        SourceFormat::SpotifyCsv,
        SourceFormat::MelonCsv,
        SourceFormat::BillboardCsv,
        SourceFormat::CircleCsv,
        SourceFormat::KoreanChart,
    ];

    /// The short name used on the command line.
    pub fn name(self) -> &'static str {
        source_of(Format::Chart(self)).name
    }

    /// The chart every file of this format belongs to unless its name or content says otherwise;
    /// `None` for Korean chart files, whose chart the file or the user must name.
    pub fn default_chart(self) -> Option<ChartKind> {
        match self {
            SourceFormat::BillboardJson | SourceFormat::BillboardCsv => Some(ChartKind::BillboardHot100),
            SourceFormat::SpotifyCsv => Some(ChartKind::SpotifyDaily),
            SourceFormat::MelonCsv => Some(ChartKind::MELON_YEAR_END),
            SourceFormat::CircleCsv => Some(ChartKind::CIRCLE_WEEKLY),
            SourceFormat::KoreanChart => None,
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

    /// Accepts a chart format's name or one of its aliases (`billboard-json`, the dataset name
    /// `billboard_hot100`), in any case.
    fn from_str(text: &str) -> Result<SourceFormat, IngestError> {
        match format_named(text) {
            Some(Format::Chart(format)) => Ok(format),
            _ => Err(IngestError::UnknownFormat { name: text.to_string() }),
        }
    }
}

/// Tells a chart file's format from its first bytes (a JSON object, or a CSV header naming the
/// source's columns, in UTF-8 or EUC-KR; a byte-order mark is skipped; the old Spotify header may
/// follow a line of notes; a Korean chart's header may follow metadata lines), falling back to its
/// name when the bytes say nothing (an empty file): `.json` is Billboard, `regional-*.csv`
/// Spotify, `kr_song_chart_*.csv` Melon. The table of [`crate::SOURCES`] decides.
pub fn detect_format(path: &Path, first_bytes: &[u8]) -> Result<SourceFormat, IngestError> {
    match detect(path, first_bytes) {
        Some(Format::Chart(format)) => Ok(format),
        _ => Err(IngestError::Unrecognised { path: path.to_path_buf() }),
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
        check("gaon.csv", "\u{FEFF}순위,곡명,아티스트,앨범\n1,", Some(SourceFormat::KoreanChart));
        let (euc_kr, _, _) = encoding_rs::EUC_KR.encode("순위,제목,가수\n1,첫눈");
        assert_eq!(detect_format(Path::new("g.csv"), &euc_kr).ok(), Some(SourceFormat::KoreanChart));
        check("dramas.csv", "drama_id,title_en\n", None);
        check("notes.json", "not json", None);
        check("empty.csv", "", None);
        check("pageviews.json", "{\"items\":[]}", None);
    }

    #[test]
    fn format_names_parse_in_any_spelling() {
        for format in SourceFormat::ALL {
            assert_eq!(format.name().parse::<SourceFormat>().ok(), Some(format));
        }
        for (dataset, format) in [
            ("billboard_hot100", SourceFormat::BillboardJson),
            ("spotify_daily", SourceFormat::SpotifyCsv),
            ("melon_year_end", SourceFormat::MelonCsv),
            ("circle_weekly", SourceFormat::CircleCsv),
            ("billboard_csv", SourceFormat::BillboardCsv),
            ("Spotify-CSV", SourceFormat::SpotifyCsv),
            ("gaon", SourceFormat::CircleCsv),
        ] {
            assert_eq!(dataset.parse::<SourceFormat>().ok(), Some(format), "{dataset}");
        }
        let error = "oricon".parse::<SourceFormat>().map(|_| ()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`oricon` is not a source format (one of billboard, billboard-csv, spotify, melon, circle, korean-chart, \
             pageviews, counts, naver-datalab, google-trends, netflix-top10, lastfm, listenbrainz, spotify-extended, \
             spotify-account, mydramalist, korean-wiki-dramas, episode-ratings)"
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
