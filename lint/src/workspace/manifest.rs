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
    /// Explicit `[lib] path`.
    pub lib_path: Option<String>,
    /// Explicit `[[bin]] path`s (and `[[test]]`, `[[example]]`, `[[bench]]`).
    pub target_paths: Vec<(TargetKindName, String, String)>,
    /// `package.build` when it names a script.
    pub build: Option<String>,
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
    let mut m = Manifest { publishable: true, ..Manifest::default() };
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
        m.build = string(package, "build").map(|s| s.value);
    }
    m.workspace_license = table(root, "workspace").and_then(|w| table(w, "package")).and_then(|p| string(p, "license"));
    m.lib_path = table(root, "lib").and_then(|l| string(l, "path")).map(|s| s.value);
    for kind in ["bin", "test", "example", "bench"] {
        if let Some(DeValue::Array(items)) = root.get(kind).map(Spanned::get_ref) {
            for item in items {
                if let DeValue::Table(t) = item.get_ref() {
                    let name = string(t, "name").map(|s| s.value).unwrap_or_default();
                    if let Some(path) = string(t, "path") {
                        m.target_paths.push((kind, name, path.value));
                    }
                }
            }
        }
    }
    Ok(m)
}

fn table<'a, 'i>(t: &'a DeTable<'i>, key: &str) -> Option<&'a DeTable<'i>> {
    match t.get(key).map(Spanned::get_ref) {
        Some(DeValue::Table(t)) => Some(t),
        _ => None,
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
    }

    #[test]
    fn syntax_error_has_a_span() {
        let err = parse("[package\nname = 1").unwrap_err();
        assert!(!err.message.is_empty());
    }
}
