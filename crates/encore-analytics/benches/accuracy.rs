//! Accuracy of Encore's methods on seeded synthetic series with known injected effects, beside
//! reference implementations run on the very same series: ruptures (PELT) for peaks and
//! CausalImpact (pycausalimpact) for marketing lifts.
//!
//! Run: `pip install -r crates/encore-analytics/benches/requirements.txt`, then
//! `cargo bench -p encore-analytics --bench accuracy`. The series are written as CSV to a temp
//! folder, `compare.py` reads them (set `ENCORE_PYTHON` to choose the interpreter), and one table
//! is printed. Without Python or its packages, only Encore's rows are printed.
//!
//! Peaks: Encore's row is [`changepoint_peaks`], the default detector on the log series. The
//! ruptures rows run Encore's former rule (PELT, change in mean, penalty `2·σ²·ln n`, a segment
//! `2σ` above both neighbours), which `compare.py` calls "the same automatic penalty".

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use encore_analytics::airing::{airing_response, Airing};
use encore_analytics::changepoints::{changepoint_peaks, peak_f1};
use encore_analytics::effect::{lift_from_comparables, lift_from_own_pre_period, POST_DAYS};
use encore_analytics::longevity::{fit_best_decay, half_life_interval};
use encore_analytics::synthetic::{airing_case, decay_case, generate, intervention_case, peaks_case, Truth};
use encore_analytics::Point;

const SERIES: u64 = 40;
const DONORS: usize = 4;
const PEAK_TOLERANCE_DAYS: usize = 7;

fn main() -> std::io::Result<()> {
    let folder = std::env::temp_dir().join(format!("encore-accuracy-{}", std::process::id()));
    std::fs::create_dir_all(&folder)?;
    let mut rows: Vec<(String, String, String)> = Vec::new();
    peaks(&folder, &mut rows)?;
    effects(&folder, &mut rows)?;
    half_lives(&mut rows);
    airings(&mut rows);
    rows.extend(compare_in_python(&folder));
    println!("\naccuracy on {SERIES} seeded synthetic series per task\n");
    println!("| task | method | result |\n|---|---|---|");
    for (task, method, result) in rows {
        println!("| {task} | {method} | {result} |");
    }
    std::fs::remove_dir_all(&folder)
}

fn peaks(folder: &Path, rows: &mut Vec<(String, String, String)>) -> std::io::Result<()> {
    let mut csv = String::from("seed,day,value\n");
    let mut truth_csv = String::from("seed,day\n");
    let mut f1_total = 0.0;
    for seed in 0..SERIES {
        let truth = peaks_case(seed);
        let values = generate(&truth, seed);
        for (day, value) in values.iter().enumerate() {
            let _ = writeln!(csv, "{seed},{day},{value}");
        }
        let true_days: Vec<usize> = truth.peaks.iter().map(|(day, _, _)| *day).collect();
        for day in &true_days {
            let _ = writeln!(truth_csv, "{seed},{day}");
        }
        f1_total += peak_f1(&changepoint_peaks(&values), &true_days, PEAK_TOLERANCE_DAYS).2;
    }
    std::fs::write(folder.join("peaks.csv"), csv)?;
    std::fs::write(folder.join("peaks_truth.csv"), truth_csv)?;
    rows.push((
        "peak F1 (±7 days)".into(),
        "Encore default detector on logs, peaks 2σ above both sides".into(),
        format!("{:.3}", f1_total / SERIES as f64),
    ));
    Ok(())
}

fn effects(folder: &Path, rows: &mut Vec<(String, String, String)>) -> std::io::Result<()> {
    let mut csv = String::from("seed,day,event,lift,song");
    for donor in 0..DONORS {
        let _ = write!(csv, ",donor{donor}");
    }
    csv.push('\n');
    let (mut own_error, mut own_covered, mut control_error, mut control_covered) = (0.0, 0, 0.0, 0);
    let (mut own_width, mut control_width) = (0.0, 0.0);
    let width = |interval: Option<(f64, f64)>| interval.map(|(low, high)| high - low).unwrap_or(0.0);
    for seed in 0..SERIES {
        let (truth, song, donors) = intervention_case(seed, DONORS);
        let (event, lift) = truth.interventions[0];
        for day in 0..(event + POST_DAYS).min(song.len()) {
            let _ = write!(csv, "{seed},{day},{event},{lift},{}", song[day]);
            for donor in &donors {
                let _ = write!(csv, ",{}", donor[day]);
            }
            csv.push('\n');
        }
        let covers =
            |interval: Option<(f64, f64)>| usize::from(interval.is_some_and(|(low, high)| low <= lift && lift <= high));
        if let Some(own) = lift_from_own_pre_period(&song, event) {
            own_error += (own.estimate - lift).abs();
            own_covered += covers(own.interval);
            own_width += width(own.interval);
        }
        if let Some(control) = lift_from_comparables(&song, &donors, event) {
            control_error += (control.estimate - lift).abs();
            control_covered += covers(control.interval);
            control_width += width(control.interval);
        }
    }
    std::fs::write(folder.join("effects.csv"), csv)?;
    let count = SERIES as f64;
    let task = "lift: mean abs error; 95 % interval coverage, mean width";
    let result = |error: f64, covered: usize, width: f64| {
        format!(
            "{:.1} pts; {:.0} %, {:.0} pts",
            100.0 * error / count,
            100.0 * covered as f64 / count,
            100.0 * width / count
        )
    };
    rows.push((task.into(), "Encore own pre-period".into(), result(own_error, own_covered, own_width)));
    rows.push((
        task.into(),
        format!("Encore synthetic control ({DONORS} comparables)"),
        result(control_error, control_covered, control_width),
    ));
    Ok(())
}

fn half_lives(rows: &mut Vec<(String, String, String)>) {
    let mut errors: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let (mut shape_right, mut covered) = (0, 0);
    for seed in 0..SERIES {
        let truth = decay_case(seed);
        let Some(decay) = truth.decay.clone() else { continue };
        let points: Vec<(f64, f64)> =
            generate(&truth, seed).iter().enumerate().map(|(day, value)| (day as f64, *value)).collect();
        let known = known_baseline(&truth, seed);
        for (label, baseline) in [("free baseline", None), ("known baseline", Some(known))] {
            if let Some((fit, _)) = fit_best_decay(&points, baseline) {
                errors.entry(label).or_default().push((fit.half_life_days - decay.half_life).abs() / decay.half_life);
                if baseline.is_some() {
                    shape_right += usize::from(fit.shape == decay.shape);
                    let interval = half_life_interval(&points, &fit, true, 100, seed);
                    covered += usize::from(
                        interval.is_some_and(|(low, high)| low <= decay.half_life && decay.half_life <= high),
                    );
                }
            }
        }
    }
    for (label, mut relative) in errors {
        relative.sort_by(f64::total_cmp);
        let mean = relative.iter().sum::<f64>() / relative.len() as f64;
        let median = relative[relative.len() / 2];
        rows.push((
            "half-life: relative error, mean / median".into(),
            format!("Encore decay fit, {label}"),
            format!("{:.1} % / {:.1} %", 100.0 * mean, 100.0 * median),
        ));
    }
    let count = SERIES as f64;
    rows.push((
        "decay shape right; half-life interval coverage".into(),
        "Encore, known baseline".into(),
        format!("{:.0} %; {:.0} %", 100.0 * shape_right as f64 / count, 100.0 * covered as f64 / count),
    ));
}

/// The baseline a caller knows: the median of 30 days of the song before its rise.
fn known_baseline(truth: &Truth, seed: u64) -> f64 {
    let before = Truth { days: 30, decay: None, ..truth.clone() };
    let mut values = generate(&before, seed + 1000);
    values.sort_by(f64::total_cmp);
    values[15]
}

fn airings(rows: &mut Vec<(String, String, String)>) {
    let (mut lag_right, mut top_three) = (0, 0);
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    for seed in 0..SERIES {
        let truth = airing_case(seed);
        let points: Vec<Point> = generate(&truth, seed)
            .iter()
            .enumerate()
            .map(|(day, value)| Point { date: start + chrono::Duration::days(day as i64), value: *value })
            .collect();
        let airings: Vec<Airing> = truth
            .airings
            .iter()
            .enumerate()
            .map(|(index, (day, _))| Airing {
                number: Some(index as u32),
                date: start + chrono::Duration::days(*day as i64),
                rating: None,
            })
            .collect();
        let Some(result) = airing_response(&points, &airings) else { continue };
        lag_right += usize::from(result.lag_days == truth.airing_lag as i64);
        if let Some(found) = result.strongest.and_then(|episode| episode.airing.number) {
            let lift = truth.airings[found as usize].1;
            top_three += usize::from(truth.airings.iter().filter(|(_, other)| *other > lift).count() < 3);
        }
    }
    let count = SERIES as f64;
    rows.push((
        "airing: lag right; strongest episode in true top 3".into(),
        "Encore event study".into(),
        format!("{:.0} %; {:.0} %", 100.0 * lag_right as f64 / count, 100.0 * top_three as f64 / count),
    ));
}

/// Runs `compare.py` on the CSVs; each line it prints is `task<TAB>method<TAB>result`.
fn compare_in_python(folder: &Path) -> Vec<(String, String, String)> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/compare.py");
    let python = std::env::var("ENCORE_PYTHON").unwrap_or_else(|_| "python3".into());
    let output = Command::new(&python).arg(&script).arg(folder).output();
    match output {
        Ok(output) if output.status.success() => String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| {
                let mut fields = line.splitn(3, '\t');
                Some((fields.next()?.to_string(), fields.next()?.to_string(), fields.next()?.to_string()))
            })
            .collect(),
        Ok(output) => {
            eprintln!(
                "compare.py failed (install benches/requirements.txt): {}",
                String::from_utf8_lossy(&output.stderr)
            );
            Vec::new()
        }
        Err(error) => {
            eprintln!("cannot run {python}: {error}");
            Vec::new()
        }
    }
}
