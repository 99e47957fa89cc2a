//! `POST /api/analyze/{detect,effect,decay}`: the analyses of `encore detect|effect|decay` on a
//! series sent in the body, answered as the same JSON (or, with `?plot=svg`, the same plot). The
//! series is any form the reader of user series takes as JSON (`[{"date", "value"}]`, with
//! `"unit"` for a panel, `{"dates", "values"}`, a bare array of numbers…), or a file's text as a
//! string (CSV, TSV, a Google Trends export), read as `encore detect FILE` reads it; the body is bounded
//! ([`MAX_ANALYZE_BODY_BYTES`]), so is the series ([`MAX_ANALYZE_STEPS`]), and the work runs on a
//! blocking thread, [`ANALYSES_AT_ONCE`] at a time.

use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use encore_analytics::any_series::{Scale, WindowDays};
use encore_analytics::detect::{Cost, Penalty, Settings, DEFAULT_MIN_SEGMENT};
use encore_ingest::user_series::{
    read_user_series, user_series_from_json, GapPolicy, SeriesError, SeriesOptions, Spacing,
};
use encore_report::series_json::envelope;
use encore_report::series_requests::{
    self, Answer, ControlChoice, DecayRequest, DetectRequest, EffectRequest, RequestError, SeriesView,
};

use crate::error::ServerError;
use crate::AppState;

/// Request bodies larger than this are refused with 413: a series of 10⁵ dated steps is ~4 MB.
pub const MAX_ANALYZE_BODY_BYTES: usize = 8 * 1024 * 1024;
/// Steps a series may have (per unit).
pub const MAX_ANALYZE_STEPS: usize = 100_000;
/// Units a series may have, and so (with [`MAX_ANALYZE_STEPS`]) the most values a read makes.
pub const MAX_ANALYZE_UNITS: usize = 50;
/// Steps the automatic detector (cost and penalty chosen by the criterion, about n² work) takes;
/// longer series name a cost and a penalty, which PELT solves in about linear time.
pub const MAX_AUTO_DETECT_STEPS: usize = 5_000;
/// Days of history a synthetic control and its placebos may use: each placebo refits on the
/// history before it, so the work grows with its square.
pub const MAX_HISTORY_DAYS: usize = 730;
/// Analyses that may run at once; more wait their turn.
pub const ANALYSES_AT_ONCE: usize = 2;

/// The body: the series, how to read it, and the settings of each analysis (those of the other
/// analyses are ignored). Names follow the command line's flags.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalyzeBody {
    series: Value,
    #[serde(default)]
    fill: Option<String>,
    #[serde(default)]
    spacing: Option<String>,
    // detect
    #[serde(default)]
    units: Vec<String>,
    #[serde(default)]
    penalty: Option<Value>,
    #[serde(default)]
    cost: Option<String>,
    #[serde(default)]
    min_segment: Option<usize>,
    #[serde(default)]
    scale: Option<String>,
    // effect
    #[serde(default)]
    treated: Option<String>,
    #[serde(default, deserialize_with = "moments")]
    at: Vec<String>,
    #[serde(default)]
    post_days: Option<usize>,
    #[serde(default)]
    pre_days: Option<usize>,
    #[serde(default)]
    history_days: Option<usize>,
    #[serde(default)]
    control: Option<String>,
    // decay
    #[serde(default)]
    unit: Option<String>,
    #[serde(default, deserialize_with = "moment")]
    after: Option<String>,
    #[serde(default)]
    baseline: Option<f64>,
}

#[derive(Debug, Deserialize)]
pub struct PlotQuery {
    plot: Option<String>,
}

impl PlotQuery {
    /// Whether the answer is to be the plot (`?plot=svg`) rather than JSON.
    pub fn wants_svg(&self) -> Result<bool, ServerError> {
        match self.plot.as_deref() {
            None => Ok(false),
            Some("svg") => Ok(true),
            Some(other) => Err(ServerError::BadRequest(format!("plot={other}: the API draws plot=svg"))),
        }
    }
}

/// An SVG document as a response.
pub fn svg_response(svg: impl IntoResponse) -> Response {
    let mut response = svg.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"));
    response
}

pub async fn analyze(
    State(state): State<Arc<AppState>>,
    Path(analysis): Path<String>,
    Query(query): Query<PlotQuery>,
    body: Result<Json<AnalyzeBody>, JsonRejection>,
) -> Result<Response, ServerError> {
    let plot = query.wants_svg()?;
    if !matches!(analysis.as_str(), "detect" | "effect" | "decay") {
        return Err(ServerError::NotFound(format!(
            "no analysis `{analysis}`: POST /api/analyze/detect, /effect or /decay"
        )));
    }
    let Json(body) = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ServerError::TooLarge(format!(
                "the request passes the {} MiB limit of /api/analyze",
                MAX_ANALYZE_BODY_BYTES / (1024 * 1024)
            ))
        } else {
            ServerError::BadRequest(format!(
                "expected {{\"series\": [{{\"date\": \"2024-01-01\", \"value\": 3}}, …], …settings}}: {}",
                rejection.body_text()
            ))
        }
    })?;
    let permit = state
        .analyze_permits
        .clone()
        .acquire_owned()
        .await
        .map_err(|error| ServerError::Internal(format!("analysis queue closed: {error}")))?;
    let answer = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        answer(&analysis, &body, plot)
    })
    .await??;
    Ok(answer)
}

fn answer(analysis: &str, body: &AnalyzeBody, plot: bool) -> Result<Response, ServerError> {
    let gaps = match body.fill.as_deref() {
        None | Some("refuse") => GapPolicy::Refuse,
        Some("zero") => GapPolicy::Zero,
        Some("linear") => GapPolicy::Linear,
        Some(other) => return Err(bad(format!("fill `{other}`: refuse, zero or linear"))),
    };
    let spacing = match body.spacing.as_deref() {
        None | Some("regular") => Spacing::Regular,
        Some("rows") => Spacing::Rows,
        Some(other) => return Err(bad(format!("spacing `{other}`: regular or rows"))),
    };
    let max_cells = Some(MAX_ANALYZE_STEPS * MAX_ANALYZE_UNITS);
    let options = SeriesOptions { gaps, spacing, max_cells, ..SeriesOptions::default() };
    // A string is a file's text (CSV, TSV, a Google Trends export…), read as the command line
    // reads a file; anything else is one of the JSON shapes.
    let read = match &body.series {
        Value::String(text) => read_user_series(text.as_bytes(), "the request's series", &options),
        json => user_series_from_json(json, "the request's series", &options),
    };
    let series = read.map_err(|error| match error {
        SeriesError::TooLarge { .. } => ServerError::TooLarge(error.to_string()),
        other => ServerError::BadRequest(other.to_string()),
    })?;
    if series.units.len() > MAX_ANALYZE_UNITS {
        return Err(ServerError::TooLarge(format!(
            "the series has {} units; /api/analyze takes {MAX_ANALYZE_UNITS} at most",
            series.units.len()
        )));
    }
    if series.len() > MAX_ANALYZE_STEPS {
        return Err(ServerError::TooLarge(format!(
            "the series has {} steps; /api/analyze takes {MAX_ANALYZE_STEPS} at most (the command line takes any length)",
            series.len()
        )));
    }
    let units: Vec<(String, Vec<f64>)> =
        series.units.iter().map(|unit| (unit.name.clone(), unit.values.clone())).collect();
    let view = SeriesView { source: &series.file, dates: series.dates.as_deref(), units: &units };
    let answered = match analysis {
        "detect" => series_requests::detect(&view, &detect_request(body, series.len())?, plot),
        "effect" => series_requests::effect(&view, &effect_request(body)?, plot),
        _ => series_requests::decay(&view, &decay_request(body)?, plot),
    };
    let Answer { json, svg } = answered.map_err(|error| match error {
        RequestError::BadInput(message) => ServerError::BadRequest(message),
        RequestError::Plot(error) => ServerError::Internal(error.to_string()),
    })?;
    if let Some(svg) = svg {
        return Ok(svg_response(svg));
    }
    let gaps = series.filled_gaps.iter().map(|gap| (gap.unit.as_str(), gap.from, gap.to, gap.missing));
    Ok(Json(envelope(&series.file, gaps, json)).into_response())
}

fn bad(message: String) -> ServerError {
    ServerError::BadRequest(message)
}

fn detect_request(body: &AnalyzeBody, steps: usize) -> Result<DetectRequest, ServerError> {
    let penalty = match &body.penalty {
        None => Penalty::Auto,
        Some(Value::String(text)) if text == "auto" => Penalty::Auto,
        Some(value) => Penalty::Value(
            value
                .as_f64()
                .filter(|number| *number >= 0.0)
                .ok_or_else(|| bad(format!("penalty {value}: \"auto\" or a number of 0 or more")))?,
        ),
    };
    let cost = match body.cost.as_deref() {
        None | Some("auto") => None,
        Some("mean") => Some(Cost::Mean),
        Some("meanvar") => Some(Cost::MeanVar),
        Some("linear") => Some(Cost::Linear),
        Some(other) => return Err(bad(format!("cost `{other}`: auto, mean, meanvar or linear"))),
    };
    if (cost.is_none() || penalty == Penalty::Auto) && steps > MAX_AUTO_DETECT_STEPS {
        return Err(ServerError::TooLarge(format!(
            "the series has {steps} steps; the automatic detector takes {MAX_AUTO_DETECT_STEPS} at most here: name a cost and a numeric penalty"
        )));
    }
    // The detector needs two segments of `min_segment` steps; a larger one would overflow that count.
    let min_segment = body.min_segment.unwrap_or(DEFAULT_MIN_SEGMENT).max(1);
    if min_segment > steps {
        return Err(bad(format!("min_segment {min_segment}: more steps than the series' {steps}")));
    }
    let scale = match body.scale.as_deref() {
        None | Some("raw") => Scale::Raw,
        Some("log") => Scale::Log,
        Some(other) => return Err(bad(format!("scale `{other}`: raw or log"))),
    };
    Ok(DetectRequest {
        units: body.units.clone(),
        settings: Settings { cost, penalty, min_segment },
        penalty_text: match penalty {
            Penalty::Auto => "auto".to_string(),
            Penalty::Value(number) => number.to_string(),
        },
        scale,
    })
}

fn effect_request(body: &AnalyzeBody) -> Result<EffectRequest, ServerError> {
    let defaults = WindowDays::default();
    // Longer windows than the series are cut to it where the request is answered; the history a
    // synthetic control's placebos refit on costs about its square, so it is bounded here.
    if body.history_days.is_some_and(|days| days > MAX_HISTORY_DAYS) {
        return Err(bad(format!("history_days: {MAX_HISTORY_DAYS} at most here (the command line takes any)")));
    }
    let days = |given: Option<usize>, default: usize| given.unwrap_or(default);
    let control = match body.control.as_deref() {
        None | Some("auto") => ControlChoice::Auto,
        Some("units") => ControlChoice::Units,
        Some("own") => ControlChoice::Own,
        Some(other) => return Err(bad(format!("control `{other}`: auto, units or own"))),
    };
    Ok(EffectRequest {
        treated: body.treated.clone(),
        at: body.at.clone(),
        window: WindowDays {
            pre: days(body.pre_days, defaults.pre),
            post: days(body.post_days, defaults.post),
            history: days(body.history_days, defaults.history),
        },
        control,
    })
}

fn decay_request(body: &AnalyzeBody) -> Result<DecayRequest, ServerError> {
    // The fit's baseline is a level of 0 or more; below it the fit is meaningless (no AIC).
    if let Some(baseline) = body.baseline.filter(|baseline| *baseline < 0.0) {
        return Err(bad(format!("baseline {baseline}: the level the series decays to, 0 or more")));
    }
    Ok(DecayRequest { unit: body.unit.clone(), after: body.after.clone(), baseline: body.baseline })
}

/// A date or a step, as the user wrote it: text (`"2024-03-01"`, `"150"`) or a whole number (`150`).
fn moment_text(value: Value) -> Result<String, String> {
    match value {
        Value::String(text) => Ok(text),
        Value::Number(number) if number.is_u64() => Ok(number.to_string()),
        other => Err(format!("{other} is neither a date nor a step number")),
    }
}

fn moment<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let value = Option::<Value>::deserialize(deserializer)?;
    value.map(moment_text).transpose().map_err(serde::de::Error::custom)
}

fn moments<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let values = Vec::<Value>::deserialize(deserializer)?;
    values.into_iter().map(moment_text).collect::<Result<_, _>>().map_err(serde::de::Error::custom)
}
