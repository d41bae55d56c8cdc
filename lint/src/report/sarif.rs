//! `--format sarif`: a SARIF 2.1.0 log built with serde-sarif's typed model,
//! one rule per code (with the summary as short description and the long
//! explanation as help), for GitHub code scanning and other SARIF viewers.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use serde_sarif::sarif::{
    ArtifactLocation, Location as SarifLocation, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};

use crate::diagnostic::{Code, Diagnostic, Location, Severity};

const INFORMATION_URI: &str = "https://github.com/corefence/corefence";

/// The bytes percent-encoded when a path becomes a relative URI reference
/// (RFC 3986): all but the unreserved characters, the sub-delimiters and `@`
/// a path segment may hold, and `/` between segments. So space, `%`, `#`
/// and `?` (which would start a fragment or a query), `:` (which in a first
/// segment would read as a scheme), controls, and every byte of a non-ASCII
/// character are encoded.
const ENCODED_IN_PATHS: &AsciiSet = &NON_ALPHANUMERIC
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

/// A workspace-relative, `/`-separated path as the URI reference SARIF's
/// `artifactLocation.uri` must be (resolved against `%SRCROOT%`).
fn uri(path: &str) -> Cow<'_, str> {
    utf8_percent_encode(path, ENCODED_IN_PATHS).into()
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
    }
}

fn rule(code: Code) -> ReportingDescriptor {
    let config = ReportingConfiguration::builder()
        .level(serde_json::to_value(level(code.default_severity())).unwrap_or_default())
        .build();
    ReportingDescriptor::builder()
        .id(code.as_str())
        .name(code.as_str().replace('/', "-"))
        .short_description(MultiformatMessageString::builder().text(code.summary()).build())
        .full_description(MultiformatMessageString::builder().text(code.summary()).build())
        .help(MultiformatMessageString::builder().text(code.explanation()).markdown(code.explanation()).build())
        .default_configuration(config)
        .build()
}

fn location(loc: &Location, message: Option<&str>) -> SarifLocation {
    let (start, end) = (loc.start(), loc.end());
    let region = Region::builder()
        .start_line(i64::try_from(start.line).unwrap_or(i64::MAX))
        .start_column(i64::try_from(start.column).unwrap_or(i64::MAX))
        .end_line(i64::try_from(end.line).unwrap_or(i64::MAX))
        .end_column(i64::try_from(end.column).unwrap_or(i64::MAX))
        .build();
    let physical = PhysicalLocation::builder()
        .artifact_location(ArtifactLocation::builder().uri(uri(loc.path())).uri_base_id("%SRCROOT%").build())
        .region(region)
        .build();
    match message {
        Some(text) => {
            SarifLocation::builder().physical_location(physical).message(Message::builder().text(text).build()).build()
        }
        None => SarifLocation::builder().physical_location(physical).build(),
    }
}

fn result(d: &Diagnostic) -> SarifResult {
    let rule_index = Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let fingerprints = BTreeMap::from([("corefence/v1".to_owned(), d.fingerprint.clone())]);
    let base = SarifResult::builder()
        .rule_id(d.code.as_str())
        .rule_index(i64::try_from(rule_index).unwrap_or(0))
        .level(level(d.severity))
        .message(Message::builder().text(text).build())
        .locations(vec![location(&d.location, None)])
        .partial_fingerprints(fingerprints);
    if d.labels.is_empty() {
        base.build()
    } else {
        let related: Vec<SarifLocation> = d.labels.iter().map(|l| location(&l.location, Some(&l.text))).collect();
        base.related_locations(related).build()
    }
}

/// Writes the SARIF log.
pub fn write(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    let driver = ToolComponent::builder()
        .name("corefence")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(INFORMATION_URI)
        .rules(Code::ALL.iter().copied().map(rule).collect::<Vec<_>>())
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(diagnostics.iter().map(result).collect::<Vec<_>>())
        .column_kind(serde_json::Value::from("unicodeCodePoints"))
        .build();
    let log = Sarif::builder()
        .schema(serde_sarif::sarif::SCHEMA_URL)
        .version(serde_json::Value::from("2.1.0"))
        .runs(vec![run])
        .build();
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
