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
use super::resolve::{Res, Resolver, View};
use crate::config::EditionId;
use crate::parse::items::{ns, MemberKind, TyPath, UseTarget};
use crate::parse::skeleton::Blanked;

/// The names bodies are looked up by.
#[derive(Debug, Default)]
pub struct Keys {
    /// Names a finding in a body can hinge on.
    names: HashSet<String>,
    /// Associated functions and constants: they count only where a body
    /// writes them after `.` or `::`.
    members: HashSet<String>,
    /// Macros whose expansion can break in their own body: needed by the
    /// findings of other files too.
    macros: HashSet<String>,
    /// Every body must be parsed: a gated glob import brings in names
    /// no list holds.
    all: bool,
}

impl Keys {
    /// The keys of a resolved workspace.
    pub fn new(inputs: &Inputs<'_>, tree: &ModTree, resolver: &Resolver<'_>) -> Keys {
        let config = inputs.config;
        let editions = 0..config.editions.len();
        let everyones = |e: EditionId| editions.clone().all(|x| x == e || config.may_use(x, e));
        let high_need = |need: Need| matches!(need, Need::Edition(g) if !everyones(g));
        let high_ctx = |ctx: super::resolve::Ctx| {
            !everyones(ctx.edition) || high_need(ctx.gate.plain) || high_need(ctx.gate.test)
        };
        let high = |res: Res| {
            let (edition, gate) = resolver.edition_and_gate(res).unwrap_or((config.default, Default::default()));
            let via = match res {
                Res::Member(i) => resolver.members().get(i).and_then(|info| info.via.clone()),
                _ => None,
            };
            high_ctx(super::resolve::Ctx { edition, gate })
                || via.is_some_and(|(m, span)| high_ctx(resolver.ctx_at(m, &span)))
        };
        // Code of an edition every edition may use, under a mapped gate.
        let gated = |ctx: super::resolve::Ctx| {
            everyones(ctx.edition) && (high_need(ctx.gate.plain) || high_need(ctx.gate.test))
        };
        let mut keys = Keys::default();
        let mut names = std::mem::take(&mut keys.names);
        // Types of higher code, and types with an impl or derive only higher
        // code has: a value of one can break without a name of it in sight.
        let mut owners: HashSet<Res> = HashSet::new();
        let mut traits: HashSet<String> = HashSet::new();
        for (m, module) in tree.modules.iter().enumerate() {
            let Some(body) = resolver.body(m) else { continue };
            // A higher module entered from lower code: paths through it
            // reach its own items (keys already) or what it re-exports.
            let entry = module.parent.and_then(|p| tree.modules.get(p)).is_none_or(|p| {
                !high_ctx(super::resolve::Ctx { edition: p.edition, gate: p.gate })
            });
            let high_module = high_ctx(super::resolve::Ctx { edition: module.edition, gate: module.gate });
            if entry && high_module && body.uses.iter().any(|u| u.vis.is_public()) {
                names.insert(module.name.clone());
            }
            for (i, item) in body.items.iter().enumerate() {
                if high(Res::Item(m, i)) {
                    names.insert(item.name.clone());
                    if item.ns & ns::TYPE != 0 {
                        owners.insert(Res::Item(m, i));
                    }
                    continue;
                }
                for (name, span) in &item.derives {
                    if gated(resolver.ctx_at(m, span)) {
                        owners.insert(Res::Item(m, i));
                        names.insert(item.name.clone());
                        traits.insert(name.clone());
                    }
                }
            }
            for u in body.uses.iter().filter(|u| gated(resolver.ctx_at(m, &u.span))) {
                match &u.target {
                    UseTarget::Name(name) => {
                        names.insert(name.clone());
                        // A trait a gated `use` brings into scope: its methods.
                        let found = resolver.resolve(m, &u.path, u.global, ns::TYPE, View::Any);
                        if let Some(Res::Item(tm, ti)) = found.map(|f| f.res) {
                            let members = resolver.item(tm, ti).map(|i| i.members.as_slice()).unwrap_or_default();
                            names.extend(members.iter().map(|x| x.name.clone()));
                        }
                    }
                    UseTarget::Glob => keys.all = true,
                }
            }
        }
        let members = resolver.members();
        let high_member: Vec<bool> = (0..members.len()).map(|i| high(Res::Member(i))).collect();
        for (i, info) in members.iter().enumerate() {
            if !high_member.get(i).copied().unwrap_or(false) {
                continue;
            }
            // A member of higher code's type is reached through the type
            // (an owner), or, on a receiver of unknown type, only when every
            // member of its name is higher code's.
            let of_high_type = info.owner.is_some_and(high);
            let only = || resolver.members_called(&info.member.name).iter().all(|&j| high_member.get(j) == Some(&true));
            if of_high_type && !only() {
                continue;
            }
            if matches!(info.member.kind, MemberKind::Variant | MemberKind::Field) {
                names.insert(info.member.name.clone());
            } else {
                keys.members.insert(info.member.name.clone());
            }
            // A gated tuple field moves the ones after it (`.2` becomes `.1`).
            if info.member.name.bytes().all(|b| b.is_ascii_digit()) {
                let siblings = info.owner.map(|o| resolver.members_of(o)).unwrap_or_default();
                names.extend(siblings.iter().filter_map(|&j| members.get(j)).map(|x| x.member.name.clone()));
            }
        }
        // Crates of higher editions, by every name code can give them.
        for krate in &inputs.ws.crates {
            for d in &krate.info.dependencies {
                let Some(target) = inputs.ws.dependency_crate(krate, d) else { continue };
                if !everyones(inputs.editions.crate_edition(target).0) {
                    names.extend(inputs.ws.extern_names(d, target));
                }
            }
        }
        // Traits only higher code implements for some type (a gated blanket
        // impl gives it to every type with the bounds).
        for (file, data) in inputs.files.iter().enumerate() {
            let Some(&m) = tree.file_modules.get(&file).and_then(|m| m.first()) else { continue };
            for imp in &data.syntax.impls {
                let Some(trait_path) = &imp.trait_path else { continue };
                let module = tree.module_of(file, &imp.module).unwrap_or(m);
                let trait_res = resolver.type_res(module, trait_path, None);
                if !high_ctx(resolver.ctx_at(module, &imp.span)) || trait_res.is_some_and(high) {
                    continue;
                }
                // A value of a higher type is already reached through the type.
                let self_res = imp.self_ty.as_ref().and_then(|t| resolver.type_res(module, t, None));
                if self_res.is_some_and(high) {
                    continue;
                }
                traits.extend(trait_path.segments.last().cloned());
                names.extend(imp.self_ty.iter().filter_map(|t| t.segments.last().cloned()));
                owners.extend(self_res);
            }
        }
        names.extend(traits.iter().cloned());
        for (file, data) in inputs.files.iter().enumerate() {
            // Functions some builds call with fewer arguments, and those
            // whose bounds ask for such a trait.
            let syntax = &data.syntax;
            let asks = |bounds: &[String]| bounds.iter().any(|b| traits.contains(b));
            let spans: HashSet<&std::ops::Range<usize>> = (syntax.gated_signatures.iter().map(|g| &g.name))
                .chain(syntax.bounded_fns.iter().filter(|(_, b)| b.iter().any(|b| asks(b))).map(|(s, _)| s))
                .chain(syntax.bounded_params.iter().filter(|(_, b)| b.iter().any(|b| asks(b))).map(|(s, _)| s))
                .chain(syntax.bounded_returns.iter().filter(|(_, b)| asks(b)).map(|(s, _)| s))
                .collect();
            if spans.is_empty() {
                continue;
            }
            for module in tree.file_modules.get(&file).into_iter().flatten() {
                let Some(body) = resolver.body(*module) else { continue };
                names.extend(body.items.iter().filter(|i| spans.contains(&i.span)).map(|i| i.name.clone()));
            }
            let in_file = members.iter().filter(|x| tree.modules.get(x.module).is_some_and(|m| m.file == file));
            names.extend(in_file.filter(|x| spans.contains(&x.member.name_span)).map(|x| x.member.name.clone()));
        }
        keys.names = names;
        // Lower code's `use`s of higher code, or through a higher module.
        for m in 0..tree.modules.len() {
            let Some(body) = resolver.body(m) else { continue };
            for u in body.uses.iter().filter(|u| !high_ctx(resolver.ctx_at(m, &u.span))) {
                let UseTarget::Name(name) = &u.target else { continue };
                let through = (1..=u.path.len()).any(|n| {
                    let ns = if n == u.path.len() { ns::ANY } else { ns::TYPE };
                    let path = u.path.get(..n).unwrap_or_default();
                    resolver.resolve(m, path, u.global, ns, View::Any).is_some_and(|r| high(r.res))
                });
                if through {
                    keys.names.insert(name.clone());
                }
            }
        }
        let lower = |m: usize, i: usize| !high(Res::Item(m, i));
        keys.close((tree, resolver), owners, (&lower, &high_member));
        keys
    }

    /// Adds, until nothing changes, the names that lead to a key: aliases
    /// of an owner, macros expanding to a key, and the functions, fields
    /// and aliases lower code declares with the type of an owner, whose
    /// values may need what only higher code has.
    fn close(
        &mut self,
        (tree, resolver): (&ModTree, &Resolver<'_>),
        mut owners: HashSet<Res>,
        (lower, high_member): (&dyn Fn(usize, usize) -> bool, &[bool]),
    ) {
        let owned = |m: usize, ty: &TyPath, owners: &HashSet<Res>| typed(resolver, m, ty, owners);
        loop {
            let before = (self.names.len(), owners.len(), self.macros.len());
            for m in 0..tree.modules.len() {
                let Some(body) = resolver.body(m) else { continue };
                for (i, item) in body.items.iter().enumerate().filter(|(i, _)| lower(m, *i)) {
                    if item.alias.as_deref().is_some_and(|t| owned(m, t, &owners)) {
                        owners.insert(Res::Item(m, i));
                        self.names.insert(item.name.clone());
                    }
                    if item.ret.as_ref().is_some_and(|t| owned(m, t, &owners)) {
                        self.names.insert(item.name.clone());
                    }
                    let breaks = item.expands.iter().any(|p| p.segments.iter().any(|s| self.names.contains(s)));
                    if breaks && !self.macros.contains(&item.name) {
                        self.macros.insert(item.name.clone());
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
                        info.owner.is_some_and(|o| owners.contains(&o))
                    } else {
                        owned(info.module, t, &owners)
                    }
                });
                if own && matches!(info.member.kind, MemberKind::Variant | MemberKind::Field) {
                    self.names.insert(info.member.name.clone());
                } else if own {
                    self.members.insert(info.member.name.clone());
                }
            }
            if before == (self.names.len(), owners.len(), self.macros.len()) {
                break;
            }
        }
    }

    /// Whether a body whose words are `words` (each with whether `.` or
    /// `::` comes before it) must be parsed to find the findings of its file.
    pub fn wants<'w>(&self, mut words: impl Iterator<Item = (&'w str, bool)>) -> bool {
        self.all || words.any(|(w, after)| self.names.contains(w) || (after && self.members.contains(w)))
    }

    /// Whether a body must be parsed for the findings of other files: it
    /// expands a macro that can break in its own body.
    pub fn expands(&self, body: &Blanked) -> bool {
        body.macros.iter().any(|m| self.macros.contains(m))
    }
}

/// Whether type `ty`, written in module `m`, is one of `owners`, or holds
/// one (`Result<T, E>`, `Vec<T>`, a map's values).
fn typed(resolver: &Resolver<'_>, m: usize, ty: &TyPath, owners: &HashSet<Res>) -> bool {
    resolver.type_res(m, ty, None).is_some_and(|r| owners.contains(&r))
        || ty.ok.as_deref().is_some_and(|t| typed(resolver, m, t, owners))
        || ty.arg.as_deref().is_some_and(|t| typed(resolver, m, t, owners))
}
