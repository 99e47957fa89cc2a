//! Hour of day × weekday in the listener's local time: the plays in scope and, in the same pass,
//! all plays, so a song's rhythm reads against the listeners' everyday rhythm (an index of 2 at
//! Monday 22:00 means the song takes twice its usual share of listening then).
//!
//! Plan: `listens` joined to `zone_offsets` on country and UTC day; the local hour number is
//! `floor((epoch seconds + offset) / 3600)`, its hour of day `% 24` and its weekday (Monday 0)
//! from the local day number, since 1970-01-01 was a Thursday.

use serde::Serialize;

use datafusion::prelude::SessionContext;

use crate::error::ListenersError;
use crate::frames::{collect, int64_column};
use crate::scope::Resolved;

/// The local hour number of a listen, for plans that join `zone_offsets` as `z`.
pub const LOCAL_HOUR: &str = "CAST(floor((date_part('epoch', l.listened_at) + z.offset_seconds) / 3600.0) AS BIGINT)";

/// The join of `listens l` to its zone offset `z`.
pub const LISTENS_IN_LOCAL_TIME: &str = "listens l JOIN zone_offsets z ON z.country = coalesce(l.country, '') \
     AND z.utc_day = CAST(floor(date_part('epoch', l.listened_at) / 86400.0) AS BIGINT)";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heatmap {
    pub scope: String,
    /// `cells[weekday][hour]`, Monday first.
    pub cells: Vec<Vec<HeatCell>>,
    pub plays: i64,
    pub all_plays: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HeatCell {
    pub plays: i64,
    pub all_plays: i64,
    /// The cell's share of the scope's plays.
    pub share: f64,
    /// The cell's share of all plays.
    pub baseline_share: f64,
    /// `share / baseline_share`: above 1 when the scope is played more than usual then.
    pub index: Option<f64>,
}

pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The plan's SQL.
pub fn sql(scope: &Resolved) -> String {
    format!(
        "SELECT CAST((floor(local_hour / 24.0) + 3) % 7 AS BIGINT) AS weekday, local_hour % 24 AS hour, \
         sum(in_scope) AS plays, count(*) AS all_plays \
         FROM (SELECT {LOCAL_HOUR} AS local_hour, CASE WHEN {condition} THEN 1 ELSE 0 END AS in_scope \
         FROM {LISTENS_IN_LOCAL_TIME}) \
         GROUP BY 1, 2",
        condition = scope.condition().replace("song_id", "l.song_id"),
    )
}

pub async fn heatmap(context: &SessionContext, scope: &Resolved) -> Result<Heatmap, ListenersError> {
    let mut counts = vec![vec![(0_i64, 0_i64); 24]; 7];
    for batch in collect(context, &sql(scope)).await? {
        let (weekdays, hours) = (int64_column(&batch, "weekday")?, int64_column(&batch, "hour")?);
        let (plays, all) = (int64_column(&batch, "plays")?, int64_column(&batch, "all_plays")?);
        for row in 0..batch.num_rows() {
            let (weekday, hour) =
                (weekdays.value(row).rem_euclid(7) as usize, hours.value(row).rem_euclid(24) as usize);
            counts[weekday][hour].0 += plays.value(row);
            counts[weekday][hour].1 += all.value(row);
        }
    }
    let plays: i64 = counts.iter().flatten().map(|cell| cell.0).sum();
    let all_plays: i64 = counts.iter().flatten().map(|cell| cell.1).sum();
    let fraction = |part: i64, whole: i64| if whole > 0 { part as f64 / whole as f64 } else { 0.0 };
    let cells = counts
        .iter()
        .map(|day| {
            day.iter()
                .map(|&(cell_plays, cell_all)| {
                    let share = fraction(cell_plays, plays);
                    let baseline_share = fraction(cell_all, all_plays);
                    let index = (baseline_share > 0.0 && plays > 0).then(|| share / baseline_share);
                    HeatCell { plays: cell_plays, all_plays: cell_all, share, baseline_share, index }
                })
                .collect()
        })
        .collect();
    Ok(Heatmap { scope: scope.label.clone(), cells, plays, all_plays })
}
