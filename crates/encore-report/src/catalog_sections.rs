//! The report's sections over the whole catalog beyond the cases: the creator's checklist (how
//! many songs each item is evidenced for, and the outcome with and without it), each drama's
//! campaign timeline (a figure and its parts), and what OST lyrics say (the claim answered, the
//! distinguishing words, a figure of the motif families' shares).

use std::fmt::Write;
use std::path::Path;

use serde_json::{json, Value};

use encore_analytics::campaign::Campaign;
use encore_analytics::checklist::{ChecklistItemKind, OutcomeRow, SongChecklist};
use encore_lyrics::LyricsAnalysis;

use crate::campaign_figure::campaign_svg;
use crate::campaign_json::campaign_json;
use crate::checklist_json::{checklist_json, metric_label, outcome_cells, OUTCOME_BASIS};
use crate::escape::escape_html;
use crate::lyrics_json::{claim_answer, lyrics_json, LyricsRun};
use crate::output::write_file;
use crate::ReportError;

/// The file of the lyrics figure in the report folder.
pub const LYRICS_FIGURE: &str = "lyrics-motifs.svg";

/// The sections a report may carry beyond its cases; each absent one is left out of the page.
#[derive(Debug, Clone, Default)]
pub struct CatalogSections {
    pub checklist: Option<ChecklistSection>,
    pub timelines: Vec<TimelineSection>,
    pub lyrics: Option<LyricsSection>,
}

/// Every catalog song's checklist and the catalog's outcome table.
#[derive(Debug, Clone)]
pub struct ChecklistSection {
    pub songs: Vec<SongChecklist>,
    pub outcomes: Vec<OutcomeRow>,
}

/// One drama's campaign, drawn and encoded while the analysis it borrows from is at hand.
#[derive(Debug, Clone)]
pub struct TimelineSection {
    pub drama_id: String,
    pub title: String,
    pub svg: String,
    pub json: Value,
}

impl TimelineSection {
    /// The drama's section; `None` when it has nothing dated to draw.
    pub fn of(campaign: &Campaign<'_>) -> Option<TimelineSection> {
        let svg = campaign_svg(campaign).ok()?;
        Some(TimelineSection {
            drama_id: campaign.drama.id.to_string(),
            title: campaign.drama.display_title().to_string(),
            svg,
            json: campaign_json(campaign),
        })
    }

    /// The figure's file name: the drama id with anything but letters, digits, `-` and `_` replaced.
    fn file_name(&self) -> String {
        let plain: String = self
            .drama_id
            .chars()
            .map(|character| if character.is_ascii_alphanumeric() || character == '-' { character } else { '_' })
            .collect();
        format!("timeline-{plain}.svg")
    }
}

/// The lyrics analysis and where its lyrics came from.
#[derive(Debug, Clone)]
pub struct LyricsSection {
    pub analysis: LyricsAnalysis,
    pub run: LyricsRun,
}

impl CatalogSections {
    /// Writes the sections' figures into the report's folder.
    pub(crate) fn write_figures(&self, folder: &Path) -> Result<(), ReportError> {
        for timeline in &self.timelines {
            write_file(&folder.join(timeline.file_name()), &timeline.svg)?;
        }
        if let Some(lyrics) = &self.lyrics {
            write_file(&folder.join(LYRICS_FIGURE), &crate::lyrics_figure::lyrics_svg(&lyrics.analysis)?)?;
        }
        Ok(())
    }

    /// The sections' findings for `report.json`.
    pub(crate) fn json(&self) -> Value {
        json!({
            "checklist": self.checklist.as_ref().map(|section| {
                let songs: Vec<&SongChecklist> = section.songs.iter().collect();
                checklist_json(&songs, &section.outcomes)
            }),
            "timelines": self.timelines.iter().map(|timeline| &timeline.json).collect::<Vec<_>>(),
            "lyrics": self.lyrics.as_ref().map(|section| lyrics_json(&section.analysis, section.run)),
        })
    }

    /// The sections' HTML, in the page's order.
    pub(crate) fn html(&self) -> String {
        let mut html = String::new();
        if let Some(checklist) = &self.checklist {
            html.push_str(&checklist_html(checklist));
        }
        if !self.timelines.is_empty() {
            html.push_str(&timelines_html(&self.timelines));
        }
        if let Some(lyrics) = &self.lyrics {
            html.push_str(&lyrics_html(lyrics));
        }
        html
    }
}

fn checklist_html(section: &ChecklistSection) -> String {
    let mut html = String::from(
        "<section class=\"case\" id=\"checklist\">\n<h2>Creator's checklist</h2>\n<p class=\"meta\">Each item of the \
         usual OST checklist, per catalog song: evidenced by the catalog or the data, absent (the data could show it \
         and does not), or no data (nothing Encore holds can tell; never counted as absent). \
         <code>encore checklist SONG</code> shows one song's items with what shows each.</p>\n",
    );
    html.push_str("<table>\n<thead><tr><th>Item</th><th class=\"number\">Evidenced</th><th class=\"number\">Absent</th><th class=\"number\">No data</th></tr></thead>\n<tbody>\n");
    for kind in ChecklistItemKind::ALL {
        let statuses: Vec<Option<bool>> =
            section.songs.iter().filter_map(|song| song.item(kind)).map(|evidence| evidence.holds()).collect();
        let count = |wanted: Option<bool>| statuses.iter().filter(|status| **status == wanted).count();
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td class=\"number\">{}</td><td class=\"number\">{}</td><td class=\"number\">{}</td></tr>",
            escape_html(kind.label()),
            count(Some(true)),
            count(Some(false)),
            count(None)
        );
    }
    html.push_str("</tbody>\n</table>\n");
    let _ = writeln!(html, "<p class=\"meta\">Outcome with and without each item: {}.</p>", escape_html(OUTCOME_BASIS));
    html.push_str(
        "<table>\n<thead><tr><th>Item</th><th>Outcome</th><th class=\"number\">n with</th><th class=\"number\">n without</th>\
         <th class=\"number\">Mean with</th><th class=\"number\">Mean without</th><th>Difference [95 %]</th></tr></thead>\n<tbody>\n",
    );
    for row in &section.outcomes {
        let metric = metric_label(row.metric);
        let [with, without, difference] = outcome_cells(row).map(|cell| escape_html(&cell));
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{metric}</td><td class=\"number\">{}</td><td class=\"number\">{}</td>\
             <td class=\"number\">{with}</td><td class=\"number\">{without}</td><td>{difference}</td></tr>",
            escape_html(row.item.label()),
            row.songs_with,
            row.songs_without
        );
    }
    html.push_str("</tbody>\n</table>\n</section>\n");
    html
}

fn timelines_html(timelines: &[TimelineSection]) -> String {
    let mut html = String::from(
        "<section class=\"case\" id=\"campaigns\">\n<h2>Campaign timelines</h2>\n<p class=\"meta\">Per drama with a \
         charting OST: each part's daily attention on the episode calendar (grey lines: episodes; grey curve: the \
         drama), a dot on its release and a triangle on each of its catalog events. <code>encore timeline DRAMA</code> \
         gives the table.</p>\n",
    );
    for timeline in timelines {
        let _ = writeln!(
            html,
            "<h3 id=\"timeline-{}\">{}</h3>\n<figure><img src=\"{}\" alt=\"campaign timeline of {}\"></figure>",
            escape_html(&timeline.drama_id),
            escape_html(&timeline.title),
            timeline.file_name(),
            escape_html(&timeline.title)
        );
    }
    html.push_str("</section>\n");
    html
}

fn lyrics_html(section: &LyricsSection) -> String {
    let analysis = &section.analysis;
    let mut html = format!(
        "<section class=\"case\" id=\"lyrics\">\n<h2>What OST lyrics say</h2>\n<p class=\"meta\">Melon's year-end \
         lists: {} files, {} rows ({} without lyrics, {} rejected); an OST is a song of genre 국내드라마.</p>\n\
         <p><strong>{}</strong></p>\n<figure><img src=\"{LYRICS_FIGURE}\" alt=\"motif families, OSTs against the other \
         songs\"><figcaption>Share of songs using each motif family, with Wilson 95 % intervals: first the essay's \
         claim (lasting OSTs against the other songs of their years), then each period.</figcaption></figure>\n",
        section.run.files,
        analysis.rows_read,
        analysis.rows_without_lyrics,
        section.run.rows_rejected,
        escape_html(&claim_answer(&analysis.claim)),
    );
    let _ = writeln!(
        html,
        "<p class=\"meta\">Distinguishing words by weighted log-odds with an informative Dirichlet prior (Monroe, \
         Colaresi &amp; Quinn 2008), α₀ = {}, z in brackets.</p>",
        section.run.prior_total
    );
    html.push_str("<table>\n<thead><tr><th>Period</th><th>Words of OSTs</th><th>Words of the other songs</th></tr></thead>\n<tbody>\n");
    for period in &analysis.periods {
        let words = |scores: &[encore_lyrics::WordScore]| {
            scores
                .iter()
                .map(|score| format!("{} ({:.1})", escape_html(&score.word), score.z))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            html,
            "<tr><td class=\"date\">{}-{}</td><td>{}</td><td>{}</td></tr>",
            period.first_year,
            period.last_year,
            words(&period.ost_words),
            words(&period.other_words)
        );
    }
    html.push_str("</tbody>\n</table>\n</section>\n");
    html
}
