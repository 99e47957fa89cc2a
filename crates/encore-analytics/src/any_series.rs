//! Changepoints, effects and decay on any series a user brings (`encore detect|effect|decay`, the
//! `/api/analyze/*` endpoints): the catalog's methods, addressed by dates instead of catalog days.
//!
//! A series is regular: one value per step, its steps dated ([`Axis::Dates`], daily, weekly or
//! monthly) or only counted ([`Axis::Positions`]). Lengths given in days (the effect's windows,
//! the decay's time since its start) become steps by the series' typical step, rounded up, so a
//! 28-day post window is 4 weeks of a weekly series. A date between two steps belongs to the step
//! that covers it, the last one dated on or before it.
//!
//! - [`detect_series`]: [`crate::detect`] with its settings, on the values or on `ln(1 + value)`,
//!   and the peaks of [`crate::detect_peaks`];
//! - [`effect_series`]: [`crate::effect_path`] for each intervention, against the other units of a
//!   panel (a synthetic control) or the unit's own pre-period;
//! - [`decay_series`]: [`crate::longevity::decay_estimate`] from a start (by default the highest
//!   value) to the end of the series.

use std::fmt;

use chrono::NaiveDate;

use crate::detect::{detect, Detection, Settings};
use crate::detect_peaks::peaks_of;
use crate::effect::{HISTORY_DAYS, POST_DAYS, PRE_DAYS};
use crate::effect_path::{intervention_paths, EffectError, EffectPath, Window};
use crate::longevity::{decay_estimate, DecayEstimate, DEFAULT_SEED, MIN_FIT_POINTS};

/// Where the steps of a series lie.
#[derive(Debug, Clone, Copy)]
pub enum Axis<'a> {
    /// One date per step, ascending.
    Dates(&'a [NaiveDate]),
    /// Steps 0, 1, 2…: a length in days is a number of steps.
    Positions,
}

/// A moment named by the user: a date on a dated series, a step on a counted one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    Date(NaiveDate),
    Step(usize),
}

impl fmt::Display for Moment {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Moment::Date(date) => write!(formatter, "{date}"),
            Moment::Step(step) => write!(formatter, "step {step}"),
        }
    }
}

/// What the series cannot give: always the user's input.
#[derive(Debug, Clone, PartialEq)]
pub enum AnySeriesError {
    /// Fewer steps than the method needs.
    TooShort { method: &'static str, needed: usize, found: usize, what: &'static str },
    /// A moment outside the series' steps.
    Outside { moment: Moment, first: String, last: String },
    /// A date on a series without dates, or a step number on a dated one.
    WrongMoment { moment: Moment },
    /// A value `ln` cannot take.
    Negative { step: usize, value: f64 },
    /// A value that is not a finite number.
    NotFinite { step: usize },
    /// One intervention's estimate failed.
    Effect { moment: Moment, error: EffectError },
}

impl fmt::Display for AnySeriesError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnySeriesError::TooShort { method, needed, found, what } => write!(
                formatter,
                "the series is too short for {method}: it needs at least {needed} {what} and has {found}"
            ),
            AnySeriesError::Outside { moment, first, last } => {
                write!(formatter, "{moment} is outside the series, which runs from {first} to {last}")
            }
            AnySeriesError::WrongMoment { moment: Moment::Date(date) } => {
                write!(formatter, "{date} is a date but the series has no dates; give a step number")
            }
            AnySeriesError::WrongMoment { moment } => {
                write!(formatter, "{moment} is a step number but the series has dates; give a date (YYYY-MM-DD)")
            }
            AnySeriesError::Negative { step, value } => {
                write!(formatter, "the value at step {step} is {value}; the log scale needs values of 0 or more")
            }
            AnySeriesError::NotFinite { step } => write!(formatter, "the value at step {step} is not a finite number"),
            AnySeriesError::Effect { moment, error } => write!(formatter, "the intervention at {moment}: {error}"),
        }
    }
}

impl std::error::Error for AnySeriesError {}

impl Axis<'_> {
    /// The typical days between steps: the median difference of the dates, 1 for positions.
    pub fn step_days(&self) -> f64 {
        match self {
            Axis::Positions => 1.0,
            Axis::Dates(dates) => {
                let mut differences: Vec<i64> = dates.windows(2).map(|pair| (pair[1] - pair[0]).num_days()).collect();
                differences.sort_unstable();
                differences.get(differences.len() / 2).map_or(1.0, |days| (*days).max(1) as f64)
            }
        }
    }

    /// The steps that `days` days span, at least one.
    pub fn steps_for_days(&self, days: usize) -> usize {
        ((days as f64 / self.step_days()).ceil() as usize).max(1)
    }

    /// The step of `moment`: the last one dated on or before it.
    pub fn step_of(&self, moment: Moment, length: usize) -> Result<usize, AnySeriesError> {
        let outside =
            || AnySeriesError::Outside { moment, first: self.label(0), last: self.label(length.saturating_sub(1)) };
        match (self, moment) {
            (Axis::Positions, Moment::Step(step)) => (step < length).then_some(step).ok_or_else(outside),
            (Axis::Dates(dates), Moment::Date(date)) => {
                let after = dates.partition_point(|step_date| *step_date <= date);
                let last_date = dates.last().copied();
                // A date past the last step's period is outside, not in the last step.
                let past_end = last_date.is_some_and(|last| (date - last).num_days() as f64 >= self.step_days());
                if after == 0 || past_end {
                    return Err(outside());
                }
                Ok(after - 1)
            }
            _ => Err(AnySeriesError::WrongMoment { moment }),
        }
    }

    /// Step `step` for people: its date, or its number.
    pub fn label(&self, step: usize) -> String {
        match self {
            Axis::Dates(dates) => dates.get(step).map_or_else(|| format!("step {step}"), NaiveDate::to_string),
            Axis::Positions => format!("step {step}"),
        }
    }

    /// Days from step `from` to step `to` (negative before it).
    fn days_between(&self, from: usize, to: usize) -> f64 {
        match self {
            Axis::Dates(dates) => (dates[to] - dates[from]).num_days() as f64,
            Axis::Positions => to as f64 - from as f64,
        }
    }
}

/// The scale changepoints are sought on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// The values as they are.
    #[default]
    Raw,
    /// `ln(1 + value)`: a doubling is the same step at any level, and zeros are allowed.
    Log,
}

/// Changepoints, segments and peaks of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesDetection {
    pub scale: Scale,
    /// Segments' fits are on [`SeriesDetection::scale`].
    pub detection: Detection,
    pub peaks: Vec<usize>,
}

/// The least number of steps [`detect_series`] takes: two segments of the least length.
pub fn detect_minimum(settings: &Settings) -> usize {
    settings.min_segment.max(1).saturating_mul(2)
}

/// Changepoints and peaks of `values` on `scale` under `settings`: see the module documentation.
pub fn detect_series(values: &[f64], settings: &Settings, scale: Scale) -> Result<SeriesDetection, AnySeriesError> {
    check_finite(values)?;
    let needed = detect_minimum(settings);
    if values.len() < needed {
        return Err(AnySeriesError::TooShort { method: "changepoints", needed, found: values.len(), what: "steps" });
    }
    let scaled: Vec<f64> =
        match scale {
            Scale::Raw => values.to_vec(),
            Scale::Log => values
                .iter()
                .enumerate()
                .map(|(step, value)| {
                    if *value < 0.0 {
                        Err(AnySeriesError::Negative { step, value: *value })
                    } else {
                        Ok(value.ln_1p())
                    }
                })
                .collect::<Result<_, _>>()?,
        };
    let detection = detect(&scaled, settings).ok_or(AnySeriesError::NotFinite { step: 0 })?;
    let peaks = peaks_of(&scaled, &detection);
    Ok(SeriesDetection { scale, detection, peaks })
}

/// The effect windows in days, as the user gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowDays {
    pub pre: usize,
    pub post: usize,
    pub history: usize,
}

impl Default for WindowDays {
    fn default() -> WindowDays {
        WindowDays { pre: PRE_DAYS, post: POST_DAYS, history: HISTORY_DAYS }
    }
}

impl WindowDays {
    /// The windows in steps of `axis`.
    pub fn in_steps(&self, axis: &Axis<'_>) -> Window {
        Window {
            pre: axis.steps_for_days(self.pre),
            post: axis.steps_for_days(self.post),
            history: axis.steps_for_days(self.history),
        }
    }
}

/// The effect of each intervention at `moments` on `treated`, against `comparables` (the other
/// units, on the same steps) or, with none, the treated unit's own pre-period.
pub fn effect_series(
    axis: &Axis<'_>,
    treated: &[f64],
    comparables: &[Vec<f64>],
    moments: &[Moment],
    window_days: WindowDays,
) -> Result<Vec<(Moment, EffectPath)>, AnySeriesError> {
    check_finite(treated)?;
    for comparable in comparables {
        check_finite(comparable)?;
    }
    let mut located: Vec<(usize, Moment)> =
        moments.iter().map(|moment| Ok((axis.step_of(*moment, treated.len())?, *moment))).collect::<Result<_, _>>()?;
    located.sort_by_key(|(step, _)| *step);
    located.dedup_by_key(|(step, _)| *step);
    let steps: Vec<usize> = located.iter().map(|(step, _)| *step).collect();
    let window = window_days.in_steps(axis);
    intervention_paths(treated, comparables, &steps, window)
        .into_iter()
        .zip(located)
        .map(|(path, (_, moment))| {
            path.map(|path| (moment, path)).map_err(|error| AnySeriesError::Effect { moment, error })
        })
        .collect()
}

/// A decay fitted from a start to the end of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesDecay {
    /// The step the decay starts at (day 0).
    pub start: usize,
    /// `(days since the start, value)` of every step from the start on.
    pub points: Vec<(f64, f64)>,
    pub estimate: DecayEstimate,
}

/// The decay of `values` from `after` (the highest value when `None`) to the end: see the module
/// documentation. `baseline`, when known, is not fitted.
pub fn decay_series(
    axis: &Axis<'_>,
    values: &[f64],
    after: Option<Moment>,
    baseline: Option<f64>,
) -> Result<SeriesDecay, AnySeriesError> {
    check_finite(values)?;
    let start = match after {
        Some(moment) => axis.step_of(moment, values.len())?,
        None => (0..values.len()).fold(0, |best, step| if values[step] > values[best] { step } else { best }),
    };
    let points: Vec<(f64, f64)> =
        (start..values.len()).map(|step| (axis.days_between(start, step), values[step])).collect();
    let positive = points.iter().filter(|(_, value)| *value > 0.0).count();
    let too_short = || AnySeriesError::TooShort {
        method: "a decay",
        needed: MIN_FIT_POINTS,
        found: positive,
        what: "positive values from its start",
    };
    if positive < MIN_FIT_POINTS {
        return Err(too_short());
    }
    let estimate = decay_estimate(&points, baseline, DEFAULT_SEED).ok_or_else(too_short)?;
    Ok(SeriesDecay { start, points, estimate })
}

fn check_finite(values: &[f64]) -> Result<(), AnySeriesError> {
    match values.iter().position(|value| !value.is_finite()) {
        Some(step) => Err(AnySeriesError::NotFinite { step }),
        None => Ok(()),
    }
}

#[cfg(test)]
#[path = "any_series_tests.rs"]
mod tests;
