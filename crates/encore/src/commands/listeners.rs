//! `encore listeners`: listener behaviour from the store's listens (time of day, airings,
//! sessions and replays, completion, cohorts and retention, countries), and a generator of
//! listening logs with known truth to try it on.

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use encore_domain::{Catalog, DramaId, SongId};
use encore_listeners::generator::{generate, GeneratorConfig, Model, LISTENERS_PER_BATCH};
use encore_listeners::heatmap::WEEKDAYS;
use encore_listeners::{analyse, analyse_one, zones, Analysis, ListenerReport, Resolved, Scope};
use encore_store::{content_hash, SourceFile, Store};

use super::catalog::{ensure_catalog, stored_catalog};
use super::cluster::ClusterArgs;
use super::table::{Align, TextTable};
use super::{StoreArgs, UserInput, WriterArgs};

/// Listener behaviour from listening logs: when songs are played (hour × weekday in local time),
/// plays around a drama's airings, sessions and replays, how plays end, who keeps listening after
/// the finale and who came only after it (the gateway split), and where plays come from.
///
/// Listens come from `encore ingest` of Spotify (extended or account) streaming history,
/// ListenBrainz or Last.fm exports, or from `encore listeners generate` (made-up logs with known
/// truth, labelled as generated everywhere they show).
#[derive(Debug, Args)]
pub struct ListenersArgs {
    #[command(subcommand)]
    command: ListenersCommand,
}

#[derive(Debug, Subcommand)]
enum ListenersCommand {
    Show(ShowArgs),
    Generate(GenerateArgs),
    Sql(SqlArgs),
}

/// What to analyse: a song, a drama's OSTs, or all music.
#[derive(Debug, Clone, Args)]
struct ScopeArgs {
    /// A catalog song id (e.g. love_maybe).
    #[arg(long, conflicts_with = "drama", value_name = "SONG_ID")]
    song: Option<String>,
    /// A catalog drama id (e.g. business_proposal): its OSTs, with the airing curve and cohorts.
    #[arg(long, value_name = "DRAMA_ID")]
    drama: Option<String>,
}

impl ScopeArgs {
    fn scope(&self) -> Scope {
        match (&self.song, &self.drama) {
            (Some(song), _) => Scope::Song(SongId::new(song)),
            (None, Some(drama)) => Scope::Drama(DramaId::new(drama)),
            (None, None) => Scope::All,
        }
    }
}

/// Every listener analysis of a song, a drama's OSTs or all music, as tables, JSON or figures.
#[derive(Debug, Args)]
struct ShowArgs {
    #[command(flatten)]
    scope: ScopeArgs,
    /// The time zone (IANA name, e.g. Asia/Seoul) for listens whose log names no country
    /// (Last.fm, ListenBrainz); a listen with a country is read in that country's zone.
    #[arg(long, env = "ENCORE_TIME_ZONE", default_value = "UTC", value_name = "ZONE")]
    time_zone: String,
    /// Print JSON instead of tables.
    #[arg(long, env = "ENCORE_JSON")]
    json: bool,
    /// Also write the figures (heatmap, airing curve, retention, countries) as SVG into DIR.
    #[arg(long, value_name = "DIR")]
    plots: Option<PathBuf>,
    /// Run only this analysis and print its JSON: heatmap, airings, sessions, playback, cohorts
    /// or countries.
    #[arg(long, value_name = "NAME", value_parser = analysis_named)]
    only: Option<Analysis>,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    cluster: ClusterArgs,
}

/// Writes generated listening logs into the store: made-up listeners in ten countries, watching
/// real catalog dramas on their real airing dates, with known truth (rates, bursts after
/// airings, replays, completion, churn after the finale). Every row's source is `generated`.
#[derive(Debug, Args)]
struct GenerateArgs {
    /// About how many listens to make (the listener count follows).
    #[arg(long, conflicts_with = "listeners", value_name = "N")]
    listens: Option<u64>,
    /// How many listeners to make.
    #[arg(long, value_name = "N")]
    listeners: Option<u64>,
    /// The seed: the same seed makes the same rows.
    #[arg(long, default_value_t = 2022)]
    seed: u64,
    /// Catalog drama ids the listeners watch (default: business_proposal and
    /// twenty_five_twenty_one); the log runs from a month before the first premiere.
    #[arg(long = "drama", value_name = "DRAMA_ID")]
    dramas: Vec<String>,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    writer: WriterArgs,
}

/// Prints the SQL each listener analysis runs, to read or to run in another engine.
#[derive(Debug, Args)]
struct SqlArgs {
    #[command(flatten)]
    scope: ScopeArgs,
    /// Also write the tables the plans join beside `listens` (zone_offsets, airings, ost_songs)
    /// as Parquet files into DIR, so another engine can run the same SQL.
    #[arg(long, value_name = "DIR")]
    write_tables: Option<PathBuf>,
    /// The time zone for listens without a country, as for `show`.
    #[arg(long, env = "ENCORE_TIME_ZONE", default_value = "UTC", value_name = "ZONE")]
    time_zone: String,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(arguments: ListenersArgs) -> anyhow::Result<()> {
    match arguments.command {
        ListenersCommand::Show(arguments) => show(arguments),
        ListenersCommand::Generate(arguments) => generate_into_store(arguments),
        ListenersCommand::Sql(arguments) => print_sql(arguments),
    }
}

fn show(arguments: ShowArgs) -> anyhow::Result<()> {
    let zone = zones::parse_zone(&arguments.time_zone).map_err(|error| UserInput(error.to_string()))?;
    let store = arguments.cluster.apply(arguments.store.open_for_reading()?)?;
    let catalog = stored_catalog(&store)?;
    let runtime = super::runtime()?;
    if let Some(analysis) = arguments.only {
        let answer = runtime.block_on(async {
            let context = store.session_within(encore_listeners::MEMORY_BYTES).await?;
            analyse_one(&context, &catalog, arguments.scope.scope(), zone, analysis).await
        });
        let answer = answer.map_err(user_or_ours)?;
        println!("{}", serde_json::to_string_pretty(&answer)?);
        return Ok(());
    }
    let report = runtime.block_on(async {
        let context = store.session_within(encore_listeners::MEMORY_BYTES).await?;
        analyse(&context, &catalog, arguments.scope.scope(), zone).await
    });
    let report = report.map_err(user_or_ours)?;
    if let Some(folder) = &arguments.plots {
        let written = encore_report::write_listener_figures(folder, &report)?;
        for path in written {
            eprintln!("wrote {}", path.display());
        }
    }
    if arguments.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report);
    }
    Ok(())
}

fn user_or_ours(error: encore_listeners::ListenersError) -> anyhow::Error {
    if error.is_bad_input() {
        UserInput(error.to_string()).into()
    } else {
        error.into()
    }
}

fn analysis_named(name: &str) -> Result<Analysis, String> {
    Analysis::named(name).ok_or_else(|| {
        let names: Vec<&str> = Analysis::ALL.iter().map(|analysis| analysis.name()).collect();
        format!("no analysis {name:?}; the analyses are {}", names.join(", "))
    })
}

fn print_report(report: &ListenerReport) {
    println!("listeners: {}", report.scope);
    if report.all_generated() {
        println!("(generated listening logs: made by Encore's model, not real listeners)");
    }
    let sources: Vec<String> = report.sources.iter().map(|(source, listens)| format!("{source} {listens}")).collect();
    println!("listens by source: {}", sources.join(", "));
    print_heatmap(report);
    if let Some(curve) = &report.airings {
        println!(
            "\naround airings ({} airings; lift against the same hours of the two weeks after the broadcast)",
            curve.airings
        );
        let mut table = TextTable::new(&[
            ("hours", Align::Right, 6),
            ("plays", Align::Right, 9),
            ("baseline", Align::Right, 9),
            ("lift", Align::Right, 6),
            ("95 % interval", Align::Left, 16),
        ]);
        for point in curve
            .points
            .iter()
            .filter(|point| [-48, -24, -6, -1, 0, 1, 2, 3, 4, 5, 6, 12, 24, 48, 71].contains(&point.offset_hours))
        {
            let interval =
                point.low.zip(point.high).map_or("-".to_string(), |(low, high)| format!("{low:.2} to {high:.2}"));
            table.row(vec![
                format!("{:+}", point.offset_hours),
                format!("{:.1}", point.plays),
                format!("{:.1}", point.baseline),
                point.lift.map_or("-".into(), |lift| format!("{lift:.2}")),
                interval,
            ]);
        }
        print!("{}", table.render());
    }
    let sessions = &report.sessions;
    let percent = |value: Option<f64>| value.map_or("-".to_string(), |value| format!("{:.1} %", value * 100.0));
    println!(
        "\nsessions (30-minute gap): {} by {} listeners, {} plays a session",
        sessions.sessions,
        sessions.listeners,
        sessions.plays_per_session().map_or("-".into(), |plays| format!("{plays:.1}"))
    );
    let mut table = TextTable::new(&[
        ("plays", Align::Left, 10),
        ("count", Align::Right, 10),
        ("replays", Align::Right, 8),
        ("streaks", Align::Right, 8),
        ("mean streak", Align::Right, 11),
        ("completion", Align::Right, 10),
        ("skipped", Align::Right, 8),
    ]);
    for (name, counts, playback) in [
        ("all", &sessions.all, &report.playback.all),
        ("any OST", &sessions.ost, &report.playback.ost),
        ("these", &sessions.in_scope, &report.playback.in_scope),
    ] {
        table.row(vec![
            name.to_string(),
            counts.plays.to_string(),
            percent(counts.replay_share()),
            counts.streaks.to_string(),
            counts.mean_streak().map_or("-".into(), |streak| format!("{streak:.2}")),
            percent(playback.completion),
            playback.skipped.to_string(),
        ]);
    }
    print!("{}", table.render());
    let reasons: Vec<String> = report
        .playback
        .in_scope
        .by_end_reason
        .iter()
        .take(6)
        .map(|(reason, plays)| format!("{} {plays}", if reason.is_empty() { "(none)" } else { reason }))
        .collect();
    println!("end reasons of these plays: {}", reasons.join(", "));
    if let Some(cohorts) = &report.cohorts {
        println!(
            "\ncohorts by first play (gateway: {} first played after the finale)",
            percent(cohorts.gateway_share())
        );
        let mut table = TextTable::new(&[
            ("first played", Align::Left, 22),
            ("listeners", Align::Right, 9),
            ("week 0", Align::Right, 7),
            ("week 4", Align::Right, 7),
            ("week 8", Align::Right, 7),
            ("week 12", Align::Right, 7),
            ("week 25", Align::Right, 7),
        ]);
        for curve in &cohorts.retention {
            let share = |week: usize| percent(curve.shares.get(week).copied());
            table.row(vec![
                curve.phase.label().to_string(),
                curve.listeners.to_string(),
                share(0),
                share(4),
                share(8),
                share(12),
                share(25),
            ]);
        }
        print!("{}", table.render());
    }
    println!("\ncountries");
    let mut table = TextTable::new(&[
        ("country", Align::Left, 8),
        ("plays", Align::Right, 10),
        ("listeners", Align::Right, 9),
        ("share", Align::Right, 7),
    ]);
    for country in report.countries.countries.iter().take(10) {
        table.row(vec![
            if country.country.is_empty() { "unknown".into() } else { country.country.clone() },
            country.plays.to_string(),
            country.listeners.to_string(),
            percent(Some(country.share)),
        ]);
    }
    print!("{}", table.render());
}

/// The heatmap as text: one row a weekday, one character an hour, darker for a higher index.
fn print_heatmap(report: &ListenerReport) {
    let heatmap = &report.heatmap;
    println!(
        "\nhour × weekday in local time ({} plays; index against all music: · under 0.8, ░ to 1.25, ▒ to 2, ▓ over 2)",
        heatmap.plays
    );
    println!(
        "     {}",
        (0..24).map(|hour| if hour % 6 == 0 { format!("{hour:<6}") } else { String::new() }).collect::<String>()
    );
    for (weekday, row) in heatmap.cells.iter().enumerate() {
        let cells: String = row
            .iter()
            .map(|cell| match cell.index {
                None => ' ',
                Some(index) if index < 0.8 => '·',
                Some(index) if index < 1.25 => '░',
                Some(index) if index < 2.0 => '▒',
                Some(_) => '▓',
            })
            .collect();
        println!("{}  {cells}", WEEKDAYS[weekday]);
    }
}

fn generate_into_store(arguments: GenerateArgs) -> anyhow::Result<()> {
    let store = arguments.store.open_for_writing(&arguments.writer, "listeners generate")?;
    let catalog = ensure_catalog(&store)?;
    let mut config = match arguments.listens {
        Some(listens) => GeneratorConfig::for_listens(listens),
        None => GeneratorConfig::default(),
    };
    if let Some(listeners) = arguments.listeners {
        config.listeners = listeners;
    }
    config.seed = arguments.seed;
    if !arguments.dramas.is_empty() {
        config.dramas = arguments.dramas.clone();
    }
    let summary = write_generated(&store, &catalog, config)?;
    println!("{summary}");
    Ok(())
}

/// Writes generated listens into the store with a progress bar, and says what it did.
pub fn write_generated(store: &Store, catalog: &Catalog, config: GeneratorConfig) -> anyhow::Result<String> {
    for drama in &config.dramas {
        if !catalog.dramas.iter().any(|known| known.id.as_str() == drama) {
            return Err(UserInput(format!("drama {drama:?} is not in the catalog")).into());
        }
    }
    let model = Arc::new(Model::new(config.clone(), catalog));
    if model.dramas.is_empty() {
        return Err(UserInput("none of the dramas has both songs and airings in the catalog".into()).into());
    }
    let bar = ProgressBar::new(config.listeners);
    bar.set_style(
        ProgressStyle::with_template("{prefix:>12} [{bar:30}] {pos}/{len} listeners {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_prefix("generating");
    let name = config.source_name();
    let source = SourceFile { path: name.clone(), content: content_hash(serde_json::to_string(&config)?.as_bytes()) };
    let mut generation = generate(&model);
    let batches = generation.by_ref().inspect(|_| bar.inc(LISTENERS_PER_BATCH));
    let commit = store.append_listen_batches(source, batches)?;
    bar.finish_and_clear();
    if commit.sources_added == 0 {
        return Ok(format!("the store already holds these generated listens ({name})"));
    }
    Ok(format!(
        "generated {} listens of {} listeners (source `generated`, {name}); they are made up, not real listening",
        commit.rows_added, config.listeners
    ))
}

fn print_sql(arguments: SqlArgs) -> anyhow::Result<()> {
    let zone = zones::parse_zone(&arguments.time_zone).map_err(|error| UserInput(error.to_string()))?;
    let store = arguments.store.open_for_reading()?;
    let catalog = stored_catalog(&store)?;
    let resolved = Resolved::new(&catalog, arguments.scope.scope()).map_err(user_or_ours)?;
    let drama = encore_listeners::drama_of(&catalog, &resolved);
    for analysis in Analysis::ALL {
        if let Some(sql) = analysis.sql(&resolved, drama.as_ref().map(|drama| drama.as_str())) {
            println!("-- {}\n{sql};\n", analysis.name());
        }
    }
    if let Some(folder) = &arguments.write_tables {
        std::fs::create_dir_all(folder)?;
        let runtime = super::runtime()?;
        let tables = runtime.block_on(async {
            let context = store.session_within(encore_listeners::MEMORY_BYTES).await?;
            encore_listeners::tables::tables(&context, &catalog, zone).await
        });
        for (name, batch) in tables.map_err(user_or_ours)? {
            let path = folder.join(format!("{name}.parquet"));
            if path.exists() {
                return Err(UserInput(format!(
                    "{} exists; Encore does not replace a file it may not have written",
                    path.display()
                ))
                .into());
            }
            let mut file = std::fs::File::create_new(&path)?;
            encore_store::write_batches(&[batch], encore_store::ExportFormat::Parquet, &mut file)?;
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(())
}
