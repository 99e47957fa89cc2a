//! Who may do what: writes need the write token; SQL needs a reader's token or the writer's, or
//! nothing when the operator chose `--public-sql`. SQL is closed by default because one query can
//! hold a core and memory for the whole time limit.

use axum::http::{header, HeaderMap};

use crate::error::ServerError;
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
    check_bearer(
        headers,
        &accepted,
        "POST /api/sql needs `Authorization: Bearer <token>` (the read or the write token)",
    )
}

/// Refuses the request unless it carries `Authorization: Bearer <the configured write token>`.
pub fn authorize_write(state: &AppState, headers: &HeaderMap) -> Result<(), ServerError> {
    let Some(expected) = state.config.token.as_deref() else {
        return Err(ServerError::Unauthorized(
            "writes are disabled: the server was started without a token (--token or ENCORE_TOKEN)".to_string(),
        ));
    };
    check_bearer(headers, &[expected], "this endpoint needs `Authorization: Bearer <token>`")
}

/// Accepts the request when its bearer token is one of `accepted`.
fn check_bearer(headers: &HeaderMap, accepted: &[&str], when_missing: &str) -> Result<(), ServerError> {
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
        None => Err(ServerError::Unauthorized(when_missing.to_string())),
    }
}

/// Compares without stopping at the first difference, so timing does not leak the token.
fn constant_time_equal(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len() && left.iter().zip(right).fold(0u8, |difference, (a, b)| difference | (a ^ b)) == 0
}
