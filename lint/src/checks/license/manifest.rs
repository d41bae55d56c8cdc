//! `license/manifest`: each crate's Cargo.toml `license` (followed through
//! `license.workspace = true`) must be its edition's license. crates.io and
//! SBOM tools read the manifest, not the headers. A crate without any license
//! is reported only when it can be published; `license-file` is accepted for
//! editions whose license is a `LicenseRef-` (a commercial text has no SPDX id).
//! `[headers] manifests = false` switches the check off.

use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Edit, Fix, Location};
use crate::edition::EditionMap;
use crate::license::expr::LicenseExpr;
use crate::workspace::Workspace;

/// Checks every crate's manifest license.
pub fn check(config: &Config, ws: &Workspace, editions: &EditionMap, accepted: &[Vec<LicenseExpr>]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !config.headers.manifests {
        return out;
    }
    for (index, c) in ws.crates.iter().enumerate() {
        if config.is_third_party(&c.dir) && !c.dir.is_empty() {
            continue;
        }
        let (edition, reason) = editions.crate_edition(index);
        let name = config.name(edition);
        let expected = config.editions.get(edition).map_or("", |e| e.license());
        let ok_for = |text: &str| {
            LicenseExpr::parse(text).is_ok_and(|e| e.matches_any(accepted.get(edition).map_or(&[][..], Vec::as_slice)))
        };
        let help = format!("crate `{}` is {name} by {reason}: set `license = \"{expected}\"`", c.name);
        let manifest = &c.manifest;
        if let Some(license) = &c.info.license {
            if let Err(err) = LicenseExpr::parse(&license.value) {
                out.push(
                    crate::checks::license::invalid::manifest(manifest, license, &c.name, &err)
                        .with_edition(name)
                        .with_help(err.suggestion.clone().map_or(help.clone(), |s| format!("did you mean `{s}`?"))),
                );
            } else if !ok_for(&license.value) {
                out.push(
                    mismatch(manifest, license.span.clone(), &c.name, &license.value, expected, name)
                        .with_help(help.clone()),
                );
            }
        } else if let Some(inherited) = &c.info.license_inherited {
            match ws.inherited_license(c) {
                Some((root, value)) if !ok_for(&value.value) => out.push(
                    mismatch(manifest, inherited.clone(), &c.name, &value.value, expected, name)
                        .with_secondary(Location::new(root, value.span.clone()), "inherited from here")
                        .with_help(format!("{help} in this manifest instead of inheriting the workspace's license")),
                ),
                Some(_) => {}
                None => out.push(
                    Diagnostic::new(
                        Code::LicenseManifest,
                        Location::new(manifest, inherited.clone()),
                        format!("crate `{}` inherits a license the workspace does not define", c.name),
                    )
                    .with_label("no [workspace.package] license")
                    .with_edition(name)
                    .with_help(help.clone()),
                ),
            }
        } else if let Some(file) = &c.info.license_file {
            if !expected.starts_with("LicenseRef-") {
                out.push(
                    Diagnostic::new(
                        Code::LicenseManifest,
                        Location::new(manifest, file.span.clone()),
                        format!(
                            "crate `{}` names only a license file, but its edition's license is `{expected}`",
                            c.name
                        ),
                    )
                    .with_label("license-file instead of license")
                    .with_edition(name)
                    .with_help(help.clone()),
                );
            }
        } else if c.info.publishable {
            let span = c.info.name.as_ref().map_or(0..0, |n| n.span.clone());
            out.push(
                Diagnostic::new(
                    Code::LicenseManifest,
                    Location::new(manifest, span),
                    format!("crate `{}` has no license", c.name),
                )
                .with_label("publishable crate without `license`")
                .with_edition(name)
                .with_help(format!(
                    "{help} (`corefence check --fix` sets it), or `publish = false` if it is never published"
                ))
                .with_fix(set_license(manifest, c.info.name.as_ref().map(|n| n.span.end), expected)),
            );
        }
    }
    out
}

/// `license = ".."` on the line after the one `name` ends on.
fn set_license(manifest: &crate::diagnostic::SourceFile, name_end: Option<usize>, license: &str) -> Fix {
    let value = crate::config::init::toml_string(license);
    let Some(name_end) = name_end else {
        return Fix::manual(format!("add `license = {value}` under [package] by hand"), 1);
    };
    let text = manifest.text.as_str();
    let line_end = text.get(name_end..).and_then(|rest| rest.find('\n')).map_or(text.len(), |i| name_end + i + 1);
    let head = text.get(..line_end).unwrap_or(text);
    let eol = if head.ends_with("\r\n") { "\r\n" } else { "\n" };
    let prefix = if line_end == text.len() && !text.ends_with('\n') { eol } else { "" };
    let line = manifest.line_col(name_end).line + 1;
    Fix::safe(
        format!("set `license = {value}`"),
        line,
        vec![Edit::insert(line_end, format!("{prefix}license = {value}{eol}"))],
    )
}

fn mismatch(
    manifest: &Arc<crate::diagnostic::SourceFile>,
    span: std::ops::Range<usize>,
    crate_name: &str,
    found: &str,
    expected: &str,
    edition: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::LicenseManifest,
        Location::new(manifest, span),
        format!("{edition} crate `{crate_name}` is licensed `{found}`, expected `{expected}`"),
    )
    .with_label(format!("expected `{expected}`"))
    .with_edition(edition)
}
