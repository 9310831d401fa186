//! Where a store comes from, through the real `myorg` binary: a folder of a person's
//! own files is adopted as it is (never replaced by the sample store or by a remote's
//! files), the sample store is said to be one, `myorg init` makes an empty or sample
//! store or adopts a folder, and a path that is no store is refused with nothing
//! changed.

mod support;

use git2::Repository;
use std::path::Path;
use support::{myorg, stderr, stdout};
use tempfile::TempDir;

const ANA: [(&str, &str); 2] = [
    ("MYORG_USER_NAME", "Ana Lima"),
    ("MYORG_USER_EMAIL", "ana@example.com"),
];

/// A person's todo.txt folder: CRLF endings, bytes that are not UTF-8, a note in a
/// subfolder, no final newline.
fn their_files(dir: &Path) -> Vec<(&'static str, Vec<u8>)> {
    let files: Vec<(&str, Vec<u8>)> = vec![
        (
            "todo.txt",
            b"(A) Call the plumber +house\r\nBuy \xff\xfe tiles @errands\r\nx 2026-11-01 Old thing".to_vec(),
        ),
        ("notes/ideas.md", b"# Ideas\n\n- a garden\n".to_vec()),
        ("done.txt", b"x 2026-10-01 Paid the rent\n".to_vec()),
    ];
    for (path, content) in &files {
        let full = dir.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
    }
    files
}

fn assert_unchanged(dir: &Path, files: &[(&str, Vec<u8>)]) {
    for (path, content) in files {
        assert_eq!(
            &std::fs::read(dir.join(path)).unwrap(),
            content,
            "{path} kept byte for byte"
        );
    }
}

fn env_with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    ANA.iter().copied().chain(extra.iter().copied()).collect()
}

/// A bare remote that already holds a store (the sample, made by another clone).
fn remote_with_a_store(dir: &Path) -> String {
    let remote = dir.join("remote.git");
    Repository::init_bare(&remote).unwrap();
    let url = remote.to_str().unwrap().to_string();
    stdout(&myorg(
        dir,
        &["--store", "elsewhere", "status"],
        &[("GIT_REPO_URL", &url)],
    ));
    url
}

#[test]
fn a_folder_of_existing_files_is_adopted_not_overwritten_by_the_sample_store() {
    let dir = TempDir::new().unwrap();
    let store = dir.path().join("todo");
    let files = their_files(&store);

    let output = myorg(dir.path(), &["--store", "todo", "tasks"], &ANA);
    let listed = stdout(&output);
    assert!(listed.contains("Call the plumber"), "{listed}");
    assert!(!listed.contains("Q4 report"), "no sample task: {listed}");
    let told = String::from_utf8_lossy(&output.stderr);
    assert!(
        told.contains("now kept in git") && told.contains("3 committed"),
        "{told}"
    );

    assert_unchanged(&store, &files);
    for sample in ["telos.md", "skills", "notes/2026-11-20-standup.md"] {
        assert!(!store.join(sample).exists(), "no sample file {sample}");
    }
    // The store's missing files exist, empty.
    for name in [
        "calendar.txt",
        "projects.txt",
        "goals.txt",
        "log.txt",
        "working-memory.txt",
    ] {
        assert_eq!(std::fs::read(store.join(name)).unwrap(), b"", "{name}");
    }
    let repo = Repository::open(&store).unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push_head().unwrap();
    let commits: Vec<git2::Commit> = walk.map(|id| repo.find_commit(id.unwrap()).unwrap()).collect();
    let first = commits.last().unwrap();
    assert_eq!(first.summary().unwrap(), Some("Start keeping these files in git"));
    assert_eq!(first.author().name().ok(), Some("Ana Lima"));
    let tree = first.tree().unwrap();
    for (path, content) in &files {
        let blob = repo
            .find_blob(tree.get_path(Path::new(path)).unwrap().id())
            .unwrap();
        assert_eq!(blob.content(), content.as_slice(), "{path} committed as it was");
    }
    assert_eq!(
        tree.len(),
        3,
        "the first commit holds their files and nothing else"
    );

    // Opened again: nothing more is said or done.
    let again = myorg(dir.path(), &["--store", "todo", "tasks"], &ANA);
    assert!(again.status.success() && again.stderr.is_empty(), "{again:?}");
}

#[test]
fn a_folder_of_files_is_never_replaced_by_a_remote_that_has_a_store() {
    let dir = TempDir::new().unwrap();
    let url = remote_with_a_store(dir.path());
    let store = dir.path().join("todo");
    let files = their_files(&store);
    let env = env_with(&[("GIT_REPO_URL", &url)]);

    let refused = stderr(&myorg(dir.path(), &["--store", "todo", "tasks"], &env));
    assert!(
        refused.contains("already holds a store") && refused.contains("myorg init --adopt"),
        "{refused}"
    );
    assert_unchanged(&store, &files);
    assert!(!store.join(".git").exists(), "nothing was made");

    // `init --adopt`: the folder on top of the remote's store, conflicts beside.
    let output = myorg(dir.path(), &["--store", "todo", "init", "--adopt"], &env);
    stdout(&output);
    let told = String::from_utf8_lossy(&output.stderr);
    assert!(told.contains("saved beside"), "{told}");
    let conflict = std::fs::read_dir(&store)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().to_string())
        .find(|name| name.starts_with("todo.txt.conflict-"))
        .expect("their todo.txt saved beside the remote's");
    assert_eq!(std::fs::read(store.join(&conflict)).unwrap(), files[0].1);
    assert_eq!(
        std::fs::read(store.join("notes/ideas.md")).unwrap(),
        files[1].1,
        "a file only they have is kept as it is"
    );
    let remote_todo = std::fs::read_to_string(dir.path().join("elsewhere/todo.txt")).unwrap();
    assert_eq!(
        std::fs::read_to_string(store.join("todo.txt")).unwrap(),
        remote_todo
    );
    let status = stdout(&myorg(dir.path(), &["--store", "todo", "status"], &env));
    assert!(status.contains("unpushed commits: 0"), "pushed: {status}");
    let remote = Repository::open(&url).unwrap();
    let head = remote
        .find_reference("refs/heads/main")
        .unwrap()
        .peel_to_commit()
        .unwrap();
    assert_eq!(head.summary().unwrap(), Some("Start keeping these files in git"));
    assert_eq!(head.author().name().ok(), Some("Ana Lima"));
}

#[test]
fn a_folder_of_files_with_an_empty_remote_is_adopted_and_pushed() {
    let dir = TempDir::new().unwrap();
    let remote = dir.path().join("remote.git");
    Repository::init_bare(&remote).unwrap();
    let url = remote.to_str().unwrap().to_string();
    let store = dir.path().join("todo");
    let files = their_files(&store);
    let env = env_with(&[("GIT_REPO_URL", &url)]);
    stdout(&myorg(dir.path(), &["--store", "todo", "status"], &env));
    assert_unchanged(&store, &files);
    let remote = Repository::open(&remote).unwrap();
    let tree = remote
        .find_reference("refs/heads/main")
        .unwrap()
        .peel_to_tree()
        .unwrap();
    let todo = remote
        .find_blob(tree.get_path(Path::new("todo.txt")).unwrap().id())
        .unwrap();
    assert_eq!(todo.content(), files[0].1.as_slice());
}

#[test]
fn a_folder_of_files_with_an_unreachable_remote_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let store = dir.path().join("todo");
    let files = their_files(&store);
    let gone = dir.path().join("missing.git");
    let env = env_with(&[("GIT_REPO_URL", gone.to_str().unwrap())]);
    let refused = stderr(&myorg(dir.path(), &["--store", "todo", "tasks"], &env));
    assert!(refused.contains("could not be reached"), "{refused}");
    assert_unchanged(&store, &files);
    assert!(!store.join(".git").exists(), "nothing was made");
}

#[test]
fn a_fresh_location_gets_the_sample_store_and_says_so() {
    let dir = TempDir::new().unwrap();
    let output = myorg(dir.path(), &["--store", "new", "tasks"], &ANA);
    assert!(stdout(&output).contains("Q4 report"));
    let told = String::from_utf8_lossy(&output.stderr);
    assert!(
        told.contains("A sample store was created at") && told.contains("myorg init --empty DIR"),
        "{told}"
    );
    // Only the first time.
    let again = myorg(dir.path(), &["--store", "new", "tasks"], &ANA);
    assert!(
        again.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}

#[test]
fn init_makes_an_empty_or_a_sample_store_and_refuses_a_folder_of_files() {
    let dir = TempDir::new().unwrap();
    let made = stdout(&myorg(dir.path(), &["init", "real"], &ANA));
    assert!(made.contains("empty store"), "{made}");
    assert_eq!(std::fs::read(dir.path().join("real/todo.txt")).unwrap(), b"");
    let listed = stdout(&myorg(dir.path(), &["--store", "real", "tasks"], &ANA));
    assert!(!listed.contains("Q4 report"), "{listed}");
    stdout(&myorg(
        dir.path(),
        &["--store", "real", "add", "First real task"],
        &ANA,
    ));

    let sample = myorg(dir.path(), &["init", "--sample", "try"], &ANA);
    stdout(&sample);
    assert!(String::from_utf8_lossy(&sample.stderr).contains("A sample store"));
    assert!(
        std::fs::read_to_string(dir.path().join("try/todo.txt"))
            .unwrap()
            .contains("Q4 report")
    );

    let folder = dir.path().join("mine");
    let files = their_files(&folder);
    let refused = stderr(&myorg(dir.path(), &["init", "--empty", "mine"], &ANA));
    assert!(
        refused.contains("already holds files") && refused.contains("--adopt"),
        "{refused}"
    );
    assert_unchanged(&folder, &files);
    assert!(!folder.join(".git").exists());
    let again = stderr(&myorg(dir.path(), &["init", "real"], &ANA));
    assert!(again.contains("already a git repository"), "{again}");
    stdout(&myorg(dir.path(), &["init", "--adopt", "mine"], &ANA));
    assert_unchanged(&folder, &files);
}

#[test]
fn a_store_path_that_is_a_file_or_another_repository_is_refused_and_unchanged() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("plain"), b"not a folder").unwrap();
    let refused = stderr(&myorg(dir.path(), &["--store", "plain", "tasks"], &ANA));
    assert!(refused.contains("is a file"), "{refused}");
    assert_eq!(std::fs::read(dir.path().join("plain")).unwrap(), b"not a folder");

    // A project's repository: it tracks files, none of them the store's.
    let project = dir.path().join("project");
    let repo = Repository::init(&project).unwrap();
    std::fs::write(project.join("README.md"), b"# A project\n").unwrap();
    std::fs::write(project.join("main.rs"), b"fn main() {}\n").unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("README.md")).unwrap();
    index.add_path(Path::new("main.rs")).unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let me = git2::Signature::now("Dev", "dev@example.com").unwrap();
    let head = repo.commit(Some("HEAD"), &me, &me, "Start", &tree, &[]).unwrap();
    for args in [&["tasks"][..], &["add", "Something"], &["status"]] {
        let mut all = vec!["--store", "project"];
        all.extend_from_slice(args);
        let refused = stderr(&myorg(dir.path(), &all, &ANA));
        assert!(
            refused.contains("a git repository of something else"),
            "{refused}"
        );
    }
    assert_eq!(repo.head().unwrap().target(), Some(head), "no commit made");
    assert!(!project.join("todo.txt").exists());
}
