//! Helpers shared by the unit tests.

use std::path::Path;

/// Writes `text` at `rel` under `root`, creating folders as needed.
pub fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}
