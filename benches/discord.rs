//! The Discord bot under load: the real `myorg run` (release build) against the fake
//! Discord on 127.0.0.1 with a local store (no remote, so no push is timed). It
//! reports the bot's resident memory after start-up, after each of two rounds of
//! 1000 `/add` commands and after each of two rounds of 1000 mixed commands (`/today`, `/tasks`, `/agenda`,
//! `/help`; the second round shows whether memory keeps growing), and the time from
//! sending an interaction to seeing its reply for `/add` (median and 90th
//! percentile). A last round of 1000 commits that leave the files' sizes alone (a
//! project's status back and forth) tells growth with the data from a leak.
//!
//! `cargo bench --bench discord`.

use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

#[path = "../tests/support/mod.rs"]
mod support;
use support::fake_discord::{FakeDiscord, Setup};

const COMMANDS: usize = 1000;
const WAIT: Duration = Duration::from_secs(30);

/// The memory of process `pid`, in KiB: resident, peak resident, and of the
/// resident the anonymous part (heap and stacks; the rest is mapped files).
fn memory(pid: u32) -> (u64, u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"), field("RssAnon:"))
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::TempDir::new().unwrap();
    let fake = FakeDiscord::start(Setup::default()).await;
    let base = fake.base_url();
    let mut child = support::myorg_command(
        dir.path(),
        &["--store", "s", "run"],
        &[
            ("MYORG_HTTP_ADDR", "127.0.0.1:0"),
            ("MYORG_USER_NAME", "Ana"),
            ("TIMEZONE", "Europe/Madrid"),
            ("DISCORD_BOT_TOKEN", "fake-bot-token"),
            ("DISCORD_CHANNEL_ID", "4000"),
            ("DISCORD_GUILD_ID", "3000"),
            ("MYORG_DISCORD_API_BASE", &base),
            ("MYORG_DISCORD_ALLOWED_USERS", "501"),
            ("MYORG_SCHEDULER_MODE", "external"),
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    fake.wait_ready(WAIT).await.expect("the bot connects");
    tokio::time::sleep(Duration::from_secs(1)).await;
    let pid = child.id();
    let idle = memory(pid);

    let mut latencies = Vec::with_capacity(2 * COMMANDS);
    let mut adds = Vec::new();
    for round in 0..2 {
        for n in 0..COMMANDS {
            let text = format!("Bench task {round}-{n} +bench @desk");
            let started = Instant::now();
            let interaction = fake
                .slash(501, 4000, "add", &[("text", json!(text))])
                .await
                .unwrap();
            interaction.reply(WAIT).await.unwrap();
            latencies.push(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        adds.push(memory(pid));
    }

    let mut rounds = Vec::new();
    for _ in 0..2 {
        for n in 0..COMMANDS {
            let interaction = match n % 4 {
                0 => fake.slash(501, 4000, "today", &[]).await,
                1 => {
                    fake.slash(501, 4000, "tasks", &[("query", json!("+bench"))])
                        .await
                }
                2 => fake.slash(501, 4000, "agenda", &[]).await,
                _ => fake.slash(501, 4000, "help", &[]).await,
            }
            .unwrap();
            interaction.reply(WAIT).await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        rounds.push(memory(pid));
    }
    // Commits that do not make the files bigger: a project's status back and forth.
    for n in 0..COMMANDS {
        // Choices are sent as their index: 1 is active, 2 blocked.
        let status = if n % 2 == 0 { 2 } else { 1 };
        let interaction = fake
            .slash(
                501,
                4000,
                "project status",
                &[("slug", json!("website")), ("status", json!(status))],
            )
            .await
            .unwrap();
        interaction.reply(WAIT).await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let toggled = memory(pid);
    let _ = child.kill();
    let _ = child.wait();

    latencies.sort();
    println!("myorg run (Discord bot, local store, release build)");
    println!(
        "  resident after start-up: {} (peak {}, anonymous {})",
        mib(idle.0),
        mib(idle.1),
        mib(idle.2)
    );
    for (round, after) in adds.iter().enumerate() {
        println!(
            "  resident after {} /add: {} (peak {}, anonymous {})",
            (round + 1) * COMMANDS,
            mib(after.0),
            mib(after.1),
            mib(after.2)
        );
    }
    for (round, after) in rounds.iter().enumerate() {
        println!(
            "  resident after {} mixed commands: {} (peak {}, anonymous {})",
            (round + 1) * COMMANDS,
            mib(after.0),
            mib(after.1),
            mib(after.2)
        );
    }
    println!(
        "  resident after {COMMANDS} status changes (commits, same file sizes): {} (peak {}, anonymous {})",
        mib(toggled.0),
        mib(toggled.1),
        mib(toggled.2)
    );
    println!(
        "  /add, interaction to reply: median {:.1} ms, p90 {:.1} ms, max {:.1} ms",
        percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.9).as_secs_f64() * 1000.0,
        latencies.last().unwrap().as_secs_f64() * 1000.0
    );
    let violations = fake.violations();
    assert!(violations.is_empty(), "{violations:#?}");
}
