//! The HTML of the analyses beyond eclipse and peaks: per case longevity after the finale, airing
//! response and regional spread, and the report-level marketing table. A figure the data cannot
//! give is shown as "not measurable: <reason>", never hidden.

use std::fmt::Write;

use encore_analytics::airing::AiringResponse;
use encore_analytics::effect::MarketingRow;
use encore_analytics::longevity::Longevity;
use encore_analytics::spread::RegionSpread;
use encore_analytics::synthetic::DecayShape;

use crate::escape::escape_html;
use encore_analytics::{Case, Measured};

use crate::slug;

/// The three sections of a case, each a heading and a sentence or a compact table.
pub fn case_afterlife(case: &Case<'_>) -> String {
    let mut html = String::from("<h3>Longevity after the finale</h3>\n");
    html.push_str(&measured_html(&case.longevity, longevity_html));
    html.push_str("<h3>Airing response</h3>\n");
    html.push_str(&measured_html(&case.airing, airing_html));
    html.push_str("<h3>Regional spread</h3>\n");
    html.push_str(&measured_html(&case.spread, |regions| spread_html(regions)));
    html
}

fn measured_html<T>(measured: &Measured<T>, render: impl Fn(&T) -> String) -> String {
    match measured {
        Measured::Measured(value) => render(value),
        Measured::NotMeasurable { not_measurable } => not_measurable_html(not_measurable),
    }
}

fn not_measurable_html(reason: &str) -> String {
    format!("<p class=\"note\">Not measurable: {}.</p>\n", escape_html(reason))
}

fn shape_word(shape: DecayShape) -> &'static str {
    match shape {
        DecayShape::Exponential => "exponential",
        DecayShape::PowerLaw => "power-law",
    }
}

fn longevity_html(longevity: &Longevity) -> String {
    let decay = match &longevity.fit {
        Some(fit) => {
            let interval = longevity
                .half_life_interval
                .map(|(low, high)| format!(" (95 % interval {low:.1} to {high:.1} days)"))
                .unwrap_or_default();
            format!(
                "{} decay, half-life <strong>{:.1} days</strong>{interval}, fitted on {} chart days",
                shape_word(fit.shape),
                fit.half_life_days,
                fit.points
            )
        }
        None => "half-life not measurable: too few chart days in the year after the finale".to_string(),
    };
    format!(
        "<p>From the finale on {}: {decay}; {} days at or above {:.0} index points; {} re-entries after \
         an absence of over a week.</p>\n",
        longevity.finale, longevity.days_above_threshold, longevity.threshold, longevity.reentries
    )
}

fn airing_html(airing: &AiringResponse) -> String {
    let strongest = airing
        .strongest
        .map(|episode| {
            let number = episode.airing.number.map(|number| number.to_string()).unwrap_or_else(|| "?".into());
            format!("; strongest: episode {number} ({}), {}", episode.airing.date, signed_percent(episode.response))
        })
        .unwrap_or_default();
    let correlation = match airing.rating_correlation {
        Some(correlation) => format!(
            "correlation of ratings and responses r = {:.2} (95 % interval {:.2} to {:.2}, {} episodes)",
            correlation.r, correlation.low, correlation.high, correlation.episodes
        ),
        None => "correlation with ratings not measurable: fewer than four rated episodes with a response".to_string(),
    };
    format!(
        "<p>Lag {} days; mean response {} over {} episodes{strongest}; {correlation}.</p>\n",
        airing.lag_days,
        signed_percent(airing.mean_response),
        airing.episodes.len()
    )
}

fn spread_html(regions: &[RegionSpread]) -> String {
    let mut table = String::from(
        "<table class=\"spread\">\n<thead><tr><th>Region</th><th>First chart day</th>\
         <th class=\"number\">Lag from Korea</th><th class=\"number\">Share of attention</th></tr></thead>\n<tbody>\n",
    );
    for region in regions {
        let lag = region
            .lag_from_korea_days
            .map(|days| format!("{days:+} days"))
            .unwrap_or_else(|| "\u{2014} (no Korean chart entry)".into());
        let _ = writeln!(
            table,
            "<tr><td>{}</td><td class=\"date\">{}</td><td class=\"number\">{lag}</td><td class=\"number\">{:.0}%</td></tr>",
            escape_html(&region.region),
            region.first_chart_day,
            100.0 * region.share
        );
    }
    table.push_str("</tbody>\n</table>\n");
    table
}

/// The report-level table: approach | example | measured lift, or why it cannot be measured.
pub fn marketing_section(rows: &[MarketingRow], cases: &[Case<'_>]) -> String {
    let mut section = String::from("<section id=\"marketing\">\n<h2>Marketing moves</h2>\n");
    let _ = writeln!(
        section,
        "<p class=\"note\">Lift: the song's daily series over the {} days from the move, against a synthetic \
         control of comparable songs (fitted on up to {} days before) or, without one, the song's own {} days \
         before; the 95 % interval comes from placebo dates before the move.</p>",
        encore_analytics::effect::POST_DAYS,
        encore_analytics::effect::HISTORY_DAYS,
        encore_analytics::effect::PRE_DAYS,
    );
    if rows.is_empty() {
        section.push_str("<p>No dated release, music video, viral trend or remix events for the songs shown.</p>\n");
        section.push_str("</section>\n");
        return section;
    }
    section.push_str(
        "<table class=\"marketing\">\n<thead><tr><th>Approach</th><th>Example</th><th>Measured lift</th></tr></thead>\n<tbody>\n",
    );
    for row in rows {
        let case = cases.iter().find(|case| case.song.id == row.song_id);
        let song = match case {
            Some(case) => {
                format!("<a href=\"#{}\">{}</a>", escape_html(slug(case)), escape_html(case.song.display_title()))
            }
            None => escape_html(row.song_id.as_str()),
        };
        let lift = match &row.lift {
            Some(lift) => {
                let interval = lift
                    .interval
                    .map(|(low, high)| format!(" (95 % interval {} to {})", signed_percent(low), signed_percent(high)))
                    .unwrap_or_else(|| " (interval not measurable: too few placebo dates)".into());
                format!("{}{interval}, {}", signed_percent(lift.estimate), lift.against())
            }
            None => row.reason.clone().unwrap_or_default(),
        };
        let _ = writeln!(
            section,
            "<tr><td>{}</td><td>{song}, <span class=\"date\">{}</span>: {}</td><td>{}</td></tr>",
            escape_html(row.approach),
            row.date,
            escape_html(&row.detail),
            escape_html(&lift)
        );
    }
    section.push_str("</tbody>\n</table>\n</section>\n");
    section
}

fn signed_percent(change: f64) -> String {
    format!("{:+.0}%", 100.0 * change)
}
