//! The dashboard's files, embedded in the binary so that it needs no files at run time and no
//! network: the page, its script and style, and the vendored charting library (uPlot).

use axum::extract::Path;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::error::ServerError;

/// Name, content type and bytes of each file under `/assets/`.
const ASSETS: [(&str, &str, &[u8]); 12] = [
    ("analyze.js", "text/javascript; charset=utf-8", include_bytes!("../web/analyze.js")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../web/app.js")),
    ("checklist.js", "text/javascript; charset=utf-8", include_bytes!("../web/checklist.js")),
    ("charts.js", "text/javascript; charset=utf-8", include_bytes!("../web/charts.js")),
    ("format.js", "text/javascript; charset=utf-8", include_bytes!("../web/format.js")),
    ("listeners.js", "text/javascript; charset=utf-8", include_bytes!("../web/listeners.js")),
    ("listener_charts.js", "text/javascript; charset=utf-8", include_bytes!("../web/listener_charts.js")),
    ("lyrics.js", "text/javascript; charset=utf-8", include_bytes!("../web/lyrics.js")),
    ("recommend.js", "text/javascript; charset=utf-8", include_bytes!("../web/recommend.js")),
    ("style.css", "text/css; charset=utf-8", include_bytes!("../web/style.css")),
    ("uPlot.iife.min.js", "text/javascript; charset=utf-8", include_bytes!("../web/vendor/uPlot.iife.min.js")),
    ("uPlot.min.css", "text/css; charset=utf-8", include_bytes!("../web/vendor/uPlot.min.css")),
];

const INDEX_HTML: &str = include_str!("../web/index.html");

pub async fn index() -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"))], INDEX_HTML).into_response()
}

pub async fn asset(Path(file): Path<String>) -> Result<Response, ServerError> {
    let (_, content_type, bytes) = ASSETS
        .iter()
        .find(|(name, _, _)| *name == file)
        .ok_or_else(|| ServerError::NotFound(format!("no dashboard file `{file}`")))?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300")),
        ],
        *bytes,
    )
        .into_response())
}
