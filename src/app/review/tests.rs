//! The review walked through the use cases on the sample store (Ana, Monday
//! 2026-11-23 08:00; the sample's own `skills/weekly-review.md`).

use super::*;
use crate::app::sample::with_ctx;
use crate::store::operation::{LOG, MEMORY};

/// Answers `words` to the current screen, by its token.
fn say(ctx: &Ctx, words: &str) -> Answered {
    let screen = open(ctx).unwrap();
    let answer = parse(&screen, words).unwrap();
    answer_to(ctx, &screen, &answer)
}

fn answer_to(ctx: &Ctx, screen: &Screen, answer: &Answer) -> Answered {
    super::answer(ctx, Some(&screen.token), answer)
        .unwrap_or_else(|error| panic!("{}: {error}", screen.said()))
}

/// Answers `next` until the current step is of `kind`.
fn on_to(ctx: &Ctx, kind: Kind) -> Screen {
    for _ in 0..30 {
        let screen = open(ctx).unwrap();
        if screen.kind == kind {
            return screen;
        }
        say(ctx, "next");
    }
    panic!("no step of kind {kind:?}");
}

fn todo(ctx: &Ctx) -> String {
    String::from_utf8(ctx.store.read(TODO).unwrap()).unwrap()
}

fn head(ctx: &Ctx) -> git2::Oid {
    let repo = git2::Repository::open(ctx.store.root()).unwrap();
    repo.head().unwrap().target().unwrap()
}

fn head_files(ctx: &Ctx) -> Vec<String> {
    let repo = git2::Repository::open(ctx.store.root()).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    let parent = head.parent(0).unwrap();
    let diff = repo
        .diff_tree_to_tree(Some(&parent.tree().unwrap()), Some(&head.tree().unwrap()), None)
        .unwrap();
    diff.deltas()
        .filter_map(|delta| delta.new_file().path().map(|p| p.display().to_string()))
        .collect()
}

#[test]
fn the_review_walks_its_steps_and_acts_through_the_use_cases() {
    with_ctx(|ctx| {
        let first = open(ctx).unwrap();
        assert_eq!((first.number, first.of, first.week.as_str()), (1, 19, "2026-W48"));
        assert_eq!(first.kind, Kind::Inbox, "{}", first.said());

        let archive = on_to(ctx, Kind::Archive);
        assert_eq!(archive.lines, ["4 done tasks to move to done.txt."]);
        let archived = say(ctx, "archive");
        assert!(
            !todo(ctx).lines().any(|line| line.starts_with("x ")),
            "{}",
            todo(ctx)
        );
        assert_eq!(archived.screen.number, archive.number + 1, "archiving moves on");

        let overdue = on_to(ctx, Kind::Overdue);
        let first_late = overdue.item.clone().unwrap();
        assert_eq!(
            first_late.reference.as_deref(),
            Some("jyfb"),
            "{}",
            overdue.said()
        );
        assert_eq!(overdue.left, 3);
        let moved = say(ctx, "due fri");
        assert!(moved.did.contains("due:2026-11-27"), "{}", moved.did);
        assert_eq!(moved.screen.item.unwrap().reference.as_deref(), Some("bwtz"));
        let done = say(ctx, "done");
        assert!(done.did.contains("Water the balcony plants"), "{}", done.did);
        let before = todo(ctx);
        let asked = say(ctx, "drop");
        assert!(asked.confirm, "a drop asks first");
        assert_eq!(
            asked.did,
            "Drop \"Call Mum about Sunday lunch @phone due:2026-11-22\" from todo.txt? Nothing is deleted until you confirm."
        );
        assert_eq!(todo(ctx), before, "nothing deleted before the confirmation");
        let dropped = say(ctx, "drop yes");
        assert!(!todo(ctx).contains("Call Mum about Sunday lunch"));
        assert_eq!(
            dropped.screen.kind,
            Kind::Checklist,
            "the emptied list moves on: {}",
            dropped.screen.said()
        );

        on_to(ctx, Kind::Waiting);
        let chased = say(ctx, "chase");
        assert_eq!(
            chased.did,
            "A nudge to send:\n> Hi ruiz, a friendly nudge about \"Countertop quote\": is there any news? Thanks!"
        );
        assert_eq!(
            chased.screen.item.clone().unwrap().reference.as_deref(),
            Some("bwgd")
        );
        say(ctx, "received");
        let followed = say(ctx, "followup in 3 days");
        assert!(followed.did.contains("followup:2026-11-26"), "{}", followed.did);

        on_to(ctx, Kind::Closing);
        let closing = open(ctx).unwrap();
        assert_eq!(
            closing.lines,
            [
                "Done this week: 4 done tasks archived, 1 nudge drafted, 1 task done, 1 task dropped, 1 task rescheduled, 1 follow-up moved, 1 item received."
            ]
        );
        let finished = say(ctx, "note A calm week, the kitchen is late");
        assert!(finished.screen.finished);
        let log = String::from_utf8(ctx.store.read(LOG).unwrap()).unwrap();
        assert!(
            log.ends_with("2026-11-23 08:00 ana: Weekly review 2026-W48: A calm week, the kitchen is late\n"),
            "{log}"
        );
        let memory = String::from_utf8(ctx.store.read(MEMORY).unwrap()).unwrap();
        assert!(
            memory.ends_with("2026-11-23 08:00 ana: weekly review 2026-W48 finished: 4 done tasks archived, 1 nudge drafted, 1 task done, 1 task dropped, 1 task rescheduled, 1 follow-up moved, 1 item received\n"),
            "{memory}"
        );
        let mut files = head_files(ctx);
        files.sort();
        assert_eq!(
            files,
            [LOG, MEMORY],
            "the note and the memory line are one commit"
        );
        let after = open(ctx).unwrap();
        assert!(after.finished && after.choices.is_empty(), "{}", after.said());
    });
}

#[test]
fn an_answer_to_a_passed_screen_or_not_on_it_changes_nothing() {
    with_ctx(|ctx| {
        let first = open(ctx).unwrap();
        let second = say(ctx, "next").screen;
        let before = head(ctx);
        let stale = super::answer(ctx, Some(&first.token), &Answer::Next).unwrap_err();
        assert!(matches!(stale, Error::NoLongerApplies(_)), "{stale:?}");
        assert_eq!(
            stale.to_string(),
            format!(
                "that step of the review has passed; it is now at step 2 of 19 ({})",
                second.title
            )
        );
        let wrong = super::answer(ctx, None, &Answer::Archive).unwrap_err();
        assert!(
            wrong
                .to_string()
                .starts_with("\"archive\" is not an answer at step 2 of 19"),
            "{wrong}"
        );
        assert!(parse(&second, "dance").is_err());
        assert_eq!(open(ctx).unwrap(), second, "still where it was");
        assert_eq!(head(ctx), before, "nothing committed");
    });
}

#[test]
fn the_review_is_kept_where_it_was_left_and_a_new_week_starts_again() {
    with_ctx(|ctx| {
        say(ctx, "next");
        let left = say(ctx, "next").screen;
        assert_eq!(left.number, 3);
        // Opened again (another front end, or after a restart): the same step.
        assert_eq!(open(ctx).unwrap(), left);

        let next_week = Ctx {
            config: ctx.config,
            store: ctx.store,
            actor: ctx.actor.clone(),
            handle: ctx.handle.clone(),
            now: ctx.now + chrono::Duration::days(7),
        };
        let stale = super::answer(&next_week, Some(&left.token), &Answer::Next).unwrap_err();
        assert!(matches!(stale, Error::NoLongerApplies(_)), "{stale:?}");
        let fresh = open(&next_week).unwrap();
        assert_eq!((fresh.number, fresh.week.as_str()), (1, "2026-W49"));
        let again = restart(&next_week).unwrap();
        assert_eq!(again.number, 1);
    });
}

#[test]
fn next_moves_one_step_even_onto_an_empty_list() {
    with_ctx(|ctx| {
        let waiting = on_to(ctx, Kind::Waiting);
        assert!(waiting.item.is_some());
        let next = say(ctx, "next").screen;
        assert_eq!(next.number, waiting.number + 1);
        assert_eq!(
            (next.kind, next.item.is_none()),
            (Kind::Projects, true),
            "{}",
            next.said()
        );
        assert!(next.said().contains("Nothing here this week."), "{}", next.said());
    });
}
