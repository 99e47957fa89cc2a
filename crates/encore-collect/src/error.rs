//! The crate's one error type, by whose fault a failure is.

use std::path::PathBuf;

use encore_store::StoreError;

/// Whose fault an error is: the CLI's exit code and any HTTP status derive from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The user's: a bad watch list, a missing key.
    Input,
    /// The outside world's: an API down, a malformed answer, a full disk.
    Outside,
    /// Ours: a bug.
    Ours,
}

#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// The watch list (or a key file) is wrong: names the file and the field.
    #[error("{file}: field `{field}`: {reason}")]
    Config { file: PathBuf, field: String, reason: String },
    /// A key an entry of the watch list needs is not set. Never holds the key itself.
    #[error("{api} needs an API key: set {variable} or give a key file")]
    MissingKey { api: &'static str, variable: &'static str },
    /// The API could not be reached or kept failing. The URL is redacted of keys.
    #[error("{api} {url}: {reason}")]
    Http { api: &'static str, url: String, reason: String },
    /// The API answered something that is not its documented shape (truncated or malformed JSON).
    #[error("{api} {url}: the answer is not the documented shape: {reason}")]
    Malformed { api: &'static str, url: String, reason: String },
    /// The store refused or failed a read or a commit.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file of ours (the alert log, a key file) could not be read or written.
    #[error("cannot {action} {path}: {source}")]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },
    /// The webhook refused the alert. The URL is redacted of any secret.
    #[error("the alert webhook {url} answered {status}")]
    Webhook { url: String, status: u16 },
    /// A bug of ours.
    #[error("internal error: {0}")]
    Internal(String),
}

impl CollectError {
    pub fn fault(&self) -> Fault {
        match self {
            CollectError::Config { .. } | CollectError::MissingKey { .. } => Fault::Input,
            CollectError::Http { .. }
            | CollectError::Malformed { .. }
            | CollectError::Io { .. }
            | CollectError::Webhook { .. } => Fault::Outside,
            CollectError::Store(store) if store.is_user_error() => Fault::Input,
            CollectError::Store(_) => Fault::Outside,
            CollectError::Internal(_) => Fault::Ours,
        }
    }

    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> CollectError {
        let path = path.into();
        move |source| CollectError::Io { action, path, source }
    }
}
