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
