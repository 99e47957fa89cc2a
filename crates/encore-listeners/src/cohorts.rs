//! Cohorts and retention around a drama's broadcast. A listener joins the cohort of the week of
//! their first play of the drama's OSTs (weeks counted from the premiere's airing) and of its
//! phase: before the premiere, during the broadcast (to a day after the finale's airing), or after
//! it. Retention is the share of a cohort playing the OSTs in week N after the broadcast's end.
//! The phase split is the gateway measure: listeners who came to the OSTs only after the finale
//! heard them without the broadcast to bring them.
//!
//! Plan: the listens aggregated once to a row per listener and week (weeks counted from the
//! broadcast's end) with the week's first play; window functions over each listener's rows give
//! their first play and mark one row per listener; counted per cohort and week. One aggregate
//! keeps the listens to one scan: an engine that does not materialise a common table expression
//! would scan them again for each use of it.

use std::collections::BTreeMap;

use datafusion::prelude::SessionContext;
use serde::Serialize;

use crate::error::ListenersError;
use crate::frames::{collect, int64_column, quoted, string_column};
use crate::scope::Resolved;

/// Weeks after the broadcast the retention curves follow.
pub const RETENTION_WEEKS: i64 = 26;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    BeforePremiere,
    DuringBroadcast,
    AfterFinale,
}

impl Phase {
    fn from_sql(text: &str) -> Option<Phase> {
        match text {
            "before_premiere" => Some(Phase::BeforePremiere),
            "during_broadcast" => Some(Phase::DuringBroadcast),
            "after_finale" => Some(Phase::AfterFinale),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Phase::BeforePremiere => "before the premiere",
            Phase::DuringBroadcast => "during the broadcast",
            Phase::AfterFinale => "after the finale",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cohorts {
    pub scope: String,
    /// Listeners by the phase of their first play: the gateway split.
    pub first_plays: Vec<(Phase, i64)>,
    /// Per phase, the share of its listeners playing in each week after the broadcast.
    pub retention: Vec<RetentionCurve>,
    /// Per week of first play (0 = the premiere's week), listeners and their retention.
    pub by_first_week: Vec<RetentionCurve>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetentionCurve {
    pub phase: Phase,
    /// Week of first play from the premiere's week, for per-week cohorts.
    pub first_week: Option<i64>,
    pub listeners: i64,
    /// `shares[n]`: share of the cohort playing in week n after the broadcast.
    pub shares: Vec<f64>,
}

impl Cohorts {
    /// The share of listeners whose first play came after the finale.
    pub fn gateway_share(&self) -> Option<f64> {
        let total: i64 = self.first_plays.iter().map(|(_, listeners)| listeners).sum();
        let after = self.first_plays.iter().find(|(phase, _)| *phase == Phase::AfterFinale).map_or(0, |entry| entry.1);
        (total > 0).then(|| after as f64 / total as f64)
    }
}

pub fn sql(scope: &Resolved, drama_id: &str) -> String {
    format!(
        "WITH bounds AS (
            SELECT min(at_seconds) AS premiere, max(at_seconds) + 86400 AS broadcast_end FROM airings WHERE drama_id = {drama}),
         listener_weeks AS (
            SELECT p.\"user\", CAST(floor((p.played - b.broadcast_end) / 604800.0) AS BIGINT) AS week,
                min(p.played) AS first_played
            FROM (SELECT \"user\", date_part('epoch', listened_at) AS played FROM listens WHERE {condition}) p
                CROSS JOIN bounds b
            GROUP BY 1, 2),
         per_listener AS (
            SELECT week, min(first_played) OVER listener AS first_played,
                CASE WHEN week = min(week) OVER listener THEN 1 ELSE 0 END AS first_row
            FROM listener_weeks WINDOW listener AS (PARTITION BY \"user\")),
         retained AS (
            SELECT CASE WHEN l.first_played < b.premiere THEN 'before_premiere'
                WHEN l.first_played < b.broadcast_end THEN 'during_broadcast' ELSE 'after_finale' END AS phase,
                CAST(floor((l.first_played - b.premiere) / 604800.0) AS BIGINT) AS first_week,
                CASE WHEN l.week >= 0 AND l.week < {RETENTION_WEEKS} THEN l.week ELSE -1 END AS week, l.first_row
            FROM per_listener l CROSS JOIN bounds b)
         SELECT phase, first_week, week, sum(CASE WHEN week >= 0 THEN 1 ELSE 0 END) AS listeners,
            sum(first_row) AS members
         FROM retained GROUP BY 1, 2, 3",
        condition = scope.condition(),
        drama = quoted(drama_id),
    )
}

/// The cohorts' curves: the plan's rows count a cohort's members (each listener once) and its
/// listeners active in a week after the broadcast (week −1 gathers the weeks outside those).
pub async fn cohorts(context: &SessionContext, scope: &Resolved, drama_id: &str) -> Result<Cohorts, ListenersError> {
    // (phase, first week) → (listeners, active listeners per week)
    let mut counts: BTreeMap<(Phase, i64), (i64, Vec<i64>)> = BTreeMap::new();
    let weeks = RETENTION_WEEKS as usize;
    for batch in collect(context, &sql(scope, drama_id)).await? {
        let (phases, first_weeks) = (string_column(&batch, "phase")?, int64_column(&batch, "first_week")?);
        let (active_weeks, listeners) = (int64_column(&batch, "week")?, int64_column(&batch, "listeners")?);
        let members = int64_column(&batch, "members")?;
        for row in 0..batch.num_rows() {
            let Some(phase) = Phase::from_sql(phases.value(row)) else { continue };
            let entry = counts.entry((phase, first_weeks.value(row))).or_insert_with(|| (0, vec![0; weeks]));
            entry.0 += members.value(row);
            if let Some(slot) = usize::try_from(active_weeks.value(row)).ok().and_then(|week| entry.1.get_mut(week)) {
                *slot += listeners.value(row);
            }
        }
    }
    let curve = |phase: Phase, first_week: Option<i64>, size: i64, active: &[i64]| RetentionCurve {
        phase,
        first_week,
        listeners: size,
        shares: active.iter().map(|&count| if size > 0 { count as f64 / size as f64 } else { 0.0 }).collect(),
    };
    let mut by_first_week = Vec::new();
    let mut by_phase: BTreeMap<Phase, (i64, Vec<i64>)> = BTreeMap::new();
    for ((phase, first_week), (size, active)) in &counts {
        by_first_week.push(curve(*phase, Some(*first_week), *size, active));
        let total = by_phase.entry(*phase).or_insert_with(|| (0, vec![0; weeks]));
        total.0 += size;
        total.1.iter_mut().zip(active).for_each(|(sum, count)| *sum += count);
    }
    let retention = by_phase.iter().map(|(phase, (size, active))| curve(*phase, None, *size, active)).collect();
    let first_plays = by_phase.iter().map(|(phase, (size, _))| (*phase, *size)).collect();
    Ok(Cohorts { scope: scope.label.clone(), first_plays, retention, by_first_week })
}
