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
