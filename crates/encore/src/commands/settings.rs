//! Where Encore finds its store, its data and its output folder, so that it runs from any folder.
//!
//! Each path comes from the first of: its flag, its `ENCORE_*` variable (clap reads both), the
//! project file `encore.toml` found by walking up from the current folder (its paths are relative
//! to the file), and a default under Encore's home folder: `ENCORE_HOME`, else the platform's data
//! folder (`$XDG_DATA_HOME/encore` or `~/.local/share/encore` on Linux,
//! `~/Library/Application Support/encore` on macOS, `%APPDATA%\encore` on Windows). Every message
//! about a path says where the path came from and how to set another.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// The project file's name.
pub const PROJECT_FILE: &str = "encore.toml";

/// One path setting: its flag, its variable and its key in `encore.toml`.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub flag: &'static str,
    pub variable: &'static str,
    pub key: &'static str,
    /// The folder under Encore's home used when nothing else names one.
    pub default_under_home: &'static str,
}

pub const STORE: Setting =
    Setting { flag: "--store", variable: "ENCORE_STORE", key: "store", default_under_home: "store" };
pub const DATA: Setting = Setting { flag: "--data", variable: "ENCORE_DATA", key: "data", default_under_home: "data" };
pub const OUT: Setting = Setting { flag: "--out", variable: "ENCORE_OUT", key: "out", default_under_home: "out" };

/// The keys `encore.toml` may hold; any other key is an error, so a typo is not silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectPaths {
    store: Option<PathBuf>,
    data: Option<PathBuf>,
    out: Option<PathBuf>,
    catalog: Option<PathBuf>,
}

/// Where a resolved path came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The flag or its variable.
    Given,
    /// A key of the project file at this path.
    ProjectFile(PathBuf),
    /// Encore's home folder, and how it was found.
    Home(&'static str),
}

/// A path and where it came from.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub path: PathBuf,
    pub origin: Origin,
    pub setting: Setting,
}

impl Resolved {
    /// How to name another path, for the end of a "not found" message.
    pub fn how_to_set(&self) -> String {
        format!(
            "pass {} DIR, set {}, or set `{}` in {PROJECT_FILE}",
            self.setting.flag, self.setting.variable, self.setting.key
        )
    }
}

impl fmt::Display for Resolved {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}", self.path.display())?;
        match &self.origin {
            Origin::Given => write!(formatter, " (from {} or {})", self.setting.flag, self.setting.variable),
            Origin::ProjectFile(file) => write!(formatter, " (`{}` in {})", self.setting.key, file.display()),
            Origin::Home(how) => write!(formatter, " (the default under {how})"),
        }
    }
}

/// The project file found for this run, if any, with its paths made absolute.
#[derive(Debug, Default)]
pub struct Project {
    file: Option<PathBuf>,
    paths: ProjectPaths,
}

impl Project {
    /// Finds `encore.toml` in the current folder or the nearest folder above it.
    pub fn find() -> anyhow::Result<Project> {
        let current = std::env::current_dir().context("cannot tell the current folder")?;
        match current.ancestors().map(|folder| folder.join(PROJECT_FILE)).find(|file| file.is_file()) {
            Some(file) => Project::read(&file),
            None => Ok(Project::default()),
        }
    }

    fn read(file: &Path) -> anyhow::Result<Project> {
        let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        let mut paths: ProjectPaths = toml::from_str(&text)
            .map_err(|error| ProjectFileError { file: file.to_path_buf(), message: error.to_string() })?;
        let folder = file.parent().unwrap_or(Path::new("."));
        for path in [&mut paths.store, &mut paths.data, &mut paths.out, &mut paths.catalog].into_iter().flatten() {
            *path = folder.join(&*path);
        }
        Ok(Project { file: Some(file.to_path_buf()), paths })
    }

    /// The path for `setting`: the given one, else the project file's, else the default.
    pub fn resolve(&self, setting: Setting, given: Option<&Path>) -> anyhow::Result<Resolved> {
        if let Some(path) = given {
            return Ok(Resolved { path: path.to_path_buf(), origin: Origin::Given, setting });
        }
        let from_file = match setting.key {
            "store" => self.paths.store.as_ref(),
            "data" => self.paths.data.as_ref(),
            "out" => self.paths.out.as_ref(),
            _ => None,
        };
        if let (Some(path), Some(file)) = (from_file, &self.file) {
            return Ok(Resolved { path: path.clone(), origin: Origin::ProjectFile(file.clone()), setting });
        }
        let (home, how) = home()?;
        Ok(Resolved { path: home.join(setting.default_under_home), origin: Origin::Home(how), setting })
    }

    /// The catalog folder the project file names, if it names one.
    pub fn catalog(&self) -> Option<&Path> {
        self.paths.catalog.as_deref()
    }
}

/// A project file Encore cannot use: the user's to fix.
#[derive(Debug, thiserror::Error)]
#[error("{} is not a valid Encore project file: {message}", file.display())]
pub struct ProjectFileError {
    pub file: PathBuf,
    pub message: String,
}

/// Encore's home folder and how it was found.
fn home() -> anyhow::Result<(PathBuf, &'static str)> {
    if let Some(home) = std::env::var_os("ENCORE_HOME").filter(|value| !value.is_empty()) {
        return Ok((PathBuf::from(home), "ENCORE_HOME"));
    }
    platform_data_folder()
        .map(|folder| (folder.join("encore"), "the platform's data folder (set ENCORE_HOME to choose)"))
        .context("cannot find a home folder for Encore's files: set ENCORE_HOME")
}

#[cfg(target_os = "macos")]
fn platform_data_folder() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join("Library/Application Support"))
}

#[cfg(windows)]
fn platform_data_folder() -> Option<PathBuf> {
    std::env::var_os("APPDATA").map(PathBuf::from)
}

#[cfg(not(any(target_os = "macos", windows)))]
fn platform_data_folder() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_DATA_HOME").filter(|value| !value.is_empty()).map(PathBuf::from);
    xdg.or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_paths_are_relative_to_the_file_and_flags_win() {
        let folder = tempfile::tempdir().unwrap();
        let file = folder.path().join(PROJECT_FILE);
        std::fs::write(&file, "store = \"out/store\"\ndata = \"../data\"\n").unwrap();
        let project = Project::read(&file).unwrap();
        let store = project.resolve(STORE, None).unwrap();
        assert_eq!(store.path, folder.path().join("out/store"));
        assert_eq!(store.origin, Origin::ProjectFile(file.clone()));
        assert!(store.to_string().contains("`store` in"), "{store}");
        let given = project.resolve(STORE, Some(Path::new("elsewhere"))).unwrap();
        assert_eq!(given.path, Path::new("elsewhere"));
        assert_eq!(given.to_string(), "elsewhere (from --store or ENCORE_STORE)");
        assert_eq!(project.resolve(DATA, None).unwrap().path, folder.path().join("../data"));
    }

    #[test]
    fn a_typo_in_the_project_file_is_an_error_naming_it() {
        let folder = tempfile::tempdir().unwrap();
        let file = folder.path().join(PROJECT_FILE);
        std::fs::write(&file, "stor = \"x\"\n").unwrap();
        let error = Project::read(&file).unwrap_err().to_string();
        assert!(error.contains("is not a valid Encore project file") && error.contains("stor"), "{error}");
    }
}
