//! `--format human`: rustc-style reports rendered by miette, with source
//! snippets, one report per diagnostic; secondary spans in other files become
//! related reports so each snippet shows the right file.
//!
//! Everything taken from the workspace (paths, messages quoting header text,
//! source lines) goes through [`super::visible`] and `Excerpt` first, so
//! control characters print as `\u{..}` escapes and a huge line or message
//! prints a bounded window of itself.

use std::fmt;
use std::io::{self, Write};
use std::ops::Range;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::excerpt::Excerpt;
use super::visible::field;
use crate::diagnostic::{Code, Counts, Diagnostic, Severity, SourceFile};

/// Rendering choices that must be fixed for snapshots to be stable.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Wrap width.
    pub width: usize,
    /// End with the summary line (`corefence: 2 errors, ..`).
    pub summary: bool,
}

/// A diagnostic (or a related note about a span in another file), with every
/// text made safe to print, seen through miette's trait.
struct View {
    /// `None` for a related note.
    code: Option<Code>,
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    source: Excerpt,
    labels: Vec<LabeledSpan>,
    related: Vec<View>,
}

impl View {
    fn new(d: &Diagnostic) -> Self {
        let (here, elsewhere): (Vec<_>, Vec<_>) = d.labels.iter().partition(|l| l.location.path() == d.location.path());
        let spans: Vec<Range<usize>> =
            std::iter::once(&d.location).chain(here.iter().map(|l| &l.location)).map(|l| l.span.clone()).collect();
        let source = Excerpt::new(&d.location.file, &spans);
        let primary =
            LabeledSpan::new_primary_with_span(d.primary_label.as_deref().map(field), source.span(&d.location.span));
        let labels = std::iter::once(primary)
            .chain(here.iter().map(|l| LabeledSpan::new_with_span(Some(field(&l.text)), source.span(&l.location.span))))
            .collect();
        let related = elsewhere.iter().map(|l| View::note(&l.location.file, &l.location.span, &l.text)).collect();
        View {
            code: Some(d.code),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            },
            message: field(&d.message),
            help: d.help.as_deref().map(field),
            source,
            labels,
            related,
        }
    }

    /// A secondary span in another file, shown as its own note.
    fn note(file: &SourceFile, span: &Range<usize>, text: &str) -> Self {
        let source = Excerpt::new(file, std::slice::from_ref(span));
        let text = field(text);
        let label = LabeledSpan::new_with_span(Some(text.clone()), source.span(span));
        View {
            code: None,
            severity: miette::Severity::Advice,
            message: text,
            help: None,
            source,
            labels: vec![label],
            related: Vec::new(),
        }
    }
}

impl fmt::Debug for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for View {}

impl miette::Diagnostic for View {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code.map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
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
    write_counted(out, diagnostics, Counts::of(diagnostics), files, style)
}

/// Writes `shown` (the findings, some summarised) and a summary line that
/// counts every finding (`counts`).
pub fn write_counted(
    out: &mut dyn Write,
    shown: &[Diagnostic],
    counts: Counts,
    files: usize,
    style: Style,
) -> io::Result<()> {
    for d in shown {
        writeln!(out, "{}", render_one(d, style))?;
    }
    if !style.summary {
        return Ok(());
    }
    writeln!(out, "{}", summary(counts, files))
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
