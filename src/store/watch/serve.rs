//! A [`Watcher`]'s answers over a Unix socket (`STATE/watch.sock`), for the other
//! processes that write to the same store (the CLI beside `myorg run` or `myorg
//! watch`). A thread reads the events as they come, another answers one question a
//! connection:
//!
//! - asked: `myorg-watch 1\n` then `-\n` (never asked) or `WATCHER EPOCH\n`;
//! - answered: `myorg-watch 1`, the watched root, the watcher, the epoch, then
//!   `everything` or `paths` and each path, every field ended by a NUL.
//!
//! An asker that gets no answer, a damaged one or one about another folder looks at
//! the whole store, as it does without a watcher.

use super::{Answer, Changes, Since, Watcher};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const MAGIC: &str = "myorg-watch 1";
/// How long an asker waits for the answer before looking at everything itself.
const ASK_TIMEOUT: Duration = Duration::from_millis(500);
/// How often the reading thread wakes with nothing to read, to see if it should stop.
const READ_EVERY: Duration = Duration::from_secs(1);

/// The socket being served; dropping it stops answering and removes the socket.
pub struct Service {
    socket: PathBuf,
    /// The socket file's device and inode, to know it is still this one.
    identity: (u64, u64),
    /// The listening socket, shut down on drop to wake the answering thread.
    listener: UnixListener,
    stop: Arc<AtomicBool>,
}

/// Serves `watcher` at `socket`. Fails when another live watcher answers there.
pub fn serve(watcher: Arc<Watcher>, socket: &Path) -> std::io::Result<Service> {
    if socket.exists() {
        if ask(socket, watcher.root(), None).is_some() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AddrInUse,
                format!(
                    "another process already watches this store ({})",
                    socket.display()
                ),
            ));
        }
        // Left by a watcher that died.
        std::fs::remove_file(socket)?;
    }
    let listener = UnixListener::bind(socket)?;
    std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o600))?;
    let identity = identity(socket).ok_or_else(|| std::io::Error::other("the socket went as it was made"))?;
    let kept = listener.try_clone()?;
    let stop = Arc::new(AtomicBool::new(false));
    let reading = Arc::clone(&watcher);
    let stop_reading = Arc::clone(&stop);
    std::thread::Builder::new()
        .name("store-watch".to_string())
        .spawn(move || {
            while !stop_reading.load(Ordering::Relaxed) {
                reading.wait(READ_EVERY);
            }
        })?;
    let stop_answering = Arc::clone(&stop);
    std::thread::Builder::new()
        .name("store-watch-socket".to_string())
        .spawn(move || {
            for stream in listener.incoming() {
                if stop_answering.load(Ordering::Relaxed) {
                    break;
                }
                match stream {
                    Ok(stream) => {
                        if let Err(err) = answer(&watcher, stream) {
                            tracing::debug!(error = %err, "a question about the store's changes went unanswered");
                        }
                    }
                    Err(err) => tracing::debug!(error = %err, "accepting a question about the store's changes failed"),
                }
            }
        })?;
    Ok(Service {
        socket: socket.to_path_buf(),
        identity,
        listener: kept,
        stop,
    })
}

impl Service {
    /// Whether the socket is still the one this service made: a person may remove
    /// it, or another watcher replace it, and no writer can reach this one then.
    pub fn reachable(&self) -> bool {
        identity(&self.socket) == Some(self.identity)
    }
}

fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path)
        .ok()
        .map(|meta| (meta.dev(), meta.ino()))
}

impl Drop for Service {
    fn drop(&mut self) {
        use std::os::fd::AsRawFd;
        self.stop.store(true, Ordering::Relaxed);
        // Wakes the answering thread, blocked in accept, so it sees `stop`.
        // SAFETY: shuts down a socket this service owns; nothing else is closed.
        unsafe { libc::shutdown(self.listener.as_raw_fd(), libc::SHUT_RDWR) };
        // Another watcher's socket now, or gone: not ours to remove.
        if self.reachable() {
            let _ = std::fs::remove_file(&self.socket);
        }
    }
}

/// Answers one question.
fn answer(watcher: &Watcher, stream: UnixStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(ASK_TIMEOUT))?;
    stream.set_write_timeout(Some(ASK_TIMEOUT))?;
    let mut reader = BufReader::new((&stream).take(256));
    let mut line = String::new();
    reader.read_line(&mut line)?;
    if line.trim_end() != MAGIC {
        return Err(std::io::Error::other("not a question"));
    }
    line.clear();
    reader.read_line(&mut line)?;
    let since = match line.trim_end() {
        "-" => None,
        text => {
            let mut parts = text.split(' ');
            let watcher = parts.next().and_then(|part| part.parse().ok());
            let epoch = parts.next().and_then(|part| part.parse().ok());
            match (watcher, epoch, parts.next()) {
                (Some(watcher), Some(epoch), None) => Some(Since { watcher, epoch }),
                _ => return Err(std::io::Error::other("not a question")),
            }
        }
    };
    let Some(root) = watcher.root().to_str() else {
        return Err(std::io::Error::other("the store's path is not UTF-8"));
    };
    let reply = watcher.changes_since(since);
    let mut out = Vec::new();
    for field in [
        MAGIC,
        root,
        &reply.next.watcher.to_string(),
        &reply.next.epoch.to_string(),
    ] {
        out.extend_from_slice(field.as_bytes());
        out.push(0);
    }
    match &reply.changes {
        Changes::Everything => out.extend_from_slice(b"everything\0"),
        Changes::Paths(paths) => {
            out.extend_from_slice(b"paths\0");
            for path in paths {
                out.extend_from_slice(path.as_bytes());
                out.push(0);
            }
        }
    }
    (&stream).write_all(&out)
}

/// Asks the watcher at `socket` what changed under `root` (canonical) since `since`;
/// `None` when nobody answers there, or not about `root`.
pub fn ask(socket: &Path, root: &Path, since: Option<Since>) -> Option<Answer> {
    let mut stream = UnixStream::connect(socket).ok()?;
    stream.set_read_timeout(Some(ASK_TIMEOUT)).ok()?;
    stream.set_write_timeout(Some(ASK_TIMEOUT)).ok()?;
    let question = match since {
        Some(since) => format!("{MAGIC}\n{} {}\n", since.watcher, since.epoch),
        None => format!("{MAGIC}\n-\n"),
    };
    stream.write_all(question.as_bytes()).ok()?;
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).ok()?;
    let fields = reply.strip_suffix(b"\0")?;
    let mut fields = fields.split(|&byte| byte == 0).map(std::str::from_utf8);
    if fields.next()?.ok()? != MAGIC || Path::new(fields.next()?.ok()?) != root {
        return None;
    }
    let watcher = fields.next()?.ok()?.parse().ok()?;
    let epoch = fields.next()?.ok()?.parse().ok()?;
    let changes = match fields.next()?.ok()? {
        "everything" => Changes::Everything,
        "paths" => {
            let mut paths = Vec::new();
            for path in fields {
                paths.push(path.ok()?.to_string());
            }
            Changes::Paths(paths)
        }
        _ => return None,
    };
    Some(Answer {
        changes,
        next: Since { watcher, epoch },
    })
}
