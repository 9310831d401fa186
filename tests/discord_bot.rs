//! The Discord front end end to end: the real `myorg run` and the real poise client
//! against a fake Discord on 127.0.0.1 (and the fake language model), with the store
//! pushing to a local bare remote. Every payload the bot sends is checked against
//! Discord's limits by the fake; each test ends by asserting there was no violation.

use git2::Repository;
use serde_json::json;
use std::time::Duration;

mod support;
use support::bot::*;
use support::fake_discord::{GatewayClose, Scope, SeenMessage};
use support::fake_llm::{FakeLlm, KEY, MODEL, Reply};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_registers_every_command_in_the_guild() {
    let bot = start(&[]).await;
    let commands = bot.fake.commands();
    let names: Vec<&str> = commands.iter().filter_map(|c| c["name"].as_str()).collect();
    for name in [
        "add",
        "done",
        "tasks",
        "today",
        "agenda",
        "event",
        "waiting",
        "projects",
        "project",
        "note",
        "briefing",
        "review",
        "suggest",
        "context",
        "undo",
        "history",
        "sync",
        "status",
        "usage",
        "help",
        "goals",
        "remember",
        "kpi",
        "Add as task",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    assert_eq!(
        bot.fake.commands_scope(),
        Some(Scope::Guild(3000)),
        "registered in the configured guild"
    );
    let help = bot.fake.slash(ANA, CHANNEL, "help", &[]).await.unwrap();
    let help = help.reply(WAIT).await.unwrap();
    assert!(help.ephemeral && help.text().contains("/add"), "{help:?}");
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_replies_and_the_task_reaches_the_remote() {
    let bot = start(&[]).await;
    let added = bot
        .fake
        .slash(
            ANA,
            CHANNEL,
            "add",
            &[
                ("text", json!("Buy stamps")),
                ("due", json!("tomorrow")),
                ("priority", json!("b")),
                ("project", json!("errands")),
            ],
        )
        .await
        .unwrap();
    let reply = added.reply(WAIT).await.unwrap();
    assert!(
        !reply.ephemeral && reply.text().contains("Buy stamps"),
        "{reply:?}"
    );
    never_pings(&reply);
    let todo = bot
        .remote_todo_until("the task is pushed", |todo| todo.contains("Buy stamps"))
        .await;
    assert!(
        todo.contains("(B) 2026-11-23 Buy stamps +errands due:2026-11-24"),
        "{todo}"
    );

    // A message made a task from its context menu.
    let said = bot.fake.say(BEN, 4001, "Send the invoice to Acme").await;
    let made = bot.fake.context_menu(ANA, "Add as task", &said).await.unwrap();
    let made = made.reply(WAIT).await.unwrap();
    assert!(made.text().contains("Send the invoice to Acme"), "{made:?}");
    bot.remote_todo_until("the message's task is pushed", |todo| {
        todo.contains("2026-11-23 Send the invoice to Acme")
    })
    .await;

    // A choice option (poise sends a choice as its index: 2 is "blocked").
    let status = bot
        .fake
        .slash(
            ANA,
            CHANNEL,
            "project status",
            &[("slug", json!("website")), ("status", json!(2))],
        )
        .await
        .unwrap();
    let status = status.reply(WAIT).await.unwrap();
    assert!(
        !status.ephemeral && status.text().contains("blocked"),
        "{status:?}"
    );

    // A bad option: a clear, private error, and nothing changes.
    let commits = bot.remote_commits();
    let bad = bot
        .fake
        .slash(
            ANA,
            CHANNEL,
            "add",
            &[("text", json!("Nope")), ("due", json!("the 31st of never"))],
        )
        .await
        .unwrap();
    let bad = bad.reply(WAIT).await.unwrap();
    assert!(bad.ephemeral, "{bad:?}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(bot.remote_commits(), commits);
    assert!(!bot.remote_todo().contains("Nope"));
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn done_with_a_reference_from_autocomplete() {
    let bot = start(&[]).await;
    let added = bot
        .fake
        .slash(ANA, CHANNEL, "add", &[("text", json!("Water the ficus"))])
        .await
        .unwrap();
    added.reply(WAIT).await.unwrap();
    bot.remote_todo_until("the task is pushed", |todo| todo.contains("Water the ficus"))
        .await;
    let choices = bot
        .fake
        .autocomplete(ANA, CHANNEL, "done", &[("task", json!("ficus"))], "task", WAIT)
        .await
        .unwrap();
    assert_eq!(choices.len(), 1, "{choices:?}");
    assert!(choices[0]["name"].as_str().unwrap().contains("Water the ficus"));
    let reference = choices[0]["value"].as_str().unwrap().to_string();
    let done = bot
        .fake
        .slash(
            ANA,
            CHANNEL,
            "done",
            &[("task", json!(reference)), ("summary", json!("It was thirsty"))],
        )
        .await
        .unwrap();
    let reply = done.reply(WAIT).await.unwrap();
    assert!(!reply.ephemeral, "{reply:?}");
    bot.remote_todo_until("the task is done on the remote", |todo| {
        todo.lines()
            .any(|line| line.starts_with("x 2026-11-23 ") && line.contains("Water the ficus"))
    })
    .await;
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn done_with_a_summary_writes_no_note_when_the_task_is_not_completed() {
    let bot = start(&[]).await;
    let store = bot.dir.path().join("s");
    let log = std::fs::read_to_string(store.join("log.txt")).unwrap();
    let head = Repository::open(&store).unwrap().head().unwrap().target();
    // A task done already (a note could still name it), and one that is not there.
    for task in ["Order new kitchen tap", "the unicorn stable"] {
        let done = bot
            .fake
            .slash(
                ANA,
                CHANNEL,
                "done",
                &[("task", json!(task)), ("summary", json!("It went well"))],
            )
            .await
            .unwrap();
        let reply = done.reply(WAIT).await.unwrap();
        assert!(reply.ephemeral, "{reply:?}");
        assert!(reply.content.contains("no open task"), "{reply:?}");
        assert_eq!(
            std::fs::read_to_string(store.join("log.txt")).unwrap(),
            log,
            "{task}"
        );
        assert_eq!(
            Repository::open(&store).unwrap().head().unwrap().target(),
            head,
            "{task}"
        );
    }
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tasks_come_in_pages_turned_with_buttons() {
    let bot = start(&[]).await;
    for n in 0..20 {
        let added = bot
            .fake
            .slash(
                ANA,
                CHANNEL,
                "add",
                &[("text", json!(format!("Paged task number {n} +paging")))],
            )
            .await
            .unwrap();
        added.reply(WAIT).await.unwrap();
    }
    let listed = bot
        .fake
        .slash(ANA, CHANNEL, "tasks", &[("query", json!("+paging"))])
        .await
        .unwrap();
    let first = listed.reply(WAIT).await.unwrap();
    assert!(first.text().contains("Page 1 of 2"), "{first:?}");
    let buttons = first.buttons();
    // Previous, Next, and Done and Due… for the tasks picked in the page's menu.
    assert_eq!(buttons.len(), 4, "{buttons:?}");
    let next = buttons
        .iter()
        .find(|(_, label)| label.contains("Next"))
        .unwrap()
        .0
        .clone();
    let turned = bot.fake.click(ANA, &first, &next).await.unwrap();
    let second = turned.reply(WAIT).await.unwrap();
    assert!(second.text().contains("Page 2 of 2"), "{second:?}");
    let shown = |message: &SeenMessage| {
        (0..20)
            .filter(|n| message.text().contains(&format!("Paged task number {n} ")))
            .count()
    };
    assert_eq!(
        shown(&first) + shown(&second),
        20,
        "every task on one of the pages"
    );
    let _ = rustls::crypto::ring::default_provider().install_default();
    let metrics = reqwest::get(format!("{}/metrics", bot.http))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("myorg_commands_total{command=\"add\"} 20")
            && metrics.contains("myorg_commands_total{command=\"tasks\"} 1"),
        "{metrics}"
    );
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn free_chat_goes_through_the_model_and_a_tool() {
    let llm = FakeLlm::start().await;
    llm.push(Reply::tool_calls(&[(
        "call_1",
        "add_task",
        json!({"text": "Call the plumber", "due": "fri"}),
    )]));
    llm.push(Reply::answer("Added: call the plumber, due Friday."));
    let url = llm.url();
    let bot = start(&[
        ("LITELLM_ENDPOINT", &url),
        ("LITELLM_MODEL", MODEL),
        ("LITELLM_API_KEY", KEY),
    ])
    .await;
    bot.fake
        .say(ANA, CHANNEL, "<@1000> remind me to call the plumber on friday")
        .await;
    let answers = bot.fake.wait_channel_messages(CHANNEL, 1, WAIT).await.unwrap();
    assert!(
        answers[0].content.contains("Added: call the plumber"),
        "{answers:?}"
    );
    never_pings(&answers[0]);
    assert!(bot.fake.typing(CHANNEL) >= 1, "a typing indicator while it works");
    let todo = bot
        .remote_todo_until("the task is pushed", |todo| todo.contains("Call the plumber"))
        .await;
    assert!(todo.contains("Call the plumber due:2026-11-27"), "{todo}");
    let system = llm.requests()[0].body["messages"][0]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(system.contains("ana"), "the model is told who asks: {system}");
    bot.assert_no_violation();
    llm.assert_all_used();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deletion_from_chat_waits_for_the_requesters_button() {
    let llm = FakeLlm::start().await;
    llm.push(Reply::tool_calls(&[(
        "call_1",
        "add_task",
        json!({"text": "Old chore to drop"}),
    )]));
    llm.push(Reply::answer("Added."));
    llm.push(Reply::tool_calls(&[(
        "call_2",
        "delete_task",
        json!({"task": "Old chore to drop"}),
    )]));
    llm.push(Reply::answer("I will delete it once you confirm."));
    let url = llm.url();
    let bot = start(&[
        ("LITELLM_ENDPOINT", &url),
        ("LITELLM_MODEL", MODEL),
        ("LITELLM_API_KEY", KEY),
    ])
    .await;
    let dm = bot.fake.dm_channel_of(ANA);
    bot.fake.dm(ANA, "add old chore to drop").await;
    bot.fake.wait_channel_messages(dm, 1, WAIT).await.unwrap();
    bot.remote_todo_until("the chore is pushed", |todo| todo.contains("Old chore to drop"))
        .await;
    // The same in the team channel, so another person can see the button.
    bot.fake.say(ANA, CHANNEL, "<@1000> delete the old chore").await;
    let messages = bot.fake.wait_channel_messages(CHANNEL, 2, WAIT).await.unwrap();
    let ask = messages
        .iter()
        .find(|m| !m.buttons().is_empty())
        .cloned()
        .unwrap_or_else(|| panic!("a confirmation button: {messages:?}"));
    assert!(ask.content.contains("Old chore to drop"), "{ask:?}");
    let confirm = ask
        .buttons()
        .into_iter()
        .find(|(_, label)| label == "Confirm")
        .unwrap()
        .0;
    let commits = bot.remote_commits();

    // Ben may use the bot, but this is not his change.
    let refused = bot.fake.click(BEN, &ask, &confirm).await.unwrap();
    let refused = refused.reply(WAIT).await.unwrap();
    assert!(
        refused.ephemeral && refused.content.contains("Only the person who asked"),
        "{refused:?}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(bot.remote_todo().contains("Old chore to drop"));
    assert_eq!(bot.remote_commits(), commits);

    let confirmed = bot.fake.click(ANA, &ask, &confirm).await.unwrap();
    let confirmed = confirmed.reply(WAIT).await.unwrap();
    assert!(confirmed.content.contains('✅'), "{confirmed:?}");
    assert!(confirmed.buttons().is_empty(), "the buttons are gone");
    bot.remote_todo_until("the chore is deleted", |todo| !todo.contains("Old chore to drop"))
        .await;
    assert_eq!(bot.remote_commits(), commits + 1);

    // A client that still shows the button presses it again: refused, privately.
    let again = bot.fake.click_raw(ANA, &ask, &confirm).await.unwrap();
    let again = again.reply(WAIT).await.unwrap();
    assert!(
        again.ephemeral && again.content.contains("already confirmed or cancelled"),
        "{again:?}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(bot.remote_commits(), commits + 1, "the deletion was made once");
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_tap_on_a_chat_confirmation_applies_it_once_and_refuses_the_second_privately() {
    let llm = FakeLlm::start().await;
    llm.push(Reply::tool_calls(&[(
        "call_1",
        "delete_task",
        json!({"task": "Measure the space for the dishwasher"}),
    )]));
    llm.push(Reply::answer("I will delete it once you confirm."));
    let url = llm.url();
    let bot = start(&[
        ("LITELLM_ENDPOINT", &url),
        ("LITELLM_MODEL", MODEL),
        ("LITELLM_API_KEY", KEY),
    ])
    .await;
    bot.remote_todo_until("the store is pushed", |todo| todo.contains("dishwasher"))
        .await;
    bot.fake
        .say(ANA, CHANNEL, "<@1000> delete the dishwasher task")
        .await;
    let messages = bot.fake.wait_channel_messages(CHANNEL, 2, WAIT).await.unwrap();
    let ask = messages
        .iter()
        .find(|m| !m.buttons().is_empty())
        .cloned()
        .unwrap_or_else(|| panic!("a confirmation button: {messages:?}"));
    let confirm = ask
        .buttons()
        .into_iter()
        .find(|(_, label)| label == "Confirm")
        .unwrap()
        .0;
    let commits = bot.remote_commits();

    // Two presses before the bot answered the first.
    let first = bot.fake.click_raw(ANA, &ask, &confirm).await.unwrap();
    let second = bot.fake.click_raw(ANA, &ask, &confirm).await.unwrap();

    let answers = [
        first.reply(WAIT).await.unwrap(),
        second.reply(WAIT).await.unwrap(),
    ];
    let refused: Vec<&SeenMessage> = answers.iter().filter(|m| m.ephemeral).collect();
    assert_eq!(refused.len(), 1, "one press is refused privately: {answers:#?}");
    assert!(
        refused[0].content.contains("already confirmed or cancelled"),
        "{refused:?}"
    );
    bot.remote_todo_until("the task is deleted", |todo| !todo.contains("dishwasher"))
        .await;
    let shown = bot.fake.wait_channel_messages(CHANNEL, 2, WAIT).await.unwrap();
    let shown = shown.iter().find(|m| m.id == ask.id).unwrap();
    assert!(
        shown.content.contains('✅') && !shown.content.contains("Not done"),
        "{shown:?}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(bot.remote_commits(), commits + 1, "the deletion was made once");
    bot.assert_no_violation();
    llm.assert_all_used();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_not_on_the_allowlist_is_refused_and_nothing_changes() {
    let bot = start(&[]).await;
    // The first push of the store happens at start-up; wait for it.
    let initial = bot
        .remote_todo_until("the store is pushed", |todo| !todo.is_empty())
        .await;
    let commits = bot.remote_commits();
    let refused = bot
        .fake
        .slash(MALLORY, CHANNEL, "add", &[("text", json!("Mallory was here"))])
        .await
        .unwrap();
    let refused = refused.reply(WAIT).await.unwrap();
    assert!(
        refused.ephemeral && refused.content.contains("not on this assistant's list"),
        "{refused:?}"
    );
    let dm = bot.fake.dm_channel_of(MALLORY);
    bot.fake.dm(MALLORY, "delete everything").await;
    let answer = bot.fake.wait_channel_messages(dm, 1, WAIT).await.unwrap();
    assert!(
        answer[0].content.contains("not on this assistant's list"),
        "{answer:?}"
    );
    let choices = bot
        .fake
        .autocomplete(MALLORY, CHANNEL, "done", &[("task", json!(""))], "task", WAIT)
        .await
        .unwrap();
    assert!(choices.is_empty(), "no tasks shown to a stranger: {choices:?}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(bot.remote_commits(), commits);
    assert_eq!(bot.remote_todo(), initial);
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_answer_is_split_into_valid_messages() {
    let llm = FakeLlm::start().await;
    let long: String = (0..100)
        .map(|n| format!("Line {n:03} of a long answer, padded with words to be long.\n"))
        .collect::<String>()
        .chars()
        .take(5000)
        .collect();
    llm.push(Reply::answer(&long));
    let url = llm.url();
    let bot = start(&[
        ("LITELLM_ENDPOINT", &url),
        ("LITELLM_MODEL", MODEL),
        ("LITELLM_API_KEY", KEY),
    ])
    .await;
    bot.fake.say(ANA, CHANNEL, "<@1000> tell me everything").await;
    let messages = bot.fake.wait_channel_messages(CHANNEL, 3, WAIT).await.unwrap();
    assert_eq!(messages.len(), 3, "{messages:?}");
    for message in &messages {
        assert!(message.content.chars().count() <= 2000);
        never_pings(message);
    }
    let joined: Vec<String> = messages.iter().map(|m| m.content.clone()).collect();
    assert_eq!(
        joined.join("\n"),
        long.trim_end(),
        "nothing lost, cut at line ends"
    );
    bot.assert_no_violation();
    llm.assert_all_used();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_model_down_chat_says_so_and_commands_still_work() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let bot = start(&[
        ("LITELLM_ENDPOINT", &closed),
        ("LITELLM_MODEL", MODEL),
        ("LITELLM_API_KEY", KEY),
    ])
    .await;
    bot.fake
        .say(ANA, CHANNEL, "<@1000> what should I do today?")
        .await;
    let answer = bot.fake.wait_channel_messages(CHANNEL, 1, WAIT).await.unwrap();
    assert!(answer[0].content.contains("not answering"), "{answer:?}");
    let today = bot.fake.slash(ANA, CHANNEL, "today", &[]).await.unwrap();
    let today = today.reply(WAIT).await.unwrap();
    assert!(
        !today.ephemeral && today.text().contains("Today, Mon 2026-11-23"),
        "{today:?}"
    );
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_briefing_goes_to_the_channel_and_a_reminder_to_a_direct_message() {
    let bot = start(&[]).await;
    let added = bot
        .fake
        .slash(
            ANA,
            CHANNEL,
            "add",
            &[
                ("text", json!("Renew the passport")),
                ("due", json!("today")),
                ("owner", json!("ana")),
            ],
        )
        .await
        .unwrap();
    added.reply(WAIT).await.unwrap();
    let briefings = bot.trigger("morning-briefing").await;
    assert_eq!(briefings["result"]["sent"], 2, "{briefings}");
    // Ben has no Discord id: his briefing is posted in the team channel.
    let posted = bot.fake.wait_channel_messages(CHANNEL, 1, WAIT).await.unwrap();
    assert!(posted[0].content.starts_with("For Ben Okafor:"), "{posted:?}");
    never_pings(&posted[0]);
    // Ana gets hers, and her reminder, as direct messages.
    let reminders = bot.trigger("deadline-checker").await;
    assert!(reminders["result"]["sent"].as_u64().unwrap() >= 1, "{reminders}");
    let dms = bot.fake.wait_dms(ANA, 2, WAIT).await.unwrap();
    assert!(
        dms.iter().any(|m| m.content.contains("Renew the passport")),
        "{dms:?}"
    );
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_and_briefings_resent_after_a_lost_ledger_write_are_not_posted_twice() {
    let bot = start(&[]).await;
    let added = bot
        .fake
        .slash(
            ANA,
            CHANNEL,
            "add",
            &[
                ("text", json!("Renew the passport")),
                ("due", json!("today")),
                ("owner", json!("ana")),
            ],
        )
        .await
        .unwrap();
    added.reply(WAIT).await.unwrap();
    let reminders = bot.trigger("deadline-checker").await;
    let sent = reminders["result"]["sent"].as_u64().unwrap();
    assert!(sent >= 1, "{reminders}");
    let briefings = bot.trigger("morning-briefing").await;
    assert_eq!(briefings["result"]["sent"], 2, "{briefings}");
    let dms = bot.fake.wait_dms(ANA, 2, WAIT).await.unwrap().len();
    let posts = bot
        .fake
        .wait_channel_messages(CHANNEL, 1, WAIT)
        .await
        .unwrap()
        .len();

    // A crash after Discord took the messages and before the ledger recorded them.
    let ledger = bot.dir.path().join("s/.git/myorg/reminders.jsonl");
    assert!(
        std::fs::read_to_string(&ledger)
            .unwrap()
            .contains("briefing:morning")
    );
    std::fs::write(&ledger, "").unwrap();

    let again = bot.trigger("deadline-checker").await;
    assert_eq!(again["result"]["sent"], sent, "{again}");
    let again = bot.trigger("morning-briefing").await;
    assert_eq!(again["result"]["sent"], 2, "{again}");
    // Each send went out again with the same nonces, and Discord posted nothing new.
    let starts = |messages: &[SeenMessage]| -> Vec<String> {
        messages
            .iter()
            .map(|m| m.content.chars().take(40).collect())
            .collect()
    };
    let dms_now = bot.fake.wait_dms(ANA, 0, WAIT).await.unwrap();
    assert_eq!(dms_now.len(), dms, "{:#?}", starts(&dms_now));
    let posts_now = bot.fake.wait_channel_messages(CHANNEL, 0, WAIT).await.unwrap();
    assert_eq!(posts_now.len(), posts, "{:#?}", starts(&posts_now));
    assert!(dms_now.iter().all(|m| m.raw["nonce"].is_string()));
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_guild_commands_are_global_and_sigterm_closes_the_gateway() {
    let mut bot = start(&[("DISCORD_GUILD_ID", "")]).await;
    assert_eq!(bot.fake.commands_scope(), Some(Scope::Global));
    let _ = rustls::crypto::ring::default_provider().install_default();
    let ready = reqwest::get(format!("{}/readyz", bot.http)).await.unwrap();
    assert_eq!(ready.status(), 200, "ready once the gateway is connected");
    bot.stop().await;
    let closes = bot.fake.wait_gateway_closes(1, WAIT).await.unwrap();
    let clean = GatewayClose {
        code: Some(1000),
        reason: String::new(),
    };
    assert_eq!(closes, [clean], "a close frame, not a dropped connection");
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_bot_drops_the_gateway_without_a_close_frame() {
    let mut bot = start(&[]).await;
    bot.child.kill().unwrap();
    bot.child.wait().unwrap();
    let closes = bot.fake.wait_gateway_closes(1, WAIT).await.unwrap();
    let dropped = GatewayClose {
        code: None,
        reason: String::new(),
    };
    assert_eq!(closes, [dropped]);
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_schedule_sends_a_missed_briefing_through_discord_on_start() {
    // 08:30: the 08:00 briefing was missed while the bot was down.
    let bot = start(&[
        ("MYORG_SCHEDULER_MODE", "in-process"),
        ("MYORG_NOW", "2026-11-23T08:30:00"),
    ])
    .await;
    let posted = bot.fake.wait_channel_messages(CHANNEL, 1, WAIT).await.unwrap();
    assert!(posted[0].content.starts_with("For Ben Okafor:"), "{posted:?}");
    let dms = bot.fake.wait_dms(ANA, 1, WAIT).await.unwrap();
    assert!(!dms[0].content.is_empty(), "{dms:?}");
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undo_asks_with_buttons_and_only_the_requester_confirms() {
    let bot = start(&[]).await;
    let added = bot
        .fake
        .slash(ANA, CHANNEL, "add", &[("text", json!("A task added by mistake"))])
        .await
        .unwrap();
    added.reply(WAIT).await.unwrap();
    bot.remote_todo_until("the task is pushed", |todo| todo.contains("added by mistake"))
        .await;
    let undo = bot.fake.slash(ANA, CHANNEL, "undo", &[]).await.unwrap();
    let ask = undo.reply(WAIT).await.unwrap();
    assert!(
        !ask.ephemeral && ask.content.contains("Please confirm"),
        "{ask:?}"
    );
    let buttons = ask.buttons();
    let confirm = buttons
        .iter()
        .find(|(_, label)| label == "Confirm")
        .unwrap()
        .0
        .clone();
    let cancel = buttons
        .iter()
        .find(|(_, label)| label == "Cancel")
        .unwrap()
        .0
        .clone();
    let commits = bot.remote_commits();

    for (who, button) in [(BEN, &confirm), (BEN, &cancel)] {
        let refused = bot.fake.click(who, &ask, button).await.unwrap();
        let refused = refused.reply(WAIT).await.unwrap();
        assert!(
            refused.ephemeral && refused.content.contains("Only the person who asked"),
            "{refused:?}"
        );
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(bot.remote_commits(), commits, "nothing changed on Ben's clicks");

    let confirmed = bot.fake.click(ANA, &ask, &confirm).await.unwrap();
    let confirmed = confirmed.reply(WAIT).await.unwrap();
    assert!(
        confirmed.content.contains('✅') && confirmed.buttons().is_empty(),
        "{confirmed:?}"
    );
    bot.remote_todo_until("the add is undone", |todo| !todo.contains("added by mistake"))
        .await;
    // The same button again: the change was taken once.
    let again = bot.fake.click(ANA, &confirmed, &confirm).await;
    assert!(again.is_err(), "the buttons are gone with the confirmation");
    assert_eq!(bot.remote_commits(), commits + 1);
    let undone = bot.remote_todo();
    // A client that still shows the button presses it anyway: refused, privately.
    let again = bot.fake.click_raw(ANA, &ask, &confirm).await.unwrap();
    let again = again.reply(WAIT).await.unwrap();
    assert!(
        again.ephemeral && again.content.contains("already confirmed or cancelled"),
        "{again:?}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(bot.remote_commits(), commits + 1, "undone once");
    assert_eq!(bot.remote_todo(), undone);
    bot.assert_no_violation();
}

/// A request under `route` met one 429, and the next one, no sooner than
/// `retry_after` after it, was taken.
fn sent_again_after(bot: &Bot, route: &str, retry_after: Duration) {
    let attempts = bot.fake.attempts(route);
    let limited: Vec<usize> = (0..attempts.len())
        .filter(|i| attempts[*i].status == 429)
        .collect();
    assert_eq!(limited.len(), 1, "{route}: {attempts:#?}");
    let (refused, again) = (&attempts[limited[0]], attempts.get(limited[0] + 1));
    let again = again.unwrap_or_else(|| panic!("{route}: never sent again: {attempts:#?}"));
    assert!(
        (200..300).contains(&again.status) && again.path == refused.path,
        "{attempts:#?}"
    );
    assert!(
        again.at.duration_since(refused.at) >= retry_after,
        "{route}: sent again before retry_after: {attempts:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn briefings_that_meet_a_rate_limit_are_sent_once_after_retry_after() {
    let bot = start(&[]).await;
    let retry_after = Duration::from_millis(500);
    let channel_route = format!("channels/{CHANNEL}/messages");
    let dm_route = format!("channels/{}/messages", bot.fake.dm_channel_of(ANA));
    bot.fake.rate_limit_next(&channel_route, 1, retry_after);
    bot.fake.rate_limit_next(&dm_route, 1, retry_after);

    // Ben's in the team channel, Ana's as a direct message.
    let briefings = bot.trigger("morning-briefing").await;
    assert_eq!(briefings["result"]["sent"], 2, "{briefings}");

    let posted = bot.fake.wait_channel_messages(CHANNEL, 1, WAIT).await.unwrap();
    assert_eq!(posted.len(), 1, "{posted:?}");
    assert!(posted[0].content.starts_with("For Ben Okafor:"), "{posted:?}");
    // Hers is long: two messages, each posted once.
    let dms = bot.fake.wait_dms(ANA, 2, WAIT).await.unwrap();
    let contents: Vec<&str> = dms.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(contents.len(), 2, "{contents:#?}");
    assert!(contents[0].starts_with("**Good morning**") && contents[0] != contents[1]);
    sent_again_after(&bot, &channel_route, retry_after);
    sent_again_after(&bot, &dm_route, retry_after);
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_answer_and_a_commands_messages_that_meet_a_rate_limit_are_sent_once_after_retry_after() {
    let llm = FakeLlm::start().await;
    llm.push(Reply::answer("Good morning to you too."));
    let url = llm.url();
    let bot = start(&[
        ("LITELLM_ENDPOINT", &url),
        ("LITELLM_MODEL", MODEL),
        ("LITELLM_API_KEY", KEY),
    ])
    .await;
    let retry_after = Duration::from_millis(500);

    // A channel message.
    let channel_route = format!("channels/{CHANNEL}/messages");
    bot.fake.rate_limit_next(&channel_route, 1, retry_after);
    bot.fake.say(ANA, CHANNEL, "<@1000> good morning").await;
    let answers = bot.fake.wait_channel_messages(CHANNEL, 1, WAIT).await.unwrap();
    assert!(
        answers[0].content.contains("Good morning to you too"),
        "{answers:?}"
    );
    sent_again_after(&bot, &channel_route, retry_after);

    // A command's response, and the edit of its message when its button is pressed.
    let added = bot
        .fake
        .slash(ANA, CHANNEL, "add", &[("text", json!("Added to be undone"))])
        .await
        .unwrap();
    added.reply(WAIT).await.unwrap();
    bot.remote_todo_until("the task is pushed", |todo| todo.contains("Added to be undone"))
        .await;
    bot.fake.rate_limit_next("interactions/", 1, retry_after);
    let undo = bot.fake.slash(ANA, CHANNEL, "undo", &[]).await.unwrap();
    let ask = undo.reply(WAIT).await.unwrap();
    assert!(ask.content.contains("Please confirm"), "{ask:?}");
    let confirm = ask
        .buttons()
        .into_iter()
        .find(|(_, label)| label == "Confirm")
        .unwrap()
        .0;
    bot.fake.rate_limit_next("webhooks/", 1, retry_after);
    let confirmed = bot.fake.click(ANA, &ask, &confirm).await.unwrap();
    let confirmed = confirmed.reply(WAIT).await.unwrap();
    assert!(confirmed.content.contains('✅'), "{confirmed:?}");
    sent_again_after(&bot, "interactions/", retry_after);
    sent_again_after(&bot, "webhooks/", retry_after);
    bot.remote_todo_until("the add is undone", |todo| !todo.contains("Added to be undone"))
        .await;
    let answers = bot.fake.wait_channel_messages(CHANNEL, 1, WAIT).await.unwrap();
    assert_eq!(answers.len(), 1, "the answer was posted once: {answers:?}");
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_token_discord_refuses_the_bot_says_so_and_is_not_ready() {
    let mut bot = launch(CONFIG, &[("DISCORD_BOT_TOKEN", "not-the-bot-token")]).await;
    let said = bot.stderr_until("Discord refused the bot token").await;
    assert!(!said.contains("not-the-bot-token"), "the token is never logged");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let ready = reqwest::get(format!("{}/readyz", bot.http)).await.unwrap();
    assert_eq!(ready.status(), 503);
    assert!(ready.text().await.unwrap().contains("gateway is not connected"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let counts = bot.fake.gateway_counts();
    assert_eq!((counts.connections, counts.identifies), (1, 0), "{counts:?}");
    assert!(bot.child.try_wait().unwrap().is_none(), "still running");
    assert_eq!(
        bot.fake.violations(),
        [
            "GET /api/v10/oauth2/applications/@me: 0 401: Unauthorized",
            "gateway: IDENTIFY with a token that is not the bot's"
        ]
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undoing_a_task_that_mentions_someone_pings_nobody() {
    let bot = start(&[]).await;
    let added = bot
        .fake
        .slash(
            ANA,
            CHANNEL,
            "add",
            &[("text", json!("Call <@502> about the invoice"))],
        )
        .await
        .unwrap();
    never_pings(&added.reply(WAIT).await.unwrap());
    bot.remote_todo_until("the task is pushed", |todo| todo.contains("Call <@502>"))
        .await;
    let undo = bot.fake.slash(ANA, CHANNEL, "undo", &[]).await.unwrap();
    let ask = undo.reply(WAIT).await.unwrap();
    never_pings(&ask);
    let confirm = ask
        .buttons()
        .into_iter()
        .find(|(_, label)| label == "Confirm")
        .unwrap()
        .0;

    let confirmed = bot.fake.click(ANA, &ask, &confirm).await.unwrap();

    let confirmed = confirmed.reply(WAIT).await.unwrap();
    assert!(
        confirmed.content.contains('✅') && confirmed.content.contains("<@502>"),
        "{confirmed:?}"
    );
    never_pings(&confirmed);
    bot.remote_todo_until("the add is undone", |todo| !todo.contains("Call <@502>"))
        .await;
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tasks_picked_in_the_menu_of_tasks_are_done_in_one_commit_by_the_person_who_listed_them() {
    let bot = start(&[]).await;
    for text in [
        "Pick me first +picking",
        "Pick me second +picking",
        "Leave me +picking",
    ] {
        let added = bot
            .fake
            .slash(ANA, CHANNEL, "add", &[("text", json!(text))])
            .await
            .unwrap();
        added.reply(WAIT).await.unwrap();
    }
    let listed = bot
        .fake
        .slash(ANA, CHANNEL, "tasks", &[("query", json!("+picking"))])
        .await
        .unwrap();
    let list = listed.reply(WAIT).await.unwrap();
    let pick = format!("tk:{ANA}:pick");
    let menu = list
        .components
        .iter()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .find(|c| c["custom_id"] == json!(pick))
        .unwrap_or_else(|| panic!("a menu of tasks: {list:?}"));
    let reference = |words: &str| -> String {
        menu["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|option| option["label"].as_str().unwrap().contains(words))
            .and_then(|option| option["value"].as_str())
            .unwrap()
            .to_string()
    };
    let (first, second) = (reference("Pick me first"), reference("Pick me second"));
    assert_eq!(menu["options"].as_array().unwrap().len(), 3, "{menu}");

    // Only the person who listed them may pick.
    let refused = bot.fake.select(BEN, &list, &pick, &[&first]).await.unwrap();
    let refused = refused.reply(WAIT).await.unwrap();
    assert!(
        refused.ephemeral && refused.content.contains("Only the person who listed these tasks"),
        "{refused:?}"
    );
    let done = format!("tk:{ANA}:done");
    let early = bot.fake.click(ANA, &list, &done).await.unwrap();
    let early = early.reply(WAIT).await.unwrap();
    assert!(
        early.ephemeral && early.content.contains("Pick tasks in the menu first"),
        "{early:?}"
    );

    let commits = bot.remote_commits();
    let picked = bot
        .fake
        .select(ANA, &list, &pick, &[&first, &second])
        .await
        .unwrap();
    let started = std::time::Instant::now();
    while picked.callback_type() != Some(6) {
        assert!(started.elapsed() < WAIT, "the pick is acknowledged");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let pressed = bot.fake.click(ANA, &list, &done).await.unwrap();
    let said = pressed.reply(WAIT).await.unwrap();
    assert!(said.content.starts_with("Complete 2 tasks: "), "{said:?}");
    let todo = bot
        .remote_todo_until("both picked tasks are done", |todo| {
            todo.lines()
                .filter(|line| line.starts_with("x ") && line.contains("Pick me"))
                .count()
                == 2
        })
        .await;
    assert!(
        todo.lines().any(
            |line| line.starts_with("Leave me") || (line.contains("Leave me") && !line.starts_with("x "))
        ),
        "{todo}"
    );
    assert_eq!(bot.remote_commits(), commits + 1, "one commit for both");

    // Due…: a form asks the date, and the picked task gets it.
    let left = reference("Leave me");
    let picked = bot.fake.select(ANA, &list, &pick, &[&left]).await.unwrap();
    let started = std::time::Instant::now();
    while picked.callback_type() != Some(6) {
        assert!(started.elapsed() < WAIT, "the pick is acknowledged");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let due = bot
        .fake
        .click(ANA, &list, &format!("tk:{ANA}:due"))
        .await
        .unwrap();
    let form = due.modal(WAIT).await.unwrap();
    assert_eq!(form["custom_id"], json!(format!("tk:{ANA}:due")), "{form}");
    let sent = bot
        .fake
        .submit_modal(ANA, &due, &[("when", "2026-12-24")])
        .await
        .unwrap();
    let said = sent.reply(WAIT).await.unwrap();
    assert!(
        said.content.contains("Leave me +picking due:2026-12-24"),
        "{said:?}"
    );
    bot.remote_todo_until("the due date is set", |todo| {
        todo.contains("Leave me +picking due:2026-12-24")
    })
    .await;
    assert_eq!(bot.remote_commits(), commits + 2);
    bot.assert_no_violation();
}
