//! `--format sarif`: a SARIF 2.1.0 log, one rule per code (with the summary
//! as short description and the long explanation as help), for GitHub code
//! scanning and other SARIF viewers.
//!
//! The model below is the part of the SARIF 2.1.0 object model corefence
//! writes, typed; the real SARIF validator checks its output in the tests.
//! (serde-sarif generates the whole model at build time with syn 1 and syn 2,
//! three syntax-tree crates in a build that otherwise needs one.) Fields are
//! declared in alphabetical order, so the JSON keys come out sorted.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Location, Severity};

const INFORMATION_URI: &str = "https://github.com/corefence/corefence";
const SCHEMA_URL: &str = "https://schemastore.azurewebsites.net/schemas/json/sarif-2.1.0.json";

/// The bytes percent-encoded when a path becomes a relative URI reference
/// (RFC 3986): all but the unreserved characters, the sub-delimiters and `@`
/// a path segment may hold, and `/` between segments. So space, `%`, `#`
/// and `?` (which would start a fragment or a query), `:` (which in a first
/// segment would read as a scheme), controls, and every byte of a non-ASCII
/// character are encoded.
pub(super) const ENCODED_IN_PATHS: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b'@')
    .remove(b'/');

/// `sarifLog`.
#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

/// `run`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    tool: Tool,
}

/// `tool`.
#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

/// `toolComponent`, for the driver.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    information_uri: &'static str,
    name: &'static str,
    rules: Vec<Rule>,
    semantic_version: &'static str,
    version: &'static str,
}

/// `reportingDescriptor`: one per code.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    default_configuration: Configuration,
    full_description: Text,
    help: Help,
    id: &'static str,
    name: String,
    short_description: Text,
}

/// `reportingConfiguration`.
#[derive(Serialize)]
struct Configuration {
    level: Level,
}

/// `message` or `multiformatMessageString` with plain text only.
#[derive(Serialize)]
struct Text<T = &'static str> {
    text: T,
}

/// `multiformatMessageString` with Markdown.
#[derive(Serialize)]
struct Help {
    markdown: &'static str,
    text: &'static str,
}

#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
enum Level {
    Error,
    Warning,
}

/// `result`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    level: Level,
    locations: [SarifLocation<'a>; 1],
    message: Text<String>,
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation<'a>>,
    rule_id: &'static str,
    rule_index: usize,
}

/// `location`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<&'a str>>,
    physical_location: PhysicalLocation<'a>,
}

/// `physicalLocation`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

/// `artifactLocation`, relative to the workspace root.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation<'a> {
    uri: Cow<'a, str>,
    uri_base_id: &'static str,
}

/// `region`, in lines and Unicode code points (the run's `columnKind`),
/// both 1-based.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    end_column: usize,
    end_line: usize,
    start_column: usize,
    start_line: usize,
}

/// A workspace-relative, `/`-separated path as the URI reference SARIF's
/// `artifactLocation.uri` must be (resolved against `%SRCROOT%`).
fn uri(path: &str) -> Cow<'_, str> {
    utf8_percent_encode(path, ENCODED_IN_PATHS).into()
}

/// The URI of a workspace path below `prefix` (`backend/`, or `""`).
fn uri_under<'a>(prefix: &str, path: &'a str) -> Cow<'a, str> {
    if prefix.is_empty() {
        uri(path)
    } else {
        Cow::Owned(format!("{}{}", uri(prefix), uri(path)))
    }
}

fn level(severity: Severity) -> Level {
    match severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
    }
}

fn rule(code: Code) -> Rule {
    Rule {
        default_configuration: Configuration { level: level(code.default_severity()) },
        full_description: Text { text: code.summary() },
        help: Help { markdown: code.explanation(), text: code.explanation() },
        id: code.as_str(),
        name: code.as_str().replace('/', "-"),
        short_description: Text { text: code.summary() },
    }
}

fn location<'a>(loc: &'a Location, message: Option<&'a str>, prefix: &str) -> SarifLocation<'a> {
    let (start, end) = (loc.start(), loc.end());
    SarifLocation {
        message: message.map(|text| Text { text }),
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri: uri_under(prefix, loc.path()), uri_base_id: "%SRCROOT%" },
            region: Region {
                end_column: end.column,
                end_line: end.line,
                start_column: start.column,
                start_line: start.line,
            },
        },
    }
}

fn result<'a>(d: &'a Diagnostic, prefix: &str) -> SarifResult<'a> {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    SarifResult {
        level: level(d.severity),
        locations: [location(&d.location, None, prefix)],
        message: Text { text },
        partial_fingerprints: BTreeMap::from([("corefence/v1", d.fingerprint.as_str())]),
        related_locations: d.labels.iter().map(|l| location(&l.location, Some(&l.text), prefix)).collect(),
        rule_id: d.code.as_str(),
        rule_index: Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
    }
}

/// Writes the SARIF log, paths relative to the workspace root.
pub fn write(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    write_under(out, diagnostics, "")
}

/// Writes the SARIF log with every path below `root` (the workspace's
/// folder inside the repository, `/`-separated; `""` or `.` for none).
pub fn write_under(out: &mut dyn Write, diagnostics: &[Diagnostic], root: &str) -> io::Result<()> {
    let version = env!("CARGO_PKG_VERSION");
    let mut prefix = String::new();
    for part in root.split(['/', '\\']).filter(|part| !part.is_empty() && *part != ".") {
        prefix.push_str(part);
        prefix.push('/');
    }
    let driver = Driver {
        information_uri: INFORMATION_URI,
        name: "corefence",
        rules: Code::ALL.iter().copied().map(rule).collect(),
        semantic_version: version,
        version,
    };
    let log = Log {
        schema: SCHEMA_URL,
        runs: [Run {
            column_kind: "unicodeCodePoints",
            results: diagnostics.iter().map(|d| result(d, &prefix)).collect(),
            tool: Tool { driver },
        }],
        version: "2.1.0",
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("src/lib.rs"), "src/lib.rs");
        assert_eq!(uri("crates/acme-core/src/auth_v2.rs"), "crates/acme-core/src/auth_v2.rs");
        assert_eq!(uri("a b%.rs"), "a%20b%25.rs");
        assert_eq!(uri("café.rs"), "caf%C3%A9.rs");
        assert_eq!(uri("x#y.rs"), "x%23y.rs");
        assert_eq!(uri("q?.rs"), "q%3F.rs");
        assert_eq!(uri("c:/a.rs"), "c%3A/a.rs");
        assert_eq!(uri("e\u{1b}[2K\n.rs"), "e%1B%5B2K%0A.rs");
    }
}
