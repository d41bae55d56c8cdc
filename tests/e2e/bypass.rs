//! A hostile contributor's attempts to crash corefence, hang it, or hide a
//! boundary crossing from it, each generated here. Every run has a deadline.
//! Every test states what the user would see: the crossing reported (exit
//! 1), a clear warning or error naming the file, never a crash.

use crate::support::write;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const COREFENCE: &str = env!("CARGO_BIN_EXE_corefence");
const HEADER: &str = "// SPDX-License-Identifier: AGPL-3.0-only\n";
const EE_HEADER: &str = "// SPDX-License-Identifier: LicenseRef-Acme\n";
/// The enterprise module, declared in builds with the enterprise feature.
const EE_MOD: &str = "#[cfg(feature = \"enterprise\")]\npub mod ee;\n";

/// What a run printed, how it ended, and the most memory and threads it held.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    peak_kib: u64,
    peak_threads: u64,
}

/// `/proc/<pid>/status` fields of a live process (Linux; zero elsewhere).
fn status_field(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Runs corefence in `root` with a deadline; a hang fails the test.
fn run(root: &Path, args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new(COREFENCE)
        .args(args)
        .current_dir(root)
        .env_remove("CI")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap());
    let err = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap());
    let (mut peak_kib, mut peak_threads) = (0, 0);
    loop {
        peak_kib = peak_kib.max(status_field(child.id(), "VmHWM:"));
        peak_threads = peak_threads.max(status_field(child.id(), "Threads:"));
        if let Some(status) = child.try_wait().unwrap() {
            return Run {
                code: status.code(),
                stdout: out.join().unwrap(),
                stderr: err.join().unwrap(),
                peak_kib,
                peak_threads,
            };
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("corefence {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

const SHORT: &[&str] = &["check", "--format", "short", "--no-cache"];

/// A crate whose community module `free.rs` may not use the enterprise
/// module `ee/` (a path assignment).
fn crossing_workspace(root: &Path) {
    write(
        root,
        "corefence.toml",
        "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n\
         [editions.enterprise]\nlicense = \"LicenseRef-Acme\"\nuses = [\"community\"]\nfeatures = [\"enterprise\"]\n\
         [[assign]]\npaths = [\"src/ee/**\"]\nedition = \"enterprise\"\n",
    );
    write(
        root,
        "Cargo.toml",
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nlicense = \"AGPL-3.0-only\"\n[features]\nenterprise = []\n",
    );
    write(root, "src/lib.rs", format!("{HEADER}{EE_MOD}pub mod free;\n"));
    write(root, "src/ee/mod.rs", format!("{EE_HEADER}pub fn sso() {{}}\n"));
    write(root, "src/free.rs", format!("{HEADER}pub fn open() {{}}\n"));
}

fn assert_crossing(run: &Run, rel: &str) {
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.lines().any(|l| l.starts_with(rel) && l.contains("boundary/import")),
        "no boundary/import in {rel}:\n{}{}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn brackets_in_comments_and_strings_do_not_switch_checks_off() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    crossing_workspace(root);
    let noise = "(".repeat(300);
    write(
        root,
        "src/free.rs",
        format!("{HEADER}// {noise}\npub const S: &str = \"{noise}\";\npub fn open() {{ crate::ee::sso() }}\n"),
    );
    let run = run(root, SHORT, Duration::from_mins(1));
    assert_crossing(&run, "src/free.rs");
    assert!(!run.stdout.contains("parse/syntax"), "{}", run.stdout);
}

#[test]
fn a_file_that_does_not_parse_still_has_its_references_checked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    crossing_workspace(root);
    write(root, "src/free.rs", format!("{HEADER}pub fn open() {{ crate::ee::sso() }}\npub fn broken(x: ) {{}}\n"));
    let run = run(root, SHORT, Duration::from_mins(1));
    assert_crossing(&run, "src/free.rs");
    assert!(run.stdout.contains("src/free.rs:3:18: warning[parse/syntax]"), "{}", run.stdout);
}

#[test]
fn a_rust_file_over_the_size_limit_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    crossing_workspace(root);
    write(root, "src/free.rs", format!("{HEADER}pub fn open() {{ crate::ee::sso() }}\n{}", "// pad\n".repeat(400)));
    let run = run(root, &[SHORT, &["--max-file-size", "2000"]].concat(), Duration::from_mins(1));
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("src/free.rs:1:1: error[file/unreadable] `src/free.rs` is 0 MiB, over the 0 MiB limit")
            && run.stdout.contains("not checked for boundary crossings"),
        "{}",
        run.stdout
    );
    // Raised above the file's size, the crossing itself is reported.
    assert_crossing(&run_default(root), "src/free.rs");
}

#[test]
fn an_absolute_path_attribute_into_the_workspace_is_the_file_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    crossing_workspace(&root);
    let ee = root.join("src/ee/mod.rs");
    write(&root, "src/free.rs", format!("{HEADER}#[path = {:?}]\nmod sso;\npub fn open() {{}}\n", ee.display()));
    let run = run_default(&root);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "src/free.rs:3:1: error[boundary/module] community module declares enterprise file `src/ee/mod.rs`"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("outside the workspace"), "{}", run.stdout);
}

fn run_default(root: &Path) -> Run {
    run(root, SHORT, Duration::from_mins(1))
}

/// Chains syn nests one level per link; none may crash the run, and each
/// hides nothing: the crossing next to it is found.
#[test]
fn deep_chains_are_read_token_by_token_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    crossing_workspace(root);
    let chains = [
        ("not", format!("pub fn f() -> bool {{ {}true }}\n", "!".repeat(20_000))),
        ("add", format!("pub const X: u32 = {}1;\n", "1 + ".repeat(50_000))),
        ("vec", format!("pub type T = {}u8{};\n", "Vec<".repeat(5_000), ">".repeat(5_000))),
        ("fnptr", format!("pub type T = {}u8;\n", "fn() -> ".repeat(5_000))),
        ("neg", format!("pub fn f() -> i32 {{ {}1 }}\n", "- ".repeat(20_000))),
        ("refs", format!("pub fn f() -> u8 {{ {}1 }}\n", "*& ".repeat(20_000))),
        ("calls", format!("pub fn f() {{ x{}; }}\n", ".m()".repeat(20_000))),
        ("parens", format!("pub fn f() -> u8 {{ {}1{} }}\n", "(".repeat(50_000), ")".repeat(50_000))),
    ];
    let mut lib = format!("{HEADER}{EE_MOD}pub mod free;\n");
    for (name, body) in &chains {
        writeln!(lib, "pub mod {name};").unwrap();
        // The crossing sits after the chain, so reading must get past it.
        write(root, &format!("src/{name}.rs"), format!("{HEADER}{body}pub fn leak() {{ crate::ee::sso() }}\n"));
    }
    write(root, "src/lib.rs", lib);
    let run = run(root, &[SHORT, &["-j", "2"]].concat(), Duration::from_mins(2));
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    for (name, _) in &chains {
        let rel = format!("src/{name}.rs");
        assert_crossing(&run, &rel);
        assert!(
            run.stdout.contains(&format!("warning[parse/syntax] `{rel}` nests too deep to parse")),
            "{rel}:\n{}",
            run.stdout
        );
    }
}

/// syn computed a node's span from all its tokens for every expression:
/// time quadratic in the nesting (21 s for 80 KB, and a 1.3 MB `else if`
/// chain never finished). Now checking is linear.
#[test]
fn long_chains_are_checked_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    crossing_workspace(root);
    let else_if = format!("pub fn f(a: bool) {{ if a {{}} {} }}\n", "else if a {} ".repeat(100_000));
    assert!(else_if.len() > 1_300_000);
    write(root, "src/else_if.rs", format!("{HEADER}{else_if}"));
    write(root, "src/adds.rs", format!("{HEADER}pub const X: u32 = {}1;\n", "1 + ".repeat(20_000)));
    // Just below the nesting syn is given: parsed, and visited once.
    write(root, "src/parsed.rs", format!("{HEADER}pub const Y: u32 = {}1;\n", "1 + ".repeat(700)));
    write(
        root,
        "src/lib.rs",
        format!("{HEADER}{EE_MOD}pub mod free;\npub mod else_if;\npub mod adds;\npub mod parsed;\n"),
    );
    let started = Instant::now();
    let run = run(root, SHORT, Duration::from_mins(2));
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("src/parsed.rs") && !run.stdout.contains("src/else_if.rs"), "{}", run.stdout);
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
}

/// Four 10 MB Rust files at `-j 2`: syn's tree would take 1.2 GB each.
#[cfg(target_os = "linux")]
#[test]
fn memory_stays_bounded_on_huge_files_and_jobs_bound_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    crossing_workspace(root);
    let mut lib = format!("{HEADER}{EE_MOD}pub mod free;\n");
    for i in 0..4 {
        writeln!(lib, "pub mod big{i};").unwrap();
        let line = "pub fn f() -> u32 { let x = 1 + 2; x * 3 }\n";
        let body = line.repeat((10 << 20) / line.len());
        write(root, &format!("src/big{i}.rs"), format!("{HEADER}{body}pub fn leak() {{ crate::ee::sso() }}\n"));
    }
    write(root, "src/lib.rs", lib);
    let run = run(root, &[SHORT, &["-j", "2"]].concat(), Duration::from_mins(5));
    for i in 0..4 {
        assert_crossing(&run, &format!("src/big{i}.rs"));
    }
    assert!(run.peak_kib < 600 << 10, "peak memory {} MiB", run.peak_kib >> 10);
    // The main thread and two workers (the walk and the reader threads of
    // the test's pipes are short-lived).
    let one = self::run(root, &[SHORT, &["-j", "1"]].concat(), Duration::from_mins(5));
    assert!(one.peak_threads <= 3, "{} threads with -j 1", one.peak_threads);
}

#[test]
fn hostile_globs_are_config_errors_and_many_globs_are_fast() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    crossing_workspace(root);
    let config = std::fs::read_to_string(root.join("corefence.toml")).unwrap();
    let huge = format!("{config}[[assign]]\npaths = [\"{}\"]\nedition = \"enterprise\"\n", "a".repeat(400_000));
    write(root, "corefence.toml", &huge);
    let bad = run(root, SHORT, Duration::from_mins(1));
    assert_eq!(bad.code, Some(2), "{}{}", bad.stdout, bad.stderr);
    assert!(bad.stdout.contains("error[config/invalid] invalid glob") && bad.stdout.len() < 2000, "{}", bad.stdout);
    let many = (0..10_000).fold(String::new(), |mut acc, i| {
        writeln!(acc, "[[assign]]\npaths = [\"nowhere{i}/**\"]\nedition = \"enterprise\"").unwrap();
        acc
    });
    write(root, "corefence.toml", format!("{config}{many}"));
    write(root, "src/free.rs", format!("{HEADER}pub fn open() {{ crate::ee::sso() }}\n"));
    let started = Instant::now();
    let fine = run(root, SHORT, Duration::from_mins(2));
    assert_crossing(&fine, "src/free.rs");
    assert_eq!(fine.stdout.matches("warning[config/unmatched]").count(), 10_000);
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
}

#[test]
fn a_path_attribute_leaving_the_workspace_is_reported_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    crossing_workspace(&root);
    write(dir.path(), "outside.rs", "pub fn outside() {}\n");
    write(&root, "src/free.rs", format!("{HEADER}#[path = \"../../outside.rs\"]\npub mod outer;\n"));
    let run = run(&root, SHORT, Duration::from_mins(1));
    assert!(
        run.stdout.contains(
            "src/free.rs:3:5: warning[boundary/module] `mod` reads `../../outside.rs`, outside the workspace"
        ),
        "{}",
        run.stdout
    );
    // Nothing was read from outside, and nothing inside is blamed.
    assert!(!run.stdout.contains("outside.rs:"), "{}", run.stdout);
}

#[test]
fn paths_in_two_workspaces_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for ws in ["a", "b"] {
        crossing_workspace(&dir.path().join(ws));
        std::fs::create_dir_all(dir.path().join(ws).join(".git")).unwrap();
    }
    let run = run(dir.path(), &["check", "a/src", "b/src"], Duration::from_mins(1));
    assert_eq!(run.code, Some(2), "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("check each workspace in its own run"), "{}", run.stderr);
}

#[test]
fn a_configuration_above_the_repository_is_never_used() {
    let dir = tempfile::tempdir().unwrap();
    // A stray corefence.toml in a shared parent (`/tmp`, `~`) that would
    // relicense every file below it.
    write(dir.path(), "corefence.toml", "default = \"x\"\n[editions.x]\nlicense = \"MIT\"\n");
    let repo = dir.path().join("repo");
    crossing_workspace(&repo);
    std::fs::remove_file(repo.join("corefence.toml")).unwrap();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let run = run(&repo.join("src"), SHORT, Duration::from_mins(1));
    assert!(run.stderr.contains("using the embedded defaults"), "{}", run.stderr);
    assert!(!run.stdout.contains("expected `MIT`"), "{}", run.stdout);
}

#[test]
fn config_names_the_file_and_the_root_stays() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    crossing_workspace(root);
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::create_dir_all(root.join(".config")).unwrap();
    std::fs::rename(root.join("corefence.toml"), root.join(".config/corefence.toml")).unwrap();
    write(root, "src/free.rs", format!("{HEADER}pub fn open() {{ crate::ee::sso() }}\n"));
    let run = run(root, &[SHORT, &["--config", ".config/corefence.toml"]].concat(), Duration::from_mins(1));
    assert_crossing(&run, "src/free.rs");
}

/// Through rustup, `cargo` obeys the checked workspace's
/// `rust-toolchain.toml`, which can name any program: corefence must never
/// run it (nor anything else from the workspace).
#[cfg(unix)]
#[test]
fn nothing_from_the_workspace_is_executed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    crossing_workspace(&root);
    let evil = dir.path().join("evil");
    let marker = dir.path().join("executed");
    for tool in ["cargo", "rustc"] {
        let script = evil.join("bin").join(tool);
        write(&evil, &format!("bin/{tool}"), format!("#!/bin/sh\ntouch '{}'\n", marker.display()));
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    write(&root, "rust-toolchain.toml", format!("[toolchain]\npath = \"{}\"\n", evil.display()));
    write(&root, "build.rs", format!("fn main() {{ std::fs::write(\"{}\", \"\").unwrap(); }}\n", marker.display()));
    write(&root, "src/free.rs", format!("{HEADER}pub fn open() {{ crate::ee::sso() }}\n"));
    let run = run(&root, SHORT, Duration::from_mins(1));
    assert_crossing(&run, "src/free.rs");
    assert!(!marker.exists(), "corefence ran a program the workspace named");
}

#[test]
fn the_cache_sees_an_edit_that_keeps_size_and_modification_time() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    crossing_workspace(root);
    write(root, "src/lib.rs", format!("{HEADER}{EE_MOD}pub mod free;\npub mod api;\n"));
    write(root, "src/free.rs", format!("{HEADER}pub fn open() {{ crate::api::thing() }}\n"));
    let api = root.join("src/api.rs");
    let clean = format!("{HEADER}pub fn thing() {{}}                               \n");
    let leaky = format!("{HEADER}#[cfg(feature = \"enterprise\")] pub fn thing() {{}}\n");
    assert_eq!(clean.len(), leaky.len());
    let old = std::time::SystemTime::now() - Duration::from_hours(1);
    let set = |text: &str| {
        std::fs::write(&api, text).unwrap();
        std::fs::File::options().write(true).open(&api).unwrap().set_modified(old).unwrap();
    };
    set(&clean);
    // Reporting on free.rs only: the second run takes api.rs from the cache.
    for _ in 0..2 {
        let warm = run(root, &["check", "--format", "short", "src/free.rs"], Duration::from_mins(1));
        assert_eq!(warm.code, Some(0), "{}", warm.stdout);
    }
    // Same size, same modification time (`cp -p`, `tar --mtime`), other content.
    set(&leaky);
    let after = run(root, &["check", "--format", "short", "src/free.rs"], Duration::from_mins(1));
    assert_crossing(&after, "src/free.rs");
}

/// The in-memory workspace of the `rust_file` fuzz target, with `free` as
/// the community module's content.
fn in_memory(free: Vec<u8>) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files: std::collections::BTreeMap<String, Vec<u8>> = [
        ("corefence.toml", "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n[editions.enterprise]\nlicense = \"LicenseRef-E\"\nuses = [\"community\"]\nfeatures = [\"enterprise\"]\n[[assign]]\npaths = [\"src/ee/**\"]\nedition = \"enterprise\"\n"),
        ("Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nlicense = \"AGPL-3.0-only\"\n[features]\nenterprise = []\n"),
        ("src/lib.rs", "#[cfg(feature = \"enterprise\")]\npub mod ee;\npub mod free;\n"),
        ("src/ee/mod.rs", "// SPDX-License-Identifier: LicenseRef-E\n#[edition(enterprise)]\npub fn sso() {}\npub struct Token;\n"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.as_bytes().to_vec()))
    .collect();
    files.insert("src/free.rs".to_owned(), free);
    files
}

#[test]
fn the_in_memory_workspace_finds_a_crossing() {
    let files = in_memory(format!("{HEADER}pub fn open() {{ crate::ee::sso() }}\n").into_bytes());
    let options = corefence::engine::Options { jobs: 1, memory: Some(files), ..Default::default() };
    let outcome = corefence::engine::run(&options).unwrap();
    let codes: Vec<(&str, &str)> = outcome.diagnostics.iter().map(|d| (d.location.path(), d.code.as_str())).collect();
    assert!(codes.contains(&("src/free.rs", "boundary/import")), "{codes:?}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

    /// Token soup around a crossing: the whole pipeline never panics and
    /// every finding points into a file that exists (what the `rust_file`
    /// fuzz target checks on arbitrary bytes).
    #[test]
    fn any_token_soup_is_checked_without_a_crash(
        parts in proptest::collection::vec(proptest::sample::select(vec![
            "fn ", "mod m ", "use ", "crate::ee::sso", "::", "(", ")", "{", "}", "[", "]", "<", ">", "!", "+ ",
            "#[cfg(feature = \"enterprise\")]", "#[edition(enterprise)]", "#![cfg(x)]", "\"s(\"", "/*", "*/",
            "r#\"", "\"#", "'a ", "'x'", ";", ",", "pub ", "impl ", "struct S ", "enum E ", "x ", ".m()", "else if ",
            "macro_rules! q ", "$crate::", "include!(\"../x.rs\")", "#[path = \"../../x.rs\"]", "\n", "\u{1b}", "\u{202e}",
        ]), 0..300),
        raw in proptest::collection::vec(proptest::num::u8::ANY, 0..64),
    ) {
        let mut free = HEADER.as_bytes().to_vec();
        free.extend(parts.concat().into_bytes());
        free.extend(raw);
        let files = in_memory(free);
        let options = corefence::engine::Options { jobs: 1, exhaustive: true, memory: Some(files.clone()), ..Default::default() };
        let outcome = corefence::engine::run(&options).unwrap();
        proptest::prop_assert!(outcome.internal_errors.is_empty(), "{:?}", outcome.internal_errors);
        for d in &outcome.diagnostics {
            proptest::prop_assert!(files.contains_key(d.location.path()), "{}", d.location.path());
        }
    }
}
