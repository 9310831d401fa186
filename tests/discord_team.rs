//! The team's side of `myorg run` against the fake Discord: `/settings` shows and
//! sets a person's own settings (one commit of `.myorg/settings.toml`; a bad value
//! changes nothing), `/briefing kind:team` shows the team's week, the reminder jobs
//! tell the team channel what is stuck, mentioning its owner and no one else, and
//! the model's messages to others go out through the bot.

use serde_json::{Value, json};
use std::path::Path;

mod support;
use support::bot::*;

/// The `key` choices of `/settings` by name, as the client sends them (their index).
static KEYS: std::sync::LazyLock<std::collections::HashMap<&str, usize>> = std::sync::LazyLock::new(|| {
    [
        "morning",
        "evening",
        "review",
        "quiet_hours",
        "max_per_day",
        "reminders",
        "deliver",
        "timezone",
        "context",
        "work_hours",
    ]
    .into_iter()
    .enumerate()
    .map(|(index, key)| (key, index))
    .collect()
});

fn commits(store: &Path) -> usize {
    let repo = git2::Repository::open(store).unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push_head().unwrap();
    walk.count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_are_shown_and_set_by_their_person_and_bad_values_change_nothing() {
    let bot = start_with(TEAM, &[]).await;
    let store = bot.dir.path().join("s");

    let asked = bot.fake.slash(BEN, CHANNEL, "settings", &[]).await.unwrap();
    let shown = asked.reply(WAIT).await.unwrap();
    assert!(shown.text().contains("morning"), "{}", shown.text());
    assert!(
        shown.text().contains("deliver      dm (default)"),
        "{}",
        shown.text()
    );

    let before = commits(&store);
    let asked = bot
        .fake
        .slash(
            BEN,
            CHANNEL,
            "settings",
            &[
                ("key", json!(KEYS["quiet_hours"])),
                ("value", json!("23:30-08:00")),
            ],
        )
        .await
        .unwrap();
    let said = asked.reply(WAIT).await.unwrap();
    assert_eq!(said.text(), "ben's quiet_hours is now 23:30-08:00.");
    assert_eq!(commits(&store), before + 1);
    let file = std::fs::read_to_string(store.join(".myorg/settings.toml")).unwrap();
    assert!(
        file.contains("[people.ben]\nquiet_hours = \"23:30-08:00\"\n"),
        "{file}"
    );

    for (key, value, why) in [
        ("morning", "7 am", "is not a time of day"),
        ("max_per_day", "-2", "is not a number from 0 to 1000"),
        ("deliver", "pigeon", "neither `dm` nor `team`"),
    ] {
        let asked = bot
            .fake
            .slash(
                BEN,
                CHANNEL,
                "settings",
                &[("key", json!(KEYS[key])), ("value", json!(value))],
            )
            .await
            .unwrap();
        let refused = asked.reply(WAIT).await.unwrap();
        assert!(refused.text().contains(why), "{key}: {}", refused.text());
    }
    assert_eq!(commits(&store), before + 1);
    assert_eq!(
        std::fs::read_to_string(store.join(".myorg/settings.toml")).unwrap(),
        file
    );

    // The team's week, from /briefing (its kinds: morning, evening, weekly, team).
    let asked = bot
        .fake
        .slash(BEN, CHANNEL, "briefing", &[("kind", json!(3))])
        .await
        .unwrap();
    let digest = asked.reply(WAIT).await.unwrap();
    assert!(digest.text().contains("Team digest"), "{}", digest.text());
    assert!(digest.text().contains("Ben Okafor"), "{}", digest.text());
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_is_stuck_is_told_to_the_team_naming_its_owner_alone() {
    let bot = start_with(TEAM, &[]).await;
    let store = bot.dir.path().join("s");
    // Ben's gate, 13 days overdue on 23 November; he was nudged on the 15th.
    let line = "2026-11-01 Fix the gate owner:ben due:2026-11-10 @everyone";
    let task = myorg_parsers::TodoFile::parse(format!("{line}\n").into_bytes());
    let (_, task) = task.tasks().next().unwrap();
    let reference = myorg_domain::reference::reference(task);
    let todo = store.join("todo.txt");
    let mut text = std::fs::read_to_string(&todo).unwrap();
    text.push_str(line);
    text.push('\n');
    std::fs::write(&todo, text).unwrap();
    let ledger = store.join(".git/myorg/reminders.jsonl");
    let mut kept = std::fs::read_to_string(&ledger).unwrap_or_default();
    kept.push_str(
        &json!({"to": "ben", "key": format!("nudge:{reference}:2026-11-10"), "at": "2026-11-15T12:00:00Z"})
            .to_string(),
    );
    kept.push('\n');
    std::fs::write(&ledger, kept).unwrap();

    let ran = bot.trigger("deadline-checker").await;
    assert!(
        ran["result"]["failed"].as_array().is_some_and(Vec::is_empty),
        "{ran}"
    );
    let posted = bot.fake.wait_channel_messages(CHANNEL, 1, WAIT).await.unwrap();
    let told: Vec<_> = posted
        .iter()
        .filter(|m| m.content.contains("ben's: Fix the gate"))
        .collect();
    assert_eq!(told.len(), 1, "{posted:#?}");
    assert!(
        told[0]
            .content
            .starts_with("<@502> stuck for 13 days, ben's: Fix the gate @everyone (overdue since 2026-11-10); nudged on 2026-11-15."),
        "{}",
        told[0].content
    );
    // Ben alone may be pinged: no role, not everyone, whatever the text says.
    let allowed = told[0].allowed_mentions.clone().unwrap();
    assert_eq!(allowed["users"], json!(["502"]), "{allowed}");
    assert!(
        allowed["parse"].as_array().is_none_or(Vec::is_empty)
            && allowed.get("roles").is_none_or(|r| r == &json!([])),
        "{allowed}"
    );
    // Once: a second run tells no one again.
    let again = bot.trigger("deadline-checker").await;
    assert_eq!(again["result"]["sent"], Value::from(0), "{again}");
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_the_model_was_allowed_to_send_goes_out_through_the_bot() {
    let bot = start_with(TEAM, &[]).await;
    let store = myorg_assistant::store::Store::open(myorg_assistant::store::StoreSettings::local(
        bot.dir.path().join("s"),
    ))
    .unwrap();
    let config: myorg_assistant::config::Config = toml_config(TEAM);
    let ctx = myorg_assistant::app::Ctx {
        config: &config,
        store: &store,
        actor: myorg_assistant::store::Actor {
            name: "Ana García".into(),
            email: "ana@example.com".into(),
            via: "chat".into(),
        },
        handle: "ana".into(),
        now: chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap(),
    };
    let todo = std::fs::read_to_string(bot.dir.path().join("s/todo.txt")).unwrap();
    let ben_s = todo
        .lines()
        .find(|line| line.contains("owner:ben") && !line.starts_with("x "))
        .expect("the sample has a task of Ben's");
    let words: String = ben_s
        .split_whitespace()
        .filter(|w| !w.contains(':') && !w.starts_with(['(', '+', '@']))
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    myorg_assistant::app::outbox::raise(&ctx, &words, Some("waiting on legal")).unwrap();
    myorg_assistant::app::outbox::queue(&ctx, "ben", "The keys are under the mat", None).unwrap();
    let posted = bot.fake.wait_channel_messages(CHANNEL, 1, WAIT).await.unwrap();
    assert!(
        posted[0]
            .content
            .starts_with("<@502> From Ana García: stuck, ben's: "),
        "{}",
        posted[0].content
    );
    assert!(
        posted[0].content.ends_with(" — waiting on legal"),
        "{}",
        posted[0].content
    );
    let dms = bot.fake.wait_dms(BEN, 1, WAIT).await.unwrap();
    assert_eq!(dms[0].content, "From Ana García: The keys are under the mat");
    // Sent once: the queue is empty afterwards.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let queued = std::fs::read_to_string(bot.dir.path().join("s/.git/myorg/outbox.jsonl")).unwrap();
    assert_eq!(queued, "");
    assert_eq!(
        bot.fake
            .wait_channel_messages(CHANNEL, 1, WAIT)
            .await
            .unwrap()
            .len(),
        1
    );
    bot.assert_no_violation();
}

/// The configuration `text` says, as `myorg run` reads it.
fn toml_config(text: &str) -> myorg_assistant::config::Config {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("myorg.toml");
    std::fs::write(&path, text).unwrap();
    myorg_assistant::validate::load(Some(&path)).unwrap()
}
