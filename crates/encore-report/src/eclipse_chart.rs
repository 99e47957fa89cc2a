//! The eclipse figure of a case: the song's and the drama's daily attention indices (0-100) on one
//! timeline, with the drama's premiere and finale and the crossover day marked.

use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;

use encore_analytics::Point;

use crate::drawing::{
    draw_legend, draw_line, draw_nothing_to_show, draw_panel_axes, draw_panel_grid, draw_title, layout_panels,
    series_color, DrawResult, Figure, Panel, Swatch, ValueAxis, CROSSOVER_LINE, FIGURE_HEIGHT, FIGURE_WIDTH, INK,
};
use crate::labels::LabelPlacer;
use crate::markers::{draw_date_markers, DateMarker, MarkerKind};
use crate::names::score_text;
use crate::panels::DateSpan;
use encore_analytics::{AttentionBasis, Case};

const SONG_COLOR_INDEX: usize = 0;
const DRAMA_COLOR_INDEX: usize = 2;

/// The SVG of the eclipse figure, one panel per cluster of dates.
pub fn eclipse_chart_svg(case: &Case<'_>, clusters: &[DateSpan]) -> DrawResult<String> {
    let mut svg = String::new();
    {
        let figure = SVGBackend::with_string(&mut svg, (FIGURE_WIDTH as u32, FIGURE_HEIGHT as u32)).into_drawing_area();
        draw_eclipse_figure(&figure, case, clusters)?;
        figure.present()?;
    }
    Ok(svg)
}

fn draw_eclipse_figure(figure: &Figure<'_>, case: &Case<'_>, clusters: &[DateSpan]) -> DrawResult<()> {
    figure.fill(&WHITE)?;
    let drama_title = case.drama.map(|drama| drama.display_title()).unwrap_or("its drama");
    let title = format!("\u{201C}{}\u{201D} vs {}", case.song.display_title(), drama_title);
    draw_title(figure, &title, &format!("eclipse score {}", score_text(case.eclipse.score)))?;
    if (case.song_attention.is_empty() && case.drama_attention.is_empty()) || clusters.is_empty() {
        return draw_nothing_to_show(figure, "No attention to show: no chart entries and no airing dates");
    }
    let axis = ValueAxis {
        value_at_top: 105.0,
        value_at_bottom: 0.0,
        ticks: [0.0, 25.0, 50.0, 75.0, 100.0].into_iter().map(|value| (value, format!("{value}"))).collect(),
        title: "attention index (0-100)".to_string(),
    };
    let mut markers = Vec::new();
    if let Some(drama) = case.drama {
        if let Some(premiere) = drama.premiere {
            markers.push(DateMarker { date: premiere, kind: MarkerKind::Premiere, label: Some("premiere".into()) });
        }
        if let Some(finale) = drama.finale {
            markers.push(DateMarker { date: finale, kind: MarkerKind::Finale, label: Some("finale".into()) });
        }
    }
    markers.extend(crossover_marker(case));
    let mut placer = LabelPlacer::new();
    for panel in layout_panels(clusters) {
        draw_panel_grid(figure, &panel, &axis)?;
        draw_date_markers(figure, &panel, &markers, &mut placer)?;
        draw_attention(figure, &panel, &axis, &case.drama_attention, &series_color(DRAMA_COLOR_INDEX))?;
        draw_attention(figure, &panel, &axis, &case.song_attention, &series_color(SONG_COLOR_INDEX))?;
        draw_panel_axes(figure, &panel, &axis)?;
    }
    let mut legend = vec![
        (Swatch::Line { color: series_color(SONG_COLOR_INDEX), width: 2 }, "song (chart positions)".to_string()),
        (
            Swatch::Line { color: series_color(DRAMA_COLOR_INDEX), width: 2 },
            drama_legend(case.drama_attention_basis).to_string(),
        ),
    ];
    if markers.iter().any(|marker| matches!(marker.kind, MarkerKind::Premiere | MarkerKind::Finale)) {
        legend.push((Swatch::Line { color: INK, width: 2 }, "premiere, finale".to_string()));
    }
    if markers.iter().any(|marker| marker.kind == MarkerKind::Crossover) {
        legend
            .push((Swatch::DashedLine { color: CROSSOVER_LINE, width: 2 }, "crossover: song above drama".to_string()));
    }
    draw_legend(figure, &legend)
}

/// The crossover the page names (see `Eclipse::crossover_text`): the day on a dated chart, or, when
/// a year-end chart passed the drama in an earlier year, that year, marked mid-year where the
/// rank chart puts year-end positions.
fn crossover_marker(case: &Case<'_>) -> Option<DateMarker> {
    let eclipse = &case.eclipse;
    let by_year_end = match (eclipse.crossover, eclipse.crossover_year) {
        (Some(day), Some(year)) => year < day.year(),
        (None, Some(_)) => true,
        _ => false,
    };
    if by_year_end {
        let year = eclipse.crossover_year?;
        let middle_of_year = NaiveDate::from_ymd_opt(year, 7, 2)?;
        return Some(DateMarker {
            date: middle_of_year,
            kind: MarkerKind::Crossover,
            label: Some(format!("crossover {year} (year-end chart)")),
        });
    }
    let day = eclipse.crossover?;
    Some(DateMarker { date: day, kind: MarkerKind::Crossover, label: Some(format!("crossover {day}")) })
}

/// One index as lines, broken on days without a point (the song off every chart).
fn draw_attention(
    figure: &Figure<'_>,
    panel: &Panel,
    axis: &ValueAxis,
    points: &[Point],
    color: &RGBColor,
) -> DrawResult<()> {
    let shown: Vec<&Point> = points.iter().filter(|point| panel.shows(point.date)).collect();
    let mut segment: Vec<(i32, i32)> = Vec::new();
    let mut previous_day: Option<NaiveDate> = None;
    for point in shown {
        let continues = previous_day.is_some_and(|day| (point.date - day).num_days() <= 1);
        if !continues {
            draw_segment(figure, std::mem::take(&mut segment), color)?;
        }
        segment.push((panel.x_of(point.date), axis.y_of(&panel.plot, point.value.clamp(0.0, 100.0))));
        previous_day = Some(point.date);
    }
    draw_segment(figure, segment, color)
}

fn draw_segment(figure: &Figure<'_>, segment: Vec<(i32, i32)>, color: &RGBColor) -> DrawResult<()> {
    match segment.len() {
        0 => Ok(()),
        1 => figure.draw(&Circle::new(segment[0], 3, color.filled())),
        _ => draw_line(figure, segment, color, 2),
    }
}

/// The drama line's legend, naming what its index is measured from.
fn drama_legend(basis: AttentionBasis) -> &'static str {
    match basis {
        AttentionBasis::Ratings => "drama (TV ratings, fading after the finale)",
        AttentionBasis::NetflixHoursViewed => "drama (Netflix hours viewed, fading after its last Top 10 week)",
        AttentionBasis::AssumedOnAir => "drama (no ratings or viewing: 100 assumed on air, fading after the finale)",
    }
}
