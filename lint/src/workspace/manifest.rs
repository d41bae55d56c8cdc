//! What corefence reads from a Cargo.toml, with spans so findings can point at
//! the right line.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A string value and where it is in the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The value.
    pub value: String,
    /// Its byte span (of the value, quotes included).
    pub span: Range<usize>,
}

/// The parts of one Cargo.toml that corefence needs.
#[derive(Debug, Clone, Default)]
#[allow(clippy::struct_excessive_bools)] // Cargo's own switches, as written
pub struct Manifest {
    /// `package.name`.
    pub name: Option<Field>,
    /// Whether the package has a `[package]` table at all (a virtual
    /// workspace manifest has not).
    pub is_package: bool,
    /// `package.publish` is not `false` (nor an empty registry list).
    pub publishable: bool,
    /// `package.license`, or the workspace's when `license.workspace = true`.
    pub license: Option<Field>,
    /// `license.workspace = true` (the span is of that key in this manifest).
    pub license_inherited: Option<Range<usize>>,
    /// `package.license-file`.
    pub license_file: Option<Field>,
    /// `[package.metadata.corefence] edition`.
    pub metadata_edition: Option<Field>,
    /// `[workspace.package] license` (in a workspace root manifest).
    pub workspace_license: Option<Field>,
    /// The manifest has a `[workspace]` table: it is a workspace root.
    pub is_workspace: bool,
    /// Explicit `[lib] path`.
    pub lib_path: Option<String>,
    /// Explicit `[lib] name`.
    pub lib_name: Option<String>,
    /// Explicit `[[bin]] path`s (and `[[test]]`, `[[example]]`, `[[bench]]`).
    pub target_paths: Vec<(TargetKindName, String, String)>,
    /// `[[bin]]`-style tables that name a target without a `path`: cargo
    /// finds their file by the name.
    pub named_targets: Vec<(TargetKindName, String)>,
    /// `required-features` of `[[bin]]`-style targets, by kind and name:
    /// cargo builds the target only with those features on.
    pub required_features: Vec<(TargetKindName, String, Vec<String>)>,
    /// Target kinds cargo discovers by folder (`autobins = false` and the
    /// like switch one off): bin, example, test, bench.
    pub auto_targets: [bool; 4],
    /// `package.build` when it names a script.
    pub build: Option<String>,
    /// Every file the manifest names for a target or build script (`[lib]`
    /// and `[[bin]]`-style `path`s, `package.build`), relative to its folder,
    /// with the span where it is written.
    pub file_fields: Vec<Field>,
    /// `package.build = false`: no build script, even with a `build.rs`.
    pub build_disabled: bool,
    /// Every dependency, from every dependency table (target-specific ones included).
    pub dependencies: Vec<Dependency>,
    /// `[features]`, in file order.
    pub features: Vec<Feature>,
    /// `[workspace.dependencies]` (in a workspace root manifest).
    pub workspace_dependencies: Vec<WorkspaceDependency>,
}

/// One `[workspace.dependencies]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceDependency {
    /// The key members inherit it by.
    pub key: String,
    /// The package: `package = ".."`, or the key.
    pub package: String,
    /// `path = ".."`, relative to the root manifest's folder.
    pub path: Option<String>,
    /// `features = [..]`: turned on for every member that inherits it.
    pub features: Vec<Field>,
}

/// Which table a dependency is declared in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepKind {
    /// `[dependencies]`.
    Normal,
    /// `[build-dependencies]`.
    Build,
    /// `[dev-dependencies]`.
    Dev,
}

impl DepKind {
    /// The table's name, for messages.
    pub fn table(self) -> &'static str {
        match self {
            DepKind::Normal => "dependencies",
            DepKind::Build => "build-dependencies",
            DepKind::Dev => "dev-dependencies",
        }
    }
}

/// One dependency as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The key: the name the crate's code uses (after `-` → `_`).
    pub key: String,
    /// `package = ".."` when the dependency is renamed.
    pub package: Option<String>,
    /// `workspace = true`: the package comes from `[workspace.dependencies]`.
    pub inherited: bool,
    /// The span of the key, where findings point.
    pub span: Range<usize>,
    /// The table.
    pub kind: DepKind,
    /// `optional = true`.
    pub optional: bool,
    /// The `cfg(..)` or triple of a `[target.'..'.dependencies]` table.
    pub target: Option<String>,
    /// `path = ".."`, relative to the manifest's folder.
    pub path: Option<String>,
    /// `features = [..]`: the dependency's features this line turns on.
    pub features: Vec<Field>,
}

/// One `[features]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name.
    pub name: String,
    /// What it enables, as written (`dep:x`, `x/f`, `x?/f`, `other`).
    pub enables: Vec<String>,
    /// The span of its key.
    pub span: Range<usize>,
}

/// The `[[bin]]`-style table a target came from.
pub type TargetKindName = &'static str;

/// Why a manifest could not be read.
#[derive(Debug, Clone)]
pub struct ManifestError {
    /// The TOML parser's message.
    pub message: String,
    /// Where.
    pub span: Range<usize>,
}

/// Parses a manifest's text.
pub fn parse(text: &str) -> Result<Manifest, ManifestError> {
    let doc = DeTable::parse(text)
        .map_err(|e| ManifestError { message: e.message().trim().to_owned(), span: e.span().unwrap_or(0..0) })?;
    let root = doc.get_ref();
    let mut m = Manifest { publishable: true, auto_targets: [true; 4], ..Manifest::default() };
    if let Some(package) = table(root, "package") {
        m.is_package = true;
        m.name = string(package, "name");
        m.publishable = match package.get("publish").map(Spanned::get_ref) {
            Some(DeValue::Boolean(b)) => *b,
            Some(DeValue::Array(a)) => !a.is_empty(),
            _ => true,
        };
        m.license = string(package, "license");
        if let Some((key, value)) = package.get_key_value("license") {
            if let DeValue::Table(t) = value.get_ref() {
                if let Some(flag) = t.get("workspace").filter(|v| matches!(v.get_ref(), DeValue::Boolean(true))) {
                    // Dotted keys (`license.workspace = true`) give the outer
                    // key a span of its own name only: end at the flag.
                    m.license_inherited = Some(key.span().start..flag.span().end.max(value.span().end));
                }
            }
        }
        m.license_file = string(package, "license-file");
        m.metadata_edition =
            table(package, "metadata").and_then(|md| table(md, "corefence")).and_then(|c| string(c, "edition"));
        let build = string(package, "build");
        m.file_fields.extend(build.clone());
        m.build = build.map(|s| s.value);
        m.build_disabled = matches!(package.get("build").map(Spanned::get_ref), Some(DeValue::Boolean(false)));
        for (slot, key) in m.auto_targets.iter_mut().zip(["autobins", "autoexamples", "autotests", "autobenches"]) {
            *slot = !matches!(package.get(key).map(Spanned::get_ref), Some(DeValue::Boolean(false)));
        }
    }
    m.is_workspace = table(root, "workspace").is_some();
    m.workspace_license = table(root, "workspace").and_then(|w| table(w, "package")).and_then(|p| string(p, "license"));
    m.workspace_dependencies = workspace_dependencies(root);
    for kind in [DepKind::Normal, DepKind::Build, DepKind::Dev] {
        dependency_table(root, kind, None, &mut m.dependencies);
    }
    if let Some(targets) = table(root, "target") {
        for (cfg, value) in targets {
            if let DeValue::Table(t) = value.get_ref() {
                for kind in [DepKind::Normal, DepKind::Build, DepKind::Dev] {
                    dependency_table(t, kind, Some(cfg.get_ref()), &mut m.dependencies);
                }
            }
        }
    }
    if let Some(features) = table(root, "features") {
        for (name, value) in features {
            let enables = match value.get_ref() {
                DeValue::Array(items) => items
                    .iter()
                    .filter_map(|i| match i.get_ref() {
                        DeValue::String(s) => Some(s.to_string()),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            m.features.push(Feature { name: name.get_ref().to_string(), enables, span: name.span() });
        }
    }
    let lib_path = table(root, "lib").and_then(|l| string(l, "path"));
    m.file_fields.extend(lib_path.clone());
    m.lib_path = lib_path.map(|s| s.value);
    m.lib_name = table(root, "lib").and_then(|l| string(l, "name")).map(|s| s.value);
    for kind in ["bin", "test", "example", "bench"] {
        if let Some(DeValue::Array(items)) = root.get(kind).map(Spanned::get_ref) {
            for item in items {
                if let DeValue::Table(t) = item.get_ref() {
                    let name = string(t, "name").map(|s| s.value).unwrap_or_default();
                    if let Some(DeValue::Array(required)) = t.get("required-features").map(Spanned::get_ref) {
                        let required: Vec<String> =
                            required.iter().filter_map(|f| f.get_ref().as_str().map(str::to_owned)).collect();
                        m.required_features.push((kind, name.clone(), required));
                    }
                    match string(t, "path") {
                        Some(path) => {
                            m.target_paths.push((kind, name, path.value.clone()));
                            m.file_fields.push(path);
                        }
                        None if !name.is_empty() => m.named_targets.push((kind, name)),
                        None => {}
                    }
                }
            }
        }
    }
    Ok(m)
}

/// `[workspace.dependencies]`.
fn workspace_dependencies(root: &DeTable<'_>) -> Vec<WorkspaceDependency> {
    table(root, "workspace")
        .and_then(|w| table(w, "dependencies"))
        .map(|deps| {
            deps.iter()
                .map(|(k, v)| {
                    let key = k.get_ref().to_string();
                    let t = match v.get_ref() {
                        DeValue::Table(t) => Some(t),
                        _ => None,
                    };
                    WorkspaceDependency {
                        package: t.and_then(|t| string(t, "package")).map_or_else(|| key.clone(), |p| p.value),
                        path: t.and_then(|t| string(t, "path")).map(|p| p.value),
                        features: t.map(strings_of_features).unwrap_or_default(),
                        key,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Reads `[dependencies]` (or the build/dev table, also in its old
/// underscore spelling) of `parent` into `out`.
fn dependency_table(parent: &DeTable<'_>, kind: DepKind, target: Option<&str>, out: &mut Vec<Dependency>) {
    let names: &[&str] = match kind {
        DepKind::Normal => &["dependencies"],
        DepKind::Build => &["build-dependencies", "build_dependencies"],
        DepKind::Dev => &["dev-dependencies", "dev_dependencies"],
    };
    for deps in names.iter().filter_map(|n| table(parent, n)) {
        for (key, value) in deps {
            let mut dep = Dependency {
                key: key.get_ref().to_string(),
                package: None,
                inherited: false,
                span: key.span(),
                kind,
                optional: false,
                target: target.map(str::to_owned),
                path: None,
                features: Vec::new(),
            };
            if let DeValue::Table(t) = value.get_ref() {
                dep.package = string(t, "package").map(|p| p.value);
                dep.path = string(t, "path").map(|p| p.value);
                dep.features = strings_of_features(t);
                dep.inherited = matches!(t.get("workspace").map(Spanned::get_ref), Some(DeValue::Boolean(true)));
                dep.optional = matches!(t.get("optional").map(Spanned::get_ref), Some(DeValue::Boolean(true)));
            }
            out.push(dep);
        }
    }
}

fn table<'a, 'i>(t: &'a DeTable<'i>, key: &str) -> Option<&'a DeTable<'i>> {
    match t.get(key).map(Spanned::get_ref) {
        Some(DeValue::Table(t)) => Some(t),
        _ => None,
    }
}

/// A dependency table's `features = [..]` strings.
fn strings_of_features(t: &DeTable<'_>) -> Vec<Field> {
    match t.get("features").map(Spanned::get_ref) {
        Some(DeValue::Array(items)) => items
            .iter()
            .filter_map(|v| match v.get_ref() {
                DeValue::String(s) => Some(Field { value: s.to_string(), span: v.span() }),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn string(t: &DeTable<'_>, key: &str) -> Option<Field> {
    let v = t.get(key)?;
    match v.get_ref() {
        DeValue::String(s) => Some(Field { value: s.to_string(), span: v.span() }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_corefence_needs() {
        let text = r#"
[package]
name = "acme-ee"
publish = false
license.workspace = true
build = "ee/build.rs"

[package.metadata.corefence]
edition = "enterprise"

[[bin]]
name = "tool"
path = "src/tool.rs"
"#;
        let m = parse(text).unwrap();
        assert_eq!(m.name.unwrap().value, "acme-ee");
        assert!(!m.publishable);
        let inherited = m.license_inherited.unwrap();
        assert_eq!(&text[inherited], "license.workspace = true");
        let ed = m.metadata_edition.unwrap();
        assert_eq!(&text[ed.span], "\"enterprise\"");
        assert_eq!(m.target_paths, vec![("bin", "tool".to_owned(), "src/tool.rs".to_owned())]);
        let files: Vec<&str> = m.file_fields.iter().map(|f| &text[f.span.clone()]).collect();
        assert_eq!(files, ["\"ee/build.rs\"", "\"src/tool.rs\""]);
    }

    #[test]
    fn reads_dependencies_of_every_table() {
        let text = r#"
[package]
name = "app"

[dependencies]
plain = "1"
ee = { package = "acme-ee", path = "../ee", optional = true, features = ["sso"] }
shared.workspace = true

[build-dependencies]
gen = { path = "gen" }

[dev_dependencies]
tester = "1"

[target.'cfg(unix)'.dependencies]
unixy = { workspace = true, optional = true }

[features]
enterprise = ["dep:ee", "shared?/x"]

[workspace.dependencies]
shared = { package = "acme-shared", path = "shared" }
unixy = "2"
"#;
        let m = parse(text).unwrap();
        let keys: Vec<(&str, DepKind)> = m.dependencies.iter().map(|d| (d.key.as_str(), d.kind)).collect();
        assert_eq!(
            keys,
            [
                ("plain", DepKind::Normal),
                ("ee", DepKind::Normal),
                ("shared", DepKind::Normal),
                ("gen", DepKind::Build),
                ("tester", DepKind::Dev),
                ("unixy", DepKind::Normal)
            ]
        );
        let ee = &m.dependencies[1];
        assert_eq!(ee.package.as_deref(), Some("acme-ee"));
        assert!(ee.optional);
        assert_eq!(&text[ee.span.clone()], "ee");
        assert!(m.dependencies[2].inherited);
        let unixy = &m.dependencies[5];
        assert!(unixy.inherited && unixy.optional);
        assert_eq!(unixy.target.as_deref(), Some("cfg(unix)"));
        assert_eq!(m.features[0].name, "enterprise");
        assert_eq!(m.features[0].enables, ["dep:ee", "shared?/x"]);
        let inherited: Vec<(&str, &str, Option<&str>)> =
            m.workspace_dependencies.iter().map(|d| (d.key.as_str(), d.package.as_str(), d.path.as_deref())).collect();
        assert_eq!(inherited, [("shared", "acme-shared", Some("shared")), ("unixy", "unixy", None)]);
        assert_eq!(ee.path.as_deref(), Some("../ee"));
        assert_eq!(ee.features.iter().map(|f| &text[f.span.clone()]).collect::<Vec<_>>(), ["\"sso\""]);
    }

    #[test]
    fn syntax_error_has_a_span() {
        let err = parse("[package\nname = 1").unwrap_err();
        assert!(!err.message.is_empty());
    }
}
