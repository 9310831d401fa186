//! Store files for commands that only look (`tasks`, `projects`, `project SLUG`):
//! read straight from the working tree, without the writer lock or a commit, since a
//! read changes nothing and need not wait for a writer. A store that does not exist
//! yet is created first; a path that is no store is refused.

use super::store::open;
use crate::app::{Files, WorkingTree};
use crate::config::Config;

/// The store's files as the working tree holds them.
pub(crate) fn working_tree(config: &Config) -> anyhow::Result<Box<dyn Files>> {
    let root = config.store_settings().root;
    // A store (a repository with its todo.txt) is read as it is; anything else is
    // opened first, which makes a new store, adopts a folder of files, or refuses a
    // path that is no store.
    if root.join(".git").exists() && root.join(crate::store::operation::TODO).is_file() {
        return Ok(Box::new(WorkingTree(root)));
    }
    Ok(Box::new(open(config)?))
}

/// The store file `path` as it is in the working tree (empty when missing).
pub(crate) fn working_tree_file(config: &Config, path: &str) -> anyhow::Result<Vec<u8>> {
    working_tree(config)?.read(path)
}
