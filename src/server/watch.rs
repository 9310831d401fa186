//! `myorg watch`: the store's folders watched until SIGINT or SIGTERM, so that the
//! myorg commands run beside it look only at the files that changed. It also ends
//! by itself when the store's folder is gone, when its socket is removed or taken by
//! another watcher (no writer could ask it), and with `--idle SECS` after that long
//! without a write: how the watcher a command starts in the background ends.

use crate::config::Config;
use crate::store::{Store, Watching};
use anyhow::Context;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// How often the watcher checks whether it should end.
const CHECK_EVERY: Duration = Duration::from_secs(1);

/// `myorg watch [--idle SECS]`.
pub fn watch(config: &Config, idle: Option<Duration>) -> anyhow::Result<()> {
    let on_wait = Box::new(|| tracing::warn!("another process is writing to the store; waiting"));
    let store = Store::open_with(config.store_settings(), on_wait)?;
    let watching = store.watch().context("watching the store's folders")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // Listened for before saying it watches: a signal right after stops it cleanly.
    let stop = {
        let _entered = runtime.enter();
        super::shutdown_signal()
    };
    println!(
        "myorg: watching {}: each write by a myorg command now looks only at the files that changed (Ctrl-C stops)",
        store.root().display()
    );
    std::io::stdout().flush()?;
    let ended = runtime.block_on(async {
        tokio::select! {
            () = stop => None,
            why = until_needless(&watching, store.root(), idle) => Some(why),
        }
    });
    if let Some(why) = ended {
        println!("myorg: stopped watching {}: {why}", store.root().display());
    }
    Ok(())
}

/// Waits until watching is of no more use, and says why.
async fn until_needless(watching: &Watching, root: &Path, idle: Option<Duration>) -> String {
    let mut checks = tokio::time::interval(CHECK_EVERY);
    loop {
        checks.tick().await;
        if let Some(why) = needless(watching, root, idle) {
            return why;
        }
    }
}

/// Why watching is of no more use now, if it is not.
fn needless(watching: &Watching, root: &Path, idle: Option<Duration>) -> Option<String> {
    if !root.is_dir() {
        return Some("the store's folder is gone".to_string());
    }
    if !watching.reachable() {
        return Some("its socket was removed or another watcher took it".to_string());
    }
    let idle = idle.filter(|limit| watching.idle() >= *limit)?;
    Some(format!("no write asked for {} s", idle.as_secs()))
}
