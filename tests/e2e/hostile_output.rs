//! Output that cannot be forged: workspaces generated here whose file names
//! are built to break the reports about them (names that are not valid in a
//! URI), config errors tracked like any finding, and `--fix --dry-run` with
//! machine formats. Each format must still say exactly what was found,
//! where, and nothing else.

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
    crate::sarif_validator::assert_valid_sarif(&run.stdout);
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
    for format in ["json", "sarif", "gitlab", "github"] {
        let (_dir, root) = copy_fixture("headers");
        let run = corefence_in(root, &["check", "--fix", "--dry-run", "--format", format]);
        assert!(run.stderr.contains("+++ b/src/tag_in_string.rs"), "{format}: the diff goes to stderr");
        assert!(!run.stdout.contains("+++ "), "{format}: a diff on stdout:\n{}", run.stdout);
        if format == "github" {
            assert!(run.stdout.lines().all(|l| l.starts_with("::")), "{}", run.stdout);
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
    let status = std::process::Command::new("git").args(["apply", "--check", "fix.patch"]).current_dir(&root).status();
    match status {
        Ok(status) => assert!(status.success(), "git apply rejects the diff:\n{}", run.stdout),
        Err(_) => crate::support::tool_missing("git", "install git"),
    }
}
