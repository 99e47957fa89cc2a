//! Encore's report writer: a folder people can open in a browser, with the eclipse leaderboard
//! ("songs that outgrew their drama") and, per case, two SVG charts and a table of peaks.
//!
//! The folder holds `report.html` (self-contained: inline CSS, no script, no network),
//! `leaderboard.csv`, and `<slug>-chart.svg` and `<slug>-eclipse.svg` per case. It is written to a
//! staging folder first and swapped into place (see the `output` module), so a crash never leaves a
//! half-written report. Charts whose dates lie decades apart are split into panels (the `panels` module).
//!
//! This crate renders what the analytics computed; it computes nothing of its own beyond layout.

mod afterlife;
pub mod campaign_figure;
pub mod campaign_json;
mod catalog_sections;
pub mod checklist_json;
mod drawing;
mod eclipse_chart;
mod escape;
mod html;
mod json;
mod labels;
mod leaderboard;
mod listener_figures;
mod listener_section;
mod lyrics_figure;
pub mod lyrics_json;
mod markers;
mod names;
mod output;
mod panels;
mod png;
mod rank_chart;
pub mod series_figures;
pub mod series_json;
pub mod series_requests;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use encore_analytics::effect::MarketingRow;
use encore_analytics::{Case, LeaderboardRow};

pub use catalog_sections::{CatalogSections, ChecklistSection, LyricsSection, TimelineSection, LYRICS_FIGURE};
pub use escape::{csv_field, escape_html};
pub use listener_section::ListenerSection;
use panels::DateSpan;
pub use png::svg_to_png;

pub const REPORT_HTML: &str = "report.html";
pub const LEADERBOARD_CSV: &str = "leaderboard.csv";
/// The findings as JSON: leaderboard, marketing moves, and per case the eclipse, the peaks with
/// their causes, longevity, airing response and regional spread.
pub const REPORT_JSON: &str = "report.json";

/// The name of a case's files and anchor in the page: its song id, which must be file-name-safe
/// (letters, digits, `-`, `_`).
pub fn slug<'a>(case: &'a Case<'_>) -> &'a str {
    case.song.id.as_str()
}

#[derive(Debug, Clone)]
pub struct Report<'a> {
    pub title: String,
    /// The source folders the report was made from, named in the footer.
    pub generated_from: Vec<String>,
    pub cases: Vec<Case<'a>>,
    /// Rows in the order to show them; each links to its case.
    pub leaderboard: Vec<LeaderboardRow>,
    /// The marketing table: every catalog marketing event of a song, measured or not.
    pub marketing: Vec<MarketingRow>,
    /// Listener analyses, one section each; none when the store holds no listens.
    pub listeners: Vec<ListenerSection>,
    /// The checklist, the campaign timelines and the lyrics, each left out when absent.
    pub sections: CatalogSections,
}

/// Why a report could not be written: the caller's input, an outside failure, or our bug.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write the report: {message}")]
    BadInput { message: String },
    #[error("cannot write `{}`: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("drawing the charts of case `{case}` failed (a bug in encore-report): {message}")]
    Plot { case: String, message: String },
    /// The user's: the target folder holds files Encore did not write, which it never deletes
    /// unless told to.
    #[error(
        "refusing to replace {}: it is not a folder Encore wrote (it has no {} file) and is not empty; \
         choose another output folder, or pass --force to replace it and everything in it",
        path.display(),
        output::MARKER
    )]
    NotEncores { path: PathBuf },
}

/// What may be replaced at the report's folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Only a folder an earlier report left (it carries Encore's marker file), or an empty one.
    OnlyEncoreReports,
    /// Whatever is there: the user said so (`--force`).
    Anything,
}

pub fn chart_file_name(slug: &str) -> String {
    format!("{slug}-chart.svg")
}

pub fn eclipse_file_name(slug: &str) -> String {
    format!("{slug}-eclipse.svg")
}

/// Writes the report folder at `dir` and returns the path of its `report.html`. A folder already
/// at `dir` is replaced whole, but only if `overwrite` allows it: by default only a folder that an
/// earlier report wrote (it carries the marker file) or an empty one.
pub fn write_report(dir: &Path, report: &Report<'_>, overwrite: Overwrite) -> Result<PathBuf, ReportError> {
    check_input(report)?;
    output::check_replaceable(dir, overwrite)?;
    let staging = output::create_staging_dir(dir)?;
    if let Err(error) = write_files(&staging, report) {
        output::discard_staging_dir(&staging);
        return Err(error);
    }
    if let Err(error) = output::swap_into_place(&staging, dir) {
        output::discard_staging_dir(&staging);
        return Err(error);
    }
    Ok(dir.join(REPORT_HTML))
}

fn write_files(staging: &Path, report: &Report<'_>) -> Result<(), ReportError> {
    for case in &report.cases {
        let plot_error = |error: plotters::drawing::DrawingAreaErrorKind<std::io::Error>| ReportError::Plot {
            case: slug(case).to_string(),
            message: error.to_string(),
        };
        let rank_svg = rank_chart::rank_chart_svg(case, &rank_chart_clusters(case)).map_err(plot_error)?;
        output::write_file(&staging.join(chart_file_name(slug(case))), &rank_svg)?;
        let eclipse_svg = eclipse_chart::eclipse_chart_svg(case, &eclipse_chart_clusters(case)).map_err(plot_error)?;
        output::write_file(&staging.join(eclipse_file_name(slug(case))), &eclipse_svg)?;
    }
    for section in &report.listeners {
        listener_section::write_figures(staging, section)?;
    }
    report.sections.write_figures(staging)?;
    output::write_file(&staging.join(LEADERBOARD_CSV), &leaderboard::leaderboard_csv(&report.leaderboard))?;
    let json = json::report_json(report)
        .map_err(|error| ReportError::Plot { case: "report.json".to_string(), message: error.to_string() })?;
    output::write_file(&staging.join(REPORT_JSON), &json)?;
    output::write_marker(staging)?;
    // The page goes last: while it is missing, the staging folder is visibly incomplete.
    output::write_file(&staging.join(REPORT_HTML), &html::report_html(report))
}

/// Writes one scope's listener figures (SVG) into `folder`, creating it; returns their paths.
/// Files of the same names are replaced; nothing else in the folder is touched.
pub fn write_listener_figures(
    folder: &Path,
    report: &encore_listeners::ListenerReport,
) -> Result<Vec<PathBuf>, ReportError> {
    std::fs::create_dir_all(folder).map_err(|source| ReportError::Io { path: folder.to_path_buf(), source })?;
    let section = ListenerSection { slug: "scope".into(), report: report.clone() };
    listener_section::write_figures(folder, &section)
}

/// The panels of the chart-position figure: the song's chart days and the drama's airing.
fn rank_chart_clusters(case: &Case<'_>) -> Vec<DateSpan> {
    panels::timeline_panels(rank_chart_dates(case))
}

/// The panels of the eclipse figure: those of the chart-position figure, widened to the fading of
/// the drama's attention after its finale.
fn eclipse_chart_clusters(case: &Case<'_>) -> Vec<DateSpan> {
    let mut dates = rank_chart_dates(case);
    for index in [&case.song_attention, &case.drama_attention] {
        dates.extend(index.first().map(|point| point.date));
        dates.extend(index.last().map(|point| point.date));
    }
    panels::timeline_panels(dates)
}

fn rank_chart_dates(case: &Case<'_>) -> Vec<NaiveDate> {
    let mut dates: Vec<NaiveDate> = Vec::new();
    for entry in &case.entries {
        let (first, last) = entry.covered_days();
        dates.extend([first, last]);
    }
    if let Some(drama) = case.drama {
        dates.extend(drama.premiere);
        dates.extend(drama.finale);
    }
    dates
}

/// Slugs name files and anchors, so they must be plain and unique, and every leaderboard link must
/// lead to a case.
fn check_input(report: &Report<'_>) -> Result<(), ReportError> {
    let mut slugs = HashSet::new();
    for case in &report.cases {
        let case_slug = slug(case);
        let plain = !case_slug.is_empty()
            && case_slug
                .chars()
                .all(|character| character.is_ascii_alphanumeric() || character == '-' || character == '_');
        if !plain {
            return Err(ReportError::BadInput {
                message: format!("case slug `{case_slug}` must be letters, digits, `-` or `_`"),
            });
        }
        if !slugs.insert(case_slug) {
            return Err(ReportError::BadInput { message: format!("two cases share the slug `{case_slug}`") });
        }
    }
    for row in &report.leaderboard {
        if !slugs.contains(row.song_id.as_str()) {
            return Err(ReportError::BadInput {
                message: format!(
                    "leaderboard row {} links to case `{}`, which the report lacks",
                    row.rank, row.song_id
                ),
            });
        }
    }
    Ok(())
}
