//! A running `myorg run` (headless: no Discord) for the tests of its endpoint and
//! schedule: started on a free port of 127.0.0.1, its standard error read line by
//! line, signals sent to it, and its stop awaited.

use super::{listening_on, myorg_command};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Longer than anything here takes: only a hang reaches it.
pub const HANG: Duration = Duration::from_secs(90);

/// A running `myorg run`.
pub struct Running {
    pub child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    /// `myorg ARGS run` in `dir` on a free port, with `env`.
    pub fn start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Running {
        let mut all_args = args.to_vec();
        all_args.push("run");
        let mut all_env = vec![("MYORG_HTTP_ADDR", "127.0.0.1:0")];
        all_env.extend_from_slice(env);
        let mut child = myorg_command(dir, &all_args, &all_env)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let url = listening_on(&mut child);
        let (send, lines) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Running {
            child,
            url,
            lines,
            seen: Vec::new(),
        }
    }

    /// Reads standard error up to a line containing `needle`.
    pub fn wait_for(&mut self, needle: &str) {
        loop {
            match self.lines.recv_timeout(HANG) {
                Ok(line) => {
                    let found = line.contains(needle);
                    self.seen.push(line);
                    if found {
                        return;
                    }
                }
                Err(_) => panic!("no line with {needle:?} in:\n{}", self.seen.join("\n")),
            }
        }
    }

    /// Polls `/metrics` until it has `line`.
    pub async fn wait_for_metric(&self, line: &str) {
        let client = client();
        for _ in 0..(HANG.as_millis() / 100) {
            let text = client
                .get(format!("{}/metrics", self.url))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            if text.lines().any(|l| l == line) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("/metrics never said {line}");
    }

    /// Waits until the endpoint refuses new connections: what a stop does first.
    pub async fn wait_until_refused(&self) {
        let address = self.url.trim_start_matches("http://").to_string();
        for _ in 0..(HANG.as_millis() / 20) {
            if tokio::net::TcpStream::connect(&address).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("{address} still accepts connections");
    }

    pub fn terminate(&self) {
        self.signal(libc::SIGTERM);
    }

    pub fn signal(&self, signal: libc::c_int) {
        unsafe { libc::kill(self.child.id() as i32, signal) };
    }

    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Sends SIGTERM unless it has exited; the exit status and every line of
    /// standard error.
    pub fn stop(mut self) -> (ExitStatus, Vec<String>) {
        if self.is_running() {
            self.terminate();
        }
        self.wait()
    }

    /// Waits for it to exit (after a signal the test sent): the exit status and
    /// every line of standard error.
    pub fn wait(mut self) -> (ExitStatus, Vec<String>) {
        while let Ok(line) = self.lines.recv_timeout(HANG) {
            self.seen.push(line);
        }
        let status = self.child.wait().unwrap();
        (status, std::mem::take(&mut self.seen))
    }
}

impl Drop for Running {
    /// A test that failed half-way leaves no process behind (one may be waiting for a
    /// lock the test held).
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP client (rustls needs its process-wide provider first).
pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().timeout(HANG).build().unwrap()
}

/// Whether the last line logged is the stop's last word (`… stopped`).
pub fn ended_stopped(lines: &[String]) -> bool {
    lines.last().is_some_and(|line| line.ends_with(": stopped"))
}

/// How many lines of `lines` contain `needle`.
pub fn count(lines: &[String], needle: &str) -> usize {
    lines.iter().filter(|line| line.contains(needle)).count()
}

/// The todo.txt on the `main` branch of the bare repository `remote`.
pub fn remote_todo(remote: &Path) -> String {
    let repo = git2::Repository::open_bare(remote).unwrap();
    let tree = repo
        .revparse_single("main^{tree}")
        .unwrap()
        .peel_to_tree()
        .unwrap();
    let blob = repo.find_blob(tree.get_name("todo.txt").unwrap().id()).unwrap();
    String::from_utf8(blob.content().to_vec()).unwrap()
}
