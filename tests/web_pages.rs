//! The dashboard's History, Briefings and Chat pages, in process (tower's `oneshot`
//! against `web::router`), logged in as Ana on a new sample store: the last changes
//! with Undo behind a confirmation; the briefings, a kind that does not exist and an
//! impossible date; the chat's grammar without a model (a change is one commit of
//! the person's, `(web)`), the plain answer that free chat needs a model, and the
//! chat with a model against the scripted server on 127.0.0.1.

use axum::http::StatusCode;
use serde_json::json;
use std::time::Duration;

mod support;
use support::dashboard::{Dashboard, attribute_after, commits, last_commit};
use support::fake_llm::{FakeLlm, Reply};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_lists_the_changes_and_undoes_one_after_asking() {
    let dashboard = Dashboard::start(None).await;
    let added = dashboard
        .post_htmx("/tasks", &[("text", "Call the <b>plumber</b> due:fri")])
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);

    let page = dashboard.get("/history").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h1>History</h1>"), "{}", page.body);
    // Newest first, who and when (store-local), the text escaped.
    let newest = page
        .body
        .find("Call the &#60;b&#62;plumber&#60;/b&#62;")
        .expect("the change is listed");
    assert!(page.body[newest..].contains("<strong>Ana</strong>"));
    let at = support::dashboard::last_commit_at(&dashboard.store(), chrono_tz::Europe::Madrid);
    assert!(
        page.body.contains(&at.format("%a %-d %b %Y %H:%M").to_string()),
        "{at}: {}",
        page.body
    );
    assert!(!page.body.contains("<b>plumber"));
    // A commit the assistant did not make (the sample store's first) offers no Undo.
    let first = page.body.rfind("<li class=\"change\">").unwrap();
    assert!(
        page.body[first..].contains(">no Undo here</span>"),
        "{}",
        &page.body[first..]
    );
    assert!(!page.body[first..].contains("/undo"), "{}", &page.body[first..]);

    // Undo asks first and changes nothing until confirmed.
    let commit =
        attribute_after(&page.body, "Call the &#60;b&#62;plumber", "action").expect("the change's Undo form");
    assert!(
        commit.starts_with("/history/") && commit.ends_with("/undo"),
        "{commit}"
    );
    let before = commits(&dashboard.store());
    let asked = dashboard.post_htmx(&commit, &[("back", "/history")]).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    assert!(asked.body.contains("Undo this change?"), "{}", asked.body);
    assert!(asked.body.contains("Undo commit"), "{}", asked.body);
    assert_eq!(commits(&dashboard.store()), before, "nothing changed yet");
    let todo = std::fs::read_to_string(dashboard.store().join("todo.txt")).unwrap();
    assert!(todo.contains("Call the <b>plumber</b>"));

    let yes = attribute_after(&asked.body, "Undo this change?", "action").unwrap();
    assert!(yes.starts_with("/confirm/"), "{yes}");
    let done = dashboard.post_htmx(&yes, &[("back", "/history")]).await;
    assert!(done.body.contains("Done: "), "{}", done.body);
    assert_eq!(done.header("hx-trigger"), "store-changed");
    assert_eq!(commits(&dashboard.store()), before + 1);
    let (subject, message) = last_commit(&dashboard.store());
    assert!(subject.starts_with("Undo"), "{subject}");
    assert!(message.contains("Requested-by: Ana (web)"), "{message}");
    let todo = std::fs::read_to_string(dashboard.store().join("todo.txt")).unwrap();
    assert!(!todo.contains("plumber"), "{todo}");

    // Confirmed once only.
    let again = dashboard.post_htmx(&yes, &[("back", "/history")]).await;
    assert!(again.body.contains("no such change waiting"), "{}", again.body);
    assert_eq!(commits(&dashboard.store()), before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_pages_thirty_at_a_time_and_refuses_what_it_cannot_undo() {
    let dashboard = Dashboard::start(None).await;
    for n in 0..31 {
        let added = dashboard
            .post_htmx("/tasks", &[("text", &format!("Task number {n}"))])
            .await;
        assert_eq!(added.status, StatusCode::OK);
    }
    let first = dashboard.get("/history").await;
    assert_eq!(first.body.matches("class=\"change\"").count(), 30);
    assert!(first.body.contains("Task number 30") && !first.body.contains("Task number 0<"));
    assert!(first.body.contains("href=\"/history?page=2\""), "a More link");
    let second = dashboard.get_htmx("/history?page=2").await;
    assert!(
        second
            .body
            .trim_start()
            .starts_with("<section id=\"history-list\""),
        "only the list"
    );
    assert!(second.body.contains("Task number 0"));
    assert!(second.body.contains("Newer"));

    // A commit that is not there: said, nothing changes.
    let before = commits(&dashboard.store());
    let refused = dashboard
        .post("/history/0000000000000000000000000000000000000000/undo", &[])
        .await;
    assert!(refused.status.is_client_error(), "{}", refused.status);
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("Nothing changed"), "{}", refused.body);
    assert!(refused.body.contains("there is no commit"), "{}", refused.body);
    // The store's first commit was not the assistant's: no Undo is offered, and one
    // asked for all the same is refused.
    let last_page = dashboard.get("/history?page=2").await;
    let created = &last_page.body[last_page.body.find("Create the store").unwrap()..];
    let created = &created[..created.find("</li>").unwrap()];
    assert!(
        created.contains(">no Undo here</span>") && !created.contains("/undo"),
        "{created}"
    );
    let repository = git2::Repository::open(dashboard.store()).unwrap();
    let mut walk = repository.revwalk().unwrap();
    walk.push_head().unwrap();
    let root = walk.last().unwrap().unwrap();
    let refused = dashboard.post_htmx(&format!("/history/{root}/undo"), &[]).await;
    assert!(refused.body.contains("class=\"error\""), "{}", refused.body);
    assert!(
        refused.body.contains("was not made by the assistant"),
        "{}",
        refused.body
    );
    assert_eq!(commits(&dashboard.store()), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn briefings_are_pages_of_sections_for_any_day() {
    let dashboard = Dashboard::start(None).await;
    dashboard
        .post_htmx("/tasks", &[("text", "<script>alert(1)</script> due:today")])
        .await;
    let morning = dashboard.get("/briefings/morning").await;
    assert_eq!(morning.status, StatusCode::OK);
    assert!(
        morning.body.contains("Morning, Monday 23 November 2026"),
        "{}",
        morning.body
    );
    assert!(
        morning.body.contains("<h2 id=\"b-1\">Today&#39;s events</h2>"),
        "{}",
        morning.body
    );
    assert!(morning.body.contains("Overdue"));
    assert!(morning.body.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
    assert!(!morning.body.contains("<script>alert"));
    for other in ["href=\"/briefings/evening\"", "href=\"/briefings/weekly\""] {
        assert!(morning.body.contains(other), "{other}");
    }

    let weekly = dashboard.get("/briefings/weekly?date=next+monday").await;
    assert_eq!(weekly.status, StatusCode::OK);
    assert!(
        weekly.body.contains("Weekly review, Monday 30 November 2026"),
        "{}",
        weekly.body
    );
    assert!(
        weekly
            .body
            .contains("href=\"/briefings/morning?date=next+monday\""),
        "the other kinds keep the day: {}",
        weekly.body
    );
    assert!(weekly.body.contains("value=\"next monday\""));

    let evening = dashboard.get_htmx("/briefings/evening?date=tomorrow").await;
    assert!(
        evening.body.trim_start().starts_with("<article id=\"briefing\""),
        "{}",
        evening.body
    );
    assert!(evening.body.contains("Evening, Tuesday 24 November 2026"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_briefing_is_not_found_and_an_impossible_day_is_said() {
    let dashboard = Dashboard::start(None).await;
    let lunch = dashboard.get("/briefings/lunch").await;
    assert_eq!(lunch.status, StatusCode::NOT_FOUND);
    assert!(lunch.body.contains("There is no such briefing"), "{}", lunch.body);
    assert!(lunch.body.contains("href=\"/briefings/morning\""));

    let impossible = dashboard.get("/briefings/morning?date=2026-02-30").await;
    assert_eq!(impossible.status, StatusCode::BAD_REQUEST);
    assert!(impossible.body.contains("role=\"alert\""), "{}", impossible.body);

    assert!(
        impossible.body.contains("&#34;2026-02-30&#34; is not a date"),
        "{}",
        impossible.body
    );
    assert!(
        impossible.body.contains("value=\"2026-02-30\""),
        "the field keeps what was typed"
    );
    let htmx = dashboard.get_htmx("/briefings/morning?date=2026-02-30").await;
    assert_eq!(htmx.status, StatusCode::OK, "htmx swaps it in");
    assert!(htmx.body.contains("role=\"alert\""));
}

/// The file todo.txt of the dashboard's store.
fn todo(dashboard: &Dashboard) -> String {
    std::fs::read_to_string(dashboard.store().join("todo.txt")).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_without_a_model_answers_the_grammar() {
    let dashboard = Dashboard::start(None).await;
    let page = dashboard.get("/chat").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<label for=\"message\">Message</label>"),
        "{}",
        page.body
    );

    let before = commits(&dashboard.store());
    let added = dashboard
        .post_htmx("/chat", &[("text", "add Call Mum due:fri")])
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert!(added.body.contains("Added "), "{}", added.body);
    assert!(
        added.body.contains("2026-11-23 Call Mum due:2026-11-27"),
        "{}",
        added.body
    );
    assert_eq!(added.header("hx-trigger"), "store-changed");
    assert_eq!(commits(&dashboard.store()), before + 1, "one commit");
    let (subject, message) = last_commit(&dashboard.store());
    assert!(subject.starts_with("Add task: Call Mum"), "{subject}");
    assert!(message.contains("Requested-by: Ana (web)"), "{message}");

    let today = dashboard.post_htmx("/chat", &[("text", "today")]).await;
    assert!(
        today.body.contains("Today, Mon 2026-11-23 (week 48)"),
        "{}",
        today.body
    );
    assert!(today.body.contains("standup"));
    assert_eq!(today.header("hx-trigger"), "", "a look changes nothing");

    let free = dashboard
        .post_htmx("/chat", &[("text", "what should I do about the roof?")])
        .await;
    assert!(
        free.body
            .contains("Free-form chat needs a language model, and none is configured."),
        "{}",
        free.body
    );
    assert!(free.body.contains("add TEXT") && free.body.contains("today"));
    assert!(!free.body.contains("quit "), "nothing to leave on a page");

    // Without JavaScript: back to the page, which shows the whole conversation.
    let at = added.body.find("Added ").unwrap() + "Added ".len();
    let reference = &added.body[at..at + added.body[at..].find(':').unwrap()];
    let done = dashboard
        .post("/chat", &[("text", &format!("done {reference}"))])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let page = dashboard.get("/chat").await;
    assert!(page.body.contains("Complete task: Call Mum"), "{}", page.body);
    assert!(
        page.body.contains("what should I do about the roof?"),
        "the person's messages too"
    );
    assert!(todo(&dashboard).contains("x 2026-11-23 2026-11-23 Call Mum due:2026-11-27"));
    assert_eq!(commits(&dashboard.store()), before + 2);

    // An error is said, in the conversation; nothing changes. Text is text.
    let wrong = dashboard
        .post_htmx("/chat", &[("text", "done <img src=x onerror=alert(1)>")])
        .await;
    assert!(wrong.body.contains("Sorry: no open task"), "{}", wrong.body);
    assert!(wrong.body.contains("&#60;img src=x onerror=alert(1)&#62;"));
    assert!(!wrong.body.contains("<img"));
    assert_eq!(commits(&dashboard.store()), before + 2);

    // A message too long for the conversation kept in memory is refused.
    let long = format!("add {}", "a".repeat(5000));
    let refused = dashboard.post_htmx("/chat", &[("text", &long)]).await;
    assert!(
        refused.body.contains("at most 4000 characters"),
        "{}",
        refused.body
    );
    assert_eq!(commits(&dashboard.store()), before + 2);

    // `forget` clears the conversation.
    let forgot = dashboard.post_htmx("/chat", &[("text", "forget")]).await;
    assert!(forgot.body.contains("Forgotten"), "{}", forgot.body);
    assert!(!forgot.body.contains("roof"), "{}", forgot.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_with_a_model_streams_its_tool_calls_and_answer() {
    let fake = FakeLlm::start().await;
    // Slow enough that the post is answered while the model is still at work.
    fake.push(
        Reply::tool_calls(&[(
            "call_1",
            "add_task",
            json!({"text": "Buy stamps +errands", "due": "tomorrow"}),
        )])
        .delay(Duration::from_millis(300)),
    );
    // The answer's words come in pieces, shown as they arrive.
    fake.push(
        Reply::sse_chunks(&[
            json!({"choices": [{"index": 0, "delta": {"role": "assistant", "content": "Added: buy stamps,"}}]}),
            json!({"choices": [{"index": 0, "delta": {"content": " due tomorrow."}, "finish_reason": "stop"}]}),
        ])
        .delay(Duration::from_millis(300))
        .gap(Duration::from_millis(300)),
    );
    let dashboard = Dashboard::start(Some(&fake.url())).await;
    let before = commits(&dashboard.store());

    let posted = dashboard
        .post_htmx("/chat", &[("text", "remind me to buy stamps tomorrow")])
        .await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    assert!(posted.body.contains("Thinking…"), "{}", posted.body);
    let stream = attribute_after(&posted.body, "class=\"said assistant", "data-stream")
        .expect("the answer comes as a stream");
    assert!(stream.starts_with("/chat/stream/"), "{stream}");
    let events = dashboard.get(&stream).await;
    assert_eq!(events.header("content-type"), "text/event-stream");
    let tool = events
        .body
        .find("event: tool\ndata: {\"tool\":\"add_task\",\"outcome\":\"done\"}");
    let done = events.body.find("event: done\ndata: {\"html\":");
    assert!(tool.is_some() && done > tool, "{}", events.body);
    // The words so far first (none yet), then each piece as it came, then the whole.
    let first = events.body.find("event: draft\ndata: {\"text\":\"\"}");
    let piece = events
        .body
        .find("event: text\ndata: {\"text\":\" due tomorrow.\"}");
    assert!(
        first.is_some() && piece > first && done > piece,
        "{}",
        events.body
    );
    assert!(
        events.body[done.unwrap()..].contains("Added: buy stamps, due tomorrow."),
        "{}",
        events.body
    );
    assert_eq!(
        fake.requests()[0].body["stream"],
        true,
        "the web asks for a stream"
    );

    assert!(todo(&dashboard).contains("Buy stamps +errands due:2026-11-24"));
    assert_eq!(commits(&dashboard.store()), before + 1);
    let (_, message) = last_commit(&dashboard.store());
    assert!(message.contains("Requested-by: Ana (web)"), "{message}");
    // The page drawn again shows the answer and what it did.
    let page = dashboard.get("/chat").await;
    assert!(page.body.contains("Added: buy stamps, due tomorrow."));
    assert!(page.body.contains("<code>add_task</code> done"), "{}", page.body);
    // The grammar needs no model even with one.
    let today = dashboard.post_htmx("/chat", &[("text", "today")]).await;
    assert!(today.body.contains("standup"));
    fake.assert_all_used();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_confirmations_are_buttons_for_a_deletion_and_for_held_changes() {
    let fake = FakeLlm::start().await;
    fake.push(Reply::tool_calls(&[(
        "d1",
        "delete_task",
        json!({"task": "call mum about sunday"}),
    )]));
    fake.push(Reply::answer("I will delete it once you confirm."));
    // One change on the model's word; the second waits for the person's.
    fake.push(Reply::tool_calls(&[
        ("a", "add_task", json!({"text": "Pack bags +trip"})),
        ("b", "add_task", json!({"text": "Print tickets +trip"})),
    ]));
    fake.push(Reply::answer("Packing added; the tickets wait for you."));
    let dashboard = Dashboard::start_with(Some(&fake.url()), |config| {
        config.llm.changes_per_request = 1;
    })
    .await;

    // Without JavaScript the post waits for the answer.
    let asked = dashboard
        .post("/chat", &[("text", "delete the call to mum")])
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let page = dashboard.get("/chat").await;
    assert!(
        page.body.contains("I will delete it once you confirm."),
        "{}",
        page.body
    );
    assert!(page.body.contains("<code>delete_task</code> needs confirmation"));
    assert!(
        todo(&dashboard).contains("Call Mum about Sunday lunch"),
        "nothing yet"
    );
    let yes = attribute_after(&page.body, "Please confirm:", "action").expect("a Yes button");
    assert!(yes.starts_with("/confirm/"), "{yes}");
    let done = dashboard.post_htmx(&yes, &[("back", "/chat")]).await;
    assert!(
        done.body
            .contains("Done: Delete task: Call Mum about Sunday lunch"),
        "{}",
        done.body
    );
    assert!(!todo(&dashboard).contains("Call Mum about Sunday lunch"));

    let posted = dashboard
        .post("/chat", &[("text", "pack bags and print tickets")])
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    assert!(todo(&dashboard).contains("Pack bags +trip"));
    assert!(!todo(&dashboard).contains("Print tickets"), "held back");
    let page = dashboard.get("/chat").await;
    let held = page.body.rfind("Please confirm:").unwrap();
    let yes = attribute_after(&page.body[held..], "Please confirm:", "action").unwrap();
    let done = dashboard.post_htmx(&yes, &[("back", "/chat")]).await;
    assert!(done.body.contains("Print tickets +trip"), "{}", done.body);
    assert!(
        todo(&dashboard).contains("Print tickets +trip"),
        "the held call ran"
    );
    let page = dashboard.get("/chat").await;
    assert!(
        !page.body.contains("Please confirm:"),
        "answered buttons go: {}",
        page.body
    );
    let (_, message) = last_commit(&dashboard.store());
    assert!(message.contains("Requested-by: Ana (web)"), "{message}");
    fake.assert_all_used();
}
