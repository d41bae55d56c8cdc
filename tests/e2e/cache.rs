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
    with_old_files(&root);
    (dir, root)
}

/// Every file under `root`, relative to it.
pub(crate) fn walk(root: &Path) -> Vec<PathBuf> {
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

/// A run reporting on `paths` (everything when empty), with or without the cache.
pub(crate) fn check(root: &Path, paths: &[&str], cache: bool) -> Outcome {
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
    // Whether or not that run stored the change, the next one sees it.
    let again = check(&root, &[APP], true);
    assert_eq!(findings(&again), findings(&after));
    assert!(again.cached >= again.files - 2, "{} of {} files", again.cached, again.files);
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

/// Marks `root` as having a Cargo build folder (where the cache goes) and
/// sets every file's time an hour back, so that the cache may trust it.
pub(crate) fn with_old_files(root: &Path) {
    std::fs::create_dir_all(root.join("target")).unwrap();
    std::fs::write(root.join("target/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n").unwrap();
    age(root, &walk(root));
}

/// Sets the modification time of `root` and every folder below it an hour
/// back, so that the listing of the walk may trust them.
fn age_folders(root: &Path) {
    let old = SystemTime::now() - Duration::from_hours(1);
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                folders.push(entry.path());
            }
        }
        std::fs::File::open(&folder).unwrap().set_modified(old).unwrap();
    }
}

/// The walk's listing is kept between runs, and a file added since is
/// found all the same: its folder changed.
#[test]
fn a_kept_listing_still_finds_a_file_added_since() {
    let (_dir, root) = workspace();
    std::fs::create_dir_all(root.join("target/corefence")).unwrap();
    age_folders(&root);
    let before = findings(&check(&root, &[], true));
    assert!(root.join("target/corefence/index-listing.bin").is_file(), "a walk of settled folders is kept");
    assert_eq!(findings(&check(&root, &[APP], true)), findings(&check(&root, &[APP], false)));
    // A new module importing enterprise code through the re-export, and
    // its `mod` appended to the app in place.
    std::fs::write(root.join("crates/acme-app/src/extra.rs"), "pub use acme_api::Token as Again;\n").unwrap();
    let main = root.join("crates/acme-app/src/main.rs");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("{text}mod extra;\n")).unwrap();
    let after = findings(&check(&root, &[], true));
    assert_eq!(after, findings(&check(&root, &[], false)));
    assert!(after.len() > before.len(), "the new file's import is found: {after:?}");
    assert!(after.iter().any(|f| f.starts_with("crates/acme-app/src/extra.rs")), "{after:?}");
}

/// Sets the files' modification time an hour back.
pub(crate) fn age(root: &Path, files: &[PathBuf]) {
    let old = SystemTime::now() - Duration::from_hours(1);
    for rel in files {
        std::fs::File::options().write(true).open(root.join(rel)).unwrap().set_modified(old).unwrap();
    }
}

/// A run on one file takes every other file's index data from the cache
/// without what only that file's own findings need: on every differential
/// case, a cached run on each file with findings (and on the first file
/// without) reports there exactly what an uncached whole run reports.
#[test]
fn a_cached_run_on_one_file_finds_what_an_uncached_whole_run_finds_there() {
    let mut compared = 0;
    for case in crate::differential::cases() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        crate::differential::write_case(&case, &root);
        if !root.join("Cargo.toml").is_file() {
            continue;
        }
        with_old_files(&root);
        let whole = check(&root, &[], false);
        let mut files: Vec<String> = whole.diagnostics.iter().map(|d| d.location.path().to_owned()).collect();
        let quiet = walk(&root).into_iter().map(|p| p.to_string_lossy().into_owned()).filter(|p| {
            Path::new(p).extension().is_some_and(|e| e == "rs") && !p.starts_with("target") && !files.contains(p)
        });
        files.extend(quiet.min());
        files.sort();
        files.dedup();
        // The cache comes from a run on one file: a whole run's would also
        // keep its findings, which a run on an unchanged workspace reports
        // without the index (tests/e2e/replay.rs).
        if let Some(first) = files.iter().find(|f| Path::new(f).extension().is_some_and(|e| e == "rs")) {
            check(&root, &[first.as_str()], true);
        }
        for file in files.iter().filter(|f| Path::new(f).extension().is_some_and(|e| e == "rs")) {
            let one = check(&root, &[file.as_str()], true);
            assert_eq!(one.cached + 1, one.files, "{}: {file}: every other file comes from the cache", case.name);
            let there = |o: &Outcome| {
                findings(o).into_iter().filter(|f| f.starts_with(&format!("{file}:"))).collect::<Vec<_>>()
            };
            assert_eq!(there(&one), there(&whole), "{}: {file}", case.name);
            compared += 1;
        }
    }
    assert!(compared > 500, "{compared} files compared");
}

#[test]
fn an_unsaved_buffer_is_checked_against_the_cache_the_command_line_wrote() {
    let (_dir, root) = workspace();
    // The command line's run: its default size limit written out.
    let written = run(&Options {
        start: root.clone(),
        jobs: 2,
        cache: true,
        max_file_size: corefence::engine::DEFAULT_MAX_FILE_SIZE,
        ..Options::default()
    })
    .unwrap();
    assert!(!findings(&written).is_empty());
    let app = root.join(APP);
    let on_disk = std::fs::read(&app).unwrap();
    // The editor's run: the same limit by default, the buffer without its imports.
    let buffer = String::from_utf8(on_disk.clone()).unwrap().replace("use acme_api::Token;\n", "");
    let unsaved = std::collections::BTreeMap::from([(app.clone(), buffer.into_bytes())]);
    let editor =
        Options { start: root.clone(), paths: vec![app.clone()], jobs: 2, cache: true, unsaved, ..Options::default() };
    let outcome = run(&editor).unwrap();
    assert_eq!(outcome.cached + 1, outcome.files, "every other file from the command line's cache");
    let boundary: Vec<String> = findings(&outcome).into_iter().filter(|f| f.contains(" boundary/")).collect();
    assert_eq!(boundary, Vec::<String>::new(), "the buffer, not the file, was checked");
    assert_eq!(std::fs::read(&app).unwrap(), on_disk);
    // And the file on disk is still what the next command-line run reads.
    assert_eq!(findings(&check(&root, &[APP], true)), findings(&check(&root, &[APP], false)));
}
