//! `license/conflict`: a file declares several different file-level
//! identifiers. Snippet identifiers never count here.

use crate::checks::FileContext;
use crate::diagnostic::{Code, Diagnostic, Fix};

/// Flags each identifier that differs from the first one.
pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some((first, rest)) = ctx.licenses.split_first() else { return };
    for other in rest {
        let same = match (&first.expr, &other.expr) {
            (Ok(a), Ok(b)) => a == b,
            _ => first.tag.text == other.tag.text,
        };
        if !same {
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
                .with_fix(Fix::manual(
                    format!(
                        "several license identifiers ({}); resolve the conflict by hand",
                        ctx.licenses.iter().map(|l| l.tag.text.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                    other.tag.line,
                )),
            );
        }
    }
}
