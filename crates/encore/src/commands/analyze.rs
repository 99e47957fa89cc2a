//! `encore analyze`: every analysis of the store's matched songs, as tables or JSON: eclipse,
//! peaks, longevity after the finale, airing response, regional spread, and the marketing table.

use std::collections::BTreeMap;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Args;
use serde_json::{json, Value};

use encore_analytics::airing::{airing_response, Airing, AiringResponse};
use encore_analytics::dated_song_attention;
use encore_analytics::effect::{marketing_table, MarketingRow};
use encore_analytics::longevity::{longevity, Longevity};
use encore_analytics::spread::{regional_spread, RegionSpread};
use encore_analytics::Point;
use encore_domain::{Catalog, ChartEntry, ChartKind, SongId};
use encore_ingest::read_catalog;
use encore_report::{analyse_catalog, Case};
use encore_store::Store;

use super::{CatalogPathArgs, StoreArgs};

/// Index points (0-100) a day must reach to count as a day "above the threshold" after the finale.
const LONGEVITY_THRESHOLD: f64 = 50.0;
/// How many days after the finale the decay is fitted over.
const LONGEVITY_WINDOW_DAYS: i64 = 365;
/// The bootstrap's seed: the same store always gives the same intervals.
const BOOTSTRAP_SEED: u64 = 2022;

/// Analyse the store's matched songs: eclipse, peaks and causes, longevity after the finale
/// (half-life with a bootstrap interval, days above 50 index points, re-entries), airing response
/// per episode, regional spread, and the measured lift of marketing moves.
///
/// Each method is described in the README's "Methods" section. Songs are those with matched chart
/// rows; name song ids to see only those.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Catalog song ids to analyse (e.g. first_snow); all matched songs when none is given.
    #[arg(value_name = "SONG_ID")]
    songs: Vec<String>,
    /// Print JSON instead of tables.
    #[arg(long, env = "ENCORE_JSON")]
    json: bool,
    #[command(flatten)]
    catalog: CatalogPathArgs,
    #[command(flatten)]
    store: StoreArgs,
}

/// The analyses of one song beyond its case (eclipse and peaks).
struct SongAnalysis<'a> {
    case: &'a Case<'a>,
    longevity: Option<Longevity>,
    airing: Option<AiringResponse>,
    spread: Vec<RegionSpread>,
}

pub fn run(arguments: AnalyzeArgs) -> anyhow::Result<()> {
    if !arguments.store.store.join("manifest.json").exists() {
        anyhow::bail!("no store at {} (run `encore demo` or `encore ingest` first)", arguments.store.store.display());
    }
    let catalog = read_catalog(&arguments.catalog.catalog)
        .with_context(|| format!("cannot load the catalog from {}", arguments.catalog.catalog.display()))?
        .catalog;
    for song in &arguments.songs {
        if catalog.song(&SongId::new(song.as_str())).is_none() {
            anyhow::bail!("no song `{song}` in the catalog");
        }
    }
    let store = Store::open(&arguments.store.store)?;
    let entries = super::runtime()?.block_on(store.matched_chart_entries())?;
    let analysis = analyse_catalog(&catalog, entries);
    let daily: BTreeMap<SongId, Vec<Point>> =
        analysis.cases.iter().map(|case| (case.song.id.clone(), daily_series(&case.entries))).collect();
    let wanted = |song_id: &SongId| {
        arguments.songs.is_empty() || arguments.songs.iter().any(|wanted| wanted == song_id.as_str())
    };
    let songs: Vec<SongAnalysis> = analysis
        .cases
        .iter()
        .filter(|case| wanted(&case.song.id))
        .map(|case| analyse_song(case, daily.get(&case.song.id).map(Vec::as_slice).unwrap_or_default()))
        .collect();
    let marketing: Vec<MarketingRow> =
        marketing_table(&catalog.events, &daily).into_iter().filter(|row| wanted(&row.song_id)).collect();
    if arguments.json {
        println!("{}", serde_json::to_string_pretty(&to_json(&songs, &analysis.leaderboard, &marketing)?)?);
    } else {
        print_tables(&catalog, &songs, &marketing);
    }
    Ok(())
}

fn analyse_song<'a>(case: &'a Case<'a>, daily: &[Point]) -> SongAnalysis<'a> {
    let dated = dated_song_attention(&case.entries, case.song.release_date);
    let finale = case.drama.and_then(|drama| drama.finale);
    let airings: Vec<Airing> = case
        .episodes
        .iter()
        .filter_map(|episode| {
            let rating = episode.rating_nationwide.or(episode.rating_tnms);
            Some(Airing { number: episode.number, date: episode.air_date?, rating })
        })
        .collect();
    SongAnalysis {
        case,
        longevity: finale
            .map(|finale| longevity(&dated, finale, LONGEVITY_THRESHOLD, LONGEVITY_WINDOW_DAYS, BOOTSTRAP_SEED)),
        airing: airing_response(daily, &airings),
        spread: regional_spread(&case.entries, case.song.release_date),
    }
}

/// A song's daily series for event studies: Spotify daily streams where the store has them (Korea
/// first), otherwise its index on daily and weekly charts.
fn daily_series(entries: &[ChartEntry]) -> Vec<Point> {
    let mut streams: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for entry in entries.iter().filter(|entry| entry.chart == ChartKind::SpotifyDaily && entry.region == "kr") {
        if let Some(count) = entry.streams {
            streams.insert(entry.chart_date, count as f64);
        }
    }
    if streams.is_empty() {
        return dated_song_attention(entries, None);
    }
    streams.into_iter().map(|(date, value)| Point { date, value }).collect()
}

fn to_json(
    songs: &[SongAnalysis],
    leaderboard: &[encore_report::LeaderboardRow],
    marketing: &[MarketingRow],
) -> anyhow::Result<Value> {
    let song_values: Vec<Value> = songs
        .iter()
        .map(|song| {
            Ok(json!({
                "song_id": song.case.song.id.as_str(),
                "title": song.case.song.display_title(),
                "drama": song.case.drama.map(|drama| drama.display_title()),
                "eclipse": serde_json::to_value(&song.case.eclipse)?,
                "peaks": serde_json::to_value(&song.case.peaks)?,
                "longevity": serde_json::to_value(&song.longevity)?,
                "airing": serde_json::to_value(&song.airing)?,
                "spread": serde_json::to_value(&song.spread)?,
            }))
        })
        .collect::<Result<_, serde_json::Error>>()?;
    let ranked: Vec<Value> = leaderboard
        .iter()
        .map(|row| json!({"rank": row.rank, "song": row.song, "drama": row.drama, "song_id": row.case_slug, "score": row.eclipse.score}))
        .collect();
    Ok(json!({ "songs": song_values, "leaderboard": ranked, "marketing": serde_json::to_value(marketing)? }))
}

fn print_tables(catalog: &Catalog, songs: &[SongAnalysis], marketing: &[MarketingRow]) {
    println!("eclipse (song attention after the finale / drama attention; ranked)");
    println!("{:<34} {:<28} {:>8}  {:<12} {:>8}", "song", "drama", "score", "crossover", "after");
    let mut ranked: Vec<&SongAnalysis> = songs.iter().collect();
    ranked.sort_by(|left, right| right.case.eclipse.score.total_cmp(&left.case.eclipse.score));
    for song in &ranked {
        let eclipse = &song.case.eclipse;
        let after = eclipse.share_after_finale.map(percent).unwrap_or_else(|| "-".into());
        let drama = song.case.drama.map(|drama| drama.display_title()).unwrap_or("-");
        println!(
            "{:<34} {:<28} {:>8.2}  {:<12} {:>8}",
            cut(song.case.song.display_title(), 34),
            cut(drama, 28),
            eclipse.score,
            eclipse.crossover_text().unwrap_or_else(|| "-".into()),
            after
        );
    }
    for song in songs {
        println!("\n== {} ({})", song.case.song.display_title(), song.case.song.id);
        println!("peaks");
        for peak in &song.case.peaks {
            println!(
                "  {:<16} {} #{:<4} {:<9} {}",
                format!("{:?}", peak.chart),
                peak.date,
                peak.rank,
                format!("{:?}", peak.prominence).to_lowercase(),
                peak.describe()
            );
        }
        match &song.longevity {
            Some(longevity) => print_longevity(longevity),
            None => println!("longevity: no finale date"),
        }
        match &song.airing {
            Some(airing) => print_airing(airing),
            None => println!("airing response: no daily series around the episodes' air dates"),
        }
        println!("regional spread");
        for region in &song.spread {
            let lag = region.lag_from_korea_days.map(|days| format!("{days:+} d")).unwrap_or_else(|| "-".into());
            println!(
                "  {:<8} first {}  lag from kr {:>9}  share {:>6}",
                region.region,
                region.first_chart_day,
                lag,
                percent(region.share)
            );
        }
    }
    println!("\nmarketing (approach | example | measured lift, 95 % placebo interval)");
    for row in marketing {
        let title = catalog.song(&row.song_id).map(|song| song.display_title()).unwrap_or(row.song_id.as_str());
        let lift = match &row.lift {
            Some(lift) => {
                let interval = lift
                    .interval
                    .map(|(low, high)| format!(" [{}, {}]", signed_percent(low), signed_percent(high)))
                    .unwrap_or_default();
                format!("{}{interval} ({:?})", signed_percent(lift.estimate), lift.counterfactual)
            }
            None => "not measurable: no daily series around the date".to_string(),
        };
        println!("  {:<28} | {} {} ({}) | {}", row.approach, cut(title, 30), row.date, cut(&row.detail, 30), lift);
    }
}

fn print_longevity(longevity: &Longevity) {
    match &longevity.fit {
        Some(fit) => {
            let interval =
                longevity.half_life_interval.map(|(low, high)| format!(" [{low:.1}, {high:.1}]")).unwrap_or_default();
            println!(
                "longevity after the finale {}: {:?} decay, half-life {:.1} d{interval}, {} days >= {}, {} re-entries",
                longevity.finale,
                fit.shape,
                fit.half_life_days,
                longevity.days_above_threshold,
                longevity.threshold,
                longevity.reentries
            );
        }
        None => println!(
            "longevity after the finale {}: too few chart days to fit a decay, {} days >= {}, {} re-entries",
            longevity.finale, longevity.days_above_threshold, longevity.threshold, longevity.reentries
        ),
    }
}

fn print_airing(airing: &AiringResponse) {
    let correlation = airing
        .rating_correlation
        .map(|correlation| {
            format!(", r(ratings, response) = {:.2} [{:.2}, {:.2}]", correlation.r, correlation.low, correlation.high)
        })
        .unwrap_or_default();
    let strongest = airing
        .strongest
        .map(|episode| {
            format!(
                ", strongest: episode {} ({}) {}",
                episode.airing.number.map(|number| number.to_string()).unwrap_or_else(|| "?".into()),
                episode.airing.date,
                signed_percent(episode.response)
            )
        })
        .unwrap_or_default();
    println!(
        "airing response: lag {} d, mean {} over {} episodes{correlation}{strongest}",
        airing.lag_days,
        signed_percent(airing.mean_response),
        airing.episodes.len()
    );
}

fn percent(share: f64) -> String {
    format!("{:.0} %", 100.0 * share)
}

fn signed_percent(change: f64) -> String {
    format!("{:+.0} %", 100.0 * change)
}

fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut shortened: String = text.chars().take(width.saturating_sub(1)).collect();
    shortened.push('…');
    shortened
}
