//! For the use cases' own tests: a request by Ana on the sample store (the template,
//! around 2026-11-22) in a temporary directory, at 2026-11-23 08:00.

use super::Ctx;
use crate::config::Config;
use crate::store::{Actor, Store, StoreSettings};
use chrono::NaiveDate;

/// Runs `check` with a request on a new sample store.
pub(crate) fn with_ctx(check: impl FnOnce(&Ctx)) {
    with_config(&Config::default(), check);
}

/// Runs `check` with a request under `config` on a new sample store.
pub(crate) fn with_config(config: &Config, check: impl FnOnce(&Ctx)) {
    let dir = tempfile::TempDir::new().unwrap();
    let store = Store::open(StoreSettings::local(dir.path().join("store"))).unwrap();
    let ctx = Ctx {
        config,
        store: &store,
        actor: Actor {
            name: "Ana".into(),
            email: "ana@example.com".into(),
            via: "chat".into(),
        },
        handle: "ana".into(),
        now: NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap(),
    };
    check(&ctx);
}
