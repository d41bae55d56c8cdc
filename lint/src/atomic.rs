//! How corefence replaces a file it writes (`check --fix`, `init`,
//! `install-hook`): the new content goes to a temporary file beside it,
//! created with its final permissions, and is renamed over the path. Readers
//! see the old file or the new one, never a mix, and a rename replaces a link
//! instead of writing through it.
//!
//! Temporary files are named `.corefence-<pid>-<random>.tmp`, so that one a
//! killed run left behind is recognisable by name: the walk never checks one,
//! and `--fix` removes the leftovers of other processes in each folder it
//! writes to (see [`sweep`]).

use std::collections::BTreeSet;
use std::fs::{self, Permissions};
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

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
