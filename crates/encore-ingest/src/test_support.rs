//! Helpers shared by the unit tests: chart entries and rejections rendered as one line each, so
//! expectations read as data.

use encore_domain::ChartEntry;

use crate::report::Parsed;

/// `2022-06-18 us #4 "Title" by Artist, prev 8, peak 4, periods 22, line 4`, with streams, uri and
/// genre appended when present.
pub(crate) fn summary(entry: &ChartEntry) -> String {
    let optional = |value: Option<u32>| value.map_or("-".to_string(), |value| value.to_string());
    let mut line = format!(
        "{} {} #{} {:?} by {}, prev {}, peak {}, periods {}, line {}",
        entry.chart_date,
        entry.region,
        entry.rank,
        entry.title,
        entry.artist,
        optional(entry.previous_rank),
        optional(entry.peak_rank),
        optional(entry.periods_on_chart),
        entry.source_line,
    );
    if let Some(streams) = entry.streams {
        line.push_str(&format!(", streams {streams}"));
    }
    if let Some(uri) = &entry.track_uri {
        line.push_str(&format!(", uri {uri}"));
    }
    if let Some(genre) = &entry.genre {
        line.push_str(&format!(", genre {genre}"));
    }
    line
}

/// Asserts the rows and the rejections of a parse, each as one line of text.
pub(crate) fn check(parsed: &Parsed<ChartEntry>, expected_rows: &[&str], expected_rejected: &[&str]) {
    let rows: Vec<String> = parsed.rows.iter().map(summary).collect();
    let rejected: Vec<String> = parsed.rejected.iter().map(ToString::to_string).collect();
    assert_eq!(rows, expected_rows, "rows");
    assert_eq!(rejected, expected_rejected, "rejected");
}
