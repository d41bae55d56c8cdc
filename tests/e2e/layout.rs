//! One code, one file: from a code such as `boundary/reexport` a reader
//! finds the one file that emits it, and a fixture that shows it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use corefence::diagnostic::Code;

use crate::support::{corefence, repo_root};

/// Codes reported by the stage that meets them rather than by a check, and
/// the file that emits each. Every other code `<group>/<name>` is emitted by
/// `lint/src/checks/<group>/<name>.rs`.
const STAGE_CODES: &[(&str, &str)] = &[
    ("config/invalid", "config/mod.rs"),
    ("file/unreadable", "diagnostic/mod.rs"),
    ("export/build", "export/check.rs"),
    ("suppression/unused", "suppress.rs"),
];

/// `corefence.toml` entries naming an unknown edition are configuration
/// errors (exit 2), reported as the configuration loads, with the code the
/// same mistake in a tag or crate metadata gets.
const ALSO_AT_LOAD: &[(&str, &str)] = &[("edition/unknown", "config/validate.rs")];

/// Every `.rs` file under `dir`, relative to `dir`, with its code before
/// its unit tests.
fn sources(dir: &Path, base: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default().to_owned();
            out.insert(rel, code);
        }
    }
}

#[test]
fn every_code_has_exactly_one_emitting_file() {
    let src = repo_root().join("lint/src");
    let mut files = BTreeMap::new();
    sources(&src, &src, &mut files);
    files.retain(|rel, _| rel != "diagnostic/code.rs" && !rel.ends_with("tests.rs"));
    assert!(files.len() > 50, "lint/src not found");
    for code in Code::ALL {
        let name = code.as_str();
        let variant = format!("Code::{code:?}");
        let emitting: BTreeSet<&str> = files
            .iter()
            .filter(|(_, text)| {
                text.match_indices(&variant)
                    .any(|(at, _)| !text[at + variant.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'))
            })
            .map(|(rel, _)| rel.as_str())
            .collect();
        let home = STAGE_CODES
            .iter()
            .find(|(c, _)| *c == name)
            .map_or_else(|| format!("checks/{name}.rs"), |(_, file)| (*file).to_owned());
        let mut wanted = BTreeSet::from([home.as_str()]);
        wanted.extend(ALSO_AT_LOAD.iter().filter(|(c, _)| *c == name).map(|(_, f)| *f));
        assert_eq!(emitting, wanted, "`{name}` must be emitted by lint/src/{home} alone");
    }
}

#[test]
fn every_code_has_a_fixture_that_shows_it() {
    let root = repo_root();
    // Every workspace under fixtures/, one or two levels down.
    let mut folders = Vec::new();
    let mut stack = vec![root.join("fixtures")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.join("corefence.toml").is_file() {
                folders.push(path);
            } else if path.is_dir() && dir == root.join("fixtures") {
                stack.push(path);
            }
        }
    }
    let mut shown = BTreeSet::new();
    for folder in &folders {
        let rel = folder.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
        let run = corefence(&["check", &rel, "--format", "json", "--no-cache"]);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_default();
        for d in json["diagnostics"].as_array().into_iter().flatten() {
            shown.insert(d["code"].as_str().unwrap_or_default().to_owned());
        }
    }
    // `export/build` needs cargo to build the export: `export --check` of
    // fixtures/demo shows it (`export::export_check_on_the_demo_breaks_exactly_where_check_reports`).
    let missing: Vec<&str> =
        Code::ALL.iter().map(|c| c.as_str()).filter(|c| *c != "export/build" && !shown.contains(*c)).collect();
    assert!(missing.is_empty(), "no fixture under fixtures/ shows {missing:?}");
}

/// The modules `lint/src/<path>` belongs to, `depth` levels deep
/// (`license/header.rs` is `license` at depth 1, `license::header` at 2).
fn module_of(rel: &str, depth: usize) -> String {
    let mut parts: Vec<&str> = rel.trim_end_matches(".rs").split('/').collect();
    if parts.last() == Some(&"mod") {
        parts.pop();
    }
    parts.truncate(depth);
    parts.join("::")
}

/// Which module uses which, `depth` levels deep: every `crate::a::b` path
/// and, at depth 2, every `super::b` from inside `a`, outside comments and
/// unit tests.
fn module_graph(depth: usize) -> BTreeMap<String, BTreeSet<String>> {
    let src = repo_root().join("lint/src");
    let mut files = BTreeMap::new();
    sources(&src, &src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in &files {
        if rel.starts_with("bin/") || rel.ends_with("tests.rs") || rel == "lib.rs" || rel == "testing.rs" {
            continue;
        }
        let me = module_of(rel, depth);
        let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        let mut used = Vec::new();
        for (prefix, parent) in [("crate::", None), ("super::", me.rsplit_once("::").map(|(p, _)| p))] {
            if prefix == "super::" && (depth < 2 || parent.is_none()) {
                continue;
            }
            for (at, _) in code.match_indices(prefix) {
                if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
                    continue;
                }
                let path: Vec<&str> = code[at + prefix.len()..]
                    .split("::")
                    .map(|s| {
                        s.split(|c: char| !(c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()))
                            .next()
                            .unwrap_or("")
                    })
                    .take_while(|s| !s.is_empty())
                    .take(depth)
                    .collect();
                let target = match parent {
                    Some(p) if prefix == "super::" => format!("{p}::{}", path.first().copied().unwrap_or("")),
                    _ => path.join("::"),
                };
                used.push(target);
            }
        }
        for target in used {
            let related = target == me
                || me.starts_with(&format!("{target}::"))
                || target.starts_with(&format!("{me}::"))
                || target.is_empty();
            if !related {
                graph.entry(me.clone()).or_default().insert(target);
            }
        }
    }
    graph
}

#[test]
fn modules_use_each_other_one_way() {
    for depth in [1, 2] {
        let graph = module_graph(depth);
        assert!(graph.len() > 10, "no modules found");
        // A module reaching itself through another is a cycle.
        for start in graph.keys() {
            let mut seen = BTreeSet::new();
            let mut stack: Vec<(String, Vec<String>)> = vec![(start.clone(), vec![start.clone()])];
            while let Some((node, path)) = stack.pop() {
                for next in graph.get(&node).into_iter().flatten() {
                    assert!(next != start, "modules use each other: {} → {next}", path.join(" → "));
                    if seen.insert(next.clone()) {
                        let mut longer = path.clone();
                        longer.push(next.clone());
                        stack.push((next.clone(), longer));
                    }
                }
            }
        }
    }
}
