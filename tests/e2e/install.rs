//! Installing corefence as its users do: the Python wheel that
//! `pyproject.toml` describes (maturin, `bindings = "bin"`), built from the
//! sdist, installed with pip into a virtualenv and run on the demo
//! workspace; pre-commit installing it as a Python package (this
//! repository's `corefence` hook, and a local hook naming the wheel) and
//! running it on real commits; and the hook manifest that offers each
//! install route.
//!
//! The wheel and the hook tests are ignored by default (they need maturin and
//! pre-commit; `.ci/run` installs both and runs them). They build in the
//! release profile turned down to debug speed, in the cargo folder the
//! pre-commit tests share (`support::quick_release_build`): the test build's
//! own binary cannot be reused, since `cargo test` compiles dependencies with
//! the dev-dependencies' features added.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{
    copy_fixture, corefence_in, git, hook_workspace, packaging_dir, packaging_lock, quick_release_build, repo_root,
};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn succeed(command: &mut Command) -> Output {
    let out = command.output().unwrap();
    assert!(out.status.success(), "{command:?} failed:\n{}", text(&out));
    out
}

/// The folder of a virtualenv's executables.
fn venv_bin(venv: &Path) -> PathBuf {
    venv.join(if cfg!(windows) { "Scripts" } else { "bin" })
}

/// Builds the sdist from the working tree into `out`, then the wheel from
/// that sdist alone (as pip does where no wheel fits), and returns the
/// wheel's path.
fn build_wheel(out: &Path) -> PathBuf {
    if Command::new("maturin").arg("--version").output().is_err() {
        crate::support::tool_missing("maturin", "pip install maturin");
    }
    succeed(
        quick_release_build(&mut Command::new("maturin"))
            .args(["build", "--sdist", "--release", "--out"])
            .arg(out)
            .current_dir(repo_root()),
    );
    let built = |extension: &str| -> PathBuf {
        let found: Vec<PathBuf> = std::fs::read_dir(out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_str().unwrap().ends_with(extension))
            .collect();
        assert_eq!(found.len(), 1, "one {extension}: {found:?}");
        found[0].clone()
    };
    let (sdist, wheel) = (built(".tar.gz"), built(".whl"));

    // The sdist holds what building and licensing need, and not the tests,
    // fixtures or benchmark.
    let listed = succeed(Command::new("tar").arg("-tzf").arg(&sdist));
    let files: BTreeSet<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter_map(|l| l.split_once('/').map(|(_, rel)| rel.to_owned()))
        .filter(|rel| !rel.is_empty() && !rel.ends_with('/'))
        .collect();
    for needed in ["pyproject.toml", "Cargo.toml", "Cargo.lock", "lint/src/lib.rs", "README.md", "LICENSE-MIT"] {
        assert!(files.contains(needed), "the sdist lacks {needed}: {files:?}");
    }
    for left_out in ["tests/", "fixtures/", "bench/", "fuzz/", "macros/"] {
        assert!(!files.iter().any(|f| f.starts_with(left_out)), "the sdist has {left_out}");
    }

    let name = wheel.file_name().unwrap().to_str().unwrap().to_owned();
    // A binary wheel: any Python 3, no Python ABI, one platform.
    assert!(name.starts_with(&format!("corefence-{VERSION}-py3-none-")), "{name}");
    wheel
}

/// A fresh virtualenv in `dir` with `wheel` installed from the file alone.
fn install(dir: &Path, wheel: &Path) -> PathBuf {
    let venv = dir.join("venv");
    succeed(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    succeed(
        Command::new(venv_bin(&venv).join("python"))
            .args(["-m", "pip", "install", "--no-index", "--no-deps", "--disable-pip-version-check", "--quiet"])
            .arg(wheel),
    );
    venv
}

/// (code, path, line) of every diagnostic of a `--format json` document.
fn findings(json: &[u8]) -> BTreeSet<(String, String, u64)> {
    let doc: serde_json::Value =
        serde_json::from_slice(json).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(json)));
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let field = |k: &str| d[k].as_str().unwrap().to_owned();
            (field("code"), field("path"), d["line"].as_u64().unwrap())
        })
        .collect()
}

#[test]
#[ignore = "needs maturin"]
fn wheel_installs_a_corefence_that_checks_the_demo() {
    let _building = packaging_lock();
    let dir = tempfile::tempdir().unwrap();
    let wheel = build_wheel(&dir.path().join("dist"));
    let venv = install(dir.path(), &wheel);
    let exe = venv_bin(&venv).join(if cfg!(windows) { "corefence.exe" } else { "corefence" });

    let version = succeed(Command::new(&exe).arg("--version"));
    assert_eq!(String::from_utf8_lossy(&version.stdout).trim(), format!("corefence {VERSION}"));
    // The cargo subcommand is for cargo users; the wheel carries one program.
    assert!(!venv_bin(&venv).join("cargo-corefence").exists(), "the wheel installed cargo-corefence");

    // The package metadata pip recorded: what PyPI will show.
    let metadata = succeed(Command::new(venv_bin(&venv).join("python")).args([
        "-c",
        "import importlib.metadata as m; d = m.metadata('corefence'); \
         print(d['Name'], d['Version'], d['License-Expression'], sep='\\n')",
    ]));
    let metadata = String::from_utf8_lossy(&metadata.stdout).into_owned();
    assert_eq!(metadata.lines().collect::<Vec<_>>(), ["corefence", VERSION, env!("CARGO_PKG_LICENSE")]);

    // The README's demo: the installed program finds what the library finds.
    let (_demo_dir, demo) = copy_fixture("demo");
    let installed =
        Command::new(&exe).args(["check", "--format", "json", "--no-cache"]).current_dir(&demo).output().unwrap();
    assert_eq!(installed.status.code(), Some(1), "{}", text(&installed));
    let library = corefence_in(demo.clone(), &["check", "--format", "json", "--no-cache"]);
    assert_eq!(library.code, 1);
    let found = findings(&installed.stdout);
    assert_eq!(found, findings(library.stdout.as_bytes()));
    let codes: BTreeSet<&str> = found.iter().map(|(code, _, _)| code.as_str()).collect();
    for code in ["boundary/import", "boundary/reexport", "boundary/dependency", "license/missing"] {
        assert!(codes.contains(code), "the demo's {code} is missing: {codes:?}");
    }

    // And as a person runs it: human output naming every code.
    let human = Command::new(&exe).args(["check", "--no-cache"]).current_dir(&demo).output().unwrap();
    assert_eq!(human.status.code(), Some(1), "{}", text(&human));
    let human = text(&human);
    for code in &codes {
        assert!(human.contains(code), "{code} not in the human output:\n{human}");
    }
}

/// Copies the working tree (tracked and new files, as git sees them) into a
/// fresh repository with one commit: what a user's `rev:` points at.
fn hook_repository(into: &Path) -> String {
    let root = repo_root();
    let listed = git(&root, &["ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
    assert!(listed.status.success(), "{}", text(&listed));
    for rel in listed.stdout.split(|b| *b == 0).filter(|r| !r.is_empty()) {
        let rel = std::str::from_utf8(rel).unwrap();
        let (from, to) = (root.join(rel), into.join(rel));
        if !from.exists() {
            continue; // deleted, not yet staged
        }
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&from, &to).unwrap();
    }
    for args in [&["init", "-q", "-b", "main"][..], &["add", "-A"], &["commit", "-q", "-m", "hooks"]] {
        let out = git(into, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
    }
    String::from_utf8(git(into, &["rev-parse", "HEAD"]).stdout).unwrap().trim().to_owned()
}

/// Whether pre-commit's output has the hook `name`'s line ending in `result`.
fn hook_result(output: &str, name: &str, result: &str) -> bool {
    output.lines().any(|l| l.strip_prefix(name).is_some_and(|rest| rest.starts_with('.') && rest.ends_with(result)))
}

/// Both Python routes through pre-commit, on real commits: this repository's
/// `corefence` hook (pip builds the wheel from the repository at `rev`), and
/// a local hook that installs a built wheel as an additional dependency, as
/// a user's configuration names the published wheel.
#[test]
#[ignore = "needs pre-commit and maturin"]
fn pre_commit_installs_the_python_hooks_and_blocks_a_crossing_commit() {
    if Command::new("pre-commit").arg("--version").output().is_err() {
        crate::support::tool_missing("pre-commit", "pip install pre-commit");
    }
    let _building = packaging_lock();
    let hooks = tempfile::tempdir().unwrap();
    let rev = hook_repository(hooks.path());
    let wheel = build_wheel(&hooks.path().join("dist"));

    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    // pre-commit, and git with the hooks it runs, with pre-commit's cache and
    // cargo's folder shared with the other packaging tests.
    let run = |program: &str, args: &[&str]| {
        let mut command = Command::new(program);
        if program == "git" {
            command.args(["-c", "user.name=Dev", "-c", "user.email=dev@example.com", "-c", "commit.gpgsign=false"]);
        }
        quick_release_build(command.args(args).current_dir(repo))
            .env("PRE_COMMIT_HOME", packaging_dir().join("pre-commit"))
            .output()
            .unwrap()
    };
    assert!(run("git", &["init", "-q", "-b", "main"]).status.success());
    let header = "// SPDX-License-Identifier: AGPL-3.0-only\n";
    hook_workspace(repo, header);
    crate::support::write(
        repo,
        ".pre-commit-config.yaml",
        format!(
            "repos:
  - repo: {hooks}
    rev: {rev}
    hooks:
      - id: corefence
  - repo: local
    hooks:
      - id: corefence-wheel
        name: corefence from the wheel
        entry: corefence check
        language: python
        additional_dependencies: [\"{wheel}\"]
        types: [file]
        require_serial: true
",
            hooks = hooks.path().display(),
            wheel = wheel.display(),
        ),
    );
    assert!(run("git", &["add", "."]).status.success());
    let start = run("git", &["commit", "-q", "-m", "start"]);
    assert!(start.status.success(), "{}", text(&start));
    let install = run("pre-commit", &["install"]);
    assert!(install.status.success(), "{}", text(&install));

    // Community code calling enterprise code: the hook blocks the commit.
    crate::support::write(repo, "src/free.rs", format!("{header}pub fn open() {{\n    crate::ee::sso();\n}}\n"));
    assert!(run("git", &["add", "src/free.rs"]).status.success());
    let blocked = run("git", &["commit", "-q", "-m", "cross the line"]);
    let output = text(&blocked);
    assert!(!blocked.status.success(), "the commit went through:\n{output}");
    assert!(output.contains("boundary/import") && output.contains("src/free.rs"), "{output}");
    assert!(hook_result(&output, "corefence", "Failed"), "{output}");
    assert!(hook_result(&output, "corefence from the wheel", "Failed"), "{output}");

    // Within the community edition: it goes through.
    crate::support::write(repo, "src/free.rs", format!("{header}pub fn open() -> u32 {{\n    1\n}}\n"));
    assert!(run("git", &["add", "src/free.rs"]).status.success());
    let clean = run("git", &["commit", "-q", "-m", "stay community"]);
    let output = text(&clean);
    assert!(clean.status.success(), "{output}");
    assert!(hook_result(&output, "corefence", "Passed"), "{output}");
    assert!(hook_result(&output, "corefence from the wheel", "Passed"), "{output}");
    let log = run("git", &["log", "--format=%s"]);
    assert_eq!(String::from_utf8_lossy(&log.stdout), "stay community\nstart\n");
}

/// The hooks in `.pre-commit-hooks.yaml`, each as its keys and raw values.
/// The manifest is a flat list of flat maps; comments and blank lines aside,
/// every line is `- key: value` or `  key: value`.
fn hook_manifest() -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let mut hooks: Vec<BTreeMap<String, String>> = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#')) {
        let entry = if let Some(first) = line.strip_prefix("- ") {
            hooks.push(BTreeMap::new());
            first
        } else {
            line.strip_prefix("  ").unwrap_or_else(|| panic!("not a hook's key: {line:?}"))
        };
        let (key, value) = entry.split_once(':').unwrap_or_else(|| panic!("not `key: value`: {line:?}"));
        let previous = hooks.last_mut().expect("a key before the first hook").insert(key.into(), value.trim().into());
        assert!(previous.is_none(), "{key} twice");
    }
    hooks
}

#[test]
fn hook_manifest_offers_the_wheel_and_the_source() {
    let hooks = hook_manifest();
    let by_id: BTreeMap<&str, &BTreeMap<String, String>> = hooks.iter().map(|h| (h["id"].as_str(), h)).collect();
    assert_eq!(by_id.keys().copied().collect::<Vec<_>>(), ["corefence", "corefence-cargo"], "{hooks:?}");
    assert_eq!(by_id["corefence"]["language"], "python");
    assert_eq!(by_id["corefence-cargo"]["language"], "rust");
    for hook in &hooks {
        // One run checks the whole workspace: pre-commit must not start
        // several at once on slices of the file list.
        assert_eq!(hook["require_serial"], "true", "{hook:?}");
        assert_eq!(hook["pass_filenames"], "true", "{hook:?}");
        assert_eq!(hook["entry"], "corefence check", "{hook:?}");
        // corefence.toml decides which files need a header, so every file
        // reaches it.
        assert_eq!(hook["types"], "[file]", "{hook:?}");
        assert!(!hook.contains_key("files") && !hook.contains_key("types_or"), "{hook:?}");
    }
}

/// The Python package is the crate: same name, version and license, built
/// by maturin as a binary, and the binary it names exists.
#[test]
fn python_package_is_the_corefence_binary() {
    let read =
        |file: &str| -> toml::Table { std::fs::read_to_string(repo_root().join(file)).unwrap().parse().unwrap() };
    let (pyproject, cargo) = (read("pyproject.toml"), read("Cargo.toml"));
    assert_eq!(pyproject["build-system"]["build-backend"].as_str(), Some("maturin"));
    let project = &pyproject["project"];
    assert_eq!(project["name"].as_str(), Some(env!("CARGO_PKG_NAME")));
    assert_eq!(project["license"].as_str(), Some(env!("CARGO_PKG_LICENSE")));
    // The version is the crate's, read by maturin, never a second copy.
    assert!(project.get("version").is_none());
    assert_eq!(
        project["dynamic"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect::<Vec<_>>(),
        ["version"]
    );
    for file in project["license-files"].as_array().unwrap() {
        assert!(repo_root().join(file.as_str().unwrap()).is_file(), "{file}");
    }
    assert!(repo_root().join(project["readme"].as_str().unwrap()).is_file());

    let maturin = &pyproject["tool"]["maturin"];
    assert_eq!(maturin["bindings"].as_str(), Some("bin"));
    let bins: Vec<&str> = cargo["bin"].as_array().unwrap().iter().map(|b| b["name"].as_str().unwrap()).collect();
    let targets = maturin["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0]["kind"].as_str(), Some("bin"));
    assert_eq!(targets[0]["name"].as_str(), Some("corefence"));
    assert!(bins.contains(&"corefence"), "{bins:?}");
}
