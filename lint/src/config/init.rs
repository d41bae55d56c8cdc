//! `corefence init`: a commented `corefence.toml` fitted to the workspace.
//!
//! It starts from the embedded defaults and adjusts them to what it finds:
//! enterprise crates (by the default name patterns or because they live under
//! an `ee/`-style folder), the licenses those crates and the others already
//! declare in Cargo.toml or in file headers, and the enterprise folders that
//! actually exist.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::Config;
use crate::workspace::Workspace;

/// Folder names that hold enterprise code by convention.
const ENTERPRISE_FOLDERS: [&str; 2] = ["ee", "enterprise"];

/// Why `init` did not write `corefence.toml`.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A file is there and `--force` was not given.
    #[error("{0} already exists; use `--force` to overwrite it or `--stdout` to print the proposal")]
    Exists(PathBuf),
    /// A link is there: writing through it could create or change a file
    /// anywhere, so corefence does not, even with `--force`.
    #[error(
        "{0} is a symbolic link; corefence never writes through a link: remove the link, or use `--stdout` to print the proposal"
    )]
    Symlink(PathBuf),
    /// A folder or another kind of file is there.
    #[error("{0} exists and is not a regular file; remove it, or use `--stdout` to print the proposal")]
    NotAFile(PathBuf),
    /// Writing failed; nothing was changed.
    #[error("cannot write {0}: {1}")]
    Io(PathBuf, std::io::Error),
}

/// Writes `text` to `target` through a temporary file and a rename: never
/// through a link, and without `force` never over anything already there
/// (`create_new` semantics, also against a file that appears meanwhile).
/// With `force` an existing file is replaced and keeps its permissions.
pub fn write(target: &Path, text: &str, force: bool) -> Result<(), WriteError> {
    let io = |e| WriteError::Io(target.to_path_buf(), e);
    let mode = match std::fs::symlink_metadata(target) {
        Ok(m) if m.file_type().is_symlink() => return Err(WriteError::Symlink(target.to_path_buf())),
        Ok(_) if !force => return Err(WriteError::Exists(target.to_path_buf())),
        Ok(m) if m.is_file() => crate::atomic::Mode::Exact(m.permissions()),
        Ok(_) => return Err(WriteError::NotAFile(target.to_path_buf())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => crate::atomic::Mode::New(0o666),
        Err(e) => return Err(io(e)),
    };
    let temp = crate::atomic::staged(crate::atomic::dir_of(target), &mode, text.as_bytes()).map_err(io)?;
    if force {
        // Checked again right before the rename, which replaces a link
        // rather than following it in any case.
        if std::fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(WriteError::Symlink(target.to_path_buf()));
        }
        crate::atomic::persist(temp, target).map_err(io)
    } else {
        crate::atomic::persist_new(temp, target).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => match std::fs::symlink_metadata(target) {
                Ok(m) if m.file_type().is_symlink() => WriteError::Symlink(target.to_path_buf()),
                _ => WriteError::Exists(target.to_path_buf()),
            },
            _ => io(e),
        })
    }
}

/// Renders the proposal.
pub fn render(ws: &Workspace) -> String {
    let defaults = Config::embedded();
    let enterprise_id = defaults.edition_named("enterprise").unwrap_or(0);
    let in_ee_folder = |rel: &str| rel.split('/').any(|part| ENTERPRISE_FOLDERS.contains(&part));

    let mut ee_crates = Vec::new();
    // Licenses seen, counted: community side first, enterprise side second.
    let (mut community_seen, mut enterprise_seen) =
        (BTreeMap::<String, usize>::new(), BTreeMap::<String, usize>::new());
    for c in &ws.crates {
        let by_name = defaults.crate_edition(&c.name) == Some(enterprise_id);
        let enterprise = by_name || in_ee_folder(&c.dir);
        if by_name && !in_ee_folder(&c.dir) {
            ee_crates.push(c.name.clone());
        }
        let declared = c.info.license.as_ref().map(|l| l.value.clone()).or_else(|| {
            c.info.license_inherited.as_ref().and_then(|_| ws.workspace_license.as_ref().map(|(_, l)| l.value.clone()))
        });
        if let Some(l) = declared.filter(|l| super::validate::check_expression(l).is_ok()) {
            let seen = if enterprise { &mut enterprise_seen } else { &mut community_seen };
            *seen.entry(l).or_default() += 1;
        }
    }
    for f in ws.files.iter().filter(|f| std::path::Path::new(&f.rel).extension().is_some_and(|e| e == "rs")).take(2000)
    {
        if let Some(l) = header_license(&f.abs).filter(|l| super::validate::check_expression(l).is_ok()) {
            let seen = if in_ee_folder(&f.rel) { &mut enterprise_seen } else { &mut community_seen };
            *seen.entry(l).or_default() += 1;
        }
    }
    let most_common = |m: &BTreeMap<String, usize>, fallback: &str| {
        m.iter().max_by_key(|(_, n)| **n).map_or_else(|| fallback.to_owned(), |(l, _)| l.clone())
    };
    let community = most_common(&community_seen, "AGPL-3.0-only");
    let mut enterprise = most_common(&enterprise_seen, "LicenseRef-Enterprise");
    if enterprise == community {
        "LicenseRef-Enterprise".clone_into(&mut enterprise);
    }
    let (community, enterprise) = (toml_string(&community), toml_string(&enterprise));

    let mut folders: Vec<String> = Vec::new();
    for f in &ws.files {
        let parts: Vec<&str> = f.rel.split('/').collect();
        if let Some(i) = parts.iter().position(|p| ENTERPRISE_FOLDERS.contains(p)) {
            let literal: Vec<String> = parts.get(..=i).unwrap_or_default().iter().map(|p| glob_literal(p)).collect();
            let folder = format!("{}/**", literal.join("/"));
            if !folders.contains(&folder) {
                folders.push(folder);
            }
        }
    }

    let mut out = String::new();
    let _ = write!(
        out,
        r#"# corefence configuration: which code belongs to which edition of the product,
# and which license each edition's files must carry. `corefence explain` lists
# the checks; `corefence check` runs them.

# The edition of code that no rule below assigns.
default = "community"

[editions.community]
# The SPDX expression every community file and crate must carry. A list is
# accepted too: the first entry is what `corefence check --fix` writes.
license = {community}

[editions.enterprise]
license = {enterprise}
# Enterprise code may use community code, never the other way round.
uses = ["community"]
# Code under #[cfg(feature = "enterprise")] may refer to enterprise items.
features = ["enterprise"]
"#
    );
    if !ee_crates.is_empty() {
        let list: Vec<String> = ee_crates.iter().map(|c| toml_string(&glob_literal(c))).collect();
        let _ = write!(
            out,
            "\n# Whole crates of the enterprise edition (globs such as \"acme-ee-*\" work).\n[[assign]]\ncrates = [{}]\nedition = \"enterprise\"\n",
            list.join(", ")
        );
    }
    let _ = write!(out, "\n# Folders of the enterprise edition (gitignore globs; `ee/**` includes `ee` itself).\n");
    if folders.is_empty() {
        let _ = write!(out, "# Nothing matched the usual names; uncomment and adjust:\n# [[assign]]\n# paths = [\"ee/**\"]\n# edition = \"enterprise\"\n");
    } else {
        let list: Vec<String> = folders.iter().map(|f| toml_string(f)).collect();
        let _ = write!(out, "[[assign]]\npaths = [{}]\nedition = \"enterprise\"\n", list.join(", "));
    }
    let _ = write!(
        out,
        r#"
[headers]
# Files that must carry an SPDX-License-Identifier header (.gitignore'd files are skipped).
include = ["**/*.rs"]
exclude = []
# "required" also demands an SPDX-FileCopyrightText line.
copyright = "optional"

[boundary]
# "allow" lets community crates dev-depend on enterprise crates (tests only).
dev-dependencies = "deny"
"#
    );
    out
}

/// `s` as a TOML string, quoted and escaped by the TOML serializer: a folder
/// or crate name may hold `"`, `\` or control characters.
pub(crate) fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// A glob that matches `name` and nothing else: glob metacharacters
/// (`*?[]{}` and `\`) escaped with a backslash, as the config's globs read them.
fn glob_literal(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The SPDX identifier in a file's first lines, if any (a quick look, enough
/// to propose a license; the header check proper is stricter).
fn header_license(path: &std::path::Path) -> Option<String> {
    use std::io::Read;
    let mut head = [0u8; 1024];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).ok()?;
    let text = String::from_utf8_lossy(head.get(..n)?);
    text.lines()
        .take_while(|l| {
            l.trim_start().starts_with("//")
                || l.trim().is_empty()
                || l.starts_with("#!")
                || l.trim_start().starts_with("/*")
                || l.trim_start().starts_with('*')
        })
        .find_map(|l| {
            l.split_once("SPDX-License-Identifier:").map(|(_, e)| e.trim().trim_end_matches("*/").trim().to_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_written_as_valid_toml() {
        for s in ["plain", "we\"ird", "back\\slash", "tab\there", "new\nline", "bell\u{7}", "both ' and \""] {
            let doc = format!("key = {}\n", toml_string(s));
            let parsed: toml::Table = toml::from_str(&doc).unwrap_or_else(|e| panic!("{doc}: {e}"));
            assert_eq!(parsed.get("key").and_then(toml::Value::as_str), Some(s), "{doc}");
        }
    }

    #[test]
    fn folder_globs_match_the_folder_only() {
        let name = "a*[b]{c}\\d?";
        let glob = crate::config::glob::Pattern::new(&format!("{}/**", glob_literal(name)), None).unwrap();
        assert!(glob.matches(&format!("{name}/x.rs")));
        assert!(glob.matches(name));
        assert!(!glob.matches("aZ[b]{c}\\d?/x.rs"));
        assert!(!glob.matches("ab{c}\\dX/x.rs"));
    }
}
