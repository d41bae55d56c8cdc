//! `license/mismatch`: the file's identifier differs from the license of its
//! edition. Expressions are compared parsed (`A OR B` is `B OR A`, ids are
//! case-insensitive, `-only` is never `-or-later`); an edition may accept
//! several expressions. Vendored third-party code keeps its own license.

use crate::checks::FileContext;
use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::license::fix;

/// Flags each valid identifier that none of the edition's licenses equals.
pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    if !ctx.header_required || ctx.third_party {
        return;
    }
    let accepted = ctx.accepted.get(ctx.edition).map_or(&[][..], Vec::as_slice);
    for written in ctx.effective_licenses() {
        let Ok(expr) = &written.expr else { continue };
        if expr.matches_any(accepted) {
            continue;
        }
        let expected = ctx.expected_license();
        let from_file = ctx.licenses.iter().any(|l| std::ptr::eq(l, written));
        let span = if from_file { written.tag.range.clone() } else { ctx.scan.insert_at..ctx.scan.insert_at };
        let origin = ctx.external.filter(|_| !from_file).map(|e| format!(" (from {})", e.origin)).unwrap_or_default();
        let repair = match ctx.external.filter(|_| !from_file) {
            None => fix::relicense(&written.tag, expected),
            Some(e) => Fix::manual(format!("the license comes from {}; change it there", e.origin), 1),
        };
        out.push(
            Diagnostic::new(
                Code::LicenseMismatch,
                ctx.at(span),
                format!("{} code is licensed `{}`{origin}, expected `{expected}`", ctx.edition_name(), written.tag.text),
            )
            .with_label(format!("expected `{expected}`"))
            .with_edition(ctx.edition_name())
            .with_help(format!(
                "the file is {} by {}; change the identifier to `{expected}` (`corefence check --fix --relicense` does it), or assign the file to the edition whose license it carries",
                ctx.edition_name(),
                ctx.reason
            ))
            .with_fix(repair),
        );
    }
}
