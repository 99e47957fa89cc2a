//! What the command tests share: the real binary, run as a user runs it, with none of the
//! caller's `ENCORE_*` settings (a developer's `ENCORE_STORE` must not reach a test's run).

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The real datasets the tests read (`../shared/data`, beside the project).
pub fn shared_data() -> PathBuf {
    project_root().join("../shared/data")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The binary run in `folder`, with no `ENCORE_*` setting of the caller's.
pub fn command_in(folder: &Path, arguments: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_encore"));
    command.args(arguments).current_dir(folder);
    for (name, _) in std::env::vars() {
        if name.starts_with("ENCORE_") {
            command.env_remove(name);
        }
    }
    command
}

/// The binary run in the project's folder (where `encore.toml` and `catalog/` are).
pub fn command(arguments: &[&str]) -> Command {
    command_in(&project_root(), arguments)
}

/// [`command`] with both outputs piped, for a run the test spawns, waits on or kills.
pub fn piped(arguments: &[&str]) -> Command {
    let mut command = command(arguments);
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    command
}

/// What a run printed and how it ended.
pub fn run(arguments: &[&str]) -> Output {
    command(arguments).output().expect("the encore binary runs")
}

/// The standard output of a run that must succeed; a failure shows both outputs.
pub fn succeed(arguments: &[&str]) -> String {
    let output = run(arguments);
    assert!(output.status.success(), "{arguments:?}: {}\n{}", text(&output.stdout), text(&output.stderr));
    text(&output.stdout)
}

/// The JSON a run that must succeed printed.
pub fn json(arguments: &[&str]) -> Value {
    let out = succeed(arguments);
    serde_json::from_str(&out).unwrap_or_else(|error| panic!("{arguments:?} printed no JSON ({error}): {out}"))
}

/// Every file under `folder`, sub-folders included.
pub fn files_under(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// The real Billboard Hot 100 weeks, oldest first.
pub fn billboard_files() -> Vec<PathBuf> {
    let source = shared_data().join("billboard-hot-100");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&source).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.sort();
    files
}

/// A folder of links to a slice of the real Billboard weeks.
pub fn billboard_slice(into: &Path, weeks: Range<usize>) -> PathBuf {
    std::fs::create_dir_all(into).unwrap();
    for file in &billboard_files()[weeks] {
        std::os::unix::fs::symlink(file, into.join(file.file_name().unwrap())).unwrap();
    }
    into.to_path_buf()
}
