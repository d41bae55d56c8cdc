//! `config/unmatched`: a glob or crate name written in `corefence.toml` that
//! matches nothing. A typo in an assignment silently leaves enterprise code in
//! the community edition, so an entry that matches nothing is worth a warning.
//! The embedded defaults never warn: they are guesses, not statements.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::config::{Config, PatternKind, PatternSet};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::workspace::Workspace;

/// Flags each written pattern that matches no crate name, file or folder.
pub fn check(config: &Config, ws: &Workspace) -> Vec<Diagnostic> {
    let Some(file) = &config.source else { return Vec::new() };
    // Folders count as matches: `paths = ["ee/**"]` names the folder `ee`.
    let mut folders = BTreeSet::new();
    for f in &ws.files {
        let mut rel = f.rel.as_str();
        while let Some((parent, _)) = rel.rsplit_once('/') {
            if !folders.insert(parent) {
                break;
            }
            rel = parent;
        }
    }
    let written: Vec<(PatternKind, &crate::config::Pattern)> = config.written_patterns().collect();
    // One matcher per kind, one pass over the names: a config with
    // thousands of globs costs no more than one with a few.
    let mut matched = vec![false; written.len()];
    for kind in [PatternKind::Crate, PatternKind::Path] {
        let positions: Vec<usize> =
            (0..written.len()).filter(|&i| written.get(i).is_some_and(|w| w.0 == kind)).collect();
        let Ok(set) = PatternSet::new(positions.iter().filter_map(|&i| written.get(i).map(|w| w.1))) else { continue };
        let names: Box<dyn Iterator<Item = &str>> = match kind {
            PatternKind::Crate => Box::new(ws.crates.iter().map(|c| c.name.as_str())),
            PatternKind::Path => Box::new(ws.files.iter().map(|f| f.rel.as_str()).chain(folders.iter().copied())),
        };
        for name in names {
            for at in set.matching(name) {
                if let Some(slot) = positions.get(at).and_then(|&i| matched.get_mut(i)) {
                    *slot = true;
                }
            }
        }
    }
    let mut out = Vec::new();
    for ((kind, pattern), matched) in written.into_iter().zip(matched) {
        if !matched {
            let what = match kind {
                PatternKind::Crate => "no crate in the workspace",
                PatternKind::Path => "no file or folder in the workspace",
            };
            out.push(
                Diagnostic::new(
                    Code::ConfigUnmatched,
                    Location::new(&Arc::clone(file), pattern.span.clone().unwrap_or(0..0)),
                    format!("`{}` matches {what}", pattern.text),
                )
                .with_label("matches nothing")
                .with_help(match kind {
                    PatternKind::Crate => crate_help(&pattern.text, ws),
                    PatternKind::Path => "correct the glob (paths are relative to the workspace root; `ee/**` is the folder `ee` and everything below), or delete it".to_owned(),
                }),
            );
        }
    }
    out
}

fn crate_help(written: &str, ws: &Workspace) -> String {
    let hint = crate::suggest::did_you_mean(written, ws.crates.iter().map(|c| c.name.as_str()));
    if hint.is_empty() {
        "correct the crate name (globs such as `acme-ee-*` are allowed), or delete it".to_owned()
    } else {
        hint
    }
}
