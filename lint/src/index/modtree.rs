//! Module trees: from each target's root file, follow `mod x;` (`x.rs`,
//! `x/mod.rs`, nested folders for non-`mod.rs` files, `#[path]` relative to
//! the declaring file or inline module as rustc resolves it) and inline
//! `mod m { }`, giving every module its edition for boundary purposes.
//!
//! A module file inherits its declarer's edition (including a tag or a cfg
//! gate on the declaration) unless a path assignment, or another crate's
//! assignment, says otherwise. A file declared from modules of different
//! editions takes the edition all its declarers may use. Files no module
//! declares keep their path or crate edition and get a tree of their own, so
//! their paths still resolve.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use rayon::prelude::*;

use super::FileData;
use crate::config::{Config, EditionId};
use crate::edition::EditionMap;
use crate::parse::items::{Cfg, ModDecl, ModuleBody, Name, Visibility};
use crate::workspace::Workspace;

/// Index of a module in [`ModTree::modules`].
pub type ModId = usize;

/// One module.
#[derive(Debug, Clone)]
pub struct Module {
    /// Its name (the target's name for a root).
    pub name: Name,
    /// The enclosing module.
    pub parent: Option<ModId>,
    /// The root of its target.
    pub root: ModId,
    /// The crate, by index in `Workspace::crates`.
    pub krate: Option<usize>,
    /// The file, by index in the index's files.
    pub file: usize,
    /// The inline modules to enter within the file.
    pub body: Vec<usize>,
    /// Child modules by name.
    pub children: Vec<(Name, ModId)>,
    /// Its edition for boundary purposes.
    pub edition: EditionId,
    /// What its declaration's `#[cfg]` (and its file's `#![cfg]`) require:
    /// the builds it exists in.
    pub gate: Gate,
    /// The declaration: file and span of `mod x`.
    pub decl: Option<(usize, Range<usize>)>,
    /// The declaration's visibility, relative to the parent (a root: `pub`).
    pub vis: Visibility,
    /// Its declaration pulls in a file assigned an edition: the index in
    /// [`ModTree::pulls`] (`boundary/module` decides whether that crosses).
    pub pull: Option<usize>,
    /// A block with items in it: an anonymous module (see
    /// [`crate::parse::items::ModDecl::block`]).
    pub block: bool,
    /// Declared `#[macro_use]`: its macros stay in scope in its parent.
    pub macro_use: bool,
}

/// A target's module tree root and the crates its code can name.
#[derive(Debug, Clone)]
pub struct TargetRoot {
    /// The crate.
    pub krate: Option<usize>,
    /// `lib`, `bin`, ...; `orphan` for files no module declares.
    pub kind: String,
    /// The root module.
    pub root: ModId,
}

impl Pull {
    /// A `mod` declaration `decl` in `file`, of edition `from` in the builds
    /// `gate` gives, pulling in `target`, of edition `to`.
    fn declaration(
        file: usize,
        decl: &ModDecl,
        (from, gate): (EditionId, Gate),
        to: EditionId,
        target: String,
    ) -> Self {
        let (span, custom_cfg) = (decl.span.clone(), decl.custom_cfg.clone());
        Pull { file, span, from, gate, to, target, include: false, embeds: false, custom_cfg }
    }
}

/// The module `decl` declares in `parent` (whose id is `id`), before its
/// file, body, edition and gate are known.
fn declared(parent: &Module, id: ModId, decl: &ModDecl) -> Module {
    Module {
        name: decl.name.clone(),
        parent: Some(id),
        root: parent.root,
        krate: parent.krate,
        file: parent.file,
        body: Vec::new(),
        children: Vec::new(),
        edition: parent.edition,
        gate: parent.gate,
        decl: Some((parent.file, decl.span.clone())),
        vis: decl.vis.clone(),
        pull: None,
        block: false,
        macro_use: decl.macro_use,
    }
}

/// A `mod x;` or `include!` pulling in a file assigned an edition (by path
/// or crate): [`crate::checks::boundary::module`] decides whether the
/// declarer may use it.
#[derive(Debug, Clone)]
pub struct Pull {
    /// The declaring file.
    pub file: usize,
    /// The declaration.
    pub span: Range<usize>,
    /// The declarer's edition.
    pub from: EditionId,
    /// The builds the declaration is in.
    pub gate: Gate,
    /// The file's edition.
    pub to: EditionId,
    /// The file pulled in.
    pub target: String,
    /// `mod` or `include!`.
    pub include: bool,
    /// `include_str!` or `include_bytes!`: the file's contents, as data.
    pub embeds: bool,
    /// The declaration is under this cfg, which a build script may set
    /// (see [`crate::parse::items::ModDecl::custom_cfg`]).
    pub custom_cfg: Option<String>,
}

/// A `mod x;` or `include!` whose path leaves the workspace: the file it
/// pulls in cannot be checked.
#[derive(Debug, Clone)]
pub struct Outside {
    /// The declaring file.
    pub file: usize,
    /// The declaration.
    pub span: Range<usize>,
    /// The path as written.
    pub written: String,
    /// `include!` rather than `mod`.
    pub include: bool,
}

/// Every target's module tree.
#[derive(Debug, Default)]
pub struct ModTree {
    /// All modules.
    pub modules: Vec<Module>,
    /// One per crate target (and per orphan file).
    pub targets: Vec<TargetRoot>,
    /// The modules each file is (the first is used to resolve its paths).
    pub file_modules: BTreeMap<usize, Vec<ModId>>,
    /// Every `mod` and `include!` of a file assigned an edition.
    pub pulls: Vec<Pull>,
    /// `mod` and `include!` declarations whose file is outside the workspace.
    pub outside: Vec<Outside>,
    /// Files a `mod` or `include!` names that are not among the parsed
    /// files: the pre-filter may have skipped them (see [`crate::prefilter`]).
    pub missing: std::collections::BTreeSet<String>,
}

/// Everything the tree builder reads.
pub struct Inputs<'a> {
    /// The configuration.
    pub config: &'a Config,
    /// The workspace.
    pub ws: &'a Workspace,
    /// Crate and file editions.
    pub editions: &'a EditionMap,
    /// Parsed files, sorted by path.
    pub files: &'a [FileData],
}

impl Inputs<'_> {
    /// The edition of the code at `span` in `module` (its innermost tag or
    /// snippet, else the module's) and the builds its `#[cfg]` gates and the
    /// module's leave it in: the one place the edition context of code is
    /// decided.
    pub fn context(&self, module: &Module, span: &Range<usize>) -> (EditionId, Gate) {
        let file = self.files.get(module.file);
        let edition = file.and_then(|f| f.tag_at(span)).unwrap_or(module.edition);
        let own = file.map(|f| self.gate_of(module.krate, f.gates_at(span))).unwrap_or_default();
        (edition, self.combine(own, module.gate))
    }

    /// The index of a file by relative path.
    pub fn file(&self, rel: &str) -> Option<usize> {
        self.files.binary_search_by(|f| f.rel.as_str().cmp(rel)).ok()
    }

    /// A path written in a `#[path]` or `include!` in folder `dir`, relative
    /// to the workspace root: an absolute path that points inside the
    /// workspace counts as the file it names. `None` when it leaves the root.
    pub fn written_path(&self, dir: &str, written: &str) -> Option<String> {
        match std::path::Path::new(written).strip_prefix(&self.ws.root) {
            Ok(inside) => join("", &crate::workspace::slash_path(inside)),
            Err(_) => join(dir, written),
        }
    }

    /// The path of the file rustc reads for `rel`: `rel` itself, or the file
    /// a symbolic link at `rel` ends at; `None` when neither exists.
    pub fn real_path(&self, rel: &str) -> Option<String> {
        let exists = |r: &str| self.ws.files.binary_search_by(|f| f.rel.as_str().cmp(r)).is_ok();
        if exists(rel) {
            return Some(rel.to_owned());
        }
        self.ws.links.get(rel).cloned()
    }

    /// Code under both gates `a` and `b`.
    pub fn combine(&self, a: Gate, b: Gate) -> Gate {
        Gate { plain: self.both(a.plain, b.plain), test: self.both(a.test, b.test) }
    }

    /// What code under all of `gates` needs, in crate `krate`: per
    /// configuration, the highest edition any of them requires.
    pub fn gate_of<'g>(
        &self,
        krate: Option<usize>,
        gates: impl IntoIterator<Item = &'g crate::parse::items::Cfg>,
    ) -> Gate {
        gates.into_iter().fold(Gate::default(), |acc, g| self.combine(acc, self.requirement(krate, g)))
    }

    /// What a cfg predicate requires, with `cfg(test)` off and on.
    pub fn requirement(&self, krate: Option<usize>, cfg: &crate::parse::items::Cfg) -> Gate {
        Gate { plain: self.need(krate, cfg, false, true), test: self.need(krate, cfg, true, true) }
    }

    /// What `cfg` (`holds`) or `not(cfg)` (`!holds`) requires with
    /// `cfg(test)` set to `test`, negations pushed inwards (`not(all(a, b))`
    /// is `any(not(a), not(b))`): a feature mapped to an edition (or
    /// turning on one that is) requires that edition; its negation, and
    /// predicates that read no feature, nothing; `all(..)` the highest of
    /// its parts; `any(..)` the lowest, and nothing as soon as one
    /// alternative requires nothing. `test` is `Never` in the other
    /// configuration.
    fn need(&self, krate: Option<usize>, cfg: &crate::parse::items::Cfg, test: bool, holds: bool) -> Need {
        use crate::parse::items::Cfg;
        match cfg {
            Cfg::Feature(f) if holds => {
                self.editions.feature_edition(self.config, krate, f).map_or(Need::Nothing, Need::Edition)
            }
            Cfg::Feature(_) | Cfg::Other => Need::Nothing,
            Cfg::Test if holds == test => Need::Nothing,
            Cfg::Test => Need::Never,
            Cfg::Not(inner) => self.need(krate, inner, test, !holds),
            Cfg::All(parts) | Cfg::Any(parts) => {
                let needs = parts.iter().map(|p| self.need(krate, p, test, holds));
                if matches!(cfg, Cfg::All(_)) == holds {
                    needs.fold(Need::Nothing, |a, b| self.both(a, b))
                } else {
                    needs.fold(Need::Never, |a, b| self.either(a, b))
                }
            }
        }
    }

    /// What code needs to exist where both `a` and `b` must hold.
    fn both(&self, a: Need, b: Need) -> Need {
        match (a, b) {
            (Need::Never, _) | (_, Need::Never) => Need::Never,
            (Need::Edition(a), Need::Edition(b)) => Need::Edition(self.config.higher(a, b)),
            (Need::Nothing, x) | (x, Need::Nothing) => x,
        }
    }

    /// What code needs to exist where `a` or `b` holds.
    fn either(&self, a: Need, b: Need) -> Need {
        match (a, b) {
            (Need::Nothing, _) | (_, Need::Nothing) => Need::Nothing,
            (Need::Edition(a), Need::Edition(b)) => Need::Edition(if self.config.higher(a, b) == a { b } else { a }),
            (Need::Never, x) | (x, Need::Never) => x,
        }
    }

    /// Whether code of `from`, in every build where `gate` lets it exist,
    /// may use `to`.
    pub fn allowed(&self, from: EditionId, gate: Gate, to: EditionId) -> bool {
        let ok = |e: EditionId| e == to || self.config.may_use(e, to);
        [gate.plain, gate.test].into_iter().all(|need| match need {
            Need::Never => true,
            Need::Nothing => ok(from),
            Need::Edition(g) => ok(from) || ok(g),
        })
    }
}

/// What code needs to exist, as far as its cfg gates go, in one setting of
/// `cfg(test)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Need {
    /// Nothing: it is in every edition's build.
    #[default]
    Nothing,
    /// The features mapped to this edition (or a higher one): it is only in
    /// the builds of editions that may use it.
    Edition(EditionId),
    /// It is in no build: its gates cannot hold (`cfg(test)` in the
    /// configuration without it).
    Never,
}

/// What code's cfg gates require in each configuration of `cfg(test)`:
/// `plain` without it (libraries, binaries, examples, benches, integration
/// tests and doctests, which link the library built without it) and `test`
/// with it (a target's own unit tests). Code under `any(feature =
/// "enterprise", test)` is in every unit-test build but only in the
/// enterprise library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Gate {
    /// With `cfg(test)` off.
    pub plain: Need,
    /// With `cfg(test)` on.
    pub test: Need,
}

impl Gate {
    /// The edition the gates require in the build without `cfg(test)`,
    /// or, for code only unit tests compile, in the one with it.
    pub fn edition(self) -> Option<EditionId> {
        match (self.plain, self.test) {
            (Need::Edition(e), _) | (Need::Never, Need::Edition(e)) => Some(e),
            _ => None,
        }
    }

    /// What the gates require in one configuration.
    pub fn need(self, test: bool) -> Need {
        if test {
            self.test
        } else {
            self.plain
        }
    }
}

impl ModTree {
    /// Builds every crate target's tree.
    pub fn build(inputs: &Inputs<'_>) -> ModTree {
        let first = Self::pass(inputs, &BTreeMap::new());
        // Shared files: the edition every declarer may use.
        let mut by_file: BTreeMap<usize, BTreeSet<EditionId>> = BTreeMap::new();
        for m in first.modules.iter().filter(|m| m.body.is_empty() && m.decl.is_some()) {
            if let Some(rel) = inputs.files.get(m.file).map(|f| f.rel.as_str()) {
                if inputs.config.path_edition(rel).is_none() {
                    by_file.entry(m.file).or_default().insert(m.edition);
                }
            }
        }
        let shared: BTreeMap<usize, EditionId> = by_file
            .into_iter()
            .filter(|(_, eds)| eds.len() > 1)
            .filter_map(|(file, eds)| {
                let lowest = eds.iter().find(|&&e| eds.iter().all(|&d| d == e || inputs.config.may_use(d, e))).copied();
                lowest.or_else(|| eds.first().copied()).map(|e| (file, e))
            })
            .collect();
        if shared.is_empty() {
            first
        } else {
            Self::pass(inputs, &shared)
        }
    }

    fn pass(inputs: &Inputs<'_>, shared: &BTreeMap<usize, EditionId>) -> ModTree {
        let mut tree = ModTree::default();
        // A crate only one edition's build has (`build-only-crates`) is, in
        // every target, as gated as a target requiring that edition's features.
        let crate_gate = |ci: Option<usize>| {
            let only =
                ci.and_then(|ci| inputs.ws.crates.get(ci)).and_then(|c| inputs.config.build_only_edition(&c.name));
            only.map_or_else(Gate::default, |e| Gate { plain: Need::Edition(e), test: Need::Edition(e) })
        };
        let targets: Vec<(usize, &crate::workspace::Target)> =
            inputs.ws.crates.iter().enumerate().flat_map(|(ci, c)| c.targets.iter().map(move |t| (ci, t))).collect();
        // Each target's tree on its own (no target's walk reads another's),
        // joined in the order of the targets: the same ids as one by one.
        let trees: Vec<ModTree> = targets
            .par_iter()
            .map(|&(ci, t)| {
                let mut own = ModTree::default();
                if let Some(file) = inputs.file(&t.root) {
                    // A target with `required-features` exists only in builds with them on.
                    let required = Cfg::All(t.required_features.iter().cloned().map(Cfg::Feature).collect());
                    let gate = inputs.combine(inputs.requirement(Some(ci), &required), crate_gate(Some(ci)));
                    own.add_root(inputs, shared, (Some(ci), gate), &t.kind, &t.name.replace('-', "_"), file);
                }
                own
            })
            .collect();
        for own in trees {
            tree.append(own);
        }
        for (file, data) in inputs.files.iter().enumerate() {
            if !tree.file_modules.contains_key(&file) {
                let krate = inputs
                    .ws
                    .crate_of(&data.rel)
                    .and_then(|c| inputs.ws.crates.iter().position(|x| std::ptr::eq(x, c)));
                tree.add_root(inputs, shared, (krate, crate_gate(krate)), "orphan", "", file);
            }
        }
        tree
    }

    /// Adds `other`'s modules after this tree's, renumbered.
    fn append(&mut self, other: ModTree) {
        let (ids, pulls) = (self.modules.len(), self.pulls.len());
        self.modules.extend(other.modules.into_iter().map(|mut m| {
            m.parent = m.parent.map(|p| p + ids);
            m.root += ids;
            m.children.iter_mut().for_each(|(_, c)| *c += ids);
            m.pull = m.pull.map(|p| p + pulls);
            m
        }));
        self.targets.extend(other.targets.into_iter().map(|t| TargetRoot { root: t.root + ids, ..t }));
        for (file, modules) in other.file_modules {
            self.file_modules.entry(file).or_default().extend(modules.into_iter().map(|m| m + ids));
        }
        self.pulls.extend(other.pulls);
        self.outside.extend(other.outside);
        self.missing.extend(other.missing);
    }

    fn add_root(
        &mut self,
        inputs: &Inputs<'_>,
        shared: &BTreeMap<usize, EditionId>,
        (krate, gate): (Option<usize>, Gate),
        kind: &str,
        name: &str,
        file: usize,
    ) {
        let Some(data) = inputs.files.get(file) else { return };
        let (edition, _) = inputs.editions.file_edition(inputs.config, inputs.ws, &data.rel);
        let id = self.modules.len();
        self.modules.push(Module {
            name: name.into(),
            parent: None,
            root: id,
            krate,
            file,
            body: Vec::new(),
            children: Vec::new(),
            edition,
            gate,
            decl: None,
            vis: Visibility::Public,
            pull: None,
            block: false,
            macro_use: false,
        });
        self.file_modules.entry(file).or_default().push(id);
        self.targets.push(TargetRoot { krate, kind: kind.to_owned(), root: id });
        let dir = parent_dir(&data.rel);
        let mut chain = vec![file];
        self.walk(inputs, shared, id, &data.syntax.root, &dir, &dir, &mut chain);
    }

    /// Follows the declarations of one module body. `file_dir` is the
    /// declaring file's folder, `dir` where its child modules live.
    #[allow(clippy::too_many_arguments)] // the walk's whole state; a struct would only rename it
    fn walk(
        &mut self,
        inputs: &Inputs<'_>,
        shared: &BTreeMap<usize, EditionId>,
        module: ModId,
        body: &ModuleBody,
        file_dir: &str,
        dir: &str,
        chain: &mut Vec<usize>,
    ) {
        let Some(parent) = self.modules.get(module).cloned() else { return };
        let Some(data) = inputs.files.get(parent.file) else { return };
        let top_level = parent.body.is_empty();
        self.includes(inputs, &parent, data, file_dir);
        for (i, decl) in body.mods.iter().enumerate() {
            let (ctx, gate) = inputs.context(&parent, &decl.item_span);
            let id = self.modules.len();
            if let (true, Some(inner)) = (decl.block, &decl.inline) {
                self.block(inputs, shared, (module, &parent), i, inner, (file_dir, dir), chain);
                continue;
            }
            // A gate on the declaration does not change whose code the module
            // is (`ctx`), only the builds it exists in (`gate`).
            let child = |file: usize, body: Vec<usize>, edition: EditionId, gate: Gate| Module {
                file,
                body,
                edition,
                gate,
                ..declared(&parent, module, decl)
            };
            if let Some(inner) = &decl.inline {
                let mut path = parent.body.clone();
                path.push(i);
                let child_dir =
                    join(dir, decl.path_attr.as_deref().unwrap_or(&decl.name)).unwrap_or_else(|| OUTSIDE.to_owned());
                self.push_child(module, child(parent.file, path, ctx, gate));
                self.walk(inputs, shared, id, inner, file_dir, &child_dir, chain);
                continue;
            }
            let here = if top_level { file_dir } else { dir };
            let candidates: Option<Vec<String>> = match &decl.path_attr {
                Some(p) => inputs.written_path(here, p).map(|c| vec![c]),
                None => [format!("{}.rs", decl.name), format!("{}/mod.rs", decl.name)]
                    .iter()
                    .map(|name| join(dir, name))
                    .collect(),
            };
            let Some(candidates) = candidates else {
                let written = decl.path_attr.clone().unwrap_or_else(|| decl.name.to_string());
                self.outside.push(Outside { file: parent.file, span: decl.span.clone(), written, include: false });
                continue;
            };
            // `#[cfg_attr(pred, path = "..")]`: in the builds where `pred`
            // holds, the module is that file, a twin of the default one.
            let twins = decl.cfg_paths.iter().filter_map(|(cfg, path)| {
                let rel = inputs.written_path(here, path)?;
                Some((vec![rel], inputs.combine(gate, inputs.requirement(parent.krate, cfg)), true))
            });
            let alternatives: Vec<(Vec<String>, Gate, bool)> =
                std::iter::once((candidates, gate, decl.path_attr.is_some())).chain(twins).collect();
            for (k, (candidates, gate, path_attr)) in alternatives.into_iter().enumerate() {
                // Through a symbolic link, the code is the file it ends at
                // (`target`); child modules are still found beside the link (`rel`).
                let found = candidates.iter().find_map(|c| {
                    let target = inputs.real_path(c)?;
                    Some((inputs.file(&target)?, c.clone(), target))
                });
                let Some((file, rel, target)) = found else {
                    if k == 0 {
                        self.missing.extend(candidates);
                    }
                    continue;
                };
                if chain.contains(&file) {
                    continue;
                }
                let assigned = assigned_edition(inputs, parent.krate, &target);
                let pull = assigned.map(|to| {
                    self.pulls.push(Pull::declaration(parent.file, decl, (ctx, gate), to, target.clone()));
                    self.pulls.len() - 1
                });
                let edition = assigned.or_else(|| shared.get(&file).copied()).unwrap_or(ctx);
                // `#![cfg(..)]` at the top of the file gates the module too.
                let own =
                    inputs.files.get(file).map(|f| inputs.gate_of(parent.krate, f.file_gate())).unwrap_or_default();
                let id = self.modules.len();
                self.push_child(module, Module { pull, ..child(file, Vec::new(), edition, inputs.combine(gate, own)) });
                self.file_modules.entry(file).or_default().push(id);
                let Some(child) = inputs.files.get(file) else { continue };
                let child_file_dir = parent_dir(&rel);
                let mod_rs = path_attr || rel.ends_with("/mod.rs") || rel == "mod.rs";
                let child_dir = if mod_rs {
                    child_file_dir.clone()
                } else {
                    join(&child_file_dir, &decl.name).unwrap_or_else(|| OUTSIDE.to_owned())
                };
                chain.push(file);
                self.walk(inputs, shared, id, &child.syntax.root, &child_file_dir, &child_dir, chain);
                chain.pop();
            }
        }
    }

    /// A block with items, `i`th in `parent`'s body: code of its module,
    /// the tags and gates around it read at each span as in the module.
    #[allow(clippy::too_many_arguments)] // the walk's state, as in `walk`
    fn block(
        &mut self,
        inputs: &Inputs<'_>,
        shared: &BTreeMap<usize, EditionId>,
        (id, parent): (ModId, &Module),
        i: usize,
        body: &ModuleBody,
        (file_dir, dir): (&str, &str),
        chain: &mut Vec<usize>,
    ) {
        let mut path = parent.body.clone();
        path.push(i);
        let block = self.modules.len();
        self.push_child(
            id,
            Module {
                name: Name::default(),
                parent: Some(id),
                body: path,
                children: Vec::new(),
                decl: None,
                vis: Visibility::Private,
                pull: None,
                block: true,
                macro_use: false,
                ..parent.clone()
            },
        );
        self.walk(inputs, shared, block, body, file_dir, dir, chain);
    }

    fn push_child(&mut self, parent: ModId, module: Module) {
        let id = self.modules.len();
        let name = module.name.clone();
        self.modules.push(module);
        if let Some(p) = self.modules.get_mut(parent) {
            p.children.push((name, id));
        }
    }

    fn includes(&mut self, inputs: &Inputs<'_>, module: &Module, data: &FileData, file_dir: &str) {
        for inc in data.syntax.includes.iter().filter(|i| i.module == module.body) {
            let crate_dir = module.krate.and_then(|k| inputs.ws.crates.get(k)).map(|c| c.dir.as_str());
            let base = if inc.from_crate { crate_dir.unwrap_or("") } else { file_dir };
            let Some(rel) = inputs.written_path(base, &inc.path) else {
                let written = inc.path.clone();
                self.outside.push(Outside { file: module.file, span: inc.span.clone(), written, include: true });
                continue;
            };
            // Rust code must be parsed to be followed; text and bytes need only exist.
            let Some(target) = inputs.real_path(&rel) else {
                if inc.code {
                    self.missing.insert(rel);
                }
                continue;
            };
            if inc.code && inputs.file(&target).is_none() {
                self.missing.insert(target);
                continue;
            }
            let rel = target;
            let Some(to) = assigned_edition(inputs, module.krate, &rel) else { continue };
            let (ctx, gate) = inputs.context(module, &inc.span);
            self.pulls.push(Pull {
                file: module.file,
                span: inc.span.clone(),
                from: ctx,
                gate,
                to,
                target: rel,
                include: true,
                embeds: !inc.code,
                custom_cfg: None,
            });
        }
    }

    /// The module `root` of file `file` and its inline modules.
    pub fn modules_in_file(&self, root: ModId, file: usize) -> Vec<ModId> {
        let mut out = vec![root];
        let mut i = 0;
        while let Some(&m) = out.get(i) {
            if let Some(module) = self.modules.get(m) {
                let inline = module.children.iter().map(|(_, c)| *c);
                out.extend(inline.filter(|c| self.modules.get(*c).is_some_and(|x| x.file == file)));
            }
            i += 1;
        }
        out
    }

    /// The module a file's code (at inline path `body`) belongs to, where
    /// the file is first read as a module (see [`ModTree::module_in`]).
    pub fn module_of(&self, file: usize, body: &[usize]) -> Option<ModId> {
        self.module_in(*self.file_modules.get(&file)?.first()?, file, body)
    }

    /// The modules the file is read as: one per `mod` (or `#[path]`) that
    /// reads it, in each crate that does.
    pub fn file_roots(&self, file: usize) -> &[ModId] {
        self.file_modules.get(&file).map_or(&[], Vec::as_slice)
    }

    /// The module the code at inline path `body` of `file` belongs to, in
    /// the reading of the file as module `root`.
    pub fn module_in(&self, root: ModId, file: usize, body: &[usize]) -> Option<ModId> {
        let mut m = root;
        for &i in body {
            let module = self.modules.get(m)?;
            // Inline children are pushed in declaration order with their index recorded in `body`.
            m = module
                .children
                .iter()
                .map(|(_, c)| *c)
                .find(|c| self.modules.get(*c).is_some_and(|x| x.file == file && x.body.last() == Some(&i)))?;
        }
        Some(m)
    }
}

/// A file's own edition when something other than its declarer decides it:
/// a path assignment, or the assignment of another crate that owns it.
fn assigned_edition(inputs: &Inputs<'_>, declaring_crate: Option<usize>, rel: &str) -> Option<EditionId> {
    if let Some(e) = inputs.config.path_edition(rel) {
        return Some(e);
    }
    let owner = inputs.ws.crate_of(rel).and_then(|c| inputs.ws.crates.iter().position(|x| std::ptr::eq(x, c)));
    if owner.is_some() && owner != declaring_crate {
        return Some(inputs.editions.file_edition(inputs.config, inputs.ws, rel).0);
    }
    None
}

/// The folder of a relative path (`""` at the root).
fn parent_dir(rel: &str) -> String {
    rel.rsplit_once('/').map_or_else(String::new, |(d, _)| d.to_owned())
}

/// `dir/rel`, with `.` and `..` resolved; `None` when the path leaves the
/// workspace (climbs above its root, or is absolute).
pub fn join(dir: &str, rel: &str) -> Option<String> {
    if dir.starts_with(OUTSIDE) {
        return None;
    }
    crate::workspace::join(dir, rel)
}

/// The folder of an inline module whose `#[path]` leaves the workspace: no
/// file is ever found in it (a NUL cannot be in a path).
const OUTSIDE: &str = "\0outside";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_like_a_file_system() {
        assert_eq!(join("src/a", "../b/c.rs").as_deref(), Some("src/b/c.rs"));
        assert_eq!(join("", "x.rs").as_deref(), Some("x.rs"));
        assert_eq!(join("src", "./x/../y.rs").as_deref(), Some("src/y.rs"));
        // Leaving the workspace is not clamped to its root.
        assert_eq!(join("src", "../../x.rs"), None);
        assert_eq!(join("src", "/etc/x.rs"), None);
    }
}
