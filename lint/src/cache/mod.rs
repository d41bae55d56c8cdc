//! The index cache: what a run learnt about each file, kept between runs so
//! that a pre-commit run, which reports on a few files, reads only those and
//! the files that changed.
//!
//! Per file it keeps the content hash, what the pre-filter found, the index
//! data of a parsed file and the license ids its header uses. The index data
//! is stored in two parts: what the index and every file's findings need,
//! decoded on every run, and what only the file's own findings read (its
//! [`Bodies`], most of the data), kept encoded until the file is checked and
//! read only when it is reported on, so a run on a few files decodes a
//! fraction of the cache. An entry is
//! used without reading the file only when the file's size and [`Stamp`]
//! (modification and status-change times, inode, device) are those
//! recorded, as git's index does: setting a file's modification time back
//! (`touch -d`, `cp -p`, `tar --mtime`) still changes its status-change
//! time, and a fresh checkout has new inodes, so neither a rewritten file
//! nor a cache copied from elsewhere is trusted. A file changed within a
//! few seconds of the write is recorded without its stamp, so that a change
//! within the clock's resolution is never missed (it is read and its hash
//! compared instead).
//!
//! The whole cache is keyed by the corefence binary that wrote it (a
//! rebuilt binary never reuses entries), the configuration and every
//! manifest, and carries a checksum of its contents: a cache of another key,
//! an unreadable, truncated or corrupt one is ignored and rewritten, never
//! trusted. It is written to a fresh temporary file and renamed into place,
//! so runs at the same time never see a half-written cache.
//!
//! [`Bodies`]: crate::parse::items::Bodies
//!
//! It lives in the workspace's Cargo build folder (`target/corefence/`, which
//! the walk skips) when cargo has made one, else in the user's cache folder,
//! where caches unused for [`PRUNE_AFTER`] are removed.

use foldhash::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::index::FileData;
use crate::prefilter::Lexed;
use crate::workspace::{FileEntry, Stamp};

pub mod listing;
pub mod replay;

/// Bumped whenever what an entry means changes.
const FORMAT: u32 = 9;

/// Files changed this close to the write are recorded without their stamp.
const RACY: Duration = Duration::from_secs(2);

/// How many times faster writing the cache is than reading and parsing the
/// same number of bytes of source (about 800 MB/s against 16 MB/s).
const WRITE_SPEEDUP: u64 = 50;

/// Caches in the user's cache folder unused for this long are removed.
pub const PRUNE_AFTER: Duration = Duration::from_hours(30 * 24);

/// What the cache knows of one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CacheEntry {
    /// Size in bytes.
    pub len: u64,
    /// The file's stamp, when it can be trusted.
    pub stamp: Option<Stamp>,
    /// xxh3 of the content.
    pub hash: u64,
    /// What the pre-filter found (Rust files).
    pub lexed: Option<Lexed>,
    /// This run's index data of the file, when it was parsed: what
    /// [`Cache::save`] stores as `outline` and `bodies`.
    #[serde(skip)]
    pub index: Option<FileData>,
    /// The postcard encoding of the stored index data without its bodies,
    /// decoded when a run takes it ([`Cache::take_index`], on the thread
    /// that checks the file).
    pub outline: Option<Blob>,
    /// The postcard encoding of the index data's
    /// [`Bodies`](crate::parse::items::Bodies), read only for a file that is
    /// reported on.
    pub bodies: Option<Blob>,
    /// License ids the file's header and snippets use, with where.
    pub license_ids: Vec<(String, Range<usize>)>,
}

/// What a run saw of one file, as [`Cache::worth_writing`] compares it
/// with the stored entry.
pub struct Seen<'a> {
    /// Relative path.
    pub rel: &'a str,
    /// Size in bytes.
    pub len: u64,
    /// The stamp the entry would record (before the racy ones are dropped).
    pub stamp: Option<Stamp>,
    /// xxh3 of the content.
    pub hash: u64,
    /// Whether the run has index data of the file.
    pub indexed: bool,
}

/// Encoded bytes kept in the cache: a part of the stored cache a run read
/// (shared, not copied out: most of the cache is these), or new ones.
#[derive(Debug, Clone)]
pub struct Blob {
    buf: Arc<Vec<u8>>,
    range: Range<usize>,
}

impl Blob {
    fn owned(bytes: Vec<u8>) -> Blob {
        let range = 0..bytes.len();
        Blob { buf: Arc::new(bytes), range }
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        self.buf.get(self.range.clone()).unwrap_or_default()
    }

    /// How many bytes.
    fn len(&self) -> usize {
        self.range.len()
    }
}

impl Serialize for Blob {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.bytes())
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_bytes::ByteBuf::deserialize(deserializer).map(|b| Blob::owned(b.into_vec()))
    }
}

/// A [`CacheEntry`] as stored, its blobs borrowed from the bytes read.
#[derive(Deserialize)]
struct StoredEntry<'a> {
    len: u64,
    stamp: Option<Stamp>,
    hash: u64,
    lexed: Option<Lexed>,
    #[serde(borrow)]
    outline: Option<&'a [u8]>,
    #[serde(borrow)]
    bodies: Option<&'a [u8]>,
    license_ids: Vec<(String, Range<usize>)>,
}

/// The file's layout: a header, then the entries with their checksum.
#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    format: u32,
    key: u64,
    /// xxh3 of `entries`.
    checksum: u64,
    /// The postcard encoding of `Vec<(String, CacheEntry)>`.
    #[serde(borrow, with = "serde_bytes")]
    entries: &'a [u8],
}

/// The entries of the previous run, and where to write this run's.
#[derive(Debug, Default)]
pub struct Cache {
    path: Option<PathBuf>,
    key: u64,
    /// The entries, by relative path.
    entries: HashMap<String, CacheEntry>,
    /// The size of the stored cache.
    stored: u64,
    /// The stored cache, being read on another thread.
    prefetch: Option<Prefetch>,
}

/// The stored cache of a workspace, read and decoded on a thread of its own
/// from the start of a run: the run needs its manifests to know the key the
/// cache must have, and meanwhile the cache's reading (tens of megabytes on
/// a large workspace) costs it nothing. Entries of another key are dropped
/// when the run takes them ([`Cache::read`]).
#[derive(Debug)]
pub struct Prefetch(std::thread::JoinHandle<Option<Read>>);

/// The entries of a stored cache, the key they were stored under, and the
/// size of the file.
type Read = (u64, HashMap<String, CacheEntry>, u64);

impl Prefetch {
    /// Starts reading the cache of the workspace at `root`, if it has one.
    pub fn start(root: &Path) -> Option<Prefetch> {
        let path = location(root)?;
        std::thread::Builder::new().name("cache".into()).spawn(move || read_any(&path)).ok().map(Prefetch)
    }
}

/// How much of a file's index data a run needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Everything: the file is reported on.
    Whole,
    /// What the index and other files' findings need: the file is not
    /// reported on.
    Outline,
}

impl Cache {
    /// The cache of the workspace at `root` for `key`, its entries not read
    /// yet ([`Cache::read`]), or being read by `prefetch`.
    pub fn unread(root: &Path, key: u64, prefetch: Option<Prefetch>) -> Cache {
        Cache { path: location(root), key, entries: HashMap::default(), stored: 0, prefetch }
    }

    /// Reads the stored entries: none when there are none, they are of
    /// another key, or they cannot be read.
    pub fn read(&mut self) {
        let read = match self.prefetch.take() {
            Some(Prefetch(reading)) => reading.join().ok().flatten(),
            None => self.path.as_deref().and_then(read_any),
        };
        (self.entries, self.stored) = match read {
            Some((key, entries, stored)) if key == self.key => (entries, stored),
            _ => (HashMap::default(), 0),
        };
    }

    /// The stored index data of a file, with its encoded bodies when the run
    /// needs the whole of it. `None` when there is none, or it does not
    /// decode (the file is parsed again).
    pub fn take_index(&self, rel: &str, need: Need) -> Option<FileData> {
        let entry = self.entries.get(rel)?;
        let mut data = postcard::from_bytes::<FileData>(entry.outline.as_ref()?.bytes()).ok()?;
        if need == Need::Whole {
            data.bodies = Some(entry.bodies.as_ref()?.bytes().to_vec());
        }
        Some(data)
    }

    /// Where the cache is stored, if anywhere.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// What the whole cache is keyed by.
    pub fn key(&self) -> u64 {
        self.key
    }

    /// The entry of a file whose size and stamp are unchanged.
    pub fn unchanged(&self, file: &FileEntry) -> Option<&CacheEntry> {
        let entry = self.entries.get(&file.rel)?;
        let recorded = entry.stamp?;
        (entry.len == file.len && file.stamp == Some(recorded)).then_some(entry)
    }

    /// The entry of a file if its content still hashes to `hash`.
    pub fn same_content(&self, rel: &str, hash: u64) -> Option<&CacheEntry> {
        self.entries.get(rel).filter(|e| e.hash == hash)
    }

    /// Writes this run's entries, by relative path (atomically: a reader sees
    /// the old cache or the new one). `started` is when the run began walking:
    /// the stamp of a file changed after `started - RACY` is dropped.
    ///
    /// The stored cache is left as it is when this run learnt little: when
    /// the files it no longer describes are so few that reading and parsing
    /// them costs a run less than writing the whole cache would (the usual
    /// pre-commit run, on a few edited files). Those files are read again
    /// by the next runs, as any changed file is, until enough have changed
    /// that the cache is written: the extra reading never costs a run more
    /// than the write it saves. The entries are the caller's to free.
    pub fn save(&self, entries: &mut [(String, CacheEntry)], started: SystemTime) -> std::io::Result<()> {
        let Some(path) = &self.path else { return Ok(()) };
        let seen = entries.iter().map(|(rel, e)| Seen {
            rel,
            len: e.len,
            stamp: e.stamp,
            hash: e.hash,
            indexed: e.index.is_some(),
        });
        if !self.worth_writing(seen, started) {
            return Ok(());
        }
        let racy_after = racy_after(started);
        for (_, entry) in entries.iter_mut() {
            entry.stamp = entry.stamp.filter(|s| s.modified.0 < racy_after);
        }
        for (rel, entry) in entries.iter_mut() {
            self.encode_index(rel, entry);
        }
        // Sized up front: most of the cache is encodings copied whole.
        let blobs: usize = entries.iter().map(|(_, e)| e.outline.as_ref().map_or(0, Blob::len)).sum::<usize>()
            + entries.iter().map(|(_, e)| e.bodies.as_ref().map_or(0, Blob::len)).sum::<usize>();
        let encoded = postcard::to_extend(&entries, Vec::with_capacity(blobs + 256 * entries.len()))
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let stored = Stored { format: FORMAT, key: self.key, checksum: hash(&encoded), entries: &encoded };
        let bytes = postcard::to_extend(&stored, Vec::with_capacity(encoded.len() + 64))
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        if !is_in_build_folder(path) {
            if let Some(dir) = path.parent() {
                prune(dir, path);
            }
        }
        write_atomic(path, &bytes)
    }

    /// Whether [`Cache::save`] would write this run's entries, told by what
    /// the run saw of each file: a run can ask before it builds them.
    pub fn worth_writing<'s>(&self, files: impl Iterator<Item = Seen<'s>>, started: SystemTime) -> bool {
        if self.path.is_none() {
            return false;
        }
        let racy_after = racy_after(started);
        // A file this run did not index keeps what the cache knows of it.
        let same = |f: &Seen<'_>| {
            let stamp = f.stamp.filter(|s| s.modified.0 < racy_after);
            self.entries.get(f.rel).is_some_and(|old| {
                (old.len, old.stamp, old.hash) == (f.len, stamp, f.hash) && (!f.indexed || old.outline.is_some())
            })
        };
        let stale: u64 = files.filter(|f| !same(f)).map(|f| f.len.max(1)).sum();
        stale.saturating_mul(WRITE_SPEEDUP) >= self.stored
    }

    /// Encodes an entry's index data as its outline, beside its bodies
    /// (already encoded); a file whose content this cache knows keeps the
    /// stored encodings. Index data without its bodies (an outline of a
    /// changed file, which no run makes) is not stored: the next run parses
    /// the file again.
    fn encode_index(&self, rel: &str, entry: &mut CacheEntry) {
        let known = self.entries.get(rel).filter(|old| old.hash == entry.hash);
        if let Some(old) = known.filter(|old| old.outline.is_some() && old.bodies.is_some()) {
            (entry.outline, entry.bodies) = (old.outline.clone(), old.bodies.clone());
            entry.index = None;
            return;
        }
        let Some(mut data) = entry.index.take() else { return };
        let Some(bodies) = data.bodies.take() else { return };
        if let Ok(outline) = postcard::to_stdvec(&data) {
            entry.outline = Some(Blob::owned(outline));
            entry.bodies = Some(Blob::owned(bodies));
        }
    }
}

/// The second of modification from which a file's stamp is not trusted,
/// for a run that began walking at `started`.
fn racy_after(started: SystemTime) -> u64 {
    started.checked_sub(RACY).and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs())
}

/// Writes through a fresh temporary file in the same folder and a rename,
/// readable by this user alone. Not synced to disk: a run does not wait for
/// the disk to store a cache, and a cache a crash cut short fails its
/// checksum and is rebuilt.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = crate::atomic::dir_of(path);
    std::fs::create_dir_all(dir)?;
    let mut temp = crate::atomic::temp_in(dir, &crate::atomic::Mode::New(0o600))?;
    temp.write_all(bytes)?;
    temp.persist(path).map(drop).map_err(|e| e.error)
}

/// Writes `body` behind its xxh3 (8 bytes, little endian), through
/// [`write_atomic`]: the framing of the files kept beside the cache.
fn write_checked(path: &Path, body: &[u8]) -> std::io::Result<()> {
    let mut out = Vec::with_capacity(body.len() + 8);
    out.extend_from_slice(&hash(body).to_le_bytes());
    out.extend_from_slice(body);
    write_atomic(path, &out)
}

/// The body [`write_checked`] wrote at `path`; `None` when the file cannot
/// be read or its body no longer hashes as it did.
fn read_checked(path: &Path) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(path).ok()?;
    let checksum = u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?);
    bytes.drain(..8);
    (hash(&bytes) == checksum).then_some(bytes)
}

/// Removes the user-folder caches of workspaces not checked for
/// [`PRUNE_AFTER`] (and temporary files a killed run left), keeping `current`.
fn prune(dir: &Path, current: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let temp = crate::atomic::is_temp_name(&name.to_string_lossy());
        let ours = path.extension().is_some_and(|e| e == "bin") || temp;
        let old =
            entry.metadata().and_then(|m| m.modified()).ok().and_then(|m| now.duration_since(m).ok()).is_some_and(
                |age| {
                    age > PRUNE_AFTER || (age > Duration::from_hours(1) && path.extension().is_some_and(|e| e == "tmp"))
                },
            );
        if ours && old && path != current && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The entries stored at `path`, their key and the size of the file; none
/// when anything is amiss.
fn read_any(path: &Path) -> Option<Read> {
    let bytes = Arc::new(std::fs::read(path).ok()?);
    let stored = postcard::from_bytes::<Stored<'_>>(&bytes).ok()?;
    if stored.format != FORMAT || stored.checksum != hash(stored.entries) {
        return None;
    }
    let views = postcard::from_bytes::<Vec<(String, StoredEntry<'_>)>>(stored.entries).ok()?;
    // A blob is the range of the bytes read that it was decoded from.
    let base = bytes.as_ptr() as usize;
    let blob = |part: &[u8]| {
        let start = (part.as_ptr() as usize).wrapping_sub(base);
        let range = start..start.saturating_add(part.len());
        bytes.get(range.clone()).is_some().then(|| Blob { buf: Arc::clone(&bytes), range })
    };
    let mut entries = HashMap::with_capacity_and_hasher(views.len(), foldhash::fast::RandomState::default());
    for (rel, v) in views {
        let (outline, bodies) = (v.outline.map(blob), v.bodies.map(blob));
        if matches!(outline, Some(None)) || matches!(bodies, Some(None)) {
            return None;
        }
        let entry = CacheEntry {
            len: v.len,
            stamp: v.stamp,
            hash: v.hash,
            lexed: v.lexed,
            index: None,
            outline: outline.flatten(),
            bodies: bodies.flatten(),
            license_ids: v.license_ids,
        };
        entries.insert(rel, entry);
    }
    Some((stored.key, entries, bytes.len() as u64))
}

/// The entries stored at `path` for `key`, and the size of the file; none
/// when anything is amiss.
#[cfg(test)]
fn read(path: &Path, key: u64) -> (HashMap<String, CacheEntry>, u64) {
    match read_any(path) {
        Some((stored, entries, len)) if stored == key => (entries, len),
        _ => (HashMap::default(), 0),
    }
}

/// The hash of a file's content.
pub fn hash(bytes: &[u8]) -> u64 {
    crate::workspace::content_hash(bytes)
}

/// The key of everything an entry depends on besides its own file, and the
/// binary that computes the entries.
pub fn key<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(&build_id().to_le_bytes());
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.digest()
}

/// What identifies this build of corefence: the running executable's size
/// and stamp (a rebuild writes a new file). Reading the stamp costs one
/// `stat`; hashing the executable would cost a read of megabytes per run.
fn build_id() -> u64 {
    let meta = std::env::current_exe().and_then(std::fs::metadata);
    let stamp = meta.as_ref().ok().and_then(Stamp::of);
    let len = meta.map_or(0, |m| m.len());
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&len.to_le_bytes());
    if let Some(s) = stamp {
        hasher.update(&s.modified.0.to_le_bytes());
        hasher.update(&s.modified.1.to_le_bytes());
        hasher.update(&s.changed.0.to_le_bytes());
        hasher.update(&s.inode.to_le_bytes());
    }
    hasher.digest()
}

fn is_in_build_folder(path: &Path) -> bool {
    path.parent().and_then(Path::parent).is_some_and(|target| target.join("CACHEDIR.TAG").is_file())
}

/// `target/corefence/index.bin` when the root has a Cargo build folder, else
/// a file named after the root in the user's cache folder.
pub(crate) fn location(root: &Path) -> Option<PathBuf> {
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
        let since = modified.duration_since(SystemTime::UNIX_EPOCH).unwrap();
        let stamp = Stamp {
            modified: (since.as_secs(), since.subsec_nanos()),
            changed: (i64::try_from(since.as_secs()).unwrap(), 0),
            inode: 7,
            device: 1,
        };
        FileEntry { rel: rel.to_owned(), abs: PathBuf::from(rel), len, stamp: Some(stamp) }
    }

    fn entry(file: &FileEntry, hash: u64) -> (String, CacheEntry) {
        let stamp = file.stamp;
        (
            file.rel.clone(),
            CacheEntry {
                len: file.len,
                stamp,
                hash,
                lexed: None,
                index: None,
                outline: None,
                bodies: None,
                license_ids: Vec::new(),
            },
        )
    }

    fn at(root: &Path, key: u64) -> Cache {
        Cache { path: Some(root.join("index.bin")), key, entries: HashMap::default(), stored: 0, prefetch: None }
    }

    fn reload(root: &Path, key: u64) -> Cache {
        let (entries, stored) = read(&root.join("index.bin"), key);
        Cache { path: None, key, entries, stored, prefetch: None }
    }

    #[test]
    fn an_unchanged_file_is_known_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        at(dir.path(), 7).save(&mut [entry(&file("a.rs", 3, old), 42)], SystemTime::now()).unwrap();
        let cache = reload(dir.path(), 7);
        assert_eq!(cache.unchanged(&file("a.rs", 3, old)).map(|e| e.hash), Some(42));
        // Another size or time: read it again.
        assert!(cache.unchanged(&file("a.rs", 4, old)).is_none());
        assert!(cache.unchanged(&file("a.rs", 3, old + Duration::from_nanos(1))).is_none());
        assert_eq!(cache.same_content("a.rs", 42).map(|e| e.len), Some(3));
        assert!(cache.same_content("a.rs", 43).is_none());
    }

    #[test]
    fn a_run_on_other_files_reads_a_files_outline_and_keeps_its_bodies() {
        let dir = tempfile::tempdir().unwrap();
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let source = "macro_rules! m { () => {} }\nfn f(s: S) -> u8 { m!(); s.go(1); ee::sso::login() }\n";
        let parsed = crate::parse::parse(source).file.syntax;
        let (rel, mut first) = entry(&file("a.rs", 3, old), 42);
        first.index = Some(FileData::parsed("a.rs".into(), parsed.clone(), Vec::new(), None));
        at(dir.path(), 7).save(&mut [(rel.clone(), first)], SystemTime::now()).unwrap();
        let written = |data: &FileData| format!("{:?}", data.whole().syntax);
        let paths = |data: &FileData| data.syntax.refs.iter().map(|r| r.segments.join("::")).collect::<Vec<_>>();

        // A run that does not report on the file: the macro path only.
        let cache = reload(dir.path(), 7);
        let outline = cache.take_index("a.rs", Need::Outline).unwrap();
        assert!(outline.bodies.is_none());
        assert_eq!(paths(&outline.whole()), ["m"]);
        assert!(outline.syntax.method_calls.is_empty() && outline.syntax.calls.is_empty());
        // A run that does: everything, as parsed.
        let whole = cache.take_index("a.rs", Need::Whole).unwrap();
        assert_eq!(paths(&whole), ["m"], "the bodies stay encoded until the file is checked");
        assert_eq!(written(&whole), format!("{parsed:?}"));
        assert!(paths(&whole.whole()).contains(&"ee::sso::login".to_owned()));

        // Saving the outline back (the content is unchanged) keeps the bodies.
        let (rel, mut again) = entry(&file("a.rs", 3, old), 42);
        again.index = Some(outline);
        let mut changed = again.clone();
        // Large enough a change that the cache is written again.
        changed.len = 1 << 20;
        let writable = Cache { path: Some(dir.path().join("index.bin")), ..reload(dir.path(), 7) };
        writable.save(&mut [(rel, changed)], SystemTime::now()).unwrap();
        let whole = reload(dir.path(), 7).take_index("a.rs", Need::Whole).unwrap();
        assert_eq!(written(&whole), format!("{parsed:?}"));
        // An outline of content the cache does not know is not stored.
        let (rel, mut unknown) = entry(&file("a.rs", 3, old), 43);
        unknown.index = again.index;
        at(dir.path(), 7).save(&mut [(rel, unknown)], SystemTime::now()).unwrap();
        assert!(reload(dir.path(), 7).take_index("a.rs", Need::Outline).is_none());
    }

    #[test]
    fn a_few_changed_bytes_leave_a_large_cache_unwritten_and_are_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let files: Vec<FileEntry> = (0..400).map(|i| file(&format!("f{i}.rs"), 100, old)).collect();
        let entries = |changed: usize| -> Vec<(String, CacheEntry)> {
            files.iter().enumerate().map(|(i, f)| entry(f, if i < changed { 2 } else { 1 })).collect()
        };
        at(dir.path(), 7).save(&mut entries(0), SystemTime::now()).unwrap();
        let written = std::fs::read(dir.path().join("index.bin")).unwrap();
        let loaded = || Cache { path: Some(dir.path().join("index.bin")), ..reload(dir.path(), 7) };
        // One file of 400 changed: writing the cache costs more than reading
        // that file again next time.
        loaded().save(&mut entries(1), SystemTime::now()).unwrap();
        assert_eq!(std::fs::read(dir.path().join("index.bin")).unwrap(), written);
        let cache = reload(dir.path(), 7);
        assert!(cache.same_content("f0.rs", 2).is_none(), "the changed file is not taken from the cache");
        assert!(cache.same_content("f1.rs", 1).is_some());
        // Half of them: written.
        loaded().save(&mut entries(200), SystemTime::now()).unwrap();
        assert!(reload(dir.path(), 7).same_content("f0.rs", 2).is_some());
    }

    #[test]
    fn a_file_modified_just_before_the_write_is_always_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        at(dir.path(), 7).save(&mut [entry(&file("a.rs", 3, now), 42)], now).unwrap();
        let cache = reload(dir.path(), 7);
        assert!(cache.unchanged(&file("a.rs", 3, now)).is_none());
        assert!(cache.same_content("a.rs", 42).is_some());
    }

    #[test]
    fn a_cache_read_beside_the_run_gives_the_entries_of_its_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("Cargo.toml"), "[workspace]\n").unwrap();
        std::fs::create_dir_all(root.join("target")).unwrap();
        std::fs::write(root.join("target/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n").unwrap();
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        Cache::unread(root, 7, None).save(&mut [entry(&file("a.rs", 3, old), 42)], SystemTime::now()).unwrap();
        assert!(root.join("target/corefence/index.bin").is_file());
        let mut same = Cache::unread(root, 7, Prefetch::start(root));
        same.read();
        assert_eq!(same.same_content("a.rs", 42).map(|e| e.len), Some(3));
        // The manifests changed since: the entries are of another key.
        let mut other = Cache::unread(root, 8, Prefetch::start(root));
        other.read();
        assert!(other.same_content("a.rs", 42).is_none());
        // Nothing stored yet: nothing read, and no error.
        std::fs::remove_file(root.join("target/corefence/index.bin")).unwrap();
        let mut none = Cache::unread(root, 7, Prefetch::start(root));
        none.read();
        assert!(none.entries.is_empty());
    }

    #[test]
    fn another_key_or_a_corrupt_file_is_an_empty_cache() {
        let dir = tempfile::tempdir().unwrap();
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        at(dir.path(), 7).save(&mut [entry(&file("a.rs", 3, old), 42)], SystemTime::now()).unwrap();
        assert!(reload(dir.path(), 8).entries.is_empty());
        std::fs::write(dir.path().join("index.bin"), b"\xff\xff\xff garbage").unwrap();
        assert!(reload(dir.path(), 7).entries.is_empty());
    }

    #[test]
    fn the_same_time_with_another_inode_or_status_change_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        at(dir.path(), 7).save(&mut [entry(&file("a.rs", 3, old), 42)], SystemTime::now()).unwrap();
        let cache = reload(dir.path(), 7);
        // `cp -p` or `tar --mtime` keep the modification time: the inode or
        // the status-change time still differ.
        let mut copied = file("a.rs", 3, old);
        copied.stamp.as_mut().unwrap().inode = 8;
        assert!(cache.unchanged(&copied).is_none());
        let mut touched = file("a.rs", 3, old);
        touched.stamp.as_mut().unwrap().changed.0 += 1;
        assert!(cache.unchanged(&touched).is_none());
    }

    #[test]
    fn a_flipped_byte_empties_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        at(dir.path(), 7).save(&mut [entry(&file("a.rs", 3, old), 42)], SystemTime::now()).unwrap();
        let path = dir.path().join("index.bin");
        let good = std::fs::read(&path).unwrap();
        for at in 0..good.len() {
            let mut bad = good.clone();
            bad[at] ^= 0x10;
            std::fs::write(&path, &bad).unwrap();
            let entries = reload(dir.path(), 7).entries;
            assert!(entries.is_empty() || entries.get("a.rs").is_some_and(|e| e.hash == 42), "byte {at}");
        }
    }

    #[test]
    fn runs_at_the_same_time_leave_a_whole_cache() {
        let dir = tempfile::tempdir().unwrap();
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        std::thread::scope(|scope| {
            for t in 0..8u64 {
                let root = dir.path();
                scope.spawn(move || {
                    for i in 0..20u64 {
                        let mut files: Vec<_> =
                            (0..50).map(|f| entry(&file(&format!("f{f}.rs"), 3, old), t * 1000 + i)).collect();
                        at(root, 7).save(&mut files, SystemTime::now()).unwrap();
                    }
                });
            }
        });
        assert_eq!(reload(dir.path(), 7).entries.len(), 50);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers, [std::ffi::OsString::from("index.bin")]);
    }

    #[test]
    fn old_caches_in_the_user_folder_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join("0000000000000001.bin");
        let fresh = dir.path().join("0000000000000002.bin");
        let unrelated = dir.path().join("notes.txt");
        for p in [&stale, &fresh, &unrelated] {
            std::fs::write(p, b"x").unwrap();
        }
        let long_ago = SystemTime::now() - PRUNE_AFTER - Duration::from_mins(1);
        std::fs::File::options().write(true).open(&stale).unwrap().set_modified(long_ago).unwrap();
        std::fs::File::options().write(true).open(&unrelated).unwrap().set_modified(long_ago).unwrap();
        let current = dir.path().join("0000000000000003.bin");
        prune(dir.path(), &current);
        assert!(!stale.exists() && fresh.exists() && unrelated.exists());
    }
}
