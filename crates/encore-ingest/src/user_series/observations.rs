//! The table's cells as observations (a unit, maybe a date, a reading), every bad value reported at
//! once; a series without dates.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::cells::{parse_date, read_number, Reading};
use super::columns::layout_of;
use super::table::{cell, Table};
use super::{BadCell, GapPolicy, Place, SeriesError, SeriesOptions, Spacing, UnitSeries, UserSeries};

/// How many bad cells one error lists, so the user can fix them at once without a wall of text.
const BAD_CELLS_SHOWN: usize = 10;

/// One value cell of one unit.
pub(super) struct Observation {
    pub(super) unit: usize,
    pub(super) date: Option<NaiveDate>,
    pub(super) reading: Reading,
    pub(super) place: Place,
    pub(super) column: usize,
}

pub(super) fn series_of_table(table: &Table, file: &str, options: &SeriesOptions) -> Result<UserSeries, SeriesError> {
    if table.rows.is_empty() {
        let after = match &table.header_place {
            Some(place) => format!(" after the header on {place} ({})", table.headers_text()),
            None => String::new(),
        };
        return Err(SeriesError::NoRows { file: file.to_string(), after, seen: table.opening.clone() });
    }
    let layout = layout_of(table, file, options)?;
    let mut unit_names: Vec<String> = Vec::new();
    let mut unit_index: HashMap<String, usize> = HashMap::new();
    if layout.unit.is_none() {
        unit_names = layout.values.iter().map(|&column| table.column_name(column)).collect();
    }
    let mut observations = Vec::with_capacity(table.rows.len() * layout.values.len());
    for row in &table.rows {
        let date = match layout.date {
            None => None,
            Some(column) => {
                let text = cell(row, column);
                let date = parse_date(text).ok_or_else(|| SeriesError::BadDate {
                    file: file.to_string(),
                    place: row.place.clone(),
                    column: table.column_name(column),
                    text: text.to_string(),
                })?;
                Some(date)
            }
        };
        for (position, &column) in layout.values.iter().enumerate() {
            let unit = match layout.unit {
                None => position,
                Some(unit_column) => {
                    let name = cell(row, unit_column);
                    if name.is_empty() {
                        let column = table.column_name(unit_column);
                        return Err(SeriesError::EmptyUnit {
                            file: file.to_string(),
                            place: row.place.clone(),
                            column,
                        });
                    }
                    *unit_index.entry(name.to_string()).or_insert_with(|| {
                        unit_names.push(name.to_string());
                        unit_names.len() - 1
                    })
                }
            };
            let reading = read_number(cell(row, column), table.decimal_comma);
            observations.push(Observation { unit, date, reading, place: row.place.clone(), column });
        }
    }
    let context = Context {
        file,
        table,
        date_column: layout.date,
        policy: options.gaps,
        spacing: options.spacing,
        max_cells: options.max_cells,
        name_units: layout.unit.is_some() && unit_names.len() > 1,
    };
    context.check_readings(&observations)?;
    if layout.date.is_none() {
        return context.positional(unit_names, &observations);
    }
    context.dated(unit_names, &observations)
}

pub(super) struct Context<'a> {
    pub(super) file: &'a str,
    pub(super) table: &'a Table,
    pub(super) date_column: Option<usize>,
    pub(super) policy: GapPolicy,
    pub(super) spacing: Spacing,
    /// The most steps × units the read may make.
    pub(super) max_cells: Option<usize>,
    /// Whether messages name the unit: a long panel's rows are per unit, a wide panel's shared.
    pub(super) name_units: bool,
}

impl Context<'_> {
    pub(super) fn date_column_name(&self) -> String {
        self.date_column.map(|column| self.table.column_name(column)).unwrap_or_default()
    }

    /// Whether a missing step or an empty cell of a dated series is filled in: only when asked,
    /// and never when each row is a step.
    pub(super) fn may_fill(&self) -> bool {
        self.spacing == Spacing::Regular && self.policy != GapPolicy::Refuse
    }

    pub(super) fn unit_for_message(&self, names: &[String], unit: usize) -> Option<String> {
        self.name_units.then(|| names[unit].clone())
    }

    /// Every value that is not a number, and every empty one nothing may fill, reported at once.
    pub(super) fn check_readings(&self, observations: &[Observation]) -> Result<(), SeriesError> {
        let bad_cell = |observation: &Observation, text: &str| BadCell {
            place: observation.place.clone(),
            column: self.table.column_name(observation.column),
            text: text.to_string(),
        };
        let not_numbers: Vec<&Observation> =
            observations.iter().filter(|observation| matches!(observation.reading, Reading::NotANumber(_))).collect();
        if !not_numbers.is_empty() {
            let cells = not_numbers
                .iter()
                .take(BAD_CELLS_SHOWN)
                .map(|observation| match &observation.reading {
                    Reading::NotANumber(text) => bad_cell(observation, text),
                    _ => bad_cell(observation, ""),
                })
                .collect();
            return Err(SeriesError::NotNumbers { file: self.file.to_string(), cells, total: not_numbers.len() });
        }
        if self.date_column.is_some() && self.may_fill() {
            return Ok(());
        }
        let empty: Vec<&Observation> =
            observations.iter().filter(|observation| observation.reading == Reading::Empty).collect();
        if empty.is_empty() {
            return Ok(());
        }
        let cells = empty.iter().take(BAD_CELLS_SHOWN).map(|observation| bad_cell(observation, "")).collect();
        let can_fill = self.date_column.is_some() && self.spacing == Spacing::Regular;
        Err(SeriesError::EmptyValues { file: self.file.to_string(), cells, total: empty.len(), can_fill })
    }

    /// Units without dates: their values in file order, all as many.
    pub(super) fn positional(
        &self,
        unit_names: Vec<String>,
        observations: &[Observation],
    ) -> Result<UserSeries, SeriesError> {
        let mut units: Vec<UnitSeries> =
            unit_names.into_iter().map(|name| UnitSeries { name, values: Vec::new() }).collect();
        for observation in observations {
            if let Reading::Number(value) = observation.reading {
                units[observation.unit].values.push(value);
            }
        }
        if let Some(uneven) = units.iter().find(|unit| unit.values.len() != units[0].values.len()) {
            return Err(SeriesError::UnequalLengths {
                file: self.file.to_string(),
                unit: uneven.name.clone(),
                length: uneven.values.len(),
                other_unit: units[0].name.clone(),
                other_length: units[0].values.len(),
            });
        }
        Ok(UserSeries { file: self.file.to_string(), dates: None, step: None, units, filled_gaps: Vec::new() })
    }
}
