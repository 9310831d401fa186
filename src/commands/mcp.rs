//! `myorg mcp token NAME`: a new bearer token for `/mcp` acting as a `[[people]]`
//! person ([`crate::app::tokens`]). The token alone goes to standard output (so
//! `TOKEN=$(myorg mcp token ana)` works), what it is to standard error; only its hash
//! is kept.

use crate::app::tokens;
use crate::config::Config;
use anyhow::bail;

/// Makes and prints a new token for the person `given` names.
pub fn token(config: &Config, given: &str) -> anyhow::Result<()> {
    // The state directory is inside the repository unless configured: a store that is
    // not there yet gets none made by a token.
    let root = config.store_settings().root;
    if config.store.state_dir.is_none() && !root.join(".git").is_dir() {
        bail!(
            "there is no store at {}: `myorg init` makes one (or `myorg run` clones it)",
            root.display()
        );
    }
    let issued = tokens::issue(config, &config.state_dir(), given)?;
    println!("{}", issued.token);
    eprintln!(
        "A new MCP token for {} ({}), shown only this once: send it as \
         `Authorization: Bearer TOKEN` to /mcp of `myorg run`.{}",
        issued.name,
        issued.handle,
        if issued.replaced {
            " Their previous token no longer works."
        } else {
            ""
        }
    );
    Ok(())
}
