//! `corefence install-hook`: a git pre-commit hook that runs
//! `corefence check --staged` and blocks the commit on errors.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The comment that names corefence's hook for a reader. A hook is
/// recognised as ours by its whole text, not by this line (see [`is_ours`]).
const MARKER: &str = "# corefence pre-commit hook";

/// What installing did.
#[derive(Debug, PartialEq, Eq)]
pub enum Installed {
    /// Written (or replaced with `--force`).
    Written(PathBuf),
    /// Our hook was already there.
    AlreadyThere(PathBuf),
}

/// Why the hook was not installed.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    /// Not in a git repository, or git is missing.
    #[error("cannot find the git hooks folder: {0}")]
    Git(String),
    /// Another hook is in the way.
    #[error(
        "{0} already exists and is not corefence's; add `corefence check --staged` to it yourself, or run `corefence install-hook --force` to replace it"
    )]
    Exists(PathBuf),
    /// The hook is a link (to a shared hook, or to nothing): writing through
    /// it would change a file elsewhere, maybe outside the repository.
    #[error(
        "{0} is a symbolic link{1}; corefence never writes through a link: add `corefence check --staged` to the hook it points to yourself, or run `corefence install-hook --force` to replace the link with corefence's hook"
    )]
    Symlink(PathBuf, String),
    /// Writing failed.
    #[error("cannot write {0}: {1}")]
    Io(PathBuf, std::io::Error),
}

/// The hooks folder git uses from `cwd` (honours `core.hooksPath`).
fn hooks_dir(cwd: &Path) -> Result<PathBuf, HookError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(cwd)
        .args(["rev-parse", "--git-path", "hooks"])
        .output()
        .map_err(|e| HookError::Git(e.to_string()))?;
    if !out.status.success() {
        return Err(HookError::Git(String::from_utf8_lossy(&out.stderr).trim().to_owned()));
    }
    let rel = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    Ok(tidy(&cwd.join(rel)))
}

/// `path` without `.` and `..` steps (`/repo/sub/../.git/hooks` is
/// `/repo/.git/hooks`), read as written: `cwd` has no symbolic links left
/// in it, so a `..` after a name leaves that name.
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The hook script for the binary at `exe`.
pub fn script(exe: &Path) -> String {
    // `cargo-corefence` expects the subcommand name first, as cargo passes it.
    let subcommand =
        if exe.file_name().is_some_and(|n| n.to_string_lossy().starts_with("cargo-")) { " corefence" } else { "" };
    let exe = exe.display().to_string().replace('\'', r"'\''");
    format!(
        "#!/bin/sh\n{MARKER} (written by `corefence install-hook`).\n\
         # Blocks the commit when what is staged crosses an edition boundary or\n\
         # carries the wrong license. Skip it once with `git commit --no-verify`.\n\
         exec '{exe}'{subcommand} check --staged\n"
    )
}

/// Whether `existing` is, byte for byte, a hook corefence wrote: [`script`]
/// for the binary its `exec` line names (an older install, `cargo
/// corefence`, a binary that moved). Containing the marker is not enough:
/// a user who wrote their own lines around it keeps them.
fn is_ours(existing: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(existing) else { return false };
    text.lines()
        .find_map(|line| line.strip_prefix("exec '"))
        .and_then(quoted_exe)
        .is_some_and(|exe| script(Path::new(&exe)) == text)
}

/// The path at the start of `rest`, up to its closing quote, with the
/// `'\''` escapes [`script`] writes undone.
fn quoted_exe(mut rest: &str) -> Option<String> {
    let mut exe = String::new();
    loop {
        let (part, after) = rest.split_once('\'')?;
        exe.push_str(part);
        match after.strip_prefix(r"\''") {
            Some(after_escape) => {
                exe.push('\'');
                rest = after_escape;
            }
            None => return Some(exe),
        }
    }
}

/// Installs the hook for the repository holding `cwd`.
///
/// Only a hook corefence wrote is replaced without `force`. A link is never
/// written through: with `force` the link itself is replaced by a regular
/// file (a temporary file renamed over it).
pub fn install(cwd: &Path, exe: &Path, force: bool) -> Result<Installed, HookError> {
    let dir = hooks_dir(cwd)?;
    let path = dir.join("pre-commit");
    let wanted = script(exe);
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.file_type().is_symlink() => {
            if !force {
                return Err(HookError::Symlink(path.clone(), link_target(&path)));
            }
        }
        Ok(m) if m.is_file() => {
            let existing = std::fs::read(&path).map_err(|e| HookError::Io(path.clone(), e))?;
            if existing == wanted.as_bytes() && is_executable(&m) {
                return Ok(Installed::AlreadyThere(path));
            }
            if !force && !is_ours(&existing) {
                return Err(HookError::Exists(path));
            }
        }
        Ok(_) if !force => return Err(HookError::Exists(path)),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(HookError::Io(path, e)),
    }
    std::fs::create_dir_all(&dir).map_err(|e| HookError::Io(dir.clone(), e))?;
    let io = |e| HookError::Io(path.clone(), e);
    // Executable from the moment it exists; git runs it as it is.
    let temp = crate::atomic::staged(&dir, &executable(), wanted.as_bytes()).map_err(io)?;
    crate::atomic::persist(temp, &path).map_err(io)?;
    Ok(Installed::Written(path))
}

/// ` to X`, or ` to X, which does not exist`, for the message about a link.
fn link_target(path: &Path) -> String {
    let Ok(target) = std::fs::read_link(path) else { return String::new() };
    let dangling = if path.exists() { "" } else { ", which does not exist" };
    format!(" to {}{dangling}", target.display())
}

/// 0755: executable from the moment the file exists.
fn executable() -> crate::atomic::Mode {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        crate::atomic::Mode::Exact(std::fs::Permissions::from_mode(0o755))
    }
    #[cfg(not(unix))]
    {
        crate::atomic::Mode::New(0o755)
    }
}

/// Whether git can run the hook as it is.
fn is_executable(m: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        m.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        m.is_file()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_drops_dot_steps_and_the_names_before_dot_dot() {
        assert_eq!(tidy(Path::new("/repo/sub/../.git/./hooks")), PathBuf::from("/repo/.git/hooks"));
        assert_eq!(tidy(Path::new("../up/./x")), PathBuf::from("../up/x"));
        assert_eq!(tidy(Path::new("/..")), PathBuf::from("/.."));
    }

    #[test]
    fn only_a_script_corefence_wrote_is_ours() {
        for exe in ["/usr/bin/corefence", "/home/o'brien/.cargo/bin/cargo-corefence", "C:\\x y\\corefence.exe", "''"] {
            let written = script(Path::new(exe));
            assert!(is_ours(written.as_bytes()), "{written}");
            assert!(!is_ours(format!("{written}make lint\n").as_bytes()));
            assert!(!is_ours(written.replace("#!/bin/sh\n", "#!/bin/bash\n").as_bytes()));
        }
        assert!(!is_ours(b"#!/bin/sh\n# corefence pre-commit hook\nexec make lint\n"));
        assert!(!is_ours(b"#!/bin/sh\n# corefence pre-commit hook \xff\n"));
        assert!(!is_ours(b"\x7fELF\x00\x01"));
        assert!(!is_ours(b""));
    }
}
