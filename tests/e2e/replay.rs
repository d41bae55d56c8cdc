//! A full run's findings, reported again by a run on a workspace in which
//! nothing changed: the same findings, nothing read, and never a stale one.

use std::path::{Path, PathBuf};

use corefence::engine::Outcome;

use crate::cache::{age, check, walk, with_old_files};
use crate::support::copy_fixture;

/// A copy of a fixture whose files are an hour old (so that their stamps
/// can be trusted) with a Cargo build folder to keep the cache in.
fn workspace(fixture: &str) -> (tempfile::TempDir, PathBuf) {
    let (dir, root) = copy_fixture(fixture);
    with_old_files(&root);
    (dir, root)
}

/// Everything a user sees of each finding, in any output format.
fn findings(outcome: &Outcome) -> Vec<String> {
    outcome
        .diagnostics
        .iter()
        .map(|d| {
            let labels: Vec<String> =
                d.labels.iter().map(|l| format!("{}:{:?} {}", l.location.path(), l.location.start(), l.text)).collect();
            format!(
                "{}:{:?}-{:?} {} {} {} | {:?} | {:?} | {:?} {:?} {:?} | {} | {labels:?} | {:?}",
                d.location.path(),
                d.location.start(),
                d.location.end(),
                d.severity,
                d.code,
                d.message,
                d.primary_label,
                d.help,
                d.edition,
                d.target_edition,
                d.symbol,
                d.fingerprint,
                d.fix,
            )
        })
        .collect()
}

/// Whether the run reported stored findings: nothing was read.
fn replayed(outcome: &Outcome) -> bool {
    outcome.cached == outcome.files && outcome.files > 0
}

#[test]
fn an_unchanged_workspace_gets_the_same_findings_without_a_file_read() {
    for fixture in ["boundary/import", "boundary/suppress", "headers", "demo"] {
        let (_dir, root) = workspace(fixture);
        let uncached = findings(&check(&root, &[], false));
        assert!(!uncached.is_empty(), "{fixture}");
        let first = check(&root, &[], true);
        assert!(!replayed(&first), "{fixture}: nothing stored yet");
        assert_eq!(findings(&first), uncached, "{fixture}");
        let second = check(&root, &[], true);
        assert_eq!(findings(&second), uncached, "{fixture}");
        assert_eq!((second.files, second.parsed), (first.files, first.parsed), "{fixture}");
        // The headers fixture licenses a file through a sidecar, which file
        // stamps do not cover: it is always checked.
        assert_eq!(replayed(&second), fixture != "headers", "{fixture}");
        // A run on one file takes its findings from the same record.
        let one = walk(&root).into_iter().map(|p| p.to_string_lossy().replace('\\', "/")).find(|rel| {
            Path::new(rel).extension().is_some_and(|e| e == "rs")
                && uncached.iter().any(|f| f.starts_with(&format!("{rel}:")))
        });
        let one = one.expect("a Rust file with findings");
        let scoped = check(&root, &[&one], true);
        assert_eq!(findings(&scoped), findings(&check(&root, &[&one], false)), "{fixture}: {one}");
    }
}

#[test]
fn a_file_rewritten_behind_its_old_time_is_checked_again() {
    let (_dir, root) = workspace("boundary/import");
    let rel = "crates/acme-core/src/lookalikes.rs";
    let before = findings(&check(&root, &[], true));
    assert!(!before.iter().any(|f| f.starts_with(rel)), "{before:?}");
    // A file without findings gets an enterprise import, keeps its size and
    // gets its old time back (as `touch -d` or `cp -p` leave it): only its
    // status-change time tells.
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let (first, rest) = text.split_once('\n').unwrap();
    let import = "use ::acme_ee::Audit as _;";
    let changed = format!("{import}{}\n{rest}", " ".repeat(first.len() - import.len()));
    assert_eq!(changed.len(), text.len());
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::fs::write(&path, changed).unwrap();
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(modified).unwrap();
    let after = check(&root, &[], true);
    assert!(!replayed(&after));
    assert_eq!(findings(&after), findings(&check(&root, &[], false)));
    assert!(findings(&after).iter().any(|f| f.starts_with(rel)), "{:?}", findings(&after));
}

#[test]
fn a_file_added_or_removed_is_checked_again() {
    let (_dir, root) = workspace("boundary/import");
    check(&root, &[], true);
    let added = PathBuf::from("crates/acme-app/src/later.rs");
    std::fs::write(root.join(&added), "pub fn later() { let _ = acme_api::Token; }\n").unwrap();
    std::fs::write(root.join("crates/acme-app/src/main.rs"), {
        let main = std::fs::read_to_string(root.join("crates/acme-app/src/main.rs")).unwrap();
        format!("{main}\nmod later;\n")
    })
    .unwrap();
    age(&root, &[added.clone(), PathBuf::from("crates/acme-app/src/main.rs")]);
    check(&root, &[], true);
    let with = check(&root, &[], true);
    assert!(replayed(&with));
    assert_eq!(findings(&with), findings(&check(&root, &[], false)));
    assert!(findings(&with).iter().any(|f| f.starts_with("crates/acme-app/src/later.rs:")), "{:?}", findings(&with));
    std::fs::remove_file(root.join(&added)).unwrap();
    let without = check(&root, &[], true);
    assert!(!replayed(&without));
    assert_eq!(findings(&without), findings(&check(&root, &[], false)));
    assert!(!findings(&without).iter().any(|f| f.starts_with("crates/acme-app/src/later.rs:")));
}

#[test]
fn a_sidecar_license_change_is_seen() {
    let (_dir, root) = workspace("headers");
    let sidecar = root.join("assets/sidecar.json.license");
    check(&root, &[], true);
    let text = std::fs::read_to_string(&sidecar).unwrap();
    std::fs::write(&sidecar, text.replace("AGPL-3.0-only", "GPL-2.0-only ")).unwrap();
    age(&root, &[PathBuf::from("assets/sidecar.json.license")]);
    let after = check(&root, &[], true);
    assert_eq!(findings(&after), findings(&check(&root, &[], false)));
    assert!(
        findings(&after).iter().any(|f| f.starts_with("assets/sidecar.json:") && f.contains("license/mismatch")),
        "{:?}",
        findings(&after)
    );
}

#[cfg(unix)]
#[test]
fn a_new_link_to_a_file_means_a_full_check() {
    let (_dir, root) = workspace("boundary/import");
    check(&root, &[], true);
    assert!(replayed(&check(&root, &[], true)));
    std::os::unix::fs::symlink("main.rs", root.join("crates/acme-app/src/alias.rs")).unwrap();
    let after = check(&root, &[], true);
    assert!(!replayed(&after), "a link changes what the walk sees");
    assert_eq!(findings(&after), findings(&check(&root, &[], false)));
}
