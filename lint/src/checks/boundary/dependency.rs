//! `boundary/dependency`: a crate depends, in its Cargo.toml, on a workspace
//! crate of an edition it may not use. Such a dependency makes the lower
//! edition unbuildable (or unpublishable) without the higher one, even when no
//! code uses it yet.
//!
//! A dependency on a crate the edition may use still crosses when its line
//! turns on one of that crate's features mapped to a higher edition
//! (`features = ["enterprise"]`, here or in the `[workspace.dependencies]`
//! entry it inherits): the lower edition's build has no such feature.
//!
//! An optional dependency is fine when every feature that switches it on is
//! itself mapped to an edition allowed to use it: the lower edition's build
//! never enables those features. A feature that merely enables a mapped
//! feature (`full = ["enterprise"]`) is as clean as the mapped one, except
//! `default`, which every plain build enables.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::{Config, EditionId};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::edition::EditionMap;
use crate::workspace::manifest::{DepKind, Dependency, Feature, Manifest};
use crate::workspace::{Crate, Workspace};

/// Checks every dependency of every crate.
pub fn check(config: &Config, ws: &Workspace, editions: &EditionMap) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (index, c) in ws.crates.iter().enumerate() {
        // Vendored code may use only community code, but its manifests are
        // upstream's: nothing to fix there.
        if !c.dir.is_empty() && config.is_third_party(&c.dir) {
            continue;
        }
        let (from, _) = editions.crate_edition(index);
        // A crate only an edition's build has may use what that edition may.
        let built_in = config.build_only_edition(&c.name);
        let may_use = |to: EditionId| {
            to == from || config.may_use(from, to) || built_in.is_some_and(|b| b == to || config.may_use(b, to))
        };
        for dep in &c.info.dependencies {
            if dep.kind == DepKind::Dev && !config.deny_dev_dependencies {
                continue;
            }
            let Some(target_index) = ws.dependency_crate(c, dep) else { continue };
            let Some(target) = ws.crates.get(target_index) else { continue };
            let (to, _) = editions.crate_edition(target_index);
            if may_use(to) {
                out.extend(higher_features(config, ws, editions, (c, from, &may_use), dep, (target, target_index)));
                continue;
            }
            let enabling = if dep.optional {
                offending_features(config, editions, (index, &c.info, from), dep, to)
            } else {
                Vec::new()
            };
            if dep.optional && enabling.is_empty() {
                continue;
            }
            let (from_name, to_name) = (config.name(from), config.name(to));
            let mut d = Diagnostic::new(
                Code::BoundaryDependency,
                Location::new(&c.manifest, dep.span.clone()),
                format!(
                    "{from_name} crate `{}` depends on {to_name} crate `{}`{}",
                    c.name,
                    target.name,
                    if dep.kind == DepKind::Normal { String::new() } else { format!(" ({})", dep.kind.table()) }
                ),
            )
            .with_label(format!("{to_name} dependency"))
            .with_edition(from_name)
            .with_target_edition(to_name)
            .with_symbol(target.name.clone())
            .with_help(help(config, dep, to, &target.name));
            for feature in &enabling {
                let text = if feature.span == dep.span {
                    format!(
                        "Cargo's implicit feature `{}` switches it on (no `dep:{}` in [features])",
                        dep.key, dep.key
                    )
                } else {
                    format!("feature `{}` switches it on and is not mapped to the {to_name} edition", feature.name)
                };
                d = d.with_secondary(Location::new(&c.manifest, feature.span.clone()), text);
            }
            out.push(d);
        }
    }
    out
}

/// The findings for the features of `target` that `dep` turns on and that
/// belong to an edition `from` may not use.
fn higher_features(
    config: &Config,
    ws: &Workspace,
    editions: &EditionMap,
    (c, from, may_use): (&Crate, EditionId, &dyn Fn(EditionId) -> bool),
    dep: &Dependency,
    (target, target_index): (&Crate, usize),
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for feature in ws.dependency_features(c, dep) {
        let Some(to) = editions.feature_edition(config, Some(target_index), &feature.value) else { continue };
        if may_use(to) {
            continue;
        }
        let (from_name, to_name) = (config.name(from), config.name(to));
        let own_line = dep.features.contains(feature);
        let mut d = Diagnostic::new(
            Code::BoundaryDependency,
            Location::new(&c.manifest, dep.span.clone()),
            format!(
                "{from_name} crate `{}` turns on feature `{}` of `{}`, which belongs to the {to_name} edition",
                c.name, feature.value, target.name
            ),
        )
        .with_label(format!("turns on the {to_name} feature `{}`", feature.value))
        .with_edition(from_name)
        .with_target_edition(to_name)
        .with_symbol(format!("{}/{}", target.name, feature.value))
        .with_help(match config.editions.get(to).and_then(|e| e.features.first()) {
            Some(mapped) => format!(
                "turn it on only from `{}`'s `{mapped}` feature (`{mapped} = [\"{}/{}\"]`), which corefence.toml maps to the {to_name} edition; or stop turning it on",
                c.name, dep.key, feature.value
            ),
            None => format!(
                "stop turning it on, or map a Cargo feature to the {to_name} edition in corefence.toml and turn it on from there (`feature = [\"{}/{}\"]`)",
                dep.key, feature.value
            ),
        });
        if own_line {
            d = d.with_secondary(Location::new(&c.manifest, feature.span.clone()), "turned on here");
        } else if let Some((root, _)) = ws.inherited(c, dep) {
            let at = Location::new(&root.manifest, feature.span.clone());
            d = d.with_secondary(at, "turned on by `[workspace.dependencies]`");
        }
        out.push(d);
    }
    out
}

fn help(config: &Config, dep: &Dependency, to: EditionId, target: &str) -> String {
    let to_name = config.name(to);
    match config.mapped_feature(to) {
        Some(feature) if dep.optional => format!(
            "switch it on only from the `{feature}` feature (`{feature} = [\"dep:{}\"]`), which corefence.toml maps to the {to_name} edition, and from features that enable `{feature}`; or remove the dependency on `{target}`",
            dep.key
        ),
        Some(feature) => format!(
            "make it optional (`{} = {{ .., optional = true }}`) and enable it only from the `{feature}` feature (`{feature} = [\"dep:{}\"]`), which corefence.toml maps to the {to_name} edition; or remove the dependency on `{target}`",
            dep.key, dep.key
        ),
        None => format!(
            "remove the dependency on `{target}`, or map a Cargo feature to the {to_name} edition (`features = [..]` in corefence.toml) and enable the dependency only from it"
        ),
    }
}

/// The features that switch `dep` on without being mapped to an edition that
/// may use `to` (directly, through other features, or implicitly).
/// A feature that turns on a mapped feature counts as mapped; `default`
/// never does, but the build of an edition with `default-features = false`
/// does not have it at all.
fn offending_features(
    config: &Config,
    editions: &EditionMap,
    (index, m, from): (usize, &Manifest, EditionId),
    dep: &Dependency,
    to: EditionId,
) -> Vec<Feature> {
    let mapped_ok = |name: &str| {
        name != "default"
            && editions.feature_edition(config, Some(index), name).is_some_and(|e| e == to || config.may_use(e, to))
    };
    let without_default = config.editions.get(from).is_some_and(|e| !e.default_features);
    // Cargo creates a feature named after an optional dependency unless some
    // feature names it with `dep:`.
    let implicit = !m.features.iter().flat_map(|f| &f.enables).any(|v| v.strip_prefix("dep:") == Some(&dep.key));
    let by_name: BTreeMap<&str, &Feature> = m.features.iter().map(|f| (f.name.as_str(), f)).collect();
    let enables_directly = |f: &Feature| {
        f.enables.iter().any(|v| {
            v.strip_prefix("dep:") == Some(dep.key.as_str())
                // `x/feat` switches the dependency on; `x?/feat` does not.
                || v.split_once('/').is_some_and(|(d, _)| d == dep.key)
                // A bare name is the implicit feature of an optional dependency
                // unless `dep:` syntax hid it.
                || (v == &dep.key && implicit && !by_name.contains_key(v.as_str()))
        })
    };
    let mut out: Vec<Feature> = Vec::new();
    for f in m.features.iter().filter(|f| !(without_default && f.name == "default")) {
        let mut seen = BTreeSet::new();
        if !mapped_ok(&f.name) && reaches(f, &by_name, &enables_directly, &mapped_ok, f.name == "default", &mut seen) {
            out.push(f.clone());
        }
    }
    if implicit && !by_name.contains_key(dep.key.as_str()) && !mapped_ok(&dep.key) {
        // The implicit feature has no line of its own: point at the dependency.
        out.push(Feature { name: dep.key.clone(), enables: Vec::new(), span: dep.span.clone() });
    }
    out
}

/// Whether feature `f` switches the dependency on. Through a mapped feature
/// it does not count, except from `default` (`through_mapped`).
fn reaches<'m>(
    f: &'m Feature,
    by_name: &BTreeMap<&str, &'m Feature>,
    enables_directly: &dyn Fn(&Feature) -> bool,
    mapped_ok: &dyn Fn(&str) -> bool,
    through_mapped: bool,
    seen: &mut BTreeSet<&'m str>,
) -> bool {
    if !seen.insert(f.name.as_str()) {
        return false;
    }
    if enables_directly(f) {
        return true;
    }
    f.enables.iter().filter_map(|v| by_name.get(v.as_str())).any(|next| {
        (through_mapped || !mapped_ok(&next.name))
            && reaches(next, by_name, enables_directly, mapped_ok, through_mapped, seen)
    })
}

#[cfg(test)]
mod tests {
    use crate::engine::{run, Options};

    /// The boundary/dependency findings of a two-crate workspace.
    fn findings(boundary: &str, app_deps: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| crate::testing::write(root, rel, text);
        write(
            "corefence.toml",
            &format!(
                "default = \"community\"\n[editions.community]\nlicense = \"MIT\"\n[editions.enterprise]\nlicense = \"LicenseRef-E\"\nuses = [\"community\"]\nfeatures = [\"enterprise\"]\n[[assign]]\ncrates = [\"acme-ee\"]\nedition = \"enterprise\"\n[headers]\ninclude = []\n{boundary}"
            ),
        );
        write("Cargo.toml", "[workspace]\nmembers = [\"app\", \"ee\"]\n");
        write("ee/Cargo.toml", "[package]\nname = \"acme-ee\"\nversion = \"0.1.0\"\npublish = false\n");
        write("ee/src/lib.rs", "");
        write(
            "app/Cargo.toml",
            &format!("[package]\nname = \"app\"\nversion = \"0.1.0\"\npublish = false\n{app_deps}"),
        );
        write("app/src/lib.rs", "");
        dependency_findings(root)
    }

    /// `path:line message` of each boundary/dependency finding of the workspace at `root`.
    fn dependency_findings(root: &std::path::Path) -> Vec<String> {
        let outcome = run(&Options { start: root.to_path_buf(), jobs: 1, ..Options::default() }).unwrap();
        outcome
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "boundary/dependency")
            .map(|d| format!("{}:{} {}", d.location.path(), d.location.start().line, d.message))
            .collect()
    }

    #[test]
    fn dev_dependencies_are_denied_unless_allowed() {
        let deps = "[dev-dependencies]\nacme-ee = { path = \"../ee\" }\n";
        assert_eq!(
            findings("", deps),
            ["app/Cargo.toml:6 community crate `app` depends on enterprise crate `acme-ee` (dev-dependencies)"]
        );
        assert!(findings("[boundary]\ndev-dependencies = \"allow\"\n", deps).is_empty());
    }

    #[test]
    fn turning_on_a_mapped_feature_of_an_allowed_crate_crosses() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| crate::testing::write(root, rel, text);
        write(
            "corefence.toml",
            "default = \"community\"\n[editions.community]\nlicense = \"MIT\"\n[editions.enterprise]\nlicense = \"LicenseRef-E\"\nuses = [\"community\"]\nfeatures = [\"sso\"]\n[headers]\ninclude = []\n",
        );
        write("Cargo.toml", "[workspace]\nmembers = [\"app\", \"core\"]\n[workspace.dependencies]\ncore = { path = \"core\", features = [\"full\"] }\n");
        // `full` turns on the mapped `sso`: it is as enterprise as `sso`.
        write(
            "core/Cargo.toml",
            "[package]\nname = \"core\"\nversion = \"0.1.0\"\n[features]\nsso = []\nfull = [\"sso\"]\nfast = []\n",
        );
        write("core/src/lib.rs", "");
        let app = |deps: &str| {
            write(
                "app/Cargo.toml",
                &format!("[package]\nname = \"app\"\nversion = \"0.1.0\"\n[dependencies]\n{deps}\n"),
            );
            write("app/src/lib.rs", "");
            dependency_findings(root)
        };
        assert_eq!(
            app("core = { path = \"../core\", features = [\"fast\", \"sso\"] }"),
            ["app/Cargo.toml:5 community crate `app` turns on feature `sso` of `core`, which belongs to the enterprise edition"]
        );
        assert!(app("core = { path = \"../core\", features = [\"fast\"] }").is_empty());
        // Inherited from `[workspace.dependencies]`, through `full`.
        assert_eq!(
            app("core.workspace = true"),
            ["app/Cargo.toml:5 community crate `app` turns on feature `full` of `core`, which belongs to the enterprise edition"]
        );
    }

    #[test]
    fn an_implicit_feature_is_a_way_in_even_when_a_mapped_feature_uses_it() {
        let deps = "[dependencies]\nacme-ee = { path = \"../ee\", optional = true }\n[features]\nfull = [\"enterprise\"]\nenterprise = [\"acme-ee\"]\n";
        // Without `dep:acme-ee`, Cargo also creates a feature `acme-ee` that
        // anyone can switch on.
        assert_eq!(
            findings("", deps),
            ["app/Cargo.toml:6 community crate `app` depends on enterprise crate `acme-ee`"]
        );
        let explicit = deps.replace("[\"acme-ee\"]", "[\"dep:acme-ee\"]");
        assert!(findings("", &explicit).is_empty());
    }

    /// The findings of a community crate whose `[features]` are `features`,
    /// with `community` added to the community edition's table.
    fn feature_findings(community: &str, features: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| crate::testing::write(root, rel, text);
        write(
            "corefence.toml",
            &format!("default = \"community\"\n[editions.community]\nlicense = \"MIT\"\n{community}\n[editions.enterprise]\nlicense = \"LicenseRef-E\"\nuses = [\"community\"]\nfeatures = [\"ee\"]\n[[assign]]\npaths = [\"ee/**\"]\nedition = \"enterprise\"\n[headers]\ninclude = []\n"),
        );
        write("Cargo.toml", "[workspace]\nmembers = [\"app\", \"ee\"]\n");
        write(
            "ee/Cargo.toml",
            "[package]\nname = \"acme-ee\"\nversion = \"0.1.0\"\npublish = false\n[features]\nprod = []\n",
        );
        write("ee/src/lib.rs", "");
        write(
            "app/Cargo.toml",
            &format!("[package]\nname = \"app\"\nversion = \"0.1.0\"\npublish = false\n[features]\n{features}\n[dependencies]\nacme-ee = {{ path = \"../ee\", optional = true }}\n"),
        );
        write("app/src/lib.rs", "");
        dependency_findings(root)
    }

    #[test]
    fn a_feature_that_turns_on_a_mapped_feature_is_mapped_even_when_it_does_more() {
        // `prod` is on only where `ee` is: the community build has neither.
        assert!(feature_findings("", "ee = [\"dep:acme-ee\"]\nprod = [\"ee\", \"acme-ee/prod\"]").is_empty());
        // Without `ee`, `prod` alone switches the dependency on.
        assert_eq!(
            feature_findings("", "ee = [\"dep:acme-ee\"]\nprod = [\"acme-ee/prod\"]"),
            ["app/Cargo.toml:9 community crate `app` depends on enterprise crate `acme-ee`"]
        );
    }

    #[test]
    fn default_may_turn_on_enterprise_code_when_the_edition_is_built_without_default_features() {
        let features = "default = [\"ee\"]\nee = [\"dep:acme-ee\"]";
        assert_eq!(
            feature_findings("", features),
            ["app/Cargo.toml:9 community crate `app` depends on enterprise crate `acme-ee`"]
        );
        assert!(feature_findings("default-features = false", features).is_empty());
        // The switch is about `default` only.
        let other = "default = [\"ee\"]\nee = [\"dep:acme-ee\"]\nall = [\"dep:acme-ee\"]";
        assert_eq!(
            feature_findings("default-features = false", other),
            ["app/Cargo.toml:10 community crate `app` depends on enterprise crate `acme-ee`"]
        );
    }
}
