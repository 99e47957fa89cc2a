//! Where a store's plans run. By default on this machine, in the process that asks; an [`Engine`]
//! set with [`crate::Store::on_engine`] supplies the session instead (a cluster's), and every
//! session the store makes from then on registers its datasets there, so the same SQL and the same
//! DataFrame plans run unchanged.

use std::fmt;

use datafusion::error::DataFusionError;
use datafusion::prelude::{SessionConfig, SessionContext};
use futures::future::BoxFuture;

/// Makes the empty sessions a store registers its datasets in.
pub trait Engine: fmt::Debug + Send + Sync {
    /// An empty session with `config`, whose plans run on this engine. Memory limits are the
    /// engine's own (a cluster's executors have theirs), so none is passed.
    fn session(&self, config: SessionConfig) -> BoxFuture<'_, Result<SessionContext, DataFusionError>>;

    /// The URL under which the engine's workers read the store folder (an object store they can
    /// reach); `None`, the default, when they read it at the same path (a shared file system).
    fn parts_url(&self) -> Option<&str> {
        None
    }
}
