//! `boundary/module`: a module of edition A pulls in a file of an edition A
//! may not use with `mod x;`, `#[path = ".."] mod x;` or `include!("..")`.
//! The file then compiles as part of A's code, whatever its own edition.
//! A declaration gated by a feature mapped to the file's edition is fine.
//! A path that leaves the workspace (above its root, or absolute) is a
//! warning: the file it reads cannot be checked.

use crate::diagnostic::{Code, Diagnostic};
use crate::index::modtree::{Inputs, ModTree};
use crate::index::Sources;

/// Turns the module tree's findings into diagnostics.
pub fn check(inputs: &Inputs<'_>, tree: &ModTree, sources: &Sources) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for f in &tree.findings {
        let Some(data) = inputs.files.get(f.file) else { continue };
        let (from, to) = (inputs.config.name(f.from), inputs.config.name(f.to));
        let how = if f.include { "includes" } else { "declares" };
        let target = sources.get(&f.target);
        let feature = inputs
            .config
            .editions
            .iter()
            .enumerate()
            .filter(|(id, _)| *id == f.to || inputs.config.may_use(*id, f.to))
            .find_map(|(_, e)| e.features.first().cloned());
        let gate = feature.map_or_else(
            || format!("map a Cargo feature to the {to} edition in corefence.toml and gate the declaration with it"),
            |f| format!("gate the declaration with `#[cfg(feature = \"{f}\")]`"),
        );
        out.push(
            Diagnostic::new(
                Code::BoundaryModule,
                sources.at(&data.rel, f.span.clone()),
                format!("{from} module {how} {to} file `{}`", f.target),
            )
            .with_label(format!("pulls {to} code into the {from} edition"))
            .with_secondary(crate::diagnostic::Location::file_start(&target), format!("{to} file"))
            .with_edition(from)
            .with_target_edition(to)
            .with_symbol(f.target.clone())
            .with_help(format!(
                "{gate}, move the declaration into {to} code, or move the file out of the {to} paths if it is {from} code"
            )),
        );
    }
    for o in &tree.outside {
        let Some(data) = inputs.files.get(o.file) else { continue };
        let what = if o.include { "`include!`" } else { "`mod`" };
        out.push(
            Diagnostic::new(
                Code::BoundaryModule,
                sources.at(&data.rel, o.span.clone()),
                format!("{what} reads `{}`, outside the workspace: corefence cannot check that file", o.written),
            )
            .with_severity(crate::diagnostic::Severity::Warning)
            .with_label("leaves the workspace")
            .with_help("keep module files inside the workspace, where their edition and license are checked"),
        );
    }
    out
}
