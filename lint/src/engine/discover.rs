//! Stage 0, discover: where the workspace is (its root and configuration),
//! where its files come from (the working tree, git's index with
//! `--staged`, or memory) and which files there are.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{Fatal, Options};
use crate::config::{self, Config, Root};
use crate::workspace::{slash_path, Discovered, FileEntry};

/// Where the files come from: the working tree (`None`), git's index with
/// `--staged`, or memory; and the root.
pub(super) fn origin(options: &Options, start: &Path) -> Result<(Root, Option<crate::git::StagedView>), Fatal> {
    if let Some(files) = &options.memory {
        let config_file = files.contains_key(config::FILE_NAME).then(|| start.join(config::FILE_NAME));
        let view = crate::git::StagedView {
            files: files.keys().cloned().collect(),
            staged: Vec::new(),
            content: files.clone(),
        };
        return Ok((Root { dir: start.to_path_buf(), config_file }, Some(view)));
    }
    let root = find_root(options, start)?;
    let staged = if options.staged {
        Some(crate::git::staged_view(&root.dir).map_err(|e| Fatal::Io(e.to_string()))?)
    } else {
        None
    };
    Ok((root, staged))
}

/// Finds the root: from the first path asked about (so that `corefence
/// check fixtures/demo` finds the demo's own config), else from `start`.
/// Every path must lie in that root's workspace: paths in two workspaces
/// are two runs. `--config` names the configuration file only.
fn find_root(options: &Options, start: &Path) -> Result<Root, Fatal> {
    let asked: Vec<PathBuf> = options.paths.iter().map(|p| absolute(&start.join(p))).collect();
    for p in &asked {
        if std::fs::symlink_metadata(p).is_err() {
            return Err(Fatal::Io(format!("{}: no such file or folder", p.display())));
        }
    }
    let root_of = |p: &Path| config::discover_root(if p.is_dir() { p } else { p.parent().unwrap_or(p) });
    let mut root = asked.first().map_or_else(|| config::discover_root(start), |p| root_of(p));
    for p in asked.iter().skip(1) {
        let other = root_of(p);
        if other.dir != root.dir {
            return Err(Fatal::Io(format!(
                "{} belongs to the workspace at {}, not to the one at {} like {}: check each workspace in its own run",
                p.display(),
                other.dir.display(),
                root.dir.display(),
                asked.first().map_or_else(String::new, |f| f.display().to_string()),
            )));
        }
    }
    if let Some(file) = &options.config {
        root.config_file = Some(absolute(&start.join(file)));
    }
    Ok(root)
}

/// Loads the root's configuration (from git's index with `--staged`, when
/// it is there), or the embedded default.
/// The configuration: `text` when given (`init`'s dry run), else the file
/// root discovery found, else the embedded defaults.
pub(super) fn load_config(
    root: &Root,
    text: Option<&str>,
    read_rel: &dyn Fn(&str) -> std::io::Result<Vec<u8>>,
) -> Result<Config, Fatal> {
    if let Some(text) = text {
        return config::from_str(config::FILE_NAME, text)
            .map_err(|errors| Fatal::Config { root: root.dir.clone(), errors });
    }
    let Some(file) = &root.config_file else { return Ok(Config::embedded()) };
    let rel = file.strip_prefix(&root.dir).ok().map(slash_path);
    let display = rel.clone().unwrap_or_else(|| file.display().to_string());
    let bytes = match rel {
        Some(rel) => read_rel(&rel),
        None => std::fs::read(file),
    };
    config::load_bytes(&display, bytes).map_err(|errors| Fatal::Config { root: root.dir.clone(), errors })
}

/// The files of the working tree: the walk (or the listing of the last one,
/// at `listing`, when nothing that steers it changed), plus files git
/// tracks that an ignore rule hides from it (a commit carries them all the
/// same).
fn walked_files(walk: &Walk<'_>, checked: &(dyn Fn(&str) -> bool + Sync)) -> Discovered {
    use crate::cache::listing;
    let root = walk.root;
    // git lists the tracked files while the walk runs: it waits on its own process.
    let ((mut found, answered), tracked) = std::thread::scope(|s| {
        let tracked = s.spawn(|| crate::git::tracked(root));
        let reused = walk.listing.as_deref().and_then(|at| listing::reuse(at, root, checked));
        let found = reused.unwrap_or_else(|| (crate::workspace::discover(root, walk.jobs, checked), None));
        (found, tracked.join().unwrap_or_default())
    });
    // Only a tracked file the walk did not find can be one it was told to
    // skip: git is asked which of those its ignore rules match, unless the
    // listing reused holds its answer for the same files.
    let known: BTreeSet<&str> = found.files.iter().map(|f| f.rel.as_str()).collect();
    let unseen: Vec<String> = tracked.into_iter().filter(|rel| !known.contains(rel.as_str())).collect();
    let walked = answered.is_none();
    let ignored = match answered {
        Some(answer) if answer.asked == unseen => answer.ignored,
        _ => crate::git::tracked_but_ignored(root, &unseen),
    };
    let extra: Vec<FileEntry> = ignored
        .iter()
        .filter(|rel| !known.contains(rel.as_str()))
        .filter_map(|rel| file_entry(root, rel, checked))
        .collect();
    if let Some(at) = walk.listing.as_deref().filter(|_| walked) {
        listing::save(at, root, &found, listing::Ignored { asked: unseen, ignored }, walk.started);
    }
    if !extra.is_empty() {
        found.files.extend(extra);
        found.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    }
    found
}

/// The unsaved buffers of files in the workspace at `root`, by relative
/// path; `None` when there are none.
pub(super) fn unsaved(
    root: &Path,
    buffers: &std::collections::BTreeMap<PathBuf, Vec<u8>>,
) -> Option<std::collections::BTreeMap<String, Vec<u8>>> {
    let inside: std::collections::BTreeMap<String, Vec<u8>> = buffers
        .iter()
        .filter_map(|(path, bytes)| Some((slash_path(absolute(path).strip_prefix(root).ok()?), bytes.clone())))
        .filter(|(rel, _)| !rel.is_empty())
        .collect();
    (!inside.is_empty()).then_some(inside)
}

/// How the working tree is walked.
pub(super) struct Walk<'a> {
    /// The workspace root.
    root: &'a Path,
    /// Threads.
    jobs: usize,
    /// Where the listing of the last walk is kept, when the run caches.
    listing: Option<PathBuf>,
    /// When the walk began.
    started: std::time::SystemTime,
}

impl<'a> Walk<'a> {
    /// The walk of `root` begun at `started`, with the listing of the last
    /// one when the run caches.
    pub fn new(root: &'a Path, jobs: usize, caching: bool, started: std::time::SystemTime) -> Walk<'a> {
        let listing = caching.then(|| crate::cache::location(root)).flatten();
        Walk { root, jobs, listing: listing.as_deref().map(crate::cache::listing::location), started }
    }
}

/// The files a run checks: git's index with `--staged` (`staged`), else the
/// walk's, with an editor's `unsaved` buffers.
pub(super) fn files(
    walk: &Walk<'_>,
    staged: Option<&crate::git::StagedView>,
    unsaved: Option<&std::collections::BTreeMap<String, Vec<u8>>>,
    checked: &(dyn Fn(&str) -> bool + Sync),
) -> Discovered {
    match staged {
        Some(view) => index_files(walk.root, view, checked),
        None => with_unsaved(walked_files(walk, checked), unsaved),
    }
}

/// The walk's files, with the size of the unsaved buffers among them and no
/// stamp (their content is not the file's on disk). A buffer of a file the
/// walk did not find (ignored, or not saved yet) adds nothing.
fn with_unsaved(mut found: Discovered, unsaved: Option<&std::collections::BTreeMap<String, Vec<u8>>>) -> Discovered {
    for entry in &mut found.files {
        if let Some(bytes) = unsaved.and_then(|u| u.get(&entry.rel)) {
            entry.len = bytes.len() as u64;
            entry.stamp = None;
        }
    }
    found
}

/// The files of git's index, for `--staged`: exactly what a commit would hold.
fn index_files(root: &Path, view: &crate::git::StagedView, checked: &(dyn Fn(&str) -> bool + Sync)) -> Discovered {
    let files = view
        .files
        .iter()
        .filter_map(|rel| match view.content.get(rel) {
            Some(bytes) => {
                Some(FileEntry { rel: rel.clone(), abs: root.join(rel), len: bytes.len() as u64, stamp: None })
            }
            None => file_entry(root, rel, checked),
        })
        .collect();
    Discovered { files, ..Discovered::default() }
}

/// A regular file of the working tree (never a link), stated when checked.
pub(super) fn file_entry(root: &Path, rel: &str, checked: &(dyn Fn(&str) -> bool + Sync)) -> Option<FileEntry> {
    let abs = root.join(rel);
    let meta = std::fs::symlink_metadata(&abs).ok().filter(|m| m.file_type().is_file())?;
    let (len, stamp) = if checked(rel) { (meta.len(), crate::workspace::Stamp::of(&meta)) } else { (0, None) };
    Some(FileEntry { rel: rel.to_owned(), abs, len, stamp })
}

/// An absolute, `..`-free version of `p` without touching the file system
/// beyond the current directory (symlinks are kept as written).
pub(super) fn absolute(p: &Path) -> PathBuf {
    let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
