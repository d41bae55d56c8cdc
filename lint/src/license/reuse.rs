//! REUSE interoperability: `.license` sidecar files and `REUSE.toml`
//! annotations, for files that cannot carry a header themselves.

use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::header;
use super::tag::LicenseTag;
use crate::diagnostic::LineIndex;

/// Licensing information of a `.license` sidecar file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sidecar {
    /// `SPDX-License-Identifier` values, with byte ranges in the sidecar.
    pub licenses: Vec<LicenseTag>,
    /// `SPDX-FileCopyrightText` values, with byte ranges in the sidecar.
    pub copyrights: Vec<LicenseTag>,
}

/// The sidecar that REUSE associates with `path`: `path` + `.license`.
#[must_use]
pub fn sidecar_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".license");
    PathBuf::from(name)
}

/// Parses the content of a `.license` sidecar. Its lines are plain tags
/// (`SPDX-License-Identifier: MIT`); a tag is also found after leading
/// text, as REUSE does.
#[must_use]
pub fn parse_sidecar(content: &[u8]) -> Sidecar {
    let lines = LineIndex::new(content);
    let mut out = Sidecar::default();
    let mut start = 0;
    while start < content.len() {
        let end = header::line_end(content, start);
        let line = content.get(start..end).unwrap_or_default();
        for (tag, list) in
            [(&b"SPDX-License-Identifier:"[..], &mut out.licenses), (b"SPDX-FileCopyrightText:", &mut out.copyrights)]
        {
            if let Some(at) = memchr::memmem::find(line, tag) {
                let from = start + at + tag.len();
                let range = header::tag_value(content, from, end);
                list.push(LicenseTag {
                    text: String::from_utf8_lossy(content.get(range.clone()).unwrap_or_default()).into_owned(),
                    line: lines.line_of(from),
                    range,
                });
            }
        }
        start = end + 1;
    }
    out
}

/// Reads and parses the sidecar of `path`, if it exists.
///
/// # Errors
///
/// Returns the I/O error of reading an existing sidecar.
pub fn sidecar_license(path: &Path) -> io::Result<Option<Sidecar>> {
    match std::fs::read(sidecar_path(path)) {
        Ok(content) => Ok(Some(parse_sidecar(&content))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// How an annotation combines with information in the file itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precedence {
    /// The file's own header (or sidecar) wins; the annotation applies only
    /// when the file has none.
    #[default]
    Closest,
    /// The annotation and the file's own information both apply.
    Aggregate,
    /// The annotation applies and the file's own information is ignored.
    Override,
}

/// One `[[annotations]]` table of a `REUSE.toml`.
#[derive(Debug, Clone)]
pub struct Annotation {
    /// The `path` globs, as written.
    pub paths: Vec<String>,
    /// The `precedence` key.
    pub precedence: Precedence,
    /// `SPDX-License-Identifier` expressions.
    pub licenses: Vec<String>,
    /// `SPDX-FileCopyrightText` statements.
    pub copyrights: Vec<String>,
    matcher: GlobSet,
}

impl Annotation {
    /// Whether this annotation covers `rel_path` (relative to the directory
    /// of its `REUSE.toml`, `/`-separated).
    #[must_use]
    pub fn matches(&self, rel_path: &str) -> bool {
        self.matcher.is_match(rel_path)
    }
}

/// Why a `REUSE.toml` could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReuseTomlError {
    /// What is wrong, naming the offending key.
    pub message: String,
}

impl fmt::Display for ReuseTomlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid REUSE.toml: {}", self.message)
    }
}

impl std::error::Error for ReuseTomlError {}

fn error(message: impl Into<String>) -> ReuseTomlError {
    ReuseTomlError { message: message.into() }
}

/// A string or a list of strings, as REUSE allows for every value.
fn strings(value: Option<&toml::Value>, key: &str, index: usize) -> Result<Vec<String>, ReuseTomlError> {
    match value {
        None => Ok(Vec::new()),
        Some(toml::Value::String(s)) => Ok(vec![s.clone()]),
        Some(toml::Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                toml::Value::String(s) => Ok(s.clone()),
                _ => Err(error(format!("annotation {index}: `{key}` must contain only strings"))),
            })
            .collect(),
        Some(_) => Err(error(format!("annotation {index}: `{key}` must be a string or a list of strings"))),
    }
}

/// Parses a `REUSE.toml` (version 1) into its annotations, in file order.
///
/// # Errors
///
/// Returns an error for invalid TOML, a missing or unsupported `version`,
/// an annotation without `path`, values of the wrong type, an unknown
/// `precedence`, or a path glob that cannot be compiled.
pub fn parse_reuse_toml(text: &str) -> Result<Vec<Annotation>, ReuseTomlError> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| error(e.to_string()))?;
    match table.get("version") {
        Some(toml::Value::Integer(1)) => {}
        Some(toml::Value::Integer(v)) => return Err(error(format!("unsupported version {v}"))),
        _ => return Err(error("`version = 1` is required")),
    }
    let items = match table.get("annotations") {
        None => return Ok(Vec::new()),
        Some(toml::Value::Array(items)) => items,
        Some(_) => return Err(error("`annotations` must be an array of tables")),
    };
    let mut annotations = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let toml::Value::Table(t) = item else {
            return Err(error(format!("annotation {index} is not a table")));
        };
        let paths = strings(t.get("path"), "path", index)?;
        if paths.is_empty() {
            return Err(error(format!("annotation {index}: `path` is required")));
        }
        let precedence = match t.get("precedence") {
            None => Precedence::Closest,
            Some(toml::Value::String(s)) => match s.as_str() {
                "closest" => Precedence::Closest,
                "aggregate" => Precedence::Aggregate,
                "override" => Precedence::Override,
                other => {
                    return Err(error(format!(
                        "annotation {index}: unknown precedence `{other}` (expected closest, aggregate or override)"
                    )))
                }
            },
            Some(_) => return Err(error(format!("annotation {index}: `precedence` must be a string"))),
        };
        let mut builder = GlobSetBuilder::new();
        for path in &paths {
            for pattern in globset_patterns(path) {
                let glob = GlobBuilder::new(&pattern)
                    .literal_separator(true)
                    .backslash_escape(true)
                    .build()
                    .map_err(|e| error(format!("annotation {index}: path `{path}`: {e}")))?;
                builder.add(glob);
            }
        }
        let matcher = builder.build().map_err(|e| error(format!("annotation {index}: {e}")))?;
        annotations.push(Annotation {
            licenses: strings(t.get("SPDX-License-Identifier"), "SPDX-License-Identifier", index)?,
            copyrights: strings(t.get("SPDX-FileCopyrightText"), "SPDX-FileCopyrightText", index)?,
            paths,
            precedence,
            matcher,
        });
    }
    Ok(annotations)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GlobToken {
    Literal(char),
    Star,
    DoubleStar,
}

/// At most this many `**` inside a path component are expanded exactly;
/// each doubles the number of patterns.
const MAX_EXPANDED_DOUBLE_STARS: u32 = 4;

/// Translates one REUSE path glob into globset patterns that together match
/// the same paths.
///
/// REUSE globs know only `*` (anything but `/`), `**` (anything, `/`
/// included) and the escapes `\*` and `\\`; every other character is
/// literal, so globset's own metacharacters are escaped. globset gives `**`
/// its meaning only as a whole path component; a `**` inside a component
/// (`src/**.rs`) is expanded into the `*` case and the `*/**/*` case.
fn globset_patterns(reuse: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut chars = reuse.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped) => tokens.push(GlobToken::Literal(escaped)),
                None => tokens.push(GlobToken::Literal('\\')),
            },
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                while chars.peek() == Some(&'*') {
                    chars.next();
                }
                tokens.push(GlobToken::DoubleStar);
            }
            '*' => tokens.push(GlobToken::Star),
            other => tokens.push(GlobToken::Literal(other)),
        }
    }
    // A leading `./` names the same paths as none.
    while tokens.starts_with(&[GlobToken::Literal('.'), GlobToken::Literal('/')]) {
        tokens.drain(..2);
    }

    let aligned = |i: usize| {
        let before = i.checked_sub(1).and_then(|p| tokens.get(p));
        let after = tokens.get(i + 1);
        matches!(before, None | Some(GlobToken::Literal('/'))) && matches!(after, None | Some(GlobToken::Literal('/')))
    };
    let inner: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| **t == GlobToken::DoubleStar && !aligned(*i))
        .map(|(i, _)| i)
        .collect();
    let expanded = inner.len().min(MAX_EXPANDED_DOUBLE_STARS as usize);

    let mut patterns = Vec::with_capacity(1 << expanded);
    for mask in 0..(1u32 << expanded) {
        let mut out = String::with_capacity(reuse.len() + 8);
        for (i, token) in tokens.iter().enumerate() {
            match token {
                GlobToken::Literal(c) => {
                    if matches!(c, '?' | '*' | '[' | ']' | '{' | '}' | '\\' | '!') {
                        out.push('\\');
                    }
                    out.push(*c);
                }
                GlobToken::Star => out.push('*'),
                GlobToken::DoubleStar => match inner.iter().position(|p| *p == i) {
                    None => out.push_str("**"),
                    Some(k) if k < expanded && mask & (1 << k) != 0 => out.push_str("*/**/*"),
                    Some(_) => out.push('*'),
                },
            }
        }
        patterns.push(out);
    }
    patterns
}

/// The license a `REUSE.toml` assigns to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReuseLicense {
    /// The license expression; several `SPDX-License-Identifier` values are
    /// joined with `AND`, as REUSE combines them.
    pub text: String,
    /// The annotation's precedence.
    pub precedence: Precedence,
    /// Index of the matching annotation.
    pub annotation: usize,
}

/// The license that `annotations` (from one `REUSE.toml`) assign to
/// `rel_path`, relative to that file's directory. As in REUSE, the last
/// matching annotation wins. Paths leaving the directory (`..`) or absolute
/// paths match nothing.
#[must_use]
pub fn reuse_toml_license(annotations: &[Annotation], rel_path: &Path) -> Option<ReuseLicense> {
    let mut parts = Vec::new();
    for component in rel_path.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy()),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    let path = parts.join("/");
    let (index, annotation) = annotations.iter().enumerate().rev().find(|(_, a)| a.matches(&path))?;
    let text = match annotation.licenses.as_slice() {
        [] => return None,
        [one] => one.clone(),
        many => many.iter().map(|l| format!("({l})")).collect::<Vec<_>>().join(" AND "),
    };
    Some(ReuseLicense { text, precedence: annotation.precedence, annotation: index })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = r#"
version = 1

[[annotations]]
path = "assets/**"
SPDX-License-Identifier = "CC-BY-4.0"
SPDX-FileCopyrightText = "2024 Acme"

[[annotations]]
path = ["ee/*.json", "ee/**/*.png"]
precedence = "override"
SPDX-License-Identifier = "LicenseRef-Acme-Enterprise"

[[annotations]]
path = "assets/logo.svg"
precedence = "aggregate"
SPDX-License-Identifier = ["MIT", "Apache-2.0 OR MIT"]
"#;

    fn lic(annotations: &[Annotation], p: &str) -> Option<String> {
        reuse_toml_license(annotations, Path::new(p)).map(|l| l.text)
    }

    #[test]
    fn reuse_toml_annotation_match() {
        let a = match parse_reuse_toml(TOML) {
            Ok(a) => a,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].copyrights, vec!["2024 Acme"]);
        assert_eq!(lic(&a, "assets/fonts/x.woff").as_deref(), Some("CC-BY-4.0"));
        assert_eq!(lic(&a, "./assets/x.png").as_deref(), Some("CC-BY-4.0"));
        // `*` does not cross `/`; `**` does.
        assert_eq!(lic(&a, "ee/config.json").as_deref(), Some("LicenseRef-Acme-Enterprise"));
        assert_eq!(lic(&a, "ee/sub/config.json"), None);
        assert_eq!(lic(&a, "ee/a/b/icon.png").as_deref(), Some("LicenseRef-Acme-Enterprise"));
        assert_eq!(lic(&a, "ee/icon.png").as_deref(), Some("LicenseRef-Acme-Enterprise"));
        let hit = reuse_toml_license(&a, Path::new("ee/x.json"));
        assert_eq!(hit.map(|h| (h.precedence, h.annotation)), Some((Precedence::Override, 1)));
        // The last matching annotation wins, and several ids combine with AND.
        let logo = reuse_toml_license(&a, Path::new("assets/logo.svg"));
        assert_eq!(
            logo.map(|l| (l.text, l.precedence)),
            Some(("(MIT) AND (Apache-2.0 OR MIT)".to_owned(), Precedence::Aggregate))
        );
        assert_eq!(lic(&a, "src/main.rs"), None);
        assert_eq!(lic(&a, "../assets/x.png"), None);
    }

    #[test]
    fn double_star_inside_a_component_crosses_slashes() {
        let a =
            parse_reuse_toml("version = 1\n[[annotations]]\npath = \"src/**.rs\"\nSPDX-License-Identifier = \"MIT\"\n")
                .unwrap_or_default();
        assert_eq!(lic(&a, "src/lib.rs").as_deref(), Some("MIT"));
        assert_eq!(lic(&a, "src/a/b/lib.rs").as_deref(), Some("MIT"));
        assert_eq!(lic(&a, "src/lib.py"), None);
    }

    #[test]
    fn reuse_literals_are_not_globset_syntax() {
        let a = parse_reuse_toml(
            "version = 1\n[[annotations]]\npath = [\"a[1].txt\", \"what?.md\", \"star\\\\*.txt\", \"{x}.c\"]\nSPDX-License-Identifier = \"MIT\"\n",
        )
        .unwrap_or_default();
        assert_eq!(lic(&a, "a[1].txt").as_deref(), Some("MIT"));
        assert_eq!(lic(&a, "a1.txt"), None);
        assert_eq!(lic(&a, "what?.md").as_deref(), Some("MIT"));
        assert_eq!(lic(&a, "whatx.md"), None);
        assert_eq!(lic(&a, "star*.txt").as_deref(), Some("MIT"));
        assert_eq!(lic(&a, "starx.txt"), None);
        assert_eq!(lic(&a, "{x}.c").as_deref(), Some("MIT"));
    }

    #[test]
    fn reuse_toml_errors() {
        assert!(parse_reuse_toml("version = 2").is_err());
        assert!(parse_reuse_toml("[[annotations]]\npath = \"x\"").is_err());
        assert!(parse_reuse_toml("version = 1\n[[annotations]]\nSPDX-License-Identifier = \"MIT\"").is_err());
        assert!(parse_reuse_toml("version = 1\n[[annotations]]\npath = \"x\"\nprecedence = \"first\"").is_err());
        assert!(parse_reuse_toml("version = 1\n[[annotations]]\npath = 3").is_err());
        assert!(parse_reuse_toml("version = ").is_err());
        assert_eq!(parse_reuse_toml("version = 1").map(|a| a.len()), Ok(0));
    }

    #[test]
    fn license_sidecar() {
        let content =
            b"SPDX-FileCopyrightText: 2024 Acme Corp\nSPDX-License-Identifier: LicenseRef-Acme-Enterprise\r\n";
        let s = parse_sidecar(content);
        assert_eq!(s.licenses.len(), 1);
        assert_eq!(s.licenses[0].text, "LicenseRef-Acme-Enterprise");
        assert_eq!(s.licenses[0].line, 2);
        assert_eq!(&content[s.licenses[0].range.clone()], b"LicenseRef-Acme-Enterprise");
        assert_eq!(s.copyrights[0].text, "2024 Acme Corp");
        assert_eq!(parse_sidecar(b""), Sidecar::default());
    }

    #[test]
    fn sidecar_on_disk() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let image = dir.path().join("logo.png");
        std::fs::write(&image, [0x89, b'P', b'N', b'G'])?;
        assert_eq!(sidecar_license(&image)?, None);
        std::fs::write(sidecar_path(&image), "SPDX-License-Identifier: CC0-1.0\n")?;
        assert_eq!(sidecar_path(&image), dir.path().join("logo.png.license"));
        let found = sidecar_license(&image)?.unwrap_or_default();
        assert_eq!(found.licenses[0].text, "CC0-1.0");
        Ok(())
    }
}
