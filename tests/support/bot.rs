//! The real `myorg run` with its Discord bot against the fake Discord (and a local
//! bare remote), for the tests that drive the bot: start it with a team, send it
//! commands, read what reached the remote.

use super::fake_discord::{FakeDiscord, SeenMessage, Setup};
use super::myorg_command;
use git2::{ErrorCode, Repository};
use serde_json::Value;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tempfile::TempDir;

pub const WAIT: Duration = Duration::from_secs(20);
pub const TOKEN: &str = "t0ken-for-tests";
pub const CHANNEL: u64 = 4000;
pub const ANA: u64 = 501;
pub const BEN: u64 = 502;
pub const MALLORY: u64 = 503;

/// The team: Ana with her Discord id (direct messages), Ben without (the channel).
pub const CONFIG: &str = r#"
[store]
timezone = "Europe/Madrid"

[[people]]
name = "Ana García"
handle = "ana"
email = "ana@example.com"
discord_id = "501"
quiet_hours = ""

[[people]]
name = "Ben Okafor"
handle = "ben"
email = "ben@example.com"
quiet_hours = ""

[reminders]
quiet_hours = ""
"#;

/// Ana and Ben, each with a Discord id: a change either makes is theirs, and each
/// gets their messages directly.
pub const TEAM: &str = r#"
[store]
timezone = "Europe/Madrid"

[[people]]
name = "Ana García"
handle = "ana"
email = "ana@example.com"
discord_id = "501"

[[people]]
name = "Ben Okafor"
handle = "ben"
email = "ben@example.com"
discord_id = "502"

[reminders]
quiet_hours = ""
"#;

/// A running bot with its fake Discord and remote.
pub struct Bot {
    pub dir: TempDir,
    pub remote: PathBuf,
    pub fake: FakeDiscord,
    pub child: Child,
    pub http: String,
    /// Its standard error so far (also passed on to the test's).
    stderr: Arc<Mutex<String>>,
    /// The environment it was started with.
    env: Vec<(String, String)>,
}

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `myorg run` against a fake Discord, with the team of [`CONFIG`] and `env`
/// added.
pub async fn start(env: &[(&str, &str)]) -> Bot {
    start_with(CONFIG, env).await
}

/// Starts `myorg run` against a fake Discord with `config` as its configuration
/// file, and `env` added.
pub async fn start_with(config: &str, env: &[(&str, &str)]) -> Bot {
    let bot = launch(config, env).await;
    bot.fake
        .wait_ready(WAIT)
        .await
        .expect("the bot connects and registers its commands");
    bot
}

/// Like [`start_with`], without waiting for the bot to connect: once `myorg run`
/// listens.
pub async fn launch(config: &str, env: &[(&str, &str)]) -> Bot {
    let dir = TempDir::new().unwrap();
    let remote = dir.path().join("remote.git");
    Repository::init_bare(&remote).unwrap();
    std::fs::write(dir.path().join("myorg.toml"), config).unwrap();
    let fake = FakeDiscord::start(Setup::default()).await;
    let base = fake.base_url();
    let remote_url = remote.to_str().unwrap().to_string();
    let mut all = vec![
        ("MYORG_CONFIG", "myorg.toml"),
        ("GIT_REPO_URL", remote_url.as_str()),
        ("MYORG_HTTP_ADDR", "127.0.0.1:0"),
        ("MYORG_TRIGGER_TOKEN", TOKEN),
        ("MYORG_USER_NAME", "Ana García"),
        ("DISCORD_BOT_TOKEN", "fake-bot-token"),
        ("DISCORD_CHANNEL_ID", "4000"),
        ("DISCORD_GUILD_ID", "3000"),
        ("MYORG_DISCORD_API_BASE", base.as_str()),
        ("MYORG_DISCORD_ALLOWED_USERS", "501, 502"),
        ("MYORG_NOW", "2026-11-23T08:00:00"),
        // The jobs run when a test triggers them (one test runs the schedule).
        ("MYORG_SCHEDULER_MODE", "external"),
    ];
    all.extend_from_slice(env);
    let env: Vec<(String, String)> = all
        .iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect();
    let stderr = Arc::new(Mutex::new(String::new()));
    let (child, http) = spawn(dir.path(), &env, &stderr);
    Bot {
        dir,
        remote,
        fake,
        child,
        http,
        stderr,
        env,
    }
}

/// `myorg run` in `dir` with `env`, its standard error kept in `stderr`: the child
/// and the base URL it listens on.
fn spawn(dir: &std::path::Path, env: &[(String, String)], stderr: &Arc<Mutex<String>>) -> (Child, String) {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut child = myorg_command(dir, &["--store", "s", "run"], &env)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = std::io::BufReader::new(child.stderr.take().expect("stderr is piped"));
    let kept = Arc::clone(stderr);
    std::thread::spawn(move || {
        for line in lines.lines().map_while(Result::ok) {
            eprintln!("{line}");
            let mut kept = kept.lock().unwrap_or_else(|p| p.into_inner());
            kept.push_str(&line);
            kept.push('\n');
        }
    });
    let http = super::listening_on(&mut child);
    (child, http)
}

impl Bot {
    /// The remote's todo.txt (empty before the first push). A remote that cannot be
    /// read fails the test: it is never taken for an empty one.
    pub fn remote_todo(&self) -> String {
        let repo = Repository::open_bare(&self.remote).expect("the remote opens");
        let tree = match repo.revparse_single("main^{tree}") {
            Ok(tree) => tree.peel_to_tree().expect("main's tree"),
            Err(error) if error.code() == ErrorCode::NotFound => return String::new(),
            Err(error) => panic!("reading the remote's main: {error}"),
        };
        let entry = tree
            .get_name("todo.txt")
            .expect("the remote's main has a todo.txt");
        let blob = repo.find_blob(entry.id()).expect("the remote's todo.txt");
        String::from_utf8(blob.content().to_vec()).expect("the remote's todo.txt is UTF-8")
    }

    /// The number of commits on the remote's main (0 before the first push). A
    /// remote that cannot be read fails the test.
    pub fn remote_commits(&self) -> usize {
        let repo = Repository::open_bare(&self.remote).expect("the remote opens");
        let mut walk = repo.revwalk().expect("a walk of the remote's history");
        match walk.push_ref("refs/heads/main") {
            Ok(()) => {}
            Err(error) if error.code() == ErrorCode::NotFound => return 0,
            Err(error) => panic!("reading the remote's main: {error}"),
        }
        walk.collect::<Result<Vec<_>, _>>()
            .expect("the remote's history reads")
            .len()
    }

    /// Waits until the remote's todo.txt satisfies `done`.
    pub async fn remote_todo_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        for _ in 0..200 {
            let todo = self.remote_todo();
            if done(&todo) {
                return todo;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{what}: the remote's todo.txt is\n{}", self.remote_todo());
    }

    /// Asks the bot to run `job` through its HTTP trigger.
    pub async fn trigger(&self, job: &str) -> Value {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let response = reqwest::Client::new()
            .post(format!("{}/trigger/{job}", self.http))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        let text = response.text().await.unwrap();
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("{text}"))
    }

    /// SIGTERM: the bot must close its gateway and exit 0 within a bounded time.
    pub async fn stop(&mut self) {
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        for _ in 0..400 {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "{status}");
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("still running 20 s after SIGTERM");
    }

    /// Stops the bot (SIGTERM) and starts it again on the same store, state and fake
    /// Discord; returns once it has identified again.
    pub async fn restart(&mut self) {
        self.stop().await;
        let sessions = self.fake.gateway_counts().identifies;
        let (child, http) = spawn(self.dir.path(), &self.env, &self.stderr);
        self.child = child;
        self.http = http;
        for _ in 0..400 {
            if self.fake.gateway_counts().identifies > sessions {
                self.fake.wait_ready(WAIT).await.expect("the bot connects again");
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the restarted bot did not identify within 20 s");
    }

    /// Its standard error, once a line holds `needle`.
    pub async fn stderr_until(&self, needle: &str) -> String {
        for _ in 0..400 {
            let said = self.stderr.lock().unwrap_or_else(|p| p.into_inner()).clone();
            if said.contains(needle) {
                return said;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let said = self.stderr.lock().unwrap_or_else(|p| p.into_inner()).clone();
        panic!("{needle:?} not in the standard error within 20 s:\n{said}");
    }

    pub fn assert_no_violation(&self) {
        let violations = self.fake.violations();
        assert!(violations.is_empty(), "{violations:#?}");
    }
}

/// The message pings nobody: the request that made it (or last edited it) carried
/// `allowed_mentions` with no `parse` kinds, no `users` or `roles` and no
/// `replied_user: true`. (The fake checks every message and edit the same way.)
pub fn never_pings(message: &SeenMessage) {
    let allowed = message
        .allowed_mentions
        .as_ref()
        .unwrap_or_else(|| panic!("no allowed_mentions: {message:?}"));
    let empty = |key: &str| {
        allowed
            .get(key)
            .is_none_or(|list| list.as_array().is_some_and(Vec::is_empty))
    };
    assert!(
        empty("parse") && empty("users") && empty("roles") && allowed["replied_user"] != Value::Bool(true),
        "{allowed}"
    );
}
