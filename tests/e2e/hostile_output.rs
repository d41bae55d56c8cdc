//! Output that cannot be forged: workspaces generated here whose file names,
//! headers and lines are built to break the reports about them (control
//! characters that erase or rewrite terminal lines, names that are not valid
//! in a URI, a 1 MiB line), config errors tracked like any finding, and
//! `--fix --dry-run` with machine formats. Each format must still say exactly
//! what was found, where, and nothing else.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::support::{copy_fixture, corefence, corefence_in, Run};

const CONFIG: &str = "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n";

/// A workspace holding `files` (none with a header unless given one), in a
/// temporary folder.
fn workspace(files: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    for (rel, bytes) in [("corefence.toml", CONFIG.as_bytes())].iter().chain(files) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    (dir, root)
}

fn check(root: &Path, format: &str) -> Run {
    let run = corefence_in(root.to_path_buf(), &["check", "--format", format, "--color", "never"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    run
}

// ---------------------------------------------------------------- SARIF URIs

/// RFC 3986 `path-noscheme` of a relative reference: unreserved characters,
/// sub-delimiters, `@`, `/` and `%XX`; no `:` (it would read as a scheme).
fn is_uri_reference_path(uri: &str) -> bool {
    let bytes = uri.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&b)) {
            return false;
        }
        i += 1;
    }
    true
}

#[test]
fn sarif_uris_are_percent_encoded_uri_references() {
    let names = ["src/lib.rs", "src/a b%.rs", "src/café.rs", "src/x#y.rs", "src/q?.rs", "src/c:d.rs"];
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (*n, b"pub fn f() {}\n".as_slice())).collect();
    let (_dir, root) = workspace(&files);
    let run = check(&root, "sarif");
    let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let uris: BTreeSet<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap())
        .collect();
    let expected: BTreeSet<&str> =
        ["src/lib.rs", "src/a%20b%25.rs", "src/caf%C3%A9.rs", "src/x%23y.rs", "src/q%3F.rs", "src/c%3Ad.rs"].into();
    assert_eq!(uris, expected);
    for uri in &uris {
        assert!(is_uri_reference_path(uri), "{uri} is not a URI reference");
        let decoded = percent_encoding::percent_decode_str(uri).decode_utf8().unwrap();
        assert!(names.contains(&decoded.as_ref()), "{uri} decodes to {decoded}, not a file");
    }
}

#[test]
#[ignore = "needs sarif-multitool"]
fn sarif_with_hostile_names_passes_the_official_validator() {
    let names = ["src/lib.rs", "src/a b%.rs", "src/café.rs", "src/x#y.rs", "src/q?.rs", "src/c:d.rs"];
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (*n, b"pub fn f() {}\n".as_slice())).collect();
    let (_dir, root) = workspace(&files);
    crate::sarif_validator::assert_valid_sarif(&check(&root, "sarif").stdout);
}

// ----------------------------------------------------- config fingerprints

#[test]
fn config_errors_have_unique_stable_fingerprints() {
    let sarif = |run: Run| -> Vec<String> {
        assert_eq!(run.code, 2);
        let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"]["corefence/v1"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let first = sarif(corefence(&["check", "fixtures/broken-config", "--format", "sarif"]));
    let again = sarif(corefence(&["check", "fixtures/broken-config", "--format", "sarif"]));
    assert_eq!(first.len(), 4, "every problem of the config is reported");
    assert!(first.iter().all(|f| f.len() == 32), "{first:?}");
    assert_eq!(first.iter().collect::<BTreeSet<_>>().len(), first.len(), "unique: {first:?}");
    assert_eq!(first, again, "stable across runs");

    let gitlab = corefence(&["check", "fixtures/broken-config", "--format", "gitlab"]);
    assert_eq!(gitlab.code, 2);
    let issues: Vec<serde_json::Value> = serde_json::from_str(&gitlab.stdout).unwrap();
    let fingerprints: Vec<&str> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap_or_default()).collect();
    assert_eq!(fingerprints, first, "GitLab and SARIF track the same findings");
}

// --------------------------------------------------- --fix --dry-run diffs

#[test]
fn dry_run_diffs_never_mix_into_machine_output() {
    for format in ["json", "sarif", "gitlab", "github", "rustc-json", "markdown"] {
        let (_dir, root) = copy_fixture("headers");
        let run = corefence_in(root, &["check", "--fix", "--dry-run", "--format", format]);
        assert!(run.stderr.contains("+++ b/src/tag_in_string.rs"), "{format}: the diff goes to stderr");
        assert!(!run.stdout.contains("+++ "), "{format}: a diff on stdout:\n{}", run.stdout);
        if format == "github" {
            assert!(run.stdout.lines().all(|l| l.starts_with("::")), "{}", run.stdout);
        } else if format == "markdown" {
            assert!(run.stdout.starts_with("## "), "{format}: not the summary:\n{}", run.stdout);
        } else if format == "rustc-json" {
            let lines = run.stdout.lines().map(serde_json::from_str::<cargo_metadata::Message>);
            assert!(lines.into_iter().all(|m| m.is_ok()), "{format}: a line that is no cargo message:\n{}", run.stdout);
        } else {
            let parsed: Result<serde_json::Value, _> = serde_json::from_str(&run.stdout);
            assert!(parsed.is_ok(), "{format}: stdout is not one JSON document: {parsed:?}");
        }
    }
}

#[test]
fn dry_run_diff_from_human_output_applies_with_git() {
    let (_dir, root) = copy_fixture("headers");
    let run = corefence_in(root.clone(), &["check", "--fix", "--dry-run", "--color", "never"]);
    assert!(run.stdout.starts_with("--- a/"), "the diff alone is on stdout:\n{}", run.stdout);
    let patch = root.join("fix.patch");
    std::fs::write(&patch, &run.stdout).unwrap();
    let status =
        std::process::Command::new("git").args(["apply", "--check", "fix.patch"]).current_dir(&root).status().unwrap();
    assert!(status.success(), "git apply rejects the diff:\n{}", run.stdout);
}

// ------------------------------------------------------- control characters

/// Paths of the findings, as the JSON contract gives them.
fn json_paths(root: &Path) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_str(&check(root, "json").stdout).unwrap();
    doc["diagnostics"].as_array().unwrap().iter().map(|d| d["path"].as_str().unwrap().to_owned()).collect()
}

/// What a terminal acts on instead of showing: C0 and C1 controls, DEL, the
/// bidi controls and the line and paragraph separators.
fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{2028}' | '\u{2029}')
}

fn assert_printable(what: &str, text: &str) {
    for (i, line) in text.lines().enumerate() {
        let bad: Vec<char> = line.chars().filter(|&c| acts_on_terminal(c)).collect();
        assert!(bad.is_empty(), "{what}, line {}: {bad:?} would reach the terminal in {line:?}", i + 1);
    }
}

/// Names and a header that try to rewrite the terminal: ESC sequences that
/// erase the line and move up, CR and backspace that overwrite, BEL, a C1
/// CSI, a right-to-left override, a newline that would split a line.
fn hostile_names() -> (tempfile::TempDir, PathBuf) {
    let body: &[u8] = b"pub fn f() {}\n";
    workspace(&[
        ("src/lib.rs", b"// SPDX-License-Identifier: AGPL-3.0-only\n"),
        ("src/erase\x1b[2K\x1b[1A.rs", body),
        ("src/cr\rcorefence: no problems.rs", body),
        ("src/bell\x07back\x08.rs", body),
        ("src/csi\u{9b}31m.rs", body),
        ("src/\u{202e}sr.txt.rs", body),
        ("src/new\nline.rs", body),
        (
            "src/header.rs",
            b"// SPDX-License-Identifier: \x1b[2K\r\x1b[32mcorefence: no problems in 1 file\x1b[0m\x07\npub fn f() {}\n",
        ),
    ])
}

#[test]
fn human_output_shows_control_characters_as_escapes() {
    let (_dir, root) = hostile_names();
    let run = check(&root, "human");
    assert_printable("human output", &run.stderr);
    for shown in [
        "╭─[src/erase\\u{1b}[2K\\u{1b}[1A.rs:1:1]",
        "`src/cr\\u{d}corefence: no problems.rs` has no SPDX-License-Identifier header",
        "src/bell\\u{7}back\\u{8}.rs",
        "src/csi\\u{9b}31m.rs",
        "src/\\u{202e}sr.txt.rs",
        "╭─[src/new\\u{a}line.rs:1:1]",
        // The header's text, in the message and in the snippet line.
        "invalid SPDX expression `\\u{1b}[2K\\u{d}\\u{1b}[32mcorefence:",
        " 1 │ // SPDX-License-Identifier: \\u{1b}[2K\\u{d}\\u{1b}[32mcorefence: no problems in 1 file\\u{1b}[0m\\u{7}",
    ] {
        assert!(run.stderr.contains(shown), "missing {shown:?} in:\n{}", run.stderr);
    }
    assert!(run.stderr.ends_with("corefence: 7 errors, 0 warnings in 8 files\n"), "{}", run.stderr);
}

#[test]
fn short_output_is_one_line_per_finding_whatever_the_names() {
    let (_dir, root) = hostile_names();
    let run = check(&root, "short");
    assert_printable("short output", &run.stdout);
    let paths = json_paths(&root);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), paths.len(), "{}", run.stdout);
    for (line, path) in lines.iter().zip(&paths) {
        let shown =
            path.chars().map(|c| if acts_on_terminal(c) { c.escape_unicode().to_string() } else { c.to_string() });
        let shown: String = shown.collect();
        assert!(line.starts_with(&format!("{shown}:1:")), "{line:?} does not start with {shown:?}");
    }
    assert!(run.stdout.contains("src/new\\u{a}line.rs:1:1: error[license/missing]"), "{}", run.stdout);
}

#[test]
fn fix_lists_changes_under_visible_names() {
    let (_dir, root) = hostile_names();
    let run = corefence_in(root, &["check", "--fix", "--dry-run", "--format", "short"]);
    let listed: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("fix: ")).collect();
    assert_eq!(listed.len(), 6, "one header inserted per file without one:\n{}", run.stderr);
    for line in &listed {
        assert_printable("--fix list", line);
    }
    assert!(listed.iter().any(|l| l.starts_with("fix: src/new\\u{a}line.rs:1: inserted")), "{listed:#?}");
}

/// GitHub's `unescapeProperty`, as the runner reads a command.
fn github_unescape(s: &str) -> String {
    s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
}

#[test]
fn github_commands_stay_whole_and_name_the_real_file() {
    let (_dir, root) = workspace(&[
        ("src/new\nline.rs", b"pub fn f() {}\n"),
        ("src/a,b:c%d.rs", b"pub fn f() {}\n"),
        ("src/header.rs", b"// SPDX-License-Identifier: \x1b[2K\x1b[1A::error::forged\n"),
    ]);
    let run = check(&root, "github");
    let paths = json_paths(&root);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), paths.len(), "one command per finding:\n{}", run.stdout);
    for (line, path) in lines.iter().zip(&paths) {
        let rest = line.strip_prefix("::error file=").unwrap_or_else(|| panic!("not a command: {line:?}"));
        let (file, rest) = rest.split_once(",line=").unwrap();
        assert_eq!(&github_unescape(file), path, "the annotation names the file");
        let (_, message) = rest.split_once("::").unwrap();
        assert_printable("github message", &github_unescape(message).replace('\n', " "));
    }
    assert!(run.stdout.contains("`\\u{1b}[2K\\u{1b}[1A::error::forged`"), "{}", run.stdout);
}

// ----------------------------------------------------------- a 1 MiB line

const MIB: usize = 1 << 20;

#[test]
fn findings_on_a_1_mib_line_print_a_bounded_window() {
    let late_header = format!("/* {}SPDX-License-Identifier: MIT */\npub fn f() {{}}\n", " ".repeat(MIB));
    let no_header = format!("pub const S: &str = \"{}\";\n", "a".repeat(MIB));
    let huge_expression = format!("// SPDX-License-Identifier: {}\n", "MIT AND ".repeat(MIB / 8) + "(");
    let (_dir, root) = workspace(&[
        ("src/late.rs", late_header.as_bytes()),
        ("src/long.rs", no_header.as_bytes()),
        ("src/huge_expression.rs", huge_expression.as_bytes()),
    ]);

    let human = check(&root, "human").stderr;
    assert!(human.len() < 8_000, "{} bytes of human output for 3 findings", human.len());
    // The label still points at `MIT`, far right on its line: the underline
    // sits under it in the window shown.
    let lines: Vec<&str> = human.lines().collect();
    let at = lines.iter().position(|l| l.contains("SPDX-License-Identifier: MIT */")).unwrap();
    let (code, marks) = (lines[at], lines[at + 1]);
    assert!(code.contains(" │ …"), "the cut is marked: {code}");
    let column = |line: &str, pattern: &str| line.find(pattern).map(|i| line[..i].chars().count()).unwrap();
    assert_eq!(column(marks, "─┬─"), column(code, "MIT"), "\n{code}\n{marks}");
    assert!(human.contains(&format!("╭─[src/late.rs:1:{}]", MIB + 29)), "the file's own column:\n{human}");
    // A finding at the start of a long line shows its start.
    assert!(human.contains(" 1 │ pub const S: &str = \"aaaa"), "{human}");

    let short = check(&root, "short").stdout;
    assert!(short.len() < 2_000, "{} bytes of short output for 3 findings", short.len());
    assert!(short.contains(&format!("src/late.rs:1:{}: error[license/mismatch]", MIB + 29)), "{short}");
    let invalid = short.lines().find(|l| l.starts_with("src/huge_expression.rs:1:")).unwrap();
    assert!(invalid.contains("error[license/invalid] invalid SPDX expression `MIT AND MIT"), "{invalid}");
    assert!(invalid.contains("…MIT AND"), "the quoted expression is clipped in the middle: {invalid}");
}
