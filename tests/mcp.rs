//! `myorg mcp`, the assistant as an MCP server: in process, an rmcp client over an
//! in-memory duplex against [`mcp::Server`] (every registry tool listed with its
//! hints and every reading one with its result's schema; every tool called with
//! valid arguments, each read changing nothing and giving data that fits its schema
//! and says what the store holds; a read, a change committed as the person via
//! `mcp`, bad arguments and unknown tools as tool errors that change nothing, a
//! destructive tool confirmed,
//! declined, and with a client that cannot ask; the quarter-plan and figures tools
//! with their hints and a reading committed; the documents as resources read in
//! pages, task lists through the template, the briefings as prompts, and what names
//! nothing as an error); and the real binary as a child process over stdio
//! (initialize, tools/list, tools/call add_task, a resource and a prompt), with the
//! median times of a read and of a change printed, not asserted.

use chrono::{NaiveDate, NaiveDateTime};
use myorg_assistant::agent::tools::{Effect, Registry};
use myorg_assistant::app::App;
use myorg_assistant::clock::Clock;
use myorg_assistant::config::Config;
use myorg_assistant::mcp;
use myorg_assistant::store::{Store, StoreSettings};
use rmcp::model::{
    CallToolRequestParams, CallToolResult, ClientCapabilities, ClientConfig, ElicitRequestParams,
    ElicitResult, ElicitationAction, GetPromptRequestParams, Implementation, ReadResourceRequestParams,
    ResourceContents,
};
use rmcp::service::{RequestContext, RunningService};
use rmcp::{ClientHandler, ErrorData, RoleClient, ServiceExt};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::{Arc, Mutex};
use tempfile::TempDir;

mod support;

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 23)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap()
}

/// The person at the client: answers a confirmation with `says` (`None`: the client
/// cannot ask at all), and keeps the questions it was asked.
#[derive(Clone)]
struct Person {
    says: Option<bool>,
    asked: Arc<Mutex<Vec<String>>>,
}

impl ClientHandler for Person {
    fn get_info(&self) -> ClientConfig {
        let capabilities = match self.says {
            Some(_) => ClientCapabilities::builder().enable_elicitation().build(),
            None => ClientCapabilities::default(),
        };
        ClientConfig::new(capabilities, Implementation::new("test-client", "1"))
    }

    async fn create_elicitation(
        &self,
        request: ElicitRequestParams,
        _context: RequestContext<RoleClient>,
    ) -> Result<ElicitResult, ErrorData> {
        if let ElicitRequestParams::FormElicitationParams { message, .. } = request {
            self.asked.lock().unwrap().push(message);
        }
        Ok(match self.says {
            Some(true) => ElicitResult::new(ElicitationAction::Accept).with_content(json!({"confirm": true})),
            _ => ElicitResult::new(ElicitationAction::Decline),
        })
    }
}

/// A store from the template, served to a client of `person`.
struct Session {
    dir: TempDir,
    client: RunningService<RoleClient, Person>,
    asked: Arc<Mutex<Vec<String>>>,
}

async fn session(says: Option<bool>) -> Session {
    let dir = TempDir::new().unwrap();
    let store = Store::open(StoreSettings::local(dir.path().join("store"))).unwrap();
    let mut config = Config::default();
    config.user.name = Some("Ana".into());
    config.user.email = Some("ana@example.com".into());
    let clock = Clock::new(Some(now()), config.store_timezone().unwrap());
    let app = App::new(Arc::new(config), Arc::new(store), clock).unwrap();
    let server = mcp::Server::new(Arc::new(app)).unwrap();
    let (client_side, server_side) = tokio::io::duplex(64 * 1024);
    tokio::spawn(async move {
        if let Ok(running) = server.serve(server_side).await {
            let _ = running.waiting().await;
        }
    });
    let asked = Arc::new(Mutex::new(Vec::new()));
    let person = Person {
        says,
        asked: Arc::clone(&asked),
    };
    let client = person.serve(client_side).await.unwrap();
    Session { dir, client, asked }
}

impl Session {
    fn store(&self) -> std::path::PathBuf {
        self.dir.path().join("store")
    }

    async fn call(&self, tool: &str, arguments: Value) -> CallToolResult {
        let Value::Object(arguments) = arguments else {
            panic!("arguments are an object")
        };
        self.client
            .call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(arguments))
            .await
            .unwrap()
    }

    fn todo(&self) -> String {
        std::fs::read_to_string(self.store().join("todo.txt")).unwrap()
    }

    /// The text of the resource `uri` and its `_meta`, or the error's message.
    async fn read(&self, uri: &str) -> Result<(String, Value), String> {
        let read = self
            .client
            .read_resource(ReadResourceRequestParams::new(uri))
            .await
            .map_err(|error| error.to_string())?;
        match read.contents.as_slice() {
            [ResourceContents::TextResourceContents { text, meta, .. }] => {
                Ok((text.clone(), serde_json::to_value(meta).unwrap_or_default()))
            }
            other => panic!("one text for {uri}: {other:?}"),
        }
    }

    /// The one message of the prompt `name` with `arguments`, or the error's message.
    async fn prompt(&self, name: &str, arguments: Value) -> Result<String, String> {
        let Value::Object(arguments) = arguments else {
            panic!("arguments are an object")
        };
        let got = self
            .client
            .get_prompt(GetPromptRequestParams::new(name).with_arguments(arguments))
            .await
            .map_err(|error| error.to_string())?;
        assert_eq!(got.messages.len(), 1, "{got:?}");
        let message = &got.messages[0];
        assert_eq!(message.role, rmcp::model::Role::User);
        Ok(message.content.as_text().expect("a text message").text.clone())
    }
}

fn text(result: &CallToolResult) -> String {
    result
        .content
        .iter()
        .filter_map(|block| block.as_text().map(|text| text.text.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_error(result: &CallToolResult) -> bool {
    result.is_error == Some(true)
}

/// The message of the store's newest commit.
fn last_commit(store: &Path) -> (String, String) {
    let repository = git2::Repository::open(store).unwrap();
    let head = repository.head().unwrap().peel_to_commit().unwrap();
    (
        head.id().to_string(),
        head.message().unwrap_or_default().to_string(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_registry_tool_is_listed_with_its_schema_and_hints() {
    let session = session(None).await;
    let tools = session.client.list_all_tools().await.unwrap();
    let registry = Registry::new();
    let names: Vec<String> = tools.iter().map(|tool| tool.name.to_string()).collect();
    assert_eq!(names, registry.names());
    let definitions = registry.definitions();
    for (tool, definition) in tools.iter().zip(&definitions) {
        let function = &definition["function"];
        assert_eq!(
            tool.description.as_deref(),
            function["description"].as_str(),
            "{}",
            tool.name
        );
        assert_eq!(
            Value::Object((*tool.input_schema).clone()),
            function["parameters"],
            "{}",
            tool.name
        );
        let hints = tool.annotations.clone().expect("every tool is annotated");
        let effect = registry.effect(&tool.name).unwrap();
        assert_eq!(
            hints.read_only_hint,
            Some(effect == Effect::Reads),
            "{}",
            tool.name
        );
        assert_eq!(
            hints.destructive_hint,
            Some(effect == Effect::Confirmed),
            "{}",
            tool.name
        );
        assert_eq!(
            hints.idempotent_hint,
            Some(effect == Effect::Reads),
            "{}",
            tool.name
        );
        assert_eq!(hints.open_world_hint, Some(false), "{}", tool.name);
        assert_eq!(
            tool.output_schema
                .as_ref()
                .map(|schema| Value::Object((**schema).clone())),
            registry.output_schema(&tool.name).cloned(),
            "{}",
            tool.name
        );
    }
    let structured: Vec<&str> = tools
        .iter()
        .filter(|tool| tool.output_schema.is_some())
        .map(|tool| tool.name.as_ref())
        .collect();
    assert_eq!(
        structured,
        [
            "search_tasks",
            "list_waiting",
            "list_events",
            "get_agenda",
            "list_projects",
            "show_project",
            "get_quarter_plan",
            "get_goals",
            "goal_report",
            "get_telos",
            "get_kpi",
            "get_arr_data",
            "list_files",
            "read_file",
            "git_status",
            "git_log",
            "get_briefing",
            "get_team_digest",
            "suggest_tasks",
            "get_context",
        ],
        "every reading tool and only they"
    );
    let reading: Vec<&str> = tools
        .iter()
        .filter(|tool| registry.effect(&tool.name) == Some(Effect::Reads))
        .map(|tool| tool.name.as_ref())
        .collect();
    assert_eq!(structured, reading);
    let destructive: Vec<&str> = tools
        .iter()
        .filter(|tool| tool.annotations.as_ref().and_then(|a| a.destructive_hint) == Some(true))
        .map(|tool| tool.name.as_ref())
        .collect();
    assert_eq!(destructive, ["delete_task", "write_file", "undo_change"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_answers_and_a_change_is_committed_as_the_person_via_mcp() {
    let session = session(None).await;
    let found = session.call("search_tasks", json!({"query": "+kitchen"})).await;
    assert!(!is_error(&found), "{}", text(&found));
    assert!(
        text(&found).contains("Choose tiles for the backsplash"),
        "{}",
        text(&found)
    );
    assert!(!text(&found).contains("Send Q4 report"), "{}", text(&found));

    let added = session
        .call("add_task", json!({"text": "Call the plumber", "due": "fri"}))
        .await;
    assert!(!is_error(&added), "{}", text(&added));
    assert!(text(&added).starts_with("Added "), "{}", text(&added));
    assert!(
        session
            .todo()
            .contains("2026-11-23 Call the plumber due:2026-11-27"),
        "{}",
        session.todo()
    );
    let (_, message) = last_commit(&session.store());
    assert!(message.contains("Requested-by: Ana (mcp)"), "{message}");
}

/// Where `value` does not fit `schema` (the JSON Schema words a structured result's
/// schema uses: `type`, with `null` among them for optional fields, `properties`,
/// `required`, `items`, `additionalProperties`), `at` naming the place.
fn misfits(schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let mut found = Vec::new();
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let allowed: Vec<&str> = match &schema["type"] {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let fits =
        allowed.is_empty() || allowed.contains(&kind) || (kind == "integer" && allowed.contains(&"number"));
    if !fits {
        found.push(format!("{at}: {kind} where the schema says {allowed:?}"));
    }
    if let (Value::Object(fields), Some(properties)) = (value, schema["properties"].as_object()) {
        for required in schema["required"].as_array().into_iter().flatten() {
            if let Some(name) = required.as_str()
                && !fields.contains_key(name)
            {
                found.push(format!("{at}.{name}: missing"));
            }
        }
        for (name, field) in fields {
            match properties.get(name) {
                Some(inner) => found.extend(misfits(inner, field, &format!("{at}.{name}"))),
                None if schema["additionalProperties"] == false => {
                    found.push(format!("{at}.{name}: not in the schema"))
                }
                None => {}
            }
        }
    }
    if let Value::Array(items) = value {
        for (index, item) in items.iter().enumerate() {
            found.extend(misfits(&schema["items"], item, &format!("{at}[{index}]")));
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_tasks_gives_a_structured_result_that_fits_its_schema_beside_the_text() {
    let session = session(None).await;
    let tools = session.client.list_all_tools().await.unwrap();
    let search = tools.iter().find(|tool| tool.name == "search_tasks").unwrap();
    let schema = Value::Object((*search.output_schema.clone().unwrap()).clone());
    assert_eq!(schema["type"], "object", "{schema}");

    let found = session
        .call("search_tasks", json!({"query": "+website", "limit": 2}))
        .await;
    assert!(!is_error(&found), "{}", text(&found));
    let data = found.structured_content.clone().expect("a structured result");
    assert_eq!(misfits(&schema, &data, "result"), Vec::<String>::new(), "{data}");
    let all = session
        .call("search_tasks", json!({"query": "+website", "limit": 100}))
        .await;
    let total = text(&all).lines().count();
    assert_eq!(data["total"], total, "{data}");
    let tasks = data["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 2, "as many as the text shows");
    // The text and the data say the same, in the same order.
    let said = text(&found);
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(lines[2], format!("… and {} more", total - 2));
    for (task, line) in tasks.iter().zip(&lines) {
        assert_eq!(
            format!(
                "{} {}",
                task["ref"].as_str().unwrap(),
                task["raw"].as_str().unwrap()
            ),
            *line
        );
        assert!(
            task["projects"].as_array().unwrap().contains(&json!("website")),
            "{task}"
        );
    }
    assert_eq!(tasks[0]["priority"], "A", "{data}");
    assert_eq!(tasks[0]["due"], "2026-11-20", "{data}");
    // A change, and a failed search, have none.
    let added = session
        .call("add_task", json!({"text": "Call the plumber"}))
        .await;
    assert!(!is_error(&added) && added.structured_content.is_none());
    let failed = session
        .call("search_tasks", json!({"due_before": "the 31st of february"}))
        .await;
    assert!(
        is_error(&failed) && failed.structured_content.is_none(),
        "{}",
        text(&failed)
    );
}

/// Valid arguments for every tool of the registry, in the order they are called on
/// the sample store (2026-11-23 08:00): the context set first, the reads on the
/// sample, then the changes. A tool missing here fails
/// `every_tool_answers_and_every_read_gives_data_that_fits_its_schema_and_the_store`.
fn every_call() -> Vec<(&'static str, Value)> {
    vec![
        ("set_context", json!({"context": "@phone"})),
        ("get_context", json!({})),
        ("search_tasks", json!({"query": "+website"})),
        ("list_waiting", json!({})),
        ("list_events", json!({"from": "2026-11-23", "to": "2026-11-23"})),
        ("list_projects", json!({})),
        ("get_quarter_plan", json!({})),
        ("get_goals", json!({})),
        ("goal_report", json!({})),
        ("get_kpi", json!({"key": "mrr"})),
        ("get_arr_data", json!({})),
        ("list_files", json!({})),
        ("read_file", json!({"path": "telos.md"})),
        ("git_status", json!({})),
        ("git_log", json!({"limit": 2})),
        ("get_briefing", json!({"kind": "morning"})),
        ("get_team_digest", json!({})),
        ("suggest_tasks", json!({"limit": 3})),
        ("add_task", json!({"text": "Call the plumber", "due": "fri"})),
        (
            "complete_task",
            json!({"task": "Call the plumber", "summary": "Booked for Wednesday"}),
        ),
        ("update_task", json!({"task": "backsplash", "priority": "B"})),
        ("delete_task", json!({"task": "backsplash"})),
        (
            "add_event",
            json!({"date": "2026-11-25", "time": "10:00", "text": "Plumber visit"}),
        ),
        (
            "update_project",
            json!({"slug": "kitchen", "update": "Tiles chosen"}),
        ),
        (
            "add_note",
            json!({"text": "The plumber comes Wednesday", "project": "kitchen"}),
        ),
        ("remember", json!({"text": "The plumber prefers mornings"})),
        ("weekly_review", json!({"answer": "next"})),
        (
            "create_initiative",
            json!({"slug": "mcp-server", "title": "Offer the assistant over MCP", "target_date": "2026-12-20"}),
        ),
        (
            "update_initiative",
            json!({"slug": "mcp-server", "status": "blocked"}),
        ),
        (
            "add_update",
            json!({"slug": "mcp-server", "text": "Every tool answers"}),
        ),
        (
            "link_pr",
            json!({"slug": "mcp-server", "url": "https://example.com/myorg/pull/1", "state": "open"}),
        ),
        ("update_arr_data", json!({"figures": {"mrr": 1300}})),
        ("tell_team", json!({"text": "The plumber comes Wednesday"})),
        (
            "message_person",
            json!({"person": "ana", "text": "Bring the tiles"}),
        ),
        (
            "escalate_task",
            json!({"task": "Fix broken contact form", "why": "blocked on the host"}),
        ),
        (
            "add_waiting",
            json!({"who": "ruiz", "what": "The plumber's invoice"}),
        ),
        (
            "append_file",
            json!({"path": "notes/mcp.md", "text": "First line"}),
        ),
        (
            "write_file",
            json!({"path": "notes/mcp.md", "content": "Whole new content\n"}),
        ),
        ("show_project", json!({"slug": "kitchen"})),
        ("get_telos", json!({"section": "current focus"})),
        ("get_agenda", json!({"days": 2})),
        ("sync", json!({})),
        (
            "waiting_followup",
            json!({"item": "Countertop quote", "when": "fri"}),
        ),
        ("waiting_received", json!({"item": "Countertop quote"})),
        ("archive_tasks", json!({})),
        (
            "create_project",
            json!({"slug": "balcony", "text": "Plan the balcony", "goal": "home-refresh"}),
        ),
        (
            "create_goal",
            json!({"slug": "calm-q1", "text": "A calmer first quarter", "quarter": "2027Q1"}),
        ),
        (
            "project_link",
            json!({"slug": "balcony", "url": "https://example.com/balcony", "text": "Sketch"}),
        ),
        ("undo_change", json!({})),
    ]
}

/// Every file of the store but git's, with its bytes.
fn files_of(store: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, found: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|name| name == ".git") {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, found);
            } else {
                let name = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                found.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut found = std::collections::BTreeMap::new();
    walk(store, store, &mut found);
    found
}

/// Line `line` (from 1) of the store file `file`.
fn line_of(store: &Path, file: &str, line: &Value) -> String {
    let text = std::fs::read_to_string(store.join(file)).unwrap();
    let index = line.as_u64().unwrap_or_else(|| panic!("a line number: {line}")) as usize;
    text.lines().nth(index - 1).unwrap_or_default().to_string()
}

/// What a reading tool's data says that the store (and its text) can confirm.
fn check_against_the_store(store: &Path, tool: &str, data: &Value, said: &str) {
    let todo = std::fs::read_to_string(store.join("todo.txt")).unwrap();
    let (head, _) = last_commit(store);
    match tool {
        "get_context" => assert_eq!(
            *data,
            json!({"context": "@phone", "why": "set until the end of the day"}),
            "as set before"
        ),
        "search_tasks" => {
            assert!(data["total"].as_u64().unwrap() > 0, "{data}");
            for task in data["tasks"].as_array().unwrap() {
                assert_eq!(line_of(store, "todo.txt", &task["line"]), task["raw"], "{task}");
                assert!(task["raw"].as_str().unwrap().contains("+website"), "{task}");
            }
        }
        "list_waiting" => {
            let open = todo
                .lines()
                .filter(|line| line.contains("@waiting") && !line.starts_with("x "))
                .count();
            assert_eq!(data["total"], open, "{data}");
            for item in data["items"].as_array().unwrap() {
                assert_eq!(line_of(store, "todo.txt", &item["line"]), item["raw"], "{item}");
                assert!(item["raw"].as_str().unwrap().contains("@waiting"), "{item}");
            }
            let countertop = data["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|item| item["who"] == "ruiz")
                .expect("the sample's countertop quote");
            assert!(
                countertop["what"]
                    .as_str()
                    .unwrap()
                    .starts_with("Countertop quote"),
                "{countertop}"
            );
            assert_eq!(countertop["since"], "2026-10-28");
        }
        "list_events" => {
            assert_eq!(
                (&data["from"], &data["to"]),
                (&json!("2026-11-23"), &json!("2026-11-23"))
            );
            assert_eq!(data["total"], 2, "standup and the dentist: {data}");
            let dentist = &data["events"][1];
            assert_eq!(
                (&dentist["date"], &dentist["start"], &dentist["text"]),
                (&json!("2026-11-23"), &json!("14:00"), &json!("dentist")),
                "{data}"
            );
            assert!(line_of(store, "calendar.txt", &dentist["line"]).starts_with("2026-11-23 w48 Mon"));
        }
        "list_projects" => {
            let projects = data["projects"].as_array().unwrap();
            assert_eq!(data["total"], projects.len());
            assert_eq!(data["done_left_out"], 1, "+old-blog is done: {data}");
            for project in projects {
                assert_eq!(line_of(store, "projects.txt", &project["line"]), project["raw"]);
            }
            let website = projects.iter().find(|p| p["slug"] == "website").unwrap();
            assert_eq!(
                (&website["status"], &website["owner"], &website["due"]),
                (&json!("active"), &json!("ana"), &json!("2026-12-15"))
            );
        }
        "get_quarter_plan" => {
            assert_eq!(
                (&data["quarter"], &data["first_day"], &data["last_day"]),
                (&json!("2026Q4"), &json!("2026-10-01"), &json!("2026-12-31"))
            );
            let plans = std::fs::read_to_string(store.join("projects.txt")).unwrap()
                + &std::fs::read_to_string(store.join("goals.txt")).unwrap();
            for initiative in data["initiatives"].as_array().unwrap() {
                let slug = initiative["slug"].as_str().unwrap();
                assert!(plans.contains(&format!("+{slug} ")), "{initiative}");
            }
            assert!(
                data["initiatives"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|i| i["slug"] == "ship-v2" && i["kind"] == "goal"),
                "{data}"
            );
        }
        "get_goals" | "goal_report" => {
            let goals = std::fs::read_to_string(store.join("goals.txt")).unwrap();
            let listed = data["goals"].as_array().unwrap();
            assert!(!listed.is_empty(), "{data}");
            for goal in listed {
                let slug = goal["slug"].as_str().unwrap();
                assert!(goals.contains(&format!("+{slug} ")), "{goal}");
            }
            assert!(listed.iter().any(|goal| goal["slug"] == "ship-v2"), "{data}");
            if tool == "get_goals" {
                assert_eq!(data["quarter"], "2026Q4", "{data}");
            } else {
                assert_eq!(data["week"]["first"], "2026-11-23", "{data}");
            }
        }
        "get_kpi" => {
            let kpi = std::fs::read_to_string(store.join("kpi.txt")).unwrap();
            let readings = &data["series"][0]["readings"];
            assert_eq!(data["series"][0]["key"], "mrr");
            assert_eq!(
                readings.as_array().unwrap().len(),
                kpi.lines().filter(|line| line.contains(" mrr:")).count()
            );
            assert_eq!(readings[3], json!({"value": 1200.0, "date": "2026-11-21"}));
        }
        "get_arr_data" => {
            let figures = data["figures"].as_array().unwrap();
            assert_eq!(figures.len(), 3, "mrr, arr and users: {data}");
            for figure in figures {
                let line = line_of(store, "kpi.txt", &figure["line"]);
                let key = figure["key"].as_str().unwrap();
                let date = figure["date"].as_str().unwrap();
                assert!(
                    line.starts_with(date) && line.contains(&format!(" {key}:")),
                    "{line}: {figure}"
                );
            }
            assert_eq!(data["not_read"], json!([]));
        }
        "list_files" => {
            let files = data["files"].as_array().unwrap();
            assert_eq!(data["total"], files.len());
            let todo_file = files.iter().find(|file| file["path"] == "todo.txt").unwrap();
            assert_eq!(todo_file["bytes"], todo.len());
        }
        "read_file" => {
            let telos = std::fs::read_to_string(store.join("telos.md")).unwrap();
            assert_eq!(data["text"], telos.as_str());
            assert_eq!(
                (&data["total"], &data["next_offset"]),
                (&json!(telos.len()), &Value::Null)
            );
        }
        "git_status" => {
            assert_eq!(data["head"], head.as_str());
            assert_eq!((&data["branch"], &data["remote"]), (&json!("main"), &Value::Null));
        }
        "git_log" => assert_eq!(data["changes"][0]["id"], head.as_str()),
        "get_team_digest" => {
            assert_eq!(data["until"], "2026-11-29");
            let todo = std::fs::read_to_string(store.join("todo.txt")).unwrap();
            for person in data["people"].as_array().unwrap() {
                for due in person["due"].as_array().unwrap() {
                    // `[ref] the task's words`, with when it is due after them.
                    let words = due.as_str().unwrap().split_once("] ").unwrap().1;
                    let start: String = words.chars().take(20).collect();
                    assert!(todo.contains(&start), "{words}");
                }
            }
        }
        "get_briefing" => {
            assert_eq!(
                (&data["kind"], &data["date"]),
                (&json!("morning"), &json!("2026-11-23"))
            );
            let items: Vec<&Value> = data["sections"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|section| section["items"].as_array().unwrap())
                .collect();
            assert!(
                items
                    .iter()
                    .any(|item| item["text"].as_str().unwrap().contains("dentist")),
                "today's event in calendar.txt: {data}"
            );
            for section in data["sections"].as_array().unwrap() {
                let title = section["title"].as_str().unwrap();
                assert!(said.contains(&format!("**{title}**")), "{title} in {said}");
            }
        }
        "suggest_tasks" => {
            let suggestions = data["suggestions"].as_array().unwrap();
            assert!(!suggestions.is_empty() && suggestions.len() <= 3, "{data}");
            assert!(data["situation"].as_str().unwrap().starts_with("Context @phone"));
            for suggestion in suggestions {
                assert_eq!(line_of(store, "todo.txt", &suggestion["line"]), suggestion["raw"]);
                assert!(said.contains(suggestion["ref"].as_str().unwrap()), "{said}");
            }
        }
        "show_project" => {
            assert_eq!(line_of(store, "projects.txt", &data["line"]), data["raw"]);
            assert_eq!(
                (&data["slug"], &data["status"]),
                (&json!("kitchen"), &json!("blocked"))
            );
            let tasks = data["tasks"].as_array().unwrap();
            assert!(!tasks.is_empty(), "{data}");
            for task in tasks {
                assert_eq!(line_of(store, "todo.txt", &task["line"]), task["raw"], "{task}");
                assert!(task["raw"].as_str().unwrap().contains("+kitchen"), "{task}");
            }
            assert!(said.starts_with("+kitchen: "), "{said}");
        }
        "get_agenda" => {
            let days = data["days"].as_array().unwrap();
            assert_eq!(days.len(), 2, "{data}");
            assert_eq!(
                (&days[0]["date"], &days[1]["date"]),
                (&json!("2026-11-23"), &json!("2026-11-24"))
            );
            for day in days {
                for event in day["events"].as_array().unwrap() {
                    assert!(
                        line_of(store, "calendar.txt", &event["line"])
                            .starts_with(day["date"].as_str().unwrap())
                    );
                }
                for task in day["due"].as_array().unwrap() {
                    assert_eq!(line_of(store, "todo.txt", &task["line"]), task["raw"], "{task}");
                }
            }
            assert!(said.contains("dentist"), "{said}");
        }
        "get_telos" => {
            let telos = std::fs::read_to_string(store.join("telos.md")).unwrap();
            assert_eq!(data["section"], "current-focus-q4-2026");
            let sections = data["sections"].as_array().unwrap();
            assert_eq!(sections.len(), 1, "{data}");
            let focus = &sections[0];
            assert!(
                telos.contains(&format!("## {}\n", focus["heading"].as_str().unwrap())),
                "{focus}"
            );
            assert!(telos.contains(focus["text"].as_str().unwrap()), "{focus}");
            let goals = std::fs::read_to_string(store.join("goals.txt")).unwrap();
            for goal in focus["goals"].as_array().unwrap() {
                assert!(goals.contains(&format!("+{} ", goal.as_str().unwrap())), "{goal}");
            }
            assert!(focus["goals"].as_array().unwrap().contains(&json!("ship-v2")));
        }
        other => panic!("{other}: a reading tool with nothing checked against the store; add a check"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_tool_answers_and_every_read_gives_data_that_fits_its_schema_and_the_store() {
    let session = session(Some(true)).await;
    let registry = Registry::new();
    let calls = every_call();
    let named: Vec<&str> = calls.iter().map(|(name, _)| *name).collect();
    for name in registry.names() {
        assert_eq!(
            named.iter().filter(|called| **called == name).count(),
            1,
            "{name}: every tool of the registry is called once here; add its arguments to every_call"
        );
    }
    assert_eq!(named.len(), registry.names().len(), "{named:?}");
    let tools = session.client.list_all_tools().await.unwrap();
    let store = session.store();
    for (name, arguments) in calls {
        let before = (last_commit(&store).0, files_of(&store));
        let result = session.call(name, arguments.clone()).await;
        assert!(!is_error(&result), "{name} {arguments}: {}", text(&result));
        let listed = tools.iter().find(|tool| tool.name == name).unwrap();
        if registry.effect(name) != Some(Effect::Reads) {
            assert!(result.structured_content.is_none(), "{name}");
            continue;
        }
        assert_eq!(
            (last_commit(&store).0, files_of(&store)),
            before,
            "{name} only reads"
        );
        let schema = Value::Object((**listed.output_schema.as_ref().expect(name)).clone());
        let data = result
            .structured_content
            .clone()
            .unwrap_or_else(|| panic!("{name}: a structured result"));
        assert_eq!(misfits(&schema, &data, name), Vec::<String>::new(), "{data}");
        check_against_the_store(&store, name, &data, &text(&result));
    }
    let asked = session.asked.lock().unwrap().clone();
    assert_eq!(
        asked.len(),
        6,
        "tell_team, message_person, escalate_task (by the directives), delete_task, write_file, undo_change: {asked:?}"
    );
    let queued = std::fs::read_to_string(store.join(".git/myorg/outbox.jsonl")).unwrap();
    assert_eq!(queued.lines().count(), 3, "{queued}");
    assert!(
        queued.contains("stuck, no one's: Fix broken contact form"),
        "{queued}"
    );
    let (_, message) = last_commit(&store);
    assert!(message.starts_with("Undo: "), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_arguments_and_unknown_tools_are_tool_errors_that_change_nothing() {
    let session = session(Some(true)).await;
    let before = (session.todo(), last_commit(&session.store()).0);
    for (tool, arguments, says) in [
        (
            "add_task",
            json!({"text": "Call Mum", "colour": "red"}),
            "unknown field `colour`",
        ),
        ("add_task", json!({"due": "fri"}), "missing field `text`"),
        (
            "add_task",
            json!({"text": "Call Mum", "due": "the 31st of february"}),
            "",
        ),
        ("complete_task", json!({"task": "no such task anywhere"}), ""),
        ("read_file", json!({"path": "../../etc/passwd"}), ""),
        ("rm_rf", json!({}), "there is no tool \"rm_rf\""),
    ] {
        let result = session.call(tool, arguments.clone()).await;
        assert!(is_error(&result), "{tool} {arguments}: {}", text(&result));
        assert!(text(&result).contains(says), "{tool}: {}", text(&result));
        assert!(!text(&result).is_empty(), "{tool}: a plain message");
    }
    assert_eq!((session.todo(), last_commit(&session.store()).0), before);
    // The session goes on.
    let found = session.call("search_tasks", json!({"query": "tiles"})).await;
    assert!(!is_error(&found), "{}", text(&found));
    assert!(session.asked.lock().unwrap().is_empty(), "nothing to confirm");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deletion_asks_the_person_and_happens_once_on_yes() {
    let session = session(Some(true)).await;
    let deleted = session.call("delete_task", json!({"task": "backsplash"})).await;
    assert!(!is_error(&deleted), "{}", text(&deleted));
    assert!(text(&deleted).starts_with("Done: "), "{}", text(&deleted));
    assert!(!session.todo().contains("Choose tiles for the backsplash"));
    let asked = session.asked.lock().unwrap().clone();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert!(
        asked[0].contains("Choose tiles for the backsplash"),
        "{}",
        asked[0]
    );
    assert!(asked[0].ends_with("— confirm? yes/no"), "{}", asked[0]);
    let (_, message) = last_commit(&session.store());
    assert!(message.contains("Requested-by: Ana (mcp)"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deletion_declined_or_unaskable_changes_nothing() {
    for says in [Some(false), None] {
        let session = session(says).await;
        let before = (session.todo(), last_commit(&session.store()).0);
        let result = session.call("delete_task", json!({"task": "backsplash"})).await;
        assert!(is_error(&result), "{says:?}: {}", text(&result));
        assert!(text(&result).contains("nothing was changed"), "{}", text(&result));
        assert!(
            text(&result).contains("Choose tiles for the backsplash"),
            "{}",
            text(&result)
        );
        assert_eq!(
            (session.todo(), last_commit(&session.store()).0),
            before,
            "{says:?}"
        );
        let asked = session.asked.lock().unwrap().len();
        assert_eq!(asked, usize::from(says.is_some()), "{says:?}");
        if says.is_none() {
            assert!(text(&result).contains("cannot ask"), "{}", text(&result));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documents_are_resources_read_in_pages() {
    let session = session(None).await;
    let long: String = (1..=450).map(|n| format!("line {n}\n")).collect();
    std::fs::write(session.store().join("log.txt"), &long).unwrap();

    let listed = session.client.list_all_resources().await.unwrap();
    let uris: Vec<&str> = listed.iter().map(|resource| resource.uri.as_str()).collect();
    assert_eq!(
        uris,
        [
            "myorg://files/todo.txt",
            "myorg://files/calendar.txt",
            "myorg://files/projects.txt",
            "myorg://files/goals.txt",
            "myorg://files/log.txt",
            "myorg://files/working-memory.txt",
            "myorg://files/telos.md",
            "myorg://files/notes/meeting-2026-11-18.md",
        ]
    );
    let telos = listed.iter().find(|r| r.name == "telos.md").unwrap();
    assert_eq!(telos.mime_type.as_deref(), Some("text/markdown"));
    assert_eq!(
        telos.size,
        Some(std::fs::metadata(session.store().join("telos.md")).unwrap().len())
    );

    let (todo, meta) = session.read("myorg://files/todo.txt").await.unwrap();
    assert_eq!(todo, session.todo(), "a short file is read whole");
    assert_eq!(meta["pages"], 1, "{meta}");

    let (first, meta) = session.read("myorg://files/log.txt").await.unwrap();
    assert!(first.starts_with("line 1\nline 2\n"), "{first}");
    assert!(
        first.contains("line 200\n[lines 1–200 of 450, page 1 of 3; the next: myorg://files/log.txt?page=2]")
    );
    assert!(!first.contains("line 201"), "{first}");
    assert_eq!(
        meta,
        json!({"page": 1, "pages": 3, "first": 1, "last": 200, "total": 450})
    );
    let (last, _) = session.read("myorg://files/log.txt?page=3").await.unwrap();
    let expected: String = (401..=450).map(|n| format!("line {n}\n")).collect();
    assert_eq!(last, expected, "the last page is the lines alone");

    for (uri, says) in [
        ("myorg://files/log.txt?page=4", "has 3 pages of 200 lines"),
        ("myorg://files/done.txt", "not one of the store's documents"),
        ("myorg://files/notes/none.md", "not in the store"),
        ("myorg://files/notes/../../../etc/passwd.md", ""),
        ("myorg://nothing", "no resource is called"),
    ] {
        let error = session.read(uri).await.unwrap_err();
        assert!(error.contains(says), "{uri}: {error}");
    }
    // The session goes on.
    assert!(session.read("myorg://files/telos.md").await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_lists_are_read_through_the_template() {
    let session = session(None).await;
    let templates = session.client.list_all_resource_templates().await.unwrap();
    assert_eq!(templates.len(), 1);
    assert_eq!(
        templates[0].uri_template,
        "myorg://tasks{?project,context,owner,query,due_before,due_after,overdue,done,page}"
    );

    let (website, meta) = session
        .read("myorg://tasks?project=website&context=computer")
        .await
        .unwrap();
    let lines: Vec<&str> = website.lines().collect();
    assert_eq!(lines.len(), 4, "{website}");
    assert!(
        lines[0].ends_with(
            "(A) 2026-11-16 Fix broken contact form on staging +website @computer due:2026-11-20 estimate:2h"
        ),
        "{website}"
    );
    assert!(
        lines
            .iter()
            .all(|line| line.contains("+website") && line.contains("@computer"))
    );
    assert!(
        !website.contains("Publish migration notice"),
        "done tasks only when asked"
    );
    assert_eq!(meta["total"], 4, "{meta}");
    // The same search as the tool's.
    let found = session
        .call("search_tasks", json!({"query": "+website @computer"}))
        .await;
    assert_eq!(text(&found), website);

    let (done, _) = session
        .read("myorg://tasks?project=website&done=true&query=migration")
        .await
        .unwrap();
    assert!(
        done.contains("x 2026-11-21 2026-11-19 Publish migration notice"),
        "{done}"
    );
    let (none, _) = session.read("myorg://tasks?project=nothing-here").await.unwrap();
    assert_eq!(none, "No tasks match.");
    let (all, meta) = session.read("myorg://tasks").await.unwrap();
    assert!(all.lines().count() > 20, "{all}");
    assert_eq!(meta["pages"], 1, "{meta}");

    for (uri, says) in [
        ("myorg://tasks?colour=red", "not \"colour\""),
        ("myorg://tasks?due_before=the%2031st%20of%20february", ""),
        ("myorg://tasks?page=2&project=nothing-here", "there is no page 2"),
    ] {
        let error = session.read(uri).await.unwrap_err();
        assert!(error.contains(says), "{uri}: {error}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_briefings_are_prompts() {
    let session = session(None).await;
    let prompts = session.client.list_all_prompts().await.unwrap();
    let names: Vec<&str> = prompts.iter().map(|prompt| prompt.name.as_str()).collect();
    assert_eq!(names, ["morning-briefing", "evening-summary", "weekly-review"]);
    for prompt in &prompts {
        let arguments: Vec<&str> = prompt
            .arguments
            .iter()
            .flatten()
            .map(|argument| argument.name.as_str())
            .collect();
        assert_eq!(arguments, ["date", "person"], "{}", prompt.name);
    }

    let morning = session.prompt("morning-briefing", json!({})).await.unwrap();
    assert!(morning.starts_with("Here is my morning briefing"), "{morning}");
    let snapshot = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/briefings/morning-2026-11-23.md"
    ))
    .unwrap();
    assert!(
        morning.trim_end().ends_with(snapshot.trim_end()),
        "the briefing as every front end has it:\n{morning}"
    );
    let evening = session
        .prompt("evening-summary", json!({"date": "yesterday"}))
        .await
        .unwrap();
    assert!(
        evening.contains("**Evening summary** — Sun 22 Nov 2026"),
        "{evening}"
    );
    let weekly = session.prompt("weekly-review", json!({})).await.unwrap();
    assert!(weekly.contains("**Weekly review**"), "{weekly}");

    for (name, arguments, says) in [
        ("lunch", json!({}), "there is no prompt \"lunch\""),
        (
            "morning-briefing",
            json!({"colour": "red"}),
            "takes date and person",
        ),
        ("morning-briefing", json!({"date": "the 31st of february"}), ""),
    ] {
        let error = session.prompt(name, arguments).await.unwrap_err();
        assert!(error.contains(says), "{name}: {error}");
    }
}

/// One JSON-RPC exchange with a `myorg mcp` child over its pipes.
struct Child {
    child: std::process::Child,
    input: std::process::ChildStdin,
    output: std::io::BufReader<std::process::ChildStdout>,
    next: u64,
}

impl Child {
    fn start(dir: &Path) -> Child {
        let mut child = support::myorg_command(
            dir,
            &["mcp", "--store", "s"],
            &[("MYORG_NOW", "2026-11-23T08:00:00"), ("MYORG_LOG", "debug")],
        )
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("myorg mcp starts");
        let input = child.stdin.take().unwrap();
        let output = std::io::BufReader::new(child.stdout.take().unwrap());
        Child {
            child,
            input,
            output,
            next: 1,
        }
    }

    fn send(&mut self, message: &Value) {
        use std::io::Write;
        writeln!(self.input, "{message}").unwrap();
        self.input.flush().unwrap();
    }

    /// The response to a request of `method` with `params` (every line on standard
    /// output is a JSON-RPC message).
    fn request(&mut self, method: &str, params: Value) -> Value {
        use std::io::BufRead;
        let id = self.next;
        self.next += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let mut line = String::new();
            assert!(self.output.read_line(&mut line).unwrap() > 0, "the server closed");
            let message: Value = serde_json::from_str(&line).expect("stdout holds only the protocol");
            if message["id"] == id {
                return message;
            }
        }
    }
}

fn median(mut times: Vec<std::time::Duration>) -> std::time::Duration {
    times.sort();
    times[times.len() / 2]
}

#[test]
fn the_binary_serves_mcp_over_stdio() {
    let dir = TempDir::new().unwrap();
    support::stdout(&support::myorg(dir.path(), &["init", "--sample", "s"], &[]));
    let mut server = Child::start(dir.path());
    let initialized = server.request(
        "initialize",
        json!({"protocolVersion": "2025-06-18", "capabilities": {},
               "clientInfo": {"name": "test", "version": "1"}}),
    );
    assert_eq!(
        initialized["result"]["serverInfo"]["name"], "myorg",
        "{initialized}"
    );
    assert_eq!(initialized["result"]["protocolVersion"], "2025-06-18");
    server.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));

    let listed = server.request("tools/list", json!({}));
    let names: Vec<&str> = listed["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|tool| tool["name"].as_str())
        .collect();
    assert_eq!(names, Registry::new().names());

    let added = server.request(
        "tools/call",
        json!({"name": "add_task", "arguments": {"text": "Renew the passport +admin"}}),
    );
    assert_eq!(added["result"]["isError"], false, "{added}");
    let todo = std::fs::read_to_string(dir.path().join("s/todo.txt")).unwrap();
    assert!(todo.contains("2026-11-23 Renew the passport +admin"), "{todo}");
    let (_, message) = last_commit(&dir.path().join("s"));
    assert!(message.contains("(mcp)"), "{message}");

    let read = server.request("resources/read", json!({"uri": "myorg://files/todo.txt"}));
    assert_eq!(read["result"]["contents"][0]["text"], todo.as_str(), "{read}");
    let tasks = server.request("resources/read", json!({"uri": "myorg://tasks?project=admin"}));
    let listed = tasks["result"]["contents"][0]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(listed.contains("Renew the passport +admin"), "{tasks}");
    let prompt = server.request("prompts/get", json!({"name": "evening-summary"}));
    let said = prompt["result"]["messages"][0]["content"]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(said.contains("**Evening summary** — Mon 23 Nov 2026"), "{prompt}");

    // Measured, not asserted: the median of a read and of a change, end to end.
    let time = |server: &mut Child, tool: &str, arguments: &dyn Fn(usize) -> Value| {
        let times: Vec<_> = (0..15)
            .map(|i| {
                let started = std::time::Instant::now();
                let answer = server.request("tools/call", json!({"name": tool, "arguments": arguments(i)}));
                assert_eq!(answer["result"]["isError"], false, "{answer}");
                started.elapsed()
            })
            .collect();
        median(times)
    };
    let search = time(&mut server, "search_tasks", &|_| json!({"query": "+website"}));
    let add = time(
        &mut server,
        "add_task",
        &|i| json!({"text": format!("Timed task {i}")}),
    );
    eprintln!("myorg mcp over stdio, median of 15: search_tasks {search:?}, add_task {add:?}");

    drop(server.input);
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quarter_plan_and_the_figures_are_offered_over_mcp() {
    let session = session(None).await;
    let tools = session.client.list_all_tools().await.unwrap();
    let read_only = |name: &str| {
        let tool = tools.iter().find(|tool| tool.name == name).expect(name);
        tool.annotations.as_ref().and_then(|hints| hints.read_only_hint)
    };
    for name in ["get_quarter_plan", "get_kpi", "get_arr_data"] {
        assert_eq!(read_only(name), Some(true), "{name}");
    }
    for name in [
        "create_initiative",
        "update_initiative",
        "add_update",
        "link_pr",
        "update_arr_data",
    ] {
        assert_eq!(read_only(name), Some(false), "{name}");
    }
    let plan = session.call("get_quarter_plan", json!({})).await;
    assert!(
        !is_error(&plan) && text(&plan).starts_with("Quarter 2026Q4 "),
        "{}",
        text(&plan)
    );

    let added = session
        .call("update_arr_data", json!({"figures": {"mrr": 1300}}))
        .await;
    assert!(!is_error(&added), "{}", text(&added));
    let kpi = std::fs::read_to_string(session.store().join("kpi.txt")).unwrap();
    assert!(kpi.ends_with("\n2026-11-23 mrr:1300\n"), "{kpi}");
    let (head, message) = last_commit(&session.store());
    assert!(
        message.starts_with("Figures: 2026-11-23 mrr:1300") && message.contains("Requested-by: Ana (mcp)"),
        "{message}"
    );
    let refused = session
        .call("update_arr_data", json!({"figures": {"MRR": 1}}))
        .await;
    assert!(
        is_error(&refused) && text(&refused).contains("\"MRR\" is not a key"),
        "{}",
        text(&refused)
    );
    assert_eq!(last_commit(&session.store()).0, head);
}
