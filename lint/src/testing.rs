//! Helpers shared by the unit tests.

use std::collections::BTreeMap;
use std::path::Path;

use crate::workspace::{Discovered, FileEntry, Workspace};

/// Writes `text` at `rel` under `root`, creating folders as needed.
pub fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A workspace of `texts` (relative path to content) under `/workspace`,
/// read from memory.
pub fn memory_workspace(texts: &BTreeMap<String, String>) -> Workspace {
    let root = Path::new("/workspace");
    let entries = texts
        .iter()
        .map(|(rel, text)| FileEntry { rel: rel.clone(), abs: root.join(rel), len: text.len() as u64, stamp: None })
        .collect();
    let found = Discovered { files: entries, ..Discovered::default() };
    let read = |f: &FileEntry| {
        texts.get(&f.rel).map(|t| t.clone().into_bytes()).ok_or_else(|| std::io::ErrorKind::NotFound.into())
    };
    Workspace::from_files(root, found, &read)
}
