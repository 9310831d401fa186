//! The store's documents as MCP resources, and filtered task lists as a resource
//! template: URIs in, the application's documents and task search
//! ([`crate::app::documents`], [`crate::app::tasks::page`]) in between, resource
//! contents out. Both are read-only and come in pages of
//! [`PAGE_LINES`](crate::app::documents::PAGE_LINES) lines:
//!
//! - `myorg://files/PATH` (`todo.txt`, `notes/plan.md`…) is the document's first
//!   page, `myorg://files/PATH?page=N` its page N;
//! - `myorg://tasks?project=website&context=computer` is the open tasks of
//!   `+website` and `@computer`, most urgent first, one `REF LINE` each (also
//!   `owner`, `query`, `due_before`, `due_after`, `overdue`, `done`, `page`).
//!
//! A page with more after it ends with a line naming the next page's URI; its
//! `_meta` holds `page`, `pages`, `first` and `last` (1-based) and `total`.

use crate::app::documents::{self, PAGE_LINES};
use crate::app::files::StoreFile;
use crate::app::tasks::{Listed, Owner, Query};
use myorg_domain::files::Page;
use rmcp::model::{MetaObject, ReadResourceResult, Resource, ResourceContents, ResourceTemplate};

/// What a document's URI starts with.
pub const FILES: &str = "myorg://files/";
/// The task lists' URI.
pub const TASKS: &str = "myorg://tasks";
/// The parameters of a task list, as the template names them.
const TASK_PARAMETERS: [&str; 8] = [
    "project",
    "context",
    "owner",
    "query",
    "due_before",
    "due_after",
    "overdue",
    "done",
];

/// A resource asked for.
#[derive(Debug)]
pub(super) enum Asked {
    /// Page `page` of the document `path`.
    Document { path: String, page: usize },
    /// Page `page` of the tasks `query` keeps.
    Tasks { query: Query, page: usize },
}

/// The documents `files` as resources.
pub(super) fn listed(files: Vec<StoreFile>) -> Vec<Resource> {
    files
        .into_iter()
        .map(|file| {
            Resource::new(format!("{FILES}{}", encoded(&file.path)), file.path.clone())
                .with_description(format!(
                    "{} of the store, read-only, {PAGE_LINES} lines a page (?page=2 for the next)",
                    file.path
                ))
                .with_mime_type(mime_type(&file.path))
                .with_size(file.bytes)
        })
        .collect()
}

/// The task lists' template.
pub(super) fn templates() -> Vec<ResourceTemplate> {
    vec![
        ResourceTemplate::new(format!("{TASKS}{{?{},page}}", TASK_PARAMETERS.join(",")), "tasks")
            .with_title("Tasks")
            .with_description(format!(
                "Open tasks, most urgent first, one `REF LINE` each, {PAGE_LINES} a page: \
             project and context (without + or @), owner (a name, or me), query (words, \
             +project, @context, (A)-(C)), due_before and due_after (a date or words), \
             overdue and done (true), page"
            ))
            .with_mime_type("text/plain"),
    ]
}

/// What `uri` asks for, or why it names nothing.
pub(super) fn parse(uri: &str) -> Result<Asked, String> {
    let (base, query) = uri.split_once('?').unwrap_or((uri, ""));
    let pairs = pairs(query)?;
    let mut page = 1;
    if let Some(path) = base.strip_prefix(FILES) {
        for (name, value) in pairs {
            match name.as_str() {
                "page" => page = page_number(&value)?,
                other => return Err(format!("a document takes only ?page=N, not {other:?}")),
            }
        }
        return Ok(Asked::Document {
            path: decoded(path)?,
            page,
        });
    }
    if base != TASKS && base != format!("{TASKS}/") {
        return Err(format!(
            "no resource is called {uri:?}: the documents are {FILES}PATH, the task lists {TASKS}?…"
        ));
    }
    let mut query = Query::default();
    for (name, value) in pairs {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match name.as_str() {
            "project" => query.words.push(format!("+{}", value.trim_start_matches('+'))),
            "context" => query.words.push(format!("@{}", value.trim_start_matches('@'))),
            "query" => query.words.extend(value.split_whitespace().map(str::to_string)),
            "owner" => query.owner = Some(Owner::from_given(value)),
            "due_before" => query.due_before = Some(value.to_string()),
            "due_after" => query.due_after = Some(value.to_string()),
            "overdue" => query.overdue = yes(&name, value)?,
            "done" => query.done = yes(&name, value)?,
            "page" => page = page_number(value)?,
            other => {
                return Err(format!(
                    "a task list takes {} and page, not {other:?}",
                    TASK_PARAMETERS.join(", ")
                ));
            }
        }
    }
    Ok(Asked::Tasks { query, page })
}

/// A page of a document as the resource `uri`.
pub(super) fn document(uri: &str, read: documents::Read) -> ReadResourceResult {
    let mut text = read.text;
    if read.page.number < read.page.pages {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&next(&read.page, "lines", uri));
    }
    contents(uri, text, mime_type(&read.path), &read.page)
}

/// A page of tasks as the resource `uri`.
pub(super) fn tasks(uri: &str, listed: &Listed) -> ReadResourceResult {
    let mut text = listed.lines().join("\n");
    if listed.hits.is_empty() {
        text = "No tasks match.".to_string();
    }
    if listed.page.number < listed.page.pages {
        text.push('\n');
        text.push_str(&next(&listed.page, "tasks", uri));
    }
    contents(uri, text, "text/plain", &listed.page)
}

fn contents(uri: &str, text: String, mime_type: &str, page: &Page) -> ReadResourceResult {
    let mut meta = MetaObject::new();
    for (key, value) in [
        ("page", page.number),
        ("pages", page.pages),
        ("first", page.items.start + 1),
        ("last", page.items.end),
        ("total", page.total),
    ] {
        meta.insert(key.to_string(), value.into());
    }
    ReadResourceResult::new(vec![
        ResourceContents::text(text, uri)
            .with_mime_type(mime_type)
            .with_meta(meta),
    ])
}

/// `[lines 1–200 of 450, page 1 of 3; the next: URI?page=2]`.
fn next(page: &Page, what: &str, uri: &str) -> String {
    let (base, query) = uri.split_once('?').unwrap_or((uri, ""));
    let mut kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("page="))
        .collect();
    let next_page = format!("page={}", page.number + 1);
    kept.push(&next_page);
    format!(
        "[{what} {}–{} of {}, page {} of {}; the next: {base}?{}]",
        page.items.start + 1,
        page.items.end,
        page.total,
        page.number,
        page.pages,
        kept.join("&")
    )
}

fn mime_type(path: &str) -> &'static str {
    if path.ends_with(".md") {
        "text/markdown"
    } else {
        "text/plain"
    }
}

/// The `name=value` pairs of a query, decoded (`+` stays `+`: it names a project).
fn pairs(query: &str) -> Result<Vec<(String, String)>, String> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((decoded(name)?, decoded(value)?))
        })
        .collect()
}

fn page_number(value: &str) -> Result<usize, String> {
    match value.trim().parse::<usize>() {
        Ok(number) if number > 0 => Ok(number),
        _ => Err(format!("page must be a number from 1, not {value:?}")),
    }
}

fn yes(name: &str, value: &str) -> Result<bool, String> {
    match value {
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        other => Err(format!("{name} is true or false, not {other:?}")),
    }
}

/// `text` with its `%XX` escapes decoded.
fn decoded(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let byte = text
                .get(at + 1..at + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .ok_or_else(|| format!("{text:?} has a % that is not followed by two hex digits"))?;
            out.push(byte);
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("{text:?} is not UTF-8 once decoded"))
}

/// `path` with every byte but the unreserved ones and `/` escaped as `%XX`.
fn encoded(path: &str) -> String {
    path.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_and_task_lists_are_read_from_their_uris() {
        match parse("myorg://files/notes/team%20plan.md?page=3").unwrap() {
            Asked::Document { path, page } => assert_eq!((path.as_str(), page), ("notes/team plan.md", 3)),
            other => panic!("{other:?}"),
        }
        match parse("myorg://tasks?project=website&context=%40computer&owner=me&query=%2Burgent%20call&done=true&page=2").unwrap() {
            Asked::Tasks { query, page } => {
                assert_eq!(query.words, ["+website", "@computer", "+urgent", "call"]);
                assert_eq!(query.owner, Some(Owner::Me));
                assert!(query.done && !query.overdue);
                assert_eq!(page, 2);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse("myorg://tasks").unwrap(),
            Asked::Tasks { page: 1, .. }
        ));
        assert!(
            matches!(parse("myorg://tasks?project=").unwrap(), Asked::Tasks { query, .. } if query.words.is_empty())
        );
    }

    #[test]
    fn a_uri_that_names_nothing_says_why() {
        for (uri, says) in [
            ("myorg://nothing", "no resource is called"),
            ("file:///etc/passwd", "no resource is called"),
            ("myorg://files/todo.txt?page=0", "page must be a number from 1"),
            ("myorg://files/todo.txt?lines=3", "only ?page=N"),
            ("myorg://tasks?colour=red", "not \"colour\""),
            ("myorg://tasks?overdue=maybe", "overdue is true or false"),
            ("myorg://files/a%zz.md", "two hex digits"),
            ("myorg://files/a%ff.md", "not UTF-8"),
        ] {
            let error = parse(uri).unwrap_err();
            assert!(error.contains(says), "{uri}: {error}");
        }
    }

    #[test]
    fn a_path_is_escaped_in_its_uri_and_comes_back_the_same() {
        let path = "notes/plan ñ #1?.md";
        let uri = format!("{FILES}{}", encoded(path));
        assert_eq!(uri, "myorg://files/notes/plan%20%C3%B1%20%231%3F.md");
        assert!(matches!(parse(&uri).unwrap(), Asked::Document { path: back, .. } if back == path));
    }

    #[test]
    fn the_next_page_keeps_the_filters() {
        let page = Page::of(450, 1, 200).unwrap();
        assert_eq!(
            next(&page, "tasks", "myorg://tasks?project=website&page=1"),
            "[tasks 1–200 of 450, page 1 of 3; the next: myorg://tasks?project=website&page=2]"
        );
        assert_eq!(
            next(&page, "lines", "myorg://files/log.txt"),
            "[lines 1–200 of 450, page 1 of 3; the next: myorg://files/log.txt?page=2]"
        );
    }
}
