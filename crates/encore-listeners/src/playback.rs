//! How plays end: completion (`ms_played` over the track's length) and plays by end reason
//! (`trackdone`, `fwdbtn`, …) and skip flag, for all plays, any catalog OST and the scope. A log
//! that gives no track length (Spotify's) has it estimated as the longest play of the track that
//! ended with `trackdone`, else its longest play.
//!
//! Plan: the track lengths as one aggregate joined back to the plays (only those without a
//! length have a key to join on); one aggregate by class and end reason.

use datafusion::prelude::SessionContext;
use serde::Serialize;

use crate::error::ListenersError;
use crate::frames::{collect, float64_at, float64_column, int64_column, string_column};
use crate::scope::Resolved;
use crate::sessions::TRACK_KEY;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Playback {
    pub scope: String,
    pub all: PlaybackCounts,
    pub ost: PlaybackCounts,
    pub in_scope: PlaybackCounts,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PlaybackCounts {
    pub plays: i64,
    /// Mean of `ms_played / length` (capped at 1) over the plays whose log gives `ms_played`.
    pub completion: Option<f64>,
    /// Plays the log marks skipped (Spotify's `skipped`), of those that say.
    pub skipped: i64,
    /// Plays by end reason, most first; plays whose log gives none are under "".
    pub by_end_reason: Vec<(String, i64)>,
}

pub fn sql(scope: &Resolved) -> String {
    format!(
        "WITH plays AS (
            SELECT CASE WHEN duration_ms IS NULL THEN {TRACK_KEY} END AS track_key, ms_played, duration_ms, coalesce(reason_end, '') AS reason_end, skipped,
                CASE WHEN song_id IS NULL THEN 0 ELSE 1 END AS is_ost, CASE WHEN {condition} THEN 1 ELSE 0 END AS in_scope
            FROM listens),
         lengths AS (
            SELECT track_key, coalesce(max(CASE WHEN reason_end = 'trackdone' THEN ms_played END), max(ms_played)) AS longest
            FROM plays WHERE duration_ms IS NULL GROUP BY track_key),
         completed AS (
            SELECT p.*, CASE WHEN coalesce(p.duration_ms, l.longest) > 0
                THEN least(p.ms_played * 1.0 / coalesce(p.duration_ms, l.longest), 1.0) END AS completion
            FROM plays p LEFT JOIN lengths l ON l.track_key = p.track_key)
         SELECT is_ost, in_scope, reason_end, count(*) AS plays, sum(completion) AS completion_sum,
            count(completion) AS completion_count, sum(CASE WHEN skipped THEN 1 ELSE 0 END) AS skipped
         FROM completed GROUP BY 1, 2, 3",
        condition = scope.condition(),
    )
}

pub async fn playback(context: &SessionContext, scope: &Resolved) -> Result<Playback, ListenersError> {
    #[derive(Default)]
    struct Sums {
        plays: i64,
        completion_sum: f64,
        completion_count: i64,
        skipped: i64,
        reasons: std::collections::BTreeMap<String, i64>,
    }
    let mut classes: [Sums; 3] = Default::default();
    for batch in collect(context, &sql(scope)).await? {
        let (is_ost, in_scope) = (int64_column(&batch, "is_ost")?, int64_column(&batch, "in_scope")?);
        let reasons = string_column(&batch, "reason_end")?;
        let plays = int64_column(&batch, "plays")?;
        let (sums, counts) = (float64_column(&batch, "completion_sum")?, int64_column(&batch, "completion_count")?);
        let skipped = int64_column(&batch, "skipped")?;
        for row in 0..batch.num_rows() {
            let members = [true, is_ost.value(row) == 1, in_scope.value(row) == 1];
            for (class, member) in classes.iter_mut().zip(members) {
                if !member {
                    continue;
                }
                class.plays += plays.value(row);
                class.completion_sum += float64_at(&sums, row).unwrap_or(0.0);
                class.completion_count += counts.value(row);
                class.skipped += crate::frames::int64_at(&skipped, row).unwrap_or(0);
                *class.reasons.entry(reasons.value(row).to_string()).or_default() += plays.value(row);
            }
        }
    }
    let [all, ost, in_scope] = classes.map(|sums| {
        let mut by_end_reason: Vec<(String, i64)> = sums.reasons.into_iter().collect();
        by_end_reason.sort_by(|left, right| right.1.cmp(&left.1).then_with(|| left.0.cmp(&right.0)));
        PlaybackCounts {
            plays: sums.plays,
            completion: (sums.completion_count > 0).then(|| sums.completion_sum / sums.completion_count as f64),
            skipped: sums.skipped,
            by_end_reason,
        }
    });
    Ok(Playback { scope: scope.label.clone(), all, ost, in_scope })
}
