//! Rewrites one Cargo.toml for an edition's build: the dependencies on crates
//! that edition may not use, the Cargo features mapped to higher editions and
//! every feature that turns one of those on come out; nothing else changes.
//!
//! The exported tree is reviewed by diffing it against the original, so the
//! output differs from the input only where something was removed.
//! Re-serialising a parsed document cannot promise that (`toml_edit`'s
//! `DocumentMut` writes `\n` for `\r\n` and regroups interleaved dotted keys),
//! so this module parses with `toml_edit`'s span-keeping [`Document`], decides
//! what goes, and deletes those byte ranges from the original text: every byte
//! it keeps is the input's own.
//!
//! An entry of a `[table]` (or a dotted key) goes as whole lines. An element of
//! an array or inline table goes with exactly one comma and whatever else is on
//! its own line, so the elements that stay keep their comments, indentation
//! and trailing-comma style. Comment lines above a removed entry stay: a
//! comment may be about what follows it too, and deleting a kept line is worse
//! than keeping a stale one.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::Serialize;
use toml_edit::{Array, Document, InlineTable, Item, Key, TableLike, Value};

use crate::workspace::join;
use crate::workspace::manifest::ManifestError;

/// What the export removes, workspace-wide.
///
/// Build it from corefence.toml and the workspace, then call [`edit`] for each
/// manifest that stays, feeding every result back through [`Removal::learn`]
/// until it learns nothing new: a feature that turns on a removed feature of a
/// dependency, or a member that inherits a removed `[workspace.dependencies]`
/// entry, then goes too whatever order the manifests come in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removal {
    /// Cargo features mapped to removed editions (`[editions.X] features` in
    /// corefence.toml): removed from every crate.
    pub features: BTreeSet<String>,
    /// Package names of the workspace crates that are removed.
    pub packages: BTreeSet<String>,
    /// Folders of the removed crates, relative to the workspace root,
    /// `/`-separated. Anything at or below one of them is removed.
    pub dirs: BTreeSet<String>,
    /// Keys of the root's `[workspace.dependencies]` entries that were
    /// removed: a member's `x.workspace = true` names the entry, whose key may
    /// differ from its package name.
    pub workspace_dependencies: BTreeSet<String>,
    /// Features removed from each workspace crate, by package name: `dep/f`
    /// turns on a removed feature when `f` is listed here for `dep`'s package.
    pub package_features: BTreeMap<String, BTreeSet<String>>,
    /// Folders of the crates that stay, relative to the workspace root: a
    /// `members` glob that matches none of them, only removed crates, goes
    /// (cargo rejects a glob that matches no folder).
    pub kept_dirs: BTreeSet<String>,
    /// `[boundary] dev-dependencies = "allow"`: a dev-dependency on a
    /// removed crate is no finding, so it goes with the crate (the tests
    /// that use it must be gated, or they are where the build breaks).
    pub drop_dev_dependencies: bool,
}

impl Removal {
    /// Whether `path` (a file or folder, relative to the root) is in a
    /// removed crate's folder.
    pub fn covers(&self, path: &str) -> bool {
        lies_in(path, &self.dirs)
    }

    /// Records what editing one manifest removed that other manifests follow:
    /// its removed features (under `package`, the manifest's package name) and
    /// its removed `[workspace.dependencies]` entries. Returns whether
    /// anything was new.
    pub fn learn(&mut self, package: Option<&str>, removed: &[Removed]) -> bool {
        let mut new = false;
        for r in removed {
            match (r.table.as_str(), package) {
                ("workspace.dependencies", _) => new |= self.workspace_dependencies.insert(r.key.clone()),
                ("features", Some(package)) => {
                    new |= self.package_features.entry(package.to_owned()).or_default().insert(r.key.clone());
                }
                _ => {}
            }
        }
        new
    }
}

/// One thing removed, for the export's report and its `--format json` manifest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Removed {
    /// 1-based line of the key or element in the original text.
    pub line: usize,
    /// Where it was, as a TOML key path: `features`, `dependencies`,
    /// `target."cfg(unix)".dependencies`, `workspace.dependencies`,
    /// `workspace.members`, or `features.default` for an entry of that
    /// feature's list.
    pub table: String,
    /// The entry's key, or the array element's value.
    pub key: String,
}

/// A manifest rewritten for an edition's build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    /// The new text: the original, byte for byte, when nothing applies.
    pub text: String,
    /// What was removed, in file order.
    pub removed: Vec<Removed>,
}

/// Rewrites the manifest `text`, found in the folder `dir` (relative to the
/// workspace root, `""` for the root), for the build that `removal` describes.
///
/// Errs when `text` is not TOML: the caller reports it and copies the file
/// unchanged.
pub fn edit(text: &str, dir: &str, removal: &Removal) -> Result<Edited, ManifestError> {
    let doc = Document::parse(text)
        .map_err(|e| ManifestError { message: e.message().trim().to_owned(), span: e.span().unwrap_or(0..0) })?;
    let root = Container::Lines(doc.as_table());
    let mut plan = ManifestPlan::new(text);
    package(&root, dir, removal, &mut plan);
    workspace(&root, dir, removal, &mut plan);
    let (removed, cuts) = plan.finish();
    if cuts.is_empty() {
        return Ok(Edited { text: text.to_owned(), removed });
    }
    let bug = |what: &str| ManifestError {
        message: format!("corefence could not edit this manifest: {what} (a corefence bug)"),
        span: 0..0,
    };
    let out = String::from_utf8(super::source::splice_out(text.as_bytes(), &cuts))
        .map_err(|_| bug("a cut split a character"))?;
    // Every cut keeps the TOML valid. Should one not, the caller copying the
    // manifest unchanged beats writing a broken one.
    Document::parse(out.as_str()).map_err(|e| bug(&format!("the result does not parse: {}", e.message().trim())))?;
    Ok(Edited { text: out, removed })
}

/// The parts of a package manifest: dependencies (an optional one on a
/// removed crate goes, and so does an optional one only removed features
/// name; with `dev-dependencies = "allow"`, a dev-dependency on a removed
/// crate too) and `[features]` (removed ones go, the rest lose the entries
/// that name what was removed). A required dependency on a removed crate
/// stays: the edition's build fails there, which is the
/// `boundary/dependency` finding cargo proves.
fn package(root: &Container<'_>, dir: &str, removal: &Removal, plan: &mut ManifestPlan<'_>) {
    let deps = dependencies(root);
    let features: Vec<Feature<'_>> = root
        .child("features")
        .map(|table| table.entries().map(|(name, item)| Feature { name, list: item.as_array() }).collect::<Vec<_>>())
        .unwrap_or_default();
    let defined: BTreeSet<&str> = features.iter().map(|f| f.name).collect();
    let mut packages_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for dep in deps.iter().filter(|d| d.nameable) {
        packages_of.entry(dep.key).or_default().insert(dep.package);
    }
    let turns_on_removed = |entry: &str| match dependency_feature(entry) {
        Some((dep, feature)) => {
            removal.features.contains(feature)
                || packages_of.get(dep).is_some_and(|packages| {
                    packages.iter().any(|p| removal.package_features.get(*p).is_some_and(|f| f.contains(feature)))
                })
        }
        None => false,
    };

    // Removed features: the mapped ones and every feature that turns one on,
    // directly or through others. `default` only loses entries: every build
    // has it.
    let mut dependents: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut queue: Vec<&str> = Vec::new();
    for f in features.iter().filter(|f| f.name != "default") {
        if removal.features.contains(f.name) {
            queue.push(f.name);
        }
        for entry in f.enables() {
            dependents.entry(entry).or_default().push(f.name);
            if removal.features.contains(entry) || turns_on_removed(entry) {
                queue.push(f.name);
            }
        }
    }
    let mut gone: BTreeSet<&str> = BTreeSet::new();
    while let Some(name) = queue.pop() {
        if gone.insert(name) {
            queue.extend(dependents.get(name).into_iter().flatten());
        }
    }

    // For each dependency key: whether removed features name it, and
    // whether kept ones do.
    let mut named: BTreeMap<&str, (bool, bool)> = BTreeMap::new();
    for f in &features {
        for dep in f.enables().filter_map(|entry| named_dependency(entry, &defined)) {
            let (by_removed, by_kept) = named.entry(dep).or_default();
            *(if gone.contains(f.name) { by_removed } else { by_kept }) = true;
        }
    }
    let mut dropped: BTreeSet<&str> = BTreeSet::new();
    let mut still: BTreeSet<&str> = BTreeSet::new();
    for dep in &deps {
        let removed = points_at_removed(dep, dir, removal);
        let allowed_dev = removal.drop_dev_dependencies && !dep.nameable && removed;
        let goes = allowed_dev || (dep.optional && (removed || named.get(dep.key) == Some(&(true, false))));
        if goes {
            plan.remove_entry(&dep.container, dep.key, &dep.table);
            dropped.insert(dep.key);
        } else if dep.nameable {
            still.insert(dep.key);
        }
    }
    // A feature names a dependency by key: it is gone only when no table still has it.
    dropped.retain(|key| !still.contains(key));

    let Some(table) = root.child("features") else { return };
    for f in &features {
        if gone.contains(f.name) {
            plan.remove_entry(&table, f.name, "features");
            continue;
        }
        let Some(list) = f.list else { continue };
        let path = key_path(["features", f.name]);
        for (index, value) in list.iter().enumerate() {
            let Some(entry) = value.as_str() else { continue };
            let drop = if let Some(dep) = entry.strip_prefix("dep:") {
                dropped.contains(dep)
            } else if let Some((dep, _)) = dependency_feature(entry) {
                dropped.contains(dep) || turns_on_removed(entry)
            } else {
                gone.contains(entry)
                    || removal.features.contains(entry)
                    || (dropped.contains(entry) && !defined.contains(entry))
            };
            if drop {
                plan.remove_element(list, index, &path, entry);
            }
        }
    }
}

/// The parts of a workspace root manifest: `members` and `default-members`
/// lose removed crates' folders (globs stay: cargo matches them against the
/// folders that exist), `[workspace.dependencies]` loses removed crates.
fn workspace(root: &Container<'_>, dir: &str, removal: &Removal, plan: &mut ManifestPlan<'_>) {
    let Some(ws) = root.child("workspace") else { return };
    for name in ["members", "default-members"] {
        let Some(list) = ws.table().get(name).and_then(Item::as_array) else { continue };
        let path = key_path(["workspace", name]);
        for (index, value) in list.iter().enumerate() {
            let Some(member) = value.as_str() else { continue };
            let glob = member.contains(['*', '?', '[']);
            let removed = if glob {
                only_removed(dir, member, removal)
            } else {
                join(dir, member).is_some_and(|p| lies_in(&p, &removal.dirs))
            };
            if removed {
                plan.remove_element(list, index, &path, member);
            }
        }
    }
    let Some(deps) = ws.child("dependencies") else { return };
    let table = key_path(["workspace", "dependencies"]);
    for (key, item) in deps.entries() {
        let dep = Dependency::read(deps.clone(), table.clone(), key, item, false);
        if points_at_removed(&dep, dir, removal) {
            plan.remove_entry(&dep.container, dep.key, &dep.table);
        }
    }
}

/// Whether a `members` glob written in `dir` matches removed crates and no
/// kept one.
fn only_removed(dir: &str, glob: &str, removal: &Removal) -> bool {
    let Some(pattern) = join(dir, glob) else { return false };
    let Ok(glob) = globset::GlobBuilder::new(&pattern).literal_separator(true).build() else { return false };
    // A set's build reports a glob too large to compile; a lone matcher would panic.
    let Ok(matcher) = globset::GlobSetBuilder::new().add(glob).build() else { return false };
    let matches_removed = removal.dirs.iter().any(|d| matcher.is_match(d));
    matches_removed && !removal.kept_dirs.iter().any(|d| matcher.is_match(d))
}

/// The dependency tables cargo reads, and whether `[features]` can name
/// their entries (it cannot name dev-dependencies).
const DEPENDENCY_TABLES: [(&str, bool); 5] = [
    ("dependencies", true),
    ("build-dependencies", true),
    ("build_dependencies", true),
    ("dev-dependencies", false),
    ("dev_dependencies", false),
];

/// Every dependency of the package, from every table, target-specific ones
/// included.
fn dependencies<'d>(root: &Container<'d>) -> Vec<Dependency<'d>> {
    let mut parents = vec![(root.clone(), Vec::new())];
    if let Some(targets) = root.child("target") {
        for (cfg, _) in targets.entries() {
            if let Some(target) = targets.child(cfg) {
                parents.push((target, vec!["target", cfg]));
            }
        }
    }
    let mut out = Vec::new();
    for (parent, path) in parents {
        for (name, nameable) in DEPENDENCY_TABLES {
            let Some(table) = parent.child(name) else { continue };
            let table_path = key_path(path.iter().copied().chain([name]));
            for (key, item) in table.entries() {
                out.push(Dependency::read(table.clone(), table_path.clone(), key, item, nameable));
            }
        }
    }
    out
}

/// One dependency, as the export judges it.
struct Dependency<'d> {
    /// The table it is in, and that table's key path.
    container: Container<'d>,
    table: String,
    /// The key: the name `[features]` uses for it.
    key: &'d str,
    /// `package = ".."`, else the key.
    package: &'d str,
    path: Option<&'d str>,
    optional: bool,
    /// `workspace = true`.
    inherited: bool,
    /// Not a dev-dependency: `[features]` can name it.
    nameable: bool,
}

impl<'d> Dependency<'d> {
    fn read(container: Container<'d>, table: String, key: &'d str, item: &'d Item, nameable: bool) -> Self {
        let spec = item.as_table_like();
        let field = |name: &str| spec.and_then(|s| s.get(name));
        Dependency {
            container,
            table,
            key,
            package: field("package").and_then(Item::as_str).unwrap_or(key),
            path: field("path").and_then(Item::as_str),
            optional: field("optional").and_then(Item::as_bool) == Some(true),
            inherited: field("workspace").and_then(Item::as_bool) == Some(true),
            nameable,
        }
    }
}

/// Whether the dependency is on a removed crate. A path decides by itself
/// (a community stub may share an enterprise crate's name); without one the
/// package name does, or the inherited `[workspace.dependencies]` entry.
fn points_at_removed(dep: &Dependency<'_>, dir: &str, removal: &Removal) -> bool {
    match dep.path {
        Some(path) => join(dir, path).is_some_and(|p| lies_in(&p, &removal.dirs)),
        None => {
            removal.packages.contains(dep.package)
                || (dep.inherited && removal.workspace_dependencies.contains(dep.key))
        }
    }
}

/// One `[features]` entry.
struct Feature<'d> {
    name: &'d str,
    /// Its list (anything else is not a feature cargo accepts: left alone).
    list: Option<&'d Array>,
}

impl<'d> Feature<'d> {
    fn enables(&self) -> impl Iterator<Item = &'d str> {
        self.list.into_iter().flat_map(Array::iter).filter_map(Value::as_str)
    }
}

/// `dep/feature` or `dep?/feature`: the dependency and its feature.
fn dependency_feature(entry: &str) -> Option<(&str, &str)> {
    if entry.starts_with("dep:") {
        return None;
    }
    let (dep, feature) = entry.split_once('/')?;
    Some((dep.strip_suffix('?').unwrap_or(dep), feature))
}

/// The dependency a `[features]` entry names, if any: `dep:x`, `x/f`,
/// `x?/f`, or `x` itself when no feature of that name is written (cargo makes
/// one for an optional dependency).
fn named_dependency<'e>(entry: &'e str, defined: &BTreeSet<&str>) -> Option<&'e str> {
    if let Some(dep) = entry.strip_prefix("dep:") {
        return Some(dep);
    }
    match dependency_feature(entry) {
        Some((dep, _)) => Some(dep),
        None => (!defined.contains(entry)).then_some(entry),
    }
}

/// Whether `path` is one of the folders `dirs` or below one (below the
/// root folder `""` only when it is the root itself).
fn lies_in(path: &str, dirs: &BTreeSet<String>) -> bool {
    dirs.iter().any(|dir| {
        let dir = dir.trim_start_matches("./").trim_end_matches('/');
        path == dir || (!dir.is_empty() && crate::workspace::is_under(path, dir))
    })
}

/// A dotted TOML key path, each key quoted only where TOML needs it.
fn key_path<'a>(keys: impl IntoIterator<Item = &'a str>) -> String {
    keys.into_iter().map(|k| Key::new(k).display_repr().into_owned()).collect::<Vec<_>>().join(".")
}

/// A table whose entries the export may remove, and how they are written.
#[derive(Clone)]
enum Container<'d> {
    /// A `[header]` table, the root, or dotted keys in one: every entry is
    /// whole lines.
    Lines(&'d dyn TableLike),
    /// Inside the inline table `owner` (`{ .. }`), under its dotted keys
    /// `prefix`: every entry is one or more elements of `owner`.
    Inline { table: &'d dyn TableLike, owner: &'d InlineTable, prefix: Vec<String> },
}

impl<'d> Container<'d> {
    fn table(&self) -> &'d dyn TableLike {
        match self {
            Container::Lines(table) | Container::Inline { table, .. } => *table,
        }
    }

    fn entries(&self) -> impl Iterator<Item = (&'d str, &'d Item)> {
        self.table().iter()
    }

    fn child(&self, key: &str) -> Option<Container<'d>> {
        match (self.table().get(key)?, self) {
            (Item::Table(table), Container::Lines(_)) => Some(Container::Lines(table)),
            (Item::Value(Value::InlineTable(table)), Container::Inline { owner, prefix, .. }) if table.is_dotted() => {
                let mut prefix = prefix.clone();
                prefix.push(key.to_owned());
                Some(Container::Inline { table, owner, prefix })
            }
            (Item::Value(Value::InlineTable(table)), _) => {
                Some(Container::Inline { table, owner: table, prefix: Vec::new() })
            }
            _ => None,
        }
    }
}

/// What goes, gathered before anything is cut so that cuts can be judged
/// together: neighbouring removed lines, and neighbouring removed elements
/// of one list.
struct ManifestPlan<'t> {
    text: &'t str,
    /// Offsets of the text's newlines, for line numbers.
    newlines: Vec<usize>,
    /// What was removed, with the offset of its key or element, to sort by.
    removed: Vec<(usize, Removed)>,
    /// Whole lines of entries removed from `[header]` tables and dotted keys.
    blocks: Vec<Range<usize>>,
    /// Arrays and inline tables that lose elements, by their opening bracket.
    lists: BTreeMap<usize, List>,
}

impl<'t> ManifestPlan<'t> {
    fn new(text: &'t str) -> Self {
        let newlines = text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect();
        ManifestPlan { text, newlines, removed: Vec::new(), blocks: Vec::new(), lists: BTreeMap::new() }
    }

    fn line(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&n| n < offset) + 1
    }

    fn remove_entry(&mut self, container: &Container<'_>, key: &str, table: &str) {
        let Some(item) = container.table().get(key) else { return };
        let at = container.table().key(key).and_then(Key::span).or_else(|| item.span()).map_or(0, |s| s.start);
        let done = match container {
            Container::Lines(_) => {
                let before = self.blocks.len();
                blocks(self.text.as_bytes(), item, &mut self.blocks);
                self.blocks.len() > before
            }
            Container::Inline { owner, prefix, .. } => {
                let path: Vec<&str> = prefix.iter().map(String::as_str).chain([key]).collect();
                let Some(mut list) =
                    owner.span().and_then(|span| self.take_list(span.start, |b| List::inline(b, owner)))
                else {
                    return;
                };
                let mut done = false;
                for element in &mut list.elements {
                    if element.path.iter().map(String::as_str).take(path.len()).eq(path.iter().copied()) {
                        element.remove = true;
                        done = true;
                    }
                }
                self.lists.insert(list.open, list);
                done
            }
        };
        if done {
            self.removed.push((at, Removed { line: self.line(at), table: table.to_owned(), key: key.to_owned() }));
        }
    }

    fn remove_element(&mut self, array: &Array, index: usize, table: &str, value: &str) {
        let Some(mut list) = array.span().and_then(|span| self.take_list(span.start, |b| List::array(b, array))) else {
            return;
        };
        let at = list.elements.get_mut(index).map(|element| {
            element.remove = true;
            element.span.start
        });
        self.lists.insert(list.open, list);
        if let Some(at) = at {
            self.removed.push((at, Removed { line: self.line(at), table: table.to_owned(), key: value.to_owned() }));
        }
    }

    /// The list opening at `open` as marked so far, or a fresh one: all
    /// removals from one list are judged together.
    fn take_list(&mut self, open: usize, fresh: impl FnOnce(&[u8]) -> Option<List>) -> Option<List> {
        self.lists.remove(&open).or_else(|| fresh(self.text.as_bytes()))
    }

    /// What was removed, and the byte ranges to cut (sorted, disjoint).
    fn finish(mut self) -> (Vec<Removed>, Vec<Range<usize>>) {
        let bytes = self.text.as_bytes();
        let mut cuts: Vec<Range<usize>> =
            super::source::merge(self.blocks).into_iter().map(|b| widen(bytes, b)).collect();
        for list in self.lists.values() {
            list.cuts(bytes, &mut cuts);
        }
        self.removed.sort();
        (self.removed.into_iter().map(|(_, r)| r).collect(), super::source::merge(cuts))
    }
}

/// The whole lines an entry of a `[header]` table (or dotted key) takes:
/// each of its values' lines, and a sub-table's header through the end of its
/// body. In TOML a key, its `=` and the start of its value share a line, so a
/// value's lines are the entry's.
fn blocks(bytes: &[u8], item: &Item, out: &mut Vec<Range<usize>>) {
    match item {
        Item::None => {}
        Item::Value(value) => out.extend(value.span().map(|span| lines(bytes, span))),
        Item::Table(table) if table.is_dotted() || table.is_implicit() => {
            for (_, child) in table {
                blocks(bytes, child, out);
            }
        }
        Item::Table(table) => table_block(bytes, table, out),
        Item::ArrayOfTables(tables) => {
            for table in tables {
                table_block(bytes, table, out);
            }
        }
    }
}

/// A `[header]` table: from its header to its last value, comments between
/// them included; its own `[sub.tables]` are blocks of their own.
fn table_block(bytes: &[u8], table: &toml_edit::Table, out: &mut Vec<Range<usize>>) {
    let mut body = Vec::new();
    for (_, child) in table {
        match child {
            Item::Table(t) if !t.is_dotted() => blocks(bytes, child, out),
            Item::ArrayOfTables(_) => blocks(bytes, child, out),
            _ => blocks(bytes, child, &mut body),
        }
    }
    let Some(header) = table.span() else {
        out.extend(body);
        return;
    };
    let header = lines(bytes, header);
    let end = body.iter().map(|b| b.end).fold(header.end, usize::max);
    out.push(header.start..end);
}

/// The whole lines `span` touches, line ending included.
fn lines(bytes: &[u8], span: Range<usize>) -> Range<usize> {
    line_start(bytes, span.start)..line_end(bytes, span.end)
}

fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes.get(..at).and_then(|b| b.iter().rposition(|&c| c == b'\n')).map_or(0, |n| n + 1)
}

/// Just past the newline at or after `at` (the end of the text without one).
fn line_end(bytes: &[u8], at: usize) -> usize {
    bytes.get(at..).and_then(|b| b.iter().position(|&c| c == b'\n')).map_or(bytes.len(), |n| at + n + 1)
}

fn blank_line(bytes: &[u8], line: Range<usize>) -> bool {
    bytes.get(line).is_some_and(|l| l.iter().all(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n')))
}

/// A removed block that was a paragraph of its own (blank lines, or the
/// file's edge, on both sides) takes one side's blank lines with it, so the
/// paragraphs around it stay one blank line apart: the following ones, or the
/// preceding ones at the end of the file.
fn widen(bytes: &[u8], block: Range<usize>) -> Range<usize> {
    let mut before = block.start;
    while before > 0 {
        let start = line_start(bytes, before - 1);
        if !blank_line(bytes, start..before) {
            break;
        }
        before = start;
    }
    let mut after = block.end;
    while after < bytes.len() {
        let end = line_end(bytes, after);
        if !blank_line(bytes, after..end) {
            break;
        }
        after = end;
    }
    let open_before = block.start == 0 || before < block.start;
    let open_after = block.end == bytes.len() || after > block.end;
    match (open_before && open_after, after == bytes.len()) {
        (false, _) => block,
        (true, true) => before..after,
        (true, false) => block.start..after,
    }
}

/// An array or inline table that loses elements.
struct List {
    /// Offsets of its brackets.
    open: usize,
    close: usize,
    elements: Vec<Element>,
}

struct Element {
    /// From the first byte of its key (inline tables) or value to the last of its value.
    span: Range<usize>,
    /// Its dotted key path in an inline table; empty in an array.
    path: Vec<String>,
    remove: bool,
}

impl List {
    fn array(bytes: &[u8], array: &Array) -> Option<List> {
        let elements = array
            .iter()
            .map(|v| v.span().map(|span| Element { span, path: Vec::new(), remove: false }))
            .collect::<Option<Vec<_>>>()?;
        List::new(bytes, array.span()?, [b'[', b']'], elements)
    }

    fn inline(bytes: &[u8], table: &InlineTable) -> Option<List> {
        let span = table.span()?;
        let mut leaves = table
            .get_values()
            .into_iter()
            .map(|(keys, value)| Some((value.span()?, keys.iter().map(|k| k.get().to_owned()).collect())))
            .collect::<Option<Vec<(Range<usize>, Vec<String>)>>>()?;
        leaves.sort_by_key(|(value, _)| value.start);
        // A dotted key's later parts have no span of their own: an element
        // starts at the first thing after the previous comma.
        let mut from = span.start + 1;
        let mut elements = Vec::new();
        for (value, path) in leaves {
            let start = skip_trivia(bytes, from);
            if start > value.start {
                return None;
            }
            let sep = skip_trivia(bytes, value.end);
            from = if bytes.get(sep) == Some(&b',') { sep + 1 } else { sep };
            elements.push(Element { span: start..value.end, path, remove: false });
        }
        List::new(bytes, span, [b'{', b'}'], elements)
    }

    fn new(bytes: &[u8], span: Range<usize>, brackets: [u8; 2], elements: Vec<Element>) -> Option<List> {
        let close = span.end.checked_sub(1)?;
        let [open_byte, close_byte] = brackets;
        (bytes.get(span.start) == Some(&open_byte) && bytes.get(close) == Some(&close_byte)).then_some(List {
            open: span.start,
            close,
            elements,
        })
    }

    /// Removes the marked elements one by one from the left, each as if its
    /// neighbours stay (see [`Gap::close`]): the removed ones on its left
    /// are already gone, those on its right are not yet.
    fn cuts(&self, bytes: &[u8], out: &mut Vec<Range<usize>>) {
        let first_start = self.elements.first().map_or(self.close, |e| e.span.start);
        let mut gap = Gap::new(bytes, self.open + 1..first_start);
        // Where the text the current gap stands for begins.
        let mut from = self.open + 1;
        let mut kept_any = false;
        for (index, element) in self.elements.iter().enumerate() {
            let next = self.elements.get(index + 1).map_or(self.close, |e| e.span.start);
            let after = Gap::new(bytes, element.span.end..next);
            if element.remove {
                gap = gap.close(bytes, after, !kept_any, index + 1 == self.elements.len());
            } else {
                gap.cut(from..element.span.start, out);
                kept_any = true;
                from = element.span.end;
                gap = after;
            }
        }
        gap.cut(from..self.close, out);
    }
}

/// Skips whitespace, newlines and comments.
fn skip_trivia(bytes: &[u8], mut at: usize) -> usize {
    while let Some(&b) = bytes.get(at) {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => at += 1,
            b'#' => at = line_end(bytes, at),
            _ => break,
        }
    }
    at
}

/// What is left of the text between two elements of a list (or between an
/// element and a bracket): whitespace, comments and at most one comma, as
/// offsets into the text. Removing an element joins the gaps on its sides.
struct Gap {
    at: Vec<usize>,
    /// The index in `at` of the comma.
    comma: Option<usize>,
}

impl Gap {
    fn new(bytes: &[u8], range: Range<usize>) -> Gap {
        let at: Vec<usize> = range.collect();
        let mut comment = false;
        let mut comma = None;
        for (index, &offset) in at.iter().enumerate() {
            match (comment, bytes.get(offset)) {
                (true, Some(b'\n')) => comment = false,
                (false, Some(b'#')) => comment = true,
                (false, Some(b',')) => {
                    comma = Some(index);
                    break;
                }
                _ => {}
            }
        }
        Gap { at, comma }
    }

    /// Whether `at[range]` is spaces and tabs only.
    fn blank(&self, bytes: &[u8], range: Range<usize>) -> bool {
        self.at.get(range).is_some_and(|s| s.iter().all(|&o| matches!(bytes.get(o), Some(b' ' | b'\t'))))
    }

    fn last_newline(&self, bytes: &[u8]) -> Option<usize> {
        self.at.iter().rposition(|&o| bytes.get(o) == Some(&b'\n'))
    }

    /// From index `from`: spaces and at most a comment, then a newline, whose
    /// index this is.
    fn line_end(&self, bytes: &[u8], from: usize) -> Option<usize> {
        let mut comment = false;
        for (index, &offset) in self.at.iter().enumerate().skip(from) {
            match bytes.get(offset) {
                Some(b'\n') => return Some(index),
                _ if comment => {}
                Some(b'#') => comment = true,
                Some(b' ' | b'\t' | b'\r') => {}
                _ => return None,
            }
        }
        None
    }

    /// The gap left when the element between `self` and `next` goes; `first`
    /// and `last` say whether it is the list's first or last element now.
    /// Exactly one comma goes with it (none if it had none and was alone), so
    /// the list stays valid whatever its layout.
    fn close(mut self, bytes: &[u8], mut next: Gap, first: bool, last: bool) -> Gap {
        // Nothing but spaces between the element and its comma, if any.
        let hugged = next.comma.is_none_or(|c| next.blank(bytes, 0..c));
        let after = next.comma.map_or(0, |c| c + 1);

        // Alone on its line with one comma, after it or (in leading-comma
        // style) before it: the line goes, comments on the lines around stay.
        if let Some(newline) = self.last_newline(bytes) {
            let leading = self.comma.filter(|&c| {
                c > newline && self.blank(bytes, newline + 1..c) && self.blank(bytes, c + 1..self.at.len())
            });
            let end = match leading {
                Some(_) => next.line_end(bytes, 0),
                None if hugged && self.blank(bytes, newline + 1..self.at.len()) => next.line_end(bytes, after),
                None => None,
            };
            if let Some(end) = end {
                self.at.truncate(newline + 1);
                if leading.is_some() {
                    // Its comma went with the line; the next one's, on a
                    // later line, now follows the previous element.
                    self.comma = next.comma.map(|n| (newline + n).saturating_sub(end));
                } else if next.comma.is_none() {
                    // The previous element is last now, and the list had no
                    // trailing comma: it loses its comma.
                    if let Some(c) = self.comma.take() {
                        self.forget(c);
                    }
                }
                self.at.extend(next.at.get(end + 1..).unwrap_or_default());
                return self;
            }
        }

        // The next element follows on the same line: it moves into this
        // one's place.
        if let (false, true, Some(c)) = (last, hugged, next.comma) {
            if next.blank(bytes, c + 1..next.at.len()) {
                return self;
            }
        }

        // The previous element is on the same line: the comma between them
        // goes, and this one's comma (if any) serves the previous one. With
        // none, the spaces before the comma go too: what follows this element
        // separates the previous one from the bracket.
        if let Some(c) = self.comma {
            if self.blank(bytes, c + 1..self.at.len()) {
                let keep = if hugged { next.comma.unwrap_or(0) } else { 0 };
                let mut end = c;
                while next.comma.is_none() && end > 0 && self.blank(bytes, end - 1..end) {
                    end -= 1;
                }
                self.at.truncate(end);
                self.comma = next.comma.map(|n| end + n.saturating_sub(keep));
                self.at.extend(next.at.get(keep..).unwrap_or_default());
                return self;
            }
        }

        // First, on the opening bracket's line: its comma and the rest of
        // its line go, the line break stays.
        if first && hugged && self.blank(bytes, 0..self.at.len()) {
            let end = next.line_end(bytes, after).unwrap_or(after);
            next.at.drain(..end.min(next.at.len()));
            next.comma = None;
            return next;
        }

        // Anything else (a comma on a line of its own): the element and one
        // comma go, all else stays.
        match (next.comma, self.comma) {
            (Some(c), _) => next.forget(c),
            (None, Some(c)) => {
                self.forget(c);
                self.comma = None;
            }
            (None, None) => {}
        }
        self.at.extend(next.at);
        self
    }

    /// Drops the byte at index `i` (a comma) from what is left.
    fn forget(&mut self, i: usize) {
        if i < self.at.len() {
            self.at.remove(i);
        }
    }

    /// Cuts everything in `range` but what is left of this gap.
    fn cut(&self, range: Range<usize>, out: &mut Vec<Range<usize>>) {
        let mut kept = self.at.iter().copied().peekable();
        let mut start = None;
        for offset in range.clone() {
            if kept.peek() == Some(&offset) {
                kept.next();
                if let Some(s) = start.take() {
                    out.push(s..offset);
                }
            } else if start.is_none() {
                start = Some(offset);
            }
        }
        if let Some(s) = start {
            out.push(s..range.end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set<const N: usize>(items: [&str; N]) -> BTreeSet<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    /// The demo's removal: the `acme-ee` crate in `ee/` and the
    /// `enterprise` feature.
    fn acme() -> Removal {
        Removal { features: set(["enterprise"]), packages: set(["acme-ee"]), dirs: set(["ee"]), ..Removal::default() }
    }

    /// The edited text and what was removed, as `line table key`.
    fn run(text: &str, dir: &str, removal: &Removal) -> (String, Vec<String>) {
        let edited = edit(text, dir, removal).unwrap();
        // Whatever comes out is still a manifest.
        Document::parse(edited.text.as_str()).unwrap();
        let removed = edited.removed.iter().map(|r| format!("{} {} {}", r.line, r.table, r.key)).collect();
        (edited.text, removed)
    }

    #[test]
    fn a_manifest_nothing_applies_to_comes_back_byte_for_byte() {
        let text = r#"# Acme app
[package]
name = "app"   # the binary

[dependencies]
serde = { version = "1", features = ["enterprise"] }  # a dependency's feature is its own business
acme-ee = { path = "../ee" }

[dev_dependencies]
acme-ee-testing = { path = "../ee/testing" }


[features]
default = [
    "json", # on by default
]
json = ["serde/derive", "acme-ee/json"]

[[bin]]
name = "acme"
path = "src/ee_main.rs"
required-features = ["enterprise"]
"#;
        let edited = edit(text, "app", &acme()).unwrap();
        assert_eq!(edited, Edited { text: text.to_owned(), removed: Vec::new() });
    }

    #[test]
    fn an_optional_dependency_goes_with_the_features_that_switch_it_on() {
        let text = r#"[package]
name = "app"

[dependencies]
serde = "1"
acme-ee = { path = "../ee", optional = true } # enterprise
ldap = { version = "0.11", optional = true }

[features]
default = ["json"]
json = []
enterprise = ["dep:acme-ee", "dep:ldap"]
"#;
        let (out, removed) = run(text, "app", &acme());
        assert_eq!(
            out,
            r#"[package]
name = "app"

[dependencies]
serde = "1"

[features]
default = ["json"]
json = []
"#
        );
        assert_eq!(removed, ["6 dependencies acme-ee", "7 dependencies ldap", "12 features enterprise"]);
    }

    #[test]
    fn a_dependency_kept_features_also_switch_on_stays() {
        let text = r#"[dependencies]
ldap = { version = "0.11", optional = true }
metrics = { version = "1", optional = true }

[features]
enterprise = ["dep:ldap", "metrics"]
observability = ["metrics"]
"#;
        let (out, removed) = run(text, "app", &acme());
        assert_eq!(
            out,
            r#"[dependencies]
metrics = { version = "1", optional = true }

[features]
observability = ["metrics"]
"#
        );
        assert_eq!(removed, ["2 dependencies ldap", "6 features enterprise"]);
    }

    #[test]
    fn crate_feature_entries_that_reach_removed_features_or_crates() {
        let text = r#"[dependencies]
acme-core = { path = "../core" }
acme-ee = { path = "../ee", optional = true }

[features]
default = ["json", "acme-core/enterprise"]
json = ["acme-core/json"]
full = ["json", "acme-core/enterprise"]
audit = ["acme-core?/enterprise"]
sso = ["acme-ee/sso", "acme-ee?/saml", "json"]
"#;
        let (out, removed) = run(text, "app", &acme());
        assert_eq!(
            out,
            r#"[dependencies]
acme-core = { path = "../core" }

[features]
default = ["json"]
json = ["acme-core/json"]
sso = ["json"]
"#
        );
        assert_eq!(
            removed,
            [
                "3 dependencies acme-ee",
                "6 features.default acme-core/enterprise",
                "8 features full",
                "9 features audit",
                "10 features.sso acme-ee/sso",
                "10 features.sso acme-ee?/saml",
            ]
        );
    }

    #[test]
    fn default_loses_entries_and_every_feature_reaching_a_removed_one_goes() {
        let text = r#"[features]
default = ["enterprise", "json"]
json = []
enterprise = []
full = ["enterprise", "json"]
a = ["b"]
b = ["enterprise"]
c = ["json", "a"]
"#;
        let (out, removed) = run(text, "", &acme());
        assert_eq!(
            out,
            r#"[features]
default = ["json"]
json = []
"#
        );
        assert_eq!(
            removed,
            [
                "2 features.default enterprise",
                "4 features enterprise",
                "5 features full",
                "6 features a",
                "7 features b",
                "8 features c",
            ]
        );
    }

    #[test]
    fn allowed_dev_dependencies_on_removed_crates_go_with_them() {
        let text = "[dev-dependencies]\nacme-ee = { path = \"../ee\" }\nlicensing = { package = \"acme-ee\", path = \"../ee\" }\nproptest = \"1\"\n";
        let denied = run(text, "app", &acme()).0;
        assert_eq!(denied, text, "a denied dev-dependency stays: it is the finding cargo proves");
        let allowed = Removal { drop_dev_dependencies: true, ..acme() };
        assert_eq!(run(text, "app", &allowed).0, "[dev-dependencies]\nproptest = \"1\"\n");
    }

    #[test]
    fn every_dependency_table_target_specific_and_old_spellings_included() {
        let text = r#"[target.'cfg(unix)'.dependencies]
acme-ee = { path = "../ee", optional = true }
libc = "0.2"

[target.'cfg(windows)'.dependencies.acme-ee]
path = "../ee"
optional = true

[target.'cfg(windows)'.dependencies]
winapi = "0.3"

[build_dependencies]
acme-ee-build = { path = "../ee/build", optional = true }

[dev-dependencies]
acme-ee = { path = "../ee" }

[features]
enterprise = ["dep:acme-ee", "dep:acme-ee-build"]
"#;
        let (out, removed) = run(text, "app", &acme());
        assert_eq!(
            out,
            r#"[target.'cfg(unix)'.dependencies]
libc = "0.2"

[target.'cfg(windows)'.dependencies]
winapi = "0.3"

[build_dependencies]

[dev-dependencies]
acme-ee = { path = "../ee" }

[features]
"#
        );
        assert_eq!(
            removed,
            [
                "2 target.\"cfg(unix)\".dependencies acme-ee",
                "5 target.\"cfg(windows)\".dependencies acme-ee",
                "13 build_dependencies acme-ee-build",
                "19 features enterprise",
            ]
        );
    }

    #[test]
    fn renamed_dependencies_are_judged_by_path_then_package() {
        let text = r#"[dependencies]
ee = { package = "acme-ee", path = "../ee", optional = true }
ee-registry = { package = "acme-ee", version = "1", optional = true }
stub = { package = "acme-ee", path = "../stub", optional = true }

[features]
enterprise = ["dep:ee", "ee/sso"]
sso = ["ee?/sso", "ee-registry", "json"]
community = ["dep:stub"]
json = []
"#;
        let (out, removed) = run(text, "app", &acme());
        assert_eq!(
            out,
            r#"[dependencies]
stub = { package = "acme-ee", path = "../stub", optional = true }

[features]
sso = ["json"]
community = ["dep:stub"]
json = []
"#
        );
        assert_eq!(
            removed,
            [
                "2 dependencies ee",
                "3 dependencies ee-registry",
                "7 features enterprise",
                "8 features.sso ee?/sso",
                "8 features.sso ee-registry",
            ]
        );
    }

    #[test]
    fn a_required_dependency_on_a_removed_crate_stays_for_cargo_to_refuse() {
        let text = r#"[dependencies]
acme-ee = { path = "../ee" }
acme-ee-too = { package = "acme-ee", version = "1" }

[features]
json = ["acme-ee/json"]
"#;
        let (out, removed) = run(text, "app", &acme());
        assert_eq!(out, text);
        assert!(removed.is_empty());
    }

    #[test]
    fn dotted_keys_go_line_by_line() {
        let text = r#"[dependencies]
acme-ee.path = "../ee"
serde = "1"
acme-ee.optional = true
"#;
        let (out, removed) = run(text, "app", &acme());
        assert_eq!(out, "[dependencies]\nserde = \"1\"\n");
        assert_eq!(removed, ["2 dependencies acme-ee"]);
    }

    #[test]
    fn workspace_members_and_dependencies_lose_removed_crates() {
        let text = r#"[workspace]
members = [
    "app",
    "./ee/",    # enterprise
    "ee/plugins/sso",
    "crates/*",
]
default-members = ["app", "ee"]
exclude = ["ee/fixtures"]

[workspace.dependencies]
serde = "1"
acme-ee = { path = "ee" }
ee-sso = { path = "./ee/plugins/sso/", package = "acme-sso" }
"#;
        let (out, removed) = run(text, "", &acme());
        assert_eq!(
            out,
            r#"[workspace]
members = [
    "app",
    "crates/*",
]
default-members = ["app"]
exclude = ["ee/fixtures"]

[workspace.dependencies]
serde = "1"
"#
        );
        assert_eq!(
            removed,
            [
                "4 workspace.members ./ee/",
                "5 workspace.members ee/plugins/sso",
                "8 workspace.default-members ee",
                "13 workspace.dependencies acme-ee",
                "14 workspace.dependencies ee-sso",
            ]
        );
    }

    #[test]
    fn members_inheriting_a_removed_workspace_dependency_follow_the_root() {
        let root = r#"[workspace]
members = ["app"]

[workspace.dependencies]
serde = "1"
acme-ee = { path = "ee" }
ee-sso = { path = "ee/sso", package = "acme-sso" }
"#;
        let app = r#"[dependencies]
serde.workspace = true
acme-ee.workspace = true
acme-ee.optional = true
ee-sso = { workspace = true, optional = true }

[features]
sso = ["dep:ee-sso"]
"#;
        let mut removal = acme();
        let root = edit(root, "", &removal).unwrap();
        assert!(removal.learn(None, &root.removed));
        assert!(!removal.learn(None, &root.removed));
        assert_eq!(removal.workspace_dependencies, set(["acme-ee", "ee-sso"]));
        let (out, removed) = run(app, "app", &removal);
        assert_eq!(out, "[dependencies]\nserde.workspace = true\n\n[features]\nsso = []\n");
        assert_eq!(removed, ["3 dependencies acme-ee", "5 dependencies ee-sso", "8 features.sso dep:ee-sso"]);
    }

    #[test]
    fn features_reaching_a_removed_feature_of_a_dependency_go_once_learned() {
        let core = "[features]\nenterprise = []\nsso = [\"enterprise\"]\nlog = []\n";
        let app = r#"[dependencies]
core = { package = "acme-core", path = "../core" }

[features]
default = ["core/sso", "json"]
sso = ["core/sso"]
log = ["core/log"]
json = []
"#;
        let mut removal = acme();
        let core = edit(core, "core", &removal).unwrap();
        assert_eq!(core.text, "[features]\nlog = []\n");
        assert!(removal.learn(Some("acme-core"), &core.removed));
        let (out, removed) = run(app, "app", &removal);
        assert_eq!(
            out,
            r#"[dependencies]
core = { package = "acme-core", path = "../core" }

[features]
default = ["json"]
log = ["core/log"]
json = []
"#
        );
        assert_eq!(removed, ["5 features.default core/sso", "6 features sso"]);
    }

    #[test]
    fn comments_and_blank_lines_around_removed_entries_stay() {
        let text = r#"[package]
name = "app" # the app

# Enterprise only.
[dependencies.acme-ee]
path = "../ee"   # sibling
# still the table
optional = true

[dependencies]
serde = "1"

[features]
default = [
    # what every build gets
    "json",
    "enterprise", # the paid part
    "cli",
]
"#;
        let (out, removed) = run(text, "app", &acme());
        assert_eq!(
            out,
            r#"[package]
name = "app" # the app

# Enterprise only.

[dependencies]
serde = "1"

[features]
default = [
    # what every build gets
    "json",
    "cli",
]
"#
        );
        assert_eq!(removed, ["5 dependencies acme-ee", "17 features.default enterprise"]);
    }

    #[test]
    fn a_removed_paragraph_takes_one_blank_line_with_it() {
        let middle = "[package]\nname = \"app\"\n\n[dependencies.acme-ee]\npath = \"../ee\"\noptional = true\n\n[features]\nenterprise = [\"dep:acme-ee\"]\n";
        let (out, _) = run(middle, "app", &acme());
        assert_eq!(out, "[package]\nname = \"app\"\n\n[features]\n");
        let last = "[package]\nname = \"app\"\n\n[dependencies.acme-ee]\npath = \"../ee\"\noptional = true\n";
        let (out, _) = run(last, "app", &acme());
        assert_eq!(out, "[package]\nname = \"app\"\n");
        let first = "[dependencies.acme-ee]\npath = \"../ee\"\noptional = true\n\n[package]\nname = \"app\"\n";
        let (out, _) = run(first, "app", &acme());
        assert_eq!(out, "[package]\nname = \"app\"\n");
    }

    #[test]
    fn windows_line_endings_stay() {
        let text = "[dependencies]\r\nacme-ee = { path = \"../ee\", optional = true }\r\nserde = \"1\"\r\n\r\n[features]\r\ndefault = [\r\n  \"enterprise\",\r\n  \"json\",\r\n]\r\nenterprise = [\"dep:acme-ee\"]\r\njson = []\r\n";
        let (out, removed) = run(text, "app", &acme());
        assert_eq!(
            out,
            "[dependencies]\r\nserde = \"1\"\r\n\r\n[features]\r\ndefault = [\r\n  \"json\",\r\n]\r\njson = []\r\n"
        );
        assert_eq!(removed, ["2 dependencies acme-ee", "7 features.default enterprise", "10 features enterprise"]);
    }

    #[test]
    fn a_manifest_that_is_not_toml_is_an_error() {
        let err = edit("[dependencies]\nacme-ee = { path = \"../ee\"\n", "app", &acme()).unwrap_err();
        assert_eq!(err.span, 41..41);
        assert!(err.message.contains("inline table"), "{}", err.message);
    }

    /// `default = <array>` with the features `x` and `y` removed, for every
    /// layout an array can take.
    #[test]
    fn array_elements_go_with_one_comma_and_their_own_line() {
        let removal = Removal { features: set(["x", "y"]), ..Removal::default() };
        let cases = [
            (r#"["x", "a"]"#, r#"["a"]"#),
            (r#"["a", "x"]"#, r#"["a"]"#),
            (r#"["a", "x", "b"]"#, r#"["a", "b"]"#),
            (r#"["x", "y", "a"]"#, r#"["a"]"#),
            (r#"["a", "x", "y"]"#, r#"["a"]"#),
            (r#"["x", "a", "x"]"#, r#"["a"]"#),
            (r#"["a", "x",]"#, r#"["a",]"#),
            (r#"[ "a" , "x" ]"#, r#"[ "a" ]"#),
            (r#"["x"]"#, "[]"),
            (r#"[ "x" ]"#, "[ ]"),
            (r#"["x", "y"]"#, "[]"),
            ("[\n  \"x\",\n  \"a\",\n]", "[\n  \"a\",\n]"),
            ("[\n  \"a\",\n  \"x\"\n]", "[\n  \"a\"\n]"),
            ("[\n  \"a\",\n  \"x\",\n  \"y\"\n]", "[\n  \"a\"\n]"),
            ("[\n  \"a\", # about a\n  \"x\"\n]", "[\n  \"a\" # about a\n]"),
            ("[\n  \"a\",\n  # about x\n  \"x\", # x\n  \"b\",\n]", "[\n  \"a\",\n  # about x\n  \"b\",\n]"),
            ("[\n  \"x\",\n  # note\n  \"y\",\n  \"a\",\n]", "[\n  # note\n  \"a\",\n]"),
            ("[\n  \"x\",\n  \"y\",\n]", "[\n]"),
            ("[ # list\n  \"x\",\n]", "[ # list\n]"),
            ("[\n  \"a\", \"x\",\n  \"b\",\n]", "[\n  \"a\",\n  \"b\",\n]"),
            ("[\n  \"x\", \"a\",\n]", "[\n  \"a\",\n]"),
            ("[\n  \"a\", \"x\", # x\n  \"b\",\n]", "[\n  \"a\", # x\n  \"b\",\n]"),
            ("[\"x\", # c\n  \"a\"]", "[\n  \"a\"]"),
            ("[\"x\",\n  \"a\",\n]", "[\n  \"a\",\n]"),
            ("[\n  \"a\"\n  , \"x\"\n]", "[\n  \"a\"\n]"),
            ("[\n  \"a\"\n  , \"x\" # x\n  , \"b\"\n]", "[\n  \"a\"\n  , \"b\"\n]"),
            ("[\n  \"a\"\n  , \"x\",\n]", "[\n  \"a\"\n  ,\n]"),
            ("[\n  \"x\"\n  , \"a\"\n]", "[\n  \n   \"a\"\n]"),
            ("[\n  \"x\"]", "[\n  ]"),
        ];
        for (array, expected) in cases {
            let text = format!("[features]\ndefault = {array} # end\n");
            let (out, _) = run(&text, "", &removal);
            assert_eq!(out, format!("[features]\ndefault = {expected} # end\n"), "from {array:?}");
        }
    }

    #[test]
    fn inline_tables_lose_entries_like_arrays_lose_elements() {
        let text = r#"[workspace]
dependencies = { acme-ee = { path = "ee" }, serde = "1", ee.path = "ee/sso", ee.package = "acme-sso" }
"#;
        let (out, removed) = run(text, "", &acme());
        assert_eq!(out, "[workspace]\ndependencies = { serde = \"1\" }\n");
        assert_eq!(removed, ["2 workspace.dependencies acme-ee", "2 workspace.dependencies ee"]);
    }

    #[test]
    fn paths_resolve_from_the_manifest_folder() {
        assert_eq!(join("crates/app", "../../ee").as_deref(), Some("ee"));
        assert_eq!(join("", "./ee/"), Some("ee".to_owned()));
        assert_eq!(join("app", "..\\ee\\sso").as_deref(), Some("ee/sso"));
        assert_eq!(join("app", "../../outside"), None);
        assert_eq!(join("app", "/abs/ee"), None);
        assert_eq!(join("app", "C:\\ee"), None);
        let dirs = set(["ee", "./crates/pro/"]);
        assert!(lies_in("ee", &dirs));
        assert!(lies_in("ee/sso", &dirs));
        assert!(lies_in("crates/pro", &dirs));
        assert!(!lies_in("eek", &dirs));
        assert!(!lies_in("crates/professional", &dirs));
    }
}
