//! The compiler as referee. Each case in `tests/differential/` is a small
//! open-core workspace (no external crates). The harness checks that the
//! whole workspace builds with every feature on, then exports the community
//! edition and builds it with cargo in each of its configurations (default
//! features, no default features, each feature not mapped to a higher
//! edition), and requires the places where that build breaks to be exactly
//! corefence's boundary findings: every compiler error a finding, every
//! finding a compiler error.
//!
//! A case file is the workspace's files, each after a `--- path` line
//! (`--- link -> target` makes a symbolic link). A
//! case that gives no `corefence.toml` gets [`PRELUDE_CONFIG`], and one that
//! gives no root `Cargo.toml` is a single crate `app` with an `enterprise`
//! feature. Lines starting with `#` before the first file are comments:
//! say what the case is about there. A case whose community build breaks
//! nowhere is a trap, and its name starts with `trap_`: any other case must
//! break somewhere, or it tests nothing. `{COREFENCE_MACROS}` stands for this
//! repository's `macros/` folder, for cases that tag items with
//! `#[edition(..)]` (`corefence-macros = { path = "{COREFENCE_MACROS}" }`).
//!
//! The builds share one target folder (`target/differential`), so a run
//! after the first costs little more than corefence itself. Cargo runs with
//! `--keep-going`, so every crate that breaks is checked, not only the first.
//! Keep crossings in crates nothing else in the case depends on: cargo
//! cannot check a crate whose dependency does not build (export --check
//! warns about such crates), while corefence judges each crate as if its
//! dependencies built.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{error_places, repo_root};

const COREFENCE: &str = env!("CARGO_BIN_EXE_corefence");

/// Two editions: community (the default) and enterprise, used by
/// community, with the `enterprise` feature, and `src/ee/**` and `ee/**`
/// as enterprise paths.
const PRELUDE_CONFIG: &str = "default = \"community\"\n\
[editions.community]\nlicense = \"AGPL-3.0-only\"\n\
[editions.enterprise]\nlicense = \"LicenseRef-Acme\"\nuses = [\"community\"]\nfeatures = [\"enterprise\"]\n\
[[assign]]\npaths = [\"src/ee/**\", \"ee/**\"]\nedition = \"enterprise\"\n\
[headers]\ninclude = []\n";

const PRELUDE_MANIFEST: &str = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
license = \"AGPL-3.0-only\"\npublish = false\n\n[features]\nenterprise = []\n\n[workspace]\n";

/// Where findings or compiler errors are: (path, line).
type Places = BTreeSet<(String, u64)>;

/// A parsed case: its name and files.
pub(crate) struct Case {
    pub(crate) name: String,
    files: Vec<(String, String)>,
}

/// The cases: `tests/differential/*.case`, or the folder
/// `COREFENCE_DIFFERENTIAL_CASES` names (to try cases before adding them).
pub(crate) fn cases() -> Vec<Case> {
    let dir = std::env::var_os("COREFENCE_DIFFERENTIAL_CASES")
        .map_or_else(|| repo_root().join("tests/differential"), PathBuf::from);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no differential cases in {}", dir.display());
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let mut files: Vec<(String, String)> = Vec::new();
            for line in text.split_inclusive('\n') {
                if let Some(path) = line.strip_prefix("--- ") {
                    files.push((path.trim().to_owned(), String::new()));
                } else if let Some((_, body)) = files.last_mut() {
                    body.push_str(line);
                }
            }
            if !files.iter().any(|(p, _)| p == "corefence.toml") {
                files.push(("corefence.toml".to_owned(), PRELUDE_CONFIG.to_owned()));
            }
            if !files.iter().any(|(p, _)| p == "Cargo.toml") {
                files.push(("Cargo.toml".to_owned(), PRELUDE_MANIFEST.to_owned()));
            }
            Case { name: p.file_stem().unwrap().to_string_lossy().into_owned(), files }
        })
        .collect()
}

pub(crate) fn write_case(case: &Case, root: &Path) {
    let macros = repo_root().join("macros").display().to_string();
    for (rel, body) in &case.files {
        // `--- link -> target`: a symbolic link.
        if let Some((link, target)) = rel.split_once(" -> ") {
            let p = root.join(link);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink(target, p).unwrap();
            #[cfg(not(unix))]
            panic!("{}: symbolic links need a unix file system ({link} -> {target})", case.name);
            continue;
        }
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body.replace("{COREFENCE_MACROS}", &macros)).unwrap();
    }
}

fn target_dir() -> PathBuf {
    repo_root().join("target/differential")
}

fn cargo(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new("cargo").args(args).current_dir(root).env("CARGO_TARGET_DIR", target_dir()).output().unwrap()
}

/// The community build's configurations, as cargo arguments after `check`:
/// default features, no default features, and each feature the exported
/// community tree still has (those mapped to higher editions are gone).
fn configurations(exported: &Path) -> Vec<Vec<String>> {
    let base = ["--workspace", "--all-targets", "--keep-going", "--offline", "--message-format", "json"]
        .map(str::to_owned)
        .to_vec();
    let mut out = vec![base.clone(), [base.clone(), vec!["--no-default-features".to_owned()]].concat()];
    let mut features = BTreeSet::new();
    let mut stack = vec![exported.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == "Cargo.toml") {
                let doc: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap_or_default();
                if let Some(table) = doc.get("features").and_then(|f| f.as_table()) {
                    features.extend(table.keys().filter(|k| *k != "default").cloned());
                }
            }
        }
    }
    for f in features {
        out.push([base.clone(), vec!["--features".to_owned(), f]].concat());
    }
    out
}

/// Runs one case; returns what corefence found and what the compiler did,
/// and the Rust files where a run on that file alone (as a pre-commit
/// hook runs) reports otherwise than the compiler breaks there.
fn run_case(case: &Case) -> (Places, Places, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    write_case(case, &root);
    let full = cargo(&root, &["check", "--workspace", "--all-targets", "--all-features", "--offline"]);
    assert!(
        full.status.success(),
        "case {}: the whole workspace must build with every feature:\n{}",
        case.name,
        String::from_utf8_lossy(&full.stderr)
    );
    let check =
        Command::new(COREFENCE).args(["check", "--format", "json", "--no-cache"]).current_dir(&root).output().unwrap();
    assert_ne!(check.status.code(), Some(2), "case {}: {}", case.name, String::from_utf8_lossy(&check.stderr));
    let found = error_places(&check.stdout, "boundary/");
    let mut broken = BTreeSet::new();
    let plain = dir.path().join("plain");
    let export = Command::new(COREFENCE)
        .args(["export", "--edition", "community"])
        .arg(&plain)
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(export.status.success(), "case {}: {}", case.name, String::from_utf8_lossy(&export.stderr));
    for (i, args) in configurations(&plain).iter().enumerate() {
        let out = dir.path().join(format!("out{i}"));
        let command = format!("cargo check {}", args.join(" "));
        let export = Command::new(COREFENCE)
            .args(["export", "--edition", "community", "--check", "--format", "json", "--check-cmd", &command])
            .arg(&out)
            .current_dir(&root)
            .env("CARGO_TARGET_DIR", target_dir())
            .output()
            .unwrap();
        assert_ne!(export.status.code(), Some(2), "case {}: {}", case.name, String::from_utf8_lossy(&export.stderr));
        broken.extend(error_places(&export.stdout, "export/build"));
    }
    // Files, not the links a case makes (`--- link -> target`).
    let rust_files = (case.files.iter().map(|(rel, _)| rel))
        .filter(|rel| !rel.contains(" -> ") && Path::new(rel.as_str()).extension().is_some_and(|e| e == "rs"));
    let alone = rust_files
        .filter(|rel| {
            let check = Command::new(COREFENCE)
                .args(["check", "--format", "json", "--no-cache", rel.as_str()])
                .current_dir(&root)
                .output()
                .unwrap();
            let there = |places: &Places| places.iter().filter(|(path, _)| path == *rel).cloned().collect::<Places>();
            there(&error_places(&check.stdout, "boundary/")) != there(&broken)
        })
        .cloned()
        .collect();
    (found, broken, alone)
}

#[test]
fn findings_are_exactly_where_the_community_build_breaks() {
    let mut failures = Vec::new();
    let (mut agreed, mut missed, mut false_findings) = (0, 0, 0);
    for case in cases() {
        let (found, broken, alone) = run_case(&case);
        agreed += found.intersection(&broken).count();
        let only_compiler: Vec<_> = broken.difference(&found).collect();
        let only_corefence: Vec<_> = found.difference(&broken).collect();
        missed += only_compiler.len();
        false_findings += only_corefence.len();
        // A case that is not a trap must break somewhere: one that builds
        // clean tests nothing (the export and the check may share a blind
        // spot, as a tag spelling both missed once did).
        if broken.is_empty() && !case.name.starts_with("trap_") {
            failures.push(format!("{}: not a `trap_` case, but the community build breaks nowhere", case.name));
        }
        if !alone.is_empty() {
            failures.push(format!("{}: a run on one file disagrees with the build there: {alone:?}", case.name));
        }
        if !only_compiler.is_empty() || !only_corefence.is_empty() {
            failures.push(format!(
                "{}: the build breaks where corefence is silent {only_compiler:?}; corefence reports where it builds {only_corefence:?}",
                case.name
            ));
        }
    }
    let ratio = |a: usize, b: usize| f64::from(u32::try_from(a).unwrap()) / f64::from(u32::try_from(b.max(1)).unwrap());
    let (recall, precision) = (ratio(agreed, agreed + missed), ratio(agreed, agreed + false_findings));
    assert!(
        failures.is_empty(),
        "recall {recall:.2}, precision {precision:.2} ({agreed} agreed, {missed} missed, {false_findings} false):\n{}",
        failures.join("\n")
    );
}
