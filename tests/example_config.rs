//! The committed example configuration is valid: `myorg.example.toml` loads.

use std::process::Command;

#[test]
fn the_example_configuration_loads() {
    let dir = tempfile::TempDir::new().unwrap();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/myorg.example.toml");
    let output = Command::new(env!("CARGO_BIN_EXE_myorg"))
        .current_dir(dir.path())
        .args(["--config", example, "--store", "s", "status"])
        .env_remove("GIT_REPO_URL")
        .env_remove("MYORG_REPO_PATH")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
