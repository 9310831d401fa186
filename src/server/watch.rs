//! `myorg watch`: the store's folders watched until SIGINT or SIGTERM, so that the
//! myorg commands run beside it look only at the files that changed.

use crate::config::Config;
use crate::store::Store;
use anyhow::Context;
use std::io::Write;

/// `myorg watch`.
pub fn watch(config: &Config) -> anyhow::Result<()> {
    let on_wait = Box::new(|| tracing::warn!("another process is writing to the store; waiting"));
    let store = Store::open_with(config.store_settings(), on_wait)?;
    let _watching = store.watch().context("watching the store's folders")?;
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
    runtime.block_on(stop);
    Ok(())
}
