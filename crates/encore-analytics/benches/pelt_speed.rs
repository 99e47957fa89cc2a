//! Encore's PELT with the change-in-mean (`l2`) cost and a given penalty on a series read from a
//! file, timed: the Rust side of `benches/pelt_vs_ruptures.py`, which runs ruptures on the same
//! series and checks both give the same changepoints.
//!
//! Run: `cargo bench -p encore-analytics --bench pelt_speed -- FILE PENALTY [MIN_SEGMENT]`, FILE
//! holding one value per line; PENALTY `auto` times the default rule instead (cost and penalty
//! chosen by the information criterion). Prints one JSON line: `{"seconds": …, "changepoints": […]}`, the
//! time being that of the detection alone (prefix sums and PELT), not of reading the file.

use std::error::Error;
use std::time::Instant;

use encore_analytics::detect::{detect, Cost, Penalty, Settings};

fn main() -> Result<(), Box<dyn Error>> {
    // `cargo bench` adds `--bench`; only the positional arguments count.
    let arguments: Vec<String> = std::env::args().skip(1).filter(|argument| !argument.starts_with("--")).collect();
    let [file, penalty, rest @ ..] = arguments.as_slice() else {
        return Err("usage: pelt_speed FILE PENALTY [MIN_SEGMENT]".into());
    };
    let min_segment: usize = rest.first().map_or(Ok(2), |text| text.parse())?;
    let settings = if penalty == "auto" {
        Settings { min_segment, ..Settings::default() }
    } else {
        Settings { cost: Some(Cost::Mean), penalty: Penalty::Value(penalty.parse()?), min_segment }
    };
    let text = std::fs::read_to_string(file)?;
    let values = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.trim().parse())
        .collect::<Result<Vec<f64>, _>>()?;
    let started = Instant::now();
    let found = detect(&values, &settings).ok_or("a value is not finite")?;
    let seconds = started.elapsed().as_secs_f64();
    let changepoints: Vec<String> = found.changepoints.iter().map(usize::to_string).collect();
    println!("{{\"seconds\": {seconds}, \"changepoints\": [{}]}}", changepoints.join(", "));
    Ok(())
}
