//! Sessions, replays and replay streaks. A session is a listener's run of plays with no gap over
//! 30 minutes between one play's end (its start plus `ms_played`, or its start where the log has
//! no duration) and the next play's start. A replay is a play of a track the listener already
//! played in the same session; a replay streak is the same track played two or more times in a
//! row. Reported for all plays, for plays of any catalog OST and for the plays in scope.
//!
//! Plan: one window pass over each listener's plays in time order numbers the sessions and flags
//! streak continuations; a second over each listener's plays by session and track flags every
//! play but a track's first in its session as a replay; a last aggregate sums per class, and
//! counts the listeners by their first plays (a distinct count would cost another pass). Both
//! windows are over a listener's plays, so the second only reorders within a listener: an
//! aggregate per listener, session and track instead has nearly a group per play, which at 10^8
//! listens is held in memory or spilled.

use datafusion::arrow::array::Array;
use datafusion::prelude::SessionContext;
use serde::Serialize;

use crate::error::ListenersError;
use crate::frames::{collect, int64_column};
use crate::scope::Resolved;

pub const SESSION_GAP_SECONDS: i64 = 30 * 60;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sessions {
    pub scope: String,
    pub sessions: i64,
    pub listeners: i64,
    /// All plays, plays of any catalog OST, and the plays in scope.
    pub all: ReplayCounts,
    pub ost: ReplayCounts,
    pub in_scope: ReplayCounts,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReplayCounts {
    pub plays: i64,
    /// Plays of a track already played in the session.
    pub replays: i64,
    /// Streaks of two or more plays of the same track in a row, and the plays in them.
    pub streaks: i64,
    pub plays_in_streaks: i64,
}

impl ReplayCounts {
    pub fn replay_share(&self) -> Option<f64> {
        (self.plays > 0).then(|| self.replays as f64 / self.plays as f64)
    }

    pub fn mean_streak(&self) -> Option<f64> {
        (self.streaks > 0).then(|| self.plays_in_streaks as f64 / self.streaks as f64)
    }
}

impl Sessions {
    pub fn plays_per_session(&self) -> Option<f64> {
        (self.sessions > 0).then(|| self.all.plays as f64 / self.sessions as f64)
    }
}

/// The track a play is of: its catalog song, else the service's id, else artist and title.
pub const TRACK_KEY: &str = "coalesce(song_id, track_uri, artist || ' | ' || track)";

pub fn sql(scope: &Resolved) -> String {
    let class = |name: &str, condition: &str| {
        format!(
            "sum(CASE WHEN {condition} THEN 1 ELSE 0 END) AS {name}_plays,
             sum(CASE WHEN {condition} THEN replay ELSE 0 END) AS {name}_replays,
             sum(CASE WHEN {condition} AND continues = 1 AND previous_continues = 0 THEN 1 ELSE 0 END) AS {name}_streaks,
             sum(CASE WHEN {condition} THEN continues ELSE 0 END) AS {name}_continuations"
        )
    };
    format!(
        "WITH plays AS (
            SELECT \"user\", listened_at,
                date_part('epoch', listened_at) + coalesce(ms_played, 0) / 1000.0 AS ended,
                {TRACK_KEY} AS track_key, CASE WHEN song_id IS NULL THEN 0 ELSE 1 END AS is_ost,
                CASE WHEN {condition} THEN 1 ELSE 0 END AS in_scope
            FROM listens),
         ordered AS (
            SELECT *, date_part('epoch', listened_at) - lag(ended) OVER listener_time AS gap,
                lag(track_key) OVER listener_time AS previous_track
            FROM plays WINDOW listener_time AS (PARTITION BY \"user\" ORDER BY listened_at, track_key)),
         flagged AS (
            SELECT *, CASE WHEN gap IS NULL OR gap > {SESSION_GAP_SECONDS} THEN 1 ELSE 0 END AS new_session,
                CASE WHEN previous_track = track_key AND gap <= {SESSION_GAP_SECONDS} THEN 1 ELSE 0 END AS continues
            FROM ordered),
         numbered AS (
            SELECT *, sum(new_session) OVER listener_time AS session_number,
                coalesce(lag(continues) OVER listener_time, 0) AS previous_continues
            FROM flagged WINDOW listener_time AS (PARTITION BY \"user\" ORDER BY listened_at, track_key
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)),
         replayed AS (
            SELECT *, CASE WHEN lag(session_number) OVER session_track = session_number
                AND lag(track_key) OVER session_track = track_key THEN 1 ELSE 0 END AS replay
            FROM numbered WINDOW session_track AS (PARTITION BY \"user\" ORDER BY session_number, track_key))
         SELECT sum(new_session) AS sessions, sum(CASE WHEN gap IS NULL THEN 1 ELSE 0 END) AS listeners,
            {all}, {ost}, {scoped}
         FROM replayed",
        condition = scope.condition(),
        all = class("all", "TRUE"),
        ost = class("ost", "is_ost = 1"),
        scoped = class("scope", "in_scope = 1"),
    )
}

pub async fn sessions(context: &SessionContext, scope: &Resolved) -> Result<Sessions, ListenersError> {
    let batches = collect(context, &sql(scope)).await?;
    let batch = batches.iter().find(|batch| batch.num_rows() > 0);
    let value = |name: &str| -> Result<i64, ListenersError> {
        match batch {
            Some(batch) => {
                let column = int64_column(batch, name)?;
                Ok(if column.is_valid(0) { column.value(0) } else { 0 })
            }
            None => Ok(0),
        }
    };
    let counts = |class: &str| -> Result<ReplayCounts, ListenersError> {
        let streaks = value(&format!("{class}_streaks"))?;
        Ok(ReplayCounts {
            plays: value(&format!("{class}_plays"))?,
            replays: value(&format!("{class}_replays"))?,
            streaks,
            plays_in_streaks: streaks + value(&format!("{class}_continuations"))?,
        })
    };
    Ok(Sessions {
        scope: scope.label.clone(),
        sessions: value("sessions")?,
        listeners: value("listeners")?,
        all: counts("all")?,
        ost: counts("ost")?,
        in_scope: counts("scope")?,
    })
}
