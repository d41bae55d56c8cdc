//! `--format gitlab`: a GitLab Code Quality report (a JSON array of issues in
//! the Code Climate subset GitLab documents), published with
//! `artifacts: reports: codequality`.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'static str,
    fingerprint: &'a str,
    severity: &'static str,
    location: IssueLocation<'a>,
}

#[derive(Serialize)]
struct IssueLocation<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// Writes the report. Fingerprints are the diagnostics' own, which are unique
/// within a run and stable when lines move, as GitLab needs to track issues
/// between a merge request and its target branch.
pub fn write(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    let issues: Vec<Issue> = diagnostics
        .iter()
        .map(|d| Issue {
            description: format!("[{}] {}", d.code, d.message),
            check_name: d.code.as_str(),
            fingerprint: &d.fingerprint,
            severity: match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
            },
            location: IssueLocation {
                path: d.location.path(),
                lines: Lines { begin: d.location.start().line, end: d.location.end().line },
            },
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}
