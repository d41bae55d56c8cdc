//! `corefence install-hook`: a git pre-commit hook that runs
//! `corefence check --staged` and blocks the commit on errors.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The line that marks a hook as ours, so installing twice is harmless.
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
    Ok(cwd.join(rel))
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

/// Installs the hook for the repository holding `cwd`.
pub fn install(cwd: &Path, exe: &Path, force: bool) -> Result<Installed, HookError> {
    let dir = hooks_dir(cwd)?;
    let path = dir.join("pre-commit");
    let wanted = script(exe);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        if existing == wanted {
            return Ok(Installed::AlreadyThere(path));
        }
        if !force && !existing.contains(MARKER) {
            return Err(HookError::Exists(path));
        }
    }
    std::fs::create_dir_all(&dir).map_err(|e| HookError::Io(dir.clone(), e))?;
    std::fs::write(&path, wanted).map_err(|e| HookError::Io(path.clone(), e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| HookError::Io(path.clone(), e))?;
    }
    Ok(Installed::Written(path))
}
