//! `check --fix`: applies the fixes the checks attached to their findings
//! (see [`crate::diagnostic::fix`]), checks the result again and repeats
//! while fixes apply, then writes each changed file once, atomically, or
//! with `--dry-run` shows the diff.

use std::collections::BTreeMap;

use super::{FileFix, FixMode};
use crate::diagnostic::{fix, Diagnostic};
use crate::workspace::Workspace;

/// Rounds of fixing one file: a fix can leave a finding whose own fix
/// applies only then (an overlapping edit, a normalised id then relicensed).
const ROUNDS: usize = 4;

/// What fixing one file's text gave.
pub struct Fixed {
    /// The new content (the old one when nothing applied).
    pub bytes: Vec<u8>,
    /// One line per change made, `path:line: what`, then one per finding
    /// left unfixed with a reason.
    pub changes: Vec<String>,
}

/// Applies the fixes of `found` (the findings on `bytes`) that `--fix`
/// (with `--relicense` when `relicense`) may apply; `check` finds what is
/// left in new content.
pub fn fix_text(
    path: &str,
    bytes: &[u8],
    found: &[Diagnostic],
    relicense: bool,
    check: impl Fn(&[u8]) -> Vec<Diagnostic>,
) -> Fixed {
    let mut current = bytes.to_vec();
    let mut changes = Vec::new();
    let mut left = found.to_vec();
    for _ in 0..ROUNDS {
        let fixes: Vec<&fix::Fix> =
            left.iter().filter_map(|d| d.fix.as_ref()).filter(|f| f.applies(relicense)).collect();
        let edits: Vec<&fix::Edit> = fixes.iter().flat_map(|f| &f.edits).collect();
        if edits.is_empty() {
            break;
        }
        let (next, applied) = fix::apply(&current, &edits);
        // A fix counts as made when all its edits went in.
        let mut at = 0;
        for f in &fixes {
            let made = applied.get(at..at + f.edits.len()).is_some_and(|a| a.iter().all(|x| *x));
            at += f.edits.len();
            if made {
                changes.push(format!("{path}:{}: {}", f.line, f.title));
            }
        }
        if next == current {
            break;
        }
        current = next;
        left = check(&current);
    }
    for d in &left {
        if let Some((f, why)) = d.fix.as_ref().and_then(|f| Some((f, f.refusal(relicense)?))) {
            changes.push(format!("{path}:{}: not fixed: {why}", f.line));
        }
    }
    Fixed { bytes: current, changes }
}

/// Applies the fixes of the workspace-wide findings (a missing Cargo.toml
/// `license`) to their manifests; returns the findings that remain.
///
/// A manifest was decoded for parsing, lossily: its fixes are made on the
/// bytes read now, and only if they are valid UTF-8 and still what was
/// parsed, so that no byte is ever replaced by a decoding.
pub fn fix_manifests(
    ws: &Workspace,
    mode: FixMode,
    found: Vec<Diagnostic>,
    fixes: &mut Vec<FileFix>,
) -> Vec<Diagnostic> {
    let mut by_file: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    let mut remaining = Vec::new();
    for d in found {
        if d.fix.as_ref().is_some_and(|f| f.applies(mode.relicense)) {
            by_file.entry(d.location.path().to_owned()).or_default().push(d);
        } else {
            remaining.push(d);
        }
    }
    for (path, found) in by_file {
        let parsed = found.first().map(|d| d.location.file.text.clone()).unwrap_or_default();
        let titles: Vec<&str> = found.iter().filter_map(|d| Some(d.fix.as_ref()?.title.as_str())).collect();
        let by_hand = titles.join(", ");
        let abs = ws.root.join(&path);
        let mut fix = FileFix { path: path.clone(), changes: Vec::new(), diff: None, written: false, fixed: None };
        let read =
            std::fs::read(&abs).map_err(|e| format!("cannot read it: {e}")).and_then(
                |bytes| match std::str::from_utf8(&bytes) {
                    Err(_) => Err(format!(
                        "not valid UTF-8, so corefence does not rewrite it; {by_hand} by hand (and save it as UTF-8)"
                    )),
                    Ok(text) if text != parsed => {
                        Err("changed while corefence was fixing it; run --fix again".to_owned())
                    }
                    Ok(_) => Ok(bytes),
                },
            );
        let bytes = match read {
            Ok(bytes) => bytes,
            Err(why) => {
                fix.changes.push(format!("{path}: not fixed: {why}"));
                fixes.push(fix);
                remaining.extend(found);
                continue;
            }
        };
        let repaired = fix_text(&path, &bytes, &found, mode.relicense, |_| Vec::new());
        fix.changes = repaired.changes;
        if mode.dry_run {
            fix.diff = Some(unified_diff(&path, &bytes, &repaired.bytes));
            remaining.extend(found);
        } else if let Err(err) = crate::atomic::replace(&abs, &bytes, &repaired.bytes) {
            fix.changes = vec![format!("{path}: not fixed: {err}")];
            remaining.extend(found);
        } else {
            fix.written = true;
        }
        fixes.push(fix);
    }
    remaining
}

/// A unified diff of a file's old and new content, for `--dry-run`.
#[must_use]
pub fn unified_diff(path_label: &str, old: &[u8], new: &[u8]) -> String {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path_label}"), &format!("b/{path_label}"))
        .to_string()
}
