//! `myorg mcp` end to end over stdio, as an MCP client sees it: the release binary as
//! a child process on a store whose todo.txt has 100k lines. Medians of a reading
//! tool call (`search_tasks`, the first 20 of every open task, and `+work`), of a
//! task list resource's first page (`myorg://tasks`), and of `add_task` (a commit
//! each) there and on the sample store; and the size of the tool definitions a
//! client receives, and of what it passes on to its model.
//!
//! `cargo bench --bench mcp` (builds the release binary first).

#[path = "support/todo.rs"]
mod todo;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 30;

/// The server and its pipes.
struct Server {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    next: u64,
}

impl Server {
    fn start(binary: &Path, home: &Path) -> Server {
        let mut child = Command::new(binary)
            .args(["--store", "store", "mcp"])
            .current_dir(home)
            .env_clear()
            .env("HOME", home)
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("MYORG_LOG", "warn")
            .env("MYORG_USER_NAME", "Ana")
            .env("MYORG_USER_EMAIL", "ana@example.com")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let input = child.stdin.take().unwrap();
        let output = BufReader::new(child.stdout.take().unwrap());
        Server {
            child,
            input,
            output,
            next: 1,
        }
    }

    fn send(&mut self, message: &Value) {
        writeln!(self.input, "{message}").unwrap();
        self.input.flush().unwrap();
    }

    /// Sends a request and waits for its answer.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next;
        self.next += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let mut line = String::new();
            assert!(
                self.output.read_line(&mut line).unwrap() > 0,
                "the server hung up"
            );
            let answer: Value = serde_json::from_str(&line).unwrap();
            if answer["id"] == json!(id) {
                return answer;
            }
        }
    }

    /// The median time of `RUNS` calls of `method` with `params(i)`.
    fn time(&mut self, method: &str, params: &dyn Fn(usize) -> Value) -> Duration {
        let mut times: Vec<Duration> = (0..RUNS)
            .map(|i| {
                let started = Instant::now();
                let answer = self.request(method, params(i));
                let took = started.elapsed();
                assert!(answer.get("error").is_none(), "{answer}");
                assert_ne!(answer["result"]["isError"], json!(true), "{answer}");
                took
            })
            .collect();
        times.sort();
        times[times.len() / 2]
    }
}

fn main() {
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet", "--bin", "myorg"])
        .status()
        .unwrap();
    assert!(status.success());
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/myorg");
    let home = tempfile::tempdir().unwrap();
    let init = Command::new(&binary)
        .args(["init", "--sample", "store"])
        .current_dir(home.path())
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(init.status.success(), "{init:?}");
    let store = home.path().join("store");
    std::fs::write(store.join("todo.txt"), todo::realistic_todo()).unwrap();
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .arg("-C")
            .arg(&store)
            .args(args)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    git(&[
        "-c",
        "user.name=Ana",
        "-c",
        "user.email=ana@example.com",
        "commit",
        "-qam",
        "A busy todo.txt",
    ]);

    let mut server = Server::start(&binary, home.path());
    server.request(
        "initialize",
        json!({"protocolVersion": "2025-06-18", "capabilities": {},
               "clientInfo": {"name": "bench", "version": "1"}}),
    );
    server.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    let listed = server.request("tools/list", json!({}));
    let tools = listed["result"]["tools"].as_array().map_or(0, Vec::len);
    let size = listed["result"].to_string().chars().count();
    // What a client passes to its model: each tool's name, description and input schema.
    let for_model: Vec<Value> = listed["result"]["tools"]
        .as_array()
        .map(|tools| {
            tools
                .iter()
                .map(|tool| json!({"name": tool["name"], "description": tool["description"], "inputSchema": tool["inputSchema"]}))
                .collect()
        })
        .unwrap_or_default();
    let model_size = Value::Array(for_model).to_string().chars().count();
    println!(
        "tools/list: {tools} tools, {size} characters (about {} tokens) with output schemas and hints; \
         names, descriptions and input schemas alone {model_size} characters (about {} tokens)",
        size.div_ceil(4),
        model_size.div_ceil(4)
    );

    let search = server.time(
        "tools/call",
        &|_| json!({"name": "search_tasks", "arguments": {"limit": 20}}),
    );
    println!(
        "search_tasks, the first 20 of {} lines: median {search:.2?} of {RUNS}",
        todo::LINES
    );
    let work = server.time(
        "tools/call",
        &|_| json!({"name": "search_tasks", "arguments": {"query": "+work", "limit": 20}}),
    );
    println!("search_tasks +work, the first 20: median {work:.2?} of {RUNS}");
    let page = server.time("resources/read", &|_| json!({"uri": "myorg://tasks"}));
    println!("resources/read myorg://tasks, the first page: median {page:.2?} of {RUNS}");
    let add = server.time(
        "tools/call",
        &|i| json!({"name": "add_task", "arguments": {"text": format!("Timed task {i} +bench")}}),
    );
    println!("add_task on that store (one commit each): median {add:.2?} of {RUNS}");

    drop(server.input);
    let _ = server.child.wait();

    // The same change on the sample store, as most people's is.
    let small = tempfile::tempdir().unwrap();
    let init = Command::new(&binary)
        .args(["init", "--sample", "store"])
        .current_dir(small.path())
        .env("HOME", small.path())
        .output()
        .unwrap();
    assert!(init.status.success(), "{init:?}");
    let mut server = Server::start(&binary, small.path());
    server.request(
        "initialize",
        json!({"protocolVersion": "2025-06-18", "capabilities": {},
               "clientInfo": {"name": "bench", "version": "1"}}),
    );
    server.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    let add = server.time(
        "tools/call",
        &|i| json!({"name": "add_task", "arguments": {"text": format!("Timed task {i} +bench")}}),
    );
    println!("add_task on the sample store: median {add:.2?} of {RUNS}");
    drop(server.input);
    let _ = server.child.wait();
}
