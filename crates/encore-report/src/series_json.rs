//! The JSON of the analyses of any series (`encore detect|effect|decay --json` and the
//! `/api/analyze/*` endpoints): one shape for both, built here so a renamed field is one change.
//! Every step carries its index (`step`) and, on a dated series, its `date`.

use chrono::NaiveDate;
use serde_json::{json, Map, Value};

use encore_analytics::any_series::{Axis, Scale, SeriesDecay, SeriesDetection};
use encore_analytics::effect::Counterfactual;
use encore_analytics::effect_path::EffectPath;

/// `step` and, on a dated series, `date`, for the object of one step.
fn step_fields(axis: &Axis<'_>, step: usize) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("step".into(), json!(step));
    if let Axis::Dates(dates) = axis {
        if let Some(date) = dates.get(step) {
            fields.insert("date".into(), json!(date.to_string()));
        }
    }
    fields
}

fn with_fields(mut fields: Map<String, Value>, more: Value) -> Value {
    if let Value::Object(more) = more {
        fields.extend(more);
    }
    Value::Object(fields)
}

/// The value of a segment's fit on the series' own scale.
pub fn unscaled(scale: Scale, value: f64) -> f64 {
    match scale {
        Scale::Raw => value,
        Scale::Log => value.exp_m1(),
    }
}

/// Changepoints, segments and peaks of `unit`'s `values`.
pub fn detection_json(axis: &Axis<'_>, unit: &str, values: &[f64], found: &SeriesDetection, penalty: &str) -> Value {
    let detection = &found.detection;
    let segments: Vec<Value> = detection
        .segments
        .iter()
        .map(|segment| {
            json!({
                "start": with_fields(step_fields(axis, segment.start), json!({})),
                "end": with_fields(step_fields(axis, segment.end - 1), json!({})),
                "steps": segment.end - segment.start,
                "level": unscaled(found.scale, segment.mean),
                "slope_per_step": segment.slope,
                "sd": segment.variance.sqrt(),
            })
        })
        .collect();
    json!({
        "analysis": "detect",
        "unit": unit,
        "steps": values.len(),
        "cost": detection.cost.name(),
        "penalty": penalty,
        "scale": match found.scale { Scale::Raw => "raw", Scale::Log => "log" },
        "changepoints": detection.changepoints.iter().map(|step| Value::Object(step_fields(axis, *step))).collect::<Vec<_>>(),
        "segments": segments,
        "peaks": found.peaks.iter().map(|step| with_fields(step_fields(axis, *step), json!({"value": values[*step]}))).collect::<Vec<_>>(),
    })
}

/// What a lift was measured against, for people.
pub fn control_name(path: &EffectPath, comparables: &[String]) -> String {
    match path.lift.counterfactual {
        Counterfactual::OwnPrePeriod => "its own pre-period".to_string(),
        _ => format!(
            "a synthetic control of {} other unit{}",
            comparables.len(),
            if comparables.len() == 1 { "" } else { "s" }
        ),
    }
}

/// The effect of each intervention on `unit`, against `comparables` (the other units' names, in
/// the order of the paths' weights).
pub fn effect_json(axis: &Axis<'_>, unit: &str, comparables: &[String], paths: &[EffectPath]) -> Value {
    let interventions: Vec<Value> = paths
        .iter()
        .map(|path| {
            let post: Vec<_> = path.steps.iter().filter(|step| step.pointwise.is_some()).collect();
            let mean = |values: Vec<f64>| values.iter().sum::<f64>() / values.len().max(1) as f64;
            let weights: Map<String, Value> =
                comparables.iter().zip(&path.weights).map(|(name, weight)| (name.clone(), json!(weight))).collect();
            let steps: Vec<Value> = path
                .steps
                .iter()
                .map(|step| {
                    with_fields(
                        step_fields(axis, step.index),
                        json!({
                            "observed": step.observed,
                            "counterfactual": step.counterfactual,
                            "lower": step.band.map(|band| band.0),
                            "upper": step.band.map(|band| band.1),
                            "pointwise": step.pointwise,
                            "cumulative": step.cumulative,
                        }),
                    )
                })
                .collect();
            json!({
                "at": Value::Object(step_fields(axis, path.event)),
                "post_steps": path.end - path.event,
                "against": control_name(path, comparables),
                "weights": weights,
                "lift": path.lift.estimate,
                "lift_interval": path.lift.interval.map(|(low, high)| [low, high]),
                "placebos": path.lift.placebos,
                "average_observed": mean(post.iter().map(|step| step.observed).collect()),
                "average_counterfactual": mean(post.iter().filter_map(|step| step.counterfactual).collect()),
                "cumulative": path.cumulative,
                "cumulative_interval": path.cumulative_interval.map(|(low, high)| [low, high]),
                "path": steps,
            })
        })
        .collect();
    json!({ "analysis": "effect", "unit": unit, "interventions": interventions })
}

/// The decay of `unit` from its start.
pub fn decay_json(axis: &Axis<'_>, unit: &str, decay: &SeriesDecay) -> Value {
    let fit = &decay.estimate.fit;
    let points: Vec<Value> = decay
        .points
        .iter()
        .enumerate()
        .map(|(offset, (days, value))| {
            with_fields(
                step_fields(axis, decay.start + offset),
                json!({"days": days, "observed": value, "fitted": fit.value_at(*days)}),
            )
        })
        .collect();
    json!({
        "analysis": "decay",
        "unit": unit,
        "start": Value::Object(step_fields(axis, decay.start)),
        "shape": fit.shape,
        "half_life_days": fit.half_life_days,
        "half_life_interval": decay.estimate.half_life_interval.map(|(low, high)| [low, high]),
        "baseline": fit.baseline,
        "amplitude": fit.amplitude,
        "aic": fit.aic,
        "other_shape": decay.estimate.other_shape.map(|other| json!({
            "shape": other.shape, "half_life_days": other.half_life_days, "aic": other.aic,
        })),
        "points_fitted": fit.points,
        "points": points,
    })
}

/// The whole answer: the series' source, the gaps filled while reading it (unit, first and last
/// missing date, steps missing), and the analysis' results.
pub fn envelope<'a>(
    source: &str,
    filled_gaps: impl Iterator<Item = (&'a str, NaiveDate, NaiveDate, usize)>,
    results: Value,
) -> Value {
    let gaps: Vec<Value> = filled_gaps
        .map(|(unit, from, to, missing)| {
            json!({"unit": unit, "from": from.to_string(), "to": to.to_string(), "missing": missing})
        })
        .collect();
    json!({ "source": source, "filled_gaps": gaps, "results": results })
}
