//! Read-only SQL over the store: every dataset a table (charts and non-chart datasets empty when not
//! held yet), plus the view `chart_entries` over all charts.

use std::sync::Arc;
use std::time::Duration;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::arrow::util::pretty::pretty_format_batches;
use datafusion::datasource::MemTable;
use datafusion::error::DataFusionError;
use datafusion::execution::context::SQLOptions;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use futures::StreamExt;

use encore_domain::ChartKind;

use crate::error::StoreError;
use crate::schema::chart_schema;
use crate::series_schema::SERIES_DATASETS;
use crate::Store;

/// Bounds on one query, so that a careless query cannot hold the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryLimits {
    pub max_rows: Option<usize>,
    pub timeout: Option<Duration>,
}

impl QueryLimits {
    pub fn unbounded() -> QueryLimits {
        QueryLimits { max_rows: None, timeout: None }
    }
}

/// A session with every dataset registered.
pub async fn session(store: &Store) -> Result<SessionContext, StoreError> {
    // The information schema makes `SHOW TABLES` and `SHOW COLUMNS` work.
    let context = SessionContext::new_with_config(SessionConfig::new().with_information_schema(true));
    let manifest = store.manifest()?;
    for (name, dataset) in &manifest.datasets {
        let paths: Vec<String> =
            dataset.parts.iter().map(|part| store.root().join(&part.file).display().to_string()).collect();
        if paths.is_empty() {
            continue;
        }
        let frame = context.read_parquet(paths, ParquetReadOptions::default()).await?;
        context.register_table(name.as_str(), frame.into_view())?;
    }
    for (name, schema) in SERIES_DATASETS {
        if manifest.dataset(name).is_none_or(|dataset| dataset.parts.is_empty()) {
            context.register_table(name, Arc::new(MemTable::try_new(schema(), vec![vec![]])?))?;
        }
    }
    let mut chart_selects = Vec::new();
    for chart in ChartKind::ALL {
        if manifest.dataset(chart.dataset()).is_none_or(|dataset| dataset.parts.is_empty()) {
            let empty = MemTable::try_new(chart_schema(), vec![vec![]])?;
            context.register_table(chart.dataset(), Arc::new(empty))?;
        }
        chart_selects.push(format!("SELECT * FROM {}", chart.dataset()));
    }
    context.sql(&format!("CREATE VIEW chart_entries AS {}", chart_selects.join(" UNION ALL "))).await?;
    Ok(context)
}

pub async fn run(store: &Store, query: &str, limits: QueryLimits) -> Result<Vec<RecordBatch>, StoreError> {
    let context = session(store).await?;
    let read_only = SQLOptions::new().with_allow_ddl(false).with_allow_dml(false).with_allow_statements(false);
    let work = async {
        let frame = context.sql_with_options(query, read_only).await.map_err(|error| explain(&context, error))?;
        // An empty answer still has its columns.
        let schema = Arc::new(frame.schema().as_arrow().clone());
        let mut stream = frame.execute_stream().await.map_err(classify)?;
        let mut batches = Vec::new();
        let mut rows = 0usize;
        while let Some(batch) = stream.next().await {
            let batch = batch.map_err(classify)?;
            match limits.max_rows {
                Some(max_rows) if rows + batch.num_rows() >= max_rows => {
                    batches.push(batch.slice(0, max_rows - rows));
                    break;
                }
                _ => {
                    rows += batch.num_rows();
                    batches.push(batch);
                }
            }
        }
        if batches.is_empty() {
            batches.push(RecordBatch::new_empty(schema));
        }
        Ok(batches)
    };
    match limits.timeout {
        Some(timeout) => {
            tokio::time::timeout(timeout, work).await.unwrap_or(Err(StoreError::Timeout { seconds: timeout.as_secs() }))
        }
        None => work.await,
    }
}

/// The error, and for a table that does not exist, the tables that do.
fn explain(context: &SessionContext, error: DataFusionError) -> StoreError {
    match classify(error) {
        StoreError::BadQuery(message) if message.contains("table") && message.contains("not found") => {
            StoreError::BadQuery(format!("{message}; the tables are: {}", table_names(context).join(", ")))
        }
        other => other,
    }
}

/// The store's tables and views, sorted.
pub fn table_names(context: &SessionContext) -> Vec<String> {
    let mut names: Vec<String> = context
        .catalog("datafusion")
        .and_then(|catalog| catalog.schema("public"))
        .map(|schema| schema.table_names())
        .unwrap_or_default();
    names.sort();
    names
}

/// Errors that come from the query text are the user's; the rest are the engine's.
fn classify(error: DataFusionError) -> StoreError {
    match error.find_root() {
        DataFusionError::SQL(..)
        | DataFusionError::Plan(_)
        | DataFusionError::SchemaError(..)
        | DataFusionError::NotImplemented(_) => StoreError::BadQuery(error.to_string()),
        _ => StoreError::Engine(error),
    }
}

/// The batches as a text table, as a terminal shows it.
pub fn format_batches(batches: &[RecordBatch]) -> Result<String, StoreError> {
    Ok(pretty_format_batches(batches)?.to_string())
}
