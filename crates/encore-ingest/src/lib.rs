//! Encore's readers of real source files (Billboard Hot 100 JSON, Spotify daily CSV, Melon
//! year-end CSV, the catalog CSV folder), each returning domain types and a report of bad rows.
//!
//! Every `parse_*` function is pure, takes the file's bytes and its name (for messages only, and
//! for Spotify's region and day), and never fails: a bad row becomes a [`Rejected`] entry naming
//! file, line and field, and the rest of the file still loads. The `read_*` functions are thin
//! wrappers that read a path; they fail ([`IngestError`]) only when the path cannot be read, its
//! format cannot be told, or nothing at all loaded. This crate never writes.

mod billboard;
mod catalog;
mod catalog_rows;
mod charts;
mod detect;
mod error;
mod melon;
mod report;
mod spotify;
mod table;
#[cfg(test)]
mod test_support;

pub use billboard::{parse_billboard, read_billboard};
pub use catalog::{parse_catalog, read_catalog, CatalogFiles, ParsedCatalog};
pub use charts::{parse_chart, read_chart_file, read_charts};
pub use detect::{detect_format, list_source_files, SourceFormat, DETECT_PREFIX_LEN};
pub use error::IngestError;
pub use melon::{parse_melon, read_melon};
pub use report::{Parsed, Rejected};
pub use spotify::{parse_spotify, parse_spotify_issue, read_spotify, SpotifyIssue};
