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

#[test]
fn most_files_disagreeing_the_same_way_get_one_summary_pointing_at_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let write = |rel: &str, text: &str| {
        std::fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
        std::fs::write(root.join(rel), text).unwrap();
    };
    write("corefence.toml", "default = \"community\"\n\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n\n[editions.enterprise]\nlicense = \"LicenseRef-E\"\nuses = [\"community\"]\n");
    write("Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\npublish = false\n");
    for i in 0..12 {
        write(&format!("src/m{i:02}.rs"), "// SPDX-License-Identifier: MIT OR Apache-2.0\npub fn f() {}\n");
    }
    write("src/odd.rs", "// SPDX-License-Identifier: BSD-3-Clause\n");
    let human = crate::support::corefence_in(root.clone(), &["check", "--color", "never"]);
    assert_eq!(human.code, 1);
    let summaries = human.stderr.matches("community files and crates say").count();
    assert_eq!(summaries, 1, "{}", human.stderr);
    assert!(
        human.stderr.contains("12 community files and crates say `MIT OR Apache-2.0`, not `AGPL-3.0-only`"),
        "{}",
        human.stderr
    );
    assert!(human.stderr.contains("[corefence.toml:4:11]"), "{}", human.stderr);
    // The odd one out is shown as it is, and the count is of every finding.
    assert!(human.stderr.contains("src/odd.rs"), "{}", human.stderr);
    assert!(human.stderr.contains("corefence: 13 errors"), "{}", human.stderr);
    let short = crate::support::corefence_in(root.clone(), &["check", "--format", "short"]);
    assert_eq!(short.stdout.lines().filter(|l| l.contains("license/mismatch")).count(), 13, "{}", short.stdout);
}
