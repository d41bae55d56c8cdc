//! `--format github`: GitHub Actions workflow commands, which the runner turns
//! into annotations on the pull request's diff.
//!
//! Escaping follows the runner's rules (`escapeData` and `escapeProperty` in
//! `@actions/core`): `%`, CR and LF in the message, and also `:` and `,` in
//! properties, are percent-encoded, so no text can end a command early or
//! start another. The file property keeps the path's own characters (the
//! annotation must name the file in the repository); the message shows
//! control characters as `\u{..}`, as the text formats do, and is clipped.

use std::io::{self, Write};

use super::visible::field;
use crate::diagnostic::{Diagnostic, Severity};

/// Escapes a message: GitHub reads `%`, CR and LF specially in command data.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value, where `:` and `,` are separators too.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Writes one `::error ...::message` (or `::warning`) line per diagnostic.
pub fn write(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    for d in diagnostics {
        let (start, end) = (d.location.start(), d.location.end());
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = field(&d.message);
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(&field(help));
        }
        writeln!(
            out,
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(d.location.path()),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(&format!("corefence {}", d.code)),
            escape_data(&message),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_github_reads_specially() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
