//! One collector per public API, each written from the API's documentation. A collector fetches
//! only what the store lacks (its checkpoint), and hands back what it fetched: files for the ingest
//! pipeline (pageviews, listens) or snapshots, and an outcome per subject. Nothing is stored here:
//! [`crate::run`] commits a run's fetches together, so a crash before the commit loses nothing the
//! next run does not fetch again.

pub(crate) mod checkpoint;
pub(crate) mod lastfm;
pub(crate) mod lastfm_scrobbles;
pub(crate) mod listenbrainz;
pub(crate) mod wikimedia;
pub(crate) mod youtube;

use encore_domain::Snapshot;
use encore_pipeline::Input;

use crate::error::{CollectError, Fault};

/// What became of one subject (an article, a video, a track, a user) in one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectOutcome {
    /// `wikimedia`, `youtube`, `lastfm`, `listenbrainz`.
    pub api: &'static str,
    pub subject: String,
    /// Rows (days, snapshots, listens) fetched that the store did not hold.
    pub rows_fetched: usize,
    /// Rows of them the store took (pageview days and listens; snapshots are counted per run).
    pub rows_stored: usize,
    /// The file handed to the ingest pipeline, if any, to read its outcome by.
    pub(crate) file: Option<String>,
    /// Why the subject failed, redacted of keys; `None` when it did not.
    pub error: Option<String>,
    pub fault: Option<Fault>,
}

impl SubjectOutcome {
    pub(crate) fn fetched(
        api: &'static str,
        subject: impl Into<String>,
        rows: usize,
        file: Option<String>,
    ) -> SubjectOutcome {
        SubjectOutcome {
            api,
            subject: subject.into(),
            rows_fetched: rows,
            rows_stored: 0,
            file,
            error: None,
            fault: None,
        }
    }

    pub(crate) fn failed(api: &'static str, subject: impl Into<String>, error: &CollectError) -> SubjectOutcome {
        tracing::warn!(api, %error, "a subject failed");
        SubjectOutcome {
            api,
            subject: subject.into(),
            rows_fetched: 0,
            rows_stored: 0,
            file: None,
            error: Some(error.to_string()),
            fault: Some(error.fault()),
        }
    }
}

/// What one collector fetched in a run.
#[derive(Debug, Default)]
pub(crate) struct Fetched {
    /// Files in a format the ingest pipeline reads, named `collect/<api>/<subject>/<range>`.
    pub inputs: Vec<Input>,
    pub snapshots: Vec<Snapshot>,
    pub outcomes: Vec<SubjectOutcome>,
}

impl Fetched {
    pub fn absorb(&mut self, other: Fetched) {
        self.inputs.extend(other.inputs);
        self.snapshots.extend(other.snapshots);
        self.outcomes.extend(other.outcomes);
    }
}

/// A JSON document's parse error as the subject's, naming what was expected.
pub(crate) fn json(bytes: &[u8]) -> Result<serde_json::Value, String> {
    serde_json::from_slice(bytes).map_err(|error| format!("not JSON ({error})"))
}

/// A count the API gives as a string (`"12345"`, YouTube and Last.fm) or a number.
pub(crate) fn count_of(value: Option<&serde_json::Value>) -> Option<u64> {
    match value? {
        serde_json::Value::String(text) => text.trim().parse().ok(),
        serde_json::Value::Number(number) => number.as_u64(),
        _ => None,
    }
}
