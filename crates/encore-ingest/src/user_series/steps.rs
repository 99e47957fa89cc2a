//! The step of a series' dates (a number of days or of months) and the axis of its steps' dates.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

use super::DateStep;

impl DateStep {
    /// `1 day is missing`, `3 weeks are missing`, `1 quarter is missing`, `2 steps of 3 days are
    /// missing`.
    pub(super) fn missing_phrase(self, missing: usize) -> String {
        let (one, many) = match self {
            DateStep::Days(1) => ("day".to_string(), "days".to_string()),
            DateStep::Days(7) => ("week".to_string(), "weeks".to_string()),
            DateStep::Days(days) => (format!("step of {days} days"), format!("steps of {days} days")),
            DateStep::Months(1) => ("month".to_string(), "months".to_string()),
            DateStep::Months(3) => ("quarter".to_string(), "quarters".to_string()),
            DateStep::Months(12) => ("year".to_string(), "years".to_string()),
            DateStep::Months(months) => (format!("step of {months} months"), format!("steps of {months} months")),
        };
        if missing == 1 {
            format!("1 {one} is missing")
        } else {
            format!("{missing} {many} are missing")
        }
    }
}

/// The step of sorted distinct dates, counted in months when every date is on the same day of its
/// month (or every one on its month's last), else in days: the most common difference, or the
/// smallest when that divides every difference and the most common does not (a series with more
/// gaps than steps). A single date is taken as daily. On irregular dates, the index of the first
/// date not a whole number of steps after the one before it, and the step.
pub(super) fn infer_step(dates: &[NaiveDate]) -> Result<DateStep, (usize, DateStep)> {
    let Some((differences, in_months)) = differences_of(dates) else { return Ok(DateStep::Days(1)) };
    let most_common = most_common(&differences);
    let smallest = differences.iter().copied().min().unwrap_or(1);
    let divides_all = |step: i64| differences.iter().all(|difference| difference % step == 0);
    let count = if divides_all(most_common) || !divides_all(smallest) { most_common } else { smallest };
    let step = step_of(count, in_months);
    match differences.iter().position(|difference| difference % count != 0) {
        Some(at) => Err((at + 1, step)),
        None => Ok(step),
    }
}

/// The most common difference between sorted distinct dates, counted as [`infer_step`] counts
/// them: what one row stands for when each row is a step whatever its date.
pub(super) fn usual_step(dates: &[NaiveDate]) -> DateStep {
    differences_of(dates)
        .map_or(DateStep::Days(1), |(differences, in_months)| step_of(most_common(&differences), in_months))
}

/// The differences between consecutive dates (each at least 1), and whether they count months;
/// `None` for fewer than two dates.
fn differences_of(dates: &[NaiveDate]) -> Option<(Vec<i64>, bool)> {
    let first = dates.first()?;
    if dates.len() < 2 {
        return None;
    }
    let same_day = dates.iter().all(|date| date.day() == first.day());
    let in_months = same_day || dates.iter().all(|date| is_month_end(*date));
    let difference = |earlier: NaiveDate, later: NaiveDate| {
        let difference =
            if in_months { month_number(later) - month_number(earlier) } else { (later - earlier).num_days() };
        difference.max(1)
    };
    Some((dates.windows(2).map(|pair| difference(pair[0], pair[1])).collect(), in_months))
}

/// The most common of some differences, the smallest on a tie.
fn most_common(differences: &[i64]) -> i64 {
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for &difference in differences {
        *counts.entry(difference).or_default() += 1;
    }
    // The BTreeMap's order makes the smallest difference win a tie.
    counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map_or(1, |(count, _)| *count)
}

fn step_of(count: i64, in_months: bool) -> DateStep {
    let count = u32::try_from(count.max(1)).unwrap_or(u32::MAX);
    if in_months {
        DateStep::Months(count)
    } else {
        DateStep::Days(count)
    }
}

fn is_month_end(date: NaiveDate) -> bool {
    date.succ_opt().is_none_or(|next| next.month() != date.month())
}

/// The dates of a series, one per step: every date from the first to the last one step apart, or
/// the file's own dates when each row is a step.
pub(super) struct Axis {
    pub(super) dates: Vec<NaiveDate>,
    pub(super) step: DateStep,
}

impl Axis {
    /// Every date from the first of `distinct` to its last, `step` apart (`distinct` being a whole
    /// number of steps apart, as [`infer_step`] found them).
    pub(super) fn regular(distinct: &[NaiveDate], step: DateStep) -> Axis {
        let (Some(&first), Some(&last)) = (distinct.first(), distinct.last()) else {
            return Axis { dates: Vec::new(), step };
        };
        let dates = match step {
            DateStep::Days(days) => {
                let every = Duration::days(i64::from(days.max(1)));
                std::iter::successors(Some(first), |date| date.checked_add_signed(every).filter(|next| *next <= last))
                    .collect()
            }
            DateStep::Months(months) => {
                let month_end = distinct.iter().all(|date| is_month_end(*date));
                (month_number(first)..=month_number(last))
                    .step_by(usize::try_from(months.max(1)).unwrap_or(usize::MAX))
                    .filter_map(|number| in_month(number, first.day(), month_end))
                    .collect()
            }
        };
        Axis { dates, step }
    }

    /// The file's distinct dates as they are, each a step; `step` only describes them.
    pub(super) fn rows(distinct: Vec<NaiveDate>, step: DateStep) -> Axis {
        Axis { dates: distinct, step }
    }

    /// The position of a date on the axis (a date of the file, so exactly on a step).
    pub(super) fn index_of(&self, date: NaiveDate) -> usize {
        let index = self.dates.binary_search(&date).unwrap_or_else(|after| after);
        index.min(self.dates.len().saturating_sub(1))
    }
}

/// Months since year 0: consecutive months are consecutive numbers.
pub(super) fn month_number(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

/// The date of a month (`number` as [`month_number`] counts) on `day`, or its last day when
/// `month_end` or when the month is shorter.
fn in_month(number: i64, day: u32, month_end: bool) -> Option<NaiveDate> {
    let year = i32::try_from(number.div_euclid(12)).ok()?;
    let month = u32::try_from(number.rem_euclid(12)).ok()? + 1;
    let next_month_first =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
    let last = next_month_first?.pred_opt()?;
    if month_end {
        return Some(last);
    }
    NaiveDate::from_ymd_opt(year, month, day).or(Some(last))
}
