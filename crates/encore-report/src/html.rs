//! `report.html`: one self-contained page (inline CSS, no script, no network) with the leaderboard
//! and a section per case. Every piece of catalog text goes through [`escape_html`].

use std::fmt::Write;

use chrono::Datelike;

use encore_domain::{ChartPeriod, Drama};

use crate::afterlife::{case_afterlife, marketing_section};
use crate::escape::escape_html;
use crate::leaderboard::LeaderboardCells;
use crate::names::{percent_text, prominence_word, score_text};
use encore_analytics::Case;

use crate::{chart_file_name, eclipse_file_name, slug, Report, LEADERBOARD_CSV};

const STYLE: &str = r#"
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans KR", "Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", "Nanum Gothic", sans-serif;
       max-width: 1100px; margin: 0 auto; padding: 1.5rem; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; margin: 0.6rem 0; }
th, td { padding: 0.3rem 0.5rem; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #888; }
.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.date { white-space: nowrap; }
.ko { color: #555; font-weight: normal; }
.meta { color: #444; margin: 0.2rem 0; }
.note { color: #555; font-size: 0.9rem; }
section.case { border-top: 1px solid #ccc; margin-top: 2.5rem; padding-top: 0.5rem; }
figure { margin: 1rem 0; }
figcaption { color: #555; font-size: 0.85rem; max-width: 900px; }
table.leaderboard td .ko { display: block; font-size: 0.85rem; }
a.to-top { position: fixed; right: 1rem; bottom: 1rem; background: #fff; border: 1px solid #bbb;
           border-radius: 4px; padding: 0.25rem 0.6rem; font-size: 0.85rem; text-decoration: none; }
img { max-width: 100%; height: auto; border: 1px solid #eee; }
footer { margin-top: 3rem; color: #666; font-size: 0.85rem; }
"#;

/// The whole page.
pub fn report_html(report: &Report<'_>) -> String {
    let title = escape_html(&report.title);
    let mut page = String::new();
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = write!(page, "<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n");
    page.push_str(&leaderboard_section(report));
    page.push_str(&marketing_section(&report.marketing, &report.cases));
    for case in cases_in_leaderboard_order(report) {
        page.push_str(&case_section(case));
    }
    page.push_str(&report.sections.html());
    for section in &report.listeners {
        page.push_str(&crate::listener_section::section_html(section));
    }
    page.push_str("<a class=\"to-top\" href=\"#leaderboard\">\u{2191} Leaderboard</a>\n");
    let sources: Vec<String> = report.generated_from.iter().map(|source| escape_html(source)).collect();
    let _ = write!(page, "<footer>Generated from: {}</footer>\n</body>\n</html>\n", sources.join(", "));
    page
}

/// The cases the leaderboard links to, in its order, then the others in the order given.
fn cases_in_leaderboard_order<'r, 'a>(report: &'r Report<'a>) -> Vec<&'r Case<'a>> {
    let linked_slugs: Vec<&str> = report.leaderboard.iter().map(|row| row.song_id.as_str()).collect();
    let mut ordered: Vec<&Case<'a>> = Vec::with_capacity(report.cases.len());
    for linked in &linked_slugs {
        let case = report.cases.iter().find(|case| slug(case) == *linked);
        if let Some(case) = case.filter(|case| !ordered.iter().any(|shown| slug(shown) == slug(case))) {
            ordered.push(case);
        }
    }
    ordered.extend(report.cases.iter().filter(|case| !linked_slugs.contains(&slug(case))));
    ordered
}

fn leaderboard_section(report: &Report<'_>) -> String {
    let mut section = String::from("<section id=\"leaderboard\">\n<h2>Leaderboard</h2>\n");
    section.push_str(
        "<p class=\"note\">Songs that outgrew their drama, ranked by eclipse score: the song's chart attention \
         after the drama's finale divided by the drama's attention over its whole life; above 1, the song's \
         afterlife alone outweighs the drama. Crossover: the first day (from year-end charts, the first year) \
         the song's attention passed the drama's.</p>\n",
    );
    section.push_str(
        "<table class=\"leaderboard\">\n<thead><tr><th class=\"number\">Rank</th><th>Song</th><th>Artists</th><th>Drama</th>\
         <th class=\"number\">Eclipse score</th><th class=\"number\">Chart life after finale</th><th>Crossover</th>\
         <th class=\"number\">Chart days</th><th class=\"number\">Year-end lists</th></tr></thead>\n<tbody>\n",
    );
    for row in &report.leaderboard {
        let cells = LeaderboardCells::of(row);
        let case = report.cases.iter().find(|case| slug(case) == row.song_id.as_str());
        let song = match case {
            Some(case) => format!("<a href=\"#{}\">{}</a>", escape_html(slug(case)), escape_html(&cells.song)),
            None => escape_html(&cells.song),
        };
        // The Hangul title under the link, when the link text is not already the Hangul title.
        let hangul = case
            .map(|case| case.song.title_ko.as_str())
            .filter(|hangul| !hangul.is_empty() && *hangul != cells.song)
            .map(|hangul| format!(" <span class=\"ko\" lang=\"ko\">{}</span>", escape_html(hangul)))
            .unwrap_or_default();
        let share =
            cells.share_after_finale_percent.map(|share| format!("{share}%")).unwrap_or_else(|| "\u{2014}".into());
        let _ = writeln!(
            section,
            "<tr><td class=\"number\">{}</td><td>{song}{hangul}</td><td>{}</td><td>{}</td><td class=\"number\">{}</td>\
             <td class=\"number\">{share}</td><td class=\"date\">{}</td><td class=\"number\">{}</td>\
             <td class=\"number\">{}</td></tr>",
            escape_html(&cells.rank),
            escape_html(&cells.artists),
            escape_html(&cells.drama),
            escape_html(&cells.eclipse_score),
            escape_html(cells.crossover.as_deref().unwrap_or("\u{2014}")),
            escape_html(&cells.chart_days),
            escape_html(&cells.year_end_lists),
        );
    }
    section.push_str("</tbody>\n</table>\n");
    let _ = writeln!(section, "<p class=\"note\">Also as <a href=\"{LEADERBOARD_CSV}\">{LEADERBOARD_CSV}</a>.</p>");
    // Cases the leaderboard does not link to would otherwise be reachable only by scrolling.
    let unlinked: Vec<&Case<'_>> = report
        .cases
        .iter()
        .filter(|case| !report.leaderboard.iter().any(|row| row.song_id.as_str() == slug(case)))
        .collect();
    if !unlinked.is_empty() {
        let links: Vec<String> = unlinked
            .iter()
            .map(|case| {
                format!("<a href=\"#{}\">{}</a>", escape_html(slug(case)), escape_html(case.song.display_title()))
            })
            .collect();
        let heading = if report.leaderboard.is_empty() { "Cases" } else { "Other cases" };
        let _ = writeln!(section, "<p>{heading}: {}</p>", links.join(" \u{b7} "));
    }
    section.push_str("</section>\n");
    section
}

/// An English title followed by its Hangul one, either alone when the other is missing.
fn bilingual_title(english: &str, hangul: &str) -> String {
    match (english.is_empty(), hangul.is_empty()) {
        (false, false) => {
            format!("{} <span class=\"ko\" lang=\"ko\">{}</span>", escape_html(english), escape_html(hangul))
        }
        (true, false) => format!("<span lang=\"ko\">{}</span>", escape_html(hangul)),
        _ => escape_html(english),
    }
}

fn drama_line(drama: Option<&Drama>) -> String {
    let Some(drama) = drama else {
        return "<p class=\"meta\">Drama not in the catalog.</p>\n".to_string();
    };
    let mut parts = vec![format!("From <strong>{}</strong>", bilingual_title(&drama.title_en, &drama.title_ko))];
    if !drama.network.is_empty() {
        parts.push(escape_html(&drama.network));
    }
    let date = |day: Option<chrono::NaiveDate>| day.map(|day| day.to_string()).unwrap_or_else(|| "?".into());
    parts.push(format!("aired {} to {}", date(drama.premiere), date(drama.finale)));
    format!("<p class=\"meta\">{}</p>\n", parts.join(" \u{b7} "))
}

fn case_section(case: &Case<'_>) -> String {
    let song = case.song;
    let case_slug = escape_html(slug(case));
    let mut section = format!(
        "<section class=\"case\" id=\"{case_slug}\">\n<h2>{}</h2>\n",
        bilingual_title(&song.title_en, &song.title_ko)
    );
    let mut song_facts = Vec::new();
    if !song.artists.is_empty() {
        song_facts.push(format!("by {}", escape_html(&song.artists.join(", "))));
    }
    if let Some(part) = song.ost_part {
        song_facts.push(format!("OST part {part}"));
    }
    if let Some(release) = song.release_date {
        song_facts.push(format!("released {release}"));
    }
    if !song_facts.is_empty() {
        let _ = writeln!(section, "<p class=\"meta\">{}</p>", song_facts.join(" \u{b7} "));
    }
    section.push_str(&drama_line(case.drama));
    let eclipse = &case.eclipse;
    let share = eclipse
        .share_after_finale
        .map(|share| {
            let of_what = if eclipse.chart_days == 0 { "the year-end lists' years" } else { "chart days" };
            format!("{}% of {of_what} after the finale", percent_text(share))
        })
        .unwrap_or_else(|| "no chart days after a known finale".into());
    let crossover =
        eclipse.crossover_text().map(|text| format!("crossover {text}")).unwrap_or_else(|| "no crossover".into());
    let _ = writeln!(
        section,
        "<p class=\"meta\">Eclipse score <strong>{}</strong> \u{b7} {share} \u{b7} {crossover} \u{b7} {} days on daily \
         and weekly charts \u{b7} {} year-end lists</p>",
        score_text(eclipse.score),
        eclipse.chart_days,
        eclipse.year_end_lists
    );
    let title = escape_html(song.display_title());
    let _ = writeln!(
        section,
        "<figure><img src=\"{}\" alt=\"Chart positions of {title}\" width=\"900\" height=\"420\">\
         <figcaption>{RANK_CHART_CAPTION}</figcaption></figure>",
        escape_html(&chart_file_name(slug(case)))
    );
    let _ = writeln!(
        section,
        "<figure><img src=\"{}\" alt=\"Attention of {title} against its drama\" width=\"900\" height=\"420\">\
         <figcaption>{} Drama attention basis: <code>{}</code>, {}.</figcaption></figure>",
        escape_html(&eclipse_file_name(slug(case))),
        eclipse_chart_caption(),
        case.drama_attention_basis.as_str(),
        escape_html(case.drama_attention_basis.label())
    );
    section.push_str(&peaks_table(case));
    section.push_str(&case_afterlife(case));
    section.push_str("<p><a href=\"#leaderboard\">Back to the leaderboard</a></p>\n</section>\n");
    section
}

const RANK_CHART_CAPTION: &str = "Rank on each chart, rank 1 at the top. A year-end chart ranks a whole \
     year, so its rank is a bar across that year. Thin grey lines are episodes. A label such as \
     \u{201C}#1 release\u{201D} gives a peak's best rank and its likely cause, detailed under Peaks.";

fn eclipse_chart_caption() -> String {
    format!(
        "Attention index, 0 to 100. Song: 100 at rank 1, falling towards 0 at a chart's last place, on \
         every day a chart entry covers (no line: off every chart). Drama: each episode's rating relative \
         to its best, fading after the finale with a half-life of {} days. The crossover is the first \
         day (or, from year-end charts, year) the song stood above the drama.",
        encore_analytics::attention::DRAMA_HALF_LIFE_DAYS
    )
}

fn peaks_table(case: &Case<'_>) -> String {
    if case.peaks.is_empty() {
        return "<h3>Peaks</h3>\n<p>No peaks: the song has no chart entries.</p>\n".to_string();
    }
    let mut table = String::from(
        "<h3>Peaks</h3>\n<table class=\"peaks\">\n<thead><tr><th>Date</th><th>Chart</th><th>Region</th>\
         <th class=\"number\">Rank</th><th>Prominence</th><th>Phase</th><th>Season</th><th>Cause</th></tr></thead>\n<tbody>\n",
    );
    for peak in &case.peaks {
        let season = peak.season.map(|season| season.to_string()).unwrap_or_else(|| "\u{2014}".into());
        // A year-end chart is dated on the year's last day but speaks for the whole year.
        let date = match peak.chart.period() {
            ChartPeriod::Year => peak.date.year().to_string(),
            ChartPeriod::Month => peak.date.format("%Y-%m").to_string(),
            ChartPeriod::RealTime | ChartPeriod::Day | ChartPeriod::Week => peak.date.to_string(),
        };
        let _ = writeln!(
            table,
            "<tr><td class=\"number\">{date}</td><td>{}</td><td>{}</td><td class=\"number\">#{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape_html(peak.chart.display_name()),
            escape_html(&peak.region),
            peak.rank,
            prominence_word(peak.prominence),
            peak.phase,
            escape_html(&season),
            escape_html(&peak.describe()),
        );
    }
    table.push_str("</tbody>\n</table>\n");
    table
}
