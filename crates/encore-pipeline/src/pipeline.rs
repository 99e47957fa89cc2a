//! The ingest itself: read each file (a workbook as the CSV of its first sheet with data), decide
//! its format and dataset, skip what the store holds, parse, match each distinct title and artist
//! (and search keyword) once, then commit each dataset once and quarantine what was rejected.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::Instant;

use chrono::{DateTime, Utc};

use encore_domain::Catalog;
use encore_ingest::{
    parse_chart_with, parse_series, table_bytes, ChartOptions, IngestError, ListenLog, Parsed, Rejected, SeriesRows,
};
use encore_store::{content_hash, sha256_content_hash, FileHash, SourceFile, Store, StoreError};

use crate::error::PipelineError;
use crate::input::{Input, InputBytes};
use crate::listens::{default_listener, read_listens, Hashing};
use crate::matching::{Matchers, ParsedRows};
use crate::pending::{Pending, PendingFile, PendingListens};
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
    /// How many files are read and parsed at once; `None`: one per core. Matching and the commit
    /// stay in the inputs' order whatever the number.
    pub jobs: Option<usize>,
    /// The time the quarantine file is named after.
    pub now: DateTime<Utc>,
    /// The listener of listening logs that name none (`--listener`); without it, the name of the
    /// folder holding the file.
    pub listener: Option<String>,
}

impl IngestOptions<'_> {
    /// Detect every format, never stop early, now.
    pub fn new(now: DateTime<Utc>) -> IngestOptions<'static> {
        IngestOptions { format: None, chart: ChartOptions::default(), stop: None, jobs: None, now, listener: None }
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
    let started = Instant::now();
    let matchers = Matchers::new(catalog);
    let mut reader =
        Reader { held: HashMap::new(), pending: Pending::default(), summary: IngestSummary::default(), failure: None };
    progress.reading(inputs.len());
    let stopped = || options.stop.is_some_and(|stop| stop.load(Ordering::SeqCst));
    // What the store held when the ingest began, as sets: every file is looked up in them.
    let manifest = store.manifest()?;
    let held_at_start: HashMap<&str, HashSet<&str>> =
        manifest.datasets.iter().map(|(name, dataset)| (name.as_str(), dataset.source_hashes().collect())).collect();
    let held_by_sha256 = manifest.datasets.iter().filter(|(_, dataset)| dataset.holds_sha256_sources());
    let held_by_sha256: HashSet<&str> = held_by_sha256.map(|(name, _)| name.as_str()).collect();
    let jobs = options.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let context = Context {
        options,
        held_at_start: &held_at_start,
        held_by_sha256: &held_by_sha256,
        matchers: &matchers,
        jobs,
        store,
    };
    let prepare_one = |input: Input| {
        if stopped() {
            return PreparedFile { file: input.name(), folder: input.folder(), prepared: Prepared::NotRead };
        }
        let mut prepared = prepare(input, &context);
        if let Prepared::Parsed { rows, .. } = &mut prepared.prepared {
            matchers.match_rows(rows);
        }
        prepared
    };
    // A file whose reading began before the stop is kept; files are taken in order, so those not
    // read are the last ones.
    on_cores(jobs, inputs, prepare_one, |prepared: PreparedFile| {
        if !matches!(prepared.prepared, Prepared::NotRead) {
            progress.file(&prepared.file);
        }
        reader.accept(prepared);
    });
    tracing::debug!(files = reader.summary.files.len(), jobs, elapsed_ms = started.elapsed().as_millis(), "files read");
    let Reader { pending, mut summary, failure, .. } = reader;
    // A file whose rows could not be staged (a full disk): nothing is committed, as when the
    // commit itself fails; the staged parts are deleted with `pending`.
    if let Some(failure) = failure {
        return Err(PipelineError::Store(failure));
    }
    progress.committing();
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
    tracing::debug!(elapsed_ms = started.elapsed().as_millis(), "datasets committed");
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
    /// Per dataset, the hashes read so far in this ingest (those the store held when it began are
    /// found while preparing each file).
    held: HashMap<Dataset, HashSet<String>>,
    pending: Pending,
    summary: IngestSummary,
    /// The first failure to stage a file's rows.
    failure: Option<StoreError>,
}

/// One file read, recognised and parsed, before the ingest's state is consulted: the part of the
/// work done on every core.
struct PreparedFile {
    file: String,
    folder: String,
    prepared: Prepared,
}

enum Prepared {
    /// Not read: the ingest was stopped first.
    NotRead,
    /// Read, but its rows could not be staged in the store.
    Failed(StoreError),
    Skipped(SkipReason),
    /// The store held these bytes when the ingest began: not parsed.
    Held {
        format: NamedFormat,
        dataset: Dataset,
    },
    Parsed {
        format: NamedFormat,
        dataset: Dataset,
        /// What the store knows the file's bytes by.
        content: String,
        rows: ParsedRows,
    },
}

/// What every file is prepared with.
struct Context<'a> {
    options: &'a IngestOptions<'a>,
    /// The hashes of each dataset's files when the ingest began.
    held_at_start: &'a HashMap<&'a str, HashSet<&'a str>>,
    /// The datasets holding a file known by its SHA-256 (ingested before stores hashed with
    /// BLAKE3): a file is looked up by its SHA-256 there too.
    held_by_sha256: &'a HashSet<&'a str>,
    matchers: &'a Matchers,
    /// Threads a large listening log's pieces are read on.
    jobs: usize,
    /// Where a listening log is staged while it is read.
    store: &'a Store,
}

/// Reads one input, turns a workbook into the CSV of its sheet, recognises its format and
/// dataset, and parses it unless the store already held its bytes. A listening log is matched and
/// turned into columns here too, piece by piece on every core. Pure but for reading the file.
fn prepare(input: Input, context: &Context<'_>) -> PreparedFile {
    let (named, chart_options, held_at_start) = (context.options.format, &context.options.chart, context.held_at_start);
    let file = input.name();
    let folder = input.folder();
    let listener = default_listener(context.options.listener.as_deref(), &input);
    let done = |prepared: Prepared| PreparedFile { file: file.clone(), folder: folder.clone(), prepared };
    let bytes = match InputBytes::of(input) {
        Ok(bytes) => bytes,
        Err(error) => return done(Prepared::Skipped(SkipReason::Unreadable { message: error.to_string() })),
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
            return done(Prepared::Skipped(SkipReason::Workbook { reason }));
        }
    };
    let format = match recognise(&file, &table, named, chart_options) {
        Ok(format) => format,
        Err(reason) => return done(Prepared::Skipped(reason)),
    };
    let dataset = match dataset_of_file(format, &file, &table, chart_options) {
        Ok(dataset) => dataset,
        Err(reason) => return done(Prepared::Skipped(reason)),
    };
    let held_here = held_at_start.get(dataset.name());
    let by_sha256 = context.held_by_sha256.contains(dataset.name());
    let held = |content: &str| {
        let holds = |hash: &str| held_here.is_some_and(|held| held.contains(hash));
        holds(content) || (by_sha256 && holds(&sha256_content_hash(&bytes)))
    };
    if let NamedFormat::Series(series_format) = format {
        if series_format.is_listens() {
            let (store, matchers) = (context.store, context.matchers);
            let read = |hashing: Hashing<'_, '_>| {
                let log = ListenLog::new(series_format, &table, &file, &listener)?;
                Some(read_listens(store, &log, &file, matchers, context.jobs, hashing))
            };
            let nothing_held = held_at_start.get(dataset.name()).is_none_or(HashSet::is_empty);
            let (content, staged) = if nothing_held {
                // No hash can stop the reading early: the file is hashed as it is read.
                let mut hash = FileHash::new(&bytes);
                let staged = read(Hashing::Along(&mut hash));
                (hash.finish(), staged)
            } else {
                hashed_while(&bytes, &held, |stop| read(Hashing::Apart { stop }))
            };
            if held(&content) {
                return done(Prepared::Held { format, dataset });
            }
            return match staged {
                Some(Ok(rows)) => done(Prepared::Parsed { format, dataset, content, rows: ParsedRows::Listens(rows) }),
                // Nothing of the ingest is committed: said as a commit that failed is.
                Some(Err(error)) => done(Prepared::Failed(StoreError::NotCommitted {
                    doing: format!("ingest of {file}"),
                    cause: Box::new(error),
                })),
                // Every listens format makes a log (the listen log's tests make one of each).
                None => done(Prepared::Skipped(SkipReason::Unrecognised)),
            };
        }
    }
    let content = content_hash(&bytes);
    if held(&content) {
        return done(Prepared::Held { format, dataset });
    }
    let rows = match (format, dataset) {
        (NamedFormat::Chart(chart_format), Dataset::Chart(chart)) => {
            // The chart the dataset was picked by, so rows and dataset agree.
            let options = ChartOptions { chart: Some(chart), ..chart_options.clone() };
            ParsedRows::Chart(parse_chart_with(chart_format, &table, &file, &options))
        }
        (NamedFormat::Series(series_format), _) => ParsedRows::Series(parse_series(series_format, &table, &file)),
        // A chart format always names a chart dataset (`dataset_of_file`).
        (NamedFormat::Chart(_), Dataset::Series(_)) => ParsedRows::Chart(Parsed::default()),
    };
    done(Prepared::Parsed { format, dataset, content, rows })
}

/// The content hash of `bytes`, computed on a thread of its own while `read` reads them, and what
/// `read` made. A listening log can be gigabytes and is read on every core: hashing it before
/// reading it would leave the other cores idle for as long. When the hash shows the store held
/// these bytes, `read`'s stop flag is set, and it begins nothing more.
fn hashed_while<T>(
    bytes: &[u8],
    held: &(impl Fn(&str) -> bool + Sync),
    read: impl FnOnce(&AtomicBool) -> T,
) -> (String, T) {
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let hashing = scope.spawn(|| {
            let content = content_hash(bytes);
            if held(&content) {
                stop.store(true, Ordering::Relaxed);
            }
            content
        });
        let made = read(&stop);
        // The hash cannot fail; a panic in it is a bug to see, so pass it on.
        let content = hashing.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (content, made)
    })
}

/// Runs `prepare` on every input on `jobs` threads, this one among them, and hands each result
/// to `accept` on this thread, in the inputs' order. This thread prepares a file itself whenever
/// the next result it needs is not ready, so it neither sleeps while there is work nor wakes for
/// every file another thread finished.
fn on_cores<P: Send>(jobs: usize, inputs: Vec<Input>, prepare: impl Fn(Input) -> P + Sync, mut accept: impl FnMut(P)) {
    let count = inputs.len();
    let helpers = jobs.min(count).saturating_sub(1);
    if helpers == 0 {
        inputs.into_iter().for_each(|input| accept(prepare(input)));
        return;
    }
    let queue = Mutex::new(inputs.into_iter().enumerate());
    let next_input = || queue.lock().map(|mut queue| queue.next()).unwrap_or(None);
    std::thread::scope(|scope| {
        // Bounded, so the helpers hold back when this thread lags and memory stays a few files deep.
        let (sender, receiver) = mpsc::sync_channel::<(usize, P)>(helpers * 4);
        for _ in 0..helpers {
            let sender = sender.clone();
            let (next_input, prepare) = (&next_input, &prepare);
            scope.spawn(move || {
                while let Some((index, input)) = next_input() {
                    if sender.send((index, prepare(input))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut waiting: BTreeMap<usize, P> = BTreeMap::new();
        let mut expected = 0;
        while expected < count {
            waiting.extend(receiver.try_iter());
            while let Some(prepared) = waiting.remove(&expected) {
                accept(prepared);
                expected += 1;
            }
            if expected == count {
                break;
            }
            match next_input() {
                Some((index, input)) => {
                    waiting.insert(index, prepare(input));
                }
                // Every input is taken: what is missing is on a helper.
                None => match receiver.recv() {
                    Ok((index, prepared)) => {
                        waiting.insert(index, prepared);
                    }
                    Err(_) => break,
                },
            }
        }
    });
}

impl Reader {
    /// Records a prepared file in the ingest: its outcome, whether this ingest already read the
    /// same bytes, and its rows matched and queued for their dataset's commit.
    fn accept(&mut self, prepared: PreparedFile) {
        let PreparedFile { file, folder, prepared } = prepared;
        let outcome = self.summary.files.len();
        let (format, dataset, content, rows) = match prepared {
            Prepared::NotRead => {
                self.summary.interrupted = true;
                let status = FileStatus::NotRead;
                return self.summary.files.push(FileOutcome { file, folder, dataset: None, status });
            }
            Prepared::Skipped(reason) => {
                let status = FileStatus::Skipped(reason);
                return self.summary.files.push(FileOutcome { file, folder, dataset: None, status });
            }
            Prepared::Failed(error) => {
                self.failure.get_or_insert(error);
                let status = FileStatus::NotRead;
                return self.summary.files.push(FileOutcome { file, folder, dataset: None, status });
            }
            Prepared::Held { format, dataset } => (format, dataset, None, None),
            Prepared::Parsed { format, dataset, content, rows } => (format, dataset, Some(content), Some(rows)),
        };
        let summary = self.summary.datasets.entry(dataset).or_default();
        let source_label = label(format, dataset);
        if !summary.sources.contains(&source_label) {
            summary.sources.push(source_label);
        }
        summary.files += 1;
        // Held by the store, or read already in this ingest (the same bytes under two names).
        let (Some(content), Some(rows)) = (content, rows) else {
            summary.files_already_held += 1;
            let status = FileStatus::AlreadyHeld;
            return self.summary.files.push(FileOutcome { file, folder, dataset: Some(dataset), status });
        };
        if !self.held.entry(dataset).or_default().insert(content.clone()) {
            summary.files_already_held += 1;
            let status = FileStatus::AlreadyHeld;
            return self.summary.files.push(FileOutcome { file, folder, dataset: Some(dataset), status });
        }
        let source = SourceFile { path: file.clone(), content: content.clone() };
        let (rows_read, rows_rejected) = self.queue_rows(dataset, rows, source, outcome);
        if rows_read == 0 {
            // Not committed, so not held: the same bytes again are skipped again for the same reason.
            if let Some(held) = self.held.get_mut(&dataset) {
                held.remove(&content);
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

    /// Queues a file's rows for their dataset's commit (unless no row survived: a file of nothing
    /// is not recorded as held). Returns the rows read and rejected.
    fn queue_rows(&mut self, dataset: Dataset, rows: ParsedRows, source: SourceFile, outcome: usize) -> (usize, usize) {
        let rejected = &mut self.summary.rejected;
        let pending = &mut self.pending;
        match (rows, dataset) {
            (ParsedRows::Chart(parsed), Dataset::Chart(chart)) => {
                queue(pending.charts.entry(chart).or_default(), rejected, outcome, source, parsed)
            }
            (ParsedRows::Chart(_), Dataset::Series(_)) => (0, 0),
            (ParsedRows::Series(SeriesRows::Counts(parsed)), _) => {
                queue(&mut pending.counts, rejected, outcome, source, parsed)
            }
            (ParsedRows::Series(SeriesRows::SearchInterest(parsed)), _) => {
                queue(&mut pending.search_interest, rejected, outcome, source, parsed)
            }
            // Every listens format is staged while it is read (`prepare`), as `ParsedRows::Listens`.
            (ParsedRows::Series(SeriesRows::Listens(_)), _) => (0, 0),
            (ParsedRows::Listens(listens), _) => {
                if let Some(summary) = self.summary.datasets.get_mut(&dataset) {
                    summary.rows_skipped += listens.skipped;
                }
                let counts = (listens.rows, listens.rejected.len());
                rejected.extend(listens.rejected);
                if listens.rows > 0 {
                    pending.listens.push(PendingListens {
                        outcome,
                        source,
                        staged: listens.staged,
                        rows: listens.rows,
                        rows_matched: listens.matched,
                        rows_rejected: counts.1,
                    });
                }
                counts
            }
            (ParsedRows::Series(SeriesRows::Dramas(parsed)), _) => {
                queue(&mut pending.dramas, rejected, outcome, source, parsed)
            }
            (ParsedRows::Series(SeriesRows::Viewing(parsed)), _) => {
                queue(&mut pending.viewing, rejected, outcome, source, parsed)
            }
            (ParsedRows::Series(SeriesRows::Ratings(parsed)), _) => {
                queue(&mut pending.ratings, rejected, outcome, source, parsed)
            }
        }
    }
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
