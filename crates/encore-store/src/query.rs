//! Read-only SQL over the store: every dataset a table (charts and non-chart datasets empty when not
//! held yet), plus the view `chart_entries` over all charts.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::arrow::util::pretty::pretty_format_batches;
use datafusion::datasource::listing::ListingTableUrl;
use datafusion::datasource::MemTable;
use datafusion::error::DataFusionError;
use datafusion::execution::context::SQLOptions;
use datafusion::object_store::ObjectStoreExt;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use futures::StreamExt;

use encore_domain::ChartKind;

use crate::error::StoreError;
use crate::limits::{self, Collector, QueryAnswer, QueryLimits};
use crate::schema::chart_schema;
use crate::series_schema::{listens_schema, LISTENS, SERIES_DATASETS};
use crate::Store;
use crate::{files, guarded_functions};

/// A session with every dataset registered.
pub async fn session(store: &Store) -> Result<SessionContext, StoreError> {
    session_on(store, None).await
}

/// A session with every dataset registered whose operators (sorts, joins, aggregates) hold at most
/// `memory_bytes`, spilling to disk past it.
pub async fn session_within(store: &Store, memory_bytes: usize) -> Result<SessionContext, StoreError> {
    session_on(store, Some(memory_bytes)).await
}

/// A session with every dataset registered, holding at most `memory_bytes` when given.
/// On an engine (a cluster), the memory bound is the engine's workers' own.
async fn session_on(store: &Store, memory_bytes: Option<usize>) -> Result<SessionContext, StoreError> {
    // The information schema makes `SHOW TABLES` and `SHOW COLUMNS` work.
    let config = SessionConfig::new().with_information_schema(true);
    let context = match store.engine() {
        Some(engine) => engine.session(config).await?,
        None => {
            let context = SessionContext::new_with_config_rt(config, limits::runtime(memory_bytes)?);
            if let Some(memory_bytes) = memory_bytes {
                guarded_functions::register(&context, memory_bytes);
            }
            context
        }
    };
    let location = |file: &str| match store.engine().and_then(|engine| engine.parts_url()) {
        Some(url) => format!("{url}/{file}"),
        None => store.root().join(file).display().to_string(),
    };
    let manifest = store.manifest()?;
    if store.engine().is_some() {
        let first_part = manifest.datasets.values().flat_map(|dataset| &dataset.parts).next();
        if let Some(part) = first_part {
            check_part_is_there(&context, &location(&part.file)).await?;
        }
    }
    for (name, dataset) in &manifest.datasets {
        let paths: Vec<String> = dataset.parts.iter().map(|part| location(&part.file)).collect();
        if paths.is_empty() {
            continue;
        }
        // A chart or series dataset reads with its schema now, so parts written before a column
        // was added read it as null.
        let schema_now = match ChartKind::from_dataset(name) {
            Some(_) => Some(chart_schema()),
            None if name == LISTENS => Some(string_views(&listens_schema())),
            None => SERIES_DATASETS.iter().find(|(series, _)| series == name).map(|(_, schema)| schema()),
        };
        let options = match &schema_now {
            Some(schema) => ParquetReadOptions::default().schema(schema),
            None => ParquetReadOptions::default(),
        };
        let frame = context.read_parquet(paths, options).await?;
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

/// Fails unless the part at `location` can be read: a scan of a file that is not there reads
/// as no rows, so a wrong location for an engine's workers would answer every query empty.
async fn check_part_is_there(context: &SessionContext, location: &str) -> Result<(), StoreError> {
    let not_there = |reason: String| StoreError::PartsNotThere { location: location.to_string(), reason };
    let url = ListingTableUrl::parse(location).map_err(|error| not_there(error.to_string()))?;
    let objects = context.runtime_env().object_store(&url).map_err(|error| not_there(error.to_string()))?;
    objects.head(url.prefix()).await.map_err(|error| not_there(error.to_string()))?;
    Ok(())
}

/// The schema with its text columns read as string views: listening logs are large and their
/// plans sort, group and compare text (listener, track), which views do without copying.
fn string_views(schema: &Schema) -> SchemaRef {
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|field| match field.data_type() {
            DataType::Utf8 => field.as_ref().clone().with_data_type(DataType::Utf8View),
            _ => field.as_ref().clone(),
        })
        .collect();
    Arc::new(Schema::new(fields))
}

/// Runs `query` under `limits`: the time limit covers registering the datasets, planning and
/// running; collecting stops at the first bound reached, so the rest is never computed.
pub async fn run(store: &Store, query: &str, limits: QueryLimits) -> Result<QueryAnswer, StoreError> {
    let read_only = SQLOptions::new().with_allow_ddl(false).with_allow_dml(false).with_allow_statements(false);
    let work = async {
        let context = session_on(store, limits.memory_bytes).await?;
        let frame = context.sql_with_options(query, read_only).await.map_err(|error| explain(&context, error))?;
        // An empty answer still has its columns.
        let schema = Arc::new(frame.schema().as_arrow().clone());
        let mut stream = frame.execute_stream().await.map_err(|error| classify(error, limits))?;
        let mut collector = Collector::new(limits);
        while let Some(batch) = stream.next().await {
            if !collector.push(batch.map_err(|error| classify(error, limits))?) {
                break;
            }
        }
        let (mut batches, cut) = collector.finish();
        if batches.is_empty() {
            batches.push(RecordBatch::new_empty(schema));
        }
        Ok(QueryAnswer { batches, cut })
    };
    let result = match limits.timeout {
        Some(timeout) => {
            tokio::time::timeout(timeout, work).await.unwrap_or(Err(StoreError::Timeout { seconds: timeout.as_secs() }))
        }
        None => work.await,
    };
    match result {
        Err(StoreError::Engine(_) | StoreError::Parquet(_) | StoreError::Arrow(_)) => {
            // The engine's message does not say which file failed; a damaged part is the likely
            // cause worth naming.
            match damaged_part(store) {
                Some(damage) => Err(damage),
                None => result,
            }
        }
        other => other,
    }
}

/// The first part file named by the manifest that cannot be opened or read as Parquet.
fn damaged_part(store: &Store) -> Option<StoreError> {
    let manifest = store.manifest().ok()?;
    manifest
        .datasets
        .values()
        .flat_map(|dataset| &dataset.parts)
        .find_map(|part| files::check_parquet(&store.root().join(&part.file)).err())
}

/// The error, and for a table that does not exist, the tables that do.
fn explain(context: &SessionContext, error: DataFusionError) -> StoreError {
    match classify(error, QueryLimits::unbounded()) {
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

/// Errors that come from the query text are the user's, and so is asking for more memory than the
/// limit; the rest are the engine's.
fn classify(error: DataFusionError, limits: QueryLimits) -> StoreError {
    match error.find_root() {
        DataFusionError::ResourcesExhausted(reason) => {
            StoreError::MemoryLimit { limit_bytes: limits.memory_bytes.unwrap_or_default(), reason: reason.clone() }
        }
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
