//! `--fix` for Cargo.toml: a publishable crate without any license gets its
//! edition's license, as a `license = ".."` line right after `name`. Every
//! other manifest finding needs a human (a different license is a decision).

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
        let text = &c.manifest.text;
        let line_end = text[name_span.end..].find('\n').map_or(text.len(), |i| name_span.end + i + 1);
        let eol = if text[..line_end].ends_with("\r\n") { "\r\n" } else { "\n" };
        let prefix = if line_end == text.len() && !text.ends_with('\n') { eol } else { "" };
        let new = format!("{}{prefix}license = \"{license}\"{eol}{}", &text[..line_end], &text[line_end..]);
        let line = c.manifest.line_col(name_span.start).line + 1;
        let mut fix = FileFix {
            path: c.manifest.path.clone(),
            changes: vec![format!("{}:{line}: set `license = \"{license}\"`", c.manifest.path)],
            diff: None,
            written: false,
        };
        if mode.dry_run {
            fix.diff = Some(unified_diff(&c.manifest.path, text.as_bytes(), new.as_bytes()));
            remaining.push(d);
        } else if let Err(err) = write_atomic(&ws.root.join(&c.manifest.path), new.as_bytes()) {
            fix.changes = vec![format!("{}: not fixed: cannot write: {err}", c.manifest.path)];
            remaining.push(d);
        } else {
            fix.written = true;
        }
        fixes.push(fix);
    }
    remaining
}
