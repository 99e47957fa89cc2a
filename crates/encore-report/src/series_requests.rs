//! One analysis request on any series, answered as JSON and optionally a plot: what `encore
//! detect|effect|decay` and `POST /api/analyze/*` share, so the command line and the API choose
//! units, read dates and refuse bad requests the same way. The edges only read their input (flags,
//! a JSON body) into these requests and show the answer.

use chrono::NaiveDate;
use serde_json::Value;

use encore_analytics::any_series::{
    decay_series, detect_series, effect_series, AnySeriesError, Axis, Moment, Scale, SeriesDetection, WindowDays,
};
use encore_analytics::detect::Settings;
use encore_analytics::effect_path::EffectPath;

use crate::{series_figures, series_json, ReportError};

/// A series as read, whatever it was read from.
#[derive(Debug, Clone, Copy)]
pub struct SeriesView<'a> {
    /// The file or source name, for messages and titles.
    pub source: &'a str,
    pub dates: Option<&'a [NaiveDate]>,
    pub units: &'a [(String, Vec<f64>)],
}

/// Why a request cannot be answered: the user's input, or (plot) a bug.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("{0}")]
    BadInput(String),
    #[error(transparent)]
    Plot(#[from] ReportError),
}

/// The answer: the JSON every interface shows, and the plot when asked for.
#[derive(Debug, Clone)]
pub struct Answer {
    pub json: Value,
    pub svg: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DetectRequest {
    /// Units to analyse; every unit when empty.
    pub units: Vec<String>,
    pub settings: Settings,
    /// The penalty as the user gave it (`auto` or a number), shown back.
    pub penalty_text: String,
    pub scale: Scale,
}

/// What the treated unit is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ControlChoice {
    /// The other units when there are any, else the unit's own pre-period.
    #[default]
    Auto,
    Units,
    Own,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EffectRequest {
    /// May be left out when the series holds one unit.
    pub treated: Option<String>,
    /// Dates (on a dated series) or step numbers, as the user wrote them.
    pub at: Vec<String>,
    pub window: WindowDays,
    pub control: ControlChoice,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DecayRequest {
    pub unit: Option<String>,
    /// A date or step; the highest value when `None`.
    pub after: Option<String>,
    pub baseline: Option<f64>,
}

impl<'a> SeriesView<'a> {
    fn axis(&self) -> Axis<'a> {
        self.dates.map_or(Axis::Positions, Axis::Dates)
    }

    fn title(&self, unit: &str, what: &str) -> String {
        let file = std::path::Path::new(self.source)
            .file_name()
            .map_or_else(|| self.source.to_string(), |name| name.to_string_lossy().into_owned());
        format!("{file} · {unit}: {what}")
    }

    fn bad(&self, error: AnySeriesError) -> RequestError {
        RequestError::BadInput(format!("{}: {error}", self.source))
    }

    fn unit_names(&self) -> String {
        self.units.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// The unit named `name`, or the only one; `what` names the unit for the message ("the treated unit").
    fn unit(&self, name: Option<&str>, what: &str) -> Result<&'a (String, Vec<f64>), RequestError> {
        let units: &'a [(String, Vec<f64>)] = self.units;
        match (name, units) {
            (Some(name), _) => units.iter().find(|(unit, _)| unit == name).ok_or_else(|| {
                RequestError::BadInput(format!(
                    "{} has no unit `{name}`; its units are: {}",
                    self.source,
                    self.unit_names()
                ))
            }),
            (None, [only]) => Ok(only),
            (None, _) => Err(RequestError::BadInput(format!(
                "{} holds several units; name {what} (one of: {})",
                self.source,
                self.unit_names()
            ))),
        }
    }

    /// A date on a dated series, a step number otherwise; `what` names the setting.
    fn moment(&self, what: &str, text: &str) -> Result<Moment, RequestError> {
        let text = text.trim();
        if self.dates.is_none() {
            return text.parse::<usize>().map(Moment::Step).map_err(|_| {
                RequestError::BadInput(format!(
                    "{what} {text}: {} has no dates, so give a step number (0 is the first row)",
                    self.source
                ))
            });
        }
        ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"]
            .iter()
            .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
            .map(Moment::Date)
            .ok_or_else(|| RequestError::BadInput(format!("{what} {text}: not a date; give it as YYYY-MM-DD")))
    }
}

/// Changepoints, segments and peaks of the requested units: a JSON array, one object a unit.
pub fn detect(series: &SeriesView<'_>, request: &DetectRequest, plot: bool) -> Result<Answer, RequestError> {
    let units: Vec<&(String, Vec<f64>)> = if request.units.is_empty() {
        series.units.iter().collect()
    } else {
        request.units.iter().map(|name| series.unit(Some(name), "")).collect::<Result<_, _>>()?
    };
    let axis = series.axis();
    let found: Vec<(&(String, Vec<f64>), SeriesDetection)> = units
        .into_iter()
        .map(|unit| {
            Ok((unit, detect_series(&unit.1, &request.settings, request.scale).map_err(|error| series.bad(error))?))
        })
        .collect::<Result<_, RequestError>>()?;
    let svg = plot
        .then(|| {
            let panels: Vec<(String, &[f64], &SeriesDetection)> = found
                .iter()
                .map(|((name, values), detection)| {
                    (series.title(name, "changepoints and peaks"), values.as_slice(), detection)
                })
                .collect();
            series_figures::detection_svg(&axis, &panels)
        })
        .transpose()?;
    let json = Value::Array(
        found
            .iter()
            .map(|((name, values), detection)| {
                series_json::detection_json(&axis, name, values, detection, &request.penalty_text)
            })
            .collect(),
    );
    Ok(Answer { json, svg })
}

/// The effect of each intervention on the treated unit.
pub fn effect(series: &SeriesView<'_>, request: &EffectRequest, plot: bool) -> Result<Answer, RequestError> {
    let (treated_name, treated) = series.unit(request.treated.as_deref(), "the treated unit")?;
    let others: Vec<&(String, Vec<f64>)> = series.units.iter().filter(|(name, _)| name != treated_name).collect();
    let use_units = match request.control {
        ControlChoice::Own => false,
        ControlChoice::Units if others.is_empty() => {
            return Err(RequestError::BadInput(format!(
                "{} holds no unit besides {treated_name}, so there is nothing to build a synthetic control from",
                series.source
            )))
        }
        ControlChoice::Units => true,
        ControlChoice::Auto => !others.is_empty(),
    };
    let (names, comparables): (Vec<String>, Vec<Vec<f64>>) =
        if use_units { others.into_iter().cloned().unzip() } else { (Vec::new(), Vec::new()) };
    if request.at.is_empty() {
        return Err(RequestError::BadInput("name when the intervention happened (--at DATE)".to_string()));
    }
    let moments: Vec<Moment> =
        request.at.iter().map(|text| series.moment("the intervention", text)).collect::<Result<_, _>>()?;
    let axis = series.axis();
    // A window longer than the whole series sees nothing more than the series, and in steps it
    // would overflow the estimate's sums or size its buffers past any memory: it counts as the
    // series' span, or the default when that is longer.
    let span_days = (treated.len() as f64 * axis.step_days()).ceil() as usize;
    let defaults = WindowDays::default();
    let days = |given: usize, default: usize| given.clamp(1, span_days.max(default));
    let window = WindowDays {
        pre: days(request.window.pre, defaults.pre),
        post: days(request.window.post, defaults.post),
        history: days(request.window.history, defaults.history),
    };
    let paths: Vec<EffectPath> = effect_series(&axis, treated, &comparables, &moments, window)
        .map_err(|error| series.bad(error))?
        .into_iter()
        .map(|(_, path)| path)
        .collect();
    let svg = plot
        .then(|| {
            series_figures::effect_svg(
                &series.title(treated_name, "observed and counterfactual"),
                &axis,
                treated,
                &paths,
            )
        })
        .transpose()?;
    Ok(Answer { json: series_json::effect_json(&axis, treated_name, &names, &paths), svg })
}

/// The decay of one unit from its start.
pub fn decay(series: &SeriesView<'_>, request: &DecayRequest, plot: bool) -> Result<Answer, RequestError> {
    let (name, values) = series.unit(request.unit.as_deref(), "the unit")?;
    // The fit's baseline is a level of 0 or more; below it the fit is meaningless.
    if let Some(baseline) = request.baseline.filter(|baseline| !(*baseline >= 0.0 && baseline.is_finite())) {
        return Err(RequestError::BadInput(format!("baseline {baseline}: the level the series decays to, 0 or more")));
    }
    let after = request.after.as_deref().map(|text| series.moment("the start", text)).transpose()?;
    let axis = series.axis();
    let decay = decay_series(&axis, values, after, request.baseline).map_err(|error| series.bad(error))?;
    let svg =
        plot.then(|| series_figures::decay_svg(&series.title(name, "decay"), &axis, values, &decay)).transpose()?;
    Ok(Answer { json: series_json::decay_json(&axis, name, &decay), svg })
}
