//! The whole path of an effect, as CausalImpact users expect it: the counterfactual day by day
//! with its band, the pointwise effect (observed − counterfactual) and the cumulative effect, beside
//! the relative lift of [`crate::effect`]. The marketing table's lifts are this path's summary with
//! the default [`Window`].
//!
//! Method (the model is [`crate::effect`]'s, on the log scale; steps without a positive value are
//! skipped):
//! - the counterfactual is the own pre-period's level, or the synthetic control fitted on the
//!   steps before the event, each exponentiated back to the series' scale;
//! - placebo events inside the pre-period (every step for the own pre-period, every other step for a
//!   synthetic control, each fitted only on the steps before it, as the real one is) give errors at
//!   every offset of the post window; their root mean square around 0 at offset `k`, times
//!   Student's `t` (degrees of freedom from the non-overlapping placebo windows), is the
//!   half-width of the band at `k` on the log scale, and the same over the whole window gives the
//!   lift's interval;
//! - the cumulative effect is `Σ observed − Σ counterfactual` over the post window, its interval
//!   the counterfactual sum scaled by the lift interval's bounds.
//!
//! Several interventions on one series ([`intervention_paths`]) are each estimated on the stretch
//! between the previous intervention's post window and the next intervention, so one's effect never
//! counts as the other's baseline.

use std::fmt;

use crate::effect::{student_t_975, Counterfactual, Lift, HISTORY_DAYS, MIN_PLACEBOS, POST_DAYS, PRE_DAYS};

/// How many steps the estimate looks at around an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Steps before the event that set the own pre-period's level, and the least number of steps a
    /// synthetic control is fitted on.
    pub pre: usize,
    /// Steps from the event on over which the effect is measured.
    pub post: usize,
    /// Steps before the event a synthetic control and the placebos may use.
    pub history: usize,
}

impl Default for Window {
    fn default() -> Window {
        Window { pre: PRE_DAYS, post: POST_DAYS, history: HISTORY_DAYS }
    }
}

/// What the observed series is compared with.
#[derive(Debug, Clone, Copy)]
pub enum Control<'a> {
    /// The series' own level before the event.
    OwnPrePeriod,
    /// A synthetic control of these series, on the same steps as the observed one.
    Comparables(&'a [Vec<f64>]),
}

/// Why no effect could be estimated: always the input's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EffectError {
    /// The event lies outside the series.
    EventOutside { event: usize, length: usize },
    /// Too few steps with a positive value before the event.
    TooShortBefore { needed: usize, found: usize },
    /// Too few steps with a positive value from the event on.
    TooShortAfter { needed: usize, found: usize },
}

impl fmt::Display for EffectError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EffectError::EventOutside { event, length } => {
                write!(formatter, "the event at step {event} is outside the series' {length} steps")
            }
            EffectError::TooShortBefore { needed, found } => write!(
                formatter,
                "too short before the event: the method needs {needed} steps with a positive value there and has {found}"
            ),
            EffectError::TooShortAfter { needed, found } => write!(
                formatter,
                "too short after the event: the method needs {needed} steps with a positive value there and has {found}"
            ),
        }
    }
}

impl std::error::Error for EffectError {}

/// One step of the path, from the first step the counterfactual covers to the end of the window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EffectStep {
    /// The step's index in the whole series.
    pub index: usize,
    pub observed: f64,
    /// What the series would have done without the event; `None` where the model has no value.
    pub counterfactual: Option<f64>,
    /// The counterfactual's 95 % placebo band, after the event only.
    pub band: Option<(f64, f64)>,
    /// Observed − counterfactual, after the event only.
    pub pointwise: Option<f64>,
    /// The running sum of the pointwise effect from the event on.
    pub cumulative: Option<f64>,
}

/// The estimate of one event's effect: see the module documentation.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectPath {
    pub lift: Lift,
    /// The event's step.
    pub event: usize,
    /// One past the post window's last step.
    pub end: usize,
    pub steps: Vec<EffectStep>,
    /// `Σ observed − Σ counterfactual` over the post window.
    pub cumulative: f64,
    /// Its 95 % interval.
    pub cumulative_interval: Option<(f64, f64)>,
    /// The synthetic control's weight on each comparable (empty for the own pre-period).
    pub weights: Vec<f64>,
}

/// The effect of an event at step `event` of `series`: see the module documentation.
pub fn effect_path(
    series: &[f64],
    control: Control<'_>,
    event: usize,
    window: Window,
) -> Result<EffectPath, EffectError> {
    if event >= series.len() {
        return Err(EffectError::EventOutside { event, length: series.len() });
    }
    let model = match control {
        Control::OwnPrePeriod => own_pre_period_model(series, event, window)?,
        Control::Comparables(comparables) => synthetic_control_model(series, comparables, event, window)?,
    };
    Ok(model.into_path(series, event, window))
}

/// The effect of each event in `events` (ascending steps), each estimated between its neighbours:
/// see the module documentation. Indices in the paths are those of the whole series.
pub fn intervention_paths(
    series: &[f64],
    comparables: &[Vec<f64>],
    events: &[usize],
    window: Window,
) -> Vec<Result<EffectPath, EffectError>> {
    events
        .iter()
        .enumerate()
        .map(|(position, event)| {
            let start = position.checked_sub(1).map_or(0, |previous| (events[previous] + window.post).min(*event));
            let end = events.get(position + 1).copied().unwrap_or(series.len()).max(*event + 1).min(series.len());
            if *event >= series.len() {
                return Err(EffectError::EventOutside { event: *event, length: series.len() });
            }
            let stretch = |values: &[f64]| values[start..end.min(values.len())].to_vec();
            let donors: Vec<Vec<f64>> = comparables.iter().map(|donor| stretch(donor)).collect();
            let control = if comparables.is_empty() { Control::OwnPrePeriod } else { Control::Comparables(&donors) };
            effect_path(&stretch(series), control, event - start, window).map(|path| path.shifted(start))
        })
        .collect()
}

/// A fitted counterfactual on the log scale and the placebo residuals at each post offset.
struct Model {
    counterfactual: Counterfactual,
    /// The first step the counterfactual covers.
    first: usize,
    /// The predicted log value of a step, where the model has one.
    predicted: Vec<Option<f64>>,
    /// The steps after the event the estimate averages over.
    post_steps: Vec<usize>,
    /// Per placebo, the residual (observed − predicted log) at each post offset.
    placebo_residuals: Vec<Vec<Option<f64>>>,
    /// Steps between placebo dates.
    placebo_step: usize,
    weights: Vec<f64>,
}

fn own_pre_period_model(series: &[f64], event: usize, window: Window) -> Result<Model, EffectError> {
    let logs = log_values(series);
    let level_before = |logs: &[Option<f64>], at: usize| -> Option<f64> {
        let values: Vec<f64> = logs.get(at.checked_sub(window.pre)?..at)?.iter().flatten().copied().collect();
        (values.len() >= window.pre.div_ceil(2).max(1)).then(|| mean(&values))
    };
    let Some(level) = level_before(&logs, event) else {
        let found = logs[event.saturating_sub(window.pre)..event].iter().flatten().count();
        return Err(EffectError::TooShortBefore { needed: window.pre.div_ceil(2).max(1), found });
    };
    let end = (event + window.post).min(logs.len());
    let post_steps: Vec<usize> = (event..end).filter(|step| logs[*step].is_some()).collect();
    let needed_after = (window.post / 2).min(logs.len() - event).max(1);
    if post_steps.len() < needed_after {
        return Err(EffectError::TooShortAfter { needed: needed_after, found: post_steps.len() });
    }
    let history_start = event.saturating_sub(window.history);
    // The placebos see only the steps before the event, as the estimate's pre-period does.
    let before_event = &logs[..event];
    let placebo_residuals: Vec<Vec<Option<f64>>> = (history_start + window.pre..=event.saturating_sub(window.post))
        .filter_map(|placebo| {
            let level = level_before(before_event, placebo)?;
            let residuals: Vec<Option<f64>> = (0..window.post)
                .map(|offset| before_event.get(placebo + offset).copied().flatten().map(|value| value - level))
                .collect();
            let needed = (window.post / 2).min(event - placebo).max(1);
            (residuals.iter().flatten().count() >= needed).then_some(residuals)
        })
        .collect();
    let first = event - window.pre;
    Ok(Model {
        counterfactual: Counterfactual::OwnPrePeriod,
        first,
        predicted: (first..end).map(|_| Some(level)).collect(),
        post_steps,
        placebo_residuals,
        placebo_step: 1,
        weights: Vec::new(),
    })
}

fn synthetic_control_model(
    series: &[f64],
    comparables: &[Vec<f64>],
    event: usize,
    window: Window,
) -> Result<Model, EffectError> {
    let logs = log_values(series);
    let donor_logs: Vec<Vec<Option<f64>>> = comparables.iter().map(|donor| log_values(donor)).collect();
    let history_start = event.saturating_sub(window.history);
    let end = (event + window.post).min(logs.len());
    let row = |step: usize| -> Option<Vec<f64>> {
        donor_logs.iter().map(|donor| donor.get(step).copied().flatten()).collect()
    };
    // Steps where the series and every comparable have a value.
    let complete: Vec<usize> =
        (history_start..end).filter(|step| logs[*step].is_some() && row(*step).is_some()).collect();
    let pre: Vec<usize> = complete.iter().copied().filter(|step| *step < event).collect();
    let post_steps: Vec<usize> = complete.iter().copied().filter(|step| *step >= event).collect();
    if pre.len() < window.pre {
        return Err(EffectError::TooShortBefore { needed: window.pre, found: pre.len() });
    }
    if post_steps.is_empty() {
        return Err(EffectError::TooShortAfter { needed: 1, found: 0 });
    }
    let fit_before = |cut: usize| -> Option<(f64, Vec<f64>)> {
        let fit_steps: Vec<usize> = pre.iter().copied().filter(|step| *step < cut).collect();
        if fit_steps.len() < window.pre {
            return None;
        }
        let rows: Vec<Vec<f64>> = fit_steps.iter().filter_map(|step| row(*step)).collect();
        let targets: Vec<f64> = fit_steps.iter().filter_map(|step| logs[*step]).collect();
        Some(fit_on_simplex(&rows, &targets))
    };
    let predict = |(intercept, weights): &(f64, Vec<f64>), step: usize| -> Option<f64> {
        Some(intercept + row(step)?.iter().zip(weights).map(|(value, weight)| value * weight).sum::<f64>())
    };
    let fit = fit_before(event).ok_or(EffectError::TooShortBefore { needed: window.pre, found: pre.len() })?;
    // Placebo events every other pre-period step, each fitted only on the steps before it; the
    // offsets count the complete steps after it, as the estimate's window does.
    let post_length = post_steps.len();
    let placebo_residuals: Vec<Vec<Option<f64>>> = (window.pre..pre.len().saturating_sub(post_length))
        .step_by(2)
        .filter_map(|index| {
            let placebo_fit = fit_before(pre[index])?;
            Some(
                (0..window.post)
                    .map(|offset| {
                        let step = *pre[index..index + post_length].get(offset)?;
                        Some(logs[step]? - predict(&placebo_fit, step)?)
                    })
                    .collect(),
            )
        })
        .collect();
    Ok(Model {
        counterfactual: Counterfactual::ComparableSongs,
        first: history_start,
        predicted: (history_start..end).map(|step| predict(&fit, step)).collect(),
        post_steps,
        placebo_residuals,
        placebo_step: 2,
        weights: fit.1,
    })
}

impl Model {
    fn predicted_at(&self, step: usize) -> Option<f64> {
        self.predicted.get(step.checked_sub(self.first)?).copied().flatten()
    }

    fn into_path(self, series: &[f64], event: usize, window: Window) -> EffectPath {
        let residual = |step: usize| Some(series[step].ln() - self.predicted_at(step)?);
        let post_residuals: Vec<f64> = self.post_steps.iter().filter_map(|step| residual(*step)).collect();
        let log_estimate = mean(&post_residuals);
        // Each placebo's error is its mean residual over the window, as the estimate is.
        let errors: Vec<f64> = self
            .placebo_residuals
            .iter()
            .map(|residuals| mean(&residuals.iter().flatten().copied().collect::<Vec<f64>>()))
            .collect();
        let enough_placebos = errors.len() >= MIN_PLACEBOS;
        let independent_windows = (errors.len() * self.placebo_step).div_ceil(window.post.max(1));
        let t = student_t_975(independent_windows.saturating_sub(1));
        let lift_margin = enough_placebos.then(|| t * root_mean_square(&errors));
        let lift = Lift {
            counterfactual: self.counterfactual,
            estimate: log_estimate.exp() - 1.0,
            interval: lift_margin
                .map(|margin| ((log_estimate - margin).exp() - 1.0, (log_estimate + margin).exp() - 1.0)),
            placebos: errors.len(),
            chart: None,
        };
        let offset_margin = |offset: usize| -> Option<f64> {
            let at_offset: Vec<f64> = self
                .placebo_residuals
                .iter()
                .filter_map(|residuals| residuals.get(offset).copied().flatten())
                .collect();
            (enough_placebos && at_offset.len() >= MIN_PLACEBOS).then(|| t * root_mean_square(&at_offset))
        };
        let end = (event + window.post).min(series.len());
        let mut running = 0.0;
        let mut counterfactual_sum = 0.0;
        let mut observed_sum = 0.0;
        let steps: Vec<EffectStep> = (self.first..end)
            .map(|index| {
                let observed = series[index];
                let predicted = self.predicted_at(index);
                let counterfactual = predicted.map(f64::exp);
                let after = index >= event && self.post_steps.binary_search(&index).is_ok();
                let band = predicted.filter(|_| after).and_then(|log_value| {
                    let margin = offset_margin(index - event)?;
                    Some(((log_value - margin).exp(), (log_value + margin).exp()))
                });
                let pointwise = counterfactual.filter(|_| after).map(|expected| observed - expected);
                if let (Some(effect), Some(expected)) = (pointwise, counterfactual) {
                    running += effect;
                    counterfactual_sum += expected;
                    observed_sum += observed;
                }
                let cumulative = (index >= event).then_some(running);
                EffectStep { index, observed, counterfactual, band, pointwise, cumulative }
            })
            .collect();
        let cumulative_interval = lift_margin.map(|margin| {
            // A larger true effect means a smaller counterfactual, and so a larger cumulative effect.
            let bound = |log_shift: f64| observed_sum - counterfactual_sum * log_shift.exp();
            (bound(margin), bound(-margin))
        });
        EffectPath { lift, event, end, steps, cumulative: running, cumulative_interval, weights: self.weights }
    }
}

impl EffectPath {
    /// The same path with every step index moved on by `offset`.
    fn shifted(mut self, offset: usize) -> EffectPath {
        self.event += offset;
        self.end += offset;
        for step in &mut self.steps {
            step.index += offset;
        }
        self
    }
}

pub(crate) fn log_values(series: &[f64]) -> Vec<Option<f64>> {
    series.iter().map(|value| (value.is_finite() && *value > 0.0).then(|| value.ln())).collect()
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

fn root_mean_square(values: &[f64]) -> f64 {
    (values.iter().map(|value| value * value).sum::<f64>() / values.len().max(1) as f64).sqrt()
}

/// Least squares `target ≈ intercept + Σ weight·row` with weights ≥ 0 summing to 1, by projected
/// gradient descent on centred data (the intercept then follows from the means).
fn fit_on_simplex(rows: &[Vec<f64>], targets: &[f64]) -> (f64, Vec<f64>) {
    let width = rows.first().map(Vec::len).unwrap_or(0);
    let count = rows.len().max(1) as f64;
    let column_means: Vec<f64> =
        (0..width).map(|column| rows.iter().map(|row| row[column]).sum::<f64>() / count).collect();
    let target_mean = targets.iter().sum::<f64>() / count;
    let centred: Vec<Vec<f64>> =
        rows.iter().map(|row| row.iter().zip(&column_means).map(|(value, mean)| value - mean).collect()).collect();
    let centred_targets: Vec<f64> = targets.iter().map(|target| target - target_mean).collect();
    // Step: 1 / (largest eigenvalue bound), the trace of XᵀX.
    let trace: f64 = centred.iter().flatten().map(|value| value * value).sum();
    let step = if trace > 0.0 { 1.0 / trace } else { 0.0 };
    let mut weights = vec![1.0 / width.max(1) as f64; width];
    for _ in 0..800 {
        let mut gradient = vec![0.0; width];
        for (row, target) in centred.iter().zip(&centred_targets) {
            let residual = row.iter().zip(&weights).map(|(value, weight)| value * weight).sum::<f64>() - target;
            for (slot, value) in gradient.iter_mut().zip(row) {
                *slot += residual * value;
            }
        }
        let stepped: Vec<f64> = weights.iter().zip(&gradient).map(|(weight, slope)| weight - step * slope).collect();
        weights = project_on_simplex(&stepped);
    }
    let intercept = target_mean - weights.iter().zip(&column_means).map(|(weight, mean)| weight * mean).sum::<f64>();
    (intercept, weights)
}

/// The nearest point with non-negative coordinates summing to 1 (Duchi et al. 2008).
fn project_on_simplex(point: &[f64]) -> Vec<f64> {
    let mut sorted = point.to_vec();
    sorted.sort_by(|left, right| right.total_cmp(left));
    let mut running = 0.0;
    let mut threshold = 0.0;
    for (index, value) in sorted.iter().enumerate() {
        running += value;
        let candidate = (running - 1.0) / (index + 1) as f64;
        if value - candidate > 0.0 {
            threshold = candidate;
        }
    }
    point.iter().map(|value| (value - threshold).max(0.0)).collect()
}

#[cfg(test)]
#[path = "effect_path_tests.rs"]
mod tests;
