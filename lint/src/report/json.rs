//! `--format json`: the versioned output contract of DESIGN.md.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Counts, Diagnostic};

/// The contract's version; bumped only on incompatible changes.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    /// `corefence export`: what was written and removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    export: Option<serde_json::Value>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    edition: Option<&'a str>,
    target_edition: Option<&'a str>,
    symbol: Option<&'a str>,
    help: Option<&'a str>,
    fingerprint: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
}

/// Writes the document, pretty-printed, with a trailing newline.
pub fn write(out: &mut dyn Write, diagnostics: &[Diagnostic], files: usize) -> io::Result<()> {
    write_with_export(out, diagnostics, files, None)
}

/// [`write()`], with `corefence export`'s manifest of what it wrote and removed.
pub fn write_with_export(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    files: usize,
    export: Option<serde_json::Value>,
) -> io::Result<()> {
    let counts = Counts::of(diagnostics);
    let doc = Document {
        version: VERSION,
        export,
        diagnostics: diagnostics
            .iter()
            .map(|d| {
                let (start, end) = (d.location.start(), d.location.end());
                JsonDiagnostic {
                    code: d.code.as_str(),
                    severity: d.severity.as_str(),
                    message: &d.message,
                    path: d.location.path(),
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    edition: d.edition.as_deref(),
                    target_edition: d.target_edition.as_deref(),
                    symbol: d.symbol.as_deref(),
                    help: d.help.as_deref(),
                    fingerprint: &d.fingerprint,
                }
            })
            .collect(),
        summary: Summary { files, errors: counts.errors, warnings: counts.warnings },
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
