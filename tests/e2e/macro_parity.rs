//! The linter and the macro accept and reject the same `#[edition(..)]`
//! forms: the linter reads the macro crate's own trybuild cases
//! (`macros/tests/ui`) and must find every passing case well-formed and
//! report, for every failing case, the very message the compiler prints.

use std::path::Path;

fn cases(kind: &str) -> Vec<std::path::PathBuf> {
    let dir = crate::support::repo_root().join("macros/tests/ui").join(kind);
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    files
}

fn tags(path: &Path) -> Vec<corefence::parse::tags::EditionTag> {
    let text = std::fs::read_to_string(path).unwrap();
    let parsed = corefence::parse::parse(&text);
    if let Some(e) = parsed.problem {
        panic!("{}: {}", path.display(), e.message);
    }
    parsed.file.tags
}

#[test]
fn passing_macro_cases_are_well_formed_tags() {
    for path in cases("pass") {
        let found = tags(&path);
        assert!(!found.is_empty(), "{}: no tag found", path.display());
        for tag in found {
            assert!(tag.args.is_ok(), "{}: {:?}", path.display(), tag.args);
        }
    }
}

#[test]
fn failing_macro_cases_fail_with_the_compilers_message() {
    for path in cases("fail") {
        let stderr = std::fs::read_to_string(path.with_extension("stderr")).unwrap();
        let errors: Vec<String> = tags(&path).into_iter().filter_map(|t| t.args.err()).map(|e| e.message).collect();
        assert!(!errors.is_empty(), "{}: the linter accepts what the macro rejects", path.display());
        for message in errors {
            assert!(stderr.contains(&format!("error: {message}")), "{}: `{message}` not in\n{stderr}", path.display());
        }
    }
}

/// The linter compiles a copy of the macro crate's grammar, so that each
/// crate packages on its own: the copy must stay byte-identical.
#[test]
fn the_linter_compiles_the_macro_grammar_unchanged() {
    let root = crate::support::repo_root();
    let macro_grammar = std::fs::read(root.join("macros/src/args.rs")).unwrap();
    let linter_copy = std::fs::read(root.join("lint/src/parse/tags/edition_args.rs")).unwrap();
    assert!(
        macro_grammar == linter_copy,
        "lint/src/parse/tags/edition_args.rs differs from macros/src/args.rs: copy the macro crate's file over it"
    );
}
