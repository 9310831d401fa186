//! The operations on any store file: write a whole file, append to one. The path is
//! checked again when the operation is applied (as a replay on a newer version
//! would be), and so is the size limit. A write names the content it replaces by
//! its hash, so it never overwrites an edit made after it was previewed. An append
//! never goes to a file the assistant keeps line by line ([`super::MANAGED`]).

use super::super::paths::{check_size, lexical};
use super::{Change, MANAGED, OperationError, Snapshot, subject};
use sha1::{Digest, Sha1};

/// The hash a [`super::Operation::WriteFile`] names the replaced content by: SHA-1,
/// hex (a missing file is empty).
pub fn content_hash(content: &[u8]) -> String {
    Sha1::digest(content)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The clean store path of `path`, if it may be written.
fn checked(snapshot: &dyn Snapshot, path: &str) -> Result<String, OperationError> {
    let clean = lexical(path).map_err(|error| OperationError::Invalid(error.to_string()))?;
    snapshot.allowed(path)?;
    Ok(clean.to_string_lossy().into_owned())
}

/// The [`MANAGED`] file that store path `path` names, if any: by its clean words, in
/// any letter case (a case-insensitive file system takes `TODO.TXT` for todo.txt).
pub fn managed(path: &str) -> Option<&'static str> {
    let clean = lexical(path).ok()?;
    let clean = clean.to_str()?;
    MANAGED.into_iter().find(|name| name.eq_ignore_ascii_case(clean))
}

fn read(snapshot: &dyn Snapshot, path: &str) -> Result<Vec<u8>, OperationError> {
    snapshot
        .read(path)
        .map_err(|error| OperationError::Invalid(format!("{path} cannot be read as a file: {error}")))
}

pub(super) fn write(
    snapshot: &dyn Snapshot,
    path: &str,
    content: &str,
    base: &str,
) -> Result<Change, OperationError> {
    let path = checked(snapshot, path)?;
    check_size(&path, content.len()).map_err(|error| OperationError::Invalid(error.to_string()))?;
    let current = read(snapshot, &path)?;
    if content_hash(&current) != base {
        return Err(OperationError::NoLongerApplies(format!(
            "{path} changed since this write was prepared"
        )));
    }
    if current == content.as_bytes() {
        return Err(OperationError::NoLongerApplies(format!(
            "{path} already has that content"
        )));
    }
    Ok(Change {
        files: vec![(path.clone(), Some(content.as_bytes().to_vec()))],
        summary: subject("Write", &path),
        todo: None,
        retargeted: None,
    })
}

pub(super) fn append(snapshot: &dyn Snapshot, path: &str, text: &str) -> Result<Change, OperationError> {
    let path = checked(snapshot, path)?;
    if let Some(name) = managed(&path) {
        return Err(OperationError::Invalid(format!(
            "{name} is kept line by line through its own changes; raw text is not appended to it"
        )));
    }
    if text.trim().is_empty() {
        return Err(OperationError::Invalid("there is no text to append".to_string()));
    }
    let mut content = read(snapshot, &path)?;
    if !content.is_empty() && !content.ends_with(b"\n") {
        content.push(b'\n');
    }
    content.extend_from_slice(text.as_bytes());
    if !content.ends_with(b"\n") {
        content.push(b'\n');
    }
    check_size(&path, content.len()).map_err(|error| OperationError::Invalid(error.to_string()))?;
    Ok(Change {
        files: vec![(path.clone(), Some(content))],
        summary: subject("Append to", &path),
        todo: None,
        retargeted: None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{OneText as File, Operation};
    use super::*;

    #[test]
    fn a_write_replaces_only_the_content_it_was_prepared_against() {
        let op = |base: &str| Operation::WriteFile {
            path: "./notes/a.md".into(),
            content: "new\n".into(),
            base: base.into(),
        };
        let change = op(&content_hash(b"old\n")).apply(&File("old\n")).unwrap();
        assert_eq!(
            change.files,
            vec![("notes/a.md".to_string(), Some(b"new\n".to_vec()))]
        );
        assert_eq!(change.summary, "Write: notes/a.md");
        let stale = op(&content_hash(b"old\n")).apply(&File("edited meanwhile\n"));
        assert!(matches!(stale, Err(OperationError::NoLongerApplies(_))));
        let same = op(&content_hash(b"new\n")).apply(&File("new\n"));
        assert!(matches!(same, Err(OperationError::NoLongerApplies(_))));
    }

    #[test]
    fn paths_and_sizes_are_checked_when_applied() {
        for path in ["../x", "/etc/passwd", ".git/config", "a/../../b", ""] {
            for op in [
                Operation::WriteFile {
                    path: path.into(),
                    content: "x".into(),
                    base: content_hash(b""),
                },
                Operation::AppendFile {
                    path: path.into(),
                    text: "x".into(),
                },
            ] {
                assert!(
                    matches!(op.apply(&File("")), Err(OperationError::Invalid(_))),
                    "{op:?}"
                );
            }
        }
        let big = "x".repeat(super::super::super::paths::MAX_WRITE_BYTES + 1);
        let op = Operation::WriteFile {
            path: "big.txt".into(),
            content: big,
            base: content_hash(b""),
        };
        assert!(matches!(op.apply(&File("")), Err(OperationError::Invalid(_))));
    }

    #[test]
    fn an_append_starts_and_ends_a_line() {
        let op = Operation::AppendFile {
            path: "notes/a.md".into(),
            text: "two".into(),
        };
        let change = op.apply(&File("one")).unwrap();
        assert_eq!(change.files[0].1.as_deref(), Some(&b"one\ntwo\n"[..]));
        assert_eq!(change.summary, "Append to: notes/a.md");
        let json = serde_json::to_string(&op).unwrap();
        assert_eq!(serde_json::from_str::<Operation>(&json).unwrap(), op);
    }

    #[test]
    fn an_append_to_a_file_kept_line_by_line_is_refused() {
        for path in [
            "todo.txt",
            "./calendar.txt",
            "LOG.TXT",
            "working-memory.txt",
            "done.txt",
        ] {
            let op = Operation::AppendFile {
                path: path.into(),
                text: "x".into(),
            };
            let refused = op.apply(&File("one\n"));
            assert!(
                matches!(&refused, Err(OperationError::Invalid(why)) if why.contains("line by line")),
                "{path}: {refused:?}"
            );
        }
        assert_eq!(managed("notes/todo.txt"), None);
        assert_eq!(managed("./Goals.txt"), Some("goals.txt"));
    }
}
