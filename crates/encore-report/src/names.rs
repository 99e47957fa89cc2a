//! Short words for analytics values, shared by the charts (where space is tight) and the HTML.

use encore_analytics::{CauseKind, Prominence};
use encore_domain::{ChartKind, EventKind};

/// The chart and region of a series: `Spotify daily Top 200 (kr)`.
pub fn chart_and_region(chart: ChartKind, region: &str) -> String {
    if region.is_empty() {
        chart.display_name().to_string()
    } else {
        format!("{} ({region})", chart.display_name())
    }
}

/// A cause in a word or two, for a peak's label on a chart.
pub fn cause_kind_word(kind: CauseKind) -> &'static str {
    match kind {
        CauseKind::Release => "release",
        CauseKind::Premiere => "premiere",
        CauseKind::Finale => "finale",
        CauseKind::Airing => "airing",
        CauseKind::Remix => "remix",
        CauseKind::MusicVideo => "MV",
        CauseKind::ViralTrend => "viral",
        CauseKind::LivePerformance => "live",
        CauseKind::Anniversary => "anniv.",
        CauseKind::Unexplained => "unexplained",
    }
}

/// The label of a catalog event's marker, or `None` for kinds that record attention rather than
/// cause it (chart entries, view counts, awards), which would only clutter the chart.
pub fn event_marker_word(kind: EventKind) -> Option<&'static str> {
    match kind {
        EventKind::Release => Some("release"),
        EventKind::MusicVideo => Some("MV"),
        EventKind::ViralTrend => Some("viral"),
        EventKind::RemixRelease => Some("remix"),
        EventKind::Anniversary => Some("anniversary"),
        EventKind::LivePerformance => Some("live"),
        EventKind::ViewsMilestone | EventKind::ChartEntry | EventKind::ChartReentry | EventKind::Award => None,
    }
}

/// An eclipse score with two decimals. Adding zero turns the `-0.0` that summing no days gives
/// into `0.0`, so the page never shows "-0.00".
pub fn score_text(score: f64) -> String {
    format!("{:.2}", score + 0.0)
}

/// A share (0 to 1) as a percentage with one decimal, without the percent sign.
pub fn percent_text(share: f64) -> String {
    format!("{:.1}", share * 100.0 + 0.0)
}

pub fn prominence_word(prominence: Prominence) -> &'static str {
    match prominence {
        Prominence::Primary => "primary",
        Prominence::Secondary => "secondary",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_never_show_a_negative_zero() {
        let nothing: f64 = std::iter::empty::<f64>().sum();
        assert_eq!(score_text(nothing), "0.00");
        assert_eq!(score_text(12.345), "12.35");
        assert_eq!(percent_text(0.8734), "87.3");
    }
}
