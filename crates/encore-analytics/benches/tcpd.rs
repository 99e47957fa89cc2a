//! Encore's default changepoint detector ([`encore_analytics::detect`]) on the 25 univariate real
//! series of the Turing Change Point Dataset, scored as TCPDBench scores its default experiment
//! (F1 with a margin of 5 points, and cover), beside TCPDBench's published figures for R
//! `changepoint`'s PELT with its defaults and for `zero` (no changepoint).
//!
//! Run: `cargo bench -p encore-analytics --bench tcpd` (the data folder is `shared/data/tcpd`
//! beside the checkout, or `ENCORE_TCPD`). Before scoring anything it checks that the scorer
//! gives the published `zero` scores on every local series, and stops if not.

#[path = "support/tcpd_data.rs"]
mod tcpd_data;

use std::error::Error;
use std::time::Instant;

use encore_analytics::detect::{detect, Settings};
use encore_analytics::tcpd_score::{cover_score, f1_score, MARGIN};
use tcpd_data::{default_folder, Tcpd};

const TOLERANCE: f64 = 1e-9;

fn main() -> Result<(), Box<dyn Error>> {
    let tcpd = Tcpd::open(&default_folder())?;
    check_zero_scores(&tcpd)?;
    let series = tcpd.univariate_real()?;
    println!("\nEncore's default detector on the {} univariate real TCPD series\n", series.len());
    println!("| series | n | cost | changepoints | F1 | cover | PELT F1 | PELT cover | zero F1 | zero cover |");
    println!("|---|---:|---|---|---:|---:|---:|---:|---:|---:|");
    let mut totals = [0.0; 6];
    let started = Instant::now();
    for name in &series {
        let values = tcpd.values(name)?;
        let annotations = tcpd.annotations_of(name)?;
        let reference = tcpd.reference.get(name).ok_or_else(|| format!("{name}: no published scores"))?;
        let found = detect(&values, &Settings::default()).ok_or_else(|| format!("{name}: a value is not finite"))?;
        let f1 = f1_score(annotations, &found.changepoints, MARGIN);
        let cover = cover_score(annotations, &found.changepoints, values.len());
        // A failed run scores 0 in TCPDBench's tables.
        let pelt_f1 = reference.pelt_f1.unwrap_or(0.0);
        let pelt_cover = reference.pelt_cover.unwrap_or(0.0);
        let row = [f1, cover, pelt_f1, pelt_cover, reference.zero_f1, reference.zero_cover];
        for (total, value) in totals.iter_mut().zip(row) {
            *total += value;
        }
        let changepoints: Vec<String> = found.changepoints.iter().map(usize::to_string).collect();
        println!(
            "| {name} | {} | {} | {} | {f1:.3} | {cover:.3} | {pelt_f1:.3} | {pelt_cover:.3} | {:.3} | {:.3} |",
            values.len(),
            found.cost.name(),
            changepoints.join(" "),
            reference.zero_f1,
            reference.zero_cover
        );
    }
    let count = series.len() as f64;
    let [f1, cover, pelt_f1, pelt_cover, zero_f1, zero_cover] = totals.map(|total| total / count);
    println!(
        "| **mean** | | | | **{f1:.3}** | **{cover:.3}** | {pelt_f1:.3} | {pelt_cover:.3} | {zero_f1:.3} | {zero_cover:.3} |"
    );
    println!(
        "\n{} series in {:.2} s. Reproduce: `cargo bench -p encore-analytics --bench tcpd`",
        series.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The scorer must give TCPDBench's published `zero` scores before it scores anything else.
fn check_zero_scores(tcpd: &Tcpd) -> Result<(), Box<dyn Error>> {
    let mut checked = 0;
    for name in tcpd.local_series()? {
        let Some(reference) = tcpd.reference.get(&name) else { continue };
        let annotations = tcpd.annotations_of(&name)?;
        let f1 = f1_score(annotations, &[], MARGIN);
        let cover = cover_score(annotations, &[], tcpd.length(&name)?);
        if (f1 - reference.zero_f1).abs() > TOLERANCE || (cover - reference.zero_cover).abs() > TOLERANCE {
            return Err(format!(
                "{name}: zero scores {f1} / {cover}, published {} / {}",
                reference.zero_f1, reference.zero_cover
            )
            .into());
        }
        checked += 1;
    }
    println!("the scorer reproduces the published zero F1 and cover on all {checked} local series");
    Ok(())
}
