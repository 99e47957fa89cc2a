//! `report.html`: one self-contained page (inline CSS, no script, no network) with the leaderboard
//! and a section per case. Every piece of catalog text goes through [`escape_html`].

use std::fmt::Write;

use encore_domain::Drama;

use crate::escape::escape_html;
use crate::leaderboard::LeaderboardCells;
use crate::names::{percent_text, prominence_word, score_text};
use crate::{chart_file_name, eclipse_file_name, Case, Report, LEADERBOARD_CSV};

const STYLE: &str = r#"
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans KR", "Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", "Nanum Gothic", sans-serif;
       max-width: 960px; margin: 0 auto; padding: 1.5rem; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; margin: 0.6rem 0; }
th, td { padding: 0.3rem 0.5rem; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #888; }
.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ko { color: #555; font-weight: normal; }
.meta { color: #444; margin: 0.2rem 0; }
.note { color: #555; font-size: 0.9rem; }
section.case { border-top: 1px solid #ccc; margin-top: 2.5rem; padding-top: 0.5rem; }
figure { margin: 1rem 0; }
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
    for case in &report.cases {
        page.push_str(&case_section(case));
    }
    let sources: Vec<String> = report.generated_from.iter().map(|source| escape_html(source)).collect();
    let _ = write!(page, "<footer>Generated from: {}</footer>\n</body>\n</html>\n", sources.join(", "));
    page
}

fn leaderboard_section(report: &Report<'_>) -> String {
    let mut section = String::from("<section id=\"leaderboard\">\n<h2>Songs that outgrew their drama</h2>\n");
    section.push_str(
        "<p class=\"note\">Eclipse score: the song's chart attention after the drama's finale divided by the drama's \
         attention over its whole life; above 1, the song's afterlife alone outweighs the drama. \
         Crossover: the first day the song's attention passed the drama's.</p>\n",
    );
    section.push_str(
        "<table class=\"leaderboard\">\n<thead><tr><th class=\"number\">Rank</th><th>Song</th><th>Artists</th><th>Drama</th>\
         <th class=\"number\">Eclipse score</th><th class=\"number\">Chart life after finale</th><th>Crossover</th>\
         <th class=\"number\">Chart days</th></tr></thead>\n<tbody>\n",
    );
    for row in &report.leaderboard {
        let cells = LeaderboardCells::of(row);
        let song = match &row.case_slug {
            Some(slug) => format!("<a href=\"#{}\">{}</a>", escape_html(slug), escape_html(&cells.song)),
            None => escape_html(&cells.song),
        };
        let share =
            cells.share_after_finale_percent.map(|share| format!("{share}%")).unwrap_or_else(|| "\u{2014}".into());
        let _ = writeln!(
            section,
            "<tr><td class=\"number\">{}</td><td>{song}</td><td>{}</td><td>{}</td><td class=\"number\">{}</td>\
             <td class=\"number\">{share}</td><td>{}</td><td class=\"number\">{}</td></tr>",
            escape_html(&cells.rank),
            escape_html(&cells.artists),
            escape_html(&cells.drama),
            escape_html(&cells.eclipse_score),
            escape_html(cells.crossover.as_deref().unwrap_or("\u{2014}")),
            escape_html(&cells.chart_days),
        );
    }
    section.push_str("</tbody>\n</table>\n");
    let _ = writeln!(section, "<p class=\"note\">Also as <a href=\"{LEADERBOARD_CSV}\">{LEADERBOARD_CSV}</a>.</p>");
    if !report.cases.is_empty() {
        let links: Vec<String> = report
            .cases
            .iter()
            .map(|case| {
                format!("<a href=\"#{}\">{}</a>", escape_html(&case.slug), escape_html(case.song.display_title()))
            })
            .collect();
        let _ = writeln!(section, "<p>Cases: {}</p>", links.join(" \u{b7} "));
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
    let slug = escape_html(&case.slug);
    let mut section = format!(
        "<section class=\"case\" id=\"{slug}\">\n<h2>{}</h2>\n",
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
        .map(|share| format!("{}% of chart days after the finale", percent_text(share)))
        .unwrap_or_else(|| "no chart days after a known finale".into());
    let crossover = eclipse.crossover_text().map(|text| format!("crossover {text}")).unwrap_or_else(|| "no crossover".into());
    let _ = writeln!(
        section,
        "<p class=\"meta\">Eclipse score <strong>{}</strong> \u{b7} {share} \u{b7} {crossover} \u{b7} {} chart days</p>",
        score_text(eclipse.score),
        eclipse.chart_days
    );
    let title = escape_html(song.display_title());
    let _ = writeln!(
        section,
        "<figure><img src=\"{}\" alt=\"Chart positions of {title}\" width=\"900\" height=\"420\"></figure>",
        escape_html(&chart_file_name(&case.slug))
    );
    let _ = writeln!(
        section,
        "<figure><img src=\"{}\" alt=\"Attention of {title} against its drama\" width=\"900\" height=\"420\"></figure>",
        escape_html(&eclipse_file_name(&case.slug))
    );
    section.push_str(&peaks_table(case));
    section.push_str("<p><a href=\"#leaderboard\">Back to the leaderboard</a></p>\n</section>\n");
    section
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
        let _ = writeln!(
            table,
            "<tr><td class=\"number\">{}</td><td>{}</td><td>{}</td><td class=\"number\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            peak.date,
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
