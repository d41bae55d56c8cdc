//! `corefence init`: a commented `corefence.toml` fitted to the workspace.
//!
//! It reads what the repository already says ([`evidence`]): its license
//! files, the identifiers its headers and snippets carry, the features that
//! gate enterprise code, its folder conventions and vendored crates; and
//! writes each setting with the evidence it came from.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

mod evidence;
mod license_files;

pub use evidence::{Finding, Proposal};

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

/// Renders the proposal as a commented `corefence.toml`.
pub fn render(p: &Proposal) -> String {
    let list = |items: &[&Finding]| items.iter().map(|f| toml_string(&f.value)).collect::<Vec<_>>().join(", ");
    let why = |f: &Finding| format!("# from {}\n", f.from.replace('\n', " "));
    // For a list: which entry each piece of evidence is for.
    let each = |f: &Finding| format!("# {}: from {}\n", f.value.replace('\n', " "), f.from.replace('\n', " "));
    let mut out = String::from(
        "# corefence configuration: which code belongs to which edition of the product,\n\
         # and which license each edition's files must carry. `corefence explain` lists\n\
         # the checks; `corefence check` runs them. Written by `corefence init` from\n\
         # what the repository says; each setting names its evidence.\n\n\
         # The edition of code that no rule below assigns.\ndefault = \"community\"\n\n[editions.community]\n\
         # The SPDX expression every community file and crate must carry (the first\n\
         # entry is what `corefence check --fix` writes; the others are accepted).\n",
    );
    for f in &p.community {
        out.push_str(&if p.community.len() > 1 { each(f) } else { why(f) });
    }
    let community: Vec<&Finding> = p.community.iter().collect();
    if let [only] = community.as_slice() {
        let _ = writeln!(out, "license = {}", toml_string(&only.value));
    } else {
        let _ = writeln!(out, "license = [{}]", list(&community));
    }
    if let Some(f) = &p.no_default_features {
        out.push_str(&why(f));
        out.push_str("default-features = false\n");
    }
    out.push_str("\n[editions.enterprise]\n");
    match &p.enterprise {
        Some(f) => {
            out.push_str(&why(f));
            let _ = writeln!(out, "license = {}", toml_string(&f.value));
        }
        None => out.push_str("# Nothing in the repository names it: replace with your commercial license.\nlicense = \"LicenseRef-Enterprise\"\n"),
    }
    out.push_str("# Enterprise code may use community code, never the other way round.\nuses = [\"community\"]\n");
    if p.features.is_empty() {
        out.push_str("# No Cargo feature gates enterprise code; name the one that does, e.g.\n# features = [\"enterprise\"]\nfeatures = []\n");
    } else {
        out.push_str("# Code under #[cfg(feature = \"..\")] of these may refer to enterprise items.\n");
        for f in &p.features {
            out.push_str(&each(f));
        }
        let features: Vec<&Finding> = p.features.iter().collect();
        let _ = writeln!(out, "features = [{}]", list(&features));
    }
    if !p.build_only.is_empty() {
        out.push_str("# Crates only the enterprise build has: their code may use enterprise code.\n");
        for f in &p.build_only {
            out.push_str(&each(f));
        }
        let names: Vec<String> = p.build_only.iter().map(|f| toml_string(&glob_literal(&f.value))).collect();
        let _ = writeln!(out, "build-only-crates = [{}]", names.join(", "));
    }
    if !p.crates.is_empty() {
        out.push_str("\n# Whole crates of the enterprise edition (globs such as \"acme-ee-*\" work).\n");
        for f in &p.crates {
            out.push_str(&each(f));
        }
        let crates: Vec<(String, &str)> = p.crates.iter().map(|f| (glob_literal(&f.value), f.from.as_str())).collect();
        let names: Vec<String> = crates.iter().map(|(g, _)| toml_string(g)).collect();
        let _ = write!(out, "[[assign]]\ncrates = [{}]\nedition = \"enterprise\"\n", names.join(", "));
    }
    out.push_str("\n# Folders and files of the enterprise edition (gitignore globs; `ee/**` includes `ee` itself).\n");
    if p.paths.is_empty() {
        out.push_str("# Nothing in the repository marks any; uncomment and adjust:\n# [[assign]]\n# paths = [\"ee/**\"]\n# edition = \"enterprise\"\n");
    } else {
        for f in &p.paths {
            out.push_str(&each(f));
        }
        let paths: Vec<&Finding> = p.paths.iter().collect();
        let _ = write!(out, "[[assign]]\npaths = [{}]\nedition = \"enterprise\"\n", list(&paths));
    }
    out.push_str("\n[headers]\n");
    out.push_str(&why(&p.headers));
    if p.headers_on {
        out.push_str("# Files that must carry an SPDX-License-Identifier header (.gitignore'd files are skipped).\ninclude = [\"**/*.rs\"]\n");
    } else {
        out.push_str("# Header checks are off. To turn them on, list the files that must carry one\n# (e.g. include = [\"**/*.rs\"]) and let `corefence check --fix` add them.\ninclude = []\n");
    }
    out.push_str(
        "exclude = []\n# \"required\" also demands an SPDX-FileCopyrightText line.\ncopyright = \"optional\"\n",
    );
    out.push_str(&why(&p.manifests));
    if p.manifests_on {
        out.push_str("# Every publishable crate's Cargo.toml `license` must be its edition's.\nmanifests = true\n");
    } else {
        out.push_str("# The Cargo.toml `license` check is off. To turn it on, set `manifests = true`\n# and let `corefence check --fix` add the missing `license` keys.\nmanifests = false\n");
    }
    out.push_str("\n[boundary]\n# \"allow\" lets community crates dev-depend on enterprise crates (tests only).\ndev-dependencies = \"deny\"\n");
    if !p.third_party.is_empty() {
        out.push_str("\n# Vendored code keeps its own licenses.\n");
        for f in &p.third_party {
            out.push_str(&each(f));
        }
        let third: Vec<&Finding> = p.third_party.iter().collect();
        let _ = writeln!(out, "[third-party]\npaths = [{}]", list(&third));
    }
    out
}

/// What `init` tells the user it inferred, one line per setting.
pub fn summary(p: &Proposal) -> Vec<(String, String, String)> {
    let mut rows = Vec::new();
    let mut row = |what: &str, f: &Finding| rows.push((what.to_owned(), f.value.clone(), f.from.clone()));
    for (i, f) in p.community.iter().enumerate() {
        row(if i == 0 { "community license" } else { "also accepted" }, f);
    }
    if let Some(f) = &p.no_default_features {
        row("community build", &Finding { value: "--no-default-features".into(), from: f.from.clone() });
    }
    if let Some(f) = &p.enterprise {
        row("enterprise license", f);
    }
    for f in &p.paths {
        row("enterprise code", f);
    }
    for f in &p.crates {
        row("enterprise crate", f);
    }
    for f in &p.features {
        row("enterprise feature", f);
    }
    for f in &p.build_only {
        row("build-only crate", f);
    }
    row("headers", &p.headers);
    row("manifest licenses", &p.manifests);
    for f in &p.third_party {
        row("third-party", f);
    }
    rows
}

/// `s` as a TOML string, quoted and escaped by the TOML serializer: a folder
/// or crate name may hold `"`, `\` or control characters.
pub(crate) fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// A glob that matches `name` and nothing else: glob metacharacters
/// (`*?[]{}` and `\`) escaped with a backslash, as the config's globs read them.
pub(super) fn glob_literal(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
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
