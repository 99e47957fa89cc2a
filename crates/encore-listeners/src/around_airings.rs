//! Listening around a drama's airings: the plays of its OSTs in each hour from 48 h before to 72 h
//! after every airing, against the same hours of the week in the two weeks after the broadcast's
//! last window (the nearest weeks with no airing, before listening has had time to decay). Each
//! airing gives a lift per hour (plays ÷ baseline); the curve is their mean with a 95 % interval
//! from their spread across airings (mean ± 1.96 standard errors).
//!
//! Plan: OST plays counted per UTC hour number; a row for each hour an airing's window asks for
//! (airings crossed with the 120 offsets), joined to the counted hours of the same hour of the
//! week (`hour number % 168`): the one of its own hour number gives its plays, those in the
//! baseline weeks its baseline; aggregated per asked hour, then per offset. The counts are
//! joined once, so the listens are scanned once: an engine that does not materialise a common
//! table expression would scan them again for each join of it.

use datafusion::prelude::SessionContext;
use serde::Serialize;

use crate::error::ListenersError;
use crate::frames::{collect, float64_at, float64_column, int64_column, quoted};
use crate::scope::Resolved;

pub const HOURS_BEFORE: i64 = 48;
pub const HOURS_AFTER: i64 = 72;
/// Weeks of baseline after the last airing's window.
pub const BASELINE_WEEKS: i64 = 2;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AiringCurve {
    pub scope: String,
    pub airings: i64,
    /// One point per hour offset, −48 to +71.
    pub points: Vec<AiringPoint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AiringPoint {
    /// Hours from the airing's start.
    pub offset_hours: i64,
    /// Mean plays in that hour over the airings.
    pub plays: f64,
    /// Mean plays in the same hours of the baseline weeks.
    pub baseline: f64,
    /// Mean of the airings' lifts, and its 95 % interval; `None` where the baseline has no play.
    pub lift: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

impl AiringCurve {
    /// The mean lift over the offsets `from..to` (hours), for summaries such as "the three hours
    /// after an airing".
    pub fn mean_lift(&self, from: i64, to: i64) -> Option<f64> {
        let lifts: Vec<f64> = self
            .points
            .iter()
            .filter(|point| (from..to).contains(&point.offset_hours))
            .filter_map(|point| point.lift)
            .collect();
        (!lifts.is_empty()).then(|| lifts.iter().sum::<f64>() / lifts.len() as f64)
    }
}

/// The plan's SQL for the drama's OSTs.
pub fn sql(scope: &Resolved, drama_id: &str) -> String {
    format!(
        "WITH per_hour AS (
            SELECT CAST(floor(date_part('epoch', listened_at) / 3600.0) AS BIGINT) AS hour_number, count(*) AS plays
            FROM listens WHERE {condition} GROUP BY 1),
         air AS (SELECT number, CAST(floor(at_seconds / 3600.0) AS BIGINT) AS air_hour FROM airings WHERE drama_id = {drama}),
         baseline_start AS (SELECT max(air_hour) + {HOURS_AFTER} AS first_hour FROM air),
         offsets AS (SELECT unnest(range(-{HOURS_BEFORE}, {HOURS_AFTER})) AS offset_hours),
         asked AS (SELECT a.number, o.offset_hours, a.air_hour + o.offset_hours AS hour_number FROM air a CROSS JOIN offsets o),
         windows AS (
            SELECT k.number, k.offset_hours,
                coalesce(sum(CASE WHEN p.hour_number = k.hour_number THEN p.plays END), 0) AS plays,
                coalesce(sum(CASE WHEN p.hour_number >= s.first_hour AND p.hour_number < s.first_hour + {BASELINE_WEEKS} * 168
                    THEN p.plays END), 0) / {BASELINE_WEEKS}.0 AS baseline
            FROM asked k CROSS JOIN baseline_start s
            LEFT JOIN per_hour p ON p.hour_number % 168 = k.hour_number % 168
            GROUP BY k.number, k.offset_hours)
         SELECT offset_hours, count(*) AS airings, avg(plays) AS plays, avg(baseline) AS baseline,
            avg(CASE WHEN baseline > 0 THEN plays / baseline END) AS lift,
            stddev(CASE WHEN baseline > 0 THEN plays / baseline END) AS lift_sd,
            count(CASE WHEN baseline > 0 THEN 1 END) AS lifts
         FROM windows GROUP BY offset_hours",
        condition = scope.condition(),
        drama = quoted(drama_id),
    )
}

pub async fn around_airings(
    context: &SessionContext,
    scope: &Resolved,
    drama_id: &str,
) -> Result<AiringCurve, ListenersError> {
    let mut points = Vec::new();
    let mut airings = 0;
    for batch in collect(context, &sql(scope, drama_id)).await? {
        let offsets = int64_column(&batch, "offset_hours")?;
        let counts = int64_column(&batch, "airings")?;
        let (plays, baseline) = (float64_column(&batch, "plays")?, float64_column(&batch, "baseline")?);
        let (lift, spread, lifts) =
            (float64_column(&batch, "lift")?, float64_column(&batch, "lift_sd")?, int64_column(&batch, "lifts")?);
        for row in 0..batch.num_rows() {
            airings = airings.max(counts.value(row));
            let mean = float64_at(&lift, row);
            let half_width = float64_at(&spread, row)
                .filter(|_| lifts.value(row) > 1)
                .map(|sd| 1.96 * sd / (lifts.value(row) as f64).sqrt());
            points.push(AiringPoint {
                offset_hours: offsets.value(row),
                plays: plays.value(row),
                baseline: baseline.value(row),
                lift: mean,
                low: mean.zip(half_width).map(|(mean, half)| (mean - half).max(0.0)),
                high: mean.zip(half_width).map(|(mean, half)| mean + half),
            });
        }
    }
    points.sort_by_key(|point| point.offset_hours);
    Ok(AiringCurve { scope: scope.label.clone(), airings, points })
}
