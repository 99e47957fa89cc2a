//! The ingest itself: read each file (a workbook as the CSV of its first sheet with data), decide
//! its format and dataset, skip what the store holds, parse, match each distinct title and artist
//! (and search keyword) once, then commit each dataset once and quarantine what was rejected.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};

use encore_domain::{Catalog, KeywordMatch, KeywordMatcher, SongId, SongMatcher};
use encore_ingest::{
    parse_chart_with, parse_series, table_bytes, ChartOptions, IngestError, Parsed, Rejected, SeriesRows,
};
use encore_store::{sha256_hex, Manifest, SourceFile, Store};

use crate::error::PipelineError;
use crate::input::Input;
use crate::pending::{Pending, PendingFile};
use crate::progress::Progress;
use crate::quarantine::write_quarantine;
use crate::recognise::{dataset_of_file, label, recognise, Dataset, NamedFormat};
use crate::summary::{FileOutcome, FileStatus, IngestSummary, SkipReason};

/// How to ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions<'a> {
    /// The format of every file; `None` detects each file's.
    pub format: Option<NamedFormat>,
    /// What the user said of chart files: which chart (`--chart`), how columns map (`--columns`).
    pub chart: ChartOptions,
    /// When set (by Ctrl-C, say), no further file is read; what was read is still committed.
    pub stop: Option<&'a AtomicBool>,
    /// The time the quarantine file is named after.
    pub now: DateTime<Utc>,
}

impl IngestOptions<'_> {
    /// Detect every format, never stop early, now.
    pub fn new(now: DateTime<Utc>) -> IngestOptions<'static> {
        IngestOptions { format: None, chart: ChartOptions::default(), stop: None, now }
    }
}

/// Reads, matches and stores `inputs`: one commit per dataset, rejected rows and skipped files to
/// the quarantine. A file that cannot be read or recognised is skipped, not an error; when not one
/// file gave rows (nor was held already) the answer is [`PipelineError::NothingLoaded`].
pub fn ingest(
    store: &Store,
    catalog: &Catalog,
    inputs: Vec<Input>,
    options: &IngestOptions<'_>,
    progress: &mut dyn Progress,
) -> Result<IngestSummary, PipelineError> {
    let mut reader = Reader {
        matcher: SongMatcher::new(catalog),
        matched: HashMap::new(),
        keywords: KeywordMatcher::new(catalog),
        matched_keywords: HashMap::new(),
        manifest: store.manifest()?,
        held: HashMap::new(),
        pending: Pending::default(),
        summary: IngestSummary::default(),
    };
    progress.reading(inputs.len());
    for input in inputs {
        let stopped = options.stop.is_some_and(|stop| stop.load(Ordering::SeqCst));
        if stopped {
            reader.summary.interrupted = true;
            let outcome =
                FileOutcome { file: input.name(), folder: input.folder(), dataset: None, status: FileStatus::NotRead };
            reader.summary.files.push(outcome);
            continue;
        }
        progress.file(&input.name());
        reader.read(input, options.format, &options.chart);
    }
    progress.committing();
    let Reader { pending, mut summary, .. } = reader;
    for committed in pending.commit(store)? {
        let dataset = summary.datasets.entry(committed.dataset).or_default();
        dataset.rows_stored = committed.commit.rows_added;
        dataset.rows_replaced = committed.commit.rows_replaced;
        // Held by the store though not by the manifest read at the start: another writer was quicker.
        dataset.files_already_held += committed.commit.sources_already_present;
        dataset.rows_matched =
            committed.matched.then(|| committed.files.iter().map(|file| file.rows_matched).sum::<usize>());
        for file in committed.files {
            summary.files[file.outcome].status =
                FileStatus::Stored { rows_stored: file.rows_stored, rows_rejected: file.rows_rejected };
        }
    }
    let mut quarantined = summary.rejected.clone();
    quarantined.extend(summary.skipped().map(|(file, reason)| Rejected::new(file, 0, "", reason.to_string())));
    if !quarantined.is_empty() {
        summary.quarantine = Some(write_quarantine(store.root(), &quarantined, options.now)?);
    }
    if summary.nothing_loaded() {
        return Err(PipelineError::NothingLoaded { summary: Box::new(summary) });
    }
    Ok(summary)
}

/// The state of one ingest while it reads.
struct Reader {
    matcher: SongMatcher,
    /// A song stays on a chart for weeks: each distinct (title, artist) is matched once.
    matched: HashMap<(String, String), Option<SongId>>,
    keywords: KeywordMatcher,
    /// A keyword has a row per day: each distinct keyword is matched once.
    matched_keywords: HashMap<String, KeywordMatch>,
    /// The store's state when the ingest began, for the files it already holds.
    manifest: Manifest,
    /// Per dataset, the hashes held: the manifest's and those read so far in this ingest.
    held: HashMap<Dataset, HashSet<String>>,
    pending: Pending,
    summary: IngestSummary,
}

impl Reader {
    fn read(&mut self, input: Input, named: Option<NamedFormat>, chart_options: &ChartOptions) {
        let file = input.name();
        let folder = input.folder();
        let outcome = self.summary.files.len();
        let mut record = |dataset: Option<Dataset>, status: FileStatus| {
            self.summary.files.push(FileOutcome { file: file.clone(), folder: folder.clone(), dataset, status });
        };
        let bytes = match input {
            Input::Upload { bytes, .. } => bytes,
            Input::Path(path) => match std::fs::read(&path) {
                Ok(bytes) => bytes,
                Err(error) => {
                    return record(None, FileStatus::Skipped(SkipReason::Unreadable { message: error.to_string() }));
                }
            },
        };
        // A workbook is read as the CSV of its first sheet with data, once; the store still
        // records the workbook's own bytes.
        let table = match table_bytes(&file, &bytes) {
            Ok(table) => table,
            Err(error) => {
                let reason = match error {
                    IngestError::Workbook { reason, .. } => reason,
                    other => other.to_string(),
                };
                return record(None, FileStatus::Skipped(SkipReason::Workbook { reason }));
            }
        };
        let format = match recognise(&file, &table, named, chart_options) {
            Ok(format) => format,
            Err(reason) => return record(None, FileStatus::Skipped(reason)),
        };
        let dataset = match dataset_of_file(format, &file, &table, chart_options) {
            Ok(dataset) => dataset,
            Err(reason) => return record(None, FileStatus::Skipped(reason)),
        };
        let summary = self.summary.datasets.entry(dataset).or_default();
        let source_label = label(format, dataset);
        if !summary.sources.contains(&source_label) {
            summary.sources.push(source_label);
        }
        summary.files += 1;
        let sha256 = sha256_hex(&bytes);
        let manifest = &self.manifest;
        let held = self.held.entry(dataset).or_insert_with(|| {
            manifest
                .dataset(dataset.name())
                .map(|held| held.source_hashes().map(str::to_string).collect())
                .unwrap_or_default()
        });
        if !held.insert(sha256.clone()) {
            summary.files_already_held += 1;
            return record(Some(dataset), FileStatus::AlreadyHeld);
        }
        let source = SourceFile { path: file.clone(), sha256: sha256.clone() };
        let (rows_read, rows_rejected) =
            self.parse_and_match(format, dataset, chart_options, &file, &table, source, outcome);
        if rows_read == 0 {
            // Not committed, so not held: the same bytes again are skipped again for the same reason.
            if let Some(held) = self.held.get_mut(&dataset) {
                held.remove(&sha256);
            }
        }
        if let Some(summary) = self.summary.datasets.get_mut(&dataset) {
            summary.rows_rejected += rows_rejected;
        }
        let status = if rows_read == 0 {
            FileStatus::Skipped(SkipReason::NoRows { rows_rejected })
        } else {
            // Set to the stored counts once the dataset is committed.
            FileStatus::Stored { rows_stored: 0, rows_rejected }
        };
        self.summary.files.push(FileOutcome { file, folder, dataset: Some(dataset), status });
    }

    /// Parses one file, matches its rows, and queues them for their dataset's commit (unless no
    /// row survived: a file of nothing is not recorded as held). Returns the rows read and rejected.
    fn parse_and_match(
        &mut self,
        format: NamedFormat,
        dataset: Dataset,
        chart_options: &ChartOptions,
        file: &str,
        bytes: &[u8],
        source: SourceFile,
        outcome: usize,
    ) -> (usize, usize) {
        let series_format = match (format, dataset) {
            (NamedFormat::Chart(chart_format), Dataset::Chart(chart)) => {
                // The chart the dataset was picked by, so rows and dataset agree.
                let options = ChartOptions { chart: Some(chart), ..chart_options.clone() };
                let mut parsed = parse_chart_with(chart_format, bytes, file, &options);
                for entry in &mut parsed.rows {
                    entry.song_id = song_of(&self.matcher, &mut self.matched, &entry.title, &entry.artist);
                }
                let queued = self.pending.charts.entry(chart).or_default();
                return queue(queued, &mut self.summary.rejected, outcome, source, parsed);
            }
            (NamedFormat::Series(series_format), _) => series_format,
            // A chart format always names a chart dataset (`dataset_of_file`).
            (NamedFormat::Chart(_), Dataset::Series(_)) => return (0, 0),
        };
        let parsed = parse_series(series_format, bytes, file);
        let rejected = &mut self.summary.rejected;
        match parsed {
            SeriesRows::Counts(parsed) => queue(&mut self.pending.counts, rejected, outcome, source, parsed),
            SeriesRows::SearchInterest(mut parsed) => {
                for row in &mut parsed.rows {
                    let keywords = &self.keywords;
                    let found = self
                        .matched_keywords
                        .entry(row.keyword.clone())
                        .or_insert_with(|| keywords.match_keyword(&row.keyword));
                    row.song_id = found.song_id.clone();
                    row.drama_id = found.drama_id.clone();
                }
                queue(&mut self.pending.search_interest, rejected, outcome, source, parsed)
            }
            SeriesRows::Listens(mut parsed) => {
                for listen in &mut parsed.rows {
                    listen.song_id = song_of(&self.matcher, &mut self.matched, &listen.track, &listen.artist);
                }
                queue(&mut self.pending.listens, rejected, outcome, source, parsed)
            }
            SeriesRows::Dramas(parsed) => queue(&mut self.pending.dramas, rejected, outcome, source, parsed),
            SeriesRows::Ratings(parsed) => queue(&mut self.pending.ratings, rejected, outcome, source, parsed),
        }
    }
}

/// The catalog song of a row, each distinct (title, artist) matched once.
fn song_of(
    matcher: &SongMatcher,
    matched: &mut HashMap<(String, String), Option<SongId>>,
    title: &str,
    artist: &str,
) -> Option<SongId> {
    matched
        .entry((title.to_string(), artist.to_string()))
        .or_insert_with(|| matcher.match_row(title, artist).song_id().cloned())
        .clone()
}

/// Queues a parsed file's rows (when it has any) and its rejections; returns how many of each.
fn queue<T>(
    files: &mut Vec<PendingFile<T>>,
    rejected: &mut Vec<Rejected>,
    outcome: usize,
    source: SourceFile,
    mut parsed: Parsed<T>,
) -> (usize, usize) {
    let counts = (parsed.rows.len(), parsed.rejected.len());
    rejected.append(&mut parsed.rejected);
    if !parsed.rows.is_empty() {
        files.push(PendingFile { outcome, source, rows: parsed.rows, rows_rejected: counts.1 });
    }
    counts
}
