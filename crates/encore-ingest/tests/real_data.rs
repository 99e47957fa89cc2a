//! Reads the real source files in `shared/data` and checks facts known about them.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, Weekday};
use encore_domain::{ChartEntry, ChartKind, DramaId, EventSubject};
use encore_ingest::{
    detect_format, list_source_files, read_billboard, read_catalog, read_charts, read_melon, read_spotify, table_bytes,
    Parsed, SourceFormat, WorkbookKind,
};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

fn find(parsed: &Parsed<ChartEntry>, rank: u32) -> &ChartEntry {
    let found = parsed.rows.iter().find(|entry| entry.rank == rank);
    found.unwrap_or_else(|| panic!("no rank {rank}"))
}

#[test]
fn billboard_2022_06_18_has_running_up_that_hill_at_4() {
    let parsed = read_billboard(&data().join("billboard-hot-100/2022-06-18.json")).unwrap();
    assert_eq!((parsed.rows.len(), parsed.rejected.len()), (100, 0));
    let entry = find(&parsed, 4);
    assert_eq!((entry.title.as_str(), entry.artist.as_str()), ("Running Up That Hill (A Deal With God)", "Kate Bush"));
    assert_eq!((entry.previous_rank, entry.peak_rank, entry.periods_on_chart), (Some(8), Some(4), Some(22)));
    assert_eq!(
        (entry.chart, entry.region.as_str(), entry.chart_date.to_string()),
        (ChartKind::BillboardHot100, "us", "2022-06-18".to_string())
    );
    assert_eq!(entry.source_line, 4);
}

#[test]
fn every_billboard_week_loads_without_rejections() {
    let files = list_source_files(&data().join("billboard-hot-100")).unwrap();
    assert_eq!(files.len(), 3549);
    let parsed = read_charts(&data().join("billboard-hot-100"), None).unwrap();
    assert_eq!(parsed.rejected, []);
    // Counted independently with Python's json module. Thirteen weeks of 1976-77 list 99 songs.
    assert_eq!(parsed.rows.len(), 354_887);
    let new_entries = parsed.rows.iter().filter(|entry| entry.previous_rank.is_none()).count();
    assert_eq!(new_entries, 36_263);
}

#[test]
fn spotify_2025_12_18_has_the_first_snow_back_at_148() {
    let parsed = read_spotify(&data().join("spotify-kr-daily-2025/regional-kr-daily-2025-12-18.csv")).unwrap();
    assert_eq!((parsed.rows.len(), parsed.rejected.len()), (200, 0));
    let entry = find(&parsed, 148);
    assert_eq!((entry.title.as_str(), entry.artist.as_str()), ("I Will Go To You Like the First Snow", "AILEE"));
    assert_eq!((entry.streams, entry.previous_rank, entry.periods_on_chart), (Some(10284), None, Some(4)));
    assert_eq!(entry.track_uri.as_deref(), Some("spotify:track:2BPXILn0MqOe5WroVXlvN1"));
    assert_eq!((entry.region.as_str(), entry.chart_date.to_string()), ("kr", "2025-12-18".to_string()));
    assert_eq!(entry.source_line, 149);
}

#[test]
fn every_spotify_day_of_2025_loads_without_rejections() {
    let folder = data().join("spotify-kr-daily-2025");
    let files = list_source_files(&folder).unwrap();
    assert_eq!(files.len(), 365);
    let first_bytes = std::fs::read(&files[0]).unwrap();
    assert_eq!(detect_format(&files[0], &first_bytes).ok(), Some(SourceFormat::SpotifyCsv));
    let parsed = read_charts(&folder, None).unwrap();
    assert_eq!(parsed.rejected, []);
    assert_eq!(parsed.rows.len(), 365 * 200);
    assert!(parsed.rows.iter().all(|entry| entry.chart == ChartKind::SpotifyDaily && entry.streams.is_some()));
}

#[test]
fn melon_2017_is_topped_by_the_first_snow() {
    let parsed = read_melon(&data().join("melon-year-end/kr_song_chart_2017_data.csv")).unwrap();
    assert_eq!((parsed.rows.len(), parsed.rejected.len()), (100, 0));
    let entry = find(&parsed, 1);
    assert_eq!((entry.title.as_str(), entry.artist.as_str()), ("첫눈처럼 너에게 가겠다", "에일리(Ailee)"));
    assert_eq!(entry.chart_date.to_string(), "2017-12-31");
    assert!(entry.genre.as_deref().is_some_and(|genre| genre.contains("국내드라마")));
    assert_eq!(entry.source_line, 2);
}

#[test]
fn every_melon_year_loads_without_rejections() {
    let parsed = read_charts(&data().join("melon-year-end"), None).unwrap();
    assert_eq!(parsed.rejected, []);
    assert_eq!(parsed.rows.len(), 24 * 100);
    let drama_osts =
        parsed.rows.iter().filter(|entry| entry.genre.as_deref().is_some_and(|genre| genre.contains("국내드라마")));
    assert_eq!(drama_osts.count(), 136);
}

#[test]
fn the_facts_catalog_loads_without_rejections() {
    let parsed = read_catalog(&data().join("facts")).unwrap();
    assert_eq!(parsed.rejected, []);
    let catalog = &parsed.catalog;
    assert!(catalog.dramas.len() >= 14, "{} dramas", catalog.dramas.len());
    assert_eq!(catalog.songs.len(), 75);
    // The files' 164 episode rows; the rest are air dates derived from each drama's slot, marked so.
    let derived =
        |episode: &&encore_domain::Episode| episode.source.ends_with(encore_domain::calendar::DERIVED_AIR_DATE);
    let sourced = catalog
        .episodes
        .iter()
        .filter(|episode| !episode.source.is_empty() && episode.source != encore_domain::calendar::DERIVED_AIR_DATE)
        .count();
    assert_eq!((sourced, catalog.events.len()), (164, 94));
    assert!(catalog.episodes.iter().filter(derived).count() > 0);
    let goblin = catalog.drama(&DramaId::new("goblin")).unwrap();
    assert_eq!(goblin.premiere.map(|day| day.to_string()).as_deref(), Some("2016-12-02"));
    // The two Western shows are named by songs.csv but have no row in dramas.csv.
    let western = EventSubject::Drama(DramaId::new("stranger_things_s4"));
    assert!(catalog.events.iter().any(|event| event.subject == western));
}

/// The Circle weekly files: week numbers (`year,time`) to the Saturday ending each Sunday-Saturday
/// week, every row loaded, and the known runs of two OSTs.
#[test]
fn circle_weekly_files_load_whole_with_their_weeks() {
    let folder = data().join("circle-weekly");
    for file in list_source_files(&folder).unwrap() {
        let bytes = std::fs::read(&file).unwrap();
        assert_eq!(detect_format(&file, &bytes[..2048]).unwrap(), SourceFormat::KoreanChart, "{}", file.display());
    }
    let parsed = read_charts(&folder, None).unwrap();
    assert_eq!(parsed.rejected, []);
    assert_eq!(parsed.rows.len(), 20_800);
    assert!(parsed.rows.iter().all(|row| row.chart == ChartKind::CIRCLE_WEEKLY && row.region == "kr"));
    assert!(parsed.rows.iter().all(|row| row.chart_date.weekday() == chrono::Weekday::Sat));
    let weeks_of = |title: &str| -> Vec<(String, u32)> {
        parsed.rows.iter().filter(|row| row.title == title).map(|row| (row.chart_date.to_string(), row.rank)).collect()
    };
    let first_snow = weeks_of("첫눈처럼 너에게 가겠다");
    // 2017 weeks 1-4 end on 7, 14, 21 and 28 January: #19 on its one day of week 1, then #1.
    assert_eq!(
        &first_snow[..4],
        [
            ("2017-01-07".to_string(), 19),
            ("2017-01-14".to_string(), 1),
            ("2017-01-21".to_string(), 1),
            ("2017-01-28".to_string(), 1)
        ]
    );
    let give_you_my_heart = weeks_of("마음을 드려요");
    assert_eq!(&give_you_my_heart[..2], [("2020-02-15".to_string(), 71), ("2020-02-22".to_string(), 1)]);
    let first_week = parsed.rows.iter().find(|row| row.rank == 1).unwrap();
    assert_eq!((first_week.chart_date.to_string(), first_week.source_line), ("2016-01-09".to_string(), 2));
    let last_2020 = parsed.rows.iter().filter(|row| row.chart_date.year() == 2020).map(|row| row.chart_date).max();
    assert_eq!(last_2020.map(|date| date.to_string()), Some("2020-12-26".to_string()));
}

/// Every Genie and Bugs workbook of 2022 Q1, both writers: the header, 100 rows ranked 1 to 100,
/// each dated as its file name says (a day, or a weekly chart's Monday).
#[test]
fn every_korean_platform_workbook_converts_to_its_chart() {
    let root = data().join("kr-platform-charts-2022q1");
    let mut files = Vec::new();
    for folder in ["day_bugs", "day_genie", "week_bugs", "week_genie"] {
        files.extend(list_source_files(&root.join(folder)).unwrap());
    }
    assert_eq!(files.len(), 208);
    let mut prefixed = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let bytes = std::fs::read(path).unwrap();
        assert_eq!(WorkbookKind::of_file(name, &bytes), Some(WorkbookKind::Xlsx), "{name}");
        // The `x:`-prefixed writer's parts, compressed, still name their elements in the zip.
        let workbook_xml = zip_part(&bytes, "xl/workbook.xml");
        if workbook_xml.contains("<x:workbook") {
            prefixed += 1;
        }
        let csv = table_bytes(name, &bytes).unwrap_or_else(|error| panic!("{error}"));
        let mut reader = csv::Reader::from_reader(csv.as_ref());
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(header, ["날짜", "순위", "곡", "가수", "앨범"], "{name}");
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 100, "{name}");
        let stamp = name.trim_end_matches(".xlsx").rsplit('_').next().unwrap();
        let date = NaiveDate::parse_from_str(stamp, "%Y%m%d").unwrap();
        if name.starts_with("week_") {
            assert_eq!(date.weekday(), Weekday::Mon, "{name}");
        }
        for (index, row) in rows.iter().enumerate() {
            assert_eq!(row[0], date.to_string(), "{name} row {}", index + 2);
            assert_eq!(row[1], (index + 1).to_string(), "{name} row {}", index + 2);
            assert!(!row[2].is_empty() && !row[3].is_empty(), "{name} row {}", index + 2);
        }
    }
    assert_eq!(prefixed, 14, "the Bugs weekly workbooks are written with the x: prefix");
}

/// One part of a zip, as text.
fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut text).unwrap();
    text
}
