//! `check --staged` judges exactly what git will commit, whatever the
//! working tree looks like: a hostile or careless working tree must not let a
//! staged crossing through the pre-commit hook.

use crate::support::write;
use std::path::Path;
use std::process::{Command, Output};

const COREFENCE: &str = env!("CARGO_BIN_EXE_corefence");
const HEADER: &str = "// SPDX-License-Identifier: AGPL-3.0-only\n";
const EE_HEADER: &str = "// SPDX-License-Identifier: LicenseRef-Acme\n";
const CONFIG: &str = "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n\
     [editions.enterprise]\nlicense = \"LicenseRef-Acme\"\nuses = [\"community\"]\nfeatures = [\"enterprise\"]\n\
     [[assign]]\npaths = [\"src/ee/**\"]\nedition = \"enterprise\"\n";
const LEAK: &str = "pub fn open() { crate::ee::sso() }\n";

fn git(repo: &Path, args: &[&str]) -> Output {
    // Submodules come from local folders.
    let out = crate::support::git(repo, &[&["-c", "protocol.file.allow=always"], args].concat());
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// A committed, clean repository: `src/free.rs` is community code, `src/ee/`
/// enterprise code behind the `enterprise` feature.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q", "-b", "main"]);
    write(repo, "corefence.toml", CONFIG);
    write(
        repo,
        "Cargo.toml",
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nlicense = \"AGPL-3.0-only\"\n[features]\nenterprise = []\n",
    );
    write(repo, "src/lib.rs", format!("{HEADER}#[cfg(feature = \"enterprise\")]\npub mod ee;\npub mod free;\n"));
    write(repo, "src/ee/mod.rs", format!("{EE_HEADER}pub fn sso() {{}}\n"));
    write(repo, "src/free.rs", format!("{HEADER}pub fn open() {{}}\n"));
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "start"]);
    dir
}

fn staged(repo: &Path) -> (Option<i32>, String) {
    let out =
        Command::new(COREFENCE).args(["check", "--staged", "--format", "short"]).current_dir(repo).output().unwrap();
    (out.status.code(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

fn assert_blocked(repo: &Path, rel: &str) {
    let (code, out) = staged(repo);
    assert_eq!(code, Some(1), "the staged crossing passed:\n{out}");
    assert!(out.lines().any(|l| l.starts_with(rel) && l.contains("boundary/import")), "{out}");
}

#[test]
fn a_staged_file_deleted_in_the_working_tree_is_checked() {
    let dir = repo();
    let repo = dir.path();
    write(repo, "src/free.rs", format!("{HEADER}{LEAK}"));
    git(repo, &["add", "src/free.rs"]);
    std::fs::remove_file(repo.join("src/free.rs")).unwrap();
    assert_blocked(repo, "src/free.rs");
}

#[cfg(unix)]
#[test]
fn a_staged_file_replaced_by_a_link_in_the_working_tree_is_checked() {
    let dir = repo();
    let repo = dir.path();
    write(repo, "src/free.rs", format!("{HEADER}{LEAK}"));
    git(repo, &["add", "src/free.rs"]);
    write(repo, "clean.rs", format!("{HEADER}pub fn open() {{}}\n"));
    std::fs::remove_file(repo.join("src/free.rs")).unwrap();
    std::os::unix::fs::symlink(repo.join("clean.rs"), repo.join("src/free.rs")).unwrap();
    assert_blocked(repo, "src/free.rs");
}

#[test]
fn a_file_forced_past_gitignore_is_checked_staged_and_unstaged() {
    let dir = repo();
    let repo = dir.path();
    write(repo, ".gitignore", "src/gen/\n");
    write(repo, "src/lib.rs", format!("{HEADER}#[cfg(feature = \"enterprise\")]\npub mod ee;\npub mod free;\n#[path = \"gen/leak.rs\"]\npub mod leak;\n"));
    write(repo, "src/gen/leak.rs", format!("{HEADER}{LEAK}"));
    git(repo, &["add", ".gitignore", "src/lib.rs"]);
    git(repo, &["add", "-f", "src/gen/leak.rs"]);
    assert_blocked(repo, "src/gen/leak.rs");
    // Committed, it is part of every checkout: a plain check sees it too.
    let out = Command::new(COREFENCE).args(["check", "--format", "short"]).current_dir(repo).output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("src/gen/leak.rs"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn an_ignore_file_hides_nothing() {
    let dir = repo();
    let repo = dir.path();
    // `.ignore` is ripgrep's, not git's: the file is still committed.
    write(repo, ".ignore", "src/free.rs\n");
    write(repo, "src/free.rs", format!("{HEADER}{LEAK}"));
    git(repo, &["add", ".ignore", "src/free.rs"]);
    assert_blocked(repo, "src/free.rs");
    let out = Command::new(COREFENCE).args(["check", "--format", "short"]).current_dir(repo).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("src/free.rs"), "{}", String::from_utf8_lossy(&out.stdout));
}

#[cfg(unix)]
#[test]
fn a_file_name_with_a_newline_does_not_confuse_the_index_reader() {
    let dir = repo();
    let repo = dir.path();
    write(repo, "src/lib.rs", format!("{HEADER}#[cfg(feature = \"enterprise\")]\npub mod ee;\npub mod free;\n#[path = \"we\\nird.rs\"]\npub mod weird;\n"));
    write(repo, "src/we\nird.rs", format!("{HEADER}{LEAK}"));
    // A second staged file with an unstaged edit, read from the index after it.
    write(repo, "src/free.rs", format!("{HEADER}{LEAK}"));
    git(repo, &["add", "."]);
    write(repo, "src/we\nird.rs", format!("{HEADER}pub fn open() {{}}\n"));
    write(repo, "src/free.rs", format!("{HEADER}pub fn open() {{}}\n"));
    let (code, out) = staged(repo);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("src/free.rs:2:17: error[boundary/import]"), "{out}");
    assert!(out.contains("src/we\\u{a}ird.rs:2:17: error[boundary/import]"), "{out}");
}

#[test]
fn a_submodule_is_judged_by_its_own_index() {
    // The superproject's configuration says MIT; the submodule has none of
    // its own, so its own defaults (AGPL) apply to its own index.
    let sub_origin = tempfile::tempdir().unwrap();
    git(sub_origin.path(), &["init", "-q", "-b", "main"]);
    write(sub_origin.path(), "src/lib.rs", format!("{HEADER}pub fn f() {{}}\n"));
    git(sub_origin.path(), &["add", "."]);
    git(sub_origin.path(), &["commit", "-q", "-m", "start"]);
    let dir = repo();
    let repo = dir.path();
    write(repo, "corefence.toml", "default = \"c\"\n[editions.c]\nlicense = \"MIT\"\n");
    git(repo, &["submodule", "add", "-q", &sub_origin.path().display().to_string(), "sub"]);
    let sub = repo.join("sub");
    write(&sub, "src/new.rs", "pub fn no_header() {}\n");
    git(&sub, &["add", "src/new.rs"]);
    let (code, out) = staged(&sub);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("src/new.rs:1:1: error[license/missing]"), "{out}");
    assert!(out.contains("using the embedded defaults"), "{out}");
}

#[test]
fn a_staged_configuration_change_reports_on_the_whole_tree() {
    let dir = repo();
    let repo = dir.path();
    // Committed while `src/ee/` was not enterprise: no crossing then.
    write(repo, "corefence.toml", CONFIG.replace("src/ee/**", "nothing/**"));
    write(repo, "src/free.rs", format!("{HEADER}{LEAK}"));
    write(repo, "src/ee/mod.rs", format!("{HEADER}pub fn sso() {{}}\n"));
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "before"]);
    // Only the configuration is staged, and it makes `free.rs` a crossing.
    write(repo, "corefence.toml", CONFIG);
    write(repo, "src/ee/mod.rs", format!("{EE_HEADER}pub fn sso() {{}}\n"));
    git(repo, &["add", "corefence.toml"]);
    let (code, out) = staged(repo);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("src/free.rs:2:17: error[boundary/import]"), "{out}");
    // The index, not the working tree, holds ee/mod.rs's license: still the old one.
    assert!(out.contains("src/ee/mod.rs:1:29: error[license/mismatch]"), "{out}");
}
