//! `corefence export`: writes edition E's build of the working tree, the
//! tree an open-core company publishes as its community edition, and with
//! `--check` has cargo prove it builds.
//!
//! Edition E's build is the workspace with everything E may not use taken
//! out (DESIGN.md, "The boundary, exactly"): the files, folders and crates of
//! those editions, items tagged with them (attributes and doc comments
//! included), code inside their SPDX snippets, the Cargo features mapped to
//! them (see [`manifest`]), license texts no kept file uses and `REUSE.toml`
//! annotations of removed paths. Every other byte is copied unchanged.
//! Gitignored files and build folders are left out, as the walk leaves them
//! out of `check`.
//!
//! Nothing is written outside `OUT`, which must be a folder of its own: not
//! a link, not inside the workspace, and empty unless `--force` (which
//! clears it first).

pub mod check;
pub mod manifest;
mod source;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub use source::LineMap;

use crate::config::{Config, EditionId};
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::{self, Fatal};
use crate::inventory::facts::{CrateFacts, FileFacts, Region};
use crate::license::comment;
use crate::license::expr::LicenseExpr;
use crate::workspace::{is_manifest, is_under, manifest_dir};

/// What to export, and where.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Where root discovery starts (usually the current directory).
    pub start: PathBuf,
    /// An explicit configuration file.
    pub config: Option<PathBuf>,
    /// The edition to export; `None` for the default edition.
    pub edition: Option<String>,
    /// The folder to write.
    pub out: PathBuf,
    /// Clear a non-empty `out` first.
    pub force: bool,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
}

/// What an export removed, for its report.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Removed {
    /// Files left out (those of removed crates included).
    pub files: Vec<String>,
    /// Crates left out, by folder.
    pub crates: Vec<String>,
    /// Tagged items cut out.
    pub items: Vec<RemovedRegion>,
    /// Snippets cut out.
    pub snippets: Vec<RemovedRegion>,
    /// Cargo.toml entries removed.
    pub manifest: Vec<RemovedEntry>,
    /// License texts in `LICENSES/` no kept file uses.
    pub license_texts: Vec<String>,
    /// `REUSE.toml` annotations whose paths were all removed.
    pub reuse_annotations: Vec<String>,
}

/// An item or snippet cut out of a kept file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RemovedRegion {
    /// The file.
    pub path: String,
    /// The 1-based line it started on.
    pub line: usize,
    /// The item's name (items only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its edition.
    pub edition: String,
    /// Lines it took.
    pub lines: usize,
}

/// A Cargo.toml entry removed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RemovedEntry {
    /// The manifest.
    pub path: String,
    /// The table, e.g. `features`, `dependencies`, `workspace.members`.
    pub table: String,
    /// The key or value removed.
    pub key: String,
    /// Its line in the original manifest.
    pub line: usize,
}

/// A finished export.
#[derive(Debug)]
pub struct Export {
    /// The workspace root exported.
    pub root: PathBuf,
    /// Where it was written.
    pub out: PathBuf,
    /// The edition exported.
    pub edition: String,
    /// Files written.
    pub written: usize,
    /// Folders of the crates the export kept.
    pub crates: Vec<String>,
    /// What was left out.
    pub removed: Removed,
    /// How to map a position in an edited file back to the original.
    pub line_maps: BTreeMap<String, LineMap>,
    /// Whether `corefence check` has boundary errors on this tree: a failing
    /// build with none is a corefence bug.
    pub boundary_errors: usize,
    /// Problems met that did not stop the export (a manifest that does not parse).
    pub warnings: Vec<Diagnostic>,
}

/// Why nothing was exported.
#[derive(Debug)]
pub enum ExportError {
    /// The configuration or the root is unusable.
    Fatal(Fatal),
    /// `OUT` or the edition cannot be used; the message says why.
    Refused(String),
    /// The tree cannot be exported as it is (a snippet that never ends).
    Findings(Vec<Diagnostic>),
}

/// Writes the edition's tree.
pub fn export(options: &Options) -> Result<Export, ExportError> {
    let outcome = engine::run(&engine::Options {
        start: options.start.clone(),
        config: options.config.clone(),
        jobs: options.jobs,
        collect_facts: true,
        exhaustive: true,
        cache: false,
        ..engine::Options::default()
    })
    .map_err(ExportError::Fatal)?;
    let config = &outcome.config;
    let edition = match &options.edition {
        Some(name) => config.edition_named(name).ok_or_else(|| {
            let names: Vec<&str> = config.editions.iter().map(|e| e.name.as_str()).collect();
            let hint = crate::suggest::did_you_mean(name, names.iter().copied());
            ExportError::Refused(format!(
                "no edition `{name}` in the configuration (editions: {}). {hint}",
                names.join(", ")
            ))
        })?,
        None => config.default,
    };
    let out = prepare_out(&outcome.root, &options.out, options.force)?;
    let removed_edition = |e: EditionId| e != edition && !config.may_use(edition, e);
    let plan = ExportPlan::new(&outcome, &removed_edition);
    plan.refuse_unclosed_snippets(&outcome)?;
    let written = plan.write(&outcome, &out)?;
    let boundary_errors = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.code.as_str().starts_with("boundary/"))
        .count();
    Ok(Export {
        root: outcome.root.clone(),
        out,
        edition: config.name(edition).to_owned(),
        written: written.files,
        crates: plan.removal.kept_dirs.iter().cloned().collect(),
        removed: written.removed,
        line_maps: written.line_maps,
        boundary_errors,
        warnings: written.warnings,
    })
}

/// Where a path that may not exist yet really is: its deepest existing
/// ancestor with links and `..` resolved, then the rest, `..` taken
/// lexically (`ws/../out` is a sibling of `ws`, not inside it).
fn real_path(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while existing.canonicalize().is_err() {
        let Some(name) = existing.file_name().map(std::ffi::OsStr::to_os_string) else { break };
        rest.push(name);
        if !existing.pop() {
            break;
        }
    }
    let mut real = existing.canonicalize().unwrap_or(existing);
    for part in rest.iter().rev() {
        if part == ".." {
            real.pop();
        } else if part != "." {
            real.push(part);
        }
    }
    real
}

/// Checks `out` can receive an export, clearing it with `force`, and
/// returns its absolute path.
fn prepare_out(root: &Path, out: &Path, force: bool) -> Result<PathBuf, ExportError> {
    let out = std::path::absolute(out).map_err(|e| ExportError::Refused(format!("{}: {e}", out.display())))?;
    let refuse = |why: String| Err(ExportError::Refused(why));
    if let Ok(meta) = std::fs::symlink_metadata(&out) {
        if meta.file_type().is_symlink() {
            return refuse(format!(
                "{} is a symbolic link: export writes into a real folder only, never through a link",
                out.display()
            ));
        }
        if !meta.is_dir() {
            return refuse(format!("{} exists and is not a folder", out.display()));
        }
    }
    let real_out = real_path(&out);
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if real_out.starts_with(&real_root) || real_root.starts_with(&real_out) {
        return refuse(format!(
            "{} is {} the workspace at {}: export to a folder outside it",
            out.display(),
            if real_out.starts_with(&real_root) { "inside" } else { "a parent of" },
            root.display()
        ));
    }
    match std::fs::read_dir(&out).map(|mut entries| entries.next().is_some()) {
        Ok(true) => {
            if !force {
                return refuse(format!(
                    "{} is not empty: choose an empty folder, or `--force` to clear it first",
                    out.display()
                ));
            }
            clear(&out).map_err(|e| ExportError::Refused(format!("cannot clear {}: {e}", out.display())))?;
        }
        Ok(false) => {}
        Err(_) => {
            std::fs::create_dir_all(&out)
                .map_err(|e| ExportError::Refused(format!("cannot create {}: {e}", out.display())))?;
        }
    }
    Ok(out)
}

/// Removes everything inside `dir` (links themselves, never their targets).
fn clear(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())?;
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// What leaves the export and what is edited on the way.
struct ExportPlan<'a> {
    config: &'a Config,
    /// What every manifest loses: removed crates, mapped features, and what
    /// follows from them across manifests.
    removal: manifest::Removal,
    /// The kept manifests as edited with the final `removal`, by path.
    edited: BTreeMap<String, manifest::Edited>,
    /// Removed files, with why.
    removed_files: BTreeSet<String>,
    /// Facts of checked files, by path.
    facts: BTreeMap<&'a str, &'a FileFacts>,
    removed_edition: &'a dyn Fn(EditionId) -> bool,
}

/// What writing produced.
#[derive(Default)]
struct Written {
    files: usize,
    removed: Removed,
    line_maps: BTreeMap<String, LineMap>,
    warnings: Vec<Diagnostic>,
}

impl<'a> ExportPlan<'a> {
    fn new(outcome: &'a engine::Outcome, removed_edition: &'a dyn Fn(EditionId) -> bool) -> Self {
        let config = &outcome.config;
        // A crate only a removed edition's build has goes too.
        let removed_crates: Vec<&CrateFacts> = outcome
            .inventory
            .crates
            .iter()
            .filter(|c| removed_edition(c.edition) || c.build_only.is_some_and(removed_edition))
            .collect();
        let mut removal = manifest::Removal {
            features: config
                .editions
                .iter()
                .enumerate()
                .filter(|(id, _)| removed_edition(*id))
                .flat_map(|(_, e)| e.features.iter().cloned())
                .collect(),
            packages: removed_crates.iter().map(|c| c.name.clone()).collect(),
            dirs: removed_crates.iter().map(|c| c.dir.clone()).collect(),
            kept_dirs: outcome
                .inventory
                .crates
                .iter()
                .filter(|c| !removed_edition(c.edition))
                .map(|c| c.dir.clone())
                .collect(),
            drop_dev_dependencies: !config.deny_dev_dependencies,
            ..manifest::Removal::default()
        };
        let removed_files: BTreeSet<String> = outcome
            .inventory
            .file_editions
            .iter()
            .filter(|(rel, e)| removed_edition(*e) || removal.covers(rel))
            .map(|(rel, _)| rel.clone())
            .collect();
        let edited = learn_manifests(outcome, &removed_files, &mut removal);
        let facts = outcome.inventory.files.iter().map(|f| (f.path.as_str(), f)).collect();
        ExportPlan { config, removal, edited, removed_files, facts, removed_edition }
    }

    /// A kept file with a snippet that never ends cannot be cut: where does
    /// the enterprise code stop? Nothing is written.
    fn refuse_unclosed_snippets(&self, outcome: &engine::Outcome) -> Result<(), ExportError> {
        let sources = crate::index::Sources::new(&outcome.root, None);
        let found: Vec<Diagnostic> = self
            .facts
            .values()
            .filter(|f| !self.removed_files.contains(&f.path))
            .flat_map(|f| f.unclosed_snippets.iter().map(move |line| (f, *line)))
            .map(|(f, line)| {
                let file = sources.get(&f.path);
                let span = file.line_span(line);
                crate::checks::license::snippet::unclosed_in_export(crate::diagnostic::Location::new(&file, span))
            })
            .collect();
        if found.is_empty() {
            Ok(())
        } else {
            Err(ExportError::Findings(found))
        }
    }

    fn write(&self, outcome: &engine::Outcome, out: &Path) -> Result<Written, ExportError> {
        let root = &outcome.root;
        let mut w = Written::default();
        w.removed.crates = self.removal.dirs.iter().cloned().collect();
        w.removed.files = self.removed_files.iter().cloned().collect();
        // The kept editions' own licenses keep their texts, whoever uses them.
        let mut used_ids: BTreeSet<String> = self
            .config
            .editions
            .iter()
            .enumerate()
            .filter(|(id, _)| !(self.removed_edition)(*id))
            .flat_map(|(_, e)| e.licenses.iter().filter_map(|l| LicenseExpr::parse(l).ok()))
            .flat_map(|e| crate::checks::license::text::ids(&e))
            .collect();
        let mut license_texts: Vec<&str> = Vec::new();
        let mut reuse_toml = None;
        for (rel, _) in &outcome.inventory.file_editions {
            if self.removed_files.contains(rel) {
                continue;
            }
            if is_under(rel, "LICENSES") {
                license_texts.push(rel);
                continue;
            }
            if rel == "REUSE.toml" {
                reuse_toml = Some(rel);
                continue;
            }
            let bytes = read(root, rel)?;
            let new =
                if is_manifest(rel) { self.manifest(rel, &bytes, &mut w) } else { self.source(rel, &bytes, &mut w) };
            used_ids.extend(license_ids(rel, new.as_deref().unwrap_or(&bytes)));
            write(root, out, rel, new.as_deref().unwrap_or(&bytes))?;
            w.files += 1;
        }
        for rel in license_texts {
            let id = rel.rsplit('/').next().and_then(|n| n.rsplit_once('.').map_or(Some(n), |(stem, _)| Some(stem)));
            let used = id.is_some_and(|id| used_ids.iter().any(|u| u.eq_ignore_ascii_case(id)));
            if used || rel.matches('/').count() > 1 {
                write(root, out, rel, &read(root, rel)?)?;
                w.files += 1;
            } else {
                w.removed.license_texts.push(rel.to_owned());
                w.removed.files.push(rel.to_owned());
            }
        }
        if let Some(rel) = reuse_toml {
            let bytes = read(root, rel)?;
            let kept: Vec<&str> = outcome
                .inventory
                .file_editions
                .iter()
                .map(|(r, _)| r.as_str())
                .filter(|r| !self.removed_files.contains(*r) && !w.removed.license_texts.iter().any(|t| t == r))
                .collect();
            let new = self.reuse(&bytes, &kept, &mut w);
            write(root, out, rel, new.as_deref().unwrap_or(&bytes))?;
            w.files += 1;
        }
        for (link, edition, target) in &outcome.inventory.links {
            let link_removed = (self.removed_edition)(*edition) || self.removal.covers(link);
            if link_removed || self.removed_files.contains(target) {
                w.removed.files.push(link.clone());
                continue;
            }
            write_link(out, link, target)?;
            w.files += 1;
        }
        w.removed.files.sort();
        Ok(w)
    }

    /// A kept source file, without its regions of removed editions.
    fn source(&self, rel: &str, bytes: &[u8], w: &mut Written) -> Option<Vec<u8>> {
        let facts = self.facts.get(rel)?;
        let regions: Vec<&Region> = facts.regions.iter().filter(|r| (self.removed_edition)(r.edition)).collect();
        if regions.is_empty() {
            return None;
        }
        let line_of = |at: usize| bytes.get(..at).map_or(0, |b| memchr::memchr_iter(b'\n', b).count()) + 1;
        for r in &regions {
            let region = RemovedRegion {
                path: rel.to_owned(),
                line: line_of(r.span.start),
                name: r.item.clone(),
                edition: self.config.name(r.edition).to_owned(),
                lines: line_of(r.span.end) - line_of(r.span.start) + 1,
            };
            if r.item.is_some() {
                w.removed.items.push(region);
            } else {
                w.removed.snippets.push(region);
            }
        }
        let ranges: Vec<std::ops::Range<usize>> = regions.iter().map(|r| r.span.clone()).collect();
        let (new, map) = source::cut(bytes, &ranges);
        w.line_maps.insert(rel.to_owned(), map);
        Some(new)
    }

    /// A kept Cargo.toml, without what belongs to removed editions.
    fn manifest(&self, rel: &str, bytes: &[u8], w: &mut Written) -> Option<Vec<u8>> {
        let text = std::str::from_utf8(bytes).ok()?;
        let edited =
            self.edited.get(rel).cloned().map_or_else(|| manifest::edit(text, manifest_dir(rel), &self.removal), Ok);
        match edited {
            Ok(edited) => {
                w.removed.manifest.extend(edited.removed.into_iter().map(|r| RemovedEntry {
                    path: rel.to_owned(),
                    table: r.table,
                    key: r.key,
                    line: r.line,
                }));
                (edited.text != text).then(|| edited.text.into_bytes())
            }
            Err(why) => {
                let file = std::sync::Arc::new(crate::diagnostic::SourceFile::new(rel, text));
                w.warnings.push(Diagnostic::unreadable(
                    &file,
                    format!("{rel} does not parse ({}): it was exported unchanged", why.message),
                    "fix the manifest; cargo rejects it too",
                ));
                None
            }
        }
    }

    /// `REUSE.toml` without the annotations that cover no kept file.
    fn reuse(&self, bytes: &[u8], kept: &[&str], w: &mut Written) -> Option<Vec<u8>> {
        let text = std::str::from_utf8(bytes).ok()?;
        let annotations = crate::license::reuse::parse_reuse_toml(text).ok()?;
        let mut doc: toml_edit::DocumentMut = text.parse().ok()?;
        let stale: Vec<usize> = annotations
            .iter()
            .enumerate()
            .filter(|(_, a)| !kept.iter().any(|k| a.matches(k)) && self.removed_files.iter().any(|r| a.matches(r)))
            .map(|(i, _)| i)
            .collect();
        if stale.is_empty() {
            return None;
        }
        let tables = doc.get_mut("annotations")?.as_array_of_tables_mut()?;
        for &i in stale.iter().rev() {
            if let Some(a) = annotations.get(i) {
                w.removed.reuse_annotations.push(a.paths.join(", "));
            }
            tables.remove(i);
        }
        w.removed.reuse_annotations.reverse();
        Some(doc.to_string().into_bytes())
    }
}

/// Edits every kept manifest until `removal` learns nothing more: a feature
/// that turns on another crate's removed feature goes too, in whatever order
/// the manifests come. Returns the last round's edits, made with the final
/// `removal`, by path (none if the rounds ran out first).
fn learn_manifests(
    outcome: &engine::Outcome,
    removed: &BTreeSet<String>,
    removal: &mut manifest::Removal,
) -> BTreeMap<String, manifest::Edited> {
    let manifests: Vec<(&str, String, Option<&str>)> = outcome
        .inventory
        .file_editions
        .iter()
        .filter(|(rel, _)| !removed.contains(rel) && is_manifest(rel))
        .filter_map(|(rel, _)| {
            let text = std::fs::read_to_string(outcome.root.join(rel)).ok()?;
            let dir = manifest_dir(rel);
            let package = outcome.inventory.crates.iter().find(|c| c.dir == dir).map(|c| c.name.as_str());
            Some((rel.as_str(), text, package))
        })
        .collect();
    // Each round can only add: bounded by the number of features and entries.
    for _ in 0..=manifests.len() {
        let mut learnt = false;
        let mut edits = BTreeMap::new();
        for (rel, text, package) in &manifests {
            if let Ok(edited) = manifest::edit(text, manifest_dir(rel), removal) {
                learnt |= removal.learn(*package, &edited.removed);
                edits.insert((*rel).to_owned(), edited);
            }
        }
        if !learnt {
            return edits;
        }
    }
    BTreeMap::new()
}

/// The license ids a kept file uses, as exported.
fn license_ids(rel: &str, bytes: &[u8]) -> Vec<String> {
    let Some(style) = comment::style_for_path(Path::new(rel)) else { return Vec::new() };
    let scan = crate::license::header::scan(bytes, style);
    let tags = scan.licenses.iter().chain(scan.snippets.iter().filter_map(|s| s.license.as_ref()));
    let mut ids: Vec<String> = tags
        .filter_map(|t| LicenseExpr::parse(&t.text).ok())
        .flat_map(|e| crate::checks::license::text::ids(&e))
        .collect();
    if is_manifest(rel) {
        if let Ok(m) = crate::workspace::manifest::parse(&String::from_utf8_lossy(bytes)) {
            let license = m.license.or(m.workspace_license).map(|l| l.value);
            ids.extend(
                license
                    .and_then(|l| LicenseExpr::parse(&l).ok())
                    .map(|e| crate::checks::license::text::ids(&e))
                    .unwrap_or_default(),
            );
        }
    }
    ids
}

fn read(root: &Path, rel: &str) -> Result<Vec<u8>, ExportError> {
    std::fs::read(root.join(rel)).map_err(|e| ExportError::Refused(format!("cannot read {rel}: {e}")))
}

/// Makes `out/link` a symbolic link to `out/target` (both relative paths of
/// the walk), written relative so it stays inside `out`. Where links need
/// privileges (Windows), the link becomes a copy of the exported target.
fn write_link(out: &Path, link: &str, target: &str) -> Result<(), ExportError> {
    let plain = |rel: &str| Path::new(rel).components().all(|c| matches!(c, std::path::Component::Normal(_)));
    if !plain(link) || !plain(target) {
        return Err(ExportError::Refused(format!(
            "refusing to link `{link}` to `{target}`: it does not name a file inside the export"
        )));
    }
    let path = out.join(link);
    let fail = |e: std::io::Error| ExportError::Refused(format!("cannot write {}: {e}", path.display()));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    #[cfg(unix)]
    {
        let depth = link.matches('/').count();
        let relative = format!("{}{target}", "../".repeat(depth));
        std::os::unix::fs::symlink(relative, &path).map_err(fail)
    }
    #[cfg(not(unix))]
    {
        std::fs::copy(out.join(target), &path).map(|_| ()).map_err(fail)
    }
}

/// Writes `bytes` to `out/rel` with the original's permissions. `rel` comes
/// from the walk: plain names, no `..`, so the file lands inside `out`.
fn write(root: &Path, out: &Path, rel: &str, bytes: &[u8]) -> Result<(), ExportError> {
    let plain = Path::new(rel).components().all(|c| matches!(c, std::path::Component::Normal(_)));
    if !plain {
        return Err(ExportError::Refused(format!(
            "refusing to write `{rel}`: it does not name a file inside the export"
        )));
    }
    let target = out.join(rel);
    let fail = |e: std::io::Error| ExportError::Refused(format!("cannot write {}: {e}", target.display()));
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    std::fs::write(&target, bytes).map_err(fail)?;
    if let Ok(meta) = std::fs::metadata(root.join(rel)) {
        std::fs::set_permissions(&target, meta.permissions()).map_err(fail)?;
    }
    Ok(())
}
