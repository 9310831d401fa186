//! The watcher against a real folder: what each kind of change is told as.

use super::serve::{ask, serve};
use super::{Answer, Changes, Since, UNREADABLE, Watcher};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

fn paths(answer: &Answer) -> Vec<String> {
    match &answer.changes {
        Changes::Paths(paths) => {
            let mut paths = paths.clone();
            paths.sort();
            paths
        }
        Changes::Everything => panic!("everything, where paths were expected"),
    }
}

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git/objects")).unwrap();
    std::fs::create_dir_all(dir.path().join("notes/2026")).unwrap();
    std::fs::write(dir.path().join("todo.txt"), "a task\n").unwrap();
    std::fs::write(dir.path().join("notes/2026/one.md"), "one\n").unwrap();
    dir
}

#[test]
fn the_first_answer_is_everything_then_only_what_changed_since() {
    let dir = tree();
    let watcher = Watcher::start(dir.path()).unwrap();
    let first = watcher.changes_since(None);
    assert_eq!(first.changes, Changes::Everything);
    assert_eq!(
        paths(&watcher.changes_since(Some(first.next))),
        Vec::<String>::new()
    );

    let before = watcher.changes_since(Some(first.next)).next;
    std::fs::write(dir.path().join("notes/2026/one.md"), "changed\n").unwrap();
    std::fs::write(dir.path().join("new.txt"), "new\n").unwrap();
    std::fs::remove_file(dir.path().join("todo.txt")).unwrap();
    std::fs::write(dir.path().join(".git/objects/x"), "not the store's\n").unwrap();
    let answer = watcher.changes_since(Some(before));
    assert_eq!(paths(&answer), ["new.txt", "notes/2026/one.md", "todo.txt"]);
    // Told once: the next question, from this answer, has nothing new.
    assert_eq!(
        paths(&watcher.changes_since(Some(answer.next))),
        Vec::<String>::new()
    );
    // An older asker is told again.
    assert_eq!(paths(&watcher.changes_since(Some(before))).len(), 3);
}

#[test]
fn a_new_folder_is_named_and_watched_from_then_on() {
    let dir = tree();
    let watcher = Watcher::start(dir.path()).unwrap();
    let start = watcher.changes_since(None).next;
    std::fs::create_dir_all(dir.path().join("vault/deep/er")).unwrap();
    std::fs::write(dir.path().join("vault/deep/er/made-at-once.md"), "x\n").unwrap();
    let answer = watcher.changes_since(Some(start));
    assert!(paths(&answer).contains(&"vault".to_string()), "{answer:?}");
    std::fs::write(dir.path().join("vault/deep/er/made-at-once.md"), "y\n").unwrap();
    assert_eq!(
        paths(&watcher.changes_since(Some(answer.next))),
        ["vault/deep/er/made-at-once.md"]
    );
}

#[test]
fn a_moved_folder_or_another_watcher_means_everything() {
    let dir = tree();
    let watcher = Watcher::start(dir.path()).unwrap();
    let start = watcher.changes_since(None).next;
    std::fs::rename(dir.path().join("notes"), dir.path().join("archive")).unwrap();
    let answer = watcher.changes_since(Some(start));
    assert_eq!(answer.changes, Changes::Everything);
    // Watched again under the new name.
    std::fs::write(dir.path().join("archive/2026/one.md"), "moved and changed\n").unwrap();
    assert_eq!(
        paths(&watcher.changes_since(Some(answer.next))),
        ["archive/2026/one.md"]
    );
    let other = Since {
        watcher: answer.next.watcher.wrapping_add(1),
        epoch: answer.next.epoch,
    };
    assert_eq!(watcher.changes_since(Some(other)).changes, Changes::Everything);
}

#[test]
fn a_name_that_is_not_utf8_is_told_as_unreadable() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tree();
    let watcher = Watcher::start(dir.path()).unwrap();
    let start = watcher.changes_since(None).next;
    std::fs::write(dir.path().join(std::ffi::OsStr::from_bytes(b"bad-\xff.txt")), "x").unwrap();
    assert_eq!(paths(&watcher.changes_since(Some(start))), [UNREADABLE]);
}

#[test]
fn the_socket_answers_about_its_own_root_only() {
    let dir = tree();
    let socket = dir.path().join(".git/watch.sock");
    let watcher = Arc::new(Watcher::start(dir.path()).unwrap());
    let root = watcher.root().to_path_buf();
    let service = serve(Arc::clone(&watcher), &socket).unwrap();
    let first = ask(&socket, &root, None).unwrap();
    assert_eq!(first.changes, Changes::Everything);
    std::fs::write(dir.path().join("notes/2026/one.md"), "changed\n").unwrap();
    let answer = ask(&socket, &root, Some(first.next)).unwrap();
    assert_eq!(paths(&answer), ["notes/2026/one.md"]);
    assert_eq!(ask(&socket, Path::new("/elsewhere"), Some(answer.next)), None);
    // A second watcher on the same socket is refused while the first answers.
    let second = Arc::new(Watcher::start(dir.path()).unwrap());
    assert!(serve(second, &socket).is_err());
    drop(service);
    assert!(!socket.exists());
    assert_eq!(ask(&socket, &root, Some(answer.next)), None);
}

#[test]
fn a_socket_left_by_a_dead_watcher_is_replaced() {
    let dir = tree();
    let socket = dir.path().join(".git/watch.sock");
    drop(std::os::unix::net::UnixListener::bind(&socket).unwrap());
    assert!(socket.exists());
    assert_eq!(ask(&socket, dir.path(), None), None);
    let watcher = Arc::new(Watcher::start(dir.path()).unwrap());
    let root = watcher.root().to_path_buf();
    let _service = serve(watcher, &socket).unwrap();
    assert!(ask(&socket, &root, None).is_some());
}

#[test]
fn a_service_whose_socket_another_took_leaves_it_alone_and_idle_counts_from_the_last_question() {
    let dir = tree();
    let socket = dir.path().join(".git/watch.sock");
    let first = Arc::new(Watcher::start(dir.path()).unwrap());
    let root = first.root().to_path_buf();
    let service = serve(Arc::clone(&first), &socket).unwrap();
    assert!(service.reachable());
    std::thread::sleep(Duration::from_millis(300));
    let before = first.idle();
    assert!(before >= Duration::from_millis(300));
    let asked = ask(&socket, &root, None).unwrap();
    assert!(first.idle() < before);

    // Removed by a person, then made again by another watcher.
    std::fs::remove_file(&socket).unwrap();
    assert!(!service.reachable());
    let second = Arc::new(Watcher::start(dir.path()).unwrap());
    let _other = serve(second, &socket).unwrap();
    assert!(!service.reachable());
    drop(service);
    let answer = ask(&socket, &root, Some(asked.next)).unwrap();
    // The second watcher answers: the first one's epoch means nothing to it.
    assert_eq!(answer.changes, Changes::Everything);
    assert_ne!(answer.next.watcher, asked.next.watcher);
}

#[test]
fn an_overflowing_queue_means_everything_then_watching_again() {
    let dir = tree();
    let watcher = Watcher::start(dir.path()).unwrap();
    let start = watcher.changes_since(None).next;
    // Each new file queues three events (made, written, closed): past the kernel's
    // queue, which then says it overflowed.
    let queued: usize = std::fs::read_to_string("/proc/sys/fs/inotify/max_queued_events")
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(16_384);
    std::fs::create_dir(dir.path().join("many")).unwrap();
    let answer = watcher.changes_since(Some(start));
    for n in 0..queued / 3 + 100 {
        std::fs::write(dir.path().join(format!("many/{n}.md")), "x").unwrap();
    }
    let overflowed = watcher.changes_since(Some(answer.next));
    assert_eq!(overflowed.changes, Changes::Everything);
    std::fs::write(dir.path().join("many/0.md"), "changed").unwrap();
    assert_eq!(
        paths(&watcher.changes_since(Some(overflowed.next))),
        ["many/0.md"]
    );
}
