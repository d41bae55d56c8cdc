//! How corefence replaces a file it writes (`check --fix`, `init`,
//! `install-hook`): the new content goes to a temporary file beside it,
//! created with its final permissions, and is renamed over the path. Readers
//! see the old file or the new one, never a mix, and a rename replaces a link
//! instead of writing through it.
//!
//! Temporary files are named `.corefence-<pid>-<random>.tmp`, so that one a
//! killed run left behind is recognisable by name: the walk never checks one,
//! and `--fix` removes the leftovers of other processes in each folder it
//! writes to (see [`sweep`]). `--fix` replaces a user's file only while it
//! still holds what was read, and never a link or a file with several names
//! ([`replace`]).

use std::collections::BTreeSet;
use std::fs::{self, OpenOptions, Permissions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use tempfile::NamedTempFile;

const PREFIX: &str = ".corefence-";
const SUFFIX: &str = ".tmp";

/// The permissions a temporary file gets when it is created, so that its
/// content is never more exposed than the file it becomes.
#[derive(Debug, Clone)]
pub enum Mode {
    /// A new file: this unix mode, narrowed by the umask as `open` does.
    New(u32),
    /// Exactly these permissions (those of the file being replaced, or a
    /// hook's 0755). The file is created with their `rwx` bits narrowed by
    /// the umask, then given them exactly, before any byte is written.
    Exact(Permissions),
}

/// Whether a file name is one of corefence's temporary files.
pub fn is_temp_name(name: &str) -> bool {
    temp_pid(name).is_some()
}

/// The process that created the temporary file called `name`.
fn temp_pid(name: &str) -> Option<u32> {
    let middle = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (pid, random) = middle.split_once('-')?;
    let all = |s: &str, f: fn(&u8) -> bool| !s.is_empty() && s.bytes().all(|b| f(&b));
    if !all(pid, u8::is_ascii_digit) || !all(random, u8::is_ascii_alphanumeric) {
        return None;
    }
    pid.parse().ok()
}

/// The folder a file at `path` is in (`.` for a bare name): where its
/// temporary file goes, so the rename stays on one file system.
pub fn dir_of(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or_else(|| Path::new("."))
}

/// A temporary file in `dir` (see [`temp_in`]) holding `bytes`, synced to
/// disk: ready to be [`persist`]ed.
pub fn staged(dir: &Path, mode: &Mode, bytes: &[u8]) -> io::Result<NamedTempFile> {
    use std::io::Write;
    let mut temp = temp_in(dir, mode)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// A new, empty temporary file in `dir`, with the permissions `mode` asks
/// for from the moment it exists. It is removed when dropped unless
/// [`persist`]ed.
pub fn temp_in(dir: &Path, mode: &Mode) -> io::Result<NamedTempFile> {
    let prefix = format!("{PREFIX}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(SUFFIX).rand_bytes(8);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let create = match mode {
            Mode::New(bits) => *bits,
            Mode::Exact(p) => p.mode(),
        };
        builder.permissions(Permissions::from_mode(create & 0o777));
    }
    let file = builder.tempfile_in(dir)?;
    if let Mode::Exact(p) = mode {
        file.as_file().set_permissions(p.clone())?;
    }
    Ok(file)
}

/// Renames `temp` over `path`, replacing whatever is there (a link itself,
/// never its target), and makes the rename durable. On failure the
/// temporary file is removed.
pub fn persist(temp: NamedTempFile, path: &Path) -> io::Result<()> {
    temp.persist(path).map_err(|e| e.error)?;
    sync_parent(path);
    Ok(())
}

/// Like [`persist`], but fails with `AlreadyExists` when anything (a
/// dangling link included) is at `path`: `create_new` semantics.
pub fn persist_new(temp: NamedTempFile, path: &Path) -> io::Result<()> {
    temp.persist_noclobber(path).map_err(|e| e.error)?;
    sync_parent(path);
    Ok(())
}

fn sync_parent(path: &Path) {
    // The content is already in place; failing to persist the folder entry
    // is not worth reporting.
    let dir = dir_of(path);
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Removes the temporary files that other corefence processes left in
/// `dir`, once per folder per run.
///
/// Why here, and only these: a run killed during `--fix` leaves its
/// temporary file beside the file it was fixing, where `git add -A` would
/// commit it. That file was not fixed, so the next `--fix` writes to the same
/// folder and cleans up there; a plain `check` never deletes anything (it
/// only skips such files). Files of this process are in use by other fix
/// threads and are kept. A corefence fixing the same folder at this very
/// moment in another process could lose its temporary file: its rename then
/// fails and it reports the file as not fixed, with the file intact.
pub fn sweep(dir: &Path) {
    static SWEPT: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());
    if !SWEPT.lock().unwrap_or_else(PoisonError::into_inner).insert(dir.to_path_buf()) {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else { return };
    let own = std::process::id();
    for entry in entries.flatten() {
        let leftover = entry.file_name().to_str().and_then(temp_pid).is_some_and(|pid| pid != own);
        // `DirEntry::file_type` does not follow links: only regular files go.
        if leftover && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Why [`replace`] left a file as it was.
#[derive(Debug, thiserror::Error)]
pub enum ReplaceError {
    /// The file is not what the fix was computed from any more.
    #[error("changed while corefence was fixing it; run --fix again")]
    Changed,
    /// The file's permissions forbid writing it.
    #[error("read-only")]
    ReadOnly,
    /// The rename would give this name a new inode and leave the other
    /// names with the old content.
    #[error("has {0} hard links; the rename would split them")]
    HardLinks(u64),
    /// Replacing a link would break it; writing through it could write
    /// outside the tree being fixed.
    #[error("is a symbolic link; links are never written through")]
    Symlink,
    /// A folder, socket or device.
    #[error("is not a regular file")]
    NotAFile,
    /// Reading, writing or renaming failed.
    #[error("{0}")]
    Io(#[from] io::Error),
}

impl ReplaceError {
    /// What the user can do about it.
    pub fn help(&self) -> &'static str {
        match self {
            ReplaceError::Changed => "the file was left as it is now; run `corefence check --fix` again",
            ReplaceError::ReadOnly => "the file was left as it was; make it writable to let --fix change it",
            ReplaceError::HardLinks(_) => "the file was left as it was; apply the change by hand, or break the links",
            ReplaceError::Symlink => "the file was left as it was; fix the file the link points to",
            ReplaceError::NotAFile | ReplaceError::Io(_) => "the file was left as it was; check its permissions",
        }
    }
}

/// Replaces the file at `path`, whose content the fix was computed from
/// (`expected`), with `bytes`, so that readers see either the old or the
/// new content, never a mix: the bytes go to a temporary file in the same
/// folder, created with the original's permissions, synced and renamed over
/// the original.
///
/// Right before the rename the file is read again and compared with
/// `expected`, and its size, modification time, permissions and inode with
/// what they were when this started: an edit made meanwhile (an editor
/// saving, a formatter) is never overwritten, the fix is skipped instead.
///
/// Ownership and extended attributes of the original are not carried over
/// (the rename creates a new inode).
///
/// # Errors
///
/// Refuses a symlink, anything but a regular file, a read-only file and a
/// file with several hard links (the rename creates a new inode, so the
/// other names would keep the old content). Any error leaves the original
/// untouched and removes the temporary file.
pub fn replace(path: &Path, expected: &[u8], bytes: &[u8]) -> Result<(), ReplaceError> {
    replace_with(path, expected, bytes, || {})
}

/// [`replace`], running `before_last_look` once the new content is on
/// disk, just before the final comparison (tests use it to edit the file in
/// that window).
fn replace_with(
    path: &Path,
    expected: &[u8],
    bytes: &[u8],
    before_last_look: impl FnOnce(),
) -> Result<(), ReplaceError> {
    let before = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(ReplaceError::Changed),
        Err(e) => return Err(e.into()),
    };
    refuse_unsafe(path, &before)?;
    if before.len() != expected.len() as u64 {
        return Err(ReplaceError::Changed);
    }
    let dir = dir_of(path);
    sweep(dir);
    let temp = staged(dir, &Mode::Exact(before.permissions()), bytes)?;
    before_last_look();
    if !unchanged(path, &before, expected)? {
        return Err(ReplaceError::Changed);
    }
    persist(temp, path)?;
    Ok(())
}

fn refuse_unsafe(path: &Path, m: &fs::Metadata) -> Result<(), ReplaceError> {
    if m.file_type().is_symlink() {
        return Err(ReplaceError::Symlink);
    }
    if !m.is_file() {
        return Err(ReplaceError::NotAFile);
    }
    // The mode bits say read-only, or this user may not write the file (the
    // folder's write permission would let a rename replace it anyway).
    // Opening without truncating changes nothing in the file.
    let denied = |e: &io::Error| e.kind() == io::ErrorKind::PermissionDenied;
    if m.permissions().readonly() || OpenOptions::new().write(true).open(path).is_err_and(|e| denied(&e)) {
        return Err(ReplaceError::ReadOnly);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if m.nlink() > 1 {
            return Err(ReplaceError::HardLinks(m.nlink()));
        }
    }
    Ok(())
}

/// Whether the file at `path` still holds `expected` and is the same file,
/// untouched, as when `before` was taken.
fn unchanged(path: &Path, before: &fs::Metadata, expected: &[u8]) -> io::Result<bool> {
    let gone = |e: io::Error| if e.kind() == io::ErrorKind::NotFound { Ok(false) } else { Err(e) };
    match fs::read(path) {
        Ok(now) if now == expected => {}
        Ok(_) => return Ok(false),
        Err(e) => return gone(e),
    }
    let after = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) => return gone(e),
    };
    let same = after.file_type() == before.file_type()
        && after.len() == before.len()
        && after.modified().ok() == before.modified().ok()
        && after.permissions() == before.permissions();
    #[cfg(unix)]
    let same = {
        use std::os::unix::fs::MetadataExt;
        same && (after.dev(), after.ino(), after.nlink(), after.ctime(), after.ctime_nsec())
            == (before.dev(), before.ino(), before.nlink(), before.ctime(), before.ctime_nsec())
    };
    Ok(same)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn atomic_write_keeps_permissions() -> Result<(), ReplaceError> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("lib.rs");
        fs::write(&path, "old")?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o754))?;
            replace(&path, b"old", b"new")?;
            assert_eq!(fs::metadata(&path)?.permissions().mode() & 0o777, 0o754);
        }
        let current = fs::read(&path)?;
        replace(&path, &current, b"newer")?;
        assert_eq!(fs::read(&path)?, b"newer");
        assert_eq!(fs::read_dir(dir.path())?.count(), 1, "no temporary file is left behind");
        Ok(())
    }

    /// Every file in `dir`, by name.
    fn contents(dir: &Path) -> io::Result<Vec<(String, Vec<u8>)>> {
        let mut out = Vec::new();
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            out.push((entry.file_name().to_string_lossy().into_owned(), fs::read(entry.path())?));
        }
        out.sort();
        Ok(out)
    }

    #[test]
    fn atomic_write_skips_a_file_edited_since_the_fix_read_it() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("lib.rs");
        // The editor saved a new version after the fix read "fn a() {}".
        fs::write(&path, "fn b() {}\n")?;
        let err = replace(&path, b"fn a() {}\n", b"// SPDX-License-Identifier: MIT\nfn a() {}\n").err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("changed while corefence was fixing it; run --fix again")
        );
        assert_eq!(contents(dir.path())?, [("lib.rs".to_owned(), b"fn b() {}\n".to_vec())]);
        Ok(())
    }

    #[test]
    fn atomic_write_skips_a_file_edited_while_the_fix_was_written() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("lib.rs");
        fs::write(&path, "fn a() {}\n")?;
        // Same length, written while the new content was being synced.
        let err = replace_with(&path, b"fn a() {}\n", b"// new\nfn a() {}\n", || {
            let _ = fs::write(&path, "fn b() {}\n");
        })
        .err();
        assert!(matches!(err, Some(ReplaceError::Changed)), "{err:?}");
        assert_eq!(contents(dir.path())?, [("lib.rs".to_owned(), b"fn b() {}\n".to_vec())]);

        // The same bytes, but another file put in its place (a checkout, a
        // formatter writing through a rename): also left alone.
        let err = replace_with(&path, b"fn b() {}\n", b"// new\nfn b() {}\n", || {
            let other = dir.path().join("other");
            let _ = fs::write(&other, "fn b() {}\n").and_then(|()| fs::rename(&other, &path));
        })
        .err();
        assert!(matches!(err, Some(ReplaceError::Changed)), "{err:?}");
        assert_eq!(contents(dir.path())?, [("lib.rs".to_owned(), b"fn b() {}\n".to_vec())]);

        // A deleted file is not recreated.
        let err = replace_with(&path, b"fn b() {}\n", b"x", || {
            let _ = fs::remove_file(&path);
        })
        .err();
        assert!(matches!(err, Some(ReplaceError::Changed)), "{err:?}");
        assert_eq!(contents(dir.path())?, []);
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_never_exposes_a_private_file() -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("secret.rs");
        fs::write(&path, "fn key() {}\n")?;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600))?;
        let mut temp_modes = Vec::new();
        replace_with(&path, b"fn key() {}\n", b"// x\nfn key() {}\n", || {
            for entry in fs::read_dir(dir.path()).into_iter().flatten().flatten() {
                if crate::atomic::is_temp_name(&entry.file_name().to_string_lossy()) {
                    temp_modes.extend(entry.metadata().map(|m| m.permissions().mode() & 0o777));
                }
            }
        })
        .map_err(io::Error::other)?;
        assert_eq!(temp_modes, [0o600], "the new content is never readable by others");
        assert_eq!(fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_refuses_read_only_and_hard_linked_files() -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("lib.rs");
        fs::write(&path, "old")?;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444))?;
        let err = replace(&path, b"old", b"new").err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("read-only"));
        assert_eq!(fs::read(&path)?, b"old");

        fs::set_permissions(&path, fs::Permissions::from_mode(0o644))?;
        fs::hard_link(&path, dir.path().join("twin.rs"))?;
        let err = replace(&path, b"old", b"new").err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("has 2 hard links; the rename would split them"));
        assert_eq!(
            contents(dir.path())?,
            [("lib.rs".to_owned(), b"old".to_vec()), ("twin.rs".to_owned(), b"old".to_vec())]
        );
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_refuses_symlinks() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("real.rs");
        let link = dir.path().join("link.rs");
        fs::write(&target, "original")?;
        std::os::unix::fs::symlink(&target, &link)?;
        let err = replace(&link, b"original", b"new").err();
        assert!(matches!(err, Some(ReplaceError::Symlink)), "{err:?}");
        assert_eq!(fs::read(&target)?, b"original");
        assert!(fs::symlink_metadata(&link)?.file_type().is_symlink());
        Ok(())
    }

    #[test]
    fn failed_atomic_write_leaves_no_trace() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("occupied");
        fs::create_dir(&target)?;
        fs::write(target.join("keep"), "kept")?;
        assert!(matches!(replace(&target, b"", b"new"), Err(ReplaceError::NotAFile)));
        assert_eq!(fs::read(target.join("keep"))?, b"kept");
        assert_eq!(fs::read_dir(dir.path())?.count(), 1, "nothing was written");
        // A missing file is not created.
        assert!(replace(&dir.path().join("missing/x.rs"), b"", b"x").is_err());
        assert!(!dir.path().join("missing").exists());
        Ok(())
    }

    #[test]
    fn fixing_removes_what_a_killed_fix_left_behind() -> Result<(), ReplaceError> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("lib.rs");
        fs::write(&path, "fn a() {}\n")?;
        // What `kill -9` during a fix in another process leaves.
        fs::write(dir.path().join(".corefence-4000000001-Zx81kQ0p.tmp"), "// SPDX")?;
        replace(&path, b"fn a() {}\n", b"// x\nfn a() {}\n")?;
        assert_eq!(contents(dir.path())?, [("lib.rs".to_owned(), b"// x\nfn a() {}\n".to_vec())]);
        Ok(())
    }

    #[test]
    fn temp_names_are_recognised() {
        assert!(is_temp_name(".corefence-123-a1B2c3D4.tmp"));
        assert!(!is_temp_name(".corefence-.tmp"));
        assert!(!is_temp_name(".corefence-12x-abc.tmp"));
        assert!(!is_temp_name(".corefence-+12-abc.tmp"));
        assert!(!is_temp_name(".corefence-12-a_c.tmp"));
        assert!(!is_temp_name("corefence-12-abc.tmp"));
        assert!(!is_temp_name(".corefence-12-abc.tmp.rs"));
    }

    #[test]
    fn temp_files_carry_the_recognisable_name() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let temp = temp_in(dir.path(), &Mode::New(0o644))?;
        let name = temp.path().file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        assert_eq!(temp_pid(&name), Some(std::process::id()), "{name}");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_private_file_stays_private_while_written() -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let temp = temp_in(dir.path(), &Mode::Exact(Permissions::from_mode(0o600)))?;
        assert_eq!(fs::metadata(temp.path())?.permissions().mode() & 0o777, 0o600);
        Ok(())
    }

    #[test]
    fn sweep_removes_other_processes_leftovers_only() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let stale = dir.path().join(".corefence-4000000000-abcdef.tmp");
        fs::write(&stale, "half a fix")?;
        fs::write(dir.path().join("lib.rs"), "kept")?;
        let mut ours = temp_in(dir.path(), &Mode::New(0o644))?;
        ours.write_all(b"in use")?;
        sweep(dir.path());
        assert!(!stale.exists());
        assert!(ours.path().exists(), "this process's temporary file is in use");
        assert_eq!(fs::read(dir.path().join("lib.rs"))?, b"kept");
        Ok(())
    }

    #[test]
    fn persist_new_never_replaces() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("x");
        fs::write(&path, "mine")?;
        let temp = temp_in(dir.path(), &Mode::New(0o644))?;
        let err = persist_new(temp, &path).err().map(|e| e.kind());
        assert_eq!(err, Some(io::ErrorKind::AlreadyExists));
        assert_eq!(fs::read(&path)?, b"mine");
        assert_eq!(fs::read_dir(dir.path())?.count(), 1, "the temporary file was removed");
        Ok(())
    }
}
