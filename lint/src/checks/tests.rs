//! The checks on their own: a workspace held in memory, one file's context
//! built as the engine builds it, one check run, and its diagnostics read as
//! the user sees them (code, message, line and column).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::{FileContext, WrittenLicense};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::edition::EditionMap;
use crate::license::comment::{self, CommentStyle};
use crate::license::expr::LicenseExpr;
use crate::license::header;
use crate::workspace::Workspace;

const CONFIG: &str = r#"default = "community"

[editions.community]
license = ["AGPL-3.0-only", "MIT OR Apache-2.0"]

[editions.enterprise]
license = "LicenseRef-Acme-EE"
uses = ["community"]
features = ["enterprise"]

[[assign]]
paths = ["ee/**"]
edition = "enterprise"

[headers]
include = ["**/*.rs"]

[third-party]
paths = ["vendor/**"]
"#;

/// A community crate `app`, an enterprise crate `acme-ee` (under `ee/`) and
/// vendored code; tests add files or replace these.
const BASE: &[(&str, &str)] = &[
    ("Cargo.toml", "[workspace]\nmembers = [\"app\", \"ee\"]\n"),
    ("app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\npublish = false\n"),
    ("app/src/lib.rs", "// SPDX-License-Identifier: AGPL-3.0-only\n"),
    ("ee/Cargo.toml", "[package]\nname = \"acme-ee\"\nversion = \"0.1.0\"\npublish = false\n"),
    ("ee/src/lib.rs", "// SPDX-License-Identifier: LicenseRef-Acme-EE\n"),
    ("vendor/lib.rs", "// SPDX-License-Identifier: MIT\n"),
];

/// A per-file check.
type FileCheck = fn(&FileContext<'_>, &mut Vec<Diagnostic>);

/// A configuration and the workspace it applies to, in memory.
struct Fixture {
    config: Config,
    ws: Workspace,
    editions: EditionMap,
    accepted: Vec<Vec<LicenseExpr>>,
    texts: BTreeMap<String, String>,
}

impl Fixture {
    /// The base workspace with `files` added (or replaced), under the test configuration.
    fn new(files: &[(&str, &str)]) -> Self {
        Self::with_config(CONFIG, files)
    }

    /// The base workspace with `files` added (or replaced), under `config`.
    fn with_config(config: &str, files: &[(&str, &str)]) -> Self {
        let config = crate::config::from_str("corefence.toml", config).unwrap();
        let texts: BTreeMap<String, String> =
            BASE.iter().chain(files).map(|(rel, text)| ((*rel).to_owned(), (*text).to_owned())).collect();
        let ws = crate::testing::memory_workspace(&texts);
        assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
        let editions = EditionMap::new(&config, &ws);
        let accepted = config
            .editions
            .iter()
            .map(|e| e.licenses.iter().map(|l| LicenseExpr::parse(l).unwrap()).collect())
            .collect();
        Fixture { config, ws, editions, accepted, texts }
    }

    /// Runs one per-file check on `rel`, with the context the engine gives it.
    fn check_file(&self, rel: &str, check: FileCheck) -> Vec<Diagnostic> {
        let text = self.texts.get(rel).unwrap();
        let source = Arc::new(SourceFile::new(rel, text.as_str()));
        let style = comment::style_for_path(Path::new(rel));
        let scan = header::scan(text.as_bytes(), style.unwrap_or(CommentStyle::Hash));
        let (licenses, snippet_licenses): (Vec<WrittenLicense>, Vec<(usize, WrittenLicense)>) = if style.is_some() {
            (
                scan.licenses.iter().cloned().map(WrittenLicense::new).collect(),
                scan.snippets
                    .iter()
                    .enumerate()
                    .filter_map(|(i, s)| Some((i, WrittenLicense::new(s.license.clone()?))))
                    .collect(),
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let parsed = Path::new(rel).extension().is_some_and(|e| e == "rs").then(|| crate::parse::parse(text).file);
        let (edition, reason) = self.editions.file_edition(&self.config, &self.ws, rel);
        let ctx = FileContext {
            config: &self.config,
            source: &source,
            edition,
            reason: &reason,
            header_required: self.config.header_required(rel),
            third_party: self.config.is_third_party(rel),
            scan: &scan,
            licenses: &licenses,
            snippet_licenses: &snippet_licenses,
            external: None,
            accepted: &self.accepted,
            parsed: parsed.as_ref(),
        };
        let mut out = Vec::new();
        check(&ctx, &mut out);
        out
    }
}

/// Runs `check` on one file `rel` added to the base workspace.
fn file(rel: &str, text: &str, check: FileCheck) -> Vec<Diagnostic> {
    Fixture::new(&[(rel, text)]).check_file(rel, check)
}

/// The one diagnostic found, failing when there are none or several.
fn only(found: &[Diagnostic]) -> &Diagnostic {
    assert_eq!(found.len(), 1, "expected one diagnostic, found {found:#?}");
    &found[0]
}

/// The path, 1-based line and column where a diagnostic points.
fn at(d: &Diagnostic) -> (&str, usize, usize) {
    let start = d.location.start();
    (d.location.path(), start.line, start.column)
}

fn help(d: &Diagnostic) -> &str {
    d.help.as_deref().unwrap_or_default()
}

/// Asserts `d` has `code` and a message containing `fragment`.
fn assert_finding(d: &Diagnostic, code: &str, fragment: &str) {
    assert_eq!(d.code.as_str(), code, "{d:#?}");
    assert!(d.message.contains(fragment), "message `{}` lacks `{fragment}`", d.message);
}

// license/missing

#[test]
fn missing_header_points_at_the_start_and_names_the_license() {
    let found = file("app/src/main.rs", "fn main() {}\n", super::license::missing::check);
    let d = only(&found);
    assert_finding(d, "license/missing", "`app/src/main.rs` has no SPDX-License-Identifier header");
    assert_eq!(at(d), ("app/src/main.rs", 1, 1));
    assert!(help(d).contains("SPDX-License-Identifier: AGPL-3.0-only"), "{}", help(d));
    assert!(help(d).contains("the default edition"), "{}", help(d));
}

#[test]
fn missing_header_in_an_enterprise_file_asks_for_the_enterprise_license() {
    let d = file("ee/src/sso.rs", "pub fn login() {}\n", super::license::missing::check);
    let d = only(&d);
    assert!(help(d).contains("SPDX-License-Identifier: LicenseRef-Acme-EE"), "{}", help(d));
    assert!(help(d).contains("a path assignment"), "{}", help(d));
}

#[test]
fn missing_header_with_an_identifier_after_code_points_at_it() {
    let text = "pub fn f() {}\n\n// SPDX-License-Identifier: AGPL-3.0-only\n";
    let found = file("app/src/late.rs", text, super::license::missing::check);
    let d = only(&found);
    assert_finding(d, "license/missing", "has no SPDX-License-Identifier header");
    assert_eq!(at(d), ("app/src/late.rs", 1, 1));
    assert_eq!(d.labels.len(), 1, "{d:#?}");
    let stray = &d.labels[0];
    assert_eq!((stray.location.start().line, stray.location.start().column), (3, 29));
    assert!(stray.text.contains("after code"), "{}", stray.text);
}

#[test]
fn missing_copyright_is_reported_only_when_required() {
    let required = CONFIG.replace("include = [\"**/*.rs\"]", "include = [\"**/*.rs\"]\ncopyright = \"required\"");
    let without = "// SPDX-License-Identifier: AGPL-3.0-only\npub fn f() {}\n";
    let fixture = Fixture::with_config(&required, &[("app/src/a.rs", without)]);
    let found = fixture.check_file("app/src/a.rs", super::license::missing::check);
    let d = only(&found);
    assert_finding(d, "license/missing", "`app/src/a.rs` has no SPDX-FileCopyrightText line");
    assert_eq!(at(d), ("app/src/a.rs", 1, 1));

    let with = "// SPDX-FileCopyrightText: 2024 Acme\n// SPDX-License-Identifier: AGPL-3.0-only\npub fn f() {}\n";
    let fixture = Fixture::with_config(&required, &[("app/src/a.rs", with)]);
    assert!(fixture.check_file("app/src/a.rs", super::license::missing::check).is_empty());
    // Optional (the default): no copyright line is fine.
    assert!(file("app/src/a.rs", without, super::license::missing::check).is_empty());
}

#[test]
fn missing_does_not_fire_on_a_header_or_a_file_outside_headers_include() {
    let header = "//! The crate.\n// SPDX-License-Identifier: AGPL-3.0-only\npub fn f() {}\n";
    assert!(file("app/src/a.rs", header, super::license::missing::check).is_empty());
    assert!(file("docs/notes.md", "# Notes\n", super::license::missing::check).is_empty());
    assert!(file("app/build.sh", "echo hi\n", super::license::missing::check).is_empty());
}

#[test]
fn missing_in_third_party_code_accepts_any_license_but_not_none() {
    assert!(file("vendor/zlib.rs", "// SPDX-License-Identifier: Zlib\n", super::license::missing::check).is_empty());
    let found = file("vendor/bare.rs", "pub fn f() {}\n", super::license::missing::check);
    assert_eq!(at(only(&found)), ("vendor/bare.rs", 1, 1));
}

// license/invalid

#[test]
fn invalid_points_at_the_bad_token_and_suggests_a_repair() {
    let text = "// SPDX-License-Identifier: MIT OR Apache2.0\n";
    let found = file("app/src/a.rs", text, super::license::invalid::check);
    let d = only(&found);
    assert_finding(d, "license/invalid", "invalid SPDX expression `MIT OR Apache2.0`");
    assert!(d.message.contains("Apache2.0"), "{}", d.message);
    assert_eq!(at(d), ("app/src/a.rs", 1, 36));
    assert_eq!(&text[d.location.span.clone()], "Apache2.0");
    assert!(help(d).contains("did you mean `Apache-2.0`?"), "{}", help(d));
}

#[test]
fn invalid_checks_snippet_identifiers_too() {
    let text = "// SPDX-License-Identifier: AGPL-3.0-only\n\
                // SPDX-SnippetBegin\n\
                // SPDX-License-Identifier: LicenseRef-Acme-EE AND\n\
                pub fn f() {}\n\
                // SPDX-SnippetEnd\n";
    let found = file("app/src/a.rs", text, super::license::invalid::check);
    let d = only(&found);
    assert_finding(d, "license/invalid", "invalid SPDX expression `LicenseRef-Acme-EE AND`");
    assert_eq!(at(d).1, 3);
}

#[test]
fn invalid_does_not_fire_on_valid_expressions() {
    let text = "// SPDX-License-Identifier: (MIT OR Apache-2.0) AND LicenseRef-Acme-EE\n";
    assert!(file("app/src/a.rs", text, super::license::invalid::check).is_empty());
}

// license/deprecated

#[test]
fn deprecated_id_gets_its_precise_replacement() {
    let text = "// SPDX-License-Identifier: AGPL-3.0\n";
    let found = file("app/src/a.rs", text, super::license::deprecated::check);
    let d = only(&found);
    assert_finding(d, "license/deprecated", "deprecated SPDX license id `AGPL-3.0`");
    assert_eq!(at(d), ("app/src/a.rs", 1, 29));
    assert!(help(d).contains("`AGPL-3.0-only`"), "{}", help(d));
}

#[test]
fn deprecated_id_inside_an_expression_is_pointed_at_and_current_ids_pass() {
    let text = "// SPDX-License-Identifier: MIT OR GPL-2.0+\n";
    let found = file("app/src/a.rs", text, super::license::deprecated::check);
    let d = only(&found);
    assert_eq!(at(d), ("app/src/a.rs", 1, 36));
    assert!(help(d).contains("GPL-2.0-or-later"), "{}", help(d));

    let current = "// SPDX-License-Identifier: AGPL-3.0-only OR GPL-2.0-or-later\n";
    assert!(file("app/src/b.rs", current, super::license::deprecated::check).is_empty());
}

// license/conflict

#[test]
fn conflict_points_at_the_second_identifier_and_the_first() {
    let text = "// SPDX-License-Identifier: AGPL-3.0-only\n// SPDX-License-Identifier: MIT\npub fn f() {}\n";
    let found = file("app/src/two.rs", text, super::license::conflict::check);
    let d = only(&found);
    assert_finding(d, "license/conflict", "`app/src/two.rs` declares a second, different license `MIT`");
    assert_eq!(at(d), ("app/src/two.rs", 2, 29));
    assert_eq!(d.labels.len(), 1, "{d:#?}");
    assert_eq!(d.labels[0].location.start().line, 1);
    assert!(help(d).contains("`AGPL-3.0-only AND MIT`"), "{}", help(d));
}

#[test]
fn conflict_does_not_fire_on_the_same_license_twice_or_a_snippet() {
    let same = "// SPDX-License-Identifier: MIT OR Apache-2.0\n// SPDX-License-Identifier: Apache-2.0 OR MIT\n";
    assert!(file("app/src/a.rs", same, super::license::conflict::check).is_empty());
    let snippet = "// SPDX-License-Identifier: AGPL-3.0-only\n\
                   // SPDX-SnippetBegin\n\
                   // SPDX-License-Identifier: LicenseRef-Acme-EE\n\
                   pub fn f() {}\n\
                   // SPDX-SnippetEnd\n";
    assert!(file("app/src/b.rs", snippet, super::license::conflict::check).is_empty());
}

// license/mismatch

#[test]
fn mismatch_in_a_community_file_carrying_the_enterprise_license() {
    let text = "// SPDX-License-Identifier: LicenseRef-Acme-EE\npub fn f() {}\n";
    let found = file("app/src/a.rs", text, super::license::mismatch::check);
    let d = only(&found);
    assert_finding(d, "license/mismatch", "community code is licensed `LicenseRef-Acme-EE`, expected `AGPL-3.0-only`");
    assert_eq!(at(d), ("app/src/a.rs", 1, 29));
    assert!(help(d).contains("the default edition"), "{}", help(d));
}

#[test]
fn mismatch_in_an_enterprise_file_says_why_it_is_enterprise() {
    let found = file("ee/src/a.rs", "// SPDX-License-Identifier: AGPL-3.0-only\n", super::license::mismatch::check);
    let d = only(&found);
    assert_finding(d, "license/mismatch", "enterprise code is licensed `AGPL-3.0-only`, expected `LicenseRef-Acme-EE`");
    assert!(help(d).contains("a path assignment"), "{}", help(d));
}

#[test]
fn mismatch_accepts_every_expression_of_the_edition_in_any_order() {
    for accepted in ["AGPL-3.0-only", "agpl-3.0-only", "MIT OR Apache-2.0", "Apache-2.0 OR MIT", "(Apache-2.0 OR MIT)"]
    {
        let text = format!("// SPDX-License-Identifier: {accepted}\n");
        assert!(file("app/src/a.rs", &text, super::license::mismatch::check).is_empty(), "{accepted}");
    }
    // Neither half on its own, nor `-or-later` for `-only`.
    for refused in ["MIT", "MIT AND Apache-2.0", "AGPL-3.0-or-later"] {
        let text = format!("// SPDX-License-Identifier: {refused}\n");
        let found = file("app/src/a.rs", &text, super::license::mismatch::check);
        assert_finding(only(&found), "license/mismatch", &format!("licensed `{refused}`"));
    }
}

#[test]
fn mismatch_skips_third_party_and_files_outside_headers_include() {
    let text = "// SPDX-License-Identifier: BSD-3-Clause\n";
    assert!(file("vendor/lib.rs", text, super::license::mismatch::check).is_empty());
    assert!(
        file("app/script.py", "# SPDX-License-Identifier: BSD-3-Clause\n", super::license::mismatch::check).is_empty()
    );
}

// license/snippet

const TAGGED: &str = "// SPDX-License-Identifier: AGPL-3.0-only\n\n#[edition(enterprise)]\npub fn sso() {}\n";

#[test]
fn snippet_missing_around_an_enterprise_item_in_a_community_file() {
    let found = file("app/src/a.rs", TAGGED, super::license::snippet::check);
    let d = only(&found);
    assert_finding(
        d,
        "license/snippet",
        "enterprise item `sso` sits in a community file without a `LicenseRef-Acme-EE` snippet",
    );
    assert_eq!(at(d), ("app/src/a.rs", 3, 1));
    assert_eq!(d.target_edition.as_deref(), Some("enterprise"));
    assert!(help(d).contains("// SPDX-License-Identifier: LicenseRef-Acme-EE"), "{}", help(d));
}

#[test]
fn snippet_of_the_item_edition_covers_it() {
    let text = "// SPDX-License-Identifier: AGPL-3.0-only\n\n\
                // SPDX-SnippetBegin\n\
                // SPDX-License-Identifier: LicenseRef-Acme-EE\n\
                #[edition(enterprise)]\n\
                pub fn sso() {}\n\
                // SPDX-SnippetEnd\n";
    assert!(file("app/src/a.rs", text, super::license::snippet::check).is_empty());
    // A snippet of another license does not.
    let wrong = text.replace("LicenseRef-Acme-EE", "MIT");
    let found = file("app/src/a.rs", &wrong, super::license::snippet::check);
    assert_eq!(at(only(&found)), ("app/src/a.rs", 5, 1));
}

#[test]
fn snippet_innermost_license_decides() {
    let text = "// SPDX-License-Identifier: AGPL-3.0-only\n\
                // SPDX-SnippetBegin\n\
                // SPDX-License-Identifier: LicenseRef-Acme-EE\n\
                pub fn outer() {}\n\
                // SPDX-SnippetBegin\n\
                // SPDX-License-Identifier: AGPL-3.0-only\n\
                #[edition(enterprise)]\n\
                pub fn sso() {}\n\
                // SPDX-SnippetEnd\n\
                // SPDX-SnippetEnd\n";
    let found = file("app/src/a.rs", text, super::license::snippet::check);
    assert_eq!(at(only(&found)), ("app/src/a.rs", 7, 1));
}

#[test]
fn snippet_must_hold_the_whole_item() {
    let text = "// SPDX-License-Identifier: AGPL-3.0-only\n\
                // SPDX-SnippetBegin\n\
                // SPDX-License-Identifier: LicenseRef-Acme-EE\n\
                #[edition(enterprise)]\n\
                pub fn sso() {\n\
                // SPDX-SnippetEnd\n\
                    let secret = 1;\n\
                }\n";
    let found = file("app/src/a.rs", text, super::license::snippet::check);
    assert_eq!(at(only(&found)), ("app/src/a.rs", 4, 1));
}

#[test]
fn snippet_not_needed_for_an_item_of_the_file_edition() {
    let text = "// SPDX-License-Identifier: LicenseRef-Acme-EE\n#[edition(enterprise)]\npub fn sso() {}\n";
    assert!(file("ee/src/a.rs", text, super::license::snippet::check).is_empty());
}

#[test]
fn snippet_markers_out_of_balance_are_malformed() {
    let text = "// SPDX-License-Identifier: AGPL-3.0-only\npub fn f() {}\n// SPDX-SnippetEnd\n";
    let found = file("app/src/a.rs", text, super::license::snippet::check);
    let d = only(&found);
    assert_finding(d, "license/snippet", "`SPDX-SnippetEnd` without a matching `SPDX-SnippetBegin`");
    assert_eq!(at(d), ("app/src/a.rs", 3, 4));

    let text = "// SPDX-License-Identifier: AGPL-3.0-only\n// SPDX-SnippetBegin\npub fn f() {}\n";
    let found = file("app/src/b.rs", text, super::license::snippet::check);
    let d = only(&found);
    assert_finding(d, "license/snippet", "`SPDX-SnippetBegin` is never closed");
    assert_eq!(at(d), ("app/src/b.rs", 2, 4));
}

// edition/invalid

#[test]
fn edition_invalid_points_at_the_malformed_argument() {
    let text = "#[edition(\"enterprise\")]\npub fn f() {}\n";
    let found = file("app/src/a.rs", text, super::edition::invalid::check);
    let d = only(&found);
    assert_finding(d, "edition/invalid", "identifier, not a string");
    assert_eq!(at(d), ("app/src/a.rs", 1, 11));

    let good = "#[edition(enterprise)]\npub fn f() {}\n#[edition(enterprise, feature = \"sso\")]\npub fn g() {}\n";
    assert!(file("app/src/b.rs", good, super::edition::invalid::check).is_empty());
}

// edition/unknown

#[test]
fn edition_unknown_tag_gets_a_did_you_mean() {
    let text = "// SPDX-License-Identifier: AGPL-3.0-only\n#[edition(enterprize)]\npub fn f() {}\n";
    let found = file("app/src/a.rs", text, super::edition::unknown::check);
    let d = only(&found);
    assert_finding(d, "edition/unknown", "unknown edition `enterprize`");
    assert_eq!(at(d), ("app/src/a.rs", 2, 11));
    assert_eq!(help(d), "did you mean `enterprise`?");
}

#[test]
fn edition_unknown_without_a_close_name_lists_the_editions() {
    let found = file("app/src/a.rs", "#[edition(platinum)]\npub fn f() {}\n", super::edition::unknown::check);
    assert_eq!(help(only(&found)), "defined editions: community, enterprise");
    let known = "#[edition(enterprise)]\npub fn f() {}\n#[edition(community)]\npub fn g() {}\n";
    assert!(file("app/src/b.rs", known, super::edition::unknown::check).is_empty());
}

#[test]
fn edition_unknown_in_crate_metadata() {
    let manifest =
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[package.metadata.corefence]\nedition = \"enterprize\"\n";
    let fixture = Fixture::new(&[("app/Cargo.toml", manifest)]);
    let found = super::edition::unknown::crates(&fixture.config, &fixture.ws);
    let d = only(&found);
    assert_finding(d, "edition/unknown", "crate `app` names unknown edition `enterprize`");
    assert_eq!(at(d), ("app/Cargo.toml", 6, 11));
    assert_eq!(help(d), "did you mean `enterprise`?");

    let known = manifest.replace("enterprize", "enterprise");
    let fixture = Fixture::new(&[("app/Cargo.toml", &known)]);
    assert!(super::edition::unknown::crates(&fixture.config, &fixture.ws).is_empty());
}

// parse/syntax

#[test]
fn syntax_error_points_where_the_parser_stopped() {
    let text = "// SPDX-License-Identifier: AGPL-3.0-only\npub fn f( {}\n";
    let parsed = crate::parse::parse(text);
    let problem = parsed.problem.unwrap();
    let d = super::parse::syntax::diagnostic(&Arc::new(SourceFile::new("app/src/a.rs", text)), &problem);
    assert_finding(&d, "parse/syntax", "`app/src/a.rs` does not parse");
    assert_eq!(at(&d).1, 2);
    assert!(help(&d).contains("its header was checked"), "{}", help(&d));
    assert!(crate::parse::parse("pub fn f() {}\n").problem.is_none());
}

// license/manifest

/// The license/manifest findings of the base workspace with `files` replaced.
fn manifest_findings(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    let f = Fixture::new(files);
    super::license::manifest::check(&f.config, &f.ws, &f.editions, &f.accepted)
}

#[test]
fn manifest_without_license_is_reported_only_when_publishable() {
    let publishable = "[package]\nname = \"app\"\nversion = \"0.1.0\"\n";
    let found = manifest_findings(&[("app/Cargo.toml", publishable)]);
    let d = only(&found);
    assert_finding(d, "license/manifest", "crate `app` has no license");
    assert_eq!(at(d), ("app/Cargo.toml", 2, 8));
    assert!(help(d).contains("license = \"AGPL-3.0-only\""), "{}", help(d));
    // The base crates are `publish = false`.
    assert!(manifest_findings(&[]).is_empty());
}

#[test]
fn manifest_with_the_wrong_license() {
    let manifest = "[package]\nname = \"acme-ee\"\nversion = \"0.1.0\"\nlicense = \"AGPL-3.0-only\"\n";
    let found = manifest_findings(&[("ee/Cargo.toml", manifest)]);
    let d = only(&found);
    assert_finding(
        d,
        "license/manifest",
        "enterprise crate `acme-ee` is licensed `AGPL-3.0-only`, expected `LicenseRef-Acme-EE`",
    );
    assert_eq!(at(d), ("ee/Cargo.toml", 4, 11));
    // Any expression the edition accepts, in any order, is right.
    let right = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nlicense = \"Apache-2.0 OR MIT\"\n";
    assert!(manifest_findings(&[("app/Cargo.toml", right)]).is_empty());
}

#[test]
fn manifest_check_switched_off_with_headers_on() {
    let manifest = "[package]\nname = \"acme-ee\"\nversion = \"0.1.0\"\nlicense = \"AGPL-3.0-only\"\n";
    let files = [("ee/Cargo.toml", manifest)];
    assert_eq!(manifest_findings(&files).len(), 1);
    let config = CONFIG.replace("[headers]\n", "[headers]\nmanifests = false\n");
    assert!(config.contains("manifests = false"), "{config}");
    let f = Fixture::with_config(&config, &files);
    assert!(super::license::manifest::check(&f.config, &f.ws, &f.editions, &f.accepted).is_empty());
    // Headers are still checked.
    assert!(f.config.header_required("app/src/lib.rs"));
}

#[test]
fn manifest_inheriting_from_a_workspace_nested_below_the_root() {
    // The root manifest defines no license; `sub/` is a workspace of its own.
    let sub =
        |license: &str| format!("[workspace]\nmembers = [\"app\"]\n\n[workspace.package]\nlicense = \"{license}\"\n");
    let member = "[package]\nname = \"sub-app\"\nversion = \"0.1.0\"\nlicense.workspace = true\n";
    let files = |license: &str| {
        vec![("sub/Cargo.toml".to_owned(), sub(license)), ("sub/app/Cargo.toml".to_owned(), member.to_owned())]
    };
    let found = |license: &str| {
        let owned = files(license);
        let refs: Vec<(&str, &str)> = owned.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        manifest_findings(&refs)
    };
    assert!(found("AGPL-3.0-only").is_empty(), "{:?}", found("AGPL-3.0-only"));
    let wrong = found("BSD-3-Clause");
    let d = only(&wrong);
    assert_finding(d, "license/manifest", "community crate `sub-app` is licensed `BSD-3-Clause`");
    assert_eq!(d.labels.first().map(|l| l.location.path()), Some("sub/Cargo.toml"));
}

#[test]
fn dependencies_inherited_from_a_nested_workspace_resolve_from_its_folder() {
    let f = Fixture::new(&[
        ("sub/Cargo.toml", "[workspace]\nmembers = [\"app\"]\n\n[workspace.dependencies]\nsso = { path = \"../ee\" }\n"),
        ("sub/app/Cargo.toml", "[package]\nname = \"sub-app\"\nversion = \"0.1.0\"\npublish = false\n[dependencies]\nsso.workspace = true\n"),
    ]);
    let found = super::boundary::dependency::check(&f.config, &f.ws, &f.editions);
    let d = only(&found);
    assert_finding(d, "boundary/dependency", "community crate `sub-app` depends on enterprise crate `acme-ee`");
}

#[test]
fn manifest_inheriting_the_workspace_license() {
    let root = "[workspace]\nmembers = [\"app\", \"ee\"]\n\n[workspace.package]\nlicense = \"AGPL-3.0-only\"\n";
    let inherit = |name: &str| format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nlicense.workspace = true\n");
    let (app, ee) = (inherit("app"), inherit("acme-ee"));
    let found = manifest_findings(&[("Cargo.toml", root), ("app/Cargo.toml", &app), ("ee/Cargo.toml", &ee)]);
    // The community crate inherits the right license; the enterprise one does not.
    let d = only(&found);
    assert_finding(d, "license/manifest", "enterprise crate `acme-ee` is licensed `AGPL-3.0-only`");
    assert_eq!(at(d), ("ee/Cargo.toml", 4, 1));
    assert_eq!(d.labels.len(), 1, "{d:#?}");
    assert_eq!(d.labels[0].location.path(), "Cargo.toml");
    assert_eq!(d.labels[0].location.start().line, 5);
    assert!(d.labels[0].text.contains("inherited"), "{}", d.labels[0].text);

    // Inheriting from a workspace that defines no license.
    let found = manifest_findings(&[("app/Cargo.toml", &app)]);
    let d = only(&found);
    assert_finding(d, "license/manifest", "crate `app` inherits a license the workspace does not define");
    assert_eq!(at(d), ("app/Cargo.toml", 4, 1));
}

// config/unmatched

#[test]
fn unmatched_assign_path_points_into_the_configuration() {
    let config = CONFIG.replace("paths = [\"ee/**\"]", "paths = [\"ee/**\", \"enterprize/**\"]");
    let f = Fixture::with_config(&config, &[]);
    let found = super::config::unmatched::check(&f.config, &f.ws);
    let d = only(&found);
    assert_finding(d, "config/unmatched", "`enterprize/**` matches no file or folder in the workspace");
    assert_eq!(at(d), ("corefence.toml", 12, 19));
}

#[test]
fn unmatched_crate_name_suggests_the_closest_crate() {
    let config = CONFIG.replace("paths = [\"ee/**\"]", "crates = [\"acme-e\"]");
    let f = Fixture::with_config(&config, &[]);
    let found = super::config::unmatched::check(&f.config, &f.ws);
    let d = only(&found);
    assert_finding(d, "config/unmatched", "`acme-e` matches no crate in the workspace");
    assert_eq!(help(d), "did you mean `acme-ee`?");
}

#[test]
fn unmatched_build_only_crate_is_flagged_and_a_matching_one_is_not() {
    let config = CONFIG.replace(
        "features = [\"enterprise\"]",
        "features = [\"enterprise\"]\nbuild-only-crates = [\"app\", \"acme-test\"]",
    );
    let f = Fixture::with_config(&config, &[]);
    let found = super::config::unmatched::check(&f.config, &f.ws);
    let d = only(&found);
    assert_finding(d, "config/unmatched", "`acme-test` matches no crate in the workspace");
    assert_eq!(at(d), ("corefence.toml", 10, 29));
}

#[test]
fn unmatched_does_not_fire_when_every_glob_matches() {
    // `**/*.rs` and `vendor/**` match files; `app/src` only a folder.
    let config = CONFIG.replace("paths = [\"ee/**\"]", "paths = [\"ee/**\", \"app/src\"]");
    let f = Fixture::with_config(&config, &[]);
    assert!(super::config::unmatched::check(&f.config, &f.ws).is_empty());
}

// boundary/dependency

/// The boundary/dependency findings when `app`'s manifest ends with `deps`.
fn dependency_findings(deps: &str) -> Vec<Diagnostic> {
    let app = format!("[package]\nname = \"app\"\nversion = \"0.1.0\"\npublish = false\n\n{deps}");
    let f = Fixture::new(&[("app/Cargo.toml", &app)]);
    super::boundary::dependency::check(&f.config, &f.ws, &f.editions)
}

#[test]
fn dependency_of_a_community_crate_on_an_enterprise_crate() {
    let found = dependency_findings("[dependencies]\nacme-ee = { path = \"../ee\" }\n");
    let d = only(&found);
    assert_finding(d, "boundary/dependency", "community crate `app` depends on enterprise crate `acme-ee`");
    assert_eq!(at(d), ("app/Cargo.toml", 7, 1));
    assert!(help(d).contains("optional = true"), "{}", help(d));
    assert!(help(d).contains("enterprise = [\"dep:acme-ee\"]"), "{}", help(d));
}

#[test]
fn dependency_optional_behind_the_mapped_feature_is_fine() {
    let gated = "[dependencies]\nacme-ee = { path = \"../ee\", optional = true }\n\n[features]\nenterprise = [\"dep:acme-ee\"]\n";
    assert!(dependency_findings(gated).is_empty());
    // Behind an unmapped feature it still crosses, and the feature is named.
    let ungated = gated.replace("enterprise = ", "extras = ");
    let found = dependency_findings(&ungated);
    let d = only(&found);
    assert_eq!(at(d), ("app/Cargo.toml", 7, 1));
    assert_eq!(d.labels.len(), 1, "{d:#?}");
    assert_eq!(d.labels[0].location.start().line, 10);
    assert!(d.labels[0].text.contains("feature `extras`"), "{}", d.labels[0].text);
}

#[test]
fn dependency_of_an_enterprise_crate_on_a_community_crate_is_fine() {
    let ee = "[package]\nname = \"acme-ee\"\nversion = \"0.1.0\"\npublish = false\n\n[dependencies]\napp = { path = \"../app\" }\n";
    let f = Fixture::new(&[("ee/Cargo.toml", ee)]);
    assert!(super::boundary::dependency::check(&f.config, &f.ws, &f.editions).is_empty());
}
