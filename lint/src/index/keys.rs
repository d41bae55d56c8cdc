//! The names a function body must hold to have a boundary finding.
//!
//! A body's finding is a reference that resolves, in the full build, to
//! code some edition may not use: an item, member, module or crate of a
//! higher edition or behind a mapped cfg gate (the finding names it), a
//! name a `use`, an alias or a macro leads to one through, a call of a
//! function whose parameters a gate removes, or code that needs a value's
//! type to implement a trait only such code implements (the value's type is
//! then written in the body, its function's signature or its `impl`
//! header, or declared by a function, field or alias the body names). A
//! body left out of the first reading ([`crate::parse::skeleton`]) is
//! parsed only when its words meet these names.

use std::collections::HashSet;

use super::modtree::{Inputs, ModTree, Need};
use super::resolve::{Ctx, Res, Resolver, View};
use crate::config::EditionId;
use crate::parse::items::{ns, MemberKind, TyPath, UseTarget};
use crate::parse::skeleton::{word_key, Blanked};

/// The names bodies are looked up by, as [`word_key`]s.
#[derive(Debug, Default)]
pub struct Keys {
    /// Names a finding in a body can hinge on, wherever written; and
    /// associated functions and constants, after `.` or `::`.
    words: HashSet<u32>,
    /// Macros whose expansion can break in their own body: the findings of
    /// other files need these too.
    macro_words: HashSet<u32>,
    /// Every body must be parsed: a `use` only higher builds have brings in
    /// names no list holds (`#[cfg(..)] use plan::*`).
    all: bool,
}

impl Keys {
    /// The keys of a resolved workspace.
    pub fn new(inputs: &Inputs<'_>, tree: &ModTree, resolver: &Resolver<'_>) -> Keys {
        let judge = Judge { inputs, tree, resolver };
        let mut found = Found::default();
        found.modules_and_items(&judge);
        let high_member = found.members(&judge);
        found.crates(&judge);
        found.impls(&judge);
        found.asking_functions(&judge);
        found.lower_uses(&judge);
        found.close(&judge, &high_member);
        let Found { names, members, macros, all, .. } = found;
        let words = names.iter().flat_map(|n| [word_key(n, false), word_key(n, true)]);
        let words = words.chain(members.iter().map(|n| word_key(n, true))).collect();
        let macro_words = macros.iter().map(|n| word_key(n, false)).collect();
        Keys { words, macro_words, all }
    }

    /// Whether a body must be parsed to find the findings of its file.
    pub fn wants(&self, body: &Blanked) -> bool {
        self.all || body.words.iter().any(|w| self.words.contains(w))
    }

    /// Whether a body must be parsed for the findings of other files: it
    /// expands a macro that can break in its own body.
    pub fn expands(&self, body: &Blanked) -> bool {
        body.macros.iter().any(|m| self.macro_words.contains(m))
    }
}

/// Which code is higher: of an edition some edition may not use, or
/// under a cfg gate only such an edition's build turns on.
struct Judge<'r, 'a> {
    inputs: &'r Inputs<'a>,
    tree: &'r ModTree,
    resolver: &'r Resolver<'a>,
}

impl Judge<'_, '_> {
    /// Whether every edition may use `e`.
    fn everyones(&self, e: EditionId) -> bool {
        let config = self.inputs.config;
        (0..config.editions.len()).all(|x| x == e || config.may_use(x, e))
    }

    fn high_need(&self, need: Need) -> bool {
        matches!(need, Need::Edition(g) if !self.everyones(g))
    }

    /// Whether code of context `ctx` is higher code.
    fn high_ctx(&self, ctx: Ctx) -> bool {
        !self.everyones(ctx.edition) || self.high_need(ctx.gate.plain) || self.high_need(ctx.gate.test)
    }

    /// Whether the code at `span` of module `m` is higher code.
    fn high_at(&self, m: usize, span: &std::ops::Range<usize>) -> bool {
        self.high_ctx(self.resolver.ctx_at(m, span))
    }

    /// Whether a definition is higher code (a trait's item a type has
    /// through a higher impl, too).
    fn high(&self, res: Res) -> bool {
        let resolver = self.resolver;
        let Some((edition, gate)) = resolver.edition_and_gate(res) else { return false };
        let via = match res {
            Res::Member(i) => resolver.members().get(i).and_then(|info| info.via.clone()),
            _ => None,
        };
        self.high_ctx(Ctx { edition, gate }) || via.is_some_and(|(m, span)| self.high_at(m, &span))
    }
}

/// What [`Keys::new`] gathers.
#[derive(Default)]
struct Found {
    /// Names wherever written.
    names: HashSet<String>,
    /// Associated functions and constants, after `.` or `::`.
    members: HashSet<String>,
    /// Macros whose expansion breaks in their body.
    macros: HashSet<String>,
    /// Higher modules lower code enters.
    modules: HashSet<String>,
    /// See [`Keys::all`].
    all: bool,
    /// Types of higher code, and types with an impl or derive only higher
    /// code has: a value of one can break without a name of it in sight.
    owners: HashSet<Res>,
    /// Traits only higher code implements for some type.
    traits: HashSet<String>,
}

impl Found {
    /// Higher items and the modules lower code enters them by; derives
    /// and `use`s only higher builds have in lower code.
    fn modules_and_items(&mut self, judge: &Judge<'_, '_>) {
        let (tree, resolver) = (judge.tree, judge.resolver);
        for (m, module) in tree.modules.iter().enumerate() {
            let Some(body) = resolver.body(m) else { continue };
            let high_module = judge.high_ctx(Ctx { edition: module.edition, gate: module.gate });
            // A higher module entered from lower code: paths through it
            // reach its own items (keys already) or what it re-exports.
            let entry = module.parent.and_then(|p| tree.modules.get(p));
            let entry = entry.is_none_or(|p| !judge.high_ctx(Ctx { edition: p.edition, gate: p.gate }));
            if entry && high_module {
                if body.uses.iter().any(|u| u.vis.is_public()) {
                    self.names.insert(module.name.clone());
                }
                // A macro may complete a path through it from a fragment.
                self.modules.insert(module.name.clone());
            }
            for (i, item) in body.items.iter().enumerate() {
                if judge.high(Res::Item(m, i)) {
                    self.names.insert(item.name.clone());
                    if item.ns & ns::TYPE != 0 {
                        self.owners.insert(Res::Item(m, i));
                    }
                    continue;
                }
                for (name, _) in item.derives.iter().filter(|(_, span)| judge.high_at(m, span)) {
                    self.owners.insert(Res::Item(m, i));
                    self.names.insert(item.name.clone());
                    self.traits.insert(name.clone());
                }
            }
            if high_module {
                continue;
            }
            for u in body.uses.iter().filter(|u| judge.high_at(m, &u.span)) {
                let UseTarget::Name(name) = &u.target else {
                    self.all = true;
                    continue;
                };
                self.names.insert(name.clone());
                // A trait such a `use` brings into scope: its methods.
                let found = resolver.resolve(m, &u.path, u.global, ns::TYPE, View::Any);
                if let Some(Res::Item(tm, ti)) = found.map(|f| f.res) {
                    let members = resolver.item(tm, ti).map(|i| i.members.as_slice()).unwrap_or_default();
                    self.names.extend(members.iter().map(|x| x.name.clone()));
                }
            }
        }
    }

    /// Higher members: of a lower type, or on a receiver of unknown type
    /// when every member of its name is higher (a member of a higher type
    /// is otherwise reached through the type, an owner). Which members are
    /// higher, by index.
    fn members(&mut self, judge: &Judge<'_, '_>) -> Vec<bool> {
        let resolver = judge.resolver;
        let members = resolver.members();
        let high: Vec<bool> = (0..members.len()).map(|i| judge.high(Res::Member(i))).collect();
        for (i, info) in members.iter().enumerate() {
            if !high.get(i).copied().unwrap_or(false) {
                continue;
            }
            let only = || resolver.members_called(&info.member.name).iter().all(|&j| high.get(j) == Some(&true));
            if info.owner.is_some_and(|o| judge.high(o)) && !only() {
                continue;
            }
            self.member(&info.member);
            // A gated tuple field moves the ones after it (`.2` becomes `.1`).
            if info.member.name.bytes().all(|b| b.is_ascii_digit()) {
                let siblings = info.owner.map(|o| resolver.members_of(o)).unwrap_or_default();
                self.names.extend(siblings.iter().filter_map(|&j| members.get(j)).map(|x| x.member.name.clone()));
            }
        }
        high
    }

    /// A member's name: variants and fields wherever written (`use
    /// Plan::*`, `Config { sso }`), the rest after `.` or `::`.
    fn member(&mut self, member: &crate::parse::items::Member) {
        if matches!(member.kind, MemberKind::Variant | MemberKind::Field) {
            self.names.insert(member.name.clone());
        } else {
            self.members.insert(member.name.clone());
        }
    }

    /// Crates of higher editions, by every name code can give them.
    fn crates(&mut self, judge: &Judge<'_, '_>) {
        let ws = judge.inputs.ws;
        for krate in &ws.crates {
            for d in &krate.info.dependencies {
                let Some(target) = ws.dependency_crate(krate, d) else { continue };
                if !judge.everyones(judge.inputs.editions.crate_edition(target).0) {
                    self.names.extend(ws.extern_names(d, target));
                }
            }
        }
    }

    /// Higher impls of lower traits for lower types (a gated blanket impl
    /// gives the trait to every type with the bounds): the trait and the type.
    fn impls(&mut self, judge: &Judge<'_, '_>) {
        let (tree, resolver) = (judge.tree, judge.resolver);
        for (file, data) in judge.inputs.files.iter().enumerate() {
            let Some(&m) = tree.file_modules.get(&file).and_then(|m| m.first()) else { continue };
            for imp in &data.syntax.impls {
                let Some(trait_path) = &imp.trait_path else { continue };
                let module = tree.module_of(file, &imp.module).unwrap_or(m);
                let trait_res = resolver.type_res(module, trait_path, None);
                if !judge.high_at(module, &imp.span) || trait_res.is_some_and(|r| judge.high(r)) {
                    continue;
                }
                // A value of a higher type is already reached through the type.
                let self_res = imp.self_ty.as_ref().and_then(|t| resolver.type_res(module, t, None));
                if self_res.is_some_and(|r| judge.high(r)) {
                    continue;
                }
                self.traits.extend(trait_path.segments.last().cloned());
                self.names.extend(imp.self_ty.iter().filter_map(|t| t.segments.last().cloned()));
                self.owners.extend(self_res);
            }
        }
        self.names.extend(self.traits.iter().cloned());
    }

    /// Functions some builds call with fewer arguments, and those whose
    /// bounds ask for a trait of [`Found::traits`].
    fn asking_functions(&mut self, judge: &Judge<'_, '_>) {
        let (tree, resolver) = (judge.tree, judge.resolver);
        for (file, data) in judge.inputs.files.iter().enumerate() {
            let syntax = &data.syntax;
            let asks = |bounds: &[String]| bounds.iter().any(|b| self.traits.contains(b));
            let spans: HashSet<&std::ops::Range<usize>> = (syntax.gated_signatures.iter().map(|g| &g.name))
                .chain(syntax.bounded_fns.iter().filter(|(_, b)| b.iter().any(|b| asks(b))).map(|(s, _)| s))
                .chain(syntax.bounded_params.iter().filter(|(_, b)| b.iter().any(|b| asks(b))).map(|(s, _)| s))
                .chain(syntax.bounded_returns.iter().filter(|(_, b)| asks(b)).map(|(s, _)| s))
                .collect();
            if spans.is_empty() {
                continue;
            }
            let mut found = Vec::new();
            for module in tree.file_modules.get(&file).into_iter().flatten() {
                let Some(body) = resolver.body(*module) else { continue };
                found.extend(body.items.iter().filter(|i| spans.contains(&i.span)).map(|i| i.name.clone()));
            }
            let in_file =
                resolver.members().iter().filter(|x| tree.modules.get(x.module).is_some_and(|m| m.file == file));
            let members: Vec<_> = in_file.filter(|x| spans.contains(&x.member.name_span)).collect();
            self.names.extend(found);
            for info in members {
                self.member(&info.member);
            }
        }
    }

    /// Lower code's `use`s of higher code, or of anything through a higher
    /// module: the names they bind.
    fn lower_uses(&mut self, judge: &Judge<'_, '_>) {
        let (tree, resolver) = (judge.tree, judge.resolver);
        for m in 0..tree.modules.len() {
            let Some(body) = resolver.body(m) else { continue };
            for u in body.uses.iter().filter(|u| !judge.high_at(m, &u.span)) {
                let UseTarget::Name(name) = &u.target else { continue };
                let through = (1..=u.path.len()).any(|n| {
                    let ns = if n == u.path.len() { ns::ANY } else { ns::TYPE };
                    let path = u.path.get(..n).unwrap_or_default();
                    resolver.resolve(m, path, u.global, ns, View::Any).is_some_and(|r| judge.high(r.res))
                });
                if through {
                    self.names.insert(name.clone());
                }
            }
        }
    }

    /// Adds, until nothing changes, what leads to a key: aliases of an
    /// owner, macros expanding to a key, and the functions, fields and
    /// aliases lower code declares with the type of an owner, whose values
    /// may need what only higher code has.
    fn close(&mut self, judge: &Judge<'_, '_>, high_member: &[bool]) {
        let (tree, resolver) = (judge.tree, judge.resolver);
        let owned = |m: usize, ty: &TyPath, owners: &HashSet<Res>| typed(resolver, m, ty, owners);
        loop {
            let before = (self.names.len(), self.members.len(), self.owners.len(), self.macros.len());
            for m in 0..tree.modules.len() {
                let Some(body) = resolver.body(m) else { continue };
                for (i, item) in body.items.iter().enumerate().filter(|(i, _)| !judge.high(Res::Item(m, *i))) {
                    if item.alias.as_deref().is_some_and(|t| owned(m, t, &self.owners)) {
                        self.owners.insert(Res::Item(m, i));
                        self.names.insert(item.name.clone());
                    }
                    if item.ret.as_ref().is_some_and(|t| owned(m, t, &self.owners)) {
                        self.names.insert(item.name.clone());
                    }
                    let key = |s: &String| self.names.contains(s) || self.modules.contains(s);
                    let breaks = item.expands.iter().any(|p| p.segments.iter().any(key));
                    if breaks && self.macros.insert(item.name.clone()) {
                        self.names.insert(item.name.clone());
                    }
                }
            }
            for (i, info) in resolver.members().iter().enumerate() {
                if high_member.get(i) == Some(&true) {
                    continue;
                }
                let own = info.member.ty.as_ref().is_some_and(|t| {
                    if t.segments.first().is_some_and(|s| s == "Self") {
                        info.owner.is_some_and(|o| self.owners.contains(&o))
                    } else {
                        owned(info.module, t, &self.owners)
                    }
                });
                if own {
                    self.member(&info.member);
                }
            }
            if before == (self.names.len(), self.members.len(), self.owners.len(), self.macros.len()) {
                break;
            }
        }
    }
}

/// Whether type `ty`, written in module `m`, is one of `owners`, or holds
/// one (`Result<T, E>`, `Vec<T>`, a map's values).
fn typed(resolver: &Resolver<'_>, m: usize, ty: &TyPath, owners: &HashSet<Res>) -> bool {
    resolver.type_res(m, ty, None).is_some_and(|r| owners.contains(&r))
        || ty.ok.as_deref().is_some_and(|t| typed(resolver, m, t, owners))
        || ty.arg.as_deref().is_some_and(|t| typed(resolver, m, t, owners))
}
