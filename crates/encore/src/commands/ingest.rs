//! `encore ingest`: hand files and folders to the ingest pipeline (`encore-pipeline`), print what
//! the store now holds of them, and exit 0 only when everything given was loaded.

use std::path::PathBuf;

use clap::Args;

use encore_domain::{Catalog, ChartKind};
use encore_ingest::{ChartOptions, ColumnMap, IngestError};
use encore_pipeline::{
    list_inputs, IngestOptions, IngestSummary, Input, NamedFormat, PipelineError, Recurse, SkipReason,
};
use encore_store::Store;

use serde_json::json;

use super::interrupt::watch_ctrl_c;
use super::progress::IngestBar;
use super::table::{Align, TextTable};
use super::{StoreArgs, WriterArgs};
use crate::exit::{Interrupted, PartialLoad};

/// How many skipped files, rejected rows or unread files are printed; the rest are counted (and
/// are all in the quarantine file).
const PROBLEMS_SHOWN: usize = 20;

/// Ingest chart files (Billboard Hot 100 / Global 200 JSON or CSV, Spotify Charts daily or weekly
/// CSV in either layout, Melon year-end CSV, Korean platform charts of Melon, Genie, Bugs, FLO,
/// VIBE and Circle in UTF-8 or EUC-KR, any ranked list mapped with --columns) and other
/// sources (Wikipedia pageviews JSON, YouTube/social count CSV, listening histories: Last.fm CSV,
/// ListenBrainz JSON, Spotify's extended and account streaming histories; MyDramaList and Korean wiki drama lists, episode ratings) into the store.
///
/// Each PATH is a file or a folder; folders are walked with their sub-folders (--no-recurse to stay
/// at the top), leaving out hidden files, README* and *.md. The format of each file is detected
/// from its first bytes and name unless --format is given, and its dataset follows from the file
/// (a Spotify weekly file goes to spotify_weekly, a Billboard Global 200 file to
/// billboard_global200). Chart rows and listens are matched to catalog songs by title (English or
/// Hangul, brackets and "feat." credits ignored) and artist (with the catalog's aliases);
/// unmatched rows are kept (`encore unmatched` lists them). A file whose exact content the store
/// already holds is not stored again, so ingesting the same files twice changes nothing.
///
/// The summary counts the rows the store stored (not the rows read), per dataset and per folder.
/// A file that is not a format Encore reads is skipped and named with the reason (a catalog CSV
/// is pointed to `encore catalog`); a bad row is rejected with file, line and field, and the good
/// rows of the same file still load. Every rejected row and skipped file is written to
/// <store>/quarantine/<UTC time>.csv (file,line,field,reason).
///
/// Exit codes: 0 everything given was stored (or already held); 3 a partial load: some files
/// were skipped or rows rejected, listed after the summary (the first 20; all of them in the
/// quarantine file); 2 nothing loadable at all, or a bad path or format name; 130 Ctrl-C: reading
/// stopped at the next file, what was read was stored, and the files not read are listed; 1 any
/// other failure.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Source files or folders.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The format of every file (default: detect per file); see --help for the list.
    #[arg(long, env = "ENCORE_FORMAT", long_help = formats_help())]
    format: Option<NamedFormat>,
    /// The chart of Korean chart files and mapped ranked lists, as PLATFORM:PERIOD (platforms:
    /// melon, genie, bugs, flo, vibe, circle; periods: realtime, daily, weekly, monthly, year_end),
    /// e.g. genie:daily, or a dataset name (bugs_weekly). Overrides a site column and the file
    /// name; without it they name the chart.
    #[arg(long, env = "ENCORE_CHART", value_name = "PLATFORM:PERIOD", value_parser = chart_named)]
    chart: Option<ChartKind>,
    /// The columns of a ranked list Encore does not know, as rank=COL,title=COL,artist=COL,date=COL
    /// (album=COL and hour=COL optional; without date the file name's date is used). Name the
    /// chart with --chart unless the file's name says it.
    #[arg(long, env = "ENCORE_COLUMNS", value_name = "MAP")]
    columns: Option<ColumnMap>,
    /// The listener of listening logs that name none (Last.fm CSV without a user column,
    /// Spotify's account export, ListenBrainz listens without user_name). A log's own user field
    /// wins; without this option the listener is the name of the folder holding the file (a
    /// user's export folder). A per-account export (Spotify, ListenBrainz) is its first row's
    /// user's: a row of another user is rejected, not merged.
    #[arg(long, env = "ENCORE_LISTENER", value_name = "ID")]
    listener: Option<String>,
    /// Read only the files directly inside each folder, not its sub-folders.
    #[arg(long)]
    no_recurse: bool,
    /// How many files to read and parse at once. Default: one per core. Matching and storing keep
    /// the files' order whatever the number; on Ctrl-C every file whose reading had begun is kept.
    #[arg(long, env = "ENCORE_JOBS", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Print the summary as JSON on standard output (problems still go to standard error).
    #[arg(long, env = "ENCORE_JSON")]
    json: bool,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    writer: WriterArgs,
}

/// `--format`'s long help: every row of the table of sources, with what it reads and where it goes.
fn formats_help() -> String {
    let mut help = String::from("The format of every file (default: detect per file from its first bytes and name):\n");
    for source in &encore_ingest::SOURCES {
        let aliases =
            if source.aliases.is_empty() { String::new() } else { format!(" (also {})", source.aliases.join(", ")) };
        help.push_str(&format!("\n  {}{aliases}: {}; into {}", source.name, source.reads, source.datasets));
    }
    help
}

/// `--chart`: PLATFORM:PERIOD or a chart's dataset name.
fn chart_named(text: &str) -> Result<ChartKind, IngestError> {
    ChartKind::from_chart_spec(text).ok_or_else(|| IngestError::UnknownChartName { given: text.to_string() })
}

pub fn run(arguments: IngestArgs) -> anyhow::Result<()> {
    let store = arguments.store.open_for_writing(&arguments.writer, "ingest")?;
    let catalog = super::catalog::ensure_catalog(&store)?;
    let recurse = if arguments.no_recurse { Recurse::No } else { Recurse::Yes };
    let inputs = list_inputs(&arguments.paths, recurse)?;
    let stop = watch_ctrl_c()?;
    let chart = ChartOptions { chart: arguments.chart, columns: arguments.columns };
    let options = IngestOptions {
        format: arguments.format,
        chart,
        stop: Some(&stop),
        jobs: arguments.jobs.map(usize::from),
        now: chrono::Utc::now(),
        listener: arguments.listener,
    };
    let summary = ingest_and_print(&store, &catalog, inputs, &options, arguments.json)?;
    outcome(&summary)
}

/// Runs the pipeline and prints its summary and problems; when nothing loaded, prints what was
/// skipped and why before answering the error.
pub fn ingest_and_print(
    store: &Store,
    catalog: &Catalog,
    inputs: Vec<Input>,
    options: &IngestOptions<'_>,
    as_json: bool,
) -> anyhow::Result<IngestSummary> {
    match encore_pipeline::ingest(store, catalog, inputs, options, &mut IngestBar::new()) {
        Ok(summary) => {
            if as_json {
                println!("{}", serde_json::to_string_pretty(&summary_json(&summary))?);
            } else {
                print_summary(&summary);
            }
            print_problems(&summary);
            Ok(summary)
        }
        Err(PipelineError::NothingLoaded { summary }) => {
            print_problems(&summary);
            Err(PipelineError::NothingLoaded { summary }.into())
        }
        Err(error) => Err(error.into()),
    }
}

/// Done only when everything asked was done.
pub fn outcome(summary: &IngestSummary) -> anyhow::Result<()> {
    if summary.interrupted {
        return Err(Interrupted { files_not_read: summary.not_read().count() }.into());
    }
    if !summary.is_complete() {
        let files_skipped = summary.skipped().count();
        return Err(PartialLoad { files_skipped, rows_rejected: summary.rejected.len() }.into());
    }
    Ok(())
}

fn print_summary(summary: &IngestSummary) {
    let mut datasets = TextTable::new(&[
        ("dataset", Align::Left, 24),
        ("files", Align::Right, 8),
        ("held", Align::Right, 8),
        ("stored", Align::Right, 12),
        ("replaced", Align::Right, 10),
        ("rejected", Align::Right, 10),
        ("matched", Align::Right, 10),
        ("source", Align::Left, 60),
    ]);
    for (dataset, row) in &summary.datasets {
        datasets.row(vec![
            dataset.name().to_string(),
            row.files.to_string(),
            row.files_already_held.to_string(),
            row.rows_stored.to_string(),
            row.rows_replaced.to_string(),
            row.rows_rejected.to_string(),
            row.rows_matched.map_or("-".to_string(), |matched| matched.to_string()),
            row.sources.join(", "),
        ]);
    }
    print!("{}", datasets.render());
    println!(
        "(stored: rows the store added; replaced: rows of a chart issue, search-interest series or Netflix weekly \
         list a newer file re-issued; held: files whose exact content the store already held, not stored again)"
    );
    let folders = summary.folders();
    if folders.len() > 1 {
        println!();
        let mut table = TextTable::new(&[
            ("folder", Align::Left, 72),
            ("files", Align::Right, 8),
            ("stored", Align::Right, 12),
            ("rejected", Align::Right, 10),
            ("skipped", Align::Right, 8),
            ("held", Align::Right, 8),
        ]);
        for (folder, row) in &folders {
            let name = if folder.is_empty() { "(uploaded)" } else { folder };
            table.row(vec![
                name.to_string(),
                row.files.to_string(),
                row.rows_stored.to_string(),
                row.rows_rejected.to_string(),
                row.files_skipped.to_string(),
                row.files_already_held.to_string(),
            ]);
        }
        print!("{}", table.render());
    }
    if summary.interrupted {
        println!(
            "interrupted: {} rows stored from the files read; {} files not read",
            summary.rows_stored(),
            summary.not_read().count()
        );
    }
    let not_music: usize = summary.datasets.values().map(|dataset| dataset.rows_skipped).sum();
    if not_music > 0 {
        println!("skipped: {not_music} podcast or audiobook plays (not music, not rejected)");
    }
    if let Some(path) = &summary.quarantine {
        println!(
            "quarantine: {} rejected rows and {} skipped files written to {}",
            summary.rejected.len(),
            summary.skipped().count(),
            path.display()
        );
    }
}

/// The summary as JSON: per dataset and per folder what was stored, what was skipped and why.
fn summary_json(summary: &IngestSummary) -> serde_json::Value {
    let datasets: serde_json::Map<String, serde_json::Value> = summary
        .datasets
        .iter()
        .map(|(dataset, row)| {
            let value = json!({
                "files": row.files,
                "files_already_held": row.files_already_held,
                "rows_stored": row.rows_stored,
                "rows_replaced": row.rows_replaced,
                "rows_rejected": row.rows_rejected,
                "rows_skipped": row.rows_skipped,
                "rows_matched": row.rows_matched,
                "sources": row.sources,
            });
            (dataset.name().to_string(), value)
        })
        .collect();
    let folders: serde_json::Map<String, serde_json::Value> = summary
        .folders()
        .into_iter()
        .map(|(folder, row)| {
            let value = json!({
                "files": row.files,
                "rows_stored": row.rows_stored,
                "rows_rejected": row.rows_rejected,
                "files_skipped": row.files_skipped,
                "files_already_held": row.files_already_held,
                "files_not_read": row.files_not_read,
            });
            (folder.to_string(), value)
        })
        .collect();
    let skipped: Vec<serde_json::Value> =
        summary.skipped().map(|(file, reason)| json!({"file": file, "reason": reason.to_string()})).collect();
    json!({
        "datasets": datasets,
        "folders": folders,
        "rows_stored": summary.rows_stored(),
        "rows_rejected": summary.rejected.len(),
        "skipped": skipped,
        "not_read": summary.not_read().collect::<Vec<_>>(),
        "interrupted": summary.interrupted,
        "quarantine": summary.quarantine.as_ref().map(|path| path.display().to_string()),
    })
}

/// What was not loaded, on standard error: skipped files with why, rejected rows, unread files.
fn print_problems(summary: &IngestSummary) {
    let catalog_hint = summary.skipped().any(|(_, reason)| matches!(reason, SkipReason::CatalogFile { .. }));
    let problems: Vec<String> = summary
        .skipped()
        .map(|(file, reason)| format!("skipped: {file}: {reason}"))
        .chain(summary.rejected.iter().map(|rejected| format!("rejected: {rejected}")))
        .collect();
    for problem in problems.iter().take(PROBLEMS_SHOWN) {
        eprintln!("{problem}");
    }
    if problems.len() > PROBLEMS_SHOWN {
        let place = summary.quarantine.as_ref().map(|path| format!(", all in {}", path.display())).unwrap_or_default();
        eprintln!("… and {} more{place}", problems.len() - PROBLEMS_SHOWN);
    }
    if catalog_hint {
        eprintln!("hint: catalog files are loaded with `encore catalog --catalog <folder>`, not ingested");
    }
    let not_read: Vec<&str> = summary.not_read().collect();
    for file in not_read.iter().take(PROBLEMS_SHOWN) {
        eprintln!("not read: {file}");
    }
    if not_read.len() > PROBLEMS_SHOWN {
        eprintln!("… and {} more not read", not_read.len() - PROBLEMS_SHOWN);
    }
}
