//! The registry's own promises: every tool named once, lean object schemas, the
//! right fields required, destructive tools marked, an object schema of the result
//! of every reading tool, and argument errors that name the problem.

use super::*;
use crate::store::Operation;

const NAMES: [&str; 49] = [
    "add_task",
    "complete_task",
    "update_task",
    "delete_task",
    "search_tasks",
    "add_event",
    "list_events",
    "list_projects",
    "update_project",
    "add_note",
    "remember",
    "create_initiative",
    "update_initiative",
    "get_quarter_plan",
    "add_update",
    "link_pr",
    "get_goals",
    "goal_report",
    "get_kpi",
    "get_arr_data",
    "update_arr_data",
    "list_waiting",
    "add_waiting",
    "list_files",
    "read_file",
    "append_file",
    "write_file",
    "git_status",
    "git_log",
    "undo_change",
    "get_briefing",
    "suggest_tasks",
    "get_context",
    "set_context",
    "weekly_review",
    "archive_tasks",
    "waiting_received",
    "waiting_followup",
    "sync",
    "show_project",
    "create_project",
    "create_goal",
    "project_link",
    "get_telos",
    "get_agenda",
    "tell_team",
    "message_person",
    "escalate_task",
    "get_team_digest",
];

fn function<'a>(definitions: &'a [Value], name: &str) -> &'a Value {
    definitions
        .iter()
        .map(|definition| &definition["function"])
        .find(|function| function["name"] == name)
        .unwrap_or_else(|| panic!("no definition of {name}"))
}

#[test]
fn every_tool_is_defined_once_with_an_object_schema() {
    let registry = Registry::new();
    let definitions = registry.definitions();
    assert_eq!(definitions.len(), NAMES.len());
    for name in NAMES {
        let count = definitions
            .iter()
            .filter(|definition| definition["function"]["name"] == name)
            .count();
        assert_eq!(count, 1, "{name}");
    }
    for definition in &definitions {
        assert_eq!(definition["type"], "function");
        let function = &definition["function"];
        assert!(
            function["description"]
                .as_str()
                .is_some_and(|d| !d.is_empty() && d.len() < 100),
            "{function}"
        );
        let parameters = &function["parameters"];
        assert_eq!(parameters["type"], "object", "{function}");
        assert!(parameters["properties"].is_object(), "{function}");
        assert_eq!(parameters["additionalProperties"], false, "{function}");
        let text = parameters.to_string();
        // A schema's title or format is a string; a field may be named title.
        for noise in [
            "$schema",
            "\"title\":\"",
            "\"format\":\"",
            "\"null\"",
            "$ref",
            "definitions",
        ] {
            assert!(!text.contains(noise), "{noise} in {text}");
        }
    }
}

#[test]
fn every_reading_tool_and_only_a_reading_tool_has_an_object_result_schema() {
    let registry = Registry::new();
    for name in registry.names() {
        let reads = registry.effect(name) == Some(Effect::Reads);
        let schema = registry.output_schema(name);
        assert_eq!(schema.is_some(), reads, "{name}");
        if let Some(schema) = schema {
            // MCP's structuredContent is an object; the schema is whole, no references.
            assert_eq!(schema["type"], "object", "{name}: {schema}");
            assert!(schema["properties"].is_object(), "{name}: {schema}");
            let text = schema.to_string();
            assert!(
                !text.contains("$ref") && !text.contains("$schema"),
                "{name}: {text}"
            );
        }
    }
}

#[test]
fn add_task_requires_only_its_text() {
    let definitions = Registry::new().definitions();
    let parameters = &function(&definitions, "add_task")["parameters"];
    assert_eq!(parameters["required"], serde_json::json!(["text"]));
    let properties: Vec<&String> = parameters["properties"].as_object().unwrap().keys().collect();
    assert_eq!(
        properties,
        ["text", "priority", "due", "project", "context", "owner"]
    );
    assert_eq!(parameters["properties"]["priority"]["type"], "string");
    assert_eq!(parameters["properties"]["priority"]["pattern"], "^[A-Za-z]$");
    let events = &function(&definitions, "add_event")["parameters"];
    assert_eq!(events["required"], serde_json::json!(["date", "text"]));
    let status = &function(&definitions, "update_project")["parameters"]["properties"]["status"];
    assert_eq!(
        status["enum"],
        serde_json::json!(["planning", "active", "blocked", "someday", "done"])
    );
}

#[test]
fn the_plan_tools_speak_the_plans_words_and_figures_are_numbers() {
    let definitions = Registry::new().definitions();
    for name in ["create_initiative", "update_initiative"] {
        let status = &function(&definitions, name)["parameters"]["properties"]["status"];
        assert_eq!(
            status["enum"],
            serde_json::json!(["planning", "in-progress", "blocked", "completed"]),
            "{name}"
        );
    }
    let create = &function(&definitions, "create_initiative")["parameters"];
    assert_eq!(create["required"], serde_json::json!(["slug", "title"]));
    assert_eq!(create["properties"]["tags"]["items"]["type"], "string");
    let reading = &function(&definitions, "update_arr_data")["parameters"];
    assert_eq!(reading["required"], serde_json::json!(["figures"]));
    let figures = &reading["properties"]["figures"];
    assert_eq!(figures["type"], "object");
    assert_eq!(
        figures["additionalProperties"],
        serde_json::json!({"type": "number"})
    );
    let link = &function(&definitions, "link_pr")["parameters"];
    assert_eq!(link["required"], serde_json::json!(["slug", "url"]));
    assert_eq!(
        link["properties"]["state"]["enum"],
        serde_json::json!(["open", "draft", "merged", "closed"])
    );
}

#[test]
fn exactly_the_starred_tools_are_destructive() {
    let registry = Registry::new();
    let destructive: Vec<&str> = NAMES
        .into_iter()
        .filter(|name| registry.is_destructive(name))
        .collect();
    assert_eq!(destructive, ["delete_task", "write_file", "undo_change"]);
    assert!(!registry.is_destructive("no_such_tool"));
}

#[test]
fn exactly_the_tools_that_write_change_the_store_on_the_models_word() {
    let registry = Registry::new();
    let changing: Vec<&str> = NAMES.into_iter().filter(|name| registry.changes(name)).collect();
    assert_eq!(
        changing,
        [
            "add_task",
            "complete_task",
            "update_task",
            "add_event",
            "update_project",
            "add_note",
            "remember",
            "create_initiative",
            "update_initiative",
            "add_update",
            "link_pr",
            "update_arr_data",
            "add_waiting",
            "append_file",
            "set_context",
            "weekly_review",
            "archive_tasks",
            "waiting_received",
            "waiting_followup",
            "sync",
            "create_project",
            "create_goal",
            "project_link",
            "tell_team",
            "message_person",
            "escalate_task",
        ]
    );
    assert_eq!(registry.effect("search_tasks"), Some(Effect::Reads));
    assert_eq!(registry.effect("no_such_tool"), None);
}

#[test]
fn lean_keeps_a_field_named_like_a_schema_word() {
    let mut schema = serde_json::json!({
        "title": "X",
        "type": "object",
        "properties": {"title": {"type": ["string", "null"], "title": "t", "default": null}},
    });
    lean(&mut schema);
    assert_eq!(
        schema,
        serde_json::json!({"type": "object", "properties": {"title": {"type": "string"}}})
    );
}

/// A store made from the template in a temporary directory, and a context on it.
fn with_context(check: impl FnOnce(&ToolContext)) {
    crate::app::sample::with_ctx(check)
}

fn failure(outcome: Outcome) -> String {
    match outcome {
        Outcome::Failed(message) => message,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn argument_errors_name_the_problem() {
    with_context(|ctx| {
        let registry = Registry::new();
        let call = |name: &str, arguments: Value| failure(registry.call(ctx, name, &arguments));
        let cases = [
            ("add_task", serde_json::json!({}), "missing field `text`"),
            (
                "add_task",
                serde_json::json!({"text": 5}),
                "invalid type: integer `5`, expected a string",
            ),
            (
                "add_task",
                serde_json::json!({"text": "x", "colour": "red"}),
                "unknown field `colour`",
            ),
            ("add_task", serde_json::json!([1]), "expected a JSON object"),
            (
                "add_task",
                serde_json::json!("not json"),
                "expected a JSON object",
            ),
            (
                "list_projects",
                serde_json::json!({"status": "busy"}),
                "unknown variant `busy`",
            ),
            (
                "search_tasks",
                serde_json::json!({"limit": -1}),
                "invalid value: integer `-1`",
            ),
            ("git_status", serde_json::json!({"x": 1}), "unknown field `x`"),
        ];
        for (name, arguments, expected) in cases {
            let message = call(name, arguments.clone());
            assert!(
                message.starts_with(&format!("invalid arguments for {name}: ")),
                "{message}"
            );
            assert!(message.contains(expected), "{name} {arguments}: {message}");
        }
        let unknown = call("drop_tables", serde_json::json!({}));
        assert!(unknown.contains("no tool \"drop_tables\""), "{unknown}");
        assert!(unknown.contains("add_task"), "{unknown}");
        // Arguments given as a JSON string, and no arguments at all, are read too.
        let listed = registry.call(ctx, "list_events", &Value::String("{}".into()));
        assert!(matches!(listed, Outcome::Done(_)), "{listed:?}");
        let status = registry.call(ctx, "git_status", &Value::Null);
        assert!(matches!(status, Outcome::Done(_)), "{status:?}");
    });
}

#[test]
fn a_pending_change_is_only_for_its_tool_its_person_and_its_time() {
    with_context(|ctx| {
        let registry = Registry::new();
        let pending = Pending::new(
            ctx,
            "delete_task",
            "Delete line 1".into(),
            Operation::DeleteTask { line: "x".into() },
        );
        let mut other_person = pending.clone();
        other_person.handle = "bob".into();
        assert!(failure(registry.confirm(ctx, &other_person)).contains("only bob can confirm"));
        let mut expired = pending.clone();
        expired.expires = ctx.now - TimeDelta::minutes(1);
        assert!(failure(registry.confirm(ctx, &expired)).contains("expired"));
        let mut forever = pending.clone();
        forever.expires = ctx.now + TimeDelta::days(365);
        assert!(failure(registry.confirm(ctx, &forever)).contains("expired"));
        let mut smuggled = pending.clone();
        smuggled.action = PendingAction::Apply {
            operation: Operation::Archive,
        };
        assert!(
            failure(registry.confirm(ctx, &smuggled)).contains("does not hold a change delete_task makes")
        );
        let mut harmless = pending.clone();
        harmless.tool = "add_task".into();
        assert!(failure(registry.confirm(ctx, &harmless)).contains("needs no confirmation"));
        // A forged write is checked again where it would write.
        let forged = Pending::new(
            ctx,
            "write_file",
            "Create notes/a.md".into(),
            Operation::WriteFile {
                path: ".git/config".into(),
                content: "x".into(),
                base: crate::store::operation::content_hash(b""),
            },
        );
        assert!(failure(registry.confirm(ctx, &forged)).contains("inside .git"));
        // The real one reaches the store, which says the line is not there.
        assert!(failure(registry.confirm(ctx, &pending)).contains("no longer applies"));
        let json = serde_json::to_string(&pending).unwrap();
        assert_eq!(serde_json::from_str::<Pending>(&json).unwrap(), pending);
    });
}

#[test]
fn held_changes_run_in_order_once_confirmed_and_a_forged_list_runs_nothing() {
    with_context(|ctx| {
        let registry = Registry::new();
        let held = |tool: &str, arguments: Value| HeldCall {
            tool: tool.into(),
            arguments,
        };
        let todo = || String::from_utf8(ctx.store.read("todo.txt").unwrap()).unwrap();
        let before = todo();
        let pending = registry.hold(
            "ana",
            ctx.now,
            5,
            vec![
                held("add_task", serde_json::json!({"text": "Held one"})),
                held("add_task", Value::String(r#"{"text": "Held two"}"#.into())),
            ],
        );
        assert_eq!(
            pending.preview,
            "2 more changes from one request (the assistant makes at most 5 without your word):\n\
             - add_task {\"text\":\"Held one\"}\n- add_task {\"text\": \"Held two\"}\n\
             Make these 2 changes"
        );
        let forged = registry.hold(
            "ana",
            ctx.now,
            5,
            vec![
                held("add_task", serde_json::json!({"text": "Smuggled"})),
                held("delete_task", serde_json::json!({"task": "1"})),
            ],
        );
        assert!(failure(registry.confirm(ctx, &forged)).contains("delete_task is not a change"));
        let mut as_a_delete = pending.clone();
        as_a_delete.tool = "delete_task".into();
        assert!(failure(registry.confirm(ctx, &as_a_delete)).contains("does not hold a change"));
        let mut someone_elses = pending.clone();
        someone_elses.handle = "bob".into();
        assert!(failure(registry.confirm(ctx, &someone_elses)).contains("only bob can confirm"));
        assert_eq!(todo(), before, "nothing ran");

        let Outcome::Done(done) = registry.confirm(ctx, &pending) else {
            panic!("the held changes run");
        };
        assert_eq!(done.lines().count(), 2, "{done}");
        assert!(todo().ends_with("Held one\n2026-11-23 Held two\n"), "{}", todo());
    });
}
