//! The dependency rules of ARCHITECTURE.md, checked: which crate may use which, and what the pure
//! crates never do.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn dependencies(crate_name: &str) -> BTreeSet<String> {
    let manifest = std::fs::read_to_string(crates_dir().join(crate_name).join("Cargo.toml")).unwrap();
    let parsed: toml::Table = manifest.parse().unwrap();
    parsed
        .get("dependencies")
        .and_then(|dependencies| dependencies.as_table())
        .map(|dependencies| dependencies.keys().cloned().collect())
        .unwrap_or_default()
}

/// Library source files, folders of modules included, without test-only files.
fn library_sources(crate_name: &str) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut folders = vec![crates_dir().join(crate_name).join("src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                // A module's `tests/` folder holds its unit tests, not library code.
                if path.file_name().is_some_and(|name| name != "tests") {
                    folders.push(path);
                }
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.ends_with(".rs") && !name.ends_with("_tests.rs") && name != "tests.rs" && name != "test_support.rs"
        })
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests sit at the end of a file, behind `#[cfg(test)]`.
            let library_part = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
            (path, library_part)
        })
        .collect()
}

const LIBRARY_CRATES: [&str; 11] = [
    "encore-domain",
    "encore-analytics",
    "encore-ingest",
    "encore-store",
    "encore-pipeline",
    "encore-listeners",
    "encore-recommend",
    "encore-lyrics",
    "encore-collect",
    "encore-cluster",
    "encore-report",
];

#[test]
fn each_crate_uses_only_the_crates_below_it() {
    let allowed: [(&str, &[&str]); 12] = [
        ("encore-domain", &[]),
        ("encore-analytics", &["encore-domain", "encore-lyrics"]),
        ("encore-ingest", &["encore-domain"]),
        ("encore-store", &["encore-domain"]),
        ("encore-pipeline", &["encore-domain", "encore-ingest", "encore-store"]),
        ("encore-listeners", &["encore-analytics", "encore-domain", "encore-store"]),
        ("encore-recommend", &["encore-domain", "encore-ingest", "encore-store"]),
        ("encore-lyrics", &["encore-domain"]),
        ("encore-collect", &["encore-analytics", "encore-domain", "encore-pipeline", "encore-store"]),
        ("encore-cluster", &["encore-store"]),
        ("encore-report", &["encore-analytics", "encore-domain", "encore-listeners", "encore-lyrics"]),
        (
            "encore-server",
            &[
                "encore-analytics",
                "encore-collect",
                "encore-domain",
                "encore-ingest",
                "encore-listeners",
                "encore-lyrics",
                "encore-pipeline",
                "encore-recommend",
                "encore-report",
                "encore-store",
            ],
        ),
    ];
    for (crate_name, allowed_internal) in allowed {
        let internal: Vec<String> =
            dependencies(crate_name).into_iter().filter(|name| name.starts_with("encore")).collect();
        assert_eq!(internal, allowed_internal, "{crate_name} depends on other Encore crates than allowed");
    }
}

#[test]
fn the_pure_core_has_no_io_engine_or_interface_dependency() {
    let forbidden = ["datafusion", "tokio", "csv", "serde_json", "plotters", "clap", "anyhow", "axum", "indicatif"];
    for crate_name in ["encore-domain", "encore-analytics", "encore-lyrics"] {
        for dependency in dependencies(crate_name) {
            assert!(
                !forbidden.contains(&dependency.as_str()),
                "{crate_name} must stay pure but depends on {dependency}"
            );
        }
        for (path, source) in library_sources(crate_name) {
            for io in ["std::fs", "std::net", "std::io", "File::", "println!", "eprintln!", "::now()", "std::env"] {
                assert!(!source.contains(io), "{} does IO or reads the clock: `{io}`", path.display());
            }
        }
    }
}

#[test]
fn library_code_never_unwraps_and_anyhow_stays_in_the_binary() {
    for crate_name in LIBRARY_CRATES {
        assert!(
            !dependencies(crate_name).contains("anyhow"),
            "{crate_name} uses anyhow; library errors are thiserror enums"
        );
        for (path, source) in library_sources(crate_name) {
            assert!(!source.contains(".unwrap()"), "{} unwraps in library code", path.display());
            assert!(source.trim_start().starts_with("//!"), "{} does not open with a `//!` line", path.display());
        }
    }
}

#[test]
fn architecture_md_describes_every_crate() {
    let architecture = std::fs::read_to_string(crates_dir().join("../ARCHITECTURE.md")).unwrap();
    let mut crate_dirs: Vec<String> = std::fs::read_dir(crates_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    crate_dirs.sort();
    for crate_name in crate_dirs {
        assert!(
            architecture.contains(&format!("`crates/{crate_name}`")),
            "ARCHITECTURE.md has no paragraph on crates/{crate_name}"
        );
    }
}

/// The README's methods section states the parameters the code uses; a change to one without the
/// other fails here. (The report's own notes print the same constants.)
#[test]
fn the_readme_states_the_method_parameters_the_code_uses() {
    use encore_analytics::{airing, attention, effect, longevity, peaks, peers};
    let readme = std::fs::read_to_string(crates_dir().join("../README.md")).unwrap();
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    let stated = [
        format!("halving every {} days after the finale", attention::DRAMA_HALF_LIFE_DAYS),
        format!("first Netflix Top 10 week ends within {} days of its premiere", attention::VIEWING_START_DAYS),
        format!("looking back {} days", peaks::LOOKBACK_DAYS),
        format!("prominent climbs inside a run ({} index points)", peaks::MIN_PROMINENCE),
        format!("the mean of the {} days from the air date", airing::RESPONSE_DAYS),
        format!("the lowest {} of the {} days before", airing::BASELINE_LOWEST, airing::BASELINE_DAYS),
        format!("one lag (0-{} days)", airing::MAX_LAG_DAYS),
        format!("over the {} days from its date", effect::POST_DAYS),
        format!("the song's own {} days before", effect::PRE_DAYS),
        format!("fitted on up to {} days before", effect::HISTORY_DAYS),
        format!("({} replicates, seeded)", longevity::BOOTSTRAP_REPLICATES),
        format!("log grid ({} steps)", longevity::GRID_STEPS),
        format!("refitted from a {}-step grid", longevity::REFIT_GRID_STEPS),
        format!("{} peers at least", effect::MIN_PLACEBOS),
        format!("at least {} days between the song's entry and the move", peers::MIN_AGE_DAYS),
        format!("after more than {} days off every chart", longevity::REENTRY_GAP_DAYS),
        format!("days at {} index points or more", longevity::DEFAULT_THRESHOLD),
        format!("the pooled corpus scaled to α0 = {}", encore_lyrics::DEFAULT_PRIOR_TOTAL),
    ];
    for sentence in stated {
        assert!(readme.contains(&sentence), "README.md does not say \"{sentence}\"");
    }
}

/// The CLI and the server ingest through the one pipeline: neither picks a dataset by itself.
#[test]
fn ingest_goes_through_the_pipeline_only() {
    let callers = [
        crates_dir().join("encore/src/commands/ingest.rs"),
        crates_dir().join("encore/src/commands/demo.rs"),
        crates_dir().join("encore-server/src/writes.rs"),
    ];
    for path in callers {
        let source = std::fs::read_to_string(&path).unwrap();
        for bypass in ["append_chart", "parse_chart", "detect_format", ".chart()", "chart_of_file", "SongMatcher"] {
            assert!(!source.contains(bypass), "{} ingests around the pipeline: `{bypass}`", path.display());
        }
    }
}
