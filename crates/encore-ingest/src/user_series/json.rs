//! A JSON series as a table: records, a list of numbers, columns side by side, or an object of
//! units.

use serde_json::Value;

use super::columns::{name_matches, DATE_NAMES, VALUE_NAMES};
use super::table::{Row, Table};
use super::{Place, SeriesError};

/// A JSON value as a table: records (their keys the header), numbers, columns, or units.
pub(super) fn json_table(value: &Value, file: &str) -> Result<Table, SeriesError> {
    let shape_error =
        |place: Option<Place>, reason: String| SeriesError::JsonShape { file: file.to_string(), place, reason };
    let mut table = Table {
        header: Vec::new(),
        header_place: None,
        rows: Vec::new(),
        decimal_comma: false,
        fixed_unit: None,
        opening: String::new(),
    };
    match value {
        Value::Array(items) => add_json_items(&mut table, items, None, file)?,
        Value::Object(object) => {
            let is_columns = object.keys().any(|key| name_matches(key, DATE_NAMES) || name_matches(key, VALUE_NAMES));
            if is_columns {
                add_json_columns(&mut table, object, file)?;
            } else {
                table.header.push("unit".to_string());
                table.fixed_unit = Some(0);
                for (unit, items) in object {
                    let Value::Array(items) = items else {
                        return Err(shape_error(None, format!("`{unit}` holds {}, not a list", kind_of(items))));
                    };
                    add_json_items(&mut table, items, Some(unit), file)?;
                }
            }
        }
        other => return Err(shape_error(None, format!("the series is {}", kind_of(other)))),
    }
    if table.rows.is_empty() {
        // Only an empty list or object gets here: its text is short.
        table.opening = serde_json::to_string(value).unwrap_or_default();
    }
    Ok(table)
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A scalar as the text a CSV cell would hold; `None` for a list or an object.
fn json_cell(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some(String::new()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Number(number) => Some(number.to_string()),
        Value::String(text) => Some(text.trim().to_string()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// A list's items as rows: records by their keys, scalars under `value`; `unit` fills the fixed
/// unit column (column 0) of an object of units.
fn add_json_items(table: &mut Table, items: &[Value], unit: Option<&String>, file: &str) -> Result<(), SeriesError> {
    for (index, item) in items.iter().enumerate() {
        let place = Place::Item { index: index + 1, unit: unit.cloned() };
        let shape_error =
            |reason: String| SeriesError::JsonShape { file: file.to_string(), place: Some(place.clone()), reason };
        let mut cells = vec![String::new(); table.header.len()];
        let set = |table: &mut Table, cells: &mut Vec<String>, key: &str, text: String| {
            let column = table.header.iter().position(|name| name == key).unwrap_or_else(|| {
                table.header.push(key.to_string());
                table.header.len() - 1
            });
            cells.resize(table.header.len(), String::new());
            cells[column] = text;
        };
        if let Some(unit) = unit {
            cells[0] = unit.clone();
        }
        match item {
            Value::Object(record) => {
                for (key, field) in record {
                    let text =
                        json_cell(field).ok_or_else(|| shape_error(format!("`{key}` holds {}", kind_of(field))))?;
                    set(table, &mut cells, key, text);
                }
            }
            scalar => {
                let text =
                    json_cell(scalar).ok_or_else(|| shape_error(format!("{} in a list of values", kind_of(scalar))))?;
                set(table, &mut cells, "value", text);
            }
        }
        table.rows.push(Row { place, cells });
    }
    Ok(())
}

/// `{"dates": […], "values": […], "name": "…"}`: lists of the same length side by side; a string
/// under `name` or `unit` names the series.
fn add_json_columns(table: &mut Table, object: &serde_json::Map<String, Value>, file: &str) -> Result<(), SeriesError> {
    let mut columns: Vec<(&String, &Vec<Value>)> = Vec::new();
    let mut name = None;
    for (key, value) in object {
        match value {
            Value::Array(items) => columns.push((key, items)),
            Value::String(text) if matches!(key.to_lowercase().as_str(), "name" | "unit") => name = Some(text.clone()),
            // Metadata beside the lists (`"source": "youtube"`) is not the series.
            _ if !name_matches(key, DATE_NAMES) && !name_matches(key, VALUE_NAMES) => {}
            other => {
                let reason = format!("`{key}` holds {}, not a list", kind_of(other));
                return Err(SeriesError::JsonShape { file: file.to_string(), place: None, reason });
            }
        }
    }
    let length = columns.first().map_or(0, |(_, items)| items.len());
    if let Some((key, items)) = columns.iter().find(|(_, items)| items.len() != length) {
        let (first_key, _) = columns[0];
        let reason = format!("`{key}` has {} items and `{first_key}` {length}", items.len());
        return Err(SeriesError::JsonShape { file: file.to_string(), place: None, reason });
    }
    if let Some(name) = name {
        table.header.push("unit".to_string());
        table.fixed_unit = Some(0);
        for index in 0..length {
            table.rows.push(Row { place: Place::Item { index: index + 1, unit: None }, cells: vec![name.clone()] });
        }
    } else {
        table.rows = (0..length)
            .map(|index| Row { place: Place::Item { index: index + 1, unit: None }, cells: vec![] })
            .collect();
    }
    for (key, items) in columns {
        table.header.push(key.clone());
        for (index, (row, item)) in table.rows.iter_mut().zip(items).enumerate() {
            let text = json_cell(item).ok_or_else(|| SeriesError::JsonShape {
                file: file.to_string(),
                place: Some(Place::Item { index: index + 1, unit: None }),
                reason: format!("`{key}` holds {}", kind_of(item)),
            })?;
            row.cells.push(text);
        }
    }
    Ok(())
}
