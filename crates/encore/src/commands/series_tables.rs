//! The tables `encore detect|effect|decay` print: read from the JSON the API answers too, so the
//! two never disagree.

use serde_json::Value;

use super::table::{Align, TextTable};

/// `date (step n)` or `step n` of a step object of the JSON.
fn at(step: &Value) -> String {
    match step.get("date").and_then(Value::as_str) {
        Some(date) => date.to_string(),
        None => format!("step {}", step["step"]),
    }
}

/// A number with about four significant digits: `3220.1`, `49.24`, `0.1123`.
fn number(value: &Value) -> String {
    let Some(number) = value.as_f64() else {
        return "—".to_string();
    };
    let decimals = match number.abs() {
        magnitude if magnitude >= 1000.0 => 0,
        magnitude if magnitude >= 100.0 => 1,
        magnitude if magnitude >= 1.0 => 2,
        _ => 4,
    };
    format!("{number:.decimals$}")
}

fn percent(value: f64) -> String {
    format!("{:+.1} %", value * 100.0)
}

fn interval(value: &Value, format: fn(f64) -> String) -> String {
    match value.as_array().map(|pair| (pair[0].as_f64(), pair[1].as_f64())) {
        Some((Some(low), Some(high))) => format!("{} to {}", format(low), format(high)),
        _ => "— (too few placebos)".to_string(),
    }
}

pub(super) fn detection_table(result: &Value) -> String {
    let empty = Vec::new();
    let list = |key: &str| result[key].as_array().unwrap_or(&empty).clone();
    let mut text = format!(
        "{}: {} steps, {} changepoints (cost {}, penalty {}, {} scale), {} peaks\n",
        result["unit"].as_str().unwrap_or_default(),
        result["steps"],
        list("changepoints").len(),
        result["cost"].as_str().unwrap_or_default(),
        result["penalty"].as_str().unwrap_or_default(),
        result["scale"].as_str().unwrap_or_default(),
        list("peaks").len(),
    );
    let mut table = TextTable::new(&[
        ("segment", Align::Right, 8),
        ("from", Align::Left, 12),
        ("to", Align::Left, 12),
        ("steps", Align::Right, 8),
        ("level", Align::Right, 14),
        ("slope/step", Align::Right, 12),
        ("sd", Align::Right, 12),
    ]);
    for (position, segment) in list("segments").iter().enumerate() {
        table.row(vec![
            (position + 1).to_string(),
            at(&segment["start"]),
            at(&segment["end"]),
            segment["steps"].to_string(),
            number(&segment["level"]),
            number(&segment["slope_per_step"]),
            number(&segment["sd"]),
        ]);
    }
    text.push_str(&table.render());
    let peaks: Vec<String> =
        list("peaks").iter().map(|peak| format!("{} ({})", at(peak), number(&peak["value"]))).collect();
    if !peaks.is_empty() {
        text.push_str(&format!("peaks: {}\n", peaks.join(", ")));
    }
    text.push('\n');
    text
}

pub(super) fn effect_table(result: &Value) -> String {
    let mut table = TextTable::new(&[
        ("intervention", Align::Left, 12),
        ("against", Align::Left, 40),
        ("lift", Align::Right, 9),
        ("95 % interval", Align::Left, 24),
        ("mean observed", Align::Right, 14),
        ("mean counterfactual", Align::Right, 20),
        ("cumulative", Align::Right, 12),
        ("95 % interval", Align::Left, 28),
    ]);
    for intervention in result["interventions"].as_array().into_iter().flatten() {
        table.row(vec![
            at(&intervention["at"]),
            intervention["against"].as_str().unwrap_or_default().to_string(),
            intervention["lift"].as_f64().map_or_else(|| "—".into(), percent),
            interval(&intervention["lift_interval"], percent),
            number(&intervention["average_observed"]),
            number(&intervention["average_counterfactual"]),
            number(&intervention["cumulative"]),
            interval(&intervention["cumulative_interval"], |value| format!("{value:.0}")),
        ]);
    }
    format!(
        "{}: effect over {} post steps\n{}",
        result["unit"].as_str().unwrap_or_default(),
        post_steps(result),
        table.render()
    )
}

fn post_steps(result: &Value) -> String {
    let steps: Vec<String> =
        result["interventions"].as_array().into_iter().flatten().map(|item| item["post_steps"].to_string()).collect();
    steps.join("/")
}

pub(super) fn decay_table(result: &Value) -> String {
    let other = &result["other_shape"];
    let comparison = if other.is_null() {
        String::new()
    } else {
        let difference = other["aic"].as_f64().unwrap_or(f64::NAN) - result["aic"].as_f64().unwrap_or(f64::NAN);
        format!(
            "\nthe other shape ({}) fits worse by {difference:.1} AIC, with a half-life of {} days",
            other["shape"].as_str().unwrap_or_default().replace('_', " "),
            number(&other["half_life_days"])
        )
    };
    format!(
        "{}: decay from {} over {} points\nshape {}, half-life {} days (95 %: {}), baseline {}, amplitude {}{comparison}\n",
        result["unit"].as_str().unwrap_or_default(),
        at(&result["start"]),
        result["points_fitted"],
        result["shape"].as_str().unwrap_or_default().replace('_', " "),
        number(&result["half_life_days"]),
        interval(&result["half_life_interval"], |value| format!("{value:.1}")),
        number(&result["baseline"]),
        number(&result["amplitude"]),
    )
}
