//! The OpenAPI 3 document of the API, hand-written beside this file (`openapi.json`) and served at
//! `/api/openapi.json`. The integration tests check that it names every route.

pub const DOCUMENT: &str = include_str!("openapi.json");
