//! The index cache: a run on a few files reads only those and the files that
//! changed, gives the findings an uncached run gives, and never trusts a
//! stale or corrupt cache.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use corefence::engine::{run, Options, Outcome};

use crate::support::copy_fixture;

/// A copy of the import fixture whose files are old (so the cache may trust
/// their times) and which has a Cargo build folder to keep the cache in.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let (dir, root) = copy_fixture("boundary/import");
    std::fs::create_dir_all(root.join("target")).unwrap();
    std::fs::write(root.join("target/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n").unwrap();
    let old = SystemTime::now() - Duration::from_hours(1);
    for rel in walk(&root) {
        std::fs::File::options().write(true).open(root.join(rel)).unwrap().set_modified(old).unwrap();
    }
    (dir, root)
}

fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in std::fs::read_dir(root.join(&rel)).unwrap() {
            let entry = entry.unwrap();
            let child = rel.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                stack.push(child);
            } else {
                out.push(child);
            }
        }
    }
    out
}

fn check(root: &Path, paths: &[&str], cache: bool) -> Outcome {
    let paths = paths.iter().map(PathBuf::from).collect();
    run(&Options { start: root.to_path_buf(), paths, jobs: 2, cache, ..Options::default() }).unwrap()
}

fn findings(outcome: &Outcome) -> Vec<String> {
    outcome
        .diagnostics
        .iter()
        .map(|d| format!("{}:{} {} {}", d.location.path(), d.location.start().line, d.code.as_str(), d.message))
        .collect()
}

const APP: &str = "crates/acme-app/src/main.rs";

#[test]
fn a_run_on_one_file_reads_only_that_file() {
    let (_dir, root) = workspace();
    let uncached = findings(&check(&root, &[APP], false));
    assert!(!uncached.is_empty(), "the fixture's app imports enterprise code through a re-export");
    let first = check(&root, &[APP], true);
    assert_eq!(first.cached, 0);
    assert!(root.join("target/corefence/index.bin").is_file());
    let second = check(&root, &[APP], true);
    assert_eq!(findings(&second), uncached);
    // Every file but the one reported on came from the cache.
    assert_eq!(second.cached, second.files - 1, "{} of {} files", second.cached, second.files);
    // A whole run reads everything and still agrees.
    assert_eq!(findings(&check(&root, &[], true)), findings(&check(&root, &[], false)));
}

#[test]
fn a_changed_file_is_read_again() {
    let (_dir, root) = workspace();
    check(&root, &[APP], true);
    // The re-export the app's finding goes through disappears: the app's
    // finding must go with it, though only the app is reported on.
    let api = root.join("crates/acme-api/src/lib.rs");
    let text = std::fs::read_to_string(&api).unwrap().replace("pub use acme_ee::Token;", "pub struct Token;");
    std::fs::write(&api, text).unwrap();
    let after = check(&root, &[APP], true);
    assert_eq!(findings(&after), findings(&check(&root, &[APP], false)));
    assert!(!findings(&after).iter().any(|f| f.contains("boundary/import")), "{:?}", findings(&after));
}

#[test]
fn a_corrupt_cache_is_rebuilt() {
    let (_dir, root) = workspace();
    let expected = findings(&check(&root, &[APP], false));
    check(&root, &[APP], true);
    let cache = root.join("target/corefence/index.bin");
    std::fs::write(&cache, b"\x01\x02 not a cache").unwrap();
    let outcome = check(&root, &[APP], true);
    assert_eq!(findings(&outcome), expected);
    assert_eq!(outcome.cached, 0, "nothing may come from a corrupt cache");
    assert_ne!(std::fs::read(&cache).unwrap(), b"\x01\x02 not a cache");
    assert!(check(&root, &[APP], true).cached > 0, "the rebuilt cache serves the next run");
}

#[test]
fn a_configuration_change_drops_the_cache() {
    let (_dir, root) = workspace();
    check(&root, &[APP], true);
    let config = root.join("corefence.toml");
    let text = std::fs::read_to_string(&config).unwrap().replace("paths = [\"ee/**\"]", "paths = [\"nothing/**\"]");
    std::fs::write(&config, text).unwrap();
    let outcome = check(&root, &[APP], true);
    assert_eq!(outcome.cached, 0);
    assert_eq!(findings(&outcome), findings(&check(&root, &[APP], false)));
}
