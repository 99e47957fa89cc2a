//! What the command tests share: the real binary, run as a user runs it, with none of the
//! caller's `ENCORE_*` settings (a developer's `ENCORE_STORE` must not reach a test's run).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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
