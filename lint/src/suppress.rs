//! Suppression comments: `// corefence: allow(CODE) -- reason` (`#` in TOML
//! files) at the end of a finding's line, or alone on the line above it.
//! The reason is required; a comment that suppresses nothing is reported as
//! `suppression/unused`, so suppressions cannot outlive their findings.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, LineIndex, Location, SourceFile};
use crate::license::comment::CommentStyle;
use crate::license::lexer;

/// The marker that starts a suppression inside a comment.
pub const MARKER: &str = "corefence:";

/// One suppression comment.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// The codes it names, as written.
    pub codes: Vec<String>,
    /// The text after `--`, trimmed; `None` when missing or empty.
    pub reason: Option<String>,
    /// The 1-based line it applies to.
    pub line: usize,
    /// The comment's byte range.
    pub span: std::ops::Range<usize>,
}

/// Finds every suppression comment in a file's text, read in its comment
/// style: a plain (not doc) line comment whose text starts with the marker.
/// Comments are found by the lexer, so text in a string literal that looks
/// like one is not one.
pub fn find(text: &str, style: CommentStyle) -> Vec<Suppression> {
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let bytes = text.as_bytes();
    let lines = LineIndex::new(bytes);
    let mut out = Vec::new();
    for comment in lexer::comments(bytes, 0, style).into_iter().filter(|c| !c.block) {
        let Some(body) = text.get(comment.body.clone()) else { continue };
        let Some(rest) = body.trim_start().strip_prefix(MARKER) else { continue };
        let Some(args) = rest.trim_start().strip_prefix("allow(") else { continue };
        let Some(close) = args.find(')') else { continue };
        let codes = args[..close].split(',').map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
        let after = args[close + 1..].trim();
        let reason = after.strip_prefix("--").map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
        let line = lines.line_of(comment.range.start);
        let line_start = lines.line_start(comment.range.start);
        let alone = text.get(line_start..comment.range.start).is_some_and(|b| b.trim().is_empty());
        let end = line_start + text.get(line_start..comment.range.end).map_or(0, |l| l.trim_end().len());
        out.push(Suppression {
            codes,
            reason,
            line: if alone { line + 1 } else { line },
            span: comment.range.start..end.max(comment.range.start),
        });
    }
    out
}

/// Removes suppressed findings and reports suppressions that suppress
/// nothing. `files` maps each file with suppressions to its text.
pub fn apply(diagnostics: &mut Vec<Diagnostic>, files: &BTreeMap<String, (Arc<SourceFile>, Vec<Suppression>)>) {
    let mut used: BTreeMap<(String, usize), bool> = BTreeMap::new();
    diagnostics.retain(|d| {
        let Some((_, sups)) = files.get(d.location.path()) else { return true };
        let line = d.location.start().line;
        let hit = sups
            .iter()
            .enumerate()
            .find(|(_, s)| s.line == line && s.reason.is_some() && s.codes.iter().any(|c| c == d.code.as_str()));
        match hit {
            Some((i, _)) => {
                used.insert((d.location.path().to_owned(), i), true);
                false
            }
            None => true,
        }
    });
    let mut extra = Vec::new();
    for (path, (source, sups)) in files {
        for (i, s) in sups.iter().enumerate() {
            if used.contains_key(&(path.clone(), i)) {
                continue;
            }
            let unknown: Vec<(&str, String)> =
                s.codes.iter().filter_map(|c| c.parse::<Code>().err().map(|e| (c.as_str(), e.to_string()))).collect();
            let (message, help) = if s.reason.is_none() {
                (
                    "suppression has no reason, so it is ignored".to_owned(),
                    "add the reason after `--`: `corefence: allow(CODE) -- why this is acceptable`".to_owned(),
                )
            } else if !unknown.is_empty() {
                let names: Vec<&str> = unknown.iter().map(|(c, _)| *c).collect();
                let hints: Vec<&str> = unknown.iter().map(|(_, h)| h.as_str()).collect();
                (
                    format!("suppression names unknown code `{}`", names.join("`, `")),
                    format!("{}; run `corefence explain` to list every code", hints.join("; ")),
                )
            } else {
                (
                    format!("suppression of `{}` suppresses nothing", s.codes.join("`, `")),
                    "remove it: the finding it was written for is gone, or is on another line (the comment goes at the end of the finding's line or alone on the line above)".to_owned(),
                )
            };
            extra.push(
                Diagnostic::new(Code::SuppressionUnused, Location::new(source, s.span.clone()), message)
                    .with_label("suppresses nothing")
                    .with_help(help),
            );
        }
    }
    diagnostics.extend(extra);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_end_of_line_and_line_above() {
        let text = "/// corefence: allow(boundary/import) -- docs\n//! `// corefence: allow(a) -- b`\nuse a; // corefence: allow(boundary/import) -- moving soon\n// corefence: allow(boundary/import, license/missing) -- ok\nuse b;\n    // corefence: allow(boundary/reexport)\nlet s = \"// corefence: allow(x) -- in a string\";\n";
        let s = find(text, CommentStyle::Rust);
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!((s[0].line, s[0].reason.as_deref()), (3, Some("moving soon")));
        assert_eq!(&text[s[0].span.clone()], "// corefence: allow(boundary/import) -- moving soon");
        assert_eq!(s[1].line, 5);
        assert_eq!(s[1].codes, ["boundary/import", "license/missing"]);
        assert_eq!((s[2].line, s[2].reason.as_deref()), (7, None));
    }

    #[test]
    fn toml_files_use_hash_comments() {
        let text = "[dependencies]\nacme-ee = \"1\" # corefence: allow(boundary/dependency) -- vendored\nx = \"# corefence: allow(y) -- no\"\n";
        let s = find(text, CommentStyle::Hash);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!((s[0].line, s[0].codes.as_slice()), (2, ["boundary/dependency".to_owned()].as_slice()));
    }
}
