//! `--format markdown`: a summary for a pull request, written to
//! `$GITHUB_STEP_SUMMARY` or posted as a comment: the counts per edition and
//! per code, the findings as a table linking to their lines, and the
//! boundary as a Mermaid graph (crates by edition, crossings in red).

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::diagnostic::{Counts, Diagnostic, Severity};

use super::graph::Graph;

/// Where the findings' links point: `{base}/{path}#L{line}` (a blob URL of
/// the commit on the forge), or the path itself when there is no base.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// For example `https://github.com/acme/app/blob/<sha>`.
    pub base: Option<String>,
}

impl Links {
    /// GitHub Actions' blob URL of the commit being checked, from the
    /// variables the runner sets, when they are all there.
    pub fn from_github_env() -> Links {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let base = match (var("GITHUB_SERVER_URL"), var("GITHUB_REPOSITORY"), var("GITHUB_SHA")) {
            (Some(server), Some(repo), Some(sha)) => Some(format!("{server}/{repo}/blob/{sha}")),
            _ => None,
        };
        Links { base }
    }

    fn to(&self, path: &str, line: usize) -> String {
        // Parentheses too: the link's target sits inside `(..)`.
        let path = percent_encoding::utf8_percent_encode(path, super::sarif::ENCODED_IN_PATHS)
            .to_string()
            .replace('(', "%28")
            .replace(')', "%29");
        match &self.base {
            Some(base) => format!("{base}/{path}#L{line}"),
            None => format!("{path}#L{line}"),
        }
    }
}

/// Writes the summary; `graph` is drawn when there is one (a run with its
/// workspace's crates).
pub fn write(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    files: usize,
    graph: Option<&Graph>,
    links: &Links,
) -> io::Result<()> {
    let counts = Counts::of(diagnostics);
    let icon = if counts.errors > 0 {
        "❌"
    } else if counts.warnings > 0 {
        "⚠️"
    } else {
        "✅"
    };
    writeln!(out, "## {icon} {}\n", text(&super::human::summary(counts, files)))?;
    if diagnostics.is_empty() {
        return draw(out, graph);
    }
    tally(out, "edition", diagnostics.iter().map(|d| (d.edition.clone().unwrap_or_else(|| "—".to_owned()), d)))?;
    tally(out, "code", diagnostics.iter().map(|d| (format!("`{}`", d.code), d)))?;
    writeln!(out, "| | where | code | finding |\n|---|---|---|---|")?;
    for d in diagnostics {
        let at = d.location.start();
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let place = format!("{}:{}:{}", d.location.path(), at.line, at.column);
        let mut finding = text(&d.message);
        if let Some(help) = &d.help {
            finding.push_str("<br>help: ");
            finding.push_str(&text(help));
        }
        writeln!(
            out,
            "| {severity} | [`{}`]({}) | `{}` | {finding} |",
            text(&place.replace('`', "'")),
            links.to(d.location.path(), at.line),
            d.code
        )?;
    }
    writeln!(out)?;
    draw(out, graph)
}

/// Errors and warnings per value of one column.
fn tally<'d>(out: &mut dyn Write, what: &str, rows: impl Iterator<Item = (String, &'d Diagnostic)>) -> io::Result<()> {
    let mut by: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (key, d) in rows {
        let slot = by.entry(key).or_default();
        match d.severity {
            Severity::Error => slot.0 += 1,
            Severity::Warning => slot.1 += 1,
        }
    }
    writeln!(out, "| {what} | errors | warnings |\n|---|---:|---:|")?;
    for (key, (errors, warnings)) in &by {
        writeln!(out, "| {} | {errors} | {warnings} |", text(key))?;
    }
    writeln!(out)
}

fn draw(out: &mut dyn Write, graph: Option<&Graph>) -> io::Result<()> {
    let Some(graph) = graph else { return Ok(()) };
    let title = match graph.crossings() {
        0 => "The boundary: no crossings".to_owned(),
        1 => "The boundary: 1 crossing, in red".to_owned(),
        n => format!("The boundary: {n} crossings, in red"),
    };
    writeln!(out, "### {title}\n\n```mermaid\n{}```", graph.mermaid())
}

/// Text safe in a Markdown table cell: one line, `|` escaped (GitHub needs
/// it inside code spans too), no control characters, and outside code spans
/// no HTML (`&`, `<`, `>` as entities; inside one they show as written).
fn text(s: &str) -> String {
    let s = super::visible::visible(s);
    let mut out = String::with_capacity(s.len());
    let mut in_code = false;
    for c in s.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '&' if !in_code => out.push_str("&amp;"),
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}
