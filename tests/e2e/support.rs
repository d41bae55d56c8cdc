//! Running the CLI in process, from the repository root, with fixed streams.

use std::path::PathBuf;

/// The repository root, where `fixtures/` lives.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What one run printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `corefence ARGS` in process, as if from the repository root, without
/// a terminal (so no colour).
pub fn corefence(args: &[&str]) -> Run {
    corefence_in(repo_root(), args)
}

/// Runs `corefence ARGS` in process from `cwd`.
pub fn corefence_in(cwd: PathBuf, args: &[&str]) -> Run {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut io = corefence::cli::Io { stdout: &mut stdout, stderr: &mut stderr, cwd, stderr_is_terminal: false };
    let code = corefence::cli::run(std::iter::once("corefence").chain(args.iter().copied()), &mut io);
    Run {
        code,
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// Fails a test whose external tool is missing. Such tests are
/// `#[ignore = "needs <tool>"]`: `cargo test` skips them by name, and
/// `.ci/run` installs every tool and runs them with `--include-ignored`, so
/// a missing tool there is a broken CI, never a silent pass.
pub fn tool_missing(tool: &str, install: &str) -> ! {
    panic!("{tool} is not installed ({install}); this test needs it")
}

/// Where the tests that install corefence as a user would (the wheel,
/// pre-commit's hooks) build it: one cargo folder they share, under
/// `$CARGO_TARGET_DIR` (else `target/`), with pre-commit's cache beside it.
pub fn packaging_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| repo_root().join("target"), PathBuf::from).join("packaging")
}

/// Held by each test that builds in `packaging_dir()` for as long as it
/// builds and installs: maturin moves the binary it packs out of cargo's
/// folder, so a build running beside another could find it gone.
pub fn packaging_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Points a command that builds corefence in the release profile (`cargo
/// install`, maturin, pip) at the shared cargo folder, with the profile
/// turned down to debug speed: the tests install what users install, in one
/// quick build that every installer reuses.
pub fn quick_release_build(command: &mut std::process::Command) -> &mut std::process::Command {
    command
        .env("CARGO_TARGET_DIR", packaging_dir().join("cargo"))
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
}

/// A copy of `fixtures/NAME` in a temporary folder: the folder and the copy.
pub fn copy_fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join(name);
    copy_dir(&repo_root().join("fixtures").join(name), &target);
    (dir, target)
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// (path, line) of the errors of a `--format json` document whose code
/// starts with `prefix`.
pub fn error_places(json: &[u8], prefix: &str) -> std::collections::BTreeSet<(String, u64)> {
    let doc: serde_json::Value =
        serde_json::from_slice(json).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(json)));
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error" && d["code"].as_str().unwrap().starts_with(prefix))
        .map(|d| (d["path"].as_str().unwrap().to_owned(), d["line"].as_u64().unwrap()))
        .collect()
}

/// A committed one-crate repository whose `src/ee/` is enterprise code
/// behind the mapped `enterprise` feature, and whose community `src/free.rs`
/// does not use it yet: what the hook tests start from.
pub fn hook_workspace(repo: &std::path::Path, header: &str) {
    let write = |rel: &str, text: &str| write(repo, rel, text);
    write(
        "corefence.toml",
        "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n\
         [editions.enterprise]\nlicense = \"LicenseRef-Acme\"\nuses = [\"community\"]\nfeatures = [\"enterprise\"]\n\
         [[assign]]\npaths = [\"src/ee/**\"]\nedition = \"enterprise\"\n",
    );
    write(
        "Cargo.toml",
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nlicense = \"AGPL-3.0-only\"\n[features]\nenterprise = []\n",
    );
    write("src/lib.rs", &format!("{header}#[cfg(feature = \"enterprise\")]\npub mod ee;\npub mod free;\n"));
    write("src/ee/mod.rs", "// SPDX-License-Identifier: LicenseRef-Acme\npub fn sso() {}\n");
    write("src/free.rs", &format!("{header}pub fn open() {{}}\n"));
}

/// Writes `bytes` to `root/rel`, creating its folders.
pub fn write(root: &std::path::Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// Runs `git -C repo ARGS` as a configured committer who does not sign.
pub fn git(repo: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["-c", "user.name=Dev", "-c", "user.email=dev@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .unwrap()
}
