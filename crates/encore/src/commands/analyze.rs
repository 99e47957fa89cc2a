//! `encore analyze`: every analysis of the store's matched songs, as tables or JSON: eclipse,
//! peaks, longevity after the finale, airing response, regional spread, and the marketing table.

use clap::Args;
use serde_json::{json, Value};

use encore_analytics::airing::AiringResponse;
use encore_analytics::effect::MarketingRow;
use encore_analytics::longevity::Longevity;
use encore_analytics::spread::RegionSpread;
use encore_analytics::{analyse_catalog, Analysis, Case, LeaderboardRow, Measured};
use encore_domain::{Catalog, SongId, SongMatcher};
use encore_store::Store;

use super::catalog::stored_catalog;
use super::table::{cut, Align, TextTable};
use super::{StoreArgs, UserInput};

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
    store: StoreArgs,
}

/// The analyses of one song beyond its case (eclipse and peaks).
struct SongAnalysis<'a> {
    case: &'a Case<'a>,
    longevity: Option<&'a Longevity>,
    airing: Option<&'a AiringResponse>,
    spread: &'a [RegionSpread],
}

pub fn run(arguments: AnalyzeArgs) -> anyhow::Result<()> {
    let store = arguments.store.open_for_reading()?;
    let catalog = stored_catalog(&store)?;
    check_song_ids(&catalog, &arguments.songs)?;
    let analysis = stored_analysis(&store, &catalog)?;
    let wanted = |song_id: &SongId| {
        arguments.songs.is_empty() || arguments.songs.iter().any(|wanted| wanted == song_id.as_str())
    };
    let songs: Vec<SongAnalysis> = analysis
        .cases
        .iter()
        .filter(|case| wanted(&case.song.id))
        .map(|case| SongAnalysis {
            case,
            longevity: case.longevity.value(),
            airing: case.airing.value(),
            spread: case.spread.value().map(Vec::as_slice).unwrap_or_default(),
        })
        .collect();
    let marketing: Vec<&MarketingRow> = analysis.marketing.iter().filter(|row| wanted(&row.song_id)).collect();
    if arguments.json {
        let leaderboard: Vec<&LeaderboardRow> =
            analysis.leaderboard.iter().filter(|row| wanted(&row.song_id)).collect();
        println!("{}", serde_json::to_string_pretty(&to_json(&songs, &leaderboard, &marketing)?)?);
    } else {
        print_tables(&catalog, &songs, &marketing);
    }
    Ok(())
}

/// The catalog analysis of the store's chart and viewing rows: what `analyze`, `checklist`,
/// `timeline` and the series commands' `--song` read.
pub(super) fn stored_analysis<'a>(store: &Store, catalog: &'a Catalog) -> anyhow::Result<Analysis<'a>> {
    let runtime = super::runtime()?;
    let entries = runtime.block_on(store.analysis_chart_entries())?;
    let viewing = runtime.block_on(store.matched_drama_viewing())?;
    Ok(analyse_catalog(catalog, entries, &viewing))
}

/// Refuses an id the catalog does not hold, naming the nearest ones.
pub(super) fn check_song_ids(catalog: &Catalog, songs: &[String]) -> anyhow::Result<()> {
    let matcher = SongMatcher::new(catalog);
    for song in songs {
        if catalog.song(&SongId::new(song.as_str())).is_none() {
            let nearest: Vec<String> = matcher.nearest_ids(song, 3).iter().map(ToString::to_string).collect();
            return Err(UserInput(format!(
                "no song `{song}` in the store's catalog; the nearest ids: {}",
                nearest.join(", ")
            ))
            .into());
        }
    }
    Ok(())
}

/// The songs asked for; the leaderboard holds only their rows (with their rank among all songs).
fn to_json(
    songs: &[SongAnalysis],
    leaderboard: &[&LeaderboardRow],
    marketing: &[&MarketingRow],
) -> anyhow::Result<Value> {
    let song_values: Vec<Value> = songs
        .iter()
        .map(|song| {
            Ok(json!({
                "song_id": song.case.song.id.as_str(),
                "title": song.case.song.display_title(),
                "drama": song.case.drama.map(|drama| drama.display_title()),
                "drama_attention_basis": song.case.drama_attention_basis.as_str(),
                "eclipse": serde_json::to_value(&song.case.eclipse)?,
                "peaks": serde_json::to_value(&song.case.peaks)?,
                "longevity": serde_json::to_value(song.longevity)?,
                "airing": serde_json::to_value(song.airing)?,
                "spread": serde_json::to_value(song.spread)?,
            }))
        })
        .collect::<Result<_, serde_json::Error>>()?;
    let ranked: Vec<Value> = leaderboard
        .iter()
        .map(|row| json!({"rank": row.rank, "song": row.song, "drama": row.drama, "song_id": row.song_id.as_str(), "score": row.eclipse.score}))
        .collect();
    Ok(json!({ "songs": song_values, "leaderboard": ranked, "marketing": serde_json::to_value(marketing)? }))
}

fn print_tables(catalog: &Catalog, songs: &[SongAnalysis], marketing: &[&MarketingRow]) {
    println!("eclipse (song attention after the finale / drama attention; ranked)");
    let mut table = TextTable::new(&[
        ("song", Align::Left, 34),
        ("drama", Align::Left, 28),
        ("score", Align::Right, 8),
        ("crossover", Align::Left, 22),
        ("after", Align::Right, 8),
    ]);
    let mut ranked: Vec<&SongAnalysis> = songs.iter().collect();
    ranked.sort_by(|left, right| right.case.eclipse.score.total_cmp(&left.case.eclipse.score));
    for song in &ranked {
        let eclipse = &song.case.eclipse;
        let after = eclipse.share_after_finale.map(percent).unwrap_or_else(|| "-".into());
        let drama = song.case.drama.map(|drama| drama.display_title()).unwrap_or("-");
        table.row(vec![
            song.case.song.display_title().to_string(),
            drama.to_string(),
            format!("{:.2}", eclipse.score),
            eclipse.crossover_text().unwrap_or_else(|| "-".into()),
            after,
        ]);
    }
    print!("{}", table.render());
    for song in songs {
        println!("\n== {} ({})", song.case.song.display_title(), song.case.song.id);
        let basis = song.case.drama_attention_basis;
        println!("drama attention: {} ({})", basis.as_str(), basis.label());
        println!("peaks");
        for peak in &song.case.peaks {
            println!(
                "  {:<16} {} #{:<4} {:<9} {}",
                peak.chart.dataset().to_string(),
                peak.date,
                peak.rank,
                format!("{:?}", peak.prominence).to_lowercase(),
                peak.describe()
            );
        }
        match &song.case.longevity {
            Measured::Measured(longevity) => print_longevity(longevity),
            Measured::NotMeasurable { not_measurable } => println!("longevity: not measurable: {not_measurable}"),
        }
        match &song.case.airing {
            Measured::Measured(airing) => print_airing(airing),
            Measured::NotMeasurable { not_measurable } => println!("airing response: not measurable: {not_measurable}"),
        }
        println!("regional spread");
        for region in song.spread {
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
                format!("{}{interval} ({})", signed_percent(lift.estimate), lift.against())
            }
            None => row.reason.clone().unwrap_or_default(),
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
