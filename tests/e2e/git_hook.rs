//! The pre-commit path end to end, in a temporary git repository: the
//! installed hook blocks a commit that stages a violation and names the file,
//! lets a clean commit through, and `--staged` looks at the index, not at
//! unstaged edits.

use crate::support::{git, write};
use std::path::Path;
use std::process::{Command, Output};

const COREFENCE: &str = env!("CARGO_BIN_EXE_corefence");

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    assert!(git(repo, &["init", "-q", "-b", "main"]).status.success());
    write(repo, "corefence.toml", "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n");
    write(repo, "src/lib.rs", "// SPDX-License-Identifier: AGPL-3.0-only\npub fn f() {}\n");
    assert!(git(repo, &["add", "."]).status.success());
    assert!(git(repo, &["commit", "-q", "-m", "start"]).status.success());
    dir
}

fn install(repo: &Path) {
    let out = Command::new(COREFENCE).arg("install-hook").current_dir(repo).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn commit(repo: &Path, message: &str) -> Output {
    git(repo, &["commit", "-q", "-m", message])
}

#[test]
fn hook_blocks_a_bad_commit_and_lets_a_clean_one_through() {
    let dir = repo();
    let repo = dir.path();
    install(repo);
    write(repo, "src/new.rs", "pub fn no_header() {}\n");
    git(repo, &["add", "src/new.rs"]);
    let blocked = commit(repo, "bad");
    assert!(!blocked.status.success(), "the commit went through");
    let stderr = String::from_utf8_lossy(&blocked.stderr);
    assert!(stderr.contains("src/new.rs"), "the file is named: {stderr}");
    assert!(stderr.contains("license/missing"), "{stderr}");

    write(repo, "src/new.rs", "// SPDX-License-Identifier: AGPL-3.0-only\npub fn header() {}\n");
    git(repo, &["add", "src/new.rs"]);
    let clean = commit(repo, "good");
    assert!(clean.status.success(), "{}", String::from_utf8_lossy(&clean.stderr));
}

#[test]
fn hook_blocks_a_staged_boundary_crossing() {
    let dir = repo();
    let repo = dir.path();
    let header = "// SPDX-License-Identifier: AGPL-3.0-only\n";
    crate::support::hook_workspace(repo, header);
    git(repo, &["add", "."]);
    assert!(commit(repo, "editions").status.success());
    install(repo);
    write(repo, "src/free.rs", format!("{header}pub fn open() {{\n    crate::ee::sso();\n}}\n"));
    git(repo, &["add", "src/free.rs"]);
    let blocked = commit(repo, "community calls enterprise");
    assert!(!blocked.status.success(), "the commit went through");
    let stderr = String::from_utf8_lossy(&blocked.stderr);
    assert!(stderr.contains("boundary/import") && stderr.contains("src/free.rs"), "{stderr}");
}

#[test]
fn staged_checks_the_index_not_the_working_tree() {
    let dir = repo();
    let repo = dir.path();
    // Staged: fine. Working tree: broken, not staged. The commit is fine.
    write(repo, "src/a.rs", "// SPDX-License-Identifier: AGPL-3.0-only\npub fn a() {}\n");
    git(repo, &["add", "src/a.rs"]);
    write(repo, "src/a.rs", "pub fn a() {}\n");
    let run =
        Command::new(COREFENCE).args(["check", "--staged", "--format", "short"]).current_dir(repo).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stdout));
    // Staged: broken. Working tree: fixed, not staged. The commit is not fine.
    write(repo, "src/b.rs", "pub fn b() {}\n");
    git(repo, &["add", "src/b.rs"]);
    write(repo, "src/b.rs", "// SPDX-License-Identifier: AGPL-3.0-only\npub fn b() {}\n");
    // An unstaged, untracked violation is not part of the commit.
    write(repo, "src/untracked.rs", "pub fn u() {}\n");
    let run =
        Command::new(COREFENCE).args(["check", "--staged", "--format", "short"]).current_dir(repo).output().unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        "src/b.rs:1:1: error[license/missing] `src/b.rs` has no SPDX-License-Identifier header\n"
    );
}

#[test]
fn install_hook_never_clobbers_another_hook() {
    let dir = repo();
    let repo = dir.path();
    let hooks = repo.join(".git/hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    std::fs::write(hooks.join("pre-commit"), "#!/bin/sh\necho mine\n").unwrap();
    let refused = Command::new(COREFENCE).arg("install-hook").current_dir(repo).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(hooks.join("pre-commit")).unwrap(), "#!/bin/sh\necho mine\n");
    let forced = Command::new(COREFENCE).args(["install-hook", "--force"]).current_dir(repo).output().unwrap();
    assert!(forced.status.success());
    assert!(std::fs::read_to_string(hooks.join("pre-commit")).unwrap().contains("check --staged"));
    // Twice is harmless.
    install(repo);
}

#[test]
fn install_hook_respects_core_hooks_path() {
    let dir = repo();
    let repo = dir.path();
    git(repo, &["config", "core.hooksPath", "githooks"]);
    install(repo);
    assert!(repo.join("githooks/pre-commit").is_file());
    assert!(!repo.join(".git/hooks/pre-commit").exists());
}

#[test]
fn install_hook_from_a_subfolder_names_the_hook_by_its_plain_path() {
    let dir = repo();
    let repo = dir.path();
    let canonical = repo.canonicalize().unwrap();
    let out = Command::new(COREFENCE).arg("install-hook").current_dir(repo.join("src")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stderr);
    let hook = canonical.join(".git/hooks/pre-commit");
    assert!(said.contains(&format!("installed {}:", hook.display())), "{said}");
    assert!(!said.contains("/../") && !said.contains("/./"), "{said}");
    assert!(hook.is_file());
}
