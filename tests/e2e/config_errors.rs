//! A broken corefence.toml: every problem at once, with snippets, exit 2.

use crate::support::corefence;

#[test]
fn broken_config_exits_2_with_snippets() {
    let run = corefence(&["check", "fixtures/broken-config", "--color", "never"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("corefence.toml:"), "names the file: {}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn broken_config_in_json_is_still_the_contract() {
    let run = corefence(&["check", "fixtures/broken-config", "--format", "json"]);
    assert_eq!(run.code, 2);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let codes: Vec<&str> = doc["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["config/invalid", "config/invalid", "edition/unknown", "config/invalid"]);
}

#[test]
fn init_writes_a_config_that_check_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (path, text) in [
        ("Cargo.toml", "[workspace]\nmembers = [\"crates/*\", \"ee/*\"]\n"),
        ("crates/core/Cargo.toml", "[package]\nname = \"core\"\nlicense = \"Apache-2.0\"\n"),
        ("crates/core/src/lib.rs", "// SPDX-License-Identifier: Apache-2.0\n"),
        ("crates/billing-ee/Cargo.toml", "[package]\nname = \"billing-ee\"\nlicense = \"LicenseRef-Acme\"\n"),
        ("crates/billing-ee/src/lib.rs", "// SPDX-License-Identifier: LicenseRef-Acme\n"),
        ("ee/sso/Cargo.toml", "[package]\nname = \"sso\"\nlicense = \"LicenseRef-Acme\"\n"),
        ("ee/sso/src/lib.rs", "// SPDX-License-Identifier: LicenseRef-Acme\n"),
    ] {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let run = crate::support::corefence_in(root.to_path_buf(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = std::fs::read_to_string(root.join("corefence.toml")).unwrap();
    assert!(written.contains("license = \"Apache-2.0\""), "{written}");
    assert!(written.contains("license = \"LicenseRef-Acme\""), "{written}");
    assert!(written.contains("crates = [\"billing-ee\"]"), "{written}");
    assert!(written.contains("paths = [\"ee/**\"]"), "{written}");
    let again = crate::support::corefence_in(root.to_path_buf(), &["init"]);
    assert_eq!(again.code, 2, "never overwrites without --force");
    let check = crate::support::corefence_in(root.to_path_buf(), &["check", "--format", "json"]);
    assert_ne!(check.code, 2, "{}{}", check.stdout, check.stderr);
    assert!(!check.stdout.contains("config/"), "the proposal matches the workspace: {}", check.stdout);
}

#[test]
fn without_a_cargo_workspace_or_git_the_root_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("src/lib.rs"), "// SPDX-License-Identifier: AGPL-3.0-only\n").unwrap();
    let run = crate::support::corefence_in(root.join("src"), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let named = format!(
        "note: no Cargo workspace or git repository here; checking {} and everything",
        root.join("src").display()
    );
    assert!(run.stderr.contains(&named), "{}", run.stderr);
    // With a Cargo workspace, the root needs no note.
    std::fs::write(root.join("Cargo.toml"), "[workspace]\n").unwrap();
    let run = crate::support::corefence_in(root.join("src"), &["check"]);
    assert!(!run.stderr.contains("no Cargo workspace"), "{}", run.stderr);
}
