//! The walk's result kept between runs: which files and links the working
//! tree has, and the stamp of every folder the walk listed. A folder's
//! stamp changes whenever an entry is added to it, removed or renamed (and
//! a file saved through a temporary file is renamed into place), so when
//! every folder and every ignore file has the stamp recorded, the walk
//! would find the same files: a run then stats its folders and the files it
//! checks instead of listing and matching the whole tree, as git's
//! untracked cache does.
//!
//! What steers the walk besides the folders is recorded with them: each
//! `.gitignore` the walk found; the `.gitignore`, `.git` and
//! `.git/info/exclude` of the folders above the root; the
//! `.git/info/exclude` of every repository below it; the global excludes
//! file git's configuration names (or its absence); and the tag that marks
//! each Cargo build folder the walk skips. A folder or ignore file changed
//! within [`RACY`](super::RACY) of the walk is not trusted (a change in the
//! same tick could keep its stamp), and a walk that could not read
//! everything is not kept: the next run walks again.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::workspace::{Discovered, FileEntry, Stamp};

/// The stored listing.
#[derive(Serialize, Deserialize)]
struct Record {
    /// [`super::key`] of the root: this binary, this workspace.
    key: u64,
    /// The global excludes file git's configuration names, if any.
    excludes: Option<PathBuf>,
    /// Every folder listed, relative to the root.
    folders: Vec<(String, Stamp)>,
    /// Every file steering the walk's ignore rules, absent ones as `None`.
    sources: Vec<(PathBuf, Option<Stamp>)>,
    /// The files found, relative to the root, sorted.
    files: Vec<String>,
    /// The links found and what they name.
    links: Vec<(String, String)>,
    /// What git answered about the tracked files the walk did not find.
    ignored: Ignored,
}

/// The tracked files a walk did not find, and which of them git's ignore
/// rules match (files added with `git add -f`, which a commit carries):
/// the answer holds while the ignore rules and the files asked about are
/// the same.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Ignored {
    /// The tracked files the walk did not find.
    pub asked: Vec<String>,
    /// Those git's ignore rules match.
    pub ignored: Vec<String>,
}

/// Where the listing of the workspace whose index cache is at `index`
/// lives: beside it.
pub fn location(index: &Path) -> PathBuf {
    let stem = index.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    index.with_file_name(format!("{stem}-listing.bin"))
}

fn key(root: &Path) -> u64 {
    super::key([root.as_os_str().as_encoded_bytes()])
}

fn stamp(path: &Path) -> Option<Stamp> {
    std::fs::symlink_metadata(path).ok().as_ref().and_then(Stamp::of)
}

/// The files outside the listed folders, and the ignore files inside them,
/// whose content decides what the walk of `root` skips.
fn sources(root: &Path, found: &Discovered, excludes: Option<&PathBuf>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = excludes.into_iter().cloned().collect();
    for dir in root.ancestors().skip(1) {
        out.push(dir.join(".gitignore"));
        out.push(dir.join(".git"));
        out.extend(git_exclude(dir));
    }
    for rel in &found.skipped {
        let (holder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        if name == ".git" {
            out.extend(git_exclude(&root.join(holder)));
        } else {
            // A build folder is skipped while cargo's tag marks it.
            out.push(root.join(rel).join("CACHEDIR.TAG"));
        }
    }
    let ignore_files = found.files.iter().filter(|f| f.rel == ".gitignore" || f.rel.ends_with("/.gitignore"));
    out.extend(ignore_files.map(|f| root.join(&f.rel)));
    out
}

/// The `info/exclude` file of the repository whose `.git` is in `dir`: in
/// the `.git` folder, or in the common folder of a linked worktree, whose
/// `.git` file names its folder.
fn git_exclude(dir: &Path) -> Option<PathBuf> {
    let dot_git = dir.join(".git");
    let meta = std::fs::symlink_metadata(&dot_git).ok()?;
    if meta.is_dir() {
        return Some(dot_git.join("info").join("exclude"));
    }
    let pointer = std::fs::read_to_string(&dot_git).ok()?;
    let git_dir = dir.join(pointer.strip_prefix("gitdir:")?.trim());
    let common = match std::fs::read_to_string(git_dir.join("commondir")) {
        Ok(common) => git_dir.join(common.trim()),
        Err(_) => git_dir,
    };
    Some(common.join("info").join("exclude"))
}

/// The files and links of `root` as the listing at `path` recorded them,
/// stated afresh where `checked`, with git's answer about the tracked files
/// among them; `None` when there is no listing for this workspace, or
/// anything that steers the walk changed.
pub fn reuse(
    path: &Path,
    root: &Path,
    checked: &(dyn Fn(&str) -> bool + Sync),
) -> Option<(Discovered, Option<Ignored>)> {
    let body = super::read_checked(path)?;
    let record: Record = postcard::from_bytes(&body).ok()?;
    // Only paths a walk of `root` can give: none leaves it.
    let inside = |rel: &String| !rel.starts_with('/') && !rel.split('/').any(|part| part == "..");
    let paths_inside = record.files.iter().chain(record.folders.iter().map(|(rel, _)| rel)).all(inside);
    if record.key != key(root) || !paths_inside {
        return None;
    }
    let same_excludes = record.excludes == ignore::gitignore::gitconfig_excludes_path();
    let folders_same = || record.folders.par_iter().all(|(rel, s)| stamp(&root.join(rel)) == Some(*s));
    let sources_same = || record.sources.par_iter().all(|(p, s)| stamp(p) == *s);
    if !same_excludes || !folders_same() || !sources_same() {
        return None;
    }
    let files = record
        .files
        .into_par_iter()
        .map(|rel| {
            let abs = root.join(&rel);
            if !checked(&rel) {
                return Some(FileEntry { rel, abs, len: 0, stamp: None });
            }
            // A file replaced by a folder or a link changed its folder.
            let meta = std::fs::symlink_metadata(&abs).ok().filter(|m| m.file_type().is_file())?;
            let stamp = Stamp::of(&meta);
            Some(FileEntry { rel, abs, len: meta.len(), stamp })
        })
        .collect::<Option<Vec<FileEntry>>>()?;
    let folders = record.folders.into_iter().map(|(rel, s)| (rel, Some(s))).collect();
    let found = Discovered { files, diagnostics: Vec::new(), links: record.links, folders, skipped: Vec::new() };
    Some((found, Some(record.ignored)))
}

/// Stores what the walk of `root`, begun at `started`, found. Not stored
/// (and a stored listing removed) when the walk could not read everything,
/// or a folder or ignore file changed too recently for its stamp to tell a
/// later change.
pub fn save(path: &Path, root: &Path, found: &Discovered, ignored: Ignored, started: std::time::SystemTime) {
    let record = trusted(root, found, ignored, started);
    let written = record
        .as_ref()
        .is_some_and(|record| postcard::to_stdvec(record).is_ok_and(|body| super::write_checked(path, &body).is_ok()));
    if !written {
        let _ = std::fs::remove_file(path);
    }
}

/// The record of a walk whose every stamp can be trusted.
fn trusted(root: &Path, found: &Discovered, ignored: Ignored, started: std::time::SystemTime) -> Option<Record> {
    if !found.diagnostics.is_empty() || found.folders.is_empty() {
        return None;
    }
    let racy_after = super::racy_after(started);
    let settled = |s: Stamp| (s.modified.0 < racy_after).then_some(s);
    let folders =
        found.folders.iter().map(|(rel, s)| Some((rel.clone(), settled((*s)?)?))).collect::<Option<Vec<_>>>()?;
    let excludes = ignore::gitignore::gitconfig_excludes_path();
    let sources = sources(root, found, excludes.as_ref())
        .into_iter()
        .map(|p| match stamp(&p) {
            Some(s) => Some((p, Some(settled(s)?))),
            None => Some((p, None)),
        })
        .collect::<Option<Vec<_>>>()?;
    let files = found.files.iter().map(|f| f.rel.clone()).collect();
    Some(Record { key: key(root), excludes, folders, sources, files, links: found.links.clone(), ignored })
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::time::{Duration, SystemTime};

    use super::{reuse, save, Ignored};
    use crate::workspace::{discover, Discovered};

    /// A walk begun a few seconds from now: what was just written counts as
    /// settled, as it would for a walk that long after the writes.
    fn later() -> SystemTime {
        SystemTime::now() + Duration::from_secs(5)
    }

    fn walked(root: &Path) -> Discovered {
        discover(root, 1, &|_| true)
    }

    fn rels(found: &Discovered) -> Vec<(&str, u64)> {
        found.files.iter().map(|f| (f.rel.as_str(), f.len)).collect()
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A workspace of `files` (path, text) in a fresh folder, and where its
    /// listing goes.
    fn workspace(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let (root, at) = (dir.path().join("ws"), dir.path().join("listing.bin"));
        for (rel, text) in files {
            write(&root, rel, text);
        }
        (dir, root, at)
    }

    #[test]
    fn a_listing_serves_while_no_folder_or_ignore_rule_changes() {
        let (_dir, root, at) = workspace(&[
            ("Cargo.toml", "[package]\nname = \"a\"\n"),
            ("src/lib.rs", "mod m;\n"),
            ("src/m/mod.rs", ""),
            ("gen/out.rs", ""),
            (".gitignore", "/gen/\n"),
        ]);
        let first = walked(&root);
        save(&at, &root, &first, Ignored::default(), later());
        let (reused, ignored) = reuse(&at, &root, &|_| true).expect("nothing changed");
        assert_eq!(rels(&reused), rels(&first));
        assert!(reused.files.iter().zip(&first.files).all(|(a, b)| a.stamp == b.stamp));
        assert_eq!(ignored.unwrap().asked, Vec::<String>::new());
        // A file edited in place is listed with its new size.
        write(&root, "src/lib.rs", "mod m;\nfn f() {}\n");
        let (edited, _) = reuse(&at, &root, &|_| true).expect("no folder changed");
        assert_eq!(rels(&edited), rels(&walked(&root)));
        // A new file changes its folder: the tree is walked again.
        write(&root, "src/m/new.rs", "");
        assert!(reuse(&at, &root, &|_| true).is_none(), "a new file must not be missed");
        save(&at, &root, &walked(&root), Ignored::default(), later());
        assert!(reuse(&at, &root, &|_| true).is_some());
        // An ignore rule edited in place changes no folder, but its file.
        std::fs::write(root.join(".gitignore"), "/target/\n").unwrap();
        assert!(reuse(&at, &root, &|_| true).is_none(), "an edited .gitignore must be read");
        assert!(walked(&root).files.iter().any(|f| f.rel == "gen/out.rs"));
    }

    #[test]
    fn a_repositorys_exclude_file_steers_the_listing_too() {
        let (_dir, root, at) =
            workspace(&[("src/lib.rs", ""), ("scratch/notes.rs", ""), (".git/info/exclude", "/scratch/\n")]);
        let first = walked(&root);
        assert!(!first.files.iter().any(|f| f.rel.starts_with("scratch/")));
        save(&at, &root, &first, Ignored::default(), later());
        assert!(reuse(&at, &root, &|_| true).is_some());
        std::fs::write(root.join(".git/info/exclude"), "# nothing\n").unwrap();
        assert!(reuse(&at, &root, &|_| true).is_none(), "an edited exclude file must be read");
    }

    #[test]
    fn a_listing_naming_a_path_outside_the_root_is_not_trusted() {
        let (dir, root, at) = workspace(&[("src/lib.rs", "")]);
        write(dir.path(), "outside.rs", "");
        let mut found = walked(&root);
        save(&at, &root, &found, Ignored::default(), later());
        assert!(reuse(&at, &root, &|_| true).is_some());
        // The same listing with a file outside the root, its key and
        // checksum right: nothing from it is used.
        found.files.push(crate::workspace::FileEntry {
            rel: "../outside.rs".into(),
            abs: root.join("../outside.rs"),
            len: 0,
            stamp: None,
        });
        save(&at, &root, &found, Ignored::default(), later());
        assert!(at.exists());
        assert!(reuse(&at, &root, &|_| true).is_none());
    }

    #[test]
    fn a_walk_of_folders_changed_just_now_is_not_kept() {
        let (_dir, root, at) = workspace(&[("src/lib.rs", "")]);
        save(&at, &root, &walked(&root), Ignored::default(), later());
        assert!(reuse(&at, &root, &|_| true).is_some());
        // A walk right after a change: a second change within the clock's
        // tick could keep the folder's stamp, so the listing is dropped.
        save(&at, &root, &walked(&root), Ignored::default(), SystemTime::now());
        assert!(!at.exists());
        // A damaged listing is never trusted.
        save(&at, &root, &walked(&root), Ignored::default(), later());
        let mut bytes = std::fs::read(&at).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&at, bytes).unwrap();
        assert!(reuse(&at, &root, &|_| true).is_none());
    }
}
