//! `encore report`: analyse the store's matched chart and viewing rows against the catalog and write the report.

use std::path::{Path, PathBuf};

use clap::Args;

use std::collections::BTreeSet;

use encore_analytics::campaign::campaign;
use encore_analytics::checklist::{checklist_outcomes, song_checklists};
use encore_analytics::{analyse_catalog, Analysis, LeaderboardRow};
use encore_domain::{Catalog, DramaId};
use encore_listeners::Scope;
use encore_lyrics::{analyse_lyrics, catalog_song_motifs, LyricsOptions};
use encore_report::lyrics_json::LyricsRun;
use encore_report::{
    write_report, CatalogSections, ChecklistSection, ListenerSection, LyricsSection, Overwrite, Report, TimelineSection,
};
use encore_store::Store;

use super::catalog::stored_catalog;
use super::cluster::ClusterArgs;
use super::lyrics::{read_lyrics, LyricsFiles};
use super::table::{Align, TextTable};
use super::{OutArgs, StoreArgs, UserInput};

/// Write the HTML report (charts, peaks with causes, eclipse leaderboard) from the store.
///
/// The report goes to OUT/report: report.html, one chart-position and one eclipse chart (SVG) per
/// song, leaderboard.csv and report.json, with the store's catalog. It is written beside the target
/// and swapped into place, so an interrupted run never leaves half a report. An existing OUT/report
/// is replaced only if an earlier report wrote it (or with --force).
///
/// It also has the creator's checklist over the catalog, each drama's campaign timeline, and, when
/// the data folder holds Melon's year-end lyrics, what OST lyrics say (with a figure).
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The data folder holding melon-year-end/ (the lyrics section and the checklist's motifs
    /// item), or that folder itself. Default: `data` in the nearest encore.toml, else
    /// $ENCORE_HOME/data. Without lyrics there, the report has no lyrics section.
    #[arg(long, env = "ENCORE_DATA", value_name = "DIR")]
    data: Option<PathBuf>,
    #[command(flatten)]
    out: OutArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    cluster: ClusterArgs,
}

pub fn run(arguments: ReportArgs) -> anyhow::Result<()> {
    let store = arguments.cluster.apply(arguments.store.open_for_reading()?)?;
    let catalog = stored_catalog(&store)?;
    let sources = vec![store.root().display().to_string()];
    let out = arguments.out.report_folder()?;
    let written = write(&store, &catalog, &out, sources, arguments.data.as_deref(), arguments.out.overwrite())?;
    print_written(&written);
    Ok(())
}

/// What was written: the page, and the leaderboard in its order.
pub struct Written {
    pub html: PathBuf,
    pub leaderboard: Vec<LeaderboardRow>,
}

/// Analyses every catalog song with chart rows in `store` (its drama's attention from ratings or
/// Netflix viewing) and writes the report folder; the lyrics come from `data` (see `--data`).
pub fn write(
    store: &Store,
    catalog: &Catalog,
    out: &Path,
    sources: Vec<String>,
    data: Option<&Path>,
    overwrite: Overwrite,
) -> anyhow::Result<Written> {
    let runtime = super::runtime()?;
    let entries = runtime.block_on(store.analysis_chart_entries())?;
    let viewing = runtime.block_on(store.matched_drama_viewing())?;
    let analysis = analyse_catalog(catalog, entries, &viewing);
    let lyrics = read_lyrics(data)?;
    let sections = catalog_sections(catalog, &analysis, &lyrics)?;
    let report = Report {
        title: "Encore: songs that outgrew their drama".to_string(),
        generated_from: sources,
        cases: analysis.cases,
        leaderboard: analysis.leaderboard.clone(),
        marketing: analysis.marketing,
        listeners: runtime.block_on(listener_sections(store, catalog))?,
        sections,
    };
    let html = write_report(out, &report, overwrite)?;
    Ok(Written { html, leaderboard: analysis.leaderboard })
}

/// The checklist over the catalog, the timeline of every drama with a charting OST, and the lyrics
/// section when `lyrics` holds any.
fn catalog_sections(
    catalog: &Catalog,
    analysis: &Analysis<'_>,
    lyrics: &LyricsFiles,
) -> anyhow::Result<CatalogSections> {
    let songs = song_checklists(catalog, analysis, &catalog_song_motifs(catalog, &lyrics.rows));
    let outcomes = checklist_outcomes(&songs, analysis);
    let charting: BTreeSet<&DramaId> = analysis.cases.iter().map(|case| &case.song.drama_id).collect();
    let timelines = catalog
        .dramas
        .iter()
        .filter(|drama| charting.contains(&drama.id))
        .filter_map(|drama| TimelineSection::of(&campaign(catalog, analysis, &drama.id)?))
        .collect();
    let lyrics_section = if lyrics.rows.is_empty() {
        None
    } else {
        let analysis =
            analyse_lyrics(&lyrics.rows, LyricsOptions::DEFAULT).map_err(|error| UserInput(error.to_string()))?;
        let run = LyricsRun {
            files: lyrics.files,
            rows_rejected: lyrics.rejected.len(),
            prior_total: LyricsOptions::DEFAULT.prior_total,
        };
        Some(LyricsSection { analysis, run })
    };
    Ok(CatalogSections { checklist: Some(ChecklistSection { songs, outcomes }), timelines, lyrics: lyrics_section })
}

/// Dramas whose OSTs the store's listens play most, at most this many, get a listener section.
const LISTENER_SECTIONS: usize = 3;

/// The listener sections: the dramas whose OSTs are played most; none without listens. Listens
/// whose log names no country are read in UTC.
async fn listener_sections(store: &Store, catalog: &Catalog) -> anyhow::Result<Vec<ListenerSection>> {
    let context = store.session_within(encore_listeners::MEMORY_BYTES).await?;
    let mut sections = Vec::new();
    let dramas = encore_listeners::dramas_listened(&context, catalog).await?;
    if dramas.is_empty() {
        return Ok(sections);
    }
    // The joined tables once for every section: making the zone offsets reads every listen.
    encore_listeners::tables::register(&context, catalog, chrono_tz::Tz::UTC).await?;
    for (drama_id, _) in dramas.into_iter().take(LISTENER_SECTIONS) {
        let slug = drama_id.as_str().to_string();
        let report = encore_listeners::analyse_registered(&context, catalog, Scope::Drama(drama_id)).await?;
        sections.push(ListenerSection { slug, report });
    }
    Ok(sections)
}

pub fn print_written(written: &Written) {
    println!("\nsongs that outgrew their drama (eclipse score: song attention after the finale / drama attention)");
    let mut table = TextTable::new(&[
        ("rank", Align::Right, 4),
        ("song", Align::Left, 40),
        ("drama", Align::Left, 28),
        ("score", Align::Right, 9),
        ("crossover", Align::Left, 22),
    ]);
    for row in written.leaderboard.iter().take(10) {
        table.row(vec![
            row.rank.to_string(),
            row.song.clone(),
            row.drama.clone(),
            format!("{:.2}", row.eclipse.score),
            row.eclipse.crossover_text().unwrap_or_else(|| "-".to_string()),
        ]);
    }
    print!("{}", table.render());
    println!("\nreport: {}", written.html.display());
}
