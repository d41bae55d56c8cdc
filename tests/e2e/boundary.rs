//! The boundary checks on one small fixture workspace per construct in
//! `fixtures/boundary/`, each with the cases that must and must not be found.

use crate::support::corefence;

/// `corefence check` on a fixture in the short format.
fn short(fixture: &str) -> String {
    let run = corefence(&["check", &format!("fixtures/boundary/{fixture}"), "--format", "short", "--color", "never"]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    run.stdout
}

#[test]
fn dependency() {
    insta::assert_snapshot!(short("dependency"));
}

/// The full rendering of one finding: labels, the feature that leaks the
/// dependency and the help.
#[test]
fn dependency_human() {
    let run = corefence(&["check", "fixtures/boundary/dependency/crates/leaky-feature", "--color", "never"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn module() {
    insta::assert_snapshot!(short("module"));
}

#[test]
fn import() {
    insta::assert_snapshot!(short("import"));
}

/// Globs, re-exports and paths reach only what the item's visibility lets
/// them: findings for what compiles, none for what rustc rejects.
#[test]
fn visibility() {
    insta::assert_snapshot!(short("visibility"));
}

/// A finding reached through another crate's `pub use` shows the chain.
#[test]
fn import_through_reexport_shows_the_chain() {
    let run = corefence(&["check", "fixtures/boundary/import/crates/acme-app", "--color", "never"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "acme_app → acme_api::Token → acme_ee::Token (re-exported at\n        crates/acme-api/src/lib.rs:3)"
        ),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!(run.stderr);
}

/// The demo's three boundary findings, and not its optional, feature-gated dependency.
#[test]
fn demo_findings() {
    let run = corefence(&["check", "fixtures/demo", "--format", "short"]);
    let boundary: Vec<&str> = run.stdout.lines().filter(|l| l.contains("[boundary/")).collect();
    assert_eq!(
        boundary,
        [
            "crates/acme-api/Cargo.toml:9:1: error[boundary/dependency] community crate `acme-api` depends on enterprise crate `acme-ee`",
            "crates/acme-api/src/lib.rs:5:9: error[boundary/reexport] community code re-exports enterprise item `acme_ee::Token`",
            "crates/acme-core/src/auth.rs:3:5: error[boundary/import] community code imports enterprise item `acme_ee::sso::login`",
        ]
    );
}

#[test]
fn suppressions() {
    insta::assert_snapshot!(short("suppress"));
}

#[test]
fn baseline_reports_only_new_findings_and_stale_entries() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("baseline.json");
    let file = file.to_str().unwrap();
    let write = corefence(&["check", "fixtures/boundary/import", "--write-baseline", file]);
    assert_eq!(write.code, 0, "{}", write.stderr);
    let count = short("import").lines().count();
    assert!(write.stderr.starts_with(&format!("wrote {count} findings to")), "{}", write.stderr);

    let again = corefence(&["check", "fixtures/boundary/import", "--baseline", file, "--format", "short"]);
    assert_eq!((again.code, again.stdout.as_str(), again.stderr.as_str()), (0, "", ""));

    // Drop one recorded finding and add one that no longer exists.
    let mut doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let findings = doc["findings"].as_array_mut().unwrap();
    let dropped = findings.remove(0);
    findings.push(serde_json::json!({
        "fingerprint": "0".repeat(32), "code": "boundary/import", "path": "gone.rs", "message": "fixed since"
    }));
    std::fs::write(file, serde_json::to_string(&doc).unwrap()).unwrap();
    let run = corefence(&["check", "fixtures/boundary/import", "--baseline", file, "--format", "short"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(run.stdout.contains(dropped["message"].as_str().unwrap()), "{}", run.stdout);
    assert!(
        run.stderr.contains("stale baseline entry (fixed, or changed beyond recognition): gone.rs"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("1 stale baseline entries"), "{}", run.stderr);
}

/// What the pre-filter must keep: mixed crates, crates naming a dependency
/// that leads to enterprise code (also through a re-exporting crate), renamed
/// dependencies and library names, `#[path]` into an unindexed folder.
#[test]
fn prefilter() {
    insta::assert_snapshot!(short("prefilter"));
}

/// The boundary findings of a one-crate workspace held in memory, whose
/// `src/signer.rs` is `signer`: `(path, message)`.
fn findings_with_signer(signer: &str) -> Vec<(String, String)> {
    let files: std::collections::BTreeMap<String, Vec<u8>> = [
        ("corefence.toml", "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n[editions.enterprise]\nlicense = \"LicenseRef-E\"\nuses = [\"community\"]\nfeatures = [\"enterprise\"]\n[headers]\ninclude = []\n"),
        ("Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nlicense = \"AGPL-3.0-only\"\n[features]\nenterprise = []\n"),
        // Enterprise code in the crate, as in open-core crates: it is analysed.
        ("src/lib.rs", "pub mod signer;\npub mod sender;\n#[cfg(feature = \"enterprise\")]\nmod enterprise_edition {\n    pub(crate) fn audit() {}\n}\n"),
        // The receiver is a trait object of a dependency's trait: only the
        // method's name is known.
        ("src/sender.rs", "use signing::SignMessage;\npub struct Sender {\n    signer: Box<dyn SignMessage>,\n}\nimpl Sender {\n    pub fn end(&mut self) -> usize {\n        self.signer.sign_empty()\n    }\n}\n"),
        ("src/signer.rs", signer),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.as_bytes().to_vec()))
    .collect();
    let options = corefence::engine::Options { jobs: 1, memory: Some(files), ..Default::default() };
    let outcome = corefence::engine::run(&options).unwrap();
    outcome
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str().starts_with("boundary/"))
        .map(|d| (d.location.path().to_owned(), d.message.clone()))
        .collect()
}

#[test]
fn a_method_only_unit_tests_define_is_no_crossing_but_a_gated_one_is() {
    // The only workspace method of that name is a unit test's mock.
    let mock = "#[cfg(test)]\nmod tests {\n    pub struct TestSigner;\n    impl TestSigner {\n        pub fn sign_empty(&mut self) -> usize { 0 }\n    }\n}\n";
    assert_eq!(findings_with_signer(mock), []);
    // The same method in the enterprise edition's build only: a crossing.
    let gated = mock.replace("#[cfg(test)]", "#[cfg(feature = \"enterprise\")]");
    let found = findings_with_signer(&gated);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "src/sender.rs");
    assert!(found[0].1.contains("community code calls enterprise method"), "{found:?}");
}

#[test]
fn a_macro_body_is_reported_in_a_run_on_its_file_when_another_file_expands_it() {
    let dir = tempfile::TempDir::new().unwrap();
    let files = [
        ("corefence.toml", "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n[editions.enterprise]\nlicense = \"LicenseRef-E\"\nuses = [\"community\"]\nfeatures = [\"enterprise\"]\n[headers]\ninclude = []\n"),
        ("Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"AGPL-3.0-only\"\n[features]\nenterprise = []\n"),
        ("src/lib.rs", "#[macro_use]\nmod macros;\nmod user;\n#[cfg(feature = \"enterprise\")]\npub mod ee {\n    pub fn audit() {}\n}\n"),
        ("src/macros.rs", "macro_rules! audited {\n    () => {\n        crate::ee::audit()\n    };\n}\n"),
        ("src/user.rs", "pub fn run() {\n    audited!();\n}\n"),
    ];
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let found = |paths: &[&str]| {
        let paths = paths.iter().map(|p| dir.path().join(p)).collect();
        let options =
            corefence::engine::Options { start: dir.path().to_path_buf(), jobs: 1, paths, ..Default::default() };
        let outcome = corefence::engine::run(&options).unwrap();
        outcome.diagnostics.iter().map(|d| format!("{} {}", d.location.path(), d.code.as_str())).collect::<Vec<_>>()
    };
    let whole = found(&[]);
    assert_eq!(whole, ["src/macros.rs boundary/import"]);
    // The finding is in the macro's body; the file expanding it is not asked about.
    assert_eq!(found(&["src/macros.rs"]), whole);
    assert_eq!(found(&["src/user.rs"]), Vec::<String>::new());
}

#[test]
fn the_definition_says_why_it_is_enterprise() {
    // (By a path assignment: the demo's, in `lsp.rs` and the human snapshot.)
    let files: std::collections::BTreeMap<String, Vec<u8>> = [
        ("corefence.toml", "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n[editions.enterprise]\nlicense = \"LicenseRef-E\"\nuses = [\"community\"]\nfeatures = [\"enterprise\"]\n[headers]\ninclude = []\n"),
        ("Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nlicense = \"AGPL-3.0-only\"\n[features]\nenterprise = []\n"),
        ("src/lib.rs", "#[cfg(feature = \"enterprise\")]\npub fn gated() {}\n#[corefence::edition(enterprise)]\npub fn tagged() {}\npub fn open() {\n    gated();\n    tagged();\n}\n"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.as_bytes().to_vec()))
    .collect();
    let options = corefence::engine::Options { jobs: 1, memory: Some(files), ..Default::default() };
    let outcome = corefence::engine::run(&options).unwrap();
    let labels: std::collections::BTreeMap<String, String> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "boundary/import")
        .map(|d| (d.symbol.clone().unwrap(), d.labels.iter().map(|l| l.text.clone()).collect::<Vec<_>>().join("; ")))
        .collect();
    let expected = [
        ("app::gated", "defined here, in enterprise code behind `#[cfg(feature = \"enterprise\")]`"),
        ("app::tagged", "defined here, in enterprise code by its tag or snippet"),
    ];
    assert_eq!(labels, expected.map(|(s, l)| (s.to_owned(), l.to_owned())).into_iter().collect(), "{labels:#?}");
}

/// A file two crates read as a module through `#[path]` breaks in both
/// crates' builds at the same place: one finding, not one per reading.
#[test]
fn a_shared_module_file_breaking_in_two_crates_is_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    crate::support::write(
        root,
        "corefence.toml",
        "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n\
         [editions.enterprise]\nlicense = \"LicenseRef-Acme\"\nuses = [\"community\"]\n\
         features = [\"enterprise\"]\n[headers]\ninclude = []\n",
    );
    crate::support::write(
        root,
        "Cargo.toml",
        "[workspace]\nmembers = [\"core\", \"aaa\", \"zzz\"]\nresolver = \"2\"\n",
    );
    let manifest = |name: &str, deps: &str| {
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"AGPL-3.0-only\"\n{deps}")
    };
    crate::support::write(root, "core/Cargo.toml", manifest("acme-core", "\n[features]\nenterprise = []\n"));
    crate::support::write(
        root,
        "core/src/lib.rs",
        "pub mod tools {\n    #[cfg(feature = \"enterprise\")]\n    pub fn seats() -> u32 {\n        25\n    }\n}\n",
    );
    for name in ["aaa", "zzz"] {
        let deps = "\n[dependencies]\nacme-core = { path = \"../core\" }\n";
        crate::support::write(root, &format!("{name}/Cargo.toml"), manifest(name, deps));
        crate::support::write(
            root,
            &format!("{name}/src/lib.rs"),
            "use acme_core::tools::*;\n\n#[path = \"../../shared/glob.rs\"]\npub mod glob;\n",
        );
    }
    crate::support::write(root, "shared/glob.rs", "use super::*;\n\npub fn limit() -> u32 {\n    seats() * 2\n}\n");
    let run = crate::support::corefence_in(root.to_path_buf(), &["check", "--no-cache", "--format", "short"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "shared/glob.rs:4:5: error[boundary/import] community code uses enterprise item `acme_core::tools::seats`\n"
    );
}
