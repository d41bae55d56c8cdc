//! corefence's findings in the protocol's shapes: diagnostics, the code
//! actions of their safe fixes, and the hover on an enterprise reference.

use std::collections::HashMap;
use std::path::Path;

use lsp_types::{
    CodeAction, CodeActionKind, DiagnosticRelatedInformation, DiagnosticSeverity, Hover, HoverContents, Location,
    MarkupContent, MarkupKind, NumberOrString, TextEdit, Uri, WorkspaceEdit,
};

use super::text::{self, Encoding};
use crate::diagnostic::{fix, Diagnostic, Severity, SourceFile};

/// The `source` every diagnostic carries.
const SOURCE: &str = "corefence";

/// The kind of the action that applies every safe fix of a file, as ruff's
/// and eslint's servers name theirs.
pub const FIX_ALL: &str = "source.fixAll.corefence";

/// A finding as an editor diagnostic; `root` is the workspace's folder.
pub fn diagnostic(d: &Diagnostic, root: &Path, encoding: Encoding) -> lsp_types::Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter_map(|label| {
            let file = &label.location.file;
            Some(DiagnosticRelatedInformation {
                location: Location {
                    uri: text::uri(&root.join(&file.path))?,
                    range: text::range(file, &label.location.span, encoding),
                },
                message: label.text.clone(),
            })
        })
        .collect();
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    lsp_types::Diagnostic {
        range: text::range(&d.location.file, &d.location.span, encoding),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_owned())),
        source: Some(SOURCE.to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..lsp_types::Diagnostic::default()
    }
}

/// The quick fix of each finding overlapping `range` whose fix keeps the
/// code's license, then one action applying every such fix of the file.
pub fn code_actions(
    findings: &[Diagnostic],
    uri: &Uri,
    range: &std::ops::Range<usize>,
    root: &Path,
    encoding: Encoding,
) -> Vec<CodeAction> {
    let safe: Vec<&Diagnostic> = findings.iter().filter(|d| d.fix.as_ref().is_some_and(|f| f.applies(false))).collect();
    let edit_of = |ds: &[&Diagnostic]| {
        // The edits, each with the text it is for (the checked buffer).
        let (edits, files): (Vec<&crate::diagnostic::Edit>, Vec<&SourceFile>) = ds
            .iter()
            .filter_map(|d| Some((d.fix.as_ref()?, &*d.location.file)))
            .flat_map(|(f, file)| f.edits.iter().map(move |e| (e, file)))
            .unzip();
        let len = files.first().map_or(0, |f| f.text.len());
        // Edits of two fixes touching the same bytes: as `--fix`, the first
        // goes in, the next check offers the other.
        let changes = fix::applicable(&edits, len)
            .into_iter()
            .filter_map(|i| Some((edits.get(i)?, files.get(i)?)))
            .map(|(e, file)| TextEdit { range: text::range(file, &e.range, encoding), new_text: e.content.clone() })
            .collect();
        WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), changes)])), ..WorkspaceEdit::default() }
    };
    let mut actions: Vec<CodeAction> = safe
        .iter()
        .filter(|d| overlaps(&d.location.span, range))
        .filter_map(|d| {
            let fix = d.fix.as_ref()?;
            Some(CodeAction {
                title: format!("{} ({})", imperative(&fix.title), d.code.as_str()),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic(d, root, encoding)]),
                edit: Some(edit_of(&[d])),
                is_preferred: Some(true),
                ..CodeAction::default()
            })
        })
        .collect();
    if !safe.is_empty() {
        actions.push(CodeAction {
            title: "Fix all safely fixable corefence findings in this file".to_owned(),
            kind: Some(CodeActionKind::new(FIX_ALL)),
            edit: Some(edit_of(&safe)),
            ..CodeAction::default()
        });
    }
    actions
}

/// Whether a finding at `span` concerns a request for `range` (a cursor is
/// an empty range: at either end of the span counts).
fn overlaps(span: &std::ops::Range<usize>, range: &std::ops::Range<usize>) -> bool {
    span.start <= range.end && range.start <= span.end
}

/// A fix's title (``inserted `…` ``, as `--fix` lists what it did) as an
/// action's (``Insert `…` ``).
fn imperative(title: &str) -> String {
    let (verb, rest) = title.split_once(' ').unwrap_or((title, ""));
    let verb = match verb {
        "inserted" => "Insert",
        "normalised" => "Normalise",
        "wrapped" => "Wrap",
        "set" => "Set",
        "relicensed" => "Relicense",
        _ => return format!("Apply: {title}"),
    };
    format!("{verb} {rest}")
}

/// The hover on a boundary finding at `offset`: what the code reaches, where
/// that is defined and why it belongs to the other edition.
pub fn hover(findings: &[Diagnostic], offset: usize, root: &Path, encoding: Encoding) -> Option<Hover> {
    let d = findings
        .iter()
        .filter(|d| d.code.as_str().starts_with("boundary/"))
        .filter(|d| d.location.span.start <= offset && offset <= d.location.span.end)
        .min_by_key(|d| d.location.span.len())?;
    let target = d.target_edition.as_deref().unwrap_or_default();
    let mut parts: Vec<String> = Vec::new();
    if let Some(symbol) = &d.symbol {
        parts.push(format!("**{target}** `{symbol}`"));
    }
    parts.push(format!("{} (`{}`)", d.message, d.code.as_str()));
    for label in &d.labels {
        let file = &label.location.file;
        let at = file.line_col(label.location.span.start);
        let place = format!("{}:{}", file.path, at.line);
        parts.push(match text::uri(&root.join(&file.path)) {
            Some(uri) => format!("[{place}]({}#L{}): {}", uri.as_str(), at.line, label.text),
            None => format!("`{place}`: {}", label.text),
        });
        parts.push(format!("```rust\n{}\n```", file.line_text(at.line).trim_end()));
    }
    if let Some(help) = &d.help {
        parts.push(format!("*help*: {help}"));
    }
    let value = parts.join("\n\n");
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }),
        range: Some(text::range(&d.location.file, &d.location.span, encoding)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fix_titles_read_as_actions() {
        assert_eq!(imperative("inserted `SPDX-License-Identifier: MIT`"), "Insert `SPDX-License-Identifier: MIT`");
        assert_eq!(imperative("wrapped `f` in a `MIT` snippet"), "Wrap `f` in a `MIT` snippet");
        assert_eq!(imperative("made it so"), "Apply: made it so");
    }

    #[test]
    fn a_cursor_at_either_end_of_a_finding_concerns_it() {
        assert!(overlaps(&(3..8), &(3..3)));
        assert!(overlaps(&(3..8), &(8..8)));
        assert!(!overlaps(&(3..8), &(9..12)));
    }
}
