//! Store files for commands that only look (`tasks`, `projects`, `project SLUG`):
//! read straight from the working tree, without the writer lock or a commit, since a
//! read changes nothing and need not wait for a writer. A store that does not exist
//! yet is created first; a path that is no store is refused.

use super::store::open;
use crate::config::Config;
use anyhow::Context;

/// The store file `path` as it is in the working tree (empty when missing).
pub(crate) fn working_tree_file(config: &Config, path: &str) -> anyhow::Result<Vec<u8>> {
    let root = config.store_settings().root;
    // A store (a repository with its todo.txt) is read as it is; anything else is
    // opened first, which makes a new store, adopts a folder of files, or refuses a
    // path that is no store.
    if root.join(".git").exists() && root.join(super::super::store::operation::TODO).is_file() {
        return match std::fs::read(root.join(path)) {
            Ok(bytes) => Ok(bytes),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(err) => Err(err).with_context(|| format!("reading {}", root.join(path).display())),
        };
    }
    open(config)?.read(path)
}
