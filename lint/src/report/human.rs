//! `--format human`: rustc-style reports rendered by miette, with source
//! snippets, one report per diagnostic; secondary spans in other files become
//! related reports so each snippet shows the right file.

use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};

use crate::diagnostic::{Counts, Diagnostic, Severity, SourceFile};

/// Rendering choices that must be fixed for snapshots to be stable.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Wrap width.
    pub width: usize,
}

impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.path.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// A diagnostic (or a related note) seen through miette's trait.
struct View<'a> {
    d: &'a Diagnostic,
    /// `Some(i)`: the i-th secondary label, shown as its own note.
    secondary: Option<usize>,
    related: Vec<View<'a>>,
}

impl<'a> View<'a> {
    fn new(d: &'a Diagnostic) -> Self {
        let related = d
            .labels
            .iter()
            .enumerate()
            .filter(|(_, l)| l.location.path() != d.location.path())
            .map(|(i, _)| View { d, secondary: Some(i), related: Vec::new() })
            .collect();
        View { d, secondary: None, related }
    }
}

impl fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.secondary.and_then(|i| self.d.labels.get(i)) {
            Some(label) => write!(f, "{}", label.text),
            None => f.write_str(&self.d.message),
        }
    }
}

impl std::error::Error for View<'_> {}

fn span(range: &std::ops::Range<usize>) -> SourceSpan {
    SourceSpan::from(range.start..range.end)
}

impl miette::Diagnostic for View<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.secondary.is_none().then(|| Box::new(self.d.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match (self.secondary, self.d.severity) {
            (Some(_), _) => miette::Severity::Advice,
            (None, Severity::Error) => miette::Severity::Error,
            (None, Severity::Warning) => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if self.secondary.is_some() {
            return None;
        }
        self.d.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        match self.secondary.and_then(|i| self.d.labels.get(i)) {
            Some(label) => Some(&*label.location.file),
            None => Some(&*self.d.location.file),
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if let Some(label) = self.secondary.and_then(|i| self.d.labels.get(i)) {
            let one = LabeledSpan::new_with_span(Some(label.text.clone()), span(&label.location.span));
            return Some(Box::new(std::iter::once(one)));
        }
        let primary = LabeledSpan::new_primary_with_span(self.d.primary_label.clone(), span(&self.d.location.span));
        let same_file = self
            .d
            .labels
            .iter()
            .filter(|l| l.location.path() == self.d.location.path())
            .map(|l| LabeledSpan::new_with_span(Some(l.text.clone()), span(&l.location.span)));
        Some(Box::new(std::iter::once(primary).chain(same_file)))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
    }
}

/// Renders one diagnostic to a string.
pub fn render_one(d: &Diagnostic, style: Style) -> String {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    // Break lines at spaces only: license ids such as `LicenseRef-Acme-Enterprise`
    // must stay whole to be copied from the terminal.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut out = String::new();
    if handler.render_report(&mut out, &View::new(d)).is_err() {
        // miette fails only on a span outside the source, which Location
        // rules out; fall back to the one-line form rather than lose the finding.
        out = super::short::line(d);
    }
    out
}

/// Writes every diagnostic and a summary line.
pub fn write(out: &mut dyn Write, diagnostics: &[Diagnostic], files: usize, style: Style) -> io::Result<()> {
    for d in diagnostics {
        writeln!(out, "{}", render_one(d, style))?;
    }
    writeln!(out, "{}", summary(Counts::of(diagnostics), files))
}

/// `corefence: 2 errors, 1 warning in 12 files` (or `no problems`).
pub fn summary(counts: Counts, files: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if counts.errors == 0 && counts.warnings == 0 {
        format!("corefence: no problems in {}", plural(files, "file"))
    } else {
        format!(
            "corefence: {}, {} in {}",
            plural(counts.errors, "error"),
            plural(counts.warnings, "warning"),
            plural(files, "file")
        )
    }
}
