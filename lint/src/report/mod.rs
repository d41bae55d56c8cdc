//! Renderers: the only place diagnostics become text. Each format gets the
//! sorted diagnostics and writes to the stream it is given.

mod excerpt;
pub mod github;
pub mod gitlab;
pub mod graph;
pub mod human;
pub mod json;
pub mod markdown;
pub mod mass;
pub mod rustc_json;
pub mod sarif;
pub mod short;
pub mod visible;

use std::io::{self, Write};

use crate::diagnostic::Diagnostic;

pub use human::Style;

/// An output format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style reports with source snippets.
    Human,
    /// `path:line:col: severity[code] message`.
    Short,
    /// The versioned JSON contract.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands.
    Github,
    /// GitLab Code Quality report.
    Gitlab,
    /// cargo's `compiler-message` JSON lines (rust-analyzer's `check.overrideCommand`).
    RustcJson,
    /// A Markdown summary with a graph of the boundary (`$GITHUB_STEP_SUMMARY`, PR comments).
    Markdown,
}

impl Format {
    /// Whether the format is for machines (written to stdout, nothing else on stdout).
    pub fn is_machine(self) -> bool {
        !matches!(self, Format::Human)
    }

    /// Whether stdout must hold this format's output and nothing else: a
    /// JSON document, a SARIF log, a Code Quality report, workflow commands,
    /// cargo's JSON messages or a Markdown summary, which a stray line (such as a `--fix --dry-run` diff) would
    /// make unreadable to the tool consuming them.
    pub fn owns_stdout(self) -> bool {
        matches!(
            self,
            Format::Json | Format::Sarif | Format::Github | Format::Gitlab | Format::RustcJson | Format::Markdown
        )
    }
}

/// Writes `diagnostics` in `format`.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    diagnostics: &[Diagnostic],
    files: usize,
    style: Style,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(out, diagnostics, files, style),
        Format::Short => short::write(out, diagnostics),
        Format::Json => json::write(out, diagnostics, files),
        Format::Sarif => sarif::write(out, diagnostics),
        Format::Github => github::write(out, diagnostics),
        Format::Gitlab => gitlab::write(out, diagnostics),
        Format::RustcJson => rustc_json::write(out, diagnostics),
        // Without the workspace's crates (a configuration error): no graph.
        Format::Markdown => markdown::write(out, diagnostics, files, None, &markdown::Links::from_github_env()),
    }
}
