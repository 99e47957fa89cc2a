//! Bounds on one query (rows, answer bytes, time, engine memory) and how an answer was cut short,
//! so that a careless or hostile query cannot hold the machine.

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Duration;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::execution::memory_pool::{FairSpillPool, TrackConsumersPool};
use datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};

use crate::error::StoreError;

/// Bounds on one query. `None` leaves that bound off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueryLimits {
    /// Rows collected at most; the rest of the answer is never computed.
    pub max_rows: Option<usize>,
    /// Wall-clock time for planning and running the query.
    pub timeout: Option<Duration>,
    /// Bytes of Arrow memory the collected answer may hold; collecting stops before passing it.
    pub max_answer_bytes: Option<usize>,
    /// Bytes the engine's operators (sorts, joins, aggregates) may reserve; past it they spill to
    /// disk or fail with [`StoreError::MemoryLimit`].
    pub memory_bytes: Option<usize>,
}

impl QueryLimits {
    pub fn unbounded() -> QueryLimits {
        QueryLimits::default()
    }
}

/// Which bound cut an answer short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryCut {
    /// `max_rows` rows were collected; there may be more.
    Rows(usize),
    /// The next rows would have passed `max_answer_bytes`.
    Bytes(usize),
}

/// The answer to a query: its batches (at least one, so that an empty answer keeps its columns) and
/// the bound that cut it short, if any.
#[derive(Debug, Clone)]
pub struct QueryAnswer {
    pub batches: Vec<RecordBatch>,
    pub cut: Option<QueryCut>,
}

/// Shares of a query's memory reported when it runs out, naming the operators that hold the most.
const CONSUMERS_NAMED: usize = 5;

/// A runtime whose memory pool holds the engine to `memory_bytes`. The fair pool gives each
/// spilling operator an equal share, so one sort cannot starve another into failing.
pub(crate) fn runtime(memory_bytes: Option<usize>) -> Result<Arc<RuntimeEnv>, StoreError> {
    let builder = RuntimeEnvBuilder::new();
    let builder = match (memory_bytes, NonZeroUsize::new(CONSUMERS_NAMED)) {
        (Some(bytes), Some(named)) => {
            builder.with_memory_pool(Arc::new(TrackConsumersPool::new(FairSpillPool::new(bytes), named)))
        }
        _ => builder,
    };
    Ok(builder.build_arc()?)
}

/// Collects batches under the row and byte bounds.
#[derive(Debug)]
pub(crate) struct Collector {
    limits: QueryLimits,
    batches: Vec<RecordBatch>,
    rows: usize,
    bytes: usize,
    cut: Option<QueryCut>,
}

impl Collector {
    pub(crate) fn new(limits: QueryLimits) -> Collector {
        Collector { limits, batches: Vec::new(), rows: 0, bytes: 0, cut: None }
    }

    /// Takes what fits of `batch`; returns false once a bound is reached and no more is wanted.
    pub(crate) fn push(&mut self, batch: RecordBatch) -> bool {
        let mut keep = batch.num_rows();
        if let Some(max_rows) = self.limits.max_rows {
            if self.rows + keep >= max_rows {
                keep = max_rows - self.rows;
                self.cut = Some(QueryCut::Rows(max_rows));
            }
        }
        if let Some(max_bytes) = self.limits.max_answer_bytes {
            let batch_bytes = batch.get_array_memory_size();
            if self.bytes + batch_bytes > max_bytes && batch.num_rows() > 0 {
                // Rows are assumed to be of even size: the encoder makes the exact cut later.
                let room = max_bytes.saturating_sub(self.bytes);
                let fitting = (room as f64 / batch_bytes as f64 * batch.num_rows() as f64) as usize;
                if fitting < keep {
                    keep = fitting;
                    self.cut = Some(QueryCut::Bytes(max_bytes));
                }
            }
            self.bytes += batch_bytes;
        }
        if keep > 0 {
            self.rows += keep;
            self.batches.push(if keep == batch.num_rows() { batch } else { batch.slice(0, keep) });
        }
        self.cut.is_none()
    }

    pub(crate) fn finish(self) -> (Vec<RecordBatch>, Option<QueryCut>) {
        (self.batches, self.cut)
    }
}
