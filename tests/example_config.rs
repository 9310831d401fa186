//! The committed example configuration is valid: `myorg.example.toml` loads, states
//! the defaults, and documents every key the program reads (set, or commented out as
//! `# key = …`), read from the JSON Schema of `Config`, and no key it does not.

use myorg_assistant::config::DEFAULT_JOBS;
use myorg_assistant::store::SyncPolicy;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

mod support;

#[test]
fn the_example_configuration_loads() {
    let dir = tempfile::TempDir::new().unwrap();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/myorg.example.toml");
    let output = support::myorg_command(dir.path(), &["--config", example, "--store", "s", "status"], &[])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_example_states_the_default_sync_policy_and_values_are_read() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("myorg.example.toml");
    let config = myorg_assistant::validate::load(Some(&example)).unwrap();
    assert_eq!(config.sync_policy(), SyncPolicy::default());
    assert_eq!(config.stale_after(), Duration::from_secs(300));

    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("myorg.toml");
    std::fs::write(
        &file,
        "[store]\nsync_every_secs = 60\npush_window_ms = 250\nfirst_retry_secs = 2\nstale_after_secs = 10\n",
    )
    .unwrap();
    let config = myorg_assistant::validate::load(Some(&file)).unwrap();
    assert_eq!(
        config.sync_policy(),
        SyncPolicy {
            every: Duration::from_secs(60),
            push_window: Duration::from_millis(250),
            first_retry: Duration::from_secs(2),
        }
    );
    assert_eq!(config.stale_after(), Duration::from_secs(10));
}

#[test]
fn the_example_states_the_default_schedule_and_one_job_is_changed_alone() {
    use myorg_assistant::config::{SchedulerConfig, SchedulerMode};
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("myorg.example.toml");
    let config = myorg_assistant::validate::load(Some(&example)).unwrap();
    let defaults = SchedulerConfig::default();
    assert_eq!(config.scheduler.jobs, defaults.jobs);
    assert_eq!(config.scheduler.mode, SchedulerMode::InProcess);
    assert_eq!(config.scheduler.catch_up_minutes, defaults.catch_up_minutes);

    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("myorg.toml");
    std::fs::write(
        &file,
        "[scheduler]\nmode = \"external\"\n[scheduler.jobs]\ngit-sync = \"\"\n",
    )
    .unwrap();
    let config = myorg_assistant::validate::load(Some(&file)).unwrap();
    assert_eq!(config.scheduler.mode, SchedulerMode::External);
    assert_eq!(config.scheduler.jobs["git-sync"], "");
    assert_eq!(config.scheduler.jobs["morning-briefing"], "0 8 * * *");
    assert_eq!(config.scheduler.jobs.len(), defaults.jobs.len());
}

/// Every key path of the configuration: `table.key` for a value, with the tables
/// (`[store]`, `[[people]]`, `[scheduler.jobs]`…) apart; arrays of tables and maps
/// by their table's path. Read from the JSON Schema of `Config`, so a field added to
/// any settings struct is in it.
fn configuration_keys() -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let schema = schemars::schema_for!(myorg_assistant::config::Config);
    let root = schema.as_value().clone();
    let (mut keys, mut tables, mut maps) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    walk(&root, &root, "", &mut keys, &mut tables, &mut maps);
    (keys, tables, maps)
}

/// `schema` with its `$ref` followed, and an optional value's `null` left out.
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/$defs/");
        return resolve(root, &root["$defs"][name]);
    }
    for any in ["anyOf", "oneOf"] {
        if let Some(variants) = schema.get(any).and_then(Value::as_array) {
            let real: Vec<&Value> = variants
                .iter()
                .filter(|variant| variant.get("type") != Some(&json!("null")))
                .collect();
            if let [one] = real[..] {
                return resolve(root, one);
            }
        }
    }
    schema
}

fn walk(
    root: &Value,
    schema: &Value,
    path: &str,
    keys: &mut BTreeSet<String>,
    tables: &mut BTreeSet<String>,
    maps: &mut BTreeSet<String>,
) {
    let schema = resolve(root, schema);
    let join = |name: &str| {
        if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (name, property) in properties {
        let here = join(name);
        let property = resolve(root, property);
        let items = property.get("items").map(|items| resolve(root, items));
        if property.get("properties").is_some() {
            tables.insert(here.clone());
            walk(root, property, &here, keys, tables, maps);
        } else if let Some(items) = items.filter(|items| items.get("properties").is_some()) {
            tables.insert(here.clone());
            walk(root, items, &here, keys, tables, maps);
        } else if property.get("additionalProperties").is_some_and(Value::is_object) {
            tables.insert(here.clone());
            maps.insert(here);
        } else {
            keys.insert(here);
        }
    }
}

/// What `text` documents: the tables of its headers and the `table.key` of its keys,
/// each set (`key = …`) or commented out (`# key = …`); a commented header
/// (`# [[people]]`) opens its table as a written one does. Prose never starts with a
/// lower-case word and ` =`.
fn documented(text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut tables, mut keys) = (BTreeSet::new(), BTreeSet::new());
    let mut table = String::new();
    for line in text.lines() {
        let line = line.trim();
        let line = line.strip_prefix('#').map_or(line, str::trim_start);
        if let Some(header) = line.strip_prefix('[') {
            let header = header.trim_start_matches('[');
            if let Some((name, _)) = header.split_once(']') {
                table = name.trim().to_string();
                tables.insert(table.clone());
            }
            continue;
        }
        let Some((key, _)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        let is_key = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if is_key {
            keys.insert(if table.is_empty() {
                key.to_string()
            } else {
                format!("{table}.{key}")
            });
        }
    }
    (tables, keys)
}

/// The keys of `Config` that `example` leaves out, and the keys it documents that
/// the program does not read.
fn compare(example: &str) -> (Vec<String>, Vec<String>) {
    let (keys, tables, maps) = configuration_keys();
    let (written_tables, written_keys) = documented(example);
    let mut missing: Vec<String> = tables
        .iter()
        .filter(|table| !written_tables.contains(*table))
        .map(|table| format!("[{table}]"))
        .collect();
    missing.extend(keys.iter().filter(|key| !written_keys.contains(*key)).cloned());
    // The maps: `[scheduler.jobs]` by job name, and `[directives]` by tool or action
    // (its keys are checked by `myorg directives`, and its table must be shown).
    let jobs: Vec<&str> = DEFAULT_JOBS.iter().map(|(name, _)| *name).collect();
    assert_eq!(maps.iter().collect::<Vec<_>>(), ["directives", "scheduler.jobs"]);
    if !written_tables.iter().any(|table| table == "directives") {
        missing.push("[directives]".to_string());
    }
    for job in &jobs {
        let key = format!("scheduler.jobs.{job}");
        if !written_keys.contains(&key) {
            missing.push(key);
        }
    }
    let unknown = written_keys
        .iter()
        .filter(|key| {
            !keys.contains(*key)
                && !key.starts_with("directives.")
                && !key
                    .strip_prefix("scheduler.jobs.")
                    .is_some_and(|job| jobs.contains(&job))
        })
        .cloned()
        .collect();
    (missing, unknown)
}

#[test]
fn the_example_documents_every_key_the_program_reads_and_no_other() {
    let example =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("myorg.example.toml")).unwrap();
    let (missing, unknown) = compare(&example);
    assert!(missing.is_empty(), "not in myorg.example.toml: {missing:?}");
    assert!(
        unknown.is_empty(),
        "in myorg.example.toml, read by nothing: {unknown:?}"
    );
    // The reading is exact: the lines of a key taken out (set or commented), or a
    // table's header, are missed.
    let (keys, _, _) = configuration_keys();
    assert!(keys.len() > 50, "{keys:?}");
    for (start, what) in [
        ("first_retry_secs =", "store.first_retry_secs"),
        ("# quiet_hours =", "people.quiet_hours"),
        ("# tier =", "llm.providers.tier"),
        ("# token =", "git.token"),
        ("[reminders]", "[reminders]"),
        ("git-sync =", "scheduler.jobs.git-sync"),
    ] {
        let without: String = example
            .lines()
            .filter(|l| !l.trim_start().starts_with(start))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_ne!(without.len(), example.len(), "{start}");
        let (missing, _) = compare(&without);
        assert!(
            missing.iter().any(|m| m == what),
            "{what} not missed: {missing:?}"
        );
    }
    // And a key the program does not read is one too many.
    let (_, unknown) = compare(&format!("{example}\n[store]\n# sync_every_minutes = 15\n"));
    assert_eq!(unknown, ["store.sync_every_minutes"]);
}
