//! Vertical date markers (episodes, premiere and finale, catalog events, the crossover) and their
//! labels, stacked in the strip above each panel's plot so they never cover the data.

use chrono::NaiveDate;
use plotters::prelude::*;

use crate::drawing::{
    draw_dashed_vertical, draw_label, draw_line, DrawResult, Figure, Panel, CROSSOVER_LINE, EPISODE_LINE, EVENT_LINE,
    INK, LABEL_FONT_PX, LABEL_ROWS, LABEL_ROW_HEIGHT,
};
use crate::labels::{LabelPlacer, PixelBox};

/// What a vertical date marker stands for, which sets its look and its label's priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkerKind {
    Premiere,
    Finale,
    Crossover,
    Event,
    Episode,
}

#[derive(Debug, Clone)]
pub struct DateMarker {
    pub date: NaiveDate,
    pub kind: MarkerKind,
    pub label: Option<String>,
}

fn marker_look(kind: MarkerKind) -> (RGBColor, u32, bool) {
    match kind {
        MarkerKind::Premiere | MarkerKind::Finale => (INK, 2, false),
        MarkerKind::Crossover => (CROSSOVER_LINE, 2, true),
        MarkerKind::Event => (EVENT_LINE, 1, true),
        MarkerKind::Episode => (EPISODE_LINE, 1, false),
    }
}

/// The markers of one panel: lines across the plot, then labels in the strip above it, nearest row
/// first, right of the line or else left of it. A label that finds no room is left out.
pub fn draw_date_markers(
    figure: &Figure<'_>,
    panel: &Panel,
    markers: &[DateMarker],
    placer: &mut LabelPlacer,
) -> DrawResult<()> {
    let mut shown: Vec<&DateMarker> = markers.iter().filter(|marker| panel.shows(marker.date)).collect();
    // Faint lines first so bold ones stay on top.
    shown.sort_by_key(|marker| (std::cmp::Reverse(marker.kind), marker.date));
    for marker in &shown {
        let (color, width, dashed) = marker_look(marker.kind);
        let x = panel.x_of(marker.date);
        if dashed {
            draw_dashed_vertical(figure, x, panel.plot.top, panel.plot.bottom, &color, width)?;
        } else {
            draw_line(figure, vec![(x, panel.plot.top), (x, panel.plot.bottom)], &color, width)?;
        }
    }
    shown.sort_by_key(|marker| (marker.kind, marker.date));
    let mut placed = Vec::new();
    for marker in shown {
        let Some(full_label) = &marker.label else { continue };
        let x = panel.x_of(marker.date);
        let bold = marker_look(marker.kind).1 > 1;
        // Where the whole label has no room, its first word (`crossover`) may still fit.
        let first_word = full_label.split_whitespace().next().unwrap_or(full_label);
        for label in [full_label.as_str(), first_word] {
            let width = PixelBox::of_text(label, LABEL_FONT_PX, bold, 0, 0).width();
            let candidates: Vec<PixelBox> = (0..LABEL_ROWS)
                .flat_map(|row| {
                    let top = panel.label_strip.bottom - (row + 1) * LABEL_ROW_HEIGHT;
                    [
                        PixelBox::of_text(label, LABEL_FONT_PX, bold, x + 3, top),
                        PixelBox::of_text(label, LABEL_FONT_PX, bold, x - 3 - width, top),
                    ]
                })
                .collect();
            if let Some(place) = placer.place(&candidates, &panel.label_strip) {
                placed.push((marker, label, place));
                break;
            }
        }
    }
    // Poles join each label to its line; labels then go on top on a white backing.
    for (marker, _, place) in &placed {
        let (color, _, _) = marker_look(marker.kind);
        let x = panel.x_of(marker.date);
        draw_line(figure, vec![(x, place.top + 2), (x, panel.plot.top)], &color, 1)?;
    }
    for (marker, label, place) in &placed {
        let (color, width, _) = marker_look(marker.kind);
        draw_label(figure, label, place, &color, width > 1)?;
    }
    Ok(())
}
