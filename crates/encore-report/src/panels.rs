//! Splitting a song's timeline into panels, so a song charting in 1985 and again in 2022 gets two
//! readable panels side by side instead of one axis squashed over 37 years.
//!
//! Dates are grouped into clusters: sorted, and split wherever two neighbours are more than
//! [`MAX_GAP_WITHIN_PANEL_DAYS`] apart. At most [`MAX_PANELS`] clusters are kept, by merging the
//! clusters across the smallest gaps, because a panel narrower than about 200 pixels is unreadable.

use chrono::{Duration, NaiveDate};

/// Dates further apart than this (two years) go to separate panels.
pub const MAX_GAP_WITHIN_PANEL_DAYS: i64 = 730;
/// Beyond this many panels each one gets too narrow to read.
pub const MAX_PANELS: usize = 4;
/// The least padding either side of a panel's dates, so a point never sits on the panel's edge.
const MIN_PADDING_DAYS: i64 = 14;

/// A closed interval of days, first and last included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateSpan {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl DateSpan {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last
    }

    /// Days from first to last; 0 for a one-day span.
    pub fn length_days(&self) -> i64 {
        (self.last - self.first).num_days()
    }

    /// The span widened by a twentieth of its length each side (at least two weeks), so that
    /// the first and last points stand clear of the panel's frame.
    pub fn padded(&self) -> DateSpan {
        let padding = Duration::days((self.length_days() / 20).max(MIN_PADDING_DAYS));
        DateSpan { first: self.first - padding, last: self.last + padding }
    }
}

/// The clusters of `dates`: spans split wherever neighbours lie more than `max_gap_days` apart,
/// then merged across the smallest gaps down to `max_clusters`. Sorted by date; empty for no dates.
pub fn cluster_dates(
    dates: impl IntoIterator<Item = NaiveDate>,
    max_gap_days: i64,
    max_clusters: usize,
) -> Vec<DateSpan> {
    let mut sorted: Vec<NaiveDate> = dates.into_iter().collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut clusters: Vec<DateSpan> = Vec::new();
    for day in sorted {
        match clusters.last_mut() {
            Some(current) if (day - current.last).num_days() <= max_gap_days => current.last = day,
            _ => clusters.push(DateSpan { first: day, last: day }),
        }
    }
    while clusters.len() > max_clusters.max(1) {
        let Some(narrowest_gap_after) =
            (0..clusters.len() - 1).min_by_key(|&index| (clusters[index + 1].first - clusters[index].last).num_days())
        else {
            break;
        };
        let following = clusters.remove(narrowest_gap_after + 1);
        clusters[narrowest_gap_after].last = following.last;
    }
    clusters
}

/// The panels of a timeline with the default rules of this module.
pub fn timeline_panels(dates: impl IntoIterator<Item = NaiveDate>) -> Vec<DateSpan> {
    cluster_dates(dates, MAX_GAP_WITHIN_PANEL_DAYS, MAX_PANELS)
}

/// Pixel widths of the panels, summing to `total_width`: half of the width is shared equally and
/// half in proportion to the square root of each panel's length, so a decade-long panel is wider
/// than a three-month one without crushing it.
pub fn panel_widths(spans: &[DateSpan], total_width: i32) -> Vec<i32> {
    if spans.is_empty() {
        return Vec::new();
    }
    let weights: Vec<f64> = spans.iter().map(|span| (span.padded().length_days().max(90) as f64).sqrt()).collect();
    let weight_sum: f64 = weights.iter().sum();
    let panel_count = spans.len() as f64;
    let mut widths: Vec<i32> = weights
        .iter()
        .map(|weight| (f64::from(total_width) * (0.5 / panel_count + 0.5 * weight / weight_sum)).floor() as i32)
        .collect();
    // Rounding down loses a few pixels; the last panel takes them so the figure stays aligned.
    let assigned: i32 = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += total_width - assigned;
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    fn check(dates: &[&str], expected: &[(&str, &str)]) {
        let clusters = timeline_panels(dates.iter().map(|text| day(text)));
        let expected: Vec<DateSpan> =
            expected.iter().map(|(first, last)| DateSpan { first: day(first), last: day(last) }).collect();
        assert_eq!(clusters, expected, "{dates:?}");
    }

    #[test]
    fn decades_apart_make_two_panels() {
        check(
            &["1985-08-10", "1985-11-02", "2022-06-04", "1985-09-14", "2022-08-27"],
            &[("1985-08-10", "1985-11-02"), ("2022-06-04", "2022-08-27")],
        );
    }

    #[test]
    fn one_year_makes_one_panel() {
        check(&["2016-12-02", "2017-01-21", "2017-06-30"], &[("2016-12-02", "2017-06-30")]);
        // Gaps up to two years stay within a panel.
        check(&["2016-12-02", "2018-11-30"], &[("2016-12-02", "2018-11-30")]);
    }

    #[test]
    fn no_dates_make_no_panel() {
        check(&[], &[]);
    }

    #[test]
    fn too_many_clusters_merge_across_the_smallest_gaps() {
        let clusters = cluster_dates(
            ["1980-01-01", "1990-01-01", "1994-01-01", "2010-01-01", "2020-01-01"].map(day),
            MAX_GAP_WITHIN_PANEL_DAYS,
            4,
        );
        assert_eq!(clusters.len(), 4);
        assert_eq!(clusters[1], DateSpan { first: day("1990-01-01"), last: day("1994-01-01") });
    }

    #[test]
    fn widths_fill_the_figure_and_favour_longer_panels() {
        let short = DateSpan { first: day("2022-06-01"), last: day("2022-08-01") };
        let long = DateSpan { first: day("1985-01-01"), last: day("1987-12-31") };
        let widths = panel_widths(&[long, short], 800);
        assert_eq!(widths.iter().sum::<i32>(), 800);
        assert!(widths[0] > widths[1] && widths[1] > 250, "{widths:?}");
    }
}
