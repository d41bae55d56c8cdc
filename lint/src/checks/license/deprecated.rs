//! `license/deprecated`: an expression that uses a deprecated SPDX id such
//! as `AGPL-3.0` (is it `-only` or `-or-later`?) or `GPL-2.0+`.

use crate::checks::FileContext;
use crate::diagnostic::{Code, Diagnostic};
use crate::license::expr::normalized_text;
use crate::license::fix;

/// Flags each deprecated id in the file's and its snippets' expressions.
pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let snippets = ctx.snippet_licenses.iter().map(|(_, l)| l);
    for written in ctx.licenses.iter().chain(snippets) {
        let Ok(expr) = &written.expr else { continue };
        for dep in expr.deprecated() {
            let start = written.tag.range.start + dep.range.start;
            let span = start..written.tag.range.start + dep.range.end;
            let help = match &dep.replacement {
                Some(r) => {
                    format!("write `{r}`, the id that says what `{}` meant (`corefence check --fix` does it)", dep.id)
                }
                None => format!("replace `{}` with the current SPDX id for the license", dep.id),
            };
            let d = Diagnostic::new(
                Code::LicenseDeprecated,
                ctx.at(span),
                format!("deprecated SPDX license id `{}`", dep.id),
            )
            .with_label("deprecated")
            .with_edition(ctx.edition_name())
            .with_help(help);
            // The whole expression in normal form: every deprecated id of it at once.
            out.push(match normalized_text(&written.tag.text) {
                Some(to) => d.with_fix(fix::normalize(&written.tag, &to)),
                None => d,
            });
        }
    }
}
