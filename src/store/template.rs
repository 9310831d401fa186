//! The bundled template: `fixtures/store/`, embedded in the binary, from which a
//! fresh local store is made when no remote is configured.

use include_dir::{Dir, include_dir};
use std::path::Path;

static TEMPLATE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/fixtures/store");

/// Writes every template file under `root` (directories created as needed).
pub fn write_to(root: &Path) -> std::io::Result<()> {
    write_dir(&TEMPLATE, root)
}

fn write_dir(dir: &Dir<'_>, root: &Path) -> std::io::Result<()> {
    for file in dir.files() {
        let path = root.join(file.path());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, file.contents())?;
    }
    for sub in dir.dirs() {
        write_dir(sub, root)?;
    }
    Ok(())
}
