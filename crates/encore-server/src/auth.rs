//! Who may run SQL: a reader's token, the writer's token, or anyone when the operator chose
//! `--public-sql`. SQL is closed by default because one query can hold a core and memory for the
//! whole time limit.

use axum::http::{header, HeaderMap};

use crate::error::ServerError;
use crate::writes::constant_time_equal;
use crate::AppState;

/// Refuses the request unless SQL is public or it carries the read or the write bearer token.
pub fn authorize_sql(state: &AppState, headers: &HeaderMap) -> Result<(), ServerError> {
    if state.config.public_sql {
        return Ok(());
    }
    let accepted: Vec<&str> =
        [state.config.read_token.as_deref(), state.config.token.as_deref()].into_iter().flatten().collect();
    if accepted.is_empty() {
        return Err(ServerError::Unauthorized(
            "SQL is closed: the server was started without a read token (--read-token), a write token (--token) \
             or --public-sql"
                .to_string(),
        ));
    }
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    match presented {
        Some(token) if accepted.iter().any(|expected| constant_time_equal(token.as_bytes(), expected.as_bytes())) => {
            Ok(())
        }
        Some(_) => Err(ServerError::Unauthorized("the bearer token is wrong".to_string())),
        None => Err(ServerError::Unauthorized(
            "POST /api/sql needs `Authorization: Bearer <token>` (the read or the write token)".to_string(),
        )),
    }
}
