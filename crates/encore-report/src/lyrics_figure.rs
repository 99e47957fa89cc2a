//! The lyrics analysis as one figure: the essay's claim (lasting OSTs against the other songs of
//! their years, for each family it names), then per period every motif family's share of OSTs
//! against the rest; each share a dot with its Wilson 95 % interval.

use plotters::prelude::*;

use encore_lyrics::analysis::{MotifComparison, LASTING_YEARS};
use encore_lyrics::proportions::Share;
use encore_lyrics::LyricsAnalysis;

use crate::drawing::{DASHBOARD_PALETTE, INK};
use crate::series_figures::{figure, plot_error, Area};
use crate::ReportError;

/// How far each side's dot sits from its family's tick.
const OFFSET: f64 = 0.14;

/// The figure: see the module documentation.
pub fn lyrics_svg(analysis: &LyricsAnalysis) -> Result<String, ReportError> {
    let claim = &analysis.claim;
    figure(1 + analysis.periods.len() as u32, |areas| {
        let title = format!(
            "The claim: lasting OSTs ({}, on the list {LASTING_YEARS}+ years) vs other songs of their years",
            claim.lasting_osts.len()
        );
        share_panel(&areas[0], &title, &claim.against_other_songs, ("lasting OSTs", "other songs"))?;
        for (period, area) in analysis.periods.iter().zip(&areas[1..]) {
            let title = format!(
                "{}-{}: OSTs ({}) vs other songs ({})",
                period.first_year, period.last_year, period.ost_songs, period.other_songs
            );
            share_panel(area, &title, &period.motifs, ("OSTs", "other songs"))?;
        }
        Ok(())
    })
}

/// One panel: per family, the two sides' shares of songs using it, with their intervals.
fn share_panel(
    area: &Area<'_>,
    title: &str,
    comparisons: &[MotifComparison],
    names: (&str, &str),
) -> Result<(), ReportError> {
    let families: Vec<&str> = comparisons.iter().map(|comparison| comparison.motif.name()).collect();
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 15).into_font().color(&INK))
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(64)
        .build_cartesian_2d(-0.5..(families.len() as f64 - 0.5), 0.0..100.0)
        .map_err(plot_error)?;
    let family_at = |position: &f64| {
        let index = position.round();
        let exact = (position - index).abs() < 1e-9 && index >= 0.0;
        if exact { families.get(index as usize).map(|name| name.to_string()) } else { None }.unwrap_or_default()
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(families.len() * 2 + 1)
        .x_label_formatter(&family_at)
        .y_desc("songs using it (%)")
        .label_style(("sans-serif", 12).into_font().color(&INK))
        .draw()
        .map_err(plot_error)?;
    for (side, colour, name) in [(0, DASHBOARD_PALETTE[0], names.0), (1, DASHBOARD_PALETTE[1], names.1)] {
        let shift = if side == 0 { -OFFSET } else { OFFSET };
        let shares: Vec<(f64, Share)> = comparisons
            .iter()
            .enumerate()
            .map(|(index, comparison)| {
                let share = if side == 0 { comparison.compared.first } else { comparison.compared.second };
                (index as f64 + shift, share)
            })
            .filter(|(_, share)| share.of > 0)
            .collect();
        let whiskers = shares.iter().map(|(x, share)| {
            let (low, high) = share.wilson();
            PathElement::new(vec![(*x, low * 100.0), (*x, high * 100.0)], colour.stroke_width(2))
        });
        chart.draw_series(whiskers).map_err(plot_error)?;
        chart
            .draw_series(shares.iter().map(|(x, share)| Circle::new((*x, share.value() * 100.0), 5, colour.filled())))
            .map_err(plot_error)?
            .label(name)
            .legend(move |(x, y)| Circle::new((x + 8, y), 5, colour.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(INK)
        .label_font(("sans-serif", 12).into_font().color(&INK))
        .draw()
        .map_err(plot_error)
}

#[cfg(test)]
mod tests {
    use encore_domain::SongLyric;
    use encore_lyrics::{analyse_lyrics, LyricsOptions};

    use super::*;

    fn row(year: i32, title: &str, is_ost: bool, lyric: &str) -> SongLyric {
        SongLyric {
            year,
            singer: "가수".into(),
            title: title.into(),
            is_ost,
            lyric: lyric.into(),
            source_file: "t.csv".into(),
            source_line: 2,
        }
    }

    #[test]
    fn draws_the_claim_and_each_period_with_the_family_names() {
        let rows = [
            row(2016, "첫눈", true, "첫눈 오는 날 그리워"),
            row(2017, "첫눈", true, "첫눈 오는 날 그리워"),
            row(2016, "춤", false, "dance all night"),
            row(2017, "비", false, "비가 와"),
        ];
        let options = LyricsOptions { years_per_period: 1, top_words: 3, prior_total: 10.0 };
        let svg = lyrics_svg(&analyse_lyrics(&rows, options).unwrap()).unwrap();
        assert!(svg.contains("The claim: lasting OSTs (1,"), "no claim panel");
        assert!(svg.contains("2016-2016: OSTs (1) vs other songs (1)") && svg.contains("2017-2017"));
        for family in ["season and weather", "distance and parting", "light and dark"] {
            assert!(svg.contains(family), "no {family} label");
        }
    }
}
