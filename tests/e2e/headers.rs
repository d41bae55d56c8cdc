//! The header rules on one fixture file per tricky case
//! (`fixtures/headers`): the exact findings, snapshotted.

use crate::support::corefence;

#[test]
fn one_finding_per_tricky_case() {
    let run = corefence(&["check", "fixtures/headers", "--format", "short"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!(without_parser_wording(&run.stdout));
}

/// The output with the parser's own words about a syntax error (which a
/// syn release may change) left out: the snapshot keeps where and what.
fn without_parser_wording(out: &str) -> String {
    const SAYS: &str = "does not parse: ";
    out.lines()
        .map(|line| match line.find(SAYS) {
            Some(at) => format!("{}{SAYS}[the parser's message]", &line[..at]),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn files_that_are_right_produce_nothing() {
    let run = corefence(&["check", "fixtures/headers", "--format", "short"]);
    for clean in [
        "src/ok_plain.rs",
        "src/lowercase_id.rs",
        "src/snippet_other_license.rs",
        "src/crlf.rs",
        "src/shebang.rs",
        "src/bom.rs",
        "src/frontmatter.rs",
        "src/block_comment.rs",
        "src/block_comment_multiline.rs",
        "src/doc_comment.rs",
        "src/commutative.rs",
        "ee/sso.rs",
        "vendor/lib.rs",
        "scripts/tool.py",
        "docs/guide.md",
        "assets/sidecar.json",
        "assets/annotated.json",
    ] {
        // A file that is gone would pass vacuously.
        let path = crate::support::repo_root().join("fixtures/headers").join(clean);
        assert!(path.is_file(), "fixture {} is missing", path.display());
        assert!(!run.stdout.contains(&format!("{clean}:")), "{clean} should be clean:\n{}", run.stdout);
    }
}

#[test]
fn licenses_folder_must_hold_every_used_text() {
    let run = corefence(&["check", "fixtures/license-texts", "--format", "short"]);
    assert_eq!(run.code, 0, "license/text is a warning");
    assert_eq!(
        run.stdout,
        "corefence.toml:8:12: warning[license/text] LICENSES/LicenseRef-Acme-Enterprise.txt is missing\n\
         src/lib.rs:4:29: warning[license/text] LICENSES/MIT.txt is missing\n"
    );
}
