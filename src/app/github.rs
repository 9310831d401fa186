//! GitHub's webhook deliveries: a pull request opened, ready for review, merged or
//! closed, linked to the projects and tasks it names (`myorg_domain::github`).
//!
//! [`signed`] checks a delivery's `X-Hub-Signature-256` (HMAC-SHA256 of the raw body
//! with the webhook's secret, compared in constant time) before anything reads it.
//! [`deliver`] then handles it once: the delivery ids handled are kept in
//! `STATE/github-deliveries.txt`, so GitHub's redelivery of one changes nothing. Each
//! project the pull request names gets a log.txt entry (`PR merged: Title URL +slug`,
//! the quarter plan's way, [`super::plan::link_pr`]); each task it names gets a
//! `pr:OWNER/REPO#N` tag; on merge, the tasks it says it closes are completed
//! (`github.complete_on_merge`). Each is one commit by whoever the request's actor is
//! (`github (webhook)`).

use super::loaded::{Loaded, Need};
use super::plan::{self, PullRequestLink};
use super::{Ctx, Error, Result, tasks};
use hmac::{KeyInit, Mac};
use myorg_domain::github::PullRequest;
use myorg_domain::plan::PrState;
use myorg_domain::reference::{References, Scope};
use myorg_parsers::{Task, TodoFile};
use serde_json::Value;
use std::io::Write;
use std::sync::Mutex;

/// The deliveries kept, newest last; older ids are forgotten.
const KEPT: usize = 2000;
/// The file of delivery ids, in the state directory.
const LEDGER: &str = "github-deliveries.txt";

/// One delivery at a time in this process: the ledger is read, the delivery handled,
/// and its id written.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Whether `signature` (`sha256=HEX`, the `X-Hub-Signature-256` header) signs `body`
/// with `secret`.
pub fn signed(secret: &[u8], body: &[u8], signature: Option<&str>) -> bool {
    let Some(hex) = signature.and_then(|signature| signature.trim().strip_prefix("sha256=")) else {
        return false;
    };
    let Some(expected) = from_hex(hex) else {
        return false;
    };
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret) else {
        return false;
    };
    mac.update(body);
    // Constant time.
    mac.verify_slice(&expected).is_ok()
}

fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() != 64 {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(hex.get(at..at + 2)?, 16).ok())
        .collect()
}

/// What a delivery did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handled {
    /// An event or action the store does not follow.
    Ignored(String),
    /// This delivery was handled before.
    Again,
    /// What it changed, one line each (none: nothing in the store is named).
    Done(Vec<String>),
}

/// Handles the delivery `id` of the event `event` (`X-GitHub-Event`), whose body
/// (already checked with [`signed`]) is `body`.
pub fn deliver(ctx: &Ctx, event: &str, id: &str, body: &[u8]) -> Result<Handled> {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let id = id.trim();
    if id.is_empty() || id.len() > 100 || id.chars().any(char::is_whitespace) {
        return Err(Error::Invalid(
            "the delivery has no usable X-GitHub-Delivery id".to_string(),
        ));
    }
    let ledger = ctx.store.state_dir().join(LEDGER);
    let seen = std::fs::read_to_string(&ledger).unwrap_or_default();
    if seen.lines().any(|line| line == id) {
        return Ok(Handled::Again);
    }
    let handled = match event {
        "pull_request" => pull_request(ctx, body)?,
        "ping" => Handled::Ignored("ping: the webhook reaches the assistant".to_string()),
        other => Handled::Ignored(format!("{other} events are not followed")),
    };
    remember(&ledger, &seen, id)?;
    Ok(handled)
}

/// Keeps `id` in the ledger (with the last [`KEPT`] before it).
fn remember(ledger: &std::path::Path, seen: &str, id: &str) -> Result<()> {
    use anyhow::Context;
    let write = || -> anyhow::Result<()> {
        let folder = ledger.parent().context("the ledger has a folder")?;
        std::fs::create_dir_all(folder)?;
        let lines: Vec<&str> = seen.lines().collect();
        let kept = &lines[lines.len().saturating_sub(KEPT - 1)..];
        let mut file = tempfile::NamedTempFile::new_in(folder)?;
        for line in kept {
            writeln!(file, "{line}")?;
        }
        writeln!(file, "{id}")?;
        file.as_file().sync_all()?;
        file.persist(ledger)?;
        Ok(())
    };
    write().with_context(|| format!("keeping the delivery in {}", ledger.display()))?;
    Ok(())
}

/// The pull request of a `pull_request` event's payload.
fn parse(body: &[u8]) -> Result<PullRequest> {
    let invalid = |why: &str| Error::Invalid(format!("the payload is not a pull request event: {why}"));
    let value: Value = serde_json::from_slice(body).map_err(|error| invalid(&error.to_string()))?;
    let text = |value: &Value| value.as_str().unwrap_or_default().to_string();
    let pr = &value["pull_request"];
    if !pr.is_object() {
        return Err(invalid("no pull_request"));
    }
    let parsed = PullRequest {
        action: text(&value["action"]),
        repository: text(&value["repository"]["full_name"]),
        number: value["number"].as_u64().or(pr["number"].as_u64()).unwrap_or(0),
        title: text(&pr["title"]),
        body: text(&pr["body"]),
        branch: text(&pr["head"]["ref"]),
        url: text(&pr["html_url"]),
        merged: pr["merged"].as_bool().unwrap_or(false),
        draft: pr["draft"].as_bool().unwrap_or(false),
    };
    if parsed.action.is_empty() || parsed.repository.is_empty() || parsed.number == 0 || parsed.url.is_empty()
    {
        return Err(invalid("it lacks the action, repository, number or html_url"));
    }
    Ok(parsed)
}

fn pull_request(ctx: &Ctx, body: &[u8]) -> Result<Handled> {
    let pr = parse(body)?;
    let Some(state) = pr.state() else {
        return Ok(Handled::Ignored(format!(
            "pull request action {} is not followed",
            pr.action
        )));
    };
    let mut done = Vec::new();
    let loaded = Loaded::read(ctx.store, Need::Lists)?;
    let slugs: Vec<&str> = loaded
        .projects
        .projects()
        .filter_map(|(_, project)| project.slug())
        .collect();
    for slug in pr.projects(&slugs) {
        let link = PullRequestLink {
            slug: slug.to_string(),
            url: pr.url.clone(),
            title: format!("{} {}", pr.tag(), pr.title),
            state: Some(state),
        };
        done.push(plan::link_pr(ctx, &link)?.said());
    }
    for reference in pr.tasks() {
        let todo = tasks::todo(ctx.store)?;
        let Some((line, task)) = open_task(&todo, &reference) else {
            continue;
        };
        if !task.tag_values("pr").any(|value| value == pr.tag()) {
            let mut tagged = task.clone();
            tagged.set_description(&format!("{} pr:{}", task.description(), pr.tag()));
            done.push(tasks::rewrite(ctx, line, tagged, Vec::new())?.said("Linked"));
        }
    }
    let closes = pr.closes();
    if state == PrState::Merged && ctx.config.github.complete_on_merge && !closes.is_empty() {
        // The tag changed the task's reference: the one the pull request names is
        // the task's without its tag.
        let todo = tasks::todo(ctx.store)?;
        let tag = format!("pr:{}", pr.tag());
        let closed: Vec<String> = todo
            .tasks()
            .filter(|(_, task)| !task.is_done() && task.tag_values("pr").any(|value| value == pr.tag()))
            .filter(|(_, task)| {
                let untagged: Vec<&str> = task
                    .description()
                    .split(' ')
                    .filter(|word| *word != tag)
                    .collect();
                let mut before: Task = Task::clone(task);
                before.set_description(&untagged.join(" "));
                let before = myorg_domain::reference::reference(&before);
                closes
                    .iter()
                    .any(|reference| before.starts_with(reference.as_str()))
            })
            .map(|(_, task)| myorg_domain::reference::reference(task))
            .collect();
        for reference in closed {
            done.push(tasks::complete(ctx, &reference, None)?.said());
        }
    }
    Ok(Handled::Done(done))
}

/// The open task whose reference is `reference` exactly (its shown one or its full
/// one, never a longer one it begins): its line and the task.
fn open_task(todo: &TodoFile, reference: &str) -> Option<(String, Task)> {
    let index = myorg_domain::reference::resolve(todo, reference, Scope::Open).ok()?;
    let task = todo.get(index)?.task()?;
    let shown = References::of(todo).shown(task);
    (shown == reference || myorg_domain::reference::reference(task) == reference)
        .then(|| (todo.text(index).unwrap_or_default().to_string(), task.clone()))
}

#[cfg(test)]
mod tests;
