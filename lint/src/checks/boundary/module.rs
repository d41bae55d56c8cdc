//! `boundary/module`: a module of edition A pulls in a file of an edition A
//! may not use with `mod x;`, `#[path = ".."] mod x;` or `include!("..")`,
//! or a crate of edition A names such a file in its Cargo.toml as a target
//! (`[lib] path`, `[[bin]] path`, ..) or its build script (`build = ".."`).
//! The file then compiles as part of A's code, whatever its own edition.
//! A declaration gated by a feature mapped to the file's edition is fine.
//! A path that leaves the workspace (above its root, or absolute) is a
//! warning: the file it reads cannot be checked.

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::edition::EditionMap;
use crate::index::modtree::{Inputs, Pull};

use super::Trees;
use crate::workspace::Workspace;

/// Whether a `mod` or `include!` pulls in a file its declarer's build may
/// not have: of an edition the declarer's may not use, in a build the
/// declaration's gate does not restrict to that edition.
pub fn crosses(inputs: &Inputs<'_>, pull: &Pull) -> bool {
    !inputs.allowed(pull.from, pull.gate, pull.to)
}

/// Flags every `mod` and `include!` that crosses, and every path that
/// leaves the workspace.
pub fn check(trees: &Trees<'_, '_>) -> Vec<Diagnostic> {
    let Trees { inputs, tree, sources, .. } = *trees;
    let mut out = Vec::new();
    for f in tree.pulls.iter().filter(|p| crosses(inputs, p)) {
        let Some(data) = inputs.files.get(f.file) else { continue };
        let (from, to) = (inputs.config.name(f.from), inputs.config.name(f.to));
        let how = match (f.include, f.embeds) {
            (_, true) => "embeds",
            (true, false) => "includes",
            (false, false) => "declares",
        };
        let pulled = if f.embeds {
            format!("puts the {to} file's contents into the {from} edition")
        } else {
            format!("pulls {to} code into the {from} edition")
        };
        let target = sources.get(&f.target);
        let gate = inputs.config.mapped_feature(f.to).map_or_else(
            || format!("map a Cargo feature to the {to} edition in corefence.toml and gate the declaration with it"),
            |f| format!("gate the declaration with `#[cfg(feature = \"{f}\")]`"),
        );
        if let Some(cfg) = &f.custom_cfg {
            out.push(
                Diagnostic::new(
                    Code::BoundaryModule,
                    sources.at(&data.rel, f.span.clone()),
                    format!(
                        "{from} module {how} {to} file `{}` under `cfg({cfg})`, which no Cargo feature sets: whether the {from} build has it cannot be known without running the build script",
                        f.target
                    ),
                )
                .with_severity(crate::diagnostic::Severity::Warning)
                .with_label(format!("`{cfg}` is set outside Cargo's features"))
                .with_secondary(crate::diagnostic::Location::file_start(&target), format!("{to} file"))
                .with_edition(from)
                .with_target_edition(to)
                .with_symbol(f.target.clone())
                .with_help(format!("{gate} as well (a build script's cfg alias hides the edition's build from corefence), and check the export with `corefence export --check`")),
            );
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::BoundaryModule,
                sources.at(&data.rel, f.span.clone()),
                format!("{from} module {how} {to} file `{}`", f.target),
            )
            .with_label(pulled)
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

/// The target and build script files each crate's Cargo.toml names that
/// belong to an edition the crate may not use: the crate's build reads them.
pub fn target_files(config: &Config, ws: &Workspace, editions: &EditionMap) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (index, c) in ws.crates.iter().enumerate() {
        if !c.dir.is_empty() && config.is_third_party(&c.dir) {
            continue;
        }
        let (from, _) = editions.crate_edition(index);
        for field in &c.info.file_fields {
            let Some(rel) = crate::workspace::join(&c.dir, &field.value) else { continue };
            let (to, _) = editions.file_edition(config, ws, &rel);
            if to == from || config.may_use(from, to) {
                continue;
            }
            // A target whose `required-features` turn on that edition is
            // built only in builds that may use the file.
            let required = c.targets.iter().filter(|t| t.root == rel).flat_map(|t| &t.required_features);
            if required.filter_map(|f| editions.feature_edition(config, Some(index), f)).any(|e| config.may_use(e, to))
            {
                continue;
            }
            let (from_name, to_name) = (config.name(from), config.name(to));
            let what = if c.info.build.as_deref() == Some(field.value.as_str()) { "build script" } else { "target" };
            out.push(
                Diagnostic::new(
                    Code::BoundaryModule,
                    Location::new(&c.manifest, field.span.clone()),
                    format!("{from_name} crate `{}` builds {to_name} file `{rel}` as its {what}", c.name),
                )
                .with_label(format!("pulls {to_name} code into the {from_name} edition"))
                .with_edition(from_name)
                .with_target_edition(to_name)
                .with_symbol(rel.clone())
                .with_help(format!(
                    "move the {what} into a crate of the {to_name} edition, or move `{rel}` out of the {to_name} paths if it is {from_name} code"
                )),
            );
        }
    }
    out
}
