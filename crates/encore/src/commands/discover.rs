//! `encore discover`: drama OSTs the catalog lacks, found in the stored chart rows by their album
//! or genre, each with a `songs.csv` row ready to append.

use clap::Args;
use serde_json::json;

use encore_domain::discover::{discover, Discovery};
use encore_store::{chart_entries_from_batches, QueryLimits};

use super::catalog::stored_catalog;
use super::table::{Align, TextTable};
use super::StoreArgs;

/// List chart rows that look like a drama's OST but match no catalog song, with a catalog row for
/// each.
///
/// Evidence is an album naming a drama's soundtrack (`옷소매 붉은 끝동 OST Part.8`, as Korean
/// platform charts give it) or Melon's year-end genre 국내드라마; never the title alone, so a song
/// that merely shares a drama's title is not listed. The album's drama is linked to the catalog
/// drama whose Korean or English title it spells, with the OST part it names. Each row is printed
/// in songs.csv's columns (song_id,drama_id,ost_part,title_en,title_ko,artists,release_date,source);
/// check it, fill what is empty (the drama when the evidence does not name one the catalog holds,
/// the release date), append it to your catalog's songs.csv, then run `encore catalog --catalog DIR`
/// and `encore rematch`.
#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// Only songs with at least this many chart rows.
    #[arg(long, env = "ENCORE_MIN_COUNT", default_value_t = 1)]
    min_count: usize,
    /// Print JSON instead of a table and the catalog rows.
    #[arg(long, env = "ENCORE_JSON")]
    json: bool,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(arguments: DiscoverArgs) -> anyhow::Result<()> {
    let store = arguments.store.open_for_reading()?;
    let catalog = stored_catalog(&store)?;
    // Rows with evidence only; matching is checked again against the catalog as it is now.
    let query = "SELECT * FROM chart_entries WHERE (album IS NOT NULL AND (lower(album) LIKE '%ost%' \
                 OR lower(album) LIKE '%o.s.t%' OR lower(album) LIKE '%soundtrack%' OR album LIKE '%드라마%')) \
                 OR genre LIKE '%드라마%'";
    let batches = super::runtime()?.block_on(store.sql(query, QueryLimits::unbounded()))?;
    let entries = chart_entries_from_batches(&batches)?;
    let found: Vec<Discovery> =
        discover(&catalog, &entries).into_iter().filter(|discovery| discovery.rows >= arguments.min_count).collect();
    let drama_of = |discovery: &Discovery| -> String {
        match (&discovery.drama_id, &discovery.drama_named) {
            (Some(id), _) => id.as_str().to_string(),
            (None, Some(named)) => format!("not in the catalog: {named}"),
            (None, None) => "not named".to_string(),
        }
    };
    if arguments.json {
        let songs: Vec<serde_json::Value> = found
            .iter()
            .map(|discovery| {
                json!({
                    "title": discovery.title,
                    "artist": discovery.artist,
                    "drama_id": discovery.drama_id.as_ref().map(|id| id.as_str()),
                    "drama_named": discovery.drama_named,
                    "ost_part": discovery.ost_part,
                    "evidence": discovery.evidence,
                    "rows": discovery.rows,
                    "best_rank": discovery.best_rank,
                    "first_date": discovery.first_date.to_string(),
                    "first_seen": discovery.first_seen,
                    "catalog_row": discovery.catalog_row(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&json!({ "songs": songs }))?);
        return Ok(());
    }
    if found.is_empty() {
        println!("no chart row with OST evidence is missing from the catalog");
        return Ok(());
    }
    let mut table = TextTable::new(&[
        ("rows", Align::Right, 6),
        ("best", Align::Right, 5),
        ("title", Align::Left, 36),
        ("artist", Align::Left, 26),
        ("drama", Align::Left, 36),
        ("part", Align::Right, 4),
        ("evidence", Align::Left, 60),
    ]);
    for discovery in &found {
        table.row(vec![
            discovery.rows.to_string(),
            discovery.best_rank.to_string(),
            discovery.title.clone(),
            discovery.artist.clone(),
            drama_of(discovery),
            discovery.ost_part.map(|part| part.to_string()).unwrap_or_default(),
            discovery.evidence.join("; "),
        ]);
    }
    print!("{}", table.render());
    println!("\nsongs.csv rows to check and append (song_id,drama_id,ost_part,title_en,title_ko,artists,release_date,source):");
    for discovery in &found {
        println!("{}", discovery.catalog_row());
    }
    Ok(())
}
