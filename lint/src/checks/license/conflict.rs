//! `license/conflict`: a file declares several different file-level
//! identifiers. Snippet identifiers never count here.
//!
//! `--fix --relicense` gives every identifier the edition's license: those
//! the edition does not accept are `license/mismatch` (or
//! `license/invalid`) findings, which relicense them; this check relicenses
//! the ones the edition accepts that are not its license (one edition may
//! accept `AGPL-3.0-only` and `MIT`), so no conflict is left.

use crate::checks::{FileContext, WrittenLicense};
use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::license::fix;

/// Flags each identifier that differs from the first one.
pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some((first, rest)) = ctx.licenses.split_first() else { return };
    let differs = |other: &&WrittenLicense| match (&first.expr, &other.expr) {
        (Ok(a), Ok(b)) => a != b,
        _ => first.tag.text != other.tag.text,
    };
    for (i, other) in rest.iter().filter(differs).enumerate() {
        // The first identifier is relicensed once, with the first conflict.
        let tags = [Some(other), (i == 0).then_some(first)];
        let edits: Vec<_> = tags.into_iter().flatten().filter(|w| accepted_elsewhere(ctx, w)).collect();
        out.push(
            Diagnostic::new(
                Code::LicenseConflict,
                ctx.at(other.tag.range.clone()),
                format!("`{}` declares a second, different license `{}`", ctx.source.path, other.tag.text),
            )
            .with_label("second identifier")
            .with_secondary(ctx.at(first.tag.range.clone()), "first identifier")
            .with_edition(ctx.edition_name())
            .with_help(format!(
                "keep one identifier; if the file is under both licenses write one expression (`{} AND {}`)",
                first.tag.text, other.tag.text
            ))
            .with_fix(relicense(ctx, &edits).unwrap_or_else(|| {
                Fix::manual(
                    format!(
                        "several license identifiers ({}); resolve the conflict by hand",
                        ctx.licenses.iter().map(|l| l.tag.text.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                    other.tag.line,
                )
            })),
        );
    }
}

/// An identifier the edition accepts that is not the edition's license:
/// no other check relicenses it.
fn accepted_elsewhere(ctx: &FileContext<'_>, written: &WrittenLicense) -> bool {
    // The edition's license is the first it accepts.
    let accepted = ctx.accepted.get(ctx.edition).map_or(&[][..], Vec::as_slice);
    let Ok(expr) = &written.expr else { return false };
    ctx.header_required
        && !ctx.third_party
        && expr.matches_any(accepted)
        && !expr.matches_any(accepted.get(..1).unwrap_or_default())
}

/// One relicensing of `tags` to the edition's license.
fn relicense(ctx: &FileContext<'_>, tags: &[&WrittenLicense]) -> Option<Fix> {
    let (first, rest) = tags.split_first()?;
    let mut repair = fix::relicense(&first.tag, ctx.expected_license());
    for more in rest {
        repair.edits.extend(fix::relicense(&more.tag, ctx.expected_license()).edits);
    }
    Some(repair)
}
