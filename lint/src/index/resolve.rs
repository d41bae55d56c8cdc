//! Name resolution over the module trees, the way rustc resolves, in the
//! build of a given edition.
//!
//! **Builds.** Every definition (a module, an item, a variant, a field, an
//! associated item, a `use` binding) has an edition (its file's, its
//! module's, or a tag's or snippet's around it) and a gate (the edition of
//! the Cargo features its `#[cfg(..)]`s require, nested gates taking the
//! highest). Edition E's build holds it when E may use both. A lookup is made
//! in one build ([`View::In`], or [`View::Test`] with `cfg(test)` on) or in
//! every build at once ([`View::Any`]): a reference is a boundary finding
//! exactly when it resolves in some build but not in the build of its own
//! code's edition (its gate raising it), as when rustc compiles that
//! edition. Code is checked without `cfg(test)` when it is compiled there,
//! else (`#[cfg(test)] mod tests`) in the unit-test build.
//!
//! **Scope.** `crate::`, `self::`, `super::`, `::name`, extern crate names
//! (Cargo renames, `extern crate x as y`, a binary naming its own library),
//! `use` (renames, groups, globs below explicit names), items and modules
//! (which shadow extern names), `#[macro_export]` macros at the crate root,
//! three namespaces (types, values, macros), and paths that go on past a type
//! into its variants, fields and associated items (`Plan::Team`,
//! `Report::MAX`, `Self::export`, `<T as Tr>::f`), found in the type's own
//! definition and in every `impl` block whose self type resolves to it.
//!
//! **Visibility** is rustc's: every binding reaches a scope, the subtree of
//! one module (`pub(crate)`: the crate root; `pub(super)`, `pub(in path)`:
//! that module; private: its own module) or everywhere (`pub`). A glob
//! brings in only what its module can see, an import reaches no further than
//! what it imports, and a path through a module resolves only to what the
//! referring module can see.

use std::cell::RefCell;
// Name lookups hash short strings millions of times: foldhash, randomly
// seeded per run, is several times faster than std's SipHash.
use foldhash::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use super::groups::Groups;
use super::modtree::{Gate, Inputs, ModId, ModTree, Need};
use crate::config::EditionId;
use crate::parse::items::{
    ns, ImplDef, ItemDef, Member, MemberKind, ModuleBody, Name, TyPath, UseDef, UseTarget, Visibility,
};

/// What a path resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Res {
    /// A module (a crate root too).
    Module(ModId),
    /// The `index`th item of a module's body.
    Item(ModId, usize),
    /// A variant, field or associated item, by index in [`Resolver::members`].
    Member(usize),
}

/// A variant, field or associated item, and where it is.
#[derive(Debug, Clone)]
pub struct MemberInfo<'a> {
    /// The module whose file holds it.
    pub module: ModId,
    /// What it is (a variant's fields are members of their own).
    pub member: &'a Member,
    /// The type or trait it belongs to (`None` for an impl whose self type
    /// does not resolve in the workspace).
    pub owner: Option<Res>,
    /// For an impl's item: the trait the impl implements, if it resolves.
    pub of_trait: Option<Res>,
    /// For an impl's item: the trait's last name as written (`Display`).
    pub trait_name: Option<&'a str>,
    /// For an impl's item: the trait's first type argument as written
    /// (`Password` of `impl Authenticate<Password> for Authenticator`).
    pub trait_arg: Option<&'a TyPath>,
    /// A trait's item that a type has through an `impl` of the trait (its
    /// default, or the one the impl's own item overrides in some builds):
    /// the impl block's module and span. The type has it in the builds
    /// that hold both the item and the impl.
    pub via: Option<(ModId, Range<usize>)>,
}

/// Which build a lookup is made in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    /// Any build: everything exists.
    Any,
    /// The build of this edition.
    In(EditionId),
    /// The unit-test build of this edition (`cfg(test)` on).
    Test(EditionId),
}

impl View {
    /// The edition of a build (`None`: any).
    pub fn edition(self) -> Option<EditionId> {
        match self {
            View::Any => None,
            View::In(e) | View::Test(e) => Some(e),
        }
    }
}

/// Why a definition is of its edition (see [`Resolver::why`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// A cfg gate that only this edition's build turns on.
    Gate(EditionId),
    /// Its `#[edition]` tag or the snippet around it.
    Tag,
    /// The rule that gives its file its edition.
    File(crate::edition::Reason),
}

/// A `use` a resolution went through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// The module of the `use` and its place in the module's list: the
    /// path as written is [`Resolver::hop_path`].
    pub at: (ModId, usize),
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

/// The code a path is written in: its edition, and what its `#[cfg]`s
/// require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ctx {
    /// The edition of the code.
    pub edition: EditionId,
    /// What its cfg gates require, with `cfg(test)` off and on.
    pub gate: Gate,
}

/// A lookup: module, name, namespaces, build.
type LookupKey = (ModId, Name, u8, View);

/// Finished lookups of one module, namespace and build, by name.
type Memo = HashMap<Name, Option<Binding>>;

/// The longest chain of type aliases followed (`type A = B; type B = C;`).
const MAX_ALIASES: usize = 8;

/// How many globs deep [`Resolver::gated_import`] follows `use`s.
const MAX_GLOB_IMPORTS: usize = 4;

/// How the `use`s in scope bind a name (see [`Resolver::gated_import`]).
enum Imported {
    /// Some `use` binds it in the build.
    Present,
    /// Only this `use` (its module, and its index among the module's
    /// `use`s), absent from the build.
    Gated(ModId, usize),
    /// None does.
    Nothing,
}

/// Per type, the impls and derives of traits it has: the trait's last
/// name, and the impl's module and span.
type TraitImpls = HashMap<Res, Vec<(Name, ModId, Range<usize>)>>;

/// [`Resolver::gated_import`]'s answers by module, name and build: the
/// module of the gated `use` and its index in that module's `use`s.
type GatedImports = HashMap<(ModId, Name, View), Option<(ModId, usize)>>;

/// A blanket impl: its module, the impl, its trait's name and the trait.
type Blanket<'a> = (ModId, &'a ImplDef, &'a str, Res);

/// A type's item from a trait through an impl: the type, the trait, the
/// trait's name as written, and the impl block's module and span.
type Provided<'a> = (Res, (ModId, usize), Option<&'a str>, (ModId, Range<usize>));

/// Resolution depth beyond which a chain of `use`s is taken as a cycle.
const MAX_DEPTH: usize = 160;

/// Resolves paths over a built [`ModTree`]: the [`Index`] it shares with
/// its forks, the lookups finished before it was forked (shared with its
/// forks too), and the lookups it has finished since, its own.
pub struct Resolver<'a> {
    index: Arc<Index<'a>>,
    /// Lookups finished before the last [`Resolver::forks`]: read by every
    /// fork, changed by none.
    known: RefCell<Arc<Memos>>,
    /// Finished lookups. Re-export graphs are DAGs full of diamonds (and
    /// sometimes cycles): without this, glob chains cost exponential time.
    /// Keyed by module, namespace and build, then name, so that a lookup
    /// that finds its answer allocates nothing.
    memo: RefCell<Memos>,
    /// Lookups in progress, with their place on the stack: meeting one
    /// again is a cycle.
    active: RefCell<HashMap<LookupKey, usize>>,
    /// The lowest place on the stack that a cycle or the depth limit cut
    /// short since the innermost unfinished lookup began.
    cut: std::cell::Cell<usize>,
    /// Lookups finished while cut short by a cycle through a lookup still
    /// in progress: their answers hold only until the outermost lookup
    /// ends, so that no answer depends on which lookup ran before.
    provisional: RefCell<Memos>,
    /// The provisional lookups in the order they finished, each with
    /// whether it found nothing (see [`Resolver::settle`]).
    provisional_log: RefCell<Vec<(LookupKey, bool)>>,
    /// How many times the depth limit cut a lookup short.
    too_deep: std::cell::Cell<usize>,
    /// How many modules were searched for a name: lookups not answered
    /// from memory, and modules the search for a gated `use` entered.
    searched: std::cell::Cell<usize>,
    /// [`Resolver::gated_import`]'s answers, by module, name and build:
    /// code names the same thing many times (a generated binding's type in
    /// each of its methods), and each search may follow globs far.
    gated_imports: RefCell<GatedImports>,
}

/// Impl blocks are resolved in this many parts, whatever the number of
/// threads, of at least [`MIN_HEADERS_PER_PART`] each.
const HEADER_PARTS: usize = 16;
const MIN_HEADERS_PER_PART: usize = 256;

/// Adds the finished lookups `found` to `into` (a finished lookup's answer
/// is the same in every resolver over one index).
fn absorb(into: &mut Memos, found: Memos) {
    for (key, names) in found {
        into.entry(key).or_default().extend(names);
    }
}

/// What an impl block's self type and its trait resolve to.
type Header = (Option<Res>, Option<Res>);

/// Finished lookups, by module, namespace and build, then name.
type Memos = HashMap<(ModId, u8, View), Memo>;

/// What a [`Resolver`] knows once built, shared by its forks.
pub struct Index<'a> {
    inputs: &'a Inputs<'a>,
    tree: &'a ModTree,
    /// Per module id of a target root: the crate names its code can use.
    externs: Vec<Vec<(Name, ModId)>>,
    /// Per module id: its items by name, in order (a crate root with
    /// hundreds of items is asked about every name its code uses).
    item_names: Vec<Vec<usize>>,
    /// The names a lookup in each module may find at all.
    declared: super::declared::Declared<'a>,
    /// Per target root: its `#[macro_export]` macros by name.
    exported: HashMap<(ModId, Name), Res>,
    /// Every variant, field and associated item.
    members: Vec<MemberInfo<'a>>,
    /// The members of each type or trait, by owner.
    members_of: Groups<Res>,
    /// The same, sorted by name (then index): a type with a thousand
    /// methods is searched by name, not scanned.
    members_of_by_name: Groups<Res>,
    /// Every member, by name, in index order.
    members_by_name: Groups<&'a str>,
    /// Items of impls for types that are not the workspace's (`impl Seats
    /// for u32`), by the type's name as written; `*` for blanket impls
    /// bounded only by traits that are not the workspace's (`impl<T:
    /// Display> Audit for T`), which std types may have.
    foreign_members: HashMap<Name, Vec<usize>>,
    /// Names `macro_rules!` bodies declare as functions or fields.
    macro_members: HashSet<Name>,
    /// The traits each type implements or derives, by the trait's last
    /// name: the `impl` block's or `derive` attribute's module and span.
    trait_impls: TraitImpls,
}

impl<'a> std::ops::Deref for Resolver<'a> {
    type Target = Index<'a>;

    fn deref(&self) -> &Index<'a> {
        &self.index
    }
}

/// The members [`Resolver::new`] collects, before they join the index.
struct Collected<'a> {
    members: Vec<MemberInfo<'a>>,
    trait_impls: TraitImpls,
    members_of: Groups<Res>,
    members_of_by_name: Groups<Res>,
    members_by_name: Groups<&'a str>,
    foreign: HashMap<Name, Vec<usize>>,
}

impl<'a> Index<'a> {
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

    /// The variants, fields and trait items of the definitions, and the
    /// traits each type derives.
    fn defined_members(&self) -> (Vec<MemberInfo<'a>>, TraitImpls) {
        let mut members = Vec::new();
        let mut trait_impls: TraitImpls = HashMap::default();
        for (id, _) in self.tree.modules.iter().enumerate() {
            let Some(body) = self.body(id) else { continue };
            for (i, item) in body.items.iter().enumerate() {
                for (name, span) in &item.derives {
                    trait_impls.entry(Res::Item(id, i)).or_default().push((name.clone(), id, span.clone()));
                }
                for m in &item.members {
                    let info = |member, owner| MemberInfo {
                        module: id,
                        member,
                        owner: Some(owner),
                        of_trait: None,
                        trait_name: None,
                        trait_arg: None,
                        via: None,
                    };
                    let variant = Res::Member(members.len());
                    members.push(info(m, Res::Item(id, i)));
                    // A struct or tuple variant's fields belong to the variant.
                    members.extend(m.fields.iter().map(|f| info(f, variant)));
                }
            }
        }
        (members, trait_impls)
    }
}

impl<'a> Collected<'a> {
    fn store(self, index: &mut Index<'a>) {
        index.members = self.members;
        index.trait_impls = self.trait_impls;
        index.members_of = self.members_of;
        index.members_of_by_name = self.members_of_by_name;
        index.members_by_name = self.members_by_name;
        index.foreign_members = self.foreign;
    }
}

/// The members by owner (in index order, and sorted by name) and by name.
fn member_indexes<'a>(members: &[MemberInfo<'a>]) -> (Groups<Res>, Groups<Res>, Groups<&'a str>) {
    let info = |i: usize| members.get(i);
    // By name on one thread, by owner on another.
    let (by_name, (of, of_by_name)) = rayon::join(
        || Groups::new(members.len(), |i| Some(info(i)?.member.name.as_str())),
        || {
            let of = Groups::new(members.len(), |i| info(i)?.owner);
            let by_name = of.sorted_by_key(|i| (info(i).map(|m| m.member.name.as_str()), i));
            (of, by_name)
        },
    );
    (of, of_by_name, by_name)
}

/// What a thread needs to make its own [`Resolver`]: the shared index and
/// the lookups finished while building it.
pub struct Forks<'a> {
    index: Arc<Index<'a>>,
    known: Arc<Memos>,
}

impl<'a> Forks<'a> {
    /// A resolver that knows what the one these came from knew when it was
    /// built. Lookups in one fork never change another's answers, so work
    /// split into fixed parts gives the same findings on any number of threads.
    pub fn fork(&self) -> Resolver<'a> {
        Resolver::over(Arc::clone(&self.index), Arc::clone(&self.known))
    }
}

impl<'a> Resolver<'a> {
    /// Prepares extern crate names for every target, and the members of
    /// every type and trait.
    pub fn new(inputs: &'a Inputs<'a>, tree: &'a ModTree) -> Self {
        // Each crate's library target root (the first, as a search would find).
        let mut lib_roots: Vec<Option<ModId>> = vec![None; inputs.ws.crates.len()];
        for t in tree.targets.iter().rev().filter(|t| crate::workspace::is_library_kind(&t.kind)) {
            if let Some(slot) = t.krate.and_then(|k| lib_roots.get_mut(k)) {
                *slot = Some(t.root);
            }
        }
        let lib_root = |krate: usize| lib_roots.get(krate).copied().flatten();
        let mut externs = vec![Vec::new(); tree.modules.len()];
        for t in &tree.targets {
            let Some(ci) = t.krate else { continue };
            let Some(c) = inputs.ws.crates.get(ci) else { continue };
            let mut names = Vec::new();
            let lib_name = |root: ModId| tree.modules.get(root).map(|m| m.name.clone()).unwrap_or_default();
            for dep in &c.info.dependencies {
                let Some(target) = inputs.ws.dependency_crate(c, dep) else { continue };
                let Some(root) = lib_root(target) else { continue };
                // A renamed dependency goes by its key; otherwise by the
                // library's own name (`[lib] name` may differ from the package).
                let renamed = inputs.ws.crates.get(target).is_some_and(|d| d.name != dep.key);
                let name = if renamed { Name::from(dep.key.replace('-', "_")) } else { lib_name(root) };
                names.push((name, root));
            }
            if let Some(own) = lib_root(ci).filter(|r| *r != t.root) {
                names.push((lib_name(own), own));
            }
            if let Some(slot) = externs.get_mut(t.root) {
                *slot = names;
            }
        }
        let mut index = Index {
            inputs,
            tree,
            externs,
            item_names: Vec::new(),
            declared: super::declared::Declared::default(),
            exported: HashMap::default(),
            members: Vec::new(),
            members_of: Groups::default(),
            members_of_by_name: Groups::default(),
            members_by_name: Groups::default(),
            foreign_members: HashMap::default(),
            trait_impls: HashMap::default(),
            macro_members: inputs.files.iter().flat_map(|f| f.syntax.macro_members.iter().cloned()).collect(),
        };
        // Per module, its items' indices sorted by name: one allocation a
        // module, and the items of one name next to each other.
        let item_names = || {
            (0..tree.modules.len())
                .into_par_iter()
                .map(|m| {
                    let items = index.body(m).map_or(&[][..], |b| b.items.as_slice());
                    let mut sorted: Vec<usize> = (0..items.len()).collect();
                    let name_of = |i: &usize| items.get(*i).map(|it| it.name.as_str());
                    sorted.sort_by(|a, b| name_of(a).cmp(&name_of(b)).then(a.cmp(b)));
                    sorted
                })
                .collect()
        };
        let declared = || super::declared::Declared::new(tree, |m| index.body(m), &index.externs);
        (index.item_names, index.declared) = rayon::join(item_names, declared);
        for (id, module) in tree.modules.iter().enumerate() {
            let Some(body) = index.body(id) else { continue };
            for (i, item) in body.items.iter().enumerate().filter(|(_, it)| it.macro_export) {
                index.exported.entry((module.root, item.name.clone())).or_insert(Res::Item(id, i));
            }
        }
        // Members need lookups, which need a resolver: built with the
        // index as it is so far, then added to it.
        let mut resolver = Resolver::over(Arc::new(index), Arc::default());
        let members = resolver.collect_members();
        if let Some(index) = Arc::get_mut(&mut resolver.index) {
            members.store(index);
        }
        resolver
    }

    /// A resolver over `index` that knows the finished lookups in `known`
    /// and has none in progress.
    fn over(index: Arc<Index<'a>>, known: Arc<Memos>) -> Resolver<'a> {
        Resolver {
            index,
            known: RefCell::new(known),
            memo: RefCell::default(),
            active: RefCell::default(),
            cut: std::cell::Cell::new(usize::MAX),
            provisional: RefCell::default(),
            provisional_log: RefCell::default(),
            too_deep: std::cell::Cell::new(0),
            searched: std::cell::Cell::new(0),
            gated_imports: RefCell::default(),
        }
    }

    /// What other threads need to resolve as this resolver does: its
    /// finished lookups become the ones it shares, not copied for each fork.
    pub fn forks(&self) -> Forks<'a> {
        let mine = std::mem::take(&mut *self.memo.borrow_mut());
        let mut known = self.known.borrow_mut();
        if known.is_empty() {
            *known = Arc::new(mine);
        } else if !mine.is_empty() {
            absorb(Arc::make_mut(&mut known), mine);
        }
        Forks { index: Arc::clone(&self.index), known: Arc::clone(&known) }
    }

    /// Variants, fields and trait items from the definitions; associated
    /// items from every impl block whose self type resolves.
    fn collect_members(&self) -> Collected<'a> {
        let mut provided = Vec::new();
        let mut blankets = Vec::new();
        let mut foreign: HashMap<Name, Vec<usize>> = HashMap::default();
        // The definitions' members need no lookup: gathered on one thread
        // while the impl blocks' headers are resolved on the others.
        let index: &Index<'a> = &self.index;
        let (headers, (mut members, mut trait_impls)) = self.impl_headers(|| index.defined_members());
        for (m, imp, (owner, of_trait)) in headers {
            let trait_name = imp.trait_path.as_ref().and_then(|t| t.segments.last()).map(Name::as_str);
            if let (Some(owner), Some(name)) = (owner, trait_name) {
                // `From<X>` is a trait per `X`: named with its last segment.
                let from = imp.trait_path.as_ref().and_then(|t| t.arg.as_ref()).filter(|_| name == "From");
                let name = from
                    .and_then(|x| x.segments.last())
                    .map_or_else(|| Name::from(name), |x| compact_str::format_compact!("From<{x}>"));
                trait_impls.entry(owner).or_default().push((name, m, imp.span.clone()));
            }
            let first = members.len();
            for it in &imp.items {
                members.push(MemberInfo {
                    module: m,
                    member: it,
                    owner,
                    of_trait,
                    trait_name,
                    trait_arg: imp.trait_path.as_ref().and_then(|t| t.arg.as_deref()),
                    via: None,
                });
            }
            if owner.is_none() {
                if let Some(key) = self.foreign_key(m, imp) {
                    foreign.entry(key).or_default().extend(first..members.len());
                }
            }
            if let (Some(owner), Some(Res::Item(tm, ti))) = (owner, of_trait) {
                provided.push((owner, (tm, ti), trait_name, (m, imp.span.clone())));
            }
            if !imp.blanket.is_empty() {
                if let (Some(name), Some(of)) = (trait_name, of_trait) {
                    blankets.push((m, imp, name, of));
                }
            }
        }
        for blanket in blankets {
            self.blanket_members(blanket, &mut trait_impls, &mut members, &mut provided);
        }
        // What each trait impl gives its type from the trait itself.
        for (owner, (tm, ti), trait_name, via) in provided {
            let Some(item) = self.item(tm, ti) else { continue };
            for member in item.members.iter().filter(|x| matches!(x.kind, MemberKind::Fn { .. } | MemberKind::Const)) {
                members.push(MemberInfo {
                    module: tm,
                    member,
                    owner: Some(owner),
                    of_trait: Some(Res::Item(tm, ti)),
                    trait_name,
                    trait_arg: None,
                    via: Some(via.clone()),
                });
            }
        }
        // Kept for the whole run.
        members.shrink_to_fit();
        let (members_of, members_of_by_name, members_by_name) = member_indexes(&members);
        Collected { members, trait_impls, members_of, members_of_by_name, members_by_name, foreign }
    }

    /// Every impl block with its module, and what its self type and its
    /// trait resolve to: resolved in fixed parts on every thread, each part
    /// with its own fork, whose finished lookups this resolver then knows;
    /// and `beside`, run meanwhile.
    fn impl_headers<R: Send>(&self, beside: impl FnOnce() -> R + Send) -> (Vec<(ModId, &'a ImplDef, Header)>, R) {
        let tree: &'a ModTree = self.tree;
        let impls: Vec<(ModId, &'a ImplDef)> = (self.inputs.files.iter().enumerate())
            .flat_map(|(file, data)| data.syntax.impls.iter().map(move |imp| (file, imp)))
            .filter_map(|(file, imp)| Some((tree.module_of(file, &imp.module)?, imp)))
            .collect();
        let forks = self.forks();
        let resolve = || -> Vec<(Vec<Header>, Memos)> {
            impls
                .par_chunks(impls.len().div_ceil(HEADER_PARTS).max(MIN_HEADERS_PER_PART))
                .map(|part| {
                    let fork = forks.fork();
                    let headers = part
                        .iter()
                        .map(|&(m, imp)| {
                            let owner = imp.self_ty.as_ref().and_then(|t| fork.type_res(m, t, None));
                            let of_trait = imp
                                .trait_path
                                .as_ref()
                                .and_then(|t| fork.resolve(m, &t.segments, t.global, ns::TYPE, View::Any))
                                .map(|r| r.res);
                            (owner, of_trait)
                        })
                        .collect();
                    (headers, fork.memo.into_inner())
                })
                .collect()
        };
        let (parts, other) = rayon::join(resolve, beside);
        let mut resolved = Vec::with_capacity(impls.len());
        let mut memo = self.memo.borrow_mut();
        for (part, found) in parts {
            resolved.extend(part);
            absorb(&mut memo, found);
        }
        (impls.into_iter().zip(resolved).map(|((m, imp), header)| (m, imp, header)).collect(), other)
    }

    /// Under what name [`Self::foreign_members`] keeps the items of an impl
    /// whose self type is not the workspace's: a single-segment type's
    /// name, or `*` for a blanket impl no workspace trait bounds.
    fn foreign_key(&self, m: ModId, imp: &ImplDef) -> Option<Name> {
        let [name] = imp.self_ty.as_ref()?.segments.as_slice() else { return None };
        if imp.blanket.is_empty() {
            return Some(name.clone());
        }
        let workspace_bound =
            imp.blanket.iter().any(|b| self.resolve(m, std::slice::from_ref(b), false, ns::TYPE, View::Any).is_some());
        (!workspace_bound).then(|| Name::const_new("*"))
    }

    /// The items impls give a type that is not the workspace's, by its name
    /// as written (`u32`, `String`), blanket impls' included.
    pub fn foreign_members(&self, name: &str) -> impl Iterator<Item = usize> + '_ {
        let own = self.foreign_members.get(name).into_iter().flatten();
        own.chain(self.foreign_members.get("*").into_iter().flatten()).copied()
    }

    /// A blanket impl (`impl<S: Store> Audited for S`) gives its trait and
    /// items to every type whose impls meet its bounds, and to the bounding
    /// traits themselves (a generic `S: Store` has them too).
    fn blanket_members(
        &self,
        (m, imp, name, of_trait): Blanket<'a>,
        trait_impls: &mut TraitImpls,
        members: &mut Vec<MemberInfo<'a>>,
        provided: &mut Vec<Provided<'a>>,
    ) {
        let mut owners: Vec<Res> = trait_impls
            .iter()
            .filter(|(_, impls)| imp.blanket.iter().all(|b| impls.iter().any(|(n, ..)| n == b)))
            .map(|(owner, _)| *owner)
            .collect();
        owners.extend(
            imp.blanket
                .iter()
                .filter_map(|b| self.resolve(m, std::slice::from_ref(b), false, ns::TYPE, View::Any).map(|r| r.res)),
        );
        // The same members in the same order on every run.
        owners.sort_unstable();
        owners.dedup();
        for owner in owners {
            trait_impls.entry(owner).or_default().push((Name::from(name), m, imp.span.clone()));
            for it in &imp.items {
                members.push(MemberInfo {
                    module: m,
                    member: it,
                    owner: Some(owner),
                    of_trait: Some(of_trait),
                    trait_name: Some(name),
                    trait_arg: None,
                    via: None,
                });
            }
            if let Res::Item(tm, ti) = of_trait {
                provided.push((owner, (tm, ti), Some(name), (m, imp.span.clone())));
            }
        }
    }

    /// The type a written type path names, from module `m` (`Self` is
    /// `self_ty`, itself written in `m`).
    pub fn type_res(&self, m: ModId, ty: &TyPath, self_ty: Option<&TyPath>) -> Option<Res> {
        self.type_in(m, ty, self_ty, View::Any)
    }

    /// [`Self::type_res`] in build `view`: where cfg twins give a name
    /// different types in different builds, the one `view` has.
    pub fn type_in(&self, m: ModId, ty: &TyPath, self_ty: Option<&TyPath>, view: View) -> Option<Res> {
        if ty.segments.first().is_some_and(|s| s == "Self") {
            let own = self_ty.filter(|s| s.segments.first().is_none_or(|f| f != "Self"))?;
            let base = self.type_in(m, own, None, view)?;
            if ty.segments.len() == 1 {
                return Some(base);
            }
            let found = self.members_named(base, ty.segments.get(1)?, ns::TYPE);
            return found.into_iter().find(|&i| self.present(Res::Member(i), view)).map(Res::Member);
        }
        let res = self.resolve(m, &ty.segments, ty.global, ns::TYPE, view)?.res;
        Some(self.unaliased(res, view))
    }

    /// The type a type alias stands for, through chains of aliases (a
    /// type that is not an alias is itself).
    fn unaliased(&self, mut res: Res, view: View) -> Res {
        for _ in 0..MAX_ALIASES {
            let Res::Item(m, i) = res else { break };
            let Some(target) = self.item(m, i).and_then(|it| it.alias.as_ref()) else { break };
            let Some(found) = self.resolve(m, &target.segments, target.global, ns::TYPE, view) else { break };
            res = found.res;
        }
        res
    }

    /// The traits a type implements or derives: each trait's last name, and
    /// the module and span of the `impl` block or `derive` attribute.
    pub fn trait_impls(&self, owner: Res) -> &[(Name, ModId, Range<usize>)] {
        self.trait_impls.get(&owner).map_or(&[], Vec::as_slice)
    }

    /// Whether some `macro_rules!` body declares a function or field of this name.
    pub fn macro_member(&self, name: &str) -> bool {
        self.macro_members.contains(name)
    }

    /// Every member recorded.
    pub fn members(&self) -> &[MemberInfo<'a>] {
        &self.members
    }

    /// The members of a type or trait named `name` in namespaces `ns`.
    pub fn members_named(&self, owner: Res, name: &str, ns: u8) -> Vec<usize> {
        let sorted = self.members_of_by_name.get(&owner);
        let name_of = |i: &usize| self.members.get(*i).map(|info| info.member.name.as_str());
        let start = sorted.partition_point(|i| name_of(i) < Some(name));
        let named = sorted.get(start..).unwrap_or_default().iter().take_while(|i| name_of(i) == Some(name));
        // In index order, as every list of members is.
        named.copied().filter(|&i| self.members.get(i).is_some_and(|info| member_ns(info.member) & ns != 0)).collect()
    }

    /// Every member called `name`, whoever owns it, in index order.
    pub fn members_called(&self, name: &str) -> &[usize] {
        self.members_by_name.get(name)
    }

    /// The members of `owner` (its impls included).
    pub fn members_of(&self, owner: Res) -> &[usize] {
        self.members_of.get(&owner)
    }

    /// Where a definition is: its module and its whole span (`None` for a module).
    fn place(&self, res: Res) -> Option<(ModId, Option<Range<usize>>)> {
        match res {
            Res::Module(m) => Some((m, None)),
            Res::Item(m, i) => Some((m, Some(self.item(m, i)?.item_span.clone()))),
            Res::Member(i) => {
                let info = self.members.get(i)?;
                Some((info.module, Some(info.member.span.clone())))
            }
        }
    }

    /// The edition of a definition's code, and the edition of the builds it
    /// exists in because of its gates.
    pub fn edition_and_gate(&self, res: Res) -> Option<(EditionId, Gate)> {
        let (m, span) = self.place(res)?;
        let module = self.tree.modules.get(m)?;
        let Some(span) = span else { return Some((module.edition, module.gate)) };
        let ctx = self.ctx_at(m, &span);
        Some((ctx.edition, ctx.gate))
    }

    /// The context of code at `span` in the module that defines `res`.
    pub fn ctx_in(&self, res: Res, span: &Range<usize>) -> Option<Ctx> {
        let (m, _) = self.place(res)?;
        Some(self.ctx_at(m, span))
    }

    /// The edition of the code at `span` in module `m` (its tag, else the
    /// module's), and the edition its cfg gates and the module's require.
    pub fn ctx_at(&self, m: ModId, span: &Range<usize>) -> Ctx {
        let inputs = self.inputs;
        match self.tree.modules.get(m) {
            Some(module) => {
                let (edition, gate) = inputs.context(module, span);
                Ctx { edition, gate }
            }
            None => Ctx { edition: inputs.config.default, gate: inputs.combine(Gate::default(), Gate::default()) },
        }
    }

    /// [`Self::ctx_at`], with the code also under `cfg` (a macro puts its
    /// arguments under it).
    pub fn ctx_with(&self, m: ModId, span: &Range<usize>, cfg: &crate::parse::items::Cfg) -> Ctx {
        let ctx = self.ctx_at(m, span);
        let krate = self.tree.modules.get(m).and_then(|x| x.krate);
        Ctx { gate: self.inputs.combine(ctx.gate, self.inputs.gate_of(krate, [cfg])), ..ctx }
    }

    /// Whether build `view` holds code of context `ctx`: its edition and
    /// its gate's.
    pub fn holds(&self, view: View, ctx: Ctx) -> bool {
        let (v, test) = match view {
            View::Any => return true,
            View::In(v) => (v, false),
            View::Test(v) => (v, true),
        };
        let config = self.inputs.config;
        config.may_use(v, ctx.edition)
            && match ctx.gate.need(test) {
                Need::Nothing => true,
                Need::Edition(g) => config.may_use(v, g),
                Need::Never => false,
            }
    }

    /// The edition of what a path resolved to: the lowest edition whose
    /// build holds it.
    pub fn edition(&self, res: Res) -> Option<EditionId> {
        let (edition, gate) = self.edition_and_gate(res)?;
        Some(gate.edition().map_or(edition, |g| self.inputs.config.higher(edition, g)))
    }

    /// Why the definition of `res` is of the edition [`Resolver::edition`]
    /// gives: the cfg gate it is behind, its tag or snippet, or the rule that
    /// gives its file its edition. `None` when it comes from its module's
    /// declaration.
    pub fn why(&self, res: Res) -> Option<Why> {
        let (m, span) = self.place(res)?;
        let module = self.tree.modules.get(m)?;
        let (edition, gate) = self.edition_and_gate(res)?;
        let config = self.inputs.config;
        if let Some(g) = gate.edition().filter(|&g| g != edition && config.higher(edition, g) == g) {
            return Some(Why::Gate(g));
        }
        let file = self.inputs.files.get(module.file)?;
        if span.as_ref().and_then(|s| file.tag_at(s)).is_some() {
            return Some(Why::Tag);
        }
        let (by_file, reason) = self.inputs.editions.file_edition(config, self.inputs.ws, &file.rel);
        (by_file == module.edition && by_file == edition).then_some(Why::File(reason))
    }

    /// Whether build `view` holds the definition.
    pub fn present(&self, res: Res, view: View) -> bool {
        if view == View::Any {
            return true;
        }
        let via = match res {
            Res::Member(i) => self.members.get(i).and_then(|info| info.via.as_ref()),
            _ => None,
        };
        self.edition_and_gate(res).is_some_and(|(edition, gate)| self.holds(view, Ctx { edition, gate }))
            && via.is_none_or(|(m, span)| self.holds(view, self.ctx_at(*m, span)))
    }

    /// Whether any edition's build with `cfg(test)` as in `view` holds
    /// `res` (always, for [`View::Any`]). One that none holds (a
    /// `#[cfg(test)]` helper named from code every build compiles) breaks
    /// the full build as much as any edition's: it is not a crossing.
    pub fn built_like(&self, res: Res, view: View) -> bool {
        let test = match view {
            View::Any => return true,
            View::In(_) => false,
            View::Test(_) => true,
        };
        let built = |gate: Gate| gate.need(test) != Need::Never;
        let via = match res {
            Res::Member(i) => self.members.get(i).and_then(|info| info.via.as_ref()),
            _ => None,
        };
        self.edition_and_gate(res).is_some_and(|(_, gate)| built(gate))
            && via.is_none_or(|(m, span)| built(self.ctx_at(*m, span).gate))
    }

    /// The build code of context `ctx` is checked in: the lowest edition's
    /// build that compiles it (its gate's edition when that is higher than
    /// its own), without `cfg(test)` unless the unit-test build is a lower
    /// edition's (`any(feature = "enterprise", test)`) or the only one
    /// (`#[cfg(test)] mod tests`); any build for code no build compiles.
    pub fn view_of(&self, ctx: Ctx) -> View {
        let config = self.inputs.config;
        let build = |need: Need| match need {
            Need::Never => None,
            Need::Nothing => Some(ctx.edition),
            Need::Edition(g) => Some(config.higher(ctx.edition, g)),
        };
        match (build(ctx.gate.plain), build(ctx.gate.test)) {
            (Some(plain), Some(test)) if test != plain && config.may_use(plain, test) => View::Test(test),
            (Some(plain), _) => View::In(plain),
            (None, Some(test)) => View::Test(test),
            (None, None) => View::Any,
        }
    }

    /// The canonical path of a definition (`acme_ee::sso::login`).
    pub fn display(&self, res: Res) -> String {
        let (m, last) = match res {
            Res::Module(m) => (m, None),
            Res::Item(m, i) => (m, self.item(m, i).map(|it| it.name.clone())),
            Res::Member(i) => {
                let Some(info) = self.members.get(i) else { return String::new() };
                let owner = info.owner.map_or_else(|| "_".to_owned(), |o| self.display(o));
                return format!("{owner}::{}", info.member.name);
            }
        };
        let mut names = Vec::new();
        let mut cur = Some(m);
        while let Some(id) = cur {
            let Some(module) = self.tree.modules.get(id) else { break };
            cur = module.parent;
            if module.block {
                continue;
            }
            names.push(if module.parent.is_none() && module.name.is_empty() {
                Name::const_new("crate")
            } else {
                module.name.clone()
            });
        }
        names.reverse();
        names.extend(last);
        names.join("::")
    }

    /// Resolves a path written in module `from`, its last segment in
    /// namespaces `ns`, in build `view`.
    pub fn resolve(&self, from: ModId, segments: &[Name], global: bool, ns: u8, view: View) -> Option<Resolved> {
        self.path(from, segments, global, ns, view, 0).map(|(found, _)| found)
    }

    /// The path a [`Hop`]'s `use` is written with (`acme_ee::Token`,
    /// `super::inner::*`).
    pub fn hop_path(&self, hop: &Hop) -> String {
        let (m, at) = hop.at;
        let Some(u) = self.body(m).and_then(|b| b.uses.get(at)) else { return String::new() };
        let joined = u.path.join("::");
        match u.target {
            UseTarget::Glob => format!("{joined}::*"),
            UseTarget::Name(_) => format!("{}{joined}", if u.global { "::" } else { "" }),
        }
    }

    /// Whether the `use` `u` in module `scope` is in build `view`.
    fn use_present(&self, scope: ModId, u: &UseDef, view: View) -> bool {
        self.holds(view, self.ctx_at(scope, &u.item_span))
    }

    /// Whether module `m` declares a `use` (present in `view`) binding
    /// `name`, whatever it resolves to: rustc binds a failed import too, so
    /// code using the name is not reported again.
    pub fn imports(&self, m: ModId, name: &str, view: View) -> bool {
        self.lexical(m).any(|m| {
            self.body(m).is_some_and(|body| {
                body.uses
                    .iter()
                    .any(|u| matches!(&u.target, UseTarget::Name(n) if n == name) && self.use_present(m, u, view))
            })
        })
    }

    /// The `use` that binds `name` for code in module `m` in some build but
    /// not in build `view`, when nothing else in scope may bind it there: no
    /// other `use` of the name, no glob whose module is outside the workspace,
    /// no dependency of that name. The caller knows no workspace item is
    /// called `name` in `view`.
    pub fn gated_import(&self, m: ModId, name: &str, view: View) -> Option<(ModId, &'a UseDef)> {
        let krate = self.tree.modules.get(m)?.krate.and_then(|k| self.inputs.ws.crates.get(k));
        if krate.is_some_and(|c| c.info.dependencies.iter().any(|d| d.key.replace('-', "_") == name)) {
            return None;
        }
        let key = (m, Name::from(name), view);
        let known = self.gated_imports.borrow().get(&key).copied();
        let found = known.unwrap_or_else(|| {
            let scopes: Vec<ModId> = self.lexical(m).collect();
            let found = match self.imported(&scopes, name, view, (0, &mut HashMap::default())) {
                Imported::Gated(scope, i) => Some((scope, i)),
                Imported::Present | Imported::Nothing => None,
            };
            self.gated_imports.borrow_mut().insert(key, found);
            found
        });
        let (scope, i) = found?;
        Some((scope, self.body(scope)?.uses.get(i)?))
    }

    /// Whether a `use` in scope of code in module `m`, present in build
    /// `view`, may bind `name` there to something outside the workspace:
    /// one naming it, or a glob (`use std::time::*;` brings `Instant`).
    pub fn maybe_imported(&self, m: ModId, name: &str, view: View) -> bool {
        self.lexical(m).any(|scope| {
            let Some(body) = self.body(scope) else { return false };
            body.uses.iter().filter(|u| self.use_present(scope, u, view)).any(|u| {
                let outside = || self.path(scope, &u.path, u.global, ns::TYPE, View::Any, 0).is_none();
                match &u.target {
                    UseTarget::Glob => outside(),
                    UseTarget::Name(n) => n == name && !u.extern_crate && outside(),
                }
            })
        })
    }

    /// How `use`s in `scopes` (innermost first), and in the workspace
    /// modules their globs import (`use super::*` in a test module), bind
    /// `name` in build `view`, at most [`MAX_GLOB_IMPORTS`] globs deep.
    /// `explored` holds the modules whose search through a glob has ended,
    /// each with the fewest globs it took: a module reached again no closer
    /// is not searched again, as that search found all this one could, and
    /// first (a module of a thousand globs that each lead back to it is not
    /// searched a thousand times over).
    fn imported(
        &self,
        scopes: &[ModId],
        name: &str,
        view: View,
        (depth, explored): (usize, &mut HashMap<ModId, usize>),
    ) -> Imported {
        let mut gated = Imported::Nothing;
        for &scope in scopes {
            self.searched.set(self.searched.get() + 1);
            let Some(body) = self.body(scope) else { return Imported::Present };
            for (i, u) in body.uses.iter().enumerate() {
                let present = self.use_present(scope, u, view);
                match &u.target {
                    UseTarget::Name(n) if n == name && present => return Imported::Present,
                    UseTarget::Name(n) if n == name && matches!(gated, Imported::Nothing) => {
                        gated = Imported::Gated(scope, i);
                    }
                    UseTarget::Glob if present => {
                        let source = self.path(scope, &u.path, u.global, ns::TYPE, View::Any, 0).map(|(r, _)| r.res);
                        match source {
                            // A glob of a crate outside the workspace may bring anything.
                            None => return Imported::Present,
                            Some(Res::Module(g))
                                if g != scope
                                    && depth < MAX_GLOB_IMPORTS
                                    && explored.get(&g).is_none_or(|&at| at > depth + 1) =>
                            {
                                let found = self.imported(&[g], name, view, (depth + 1, explored));
                                let at = explored.entry(g).or_insert(depth + 1);
                                *at = (*at).min(depth + 1);
                                match found {
                                    Imported::Present => return Imported::Present,
                                    found @ Imported::Gated(..) if matches!(gated, Imported::Nothing) => gated = found,
                                    _ => {}
                                }
                            }
                            Some(_) => {}
                        }
                    }
                    _ => {}
                }
            }
        }
        gated
    }

    /// Whether code in module `m` may have trait `of_trait` in scope in
    /// build `view` without its name: `use Tr as _;`, or a glob (which may
    /// bring such an import along).
    pub fn unnamed_in_scope(&self, m: ModId, of_trait: Res, view: View) -> bool {
        self.lexical(m).any(|scope| {
            self.body(scope).is_some_and(|body| {
                body.uses.iter().any(|u| {
                    let anonymous = match &u.target {
                        UseTarget::Glob => true,
                        UseTarget::Name(n) if n == "_" => self
                            .resolve(scope, &u.path, u.global, ns::TYPE, View::Any)
                            .is_some_and(|r| r.res == of_trait),
                        UseTarget::Name(_) => false,
                    };
                    anonymous && self.use_present(scope, u, view)
                })
            })
        })
    }

    /// The scopes a name written in module `m` is looked up in, innermost
    /// first: `m`, and past a block, the enclosing blocks up to the named
    /// module they are in.
    fn lexical(&self, m: ModId) -> impl Iterator<Item = ModId> + '_ {
        let mut next = Some(m);
        std::iter::from_fn(move || {
            let cur = next?;
            let module = self.tree.modules.get(cur)?;
            next = module.parent.filter(|_| module.block);
            Some(cur)
        })
    }

    /// The named module code in `m` is in: `m`, or the module a block is in.
    fn named(&self, m: ModId) -> ModId {
        self.lexical(m).last().unwrap_or(m)
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
    fn restricted(&self, m: ModId, path: &[Name]) -> Option<ModId> {
        let mut cur = match path.first().map(Name::as_str) {
            Some("self" | "super") => self.named(m),
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

    /// A name of the extern prelude of `from`'s crate, in build `view`: a
    /// dependency, or the name an `extern crate x as y;` at the crate root
    /// binds (rustc adds it for every module of the crate).
    fn extern_prelude(&self, from: ModId, name: &str, view: View) -> Option<ModId> {
        let present = |r: &ModId| self.present(Res::Module(*r), view);
        if let Some(found) = self.extern_crate(from, name).filter(present) {
            return Some(found);
        }
        let root = self.root(from)?;
        self.body(root)?
            .uses
            .iter()
            .filter(|u| u.extern_crate && matches!(&u.target, UseTarget::Name(n) if n == name))
            .filter(|u| self.use_present(root, u, view))
            .find_map(|u| match u.path.first()?.as_str() {
                // `extern crate self as acme;`: the crate under another name.
                "self" => Some(root),
                krate => self.extern_crate(root, krate).filter(present),
            })
    }

    /// A macro name in textual scope in module `from`, past its own scope:
    /// `macro_rules!` of the enclosing modules and of the modules they
    /// declare `#[macro_use]`, then the exported macros of the crate's
    /// `#[macro_use] extern crate`s.
    fn textual(&self, from: ModId, name: &str, view: View) -> Option<Binding> {
        let found = |res: Res| Some((Resolved { res, hops: Vec::new() }, None));
        let mut cur = Some(from);
        while let Some(m) = cur {
            if let Some(res) = self.macro_in(m, name, view) {
                return found(res);
            }
            cur = self.tree.modules.get(m)?.parent;
        }
        let root = self.root(from)?;
        for u in self.body(root)?.uses.iter().filter(|u| u.extern_crate && u.macro_use) {
            if !self.use_present(root, u, view) {
                continue;
            }
            let Some(krate) = u.path.first().and_then(|n| self.extern_crate(root, n)) else { continue };
            if let Some(&res) = self.exported.get(&(krate, Name::from(name))).filter(|r| self.present(**r, view)) {
                return found(res);
            }
        }
        None
    }

    /// A `macro_rules!` macro that module `m` defines, or one of the
    /// modules it declares `#[macro_use]` does.
    fn macro_in(&self, m: ModId, name: &str, view: View) -> Option<Res> {
        let module = self.tree.modules.get(m)?;
        let own = self.defined(m, name, ns::MACRO).into_iter().map(|(res, _)| res).find(|r| self.present(*r, view));
        own.or_else(|| {
            module.children.iter().find_map(|&(_, c)| {
                let child = self.tree.modules.get(c)?;
                (child.macro_use && self.present(Res::Module(c), view)).then(|| self.macro_in(c, name, view)).flatten()
            })
        })
    }

    /// Resolves a path written in module `from`, with the scope of the
    /// binding it ends at. Every name after the first must be visible from
    /// `from`; the first is `from`'s own (its items, imports and globs).
    /// Past a type, names are its variants, fields and associated items.
    fn path(&self, from: ModId, segments: &[Name], global: bool, ns: u8, view: View, depth: usize) -> Option<Binding> {
        if depth > MAX_DEPTH {
            self.cut_deep();
            return None;
        }
        let module = |m: ModId| (Resolved { res: Res::Module(m), hops: Vec::new() }, None);
        let (first, rest) = segments.split_first()?;
        // Every name but the last is a module or a type.
        let first_ns = if rest.is_empty() { ns } else { ns::TYPE };
        let (cur, scope) = if global {
            module(self.extern_prelude(from, first, view)?)
        } else {
            match first.as_str() {
                "crate" | "$crate" => module(self.root(from)?),
                "self" => module(self.named(from)),
                "super" => module(self.tree.modules.get(self.named(from))?.parent?),
                "Self" => return None,
                name => match self.lexical(from).find_map(|m| self.lookup(m, name, first_ns, view, depth + 1)) {
                    Some(found) => found,
                    None if rest.is_empty() && ns == ns::MACRO => self.textual(from, name, view)?,
                    None => module(self.extern_prelude(from, name, view)?),
                },
            }
        };
        let found = self.segments(from, (cur, scope), rest, ns, view, depth);
        if found.is_some() || rest.is_empty() || global {
            return found;
        }
        // cfg twins (`use community as edition;`, `use enterprise as
        // edition;`) both bind the name in builds that cannot tell them
        // apart: the path resolves through whichever has the rest of it.
        self.twin_uses(from, first, view, depth)
            .into_iter()
            .chain(self.twin_modules(from, first, view))
            .find_map(|start| self.segments(from, start, rest, ns, view, depth))
    }

    /// Child modules of one name in the nearest scope that has any, present
    /// in build `view`: the files a `#[cfg_attr(pred, path = "..")] mod`
    /// is in different builds, or `#[cfg]`-twin inline modules.
    fn twin_modules(&self, from: ModId, name: &str, view: View) -> Vec<Binding> {
        let twins = self.lexical(from).map(|m| self.defined(m, name, ns::TYPE)).find(|found| found.len() > 1);
        twins
            .unwrap_or_default()
            .into_iter()
            .filter(|(res, _)| matches!(res, Res::Module(_)) && self.present(*res, view))
            .map(|(res, scope)| (Resolved { res, hops: Vec::new() }, scope))
            .collect()
    }

    /// The bindings of `name` by each of two or more `use`s in scope in
    /// module `from`, present in build `view`, or by the twins a single
    /// `use` of it names (`use crate::edition;` where `crate` has twins).
    fn twin_uses(&self, from: ModId, name: &str, view: View, depth: usize) -> Vec<Binding> {
        let mut out = Vec::new();
        if depth > MAX_DEPTH {
            self.cut_deep();
            return out;
        }
        for scope in self.lexical(from) {
            let Some(body) = self.body(scope) else { continue };
            let named: Vec<&UseDef> = body
                .uses
                .iter()
                .filter(|u| matches!(&u.target, UseTarget::Name(n) if n == name) && !u.extern_crate)
                .filter(|u| self.use_present(scope, u, view))
                .collect();
            if let [single] = named.as_slice() {
                let Some((last, prefix)) = single.path.split_last() else { continue };
                if prefix.is_empty() {
                    continue;
                }
                if let Some((Resolved { res: Res::Module(base), .. }, _)) =
                    self.path(scope, prefix, single.global, ns::TYPE, view, depth + 1)
                {
                    out.extend(self.twin_uses(base, last, view, depth + 1));
                    out.extend(self.twin_modules(base, last, view));
                }
                continue;
            }
            for u in named {
                out.extend(self.path(scope, &u.path, u.global, ns::TYPE, view, depth + 1));
            }
        }
        out
    }

    /// Follows `rest` of a path from what its first segment bound.
    fn segments(
        &self,
        from: ModId,
        (mut cur, mut scope): Binding,
        rest: &[Name],
        ns: u8,
        view: View,
        depth: usize,
    ) -> Option<Binding> {
        let module = |m: ModId| (Resolved { res: Res::Module(m), hops: Vec::new() }, None);
        for (i, seg) in rest.iter().enumerate() {
            let seg_ns = if i + 1 == rest.len() { ns } else { ns::TYPE };
            let (next, next_scope) = match (cur.res, seg.as_str()) {
                (Res::Module(m), "super") => module(self.tree.modules.get(m)?.parent?),
                (Res::Module(_), "self") => continue,
                (Res::Module(m), name) => {
                    self.lookup(m, name, seg_ns, view, depth + 1).filter(|(_, s)| self.visible(*s, from))?
                }
                (owner @ (Res::Item(..) | Res::Member(_)), name) => {
                    let owner = self.alias_target(owner).unwrap_or(owner);
                    let found = self.members_named(owner, name, seg_ns);
                    let chosen = found.iter().copied().find(|&i| self.present(Res::Member(i), view))?;
                    ((Resolved { res: Res::Member(chosen), hops: Vec::new() }), scope)
                }
            };
            cur.hops.extend(next.hops);
            cur.res = next.res;
            scope = next_scope;
        }
        Some((cur, scope))
    }

    /// The type an alias (`type X = Y;`) or an associated type stands for.
    fn alias_target(&self, res: Res) -> Option<Res> {
        match res {
            Res::Item(..) => Some(self.unaliased(res, View::Any)).filter(|&r| r != res),
            Res::Member(i) => {
                let info = self.members.get(i)?;
                let ty = info.member.ty.as_ref().filter(|_| info.member.kind == MemberKind::Type)?;
                self.type_res(info.module, ty, None)
            }
            Res::Module(_) => None,
        }
    }

    /// Items and child modules of `m` named `name` in namespaces `ns`, with
    /// their scopes.
    fn defined(&self, m: ModId, name: &str, ns: u8) -> Vec<(Res, Scope)> {
        let mut out = Vec::new();
        let Some(module) = self.tree.modules.get(m) else { return out };
        if ns & ns::TYPE != 0 {
            for (n, c) in &module.children {
                if n == name {
                    let child = self.tree.modules.get(*c);
                    let scope = child.map_or(Some(m), |x| self.scope(&x.vis, m));
                    out.push((Res::Module(*c), scope));
                }
            }
        }
        let sorted = self.item_names.get(m).map_or(&[][..], Vec::as_slice);
        let items = self.body(m).map_or(&[][..], |b| b.items.as_slice());
        let name_of = |i: &usize| items.get(*i).map_or("", |it| it.name.as_str());
        let (from, to) =
            (sorted.partition_point(|i| name_of(i) < name), sorted.partition_point(|i| name_of(i) <= name));
        let named = sorted.get(from..to).unwrap_or_default();
        for &i in named {
            if let Some(item) = self.item(m, i).filter(|item| item.ns & ns != 0) {
                out.push((Res::Item(m, i), self.scope(&item.vis, m)));
            }
        }
        out
    }

    /// The binding of `name` in module `m` in build `view`, whoever looks:
    /// callers check that they can see it.
    fn lookup(&self, m: ModId, name: &str, ns: u8, view: View, depth: usize) -> Option<Binding> {
        if depth > MAX_DEPTH {
            self.cut_deep();
            return None;
        }
        let finished = |memos: &Memos| memos.get(&(m, ns, view)).and_then(|names| names.get(name)).cloned();
        if let Some(done) = finished(&self.memo.borrow()).or_else(|| finished(&self.known.borrow())) {
            return done;
        }
        if let Some(done) = self.provisional.borrow().get(&(m, ns, view)).and_then(|names| names.get(name)) {
            // Cut short by a lookup that is still in progress, as this one
            // would be again.
            return done.clone();
        }
        if !self.declared.may_bind(m, name, ns) {
            // Nothing this module can reach declares the name.
            return None;
        }
        let key = (m, Name::from(name), ns, view);
        let place = {
            let mut active = self.active.borrow_mut();
            if let Some(&at) = active.get(&key) {
                drop(active);
                self.cut_at(at);
                return None;
            }
            let place = active.len();
            active.insert(key.clone(), place);
            place
        };
        let outer = self.cut.replace(usize::MAX);
        let (logged, too_deep) = (self.provisional_log.borrow().len(), self.too_deep.get());
        let found = self.lookup_uncached(m, name, ns, view, depth);
        let cut = self.cut.get();
        self.active.borrow_mut().remove(&key);
        // Complete when every cut returned to this lookup or one inside it.
        let complete = cut >= place;
        if complete {
            self.memo.borrow_mut().entry((m, ns, view)).or_default().insert(key.1, found.clone());
            self.settle(logged, found.is_none() && self.too_deep.get() == too_deep);
        } else {
            self.provisional.borrow_mut().entry((m, ns, view)).or_default().insert(key.1.clone(), found.clone());
            self.provisional_log.borrow_mut().push((key, found.is_none()));
        }
        self.cut.set(if complete { outer } else { outer.min(cut) });
        if place == 0 {
            self.provisional.borrow_mut().clear();
            self.provisional_log.borrow_mut().clear();
        }
        found
    }

    /// A lookup has completed, and the provisional lookups from `logged` on
    /// were cut short by it or by lookups inside it: a cycle. When it found
    /// nothing (`nothing`, and no depth limit cut it short) and none of them
    /// found anything either, each would find nothing whichever of them
    /// began first (each one's answer follows from the others', and all are
    /// nothing), so they are final: a glob cycle of a thousand modules is
    /// walked once per name, not once per module that asks. Otherwise they
    /// stay provisional, and no lookup around this one settles them: they
    /// took this one's answer for nothing.
    fn settle(&self, logged: usize, nothing: bool) {
        let mut log = self.provisional_log.borrow_mut();
        let Some(cycle) = log.get_mut(logged..) else { return };
        if !nothing || !cycle.iter().all(|(_, nothing)| *nothing) {
            for (_, nothing) in cycle.iter_mut() {
                *nothing = false;
            }
            return;
        }
        let (mut memo, mut provisional) = (self.memo.borrow_mut(), self.provisional.borrow_mut());
        for ((m, name, ns, view), _) in log.drain(logged..) {
            if let Some(names) = provisional.get_mut(&(m, ns, view)) {
                names.remove(&name);
            }
            memo.entry((m, ns, view)).or_default().insert(name, None);
        }
    }

    /// How many modules this resolver has searched for a name: what
    /// resolution cost, which must grow with the modules and names, not
    /// with the ways between them.
    #[cfg(test)]
    pub fn searched(&self) -> usize {
        self.searched.get()
    }

    /// Records a lookup cut short at place `at` of the stack.
    fn cut_at(&self, at: usize) {
        self.cut.set(self.cut.get().min(at));
    }

    /// Records a lookup cut short by the depth limit: an answer that
    /// depends on where the search began, never final below the outermost.
    fn cut_deep(&self) {
        self.too_deep.set(self.too_deep.get() + 1);
        self.cut_at(0);
    }

    fn lookup_uncached(&self, m: ModId, name: &str, ns: u8, view: View, depth: usize) -> Option<Binding> {
        self.searched.set(self.searched.get() + 1);
        let defined = self
            .defined(m, name, ns)
            .into_iter()
            .find(|(res, _)| self.present(*res, view))
            .map(|(res, scope)| (Resolved { res, hops: Vec::new() }, scope));
        if defined.is_some() {
            return defined;
        }
        let module = self.tree.modules.get(m)?;
        let body = self.body(m)?;
        for (at, u) in body.uses.iter().enumerate() {
            if !matches!(&u.target, UseTarget::Name(n) if n == name) || !self.use_present(m, u, view) {
                continue;
            }
            let found = if u.extern_crate {
                self.extern_crate(m, u.path.first()?.as_str())
                    .filter(|r| self.present(Res::Module(*r), view))
                    .map(|r| (Resolved { res: Res::Module(r), hops: Vec::new() }, None))
            } else {
                self.path(m, &u.path, u.global, ns, view, depth + 1)
            };
            if let Some((mut found, target)) = found {
                let hop = Hop { at: (m, at), file: module.file, span: u.span.clone(), public: u.vis.is_public() };
                found.hops.insert(0, hop);
                // An import reaches no further than what it imports.
                let scope = self.narrower(self.scope(&u.vis, m), target);
                return Some((found, scope));
            }
        }
        let globs = body.uses.iter().enumerate().filter(|(_, u)| u.target == UseTarget::Glob);
        for (at, u) in globs.filter(|(_, u)| self.use_present(m, u, view)) {
            let Some((Resolved { res: source, hops }, _)) = self.path(m, &u.path, u.global, ns::TYPE, view, depth + 1)
            else {
                continue;
            };
            let mut glob_hop = hops;
            glob_hop.push(Hop { at: (m, at), file: module.file, span: u.span.clone(), public: u.vis.is_public() });
            let found = match source {
                Res::Module(g) if g == m => continue,
                // A glob brings in only what `m` can see; a name private to
                // `g` comes from elsewhere, if from anywhere.
                Res::Module(g) => self.lookup(g, name, ns, view, depth + 1).filter(|(_, t)| self.visible(*t, m)),
                // `use Tier::*;`: the enum's variants.
                owner => self
                    .members_named(owner, name, ns)
                    .into_iter()
                    .find(|&i| {
                        self.members.get(i).is_some_and(|info| info.member.kind == MemberKind::Variant)
                            && self.present(Res::Member(i), view)
                    })
                    .map(|i| (Resolved { res: Res::Member(i), hops: Vec::new() }, None)),
            };
            let Some((mut found, target)) = found else { continue };
            glob_hop.append(&mut found.hops);
            found.hops = glob_hop;
            return Some((found, self.narrower(self.scope(&u.vis, m), target)));
        }
        // `#[macro_export]` macros live at the crate root.
        if module.parent.is_none() && ns & ns::MACRO != 0 {
            if let Some(res) = self.exported.get(&(m, Name::from(name))).filter(|r| self.present(**r, view)) {
                return Some((Resolved { res: *res, hops: Vec::new() }, None));
            }
        }
        None
    }
}

/// The namespaces a member is in.
fn member_ns(m: &Member) -> u8 {
    match m.kind {
        MemberKind::Variant => ns::TYPE | ns::VALUE,
        MemberKind::Field | MemberKind::Fn { .. } | MemberKind::Const => ns::VALUE,
        MemberKind::Type => ns::TYPE,
    }
}
