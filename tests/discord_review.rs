//! The weekly review through the real bot (`myorg run` and poise against the fake
//! Discord), on the sample store as Ana on Monday 2026-11-23: `/review` shows a step
//! with its answers as buttons; Ben's press on Ana's review is refused privately;
//! archiving reaches the remote; the bot restarts in the middle and the old message's
//! buttons still answer the step it shows; a new date and the closing note come
//! through forms (modals); a drop asks again, is kept, then confirmed; a press on a
//! step that has passed changes nothing. The weekly-review job opens each person's
//! review once a week; the team-digest job posts the team digest in the team channel.

mod support;

use git2::Repository;
use support::bot::*;
use support::fake_discord::SeenMessage;

/// The custom id of the button of `message` whose id ends with `:word`.
fn button(message: &SeenMessage, word: &str) -> String {
    let suffix = format!(":{word}");
    message
        .buttons()
        .into_iter()
        .map(|(id, _)| id)
        .find(|id| id.ends_with(&suffix))
        .unwrap_or_else(|| panic!("no {word} button on {}\n{:?}", message.text(), message.buttons()))
}

/// Ana presses `word` on `message`: the message as it is then.
async fn press(bot: &Bot, message: &SeenMessage, word: &str) -> SeenMessage {
    let click = bot
        .fake
        .click(ANA, message, &button(message, word))
        .await
        .unwrap();
    let shown = click.reply(WAIT).await.unwrap();
    assert_eq!(shown.id, message.id, "the review's message is updated in place");
    shown
}

/// Ana presses `word`, which opens a form, and sends it with `words`.
async fn form(bot: &Bot, message: &SeenMessage, word: &str, words: &str) -> SeenMessage {
    let click = bot
        .fake
        .click(ANA, message, &button(message, word))
        .await
        .unwrap();
    let modal = click.modal(WAIT).await.unwrap();
    assert!(
        modal["custom_id"]
            .as_str()
            .unwrap()
            .ends_with(&format!(":{word}")),
        "{modal}"
    );
    let sent = bot
        .fake
        .submit_modal(ANA, &click, &[("words", words)])
        .await
        .unwrap();
    sent.reply(WAIT).await.unwrap()
}

/// Ana presses `next` until the message shows a step whose title holds `title`.
async fn on_to(bot: &Bot, mut message: SeenMessage, title: &str) -> SeenMessage {
    for _ in 0..25 {
        if message.text().contains(title) {
            return message;
        }
        message = press(bot, &message, "next").await;
    }
    panic!("no step {title:?}: {}", message.text());
}

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

async fn remote_until(bot: &Bot, file: &str, holds: impl Fn(&str) -> bool) -> String {
    for _ in 0..200 {
        let text = remote_file(bot, file);
        if holds(&text) {
            return text;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the remote's {file}:\n{}", remote_file(bot, file));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_review_is_walked_with_buttons_and_forms_across_a_restart() {
    let mut bot = start_with(TEAM, &[]).await;
    let asked = bot.fake.slash(ANA, CHANNEL, "review", &[]).await.unwrap();
    let first = asked.reply(WAIT).await.unwrap();
    assert!(
        first.text().contains("Weekly review 2026-W48 · step 1 of 19"),
        "{}",
        first.text()
    );
    assert!(button(&first, "next").starts_with("rv:ana:"));

    // Ben may not answer Ana's review.
    let stranger = bot
        .fake
        .click(BEN, &first, &button(&first, "next"))
        .await
        .unwrap();
    let refused = stranger.reply(WAIT).await.unwrap();
    assert!(refused.ephemeral);
    assert_eq!(
        refused.content,
        "This is ana's weekly review; /review starts yours. Nothing was changed."
    );

    let archive = on_to(&bot, first.clone(), "Archive completed tasks").await;
    assert!(
        archive.text().contains("4 done tasks to move to done.txt."),
        "{}",
        archive.text()
    );
    let archived = press(&bot, &archive, "archive").await;
    assert!(archived.text().contains("step 5 of 19"), "{}", archived.text());
    remote_until(&bot, "todo.txt", |todo| {
        !todo.lines().any(|line| line.starts_with("x "))
    })
    .await;

    // A press on a step that has passed: private, nothing changed.
    let stale = bot
        .fake
        .click_raw(ANA, &archived, &button(&first, "next"))
        .await
        .unwrap();
    let told = stale.reply(WAIT).await.unwrap();
    assert!(told.ephemeral);
    assert!(
        told.content
            .starts_with("Not done: that step of the review has passed; it is now at step 5 of 19"),
        "{}",
        told.content
    );

    bot.restart().await;
    // The message from before the restart still answers the step it shows.
    let after = press(&bot, &archived, "next").await;
    assert!(after.text().contains("step 6 of 19"), "{}", after.text());
    let again = bot.fake.slash(ANA, CHANNEL, "review", &[]).await.unwrap();
    assert!(again.reply(WAIT).await.unwrap().text().contains("step 6 of 19"));

    let overdue = on_to(&bot, after, "Check overdue tasks").await;
    assert!(
        overdue.text().contains("[jyfb] Fix broken contact form"),
        "{}",
        overdue.text()
    );
    let moved = form(&bot, &overdue, "due", "fri").await;
    assert!(moved.content.contains("due:2026-11-27"), "{}", moved.content);
    assert!(
        moved.text().contains("[bwtz] Water the balcony plants"),
        "{}",
        moved.text()
    );
    let skipped = press(&bot, &moved, "skip").await;
    let asked = press(&bot, &skipped, "drop").await;
    assert!(
        asked.content.starts_with("Drop \"Call Mum about Sunday lunch"),
        "{}",
        asked.content
    );
    assert_eq!(asked.buttons().len(), 2, "{:?}", asked.buttons());
    let kept = press(&bot, &asked, "keep").await;
    assert_eq!(kept.content, "Kept.");
    assert!(remote_file(&bot, "todo.txt").contains("Call Mum about Sunday lunch"));
    let asked = press(&bot, &kept, "drop").await;
    let dropped = press(&bot, &asked, "drop!").await;
    assert!(
        dropped.text().contains("step 8 of 19"),
        "the list is done: {}",
        dropped.text()
    );
    remote_until(&bot, "todo.txt", |todo| {
        !todo.contains("Call Mum about Sunday lunch")
    })
    .await;

    let closing = on_to(&bot, dropped, "Write a short summary of the week").await;
    let finished = form(&bot, &closing, "note", "Calm week; the kitchen is late").await;
    assert!(
        finished.text().contains("Weekly review 2026-W48: finished"),
        "{}",
        finished.text()
    );
    assert!(finished.buttons().is_empty());
    let log = remote_until(&bot, "log.txt", |log| log.contains("Weekly review 2026-W48")).await;
    assert!(
        log.ends_with("2026-11-23 08:00 ana: Weekly review 2026-W48: Calm week; the kitchen is late\n"),
        "{log}"
    );
    let memory = remote_file(&bot, "working-memory.txt");
    assert!(
        memory.ends_with("ana: weekly review 2026-W48 finished: 4 done tasks archived, 1 task dropped, 1 task rescheduled\n"),
        "{memory}"
    );
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_weekly_review_job_opens_each_persons_review_once_a_week() {
    let bot = start_with(TEAM, &[]).await;
    let ran = bot.trigger("weekly-review").await;
    assert_eq!(ran["result"]["sent"], 2, "{ran}");
    let dms = bot.fake.wait_dms(ANA, 1, WAIT).await.unwrap();
    assert!(
        dms[0].content.starts_with(
            "Time for your weekly review (2026-W48): 19 steps, one at a time. Answer with /review on Discord"
        ),
        "{}",
        dms[0].content
    );
    assert!(
        dms[0].content.contains("Step 1 of 19: Empty the inbox"),
        "{}",
        dms[0].content
    );
    bot.fake.wait_dms(BEN, 1, WAIT).await.unwrap();
    let again = bot.trigger("weekly-review").await;
    assert_eq!(again["result"]["sent"], 0, "once a week: {again}");
    // The review the job opened is the one /review shows.
    let asked = bot.fake.slash(ANA, CHANNEL, "review", &[]).await.unwrap();
    let shown = asked.reply(WAIT).await.unwrap();
    assert!(shown.text().contains("step 1 of 19"), "{}", shown.text());
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_team_digest_is_posted_in_the_team_channel_once_a_day() {
    let bot = start_with(TEAM, &[]).await;
    let ran = bot.trigger("team-digest").await;
    assert_eq!(ran["result"]["sent"], 1, "{ran}");
    let posted = bot.fake.wait_channel_messages(CHANNEL, 1, WAIT).await.unwrap();
    assert!(
        posted[0]
            .content
            .starts_with("# Team digest\n_Done 2026-11-16 to 2026-11-22; due to 2026-11-29_"),
        "{}",
        posted[0].content
    );
    never_pings(&posted[0]);
    let again = bot.trigger("team-digest").await;
    assert_eq!(again["result"]["sent"], 0, "{again}");
    bot.assert_no_violation();
}
