//! The pre-commit framework (`pip install pre-commit`) building corefence
//! from this repository through `.pre-commit-hooks.yaml`'s `corefence-cargo`
//! hook (`language: rust`) and running it on a user's repository. Ignored by
//! default: `.ci/run` installs pre-commit and runs it. The `corefence` hook
//! (`language: python`, the wheel) is tested in `install.rs`.
//!
//! pre-commit builds the hook with `cargo install`; the release profile is
//! turned down to debug speed through cargo's environment so the test costs
//! one quick build, shared between runs and with the wheel's tests
//! (`support::quick_release_build`).

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{packaging_dir, quick_release_build, repo_root};

fn run(repo: &Path, program: &str, args: &[&str]) -> Output {
    quick_release_build(Command::new(program).args(args).current_dir(repo))
        .env("PRE_COMMIT_HOME", packaging_dir().join("pre-commit"))
        .output()
        .unwrap()
}

#[test]
#[ignore = "needs pre-commit"]
fn pre_commit_framework_runs_the_cargo_hook() {
    if Command::new("pre-commit").arg("--version").output().is_err() {
        crate::support::tool_missing("pre-commit", "pip install pre-commit");
    }
    let _building = crate::support::packaging_lock();
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let git = |args: &[&str]| {
        let out = run(repo, "git", &[&["-c", "user.name=Dev", "-c", "user.email=dev@example.com"], args].concat());
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    git(&["init", "-q", "-b", "main"]);
    std::fs::write(
        repo.join("corefence.toml"),
        "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n",
    )
    .unwrap();
    std::fs::create_dir(repo.join("src")).unwrap();
    std::fs::write(repo.join("src/lib.rs"), "pub fn no_header() {}\n").unwrap();
    git(&["add", "."]);

    let hook_repo = repo_root().display().to_string();
    let failing = run(repo, "pre-commit", &["try-repo", &hook_repo, "corefence-cargo", "--files", "src/lib.rs"]);
    let output = format!("{}{}", String::from_utf8_lossy(&failing.stdout), String::from_utf8_lossy(&failing.stderr));
    assert!(!failing.status.success(), "the hook passed a file without a header:\n{output}");
    assert!(output.contains("src/lib.rs") && output.contains("license/missing"), "{output}");

    std::fs::write(repo.join("src/lib.rs"), "// SPDX-License-Identifier: AGPL-3.0-only\npub fn header() {}\n").unwrap();
    git(&["add", "."]);
    let passing = run(repo, "pre-commit", &["try-repo", &hook_repo, "corefence-cargo", "--files", "src/lib.rs"]);
    assert!(
        passing.status.success(),
        "{}{}",
        String::from_utf8_lossy(&passing.stdout),
        String::from_utf8_lossy(&passing.stderr)
    );

    // Whatever `[headers] include` covers reaches the hook, not only Rust.
    std::fs::write(
        repo.join("corefence.toml"),
        "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n\
         [headers]\ninclude = [\"**/*.rs\", \"**/*.py\"]\n",
    )
    .unwrap();
    std::fs::write(repo.join("tool.py"), "print('no header')\n").unwrap();
    git(&["add", "."]);
    let python = run(repo, "pre-commit", &["try-repo", &hook_repo, "corefence-cargo", "--files", "tool.py"]);
    let output = format!("{}{}", String::from_utf8_lossy(&python.stdout), String::from_utf8_lossy(&python.stderr));
    assert!(!python.status.success(), "the hook passed a Python file without a header:\n{output}");
    assert!(output.contains("tool.py") && output.contains("license/missing"), "{output}");
}
