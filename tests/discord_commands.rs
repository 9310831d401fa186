//! Every slash command through the real bot (`myorg run` and poise against the fake
//! Discord), as a table: the options, the reply it must give (what it says, whether
//! only the person sees it) and the change it must make in the store (the line in
//! the file, how many commits, their author), run by two people, so a commit
//! authored by the wrong person shows. Also the autocomplete of projects, contexts
//! and people, the slow path (a command waiting for the store's writer lock defers
//! in time, and an error after a public defer reaches only the person who asked),
//! chat in a chat channel without a mention, and the role, guild and channel
//! allowlists.

mod support;

use git2::Repository;
use serde_json::{Value, json};
use std::time::Duration;
use support::bot::*;
use support::fake_discord::SeenMessage;
use support::fake_llm::{FakeLlm, KEY, MODEL, Reply};

/// A person of the team, as the fake Discord and the commits know them.
struct Person {
    id: u64,
    handle: &'static str,
    name: &'static str,
    email: &'static str,
}

const PEOPLE: [Person; 2] = [
    Person {
        id: ANA,
        handle: "ana",
        name: "Ana García",
        email: "ana@example.com",
    },
    Person {
        id: BEN,
        handle: "ben",
        name: "Ben Okafor",
        email: "ben@example.com",
    },
];

/// One command of the table. `{who}` in any text is the person's handle.
struct Case {
    command: &'static str,
    options: Vec<(&'static str, Value)>,
    /// Only the person who asked sees the reply.
    ephemeral: bool,
    /// Words the reply must hold.
    says: &'static [&'static str],
    /// The store file that changes and a line it must then hold; `None`: nothing
    /// changes.
    change: Option<(&'static str, &'static str)>,
    /// How many commits the change makes.
    commits: usize,
}

fn case(command: &'static str, options: Vec<(&'static str, Value)>, says: &'static [&'static str]) -> Case {
    Case {
        command,
        options,
        ephemeral: false,
        says,
        change: None,
        commits: 0,
    }
}

impl Case {
    fn changes(mut self, file: &'static str, line: &'static str, commits: usize) -> Case {
        self.change = Some((file, line));
        self.commits = commits;
        self
    }

    fn private(mut self) -> Case {
        self.ephemeral = true;
        self
    }
}

/// The table: every slash command, with options that make it do its work. The
/// project status differs by person (a second change to the same status is refused).
fn table(person: &Person) -> Vec<Case> {
    // Ana blocks the project (choice 2), then Ben puts it off to someday (3).
    let (status, status_line) = if person.handle == "ana" {
        (2, "+hiring Hire a backend engineer status:blocked")
    } else {
        (3, "+hiring Hire a backend engineer status:someday")
    };
    vec![
        case(
            "add",
            vec![
                ("text", json!("Buy stamps for {who}")),
                ("due", json!("tomorrow")),
                ("priority", json!("b")),
                ("project", json!("errands")),
                ("context", json!("@town")),
            ],
            &["Buy stamps for {who}"],
        )
        .changes(
            "todo.txt",
            "(B) 2026-11-23 Buy stamps for {who} +errands @town due:2026-11-24",
            1,
        ),
        case(
            "done",
            vec![
                ("task", json!("stamps for {who}")),
                ("summary", json!("{who} went to the post office")),
            ],
            &["Buy stamps for {who}"],
        )
        .changes(
            "todo.txt",
            "x 2026-11-23 2026-11-23 Buy stamps for {who} +errands @town due:2026-11-24 pri:B",
            2,
        ),
        case(
            "tasks",
            vec![("query", json!("+website"))],
            &["Fix broken contact form"],
        ),
        case("today", vec![], &["Today", "Context @home — outside work hours"]),
        case("agenda", vec![("days", json!(3))], &["2026-11-24"]),
        case(
            "event",
            vec![
                ("date", json!("tomorrow")),
                ("text", json!("Dentist for {who}")),
                ("time", json!("14:30-15:00")),
            ],
            &["Dentist for {who}"],
        )
        .changes("calendar.txt", "14:30-15 Dentist for {who}", 1),
        case("waiting", vec![], &["marta"]),
        case("projects", vec![], &["website"]),
        case("project show", vec![("slug", json!("website"))], &["website"]),
        case(
            "project update",
            vec![
                ("slug", json!("website")),
                ("text", json!("Launch moved by {who}")),
            ],
            &["Launch moved by {who}"],
        )
        .changes("log.txt", "Launch moved by {who} +website", 1),
        case(
            "project link",
            vec![
                ("slug", json!("website")),
                ("url", json!("https://example.com/{who}")),
                ("text", json!("Spec of {who}")),
            ],
            &["https://example.com/{who}"],
        )
        .changes("log.txt", "Spec of {who} https://example.com/{who} +website", 1),
        case(
            "project status",
            vec![("slug", json!("hiring")), ("status", json!(status))],
            &["hiring"],
        )
        .changes("projects.txt", status_line, 1),
        case(
            "note",
            vec![("text", json!("Call went well, says {who}"))],
            &["Call went well"],
        )
        .changes("log.txt", "Call went well, says {who}", 1),
        case(
            "note",
            vec![("text", json!("{who} prefers mornings")), ("memory", json!(true))],
            &["{who} prefers mornings"],
        )
        .changes("working-memory.txt", "{who} prefers mornings", 1),
        case(
            "briefing",
            vec![("kind", json!(1))],
            &["Evening", "Tomorrow, first", "Context @computer (work hours)"],
        ),
        case("review", vec![], &["review"]),
        case(
            "suggest",
            vec![("context", json!("@computer")), ("minutes", json!(120))],
            &["@computer"],
        ),
        case(
            "context",
            vec![("context", json!("phone"))],
            &["@phone — set until"],
        ),
        case("context", vec![], &["@phone — set until"]),
        case("suggest", vec![], &["Context @phone (set until"]),
        case(
            "today",
            vec![],
            &["Context @phone — set until the end of the day"],
        ),
        case(
            "context",
            vec![("context", json!("auto"))],
            &["@home — outside work hours"],
        ),
        case("history", vec![("limit", json!(3))], &["{name}"]),
        case(
            "goals",
            vec![],
            &["Goals of 2026Q4", "+ship-v2", "telos: Current focus (Q4 2026)"],
        ),
        case(
            "goals",
            vec![("quarter", json!("all"))],
            &["Goals, every quarter", "+old-site-retired"],
        ),
        case(
            "goals",
            vec![("report", json!(true))],
            &["Goal report", "+ship-v2"],
        ),
        case(
            "remember",
            vec![("text", json!("{who} decided to ship on the 15th"))],
            &["{who} decided to ship on the 15th"],
        )
        .changes("working-memory.txt", "{who} decided to ship on the 15th", 1),
        case(
            "kpi",
            vec![],
            &[
                "Figures",
                "mrr 1200 on 2026-11-21 (+100 (+9.1%) since 2026-10-31)",
            ],
        ),
        case("sync", vec![], &[]),
        case("status", vec![], &["main"]),
        case("usage", vec![], &["Usage"]),
        case(
            "help",
            vec![],
            &[
                "`/add`: ",
                " — `/add text:Call the plumber +kitchen due:fri`",
                " — `/project show slug:kitchen`",
                " — `/help`",
            ],
        )
        .private(),
    ]
}

fn filled(text: &str, person: &Person) -> String {
    text.replace("{who}", person.handle)
        .replace("{name}", person.name)
}

fn filled_value(value: &Value, person: &Person) -> Value {
    match value {
        Value::String(text) => Value::String(filled(text, person)),
        other => other.clone(),
    }
}

/// The remote's `file` on main (empty when missing).
fn remote_file(bot: &Bot, file: &str) -> String {
    let repo = Repository::open_bare(&bot.remote).unwrap();
    let tree = repo
        .revparse_single("main^{tree}")
        .unwrap()
        .peel_to_tree()
        .unwrap();
    match tree.get_name(file) {
        Some(entry) => String::from_utf8(repo.find_blob(entry.id()).unwrap().content().to_vec()).unwrap(),
        None => String::new(),
    }
}

/// The remote's commits on main, newest first: (author name, author email, message).
fn remote_commits(bot: &Bot) -> Vec<(String, String, String)> {
    let repo = Repository::open_bare(&bot.remote).unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push_ref("refs/heads/main").unwrap();
    walk.map(|id| {
        let commit = repo.find_commit(id.unwrap()).unwrap();
        let author = commit.author();
        (
            author.name().unwrap().to_string(),
            author.email().unwrap().to_string(),
            commit.message().unwrap().to_string(),
        )
    })
    .collect()
}

/// Waits until the remote has `count` commits.
async fn remote_reaches(bot: &Bot, count: usize, what: &str) {
    for _ in 0..400 {
        if remote_commits(bot).len() >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "{what}: the remote has {} commits, not {count}",
        remote_commits(bot).len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_by_two_people_replies_and_changes_the_store_as_theirs() {
    let bot = start_with(TEAM, &[("MYORG_DISCORD_ALLOWED_USERS", "501,502")]).await;
    remote_reaches(&bot, 1, "the store is pushed at start").await;
    for person in &PEOPLE {
        for case in table(person) {
            let name = format!("/{} by {}", case.command, person.handle);
            let before = remote_commits(&bot).len();
            let options: Vec<(&str, Value)> = case
                .options
                .iter()
                .map(|(key, value)| (*key, filled_value(value, person)))
                .collect();
            let asked = bot
                .fake
                .slash(person.id, CHANNEL, case.command, &options)
                .await
                .unwrap();
            let reply = asked
                .reply(WAIT)
                .await
                .unwrap_or_else(|err| panic!("{name}: {err}"));
            let text = reply.text();
            assert_eq!(reply.ephemeral, case.ephemeral, "{name}: {reply:?}");
            for word in case.says {
                let word = filled(word, person);
                assert!(text.contains(&word), "{name}: {word:?} not in {text}");
            }
            assert!(
                !text.contains("Sorry") && !text.contains("refused"),
                "{name}: {text}"
            );
            never_pings(&reply);
            match case.change {
                Some((file, line)) => {
                    remote_reaches(&bot, before + case.commits, &name).await;
                    let commits = remote_commits(&bot);
                    assert_eq!(
                        commits.len(),
                        before + case.commits,
                        "{name}: {:?}",
                        &commits[..3]
                    );
                    for (author, email, message) in &commits[..case.commits] {
                        assert_eq!(
                            (author.as_str(), email.as_str()),
                            (person.name, person.email),
                            "{name}"
                        );
                        assert!(
                            message.contains(&format!("Requested-by: {} (discord)", person.name)),
                            "{name}: {message}"
                        );
                    }
                    let content = remote_file(&bot, file);
                    let line = filled(line, person);
                    assert!(
                        content.lines().any(|l| l.contains(&line)),
                        "{name}: {line:?} not in {file}:\n{content}"
                    );
                }
                None => {
                    // A command that changes nothing: the next command's commits
                    // would show up in its count, so look once its reply is in.
                    assert_eq!(remote_commits(&bot).len(), before, "{name} changed the store");
                }
            }
        }
    }
    // Both people's changes are there, the last status Ben's.
    let projects = remote_file(&bot, "projects.txt");
    assert!(
        projects
            .lines()
            .any(|l| l.contains("+hiring") && l.contains("status:someday")),
        "{projects}"
    );
    let log = remote_file(&bot, "log.txt");
    assert!(
        log.contains("ana went to the post office") && log.contains("ben went to the post office"),
        "{log}"
    );
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_offers_projects_contexts_and_people() {
    let bot = start_with(TEAM, &[]).await;
    let names = |choices: &[Value]| -> Vec<String> {
        choices
            .iter()
            .map(|choice| choice["name"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let projects = bot
        .fake
        .autocomplete(
            ANA,
            CHANNEL,
            "add",
            &[("text", json!("x")), ("project", json!("web"))],
            "project",
            WAIT,
        )
        .await
        .unwrap();
    assert_eq!(names(&projects), ["website"], "{projects:?}");
    let slugs = bot
        .fake
        .autocomplete(
            BEN,
            CHANNEL,
            "project show",
            &[("slug", json!("hir"))],
            "slug",
            WAIT,
        )
        .await
        .unwrap();
    assert_eq!(names(&slugs), ["hiring"], "{slugs:?}");
    let contexts = bot
        .fake
        .autocomplete(
            ANA,
            CHANNEL,
            "suggest",
            &[("context", json!("comp"))],
            "context",
            WAIT,
        )
        .await
        .unwrap();
    assert_eq!(names(&contexts), ["@computer"], "{contexts:?}");
    for (typed, offered) in [
        ("ph", vec!["@phone"]),
        ("@", vec!["@phone", "@errands", "@computer", "@home", "auto"]),
    ] {
        let choices = bot
            .fake
            .autocomplete(
                ANA,
                CHANNEL,
                "context",
                &[("context", json!(typed))],
                "context",
                WAIT,
            )
            .await
            .unwrap();
        assert_eq!(names(&choices), offered, "{choices:?}");
    }
    let people = bot
        .fake
        .autocomplete(
            BEN,
            CHANNEL,
            "add",
            &[("text", json!("x")), ("owner", json!(""))],
            "owner",
            WAIT,
        )
        .await
        .unwrap();
    let offered = names(&people);
    assert!(offered[0].contains("me"), "\"me\" first: {offered:?}");
    assert!(
        offered.iter().any(|name| name.contains("Ana García")),
        "{offered:?}"
    );
    let narrowed = bot
        .fake
        .autocomplete(BEN, CHANNEL, "tasks", &[("owner", json!("an"))], "owner", WAIT)
        .await
        .unwrap();
    assert!(
        names(&narrowed)
            .iter()
            .all(|name| name.to_lowercase().contains("an")),
        "{narrowed:?}"
    );
    assert!(
        names(&narrowed).iter().any(|name| name.contains("Ana García")),
        "{narrowed:?}"
    );
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_waiting_for_the_store_defers_in_time_and_a_later_error_stays_private() {
    let team = TEAM.replace("[store]\n", "[store]\nlock_timeout_secs = 6\n");
    assert_ne!(team, TEAM);
    let bot = start_with(&team, &[]).await;
    remote_reaches(&bot, 1, "the store is pushed at start").await;
    let before = remote_commits(&bot).len();
    // Another process holds the store's writer lock.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(bot.dir.path().join("s/.git/myorg/writer.lock"))
        .unwrap();
    lock.lock().unwrap();

    // Released in time: the command defers (the fake refuses an answer after 3 s),
    // then the reply replaces the "thinking" message.
    let asked = bot
        .fake
        .slash(ANA, CHANNEL, "add", &[("text", json!("Written after the wait"))])
        .await
        .unwrap();
    let deferred = async {
        for _ in 0..100 {
            if asked.callback_type().is_some() {
                return asked.callback_type();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }
    .await;
    assert_eq!(deferred, Some(5), "deferred within the 3 seconds");
    let unlocked = lock.try_clone().unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    unlocked.unlock().unwrap();
    let reply = asked.reply(WAIT).await.unwrap();
    assert!(
        !reply.ephemeral && reply.text().contains("Written after the wait"),
        "{reply:?}"
    );
    remote_reaches(&bot, before + 1, "the task is pushed").await;

    // Not released: the wait gives up after a public defer, and the error is
    // shown to Ana alone, never in the channel.
    lock.lock().unwrap();
    let asked = bot
        .fake
        .slash(ANA, CHANNEL, "add", &[("text", json!("Never written"))])
        .await
        .unwrap();
    let messages = asked.messages(1, WAIT).await.unwrap();
    let shown: Vec<&SeenMessage> = messages.iter().filter(|m| !m.text().is_empty()).collect();
    assert!(!shown.is_empty(), "{messages:?}");
    for message in &shown {
        assert!(message.ephemeral, "the error is private: {message:?}");
    }
    assert!(
        shown.iter().any(|m| m.text().contains("another process")),
        "says why: {shown:?}"
    );
    drop(lock);
    assert!(!remote_file(&bot, "todo.txt").contains("Never written"));
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_in_a_chat_channel_needs_no_mention_and_other_channels_are_left_alone() {
    let llm = FakeLlm::start().await;
    llm.push(Reply::answer("Hello Ben."));
    let url = llm.url();
    let team = format!("{TEAM}\n[discord]\nchat_channels = [\"4001\"]\n");
    let bot = start_with(
        &team,
        &[
            ("LITELLM_ENDPOINT", &url),
            ("LITELLM_MODEL", MODEL),
            ("LITELLM_API_KEY", KEY),
            ("DISCORD_CHANNEL_ID", ""),
        ],
    )
    .await;
    bot.fake.say(BEN, 4001, "hello there").await;
    let answers = bot.fake.wait_channel_messages(4001, 1, WAIT).await.unwrap();
    assert!(
        answers.iter().any(|m| m.content.contains("Hello Ben.")),
        "{answers:?}"
    );
    assert_eq!(llm.requests().len(), 1);
    // The team channel is not a chat channel here: without a mention, nothing.
    bot.fake.say(BEN, CHANNEL, "hello again").await;
    let help = bot.fake.slash(BEN, CHANNEL, "help", &[]).await.unwrap();
    help.reply(WAIT).await.unwrap();
    assert_eq!(
        llm.requests().len(),
        1,
        "a message elsewhere without a mention is left alone"
    );
    llm.assert_all_used();
    bot.assert_no_violation();
}

/// Refused: the reply is private and says so, and the store is unchanged.
async fn refused(bot: &Bot, user: u64, channel: u64) {
    let before = remote_commits(bot).len();
    let asked = bot
        .fake
        .slash(user, channel, "add", &[("text", json!("Should not land"))])
        .await
        .unwrap();
    let reply = asked.reply(WAIT).await.unwrap();
    let said = reply.text();
    assert!(
        reply.ephemeral && (said.contains("not") || said.contains("don't")),
        "{reply:?}"
    );
    let help = bot.fake.slash(ANA, CHANNEL, "help", &[]).await.unwrap();
    help.reply(WAIT).await.unwrap();
    assert_eq!(remote_commits(bot).len(), before);
    assert!(!remote_file(bot, "todo.txt").contains("Should not land"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_role_guild_and_channel_allowlists_hold_through_the_real_bot() {
    // Role 600 ("team") is Ana's alone; only channel 4000 may be used.
    let team = format!("{TEAM}\n[discord]\nallowed_roles = [\"600\"]\nallowed_channels = [\"4000\"]\n");
    let bot = start_with(&team, &[("MYORG_DISCORD_ALLOWED_USERS", "")]).await;
    remote_reaches(&bot, 1, "the store is pushed at start").await;
    let added = bot
        .fake
        .slash(ANA, CHANNEL, "add", &[("text", json!("Ana may"))])
        .await
        .unwrap();
    assert!(!added.reply(WAIT).await.unwrap().ephemeral);
    remote_reaches(&bot, 2, "Ana's task").await;
    refused(&bot, BEN, CHANNEL).await;
    refused(&bot, ANA, 4001).await;
    bot.assert_no_violation();
    drop(bot);

    // Only another guild is allowed: nobody here may.
    let team = format!("{TEAM}\n[discord]\nallowed_guilds = [\"9999\"]\n");
    let bot = start_with(&team, &[]).await;
    remote_reaches(&bot, 1, "the store is pushed at start").await;
    refused(&bot, ANA, CHANNEL).await;
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn goals_and_remember_refuse_bad_input_privately_and_change_nothing() {
    let bot = start_with(TEAM, &[("MYORG_DISCORD_ALLOWED_USERS", "501,502")]).await;
    remote_reaches(&bot, 1, "the store is pushed at start").await;
    let memory = remote_file(&bot, "working-memory.txt");
    for (command, options, says) in [
        ("goals", vec![("quarter", json!("2026Q5"))], "2026Q5"),
        ("remember", vec![("text", json!("   "))], "a note needs some text"),
    ] {
        let asked = bot.fake.slash(ANA, CHANNEL, command, &options).await.unwrap();
        let reply = asked.reply(WAIT).await.unwrap();
        assert!(reply.ephemeral, "/{command}: {reply:?}");
        assert!(reply.text().contains(says), "/{command}: {}", reply.text());
    }
    assert_eq!(remote_commits(&bot).len(), 1);
    assert_eq!(remote_file(&bot, "working-memory.txt"), memory);
    bot.assert_no_violation();
}

/// The width and height in a PNG's IHDR, after checking its signature.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kpi_with_a_key_attaches_the_chart_as_a_png_shown_in_the_embed() {
    let bot = start_with(TEAM, &[("MYORG_DISCORD_ALLOWED_USERS", "501,502")]).await;
    let asked = bot
        .fake
        .slash(
            ANA,
            CHANNEL,
            "kpi",
            &[("key", json!("mrr")), ("since", json!("2026-09-01"))],
        )
        .await
        .unwrap();
    let reply = asked.reply(WAIT).await.unwrap();
    assert!(!reply.ephemeral, "{reply:?}");
    assert_eq!(
        reply.text(),
        "mrr since 2026-09-01\n\
         mrr 1200 on 2026-11-21 (+100 (+9.1%) since 2026-10-31)\n\n\
         2026-09-30 940\n2026-10-31 1100\n2026-11-21 1200"
    );
    assert_eq!(reply.embeds[0]["image"]["url"], json!("attachment://mrr.png"));
    let attachments = reply.raw["attachments"].as_array().cloned().unwrap_or_default();
    assert_eq!(attachments.len(), 1, "{:?}", reply.raw);
    assert_eq!(attachments[0]["filename"], json!("mrr.png"));
    let uploads = bot.fake.uploads();
    assert_eq!(uploads.len(), 1, "{uploads:?}");
    assert_eq!(
        (uploads[0].field.as_str(), uploads[0].filename.as_str()),
        ("files[0]", "mrr.png")
    );
    assert_eq!(png_size(&uploads[0].bytes), (800, 400));
    // A key without figures, and since without a key: privately, nothing attached.
    for (options, says) in [
        (
            vec![("key", json!("xyz"))],
            "there are no figures for xyz; kpi.txt has mrr, arr, users",
        ),
        (
            vec![("since", json!("2026-09-01"))],
            "since is for a chart: give the figure's key too",
        ),
    ] {
        let asked = bot.fake.slash(BEN, CHANNEL, "kpi", &options).await.unwrap();
        let reply = asked.reply(WAIT).await.unwrap();
        assert!(reply.ephemeral, "{options:?}: {reply:?}");
        assert!(reply.text().contains(says), "{options:?}: {}", reply.text());
    }
    assert_eq!(bot.fake.uploads().len(), 1);
    bot.assert_no_violation();
}
