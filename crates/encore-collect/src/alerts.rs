//! Alerts: after a collection, each collected daily series goes through the report's peak
//! detection ([`encore_analytics::changepoints::changepoint_peaks`]); a peak in the last few days of
//! a series is a new climb, or a re-entry when the series peaked before, long enough ago. Each
//! alert fires once: fired alerts are remembered in `<store>/alerts.jsonl` (append-only JSON
//! lines, fsynced), and a later peak of the same subject within [`SAME_PEAK_DAYS`] of a fired one
//! is the same peak, since the detector may place a peak a day or two apart as days are added.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use encore_analytics::changepoints::changepoint_peaks;
use serde::{Deserialize, Serialize};

use crate::error::CollectError;
use crate::series::DailySeries;

/// The alert log's file name inside the store folder.
pub const ALERT_LOG: &str = "alerts.jsonl";

/// Peaks of one subject this close are one peak.
pub const SAME_PEAK_DAYS: i64 = 7;

/// A peak this long after an earlier one is a re-entry, not a wobble of the same climb.
pub const REENTRY_AFTER_DAYS: i64 = 30;

/// Fewer days than this give the detector too little to tell a climb from noise.
pub const MIN_SERIES_DAYS: usize = 14;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// The series' first peak, or one soon after another.
    NewClimb,
    /// A peak at least [`REENTRY_AFTER_DAYS`] after the series' previous peak: the song came back.
    Reentry,
}

/// One alert, as printed, logged and POSTed (its JSON is the log line and the webhook body).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// `source|subject|peak_date`: stable across runs.
    pub key: String,
    pub kind: AlertKind,
    /// What is counted: `wikipedia_pageviews`, `youtube_views`, `lastfm_playcount`.
    pub source: String,
    /// The article, video id or `artist/track`.
    pub subject: String,
    /// The catalog songs or dramas the watch list names this subject for.
    pub watched: Vec<String>,
    pub peak_date: NaiveDate,
    pub peak_value: f64,
    /// The median of the series' days before the peak: what the climb rose from.
    pub baseline: f64,
    /// The previous peak's day, for a re-entry.
    pub previous_peak: Option<NaiveDate>,
    pub last_date: NaiveDate,
    pub fired_at: DateTime<Utc>,
}

impl fmt::Display for Alert {
    /// One line for a terminal: `new climb: en.wikipedia/Goblin_(TV_series) (goblin) peaked on
    /// 2026-11-30 at 2300, from 105`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            AlertKind::NewClimb => "new climb",
            AlertKind::Reentry => "re-entry",
        };
        write!(formatter, "{kind}: {} {}", self.source, self.subject)?;
        if !self.watched.is_empty() {
            write!(formatter, " ({})", self.watched.join(", "))?;
        }
        write!(formatter, " peaked on {} at {:.0}, from {:.0}", self.peak_date, self.peak_value, self.baseline)?;
        if let Some(previous) = self.previous_peak {
            write!(formatter, "; previous peak {previous}")?;
        }
        Ok(())
    }
}

/// The alert a series calls for now, if any, before checking what already fired.
pub fn detect(series: &DailySeries, recent_days: u32, now: DateTime<Utc>) -> Option<Alert> {
    if series.days.len() < MIN_SERIES_DAYS {
        return None;
    }
    let values: Vec<f64> = series.days.iter().map(|(_, value)| *value).collect();
    let peaks = changepoint_peaks(&values);
    let (&last_peak, earlier) = peaks.split_last()?;
    if last_peak + (recent_days as usize) < values.len() {
        return None;
    }
    let peak_date = series.days[last_peak].0;
    let previous_peak = earlier.last().map(|&index| series.days[index].0);
    let kind = match previous_peak {
        Some(previous) if peak_date - previous >= Duration::days(REENTRY_AFTER_DAYS) => AlertKind::Reentry,
        _ => AlertKind::NewClimb,
    };
    let mut before: Vec<f64> = values[..last_peak].to_vec();
    before.sort_by(f64::total_cmp);
    let baseline = before.get(before.len() / 2).copied().unwrap_or(0.0);
    Some(Alert {
        key: format!("{}|{}|{peak_date}", series.source, series.subject),
        kind,
        source: series.source.clone(),
        subject: series.subject.clone(),
        watched: Vec::new(),
        peak_date,
        peak_value: values[last_peak],
        baseline,
        previous_peak: previous_peak.filter(|_| kind == AlertKind::Reentry),
        last_date: series.days.last()?.0,
        fired_at: now,
    })
}

/// The alerts of `series` that have not fired yet, logged as fired (fsynced) before they are
/// returned, so a crash after this never fires them again.
pub(crate) fn fire_new(
    store_root: &Path,
    series: &[DailySeries],
    watched_of: &HashMap<String, Vec<String>>,
    recent_days: u32,
    now: DateTime<Utc>,
) -> Result<Vec<Alert>, CollectError> {
    let mut fired = list(store_root)?;
    let mut new_alerts = Vec::new();
    for one in series {
        let Some(mut alert) = detect(one, recent_days, now) else {
            continue;
        };
        let same_peak = |earlier: &Alert| {
            earlier.source == alert.source
                && earlier.subject == alert.subject
                && (earlier.peak_date - alert.peak_date).num_days().abs() <= SAME_PEAK_DAYS
        };
        if fired.iter().any(same_peak) {
            continue;
        }
        alert.watched = watched_of.get(&alert.subject).cloned().unwrap_or_default();
        append(store_root, &alert)?;
        fired.push(alert.clone());
        new_alerts.push(alert);
    }
    Ok(new_alerts)
}

pub fn log_path(store_root: &Path) -> PathBuf {
    store_root.join(ALERT_LOG)
}

/// Every alert fired so far, oldest first; none when nothing fired yet. A line cut short by a
/// crash is skipped.
pub fn list(store_root: &Path) -> Result<Vec<Alert>, CollectError> {
    let path = log_path(store_root);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(CollectError::Io { action: "read the alert log", path, source: error }),
    };
    let mut alerts = Vec::new();
    for (number, line) in text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
        match serde_json::from_str(line) {
            Ok(alert) => alerts.push(alert),
            Err(error) => {
                tracing::warn!(path = %path.display(), line = number + 1, %error, "skipping an unreadable alert line")
            }
        }
    }
    Ok(alerts)
}

/// Appends one alert as a line, and syncs it to disk. A line a crash cut short is ended first, so
/// it spoils only itself.
fn append(store_root: &Path, alert: &Alert) -> Result<(), CollectError> {
    let path = log_path(store_root);
    let mut line = serde_json::to_string(alert).map_err(|error| CollectError::Internal(error.to_string()))?;
    line.push('\n');
    let ends_cleanly = match std::fs::read(&path) {
        Ok(bytes) => bytes.last().is_none_or(|byte| *byte == b'\n'),
        Err(_) => true,
    };
    if !ends_cleanly {
        line.insert(0, '\n');
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(CollectError::io("open the alert log", &path))?;
    file.write_all(line.as_bytes()).map_err(CollectError::io("append to the alert log", &path))?;
    file.sync_all().map_err(CollectError::io("sync the alert log", &path))
}
