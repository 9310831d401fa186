//! Hand edits are committed before every operation, however the store finds them
//! quickly: a tracked file changed anywhere, one changed in the same tick as the
//! index was written (git's "racy" rule), a new file in a folder whose time was
//! trusted, a new folder; and what git ignores is left alone. Each case is run
//! twice: with the store looking for itself, and with a watcher telling it what
//! changed (`Store::watch`).

use git2::Repository;
use myorg_assistant::store::{Actor, Operation, Store, StoreSettings};
use std::path::Path;
use std::time::{Duration, SystemTime};
use tempfile::TempDir;

const HAND_EDITS: &str = "Save edits made outside the assistant";

fn ana() -> Actor {
    Actor {
        name: "Ana".into(),
        email: "ana@example.com".into(),
        via: "cli".into(),
    }
}

fn add(store: &Store, text: &str) {
    store
        .apply(
            Operation::AddTask {
                line: format!("2026-11-23 {text}"),
            },
            &ana(),
        )
        .unwrap();
}

/// Subjects of HEAD's commits, newest first, and the files each changed.
fn commits(root: &Path) -> Vec<(String, Vec<String>)> {
    let repo = Repository::open(root).unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push_head().unwrap();
    walk.take(5)
        .map(|id| {
            let commit = repo.find_commit(id.unwrap()).unwrap();
            let parent = commit.parent(0).ok().map(|p| p.tree().unwrap());
            let diff = repo
                .diff_tree_to_tree(parent.as_ref(), Some(&commit.tree().unwrap()), None)
                .unwrap();
            let files = diff
                .deltas()
                .map(|d| d.new_file().path().unwrap().to_string_lossy().to_string())
                .collect();
            (commit.summary().unwrap().unwrap().to_string(), files)
        })
        .collect()
}

/// Sets the modification time of every folder under `dir` (the `.git` folder
/// aside) an hour back, so the store trusts them from then on.
fn age_folders(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() && entry.file_name() != ".git" {
            age_folders(&entry.path());
        }
    }
    let since = (SystemTime::now() - Duration::from_secs(3600))
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap();
    let path = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()).unwrap();
    let time = libc::timespec {
        tv_sec: since.as_secs() as libc::time_t,
        tv_nsec: since.subsec_nanos() as libc::c_long,
    };
    let times = [time, time];
    assert_eq!(
        unsafe { libc::utimensat(libc::AT_FDCWD, path.as_ptr(), times.as_ptr(), 0) },
        0
    );
}

/// A sample store with notes in nested folders, its folders trusted by a first
/// write; watched when `WATCHED` is set by the test (see `both_ways!`).
fn store(dir: &TempDir) -> Store {
    let root = dir.path().join("s");
    let store = Store::open(StoreSettings::local(&root)).unwrap();
    if WATCHED.with(|watched| watched.get()) {
        let watching = store.watch().unwrap();
        WATCHING.with(|kept| kept.borrow_mut().push(watching));
    }
    for n in 0..3 {
        std::fs::create_dir_all(root.join(format!("notes/{n}"))).unwrap();
        std::fs::write(root.join(format!("notes/{n}/note.md")), format!("# Note {n}\n")).unwrap();
    }
    std::fs::write(root.join(".gitignore"), "*.tmp\nbuild/\n").unwrap();
    add(&store, "First");
    age_folders(&root);
    add(&store, "Second: the folders' times are now trusted");
    store
}

thread_local! {
    static WATCHED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static WATCHING: std::cell::RefCell<Vec<myorg_assistant::store::Watching>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Each test twice: `NAME` without a watcher, `NAME_watched` with one.
macro_rules! both_ways {
    ($($name:ident),* $(,)?) => {
        mod watched {
            $(
                #[test]
                fn $name() {
                    super::WATCHED.with(|watched| watched.set(true));
                    super::$name();
                }
            )*
        }
        mod unwatched {
            $(
                #[test]
                fn $name() {
                    super::$name();
                }
            )*
        }
    };
}

both_ways!(
    a_hand_edit_deep_in_the_store_is_committed_before_the_operation,
    a_file_changed_in_the_same_tick_as_the_index_is_still_seen,
    new_files_made_by_hand_are_saved_and_ignored_ones_left_alone,
    a_deleted_file_and_a_mode_change_are_seen,
    an_edit_a_person_staged_is_saved_as_a_hand_edit,
);

fn a_hand_edit_deep_in_the_store_is_committed_before_the_operation() {
    let dir = TempDir::new().unwrap();
    let store = store(&dir);
    std::fs::write(store.root().join("notes/2/note.md"), "# Note 2, edited by hand\n").unwrap();
    add(&store, "After the edit");
    let log = commits(store.root());
    assert_eq!(log[0].0, "Add task: After the edit");
    assert_eq!(
        log[1],
        (HAND_EDITS.to_string(), vec!["notes/2/note.md".to_string()])
    );
}

fn a_file_changed_in_the_same_tick_as_the_index_is_still_seen() {
    let dir = TempDir::new().unwrap();
    let store = store(&dir);
    let root = store.root().to_path_buf();
    let path = root.join("notes/1/note.md");
    let repo = Repository::open(&root).unwrap();
    let mut index = repo.index().unwrap();
    let old = index.get_path(Path::new("notes/1/note.md"), 0).unwrap();
    // The same size, another content, and the same time as the index (set below):
    // its stat data matches the index, yet only the content tells.
    let then = SystemTime::now() - Duration::from_secs(3600);
    std::fs::write(&path, "# Note X\n").unwrap();
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(then).unwrap();
    drop(file);
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(&path).unwrap();
    let time = |s: i64, n: i64| git2::IndexTime::new(s as i32, n as u32);
    index
        .add(&git2::IndexEntry {
            ctime: time(meta.ctime(), meta.ctime_nsec()),
            mtime: time(meta.mtime(), meta.mtime_nsec()),
            dev: meta.dev() as u32,
            ino: meta.ino() as u32,
            file_size: meta.size() as u32,
            ..old
        })
        .unwrap();
    // The index still holds HEAD's tree (its cache-tree made valid again).
    index.write_tree().unwrap();
    index.write().unwrap();
    // As if the index had been written in the same tick as the file changed (an
    // index written later empties such an entry, which is compared by content too).
    let file = std::fs::File::options()
        .write(true)
        .open(root.join(".git/index"))
        .unwrap();
    file.set_modified(then).unwrap();
    drop(file);

    add(&store, "After the racy edit");
    let log = commits(&root);
    assert_eq!(
        log[1],
        (HAND_EDITS.to_string(), vec!["notes/1/note.md".to_string()])
    );
}

fn new_files_made_by_hand_are_saved_and_ignored_ones_left_alone() {
    let dir = TempDir::new().unwrap();
    let store = store(&dir);
    let root = store.root().to_path_buf();
    // In a trusted folder, and in folders that are new.
    std::fs::write(root.join("notes/0/second.md"), "# Another\n").unwrap();
    std::fs::create_dir_all(root.join("ideas/2027")).unwrap();
    std::fs::write(root.join("ideas/2027/garden.md"), "# Garden\n").unwrap();
    add(&store, "After the new files");
    let log = commits(&root);
    assert_eq!(log[1].0, HAND_EDITS);
    let mut files = log[1].1.clone();
    files.sort();
    assert_eq!(files, ["ideas/2027/garden.md", "notes/0/second.md"]);

    // Ignored files, in a trusted folder or an ignored one: no commit of them.
    age_folders(&root);
    add(&store, "Trusting the folders again");
    std::fs::write(root.join("notes/0/scratch.tmp"), "x").unwrap();
    std::fs::create_dir_all(root.join("build/out")).unwrap();
    std::fs::write(root.join("build/out/a.bin"), "x").unwrap();
    // An empty new folder holds nothing to keep.
    std::fs::create_dir_all(root.join("empty/inside")).unwrap();
    add(&store, "Nothing to save first");
    let log = commits(&root);
    assert_eq!(log[0].0, "Add task: Nothing to save first");
    assert_eq!(log[1].0, "Add task: Trusting the folders again");

    // A file later made in that new, empty folder is found too.
    age_folders(&root);
    add(&store, "Trusting the empty folder");
    std::fs::write(root.join("empty/inside/late.md"), "# Late\n").unwrap();
    add(&store, "After the late file");
    let log = commits(&root);
    assert_eq!(
        log[1],
        (HAND_EDITS.to_string(), vec!["empty/inside/late.md".to_string()])
    );
}

fn a_deleted_file_and_a_mode_change_are_seen() {
    let dir = TempDir::new().unwrap();
    let store = store(&dir);
    let root = store.root().to_path_buf();
    std::fs::remove_file(root.join("notes/0/note.md")).unwrap();
    add(&store, "After the deletion");
    let log = commits(&root);
    assert_eq!(
        log[1],
        (HAND_EDITS.to_string(), vec!["notes/0/note.md".to_string()])
    );
    // A mode change (made executable) is a change too.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        root.join("notes/1/note.md"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    add(&store, "After the mode change");
    assert_eq!(commits(&root)[1].0, HAND_EDITS);
}

fn an_edit_a_person_staged_is_saved_as_a_hand_edit() {
    let dir = TempDir::new().unwrap();
    let store = store(&dir);
    let root = store.root().to_path_buf();
    std::fs::write(root.join("notes/0/note.md"), "# Note 0, staged\n").unwrap();
    let repo = Repository::open(&root).unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("notes/0/note.md")).unwrap();
    index.write().unwrap();
    add(&store, "After the staged edit");
    let log = commits(&root);
    assert_eq!(
        log[0],
        (
            "Add task: After the staged edit".to_string(),
            vec!["todo.txt".to_string()]
        )
    );
    assert_eq!(
        log[1],
        (HAND_EDITS.to_string(), vec!["notes/0/note.md".to_string()])
    );
}

/// [`store`] watched, without `folders.cache`, which only a whole look writes back.
fn watched_store(dir: &TempDir) -> Store {
    WATCHED.with(|watched| watched.set(true));
    let store = store(dir);
    std::fs::remove_file(store.state_dir().join("folders.cache")).unwrap();
    store
}

/// A watched store whose look for hand edits went by the watcher: the whole look
/// (which keeps folder times in `folders.cache`) did not run.
fn looked_only_at_changes(store: &Store) -> bool {
    !store.state_dir().join("folders.cache").exists()
}

#[test]
fn a_watched_write_looks_only_at_what_changed() {
    let dir = TempDir::new().unwrap();
    let store = watched_store(&dir);
    std::fs::write(store.root().join("notes/2/note.md"), "# Note 2, edited by hand\n").unwrap();
    add(&store, "After the edit");
    add(&store, "Nothing to save first");
    let log = commits(store.root());
    assert_eq!(log[0].0, "Add task: Nothing to save first");
    assert_eq!(log[1].0, "Add task: After the edit");
    assert_eq!(
        log[2],
        (HAND_EDITS.to_string(), vec!["notes/2/note.md".to_string()])
    );
    assert!(looked_only_at_changes(&store));
}

#[test]
fn an_index_changed_by_hand_makes_a_watched_store_look_at_everything() {
    let dir = TempDir::new().unwrap();
    let store = watched_store(&dir);
    let root = store.root().to_path_buf();
    std::fs::write(root.join("notes/1/note.md"), "# Note 1, edited by hand\n").unwrap();
    add(&store, "After the edit");
    add(&store, "Long after the edit");
    // A look that writes nothing: the watcher has no change left to tell.
    store.sync().unwrap();
    // `git reset HEAD~3`: the index goes back before the hand edit, the files stay.
    let repo = Repository::open(&root).unwrap();
    let back = repo.revparse_single("HEAD~3").unwrap();
    repo.reset(&back, git2::ResetType::Mixed, None).unwrap();
    add(&store, "After the reset");
    let log = commits(&root);
    assert_eq!(log[1].0, HAND_EDITS);
    let mut files = log[1].1.clone();
    files.sort();
    assert_eq!(files, ["notes/1/note.md", "todo.txt"]);
}

#[test]
fn another_process_asks_the_watcher_through_its_socket() {
    let dir = TempDir::new().unwrap();
    let watched = watched_store(&dir);
    let root = watched.root().to_path_buf();
    // Opened apart, as another process would: it has no watcher of its own.
    let other = Store::open(StoreSettings::local(&root)).unwrap();
    std::fs::write(root.join("notes/0/note.md"), "# Note 0, edited by hand\n").unwrap();
    add(&other, "From the other process");
    std::fs::write(root.join("notes/2/new.md"), "# New\n").unwrap();
    add(&watched, "From the watching process");
    let log = commits(&root);
    assert_eq!(
        log[..4],
        [
            (
                "Add task: From the watching process".to_string(),
                vec!["todo.txt".to_string()]
            ),
            (HAND_EDITS.to_string(), vec!["notes/2/new.md".to_string()]),
            (
                "Add task: From the other process".to_string(),
                vec!["todo.txt".to_string()]
            ),
            (HAND_EDITS.to_string(), vec!["notes/0/note.md".to_string()]),
        ]
    );
    assert!(looked_only_at_changes(&watched));
}

#[test]
fn a_watched_store_sees_an_edit_that_kept_the_size_and_time() {
    let dir = TempDir::new().unwrap();
    let store = watched_store(&dir);
    let path = store.root().join("notes/1/note.md");
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    add(&store, "Just before the edit");
    std::fs::write(&path, "# Note Y\n").unwrap();
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(before).unwrap();
    drop(file);
    add(&store, "After the edit");
    assert_eq!(
        commits(store.root())[1],
        (HAND_EDITS.to_string(), vec!["notes/1/note.md".to_string()])
    );
    assert!(looked_only_at_changes(&store));
}
