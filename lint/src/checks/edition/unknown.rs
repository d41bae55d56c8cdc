//! `edition/unknown`: an `#[edition(..)]` tag or a crate's
//! `[package.metadata.corefence] edition` names an edition the configuration
//! does not define. (`corefence.toml` entries naming one are configuration
//! errors with this code, reported by [`crate::config`] as it loads.)

use std::sync::Arc;

use crate::checks::FileContext;
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::workspace::Workspace;

/// Flags tags naming an undefined edition.
pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some(parsed) = ctx.parsed else { return };
    for tag in &parsed.tags {
        let Ok(args) = &tag.args else { continue };
        if ctx.config.edition_named(&args.edition).is_none() {
            out.push(
                unknown(
                    ctx.config,
                    &args.edition,
                    ctx.at(args.name_span.clone()),
                    format!("unknown edition `{}`", args.edition),
                )
                .with_edition(ctx.edition_name()),
            );
        }
    }
}

/// Flags crates whose metadata names an undefined edition (they fall back
/// to their assignment, path or the default edition).
pub fn crates(config: &Config, ws: &Workspace) -> Vec<Diagnostic> {
    ws.crates
        .iter()
        .filter_map(|c| {
            let e = c.info.metadata_edition.as_ref().filter(|e| config.edition_named(&e.value).is_none())?;
            let at = Location::new(&Arc::clone(&c.manifest), e.span.clone());
            Some(unknown(config, &e.value, at, format!("crate `{}` names unknown edition `{}`", c.name, e.value)))
        })
        .collect()
}

fn unknown(config: &Config, name: &str, at: Location, message: String) -> Diagnostic {
    let names = config.editions.iter().map(|e| e.name.as_str());
    let hint = crate::suggest::did_you_mean(name, names.clone());
    let help =
        if hint.is_empty() { format!("defined editions: {}", names.collect::<Vec<_>>().join(", ")) } else { hint };
    Diagnostic::new(Code::EditionUnknown, at, message).with_label("not defined in corefence.toml").with_help(help)
}
