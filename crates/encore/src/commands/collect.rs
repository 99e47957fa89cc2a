//! `encore collect` and `encore alerts`: the public APIs a watch list names, fetched into the
//! store once (for cron or a systemd timer) or every interval until SIGTERM, and the alerts they
//! fired. Every fetch, checkpoint and alert is `encore_collect`'s; this is the wiring.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use encore_collect::{
    collect_once, run_every, ApiKeys, CollectionSummary, Endpoints, Environment, WatchList, WATCH_LIST_COPY,
};

use super::table::{Align, TextTable};
use super::{StoreArgs, UserInput, WriterArgs};

/// Fetch what the watch list names from public APIs into the store, then check for alerts.
///
/// Wikimedia pageviews (per article and day; no key) go to `daily_counts`; YouTube
/// `videos.list?part=statistics` (YOUTUBE_API_KEY) and Last.fm `track.getInfo` (LASTFM_API_KEY)
/// snapshots of cumulative counts to `snapshots`; Last.fm scrobbles and ListenBrainz listens to
/// `listens`, matched to the catalog like `encore ingest`. Each run resumes where the last stored
/// one ended (checkpoints are in the store, committed with the rows), waits between calls, honours
/// Retry-After and backs off on errors; one failing subject never stops the others. Then every
/// collected daily series goes through the report's peak detection: a new climb or re-entry fires
/// an alert once (printed, appended to <store>/alerts.jsonl, and POSTed to the watch list's
/// webhook_url signed with ENCORE_WEBHOOK_SECRET). Keys come from the environment or --key-file,
/// never from the watch list, and never reach the logs.
///
/// Example: encore collect --once --config examples/watch.toml --contact you@example.com
#[derive(Debug, Args)]
pub struct CollectArgs {
    /// The watch list (TOML): songs and dramas with their Wikipedia articles, YouTube videos and
    /// Last.fm tracks, and the Last.fm and ListenBrainz users to collect. See
    /// crates/encore-collect/examples/watch.toml.
    #[arg(long, env = "ENCORE_WATCH_LIST", value_name = "FILE")]
    config: PathBuf,
    /// Collect once and exit (for cron or a systemd timer). The default.
    #[arg(long, conflicts_with = "every")]
    once: bool,
    /// Collect now and then every this long (`6h`, `30m`, `1d`, `90s`) until SIGTERM or Ctrl-C,
    /// which end the process between runs (a run under way finishes first).
    #[arg(long, value_name = "INTERVAL", value_parser = parse_interval)]
    every: Option<Duration>,
    /// A TOML file with youtube_api_key, lastfm_api_key and webhook_secret, for keys not in the
    /// environment (keep it readable by you alone).
    #[arg(long, env = "ENCORE_KEY_FILE", value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// How the APIs can reach whoever runs this (a URL or an e-mail address): sent in the
    /// User-Agent, which Wikimedia's policy requires.
    #[arg(
        long,
        env = "ENCORE_CONTACT",
        default_value = "https://github.com/encore-ost/encore",
        value_name = "URL_OR_EMAIL"
    )]
    contact: String,
    /// Send every API call to this server instead (`http://127.0.0.1:PORT`, at the real APIs'
    /// paths): for tests and for trying a watch list against a local replay server.
    #[arg(long, env = "ENCORE_COLLECT_BASE_URL", value_name = "URL", hide = true)]
    base_url: Option<String>,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    writer: WriterArgs,
}

/// `6h`, `30m`, `1d`, `90s`, or a number of seconds.
fn parse_interval(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.find(|character: char| !character.is_ascii_digit()).unwrap_or(text.len()));
    let amount: u64 = number.parse().map_err(|_| format!("`{text}` is not an interval like 6h, 30m, 1d or 90s"))?;
    let seconds = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("`{text}`: the unit is s, m, h or d")),
    };
    if amount == 0 {
        return Err("the interval must be longer than 0".to_string());
    }
    Ok(Duration::from_secs(amount.saturating_mul(seconds)))
}

pub fn run(arguments: CollectArgs) -> anyhow::Result<()> {
    let watch = WatchList::from_path(&arguments.config)?;
    let keys = ApiKeys::from_environment(arguments.key_file.as_deref())?;
    let mut environment = Environment::real(keys, arguments.contact.clone());
    if let Some(base) = &arguments.base_url {
        environment.endpoints = Endpoints::all_at(base);
    }
    let store = arguments.store.open_for_writing(&arguments.writer, "collect")?;
    keep_watch_list_copy(store.root(), &arguments.config)?;
    let Some(interval) = arguments.every else {
        let summary = collect_once(&store, &watch, &environment)?;
        print_summary(&summary);
        let failed = summary.failures().count();
        if failed > 0 {
            anyhow::bail!("{failed} subject(s) failed (listed above); what the others fetched is stored");
        }
        return Ok(());
    };
    let stop = watch_termination()?;
    eprintln!("collecting every {}s until SIGTERM or Ctrl-C", interval.as_secs());
    run_every(&store, &watch, &environment, interval, &stop, |result| match result {
        Ok(summary) => print_summary(&summary),
        Err(error) => eprintln!("collection failed: {error} (trying again at the next run)"),
    });
    eprintln!("stopped");
    Ok(())
}

/// Keeps the watch list the store was last collected with as `WATCH_LIST_COPY`, a file of the
/// store's own that is replaced in one rename.
fn keep_watch_list_copy(store: &Path, watch_list: &Path) -> anyhow::Result<()> {
    let text = std::fs::read(watch_list)
        .map_err(|error| UserInput(format!("cannot read the watch list {}: {error}", watch_list.display())))?;
    let copy = store.join(WATCH_LIST_COPY);
    let folder = copy.parent().unwrap_or(store);
    std::fs::create_dir_all(folder)?;
    let temporary = folder.join(format!("watch.toml.tmp-{}", std::process::id()));
    std::fs::write(&temporary, &text)?;
    std::fs::rename(&temporary, &copy)?;
    Ok(())
}

/// The flag SIGTERM or Ctrl-C raises.
fn watch_termination() -> anyhow::Result<Arc<AtomicBool>> {
    use tokio::signal::unix::{signal, SignalKind};
    let stop = Arc::new(AtomicBool::new(false));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (mut terminate, mut interrupt) = {
        let _context = runtime.enter();
        (signal(SignalKind::terminate())?, signal(SignalKind::interrupt())?)
    };
    let raised = Arc::clone(&stop);
    std::thread::spawn(move || {
        runtime.block_on(async move {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = interrupt.recv() => {}
            }
            raised.store(true, Ordering::SeqCst);
            eprintln!("stopping after the run under way");
        });
    });
    Ok(stop)
}

fn print_summary(summary: &CollectionSummary) {
    println!(
        "collection {} to {}: {} rows stored, {} snapshots",
        summary.started_at.format("%Y-%m-%d %H:%M:%S UTC"),
        summary.finished_at.format("%H:%M:%S"),
        summary.rows_stored,
        summary.snapshots_stored
    );
    let mut table = TextTable::new(&[
        ("api", Align::Left, 12),
        ("subject", Align::Left, 48),
        ("fetched", Align::Right, 8),
        ("stored", Align::Right, 8),
        ("problem", Align::Left, 60),
    ]);
    for outcome in &summary.subjects {
        table.row(vec![
            outcome.api.to_string(),
            outcome.subject.clone(),
            outcome.rows_fetched.to_string(),
            outcome.rows_stored.to_string(),
            outcome.error.clone().unwrap_or_default(),
        ]);
    }
    print!("{}", table.render());
    for alert in &summary.alerts {
        println!("ALERT {alert}");
    }
    for problem in &summary.problems {
        eprintln!("warning: {problem}");
    }
}

/// List the alerts collections fired, oldest first (from <store>/alerts.jsonl).
#[derive(Debug, Args)]
pub struct AlertsArgs {
    /// Print the JSON lines as stored instead of a table.
    #[arg(long, env = "ENCORE_JSON")]
    json: bool,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run_alerts(arguments: AlertsArgs) -> anyhow::Result<()> {
    let store = arguments.store.open_for_reading()?;
    let alerts = encore_collect::alerts::list(store.root())?;
    if arguments.json {
        for alert in &alerts {
            println!("{}", serde_json::to_string(alert)?);
        }
        return Ok(());
    }
    if alerts.is_empty() {
        println!("no alerts yet: `encore collect` fires one when a collected series starts a new climb");
        return Ok(());
    }
    let mut table = TextTable::new(&[("fired", Align::Left, 17), ("alert", Align::Left, 100)]);
    for alert in &alerts {
        table.row(vec![alert.fired_at.format("%Y-%m-%d %H:%M").to_string(), alert.to_string()]);
    }
    print!("{}", table.render());
    Ok(())
}
