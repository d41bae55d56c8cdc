//! `--format short`: one line per finding, `path:line:col: severity[code] message`,
//! the form editors and `grep` understand. The path and message are made
//! visible (a newline in a file name is written `\u{a}`, so it cannot split
//! the line) and the message is clipped, as in the human format.

use std::io::{self, Write};

use super::visible::{field, visible};
use crate::diagnostic::Diagnostic;

/// The one-line form of a diagnostic, without a newline.
pub fn line(d: &Diagnostic) -> String {
    let at = d.location.start();
    let (path, message) = (visible(d.location.path()), field(&d.message));
    format!("{path}:{}:{}: {}[{}] {message}", at.line, at.column, d.severity, d.code)
}

/// Writes one line per diagnostic.
pub fn write(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    for d in diagnostics {
        writeln!(out, "{}", line(d))?;
    }
    Ok(())
}
