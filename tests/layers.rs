//! The layers of the crate, kept by reading the `crate::` paths of every source file
//! under `src/` (test modules left out): the application layer imports no front end,
//! no front end imports another, the inner modules import neither, and the top-level
//! modules import each other in no circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The front ends: each turns its own input into use cases and renders their results.
const FRONT_ENDS: &[&str] = &[
    "cli", "commands", "discord", "agent", "http", "jobs", "schedule", "serve", "mcp", "web",
];

/// What each module may not name, besides the front ends' rule.
fn forbidden(module: &str) -> Vec<&'static str> {
    match module {
        // The inside: no front end and no application layer.
        "store" | "config" | "llm" | "clock" | "redact" | "metrics" | "reminders" | "logs" => {
            let mut all = FRONT_ENDS.to_vec();
            all.extend(["app", "validate"]);
            all
        }
        "app" => {
            let mut all = FRONT_ENDS.to_vec();
            all.push("validate");
            all
        }
        // The configuration checked whole, above what it configures.
        "validate" => FRONT_ENDS.iter().copied().filter(|m| *m != "schedule").collect(),
        // The composition root starts everything; the command line reaches it.
        "server" | "cli" | "main" | "lib" => Vec::new(),
        // The schedule and the HTTP endpoint run jobs; the jobs run use cases.
        "schedule" => FRONT_ENDS.iter().copied().filter(|m| *m != "jobs").collect(),
        "http" => FRONT_ENDS.iter().copied().filter(|m| *m != "jobs").collect(),
        // The dashboard's chat hands free chat to the agent, and its confirmations
        // go through the agent's tool registry.
        "web" => FRONT_ENDS
            .iter()
            .copied()
            .filter(|m| !matches!(*m, "web" | "agent"))
            .collect(),
        // The bot delivers the jobs' messages and hands free chat to the agent.
        "discord" => FRONT_ENDS
            .iter()
            .copied()
            .filter(|m| !matches!(*m, "discord" | "agent" | "jobs"))
            .collect(),
        // The terminal's commands run the agent for `chat` and `briefing --polish`.
        "commands" => FRONT_ENDS
            .iter()
            .copied()
            .filter(|m| !matches!(*m, "commands" | "agent" | "jobs"))
            .collect(),
        // The MCP server offers the agent's tool registry.
        "mcp" => FRONT_ENDS
            .iter()
            .copied()
            .filter(|m| !matches!(*m, "mcp" | "agent"))
            .collect(),
        other => FRONT_ENDS.iter().copied().filter(|m| *m != other).collect(),
    }
}

/// Who may import the composition root and the command line: only the command line
/// (the binary is outside `src/`'s modules).
const ONLY_FROM_CLI: &[&str] = &["server", "cli"];

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The top-level modules `text` names with `crate::` (in `use` lines and paths).
fn named(text: &str) -> BTreeSet<String> {
    let code = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    let mut names = BTreeSet::new();
    for line in code.lines().map(str::trim_start).filter(|l| !l.starts_with("//")) {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.insert(name);
            }
        }
        // `use crate::{a, b::c}`
        if let Some(group) = line.strip_prefix("use crate::{") {
            for part in group.split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    names.insert(name);
                }
            }
        }
    }
    names
}

fn graph() -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for file in files {
        let module = module_of(&src, &file);
        let text = std::fs::read_to_string(&file).unwrap();
        for name in named(&text) {
            if name != module {
                graph
                    .entry(module.clone())
                    .or_default()
                    .entry(name)
                    .or_default()
                    .push(file.strip_prefix(&src).unwrap().display().to_string());
            }
        }
    }
    graph
}

#[test]
fn no_module_imports_what_its_layer_may_not() {
    let mut broken = Vec::new();
    for (module, imports) in graph() {
        for root in ONLY_FROM_CLI {
            if module != "cli"
                && module != "server"
                && let Some(files) = imports.get(*root)
            {
                broken.push(format!("{module} -> {root} (in {})", files.join(", ")));
            }
        }
        if module == "store" {
            for (name, files) in &imports {
                broken.push(format!(
                    "store -> {name} (in {}): the store imports nothing else",
                    files.join(", ")
                ));
            }
        }
        for banned in forbidden(&module) {
            if let Some(files) = imports.get(banned) {
                broken.push(format!("{module} -> {banned} (in {})", files.join(", ")));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "imports across the layers:\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_top_level_modules_import_each_other_in_no_circle() {
    let graph = graph();
    // Depth-first search for a back edge, reporting the circle it closes.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        circles: &mut Vec<String>,
    ) {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_string());
            circles.push(circle.join(" -> "));
            return;
        }
        if done.contains(node) {
            return;
        }
        path.push(node.to_string());
        for next in graph
            .get(node)
            .map(|m| m.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            visit(&next, graph, path, done, circles);
        }
        path.pop();
        done.insert(node.to_string());
    }
    let mut circles = Vec::new();
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, &graph, &mut Vec::new(), &mut done, &mut circles);
    }
    assert!(
        circles.is_empty(),
        "circles between modules:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_reading_of_paths_finds_what_a_file_names() {
    let text = "use crate::app::{Ctx, Look};\nuse crate::{config::Config, store};\nfn f() { crate::jobs::run(); }\n// crate::discord is a comment\n#[cfg(test)]\nmod tests {\n    use crate::cli;\n}\n";
    let names: Vec<String> = named(text).into_iter().collect();
    assert_eq!(names, ["app", "config", "jobs", "store"]);
}
