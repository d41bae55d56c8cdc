//! `--fix` for Cargo.toml: a publishable crate without any license gets its
//! edition's license, as a `license = ".."` line right after `name`. Every
//! other manifest finding needs a human (a different license is a decision).

use std::path::Path;

use super::{FileFix, FixMode};
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::edition::EditionMap;
use crate::license::fix::{unified_diff, write_atomic};
use crate::workspace::Workspace;

/// Sets missing licenses; returns the findings that remain.
pub fn fix_missing_licenses(
    config: &Config,
    ws: &Workspace,
    editions: &EditionMap,
    mode: FixMode,
    findings: Vec<Diagnostic>,
    fixes: &mut Vec<FileFix>,
) -> Vec<Diagnostic> {
    let mut remaining = Vec::new();
    for d in findings {
        let fixable = d.code == Code::LicenseManifest && d.message.ends_with("has no license");
        let Some((index, c)) = ws.crates.iter().enumerate().find(|(_, c)| c.manifest.path == d.location.path()) else {
            remaining.push(d);
            continue;
        };
        let name_span = c.info.name.as_ref().map(|n| n.span.clone());
        let (Some(name_span), true) = (name_span, fixable) else {
            remaining.push(d);
            continue;
        };
        let license = config.editions.get(editions.crate_edition(index).0).map_or("", |e| e.license());
        let line = c.manifest.line_col(name_span.start).line + 1;
        let mut fix = FileFix {
            path: c.manifest.path.clone(),
            changes: vec![format!(
                "{}:{line}: set `license = {}`",
                c.manifest.path,
                crate::config::init::toml_string(license)
            )],
            diff: None,
            written: false,
        };
        let abs = ws.root.join(&c.manifest.path);
        let (old, new) = match insert_license(&abs, &c.manifest.text, name_span.end, license) {
            Ok(edit) => edit,
            Err(why) => {
                fix.changes = vec![format!("{}: not fixed: {why}", c.manifest.path)];
                remaining.push(d);
                fixes.push(fix);
                continue;
            }
        };
        if mode.dry_run {
            fix.diff = Some(unified_diff(&c.manifest.path, &old, new.as_bytes()));
            remaining.push(d);
        } else if let Err(err) = write_atomic(&abs, &old, new.as_bytes()) {
            fix.changes = vec![format!("{}: not fixed: {err}", c.manifest.path)];
            remaining.push(d);
        } else {
            fix.written = true;
        }
        fixes.push(fix);
    }
    remaining
}

/// The manifest's bytes as they are on disk, and the same with a `license`
/// line after the line that ends at or after `name_end`.
///
/// The manifest was decoded for parsing, lossily: the edit is made on the
/// bytes read now, and only if they are valid UTF-8 and still what was
/// parsed, so that no byte is ever replaced by a decoding.
fn insert_license(abs: &Path, parsed: &str, name_end: usize, license: &str) -> Result<(Vec<u8>, String), String> {
    let bytes = std::fs::read(abs).map_err(|e| format!("cannot read it: {e}"))?;
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Err(format!(
            "not valid UTF-8, so corefence does not rewrite it; add `license = {}` by hand (and save it as UTF-8)",
            crate::config::init::toml_string(license)
        ));
    };
    if text != parsed {
        return Err("changed while corefence was fixing it; run --fix again".to_owned());
    }
    let line_end = text.get(name_end..).and_then(|rest| rest.find('\n')).map_or(text.len(), |i| name_end + i + 1);
    let (head, tail) = (text.get(..line_end).unwrap_or(text), text.get(line_end..).unwrap_or_default());
    let eol = if head.ends_with("\r\n") { "\r\n" } else { "\n" };
    let prefix = if tail.is_empty() && !text.ends_with('\n') { eol } else { "" };
    let new = format!("{head}{prefix}license = {}{eol}{tail}", crate::config::init::toml_string(license));
    Ok((bytes, new))
}
