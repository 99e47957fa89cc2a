//! `encore detect|effect|decay FILE`: changepoints, the effect of interventions and the decay of
//! any series the user brings (CSV, TSV, Excel or JSON; `date,value`, `date,unit,value` or one
//! column per unit), as a table, `--json` or a plot (`--plot FILE.svg|.png`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use serde_json::Value;

use encore_analytics::any_series::{Scale, WindowDays};
use encore_analytics::detect::{Cost, Penalty, Settings, DEFAULT_MIN_SEGMENT};
use encore_ingest::user_series::{
    read_user_series, user_series_from_json, DateStep, GapPolicy, SeriesOptions, Spacing, UnitSeries, UserSeries,
};
use encore_report::series_json;
use encore_report::series_requests::{
    self, Answer, ControlChoice, DecayRequest, DetectRequest, EffectRequest, RequestError, SeriesView,
};

use super::analyze::{check_song_ids, stored_analysis};
use super::catalog::stored_catalog;
use super::new_file::write_new;
use super::series_tables::{decay_table, detection_table, effect_table};
use super::{StoreArgs, UserInput};

/// Where the series comes from and how to read it: shared by the three commands.
#[derive(Debug, Args)]
pub struct SeriesFileArgs {
    /// The series: a CSV/TSV (UTF-8 or EUC-KR), an Excel workbook or a JSON file; `-` reads
    /// standard input. Long (`date,value` or `date,unit,value`) or wide (a date column and one
    /// column per unit, as Google Trends exports) form; without a date column, the rows are steps
    /// 0, 1, 2… Daily, weekly and monthly dates are all regular series.
    #[arg(value_name = "FILE", required_unless_present_any = ["song", "subject"], conflicts_with_all = ["song", "subject"])]
    file: Option<PathBuf>,
    /// Instead of a file, a stored song's daily attention index (0-100, from its chart ranks; a
    /// day off every chart is 0), by catalog id. Repeat for a panel of songs (`effect`: the others
    /// are the synthetic control's units).
    #[arg(long, value_name = "SONG_ID", conflicts_with = "subject")]
    song: Vec<String>,
    /// Instead of a file, the stored daily counts of a subject as `encore ingest` stored it
    /// (pageviews of `en.wikipedia/Goblin_(TV_series)`, a video's views, a hashtag's posts; all
    /// sources summed; see `encore sql "SELECT DISTINCT subject FROM daily_counts"`). Repeat for a
    /// panel. Missing days follow --fill.
    #[arg(long, value_name = "SUBJECT")]
    subject: Vec<String>,
    #[command(flatten)]
    store: StoreArgs,
    /// What to do with missing dates inside the series: refuse (the default; the error names the
    /// gap), zero (a missing day had nothing) or linear (interpolate between its neighbours).
    #[arg(long, value_enum, default_value_t = Fill::Refuse, env = "ENCORE_FILL")]
    fill: Fill,
    /// How dates make steps: regular (evenly spaced, daily to yearly; an uneven date is refused)
    /// or rows (each row one step whatever its date: business days, irregular observations).
    #[arg(long, value_enum, default_value_t = SpacingChoice::Regular)]
    spacing: SpacingChoice,
    /// The date column, when its header is not one Encore knows (date, day, week, 날짜, 일자…).
    #[arg(long, value_name = "COLUMN")]
    date_column: Option<String>,
    /// The value column, when its header is not one Encore knows (value, streams, views, 조회수…).
    #[arg(long, value_name = "COLUMN")]
    value_column: Option<String>,
    /// The unit column of a long panel (unit, song, series, 곡명…).
    #[arg(long, value_name = "COLUMN")]
    unit_column: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long, env = "ENCORE_JSON")]
    json: bool,
    /// Also draw the result into this new file: `.svg`, or `.png`. An existing file is never
    /// replaced.
    #[arg(long, value_name = "FILE")]
    plot: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SpacingChoice {
    Regular,
    Rows,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Fill {
    Refuse,
    Zero,
    Linear,
}

/// Changepoints, segments and peaks of a series, by the detector scored on the Turing Change Point
/// Dataset (README, "Changepoints of any series"): by default the cost (mean, mean and variance, or
/// linear trend) and the penalty are chosen by an information criterion, the same rule for every
/// series.
#[derive(Debug, Args)]
pub struct DetectArgs {
    #[command(flatten)]
    input: SeriesFileArgs,
    /// The units of a panel to analyse (repeat for several); every unit when none is given.
    #[arg(long, value_name = "UNIT")]
    unit: Vec<String>,
    /// The penalty per changepoint: auto (chosen by the criterion) or a number in the cost's units.
    #[arg(long, default_value = "auto", value_name = "auto|NUMBER")]
    penalty: String,
    /// The segment model: auto (chosen by the criterion), mean, meanvar or linear.
    #[arg(long, value_enum, default_value_t = CostChoice::Auto)]
    cost: CostChoice,
    /// The least number of steps in a segment.
    #[arg(long, default_value_t = DEFAULT_MIN_SEGMENT, value_name = "STEPS")]
    min_segment: usize,
    /// The scale changes are sought on: raw, or log (ln(1 + value), for counts that move by ratios).
    #[arg(long, value_enum, default_value_t = ScaleChoice::Raw)]
    scale: ScaleChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CostChoice {
    Auto,
    Mean,
    Meanvar,
    Linear,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ScaleChoice {
    Raw,
    Log,
}

/// The effect of an intervention (a release, a campaign, an airing) on one unit of a panel: its
/// lift against a synthetic control of the other units (non-negative weights summing to 1, fitted
/// on the log values before the intervention), or against its own pre-period level, with a 95 %
/// placebo interval, the pointwise and cumulative effect and, with --plot, the three panels
/// CausalImpact users know. Each --at gets its own estimate, between its neighbours.
#[derive(Debug, Args)]
pub struct EffectArgs {
    #[command(flatten)]
    input: SeriesFileArgs,
    /// The treated unit; may be left out when the file holds one unit.
    #[arg(long, value_name = "UNIT")]
    treated: Option<String>,
    /// When the intervention happened: a date (YYYY-MM-DD), or a step number on a series without
    /// dates. Repeat for several interventions.
    #[arg(long = "at", required = true, value_name = "DATE")]
    at: Vec<String>,
    /// Days after the intervention over which its effect is measured.
    #[arg(long, default_value_t = encore_analytics::effect::POST_DAYS, value_name = "DAYS")]
    post_days: usize,
    /// Days before the intervention that set the own pre-period's level (and the least history a
    /// synthetic control is fitted on).
    #[arg(long, default_value_t = encore_analytics::effect::PRE_DAYS, value_name = "DAYS")]
    pre_days: usize,
    /// Days before the intervention a synthetic control and its placebos may use.
    #[arg(long, default_value_t = encore_analytics::effect::HISTORY_DAYS, value_name = "DAYS")]
    history_days: usize,
    /// What the treated unit is compared with: auto (the other units when there are any, else
    /// its own pre-period), units, or own.
    #[arg(long, value_enum, default_value_t = Control::Auto)]
    control: Control,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Control {
    Auto,
    Units,
    Own,
}

/// The decay of a series after a date: `value ≈ baseline + amplitude · f(t)` with an exponential
/// or a power-law `f` (the lower AIC wins), the half-life in days with a 95 % bootstrap interval.
#[derive(Debug, Args)]
pub struct DecayArgs {
    #[command(flatten)]
    input: SeriesFileArgs,
    /// The unit of a panel; may be left out when the file holds one unit.
    #[arg(long, value_name = "UNIT")]
    unit: Option<String>,
    /// Where the decay starts: a date (YYYY-MM-DD), or a step on a series without dates. Default:
    /// the series' highest value.
    #[arg(long, value_name = "DATE")]
    after: Option<String>,
    /// The level the series decays to, when known (e.g. its level before the rise); fitted otherwise.
    #[arg(long, value_name = "NUMBER")]
    baseline: Option<f64>,
}

pub fn run_detect(arguments: DetectArgs) -> anyhow::Result<()> {
    let penalty = match arguments.penalty.as_str() {
        "auto" => Penalty::Auto,
        number => Penalty::Value(
            number
                .parse::<f64>()
                .ok()
                .filter(|value| *value >= 0.0)
                .ok_or_else(|| UserInput(format!("--penalty {number}: give auto or a number of 0 or more")))?,
        ),
    };
    let request = DetectRequest {
        units: arguments.unit,
        settings: Settings {
            cost: match arguments.cost {
                CostChoice::Auto => None,
                CostChoice::Mean => Some(Cost::Mean),
                CostChoice::Meanvar => Some(Cost::MeanVar),
                CostChoice::Linear => Some(Cost::Linear),
            },
            penalty,
            min_segment: arguments.min_segment.max(1),
        },
        penalty_text: arguments.penalty,
        scale: match arguments.scale {
            ScaleChoice::Raw => Scale::Raw,
            ScaleChoice::Log => Scale::Log,
        },
    };
    answer(
        &arguments.input,
        |view, plot| series_requests::detect(view, &request, plot),
        |json| json.as_array().into_iter().flatten().map(detection_table).collect(),
    )
}

pub fn run_effect(arguments: EffectArgs) -> anyhow::Result<()> {
    let request = EffectRequest {
        treated: arguments.treated,
        at: arguments.at,
        window: WindowDays {
            pre: arguments.pre_days.max(1),
            post: arguments.post_days.max(1),
            history: arguments.history_days.max(1),
        },
        control: match arguments.control {
            Control::Auto => ControlChoice::Auto,
            Control::Units => ControlChoice::Units,
            Control::Own => ControlChoice::Own,
        },
    };
    answer(&arguments.input, |view, plot| series_requests::effect(view, &request, plot), effect_table)
}

pub fn run_decay(arguments: DecayArgs) -> anyhow::Result<()> {
    let request = DecayRequest { unit: arguments.unit, after: arguments.after, baseline: arguments.baseline };
    answer(&arguments.input, |view, plot| series_requests::decay(view, &request, plot), decay_table)
}

/// Reads the series, answers the request, writes the plot and prints the JSON or the table.
fn answer(
    input: &SeriesFileArgs,
    analyse: impl FnOnce(&SeriesView<'_>, bool) -> Result<Answer, RequestError>,
    table: impl FnOnce(&Value) -> String,
) -> anyhow::Result<()> {
    let series = read(input)?;
    let units: Vec<(String, Vec<f64>)> =
        series.units.iter().map(|unit| (unit.name.clone(), unit.values.clone())).collect();
    let view = SeriesView { source: &series.file, dates: series.dates.as_deref(), units: &units };
    let answer = analyse(&view, input.plot.is_some()).map_err(|error| match error {
        RequestError::BadInput(message) => anyhow::Error::from(UserInput(message)),
        other => other.into(),
    })?;
    if let (Some(path), Some(svg)) = (&input.plot, &answer.svg) {
        write_plot(path, svg)?;
    }
    if input.json {
        print_json(&series, answer.json)
    } else {
        print_gaps(&series);
        print!("{}", table(&answer.json));
        Ok(())
    }
}

fn read(input: &SeriesFileArgs) -> anyhow::Result<UserSeries> {
    let options = read_options(input);
    let Some(file) = &input.file else {
        if !input.subject.is_empty() {
            return stored_counts(&input.store, &input.subject, &options);
        }
        return stored_songs(&input.store, &input.song);
    };
    let (bytes, name) = if file == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).context("could not read standard input")?;
        (bytes, "standard input".to_string())
    } else {
        let bytes = std::fs::read(file).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => UserInput(format!("no such file: {}", file.display())).into(),
            _ => anyhow::Error::new(error).context(format!("could not read {}", file.display())),
        })?;
        (bytes, file.display().to_string())
    };
    read_user_series(&bytes, &name, &options).map_err(|error| UserInput(error.to_string()).into())
}

fn read_options(input: &SeriesFileArgs) -> SeriesOptions {
    SeriesOptions {
        gaps: match input.fill {
            Fill::Refuse => GapPolicy::Refuse,
            Fill::Zero => GapPolicy::Zero,
            Fill::Linear => GapPolicy::Linear,
        },
        spacing: match input.spacing {
            SpacingChoice::Regular => Spacing::Regular,
            SpacingChoice::Rows => Spacing::Rows,
        },
        max_cells: None,
        date_column: input.date_column.clone(),
        value_column: input.value_column.clone(),
        unit_column: input.unit_column.clone(),
    }
}

/// The stored daily counts of `subjects`, read as a panel through the reader of user series, so
/// missing days follow `--fill` as a file's would.
fn stored_counts(store: &StoreArgs, subjects: &[String], options: &SeriesOptions) -> anyhow::Result<UserSeries> {
    let store = store.open_for_reading()?;
    let counts = super::runtime()?.block_on(store.daily_counts_of(subjects))?;
    let mut panel = serde_json::Map::new();
    for subject in subjects {
        let points: Vec<Value> = counts
            .iter()
            .filter(|count| &count.subject == subject)
            .map(|count| serde_json::json!({"date": count.date.to_string(), "value": count.count}))
            .collect();
        if points.is_empty() {
            return Err(UserInput(format!(
                "no daily counts of `{subject}` in the store; list the stored subjects with encore sql \"SELECT DISTINCT subject FROM daily_counts\""
            ))
            .into());
        }
        panel.insert(subject.clone(), Value::Array(points));
    }
    let source = format!("the store's daily counts of {}", subjects.join(", "));
    user_series_from_json(&Value::Object(panel), &source, options).map_err(|error| UserInput(error.to_string()).into())
}

/// The daily attention of stored songs as one panel over the days from the first song's first
/// point to the last one's last, a day without a point (off every chart) as 0.
fn stored_songs(store: &StoreArgs, song_ids: &[String]) -> anyhow::Result<UserSeries> {
    let store = store.open_for_reading()?;
    let catalog = stored_catalog(&store)?;
    check_song_ids(&catalog, song_ids)?;
    let analysis = stored_analysis(&store, &catalog)?;
    let series_of = |song_id: &str| -> anyhow::Result<BTreeMap<NaiveDate, f64>> {
        let case = analysis.cases.iter().find(|case| case.song.id.as_str() == song_id);
        let points: BTreeMap<NaiveDate, f64> = case
            .map(|case| case.daily_series.iter().map(|point| (point.date, point.value)).collect())
            .unwrap_or_default();
        if points.is_empty() {
            return Err(UserInput(format!("`{song_id}` has no chart rows in the store, so no daily series")).into());
        }
        Ok(points)
    };
    let by_song: Vec<(String, BTreeMap<NaiveDate, f64>)> =
        song_ids.iter().map(|song_id| Ok((song_id.clone(), series_of(song_id)?))).collect::<anyhow::Result<_>>()?;
    let first = by_song.iter().filter_map(|(_, points)| points.keys().next()).min().copied();
    let last = by_song.iter().filter_map(|(_, points)| points.keys().next_back()).max().copied();
    let (Some(first), Some(last)) = (first, last) else {
        return Err(UserInput("name at least one song with --song".to_string()).into());
    };
    let dates: Vec<NaiveDate> = first.iter_days().take_while(|day| *day <= last).collect();
    let units = by_song
        .into_iter()
        .map(|(name, points)| UnitSeries {
            name,
            values: dates.iter().map(|day| points.get(day).copied().unwrap_or(0.0)).collect(),
        })
        .collect();
    Ok(UserSeries {
        file: format!("the store's {}", song_ids.join(", ")),
        dates: Some(dates),
        step: Some(DateStep::Days(1)),
        units,
        filled_gaps: Vec::new(),
    })
}

/// Writes `svg` to a new `.svg` file, or rendered to a new `.png`.
pub(super) fn write_plot(path: &Path, svg: &str) -> anyhow::Result<()> {
    match path.extension().and_then(|extension| extension.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("svg") => write_new(path, svg.as_bytes()),
        Some("png") => write_new(path, &encore_report::svg_to_png(svg)?),
        _ => Err(UserInput(format!("--plot {}: name a .svg or .png file", path.display())).into()),
    }
}

fn print_json(series: &UserSeries, results: Value) -> anyhow::Result<()> {
    let gaps = series.filled_gaps.iter().map(|gap| (gap.unit.as_str(), gap.from, gap.to, gap.missing));
    println!("{}", serde_json::to_string_pretty(&series_json::envelope(&series.file, gaps, results))?);
    Ok(())
}

fn print_gaps(series: &UserSeries) {
    for gap in &series.filled_gaps {
        eprintln!(
            "note: {}: filled {} missing steps of {} between {} and {} (--fill)",
            series.file, gap.missing, gap.unit, gap.from, gap.to
        );
    }
}
