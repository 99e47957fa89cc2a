//! A SQL answer as JSON, encoded row by row so that it stops at the byte cap and the deadline
//! instead of building the whole text (and a `serde_json::Value` of it) first.

use std::time::Instant;

use axum::body::Bytes;
use datafusion::arrow::json::LineDelimitedWriter;
use datafusion::arrow::record_batch::RecordBatch;
use serde_json::json;

use encore_store::{QueryAnswer, QueryCut, StoreError};

use crate::error::ServerError;

/// Rows encoded between two looks at the clock.
const ROWS_BETWEEN_CLOCK_CHECKS: usize = 256;

#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub max_rows: usize,
    pub max_bytes: usize,
    pub deadline: Instant,
    pub timeout_seconds: u64,
}

/// `{"columns", "row_count", "truncated", "truncated_by", "max_rows", "max_bytes", "rows"}`; an
/// answer whose first row alone passes the byte cap is refused with 413 naming the limit.
pub fn encode(answer: &QueryAnswer, bounds: Bounds) -> Result<Bytes, ServerError> {
    let too_large = || {
        ServerError::TooLarge(format!(
            "the answer passes the {} limit of an answer (--sql-max-bytes); select fewer or shorter columns",
            describe_bytes(bounds.max_bytes)
        ))
    };
    let mut rows: Vec<u8> = Vec::new();
    let mut row_count = 0usize;
    let mut cut_by_bytes = matches!(answer.cut, Some(QueryCut::Bytes(_)));
    'batches: for batch in &answer.batches {
        for row in 0..batch.num_rows() {
            if row_count.is_multiple_of(ROWS_BETWEEN_CLOCK_CHECKS) && Instant::now() > bounds.deadline {
                return Err(ServerError::Store(StoreError::Timeout { seconds: bounds.timeout_seconds }));
            }
            let encoded = encode_row(&batch.slice(row, 1))?;
            if rows.len() + encoded.len() + 1 > bounds.max_bytes {
                cut_by_bytes = true;
                break 'batches;
            }
            if row_count > 0 {
                rows.push(b',');
            }
            rows.extend_from_slice(&encoded);
            row_count += 1;
        }
    }
    if cut_by_bytes && row_count == 0 {
        return Err(too_large());
    }
    let truncated_by = if cut_by_bytes {
        Some("max_bytes")
    } else if matches!(answer.cut, Some(QueryCut::Rows(_))) {
        Some("max_rows")
    } else {
        None
    };
    let columns: Vec<String> = answer
        .batches
        .first()
        .map(|batch| batch.schema().fields().iter().map(|field| field.name().clone()).collect())
        .unwrap_or_default();
    // Everything but the rows, which are spliced in as encoded.
    let head = json!({
        "columns": columns,
        "row_count": row_count,
        "truncated": truncated_by.is_some(),
        "truncated_by": truncated_by,
        "max_rows": bounds.max_rows,
        "max_bytes": bounds.max_bytes,
    });
    let mut body = serde_json::to_vec(&head)?;
    body.pop(); // the closing brace
    body.extend_from_slice(b",\"rows\":[");
    body.extend_from_slice(&rows);
    body.extend_from_slice(b"]}");
    Ok(Bytes::from(body))
}

/// One row as a JSON object, without the line break.
fn encode_row(row: &RecordBatch) -> Result<Vec<u8>, ServerError> {
    let mut writer = LineDelimitedWriter::new(Vec::new());
    writer
        .write(row)
        .and_then(|()| writer.finish())
        .map_err(|error| ServerError::Internal(format!("cannot encode the query result: {error}")))?;
    let mut bytes = writer.into_inner();
    while bytes.last() == Some(&b'\n') {
        bytes.pop();
    }
    Ok(bytes)
}

fn describe_bytes(bytes: usize) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// Record batches as JSON objects, one per row, keyed by column name (for answers the server
/// computes itself, not bounded).
pub fn batches_to_rows(batches: &[RecordBatch]) -> Result<Vec<serde_json::Value>, ServerError> {
    let mut writer = datafusion::arrow::json::ArrayWriter::new(Vec::new());
    let references: Vec<&RecordBatch> = batches.iter().collect();
    writer
        .write_batches(&references)
        .and_then(|()| writer.finish())
        .map_err(|error| ServerError::Internal(format!("cannot encode the query result: {error}")))?;
    let bytes = writer.into_inner();
    if bytes.is_empty() {
        return Ok(Vec::new());
    }
    Ok(serde_json::from_slice(&bytes)?)
}
