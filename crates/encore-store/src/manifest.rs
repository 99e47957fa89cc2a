//! The manifest: the one file whose atomic replacement commits a change to the store.

use std::collections::BTreeMap;
use std::path::Path;

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
}

impl Default for Manifest {
    fn default() -> Manifest {
        Manifest { format: FORMAT_VERSION, generation: 0, datasets: BTreeMap::new() }
    }
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

    pub fn source_hashes(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().flat_map(|part| part.sources.iter().map(|source| source.sha256.as_str()))
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

/// A source file as it was ingested: where it was read from and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SourceFile {
    pub path: String,
    pub sha256: String,
}

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

pub fn write(path: &Path, manifest: &Manifest) -> Result<(), StoreError> {
    let text = serde_json::to_vec_pretty(manifest)
        .map_err(|error| StoreError::Corrupt { path: path.to_path_buf(), reason: error.to_string() })?;
    files::write_atomically(path, |file| {
        use std::io::Write;
        file.write_all(&text)
    })
}
