//! Diagnostics as data: what every check returns and every renderer reads.
//!
//! A [`Diagnostic`] holds its [`Code`], severity, message, a primary
//! [`Location`] (a byte span in a [`SourceFile`]), optional secondary labels,
//! help and the extra fields of the JSON contract. Nothing here prints.

mod code;
pub mod fix;
mod source;

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

pub use code::{Code, UnknownCode};
pub use fix::{Applicability, Edit, Fix};
pub use source::{LineCol, LineIndex, SourceFile};

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Severity {
    /// Fails the run (exit code 1).
    Error,
    /// Reported; fails the run only with `--deny warnings`.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as in the JSON contract.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A byte span in one file.
#[derive(Clone, Debug)]
pub struct Location {
    /// The file, shared by every diagnostic pointing into it.
    pub file: Arc<SourceFile>,
    /// Byte range of the span; empty spans point at a position.
    pub span: Range<usize>,
}

impl Location {
    /// A span in `file`, clamped to the file's length and to char boundaries so
    /// that a bad offset from a check can never make a renderer panic.
    pub fn new(file: &Arc<SourceFile>, span: Range<usize>) -> Self {
        let span = file.clamp(span);
        Location { file: Arc::clone(file), span }
    }

    /// The start of the file (for whole-file findings such as a missing header).
    pub fn file_start(file: &Arc<SourceFile>) -> Self {
        Location::new(file, 0..0)
    }

    /// Relative path with `/` separators.
    pub fn path(&self) -> &str {
        &self.file.path
    }

    /// 1-based line and column of the span's start.
    pub fn start(&self) -> LineCol {
        self.file.line_col(self.span.start)
    }

    /// 1-based line and column of the span's end.
    pub fn end(&self) -> LineCol {
        self.file.line_col(self.span.end)
    }
}

/// A secondary span with its own text, e.g. where the enterprise item is defined.
#[derive(Clone, Debug)]
pub struct Label {
    /// Where it points.
    pub location: Location,
    /// What it says.
    pub text: String,
}

/// One finding, ready to be rendered in any format.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// The stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// One sentence, naming the editions and the symbol where there are any.
    pub message: String,
    /// Where the finding is.
    pub location: Location,
    /// Text shown under the primary span in human output.
    pub primary_label: Option<String>,
    /// Further spans, in this file or another.
    pub labels: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
    /// Edition of the code where the finding is.
    pub edition: Option<String>,
    /// Edition of the thing referred to (boundary findings).
    pub target_edition: Option<String>,
    /// The symbol involved (boundary findings), e.g. `acme_ee::sso::login`.
    pub symbol: Option<String>,
    /// Stable identity for baselines and code-quality reports; filled in by
    /// `assign_fingerprints`.
    pub fingerprint: String,
    /// The repair `--fix` can make, in the file of [`Diagnostic::location`].
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            location,
            primary_label: None,
            labels: Vec::new(),
            help: None,
            edition: None,
            target_edition: None,
            symbol: None,
            fingerprint: String::new(),
            fix: None,
        }
    }

    /// A `file/unreadable` warning about a whole file: what is wrong and what
    /// to do. Every problem that stops a file from being checked uses it.
    pub fn unreadable(file: &Arc<SourceFile>, message: impl Into<String>, help: impl Into<String>) -> Self {
        Diagnostic::new(Code::FileUnreadable, Location::file_start(file), message).with_help(help)
    }

    /// Moves the primary span.
    #[must_use]
    pub fn at(mut self, location: Location) -> Self {
        self.location = location;
        self
    }

    /// Sets the text under the primary span.
    #[must_use]
    pub fn with_label(mut self, text: impl Into<String>) -> Self {
        self.primary_label = Some(text.into());
        self
    }

    /// Adds a secondary labelled span.
    #[must_use]
    pub fn with_secondary(mut self, location: Location, text: impl Into<String>) -> Self {
        self.labels.push(Label { location, text: text.into() });
        self
    }

    /// Sets the help line.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help line when there is one.
    #[must_use]
    pub fn with_optional_help(mut self, help: Option<String>) -> Self {
        self.help = help.filter(|h| !h.is_empty());
        self
    }

    /// Sets the edition of the code where the finding is.
    #[must_use]
    pub fn with_edition(mut self, edition: impl Into<String>) -> Self {
        self.edition = Some(edition.into());
        self
    }

    /// Sets the edition of what is referred to.
    #[must_use]
    pub fn with_target_edition(mut self, edition: impl Into<String>) -> Self {
        self.target_edition = Some(edition.into());
        self
    }

    /// Sets the symbol involved.
    #[must_use]
    pub fn with_symbol(mut self, symbol: impl Into<String>) -> Self {
        self.symbol = Some(symbol.into());
        self
    }

    /// Attaches the repair `--fix` can make.
    #[must_use]
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Overrides the severity.
    #[must_use]
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// The deterministic report order: path, line, column, code, then message.
    pub fn report_order(&self, other: &Self) -> Ordering {
        let (a, b) = (self.location.start(), other.location.start());
        self.location
            .path()
            .cmp(other.location.path())
            .then(a.line.cmp(&b.line))
            .then(a.column.cmp(&b.column))
            .then(self.code.cmp(&other.code))
            .then_with(|| self.message.cmp(&other.message))
    }

    /// The source line the finding starts on, with whitespace folded: the part
    /// of the fingerprint that survives the code moving to another line.
    fn normalised_snippet(&self) -> String {
        let line = self.location.start().line;
        self.location.file.line_text(line).split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Sorts diagnostics into report order and gives each a fingerprint that stays
/// the same when lines move: a hash of code, path, symbol and the normalised
/// source line, plus an occurrence number among otherwise identical findings.
pub fn finalize(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(Diagnostic::report_order);
    assign_fingerprints(diagnostics);
}

fn assign_fingerprints(diagnostics: &mut [Diagnostic]) {
    use std::collections::HashMap;
    let mut seen: HashMap<u128, u32> = HashMap::new();
    for d in diagnostics {
        let mut key = String::new();
        for part in [
            d.code.as_str(),
            d.location.path(),
            d.symbol.as_deref().unwrap_or(""),
            &d.normalised_snippet(),
            // Whole-file findings (no symbol, empty span) share a line; the
            // message tells e.g. two manifest findings apart.
            if d.symbol.is_none() { &d.message } else { "" },
        ] {
            key.push_str(part);
            key.push('\u{1f}');
        }
        let base = xxhash_rust::xxh3::xxh3_128(key.as_bytes());
        let occurrence = seen.entry(base).or_insert(0);
        key.push_str(&occurrence.to_string());
        *occurrence += 1;
        d.fingerprint = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(key.as_bytes()));
    }
}

/// Counts of a finished run, for summaries and exit codes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Diagnostics of severity error.
    pub errors: usize,
    /// Diagnostics of severity warning.
    pub warnings: usize,
}

impl Counts {
    /// Counts the diagnostics by severity.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        Counts { errors, warnings: diagnostics.len() - errors }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(file: &Arc<SourceFile>, at: usize, code: Code) -> Diagnostic {
        Diagnostic::new(code, Location::new(file, at..at + 1), "m").with_symbol("ee::X")
    }

    #[test]
    fn fingerprints_survive_lines_moving() {
        let before = Arc::new(SourceFile::new("a.rs", "use ee::X;\n"));
        let after = Arc::new(SourceFile::new("a.rs", "// moved\n\n    use ee::X;\n"));
        let mut a = [diag(&before, 4, Code::BoundaryImport)];
        let mut b = [diag(&after, 18, Code::BoundaryImport)];
        finalize(&mut a);
        finalize(&mut b);
        assert_eq!(a[0].fingerprint, b[0].fingerprint);
        assert_eq!(b[0].location.start(), LineCol { line: 3, column: 9 });
    }

    #[test]
    fn identical_findings_get_distinct_fingerprints() {
        let f = Arc::new(SourceFile::new("a.rs", "use ee::X;\nuse ee::X;\n"));
        let mut ds = [diag(&f, 15, Code::BoundaryImport), diag(&f, 4, Code::BoundaryImport)];
        finalize(&mut ds);
        assert_eq!(ds[0].location.start().line, 1, "sorted by line");
        assert_ne!(ds[0].fingerprint, ds[1].fingerprint);
    }

    #[test]
    fn out_of_range_spans_are_clamped() {
        let f = Arc::new(SourceFile::new("a.rs", "é"));
        let loc = Location::new(&f, 1..99);
        assert_eq!(loc.span, 0..2);
    }
}
