//! The one error type of the server and its one mapping to an HTTP status and a JSON body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use encore_ingest::IngestError;
use encore_listeners::ListenersError;
use encore_pipeline::{Fault, PipelineError};
use encore_recommend::RecommendError;
use encore_store::StoreError;

/// Why a request failed, by whose fault: the client's (4xx) or ours and the machine's (5xx).
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The client's: no song, drama or route by that name.
    #[error("{0}")]
    NotFound(String),
    /// The client's: a malformed request (bad JSON, bad SQL, a file that loads nothing).
    #[error("{0}")]
    BadRequest(String),
    /// The client's: a route asked with a method it does not take (`POST /api/status`).
    #[error("{0}")]
    MethodNotAllowed(String),
    /// The client's: a write without the right bearer token, or on a server that has none.
    #[error("{0}")]
    Unauthorized(String),
    /// The client's: a request body or a query answer larger than its limit, which the message names.
    #[error("{0}")]
    TooLarge(String),
    /// The client's: an upload that did not arrive within its time limit, which the message names.
    #[error("{0}")]
    TooSlow(String),
    /// The client's (bad query) or ours (engine failure), as the store tells.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The client's (bad file) or the machine's (unreadable catalog), as the reader tells.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The client's (a file of which nothing loads) or ours and the machine's, as the pipeline tells.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    /// The client's (an unknown time zone, song or drama) or ours and the machine's (the engine), as
    /// the listener analysis tells.
    #[error(transparent)]
    Listeners(#[from] ListenersError),
    /// The client's (an unknown listener or seed, a store without listens to learn from) or ours
    /// and the machine's (the engine), as the recommender tells.
    #[error(transparent)]
    Recommend(#[from] RecommendError),
    /// Outside failure: the socket could not be bound or served.
    #[error("cannot serve on {address}: {source}")]
    Bind { address: String, source: std::io::Error },
    /// Our bug: a blocking task panicked or a response could not be encoded.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServerError {
    /// A song id the catalog lacks, in the one wording every endpoint uses.
    pub fn no_song(id: &str) -> ServerError {
        ServerError::NotFound(format!("no song `{id}` in the catalog"))
    }

    /// A drama id the catalog lacks.
    pub fn no_drama(id: &str) -> ServerError {
        ServerError::NotFound(format!("no drama `{id}` in the catalog"))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ServerError::NotFound(_) => StatusCode::NOT_FOUND,
            ServerError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ServerError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ServerError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ServerError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ServerError::TooSlow(_) => StatusCode::REQUEST_TIMEOUT,
            ServerError::Store(StoreError::MemoryLimit { .. }) => StatusCode::PAYLOAD_TOO_LARGE,
            ServerError::Store(StoreError::Timeout { .. }) => StatusCode::REQUEST_TIMEOUT,
            // Another writer (a command-line ingest, say) held the store past the wait: try again.
            ServerError::Store(StoreError::Busy { .. })
            | ServerError::Pipeline(PipelineError::Store(StoreError::Busy { .. })) => StatusCode::SERVICE_UNAVAILABLE,
            ServerError::Store(error) if error.is_user_error() => StatusCode::BAD_REQUEST,
            ServerError::Ingest(IngestError::Io { .. }) => StatusCode::INTERNAL_SERVER_ERROR,
            ServerError::Ingest(_) => StatusCode::BAD_REQUEST,
            ServerError::Pipeline(error) if error.fault() == Fault::Input => StatusCode::BAD_REQUEST,
            ServerError::Pipeline(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ServerError::Listeners(ListenersError::NotInCatalog { .. }) => StatusCode::NOT_FOUND,
            ServerError::Listeners(error) if error.is_bad_input() => StatusCode::BAD_REQUEST,
            ServerError::Listeners(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ServerError::Recommend(RecommendError::UnknownUser(_) | RecommendError::UnknownSeed(_)) => {
                StatusCode::NOT_FOUND
            }
            // Nothing to learn from until a listening log is ingested: the store's state, not the request.
            ServerError::Recommend(RecommendError::NoPlays) => StatusCode::CONFLICT,
            ServerError::Recommend(error) if error.is_bad_input() => StatusCode::BAD_REQUEST,
            ServerError::Recommend(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ServerError::Store(_) | ServerError::Bind { .. } | ServerError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }
}

impl From<tokio::task::JoinError> for ServerError {
    fn from(error: tokio::task::JoinError) -> ServerError {
        ServerError::Internal(format!("a background task failed: {error}"))
    }
}

impl From<serde_json::Error> for ServerError {
    fn from(error: serde_json::Error) -> ServerError {
        ServerError::Internal(format!("cannot encode JSON: {error}"))
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, status = status.as_u16(), "request failed");
        }
        let mut response = (status, Json(serde_json::json!({ "error": self.to_string() }))).into_response();
        if status == StatusCode::UNAUTHORIZED {
            if let Ok(value) = "Bearer".parse() {
                response.headers_mut().insert(axum::http::header::WWW_AUTHENTICATE, value);
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn a_store_busy_with_another_writer_is_a_503_to_retry_for_sql_and_uploads_alike() {
        let busy = || StoreError::Busy { path: PathBuf::from("store"), holder: "pid 1".into(), waited_seconds: 300 };
        assert_eq!(ServerError::Store(busy()).status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(ServerError::Pipeline(PipelineError::Store(busy())).status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(ServerError::BadRequest("x".into()).status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn a_listener_question_about_nothing_is_404_and_a_bad_zone_400() {
        let unknown = ListenersError::NotInCatalog { what: "song", id: "nothing".into() };
        assert_eq!(ServerError::Listeners(unknown).status(), StatusCode::NOT_FOUND);
        let zone = ListenersError::UnknownZone { given: "Mars/Olympus".into() };
        assert_eq!(ServerError::Listeners(zone).status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn an_unknown_listener_or_seed_is_404_and_a_store_without_listens_409() {
        let status = |error: RecommendError| ServerError::Recommend(error).status();
        assert_eq!(status(RecommendError::UnknownUser("nobody".into())), StatusCode::NOT_FOUND);
        assert_eq!(status(RecommendError::UnknownSeed("nothing".into())), StatusCode::NOT_FOUND);
        assert_eq!(status(RecommendError::NoPlays), StatusCode::CONFLICT);
    }
}
