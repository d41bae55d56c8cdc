//! The lexical pre-filter: which Rust files the boundary analysis must parse.
//!
//! Parsing with syn runs at about 20 MB/s on two cores, reading and matching
//! words at gigabytes per second, so a file whose text cannot lead to a
//! finding must never reach the parser. Every crossing needs a word the
//! pre-filter sees without parsing, because the unit of the decision is the
//! crate (the files its folder owns; files no crate owns form one more unit):
//!
//! - a crate is **mixed** when its files have different editions, one of them
//!   may carry a tag (`edition(`, `corefence_macros`, or an edition's name
//!   as an argument: `tier(enterprise)`) or a gate (a feature mapped to an
//!   edition, as a string: `feature = "enterprise"`), carries a
//!   snippet of an edition's license, or pulls code from elsewhere
//!   (`#[path = ..]`, `include!`) or data of an edition it may not use
//!   (`include_str!`), or a target's root lies outside its folder;
//! - a dependency is **risky** for a crate when it, or a workspace crate its
//!   library depends on (directly or not, through `[dependencies]`: a
//!   dependency's tests and build script are not built into its
//!   dependents), is mixed or of an edition the crate may not use;
//! - a crate is **analysed** (every file parsed and indexed) when it is mixed
//!   or one of its files names a risky dependency as a word (its dependency
//!   key, package or library name). The risky dependencies of analysed crates
//!   and everything they depend on are indexed too, for name resolution.
//!
//! Any other crate cannot hold a `boundary/*` finding: all its code is of one
//! edition, its own items are of that edition, and every other crate it can
//! name leads only to code it may use. Words match anywhere but on lines
//! that are `//` comments (doc examples and links are not code), strings
//! and block comments included: a false hit costs a parse, never a finding. A file is
//! also parsed on its own when its per-file checks need the syntax: a tag
//! word (`license/snippet`, `edition/unknown`) or a `corefence:` suppression
//! marker (to tell it from a string).

use std::collections::{BTreeSet, HashMap};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::config::{Config, EditionId};
use crate::edition::EditionMap;
use crate::parse::lex::is_ident;
use crate::workspace::{ancestors, is_under, Workspace};

/// What a word means to the pre-filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    /// `edition`, when followed by `(`, or `corefence_macros`: a possible tag.
    Tag,
    /// An edition's name, when it stands as an argument (`tier(enterprise)`):
    /// a possible tag under a renamed import.
    EditionName,
    /// A Cargo feature mapped to an edition, as a string (`feature =
    /// "enterprise"`): code that only that edition's builds have.
    Feature,
    /// `path`, when followed by `=`: a possible `#[path = ..]`.
    Path,
    /// `include`, when followed by `!`.
    Include,
    /// `include_str` or `include_bytes`, when followed by `!`.
    Embed,
    /// `corefence`: a possible suppression comment.
    Marker,
    /// `macro_export`: a macro other crates may expand, whose body's
    /// findings are reported where it is defined.
    MacroExport,
    /// A name under which a workspace crate can be used (index into [`Words::externs`]).
    Extern(u32),
}

/// The words every file is searched for, built once per run.
pub struct Words {
    matcher: Option<AhoCorasick>,
    /// Per pattern, what it means (a word may be an edition, a feature and a crate name at once).
    kinds: Vec<Vec<Word>>,
    /// The distinct extern names, as written in code (`-` as `_`).
    externs: Vec<String>,
}

/// What the pre-filter found in one file.
// Independent facts about one file's words.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Lexed {
    /// A possible `#[edition(..)]` tag, or an SPDX snippet: code marked as
    /// of an edition, which makes its crate mixed.
    pub tag: bool,
    /// The paths of `#[path = ".."]` and `include!("..")` that climb out of
    /// the file's folder (`..`), where they may leave its crate; `/` stands
    /// for one that cannot be followed (absolute, raw, escaped).
    pub pulls: Vec<String>,
    /// The same of `include_str!` and `include_bytes!`: data, not code.
    #[serde(default)]
    pub embeds: Vec<String>,
    /// A possible suppression comment.
    pub marker: bool,
    /// A possible `#[macro_export]`.
    #[serde(default)]
    pub exports_macros: bool,
    /// A possible `cfg(feature = "..")` gate on a feature mapped to an edition.
    pub gate: bool,
    /// The workspace crate names it mentions, sorted (indices into the run's extern names).
    pub externs: Vec<u32>,
}

impl Lexed {
    /// Whether the file's own checks need its syntax.
    pub fn needs_syntax(&self) -> bool {
        self.tag || self.marker
    }
}

impl Words {
    /// The words of this configuration and workspace, for a run that will
    /// read about `files_to_read` files.
    pub fn new(config: &Config, ws: &Workspace, editions: &crate::edition::EditionMap, files_to_read: usize) -> Words {
        // Every name a dependency on a workspace crate can go by in code.
        let mut externs: Vec<String> = ws
            .crates
            .iter()
            .flat_map(|c| {
                c.info.dependencies.iter().filter_map(|d| Some(ws.extern_names(d, ws.dependency_crate(c, d)?)))
            })
            .flatten()
            .collect();
        externs.sort();
        externs.dedup();
        let mut patterns: Vec<String> = Vec::new();
        let mut kinds: Vec<Vec<Word>> = Vec::new();
        let mut add = |pattern: &str, word: Word| {
            if pattern.is_empty() {
                return;
            }
            if let Some(i) = patterns.iter().position(|p| p == pattern) {
                if let Some(k) = kinds.get_mut(i).filter(|k| !k.contains(&word)) {
                    k.push(word);
                }
            } else {
                patterns.push(pattern.to_owned());
                kinds.push(vec![word]);
            }
        };
        add("edition", Word::Tag);
        add("corefence_macros", Word::Tag);
        for e in &config.editions {
            add(&e.name, Word::EditionName);
            for f in &e.features {
                add(f, Word::Feature);
            }
        }
        // Features that turn a mapped one on (`full = ["enterprise"]`) gate too.
        for f in editions.gating_features() {
            add(f, Word::Feature);
        }
        add("path", Word::Path);
        add("include", Word::Include);
        add("include_str", Word::Embed);
        add("include_bytes", Word::Embed);
        add("corefence", Word::Marker);
        add("macro_export", Word::MacroExport);
        for (i, name) in externs.iter().enumerate() {
            add(name, Word::Extern(u32::try_from(i).unwrap_or(u32::MAX)));
        }
        // A DFA scans a few hundred short words fastest but takes tens of
        // milliseconds to build: worth it only when many files are read (a
        // pre-commit run reads a few, the cache knows the rest).
        let kind = if files_to_read > 64 { AhoCorasickKind::DFA } else { AhoCorasickKind::ContiguousNFA };
        let matcher =
            AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).kind(Some(kind)).build(&patterns).ok();
        Words { matcher, kinds, externs }
    }

    /// Searches one file.
    pub fn scan(&self, bytes: &[u8]) -> Lexed {
        let mut out = Lexed::default();
        let Some(matcher) = &self.matcher else {
            // No matcher could be built: every file must be parsed.
            return Lexed { tag: true, pulls: vec!["/".to_owned()], ..Lexed::default() };
        };
        for m in matcher.find_iter(bytes) {
            let (start, end) = (m.start(), m.end());
            let before = start.checked_sub(1).and_then(|i| bytes.get(i)).copied();
            if before.is_some_and(is_ident) || bytes.get(end).copied().is_some_and(is_ident) {
                continue;
            }
            for word in self.kinds.get(m.pattern().as_usize()).into_iter().flatten() {
                // Suppressions are comments; nothing else in a comment is code.
                if *word != Word::Marker && in_line_comment(bytes, start) {
                    continue;
                }
                Self::hit(*word, bytes, start..end, &mut out);
            }
        }
        out.externs.sort_unstable();
        out.externs.dedup();
        out
    }

    /// Records what the match of `word` at `at` means in context.
    fn hit(word: Word, bytes: &[u8], at: std::ops::Range<usize>, out: &mut Lexed) {
        let (start, end) = (at.start, at.end);
        let mut next = bytes.get(end..).unwrap_or_default().iter().filter(|b| !b.is_ascii_whitespace()).copied();
        let prev = || bytes.get(..start).unwrap_or_default().iter().rev().find(|b| !b.is_ascii_whitespace());
        match word {
            // `#[edition(` or `cfg_attr(.., edition(`, not `fn edition(` or
            // `repo::edition(` (`corefence_macros::edition` is a hit by its first word).
            Word::Tag => {
                let text = bytes.get(start..end).unwrap_or_default();
                out.tag |= text != b"edition" || (matches!(prev(), Some(b'[' | b',')) && next.next() == Some(b'('));
            }
            Word::EditionName => {
                out.tag |= matches!(prev(), Some(b'(' | b',')) && matches!(next.next(), Some(b')' | b','));
            }
            Word::Feature => {
                let quoted = |i: Option<usize>| i.and_then(|i| bytes.get(i)) == Some(&b'"');
                out.gate |= quoted(start.checked_sub(1)) && quoted(Some(end));
            }
            // `#[path = ..]`, not `let path = ..`, `path == ..` or `f(path = ..)`
            // (the index follows `#[path]` only as a plain attribute).
            Word::Path if prev() == Some(&b'[') && next.next() == Some(b'=') => {
                out.pulls.extend(climbing_literal(bytes.get(end..).unwrap_or_default(), b'='));
            }
            // A file of another edition inside the crate (`ee/terms.txt`)
            // makes the crate mixed by itself (see [`plan`]).
            Word::Include if next.next() == Some(b'!') => {
                out.pulls.extend(climbing_literal(bytes.get(end..).unwrap_or_default(), b'('));
            }
            Word::Embed if next.next() == Some(b'!') => {
                out.embeds.extend(climbing_literal(bytes.get(end..).unwrap_or_default(), b'('));
            }
            Word::Marker => out.marker = true,
            Word::MacroExport => out.exports_macros = true,
            Word::Extern(i) => out.externs.push(i),
            Word::Path | Word::Include | Word::Embed => {}
        }
    }

    /// The extern name a [`Lexed::externs`] entry stands for.
    fn extern_index(&self, name: &str) -> Option<u32> {
        self.externs.binary_search_by(|n| n.as_str().cmp(name)).ok().and_then(|i| u32::try_from(i).ok())
    }
}

/// The string literal after `opener` (`=` of `path = "..."`, `(` of
/// `include!("...")`) when it climbs out of the folder (`..`); `/` when it
/// cannot be followed here (absolute, raw, escaped). No literal at all
/// (`include!(concat!(..))`) names no workspace file.
fn climbing_literal(after: &[u8], opener: u8) -> Option<String> {
    let mut rest = after.iter().skip_while(|b| **b != opener).skip(1).skip_while(|b| b.is_ascii_whitespace());
    match rest.next() {
        Some(b'"') => {}
        Some(b'r') => return Some("/".to_owned()),
        _ => return None,
    }
    let literal: Vec<u8> = rest.take_while(|b| **b != b'"').copied().collect();
    if literal.contains(&b'\\') || literal.starts_with(b"/") {
        return Some("/".to_owned());
    }
    let climbs = literal.split(|b| *b == b'/').any(|part| part == b"..");
    climbs.then(|| String::from_utf8_lossy(&literal).into_owned())
}

/// Whether a climbing path written in `rel` may land outside crate `unit`.
fn leaves_unit(ws: &Workspace, rel: &str, unit: Option<usize>, path: &str) -> bool {
    // An absolute path (which the tree may find inside the workspace) is
    // taken as leaving: the crate is then indexed.
    landing(rel, path).is_none_or(|joined| ws.crate_index_of(&joined) != unit)
}

/// Where a relative path written in `rel` lands, joined as the module tree
/// joins it, so both agree; `None` for one not followed (absolute).
fn landing(rel: &str, path: &str) -> Option<String> {
    let folder = rel.rsplit_once('/').map_or("", |(dir, _)| dir);
    crate::index::modtree::join(folder, path)
}

/// Whether data a file of edition `own` embeds (`include_str!`,
/// `include_bytes!`) through climbing path `path` may be of an edition it
/// may not use: a file outside its crate that the configuration or the
/// crate owning it gives such an edition, or a path not followed here. Data
/// is not code: embedding a file its edition may use changes nothing that
/// its crate's code means (a crate's tests reading `../../test-data/x.pem`
/// do not make it mixed).
fn embeds_other(
    config: &Config,
    (ws, editions): (&Workspace, &EditionMap),
    (rel, unit, own): (&str, Option<usize>, EditionId),
    path: &str,
) -> bool {
    let Some(joined) = landing(rel, path) else { return true };
    if ws.crate_index_of(&joined) == unit {
        return false;
    }
    let landed = ws.links.get(&joined).unwrap_or(&joined);
    let to = config
        .path_edition(landed)
        .or_else(|| ws.crate_index_of(landed).map(|_| editions.file_edition(config, ws, landed).0));
    to.is_some_and(|to| to != own && !config.may_use(own, to))
}

/// Whether offset `at` is on a line that is a `//` comment (doc comments
/// included: their examples and links are not code).
fn in_line_comment(bytes: &[u8], at: usize) -> bool {
    let before = bytes.get(..at).unwrap_or_default();
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    before.get(line_start..).unwrap_or_default().trim_ascii_start().starts_with(b"//")
}

/// One pre-filtered file, as [`plan`] reads it.
pub struct Seen<'a> {
    /// Relative path.
    pub rel: &'a str,
    /// What the pre-filter found.
    pub lexed: &'a Lexed,
}

/// Which units the boundary analysis indexes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexPlan {
    /// Per unit (crates in `Workspace::crates` order, then the files no
    /// crate owns): whether it is indexed.
    indexed: Vec<bool>,
    /// Per unit: whether its code can have a boundary finding at all. A crate indexed only because such code
    /// resolves paths through it cannot: everything it reaches is of
    /// editions it may use, or goes unnamed.
    checked: Vec<bool>,
}

impl IndexPlan {
    /// Everything is indexed (`--exhaustive`).
    pub fn everything(ws: &Workspace) -> IndexPlan {
        let units = ws.crates.len() + 1;
        IndexPlan { indexed: vec![true; units], checked: vec![true; units] }
    }

    /// Whether the code of crate `krate` (`None`: code no crate owns) can
    /// have a boundary finding: the others are indexed only for the paths
    /// that lead through them.
    pub fn checks(&self, krate: Option<usize>) -> bool {
        let unit = krate.unwrap_or(self.checked.len().saturating_sub(1));
        self.checked.get(unit).copied().unwrap_or(true)
    }

    /// Keeps only what findings in the reported files can depend on: their
    /// crates and everything those depend on, and any crate that reaches
    /// into another crate's Rust files (`#[path]`, `include!`, a target
    /// outside its folder, a reported crate below a target's folder), whose
    /// declarations may give a reported file its edition. rustc resolves nothing in a crate through the crates that
    /// depend on it, so their index cannot change a finding in it, except
    /// where they expand a macro a reported file exports: those crates
    /// are kept too.
    pub fn only_reaching(&mut self, ws: &Workspace, files: &[Seen<'_>], reported: &dyn Fn(&str) -> bool) {
        let n = ws.crates.len();
        let mut roots = vec![false; n + 1];
        for f in files {
            let unit = ws.crate_index_of(f.rel).unwrap_or(n);
            let owner = (unit < n).then_some(unit);
            // Only Rust code pulled in can be a module (data is not).
            let reaches_out = f.lexed.pulls.iter().any(|p| leaves_unit(ws, f.rel, owner, p));
            if reported(f.rel) || reaches_out {
                if let Some(r) = roots.get_mut(unit) {
                    *r = true;
                }
            }
        }
        // A crate whose target lies outside its folder, or below one of
        // whose targets' folders a reported crate lies (`mod x;` and a
        // `#[path]` without `..` reach it).
        let reported_dirs: Vec<&str> = (0..n)
            .filter(|&u| roots.get(u).copied().unwrap_or(false))
            .filter_map(|u| Some(ws.crates.get(u)?.dir.as_str()))
            .collect();
        for (i, c) in ws.crates.iter().enumerate() {
            let outside = c.targets.iter().any(|t| !is_under(&t.root, &c.dir));
            let mut folders = c.targets.iter().map(|t| t.root.rsplit_once('/').map_or("", |(d, _)| d));
            let holds = folders.any(|f| reported_dirs.iter().any(|d| *d != c.dir && is_under(d, f)));
            if outside || holds {
                if let Some(r) = roots.get_mut(i) {
                    *r = true;
                }
            }
        }
        let closure = ws.reach();
        // A macro a reported file exports is expanded in the crates that
        // depend on it, and its body's findings are reported where it is.
        let mut exporting = vec![false; n];
        for f in files.iter().filter(|f| f.lexed.exports_macros && reported(f.rel)) {
            if let Some(slot) = ws.crate_index_of(f.rel).and_then(|i| exporting.get_mut(i)) {
                *slot = true;
            }
        }
        if exporting.iter().any(|e| *e) {
            for (unit, reach) in closure.iter().enumerate() {
                if reach.iter().zip(&exporting).any(|(on, e)| *on && *e) {
                    if let Some(r) = roots.get_mut(unit) {
                        *r = true;
                    }
                }
            }
        }
        let mut keep = vec![false; n];
        for (unit, _) in roots.iter().enumerate().filter(|(_, r)| **r) {
            let reach = closure.get(unit).map_or(&[][..], Vec::as_slice);
            for (slot, on) in keep.iter_mut().zip(reach) {
                *slot |= *on;
            }
            if let Some(slot) = keep.get_mut(unit) {
                *slot = true;
            }
        }
        keep.push(roots.get(n).copied().unwrap_or(true));
        for (slot, keep) in self.indexed.iter_mut().zip(keep) {
            *slot &= keep;
        }
    }

    /// Whether the file at `rel` is indexed.
    pub fn indexes(&self, ws: &Workspace, rel: &str) -> bool {
        let unit = ws.crate_index_of(rel).unwrap_or(ws.crates.len());
        self.indexed.get(unit).copied().unwrap_or(true)
    }
}

/// Decides which units to index from what the pre-filter saw in every Rust file.
pub fn plan(config: &Config, ws: &Workspace, editions: &EditionMap, words: &Words, files: &[Seen<'_>]) -> IndexPlan {
    let n = ws.crates.len();
    // Per unit (crates, then the loose files at index `n`): the one edition
    // of its files, or mixed.
    let mut edition: Vec<Option<EditionId>> = vec![None; n + 1];
    let mut mixed = vec![false; n + 1];
    let mut mentions: Vec<Vec<u32>> = vec![Vec::new(); n + 1];
    for f in files {
        let unit = ws.crate_index_of(f.rel).unwrap_or(n);
        let (e, _) = editions.file_edition(config, ws, f.rel);
        let (Some(slot), Some(m)) = (edition.get_mut(unit), mixed.get_mut(unit)) else { continue };
        let owner = (unit < n).then_some(unit);
        let leaves = f.lexed.pulls.iter().any(|p| leaves_unit(ws, f.rel, owner, p))
            || f.lexed.embeds.iter().any(|p| embeds_other(config, (ws, editions), (f.rel, owner, e), p));
        *m |= f.lexed.tag || f.lexed.gate || leaves || slot.is_some_and(|s| s != e);
        *slot = Some(e);
        if let Some(list) = mentions.get_mut(unit) {
            list.extend_from_slice(&f.lexed.externs);
        }
    }
    for list in &mut mentions {
        list.sort_unstable();
        list.dedup();
    }
    // A file that is not Rust but is assigned another edition than its crate
    // (`include_str!("ee/terms.txt")`), or a link to a file of another
    // edition, can be pulled into the crate's code: the crate is mixed.
    let other_files = ws
        .files
        .iter()
        .filter(|f| std::path::Path::new(&f.rel).extension().is_none_or(|e| e != "rs"))
        .map(|f| (&f.rel, &f.rel));
    for (at, content) in other_files.chain(ws.links.iter()) {
        let Some(unit) = ws.crate_index_of(at) else { continue };
        let assigned = config.path_edition(content).or_else(|| config.path_edition(at));
        if assigned.is_some_and(|e| e != editions.crate_edition(unit).0) {
            if let Some(m) = mixed.get_mut(unit) {
                *m = true;
            }
        }
    }
    for (i, c) in ws.crates.iter().enumerate() {
        let outside = c.targets.iter().any(|t| !is_under(&t.root, &c.dir));
        if let Some(m) = mixed.get_mut(i) {
            *m |= outside;
        }
    }
    let edition_of =
        |unit: usize| edition.get(unit).copied().flatten().unwrap_or_else(|| editions.crate_edition(unit).0);
    let nested = nested_other_code(ws, &mixed, &edition_of);
    for (m, nested) in mixed.iter_mut().zip(nested) {
        *m |= nested;
    }
    // What a crate's code sees through a dependency: the dependency's
    // library and what it depends on, not its tests' dependencies.
    let closure = ws.library_reach();
    let is_mixed = |unit: usize| mixed.get(unit).copied().unwrap_or(true);
    // Per crate: whether anything it reaches is mixed, and the editions it reaches.
    let reached: Vec<(bool, BTreeSet<EditionId>)> = closure
        .iter()
        .map(|reach| {
            let on = reach.iter().enumerate().filter(|(_, r)| **r).map(|(r, _)| r);
            (on.clone().any(is_mixed), on.map(edition_of).collect())
        })
        .collect();
    // Whether `to` (and everything it depends on) is unsafe for code of `from`.
    let risky = |from: EditionId, to: usize| {
        reached
            .get(to)
            .is_none_or(|(mixed, eds)| *mixed || eds.iter().any(|e| !(*e == from || config.may_use(from, *e))))
    };

    // A crate only the build of an edition that may use every edition's
    // code has (a test suite turning the enterprise feature on) breaks in no
    // build: it is analysed only when another unit reaches it.
    let free =
        |c: &crate::workspace::Crate| config.build_only_edition(&c.name).is_some_and(|e| config.may_use_every(e));
    // Analysed units, and the crates their resolution reaches into.
    let mut indexed = vec![false; n + 1];
    let mut checked = vec![false; n + 1];
    for unit in 0..=n {
        if ws.crates.get(unit).is_some_and(free) {
            continue;
        }
        let own = edition_of(unit);
        let mut hit = is_mixed(unit);
        if let (Some(c), Some(said)) = (ws.crates.get(unit), mentions.get(unit)) {
            for (dep, target) in c.info.dependencies.iter().filter_map(|d| Some((d, ws.dependency_crate(c, d)?))) {
                let mentioned = || {
                    ws.extern_names(dep, target)
                        .into_iter()
                        .filter_map(|name| words.extern_index(&name))
                        .any(|i| said.binary_search(&i).is_ok())
                };
                if risky(own, target) && mentioned() {
                    hit = true;
                    let reach = closure.get(target).map_or(&[][..], Vec::as_slice);
                    for (slot, on) in indexed.iter_mut().zip(reach) {
                        *slot |= *on;
                    }
                }
            }
        }
        if let Some(slot) = indexed.get_mut(unit) {
            *slot |= hit;
        }
        if let Some(slot) = checked.get_mut(unit) {
            *slot = hit;
        }
    }
    IndexPlan { indexed, checked }
}

/// Per crate: whether a crate folder with other code (another edition, or
/// mixed) is nested below one of its target roots' folders, where `mod x;`
/// and a local `#[path]` reach.
fn nested_other_code(ws: &Workspace, mixed: &[bool], edition_of: &dyn Fn(usize) -> EditionId) -> Vec<bool> {
    let mut by_folder: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, c) in ws.crates.iter().enumerate() {
        for t in &c.targets {
            by_folder.entry(t.root.rsplit_once('/').map_or("", |(d, _)| d)).or_default().push(i);
        }
    }
    let mut nested = vec![false; ws.crates.len()];
    for (j, d) in ws.crates.iter().enumerate() {
        let other = |i: usize| edition_of(j) != edition_of(i) || mixed.get(j).copied().unwrap_or(true);
        for i in ancestors(&d.dir).filter_map(|dir| by_folder.get(dir)).flatten().copied() {
            if i != j && other(i) {
                if let Some(slot) = nested.get_mut(i) {
                    *slot = true;
                }
            }
        }
    }
    nested
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Words {
        let config = Config::embedded();
        let ws = Workspace {
            root: std::path::PathBuf::new(),
            files: Vec::new(),
            crates: Vec::new(),
            workspace_license: None,
            workspace_dependencies: Vec::new(),
            workspace_roots: Vec::new(),
            root_manifest: None,
            links: std::collections::BTreeMap::new(),
            crate_dirs: foldhash::HashMap::default(),
            crate_names: std::collections::HashMap::new(),
            reach: std::sync::OnceLock::new(),
            library_reach: std::sync::OnceLock::new(),
            diagnostics: Vec::new(),
        };
        let editions = crate::edition::EditionMap::new(&config, &ws);
        Words::new(&config, &ws, &editions, 1)
    }

    #[test]
    fn tags_are_whole_words() {
        let w = words();
        assert!(w.scan(b"#[edition(enterprise)] fn f() {}").tag);
        assert!(w.scan(b"#[tier(enterprise)] fn f() {}").tag);
        assert!(w.scan(b"#[cfg_attr(unix, edition (enterprise, feature = \"x\"))] fn f() {}").tag);
        assert!(w.scan(b"use corefence_macros::edition as tier;").tag);
        assert!(!w.scan(b"fn editions() { let enterprises = 1; }").tag);
        assert!(!w.scan(b"fn edition(&self) -> u32 { self.edition() + repo::edition(p) }").tag);
        assert!(!w.scan(b"// The 2021 edition; for enterprise customers only.").tag);
        assert!(!w.scan(b"    /// #[edition(enterprise)]\n    //! use corefence_macros::edition;").tag);
        assert!(w.scan(b"fn f() {} // a comment after code\n#[edition(enterprise)] fn g() {}").tag);
    }

    #[test]
    fn path_attributes_and_includes() {
        let w = words();
        let pulls = |src: &str| w.scan(src.as_bytes()).pulls;
        assert_eq!(pulls("#[path = \"../ee/x.rs\"] mod x;"), ["../ee/x.rs"]);
        assert_eq!(pulls("#[path = \"/abs/x.rs\"] mod x;"), ["/"]);
        assert_eq!(pulls("#[path=\"a/../../x.rs\"] mod x;"), ["a/../../x.rs"]);
        assert!(pulls("test! { host = \"h\", path = \"/\" }").is_empty());
        assert_eq!(pulls("include !(\"../x.rs\");"), ["../x.rs"]);
        assert_eq!(pulls("include!(r\"x.rs\");"), ["/"]);
        // Below the declaring file's folder: inside the same crate.
        assert!(pulls("#[path = \"unix/x.rs\"] mod x;").is_empty());
        assert!(pulls("include!(\"gen.rs\"); include!(concat!(env!(\"OUT_DIR\"), \"/b.rs\"));").is_empty());
        // Most crates include their README: that alone must not cost a parse.
        let readme = w.scan(b"#![doc = include_str!(\"../README.md\")]");
        assert!(!readme.tag && !readme.gate && readme.pulls.is_empty(), "{readme:?}");
        assert_eq!(readme.embeds, ["../README.md"]);
        assert!(pulls("use std::path::Path; let path = p; if path == q {} include_str!(\"x\");").is_empty());
        // Data, not code: kept apart from the code a file pulls in.
        let data = w.scan(b"const KEY: &[u8] = include_bytes!(\"../../test-ca/key.der\"); include!(\"../gen.in\");");
        assert_eq!((data.pulls, data.embeds), (vec!["../gen.in".to_owned()], vec!["../../test-ca/key.der".to_owned()]));
    }

    #[test]
    fn gates() {
        let w = words();
        assert!(!w.scan(b"#[cfg(feature = \"enterprise\")] mod ent;").tag);
        assert!(w.scan(b"#[cfg(feature = \"enterprise\")] mod ent;").gate);
        assert!(w.scan(b"#[cfg(all(unix, feature=\"enterprise\"))] mod ent;").gate);
        assert!(!w.scan(b"#[cfg(feature = \"enterprise-lite\")] mod x;").gate);
    }

    #[test]
    fn markers() {
        let w = words();
        assert!(w.scan(b"// corefence: allow(license/missing) -- generated").marker);
        assert!(!w.scan(b"fn corefence_like() {}").marker);
    }
}
