//! A hostile workspace, generated here rather than committed: every kind of
//! bad input at once. Each hostile file must be named in a diagnostic that
//! says what to do, the real findings beside them must still be reported, and
//! the run must end in bounded time with exit 1 (2 for a broken config).

use crate::support::write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const COREFENCE: &str = env!("CARGO_BIN_EXE_corefence");
const HEADER: &str = "// SPDX-License-Identifier: AGPL-3.0-only\n";

/// Runs corefence with a deadline; a hang fails the test instead of CI.
fn run_bounded(root: &Path, args: &[&str], limit: Duration) -> (Option<i32>, String, String) {
    let mut child = Command::new(COREFENCE)
        .args(args)
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap());
    let err = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap());
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status.code(), out.join().unwrap(), err.join().unwrap());
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("corefence did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn hostile_workspace(root: &Path) {
    write(root, "corefence.toml", b"default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n");
    write(root, "Cargo.toml", b"[workspace]\nmembers = [\"good\", \"broken\"]\n");
    write(root, "good/Cargo.toml", b"[package]\nname = \"good\"\nlicense = \"AGPL-3.0-only\"\npublish = false\n");
    write(root, "good/src/lib.rs", format!("{HEADER}#[path = \"cycle.rs\"]\nmod cycle;\n").as_bytes());
    // A `#[path]` cycle: the module includes the file that includes it.
    write(root, "good/src/cycle.rs", format!("{HEADER}#[path = \"lib.rs\"]\nmod back;\n").as_bytes());
    // The real finding that must survive everything around it.
    write(root, "good/src/real_finding.rs", b"pub fn no_header() {}\n");
    write(root, "good/src/latin1.rs", b"// SPDX-License-Identifier: AGPL-3.0-only\n// caf\xe9\n");
    write(root, "good/src/binary.rs", b"\x7fELF\x00\x00\x01\x02binary\x00data");
    write(root, "good/src/empty.rs", b"");
    let mut huge = HEADER.as_bytes().to_vec();
    huge.extend(std::iter::repeat_n(b"pub fn f() {}\n".as_slice(), 3_000_000).flatten());
    write(root, "good/src/huge.rs", &huge);
    let long_line = format!("{HEADER}pub const S: &str = \"{}\";\n", "a".repeat(5 << 20));
    write(root, "good/src/long_line.rs", long_line.as_bytes());
    let nested = format!("{HEADER}pub fn f() -> u8 {{ {}1{} }}\n", "(".repeat(50_000), ")".repeat(50_000));
    write(root, "good/src/nested.rs", nested.as_bytes());
    write(root, "broken/Cargo.toml", b"[package\nname = \"broken\"\n");
    write(root, "broken/src/lib.rs", HEADER.as_bytes());
    // Links are never followed, so neither a loop nor a link out of the
    // workspace can hang the walk or leak a file into it.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("loop_b", root.join("good/loop_a")).unwrap();
        std::os::unix::fs::symlink("loop_a", root.join("good/loop_b")).unwrap();
        std::os::unix::fs::symlink("..", root.join("good/src/parent_link")).unwrap();
    }
}

#[test]
fn hostile_workspace_is_reported_file_by_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    hostile_workspace(root);
    // `--exhaustive`: the parser must meet every hostile file too (the
    // pre-filter would spare it most of them).
    let (code, stdout, stderr) =
        run_bounded(root, &["check", "--format", "short", "--exhaustive"], Duration::from_mins(2));
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let expect = [
        "good/src/real_finding.rs:1:1: error[license/missing]",
        "good/src/latin1.rs:1:1: warning[file/unreadable] `good/src/latin1.rs` is not valid UTF-8",
        "good/src/binary.rs:1:1: warning[file/unreadable] `good/src/binary.rs` is a binary file",
        "good/src/empty.rs:1:1: error[license/missing]",
        "good/src/huge.rs:1:1: error[file/unreadable] `good/src/huge.rs` is 40 MiB, over the 16 MiB limit",
        "warning[parse/syntax] `good/src/nested.rs` nests too deep to parse: about 100010 levels deep",
        "broken/Cargo.toml:1:9: warning[file/unreadable] broken/Cargo.toml does not parse",
    ];
    for line in expect {
        assert!(stdout.contains(line), "missing `{line}` in:\n{stdout}");
    }
    // Nothing wrong with these: they are checked, not reported.
    for quiet in ["good/src/long_line.rs", "good/src/cycle.rs", "good/src/lib.rs", "broken/src/lib.rs"] {
        assert!(!stdout.contains(quiet), "{quiet} reported:\n{stdout}");
    }
}

#[test]
fn hostile_workspace_with_a_uses_cycle_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    hostile_workspace(root);
    write(
        root,
        "corefence.toml",
        b"[editions.community]\nlicense = \"AGPL-3.0-only\"\nuses = [\"enterprise\"]\n[editions.enterprise]\nlicense = \"LicenseRef-E\"\nuses = [\"community\"]\n",
    );
    let (code, stdout, _) = run_bounded(root, &["check", "--format", "short"], Duration::from_mins(1));
    assert_eq!(code, Some(2));
    assert!(
        stdout.contains("corefence.toml:6:9: error[config/invalid] `uses` cycle: community → enterprise → community"),
        "{stdout}"
    );
}

/// A pull request can contain a link to a file outside the workspace:
/// `--fix` must never write through it.
#[cfg(unix)]
#[test]
fn fix_never_writes_through_a_link_out_of_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside.rs");
    std::fs::write(&outside, "pub fn secret() {}\n").unwrap();
    let root = dir.path().join("ws");
    write(&root, "corefence.toml", b"default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n");
    write(&root, "src/lib.rs", b"pub fn f() {}\n");
    std::os::unix::fs::symlink(&outside, root.join("src/linked.rs")).unwrap();
    let (code, _, stderr) = run_bounded(&root, &["check", "--fix", "--format", "short"], Duration::from_mins(1));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("fixed: src/lib.rs:1: inserted"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "pub fn secret() {}\n");
}
