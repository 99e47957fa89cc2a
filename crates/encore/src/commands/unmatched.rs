//! `encore unmatched`: the stored chart rows that matched no catalog song, grouped by title and
//! artist, with the catalog songs nearest to each, so a user can add an alias and ingest again.

use std::collections::BTreeMap;

use clap::Args;
use serde_json::json;

use encore_domain::{ChartEntry, ChartKind, SongMatcher};
use encore_store::{chart_entries_from_batches, QueryLimits, Store};

use super::catalog::stored_catalog;
use super::table::{Align, TextTable};
use super::StoreArgs;

/// List chart rows that matched no catalog song, most frequent first, with the nearest catalog
/// songs.
///
/// Rows are grouped by title and artist over all charts (or the one --chart names), each group with
/// its row count, best rank and charts. Candidates are the catalog songs crediting the row's artist
/// first, then those with the closest title (normalised edit distance of title keys, exact or
/// romanised: 0.00 is equal). To make a row match, add its title to the catalog's
/// song_aliases.csv (song_id,alias,source) or its artist to artists.csv, then ingest the files
/// into a fresh store (a store skips files it already holds).
#[derive(Debug, Args)]
pub struct UnmatchedArgs {
    /// Only this chart's rows, by dataset name (billboard_hot100, spotify_daily, melon_year_end, …).
    #[arg(long, env = "ENCORE_CHART", value_parser = parse_chart)]
    chart: Option<ChartKind>,
    /// Only groups with at least this many rows.
    #[arg(long, env = "ENCORE_MIN_COUNT", default_value_t = 1)]
    min_count: u64,
    /// Print at most this many groups.
    #[arg(long, env = "ENCORE_LIMIT", default_value_t = 50)]
    limit: usize,
    /// Candidates shown per group.
    #[arg(long, env = "ENCORE_CANDIDATES", default_value_t = 3)]
    candidates: usize,
    /// Print JSON instead of a table.
    #[arg(long, env = "ENCORE_JSON")]
    json: bool,
    #[command(flatten)]
    store: StoreArgs,
}

fn parse_chart(name: &str) -> Result<ChartKind, String> {
    ChartKind::from_dataset(name.trim()).ok_or_else(|| {
        let names: Vec<&str> = ChartKind::ALL.iter().map(|kind| kind.dataset()).collect();
        format!("`{name}` is not a chart (one of {})", names.join(", "))
    })
}

/// One title and artist that matched nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmatchedGroup {
    pub title: String,
    pub artist: String,
    pub rows: u64,
    pub best_rank: u32,
    pub charts: Vec<ChartKind>,
}

pub fn run(arguments: UnmatchedArgs) -> anyhow::Result<()> {
    let store = arguments.store.open_for_reading()?;
    let catalog = stored_catalog(&store)?;
    let groups = unmatched_groups(&store, arguments.chart)?;
    let total = groups.len();
    let shown: Vec<UnmatchedGroup> =
        groups.into_iter().filter(|group| group.rows >= arguments.min_count).take(arguments.limit).collect();
    let matcher = SongMatcher::new(&catalog);
    let nearest = |group: &UnmatchedGroup| matcher.nearest(&group.title, &group.artist, arguments.candidates);
    if arguments.json {
        let groups: Vec<serde_json::Value> = shown
            .iter()
            .map(|group| {
                let candidates: Vec<serde_json::Value> = nearest(group)
                    .into_iter()
                    .map(|candidate| {
                        json!({
                            "song_id": candidate.song_id.as_str(),
                            "distance": candidate.distance,
                            "artist_matches": candidate.artist_matches,
                        })
                    })
                    .collect();
                let charts: Vec<&str> = group.charts.iter().map(|chart| chart.dataset()).collect();
                json!({
                    "title": group.title,
                    "artist": group.artist,
                    "rows": group.rows,
                    "best_rank": group.best_rank,
                    "charts": charts,
                    "nearest": candidates,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&json!({ "groups": groups, "total_groups": total }))?);
        return Ok(());
    }
    let mut table = TextTable::new(&[
        ("rows", Align::Right, 8),
        ("best", Align::Right, 5),
        ("title", Align::Left, 40),
        ("artist", Align::Left, 30),
        ("charts", Align::Left, 40),
        ("nearest catalog songs (distance)", Align::Left, 80),
    ]);
    for group in &shown {
        let charts: Vec<&str> = group.charts.iter().map(|chart| chart.dataset()).collect();
        let candidates: Vec<String> = nearest(group)
            .into_iter()
            .map(|candidate| {
                let artist = if candidate.artist_matches { "same artist" } else { "artist differs" };
                format!("{} ({:.2}, {artist})", candidate.song_id, candidate.distance)
            })
            .collect();
        table.row(vec![
            group.rows.to_string(),
            group.best_rank.to_string(),
            group.title.clone(),
            group.artist.clone(),
            charts.join(", "),
            candidates.join("; "),
        ]);
    }
    print!("{}", table.render());
    println!("({} of {total} unmatched title/artist groups shown)", shown.len());
    Ok(())
}

/// The unmatched rows grouped by title and artist, most rows first, then best rank.
pub fn unmatched_groups(store: &Store, chart: Option<ChartKind>) -> anyhow::Result<Vec<UnmatchedGroup>> {
    // Grouped in SQL but in the chart table's shape, so the store's reader can decode it: `streams`
    // carries the row count, `rank` the best rank. The chart name is one of the known dataset names.
    let chart_filter = chart.map(|chart| format!("AND chart = '{}'", chart.dataset())).unwrap_or_default();
    let query = format!(
        "SELECT chart, MIN(region) AS region, MAX(chart_date) AS chart_date, MIN(rank) AS rank, title, artist, \
         COUNT(*) AS streams, CAST(NULL AS INT) AS previous_rank, CAST(NULL AS INT) AS peak_rank, \
         CAST(NULL AS INT) AS periods_on_chart, CAST(NULL AS VARCHAR) AS track_uri, CAST(NULL AS VARCHAR) AS genre, \
         MIN(source_file) AS source_file, MIN(source_line) AS source_line, CAST(NULL AS VARCHAR) AS song_id \
         FROM chart_entries WHERE (song_id IS NULL OR song_id = '') {chart_filter} GROUP BY chart, title, artist"
    );
    let batches = super::runtime()?.block_on(store.sql(&query, QueryLimits::unbounded()))?;
    Ok(group(chart_entries_from_batches(&batches)?))
}

fn group(per_chart: Vec<ChartEntry>) -> Vec<UnmatchedGroup> {
    let mut groups: BTreeMap<(String, String), UnmatchedGroup> = BTreeMap::new();
    for entry in per_chart {
        let group = groups.entry((entry.title.clone(), entry.artist.clone())).or_insert_with(|| UnmatchedGroup {
            title: entry.title.clone(),
            artist: entry.artist.clone(),
            rows: 0,
            best_rank: u32::MAX,
            charts: Vec::new(),
        });
        group.rows += entry.streams.unwrap_or(0);
        group.best_rank = group.best_rank.min(entry.rank);
        if !group.charts.contains(&entry.chart) {
            group.charts.push(entry.chart);
        }
    }
    let mut groups: Vec<UnmatchedGroup> = groups.into_values().collect();
    groups.sort_by(|left, right| right.rows.cmp(&left.rows).then(left.best_rank.cmp(&right.best_rank)));
    groups
}
