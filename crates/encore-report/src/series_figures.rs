//! Plots of the analyses of any series (`encore detect|effect|decay --plot`, and the endpoints'
//! `plot=svg`): the series with its segments and peaks; observed against the counterfactual with
//! its band, the pointwise and the cumulative effect (the three panels CausalImpact users know);
//! the decay with its fitted curve. SVG, drawn by plotters; the x axis is the step, labelled by
//! its date when the series has dates.

use plotters::coord::Shift;
use plotters::prelude::*;

use encore_analytics::any_series::{Axis, SeriesDecay, SeriesDetection};
use encore_analytics::effect_path::EffectPath;

use crate::drawing::INK;
use crate::series_json::unscaled;
use crate::ReportError;

const WIDTH: u32 = 900;
const PANEL_HEIGHT: u32 = 300;
const SERIES_INK: RGBColor = RGBColor(60, 60, 60);
const FIT: RGBColor = RGBColor(200, 60, 40);
const COUNTERFACTUAL: RGBColor = RGBColor(40, 100, 190);
const BAND: RGBColor = RGBColor(170, 200, 240);
const MARKER: RGBColor = RGBColor(150, 150, 150);

pub(crate) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub(crate) type Chart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

pub(crate) fn plot_error(error: impl std::fmt::Display) -> ReportError {
    ReportError::Plot { case: "series".into(), message: error.to_string() }
}

/// Draws `panels` stacked panels into an SVG with `draw`.
pub(crate) fn figure(
    panels: u32,
    draw: impl FnOnce(&[Area<'_>]) -> Result<(), ReportError>,
) -> Result<String, ReportError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, PANEL_HEIGHT * panels)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        let areas = root.split_evenly((panels as usize, 1));
        draw(&areas)?;
        root.present().map_err(plot_error)?;
    }
    Ok(svg)
}

/// The low and high of `values`, padded by a twentieth so lines stand clear of the frame.
pub(crate) fn padded_range(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (low, high) = values
        .filter(|value| value.is_finite())
        .fold((f64::MAX, f64::MIN), |(low, high), value| (low.min(value), high.max(value)));
    if low > high {
        return 0.0..1.0;
    }
    let pad = ((high - low) * 0.05).max(high.abs().max(1.0) * 1e-6);
    (low - pad)..(high + pad)
}

/// A panel over steps `first..=last` with the value range `values`, x labels from `axis`.
pub(crate) fn panel<'a, 'b>(
    area: &'a Area<'b>,
    caption: &str,
    axis: &Axis<'_>,
    steps: std::ops::Range<f64>,
    values: std::ops::Range<f64>,
) -> Result<Chart<'a, 'b>, ReportError> {
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", 15).into_font().color(&INK))
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(64)
        .build_cartesian_2d(steps, values)
        .map_err(plot_error)?;
    let label = |step: &f64| -> String {
        if step.fract().abs() > 1e-9 || *step < 0.0 {
            return String::new();
        }
        match axis {
            Axis::Dates(dates) => dates.get(*step as usize).map(|date| date.to_string()).unwrap_or_default(),
            Axis::Positions => format!("{step}"),
        }
    };
    chart
        .configure_mesh()
        .light_line_style(RGBColor(240, 240, 240))
        .x_labels(8)
        .x_label_formatter(&label)
        .y_label_formatter(&|value| short_number(*value))
        .draw()
        .map_err(plot_error)?;
    Ok(chart)
}

/// `12 k`, `3.4 M`: tick labels that fit.
fn short_number(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude >= 1e6 {
        format!("{:.1} M", value / 1e6)
    } else if magnitude >= 1e4 {
        format!("{:.0} k", value / 1e3)
    } else if magnitude >= 10.0 || value == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

pub(crate) fn vertical_line(chart: &mut Chart<'_, '_>, step: f64, color: RGBColor) -> Result<(), ReportError> {
    let (low, high) = (chart.y_range().start, chart.y_range().end);
    chart.draw_series(std::iter::once(PathElement::new(vec![(step, low), (step, high)], color))).map_err(plot_error)?;
    Ok(())
}

pub(crate) fn legend<'a, 'b: 'a>(chart: &mut Chart<'a, 'b>) -> Result<(), ReportError> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(MARKER)
        .draw()
        .map_err(plot_error)
}

pub(crate) fn line_of(
    points: Vec<(f64, f64)>,
    color: RGBColor,
    width: u32,
) -> LineSeries<SVGBackend<'static>, (f64, f64)> {
    LineSeries::new(points, color.stroke_width(width))
}

/// One panel per unit: the series with its segments' fits, its changepoints and its peaks.
pub fn detection_svg(axis: &Axis<'_>, units: &[(String, &[f64], &SeriesDetection)]) -> Result<String, ReportError> {
    figure(units.len().max(1) as u32, |areas| {
        for ((title, values, found), area) in units.iter().zip(areas) {
            detection_panel(area, title, axis, values, found)?;
        }
        Ok(())
    })
}

fn detection_panel(
    area: &Area<'_>,
    title: &str,
    axis: &Axis<'_>,
    values: &[f64],
    found: &SeriesDetection,
) -> Result<(), ReportError> {
    let steps = 0.0..(values.len().max(2) - 1) as f64;
    let mut chart = panel(area, title, axis, steps, padded_range(values.iter().copied()))?;
    for step in &found.detection.changepoints {
        vertical_line(&mut chart, *step as f64 - 0.5, MARKER)?;
    }
    let series: Vec<(f64, f64)> = values.iter().enumerate().map(|(step, value)| (step as f64, *value)).collect();
    chart
        .draw_series(line_of(series, SERIES_INK, 1))
        .map_err(plot_error)?
        .label("series")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], SERIES_INK));
    let fits = found.detection.segments.iter().map(|segment| {
        let at = |step: usize| {
            let middle = (segment.start + segment.end - 1) as f64 / 2.0;
            let fitted = segment.mean + segment.slope.unwrap_or(0.0) * (step as f64 - middle);
            (step as f64, unscaled(found.scale, fitted))
        };
        PathElement::new(vec![at(segment.start), at(segment.end - 1)], FIT.stroke_width(3))
    });
    chart
        .draw_series(fits)
        .map_err(plot_error)?
        .label(format!("segments ({})", found.detection.cost.name()))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], FIT.stroke_width(3)));
    chart
        .draw_series(found.peaks.iter().map(|step| Circle::new((*step as f64, values[*step]), 5, FIT.stroke_width(2))))
        .map_err(plot_error)?
        .label("peak")
        .legend(|(x, y)| Circle::new((x + 9, y), 4, FIT.stroke_width(2)));
    legend(&mut chart)
}

/// Observed against the counterfactual with its band, the pointwise effect and the cumulative
/// effect, for every intervention on `values`.
pub fn effect_svg(title: &str, axis: &Axis<'_>, values: &[f64], paths: &[EffectPath]) -> Result<String, ReportError> {
    let first = paths.iter().filter_map(|path| path.steps.first()).map(|step| step.index).min().unwrap_or(0);
    let last = paths.iter().map(|path| path.end.saturating_sub(1)).max().unwrap_or(values.len().saturating_sub(1));
    let steps = first as f64..(last.max(first + 1)) as f64;
    let all_steps = || paths.iter().flat_map(|path| path.steps.iter());
    figure(3, |areas| {
        let observed_range = padded_range(
            all_steps()
                .flat_map(|step| {
                    [
                        Some(step.observed),
                        step.counterfactual,
                        step.band.map(|band| band.0),
                        step.band.map(|band| band.1),
                    ]
                })
                .flatten(),
        );
        let mut top = panel(&areas[0], title, axis, steps.clone(), observed_range)?;
        let mut pointwise = panel(&areas[1], "pointwise effect (observed − counterfactual)", axis, steps.clone(), {
            padded_range(
                all_steps()
                    .flat_map(|step| {
                        let band = step.band.map(|(low, high)| [step.observed - high, step.observed - low]);
                        [step.pointwise, band.map(|band| band[0]), band.map(|band| band[1]), Some(0.0)]
                    })
                    .flatten(),
            )
        })?;
        let mut cumulative = panel(&areas[2], "cumulative effect", axis, steps.clone(), {
            padded_range(
                all_steps()
                    .filter_map(|step| step.cumulative)
                    .chain(
                        paths.iter().flat_map(|path| path.cumulative_interval.map(|(low, high)| [low, high])).flatten(),
                    )
                    .chain([0.0]),
            )
        })?;
        for path in paths {
            let event = path.event as f64 - 0.5;
            for chart in [&mut top, &mut pointwise, &mut cumulative] {
                vertical_line(chart, event, MARKER)?;
            }
            let band: Vec<(f64, (f64, f64))> =
                path.steps.iter().filter_map(|step| Some((step.index as f64, step.band?))).collect();
            if band.len() > 1 {
                let mut outline: Vec<(f64, f64)> = band.iter().map(|(step, (_, high))| (*step, *high)).collect();
                outline.extend(band.iter().rev().map(|(step, (low, _))| (*step, *low)));
                top.draw_series(std::iter::once(Polygon::new(outline, BAND.mix(0.6).filled()))).map_err(plot_error)?;
                let observed_at = |index: f64| values.get(index as usize).copied().unwrap_or(0.0);
                let mut pointwise_outline: Vec<(f64, f64)> =
                    band.iter().map(|(step, (low, _))| (*step, observed_at(*step) - low)).collect();
                pointwise_outline.extend(band.iter().rev().map(|(step, (_, high))| (*step, observed_at(*step) - high)));
                pointwise
                    .draw_series(std::iter::once(Polygon::new(pointwise_outline, BAND.mix(0.6).filled())))
                    .map_err(plot_error)?;
            }
            let counterfactual: Vec<(f64, f64)> =
                path.steps.iter().filter_map(|step| Some((step.index as f64, step.counterfactual?))).collect();
            top.draw_series(line_of(counterfactual, COUNTERFACTUAL, 2)).map_err(plot_error)?;
            let effect: Vec<(f64, f64)> =
                path.steps.iter().filter_map(|step| Some((step.index as f64, step.pointwise?))).collect();
            pointwise.draw_series(line_of(effect, COUNTERFACTUAL, 2)).map_err(plot_error)?;
            let running: Vec<(f64, f64)> =
                path.steps.iter().filter_map(|step| Some((step.index as f64, step.cumulative?))).collect();
            cumulative.draw_series(line_of(running, COUNTERFACTUAL, 2)).map_err(plot_error)?;
            if let Some((low, high)) = path.cumulative_interval {
                let end = path.end.saturating_sub(1) as f64;
                let whisker = |value: f64| {
                    PathElement::new(vec![(end - 0.4, value), (end + 0.4, value)], COUNTERFACTUAL.stroke_width(2))
                };
                let interval = [
                    PathElement::new(vec![(end, low), (end, high)], COUNTERFACTUAL.stroke_width(2)),
                    whisker(low),
                    whisker(high),
                ];
                cumulative.draw_series(interval).map_err(plot_error)?;
            }
        }
        let observed: Vec<(f64, f64)> =
            (first..=last.min(values.len().saturating_sub(1))).map(|step| (step as f64, values[step])).collect();
        top.draw_series(line_of(observed, SERIES_INK, 1))
            .map_err(plot_error)?
            .label("observed")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], SERIES_INK));
        top.draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
            .map_err(plot_error)?
            .label("counterfactual, 95 % band")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], COUNTERFACTUAL.stroke_width(2)));
        for chart in [&mut pointwise, &mut cumulative] {
            chart
                .draw_series(std::iter::once(PathElement::new(vec![(steps.start, 0.0), (steps.end, 0.0)], MARKER)))
                .map_err(plot_error)?;
        }
        legend(&mut top)
    })
}

/// The series from its start with the fitted decay, and the series before it in grey.
pub fn decay_svg(title: &str, axis: &Axis<'_>, values: &[f64], decay: &SeriesDecay) -> Result<String, ReportError> {
    figure(1, |areas| {
        let first = decay.start.saturating_sub((values.len() - decay.start) / 4);
        let steps = first as f64..(values.len().max(first + 2) - 1) as f64;
        let mut chart =
            panel(&areas[0], title, axis, steps, padded_range(values[first..].iter().copied().chain([0.0])))?;
        vertical_line(&mut chart, decay.start as f64, MARKER)?;
        let before: Vec<(f64, f64)> = (first..=decay.start).map(|step| (step as f64, values[step])).collect();
        chart.draw_series(line_of(before, MARKER, 1)).map_err(plot_error)?;
        let after: Vec<(f64, f64)> = decay
            .points
            .iter()
            .enumerate()
            .map(|(offset, (_, value))| ((decay.start + offset) as f64, *value))
            .collect();
        chart
            .draw_series(line_of(after, SERIES_INK, 1))
            .map_err(plot_error)?
            .label("series")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], SERIES_INK));
        let fit = decay.estimate.fit;
        let curve: Vec<(f64, f64)> = decay
            .points
            .iter()
            .enumerate()
            .map(|(offset, (days, _))| ((decay.start + offset) as f64, fit.value_at(*days)))
            .collect();
        let shape = match fit.shape {
            encore_analytics::synthetic::DecayShape::Exponential => "exponential",
            encore_analytics::synthetic::DecayShape::PowerLaw => "power law",
        };
        chart
            .draw_series(line_of(curve, FIT, 2))
            .map_err(plot_error)?
            .label(format!("{shape} fit, half-life {:.1} days", fit.half_life_days))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], FIT.stroke_width(2)));
        legend(&mut chart)
    })
}
