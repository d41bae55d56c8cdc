//! Name resolution over the module trees, as rustc does it for the cases that
//! decide an edition boundary: `crate::`, `self::`, `super::`, `::name`,
//! extern crate names (Cargo renames, `extern crate x as y`, a binary naming
//! its own library), `use` aliases, glob imports, items and modules defined in
//! a module (which shadow extern names), and `pub use` re-exports, recording
//! the chain of re-exports a path goes through.
//!
//! Visibility is rustc's: every binding (an item, a module, an import)
//! reaches a scope, the subtree of one module (`pub(crate)`: the crate root;
//! `pub(super)`, `pub(in path)`: that module; private: its own module) or
//! everywhere (`pub`). A glob import brings in only the names its module can
//! see, and an import reaches no further than what it imports. A path
//! through a module (`a::b`) resolves only to what the module the path is
//! written in can see: a private item is reached from its own module and its
//! descendants (`super::private` from a child), and a private or
//! `pub(crate)` item is never reached from outside, so it is not a finding
//! (rustc rejects such code).
//!
//! When cfg gives one name several definitions (a community and an enterprise
//! module behind `cfg(not(feature))` / `cfg(feature)`), the definition present
//! in the build of the referring code's edition wins; only when none is does
//! the reference resolve to a gated one (and is then a finding).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::modtree::{Inputs, ModId, ModTree};
use crate::config::EditionId;
use crate::parse::items::{ItemDef, ModuleBody, UseTarget, Visibility};

/// What a path resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Res {
    /// A module (a crate root too).
    Module(ModId),
    /// The `index`th item of a module's body.
    Item(ModId, usize),
}

/// A `use` a resolution went through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// The used path as written (`acme_ee::Token`).
    pub path: String,
    /// The file of the `use`.
    pub file: usize,
    /// Its span.
    pub span: Range<usize>,
    /// `pub use`.
    pub public: bool,
}

/// A resolved path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The definition.
    pub res: Res,
    /// The `use` declarations followed, in order.
    pub hops: Vec<Hop>,
}

/// How far a binding reaches: everywhere (`None`), or module `m` and its
/// descendants (`Some(m)`).
type Scope = Option<ModId>;

/// A binding of a name: what it resolves to and how far it reaches.
type Binding = (Resolved, Scope);

/// The code a path is written in: its edition, and the edition of the
/// features its `#[cfg]` requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ctx {
    /// The edition of the code.
    pub edition: EditionId,
    /// The edition its cfg gate maps to.
    pub gate: Option<EditionId>,
}

/// Resolves paths over a built [`ModTree`].
pub struct Resolver<'a> {
    inputs: &'a Inputs<'a>,
    tree: &'a ModTree,
    /// Per module id of a target root: the crate names its code can use.
    externs: Vec<Vec<(String, ModId)>>,
    /// Per target root: its `#[macro_export]` macros by name.
    exported: HashMap<(ModId, String), Res>,
    /// Finished lookups. Re-export graphs are DAGs full of diamonds (and
    /// sometimes cycles): without this, glob chains cost exponential time.
    memo: RefCell<HashMap<LookupKey, Option<Binding>>>,
    /// Lookups in progress: meeting one again is a cycle.
    active: RefCell<HashSet<LookupKey>>,
}

/// A lookup: module, name, and the referring code's context.
type LookupKey = (ModId, String, Ctx);

/// Resolution depth beyond which a chain of `use`s is taken as a cycle.
const MAX_DEPTH: usize = 160;

impl<'a> Resolver<'a> {
    /// Prepares extern crate names for every target.
    pub fn new(inputs: &'a Inputs<'a>, tree: &'a ModTree) -> Self {
        let lib_root = |krate: usize| {
            tree.targets
                .iter()
                .find(|t| t.krate == Some(krate) && crate::workspace::is_library_kind(&t.kind))
                .map(|t| t.root)
        };
        let mut externs = vec![Vec::new(); tree.modules.len()];
        for t in &tree.targets {
            let Some(ci) = t.krate else { continue };
            let Some(c) = inputs.ws.crates.get(ci) else { continue };
            let mut names = Vec::new();
            let lib_name = |root: ModId| tree.modules.get(root).map(|m| m.name.clone()).unwrap_or_default();
            for dep in &c.info.dependencies {
                let Some(target) = inputs.ws.dependency_crate(dep) else { continue };
                let Some(root) = lib_root(target) else { continue };
                // A renamed dependency goes by its key; otherwise by the
                // library's own name (`[lib] name` may differ from the package).
                let renamed = inputs.ws.crates.get(target).is_some_and(|d| d.name != dep.key);
                let name = if renamed { dep.key.replace('-', "_") } else { lib_name(root) };
                names.push((name, root));
            }
            if let Some(own) = lib_root(ci).filter(|r| *r != t.root) {
                names.push((lib_name(own), own));
            }
            if let Some(slot) = externs.get_mut(t.root) {
                *slot = names;
            }
        }
        let mut exported = HashMap::new();
        let mut resolver = Resolver {
            inputs,
            tree,
            externs,
            exported: HashMap::new(),
            memo: RefCell::default(),
            active: RefCell::default(),
        };
        for (id, module) in tree.modules.iter().enumerate() {
            let Some(body) = resolver.body(id) else { continue };
            for (i, item) in body.items.iter().enumerate().filter(|(_, it)| it.macro_export) {
                exported.entry((module.root, item.name.clone())).or_insert(Res::Item(id, i));
            }
        }
        resolver.exported = exported;
        resolver
    }

    /// The body of a module.
    pub fn body(&self, m: ModId) -> Option<&'a ModuleBody> {
        let module = self.tree.modules.get(m)?;
        let mut body = &self.inputs.files.get(module.file)?.syntax.root;
        for &i in &module.body {
            body = body.mods.get(i)?.inline.as_ref()?;
        }
        Some(body)
    }

    /// An item of a module.
    pub fn item(&self, m: ModId, index: usize) -> Option<&'a ItemDef> {
        self.body(m)?.items.get(index)
    }

    /// The edition of what a path resolved to.
    pub fn edition(&self, res: Res) -> Option<EditionId> {
        match res {
            Res::Module(m) => self.tree.modules.get(m).map(|x| x.edition),
            Res::Item(m, i) => {
                let module = self.tree.modules.get(m)?;
                let item = self.item(m, i)?;
                let file = self.inputs.files.get(module.file)?;
                file.tag_at(&item.item_span).or_else(|| {
                    let gate = self.inputs.gate_edition(file.features_at(&item.item_span));
                    Some(match gate {
                        Some(g) if g != module.edition && !self.inputs.config.may_use(module.edition, g) => g,
                        _ => module.edition,
                    })
                })
            }
        }
    }

    /// The canonical path of a definition (`acme_ee::sso::login`).
    pub fn display(&self, res: Res) -> String {
        let (m, last) = match res {
            Res::Module(m) => (m, None),
            Res::Item(m, i) => (m, self.item(m, i).map(|it| it.name.clone())),
        };
        let mut names = Vec::new();
        let mut cur = Some(m);
        while let Some(id) = cur {
            let Some(module) = self.tree.modules.get(id) else { break };
            names.push(if module.parent.is_none() && module.name.is_empty() {
                "crate".to_owned()
            } else {
                module.name.clone()
            });
            cur = module.parent;
        }
        names.reverse();
        names.extend(last);
        names.join("::")
    }

    /// Resolves a path written in module `from`.
    pub fn resolve(&self, from: ModId, segments: &[String], global: bool, ctx: Ctx) -> Option<Resolved> {
        self.path(from, segments, global, ctx, 0).map(|(found, _)| found)
    }

    /// Resolves a single name against what module `from` itself defines
    /// (items and child modules, not imports): for one-segment paths in
    /// code, whose imports are reported where they are written.
    pub fn resolve_local(&self, from: ModId, name: &str, ctx: Ctx) -> Option<Resolved> {
        let candidates = self.defined(from, name);
        self.choose(&candidates, ctx).map(|(res, _)| Resolved { res, hops: Vec::new() })
    }

    /// How far a visibility declared in module `m` reaches.
    fn scope(&self, vis: &Visibility, m: ModId) -> Scope {
        match vis {
            Visibility::Public => None,
            Visibility::Private => Some(m),
            Visibility::Crate => Some(self.root(m).unwrap_or(m)),
            // A path that names no module does not compile; the crate is
            // the furthest a restricted visibility can reach.
            Visibility::Restricted(path) => Some(self.restricted(m, path).or(self.root(m)).unwrap_or(m)),
        }
    }

    /// The module `pub(in path)` names, from module `m`.
    fn restricted(&self, m: ModId, path: &[String]) -> Option<ModId> {
        let mut cur = match path.first().map(String::as_str) {
            Some("self" | "super") => m,
            // `crate::a`, or a 2015-edition path from the crate root.
            _ => self.root(m)?,
        };
        for seg in path {
            cur = match seg.as_str() {
                "crate" | "self" => cur,
                "super" => self.tree.modules.get(cur)?.parent?,
                name => self.tree.modules.get(cur)?.children.iter().find(|(n, _)| n == name)?.1,
            };
        }
        Some(cur)
    }

    /// Whether code in module `viewer` sees a binding reaching `scope`.
    fn visible(&self, scope: Scope, viewer: ModId) -> bool {
        let Some(s) = scope else { return true };
        let mut cur = Some(viewer);
        while let Some(c) = cur {
            if c == s {
                return true;
            }
            cur = self.tree.modules.get(c).and_then(|x| x.parent);
        }
        false
    }

    /// The narrower of two scopes that reach a common module (one then
    /// contains the other).
    fn narrower(&self, a: Scope, b: Scope) -> Scope {
        match (a, b) {
            (None, x) | (x, None) => x,
            (Some(x), Some(y)) => Some(if self.visible(Some(x), y) { y } else { x }),
        }
    }

    fn root(&self, m: ModId) -> Option<ModId> {
        self.tree.modules.get(m).map(|x| x.root)
    }

    fn extern_crate(&self, from: ModId, name: &str) -> Option<ModId> {
        let root = self.root(from)?;
        self.externs.get(root)?.iter().find(|(n, _)| n == name).map(|(_, r)| *r)
    }

    /// Resolves a path written in module `from`, with the scope of the
    /// binding it ends at. Every name after the first must be visible from
    /// `from`; the first is `from`'s own (its items, imports and globs).
    fn path(&self, from: ModId, segments: &[String], global: bool, ctx: Ctx, depth: usize) -> Option<Binding> {
        if depth > MAX_DEPTH {
            return None;
        }
        let module = |m: ModId| (Resolved { res: Res::Module(m), hops: Vec::new() }, None);
        let (first, rest) = segments.split_first()?;
        let (mut cur, mut scope) = if global {
            module(self.extern_crate(from, first)?)
        } else {
            match first.as_str() {
                "crate" | "$crate" => module(self.root(from)?),
                "self" => module(from),
                "super" => module(self.tree.modules.get(from)?.parent?),
                "Self" => return None,
                name => match self.lookup(from, name, ctx, depth + 1) {
                    Some(found) => found,
                    None => module(self.extern_crate(from, name)?),
                },
            }
        };
        for seg in rest {
            let Res::Module(m) = cur.res else { break };
            let (next, next_scope) = match seg.as_str() {
                "super" => module(self.tree.modules.get(m)?.parent?),
                "self" => continue,
                name => self.lookup(m, name, ctx, depth + 1).filter(|(_, s)| self.visible(*s, from))?,
            };
            cur.hops.extend(next.hops);
            cur.res = next.res;
            scope = next_scope;
        }
        Some((cur, scope))
    }

    /// Items and child modules of `m` named `name`, with their scopes and the
    /// edition of the cfg gate each is behind.
    fn defined(&self, m: ModId, name: &str) -> Vec<((Res, Scope), Option<EditionId>)> {
        let mut out = Vec::new();
        let Some(module) = self.tree.modules.get(m) else { return out };
        for (n, c) in &module.children {
            if n == name {
                let child = self.tree.modules.get(*c);
                let scope = child.map_or(Some(m), |x| self.scope(&x.vis, m));
                out.push(((Res::Module(*c), scope), child.and_then(|x| x.gate)));
            }
        }
        let file = self.inputs.files.get(module.file);
        if let Some(body) = self.body(m) {
            for (i, item) in body.items.iter().enumerate() {
                if item.name == name {
                    let gate = file.and_then(|f| self.inputs.gate_edition(f.features_at(&item.item_span)));
                    out.push(((Res::Item(m, i), self.scope(&item.vis, m)), gate));
                }
            }
        }
        out
    }

    /// The candidate present in the build of `ctx`'s edition, else the first.
    fn choose<T: Clone>(&self, candidates: &[(T, Option<EditionId>)], ctx: Ctx) -> Option<T> {
        let in_build = |g: &Option<EditionId>| g.is_none_or(|g| self.inputs.allowed(ctx.edition, None, g));
        candidates.iter().find(|(_, g)| in_build(g)).or(candidates.first()).map(|(r, _)| r.clone())
    }

    /// The binding of `name` in module `m`, whoever looks: callers check
    /// that they can see it.
    fn lookup(&self, m: ModId, name: &str, ctx: Ctx, depth: usize) -> Option<Binding> {
        if depth > MAX_DEPTH {
            return None;
        }
        let key = (m, name.to_owned(), ctx);
        if let Some(done) = self.memo.borrow().get(&key) {
            return done.clone();
        }
        if !self.active.borrow_mut().insert(key.clone()) {
            return None;
        }
        let found = self.lookup_uncached(m, name, ctx, depth);
        self.active.borrow_mut().remove(&key);
        self.memo.borrow_mut().insert(key, found.clone());
        found
    }

    fn lookup_uncached(&self, m: ModId, name: &str, ctx: Ctx, depth: usize) -> Option<Binding> {
        let mut candidates: Vec<(Binding, Option<EditionId>)> = self
            .defined(m, name)
            .into_iter()
            .map(|((res, scope), g)| ((Resolved { res, hops: Vec::new() }, scope), g))
            .collect();
        let module = self.tree.modules.get(m)?;
        let file = self.inputs.files.get(module.file)?;
        let body = self.body(m)?;
        for u in &body.uses {
            if u.target != UseTarget::Name(name.to_owned()) {
                continue;
            }
            let found = if u.extern_crate {
                self.extern_crate(m, u.path.first()?.as_str())
                    .map(|r| (Resolved { res: Res::Module(r), hops: Vec::new() }, None))
            } else {
                self.path(m, &u.path, u.global, ctx, depth + 1)
            };
            if let Some((mut found, target)) = found {
                let hop = Hop {
                    path: format!("{}{}", if u.global { "::" } else { "" }, u.path.join("::")),
                    file: module.file,
                    span: u.span.clone(),
                    public: u.vis.is_public(),
                };
                found.hops.insert(0, hop);
                let gate = self.inputs.gate_edition(file.features_at(&u.item_span));
                // An import reaches no further than what it imports.
                let scope = self.narrower(self.scope(&u.vis, m), target);
                candidates.push(((found, scope), gate));
            }
        }
        if let Some(found) = self.choose(&candidates, ctx) {
            return Some(found);
        }
        for u in body.uses.iter().filter(|u| u.target == UseTarget::Glob) {
            let Some((Resolved { res: Res::Module(g), hops }, _)) = self.path(m, &u.path, u.global, ctx, depth + 1)
            else {
                continue;
            };
            if g == m {
                continue;
            }
            // A glob brings in only what `m` can see; a name private to `g`
            // comes from elsewhere, if from anywhere.
            let Some((mut found, target)) = self.lookup(g, name, ctx, depth + 1) else { continue };
            if !self.visible(target, m) {
                continue;
            }
            let mut all = hops;
            all.push(Hop {
                path: format!("{}::*", u.path.join("::")),
                file: module.file,
                span: u.span.clone(),
                public: u.vis.is_public(),
            });
            all.append(&mut found.hops);
            found.hops = all;
            return Some((found, self.narrower(self.scope(&u.vis, m), target)));
        }
        // `#[macro_export]` macros live at the crate root.
        if module.parent.is_none() {
            if let Some(res) = self.exported.get(&(m, name.to_owned())) {
                return Some((Resolved { res: *res, hops: Vec::new() }, None));
            }
        }
        None
    }
}
