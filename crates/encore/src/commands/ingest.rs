//! `encore ingest`: read chart and other source files into the store, matching each chart row and
//! listen to a catalog song; every rejected row goes to a quarantine file in the store.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use clap::Args;

use encore_domain::{Catalog, ChartKind, SongId, SongMatcher};
use encore_ingest::{
    detect_format, detect_series_format, list_source_files, parse_chart, IngestError, Rejected, SeriesFormat,
    SourceFormat, DETECT_PREFIX_LEN,
};
use encore_store::{SourceBatch, Store};

use super::ingest_series::{self, SeriesBatches};
use super::progress::files_bar;
use super::quarantine;
use super::{StoreArgs, WriterArgs};

/// How many rejected rows are printed; the rest are counted.
const REJECTED_SHOWN: usize = 20;

/// Ingest chart files (Billboard Hot 100 / Global 200 JSON or CSV, Spotify Charts daily or weekly
/// CSV in either layout, Melon year-end CSV, Circle chart CSV in UTF-8 or EUC-KR) and other
/// sources (Wikipedia pageviews JSON, YouTube/social count CSV, Last.fm CSV and ListenBrainz JSON
/// listens, MyDramaList and Korean wiki drama lists) into the store.
///
/// Each PATH is a file or a folder of files; the format of each file is detected from its name and
/// first bytes unless --format is given. Rows are matched to catalog songs by title (English or
/// Hangul, brackets and "feat." credits ignored) and artist (with the catalog's aliases);
/// unmatched rows are kept; listens are matched the same way. A file whose exact content the store already holds is skipped, so
/// ingesting the same files again changes nothing. Bad rows are reported with file, line and field,
/// and the good rows of the same file still load; every rejected row is written to
/// <store>/quarantine/<UTC time>.csv (file,line,field,reason). `encore unmatched` lists the rows
/// that matched no song.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Source files or folders.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The format of every file (default: detect per file). Charts: billboard, billboard-csv,
    /// spotify, melon, circle; other files: pageviews, counts, lastfm, listenbrainz, mydramalist,
    /// korean-wiki-dramas, episode-ratings.
    #[arg(long, env = "ENCORE_FORMAT")]
    format: Option<NamedFormat>,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    writer: WriterArgs,
}

/// A format named with `--format`: a chart's or another file's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedFormat {
    Chart(SourceFormat),
    Series(SeriesFormat),
}

impl std::str::FromStr for NamedFormat {
    type Err = IngestError;

    fn from_str(text: &str) -> Result<NamedFormat, IngestError> {
        match (text.parse::<SourceFormat>(), SeriesFormat::from_name(text)) {
            (Ok(chart), _) => Ok(NamedFormat::Chart(chart)),
            (Err(_), Some(series)) => Ok(NamedFormat::Series(series)),
            (Err(error), None) => Err(error),
        }
    }
}

/// What one chart's files gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartSummary {
    pub files: usize,
    pub files_already_held: usize,
    pub rows_loaded: usize,
    pub rows_rejected: usize,
    pub rows_matched: usize,
}

#[derive(Debug, Default)]
pub struct IngestSummary {
    pub charts: BTreeMap<ChartKind, ChartSummary>,
    /// Non-chart files by format; `rows_matched` counts only for listens.
    pub series: BTreeMap<SeriesFormat, ChartSummary>,
    pub rejected: Vec<Rejected>,
    /// Where the rejected rows were written, when there were any.
    pub quarantine: Option<PathBuf>,
}

pub fn run(arguments: IngestArgs) -> anyhow::Result<()> {
    let store = arguments.store.open_for_writing(&arguments.writer, "ingest")?;
    let catalog = super::catalog::ensure_catalog(&store)?;
    let summary = ingest_paths(&store, &catalog, &arguments.paths, arguments.format)?;
    print_summary(&summary);
    Ok(())
}

/// Reads, matches and stores every file under `paths`, one commit per chart and per non-chart format.
pub fn ingest_paths(
    store: &Store,
    catalog: &Catalog,
    paths: &[PathBuf],
    format: Option<NamedFormat>,
) -> anyhow::Result<IngestSummary> {
    let mut files = Vec::new();
    for path in paths {
        files.extend(list_source_files(path)?);
    }
    let matcher = SongMatcher::new(catalog);
    // A song stays on a chart for weeks: each distinct (title, artist) is matched once.
    let mut matched: HashMap<(String, String), Option<SongId>> = HashMap::new();
    let mut summary = IngestSummary::default();
    let mut batches: BTreeMap<ChartKind, Vec<SourceBatch>> = BTreeMap::new();
    let mut series_batches = SeriesBatches::default();
    let bar = files_bar(files.len(), "reading");
    for file in &files {
        bar.set_message(file.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default());
        bar.inc(1);
        let bytes = std::fs::read(file).map_err(|source| IngestError::Io { path: file.clone(), source })?;
        let first_bytes = &bytes[..bytes.len().min(DETECT_PREFIX_LEN)];
        let series_format = match format {
            Some(NamedFormat::Series(named)) => Some(named),
            Some(NamedFormat::Chart(_)) => None,
            None => detect_series_format(first_bytes),
        };
        if let Some(series_format) = series_format {
            let mut rejected = series_batches.add(series_format, file, &bytes, &matcher, &mut matched);
            summary.rejected.append(&mut rejected);
            continue;
        }
        let file_format = match format {
            Some(NamedFormat::Chart(named)) => named,
            _ => match detect_format(file, first_bytes) {
                Ok(format) => format,
                Err(error) => {
                    summary.rejected.push(whole_file_rejected(file, &error));
                    continue;
                }
            },
        };
        let file_name = file.display().to_string();
        let mut parsed = parse_chart(file_format, &bytes, &file_name);
        let chart = file_format.chart_of_file(&file_name);
        let chart_summary = summary.charts.entry(chart).or_default();
        chart_summary.files += 1;
        chart_summary.rows_loaded += parsed.rows.len();
        chart_summary.rows_rejected += parsed.rejected.len();
        for entry in &mut parsed.rows {
            entry.song_id = matched
                .entry((entry.title.clone(), entry.artist.clone()))
                .or_insert_with(|| matcher.match_row(&entry.title, &entry.artist).song_id().cloned())
                .clone();
            chart_summary.rows_matched += usize::from(entry.song_id.is_some());
        }
        summary.rejected.append(&mut parsed.rejected);
        batches.entry(chart).or_default().push(SourceBatch::new(file, &bytes, parsed.rows));
    }
    bar.finish_and_clear();
    for (chart, chart_batches) in &batches {
        let commit = store.append_chart(*chart, chart_batches)?;
        if let Some(chart_summary) = summary.charts.get_mut(chart) {
            chart_summary.files_already_held = commit.sources_already_present;
        }
    }
    summary.series = series_batches.commit(store)?;
    if !summary.rejected.is_empty() {
        summary.quarantine = Some(quarantine::write(store.root(), &summary.rejected, chrono::Utc::now())?);
    }
    let loaded: usize = summary.charts.values().chain(summary.series.values()).map(|row| row.rows_loaded).sum();
    if loaded == 0 {
        let path = paths.first().cloned().unwrap_or_default();
        return Err(IngestError::NothingLoaded { path, rejected: summary.rejected }.into());
    }
    Ok(summary)
}

fn whole_file_rejected(file: &Path, error: &IngestError) -> Rejected {
    Rejected { file: file.display().to_string(), line: 0, field: String::new(), reason: error.to_string() }
}

pub fn print_summary(summary: &IngestSummary) {
    for rejected in summary.rejected.iter().take(REJECTED_SHOWN) {
        eprintln!("rejected: {rejected}");
    }
    if summary.rejected.len() > REJECTED_SHOWN {
        eprintln!("rejected: … and {} more", summary.rejected.len() - REJECTED_SHOWN);
    }
    println!(
        "{:<24} {:>6} {:>8} {:>10} {:>9} {:>8} {:>10}",
        "source", "files", "skipped", "rows", "rejected", "matched", "unmatched"
    );
    for (chart, row) in &summary.charts {
        println!(
            "{:<24} {:>6} {:>8} {:>10} {:>9} {:>8} {:>10}",
            chart.display_name(),
            row.files,
            row.files_already_held,
            row.rows_loaded,
            row.rows_rejected,
            row.rows_matched,
            row.rows_loaded - row.rows_matched
        );
    }
    for (format, row) in &summary.series {
        let (matched, unmatched) = match format.dataset() {
            "listens" => (row.rows_matched.to_string(), (row.rows_loaded - row.rows_matched).to_string()),
            _ => ("-".to_string(), "-".to_string()),
        };
        println!(
            "{:<24} {:>6} {:>8} {:>10} {:>9} {:>8} {:>10}",
            ingest_series::label(*format),
            row.files,
            row.files_already_held,
            row.rows_loaded,
            row.rows_rejected,
            matched,
            unmatched
        );
    }
    println!("(skipped: files whose exact content the store already held; their rows were not added again)");
    if let Some(path) = &summary.quarantine {
        println!("quarantine: {} rejected rows written to {}", summary.rejected.len(), path.display());
    }
}
