//! The index cache: what a run learnt about each file, kept between runs so
//! that a pre-commit run, which reports on a few files, reads only those and
//! the files that changed.
//!
//! Per file it keeps the content hash, what the pre-filter found, the index
//! data of a parsed file and the license ids its header uses. An entry is
//! used without reading the file only when the file's size and modification
//! time are those recorded, as git's index does; a file modified within a
//! few seconds of the write is recorded without its time, so that a change
//! within the clock's resolution is never missed (it is read and its hash
//! compared instead). The whole cache is keyed by corefence's version, the
//! configuration and every manifest; a cache of another key, an unreadable
//! or corrupt one is ignored and rewritten, never trusted.
//!
//! It lives in the workspace's Cargo build folder (`target/corefence/`, which
//! the walk skips) when cargo has made one, else in the user's cache folder.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::index::FileData;
use crate::prefilter::Lexed;
use crate::workspace::{FileEntry, Target};

/// Bumped whenever what an entry means changes.
const FORMAT: u32 = 1;

/// Files modified this close to the write are recorded without their time.
const RACY: Duration = Duration::from_secs(2);

/// What the cache knows of one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// Size in bytes.
    pub len: u64,
    /// Modification time (seconds, nanoseconds since the epoch), when it can be trusted.
    pub modified: Option<(u64, u32)>,
    /// xxh3 of the content.
    pub hash: u64,
    /// What the pre-filter found (Rust files).
    pub lexed: Option<Lexed>,
    /// The index data, when the file was parsed.
    pub index: Option<FileData>,
    /// License ids the file's header and snippets use, with where.
    pub license_ids: Vec<(String, Range<usize>)>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    format: u32,
    key: u64,
    entries: Vec<(String, Entry)>,
}

/// The entries of the previous run, and where to write this run's.
#[derive(Debug, Default)]
pub struct Cache {
    path: Option<PathBuf>,
    key: u64,
    entries: HashMap<String, Entry>,
}

impl Cache {
    /// The cache of the workspace at `root` for `key`: empty when there is
    /// none, it is of another key, or it cannot be read.
    pub fn load(root: &Path, key: u64) -> Cache {
        let path = location(root);
        let entries = path.as_deref().map(|p| read(p, key)).unwrap_or_default();
        Cache { path, key, entries }
    }

    /// The entry of a file whose size and modification time are unchanged.
    pub fn unchanged(&self, file: &FileEntry) -> Option<&Entry> {
        let entry = self.entries.get(&file.rel)?;
        let recorded = entry.modified?;
        (entry.len == file.len && file.modified.and_then(stamp) == Some(recorded)).then_some(entry)
    }

    /// The entry of a file if its content still hashes to `hash`.
    pub fn same_content(&self, rel: &str, hash: u64) -> Option<&Entry> {
        self.entries.get(rel).filter(|e| e.hash == hash)
    }

    /// Writes this run's entries, by relative path (atomically: a reader sees
    /// the old cache or the new one). `started` is when the run began walking:
    /// the time of a file modified after `started - RACY` is dropped.
    pub fn save(&self, mut entries: Vec<(String, Entry)>, started: SystemTime) -> std::io::Result<()> {
        let Some(path) = &self.path else { return Ok(()) };
        let racy_after = started.checked_sub(RACY).and_then(stamp).unwrap_or_default();
        for (_, entry) in &mut entries {
            entry.modified = entry.modified.filter(|m| *m < racy_after);
        }
        // Nothing new (the usual pre-commit run): leave the file as it is.
        let same = |rel: &String, e: &Entry| {
            self.entries.get(rel).is_some_and(|old| {
                (old.len, old.modified, old.hash, old.index.is_some()) == (e.len, e.modified, e.hash, e.index.is_some())
            })
        };
        if entries.len() == self.entries.len() && entries.iter().all(|(rel, e)| same(rel, e)) {
            return Ok(());
        }
        let bytes = postcard::to_stdvec(&Stored { format: FORMAT, key: self.key, entries })
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        write_atomic(path, &bytes)
    }

    /// Where the cache is kept, if anywhere.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }
}

/// Cargo's targets per manifest, from the cache when stored for `key`, else
/// from `ask` (and stored when it answers).
pub fn cargo_targets(
    root: &Path,
    key: u64,
    ask: impl FnOnce() -> Option<Vec<(String, Vec<Target>)>>,
) -> Option<Vec<(String, Vec<Target>)>> {
    #[derive(Serialize, Deserialize)]
    struct Stored {
        format: u32,
        key: u64,
        by_manifest: Vec<(String, Vec<Target>)>,
    }
    let path = location(root).map(|p| p.with_file_name(format!("{}-targets.bin", stem(&p))));
    let stored = path.as_deref().and_then(|p| std::fs::read(p).ok());
    if let Some(t) = stored.and_then(|b| postcard::from_bytes::<Stored>(&b).ok()) {
        if t.format == FORMAT && t.key == key {
            return Some(t.by_manifest);
        }
    }
    let by_manifest = ask()?;
    if let Some(path) = path {
        let stored = Stored { format: FORMAT, key, by_manifest };
        // Not stored, not fatal: the next run asks cargo again.
        let _ = postcard::to_stdvec(&stored).map(|bytes| write_atomic(&path, &bytes));
        return Some(stored.by_manifest);
    }
    Some(by_manifest)
}

fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Writes through a temporary file and a rename.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The entries stored at `path` for `key`; none when anything is amiss.
fn read(path: &Path, key: u64) -> HashMap<String, Entry> {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| postcard::from_bytes::<Stored>(&bytes).ok())
        .filter(|s| s.format == FORMAT && s.key == key)
        .map(|s| s.entries.into_iter().collect())
        .unwrap_or_default()
}

/// The hash of a file's content.
pub fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// The key of everything an entry depends on besides its own file.
pub fn key<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.digest()
}

/// A modification time as the cache records it.
pub fn stamp(t: SystemTime) -> Option<(u64, u32)> {
    let d = t.duration_since(SystemTime::UNIX_EPOCH).ok()?;
    Some((d.as_secs(), d.subsec_nanos()))
}

/// `target/corefence/index.bin` when the root has a Cargo build folder, else
/// a file named after the root in the user's cache folder.
fn location(root: &Path) -> Option<PathBuf> {
    let target = root.join("target");
    if root.join("Cargo.toml").is_file() && target.join("CACHEDIR.TAG").is_file() {
        return Some(target.join("corefence").join("index.bin"));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .or_else(|| std::env::var_os("LOCALAPPDATA").map(PathBuf::from))?;
    let name = format!("{:016x}.bin", hash(root.as_os_str().as_encoded_bytes()));
    Some(base.join("corefence").join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(rel: &str, len: u64, modified: SystemTime) -> FileEntry {
        FileEntry { rel: rel.to_owned(), abs: PathBuf::from(rel), len, modified: Some(modified) }
    }

    fn entry(file: &FileEntry, hash: u64) -> (String, Entry) {
        let modified = file.modified.and_then(stamp);
        (file.rel.clone(), Entry { len: file.len, modified, hash, lexed: None, index: None, license_ids: Vec::new() })
    }

    fn at(root: &Path, key: u64) -> Cache {
        Cache { path: Some(root.join("index.bin")), key, entries: HashMap::new() }
    }

    fn reload(root: &Path, key: u64) -> Cache {
        Cache { path: None, key, entries: read(&root.join("index.bin"), key) }
    }

    #[test]
    fn an_unchanged_file_is_known_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        at(dir.path(), 7).save(vec![entry(&file("a.rs", 3, old), 42)], SystemTime::now()).unwrap();
        let cache = reload(dir.path(), 7);
        assert_eq!(cache.unchanged(&file("a.rs", 3, old)).map(|e| e.hash), Some(42));
        // Another size or time: read it again.
        assert!(cache.unchanged(&file("a.rs", 4, old)).is_none());
        assert!(cache.unchanged(&file("a.rs", 3, old + Duration::from_nanos(1))).is_none());
        assert_eq!(cache.same_content("a.rs", 42).map(|e| e.len), Some(3));
        assert!(cache.same_content("a.rs", 43).is_none());
    }

    #[test]
    fn a_file_modified_just_before_the_write_is_always_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        at(dir.path(), 7).save(vec![entry(&file("a.rs", 3, now), 42)], now).unwrap();
        let cache = reload(dir.path(), 7);
        assert!(cache.unchanged(&file("a.rs", 3, now)).is_none());
        assert!(cache.same_content("a.rs", 42).is_some());
    }

    #[test]
    fn another_key_or_a_corrupt_file_is_an_empty_cache() {
        let dir = tempfile::tempdir().unwrap();
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        at(dir.path(), 7).save(vec![entry(&file("a.rs", 3, old), 42)], SystemTime::now()).unwrap();
        assert!(reload(dir.path(), 8).entries.is_empty());
        std::fs::write(dir.path().join("index.bin"), b"\xff\xff\xff garbage").unwrap();
        assert!(reload(dir.path(), 7).entries.is_empty());
    }
}
