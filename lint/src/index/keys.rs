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

// Looked up for every word of every body and every name of the index:
// hashed with foldhash.
use foldhash::{HashMap, HashSet};
use rayon::prelude::*;

use super::modtree::{Inputs, ModId, ModTree, Need};
use super::resolve::{Ctx, MemberInfo, Res, Resolver, View};
use crate::config::EditionId;
use crate::parse::items::{ns, MemberKind, Name, TyPath, UseTarget};
use crate::parse::skeleton::{word_key, Blanked};

/// The names bodies are looked up by, as [`word_key`]s.
#[derive(Debug, Default)]
pub struct Keys {
    /// Macros whose expansion can break in their own body: the findings of
    /// other files need these too.
    macro_words: HashSet<u32>,
    /// Every body must be parsed: a `use` only higher builds have brings in
    /// names no list holds (`#[cfg(..)] pub use plan::*`).
    all: bool,
    /// By crate (`None`: code outside every crate), what a body must hold
    /// for a finding.
    in_crate: HashMap<Option<usize>, Words>,
    /// Crates all of whose bodies must be parsed (a private glob `use`).
    crates_all: HashSet<Option<usize>>,
    /// By module, the names of higher items declared there, written alone
    /// (`seats()`): elsewhere such a name means something else unless a
    /// `use` brings it in (a `use` of higher code is a key of its own).
    local: HashMap<ModId, HashSet<u32>>,
    /// By crate, all of [`Keys::local`] in the crates it reaches, for code
    /// a glob `use` may bring them to: a glob imports from its own crate or
    /// one it depends on, never from a crate it does not reach.
    local_reached: HashMap<Option<usize>, HashSet<u32>>,
    /// Modules with a glob `use`.
    globbing: HashSet<ModId>,
    /// By module, whether its code may use every edition's, by its edition
    /// or by the cfg gates around it (a crate only one build has): such
    /// code breaks in no build, and its bodies need not be read.
    uses_every: Vec<bool>,
}

/// The keys of one file's code (see [`Keys::at`]).
pub struct At<'k> {
    keys: &'k Keys,
    words: Option<&'k Words>,
    all: bool,
    local: Vec<&'k HashSet<u32>>,
    /// Code that may use every edition's: no body of it is wanted.
    uses_every: bool,
}

impl At<'_> {
    /// Whether a body of this code must be parsed to find the findings of
    /// its file.
    pub fn wants(&self, body: &Blanked) -> bool {
        if self.uses_every {
            return false;
        }
        let Some(words) = self.words else { return true };
        let holds = |set: &HashSet<u32>| body.words.iter().any(|w| set.contains(w));
        self.all
            || holds(&words.any)
            || self.local.iter().any(|set| holds(set))
            || (holds(&words.members) && holds(&words.typing))
    }

    /// Whether a body must be parsed for the findings of other files: it
    /// expands a macro that can break in its own body.
    pub fn expands(&self, body: &Blanked) -> bool {
        !self.uses_every && body.macros.iter().any(|m| self.keys.macro_words.contains(m))
    }
}

/// The keys one crate's bodies are looked up by.
#[derive(Debug, Default)]
struct Words {
    /// The names a finding can hinge on, wherever written, and associated
    /// functions and constants, after `.` or `::`: those declared in the
    /// crates it reaches, and those a private `use` only higher builds have
    /// binds in it. A body holding one is parsed.
    any: HashSet<u32>,
    /// Methods and associated constants that only higher code gives a
    /// lower type, when lower code has others of the same name: a call is
    /// a finding only on a value whose type a body can tell, so a body
    /// holding one is parsed when it also holds a word of `typing`.
    members: HashSet<u32>,
    /// What tells such a type: its names, and what is declared with it.
    typing: HashSet<u32>,
}

/// At most this many bytes of left-out bodies in the files a run on a few
/// files reports on are parsed whole instead of looked up by keys: syn
/// reads them (about 20 MB/s) in less time than the keys of a large
/// workspace take to find.
const WHOLE_BODIES: usize = 256 << 10;

impl Keys {
    /// The keys of a run that reports on a few files (`reported`, per
    /// indexed file) and finds the rest of the index in the cache: none,
    /// when those files' left-out bodies are few enough to parse them all
    /// and no macro of theirs can expand in another file's body (whose
    /// findings would then be theirs). Every body of theirs is then wanted,
    /// no other file's.
    pub fn of_few_files(files: &[super::FileData], reported: &[bool]) -> Option<Keys> {
        let reported = super::marked(files, reported).map(|(_, data)| data);
        let defines_macros = reported.clone().any(super::FileData::defines_macros);
        let left_out: usize = reported
            .flat_map(|data| data.lean.iter().flat_map(|lean| lean.bodies.get().into_iter().flatten()))
            .map(|b| b.body.len())
            .sum();
        (left_out <= WHOLE_BODIES && !defines_macros).then(Keys::default)
    }

    /// The keys of a resolved workspace.
    pub fn new(inputs: &Inputs<'_>, tree: &ModTree, resolver: &Resolver<'_>) -> Keys {
        let judge = Judge { inputs, tree, resolver };
        let mut found = Found::default();
        found.modules_and_items(&judge);
        let high_member = found.members(&judge);
        let (infos, mut typed) = (resolver.members(), None);
        // Lower code's typed members need only the members: gathered on
        // another thread while the rest is found here.
        rayon::in_place_scope(|s| {
            s.spawn(|_| typed = Some(LowerMember::all(tree, infos, &high_member)));
            found.crates(&judge);
            found.impls(&judge);
            found.asking_functions(&judge);
            found.lower_uses(&judge);
        });
        let lower = Lower::new(&judge, typed.unwrap_or_default());
        found.close(&judge, &lower);
        let typing = Found::typing(&judge, &found.typed_owners, &lower);
        let typed = Found { members: std::mem::take(&mut found.typed_members), ..Found::default() };
        let reach = inputs.ws.reach();
        let crates: Vec<Option<usize>> = (0..inputs.ws.crates.len()).map(Some).chain([None]).collect();
        let (any, typed, typing) = (found.keyed(), typed.keyed(), typing.keyed());
        let private: HashMap<Option<usize>, Keyed<'_>> = found.in_crate.iter().map(|(k, f)| (*k, f.keyed())).collect();
        let in_crate = crates
            .into_par_iter()
            .map(|krate| {
                let mut any = any.words(krate, reach);
                if let Some(private) = private.get(&krate) {
                    any.extend(private.words(krate, reach));
                }
                let members = typed.words(krate, reach);
                let typing = if members.is_empty() { HashSet::default() } else { typing.words(krate, reach) };
                (krate, Words { any, members, typing })
            })
            .collect();
        let macro_words = found.macros.iter().map(|n| word_key(n, false)).collect();
        let mut local: HashMap<ModId, HashSet<u32>> = HashMap::default();
        for (name, modules) in &found.higher_items {
            for &m in modules {
                local.entry(m).or_default().insert(word_key(name, false));
            }
        }
        let local_reached = Keys::local_reached(&local, tree, reach);
        let globbing = (0..tree.modules.len())
            .filter(|&m| resolver.body(m).is_some_and(|b| b.uses.iter().any(|u| u.target == UseTarget::Glob)))
            .collect();
        let editions = 0..inputs.config.editions.len();
        let uses_every =
            tree.modules.iter().map(|m| editions.clone().all(|to| inputs.allowed(m.edition, m.gate, to))).collect();
        let crates_all = found.crates_all;
        Keys { macro_words, all: found.all, in_crate, crates_all, local, local_reached, globbing, uses_every }
    }

    /// [`Keys::local_reached`] of every crate (`None`: code outside every
    /// crate, which sees them all).
    fn local_reached(
        local: &HashMap<ModId, HashSet<u32>>,
        tree: &ModTree,
        reach: &[Vec<bool>],
    ) -> HashMap<Option<usize>, HashSet<u32>> {
        let mut by_crate: HashMap<Option<usize>, Vec<&HashSet<u32>>> = HashMap::default();
        for (&m, words) in local {
            by_crate.entry(tree.modules.get(m).and_then(|x| x.krate)).or_default().push(words);
        }
        let crates = (0..reach.len()).map(Some).chain([None]);
        crates
            .map(|krate| {
                let seen = by_crate.iter().filter(|(c, _)| match (krate, **c) {
                    (_, None) | (None, _) => true,
                    (Some(k), Some(c)) => reaches(reach, k, c),
                });
                (krate, seen.flat_map(|(_, sets)| sets.iter().flat_map(|set| set.iter().copied())).collect())
            })
            .collect()
    }

    /// The keys of file `file`'s code.
    pub fn at<'k>(&'k self, tree: &ModTree, file: usize) -> At<'k> {
        let roots = tree.file_roots(file);
        let modules: Vec<ModId> = roots.iter().flat_map(|&r| tree.modules_in_file(r, file)).collect();
        let uses_every = !roots.is_empty() && roots.iter().all(|&m| self.uses_every.get(m) == Some(&true));
        let krate = roots.first().and_then(|&r| tree.modules.get(r)?.krate);
        let local = if modules.iter().any(|m| self.globbing.contains(m)) {
            // A file that is a module of several crates (`#[path]`) is
            // read in each one's build.
            let mut crates: Vec<Option<usize>> =
                roots.iter().map(|&r| tree.modules.get(r).and_then(|m| m.krate)).collect();
            crates.sort_unstable();
            crates.dedup();
            crates.iter().filter_map(|c| self.local_reached.get(c)).collect()
        } else {
            modules.iter().filter_map(|m| self.local.get(m)).collect()
        };
        let all = self.all || self.crates_all.contains(&krate);
        At { keys: self, words: self.in_crate.get(&krate), all, local, uses_every }
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
        self.inputs.config.usable_by_every(e)
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

/// Names, each with the crates that declare it: code of a crate that
/// reaches one of them can name it (`None`: any code can).
#[derive(Default)]
struct Scoped(HashMap<String, HashSet<Option<usize>>>);

impl Scoped {
    /// Adds `name` as declared in `krate`.
    fn add(&mut self, name: &str, krate: Option<usize>) {
        match self.0.get_mut(name) {
            Some(crates) => drop(crates.insert(krate)),
            None => drop(self.0.insert(name.to_owned(), std::iter::once(krate).collect())),
        }
    }

    /// Adds everything `other` holds.
    fn merge(&mut self, other: Scoped) {
        for (name, crates) in other.0 {
            self.0.entry(name).or_default().extend(crates);
        }
    }

    /// How many (name, crate) pairs it holds.
    fn len(&self) -> usize {
        self.0.values().map(HashSet::len).sum()
    }
}

/// A [`Found`]'s keys ([`Found::keyed`]).
struct Keyed<'a>(Vec<(u32, &'a HashSet<Option<usize>>)>);

impl Keyed<'_> {
    /// The keys of the names and members that code of crate `krate` can
    /// see (`None`: those of code outside every crate).
    fn words(&self, krate: Option<usize>, reach: &[Vec<bool>]) -> HashSet<u32> {
        let sees = |crates: &HashSet<Option<usize>>| {
            crates.iter().any(|c| match (krate, *c) {
                (_, None) => true,
                (Some(k), Some(c)) => reaches(reach, k, c),
                (None, Some(_)) => false,
            })
        };
        self.0.iter().filter(|(_, c)| sees(c)).map(|(k, _)| *k).collect()
    }
}

/// What [`Keys::new`] gathers.
#[derive(Default)]
struct Found {
    /// Names wherever written.
    names: Scoped,
    /// Associated functions and constants, after `.` or `::`.
    members: Scoped,
    /// Macros whose expansion breaks in their body.
    macros: HashSet<Name>,
    /// Higher modules lower code enters.
    modules: HashSet<Name>,
    /// Names only one crate's code sees (a private `use` only higher
    /// builds have), by crate.
    in_crate: HashMap<Option<usize>, Found>,
    /// Crates with a glob `use` only higher builds have.
    crates_all: HashSet<Option<usize>>,
    /// See [`Keys::all`].
    all: bool,
    /// Types of higher code, and types with an impl or derive only higher
    /// code has: a value of one can break without a name of it in sight.
    owners: HashSet<Res>,
    /// Traits only higher code implements for some type, with the crates
    /// of that code: rustc meets an impl only in builds that have its
    /// crate, so only code of crates reaching one of them can need it.
    traits: Scoped,
    /// See [`Words::members`]: by name, and the types they belong to.
    typed_members: Scoped,
    typed_owners: HashSet<Res>,
    /// Higher items by name, and the modules that declare them: their
    /// names written alone are keys there (see [`Keys::local`]), and
    /// after `.` or `::` are keys as [`Found::members`] are.
    higher_items: HashMap<String, HashSet<ModId>>,
}

impl Found {
    /// Whether `name` is a key's name.
    fn is_key(&self, name: &str) -> bool {
        self.names.0.contains_key(name) || self.higher_items.contains_key(name) || self.modules.contains(name)
    }

    /// Where `name` is a key: the crates [`Found::is_key`] holds it for
    /// (`None`: everywhere). Empty when it is none.
    fn key_scopes(&self, name: &str, judge: &Judge<'_, '_>) -> Vec<Option<usize>> {
        let mut scopes: Vec<Option<usize>> = self.names.0.get(name).into_iter().flatten().copied().collect();
        let declared = self.higher_items.get(name).into_iter().flatten();
        scopes.extend(declared.map(|&m| judge.tree.modules.get(m).and_then(|x| x.krate)));
        if self.modules.contains(name) {
            scopes.push(None);
        }
        scopes
    }

    /// The names [`Found::is_key`] holds.
    fn key_names(&self) -> impl Iterator<Item = &str> {
        let items = self.higher_items.keys().map(String::as_str).chain(self.modules.iter().map(Name::as_str));
        self.names.0.keys().map(String::as_str).chain(items)
    }

    /// A higher item `name` of module `m` of crate `krate`.
    fn declare(&mut self, name: &str, krate: Option<usize>, m: ModId) {
        self.members.add(name, krate);
        self.higher_items.entry(name.to_owned()).or_default().insert(m);
    }

    /// The [`word_key`]s of the names and members, each with the crates
    /// that declare it: hashed once, then filtered for every crate.
    fn keyed(&self) -> Keyed<'_> {
        let names = self.names.0.iter().flat_map(|(n, c)| [(word_key(n, false), c), (word_key(n, true), c)]);
        Keyed(names.chain(self.members.0.iter().map(|(n, c)| (word_key(n, true), c))).collect())
    }

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
                    self.names.add(&module.name, module.krate);
                }
                // A macro may complete a path through it from a fragment.
                self.modules.insert(module.name.clone());
            }
            for (i, item) in body.items.iter().enumerate() {
                if judge.high(Res::Item(m, i)) {
                    // A macro's name alone is seen past its module
                    // (`#[macro_use]`, `#[macro_export]`).
                    if item.ns & ns::MACRO == 0 {
                        self.declare(&item.name, module.krate, m);
                    } else {
                        self.names.add(&item.name, module.krate);
                    }
                    if item.ns & ns::TYPE != 0 {
                        self.owners.insert(Res::Item(m, i));
                    }
                    continue;
                }
                for (name, _) in item.derives.iter().filter(|(_, span)| judge.high_at(m, span)) {
                    self.owners.insert(Res::Item(m, i));
                    self.names.add(&item.name, module.krate);
                    self.traits.add(name, module.krate);
                    self.names.add(name, module.krate);
                }
            }
            if high_module {
                continue;
            }
            for u in body.uses.iter().filter(|u| judge.high_at(m, &u.span)) {
                // What it binds is seen in its crate, or, re-exported, anywhere.
                let scope = if u.vis.is_public() { None } else { Some(module.krate) };
                let UseTarget::Name(name) = &u.target else {
                    match scope {
                        Some(krate) => drop(self.crates_all.insert(krate)),
                        None => self.all = true,
                    }
                    continue;
                };
                let mut bound = Found::default();
                bound.names.add(name, module.krate);
                // A trait such a `use` brings into scope: its methods. (A
                // type's methods need no `use`.)
                let found = resolver.resolve(m, &u.path, u.global, ns::TYPE, View::Any);
                if let Some(Res::Item(tm, ti)) = found.map(|f| f.res) {
                    for member in resolver.item(tm, ti).into_iter().flat_map(trait_functions) {
                        bound.member(member, module.krate);
                    }
                }
                let into = match scope {
                    Some(krate) => self.in_crate.entry(krate).or_default(),
                    None => self,
                };
                into.names.merge(bound.names);
                into.members.merge(bound.members);
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
            let krate = judge.tree.modules.get(info.module).and_then(|m| m.krate);
            // A method other lower types have too is a finding only on a
            // value of its type.
            let typed = matches!(info.member.kind, MemberKind::Fn { .. } | MemberKind::Const)
                && info.owner.is_some_and(|o| is_type(resolver, o))
                && !only();
            if let (true, Some(owner)) = (typed, info.owner) {
                self.typed_members.add(&info.member.name, krate);
                self.typed_owners.insert(owner);
                continue;
            }
            self.member(info.member, krate);
            // A gated tuple field moves the ones after it (`.2` becomes `.1`).
            if info.member.name.bytes().all(|b| b.is_ascii_digit()) {
                let siblings = info.owner.map(|o| resolver.members_of(o)).unwrap_or_default();
                for sibling in siblings.iter().filter_map(|&j| members.get(j)) {
                    self.names.add(&sibling.member.name, krate);
                }
            }
        }
        high
    }

    /// A member's name: variants and fields wherever written (`use
    /// Plan::*`, `Config { sso }`), the rest after `.` or `::`.
    fn member(&mut self, member: &crate::parse::items::Member, krate: Option<usize>) {
        let into = if matches!(member.kind, MemberKind::Variant | MemberKind::Field) {
            &mut self.names
        } else {
            &mut self.members
        };
        into.add(&member.name, krate);
    }

    /// Crates of higher editions, by every name code can give them.
    fn crates(&mut self, judge: &Judge<'_, '_>) {
        let ws = judge.inputs.ws;
        for krate in &ws.crates {
            for d in &krate.info.dependencies {
                let Some(target) = ws.dependency_crate(krate, d) else { continue };
                if !judge.everyones(judge.inputs.editions.crate_edition(target).0) {
                    for name in ws.extern_names(d, target) {
                        self.names.add(&name, Some(target));
                    }
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
                if !judge.high_at(module, &imp.span)
                    || resolver.type_res(module, trait_path, None).is_some_and(|r| judge.high(r))
                {
                    continue;
                }
                // A value of a higher type is already reached through the type.
                let self_res = imp.self_ty.as_ref().and_then(|t| resolver.type_res(module, t, None));
                if self_res.is_some_and(|r| judge.high(r)) {
                    continue;
                }
                let krate = judge.tree.modules.get(module).and_then(|m| m.krate);
                for name in
                    trait_path.segments.last().into_iter().chain(imp.self_ty.iter().filter_map(|t| t.segments.last()))
                {
                    self.names.add(name, krate);
                }
                if let Some(name) = trait_path.segments.last() {
                    self.traits.add(name, krate);
                }
                self.owners.extend(self_res);
            }
        }
    }

    /// Functions some builds call with fewer arguments, and those whose
    /// bounds ask for a trait of [`Found::traits`].
    fn asking_functions(&mut self, judge: &Judge<'_, '_>) {
        let (tree, resolver) = (judge.tree, judge.resolver);
        let reach = judge.inputs.ws.reach();
        // The members declared in each file, in index order.
        let mut members_in: Vec<Vec<&MemberInfo<'_>>> = vec![Vec::new(); judge.inputs.files.len()];
        for x in resolver.members() {
            if let Some(list) = tree.modules.get(x.module).and_then(|m| members_in.get_mut(m.file)) {
                list.push(x);
            }
        }
        for (file, data) in judge.inputs.files.iter().enumerate() {
            let syntax = &data.syntax;
            let krate = tree.file_modules.get(&file).and_then(|m| m.first()).and_then(|&m| tree.modules.get(m)?.krate);
            // Where a call of a function can meet each trait's impls: in
            // this crate and those reaching it, narrowed to those reaching
            // the impl's crate when this crate does not.
            let mut scopes: HashSet<Option<usize>> = HashSet::default();
            let mut asks = |bounds: &[Name]| {
                let mut any = false;
                for &of_impl in bounds.iter().filter_map(|b| self.traits.0.get(b.as_str())).flatten() {
                    any = true;
                    scopes.insert(narrowed(krate, of_impl, reach));
                }
                any
            };
            let mut asking: HashSet<&std::ops::Range<usize>> = HashSet::default();
            for (span, params) in syntax.bounded_fns.iter().chain(&syntax.bounded_params) {
                if params.iter().fold(false, |any, bounds| asks(bounds) | any) {
                    asking.insert(span);
                }
            }
            for (span, bounds) in &syntax.bounded_returns {
                if asks(bounds) {
                    asking.insert(span);
                }
            }
            // Parameters every build has (their gates are not an edition's)
            // change no call's arity between builds.
            let editions = 0..judge.inputs.config.editions.len();
            let in_every_build = |ctx: Ctx| {
                editions.clone().all(|v| resolver.holds(View::In(v), ctx) && resolver.holds(View::Test(v), ctx))
            };
            let gated = |m: ModId, span: &std::ops::Range<usize>| {
                (syntax.gated_signatures.iter().filter(|g| g.name == *span))
                    .any(|g| g.gated.iter().any(|p| !in_every_build(resolver.ctx_at(m, p))))
            };
            if asking.is_empty() && syntax.gated_signatures.is_empty() {
                continue;
            }
            let wanted = |m: ModId, span: &std::ops::Range<usize>| -> Vec<Option<usize>> {
                let asked = asking.contains(span).then(|| scopes.iter().copied()).into_iter().flatten();
                gated(m, span).then_some(krate).into_iter().chain(asked).collect()
            };
            let mut found = Vec::new();
            for &module in tree.file_modules.get(&file).into_iter().flatten() {
                let Some(body) = resolver.body(module) else { continue };
                let items = body.items.iter().map(|i| (&i.name, wanted(module, &i.span)));
                found.extend(items.filter(|(_, seen_in)| !seen_in.is_empty()));
            }
            let in_file = members_in.get(file).into_iter().flatten();
            let members: Vec<_> = in_file
                .map(|x| (x.member, wanted(x.module, &x.member.name_span)))
                .filter(|(_, seen_in)| !seen_in.is_empty())
                .collect();
            for (name, seen_in) in &found {
                for &scope in seen_in {
                    self.names.add(name, scope);
                }
            }
            for (member, seen_in) in members {
                for &scope in &seen_in {
                    self.member(member, scope);
                }
            }
        }
    }

    /// Lower code's `use`s of higher code, or of anything through a higher
    /// module: the names they bind.
    fn lower_uses(&mut self, judge: &Judge<'_, '_>) {
        let (tree, resolver) = (judge.tree, judge.resolver);
        for m in 0..tree.modules.len() {
            let Some(body) = resolver.body(m) else { continue };
            for u in &body.uses {
                let UseTarget::Name(name) = &u.target else { continue };
                // Only a name of higher code or of a higher module or crate
                // can lead there (`self`, `super` and `crate` of lower code
                // are lower modules).
                if !u.path.iter().any(|s| self.is_key(s)) || judge.high_at(m, &u.span) {
                    continue;
                }
                let through = (1..=u.path.len()).any(|n| {
                    let ns = if n == u.path.len() { ns::ANY } else { ns::TYPE };
                    let path = u.path.get(..n).unwrap_or_default();
                    resolver.resolve(m, path, u.global, ns, View::Any).is_some_and(|r| judge.high(r.res))
                });
                if through {
                    self.names.add(name, tree.modules.get(m).and_then(|x| x.krate));
                }
            }
        }
    }

    /// What tells a body that a value is of one of `owners`: their names,
    /// and what [`Found::close`] adds for them.
    fn typing(judge: &Judge<'_, '_>, owners: &HashSet<Res>, lower: &Lower<'_>) -> Found {
        let mut found = Found { owners: owners.clone(), ..Found::default() };
        for &owner in owners {
            let Res::Item(m, i) = owner else { continue };
            if let Some(item) = judge.resolver.item(m, i) {
                found.names.add(&item.name, judge.tree.modules.get(m).and_then(|x| x.krate));
            }
        }
        found.close(judge, lower);
        found
    }

    /// Adds, until nothing changes, what leads to a key: aliases of an
    /// owner, macros expanding to a key, and the functions, fields and
    /// aliases lower code declares with the type of an owner, whose values
    /// may need what only higher code has.
    fn close(&mut self, judge: &Judge<'_, '_>, lower: &Lower<'_>) {
        let (resolver, reach) = (judge.resolver, judge.inputs.ws.reach());
        let mut done = vec![false; lower.items.len() + lower.members.len()];
        let mut renames = lower.renames.borrow_mut();
        let mut types = lower.types.borrow_mut();
        let mut owner_names: HashSet<Name> = HashSet::default();
        loop {
            // What the checks below look at: members they add are keys
            // only, while a new name or owner may lead to more.
            let before = (self.names.len(), self.owners.len(), self.macros.len());
            // An owner known by no name of its own: every type is resolved.
            let mut unnamed = false;
            owner_names.extend(self.owners.iter().filter_map(|&o| {
                let name = match o {
                    Res::Item(m, i) => resolver.item(m, i).map(|item| item.name.clone()),
                    _ => None,
                };
                unnamed |= name.is_none();
                name
            }));
            let mut owned = |m: ModId, written: &[&TyPath], owners: &HashSet<Res>| {
                written.iter().any(|&t| {
                    let named = unnamed || t.segments.last().is_some_and(|l| owner_names.contains(l));
                    named
                        && types
                            .entry(std::ptr::from_ref(t))
                            .or_insert_with(|| resolver.type_res(m, t, None))
                            .is_some_and(|r| owners.contains(&r))
                })
            };
            for (d, done) in lower.items.iter().zip(done.iter_mut()).filter(|(_, done)| !**done) {
                let Res::Item(m, _) = d.res else { continue };
                if owned(m, &d.alias, &self.owners) {
                    self.owners.insert(d.res);
                    self.names.add(&d.item.name, d.krate);
                    *done = true;
                }
                if owned(m, &d.ret, &self.owners) {
                    self.names.add(&d.item.name, d.krate);
                    *done = true;
                }
                // A macro expanding to a key's name: a key where a build can
                // meet that key (see [`narrowed`]) and call the macro.
                let mut breaks: Vec<Option<usize>> =
                    d.item.expands.iter().flat_map(|p| &p.segments).flat_map(|s| self.key_scopes(s, judge)).collect();
                breaks.sort_unstable();
                breaks.dedup();
                if !breaks.is_empty() {
                    self.macros.insert(d.item.name.clone());
                }
                for scope in breaks {
                    self.names.add(&d.item.name, narrowed(d.krate, scope, reach));
                }
            }
            // `use types::Seat as Place;`: a name for an owner. Only a
            // `use` whose path ends in a key's name can be one.
            let mut new_names = Vec::new();
            let uses = candidates(self.key_names(), &lower.uses_by_last);
            for &(m, krate, name, u) in uses.iter().filter_map(|&i| lower.uses.get(i)) {
                if self.names.0.contains_key(name)
                    || !u.path.last().is_some_and(|l| self.is_key(l))
                    || judge.high_at(m, &u.span)
                {
                    continue;
                }
                let to = *renames
                    .entry(std::ptr::from_ref(u))
                    .or_insert_with(|| resolver.resolve(m, &u.path, u.global, ns::TYPE, View::Any).map(|f| f.res));
                if to.is_some_and(|r| self.owners.contains(&r)) {
                    self.names.add(name, krate);
                    new_names.push(name);
                }
            }
            // Only a member whose type, or a type it holds, ends in an
            // owner's name can be declared with an owner (any member can
            // when an owner has no name).
            let members = if unnamed {
                (0..lower.members.len()).collect()
            } else {
                candidates(owner_names.iter().map(Name::as_str), &lower.members_by_type)
            };
            let (_, members_done) = done.split_at_mut(lower.items.len());
            for i in members {
                let (Some(d), Some(done)) = (lower.members.get(i), members_done.get_mut(i)) else { continue };
                if *done {
                    continue;
                }
                // A member of an owner is reached through a value of it,
                // which its own words tell.
                let of_owner = d.info.owner.is_some_and(|o| matches!(o, Res::Item(..)) && self.owners.contains(&o));
                if of_owner || d.of_self || !owned(d.info.module, &d.ty, &self.owners) {
                    continue;
                }
                *done = true;
                self.member(d.info.member, d.krate);
                // A variant's field: a pattern of the variant binds it
                // (`Principal::Federated(u) => u.groups()`).
                if let Some(Res::Member(v)) = d.info.owner {
                    if let Some(variant) = resolver.members().get(v) {
                        self.member(variant.member, d.krate);
                    }
                }
            }
            owner_names.extend(new_names.into_iter().map(Name::from));
            if before == (self.names.len(), self.owners.len(), self.macros.len()) {
                break;
            }
        }
    }
}

/// Whether crate `from`'s code can reach crate `to`'s: itself, or one it
/// depends on (at any depth).
fn reaches(reach: &[Vec<bool>], from: usize, to: usize) -> bool {
    reach.get(from).and_then(|r| r.get(to)).copied().unwrap_or(from == to)
}

/// The crates whose code can both use something of crate `krate` (call a
/// function asking for a trait, expand a macro) and meet what makes it a
/// key, which only code of crate `of_key` has (an impl of that trait, a
/// key the macro expands to), as a scope of [`Scoped`]: those reaching
/// `krate` when it reaches `of_key` (so does everything reaching it), else
/// those reaching `of_key`, which a build needs to hold that code at all.
/// Code outside every crate keeps `krate`.
fn narrowed(krate: Option<usize>, of_key: Option<usize>, reach: &[Vec<bool>]) -> Option<usize> {
    match (krate, of_key) {
        (Some(k), Some(e)) if !reaches(reach, k, e) => Some(e),
        _ => krate,
    }
}

/// The indices `by_name` holds for any of `names`, in order, once each.
fn candidates<'n>(names: impl Iterator<Item = &'n str>, by_name: &HashMap<&str, Vec<usize>>) -> Vec<usize> {
    let mut found: Vec<usize> = names.filter_map(|n| by_name.get(n)).flatten().copied().collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// The declarations of lower code [`Found::close`] looks at: items
/// declared with a type (aliases, functions) or expanding to paths
/// (macros), members declared with a type, and `use`s.
struct Lower<'r> {
    items: Vec<LowerItem<'r>>,
    members: Vec<LowerMember<'r>>,
    /// Module, crate, the name bound, the `use` (of lower code or not).
    uses: Vec<(ModId, Option<usize>, &'r str, &'r crate::parse::items::UseDef)>,
    /// [`Lower::uses`] by the last name of their path.
    uses_by_last: HashMap<&'r str, Vec<usize>>,
    /// [`Lower::members`] by the last name of each type they are declared with.
    members_by_type: HashMap<&'r str, Vec<usize>>,
    /// What the types and `use`s resolved so far resolve to: a type is
    /// resolved only once its name is one an owner goes by.
    types: std::cell::RefCell<HashMap<*const TyPath, Option<Res>>>,
    renames: std::cell::RefCell<HashMap<*const crate::parse::items::UseDef, Option<Res>>>,
}

struct LowerItem<'r> {
    res: Res,
    krate: Option<usize>,
    item: &'r crate::parse::items::ItemDef,
    /// What an alias names, and what a function returns, with the types
    /// they hold (see [`written`]).
    alias: Vec<&'r TyPath>,
    ret: Vec<&'r TyPath>,
}

struct LowerMember<'r> {
    krate: Option<usize>,
    info: &'r super::resolve::MemberInfo<'r>,
    /// Its type and the types it holds (see [`written`]).
    ty: Vec<&'r TyPath>,
    /// Its type is `Self`: its owner.
    of_self: bool,
}

/// [`Lower::members`] and [`Lower::members_by_type`].
type TypedMembers<'r> = (Vec<LowerMember<'r>>, HashMap<&'r str, Vec<usize>>);

impl<'r> LowerMember<'r> {
    /// The members of `infos` declared with a type that are not higher
    /// (`high_member`), and their indices by the last name of each type.
    fn all(tree: &ModTree, infos: &'r [super::resolve::MemberInfo<'r>], high_member: &[bool]) -> TypedMembers<'r> {
        let members = (infos.iter().enumerate())
            .filter(|(i, _)| high_member.get(*i) != Some(&true))
            .filter_map(|(_, info)| {
                let t = info.member.ty.as_ref()?;
                let of_self = t.segments.first().is_some_and(|s| s == "Self");
                let ty = if of_self { Vec::new() } else { written(t) };
                let krate = tree.modules.get(info.module).and_then(|x| x.krate);
                Some(LowerMember { krate, info, ty, of_self })
            })
            .collect::<Vec<_>>();
        let mut by_type: HashMap<&str, Vec<usize>> = HashMap::default();
        for (i, d) in members.iter().enumerate() {
            for last in d.ty.iter().filter_map(|t| t.segments.last()) {
                let of = by_type.entry(last.as_str()).or_default();
                if of.last() != Some(&i) {
                    of.push(i);
                }
            }
        }
        (members, by_type)
    }
}

impl<'r> Lower<'r> {
    fn new(judge: &Judge<'r, '_>, (members, members_by_type): TypedMembers<'r>) -> Lower<'r> {
        let (tree, resolver) = (judge.tree, judge.resolver);
        let mut items = Vec::new();
        let mut uses = Vec::new();
        for m in 0..tree.modules.len() {
            let Some(body) = resolver.body(m) else { continue };
            let krate = tree.modules.get(m).and_then(|x| x.krate);
            for (i, item) in body.items.iter().enumerate() {
                if (item.alias.is_none() && item.ret.is_none() && item.expands.is_empty())
                    || judge.high(Res::Item(m, i))
                {
                    continue;
                }
                let alias = item.alias.as_deref().map(written).unwrap_or_default();
                let ret = item.ret.as_ref().map(written).unwrap_or_default();
                items.push(LowerItem { res: Res::Item(m, i), krate, item, alias, ret });
            }
            // Higher ones are left out when met: only a few ever are.
            for u in &body.uses {
                if let UseTarget::Name(name) = &u.target {
                    uses.push((m, krate, name.as_str(), u));
                }
            }
        }
        let mut uses_by_last: HashMap<&str, Vec<usize>> = HashMap::default();
        for (i, (.., u)) in uses.iter().enumerate() {
            if let Some(last) = u.path.last() {
                uses_by_last.entry(last.as_str()).or_default().push(i);
            }
        }
        let (types, renames) = (std::cell::RefCell::default(), std::cell::RefCell::default());
        Lower { items, members, uses, uses_by_last, members_by_type, types, renames }
    }
}

/// The functions and constants of `item` when it is a trait: a type has
/// fields or variants, or functions its derives give it, among its members.
fn trait_functions(item: &crate::parse::items::ItemDef) -> impl Iterator<Item = &crate::parse::items::Member> {
    let a_type = !item.derives.is_empty()
        || item.alias.is_some()
        || item.members.iter().any(|x| matches!(x.kind, MemberKind::Variant | MemberKind::Field));
    let members = if a_type { &[][..] } else { item.members.as_slice() };
    members.iter().filter(|x| matches!(x.kind, MemberKind::Fn { .. } | MemberKind::Const))
}

/// Whether `owner` is a struct, enum or union (not a trait or an alias).
fn is_type(resolver: &Resolver<'_>, owner: Res) -> bool {
    let Res::Item(m, i) = owner else { return false };
    resolver.item(m, i).is_some_and(|item| {
        item.alias.is_none()
            && (!item.derives.is_empty()
                || item.members.iter().any(|x| matches!(x.kind, MemberKind::Variant | MemberKind::Field)))
    })
}

/// Type `ty` and the types it holds (`Result<T, E>`, `Vec<T>`, a map's
/// values): a value of it may be of any of these.
fn written(ty: &TyPath) -> Vec<&TyPath> {
    let mut out = vec![ty];
    let mut i = 0;
    while let Some(t) = out.get(i).copied() {
        out.extend(t.ok.as_deref());
        out.extend(t.arg.as_deref());
        i += 1;
    }
    out
}
