//! Daily series from what collections stored: pageviews as the days they are, and cumulative
//! snapshots (YouTube views, Last.fm playcounts) as the daily increase between them.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use encore_domain::{Snapshot, SnapshotSource};

/// One subject's daily values, oldest first, with no day missing between the first and last.
#[derive(Debug, Clone, PartialEq)]
pub struct DailySeries {
    /// What is counted: `wikipedia_pageviews`, `youtube_views`, `lastfm_playcount`.
    pub source: String,
    pub subject: String,
    pub days: Vec<(NaiveDate, f64)>,
}

/// The daily increase of `metric` for each subject of `snapshots` (of one source).
///
/// Method: each UTC day's last snapshot stands for the count at that day's end; between two such
/// days the increase is spread evenly over the days from the day after the first to the second
/// (a collection that missed days does not pile their views onto one day, which would look like a
/// climb). A count that went down (the service removed invalid views) gives 0, never a negative
/// day. The first day observed has no increase, so it is not in the series.
pub fn daily_from_snapshots(snapshots: &[Snapshot], metric: &str) -> Vec<DailySeries> {
    let mut last_of_day: BTreeMap<(&str, NaiveDate), &Snapshot> = BTreeMap::new();
    let mut source = None;
    for snapshot in snapshots.iter().filter(|snapshot| snapshot.metric == metric) {
        source = Some(snapshot.source);
        let slot = last_of_day.entry((snapshot.subject.as_str(), snapshot.fetched_at.date_naive())).or_insert(snapshot);
        if snapshot.fetched_at >= slot.fetched_at {
            *slot = snapshot;
        }
    }
    let source_name = match source {
        Some(SnapshotSource::Youtube) => format!("youtube_{metric}"),
        Some(SnapshotSource::LastFm) => format!("lastfm_{metric}"),
        None => return Vec::new(),
    };
    let mut by_subject: BTreeMap<&str, Vec<(NaiveDate, u64)>> = BTreeMap::new();
    for ((subject, day), snapshot) in last_of_day {
        by_subject.entry(subject).or_default().push((day, snapshot.value));
    }
    by_subject
        .into_iter()
        .filter_map(|(subject, observed)| {
            let mut days = Vec::new();
            for pair in observed.windows(2) {
                let [(from_day, from_value), (to_day, to_value)] = [pair[0], pair[1]];
                let span = (to_day - from_day).num_days().max(1);
                let per_day = to_value.saturating_sub(from_value) as f64 / span as f64;
                days.extend((1..=span).map(|offset| (from_day + Duration::days(offset), per_day)));
            }
            (!days.is_empty()).then(|| DailySeries { source: source_name.clone(), subject: subject.to_string(), days })
        })
        .collect()
}

/// Stored daily counts of one source as series, a missing day between two counted as 0 (the
/// pageviews API leaves out days without views).
pub fn daily_from_counts(source: &str, counts: &[encore_store::SubjectCount]) -> Vec<DailySeries> {
    let mut by_subject: BTreeMap<&str, BTreeMap<NaiveDate, u64>> = BTreeMap::new();
    for count in counts {
        // A day stored twice (a file ingested by hand beside the collector's) counts once.
        let day = by_subject.entry(count.subject.as_str()).or_default().entry(count.date).or_insert(count.count);
        *day = (*day).max(count.count);
    }
    by_subject
        .into_iter()
        .filter_map(|(subject, counted)| {
            let (first, last) = (*counted.keys().next()?, *counted.keys().next_back()?);
            let days = first
                .iter_days()
                .take_while(|day| *day <= last)
                .map(|day| (day, counted.get(&day).copied().unwrap_or(0) as f64))
                .collect();
            Some(DailySeries { source: source.to_string(), subject: subject.to_string(), days })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn snapshot(hours: i64, value: u64) -> Snapshot {
        let start = DateTime::<Utc>::from_timestamp(1_764_547_200, 0).unwrap_or_default(); // 2025-12-01 00:00
        Snapshot {
            source: SnapshotSource::Youtube,
            subject: "v".to_string(),
            metric: "views".to_string(),
            value,
            fetched_at: start + Duration::hours(hours),
            source_file: String::new(),
        }
    }

    #[test]
    fn snapshots_difference_into_days_and_gaps_are_spread() {
        // Day 1: 100 then 150 (the last counts); day 2: 250; day 4: 450; day 5: 400 (a correction).
        let snapshots = [snapshot(1, 100), snapshot(20, 150), snapshot(30, 250), snapshot(80, 450), snapshot(100, 400)];
        let series = daily_from_snapshots(&snapshots, "views");
        let values: Vec<f64> = series[0].days.iter().map(|(_, value)| *value).collect();
        assert_eq!(series[0].source, "youtube_views");
        assert_eq!(values, vec![100.0, 100.0, 100.0, 0.0]);
        assert_eq!(series[0].days[0].0, NaiveDate::from_ymd_opt(2025, 12, 2).unwrap_or_default());
    }
}
