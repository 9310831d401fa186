//! The same task after someone reworded it. A change replayed after a sync names its
//! task by the exact line it saw; when another person reworded that line meanwhile,
//! the task is still the same one if little else changed: the same creation date, the
//! same projects and contexts, and most of the same words. Then the change is carried
//! over to it rather than dropped; when no task (or more than one) is clearly the
//! same, nothing is guessed.

use myorg_parsers::{Task, TodoFile};
use std::collections::BTreeSet;

/// How much of the words two descriptions must share (of all the words either has).
const SHARED_WORDS: f64 = 0.5;

/// The one task of `todo` that is clearly `original` reworded (open ones only unless
/// `done_too`); `None` when none is, or several could be.
pub fn find(todo: &TodoFile, original: &Task, done_too: bool) -> Option<(usize, Task)> {
    let mut found = todo
        .tasks()
        .filter(|(_, task)| (done_too || !task.is_done()) && is_reworded(original, task));
    let first = found.next()?;
    if found.next().is_some() {
        return None;
    }
    Some((first.0, first.1.clone()))
}

/// Whether `candidate` is `original` with its words changed a little.
pub fn is_reworded(original: &Task, candidate: &Task) -> bool {
    if original.created() != candidate.created()
        || sorted(original.projects()) != sorted(candidate.projects())
        || sorted(original.contexts()) != sorted(candidate.contexts())
    {
        return false;
    }
    let (before, after) = (words(original), words(candidate));
    if before.is_empty() || after.is_empty() {
        return false;
    }
    let shared = before.intersection(&after).count() as f64;
    let either = before.union(&after).count() as f64;
    shared / either >= SHARED_WORDS
}

/// Carries the edit that turned `before` into `after` over to `other` (the same task,
/// reworded meanwhile): the priority, dates, done mark, tags, projects and contexts
/// the edit changed, and nothing else. `None` when the edit changed the words too,
/// which would undo or fight the rewording.
pub fn carry_edit(before: &Task, after: &Task, other: &Task) -> Option<Task> {
    if words(before) != words(after) {
        return None;
    }
    let mut result = other.clone();
    if before.is_done() != after.is_done() {
        match after.completed() {
            Some(on) if after.is_done() => result.complete(on),
            _ => result.reopen(),
        }
    }
    if before.priority() != after.priority() {
        result.set_priority(after.priority());
    }
    if before.created() != after.created() {
        result.set_created(after.created());
    }
    let keys: BTreeSet<&str> = before.tags().chain(after.tags()).map(|(key, _)| key).collect();
    for key in keys {
        let was: Vec<&str> = before.tag_values(key).collect();
        let now: Vec<&str> = after.tag_values(key).collect();
        if was == now {
            continue;
        }
        match now.first() {
            Some(value) => result.set_tag(key, value).ok()?,
            None => {
                result.remove_tag(key);
            }
        }
    }
    for (was, now, add, remove) in [
        (
            sorted(before.projects()),
            sorted(after.projects()),
            Task::add_project as fn(&mut Task, &str) -> _,
            Task::remove_project as fn(&mut Task, &str) -> bool,
        ),
        (
            sorted(before.contexts()),
            sorted(after.contexts()),
            Task::add_context,
            Task::remove_context,
        ),
    ] {
        for name in was.difference(&now) {
            remove(&mut result, name);
        }
        for name in now.difference(&was) {
            add(&mut result, name).ok()?;
        }
    }
    Some(result)
}

fn sorted<'a>(names: impl Iterator<Item = &'a str>) -> BTreeSet<&'a str> {
    names.collect()
}

/// The words of a description that are its text: no `+project`, `@context` or
/// `key:value`, compared without case.
fn words(task: &Task) -> BTreeSet<String> {
    let marked: BTreeSet<String> = task
        .projects()
        .map(|p| format!("+{p}"))
        .chain(task.contexts().map(|c| format!("@{c}")))
        .chain(task.tags().map(|(k, v)| format!("{k}:{v}")))
        .collect();
    task.description()
        .split([' ', '\t'])
        .filter(|word| !word.is_empty() && !marked.contains(*word))
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(line: &str) -> Task {
        Task::parse(line)
    }

    #[test]
    fn a_reworded_task_is_the_same_task_when_little_else_changed() {
        let original = task("2026-11-20 Buy tiles for the bathroom +home @errands");
        assert!(is_reworded(
            &original,
            &task("2026-11-20 Buy blue tiles for the bathroom +home @errands due:2026-12-01")
        ));
        // Another creation date, project or context, or mostly other words: not it.
        for other in [
            "2026-11-21 Buy tiles for the bathroom +home @errands",
            "2026-11-20 Buy tiles for the bathroom +work @errands",
            "2026-11-20 Buy tiles for the bathroom +home",
            "2026-11-20 Call the plumber about the leak +home @errands",
        ] {
            assert!(!is_reworded(&original, &task(other)), "{other}");
        }
    }

    #[test]
    fn two_candidates_are_no_answer() {
        let original = task("2026-11-20 Buy tiles +home");
        let todo = TodoFile::parse("2026-11-20 Buy white tiles +home\n2026-11-20 Buy tiles now +home\n");
        assert_eq!(find(&todo, &original, false), None);
        let todo = TodoFile::parse("x 2026-11-21 2026-11-20 Buy white tiles +home\nother\n");
        assert_eq!(find(&todo, &original, false), None);
        assert_eq!(find(&todo, &original, true).map(|(index, _)| index), Some(0));
    }

    #[test]
    fn an_edit_of_fields_is_carried_over_to_the_reworded_task() {
        let before = task("2026-11-20 Buy tiles +home due:2026-12-01");
        let after = task("(A) 2026-11-20 Buy tiles +home +bathroom due:2026-12-24 @errands");
        let other = task("2026-11-20 Buy blue tiles +home due:2026-12-01 size:30");
        let carried = carry_edit(&before, &after, &other).unwrap();
        assert_eq!(
            carried.render(),
            "(A) 2026-11-20 Buy blue tiles +home due:2026-12-24 size:30 +bathroom @errands"
        );
        // An edit of the words themselves is not carried over a rewording.
        let reworded = task("2026-11-20 Buy some tiles +home due:2026-12-01");
        assert_eq!(carry_edit(&before, &reworded, &other), None);
    }
}
