//! The OpenAPI 3 document of the API, hand-written beside this file (`openapi.json`) and served at
//! `/api/openapi.json`, with the list of ingest formats filled in from Encore's one table of
//! sources (`encore_ingest::SOURCES`). The integration tests check that it names every route.

use serde_json::Value;

const DOCUMENT: &str = include_str!("openapi.json");

/// The document as served: `openapi.json` with `POST /api/ingest`'s `format` values from the table.
pub fn document() -> Vec<u8> {
    let Ok(mut document) = serde_json::from_str::<Value>(DOCUMENT) else {
        // The file is checked by the tests; serve it as written rather than fail.
        return DOCUMENT.as_bytes().to_vec();
    };
    let names: Vec<Value> = encore_ingest::format_names().into_iter().map(Value::from).collect();
    let parameters = document.pointer_mut("/paths/~1api~1ingest/post/parameters").and_then(Value::as_array_mut);
    for parameter in parameters.into_iter().flatten() {
        if parameter.get("name").and_then(Value::as_str) == Some("format") {
            if let Some(schema) = parameter.get_mut("schema") {
                schema["enum"] = Value::Array(names.clone());
            }
        }
    }
    serde_json::to_vec_pretty(&document).unwrap_or_else(|_| DOCUMENT.as_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ingest_formats_are_the_table_s() {
        let document: Value = serde_json::from_slice(&document()).unwrap();
        let parameters = document.pointer("/paths/~1api~1ingest/post/parameters").unwrap().as_array().unwrap();
        let format = parameters.iter().find(|parameter| parameter["name"] == "format").unwrap();
        let listed: Vec<&str> = format["schema"]["enum"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        assert_eq!(listed, encore_ingest::format_names());
        assert!(listed.contains(&"korean-chart") && listed.contains(&"lastfm"));
        for name in ["chart", "columns"] {
            assert!(parameters.iter().any(|parameter| parameter["name"] == name), "{name}");
        }
    }
}
