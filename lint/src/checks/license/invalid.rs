//! `license/invalid`: an `SPDX-License-Identifier` expression (file-level, in
//! a snippet, or from a REUSE sidecar/annotation) that does not parse or names
//! an unknown license id.

use crate::checks::{FileContext, WrittenLicense};
use std::sync::Arc;

use crate::diagnostic::Fix;
use crate::diagnostic::{Code, Diagnostic, Location, SourceFile};
use crate::license::expr::{normalized_text, ExprError, LicenseExpr};
use crate::license::fix;

/// Flags each expression that does not parse, pointing at the bad token.
pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let snippets = ctx.snippet_licenses.iter().map(|(_, l)| l);
    for (k, written) in ctx.licenses.iter().chain(snippets).enumerate() {
        if let Some(d) = diagnose(ctx, written, true) {
            out.push(d.with_fix(repair(ctx, written, k < ctx.licenses.len())));
        }
    }
    if let Some(external) = ctx.external {
        if let Some(d) = diagnose(ctx, &external.license, false) {
            out.push(d.with_help(format!("fix the expression in {}", external.origin)));
        }
    }
}

/// An empty identifier filled in, an expression with one obvious repair
/// normalised; else, for the file's own header, its edition's license with
/// `--relicense` (a snippet's edition is for a human to say).
fn repair(ctx: &FileContext<'_>, written: &WrittenLicense, file_level: bool) -> Fix {
    let tag = &written.tag;
    let bytes = ctx.source.text.as_bytes();
    match normalized_text(&tag.text) {
        _ if tag.text.is_empty() && file_level => fix::fill_in(bytes, tag, ctx.expected_license()),
        Some(to) if LicenseExpr::parse(&to).is_ok() => fix::normalize(tag, &to),
        _ if file_level && ctx.header_required && !ctx.third_party => fix::relicense(tag, ctx.expected_license()),
        _ => Fix::manual(
            format!("`{}` is not a valid SPDX expression and has no single obvious repair", tag.text),
            tag.line,
        ),
    }
}

fn diagnose(ctx: &FileContext<'_>, written: &WrittenLicense, in_file: bool) -> Option<Diagnostic> {
    let err = written.expr.as_ref().err()?;
    let span = if in_file {
        let start = written.tag.range.start + err.range.start;
        start..(written.tag.range.start + err.range.end).max(start + 1).min(written.tag.range.end.max(start))
    } else {
        ctx.scan.insert_at..ctx.scan.insert_at
    };
    let help = match &err.suggestion {
        Some(s) => format!("did you mean `{s}`? (`corefence check --fix` applies an obvious repair)"),
        None => "write a valid SPDX expression, e.g. `AGPL-3.0-only`, or `LicenseRef-<name>` for a commercial license"
            .to_owned(),
    };
    Some(
        Diagnostic::new(
            Code::LicenseInvalid,
            ctx.at(span),
            format!("invalid SPDX expression `{}`: {}", written.tag.text, err.message),
        )
        .with_label("not a valid SPDX expression")
        .with_edition(ctx.edition_name())
        .with_help(help),
    )
}

/// A crate's Cargo.toml `license` that does not parse (the manifest check
/// adds the crate's edition and how to fix it).
pub fn manifest(
    manifest: &Arc<SourceFile>,
    license: &crate::workspace::manifest::Field,
    name: &str,
    err: &ExprError,
) -> Diagnostic {
    Diagnostic::new(
        Code::LicenseInvalid,
        Location::new(manifest, license.span.clone()),
        format!("crate `{name}` has an invalid license expression `{}`: {}", license.value, err.message),
    )
    .with_label("not a valid SPDX expression")
}
