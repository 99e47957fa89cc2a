//! `encore timeline DRAMA_ID`: a drama's campaign: what was released when against its broadcast,
//! each song's events, and what followed each release; as a table, `--json` or a plot.

use std::path::PathBuf;

use clap::Args;

use encore_analytics::campaign::{campaign, Campaign};
use encore_domain::DramaId;
use encore_report::campaign_json::campaign_json;

use super::analyze::stored_analysis;
use super::catalog::stored_catalog;
use super::series::write_plot;
use super::table::{Align, TextTable};
use super::{StoreArgs, UserInput};

/// A drama's OST campaign: each part's release against the premiere and the episodes, its catalog
/// events (music videos, remixes, live stages, trends), and its highest daily attention in the 60
/// days after its release. `--plot` draws the parts' attention on the episode calendar.
#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// The catalog drama id (e.g. goblin).
    #[arg(value_name = "DRAMA_ID")]
    drama: String,
    /// Print JSON instead of a table.
    #[arg(long, env = "ENCORE_JSON")]
    json: bool,
    /// Also draw the timeline into this new file: `.svg` or `.png`.
    #[arg(long, value_name = "FILE")]
    plot: Option<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(arguments: TimelineArgs) -> anyhow::Result<()> {
    let store = arguments.store.open_for_reading()?;
    let catalog = stored_catalog(&store)?;
    let analysis = stored_analysis(&store, &catalog)?;
    let drama_id = DramaId::new(arguments.drama.as_str());
    let Some(timeline) = campaign(&catalog, &analysis, &drama_id) else {
        let known: Vec<&str> = catalog.dramas.iter().map(|drama| drama.id.as_str()).collect();
        return Err(UserInput(format!(
            "no drama `{}` in the store's catalog; its dramas: {}",
            arguments.drama,
            known.join(", ")
        ))
        .into());
    };
    if let Some(path) = &arguments.plot {
        write_plot(path, &encore_report::campaign_figure::campaign_svg(&timeline)?)?;
    }
    if arguments.json {
        println!("{}", serde_json::to_string_pretty(&campaign_json(&timeline))?);
    } else {
        print!("{}", to_table(&timeline));
    }
    Ok(())
}

fn to_table(timeline: &Campaign<'_>) -> String {
    let dates = |date: Option<chrono::NaiveDate>| date.map_or_else(|| "?".to_string(), |date| date.to_string());
    let mut text = format!(
        "{}: premiere {}, finale {}, {} episodes dated\n",
        timeline.drama.display_title(),
        dates(timeline.drama.premiere),
        dates(timeline.drama.finale),
        timeline.episodes.len()
    );
    let mut table = TextTable::new(&[
        ("part", Align::Right, 5),
        ("song", Align::Left, 34),
        ("released", Align::Left, 11),
        ("against the broadcast", Align::Left, 40),
        ("events", Align::Left, 40),
        ("peak within 60 days", Align::Left, 22),
    ]);
    for entry in &timeline.songs {
        let events: Vec<String> = entry
            .events
            .iter()
            .map(|(date, event)| format!("{date} {}", event.kind.as_str().replace('_', " ")))
            .collect();
        let peak = match (&entry.peak_after_release, entry.attention.is_empty(), entry.song.release_date) {
            (Some(point), _, _) => format!("{:.0} on {}", point.value, point.date),
            (None, true, _) => "never charted".to_string(),
            (None, false, None) => "no release date".to_string(),
            (None, false, Some(_)) => "not charted in those days".to_string(),
        };
        table.row(vec![
            entry.song.ost_part.map(|part| part.to_string()).unwrap_or_default(),
            entry.song.display_title().to_string(),
            dates(entry.song.release_date),
            entry.timing.clone(),
            if events.is_empty() { "no catalog events".to_string() } else { events.join("; ") },
            peak,
        ]);
    }
    text.push_str(&table.render());
    text
}
