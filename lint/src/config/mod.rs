//! `corefence.toml`: the editions, what belongs to each, and which headers to check.
//!
//! Loading has two phases, as in cargo-deny: `raw` reads the TOML leniently
//! with spans, collecting every unknown key and wrong type; `validate` turns
//! that into a [`Config`] whose invariants hold (every edition named exists,
//! `uses` has no cycle, every glob and license expression is valid), again
//! reporting every problem at once. A config that fails either phase is
//! reported as diagnostics pointing into the file, and corefence exits with 2.

mod embedded;
mod glob;
pub mod init;
mod raw;
mod validate;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use glob::{Pattern, PatternSet};

use crate::diagnostic::{Code, Diagnostic, Location, SourceFile};

/// The file name corefence looks for at the workspace root.
pub const FILE_NAME: &str = "corefence.toml";

/// Index of an edition in [`Config::editions`].
pub type EditionId = usize;

/// A named tier of the product.
#[derive(Debug, Clone)]
pub struct Edition {
    /// Its name, e.g. `enterprise`.
    pub name: String,
    /// Accepted SPDX expressions; the first is canonical (what `--fix` writes).
    pub licenses: Vec<String>,
    /// Cargo features that gate code of this edition.
    pub features: Vec<String>,
    /// Whether the edition's build has its crates' default features
    /// (`default-features = false`: it is built with `--no-default-features`,
    /// so `default` may switch on what the edition may not use).
    pub default_features: bool,
    /// Crates that exist only in this edition's build (`build-only-crates`:
    /// built with its features on, as a target with `required-features`):
    /// their code may use the edition, their files keep their own license.
    pub build_only_crates: Vec<Pattern>,
    /// Editions this one may use: itself and `uses`, transitively.
    pub may_use: Vec<EditionId>,
}

impl Edition {
    /// The canonical license expression.
    pub fn license(&self) -> &str {
        self.licenses.first().map_or("", String::as_str)
    }
}

/// One `[[assign]]` entry.
#[derive(Debug, Clone)]
pub struct Assign {
    /// Crate-name globs.
    pub crates: Vec<Pattern>,
    /// Path globs, relative to the workspace root.
    pub paths: Vec<Pattern>,
    /// The edition they belong to.
    pub edition: EditionId,
}

/// Whether `SPDX-FileCopyrightText` is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copyright {
    /// Not checked.
    Optional,
    /// Every header must carry one.
    Required,
}

/// `[headers]`.
#[derive(Debug, Clone)]
pub struct Headers {
    /// Files that must carry an SPDX header; empty switches header checks off.
    pub include: Vec<Pattern>,
    /// Files exempt from header checks.
    pub exclude: Vec<Pattern>,
    /// Whether a copyright line is required.
    pub copyright: Copyright,
    /// Whether Cargo.toml `license` fields are checked (`license/manifest`),
    /// whatever `include` says.
    pub manifests: bool,
}

/// A validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from, `None` for the embedded default.
    pub source: Option<Arc<SourceFile>>,
    /// The edition of code no rule assigns.
    pub default: EditionId,
    /// Every edition, in file order.
    pub editions: Vec<Edition>,
    /// `[[assign]]` entries in file order (later ones override earlier ones).
    pub assigns: Vec<Assign>,
    /// `[headers]`.
    pub headers: Headers,
    /// `[boundary] dev-dependencies = "deny"` (the default) or `"allow"`.
    pub deny_dev_dependencies: bool,
    /// `[third-party] paths`: vendored code that keeps its own licenses.
    pub third_party: Vec<Pattern>,
    /// Every glob above, compiled into one matcher per question.
    pub sets: Sets,
}

/// The configuration's globs compiled together, one [`PatternSet`] per
/// question, so that a file costs one pass however many globs there are.
#[derive(Debug, Clone, Default)]
pub struct Sets {
    /// `[[assign]] paths`, and for each pattern its assign's index.
    assign_paths: (PatternSet, Vec<usize>),
    /// `[[assign]] crates`, and for each pattern its assign's index.
    assign_crates: (PatternSet, Vec<usize>),
    include: PatternSet,
    exclude: PatternSet,
    third_party: PatternSet,
}

impl Sets {
    /// Compiles the globs; the error is the span of the glob that cannot be
    /// compiled (or of the first glob, when only all together are too
    /// large) and why.
    pub fn new(
        assigns: &[Assign],
        headers: &Headers,
        third_party: &[Pattern],
    ) -> Result<Sets, (Option<Range<usize>>, String)> {
        fn set(patterns: &[&Pattern]) -> Result<PatternSet, (Option<Range<usize>>, String)> {
            PatternSet::new(patterns.iter().copied()).map_err(|(culprit, why)| {
                let at = culprit.or(Some(0)).and_then(|i| patterns.get(i)).and_then(|p| p.span.clone());
                (at, why)
            })
        }
        let flat = |pick: fn(&Assign) -> &[Pattern]| -> (Vec<&Pattern>, Vec<usize>) {
            assigns.iter().enumerate().flat_map(|(i, a)| pick(a).iter().map(move |p| (p, i))).unzip()
        };
        let (paths, path_owner) = flat(|a| &a.paths);
        let (crates, crate_owner) = flat(|a| &a.crates);
        Ok(Sets {
            assign_paths: (set(&paths)?, path_owner),
            assign_crates: (set(&crates)?, crate_owner),
            include: set(&headers.include.iter().collect::<Vec<_>>())?,
            exclude: set(&headers.exclude.iter().collect::<Vec<_>>())?,
            third_party: set(&third_party.iter().collect::<Vec<_>>())?,
        })
    }
}

impl Config {
    /// The built-in configuration used when no `corefence.toml` exists.
    pub fn embedded() -> Config {
        embedded::config()
    }

    /// Whether this is the embedded default rather than a file.
    pub fn is_embedded(&self) -> bool {
        self.source.is_none()
    }

    /// Looks an edition up by name.
    pub fn edition_named(&self, name: &str) -> Option<EditionId> {
        self.editions.iter().position(|e| e.name == name)
    }

    /// The edition's name.
    pub fn name(&self, id: EditionId) -> &str {
        self.editions.get(id).map_or("?", |e| e.name.as_str())
    }

    /// The higher of two editions: the one that may use the other (`a`
    /// when neither may).
    pub fn higher(&self, a: EditionId, b: EditionId) -> EditionId {
        if a != b && self.may_use(b, a) {
            b
        } else {
            a
        }
    }

    /// The first Cargo feature mapped to an edition whose build holds code
    /// of edition `to`: the feature to gate such code with.
    pub fn mapped_feature(&self, to: EditionId) -> Option<&str> {
        self.editions
            .iter()
            .enumerate()
            .filter(|(id, _)| self.may_use(*id, to))
            .find_map(|(_, e)| e.features.first().map(String::as_str))
    }

    /// Whether code of edition `from` may refer to code of edition `to`
    /// (itself included): also, whether the build of `from` holds code of `to`.
    pub fn may_use(&self, from: EditionId, to: EditionId) -> bool {
        self.editions.get(from).is_some_and(|e| e.may_use.contains(&to))
    }

    /// Whether code of edition `from` may refer to code of every edition:
    /// its build holds everything, so its code breaks in no build.
    pub fn may_use_every(&self, from: EditionId) -> bool {
        (0..self.editions.len()).all(|to| to == from || self.may_use(from, to))
    }

    /// Whether code of every edition may refer to code of edition `to`.
    pub fn usable_by_every(&self, to: EditionId) -> bool {
        (0..self.editions.len()).all(|from| from == to || self.may_use(from, to))
    }

    /// The edition a relative path is assigned to by `[[assign]] paths`, the
    /// last matching entry winning.
    pub fn path_edition(&self, rel_path: &str) -> Option<EditionId> {
        let (set, owner) = &self.sets.assign_paths;
        let assign = set.last_match(rel_path).and_then(|p| owner.get(p))?;
        self.assigns.get(*assign).map(|a| a.edition)
    }

    /// The edition a crate name is assigned to by `[[assign]] crates`.
    pub fn crate_edition(&self, crate_name: &str) -> Option<EditionId> {
        let (set, owner) = &self.sets.assign_crates;
        let assign = set.last_match(crate_name).and_then(|p| owner.get(p))?;
        self.assigns.get(*assign).map(|a| a.edition)
    }

    /// The edition whose build alone has the crate (`build-only-crates`),
    /// if any: the highest that names it.
    pub fn build_only_edition(&self, crate_name: &str) -> Option<EditionId> {
        let named = |e: &Edition| e.build_only_crates.iter().any(|p| p.matches(crate_name));
        self.editions.iter().enumerate().filter(|(_, e)| named(e)).map(|(id, _)| id).reduce(|a, b| self.higher(a, b))
    }

    /// The edition mapped to a Cargo feature, if any.
    pub fn feature_edition(&self, feature: &str) -> Option<EditionId> {
        self.editions.iter().position(|e| e.features.iter().any(|f| f == feature))
    }

    /// Whether a relative path must carry a header.
    pub fn header_required(&self, rel_path: &str) -> bool {
        self.sets.include.is_match(rel_path) && !self.sets.exclude.is_match(rel_path)
    }

    /// Whether a relative path is vendored third-party code.
    pub fn is_third_party(&self, rel_path: &str) -> bool {
        self.sets.third_party.is_match(rel_path)
    }

    /// Every pattern written in the file, with the section it belongs to, for
    /// `config/unmatched`.
    pub fn written_patterns(&self) -> impl Iterator<Item = (PatternKind, &Pattern)> {
        let assigns = self.assigns.iter().flat_map(|a| {
            a.crates.iter().map(|p| (PatternKind::Crate, p)).chain(a.paths.iter().map(|p| (PatternKind::Path, p)))
        });
        let headers = self.headers.include.iter().chain(&self.headers.exclude).map(|p| (PatternKind::Path, p));
        let third = self.third_party.iter().map(|p| (PatternKind::Path, p));
        let build_only = self.editions.iter().flat_map(|e| &e.build_only_crates).map(|p| (PatternKind::Crate, p));
        assigns.chain(headers).chain(third).chain(build_only).filter(|(_, p)| p.span.is_some())
    }
}

/// What a written pattern is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternKind {
    /// A crate name.
    Crate,
    /// A path relative to the root.
    Path,
}

/// A problem found while loading, before it becomes a diagnostic.
#[derive(Debug, Clone)]
pub struct ConfigProblem {
    code: Code,
    span: Range<usize>,
    message: String,
    label: Option<String>,
    help: Option<String>,
}

impl ConfigProblem {
    fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        ConfigProblem { code: Code::ConfigInvalid, span, message: message.into(), label: None, help: None }
    }

    fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        let help = help.into();
        self.help = (!help.is_empty()).then_some(help);
        self
    }

    fn code(mut self, code: Code) -> Self {
        self.code = code;
        self
    }

    fn into_diagnostic(self, file: &Arc<SourceFile>) -> Diagnostic {
        let mut d =
            Diagnostic::new(self.code, Location::new(file, self.span), self.message).with_optional_help(self.help);
        d.primary_label = self.label;
        d
    }
}

/// Why a configuration could not be loaded: diagnostics pointing into the file
/// (exit code 2).
#[derive(Debug)]
pub struct ConfigErrors(pub Vec<Diagnostic>);

/// Parses and validates configuration text. `path` is the display path.
pub fn from_str(path: &str, text: &str) -> Result<Config, ConfigErrors> {
    let file = Arc::new(SourceFile::new(path, text));
    let (raw, mut problems) = raw::parse(text);
    let config = raw.map(|raw| validate::validate(&raw, Some(Arc::clone(&file)), &mut problems));
    if let (Some(config), true) = (config, problems.is_empty()) {
        Ok(config)
    } else {
        problems.sort_by_key(|p| p.span.start);
        Err(ConfigErrors(problems.into_iter().map(|p| p.into_diagnostic(&file)).collect()))
    }
}

/// Reads and validates a configuration file; `display` is its path as shown to the user.
pub fn load_file(path: &Path, display: &str) -> Result<Config, ConfigErrors> {
    load_bytes(display, std::fs::read(path))
}

/// Validates a configuration file's content (as read from disk, or from
/// git's index with `--staged`); `display` is its path as shown to the user.
pub fn load_bytes(display: &str, read: std::io::Result<Vec<u8>>) -> Result<Config, ConfigErrors> {
    match read {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => from_str(display, &text),
            Err(_) => Err(whole_file_error(display, "corefence.toml is not valid UTF-8", "save the file as UTF-8")),
        },
        Err(err) => Err(whole_file_error(
            display,
            &format!("cannot read {display}: {err}"),
            "check that the file exists and is readable",
        )),
    }
}

fn whole_file_error(display: &str, message: &str, help: &str) -> ConfigErrors {
    let file = Arc::new(SourceFile::new(display, ""));
    ConfigErrors(vec![Diagnostic::new(Code::ConfigInvalid, Location::file_start(&file), message).with_help(help)])
}

/// Where the workspace root is and which configuration file applies.
#[derive(Debug, Clone)]
pub struct Root {
    /// The workspace root: every path in the output is relative to it.
    pub dir: PathBuf,
    /// The configuration file, if one was found (or given).
    pub config_file: Option<PathBuf>,
}

/// Finds the root from `start`: the nearest ancestor with a `corefence.toml`,
/// never looking above the repository (git) root or, outside git, the
/// outermost Cargo workspace root (so a stray `~/corefence.toml` or
/// `/tmp/corefence.toml` never takes over a checkout below it, and a run in
/// one repository never reaches a sibling); else the Cargo workspace root
/// (the outermost ancestor within that limit whose Cargo.toml has
/// `[workspace]`, or the nearest Cargo.toml); else the git root; else `start`.
pub fn discover_root(start: &Path) -> Root {
    let git_root = crate::git::repository_root(start);
    let within = |d: &Path| git_root.is_none_or(|g| d.starts_with(g));
    let manifests: Vec<&Path> = start.ancestors().filter(|d| within(d) && d.join("Cargo.toml").is_file()).collect();
    let is_workspace = |d: &&&Path| {
        std::fs::read_to_string(d.join("Cargo.toml")).is_ok_and(|t| t.lines().any(|l| l.trim() == "[workspace]"))
    };
    let cargo_root = manifests.iter().rev().find(is_workspace).or(manifests.first()).copied();
    let limit = git_root.or(cargo_root).unwrap_or(start);
    let searched = start.ancestors().take_while(|d| d.starts_with(limit));
    for dir in searched {
        if dir.join(FILE_NAME).is_file() {
            return Root { dir: dir.to_path_buf(), config_file: Some(dir.join(FILE_NAME)) };
        }
    }
    let dir = cargo_root.or(git_root).unwrap_or(start);
    Root { dir: dir.to_path_buf(), config_file: None }
}

#[cfg(test)]
mod tests;
