//! One collection ([`collect_once`], the `--once` path for cron or a systemd timer) and the
//! long-lived loop ([`run_every`]) that repeats it until told to stop.
//!
//! A run fetches every API (one failing subject never stops the others), then commits: the
//! snapshots in one commit to `snapshots`, the pageview and listen files through the ingest
//! pipeline (one commit per dataset, matched against the catalog, as `encore ingest` would store
//! them). Checkpoints live in those same commits, so a run killed at any point leaves the store
//! as the last commit left it, and the next run fetches again whatever was not committed:
//! nothing is lost and nothing doubled. Then the alerts.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use encore_domain::{Snapshot, SnapshotSource};
use encore_pipeline::{ingest, FileStatus, IngestOptions, IngestSummary, NoProgress, PipelineError};
use encore_store::{SourceRows, Store};

use crate::alerts::{fire_new, Alert};
use crate::collectors::{lastfm, lastfm_scrobbles, listenbrainz, wikimedia, youtube, Fetched, SubjectOutcome};
use crate::error::CollectError;
use crate::series::{daily_from_counts, daily_from_snapshots, DailySeries};
use crate::watch::WatchList;
use crate::Environment;

/// What one collection did.
#[derive(Debug, Clone)]
pub struct CollectionSummary {
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// Every subject of the watch list, fetched or failed.
    pub subjects: Vec<SubjectOutcome>,
    /// Rows the ingest pipeline stored (pageview days, listens).
    pub rows_stored: usize,
    pub snapshots_stored: usize,
    /// Alerts fired by this run (each fires once, ever).
    pub alerts: Vec<Alert>,
    /// What went wrong after the fetches without undoing them: the webhook, reading series back.
    pub problems: Vec<String>,
}

impl CollectionSummary {
    /// The subjects that failed, each with why.
    pub fn failures(&self) -> impl Iterator<Item = &SubjectOutcome> {
        self.subjects.iter().filter(|outcome| outcome.error.is_some())
    }
}

/// Runs one collection of `watch` into `store`. Fails only when the store cannot take the run's
/// rows (then nothing of the failed commit is stored, and the next run fetches it again); a
/// subject's failure is in the summary.
pub fn collect_once(
    store: &Store,
    watch: &WatchList,
    environment: &Environment,
) -> Result<CollectionSummary, CollectError> {
    let started_at = environment.clock.now();
    let mut fetched = Fetched::default();
    fetched.absorb(wikimedia::collect(store, watch, environment));
    fetched.absorb(youtube::collect(watch, environment));
    fetched.absorb(lastfm::collect(watch, environment));
    fetched.absorb(lastfm_scrobbles::collect(store, watch, environment));
    fetched.absorb(listenbrainz::collect(store, watch, environment));
    let Fetched { inputs, snapshots, mut outcomes } = fetched;

    let snapshots_stored = store_snapshots(store, snapshots, started_at)?;
    let mut rows_stored = 0;
    if !inputs.is_empty() {
        let catalog = store.catalog()?.unwrap_or_default();
        let options = IngestOptions::new(started_at);
        let ingested = match ingest(store, &catalog, inputs, &options, &mut NoProgress) {
            Ok(summary) => summary,
            // Every file was refused (each is named in the summary): the subjects' failures, not the run's.
            Err(PipelineError::NothingLoaded { summary }) => *summary,
            Err(PipelineError::Store(error)) => return Err(CollectError::Store(error)),
            // The rows are committed, the rejected ones not written down: the next run adds nothing twice.
            Err(PipelineError::Quarantine { path, source }) => {
                return Err(CollectError::Io { action: "write the quarantine file", path, source });
            }
            // The collectors hand over bytes, never a path to read.
            Err(error @ PipelineError::Read(_)) => {
                return Err(CollectError::Internal(format!("the ingest pipeline failed: {error}")));
            }
        };
        rows_stored = ingested.rows_stored();
        note_ingest(&mut outcomes, &ingested);
    }

    let mut problems = Vec::new();
    let series = match collected_series(store, watch) {
        Ok(series) => series,
        Err(error) => {
            problems.push(format!("alerts not checked: {error}"));
            Vec::new()
        }
    };
    let now = environment.clock.now();
    let alerts = match fire_new(store.root(), &series, &watched_of(watch), watch.recent_days, now) {
        Ok(alerts) => alerts,
        Err(error) => {
            problems.push(format!("alerts not checked: {error}"));
            Vec::new()
        }
    };
    for alert in &alerts {
        tracing::info!(subject = %alert.subject, source = %alert.source, peak = %alert.peak_date, kind = ?alert.kind, "alert");
    }
    if let Some(url) = &watch.webhook_url {
        problems.extend(crate::webhook::post_all(url, &alerts, environment).iter().map(ToString::to_string));
    }
    Ok(CollectionSummary {
        started_at,
        finished_at: environment.clock.now(),
        subjects: outcomes,
        rows_stored,
        snapshots_stored,
        alerts,
        problems,
    })
}

/// Collects now, then every `interval`, until `stop` is set (by SIGTERM or Ctrl-C, say): the
/// wait between runs ends within a second of it, a run under way finishes first. Each run's
/// result goes to `report`; a failed run does not end the loop, since the next may succeed.
pub fn run_every(
    store: &Store,
    watch: &WatchList,
    environment: &Environment,
    interval: Duration,
    stop: &AtomicBool,
    mut report: impl FnMut(Result<CollectionSummary, CollectError>),
) {
    while !stop.load(Ordering::SeqCst) {
        report(collect_once(store, watch, environment));
        sleep_unless_stopped(environment, interval, stop);
    }
}

/// Sleeps `duration` in steps of at most a second, returning early once `stop` is set.
fn sleep_unless_stopped(environment: &Environment, duration: Duration, stop: &AtomicBool) {
    let mut left = duration;
    while !left.is_zero() && !stop.load(Ordering::SeqCst) {
        let step = left.min(Duration::from_secs(1));
        environment.clock.sleep(step);
        left -= step;
    }
}

/// One commit of the run's snapshots, named by the run's start.
fn store_snapshots(store: &Store, snapshots: Vec<Snapshot>, started_at: DateTime<Utc>) -> Result<usize, CollectError> {
    if snapshots.is_empty() {
        return Ok(0);
    }
    let name = format!("collect/snapshots/{}", started_at.format("%Y-%m-%dT%H:%M:%S%.6fZ"));
    // The hash is of the rows themselves: a run's snapshots are stored once however often offered.
    let canonical = serde_json::to_vec(&snapshots).map_err(|error| CollectError::Internal(error.to_string()))?;
    let rows = SourceRows::new(Path::new(&name), &canonical, snapshots);
    Ok(store.append_snapshots(&[rows])?.rows_added)
}

/// Each subject's stored rows and the pipeline's verdict on its file.
fn note_ingest(outcomes: &mut [SubjectOutcome], ingested: &IngestSummary) {
    for outcome in outcomes.iter_mut() {
        let Some(file) = &outcome.file else {
            continue;
        };
        let Some(result) = ingested.files.iter().find(|result| &result.file == file) else {
            continue;
        };
        match &result.status {
            FileStatus::Stored { rows_stored, .. } => outcome.rows_stored = *rows_stored,
            FileStatus::AlreadyHeld | FileStatus::NotRead => {}
            FileStatus::Skipped(reason) => {
                outcome.error = Some(format!("the ingest skipped it: {reason:?}"));
                outcome.fault = Some(crate::error::Fault::Ours);
            }
        }
    }
}

/// The daily series alerts look at: every watched article's pageviews, and the daily increase of
/// every watched video's views and track's playcount.
/// The daily series collected for the catalog song or drama `id` (its watch list entry's
/// articles, videos and tracks): what its dashboard page draws.
pub fn collected_series_of(store: &Store, watch: &WatchList, id: &str) -> Result<Vec<DailySeries>, CollectError> {
    let subjects = watch.subjects.iter().filter(|watched| watched.id == id).cloned().collect();
    collected_series(store, &WatchList { subjects, ..watch.clone() })
}

fn collected_series(store: &Store, watch: &WatchList) -> Result<Vec<DailySeries>, CollectError> {
    let articles: Vec<String> =
        watch.subjects.iter().flat_map(|watched| watched.wikipedia.iter().map(|article| article.subject())).collect();
    let source = encore_domain::CountSource::WikipediaPageviews.as_str();
    let mut series = daily_from_counts(source, &store.daily_counts_read(source, &articles)?);
    let watched_videos: Vec<&String> = watch.subjects.iter().flat_map(|watched| &watched.youtube).collect();
    let videos: Vec<Snapshot> = store
        .snapshots_of(SnapshotSource::Youtube)?
        .into_iter()
        .filter(|snapshot| watched_videos.contains(&&snapshot.subject))
        .collect();
    series.extend(daily_from_snapshots(&videos, "views"));
    let watched_tracks: Vec<String> =
        watch.subjects.iter().flat_map(|watched| watched.lastfm.iter().map(|track| track.subject())).collect();
    let tracks: Vec<Snapshot> = store
        .snapshots_of(SnapshotSource::LastFm)?
        .into_iter()
        .filter(|snapshot| watched_tracks.contains(&snapshot.subject))
        .collect();
    series.extend(daily_from_snapshots(&tracks, "playcount"));
    Ok(series)
}

/// The catalog ids each subject is watched for.
fn watched_of(watch: &WatchList) -> HashMap<String, Vec<String>> {
    let mut watched_of: HashMap<String, Vec<String>> = HashMap::new();
    for watched in &watch.subjects {
        let subjects = watched
            .wikipedia
            .iter()
            .map(|article| article.subject())
            .chain(watched.youtube.iter().cloned())
            .chain(watched.lastfm.iter().map(|track| track.subject()));
        for subject in subjects {
            watched_of.entry(subject).or_default().push(watched.id.clone());
        }
    }
    watched_of
}
