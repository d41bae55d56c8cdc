use super::*;

fn errors(text: &str) -> Vec<Diagnostic> {
    from_str("corefence.toml", text).expect_err("config should be rejected").0
}

fn snippet<'a>(text: &'a str, d: &Diagnostic) -> &'a str {
    &text[d.location.span.clone()]
}

const GOOD: &str = r#"
default = "community"

[editions.community]
license = "AGPL-3.0-only"

[editions.pro]
license = ["LicenseRef-Acme-Pro", "LicenseRef-Acme-Pro-Legacy"]
uses = ["community"]

[editions.enterprise]
license = "LicenseRef-Acme-Enterprise"
uses = ["pro"]
features = ["enterprise"]

[[assign]]
crates = ["acme-ee", "acme-ee-*"]
edition = "enterprise"

[[assign]]
paths = ["ee/**", "crates/core/src/sso/**"]
edition = "enterprise"

[[assign]]
paths = ["ee/community-bits/**"]
edition = "community"

[headers]
include = ["**/*.rs"]
exclude = ["third_party/**"]
copyright = "required"

[boundary]
dev-dependencies = "allow"

[third-party]
paths = ["vendor/**"]
"#;

#[test]
fn loads_the_documented_format() {
    let c = from_str("corefence.toml", GOOD).unwrap();
    let id = |n| c.edition_named(n).unwrap();
    assert_eq!(c.default, id("community"));
    assert_eq!(c.editions[id("pro")].licenses.len(), 2);
    assert_eq!(c.editions[id("pro")].license(), "LicenseRef-Acme-Pro");
    // uses is transitive, and never upwards.
    assert!(c.may_use(id("enterprise"), id("community")));
    assert!(c.may_use(id("enterprise"), id("pro")));
    assert!(!c.may_use(id("community"), id("pro")));
    assert!(c.may_use(id("pro"), id("pro")));
    // Only the top edition's build holds everything; only the bottom
    // edition is everyone's.
    assert!(c.may_use_every(id("enterprise")));
    assert!(!c.may_use_every(id("pro")) && !c.may_use_every(id("community")));
    assert!(c.usable_by_every(id("community")));
    assert!(!c.usable_by_every(id("pro")) && !c.usable_by_every(id("enterprise")));
    // later entries override earlier ones
    assert_eq!(c.path_edition("ee/community-bits/x.rs"), Some(id("community")));
    assert_eq!(c.path_edition("ee/x.rs"), Some(id("enterprise")));
    assert_eq!(c.path_edition("ee"), Some(id("enterprise")));
    assert_eq!(c.path_edition("crates/core/src/lib.rs"), None);
    assert_eq!(c.crate_edition("acme-ee-sso"), Some(id("enterprise")));
    assert_eq!(c.feature_edition("enterprise"), Some(id("enterprise")));
    assert!(c.header_required("src/a.rs"));
    assert!(!c.header_required("third_party/a.rs"));
    assert!(!c.header_required("README.md"));
    assert!(c.is_third_party("vendor/x/lib.rs"));
    assert_eq!(c.headers.copyright, Copyright::Required);
    assert!(!c.deny_dev_dependencies);
}

#[test]
fn every_problem_is_reported_at_once_with_spans() {
    let text = r#"
default = "comunity"

[editions.community]
licence = "AGPL-3.0-only"

[editions.enterprise]
license = "Apache2.0"
uses = ["community", "enterprize"]

[[assign]]
paths = ["src/[a-"]
edition = "enterprise"

[headers]
copyright = "sometimes"
"#;
    let ds = errors(text);
    let summary: Vec<(Code, &str, &str)> =
        ds.iter().map(|d| (d.code, snippet(text, d), d.help.as_deref().unwrap_or(""))).collect();
    assert_eq!(
        summary,
        vec![
            (Code::EditionUnknown, "\"comunity\"", "did you mean `community`?"),
            (
                Code::ConfigInvalid,
                "community",
                "add `license = \"<SPDX expression>\"` to this table: files of the edition must carry it"
            ),
            (Code::ConfigInvalid, "licence", "did you mean `license`?"),
            (
                Code::ConfigInvalid,
                "Apache2.0",
                "did you mean `Apache-2.0`? A commercial license is written `LicenseRef-<name>`"
            ),
            (Code::EditionUnknown, "\"enterprize\"", "did you mean `enterprise`?"),
            (
                Code::ConfigInvalid,
                "\"src/[a-\"",
                "globs use gitignore syntax: `*` within a folder, `**` across folders, `[ab]` classes"
            ),
            (Code::ConfigInvalid, "\"sometimes\"", "use `\"optional\"` or `\"required\"`"),
        ]
    );
}

#[test]
fn uses_cycle_names_the_cycle() {
    let text = r#"
[editions.community]
license = "MIT"
uses = ["enterprise"]

[editions.enterprise]
license = "LicenseRef-E"
uses = ["community"]
"#;
    let ds = errors(text);
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].message, "`uses` cycle: community → enterprise → community");
    assert_eq!(snippet(text, &ds[0]), "\"community\"");
}

#[test]
fn toml_syntax_error_points_at_the_line() {
    let text = "default = \"community\"\n[editions.community\nlicense = 1\n";
    let ds = errors(text);
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].location.start().line, 2);
    assert!(ds[0].message.starts_with("invalid TOML"), "{}", ds[0].message);
}

#[test]
fn wrong_types_are_named() {
    let text = "default = 3\n[editions.community]\nlicense = \"MIT\"\nuses = 7\n";
    let ds = errors(text);
    let messages: Vec<&str> = ds.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        ["expected a string, found integer", "expected a string or an array of strings, found integer"]
    );
}

#[test]
fn embedded_default_is_valid_and_assigns_the_usual_places() {
    let c = Config::embedded();
    assert!(c.is_embedded());
    let ee = c.edition_named("enterprise").unwrap();
    assert_eq!(c.path_edition("ee/sso/src/lib.rs"), Some(ee));
    assert_eq!(c.path_edition("crates/enterprise/x.rs"), Some(ee));
    assert_eq!(c.crate_edition("acme-ee"), Some(ee));
    assert_eq!(c.crate_edition("acme_ee"), Some(ee));
    assert_eq!(c.crate_edition("acme-enterprise"), Some(ee));
    assert_eq!(c.crate_edition("free"), None);
    assert_eq!(c.editions[c.default].license(), "AGPL-3.0-only");
    assert_eq!(c.written_patterns().count(), 0, "embedded defaults never warn");
}

#[test]
fn root_discovery_prefers_corefence_toml_then_workspace_then_git() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let deep = root.join("ws/crates/a/src");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    assert_eq!(discover_root(&deep).dir, root);
    std::fs::write(root.join("ws/Cargo.toml"), "[workspace]\nmembers = [\"crates/*\"]\n").unwrap();
    std::fs::write(root.join("ws/crates/a/Cargo.toml"), "[package]\nname = \"a\"\n").unwrap();
    assert_eq!(discover_root(&deep).dir, root.join("ws"));
    std::fs::write(root.join("ws/crates/corefence.toml"), "").unwrap();
    let found = discover_root(&deep);
    assert_eq!(found.dir, root.join("ws/crates"));
    assert_eq!(found.config_file, Some(root.join("ws/crates/corefence.toml")));
}

#[test]
fn root_discovery_never_looks_above_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    // A stray configuration in a folder holding several repositories.
    std::fs::write(dir.path().join("corefence.toml"), "").unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("src")).unwrap();
    let found = discover_root(&repo.join("src"));
    assert_eq!((found.dir, found.config_file), (repo.clone(), None));
    // A submodule (`.git` is a file) is a repository of its own.
    let sub = repo.join("vendor/sub");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(sub.join(".git"), "gitdir: ../../.git/modules/sub\n").unwrap();
    std::fs::write(repo.join("corefence.toml"), "").unwrap();
    assert_eq!(discover_root(&sub).dir, sub);
    assert_eq!(discover_root(&repo.join("src")).dir, repo);
}

#[test]
fn root_discovery_outside_git_stops_at_the_cargo_workspace() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("corefence.toml"), "").unwrap();
    let ws = dir.path().join("ws");
    std::fs::create_dir_all(ws.join("crates/a/src")).unwrap();
    std::fs::write(ws.join("Cargo.toml"), "[workspace]\nmembers = [\"crates/a\"]\n").unwrap();
    std::fs::write(ws.join("crates/a/Cargo.toml"), "[package]\nname = \"a\"\n").unwrap();
    let found = discover_root(&ws.join("crates/a/src"));
    assert_eq!((found.dir, found.config_file), (ws, None));
    // No git, no Cargo.toml: only the folder itself.
    let loose = dir.path().join("loose");
    std::fs::create_dir_all(&loose).unwrap();
    assert_eq!(discover_root(&loose).config_file, None);
}
