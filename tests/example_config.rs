//! The committed example configuration is valid: `myorg.example.toml` loads, and
//! states the defaults.

use myorg_assistant::store::SyncPolicy;
use std::path::Path;
use std::time::Duration;

mod support;

#[test]
fn the_example_configuration_loads() {
    let dir = tempfile::TempDir::new().unwrap();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/myorg.example.toml");
    let output = support::myorg_command(dir.path(), &["--config", example, "--store", "s", "status"], &[])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_example_states_the_default_sync_policy_and_values_are_read() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("myorg.example.toml");
    let config = myorg_assistant::validate::load(Some(&example)).unwrap();
    assert_eq!(config.sync_policy(), SyncPolicy::default());
    assert_eq!(config.stale_after(), Duration::from_secs(300));

    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("myorg.toml");
    std::fs::write(
        &file,
        "[store]\nsync_every_secs = 60\npush_window_ms = 250\nfirst_retry_secs = 2\nstale_after_secs = 10\n",
    )
    .unwrap();
    let config = myorg_assistant::validate::load(Some(&file)).unwrap();
    assert_eq!(
        config.sync_policy(),
        SyncPolicy {
            every: Duration::from_secs(60),
            push_window: Duration::from_millis(250),
            first_retry: Duration::from_secs(2),
        }
    );
    assert_eq!(config.stale_after(), Duration::from_secs(10));
}

#[test]
fn the_example_states_the_default_schedule_and_one_job_is_changed_alone() {
    use myorg_assistant::config::{SchedulerConfig, SchedulerMode};
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("myorg.example.toml");
    let config = myorg_assistant::validate::load(Some(&example)).unwrap();
    let defaults = SchedulerConfig::default();
    assert_eq!(config.scheduler.jobs, defaults.jobs);
    assert_eq!(config.scheduler.mode, SchedulerMode::InProcess);
    assert_eq!(config.scheduler.catch_up_minutes, defaults.catch_up_minutes);

    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("myorg.toml");
    std::fs::write(
        &file,
        "[scheduler]\nmode = \"external\"\n[scheduler.jobs]\ngit-sync = \"\"\n",
    )
    .unwrap();
    let config = myorg_assistant::validate::load(Some(&file)).unwrap();
    assert_eq!(config.scheduler.mode, SchedulerMode::External);
    assert_eq!(config.scheduler.jobs["git-sync"], "");
    assert_eq!(config.scheduler.jobs["morning-briefing"], "0 8 * * *");
    assert_eq!(config.scheduler.jobs.len(), defaults.jobs.len());
}
