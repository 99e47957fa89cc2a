//! Dated observations on one axis: each unit's dates in order, the step inferred, gaps refused or
//! filled by the [`GapPolicy`] and every fill reported; or, under [`Spacing::Rows`], each row a
//! step on the file's own dates.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::cells::Reading;
use super::observations::{Context, Observation};
use super::steps::{infer_step, usual_step, Axis};
use super::{DatePair, FilledGap, GapPolicy, Place, SeriesError, Spacing, UnitSeries, UserSeries};

/// Two dates of a unit (or of the file) more than a step apart: their places on the axis and in
/// the file.
struct Around<'a> {
    previous_index: usize,
    previous_place: &'a Place,
    index: usize,
    place: &'a Place,
}

impl Context<'_> {
    pub(super) fn dated(
        &self,
        unit_names: Vec<String>,
        observations: &[Observation],
    ) -> Result<UserSeries, SeriesError> {
        self.check_order(&unit_names, observations)?;
        // Each date where the file first has it, for messages about the spacing of dates.
        let mut first_places: BTreeMap<NaiveDate, &Place> = BTreeMap::new();
        for observation in observations {
            if let Some(date) = observation.date {
                first_places.entry(date).or_insert(&observation.place);
            }
        }
        let axis = self.axis(&first_places)?;
        let cells = axis.dates.len().saturating_mul(unit_names.len());
        if let Some(max) = self.max_cells.filter(|max| cells > *max) {
            let (steps, units) = (axis.dates.len(), unit_names.len());
            return Err(SeriesError::TooLarge { file: self.file.to_string(), steps, units, cells, max });
        }
        // A gap is refused where it is found, so that the message names the rows around it.
        let refuse_gaps = self.spacing == Spacing::Regular && self.policy == GapPolicy::Refuse;
        let mut slots: Vec<Vec<Option<f64>>> = vec![vec![None; axis.dates.len()]; unit_names.len()];
        let mut slot_places: Vec<Vec<Option<&Place>>> = vec![vec![None; axis.dates.len()]; unit_names.len()];
        let mut last_seen: Vec<Option<(usize, &Place)>> = vec![None; unit_names.len()];
        for observation in observations {
            let Some(date) = observation.date else { continue };
            let index = axis.index_of(date);
            if refuse_gaps {
                if let Some((previous_index, previous_place)) = last_seen[observation.unit] {
                    if index > previous_index + 1 {
                        let unit = self.unit_for_message(&unit_names, observation.unit);
                        let around = Around { previous_index, previous_place, index, place: &observation.place };
                        return Err(self.gap_error(unit, &axis, around));
                    }
                }
            }
            last_seen[observation.unit] = Some((index, &observation.place));
            slot_places[observation.unit][index] = Some(&observation.place);
            if let Reading::Number(value) = observation.reading {
                slots[observation.unit][index] = Some(value);
            }
        }
        if refuse_gaps && axis.dates.len() > first_places.len() {
            // Every unit is whole but the file as a whole skips dates: one unit ends before
            // another starts.
            let consecutive = first_places.iter().zip(first_places.iter().skip(1));
            for ((previous_date, previous_place), (date, place)) in consecutive {
                let (previous_index, index) = (axis.index_of(*previous_date), axis.index_of(*date));
                if index > previous_index + 1 {
                    return Err(self.gap_error(None, &axis, Around { previous_index, previous_place, index, place }));
                }
            }
        }
        let mut units = Vec::with_capacity(unit_names.len());
        let mut filled_gaps = Vec::new();
        for (unit, values) in slots.into_iter().enumerate() {
            let name = &unit_names[unit];
            if !self.may_fill() {
                if let Some(missing) = values.iter().position(Option::is_none) {
                    return Err(self.unit_missing(&unit_names, unit, &slot_places, &axis, missing));
                }
            }
            let filled = self.fill(name, values, &axis.dates, &mut filled_gaps)?;
            units.push(UnitSeries { name: name.clone(), values: filled });
        }
        let step = Some(axis.step);
        Ok(UserSeries { file: self.file.to_string(), dates: Some(axis.dates), step, units, filled_gaps })
    }

    /// The steps' dates: evenly spaced by the step the file's distinct dates show (irregular dates
    /// are an error), or those dates themselves when each row is a step.
    fn axis(&self, first_places: &BTreeMap<NaiveDate, &Place>) -> Result<Axis, SeriesError> {
        let distinct: Vec<NaiveDate> = first_places.keys().copied().collect();
        if self.spacing == Spacing::Rows {
            let step = usual_step(&distinct);
            return Ok(Axis::rows(distinct, step));
        }
        let step = infer_step(&distinct).map_err(|(at, step)| {
            let (previous, date) = (distinct[at - 1], distinct[at]);
            let dates = self.date_pair(None, (first_places[&date], date), (first_places[&previous], previous));
            SeriesError::Irregular { file: self.file.to_string(), dates, step }
        })?;
        Ok(Axis::regular(&distinct, step))
    }

    /// A unit without a value at step `missing`, which another unit has (every step is some unit's:
    /// the file's gaps were refused, or each of its rows is a step).
    fn unit_missing(
        &self,
        unit_names: &[String],
        unit: usize,
        slot_places: &[Vec<Option<&Place>>],
        axis: &Axis,
        missing: usize,
    ) -> SeriesError {
        let (other_unit, other_place) = (0..unit_names.len())
            .find_map(|other| slot_places[other][missing].map(|place| (other, place)))
            .map_or((unit, Place::Line(0)), |(other, place)| (other, place.clone()));
        SeriesError::UnitMissing {
            file: self.file.to_string(),
            unit: unit_names[unit].clone(),
            date: axis.dates[missing],
            other_unit: unit_names[other_unit].clone(),
            other_place,
            can_fill: self.spacing == Spacing::Regular,
        }
    }

    /// Each unit's dates ascend: no date before the one above it, none twice.
    fn check_order(&self, unit_names: &[String], observations: &[Observation]) -> Result<(), SeriesError> {
        let mut previous_of_unit: Vec<Option<&Observation>> = vec![None; unit_names.len()];
        for observation in observations {
            let (Some(date), Some(previous)) = (observation.date, previous_of_unit[observation.unit]) else {
                previous_of_unit[observation.unit] = Some(observation);
                continue;
            };
            let previous_date = previous.date.unwrap_or(date);
            if date <= previous_date {
                let unit = self.unit_for_message(unit_names, observation.unit);
                let dates = self.date_pair(unit, (&observation.place, date), (&previous.place, previous_date));
                let file = self.file.to_string();
                return Err(if date < previous_date {
                    SeriesError::Unsorted { file, dates }
                } else {
                    SeriesError::DuplicateDate { file, dates }
                });
            }
            previous_of_unit[observation.unit] = Some(observation);
        }
        Ok(())
    }

    fn gap_error(&self, unit: Option<String>, axis: &Axis, around: Around<'_>) -> SeriesError {
        let Around { previous_index, previous_place, index, place } = around;
        let (date, previous) = (axis.dates[index], axis.dates[previous_index]);
        SeriesError::Gap {
            file: self.file.to_string(),
            dates: self.date_pair(unit, (place, date), (previous_place, previous)),
            step: axis.step,
            missing: index - previous_index - 1,
            missing_from: axis.dates[previous_index + 1],
            missing_to: axis.dates[index - 1],
        }
    }

    fn date_pair(
        &self,
        unit: Option<String>,
        (place, date): (&Place, NaiveDate),
        (previous_place, previous): (&Place, NaiveDate),
    ) -> Box<DatePair> {
        Box::new(DatePair {
            place: place.clone(),
            column: self.date_column_name(),
            unit,
            date,
            previous,
            previous_place: previous_place.clone(),
        })
    }

    /// The unit's values with every run of missing steps filled by the policy and reported.
    fn fill(
        &self,
        unit: &str,
        values: Vec<Option<f64>>,
        dates: &[NaiveDate],
        filled_gaps: &mut Vec<FilledGap>,
    ) -> Result<Vec<f64>, SeriesError> {
        let mut filled: Vec<f64> = Vec::with_capacity(values.len());
        let mut index = 0;
        while index < values.len() {
            if let Some(value) = values[index] {
                filled.push(value);
                index += 1;
                continue;
            }
            let end = values[index..].iter().position(Option::is_some).map_or(values.len(), |offset| index + offset);
            let (before, after) = (index.checked_sub(1).and_then(|at| values[at]), values.get(end).copied().flatten());
            match (self.policy, before, after) {
                (GapPolicy::Linear, Some(before), Some(after)) => {
                    let span = (end - index + 1) as f64;
                    for offset in 1..=end - index {
                        filled.push(before + (after - before) * offset as f64 / span);
                    }
                }
                (GapPolicy::Linear, _, _) => {
                    return Err(SeriesError::CannotInterpolate {
                        file: self.file.to_string(),
                        unit: unit.to_string(),
                        from: dates[index],
                        to: dates[end - 1],
                    })
                }
                _ => filled.extend(std::iter::repeat_n(0.0, end - index)),
            }
            filled_gaps.push(FilledGap {
                unit: unit.to_string(),
                from: dates[index],
                to: dates[end - 1],
                missing: end - index,
            });
            index = end;
        }
        Ok(filled)
    }
}
