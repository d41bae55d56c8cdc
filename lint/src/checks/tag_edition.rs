//! `edition/invalid` and `edition/unknown` on `#[edition(..)]` tags: the
//! arguments must be what the macro accepts, and the edition must be defined
//! in the configuration.

use super::FileContext;
use crate::diagnostic::{Code, Diagnostic};

/// Flags malformed tags and tags naming an undefined edition.
pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some(parsed) = ctx.parsed else { return };
    for tag in &parsed.tags {
        match &tag.args {
            Err(err) => out.push(
                Diagnostic::new(Code::EditionInvalid, ctx.at(err.span.clone()), err.message.clone())
                    .with_label("malformed `#[edition(..)]` argument")
                    .with_help("write `#[edition(NAME)]` or `#[edition(NAME, feature = \"F\")]` (`corefence explain edition/invalid`)"),
            ),
            Ok(args) if ctx.config.edition_named(&args.edition).is_none() => {
                let names = ctx.config.editions.iter().map(|e| e.name.as_str());
                let hint = crate::suggest::did_you_mean(&args.edition, names.clone());
                let help = if hint.is_empty() {
                    format!("defined editions: {}", names.collect::<Vec<_>>().join(", "))
                } else {
                    hint
                };
                out.push(
                    Diagnostic::new(Code::EditionUnknown, ctx.at(args.name_span.clone()), format!("unknown edition `{}`", args.edition))
                        .with_label("not defined in corefence.toml")
                        .with_edition(ctx.edition_name())
                        .with_help(help),
                );
            }
            Ok(_) => {}
        }
    }
}
