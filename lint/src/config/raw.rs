//! Phase one of loading `corefence.toml`: read the TOML leniently into spanned
//! values, collecting every unknown key and wrong type instead of stopping at
//! the first (serde's `deny_unknown_fields` would report only one).

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::ConfigProblem;
use crate::suggest;

/// A value with the byte span it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sp<T> {
    /// The value.
    pub value: T,
    /// Where it is in `corefence.toml`.
    pub span: Range<usize>,
}

/// One `[editions.X]` table as written.
#[derive(Debug, Default)]
pub struct RawEdition {
    pub name: Sp<String>,
    pub license: Vec<Sp<String>>,
    pub license_span: Option<Range<usize>>,
    pub uses: Vec<Sp<String>>,
    pub features: Vec<Sp<String>>,
    pub default_features: Option<Sp<bool>>,
    pub build_only_crates: Vec<Sp<String>>,
}

/// One `[[assign]]` entry as written.
#[derive(Debug, Default)]
pub struct RawAssign {
    pub crates: Vec<Sp<String>>,
    pub paths: Vec<Sp<String>>,
    pub edition: Option<Sp<String>>,
}

/// The whole file as written, before validation.
#[derive(Debug, Default)]
pub struct RawConfig {
    pub default: Option<Sp<String>>,
    pub editions: Vec<RawEdition>,
    pub assigns: Vec<RawAssign>,
    pub headers_include: Option<Vec<Sp<String>>>,
    pub headers_exclude: Vec<Sp<String>>,
    pub copyright: Option<Sp<String>>,
    pub manifests: Option<Sp<bool>>,
    pub dev_dependencies: Option<Sp<String>>,
    pub third_party: Vec<Sp<String>>,
}

impl Default for Sp<String> {
    fn default() -> Self {
        Sp { value: String::new(), span: 0..0 }
    }
}

/// Parses `text`, returning what could be read and every problem found;
/// `None` when the text is not TOML at all (then nothing is worth validating).
pub fn parse(text: &str) -> (Option<RawConfig>, Vec<ConfigProblem>) {
    let mut problems = Vec::new();
    let mut raw = RawConfig::default();
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(err) => {
            let span = err.span().unwrap_or(0..0);
            problems.push(ConfigProblem::new(span, format!("invalid TOML: {}", err.message().trim())));
            return (None, problems);
        }
    };
    let mut r = Reader { problems: &mut problems };
    for (key, value) in root.get_ref() {
        match key.get_ref().as_ref() {
            "default" => raw.default = r.string(value),
            "editions" => {
                if let Some(table) = r.table(value) {
                    for (name, edition) in table {
                        raw.editions.push(r.edition(name, edition));
                    }
                }
            }
            "assign" => {
                if let Some(items) = r.array(value, "an array of tables: [[assign]]") {
                    for item in items {
                        if let Some(a) = r.assign(item) {
                            raw.assigns.push(a);
                        }
                    }
                }
            }
            "headers" => {
                r.fields(value, &["include", "exclude", "copyright", "manifests"], |r, k, v| match k {
                    "include" => raw.headers_include = Some(r.strings(v)),
                    "exclude" => raw.headers_exclude = r.strings(v),
                    "manifests" => raw.manifests = r.boolean(v),
                    _ => raw.copyright = r.string(v),
                });
            }
            "boundary" => {
                r.fields(value, &["dev-dependencies"], |r, _, v| {
                    raw.dev_dependencies = r.string(v);
                });
            }
            "third-party" => {
                r.fields(value, &["paths"], |r, _, v| raw.third_party = r.strings(v));
            }
            other => r.unknown_key(key, other, &TOP_LEVEL),
        }
    }
    (Some(raw), problems)
}

const TOP_LEVEL: [&str; 6] = ["default", "editions", "assign", "headers", "boundary", "third-party"];

struct Reader<'p> {
    problems: &'p mut Vec<ConfigProblem>,
}

impl Reader<'_> {
    fn wrong_type(&mut self, value: &Spanned<DeValue<'_>>, expected: &str) {
        self.problems.push(
            ConfigProblem::new(value.span(), format!("expected {expected}, found {}", value.get_ref().type_str()))
                .label(format!("expected {expected}")),
        );
    }

    fn unknown_key(&mut self, key: &Spanned<std::borrow::Cow<'_, str>>, name: &str, known: &[&str]) {
        let help = match suggest::closest(name, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("known keys here: {}", known.join(", ")),
        };
        self.problems
            .push(ConfigProblem::new(key.span(), format!("unknown key `{name}`")).label("unknown key").help(help));
    }

    fn string(&mut self, value: &Spanned<DeValue<'_>>) -> Option<Sp<String>> {
        if let DeValue::String(s) = value.get_ref() {
            Some(Sp { value: s.to_string(), span: value.span() })
        } else {
            self.wrong_type(value, "a string");
            None
        }
    }

    fn table<'a, 'i>(&mut self, value: &'a Spanned<DeValue<'i>>) -> Option<&'a DeTable<'i>> {
        if let DeValue::Table(t) = value.get_ref() {
            Some(t)
        } else {
            self.wrong_type(value, "a table");
            None
        }
    }

    fn array<'a, 'i>(&mut self, value: &'a Spanned<DeValue<'i>>, expected: &str) -> Option<&'a [Spanned<DeValue<'i>>]> {
        if let DeValue::Array(a) = value.get_ref() {
            Some(a)
        } else {
            self.wrong_type(value, expected);
            None
        }
    }

    fn boolean(&mut self, value: &Spanned<DeValue<'_>>) -> Option<Sp<bool>> {
        if let DeValue::Boolean(b) = value.get_ref() {
            Some(Sp { value: *b, span: value.span() })
        } else {
            self.wrong_type(value, "`true` or `false`");
            None
        }
    }

    /// An array of strings; a lone string is accepted as a one-element list
    /// where lists are the norm (`license = "MIT"` vs `license = ["MIT"]`).
    fn strings(&mut self, value: &Spanned<DeValue<'_>>) -> Vec<Sp<String>> {
        match value.get_ref() {
            DeValue::String(s) => vec![Sp { value: s.to_string(), span: value.span() }],
            DeValue::Array(items) => items.iter().filter_map(|v| self.string(v)).collect(),
            _ => {
                self.wrong_type(value, "a string or an array of strings");
                Vec::new()
            }
        }
    }

    /// Visits the keys of a table, reporting unknown ones.
    fn fields(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        known: &[&str],
        mut visit: impl FnMut(&mut Self, &str, &Spanned<DeValue<'_>>),
    ) {
        let Some(table) = self.table(value) else { return };
        for (key, v) in table {
            let name: &str = key.get_ref();
            if known.contains(&name) {
                visit(self, name, v);
            } else {
                self.unknown_key(key, name, known);
            }
        }
    }

    fn edition(&mut self, name: &Spanned<std::borrow::Cow<'_, str>>, value: &Spanned<DeValue<'_>>) -> RawEdition {
        let mut edition =
            RawEdition { name: Sp { value: name.get_ref().to_string(), span: name.span() }, ..RawEdition::default() };
        let keys = ["license", "uses", "features", "default-features", "build-only-crates"];
        self.fields(value, &keys, |r, k, v| match k {
            "license" => {
                edition.license = r.strings(v);
                edition.license_span = Some(v.span());
            }
            "uses" => edition.uses = r.strings(v),
            "default-features" => edition.default_features = r.boolean(v),
            "build-only-crates" => edition.build_only_crates = r.strings(v),
            _ => edition.features = r.strings(v),
        });
        if edition.license_span.is_none() && value.get_ref().is_table() {
            self.problems.push(
                ConfigProblem::new(name.span(), format!("edition `{}` has no `license`", edition.name.value))
                    .label("no license")
                    .help("add `license = \"<SPDX expression>\"` to this table: files of the edition must carry it"),
            );
        }
        edition
    }

    fn assign(&mut self, value: &Spanned<DeValue<'_>>) -> Option<RawAssign> {
        let mut assign = RawAssign::default();
        let mut ok = value.get_ref().is_table();
        self.fields(value, &["crates", "paths", "edition"], |r, k, v| match k {
            "crates" => assign.crates = r.strings(v),
            "paths" => assign.paths = r.strings(v),
            _ => assign.edition = r.string(v),
        });
        if ok && assign.edition.is_none() {
            self.problems.push(
                ConfigProblem::new(value.span(), "`[[assign]]` entry has no `edition`")
                    .label("no edition")
                    .help("add `edition = \"<name>\"` naming one of the editions under [editions]"),
            );
            ok = false;
        }
        if ok && assign.crates.is_empty() && assign.paths.is_empty() {
            self.problems.push(
                ConfigProblem::new(value.span(), "`[[assign]]` entry assigns nothing")
                    .label("neither `crates` nor `paths`")
                    .help("add `crates = [\"name\"]` or `paths = [\"glob/**\"]`"),
            );
        }
        ok.then_some(assign)
    }
}
