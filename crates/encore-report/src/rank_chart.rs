//! The chart-position figure of a case: the song's rank over time, one line per chart and region,
//! rank 1 on top, with the drama's airing, catalog events and the song's peaks marked.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;

use encore_analytics::peaks::max_gap;
use encore_analytics::{Peak, Prominence};
use encore_domain::chart::covered_days;
use encore_domain::{ChartEntry, ChartKind, ChartPeriod};

use crate::drawing::{
    draw_label, draw_legend, draw_line, draw_nothing_to_show, draw_panel_axes, draw_panel_grid, draw_title,
    layout_panels, series_color, DrawResult, Figure, Panel, Swatch, ValueAxis, EPISODE_LINE, EVENT_LINE, FIGURE_HEIGHT,
    FIGURE_WIDTH, INK, LABEL_FONT_PX,
};
use crate::labels::{text_height, LabelPlacer, PixelBox};
use crate::markers::{draw_date_markers, DateMarker, MarkerKind};
use crate::names::{cause_kind_word, chart_and_region, event_marker_word};
use crate::panels::DateSpan;
use encore_analytics::Case;

/// One line of the figure: a song's positions on one chart in one region, one per chart date.
struct ChartSeries<'e> {
    chart: ChartKind,
    region: &'e str,
    positions: Vec<(NaiveDate, u32)>,
}

fn chart_series(entries: &[ChartEntry]) -> Vec<ChartSeries<'_>> {
    let mut best_rank: BTreeMap<(ChartKind, &str), BTreeMap<NaiveDate, u32>> = BTreeMap::new();
    for entry in entries {
        let by_date = best_rank.entry((entry.chart, entry.region.as_str())).or_default();
        let rank = by_date.entry(plotted_date(entry.chart, entry.chart_date)).or_insert(entry.rank);
        // A chart date reported twice (two sources) keeps the better rank.
        *rank = (*rank).min(entry.rank);
    }
    best_rank
        .into_iter()
        .map(|((chart, region), by_date)| ChartSeries { chart, region, positions: by_date.into_iter().collect() })
        .collect()
}

/// Where a chart issue is drawn: a year-end chart speaks for its whole year, so its position sits
/// mid-year, between that year's ticks; daily and weekly issues sit on their chart date.
fn plotted_date(chart: ChartKind, chart_date: NaiveDate) -> NaiveDate {
    match chart.period() {
        ChartPeriod::Year => {
            let (first, last) = covered_days(ChartPeriod::Year, chart_date);
            first + (last - first) / 2
        }
        ChartPeriod::RealTime | ChartPeriod::Day | ChartPeriod::Week | ChartPeriod::Month => chart_date,
    }
}

/// A rank axis from rank 1 (top) to a little below the worst rank, with ticks at round ranks.
fn rank_axis(worst_rank: u32) -> ValueAxis {
    let worst = f64::from(worst_rank.max(10));
    let step = [1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0].into_iter().find(|step| worst / step <= 6.0).unwrap_or(100.0);
    let bottom = (worst / step).ceil() * step;
    let mut ticks = vec![(1.0, "1".to_string())];
    let mut tick = step;
    while tick <= bottom {
        if tick > 1.0 {
            ticks.push((tick, format!("{tick}")));
        }
        tick += step;
    }
    ValueAxis {
        value_at_top: 1.0 - 0.05 * (bottom - 1.0),
        value_at_bottom: bottom + 0.06 * bottom,
        ticks,
        title: "chart rank (1 = top)".to_string(),
    }
}

/// The date markers of a case: episodes, premiere and finale, the song's release, catalog events.
pub fn case_date_markers(case: &Case<'_>, with_episodes: bool) -> Vec<DateMarker> {
    let mut markers = Vec::new();
    if with_episodes {
        for aired in case.episodes.iter().filter_map(|episode| episode.air_date) {
            markers.push(DateMarker { date: aired, kind: MarkerKind::Episode, label: None });
        }
    }
    if let Some(drama) = case.drama {
        if let Some(premiere) = drama.premiere {
            markers.push(DateMarker { date: premiere, kind: MarkerKind::Premiere, label: Some("premiere".into()) });
        }
        if let Some(finale) = drama.finale {
            markers.push(DateMarker { date: finale, kind: MarkerKind::Finale, label: Some("finale".into()) });
        }
    }
    if let Some(release) = case.song.release_date {
        markers.push(DateMarker { date: release, kind: MarkerKind::Event, label: Some("release".into()) });
    }
    for event in &case.events {
        let (Some(word), Some(date)) = (event_marker_word(event.kind), event.date) else { continue };
        // A year is too vague to mark; a month is marked at its first day.
        if matches!(date, encore_domain::PartialDate::Year(_)) {
            continue;
        }
        markers.push(DateMarker { date: date.first_day(), kind: MarkerKind::Event, label: Some(word.to_string()) });
    }
    markers.sort_by(|left, right| (left.kind, left.date, &left.label).cmp(&(right.kind, right.date, &right.label)));
    markers.dedup_by(|left, right| left.kind == right.kind && left.date == right.date && left.label == right.label);
    markers
}

/// The SVG of the chart-position figure, one panel per cluster of dates.
pub fn rank_chart_svg(case: &Case<'_>, clusters: &[DateSpan]) -> DrawResult<String> {
    let mut svg = String::new();
    {
        let figure = SVGBackend::with_string(&mut svg, (FIGURE_WIDTH as u32, FIGURE_HEIGHT as u32)).into_drawing_area();
        draw_rank_figure(&figure, case, clusters)?;
        figure.present()?;
    }
    Ok(svg)
}

fn draw_rank_figure(figure: &Figure<'_>, case: &Case<'_>, clusters: &[DateSpan]) -> DrawResult<()> {
    figure.fill(&WHITE)?;
    draw_title(figure, &format!("\u{201C}{}\u{201D}: chart positions", case.song.display_title()), "")?;
    let series = chart_series(&case.entries);
    if series.is_empty() || clusters.is_empty() {
        return draw_nothing_to_show(figure, "No chart entries for this song");
    }
    let worst_rank = series.iter().flat_map(|line| line.positions.iter().map(|(_, rank)| *rank)).max().unwrap_or(1);
    let axis = rank_axis(worst_rank);
    let markers = case_date_markers(case, true);
    let mut placer = LabelPlacer::new();
    for panel in layout_panels(clusters) {
        draw_panel_grid(figure, &panel, &axis)?;
        draw_date_markers(figure, &panel, &markers, &mut placer)?;
        for (index, line) in series.iter().enumerate() {
            draw_series(figure, &panel, &axis, line, &series_color(index), &mut placer)?;
        }
        draw_peaks(figure, &panel, &axis, &series, &case.peaks, &mut placer)?;
        draw_panel_axes(figure, &panel, &axis)?;
    }
    let mut legend: Vec<(Swatch, String)> = series
        .iter()
        .enumerate()
        .map(|(index, line)| {
            (Swatch::Line { color: series_color(index), width: 2 }, chart_and_region(line.chart, line.region))
        })
        .collect();
    if !case.episodes.is_empty() {
        legend.push((Swatch::Line { color: EPISODE_LINE, width: 1 }, "episode".into()));
    }
    if markers.iter().any(|marker| matches!(marker.kind, MarkerKind::Premiere | MarkerKind::Finale)) {
        legend.push((Swatch::Line { color: INK, width: 2 }, "premiere, finale".into()));
    }
    if markers.iter().any(|marker| marker.kind == MarkerKind::Event) {
        legend.push((Swatch::DashedLine { color: EVENT_LINE, width: 1 }, "release or catalog event".into()));
    }
    if case.peaks.iter().any(|peak| peak.prominence == Prominence::Primary) {
        legend.push((Swatch::FilledTriangle(INK), "primary peak".into()));
    }
    if case.peaks.iter().any(|peak| peak.prominence == Prominence::Secondary) {
        legend.push((Swatch::HollowCircle(INK), "secondary peak".into()));
    }
    draw_legend(figure, &legend)
}

fn draw_series(
    figure: &Figure<'_>,
    panel: &Panel,
    axis: &ValueAxis,
    line: &ChartSeries<'_>,
    color: &RGBColor,
    placer: &mut LabelPlacer,
) -> DrawResult<()> {
    if line.chart.period() == ChartPeriod::Year {
        return draw_year_end_series(figure, panel, axis, line, color, placer);
    }
    let gap = max_gap(line.chart.period());
    let shown: Vec<(NaiveDate, u32)> = line.positions.iter().copied().filter(|(date, _)| panel.shows(*date)).collect();
    let pixel = |(date, rank): (NaiveDate, u32)| (panel.x_of(date), axis.y_of(&panel.plot, f64::from(rank)));
    // Sparse series (year-end charts, short runs) get a dot per position; a lone position always does.
    let dot_every_position = shown.len() <= 40;
    let mut segment: Vec<(i32, i32)> = Vec::new();
    for (index, position) in shown.iter().enumerate() {
        segment.push(pixel(*position));
        let segment_ends = shown.get(index + 1).is_none_or(|next| next.0 - position.0 > gap);
        if !segment_ends {
            continue;
        }
        if segment.len() > 1 {
            draw_line(figure, std::mem::take(&mut segment), color, 2)?;
        } else if let Some(lone) = segment.pop() {
            figure.draw(&Circle::new(lone, 3, color.filled()))?;
        }
        segment.clear();
    }
    if dot_every_position {
        for position in &shown {
            figure.draw(&Circle::new(pixel(*position), 2, color.filled()))?;
        }
    }
    Ok(())
}

/// A year-end rank speaks for its whole year, so it is a bar across that year with a dot mid-year;
/// joining two years with a slope would invent a fall or rise that no chart recorded. Peak labels
/// keep off the bars.
fn draw_year_end_series(
    figure: &Figure<'_>,
    panel: &Panel,
    axis: &ValueAxis,
    line: &ChartSeries<'_>,
    color: &RGBColor,
    placer: &mut LabelPlacer,
) -> DrawResult<()> {
    for (middle_of_year, rank) in &line.positions {
        let year = middle_of_year.year();
        let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
        else {
            continue;
        };
        let first_shown = first.max(panel.shown.first);
        let last_shown = last.min(panel.shown.last);
        if first_shown > last_shown {
            continue;
        }
        let y = axis.y_of(&panel.plot, f64::from(*rank));
        let (left, right) = (panel.x_of(first_shown), panel.x_of(last_shown));
        draw_line(figure, vec![(left, y), (right, y)], color, 3)?;
        placer.reserve(PixelBox { left, top: y - 2, right, bottom: y + 2 });
        if panel.shows(*middle_of_year) {
            figure.draw(&Circle::new((panel.x_of(*middle_of_year), y), 3, color.filled()))?;
        }
    }
    Ok(())
}

/// Peak markers, then their labels (`#1 viral`) wherever they fit around the marker, primary first.
fn draw_peaks(
    figure: &Figure<'_>,
    panel: &Panel,
    axis: &ValueAxis,
    series: &[ChartSeries<'_>],
    peaks: &[Peak],
    placer: &mut LabelPlacer,
) -> DrawResult<()> {
    let mut shown: Vec<(&Peak, (i32, i32), RGBColor)> = Vec::new();
    for peak in peaks {
        let date = plotted_date(peak.chart, peak.date);
        if !panel.shows(date) {
            continue;
        }
        let index = series.iter().position(|line| line.chart == peak.chart && line.region == peak.region).unwrap_or(0);
        let at = (panel.x_of(date), axis.y_of(&panel.plot, f64::from(peak.rank)));
        shown.push((peak, at, series_color(index)));
    }
    for (peak, (x, y), color) in &shown {
        match peak.prominence {
            Prominence::Primary => figure.draw(&TriangleMarker::new((*x, *y), 7, color.filled()))?,
            Prominence::Secondary => {
                figure.draw(&Circle::new((*x, *y), 5, WHITE.filled()))?;
                figure.draw(&Circle::new((*x, *y), 5, color.stroke_width(2)))?;
            }
        }
        placer.reserve(PixelBox { left: x - 6, top: y - 6, right: x + 6, bottom: y + 6 });
    }
    shown.sort_by_key(|(peak, _, _)| (peak.prominence != Prominence::Primary, peak.rank, peak.date));
    for (peak, (x, y), _) in &shown {
        let label = format!("#{} {}", peak.rank, cause_kind_word(peak.cause.kind));
        let bold = peak.prominence == Prominence::Primary;
        let width = PixelBox::of_text(&label, LABEL_FONT_PX, bold, 0, 0).width();
        let height = text_height(LABEL_FONT_PX);
        // A peak is the top of its own line, so above it is usually clear of the data.
        let candidates = [
            PixelBox::of_text(&label, LABEL_FONT_PX, bold, x - width / 2, y - 8 - height),
            PixelBox::of_text(&label, LABEL_FONT_PX, bold, x + 8, y - height - 2),
            PixelBox::of_text(&label, LABEL_FONT_PX, bold, x - 8 - width, y - height - 2),
            PixelBox::of_text(&label, LABEL_FONT_PX, bold, x + 8, y - height / 2),
            PixelBox::of_text(&label, LABEL_FONT_PX, bold, x - 8 - width, y - height / 2),
            PixelBox::of_text(&label, LABEL_FONT_PX, bold, x - width / 2, y + 8),
        ];
        if let Some(place) = placer.place(&candidates, &panel.plot) {
            draw_label(figure, &label, &place, &INK, bold)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rank_axis_runs_from_one_down_to_round_ranks() {
        let axis = rank_axis(87);
        let labels: Vec<&str> = axis.ticks.iter().map(|(_, label)| label.as_str()).collect();
        assert_eq!(labels, ["1", "20", "40", "60", "80", "100"]);
        assert!(axis.value_at_top < 1.0 && axis.value_at_bottom > 100.0);
        let short = rank_axis(3);
        assert_eq!(short.ticks.first().map(|(value, _)| *value), Some(1.0));
        assert!(short.ticks.len() <= 11);
    }
}
