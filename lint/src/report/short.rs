//! `--format short`: one line per finding, `path:line:col: severity[code] message`,
//! the form editors and `grep` understand.

use std::io::{self, Write};

use crate::diagnostic::Diagnostic;

/// The one-line form of a diagnostic, without a newline.
pub fn line(d: &Diagnostic) -> String {
    let at = d.location.start();
    format!("{}:{}:{}: {}[{}] {}", d.location.path(), at.line, at.column, d.severity, d.code, d.message)
}

/// Writes one line per diagnostic.
pub fn write(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    for d in diagnostics {
        writeln!(out, "{}", line(d))?;
    }
    Ok(())
}
