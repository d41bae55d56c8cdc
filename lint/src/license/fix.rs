//! The edits that repair headers and snippets, for the checks to attach
//! to their findings: every byte that is not part of the change survives,
//! and a second run changes nothing.

use std::ops::Range;

use super::comment::CommentStyle;
use super::expr::{normalized_text, LicenseExpr};
use super::header::{detect_line_ending, line_end, line_start, next_line, scan as scan_header, Scan};
use super::tag::LicenseTag;
use crate::diagnostic::fix::{apply, Edit, Fix};

/// The header a file without one gets: `license` (written in normal form)
/// as a header line in the file's comment style and line ending, at
/// [`Scan::insert_at`], followed by a blank line when code would directly
/// follow it. A header that would not be recognised as the file's header
/// where it must go (leading comments holding snippet markers, say) is
/// left to a human: a fix that never converges is worse than none.
pub fn insert_header(bytes: &[u8], scan: &Scan, style: CommentStyle, license: &str) -> Fix {
    let trimmed = license.trim();
    // Written in normal form, so that the next run finds nothing to change.
    let normal = normalized_text(trimmed);
    let wanted_text = normal.as_deref().unwrap_or(trimmed);
    if wanted_text.contains(['\n', '\r']) {
        return Fix::manual("the requested license expression spans several lines", 1);
    }
    let wanted = match LicenseExpr::parse(wanted_text) {
        Ok(e) => e,
        Err(e) => {
            return Fix::manual(format!("the requested license `{wanted_text}` is not a valid SPDX expression: {e}"), 1)
        }
    };
    let eol = scan.line_ending.as_str();
    let at = scan.insert_at.min(bytes.len());
    let at_line_start = at == 0 || bytes.get(at - 1) == Some(&b'\n') || (scan.bom && at == 3);

    let mut text = String::new();
    // After an interpreter line or declaration without a line break the
    // header needs a line of its own.
    if !at_line_start {
        text.push_str(eol);
    }
    text.push_str(&style.header_line(wanted_text));
    text.push_str(eol);
    let rest = bytes.get(at..line_end(bytes, at)).unwrap_or_default().trim_ascii();
    let rest_is_comment = std::str::from_utf8(rest).is_ok_and(|r| style.starts_comment(r));
    if !rest.is_empty() && !rest_is_comment {
        text.push_str(eol);
    }
    let line = crate::diagnostic::LineIndex::new(bytes).line_of(at) + usize::from(!at_line_start);
    let edit = Edit::insert(at, text);
    let (fixed, _) = apply(bytes, &[&edit]);
    let rescan = scan_header(&fixed, style);
    let settled = !rescan.licenses.is_empty()
        && rescan.licenses.iter().all(|tag| {
            normalized_text(&tag.text).is_none() && LicenseExpr::parse(&tag.text).is_ok_and(|e| e == wanted)
        });
    if !settled {
        return Fix::manual(
            "a header written here would not be recognised as the file's header (check the leading comments for snippet markers); add it by hand",
            line,
        );
    }
    Fix::safe(format!("inserted `SPDX-License-Identifier: {wanted_text}`"), line, vec![edit])
}

/// `SPDX-License-Identifier:` with nothing after it, filled in with `license`.
pub fn fill_in(bytes: &[u8], tag: &LicenseTag, license: &str) -> Fix {
    let needs_space = tag.range.start > 0 && !bytes.get(tag.range.start - 1).is_some_and(|b| *b == b' ' || *b == b'\t');
    let text = format!("{}{license}", if needs_space { " " } else { "" });
    Fix::safe(
        format!("inserted `SPDX-License-Identifier: {license}`"),
        tag.line,
        vec![Edit::replace(tag.range.clone(), text)],
    )
}

/// The identifier `tag` rewritten in its normal spelling `to` (the same
/// license): only the expression's bytes change, operand order is kept.
pub fn normalize(tag: &LicenseTag, to: &str) -> Fix {
    Fix::safe(format!("normalised `{}` to `{to}`", tag.text), tag.line, vec![Edit::replace(tag.range.clone(), to)])
}

/// The identifier `tag` replaced with `license`, a different one: only with
/// `--fix --relicense`.
pub fn relicense(tag: &LicenseTag, license: &str) -> Fix {
    let to = normalized_text(license).unwrap_or_else(|| license.to_owned());
    let why = if LicenseExpr::parse(&tag.text).is_ok() {
        format!(
            "the header declares `{}` but this file's edition requires `{to}`; changing a file's license needs explicit relicensing",
            tag.text
        )
    } else {
        format!("`{}` is not a valid SPDX expression and has no single obvious repair", tag.text)
    };
    Fix::relicense(
        format!("relicensed `{}` to `{to}`", tag.text),
        why,
        tag.line,
        vec![Edit::replace(tag.range.clone(), to)],
    )
}

/// Wraps the lines of `item_range` in snippet markers declaring `license`:
/// `SPDX-SnippetBegin` and `SPDX-License-Identifier` lines before the first
/// line (with that line's indentation) and `SPDX-SnippetEnd` after the last,
/// in the file's line ending. Out-of-range input is clamped.
#[must_use]
pub fn wrap_in_snippet(bytes: &[u8], item_range: Range<usize>, license: &str, style: CommentStyle) -> Vec<Edit> {
    let len = bytes.len();
    let start = item_range.start.min(len);
    let end = item_range.end.clamp(start, len);
    let eol = detect_line_ending(bytes).as_str();
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };

    let first_line = line_start(bytes, start).max(bom);
    let indent_len =
        bytes.get(first_line..).unwrap_or_default().iter().take_while(|b| **b == b' ' || **b == b'\t').count();
    let indent =
        String::from_utf8_lossy(bytes.get(first_line..first_line + indent_len).unwrap_or_default()).into_owned();
    let last_byte = if end > start { end - 1 } else { start };
    let after = if last_byte >= len { len } else { next_line(bytes, last_byte) };
    let unterminated = after == len && bytes.last().is_some_and(|b| *b != b'\n');

    let line = |content: &str| format!("{indent}{}", style.render_line(content));
    let before =
        format!("{}{eol}{}{eol}", line("SPDX-SnippetBegin"), line(&format!("SPDX-License-Identifier: {license}")));
    let closing = if unterminated {
        format!("{eol}{}", line("SPDX-SnippetEnd"))
    } else {
        format!("{}{eol}", line("SPDX-SnippetEnd"))
    };
    vec![Edit::insert(first_line, before), Edit::insert(after, closing)]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `--fix` asks for: the license of the file's edition.
    struct FixRequest {
        license: String,
        relicense: bool,
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    enum ChangeKind {
        Inserted,
        Normalized { from: String, to: String },
        Relicensed { from: String, to: String },
        Refused { reason: String },
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    struct Change {
        kind: ChangeKind,
        line: usize,
    }

    #[derive(Debug, Default, PartialEq, Eq)]
    struct FixOutcome {
        new_bytes: Option<Vec<u8>>,
        changes: Vec<Change>,
    }

    fn req(license: &str) -> FixRequest {
        FixRequest { license: license.to_owned(), relicense: false }
    }

    /// A file name in `style`.
    fn file_name(style: CommentStyle) -> &'static str {
        match style {
            CommentStyle::Rust => "file.rs",
            CommentStyle::CFamily => "file.c",
            CommentStyle::CFamilyNested => "file.swift",
            CommentStyle::Css => "file.css",
            CommentStyle::Hash => "file.py",
            CommentStyle::Ini => "file.ini",
            CommentStyle::DoubleDash => "file.sql",
            CommentStyle::Html => "file.html",
        }
    }

    /// What `check --fix --dry-run` makes of `bytes` in a workspace whose
    /// one edition has `want.license`: the checks find, attach their fixes,
    /// and the engine applies them, as for a user.
    fn fix(bytes: &[u8], style: CommentStyle, want: &FixRequest) -> FixOutcome {
        let name = file_name(style);
        let config = format!(
            "default = \"main\"\n[editions.main]\nlicense = {}\n[headers]\ninclude = [\"**\"]\n",
            crate::config::init::toml_string(&want.license)
        );
        let memory = std::collections::BTreeMap::from([
            ("corefence.toml".to_owned(), config.into_bytes()),
            (name.to_owned(), bytes.to_vec()),
        ]);
        let options = crate::engine::Options {
            start: std::path::PathBuf::from("/memory"),
            jobs: 1,
            fix: Some(crate::engine::FixMode { relicense: want.relicense, dry_run: true }),
            memory: Some(memory),
            ..crate::engine::Options::default()
        };
        let outcome = crate::engine::run(&options).unwrap_or_else(|_| panic!("config for {:?}", want.license));
        let Some(fixed) = outcome.fixes.into_iter().find(|f| f.path == name) else { return FixOutcome::default() };
        let quoted = |s: &str| s.split('`').skip(1).step_by(2).map(str::to_owned).collect::<Vec<_>>();
        let changes = fixed
            .changes
            .iter()
            .map(|c| {
                let rest = c.strip_prefix(name).and_then(|r| r.strip_prefix(':')).unwrap_or(c);
                let (line, what) = rest.split_once(": ").unwrap_or(("0", rest));
                let q = quoted(what);
                let pair = || (q.first().cloned().unwrap_or_default(), q.get(1).cloned().unwrap_or_default());
                let kind = if what.starts_with("inserted") {
                    ChangeKind::Inserted
                } else if what.starts_with("normalised") {
                    let (from, to) = pair();
                    ChangeKind::Normalized { from, to }
                } else if what.starts_with("relicensed") {
                    let (from, to) = pair();
                    ChangeKind::Relicensed { from, to }
                } else {
                    ChangeKind::Refused { reason: what.trim_start_matches("not fixed: ").to_owned() }
                };
                Change { kind, line: line.parse().unwrap_or(0) }
            })
            .collect();
        FixOutcome { new_bytes: fixed.fixed, changes }
    }

    fn fixed(src: &str, style: CommentStyle, license: &str) -> String {
        let out = fix(src.as_bytes(), style, &req(license));
        String::from_utf8(out.new_bytes.unwrap_or_else(|| src.as_bytes().to_vec())).unwrap_or_default()
    }

    fn assert_idempotent(bytes: &[u8], style: CommentStyle, want: &FixRequest) {
        let once = fix(bytes, style, want).new_bytes.unwrap_or_else(|| bytes.to_vec());
        assert_eq!(fix(&once, style, want).new_bytes, None, "second run changed {:?}", String::from_utf8_lossy(&once));
    }

    #[test]
    fn inserts_before_code_with_a_blank_line() {
        let out = fix(b"fn main() {}\n", CommentStyle::Rust, &req("AGPL-3.0-only"));
        assert_eq!(out.new_bytes.as_deref(), Some(&b"// SPDX-License-Identifier: AGPL-3.0-only\n\nfn main() {}\n"[..]));
        assert_eq!(out.changes, vec![Change { kind: ChangeKind::Inserted, line: 1 }]);
    }

    #[test]
    fn inserts_into_an_existing_comment_block_without_a_blank_line() {
        assert_eq!(
            fixed("// Copyright 2024 Acme\nfn main() {}\n", CommentStyle::Rust, "MIT"),
            "// SPDX-License-Identifier: MIT\n// Copyright 2024 Acme\nfn main() {}\n"
        );
        assert_eq!(fixed("", CommentStyle::Rust, "MIT"), "// SPDX-License-Identifier: MIT\n");
        assert_eq!(fixed("\nfn x() {}\n", CommentStyle::Rust, "MIT"), "// SPDX-License-Identifier: MIT\n\nfn x() {}\n");
    }

    #[test]
    fn inserts_before_an_inner_attribute_with_a_space() {
        assert_eq!(
            fixed("#! [allow(x)]\nfn main() {}\n", CommentStyle::Rust, "MIT"),
            "// SPDX-License-Identifier: MIT\n\n#! [allow(x)]\nfn main() {}\n"
        );
    }

    #[test]
    fn inserts_after_shebang() {
        assert_eq!(
            fixed("#!/usr/bin/env run-cargo-script\nfn main() {}\n", CommentStyle::Rust, "MIT"),
            "#!/usr/bin/env run-cargo-script\n// SPDX-License-Identifier: MIT\n\nfn main() {}\n"
        );
        // An interpreter line without a line break gets one.
        assert_eq!(fixed("#!/bin/sh", CommentStyle::Hash, "MIT"), "#!/bin/sh\n# SPDX-License-Identifier: MIT\n");
    }

    #[test]
    fn inserts_after_bom() {
        let out = fixed("\u{feff}fn main() {}\r\n", CommentStyle::Rust, "MIT");
        assert_eq!(out, "\u{feff}// SPDX-License-Identifier: MIT\r\n\r\nfn main() {}\r\n");
    }

    #[test]
    fn inserts_after_frontmatter() {
        let src = "#!/usr/bin/env -S cargo -Zscript\n---\n[dependencies]\n---\nfn main() {}\n";
        assert_eq!(
            fixed(src, CommentStyle::Rust, "MIT"),
            "#!/usr/bin/env -S cargo -Zscript\n---\n[dependencies]\n---\n// SPDX-License-Identifier: MIT\n\nfn main() {}\n"
        );
    }

    #[test]
    fn python_with_shebang_and_encoding_line() {
        let src = "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nimport os\n";
        assert_eq!(
            fixed(src, CommentStyle::Hash, "AGPL-3.0-only"),
            "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# SPDX-License-Identifier: AGPL-3.0-only\n\nimport os\n"
        );
        let src = "#!/usr/bin/env python3\nimport os\n";
        assert_eq!(
            fixed(src, CommentStyle::Hash, "MIT"),
            "#!/usr/bin/env python3\n# SPDX-License-Identifier: MIT\n\nimport os\n"
        );
    }

    #[test]
    fn markdown_css_and_xml() {
        assert_eq!(
            fixed("# Title\n", CommentStyle::Html, "CC-BY-4.0"),
            "<!-- SPDX-License-Identifier: CC-BY-4.0 -->\n\n# Title\n"
        );
        assert_eq!(fixed("body {}\n", CommentStyle::Css, "MIT"), "/* SPDX-License-Identifier: MIT */\n\nbody {}\n");
        assert_eq!(
            fixed("<?xml version=\"1.0\"?><a/>\n", CommentStyle::Html, "MIT"),
            "<?xml version=\"1.0\"?>\n<!-- SPDX-License-Identifier: MIT -->\n\n<a/>\n"
        );
    }

    #[test]
    fn crlf_file_with_the_right_header_is_unchanged() {
        let src = b"// SPDX-License-Identifier: AGPL-3.0-only\r\n\r\nfn main() {}\r\n";
        assert_eq!(fix(src, CommentStyle::Rust, &req("AGPL-3.0-only")), FixOutcome::default());
    }

    #[test]
    fn crlf_insertion_uses_crlf() {
        assert_eq!(
            fixed("fn a() {}\r\nfn b() {}\r\n", CommentStyle::Rust, "MIT"),
            "// SPDX-License-Identifier: MIT\r\n\r\nfn a() {}\r\nfn b() {}\r\n"
        );
    }

    #[test]
    fn normalizes_only_the_expression_bytes() {
        let src = "/* SPDX-License-Identifier: agpl-3.0 */\nfn x() {}\n";
        let out = fix(src.as_bytes(), CommentStyle::Rust, &req("AGPL-3.0-only"));
        assert_eq!(out.new_bytes.as_deref(), Some(&b"/* SPDX-License-Identifier: AGPL-3.0-only */\nfn x() {}\n"[..]));
        assert_eq!(
            out.changes,
            vec![Change {
                kind: ChangeKind::Normalized { from: "agpl-3.0".into(), to: "AGPL-3.0-only".into() },
                line: 1
            }]
        );
        // Operand order is kept: only spelling changes.
        assert_eq!(
            fixed(
                "// SPDX-License-Identifier: mit or apache-2.0 or GPL-2.0\n",
                CommentStyle::Rust,
                "Apache-2.0 OR MIT OR GPL-2.0-only"
            ),
            "// SPDX-License-Identifier: MIT OR Apache-2.0 OR GPL-2.0-only\n"
        );
        // A spelling no check reports is left as it is.
        assert_eq!(fix(b"// SPDX-License-Identifier: mit\n", CommentStyle::Rust, &req("MIT")), FixOutcome::default());
        assert_eq!(
            fixed("# SPDX-License-Identifier: Apache2.0\r\n", CommentStyle::Hash, "Apache-2.0"),
            "# SPDX-License-Identifier: Apache-2.0\r\n"
        );
    }

    #[test]
    fn different_license_needs_relicensing() {
        let src = b"// SPDX-License-Identifier: MIT\nfn x() {}\n";
        let out = fix(src, CommentStyle::Rust, &req("LicenseRef-Acme-Enterprise"));
        assert_eq!(out.new_bytes, None);
        assert!(matches!(&out.changes[..], [Change { kind: ChangeKind::Refused { .. }, line: 1 }]));

        let want = FixRequest { license: "LicenseRef-Acme-Enterprise".into(), relicense: true };
        let out = fix(src, CommentStyle::Rust, &want);
        assert_eq!(
            out.new_bytes.as_deref(),
            Some(&b"// SPDX-License-Identifier: LicenseRef-Acme-Enterprise\nfn x() {}\n"[..])
        );
        assert_eq!(
            out.changes[0].kind,
            ChangeKind::Relicensed { from: "MIT".into(), to: "LicenseRef-Acme-Enterprise".into() }
        );
        // `-only` and `-or-later` are different licenses.
        let out = fix(b"// SPDX-License-Identifier: AGPL-3.0-or-later\n", CommentStyle::Rust, &req("AGPL-3.0-only"));
        assert_eq!(out.new_bytes, None);
    }

    #[test]
    fn invalid_expression_without_obvious_repair_is_refused() {
        let out = fix(b"// SPDX-License-Identifier: Frobnicator\n", CommentStyle::Rust, &req("MIT"));
        assert_eq!(out.new_bytes, None);
        assert!(matches!(&out.changes[0].kind, ChangeKind::Refused { reason } if reason.contains("Frobnicator")));
    }

    #[test]
    fn empty_identifier_is_filled_in() {
        assert_eq!(
            fixed("// SPDX-License-Identifier:\nfn x() {}\n", CommentStyle::Rust, "MIT"),
            "// SPDX-License-Identifier: MIT\nfn x() {}\n"
        );
        assert_idempotent(b"// SPDX-License-Identifier:   \n", CommentStyle::Rust, &req("MIT"));
    }

    #[test]
    fn conflicting_identifiers_are_refused() {
        let src = b"// SPDX-License-Identifier: MIT\n// SPDX-License-Identifier: Apache-2.0\n";
        let out = fix(src, CommentStyle::Rust, &req("MIT"));
        assert_eq!(out.new_bytes, None);
        assert!(out.changes.iter().all(|c| matches!(c.kind, ChangeKind::Refused { .. })), "{:?}", out.changes);
        // With --relicense, the identifier the edition does not accept gets its license.
        let out = fix(src, CommentStyle::Rust, &FixRequest { license: "MIT".into(), relicense: true });
        assert_eq!(
            out.new_bytes.as_deref(),
            Some(&b"// SPDX-License-Identifier: MIT\n// SPDX-License-Identifier: MIT\n"[..])
        );
        // Repeated identifiers of one license are no conflict; a deprecated one is normalised.
        let src = b"// SPDX-License-Identifier: GPL-2.0\n// SPDX-License-Identifier: GPL-2.0-only\n";
        assert_eq!(
            fix(src, CommentStyle::Rust, &req("GPL-2.0-only")).new_bytes.as_deref(),
            Some(&b"// SPDX-License-Identifier: GPL-2.0-only\n// SPDX-License-Identifier: GPL-2.0-only\n"[..])
        );
    }

    #[test]
    fn latin1_and_binary_are_never_rewritten() {
        let latin1 = b"// Copyright \xA9 M\xFCller\nfn main() {}\n";
        assert_eq!(fix(latin1, CommentStyle::Rust, &req("MIT")), FixOutcome::default());
        assert_eq!(fix(b"\x00\x01fn", CommentStyle::Rust, &req("MIT")), FixOutcome::default());
    }

    #[test]
    fn snippet_license_is_left_alone() {
        let src = "// SPDX-License-Identifier: AGPL-3.0-only\n\n// SPDX-SnippetBegin\n// SPDX-License-Identifier: LicenseRef-Acme\nfn e() {}\n// SPDX-SnippetEnd\n";
        assert_eq!(fix(src.as_bytes(), CommentStyle::Rust, &req("AGPL-3.0-only")), FixOutcome::default());
    }

    #[test]
    fn header_that_would_not_count_is_refused() {
        // The encoding line opens a snippet, so a header after it would be
        // the snippet's license rather than the file's.
        let src = b"# SPDX-SnippetBegin -*- coding: utf-8 -*-\nx = 1\n";
        let out = fix(src, CommentStyle::Hash, &req("MIT"));
        assert_eq!(out.new_bytes, None);
        assert!(matches!(&out.changes[0].kind, ChangeKind::Refused { .. }));
    }

    #[test]
    fn requested_license_is_written_in_normal_form() {
        let scan = scan_header(b"fn x() {}\n", CommentStyle::Rust);
        let fix = insert_header(b"fn x() {}\n", &scan, CommentStyle::Rust, "agpl-3.0");
        let (out, _) = apply(b"fn x() {}\n", &fix.edits.iter().collect::<Vec<_>>());
        assert_eq!(out, b"// SPDX-License-Identifier: AGPL-3.0-only\n\nfn x() {}\n");
    }

    #[test]
    fn invalid_request_is_refused() {
        let scan = scan_header(b"fn x() {}\n", CommentStyle::Rust);
        for license in ["MIT OR", "MIT\nOR ISC"] {
            let fix = insert_header(b"fn x() {}\n", &scan, CommentStyle::Rust, license);
            assert!(fix.edits.is_empty() && !fix.applies(true), "{license:?}: {fix:?}");
        }
    }

    fn wrapped(bytes: &[u8], range: Range<usize>, license: &str, style: CommentStyle) -> Vec<u8> {
        let edits = wrap_in_snippet(bytes, range, license, style);
        apply(bytes, &edits.iter().collect::<Vec<_>>()).0
    }

    #[test]
    fn wraps_items_in_snippet_markers() {
        let src = "fn a() {}\n    fn enterprise() {\n        x();\n    }\nfn b() {}\n";
        let start = src.find("fn enterprise").unwrap_or_default();
        let end = src.find("fn b").unwrap_or_default() - 1;
        let out = wrapped(src.as_bytes(), start..end, "LicenseRef-Acme", CommentStyle::Rust);
        assert_eq!(
            String::from_utf8(out).unwrap_or_default(),
            "fn a() {}\n    // SPDX-SnippetBegin\n    // SPDX-License-Identifier: LicenseRef-Acme\n    fn enterprise() {\n        x();\n    }\n    // SPDX-SnippetEnd\nfn b() {}\n"
        );
        let crlf = b"x\r\nfn e() {}";
        let out = wrapped(crlf, 3..13, "MIT", CommentStyle::Hash);
        assert_eq!(
            String::from_utf8(out).unwrap_or_default(),
            "x\r\n# SPDX-SnippetBegin\r\n# SPDX-License-Identifier: MIT\r\nfn e() {}\r\n# SPDX-SnippetEnd"
        );
        // The wrapped snippet is found again with its license.
        let twice = wrapped(src.as_bytes(), start..end, "LicenseRef-Acme", CommentStyle::Rust);
        let s = scan_header(&twice, CommentStyle::Rust);
        assert_eq!(s.snippets.len(), 1);
        assert_eq!(s.snippets[0].license.as_ref().map(|t| t.text.as_str()), Some("LicenseRef-Acme"));
        // Out-of-range input does not panic.
        let (start, end) = (10, 2);
        assert_eq!(
            wrapped(b"abc", start..end, "MIT", CommentStyle::Rust),
            b"// SPDX-SnippetBegin\n// SPDX-License-Identifier: MIT\nabc\n// SPDX-SnippetEnd".to_vec()
        );
    }

    #[test]
    fn diff_for_dry_run() {
        let diff = crate::engine::unified_diff(
            "src/lib.rs",
            b"fn x() {}\n",
            b"// SPDX-License-Identifier: MIT\n\nfn x() {}\n",
        );
        assert!(diff.starts_with("--- a/src/lib.rs\n+++ b/src/lib.rs\n"), "{diff}");
        assert!(diff.contains("+// SPDX-License-Identifier: MIT\n"));
        assert!(diff.contains(" fn x() {}\n"));
        assert_eq!(crate::engine::unified_diff("x", b"same\n", b"same\n"), "");
        let src = b"#!/bin/sh\nset -e\necho hi\n";
        let out = fix(src, CommentStyle::Hash, &req("AGPL-3.0-only")).new_bytes.unwrap_or_default();
        insta::assert_snapshot!(crate::engine::unified_diff("run.sh", src, &out), @r"
        --- a/run.sh
        +++ b/run.sh
        @@ -1,3 +1,5 @@
         #!/bin/sh
        +# SPDX-License-Identifier: AGPL-3.0-only
        +
         set -e
         echo hi
        ");
    }

    mod generated {
        use super::super::*;
        use super::{fix, ChangeKind, FixRequest};
        use proptest::prelude::*;

        const LICENSES: &[&str] = &[
            "AGPL-3.0-only",
            "agpl-3.0-only",
            "AGPL-3.0",
            "GPL-2.0+",
            "MIT",
            "mit OR apache-2.0",
            "Apache2.0",
            "LicenseRef-Acme-Enterprise",
            "not a license (",
            "",
        ];
        const HEADER_FORMS: &[&str] = &[
            "// SPDX-License-Identifier: {}",
            "/* SPDX-License-Identifier: {} */",
            "//! SPDX-License-Identifier: {}",
            "/*\n * SPDX-License-Identifier: {}\n */",
        ];
        const CODE: &[&str] = &[
            "fn main() {}",
            "let s = \"// SPDX-License-Identifier: MIT\";",
            "",
            "    x += 1;",
            "// just a comment",
            "/* block */ struct S;",
            "const C: char = '\"';",
            "#[derive(Debug)]",
        ];

        #[derive(Debug, Clone)]
        #[allow(clippy::struct_excessive_bools)] // independent generator switches
        struct File {
            bom: bool,
            shebang: bool,
            frontmatter: bool,
            attributes: Vec<&'static str>,
            header: Option<(usize, usize)>,
            code: Vec<&'static str>,
            crlf: bool,
            trailing_newline: bool,
        }

        impl File {
            fn render(&self) -> Vec<u8> {
                let mut lines: Vec<String> = Vec::new();
                if self.shebang {
                    lines.push("#!/usr/bin/env -S cargo -Zscript".into());
                }
                if self.frontmatter {
                    lines.extend(["---cargo".into(), "[dependencies]".into(), "---".into()]);
                }
                if let Some((form, lic)) = self.header {
                    lines.push(HEADER_FORMS[form].replace("{}", LICENSES[lic]));
                }
                lines.extend(self.attributes.iter().map(|s| (*s).to_owned()));
                lines.extend(self.code.iter().map(|s| (*s).to_owned()));
                let eol = if self.crlf { "\r\n" } else { "\n" };
                let mut text = lines.join("\n").replace('\n', eol);
                if self.trailing_newline && !text.is_empty() {
                    text.push_str(eol);
                }
                let mut bytes = if self.bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
                bytes.extend_from_slice(text.as_bytes());
                bytes
            }
        }

        fn file() -> impl Strategy<Value = File> {
            (
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
                prop::collection::vec(prop::sample::select(vec!["#![allow(dead_code)]", "#! [allow(unused)]"]), 0..3),
                prop::option::of((0..HEADER_FORMS.len(), 0..LICENSES.len())),
                prop::collection::vec(prop::sample::select(CODE.to_vec()), 0..6),
                any::<bool>(),
                any::<bool>(),
            )
                .prop_map(
                    |(bom, shebang, frontmatter, attributes, header, code, crlf, trailing_newline)| File {
                        bom,
                        shebang,
                        frontmatter,
                        attributes,
                        header,
                        code,
                        crlf,
                        trailing_newline,
                    },
                )
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn fix_is_idempotent_and_lossless(
                f in file(),
                wanted in prop::sample::select(vec!["AGPL-3.0-only", "LicenseRef-Acme-Enterprise", "MIT OR Apache-2.0"]),
                relicense in any::<bool>(),
            ) {
                let x = f.render();
                let want = FixRequest { license: wanted.to_owned(), relicense };
                let first = fix(&x, CommentStyle::Rust, &want);
                let y = first.new_bytes.clone().unwrap_or_else(|| x.clone());
                let second = fix(&y, CommentStyle::Rust, &want);
                prop_assert_eq!(second.new_bytes, None, "not idempotent: {:?}", String::from_utf8_lossy(&y));

                if first.changes.iter().any(|c| c.kind == ChangeKind::Inserted) && f.header.is_none() {
                    // A pure insertion: dropping the inserted bytes restores x.
                    let d = y.len() - x.len();
                    let p = scan_header(&x, CommentStyle::Rust).insert_at;
                    let inserted = &y[p..p + d];
                    prop_assert_eq!(&y[..p], &x[..p]);
                    prop_assert_eq!(&y[p + d..], &x[p..]);
                    let header = CommentStyle::Rust.header_line(wanted);
                    let text = String::from_utf8_lossy(inserted);
                    prop_assert_eq!(text.trim_matches(['\r', '\n']), header.as_str());
                    if detect_line_ending(&x) == crate::license::header::LineEnding::CrLf {
                        prop_assert!(!text.replace("\r\n", "").contains('\n'), "LF inserted into a CRLF file");
                    }
                    let s = scan_header(&y, CommentStyle::Rust);
                    prop_assert_eq!(s.licenses.len(), 1);
                    prop_assert_eq!(s.bom, f.bom);
                    prop_assert_eq!(s.shebang.is_some(), f.shebang);
                    prop_assert_eq!(s.frontmatter.is_some(), f.frontmatter);
                }
                if let Some(new) = &first.new_bytes {
                    // Nothing before the header area moves.
                    let keep = scan_header(&x, CommentStyle::Rust).insert_at;
                    prop_assert_eq!(&new[..keep], &x[..keep]);
                }
            }

            #[test]
            fn fix_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300), style in 0usize..8) {
                let style = [
                    CommentStyle::Rust, CommentStyle::CFamily, CommentStyle::CFamilyNested, CommentStyle::Css,
                    CommentStyle::Hash, CommentStyle::Ini, CommentStyle::DoubleDash, CommentStyle::Html,
                ][style];
                let want = FixRequest { license: "MIT".into(), relicense: true };
                let first = fix(&bytes, style, &want);
                if let Some(y) = first.new_bytes {
                    prop_assert_eq!(fix(&y, style, &want).new_bytes, None, "not idempotent: {:?}", String::from_utf8_lossy(&y));
                }
            }

            #[test]
            fn fix_is_idempotent_on_text_in_every_style(
                parts in prop::collection::vec(prop::sample::select(vec![
                    "\u{feff}", "#!/bin/sh", "#! [", "---", "\n", "\r\n", "// ", "/* ", " */", "# ", "; ", "-- ",
                    "<!-- ", " -->", "<?xml v?>", "SPDX-License-Identifier: ", "mit", "GPL-2.0+", "x = 1", "\"", "'",
                    "SPDX-SnippetBegin", "SPDX-SnippetEnd", " ", "coding: utf-8",
                ]), 0..30),
                style in 0usize..8,
                relicense in any::<bool>(),
            ) {
                let style = [
                    CommentStyle::Rust, CommentStyle::CFamily, CommentStyle::CFamilyNested, CommentStyle::Css,
                    CommentStyle::Hash, CommentStyle::Ini, CommentStyle::DoubleDash, CommentStyle::Html,
                ][style];
                let x = parts.concat().into_bytes();
                let want = FixRequest { license: "AGPL-3.0-only".into(), relicense };
                let first = fix(&x, style, &want);
                if let Some(y) = first.new_bytes {
                    prop_assert_eq!(fix(&y, style, &want).new_bytes, None, "not idempotent: {:?} -> {:?}", String::from_utf8_lossy(&x), String::from_utf8_lossy(&y));
                }
            }
        }
    }
}
