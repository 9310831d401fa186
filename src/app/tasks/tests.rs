//! Searches of todo.txt through the files of a folder: the references of its tasks
//! kept between searches, used only for the content they were kept for.

use super::references::{self, Stamp};
use super::*;
use crate::app::WorkingTree;
use crate::config::Config;

fn config(root: &std::path::Path) -> Config {
    let mut config = Config::default();
    config.store.path = Some(root.to_path_buf());
    config
}

/// The references shown for the tasks with `word`, in the order found.
fn shown(config: &Config, word: &str) -> Vec<String> {
    let files = WorkingTree(config.store_settings().root);
    let look = Look {
        config,
        files: &files,
        handle: "ana",
        now: "2026-11-22T08:00:00".parse().unwrap(),
    };
    let query = Query {
        words: vec![word.to_string()],
        ..Query::default()
    };
    search(&look, &query)
        .unwrap()
        .into_iter()
        .map(|hit| hit.reference)
        .collect()
}

#[test]
fn references_kept_for_the_content_are_used_and_worked_out_again_for_another() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path());
    let state = config.state_dir();
    std::fs::write(dir.path().join(TODO), "Buy milk\nBuy milk\nCall Ana\n").unwrap();
    // The same task twice: no length tells them apart, shown in full.
    assert_eq!(
        shown(&config, "milk").iter().map(String::len).collect::<Vec<_>>(),
        [8, 8]
    );
    let (key, stamp) = references::kept_for(&state).expect("kept after the first search");

    // Kept references are what the next search uses: made different here on purpose
    // (as if the second line were another task), they show in what is listed.
    let planted: Vec<Option<u64>> = ["Buy milk", "Buy bread", "Call Ana"]
        .iter()
        .map(|line| reference::line_code(line))
        .collect();
    let planted = references::Shown::of(&planted);
    references::keep(&state, key, stamp, &planted);
    assert_eq!(
        shown(&config, "milk").iter().map(String::len).collect::<Vec<_>>(),
        [4, 4]
    );

    // Kept under this file's stamp but for another content (as after a change within
    // the same nanosecond): worked out again, and kept under the right key.
    let other = scan::Key {
        len: key.len,
        hash: key.hash ^ 1,
    };
    references::keep(&state, other, stamp, &planted);
    assert_eq!(
        shown(&config, "milk").iter().map(String::len).collect::<Vec<_>>(),
        [8, 8]
    );
    assert_eq!(references::kept_for(&state), Some((key, stamp)));

    // Another content: worked out again, kept under its own key and stamp.
    references::keep(&state, key, stamp, &planted);
    std::fs::write(
        dir.path().join(TODO),
        "Buy milk\nBuy milk\nCall Ana\nBuy milk today\n",
    )
    .unwrap();
    assert_eq!(
        shown(&config, "milk").iter().map(String::len).collect::<Vec<_>>(),
        [8, 8, 4]
    );
    let (new_key, new_stamp) = references::kept_for(&state).unwrap();
    assert_ne!(new_key, key);
    let metadata = std::fs::metadata(dir.path().join(TODO)).unwrap();
    assert_eq!(new_stamp, Stamp::of(&metadata));
}

#[test]
fn a_missing_todo_finds_nothing_and_one_that_is_not_utf8_is_searched_whole() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path());
    assert!(shown(&config, "milk").is_empty());
    std::fs::write(dir.path().join(TODO), b"Buy milk \xff\nCall Ana\nBuy milk\n").unwrap();
    assert_eq!(shown(&config, "milk").len(), 2);
}
