//! The figure both charts share: a title, panels side by side (each with a strip for date labels
//! above its plot and a time axis below), and a legend. Axes are drawn here rather than by plotters'
//! mesh, because panels need ticks on calendar months and years, and a rank axis runs upside down.

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::labels::{fit_text, text_height, text_width, PixelBox, BOLD_WIDTH_FACTOR};
use crate::panels::{panel_widths, DateSpan};

pub type Figure<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub type DrawResult<T> = Result<T, DrawingAreaErrorKind<std::io::Error>>;

pub const FIGURE_WIDTH: i32 = 900;
pub const FIGURE_HEIGHT: i32 = 420;
const TITLE_HEIGHT: i32 = 26;
const CAPTION_HEIGHT: i32 = 15;
pub const LABEL_ROWS: i32 = 3;
pub const LABEL_ROW_HEIGHT: i32 = 13;
const X_AXIS_HEIGHT: i32 = 20;
const LEGEND_HEIGHT: i32 = 34;
const Y_AXIS_WIDTH: i32 = 52;
const RIGHT_MARGIN: i32 = 14;
const PANEL_GAP: i32 = 18;
pub const LABEL_FONT_PX: f64 = 10.0;
const TITLE_FONT_PX: f64 = 13.5;

pub const INK: RGBColor = RGBColor(34, 34, 34);
const MUTED_INK: RGBColor = RGBColor(110, 110, 110);
const GRID: RGBColor = RGBColor(232, 232, 232);
pub const EPISODE_LINE: RGBColor = RGBColor(205, 205, 205);
pub const EVENT_LINE: RGBColor = RGBColor(142, 68, 173);
pub const CROSSOVER_LINE: RGBColor = RGBColor(39, 139, 87);
/// The dashboard's palette (`web/charts.js`), for the figures the dashboard also shows as images:
/// the campaign timeline and the lyrics.
pub const DASHBOARD_PALETTE: [RGBColor; 8] = [
    RGBColor(194, 24, 91),
    RGBColor(0, 137, 123),
    RGBColor(245, 124, 0),
    RGBColor(94, 53, 177),
    RGBColor(2, 136, 209),
    RGBColor(109, 76, 65),
    RGBColor(124, 179, 66),
    RGBColor(229, 57, 53),
];

/// One panel of the figure: the dates it shows and where its parts sit, in figure pixels.
#[derive(Debug, Clone)]
pub struct Panel {
    /// The dates of the cluster, padded so points stand clear of the frame.
    pub shown: DateSpan,
    pub plot: PixelBox,
    /// The rows above the plot where date markers put their labels.
    pub label_strip: PixelBox,
    pub is_first: bool,
}

impl Panel {
    pub fn shows(&self, day: NaiveDate) -> bool {
        self.shown.contains(day)
    }

    pub fn x_of(&self, day: NaiveDate) -> i32 {
        let span_days = self.shown.length_days().max(1) as f64;
        let offset_days = (day - self.shown.first).num_days() as f64;
        self.plot.left + (offset_days / span_days * f64::from(self.plot.width())).round() as i32
    }
}

/// A value axis: the values at the plot's top and bottom edges (a rank axis has the smaller value
/// on top) and the ticks to label.
#[derive(Debug, Clone)]
pub struct ValueAxis {
    pub value_at_top: f64,
    pub value_at_bottom: f64,
    pub ticks: Vec<(f64, String)>,
    /// What the values are, written up the left edge of the first panel.
    pub title: String,
}

impl ValueAxis {
    pub fn y_of(&self, plot: &PixelBox, value: f64) -> i32 {
        let fraction = (value - self.value_at_top) / (self.value_at_bottom - self.value_at_top);
        plot.top + (fraction * f64::from(plot.height())).round() as i32
    }
}

/// Panels for the given date clusters, laid out left to right below the title.
pub fn layout_panels(clusters: &[DateSpan]) -> Vec<Panel> {
    let gaps = PANEL_GAP * (clusters.len() as i32 - 1).max(0);
    let widths = panel_widths(clusters, FIGURE_WIDTH - Y_AXIS_WIDTH - RIGHT_MARGIN - gaps);
    let label_strip_top = TITLE_HEIGHT + CAPTION_HEIGHT;
    let plot_top = label_strip_top + LABEL_ROWS * LABEL_ROW_HEIGHT;
    let plot_bottom = FIGURE_HEIGHT - LEGEND_HEIGHT - X_AXIS_HEIGHT;
    let mut left = Y_AXIS_WIDTH;
    let mut panels = Vec::with_capacity(clusters.len());
    for (index, (cluster, width)) in clusters.iter().zip(widths).enumerate() {
        let plot = PixelBox { left, top: plot_top, right: left + width, bottom: plot_bottom };
        let label_strip = PixelBox { left: left - 2, top: label_strip_top, right: left + width + 2, bottom: plot_top };
        panels.push(Panel { shown: cluster.padded(), plot, label_strip, is_first: index == 0 });
        left += width + PANEL_GAP;
    }
    panels
}

fn text_style(font_px: f64, color: &RGBColor, bold: bool, horizontal: HPos) -> TextStyle<'static> {
    // The SVG backend writes `font-size = size / 1.24`; scale up so `font_px` is what viewers use.
    let font = if bold {
        ("sans-serif", font_px * 1.24, FontStyle::Bold).into_font()
    } else {
        ("sans-serif", font_px * 1.24).into_font()
    };
    font.color(color).pos(Pos::new(horizontal, VPos::Top))
}

/// Text with its top edge at `y`, anchored at `x` on the given side.
pub fn draw_text(
    figure: &Figure<'_>,
    text: &str,
    (x, y): (i32, i32),
    font_px: f64,
    color: &RGBColor,
    bold: bool,
    horizontal: HPos,
) -> DrawResult<()> {
    figure.draw(&Text::new(text.to_string(), (x, y), text_style(font_px, color, bold, horizontal)))
}

/// Text on a white backing, so lines behind it do not strike through it.
pub fn draw_label(figure: &Figure<'_>, text: &str, place: &PixelBox, color: &RGBColor, bold: bool) -> DrawResult<()> {
    let backing = [(place.left - 1, place.top), (place.right + 1, place.bottom)];
    figure.draw(&Rectangle::new(backing, WHITE.mix(0.9).filled()))?;
    draw_text(figure, text, (place.left, place.top + 1), LABEL_FONT_PX, color, bold, HPos::Left)
}

/// The title on the left, shortened to fit, and a note right-aligned on the same line.
pub fn draw_title(figure: &Figure<'_>, title: &str, note: &str) -> DrawResult<()> {
    let note_width = text_width(note, LABEL_FONT_PX);
    let room = FIGURE_WIDTH - Y_AXIS_WIDTH - RIGHT_MARGIN - note_width - 16;
    let fitted = fit_text(title, TITLE_FONT_PX * BOLD_WIDTH_FACTOR, room);
    draw_text(figure, &fitted, (Y_AXIS_WIDTH, 7), TITLE_FONT_PX, &INK, true, HPos::Left)?;
    if note.is_empty() {
        return Ok(());
    }
    draw_text(figure, note, (FIGURE_WIDTH - RIGHT_MARGIN, 9), LABEL_FONT_PX, &MUTED_INK, false, HPos::Right)
}

pub fn draw_line(figure: &Figure<'_>, points: Vec<(i32, i32)>, color: &RGBColor, width: u32) -> DrawResult<()> {
    figure.draw(&PathElement::new(points, color.stroke_width(width)))
}

/// A vertical dashed line: plotters' SVG output has no dash attribute, so dashes are short lines.
pub fn draw_dashed_vertical(
    figure: &Figure<'_>,
    x: i32,
    top: i32,
    bottom: i32,
    color: &RGBColor,
    width: u32,
) -> DrawResult<()> {
    let mut dash_top = top;
    while dash_top < bottom {
        let dash_bottom = (dash_top + 5).min(bottom);
        draw_line(figure, vec![(x, dash_top), (x, dash_bottom)], color, width)?;
        dash_top += 9;
    }
    Ok(())
}

/// Grid lines and the panel's caption, drawn before the data.
pub fn draw_panel_grid(figure: &Figure<'_>, panel: &Panel, axis: &ValueAxis) -> DrawResult<()> {
    let plot = &panel.plot;
    for (value, _) in &axis.ticks {
        let y = axis.y_of(plot, *value);
        draw_line(figure, vec![(plot.left, y), (plot.right, y)], &GRID, 1)?;
    }
    for (day, _) in time_ticks(&panel.shown, plot.width()) {
        let x = panel.x_of(day);
        draw_line(figure, vec![(x, plot.top), (x, plot.bottom)], &GRID, 1)?;
    }
    let caption = format!("{} to {}", panel.shown.first.format("%b %Y"), panel.shown.last.format("%b %Y"));
    draw_text(
        figure,
        &caption,
        (plot.left + plot.width() / 2, TITLE_HEIGHT),
        LABEL_FONT_PX,
        &MUTED_INK,
        false,
        HPos::Center,
    )
}

/// The frame, the tick labels, and (first panel only) the value labels, drawn over the data.
pub fn draw_panel_axes(figure: &Figure<'_>, panel: &Panel, axis: &ValueAxis) -> DrawResult<()> {
    let plot = &panel.plot;
    figure.draw(&Rectangle::new([(plot.left, plot.top), (plot.right, plot.bottom)], MUTED_INK.stroke_width(1)))?;
    // A label reaching past the break between panels would run into its neighbour's first label.
    let labels_left = if panel.is_first { 0 } else { plot.left - PANEL_GAP / 2 };
    let labels_right = plot.right + PANEL_GAP / 2;
    for (day, label) in time_ticks(&panel.shown, plot.width()) {
        let x = panel.x_of(day);
        draw_line(figure, vec![(x, plot.bottom), (x, plot.bottom + 4)], &MUTED_INK, 1)?;
        let half_width = text_width(&label, LABEL_FONT_PX) / 2;
        if x - half_width < labels_left || x + half_width > labels_right {
            continue;
        }
        draw_text(figure, &label, (x, plot.bottom + 5), LABEL_FONT_PX, &MUTED_INK, false, HPos::Center)?;
    }
    if panel.is_first {
        let title_style =
            text_style(LABEL_FONT_PX, &MUTED_INK, false, HPos::Center).transform(FontTransform::Rotate270);
        let middle = (plot.top + plot.bottom) / 2;
        figure.draw(&Text::new(axis.title.clone(), (3, middle), title_style))?;
        for (value, label) in &axis.ticks {
            let y = axis.y_of(plot, *value);
            draw_line(figure, vec![(plot.left - 4, y), (plot.left, y)], &MUTED_INK, 1)?;
            let half_line = text_height(LABEL_FONT_PX) / 2;
            draw_text(figure, label, (plot.left - 6, y - half_line), LABEL_FONT_PX, &MUTED_INK, false, HPos::Right)?;
        }
    } else {
        // Two slashes on the bottom edge say the time axis is broken between panels.
        let x = plot.left - PANEL_GAP / 2;
        for offset in [-3, 3] {
            draw_line(
                figure,
                vec![(x + offset - 3, plot.bottom + 5), (x + offset + 3, plot.bottom - 5)],
                &MUTED_INK,
                1,
            )?;
        }
    }
    Ok(())
}

/// Calendar ticks for a panel: months, quarters, half years, years or decades, as many as fit.
pub fn time_ticks(shown: &DateSpan, plot_width: i32) -> Vec<(NaiveDate, String)> {
    let most_ticks = (plot_width / 62).max(2) as i64;
    let month_index = |day: NaiveDate| i64::from(day.year()) * 12 + i64::from(day.month0());
    let first_month = month_index(shown.first);
    let months_shown = month_index(shown.last) - first_month + 1;
    let step_months = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600]
        .into_iter()
        .find(|step| months_shown / step <= most_ticks)
        .unwrap_or(1200);
    let mut ticks = Vec::new();
    for month in first_month..=month_index(shown.last) {
        if month.rem_euclid(step_months) != 0 {
            continue;
        }
        let year = month.div_euclid(12) as i32;
        let Some(day) = NaiveDate::from_ymd_opt(year, (month.rem_euclid(12) + 1) as u32, 1) else {
            continue;
        };
        if !shown.contains(day) {
            continue;
        }
        let label = if step_months >= 12 { day.format("%Y").to_string() } else { day.format("%Y-%m").to_string() };
        ticks.push((day, label));
    }
    ticks
}

/// How a legend entry is drawn.
#[derive(Debug, Clone)]
pub enum Swatch {
    Line { color: RGBColor, width: u32 },
    DashedLine { color: RGBColor, width: u32 },
    FilledTriangle(RGBColor),
    HollowCircle(RGBColor),
}

/// The legend below the panels, wrapping onto a second row when it must.
pub fn draw_legend(figure: &Figure<'_>, items: &[(Swatch, String)]) -> DrawResult<()> {
    let row_height = 15;
    let mut x = Y_AXIS_WIDTH;
    let mut y = FIGURE_HEIGHT - LEGEND_HEIGHT + 4;
    for (swatch, label) in items {
        let item_width = 24 + text_width(label, LABEL_FONT_PX) + 16;
        if x + item_width > FIGURE_WIDTH - RIGHT_MARGIN && x > Y_AXIS_WIDTH {
            x = Y_AXIS_WIDTH;
            y += row_height;
        }
        let middle = y + text_height(LABEL_FONT_PX) / 2;
        match swatch {
            Swatch::Line { color, width } => draw_line(figure, vec![(x, middle), (x + 18, middle)], color, *width)?,
            Swatch::DashedLine { color, width } => {
                for dash in [x, x + 7, x + 14] {
                    draw_line(figure, vec![(dash, middle), (dash + 4, middle)], color, *width)?;
                }
            }
            Swatch::FilledTriangle(color) => figure.draw(&TriangleMarker::new((x + 9, middle), 5, color.filled()))?,
            Swatch::HollowCircle(color) => figure.draw(&Circle::new((x + 9, middle), 4, color.stroke_width(2)))?,
        }
        draw_text(figure, label, (x + 24, y), LABEL_FONT_PX, &INK, false, HPos::Left)?;
        x += item_width;
    }
    Ok(())
}

/// Said in place of panels when there is nothing to draw.
pub fn draw_nothing_to_show(figure: &Figure<'_>, message: &str) -> DrawResult<()> {
    draw_text(figure, message, (FIGURE_WIDTH / 2, FIGURE_HEIGHT / 2), TITLE_FONT_PX, &MUTED_INK, false, HPos::Center)
}

/// A colour per chart series, distinct from the marker colours.
pub fn series_color(index: usize) -> RGBColor {
    const PALETTE: [RGBColor; 6] = [
        RGBColor(31, 119, 180),
        RGBColor(214, 39, 40),
        RGBColor(255, 127, 14),
        RGBColor(23, 190, 207),
        RGBColor(140, 86, 75),
        RGBColor(227, 119, 194),
    ];
    PALETTE[index % PALETTE.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(first: &str, last: &str) -> DateSpan {
        let day = |text| NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date");
        DateSpan { first: day(first), last: day(last) }
    }

    #[test]
    fn ticks_fall_on_calendar_boundaries_and_fit_the_width() {
        let labels = |shown: DateSpan, width| -> Vec<String> {
            time_ticks(&shown, width).into_iter().map(|(_, label)| label).collect()
        };
        assert_eq!(labels(span("2022-05-20", "2022-09-10"), 400), ["2022-06", "2022-07", "2022-08", "2022-09"]);
        assert_eq!(labels(span("1984-12-01", "1990-02-01"), 300), ["1986", "1988", "1990"]);
    }

    #[test]
    fn panels_line_up_left_to_right() {
        let panels = layout_panels(&[span("1985-01-01", "1985-12-31"), span("2022-05-01", "2022-09-30")]);
        assert_eq!(panels.len(), 2);
        assert!(panels[0].plot.right < panels[1].plot.left);
        assert_eq!(panels[1].plot.right, FIGURE_WIDTH - RIGHT_MARGIN);
        assert!(panels[0].is_first && !panels[1].is_first);
    }
}
