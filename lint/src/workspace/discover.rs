//! Finding the files to check: ignore's parallel walker, honouring
//! `.gitignore` (also outside a git checkout, as ripgrep and ruff do), never
//! descending into `.git` or a Cargo `target/` folder, never following links.
//! A symbolic link is recorded with what it names (rustc reads a module
//! file through a link), and never read or written through.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use ignore::{WalkBuilder, WalkState};

use crate::diagnostic::{Diagnostic, SourceFile};

/// One file found by the walker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Relative to the root, `/`-separated.
    pub rel: String,
    /// Absolute (or root-joined) path to read.
    pub abs: PathBuf,
    /// Size in bytes when walked.
    pub len: u64,
    /// What identifies this version of the file without reading it (for
    /// the index cache); `None` when unknown.
    pub stamp: Option<Stamp>,
}

/// What identifies one version of a file without reading it, as git's index
/// records it: modification and status-change times, inode and device. A
/// tool can set a file's modification time back (`touch -d`, `cp -p`,
/// `tar --mtime`), but not its status-change time, and a new file gets a
/// new inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    /// Modification time: seconds and nanoseconds since the epoch.
    pub modified: (u64, u32),
    /// Status-change time (ctime), where the platform has one.
    pub changed: (i64, i64),
    /// Inode number, where the platform has one.
    pub inode: u64,
    /// Device number, where the platform has one.
    pub device: u64,
}

impl Stamp {
    /// The stamp of a file's metadata.
    pub fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        let modified = (modified.as_secs(), modified.subsec_nanos());
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(Stamp { modified, changed: (meta.ctime(), meta.ctime_nsec()), inode: meta.ino(), device: meta.dev() })
        }
        #[cfg(not(unix))]
        {
            Some(Stamp { modified, changed: (0, 0), inode: 0, device: 0 })
        }
    }
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Files, sorted by relative path.
    pub files: Vec<FileEntry>,
    /// Entries the walker could not read (permission denied, link loops).
    pub diagnostics: Vec<Diagnostic>,
    /// Symbolic links: the link, relative to the root, and what it names
    /// (relative to the root, `.` and `..` resolved); links that leave the
    /// root are left out.
    pub links: Vec<(String, String)>,
    /// Every folder the walk listed, with its stamp: a folder's stamp
    /// changes when an entry is added to it, removed or renamed, so the same
    /// stamps mean the same files ([`crate::cache::listing`]). Empty when
    /// the files came from elsewhere.
    pub folders: Vec<(String, Option<Stamp>)>,
    /// The `.git` entries and Cargo build folders the walk did not enter.
    pub skipped: Vec<String>,
}

/// A relative path with `/` separators, whatever the platform.
pub fn slash_path(p: &Path) -> String {
    // The common case, once per file of the walk: already `/`-separated, no `.` parts.
    if std::path::MAIN_SEPARATOR == '/' {
        if let Some(s) =
            p.to_str().filter(|s| !s.starts_with("./") && !s.contains("/./") && !s.contains("//") && !s.ends_with("/."))
        {
            return s.trim_end_matches('/').to_owned();
        }
    }
    let parts: Vec<String> = p.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.join("/")
}

/// Whether a folder is a Cargo build folder: named `target` and marked by
/// cargo's `CACHEDIR.TAG`, or sitting beside a Cargo.toml. A source module
/// folder that happens to be called `target` is still walked.
fn is_build_dir(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "target")
        && (path.join("CACHEDIR.TAG").exists() || path.parent().is_some_and(|p| p.join("Cargo.toml").exists()))
}

/// Walks `root` with `jobs` threads.
pub fn discover(root: &Path, jobs: usize, wants_meta: &(dyn Fn(&str) -> bool + Sync)) -> Discovered {
    let found = Arc::new(Mutex::new(Discovered::default()));
    let skipped = Arc::clone(&found);
    let top = root.to_path_buf();
    let walker = WalkBuilder::new(root)
        .hidden(false)
        // Only git's ignore rules: an `.ignore` file (ripgrep's) is not
        // git's, so the files it names are still committed and checked.
        .ignore(false)
        .require_git(false)
        .follow_links(false)
        .threads(jobs)
        .filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            let git = e.file_name() == ".git";
            let skip = is_dir && (git || is_build_dir(e.path()));
            if git || skip {
                let rel = slash_path(e.path().strip_prefix(&top).unwrap_or(e.path()));
                skipped.lock().unwrap_or_else(PoisonError::into_inner).skipped.push(rel);
            }
            !skip
        })
        .build_parallel();
    walker.run(|| {
        let found = Arc::clone(&found);
        let root = root.to_path_buf();
        Box::new(move |entry| {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_dir()) => {
                    let rel = slash_path(e.path().strip_prefix(&root).unwrap_or(e.path()));
                    let stamp = e.metadata().ok().as_ref().and_then(Stamp::of);
                    found.lock().unwrap_or_else(PoisonError::into_inner).folders.push((rel, stamp));
                }
                // A temporary file of corefence's own (a fix killed half-way
                // leaves one) is never checked: it is not the user's code.
                Ok(e) if e.file_name().to_str().is_some_and(crate::atomic::is_temp_name) => {}
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                    let rel = slash_path(e.path().strip_prefix(&root).unwrap_or(e.path()));
                    // A stat per file is most of the walk's cost: only for files that are checked.
                    let meta = if wants_meta(&rel) { e.metadata().ok() } else { None };
                    let len = meta.as_ref().map_or(0, std::fs::Metadata::len);
                    let stamp = meta.as_ref().and_then(Stamp::of);
                    let file = FileEntry { rel, abs: e.path().to_path_buf(), len, stamp };
                    found.lock().unwrap_or_else(PoisonError::into_inner).files.push(file);
                }
                Ok(e) if e.path_is_symlink() => {
                    let rel = slash_path(e.path().strip_prefix(&root).unwrap_or(e.path()));
                    if let Some(target) = link_target(&root, &rel, e.path()) {
                        found.lock().unwrap_or_else(PoisonError::into_inner).links.push((rel, target));
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    let rel = error_path(&err)
                        .map_or_else(|| ".".to_owned(), |p| slash_path(p.strip_prefix(&root).unwrap_or(p)));
                    let file = Arc::new(SourceFile::new(rel.clone(), ""));
                    found.lock().unwrap_or_else(PoisonError::into_inner).diagnostics.push(Diagnostic::unreadable(
                        &file,
                        format!("cannot walk {rel}: {}", root_cause(&err)),
                        "fix the permissions or the link, or add the path to .gitignore",
                    ));
                }
            }
            WalkState::Continue
        })
    });
    let mut found =
        Arc::try_unwrap(found).map(|m| m.into_inner().unwrap_or_else(PoisonError::into_inner)).unwrap_or_default();
    found.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    found.links.sort();
    found.folders.sort_by(|a, b| a.0.cmp(&b.0));
    found.skipped.sort();
    found
}

/// What the link at `rel` names, relative to `root`; `None` when it leaves
/// the root or cannot be read.
fn link_target(root: &Path, rel: &str, path: &Path) -> Option<String> {
    let target = std::fs::read_link(path).ok()?;
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    if target.is_absolute() {
        let inside = target.strip_prefix(root).ok()?;
        return super::join("", &slash_path(inside));
    }
    super::join(dir, &slash_path(&target))
}

fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

fn root_cause(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => root_cause(err),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn honours_gitignore_and_skips_build_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "Cargo.toml",
            "src/lib.rs",
            "target/debug/x.rs",
            "src/target/mod.rs",
            "gen/skip.rs",
            ".git/HEAD",
            "src/.corefence-41-k2Jd8aQz.tmp",
        ] {
            crate::testing::write(root, f, "");
        }
        std::fs::write(root.join(".gitignore"), "gen/\n").unwrap();
        let found = discover(root, 2, &|_| true);
        let rels: Vec<_> = found.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, [".gitignore", "Cargo.toml", "src/lib.rs", "src/target/mod.rs"]);
    }
}
