//! A drama's campaign timeline as one plot: its episodes as light lines, the drama's attention in
//! grey, each OST part's daily attention in its colour with a dot on its release, and a triangle on
//! each of its catalog events; drawn with the series plots' panel.

use chrono::{Duration, NaiveDate};
use plotters::prelude::*;

use encore_analytics::any_series::Axis;
use encore_analytics::campaign::Campaign;

use crate::drawing::DASHBOARD_PALETTE;
use crate::series_figures::{figure, line_of, panel, plot_error, vertical_line};
use crate::ReportError;

const EPISODE_LINE: RGBColor = RGBColor(225, 225, 225);
const DRAMA_LINE: RGBColor = RGBColor(150, 150, 150);
/// Days shown before the first release or premiere, and after the finale or the last release.
const DAYS_BEFORE: i64 = 30;
const DAYS_AFTER: i64 = 120;

/// The timeline's plot: see the module documentation.
pub fn campaign_svg(campaign: &Campaign<'_>) -> Result<String, ReportError> {
    let releases = campaign.songs.iter().filter_map(|entry| entry.song.release_date);
    let episodes = campaign.episodes.iter().map(|(_, date)| *date);
    let known: Vec<NaiveDate> =
        releases.chain(episodes).chain(campaign.drama.premiere).chain(campaign.drama.finale).collect();
    let (Some(first), Some(last)) = (known.iter().min(), known.iter().max()) else {
        return Err(ReportError::BadInput {
            message: format!("{} has no dated episode, premiere or release to draw", campaign.drama.display_title()),
        });
    };
    let dates: Vec<NaiveDate> = (*first - Duration::days(DAYS_BEFORE))
        .iter_days()
        .take_while(|day| *day <= *last + Duration::days(DAYS_AFTER))
        .collect();
    let step_of = |date: NaiveDate| (date - dates[0]).num_days() as f64;
    let within = |date: NaiveDate| date >= dates[0] && date <= dates[dates.len() - 1];
    let axis = Axis::Dates(&dates);
    let title = format!("{}: OST releases, attention and events against the broadcast", campaign.drama.display_title());
    figure(1, |areas| {
        let mut chart = panel(&areas[0], &title, &axis, 0.0..(dates.len() - 1) as f64, -4.0..104.0)?;
        for (_, date) in campaign.episodes.iter().filter(|(_, date)| within(*date)) {
            vertical_line(&mut chart, step_of(*date), EPISODE_LINE)?;
        }
        let drama: Vec<(f64, f64)> = campaign
            .drama_attention
            .iter()
            .filter(|point| within(point.date))
            .map(|point| (step_of(point.date), point.value))
            .collect();
        if !drama.is_empty() {
            chart
                .draw_series(line_of(drama, DRAMA_LINE, 2))
                .map_err(plot_error)?
                .label("the drama")
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], DRAMA_LINE.stroke_width(2)));
        }
        for (index, entry) in campaign.songs.iter().enumerate() {
            let colour = DASHBOARD_PALETTE[index % DASHBOARD_PALETTE.len()];
            let line: Vec<(f64, f64)> = entry
                .attention
                .iter()
                .filter(|point| within(point.date))
                .map(|point| (step_of(point.date), point.value))
                .collect();
            let value_on = |date: NaiveDate| {
                entry.attention.iter().find(|point| point.date == date).map_or(0.0, |point| point.value)
            };
            let part = entry.song.ost_part.map(|part| format!("Part {part}: ")).unwrap_or_default();
            chart
                .draw_series(line_of(line, colour, 2))
                .map_err(plot_error)?
                .label(format!("{part}{}", entry.song.display_title()))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2)));
            if let Some(release) = entry.song.release_date.filter(|date| within(*date)) {
                let dot = Circle::new((step_of(release), value_on(release)), 5, colour.filled());
                chart.draw_series(std::iter::once(dot)).map_err(plot_error)?;
            }
            let marks = entry
                .events
                .iter()
                .filter(|(date, _)| within(*date))
                .map(|(date, _)| TriangleMarker::new((step_of(*date), value_on(*date)), 6, colour.stroke_width(2)));
            chart.draw_series(marks).map_err(plot_error)?;
        }
        // Songs live in the upper half once charted: their names go low, where the lines have faded.
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(DRAMA_LINE)
            .draw()
            .map_err(plot_error)
    })
}
