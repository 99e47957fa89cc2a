//! The listener figures, as plain SVG: the hour × weekday heatmap, the airing curve with its
//! interval band, retention curves per phase of first play, and the monthly country shares.
//! Drawn by hand rather than with plotters: they are grids and lines on fixed axes.

use std::fmt::Write;

use encore_listeners::around_airings::AiringCurve;
use encore_listeners::cohorts::Cohorts;
use encore_listeners::countries::Countries;
use encore_listeners::heatmap::{Heatmap, WEEKDAYS};

use crate::escape::escape_html;

const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 34.0;
const BOTTOM: f64 = 46.0;
const FONT: &str = "font-family=\"system-ui, sans-serif\" font-size=\"11\" fill=\"#333\"";
/// Every listener figure carries this comment, so Encore replaces only figures it wrote.
pub const FIGURE_MARKER: &str = "encore listener figure";
const SERIES_COLOURS: [&str; 6] = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

fn open(title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\">\n\
         <!-- {FIGURE_MARKER} -->\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n\
         <text x=\"{LEFT}\" y=\"20\" font-family=\"system-ui, sans-serif\" font-size=\"14\" font-weight=\"bold\" fill=\"#222\">{}</text>\n",
        escape_html(title)
    )
}

/// A colour for an index around 1: blue below, orange above, white at 1.
fn index_colour(index: Option<f64>) -> String {
    let Some(index) = index else { return "#f4f4f4".into() };
    let strength = (index.max(1e-3).log2() / 2.0).clamp(-1.0, 1.0);
    let mix = |full: f64| (255.0 - (255.0 - full) * strength.abs()).round() as u8;
    if strength >= 0.0 {
        format!("#{:02x}{:02x}{:02x}", mix(230.0), mix(120.0), mix(20.0))
    } else {
        format!("#{:02x}{:02x}{:02x}", mix(40.0), mix(110.0), mix(200.0))
    }
}

/// Hour × weekday: each cell coloured by its index against all music (for all music itself, by
/// its share against an even spread).
pub fn heatmap_svg(heatmap: &Heatmap) -> String {
    let mut svg = open(&format!("When {} is played, in listeners' local time", heatmap.scope));
    let (cell_width, cell_height) = ((WIDTH - LEFT - RIGHT) / 24.0, (HEIGHT - TOP - BOTTOM - 20.0) / 7.0);
    let even = 1.0 / 168.0;
    for (weekday, row) in heatmap.cells.iter().enumerate() {
        let y = TOP + weekday as f64 * cell_height;
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" {FONT} text-anchor=\"end\">{}</text>",
            LEFT - 6.0,
            y + cell_height * 0.65,
            WEEKDAYS[weekday]
        );
        for (hour, cell) in row.iter().enumerate() {
            let x = LEFT + hour as f64 * cell_width;
            let index = if heatmap.plays == heatmap.all_plays { Some(cell.baseline_share / even) } else { cell.index };
            let label = index.map_or("no plays".to_string(), |index| format!("index {index:.2}"));
            let _ = writeln!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\" stroke=\"#fff\"><title>{} {hour:02}:00: {} plays, {label}</title></rect>",
                cell_width,
                cell_height,
                index_colour(index),
                WEEKDAYS[weekday],
                cell.plays,
            );
        }
    }
    let axis_y = TOP + 7.0 * cell_height + 14.0;
    for hour in (0..24).step_by(3) {
        let x = LEFT + (hour as f64 + 0.5) * cell_width;
        let _ = writeln!(svg, "<text x=\"{x:.1}\" y=\"{axis_y:.1}\" {FONT} text-anchor=\"middle\">{hour:02}h</text>");
    }
    let legend_y = HEIGHT - 12.0;
    let _ = writeln!(
        svg,
        "<text x=\"{LEFT}\" y=\"{legend_y}\" {FONT}>Colour: share of the plays in that hour against all music's share (white = as usual, orange = more, blue = less; ×4 and ÷4 at full colour).</text>"
    );
    svg.push_str("</svg>\n");
    svg
}

/// Lines on numeric axes: each series a list of (x, y); an optional band around the first.
struct LinePlot<'a> {
    title: String,
    x_range: (f64, f64),
    y_range: (f64, f64),
    x_label: &'a str,
    y_label: &'a str,
    series: Vec<(String, Vec<(f64, f64)>)>,
    band: Vec<(f64, f64, f64)>,
    reference_y: Option<f64>,
    reference_x: Option<f64>,
    /// Where the x axis is labelled, and with what.
    x_ticks: Vec<(f64, String)>,
}

impl LinePlot<'_> {
    fn svg(&self) -> String {
        let mut svg = open(&self.title);
        let (plot_width, plot_height) = (WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
        let x_of = |x: f64| LEFT + (x - self.x_range.0) / (self.x_range.1 - self.x_range.0).max(1e-9) * plot_width;
        let y_of = |y: f64| {
            TOP + plot_height - (y - self.y_range.0) / (self.y_range.1 - self.y_range.0).max(1e-9) * plot_height
        };
        let _ = writeln!(svg, "<rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{plot_width}\" height=\"{plot_height}\" fill=\"none\" stroke=\"#ccc\"/>");
        for step in 0..=4 {
            let value = self.y_range.0 + (self.y_range.1 - self.y_range.0) * f64::from(step) / 4.0;
            let _ = writeln!(
                svg,
                "<text x=\"{}\" y=\"{:.1}\" {FONT} text-anchor=\"end\">{}</text>",
                LEFT - 6.0,
                y_of(value) + 4.0,
                short_number(value)
            );
        }
        for (x, label) in &self.x_ticks {
            let _ = writeln!(
                svg,
                "<text x=\"{:.1}\" y=\"{}\" {FONT} text-anchor=\"middle\">{}</text>",
                x_of(*x),
                TOP + plot_height + 14.0,
                escape_html(label)
            );
        }
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{}\" {FONT} text-anchor=\"middle\">{}</text>",
            LEFT + plot_width / 2.0,
            TOP + plot_height + 30.0,
            escape_html(self.x_label)
        );
        let _ = writeln!(
            svg,
            "<text x=\"14\" y=\"{:.1}\" {FONT} transform=\"rotate(-90 14 {:.1})\" text-anchor=\"middle\">{}</text>",
            TOP + plot_height / 2.0,
            TOP + plot_height / 2.0,
            escape_html(self.y_label)
        );
        if !self.band.is_empty() {
            let upper: Vec<String> =
                self.band.iter().map(|(x, _, high)| format!("{:.1},{:.1}", x_of(*x), y_of(*high))).collect();
            let lower: Vec<String> =
                self.band.iter().rev().map(|(x, low, _)| format!("{:.1},{:.1}", x_of(*x), y_of(*low))).collect();
            let _ = writeln!(
                svg,
                "<polygon points=\"{} {}\" fill=\"#1f77b4\" fill-opacity=\"0.18\" stroke=\"none\"/>",
                upper.join(" "),
                lower.join(" ")
            );
        }
        if let Some(reference) = self.reference_y {
            let _ = writeln!(
                svg,
                "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>",
                LEFT + plot_width,
                y = y_of(reference)
            );
        }
        if let Some(reference) = self.reference_x {
            let _ = writeln!(
                svg,
                "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{TOP}\" y2=\"{}\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>",
                TOP + plot_height,
                x = x_of(reference)
            );
        }
        let mut legend_x = LEFT + 10.0;
        for (position, (name, points)) in self.series.iter().enumerate() {
            let colour = SERIES_COLOURS[position % SERIES_COLOURS.len()];
            let path: Vec<String> = points
                .iter()
                .map(|(x, y)| format!("{:.1},{:.1}", x_of(*x), y_of(y.clamp(self.y_range.0, self.y_range.1))))
                .collect();
            let _ = writeln!(
                svg,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.8\"/>",
                path.join(" ")
            );
            let _ = writeln!(svg, "<rect x=\"{legend_x:.1}\" y=\"{}\" width=\"12\" height=\"3\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{}\" {FONT}>{}</text>", TOP + 8.0, legend_x + 16.0, TOP + 12.0, escape_html(name));
            legend_x += 36.0 + 6.2 * name.chars().count() as f64;
        }
        svg.push_str("</svg>\n");
        svg
    }
}

fn short_number(value: f64) -> String {
    if value.abs() >= 10.0 || value.fract().abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

/// The airing curve: mean lift per hour from 48 h before to 72 h after an airing, its 95 %
/// interval, and the line of no change.
pub fn airing_curve_svg(curve: &AiringCurve) -> String {
    let points: Vec<(f64, f64)> =
        curve.points.iter().filter_map(|point| point.lift.map(|lift| (point.offset_hours as f64, lift))).collect();
    let band: Vec<(f64, f64, f64)> =
        curve.points.iter().filter_map(|point| Some((point.offset_hours as f64, point.low?, point.high?))).collect();
    let highest =
        band.iter().map(|(_, _, high)| *high).chain(points.iter().map(|(_, lift)| *lift)).fold(2.0_f64, f64::max);
    LinePlot {
        title: format!(
            "{}: plays around an airing against the weeks after the broadcast ({} airings)",
            curve.scope, curve.airings
        ),
        x_range: (-48.0, 72.0),
        y_range: (0.0, highest.min(20.0).ceil()),
        x_label: "hours from the airing's start",
        y_label: "lift (1 = as in a week with no airing)",
        series: vec![("mean lift".into(), points)],
        band,
        reference_y: Some(1.0),
        reference_x: Some(0.0),
        x_ticks: (-2..=3).map(|day| (f64::from(day * 24), format!("{:+}", day * 24))).collect(),
    }
    .svg()
}

/// Retention: per phase of first play, the share of its listeners playing in each week after
/// the broadcast.
pub fn retention_svg(cohorts: &Cohorts) -> String {
    let series = cohorts
        .retention
        .iter()
        .map(|curve| {
            let name = format!("first played {} ({})", curve.phase.label(), curve.listeners);
            (name, curve.shares.iter().enumerate().map(|(week, share)| (week as f64, *share)).collect())
        })
        .collect();
    LinePlot {
        title: format!("{}: listeners still playing, week by week after the broadcast", cohorts.scope),
        x_range: (0.0, encore_listeners::cohorts::RETENTION_WEEKS as f64 - 1.0),
        y_range: (0.0, 1.0),
        x_label: "weeks after the broadcast",
        y_label: "share of the cohort playing",
        series,
        band: Vec::new(),
        reference_y: None,
        reference_x: None,
        x_ticks: (0..encore_listeners::cohorts::RETENTION_WEEKS)
            .step_by(5)
            .map(|week| (week as f64, week.to_string()))
            .collect(),
    }
    .svg()
}

/// The top countries' share of the plays, month by month.
pub fn countries_svg(countries: &Countries) -> String {
    let top: Vec<&str> = countries.countries.iter().take(5).map(|country| country.country.as_str()).collect();
    let series = top
        .iter()
        .map(|country| {
            let points = countries
                .months
                .iter()
                .enumerate()
                .map(|(position, month)| {
                    let plays = month.by_country.get(*country).copied().unwrap_or(0);
                    (position as f64, if month.plays > 0 { plays as f64 / month.plays as f64 } else { 0.0 })
                })
                .collect();
            (if country.is_empty() { "unknown".to_string() } else { country.to_string() }, points)
        })
        .collect();
    let months = countries.months.len().max(2) as f64;
    let first = countries.months.first().map_or(String::new(), |month| month.month.clone());
    let last = countries.months.last().map_or(String::new(), |month| month.month.clone());
    LinePlot {
        title: format!("{}: share of plays by country, month by month", countries.scope),
        x_range: (0.0, months - 1.0),
        y_range: (0.0, 1.0),
        x_label: &format!("month, {first} to {last}"),
        y_label: "share of the month's plays",
        series,
        band: Vec::new(),
        reference_y: None,
        reference_x: None,
        x_ticks: countries
            .months
            .iter()
            .enumerate()
            .map(|(position, month)| (position as f64, month.month.clone()))
            .collect(),
    }
    .svg()
}
