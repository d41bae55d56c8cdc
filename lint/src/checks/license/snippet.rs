//! `license/snippet`: an item tagged `#[edition(X)]` in a file of another
//! edition must sit inside an `SPDX-SnippetBegin` … `SPDX-SnippetEnd` block
//! whose identifier is X's license; otherwise the file header puts the item
//! under the file's license. Malformed snippet markers are reported here too.

use std::path::Path;

use crate::checks::FileContext;
use crate::config::EditionId;
use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::license::comment::{self, CommentStyle};
use crate::license::fix;
use crate::license::snippet::SnippetErrorKind;
use crate::parse::tags::EditionTag;

/// Flags tagged items lacking their snippet, and unbalanced markers.
pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    if !ctx.header_required {
        return;
    }
    for err in &ctx.scan.snippet_errors {
        let (message, help) = match err.kind {
            SnippetErrorKind::UnmatchedEnd => (
                "`SPDX-SnippetEnd` without a matching `SPDX-SnippetBegin`",
                "remove it or add the missing begin marker",
            ),
            SnippetErrorKind::UnclosedBegin => {
                ("`SPDX-SnippetBegin` is never closed", "add `SPDX-SnippetEnd` after the snippet")
            }
            SnippetErrorKind::StrayLicense => (
                "this SPDX-License-Identifier belongs to no snippet and is not in the file header",
                "a snippet takes the first identifier after its begin marker; move or remove this one",
            ),
        };
        out.push(
            Diagnostic::new(Code::LicenseSnippet, ctx.at(err.range.clone()), message)
                .with_label("malformed snippet")
                .with_edition(ctx.edition_name())
                .with_help(help),
        );
    }
    for (tag, x) in uncovered(ctx) {
        let Ok(args) = &tag.args else { continue };
        let license = ctx.config.editions.get(x).map_or("", |e| e.license());
        let name = tag.item_name.as_deref().map(|n| format!(" `{n}`")).unwrap_or_default();
        out.push(
            Diagnostic::new(
                Code::LicenseSnippet,
                ctx.at(tag.attr_span.clone()),
                format!(
                    "{} item{name} sits in {} {} file without a `{license}` snippet",
                    args.edition,
                    if ctx.edition_name().starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" },
                    ctx.edition_name()
                ),
            )
            .with_label(format!("tagged {}", args.edition))
            .with_edition(ctx.edition_name())
            .with_target_edition(args.edition.clone())
            .with_help(format!(
                "wrap the item in `// SPDX-SnippetBegin` / `// SPDX-License-Identifier: {license}` … `// SPDX-SnippetEnd` (`corefence check --fix` adds them), or move it to a file of the {} edition",
                args.edition
            ))
            .with_fix(wrap(ctx, tag, license)),
        );
    }
}

/// The item of `tag` wrapped in snippet markers declaring `license`.
fn wrap(ctx: &FileContext<'_>, tag: &EditionTag, license: &str) -> Fix {
    let style = comment::style_for_path(Path::new(&ctx.source.path)).unwrap_or(CommentStyle::Rust);
    let edits = fix::wrap_in_snippet(ctx.source.text.as_bytes(), tag.item_span.clone(), license, style);
    let name = tag.item_name.as_deref().unwrap_or("item");
    let line = ctx.source.line_col(tag.item_span.start).line;
    Fix::safe(format!("wrapped `{name}` in a `{license}` snippet"), line, edits)
}

/// Tagged items of another edition that no snippet of their edition's
/// license encloses, with that edition (what `--fix` wraps in markers).
pub fn uncovered<'a>(ctx: &FileContext<'a>) -> Vec<(&'a EditionTag, EditionId)> {
    let Some(parsed) = ctx.parsed else { return Vec::new() };
    let mut found = Vec::new();
    for tag in &parsed.tags {
        let Ok(args) = &tag.args else { continue };
        let Some(x) = ctx.config.edition_named(&args.edition) else { continue };
        if x == ctx.edition {
            continue;
        }
        let accepted = ctx.accepted.get(x).map_or(&[][..], Vec::as_slice);
        // The innermost snippet with a license decides, and only if the whole
        // item lies in it.
        let covered = ctx
            .scan
            .snippet_at(tag.item_span.start)
            .into_iter()
            .find_map(|s| {
                let index = ctx.scan.snippets.iter().position(|t| std::ptr::eq(t, s));
                let license = ctx.snippet_licenses.iter().find(|(i, _)| Some(*i) == index).map(|(_, l)| l)?;
                Some((s, license))
            })
            .is_some_and(|(s, license)| {
                tag.item_span.end <= s.body.end && license.expr.as_ref().is_ok_and(|e| e.matches_any(accepted))
            });
        // Items nested in an uncovered item are covered by its snippet once added.
        let nested = found.iter().any(|(outer, _): &(&EditionTag, EditionId)| {
            outer.item_span.start <= tag.item_span.start && tag.item_span.end <= outer.item_span.end
        });
        if !covered && !nested {
            found.push((tag, x));
        }
    }
    found
}

/// A `SPDX-SnippetBegin` that never ends, met by `corefence export`: it
/// cannot tell where the snippet's code stops, so it exports nothing.
pub fn unclosed_in_export(at: crate::diagnostic::Location) -> Diagnostic {
    Diagnostic::new(
        Code::LicenseSnippet,
        at,
        "this `SPDX-SnippetBegin` never ends: the export cannot tell where its code stops",
    )
    .with_label("never closed")
    .with_help("close the snippet with `SPDX-SnippetEnd`; nothing was exported")
}
