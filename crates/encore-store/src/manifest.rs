//! The manifest: the one file whose atomic replacement commits a change to the store.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::files;

pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// Increases by one with every commit; names the part files of that commit.
    pub generation: u64,
    pub datasets: BTreeMap<String, DatasetManifest>,
    /// Part files a commit dropped, kept on disk for a grace period because a query that read an
    /// older manifest may still be reading them; a later commit deletes them. Absent in manifests
    /// written before there was a grace period, which read as none retired.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<RetiredPart>,
}

impl Default for Manifest {
    fn default() -> Manifest {
        Manifest { format: FORMAT_VERSION, generation: 0, datasets: BTreeMap::new(), retired: Vec::new() }
    }
}

/// A part file no longer part of the store's state, waiting out the grace period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetiredPart {
    /// Path relative to the store folder.
    pub file: String,
    pub retired_at: DateTime<Utc>,
}

impl Manifest {
    pub fn dataset(&self, name: &str) -> Option<&DatasetManifest> {
        self.datasets.get(name)
    }

    pub fn part_files(&self) -> impl Iterator<Item = &str> {
        self.datasets.values().flat_map(|dataset| dataset.parts.iter().map(|part| part.file.as_str()))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetManifest {
    pub parts: Vec<PartManifest>,
}

impl DatasetManifest {
    pub fn rows(&self) -> u64 {
        self.parts.iter().map(|part| part.rows).sum()
    }

    /// What the dataset's sources are known by (their [`SourceFile::content`]).
    pub fn source_hashes(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().flat_map(|part| part.sources.iter().map(|source| source.content.as_str()))
    }

    /// Whether some source is known by its SHA-256, ingested before stores hashed with BLAKE3.
    pub fn holds_sha256_sources(&self) -> bool {
        self.source_hashes().any(|hash| hash.starts_with(SHA256_PREFIX))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartManifest {
    /// Path relative to the store folder.
    pub file: String,
    pub rows: u64,
    pub sources: Vec<SourceFile>,
    /// The chart issues (`region/YYYY-MM-DD`) whose rows the part holds; empty for the catalog.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<String>,
}

/// A source file as it was ingested: where it was read from and what its bytes are known by.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "RecordedSource")]
pub struct SourceFile {
    pub path: String,
    /// `blake3:` and the BLAKE3 of the bytes in hex ([`crate::content_hash`]); `sha256:` and
    /// their SHA-256 for a file ingested before stores hashed with BLAKE3
    /// ([`crate::sha256_content_hash`]); a generator's own name for what it generated.
    pub content: String,
}

/// A source as manifests record it: `content`, or (before BLAKE3) `sha256` and its hex alone.
#[derive(Deserialize)]
struct RecordedSource {
    path: String,
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    sha256: Option<String>,
}

impl From<RecordedSource> for SourceFile {
    fn from(recorded: RecordedSource) -> SourceFile {
        let legacy = recorded.sha256.map(|hex| format!("{SHA256_PREFIX}{hex}"));
        SourceFile { path: recorded.path, content: recorded.content.or(legacy).unwrap_or_default() }
    }
}

/// How a SHA-256 content hash begins.
pub const SHA256_PREFIX: &str = "sha256:";

pub fn read(path: &Path) -> Result<Manifest, StoreError> {
    let text = std::fs::read_to_string(path).map_err(StoreError::io("read", path))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|error| StoreError::Corrupt { path: path.to_path_buf(), reason: error.to_string() })?;
    if manifest.format != FORMAT_VERSION {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            reason: format!("manifest format {} (this build reads {FORMAT_VERSION})", manifest.format),
        });
    }
    Ok(manifest)
}

/// Writes an empty manifest at `path` unless one is there, without ever replacing one: two
/// writers opening a new store at once must not wipe the first one's commit. The hard link fails
/// when the manifest exists, where a rename would replace it.
pub fn create_if_missing(path: &Path) -> Result<(), StoreError> {
    if path.exists() {
        return Ok(());
    }
    let text = serde_json::to_vec_pretty(&Manifest::default())
        .map_err(|error| StoreError::Corrupt { path: path.to_path_buf(), reason: error.to_string() })?;
    let fresh_path = path.with_extension(format!("new-{}", std::process::id()));
    let written = std::fs::File::create(&fresh_path).and_then(|mut file| {
        use std::io::Write;
        file.write_all(&text)?;
        file.sync_all()
    });
    written.map_err(StoreError::io("write", &fresh_path))?;
    let linked = std::fs::hard_link(&fresh_path, path);
    std::fs::remove_file(&fresh_path).map_err(StoreError::io("remove", &fresh_path))?;
    match linked {
        Err(error) if error.kind() != std::io::ErrorKind::AlreadyExists => {
            return Err(StoreError::io("create", path)(error));
        }
        _ => {}
    }
    crate::files::sync_folder(path.parent().unwrap_or(Path::new(".")))
}

pub fn write(path: &Path, manifest: &Manifest) -> Result<(), StoreError> {
    let text = serde_json::to_vec_pretty(manifest)
        .map_err(|error| StoreError::Corrupt { path: path.to_path_buf(), reason: error.to_string() })?;
    files::write_atomically(path, |file| {
        use std::io::Write;
        file.write_all(&text)
    })
}
