//! `check --fix`: repairs what is clearly the same license, inserts what is
//! missing, wraps tagged items in snippets, never relicenses without
//! `--relicense`, keeps every other byte, and is idempotent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::{copy_fixture, corefence_in};

fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn read(root: &Path, rel: &str) -> Vec<u8> {
    std::fs::read(root.join(rel)).unwrap()
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let (_dir, root) = copy_fixture("headers");
    let before = snapshot(&root);
    let run = corefence_in(root.clone(), &["check", "--fix", "--dry-run", "--format", "short"]);
    assert_eq!(snapshot(&root), before, "--dry-run wrote something");
    assert!(run.stdout.contains("+++ b/src/tag_in_string.rs"), "{}", run.stdout);
    assert!(run.stderr.contains("fix: src/tag_in_string.rs:1: inserted"), "{}", run.stderr);
}

#[test]
fn fix_repairs_keeps_bytes_and_is_idempotent() {
    let (_dir, root) = copy_fixture("headers");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            root.join("src/inner_attribute_with_space.rs"),
            std::fs::Permissions::from_mode(0o751),
        )
        .unwrap();
    }
    let crlf_before = read(&root, "src/crlf.rs");
    let latin1_before = read(&root, "src/latin1.rs");
    let first = corefence_in(root.clone(), &["check", "--fix", "--format", "short"]);
    assert!(first.stderr.contains("fixed: src/tag_in_string.rs:1: inserted"), "{}", first.stderr);
    assert!(
        first.stderr.contains("fixed: src/deprecated_id.rs:1: normalised `AGPL-3.0` to `AGPL-3.0-only`"),
        "{}",
        first.stderr
    );
    assert!(first.stderr.contains("fixed: src/tagged_items.rs:4: wrapped `without_snippet`"), "{}", first.stderr);
    // A different valid license is never replaced silently.
    assert!(first.stderr.contains("note: ee/leaked.rs:1: not fixed"), "{}", first.stderr);
    assert!(first.stdout.contains("ee/leaked.rs:1:29: error[license/mismatch]"), "{}", first.stdout);
    // What is left is what needs a human.
    for gone in ["src/tag_in_string.rs", "src/header_at_line_300.rs", "src/deprecated_id.rs", "src/tagged_items.rs:4:"]
    {
        assert!(!first.stdout.contains(gone), "{gone} still reported:\n{}", first.stdout);
    }

    let inserted = String::from_utf8(read(&root, "src/inner_attribute_with_space.rs")).unwrap();
    // A blank line separates the new header from the code it now precedes.
    assert_eq!(inserted, "// SPDX-License-Identifier: AGPL-3.0-only\n\n#! [allow(dead_code)]\npub fn f() {}\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(root.join("src/inner_attribute_with_space.rs")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o751, "permissions kept");
    }
    assert_eq!(read(&root, "src/crlf.rs"), crlf_before, "a right CRLF header is left alone");
    assert_eq!(read(&root, "src/latin1.rs"), latin1_before, "non-UTF-8 files are never rewritten");
    let tagged = String::from_utf8(read(&root, "src/tagged_items.rs")).unwrap();
    assert!(
        tagged.contains("// SPDX-SnippetBegin\n// SPDX-License-Identifier: LicenseRef-Acme-Enterprise\n#[edition(enterprise)]\npub fn without_snippet() {}\n// SPDX-SnippetEnd\n"),
        "{tagged}"
    );

    let after_first = snapshot(&root);
    let second = corefence_in(root.clone(), &["check", "--fix", "--format", "short"]);
    assert_eq!(snapshot(&root), after_first, "a second --fix changes nothing");
    assert!(!second.stderr.lines().any(|l| l.starts_with("fixed:")), "{}", second.stderr);
    assert_eq!(second.stdout, first.stdout);
}

#[test]
fn relicense_replaces_a_different_license_and_says_so() {
    let (_dir, root) = copy_fixture("headers");
    let run = corefence_in(root.clone(), &["check", "--fix", "--relicense", "--format", "short"]);
    assert!(
        run.stderr.contains("fixed: ee/leaked.rs:1: relicensed `AGPL-3.0-only` to `LicenseRef-Acme-Enterprise`"),
        "{}",
        run.stderr
    );
    assert!(String::from_utf8(read(&root, "ee/leaked.rs"))
        .unwrap()
        .starts_with("// SPDX-License-Identifier: LicenseRef-Acme-Enterprise\n"));
    assert_eq!(
        read(&root, "vendor/lib.rs"),
        b"// SPDX-License-Identifier: MIT\npub fn vendored() {}\n",
        "third-party code keeps its license"
    );
}

/// An edition that accepts two licenses: a file declaring both has a
/// conflict, and `--relicense` leaves it declaring the edition's license
/// twice (no finding left), whichever comes first; plain `--fix` refuses.
#[test]
fn relicense_resolves_a_conflict_between_two_accepted_licenses() {
    for (first, second) in [("AGPL-3.0-only", "MIT"), ("MIT", "AGPL-3.0-only"), ("MIT", "Apache-2.0")] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let write = |rel: &str, text: &str| crate::support::write(&root, rel, text);
        write(
            "corefence.toml",
            "default = \"community\"\n[editions.community]\nlicense = [\"AGPL-3.0-only\", \"MIT\"]\n",
        );
        write("Cargo.toml", "[package]\nname = \"x\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"MIT\"\n");
        let header =
            format!("// SPDX-License-Identifier: {first}\n// SPDX-License-Identifier: {second}\npub fn a() {{}}\n");
        write("src/lib.rs", &header);
        let check = || corefence_in(root.clone(), &["check", "--format", "short"]);
        assert!(check().stdout.contains("license/conflict"), "{first} {second}: {}", check().stdout);
        let plain = corefence_in(root.clone(), &["check", "--fix", "--format", "short"]);
        assert!(plain.stderr.contains("not fixed"), "{}", plain.stderr);
        assert_eq!(read(&root, "src/lib.rs"), header.as_bytes());
        let fixed = corefence_in(root.clone(), &["check", "--fix", "--relicense", "--format", "short"]);
        assert_eq!(fixed.code, 0, "{first} {second}: {}{}", fixed.stdout, fixed.stderr);
        assert_eq!(
            String::from_utf8(read(&root, "src/lib.rs")).unwrap(),
            "// SPDX-License-Identifier: AGPL-3.0-only\n// SPDX-License-Identifier: AGPL-3.0-only\npub fn a() {}\n"
        );
        assert_eq!(check().code, 0, "{first} {second}: {}", check().stdout);
    }
}

#[test]
fn fix_sets_a_missing_manifest_license() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("Cargo.toml"), "[package]\r\nname = \"free\"\r\nversion = \"0.1.0\"\r\n").unwrap();
    std::fs::write(root.join("src/lib.rs"), "// SPDX-License-Identifier: AGPL-3.0-only\n").unwrap();
    let before = corefence_in(root.to_path_buf(), &["check", "--format", "short"]);
    assert!(before.stdout.contains("error[license/manifest] crate `free` has no license"), "{}", before.stdout);
    let run = corefence_in(root.to_path_buf(), &["check", "--fix", "--format", "short"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        std::fs::read_to_string(root.join("Cargo.toml")).unwrap(),
        "[package]\r\nname = \"free\"\r\nlicense = \"AGPL-3.0-only\"\r\nversion = \"0.1.0\"\r\n"
    );
}
