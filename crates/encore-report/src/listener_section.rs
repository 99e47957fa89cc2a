//! The report's listener section: per scope, the four figures and the figures people quote
//! (sessions, replays, completion, the gateway split, top countries), under a banner when the
//! listens are generated rather than real.

use std::fmt::Write;

use encore_listeners::ListenerReport;

use crate::escape::escape_html;
use crate::listener_figures::{airing_curve_svg, countries_svg, heatmap_svg, retention_svg};
use crate::output::write_file;
use crate::ReportError;

/// One scope's listener analyses and the slug naming its files.
#[derive(Debug, Clone)]
pub struct ListenerSection {
    pub slug: String,
    pub report: ListenerReport,
}

fn figure_names(slug: &str) -> [(String, &'static str); 4] {
    [
        (format!("listeners-{slug}-heatmap.svg"), "heatmap"),
        (format!("listeners-{slug}-airings.svg"), "airings"),
        (format!("listeners-{slug}-retention.svg"), "retention"),
        (format!("listeners-{slug}-countries.svg"), "countries"),
    ]
}

/// Writes the section's figures into the report folder; returns their paths.
pub fn write_figures(
    folder: &std::path::Path,
    section: &ListenerSection,
) -> Result<Vec<std::path::PathBuf>, ReportError> {
    let report = &section.report;
    let mut written = Vec::new();
    for (name, kind) in figure_names(&section.slug) {
        let svg = match kind {
            "heatmap" => Some(heatmap_svg(&report.heatmap)),
            "airings" => report.airings.as_ref().map(airing_curve_svg),
            "retention" => report.cohorts.as_ref().map(retention_svg),
            _ => Some(countries_svg(&report.countries)),
        };
        if let Some(svg) = svg {
            refuse_foreign_file(&folder.join(&name))?;
            write_file(&folder.join(&name), &svg)?;
            written.push(folder.join(name));
        }
    }
    Ok(written)
}

fn percent(value: Option<f64>) -> String {
    value.map_or("–".to_string(), |value| format!("{:.1} %", value * 100.0))
}

/// The section's HTML.
pub fn section_html(section: &ListenerSection) -> String {
    let report = &section.report;
    let mut html = format!(
        "<section class=\"case\" id=\"listeners-{}\">\n<h2>Listeners: {}</h2>\n",
        escape_html(&section.slug),
        escape_html(&report.scope)
    );
    if report.all_generated() {
        html.push_str(
            "<p class=\"meta\"><strong>Generated listening logs</strong>: these listens were made by Encore's \
             seeded model (<code>encore listeners generate</code>), not by real listeners. They show what the \
             analyses give; ingest a Spotify, ListenBrainz or Last.fm export for real answers.</p>\n",
        );
    }
    let sources: Vec<String> =
        report.sources.iter().map(|(source, listens)| format!("{} {}", escape_html(source), listens)).collect();
    let sessions = &report.sessions;
    let _ = writeln!(
        html,
        "<p class=\"meta\">Listens by source: {}. {} listeners, {} sessions ({} plays a session). Replays (a track again \
         in the same session): {} of all plays, {} of OST plays, {} of these. Mean replay streak: {} plays. \
         Completion: {} of a track played on average ({} for these); {} plays marked skipped.</p>",
        sources.join(", "),
        sessions.listeners,
        sessions.sessions,
        sessions.plays_per_session().map_or("–".into(), |plays| format!("{plays:.1}")),
        percent(sessions.all.replay_share()),
        percent(sessions.ost.replay_share()),
        percent(sessions.in_scope.replay_share()),
        sessions.in_scope.mean_streak().map_or("–".into(), |streak| format!("{streak:.2}")),
        percent(report.playback.all.completion),
        percent(report.playback.in_scope.completion),
        report.playback.all.skipped,
    );
    if let Some(cohorts) = &report.cohorts {
        let split: Vec<String> = cohorts
            .first_plays
            .iter()
            .map(|(phase, listeners)| format!("{} first played {}", listeners, phase.label()))
            .collect();
        let _ = writeln!(
            html,
            "<p class=\"meta\">Gateway: {}; {} of listeners came to these songs only after the finale.</p>",
            split.join(", "),
            percent(cohorts.gateway_share())
        );
    }
    if let Some(curve) = &report.airings {
        let _ = writeln!(
            html,
            "<p class=\"meta\">Around airings: in the first three hours after an airing starts, {} the plays of the weeks \
             after the broadcast at the same hours.</p>",
            curve.mean_lift(0, 3).map_or("–".into(), |lift| format!("{lift:.2}×"))
        );
    }
    for (name, kind) in figure_names(&section.slug) {
        let shown = match kind {
            "airings" => report.airings.is_some(),
            "retention" => report.cohorts.is_some(),
            _ => true,
        };
        if shown {
            let _ = writeln!(html, "<figure><img src=\"{name}\" alt=\"{kind}\"></figure>");
        }
    }
    html.push_str("<table>\n<thead><tr><th>Country</th><th class=\"number\">Plays</th><th class=\"number\">Listeners</th><th class=\"number\">Share</th></tr></thead>\n<tbody>\n");
    for country in report.countries.countries.iter().take(10) {
        let name = if country.country.is_empty() { "unknown" } else { country.country.as_str() };
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td class=\"number\">{}</td><td class=\"number\">{}</td><td class=\"number\">{}</td></tr>",
            escape_html(name),
            country.plays,
            country.listeners,
            percent(Some(country.share))
        );
    }
    html.push_str("</tbody>\n</table>\n</section>\n");
    html
}

/// A file of a figure's name that Encore did not write is the user's; it is never replaced.
fn refuse_foreign_file(path: &std::path::Path) -> Result<(), ReportError> {
    match std::fs::read(path) {
        Ok(bytes) if !String::from_utf8_lossy(&bytes).contains(crate::listener_figures::FIGURE_MARKER) => {
            Err(ReportError::BadInput {
                message: format!("refusing to replace {}: Encore did not write it", path.display()),
            })
        }
        _ => Ok(()),
    }
}
