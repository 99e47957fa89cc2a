//! The Turing Change Point Dataset as `shared/data/tcpd` holds it (see its README.md): the series,
//! the annotations and TCPDBench's published scores. Read by `benches/tcpd.rs` and `tests/tcpd.rs`;
//! the analytics crate itself reads no file.

use std::collections::BTreeMap;
use std::error::Error;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The local series that are not univariate real series: the five quality-control series (known
/// answers, for tests), the two-dimensional `run_log` and `uk_coal_employ`, which has gaps.
pub const NOT_UNIVARIATE_REAL: [&str; 7] = [
    "quality_control_1",
    "quality_control_2",
    "quality_control_3",
    "quality_control_4",
    "quality_control_5",
    "run_log",
    "uk_coal_employ",
];

/// TCPDBench's published default-experiment scores of one series (`None`: the method failed).
#[derive(Debug, Clone, Deserialize)]
pub struct Reference {
    pub pelt_f1: Option<f64>,
    pub pelt_cover: Option<f64>,
    pub zero_f1: f64,
    pub zero_cover: f64,
}

#[derive(Deserialize)]
struct SeriesFile {
    n_obs: usize,
    series: Vec<Dimension>,
}

#[derive(Deserialize)]
struct Dimension {
    raw: Vec<Option<f64>>,
}

/// The dataset's folder, its annotations (per series, one list per annotator) and the published
/// scores.
pub struct Tcpd {
    pub folder: PathBuf,
    pub annotations: BTreeMap<String, Vec<Vec<usize>>>,
    pub reference: BTreeMap<String, Reference>,
}

/// `ENCORE_TCPD`, else `shared/data/tcpd` beside the checkout.
pub fn default_folder() -> PathBuf {
    std::env::var_os("ENCORE_TCPD")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/tcpd"))
}

impl Tcpd {
    pub fn open(folder: &Path) -> Result<Tcpd, Box<dyn Error>> {
        let read = |name: &str| -> Result<String, Box<dyn Error>> {
            let path = folder.join(name);
            std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()).into())
        };
        let by_annotator: BTreeMap<String, BTreeMap<String, Vec<usize>>> =
            serde_json::from_str(&read("annotations.json")?)?;
        let annotations = by_annotator.into_iter().map(|(name, lists)| (name, lists.into_values().collect())).collect();
        let reference = serde_json::from_str(&read("reference_results/published_zero_and_pelt_default.json")?)?;
        Ok(Tcpd { folder: folder.to_path_buf(), annotations, reference })
    }

    /// The names of the series present in `datasets/`, sorted.
    pub fn local_series(&self) -> Result<Vec<String>, Box<dyn Error>> {
        let mut names = Vec::new();
        for entry in std::fs::read_dir(self.folder.join("datasets"))? {
            let path = entry?.path();
            if path.extension().is_some_and(|extension| extension == "json") {
                if let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) {
                    names.push(stem.to_string());
                }
            }
        }
        names.sort();
        Ok(names)
    }

    /// The 25 univariate real series: every local one but [`NOT_UNIVARIATE_REAL`].
    pub fn univariate_real(&self) -> Result<Vec<String>, Box<dyn Error>> {
        let names = self.local_series()?;
        Ok(names.into_iter().filter(|name| !NOT_UNIVARIATE_REAL.contains(&name.as_str())).collect())
    }

    /// The series' length.
    pub fn length(&self, name: &str) -> Result<usize, Box<dyn Error>> {
        Ok(self.file(name)?.n_obs)
    }

    /// The first dimension of a series; an error if it has a missing value.
    pub fn values(&self, name: &str) -> Result<Vec<f64>, Box<dyn Error>> {
        let file = self.file(name)?;
        let first = file.series.into_iter().next().ok_or_else(|| format!("{name}: no series"))?;
        first.raw.into_iter().map(|value| value.ok_or_else(|| format!("{name}: a missing value").into())).collect()
    }

    pub fn annotations_of(&self, name: &str) -> Result<&[Vec<usize>], Box<dyn Error>> {
        Ok(self.annotations.get(name).ok_or_else(|| format!("{name}: no annotations"))?)
    }

    fn file(&self, name: &str) -> Result<SeriesFile, Box<dyn Error>> {
        let path = self.folder.join("datasets").join(format!("{name}.json"));
        let text = std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
        Ok(serde_json::from_str(&text)?)
    }
}
