//! Which module of the `myorg` library may use which, read from the source as
//! rust-analyzer's tidy tests read it: every `crate::NAME` outside comments. The
//! layers go one way, so that the graph has no circles: the store imports nothing
//! else of the crate; the configuration holds plain settings, below the reminders
//! and the schedule it configures; the jobs sit below the schedule and the HTTP
//! endpoint that run them; only the command line reaches the composition root, and
//! nothing reaches the command line.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The `.rs` files of `path` (a file, or a folder and everything under it).
fn sources(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut found = Vec::new();
    for entry in std::fs::read_dir(path).unwrap() {
        let entry = entry.unwrap().path();
        if entry.is_dir() {
            found.extend(sources(&entry));
        } else if entry.extension().is_some_and(|ext| ext == "rs") {
            found.push(entry);
        }
    }
    found
}

/// The top-level modules `file` names as `crate::NAME` in its code (comments and
/// doc comments left out).
fn uses(file: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let mut used = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                used.insert(name);
            }
        }
    }
    used
}

/// The modules of the crate that the files under `path` use, each with a file that
/// uses it.
fn used_by(path: &str) -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    for file in sources(&root.join(path)) {
        for name in uses(&file) {
            all.push((name, file.strip_prefix(&root).unwrap().to_path_buf()));
        }
    }
    all
}

#[test]
fn the_layers_go_one_way() {
    // (files, the modules they must not use)
    let rules: [(&str, &[&str]); 7] = [
        (
            "config.rs",
            &[
                "reminders",
                "schedule",
                "jobs",
                "http",
                "server",
                "validate",
                "commands",
                "cli",
                "discord",
                "agent",
            ],
        ),
        ("schedule", &["http", "server", "validate", "cli", "discord"]),
        (
            "jobs",
            &["http", "schedule", "server", "validate", "cli", "discord"],
        ),
        ("http.rs", &["schedule", "server", "validate", "cli", "discord"]),
        (
            "reminders",
            &[
                "schedule", "jobs", "http", "server", "validate", "cli", "commands",
            ],
        ),
        ("commands/parse.rs", &["cli"]),
        ("validate.rs", &["server", "cli", "commands", "http"]),
    ];
    let mut broken = Vec::new();
    for (path, forbidden) in rules {
        for (name, file) in used_by(path) {
            if forbidden.contains(&name.as_str()) {
                broken.push(format!("{} uses crate::{name}", file.display()));
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_store_uses_nothing_else_of_the_crate() {
    let outside: Vec<_> = used_by("store")
        .into_iter()
        .filter(|(name, _)| name != "store")
        .collect();
    assert!(outside.is_empty(), "{outside:?}");
}

#[test]
fn only_the_command_line_reaches_the_composition_root_and_nothing_reaches_it() {
    let mut broken = Vec::new();
    for (name, file) in used_by("") {
        let top = file
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .to_string();
        let reaches_server = name == "server" && top != "cli.rs" && top != "server";
        let reaches_cli = name == "cli" && top != "cli.rs";
        if reaches_server || reaches_cli {
            broken.push(format!("{} uses crate::{name}", file.display()));
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}
