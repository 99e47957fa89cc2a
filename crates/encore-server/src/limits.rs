//! The server's limits and their defaults, in one place so that `encore serve --help`, the README
//! and the tests name the same numbers.

/// Request bodies of `POST /api/sql` larger than this are refused with 413: a query is text.
pub const MAX_SQL_BODY_BYTES: usize = 64 * 1024;
/// Uploads to `POST /api/ingest` larger than this are refused with 413 (the largest real chart
/// file is a few MB).
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;
/// Seconds an upload to `POST /api/ingest` may take to arrive, from its headers to its last
/// byte: a client trickling a file cannot hold the upload open for ever.
pub const DEFAULT_UPLOAD_TIMEOUT_SECONDS: u64 = 120;
/// Seconds a SQL request may take from arrival to its last byte encoded.
pub const DEFAULT_SQL_TIMEOUT_SECONDS: u64 = 10;
/// MiB of engine memory shared by all running queries.
pub const DEFAULT_SQL_MEMORY_MB: usize = 512;
/// Queries that may run at once; more wait their turn, within their time limit.
pub const DEFAULT_SQL_CONCURRENCY: usize = 2;
/// Bytes of JSON rows a SQL answer may carry.
pub const DEFAULT_SQL_MAX_BYTES: usize = 8 * 1024 * 1024;
/// Listener analyses that may run at once; more wait their turn. Each is several passes over every
/// listen, so a crawl of many scopes and zones queues instead of taking every core.
pub const LISTENER_ANALYSES_AT_ONCE: usize = 2;
/// Listener answers kept (scope × time zone, for the store's current generation); past this the
/// oldest is dropped, so asking for every zone cannot grow the cache without bound.
pub const LISTENER_ANSWERS_CACHED: usize = 256;
