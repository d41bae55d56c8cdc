//! `edition/invalid`: the arguments of an `#[edition(..)]` tag must be what
//! the macro accepts.

use crate::checks::FileContext;
use crate::diagnostic::{Code, Diagnostic};

/// Flags malformed tags.
pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some(parsed) = ctx.parsed else { return };
    for tag in &parsed.tags {
        if let Err(err) = &tag.args {
            out.push(
                Diagnostic::new(Code::EditionInvalid, ctx.at(err.span.clone()), err.message.clone())
                    .with_label("malformed `#[edition(..)]` argument")
                    .with_help("write `#[edition(NAME)]` or `#[edition(NAME, feature = \"F\")]` (`corefence explain edition/invalid`)"),
            );
        }
    }
}
