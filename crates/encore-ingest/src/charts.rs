//! Chart files of any format, one or a folder at a time: the format detected or given, each file
//! handed to its parser.

use std::path::Path;

use encore_domain::{ChartEntry, ChartKind};

use crate::detect::{detect_format, list_source_files, SourceFormat};
use crate::error::{read_bytes, IngestError};
use crate::korean::{korean_chart_of, ChartOptions};
use crate::report::Parsed;
use crate::sources::{source_of, Format, Parser};
use crate::spreadsheet::table_bytes;

/// Parses one chart file of a known format.
pub fn parse_chart(format: SourceFormat, bytes: &[u8], file_name: &str) -> Parsed<ChartEntry> {
    parse_chart_with(format, bytes, file_name, &ChartOptions::default())
}

/// Parses one chart file of a known format with what the user said (`--chart`, `--columns`), by
/// the parser its row of [`crate::SOURCES`] names.
pub fn parse_chart_with(
    format: SourceFormat,
    bytes: &[u8],
    file_name: &str,
    options: &ChartOptions,
) -> Parsed<ChartEntry> {
    match source_of(Format::Chart(format)).parser {
        Parser::Chart(parse) => parse(bytes, file_name, options),
        // A chart row always names a chart parser (a test checks).
        Parser::Series(_) => Parsed::default(),
    }
}

/// The chart a file of this format belongs to: Spotify weekly and Billboard Global 200 files say
/// so in their names; a Korean chart file in a site column, its name, or by the user's `--chart`.
pub fn chart_of(
    format: SourceFormat,
    file_name: &str,
    bytes: &[u8],
    options: &ChartOptions,
) -> Result<ChartKind, IngestError> {
    match format {
        SourceFormat::BillboardJson | SourceFormat::BillboardCsv => Ok(crate::billboard::chart_of_file(file_name)),
        SourceFormat::SpotifyCsv => Ok(crate::spotify::chart_of_file(file_name)),
        SourceFormat::MelonCsv => Ok(ChartKind::MELON_YEAR_END),
        SourceFormat::CircleCsv | SourceFormat::KoreanChart => {
            korean_chart_of(bytes, file_name, options, format.default_chart())
        }
    }
}

/// Reads one chart file, detecting its format unless `format` is given. A workbook is read as
/// the CSV of its first sheet with data ([`crate::table_bytes`]).
pub fn read_chart_file(path: &Path, format: Option<SourceFormat>) -> Result<Parsed<ChartEntry>, IngestError> {
    let file_bytes = read_bytes(path)?;
    let bytes = table_bytes(&path.display().to_string(), &file_bytes)?;
    let format = match format {
        Some(format) => format,
        None => detect_format(path, &bytes[..bytes.len().min(crate::detect::DETECT_PREFIX_LEN)])?,
    };
    Ok(parse_chart(format, &bytes, &path.display().to_string()))
}

/// Reads a chart file or every file of a folder (see [`list_source_files`]), detecting each
/// file's format unless `format` is given. Fails on the first file whose format cannot be told,
/// and when not one row loaded.
pub fn read_charts(path: &Path, format: Option<SourceFormat>) -> Result<Parsed<ChartEntry>, IngestError> {
    let mut parsed = Parsed::default();
    for file in list_source_files(path)? {
        parsed.extend(read_chart_file(&file, format)?);
    }
    if parsed.rows.is_empty() {
        return Err(IngestError::NothingLoaded { path: path.to_path_buf(), rejected: parsed.rejected });
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_folder_of_mixed_formats() {
        let folder = tempfile::tempdir().unwrap();
        let week = r#"{"date":"2022-06-18","data":[{"song":"S","artist":"A","this_week":1,"last_week":null,"peak_position":1,"weeks_on_chart":1}]}"#;
        std::fs::write(folder.path().join("2022-06-18.json"), week).unwrap();
        std::fs::write(
            folder.path().join("kr.csv"),
            "song_year,song_rank,singer,title,Genre,lyric\n2017,1,A,T,G,\n2017,x,A,T,G,\n",
        )
        .unwrap();
        std::fs::write(folder.path().join("README.md"), "# notes").unwrap();
        let parsed = read_charts(folder.path(), None).unwrap();
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.rejected.len(), 1);
        assert_eq!((parsed.rejected[0].line, parsed.rejected[0].field.as_str()), (3, "song_rank"));
    }

    #[test]
    fn a_folder_that_loads_nothing_is_an_error() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("week.json"), "not json").unwrap();
        let error = read_charts(folder.path(), Some(SourceFormat::BillboardJson));
        assert!(matches!(&error, Err(IngestError::NothingLoaded { rejected, .. }) if rejected.len() == 1), "{error:?}");
        let unknown = read_charts(folder.path(), None);
        assert!(matches!(unknown, Err(IngestError::Unrecognised { .. })), "{unknown:?}");
        let empty = tempfile::tempdir().unwrap();
        let nothing = read_charts(empty.path(), None).map(|_| ()).unwrap_err();
        assert!(nothing.to_string().ends_with("it holds no rows"), "{nothing}");
    }

    /// Mangled inputs (bytes flipped, cut short, repeated) must only ever yield rejections.
    #[test]
    fn no_input_makes_a_parser_panic() {
        let samples: [&[u8]; 4] = [
            br#"{"date":"2022-06-18","data":[{"song":"S","artist":"A","this_week":1,"last_week":null,"peak_position":1,"weeks_on_chart":1}]}"#,
            "\u{FEFF}rank,uri,artist_names,track_name,source,peak_rank,previous_rank,days_on_chart,streams\n1,\"u\",\"A\",\"T\",\"S\",1,-1,4,\"10284\"\n".as_bytes(),
            "song_year,song_rank,singer,title,Genre,lyric\n2017,1,에일리(Ailee),첫눈,\"발라드, 국내드라마\",\"a\nb\"\n".as_bytes(),
            b"drama_id,title_en,title_ko,network,premiere,finale,episodes,slot,source\ng,G,,tvN,2016-12-02,,16,,s\n",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for sample in samples {
            for _ in 0..2000 {
                let mut bytes = sample.to_vec();
                for _ in 0..(next() % 4 + 1) {
                    let position = (next() % bytes.len() as u64) as usize;
                    match next() % 3 {
                        0 => bytes[position] = (next() % 256) as u8,
                        1 => bytes.truncate(position),
                        _ => {
                            let troublemakers = b"\",{}\n\xFF-0";
                            bytes.insert(position, troublemakers[(next() % troublemakers.len() as u64) as usize]);
                        }
                    }
                    if bytes.is_empty() {
                        break;
                    }
                }
                let _ = detect_format(Path::new("x"), &bytes);
                for format in SourceFormat::ALL {
                    let _ = parse_chart(format, &bytes, "regional-kr-daily-2025-01-01.csv");
                }
                let files = crate::CatalogFiles {
                    dramas: &bytes,
                    episodes: &bytes,
                    songs: &bytes,
                    events: &bytes,
                    artists: Some(&bytes),
                };
                let _ = crate::parse_catalog(&files, Path::new(""));
            }
        }
    }
}
