//! `--format rustc-json`: one JSON object per line in the shape of cargo's
//! `compiler-message` (`cargo check --message-format=json`), so that tools
//! reading cargo's messages (rust-analyzer's `check.overrideCommand`, bacon,
//! cargo-sonar) show corefence's findings beside rustc's: the finding's span
//! as the primary span, its related spans ("defined here") as secondary
//! ones, the help as a child, and the human rendering as `rendered`. A last
//! `build-finished` line says whether there were errors.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Location, Severity};

use super::human::{self, Style};

#[derive(Serialize)]
struct CargoMessage<'a> {
    reason: &'static str,
    package_id: &'static str,
    manifest_path: &'static str,
    target: Target<'a>,
    message: CompilerDiagnostic<'a>,
}

/// The target cargo would name: corefence's findings belong to no
/// compilation, so the file stands in for its source path.
#[derive(Serialize)]
struct Target<'a> {
    name: &'static str,
    kind: [&'static str; 1],
    crate_types: [&'static str; 1],
    src_path: &'a str,
    edition: &'static str,
    doctest: bool,
    test: bool,
    doc: bool,
}

#[derive(Serialize)]
struct CompilerDiagnostic<'a> {
    #[serde(rename = "$message_type")]
    message_type: &'static str,
    message: &'a str,
    code: Option<Code>,
    level: &'static str,
    spans: Vec<Span<'a>>,
    children: Vec<CompilerDiagnostic<'a>>,
    rendered: Option<String>,
}

#[derive(Serialize)]
struct Code {
    code: &'static str,
    explanation: &'static str,
}

#[derive(Serialize)]
struct Span<'a> {
    file_name: &'a str,
    byte_start: usize,
    byte_end: usize,
    line_start: usize,
    line_end: usize,
    column_start: usize,
    column_end: usize,
    is_primary: bool,
    text: Vec<SpanLine<'a>>,
    label: Option<&'a str>,
    suggested_replacement: Option<String>,
    suggestion_applicability: Option<&'static str>,
    expansion: Option<()>,
}

/// A line of source a span covers, with the covered columns (1-based,
/// end exclusive), as rustc writes them.
#[derive(Serialize)]
struct SpanLine<'a> {
    text: &'a str,
    highlight_start: usize,
    highlight_end: usize,
}

#[derive(Serialize)]
struct BuildFinished {
    reason: &'static str,
    success: bool,
}

/// Writes one `compiler-message` line per finding and a `build-finished` line.
pub fn write(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    let style = Style { color: false, width: 100, summary: false };
    for d in diagnostics {
        let mut spans = vec![span(&d.location, true, d.primary_label.as_deref())];
        spans.extend(d.labels.iter().map(|l| span(&l.location, false, Some(&l.text))));
        let children = d
            .help
            .as_deref()
            .map(|help| CompilerDiagnostic {
                message_type: "diagnostic",
                message: help,
                code: None,
                level: "help",
                spans: Vec::new(),
                children: Vec::new(),
                rendered: None,
            })
            .into_iter()
            .collect();
        let message = CargoMessage {
            reason: "compiler-message",
            package_id: "corefence",
            manifest_path: "Cargo.toml",
            target: Target {
                name: "corefence",
                kind: ["lib"],
                crate_types: ["lib"],
                src_path: d.location.path(),
                edition: "2021",
                doctest: false,
                test: false,
                doc: false,
            },
            message: CompilerDiagnostic {
                message_type: "diagnostic",
                message: &d.message,
                code: Some(Code { code: d.code.as_str(), explanation: d.code.explanation() }),
                level: match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                spans,
                children,
                rendered: Some(human::render_one(d, style)),
            },
        };
        serde_json::to_writer(&mut *out, &message)?;
        writeln!(out)?;
    }
    let success = !diagnostics.iter().any(|d| d.severity == Severity::Error);
    serde_json::to_writer(&mut *out, &BuildFinished { reason: "build-finished", success })?;
    writeln!(out)
}

/// A location as a rustc span: byte offsets, 1-based lines and columns
/// (in characters, end exclusive), and the text of every line it covers.
fn span<'a>(at: &'a Location, is_primary: bool, label: Option<&'a str>) -> Span<'a> {
    let (start, end) = (at.start(), at.end());
    let file = &at.file;
    let text = (start.line..=end.line)
        .map(|line| {
            let text = file.line_text(line);
            let highlight_start = if line == start.line { start.column } else { 1 };
            let highlight_end = if line == end.line { end.column } else { text.chars().count() + 1 };
            SpanLine { text, highlight_start, highlight_end }
        })
        .collect();
    Span {
        file_name: at.path(),
        byte_start: at.span.start,
        byte_end: at.span.end,
        line_start: start.line,
        line_end: end.line,
        column_start: start.column,
        column_end: end.column,
        is_primary,
        text,
        label,
        suggested_replacement: None,
        suggestion_applicability: None,
        expansion: None,
    }
}
