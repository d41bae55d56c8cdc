//! What name resolution needs from one file, extracted while its syntax tree
//! is alive: the items each module defines, its `use` declarations, its
//! `mod` declarations, every path written in code (with its byte span), the
//! files it `include!`s, and the regions gated by `#[cfg(feature = ..)]`.
//!
//! Only plain data leaves this module, so the tree can be dropped as soon as
//! the file is done.

use std::ops::Range;

use super::attrs::AttrsOf;
use super::extent::{Bytes, Extent};
use compact_str::ToCompactString;
use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, Expr, Lit, Meta, Token};

/// A name as written: an item's, a member's, a path segment. Almost all are
/// short enough to be kept inline, without an allocation of their own.
pub type Name = compact_str::CompactString;

/// The name an identifier spells, without the `r#` of a raw identifier.
pub fn unraw(ident: &proc_macro2::Ident) -> Name {
    let written = ident.to_compact_string();
    match written.strip_prefix("r#") {
        Some(name) => Name::from(name),
        None => written,
    }
}

/// The resolution-relevant contents of one file.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Syntax {
    /// The file's top-level module.
    pub root: ModuleBody,
    /// Every path written in code, outside `use` declarations.
    pub refs: Vec<PathRef>,
    /// `include!("..")` invocations.
    pub includes: Vec<Include>,
    /// Methods defined in `impl` blocks: name and the method's span.
    pub methods: Vec<(Name, Range<usize>)>,
    /// Method calls, with what is known of the receiver's type.
    pub method_calls: Vec<MethodCall>,
    /// `impl` blocks: their self type, trait and items.
    pub impls: Vec<ImplDef>,
    /// Code under `#[cfg(..)]` (or `#![cfg(..)]`): span and predicate.
    pub cfg_regions: Vec<(Range<usize>, Cfg)>,
    /// Reads of local variables bound under a `#[cfg(..)]` (a gated `let`
    /// or parameter): the read's span and the gated statement's.
    pub gated_locals: Vec<GatedLocal>,
    /// Functions with parameters under `#[cfg(..)]`: some builds take
    /// fewer arguments.
    #[serde(default)]
    pub gated_signatures: Vec<GatedSignature>,
    /// Calls of a path or a method.
    #[serde(default)]
    pub calls: Vec<Call>,
    /// Functions with trait bounds on their type parameters: the name's
    /// span, and per type parameter the last names of its bounds' traits.
    #[serde(default)]
    pub bounded_fns: Vec<(Range<usize>, Vec<Vec<Name>>)>,
    /// Names `macro_rules!` bodies declare as functions (`fn name`) or
    /// fields (`name: Type`): methods and fields no parsed item shows.
    #[serde(default)]
    pub macro_members: Vec<Name>,
    /// Operators, `for` loops, indexing and `{}` in format strings: code
    /// that needs a value's type to implement a std trait.
    #[serde(default)]
    pub trait_uses: Vec<TraitUse>,
    /// Conversions with `From` whose types are written down (`?`,
    /// `T::from(x)`, `x.into()`).
    #[serde(default)]
    pub conversions: Vec<Conversion>,
    /// Functions with parameters whose type asks for traits (`impl Trait`,
    /// `&dyn Trait`, a bounded type parameter): the name's span, and per
    /// parameter after `self`, the last names of those traits.
    #[serde(default)]
    pub bounded_params: Vec<(Range<usize>, Vec<Vec<Name>>)>,
    /// Call arguments whose type is written down somewhere.
    #[serde(default)]
    pub arguments: Vec<Argument>,
    /// Functions that return a bare type parameter with trait bounds
    /// (`fn make<T: Default>() -> T`): the name's span, and those traits.
    #[serde(default)]
    pub bounded_returns: Vec<(Range<usize>, Vec<Name>)>,
    /// Calls whose result a `let` annotates (`let s: Seat = make();`): the
    /// callee's span and the type.
    #[serde(default)]
    pub expected: Vec<(Range<usize>, TyPath)>,
    /// The rules of each `macro_rules!` macro, by its name's span.
    #[serde(default)]
    pub macro_rules: Vec<(Range<usize>, Vec<MacroRule>)>,
    /// Invocations of macros that may be the workspace's.
    #[serde(default)]
    pub macro_calls: Vec<MacroCall>,
    /// Trait paths in item signatures, outside bodies: bounds, supertraits,
    /// `impl Trait for`, `dyn`/`impl Trait` types. One that does not resolve
    /// stops rustc before it checks any types of the crate.
    #[serde(default)]
    pub signature_traits: Vec<Range<usize>>,
}

/// The part of a file's [`Syntax`] that only the file's own findings read:
/// what its bodies do (paths, calls, method calls, arguments, conversions,
/// trait needs, gated locals). The index, and the findings of every other
/// file, need the rest, and of the paths only those
/// [`Syntax::seen_from_other_files`] keeps. The index data keeps it encoded
/// apart until the file is checked (`index::FileData::whole`), and a run
/// reads it from the cache only for the files it reports on.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Bodies {
    refs: Vec<PathRef>,
    method_calls: Vec<MethodCall>,
    calls: Vec<Call>,
    arguments: Vec<Argument>,
    conversions: Vec<Conversion>,
    trait_uses: Vec<TraitUse>,
    gated_locals: Vec<GatedLocal>,
    expected: Vec<(Range<usize>, TyPath)>,
}

impl Syntax {
    /// Whether another file's findings can depend on path `r` of this file:
    /// a macro path (a body it expands is reported in the macro's file) or a
    /// trait path of a signature (one that does not resolve stops rustc
    /// before it checks the types of the whole crate).
    pub fn seen_from_other_files(&self, r: &PathRef) -> bool {
        r.ns == ns::MACRO || self.signature_traits.contains(&r.span)
    }

    /// Gives back what the lists the index keeps for the whole run grew
    /// beyond their length: module bodies, impls, paths.
    pub fn shrink(&mut self) {
        self.root.shrink();
        self.impls.iter_mut().for_each(|i| i.items.shrink_to_fit());
        self.impls.shrink_to_fit();
        self.refs.shrink_to_fit();
    }

    /// Moves out what only this file's own findings read ([`Bodies`]),
    /// keeping the paths other files' findings need.
    pub fn take_bodies(&mut self) -> Bodies {
        let refs = std::mem::take(&mut self.refs);
        self.refs = refs.iter().filter(|r| self.seen_from_other_files(r)).cloned().collect();
        Bodies {
            refs,
            method_calls: std::mem::take(&mut self.method_calls),
            calls: std::mem::take(&mut self.calls),
            arguments: std::mem::take(&mut self.arguments),
            conversions: std::mem::take(&mut self.conversions),
            trait_uses: std::mem::take(&mut self.trait_uses),
            gated_locals: std::mem::take(&mut self.gated_locals),
            expected: std::mem::take(&mut self.expected),
        }
    }

    /// Puts back what [`Syntax::take_bodies`] moved out.
    pub fn put_bodies(&mut self, bodies: Bodies) {
        let Bodies { refs, method_calls, calls, arguments, conversions, trait_uses, gated_locals, expected } = bodies;
        self.refs = refs;
        self.method_calls = method_calls;
        self.calls = calls;
        self.arguments = arguments;
        self.conversions = conversions;
        self.trait_uses = trait_uses;
        self.gated_locals = gated_locals;
        self.expected = expected;
    }
}

impl Syntax {
    /// Puts what `focus`, a reading that holds the functions at `items`
    /// whole, says of them in place of what this reading has (this reading
    /// left their bodies out). `None` when a module of `focus` is not one
    /// of this reading's.
    pub fn put_functions(&mut self, focus: Syntax, items: &[Range<usize>]) -> Option<()> {
        let modules = same_modules(&focus.root, &self.root)?;
        let module = |m: &mut Vec<usize>| match modules.get(m.as_slice()) {
            Some(ours) => ours.clone_into(m),
            None => m.clear(),
        };
        let within = |at: usize| {
            let i = items.partition_point(|r| r.end <= at);
            items.get(i).is_some_and(|r| r.start <= at)
        };
        splice(&mut self.refs, focus.refs, |r| r.span.start, within, |r| module(&mut r.module));
        splice(&mut self.method_calls, focus.method_calls, |c| c.span.start, within, |c| module(&mut c.module));
        splice(&mut self.calls, focus.calls, |c| c.callee.start, within, |_| ());
        splice(&mut self.arguments, focus.arguments, |a| a.span.start, within, |_| ());
        splice(&mut self.conversions, focus.conversions, |c| c.span.start, within, |c| module(&mut c.module));
        splice(&mut self.trait_uses, focus.trait_uses, |t| t.span.start, within, |t| module(&mut t.module));
        splice(&mut self.gated_locals, focus.gated_locals, |g| g.span.start, within, |g| module(&mut g.module));
        splice(&mut self.expected, focus.expected, |e| e.0.start, within, |_| ());
        splice(&mut self.macro_calls, focus.macro_calls, |c| c.path.start, within, |_| ());
        self.macro_calls.sort_by_key(|c| c.path.end);
        Some(())
    }

    /// Orders what bodies say by where it is written, so that a reading
    /// of some functions apart ([`Syntax::put_functions`]) gives what a
    /// reading of the whole file gives, in the same order.
    fn order_bodies(&mut self) {
        self.refs.sort_by_key(|r| r.span.start);
        self.method_calls.sort_by_key(|c| c.span.start);
        self.calls.sort_by_key(|c| c.callee.start);
        self.arguments.sort_by_key(|a| a.span.start);
        self.conversions.sort_by_key(|c| c.span.start);
        self.trait_uses.sort_by_key(|t| t.span.start);
        self.gated_locals.sort_by_key(|g| g.span.start);
        self.expected.sort_by_key(|e| e.0.start);
    }
}

/// Replaces the entries of `ours` that start `within` the functions read
/// apart by those of `theirs` (their modules renumbered by `module`), and
/// orders them by where they start.
fn splice<T>(
    ours: &mut Vec<T>,
    theirs: Vec<T>,
    at: impl Fn(&T) -> usize,
    within: impl Fn(usize) -> bool,
    mut module: impl FnMut(&mut T),
) {
    ours.retain(|x| !within(at(x)));
    ours.extend(theirs.into_iter().filter(|x| within(at(x))).map(|mut x| {
        module(&mut x);
        x
    }));
    ours.sort_by_key(|x| at(x));
}

/// For every inline module of `theirs`, by its path of indices, the path of
/// the module declared at the same place in `ours`.
fn same_modules(theirs: &ModuleBody, ours: &ModuleBody) -> Option<std::collections::HashMap<Vec<usize>, Vec<usize>>> {
    fn walk(body: &ModuleBody, path: &mut Vec<usize>, visit: &mut impl FnMut(&[usize], &ModDecl)) {
        for (i, decl) in body.mods.iter().enumerate() {
            let Some(inner) = &decl.inline else { continue };
            path.push(i);
            visit(path, decl);
            walk(inner, path, visit);
            path.pop();
        }
    }
    let mut at = std::collections::HashMap::new();
    walk(ours, &mut Vec::new(), &mut |path, decl| {
        at.insert((decl.span.clone(), decl.block), path.to_vec());
    });
    let mut out = std::collections::HashMap::new();
    let mut missing = false;
    walk(theirs, &mut Vec::new(), &mut |path, decl| match at.get(&(decl.span.clone(), decl.block)) {
        Some(ours) => {
            out.insert(path.to_vec(), ours.clone());
        }
        None => missing = true,
    });
    (!missing).then_some(out)
}

/// One rule of a `macro_rules!` macro, as far as judging what an
/// invocation expands to needs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MacroRule {
    /// The pattern's tokens, when it has no `$` fragment (and is short): an
    /// invocation matches it only with exactly these tokens.
    pub literal: Option<String>,
    /// The body (the group after `=>`).
    pub body: Range<usize>,
    /// The body only stringifies the pattern's fragments (`stringify!($t)`):
    /// the arguments are not code.
    pub opaque: bool,
    /// Every use of a fragment in the body is under this `#[cfg(..)]`: the
    /// arguments are gated by it.
    pub gate: Option<Cfg>,
}

/// An invocation of a macro that may be the workspace's.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MacroCall {
    /// The macro's path.
    pub path: Range<usize>,
    /// Its arguments, delimiters included.
    pub args: Range<usize>,
    /// The arguments' tokens, when short (see [`MacroRule::literal`]).
    pub text: Option<String>,
}

/// The longest pattern or argument list compared as text.
const MAX_MACRO_TEXT: usize = 256;

/// An argument of a call, whose type is written down somewhere.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Argument {
    /// The call's callee span (see [`Call::callee`]).
    pub callee: Range<usize>,
    /// Its position, the receiver of a method call not counted.
    pub index: usize,
    /// The value.
    pub value: Hint,
    /// The argument.
    pub span: Range<usize>,
}

/// Code that needs a value's type to implement a trait (`a == b` needs
/// `PartialEq`), on a value whose type is written down somewhere.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TraitUse {
    /// The traits, by name: any of them will do (`IntoIterator`, `Iterator`).
    pub traits: Vec<Name>,
    /// The value.
    pub receiver: Hint,
    /// The code.
    pub span: Range<usize>,
    /// The inline modules it sits in.
    pub module: Vec<usize>,
}

/// A value converted with `From`: the error `expr?` returns, `T::from(x)`,
/// `x.into()` where the target is written down, `map_err(T::from)`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Conversion {
    /// The type converted into; with `into_error`, a `Result` (or an alias
    /// of one) whose error type it is.
    pub into: TyPath,
    /// See `into`.
    pub into_error: bool,
    /// The value converted.
    pub from: Hint,
    /// Where rustc reports a missing `From`: the `?`, `into`, or `T::from`.
    pub span: Range<usize>,
    /// The inline modules it sits in.
    pub module: Vec<usize>,
}

/// A call: what counting its arguments needs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Call {
    /// The callee's span: a path's, or a method's name.
    pub callee: Range<usize>,
    /// How many arguments it is given (a method call's receiver counts as one).
    pub args: usize,
    /// The arguments under `#[cfg(..)]`.
    pub gated: Vec<Range<usize>>,
    /// The type arguments of a path's turbofish (`make::<Seat>()`).
    #[serde(default)]
    pub turbofish: Vec<TyPath>,
}

/// A function some of whose parameters only some builds have.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GatedSignature {
    /// The function's name.
    pub name: Range<usize>,
    /// How many parameters it has, `self` included, in the build with all of them.
    pub params: usize,
    /// The parameters under `#[cfg(..)]`.
    pub gated: Vec<Range<usize>>,
}

/// A read of a variable that only some builds bind.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GatedLocal {
    /// The variable's name.
    pub name: Name,
    /// The read.
    pub span: Range<usize>,
    /// The gated `let` statement or parameter that binds it.
    pub binding: Range<usize>,
    /// The inline modules the read sits in.
    pub module: Vec<usize>,
    /// Other gated statements binding it (twins under other gates): the
    /// read is fine in a build with any of them.
    #[serde(default)]
    pub others: Vec<Range<usize>>,
}

/// The contents of a module: a file's top level or an inline `mod m { }`.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ModuleBody {
    /// Named items (functions, types, traits, constants, macros, ...).
    pub items: Vec<ItemDef>,
    /// `use` declarations, one per leaf of each tree, and `extern crate`s.
    pub uses: Vec<UseDef>,
    /// `mod` declarations, file and inline.
    pub mods: Vec<ModDecl>,
}

impl ModuleBody {
    /// Gives back what its lists grew beyond their length: the index keeps
    /// every file's module bodies for the whole run.
    pub fn shrink(&mut self) {
        for item in &mut self.items {
            item.members.iter_mut().for_each(|m| m.fields.shrink_to_fit());
            item.members.shrink_to_fit();
        }
        self.items.shrink_to_fit();
        self.uses.shrink_to_fit();
        self.mods.iter_mut().filter_map(|m| m.inline.as_mut()).for_each(ModuleBody::shrink);
        self.mods.shrink_to_fit();
    }
}

/// The namespaces a name lives in (rustc keeps types, values and macros
/// apart: a fn `metrics` and a module `metrics` do not clash).
pub mod ns {
    /// Modules, types, traits.
    pub const TYPE: u8 = 1;
    /// Functions, constants, statics, unit and tuple struct constructors.
    pub const VALUE: u8 = 2;
    /// Macros.
    pub const MACRO: u8 = 4;
    /// Unknown: any namespace.
    pub const ANY: u8 = TYPE | VALUE | MACRO;
}

/// A named item.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ItemDef {
    /// Its name.
    pub name: Name,
    /// Its declared visibility.
    pub vis: Visibility,
    /// The name's span.
    pub span: Range<usize>,
    /// The whole item, attributes included.
    pub item_span: Range<usize>,
    /// `#[macro_export]`: also visible at the crate root.
    pub macro_export: bool,
    /// The namespaces it is in ([`ns`]).
    pub ns: u8,
    /// Enum variants, struct fields, trait items.
    pub members: Vec<Member>,
    /// A function's return type, when it is a path.
    pub ret: Option<TyPath>,
    /// A type alias: the type it stands for, when it is a path.
    #[serde(default)]
    pub alias: Option<Box<TyPath>>,
    /// The traits it derives, and each `derive` attribute's span.
    #[serde(default)]
    pub derives: Vec<(Name, Range<usize>)>,
    /// A `macro_rules!` macro: the paths and names in its rules' bodies
    /// (`$crate` written as a segment of its own). They resolve where the
    /// macro expands, so they are judged at each expansion.
    pub expands: Vec<PathRef>,
}

/// A variant, field, or associated item.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Member {
    /// Its name (a tuple field's index).
    pub name: Name,
    /// The whole member, attributes included.
    pub span: Range<usize>,
    /// Its name's span (the whole member for a tuple field).
    pub name_span: Range<usize>,
    /// What it is.
    pub kind: MemberKind,
    /// A field's type, or a function's return type, when it is a path.
    pub ty: Option<TyPath>,
    /// A struct or tuple variant's fields.
    #[serde(default)]
    pub fields: Vec<Member>,
    /// Only its own crate can name it: a field or inherent associated item
    /// that is not `pub` (trait items and variants are as public as their
    /// trait or enum).
    #[serde(default)]
    pub local: bool,
}

/// What a [`Member`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MemberKind {
    /// An enum variant.
    Variant,
    /// A struct field.
    Field,
    /// An associated function; `method` when it takes `self`.
    Fn {
        /// Takes `self`.
        method: bool,
    },
    /// An associated constant.
    Const,
    /// An associated type.
    Type,
}

/// A type as written, reduced to its path (`&mut Vec<u8>` is `Vec`).
// The flags are independent facts about how the type is written
// (`Arc<Mutex<dyn T>>` sets three).
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TyPath {
    /// Its segments (`Self` stays `Self`).
    pub segments: Vec<Name>,
    /// Written with a leading `::`.
    pub global: bool,
    /// Of a `Result` or `Option`: the type of the value `?` or `unwrap()`
    /// takes out; of a collection (`Vec`, a slice, an array, a set): its
    /// elements' type, which iterating it yields.
    #[serde(default)]
    pub ok: Option<Box<TyPath>>,
    /// Written inside an `Arc` or `Rc`: `clone()` clones the pointer.
    #[serde(default)]
    pub shared: bool,
    /// A second type argument that matters: `E` of `Result<T, E>` (the
    /// error `?` converts), `K` of a map (whose `ok` is `V`), `X` of `From<X>`.
    #[serde(default)]
    pub arg: Option<Box<TyPath>>,
    /// Written inside a `Mutex`, `RwLock` or `RefCell`: `lock()`, `read()`,
    /// `write()` and `borrow()` give the value.
    #[serde(default)]
    pub locked: bool,
    /// A trait object or `impl Trait` (the path is the first trait's): a
    /// value of another type coerces to it only where that type implements it.
    #[serde(default)]
    pub object: bool,
}

impl TyPath {
    /// A single name.
    pub fn name(name: impl Into<Name>) -> TyPath {
        TyPath {
            segments: vec![name.into()],
            global: false,
            ok: None,
            shared: false,
            arg: None,
            locked: false,
            object: false,
        }
    }
}

/// An `impl` block.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImplDef {
    /// The inline modules it sits in.
    pub module: Vec<usize>,
    /// The type it is for.
    pub self_ty: Option<TyPath>,
    /// The trait it implements.
    pub trait_path: Option<TyPath>,
    /// The whole block, attributes included.
    pub span: Range<usize>,
    /// Its items.
    pub items: Vec<Member>,
    /// A blanket impl (`impl<S: Store> Audited for S`): the traits of the
    /// bounds on its self type, which every type implementing them gets.
    #[serde(default)]
    pub blanket: Vec<Name>,
}

/// What is known of a method call's receiver type.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Hint {
    /// A type written down (an annotation, a parameter, a struct literal, `self`).
    Type(TyPath),
    /// What the function or associated function at this path returns.
    Call(TyPath),
    /// A field of a value.
    Field(Box<Hint>, Name),
    /// What a method returns.
    Method(Box<Hint>, Name),
    /// What `?`, `unwrap()` or `expect(..)` takes out of a `Result` or `Option`.
    Unwrapped(Box<Hint>),
    /// The error of a `Result` (`Err(e)`, `map_err(|e| ..)`).
    Failed(Box<Hint>),
    /// A field of the struct or variant at a path, bound by a pattern
    /// (`Principal::Federated(u)`: field `0`).
    Pattern(TyPath, Name),
}

impl Hint {
    /// The most fields and method calls a hint chains (`a.b.c()` is 2):
    /// past it, the receiver's type is taken as unknown.
    pub const MAX_CHAIN: usize = 16;

    /// How many fields and method calls it chains.
    pub fn chain(&self) -> usize {
        match self {
            Hint::Type(_) | Hint::Call(_) | Hint::Pattern(..) => 0,
            Hint::Field(base, _) | Hint::Method(base, _) | Hint::Unwrapped(base) | Hint::Failed(base) => {
                1 + base.chain()
            }
        }
    }
}

/// A method call.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MethodCall {
    /// The method's name.
    pub name: Name,
    /// The name's span.
    pub span: Range<usize>,
    /// The inline modules it sits in.
    pub module: Vec<usize>,
    /// The receiver's type, when written down somewhere.
    pub receiver: Option<Hint>,
    /// Whether the code is inside an `impl` block: `Self` means its type.
    pub self_ty: Option<TyPath>,
    /// A field (`c.sso`, `Config { sso: .. }`), not a method.
    pub field: bool,
}

/// A `#[cfg(..)]` predicate, as far as editions care: the Cargo features
/// and the `test` flag it reads (see `index::modtree::Inputs::gate` for
/// what it requires).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Cfg {
    /// `feature = ".."`.
    Feature(String),
    /// `all(..)`: every part.
    All(Vec<Cfg>),
    /// `any(..)`: one of the parts.
    Any(Vec<Cfg>),
    /// `not(..)` of a predicate that reads a feature or `test`.
    Not(Box<Cfg>),
    /// `test`: on in unit-test builds only.
    Test,
    /// `unix`, `debug_assertions`, ...: true in some builds of every
    /// edition, whatever the features.
    Other,
}

impl Cfg {
    /// The predicate of a `cfg(..)` attribute's argument.
    pub fn of(meta: &Meta) -> Cfg {
        let parts = |list: &syn::MetaList| {
            list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .map(|items| items.iter().map(Cfg::of).collect())
                .unwrap_or_default()
        };
        match meta {
            Meta::NameValue(nv) if nv.path.is_ident("feature") => match &nv.value {
                Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => Cfg::Feature(s.value()),
                _ => Cfg::Other,
            },
            Meta::List(list) if list.path.is_ident("all") => Cfg::All(parts(list)),
            Meta::List(list) if list.path.is_ident("any") => Cfg::Any(parts(list)),
            Meta::List(list) if list.path.is_ident("not") => match list.parse_args::<Meta>() {
                Ok(inner) => Cfg::negated(Cfg::of(&inner)),
                Err(_) => Cfg::Other,
            },
            Meta::Path(path) if path.is_ident("test") => Cfg::Test,
            _ => Cfg::Other,
        }
    }

    /// `not(inner)`: a double negation cancels; the negation of a
    /// predicate that reads neither a feature nor `test` is another such.
    pub fn negated(inner: Cfg) -> Cfg {
        match inner {
            Cfg::Not(c) => *c,
            Cfg::Other => Cfg::Other,
            c => Cfg::Not(Box::new(c)),
        }
    }
}

/// A declared visibility, as written. Where it reaches depends on the module
/// the declaration sits in (see `index::resolve`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Visibility {
    /// `pub`: everywhere the enclosing modules let it through, other crates included.
    Public,
    /// `pub(crate)`: the whole crate.
    Crate,
    /// `pub(super)`, `pub(in path)`: the module the path names (`super`,
    /// `self`, `crate` and module names, as written) and its descendants.
    Restricted(Vec<Name>),
    /// No `pub`, or `pub(self)`: the module and its descendants.
    Private,
}

impl Visibility {
    /// Plain `pub`: visible outside the crate.
    pub fn is_public(&self) -> bool {
        *self == Visibility::Public
    }
}

impl From<&syn::Visibility> for Visibility {
    fn from(vis: &syn::Visibility) -> Self {
        match vis {
            syn::Visibility::Public(_) => Visibility::Public,
            syn::Visibility::Inherited => Visibility::Private,
            syn::Visibility::Restricted(r) => {
                let path: Vec<Name> = r.path.segments.iter().map(|s| unraw(&s.ident)).collect();
                match path.as_slice() {
                    [one] if one == "crate" => Visibility::Crate,
                    [one] if one == "self" => Visibility::Private,
                    _ => Visibility::Restricted(path),
                }
            }
        }
    }
}

/// What a `use` leaf binds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum UseTarget {
    /// A name (`x`, `x as y`, `x as _`, `self` bound to its parent's name).
    Name(Name),
    /// `*`.
    Glob,
}

/// One leaf of a `use` tree, or an `extern crate`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UseDef {
    /// The full path (for a glob: the module's path).
    pub path: Vec<Name>,
    /// Written with a leading `::`.
    pub global: bool,
    /// What it binds.
    pub target: UseTarget,
    /// Its declared visibility (`pub use` is [`Visibility::Public`]).
    pub vis: Visibility,
    /// `extern crate x as y`.
    pub extern_crate: bool,
    /// The leaf's path as written (from the innermost group).
    pub span: Range<usize>,
    /// The whole `use` item.
    pub item_span: Range<usize>,
    /// `#[macro_use] extern crate x;`: the crate's exported macros are in
    /// scope everywhere in this crate.
    #[serde(default)]
    pub macro_use: bool,
}

/// A `mod` declaration.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ModDecl {
    /// The module's name.
    pub name: Name,
    /// `#[path = ".."]`.
    pub path_attr: Option<String>,
    /// `#[cfg_attr(pred, path = "..")]`: the file in the builds where `pred` holds.
    pub cfg_paths: Vec<(Cfg, String)>,
    /// The body of an inline module.
    pub inline: Option<ModuleBody>,
    /// Its declared visibility.
    pub vis: Visibility,
    /// `mod x` (attributes excluded), where findings point.
    pub span: Range<usize>,
    /// The whole item, attributes included.
    pub item_span: Range<usize>,
    /// A block with items or `use`s in it (rustc's anonymous module): it
    /// has no name, its names shadow the enclosing scopes' only inside it,
    /// and `self`/`super` in it mean the enclosing named module's.
    #[serde(default)]
    pub block: bool,
    /// `#[macro_use] mod x;`: the macros `x` defines stay in scope after it.
    #[serde(default)]
    pub macro_use: bool,
    /// A cfg it is under that Cargo features do not set (`#[cfg(ee)]`,
    /// which a build script may set): its builds cannot be known.
    #[serde(default)]
    pub custom_cfg: Option<String>,
}

/// A path written in code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PathRef {
    /// Its segments.
    pub segments: Vec<Name>,
    /// Written with a leading `::`.
    pub global: bool,
    /// From the first to the last segment.
    pub span: Range<usize>,
    /// The inline modules it sits in, as indices into each body's `mods`.
    pub module: Vec<usize>,
    /// A single name bound by a local pattern (a variable, not an item).
    pub local: bool,
    /// The namespaces its last segment can be in ([`ns`]).
    pub ns: u8,
    /// The type `Self` stands for, inside an `impl` block.
    pub self_ty: Option<Box<TyPath>>,
    /// `T` of `<T as Trait>::f`: the path names the trait, and `T` must
    /// implement it.
    pub qself: Option<Box<TyPath>>,
}

/// An `include!`, `include_str!` or `include_bytes!` of a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Include {
    /// The path as written (the literal parts of a `concat!`).
    pub path: String,
    /// The invocation.
    pub span: Range<usize>,
    /// The inline modules it sits in.
    pub module: Vec<usize>,
    /// Relative to the crate's folder (`concat!(env!("CARGO_MANIFEST_DIR"), ..)`),
    /// not to the including file's.
    pub from_crate: bool,
    /// `include!`: Rust code; else text or bytes.
    pub code: bool,
}

/// The names `fn name` and `name: ..` (not `name::`) declare anywhere in
/// `tokens`.
fn declared_names(tokens: TokenStream, out: &mut Vec<Name>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (k, tree) in trees.iter().enumerate() {
        let name = match (tree, trees.get(k + 1), trees.get(k + 2)) {
            (TokenTree::Group(g), ..) => {
                declared_names(g.stream(), out);
                continue;
            }
            (TokenTree::Ident(f), Some(TokenTree::Ident(name)), _) if f == "fn" => name,
            (TokenTree::Ident(name), Some(TokenTree::Punct(c)), next)
                if c.as_char() == ':'
                    && c.spacing() == Spacing::Alone
                    && !matches!(next, Some(TokenTree::Punct(p)) if p.as_char() == ':')
                    && !matches!(trees.get(k.wrapping_sub(1)), Some(TokenTree::Punct(p)) if p.as_char() == '$') =>
            {
                name
            }
            _ => continue,
        };
        let name = unraw(name);
        if !out.contains(&name) {
            out.push(name);
        }
    }
}

/// The names `let name` / `let mut name` bind anywhere in `tokens`.
fn let_names(tokens: TokenStream, out: &mut foldhash::HashSet<Name>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (k, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Group(g) => let_names(g.stream(), out),
            TokenTree::Ident(i) if i == "let" => {
                let next = match trees.get(k + 1) {
                    Some(TokenTree::Ident(m)) if m == "mut" => trees.get(k + 2),
                    other => other,
                };
                if let Some(TokenTree::Ident(name)) = next {
                    out.insert(unraw(name));
                }
            }
            _ => {}
        }
    }
}

/// The file an include macro's argument names: a literal, or
/// `concat!(env!("CARGO_MANIFEST_DIR"), "/..")`; and whether it is relative
/// to the crate's folder.
fn include_target(tokens: &TokenStream) -> Option<(String, bool)> {
    if let Ok(lit) = syn::parse2::<syn::LitStr>(tokens.clone()) {
        return Some((lit.value(), false));
    }
    let mac = syn::parse2::<syn::Macro>(tokens.clone()).ok()?;
    if !mac.path.is_ident("concat") {
        return None;
    }
    let parts = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated).ok()?;
    let mut path = String::new();
    let mut from_crate = false;
    for (i, part) in parts.iter().enumerate() {
        match part {
            Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => path.push_str(&s.value()),
            Expr::Macro(m) if i == 0 && m.mac.path.is_ident("env") => {
                let var = m.mac.parse_body::<syn::LitStr>().ok()?;
                if var.value() != "CARGO_MANIFEST_DIR" {
                    return None;
                }
                from_crate = true;
            }
            _ => return None,
        }
    }
    let path = if from_crate { path.trim_start_matches('/').to_owned() } else { path };
    (!path.is_empty()).then_some((path, from_crate))
}

/// Extracts everything from a parsed file.
pub fn extract(file: &syn::File) -> Syntax {
    let mut c = Collector {
        syntax: Syntax::default(),
        current: ModuleBody::default(),
        saved: Vec::new(),
        path: Vec::new(),
        scopes: Vec::new(),
        bounds: Vec::new(),
        closure_element: None,
        self_ty: Vec::new(),
        in_macro_body: false,
        binding_gate: None,
        returns: Vec::new(),
        annotated: None,
        body_tail: false,
        scrutinee: None,
        in_body: false,
        opaque_returns: Vec::new(),
    };
    // `#![cfg(..)]` at the top of a file gates all of it.
    let inner = cfg_of(&file.attrs);
    if inner != Cfg::Other {
        c.syntax.cfg_regions.push((0..usize::MAX, inner));
    }
    for attr in &file.attrs {
        c.visit_attribute(attr);
    }
    for item in &file.items {
        c.visit_item(item);
    }
    let mut syntax = c.syntax;
    syntax.root = c.current;
    syntax.order_bodies();
    // Looked up by position (see `checks::boundary::import::invocation`).
    syntax.macro_calls.sort_by_key(|c| c.path.end);
    keep_resolvable(&mut syntax);
    syntax
}

/// Keeps only the paths that can resolve to workspace code, so the index
/// stays small: not local variables, not std's crates.
pub(super) fn keep_resolvable(syntax: &mut Syntax) {
    syntax.refs.retain(|r| match r.segments.as_slice() {
        [one] => !r.local && !is_keyword(one),
        [first, ..] => !matches!(first.as_str(), "std" | "core" | "alloc"),
        [] => false,
    });
}

/// Words that are never a workspace item's name in a path's first place.
fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "self"
            | "super"
            | "crate"
            | "true"
            | "false"
            | "_"
            | "as"
            | "async"
            | "await"
            | "break"
            | "const"
            | "continue"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
    )
}

/// The predicate a node's `#[cfg(..)]` attributes require together (a
/// `#[test]` function is `cfg(test)` code).
fn cfg_of(attrs: &[Attribute]) -> Cfg {
    let mut parts: Vec<Cfg> = attrs
        .iter()
        .filter_map(|a| match &a.meta {
            Meta::Path(p) if p.is_ident("test") => Some(Cfg::Test),
            _ if a.path().is_ident("cfg") => a.parse_args::<Meta>().ok().map(|m| Cfg::of(&m)),
            _ => None,
        })
        .filter(|c| *c != Cfg::Other)
        .collect();
    match parts.len() {
        0 => Cfg::Other,
        1 => parts.pop().unwrap_or(Cfg::Other),
        _ => Cfg::All(parts),
    }
}

/// The path a type is written with, references and parentheses peeled.
pub fn ty_path(ty: &syn::Type) -> Option<TyPath> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last()?;
            let first_arg = || type_args(last).find_map(ty_path);
            let name = last.ident.to_string();
            // Smart pointers call their pointee's methods.
            if TRANSPARENT.contains(&name.as_str()) {
                if let Some(inner) = first_arg() {
                    let shared = inner.shared || matches!(name.as_str(), "Arc" | "Rc");
                    return Some(TyPath { shared, ..inner });
                }
            }
            if LOCKS.contains(&name.as_str()) {
                return first_arg().map(|inner| TyPath { locked: true, ..inner });
            }
            let second = || type_args(last).nth(1).and_then(ty_path).map(Box::new);
            let mut path = path_of(&p.path);
            if ELEMENT_OF_FIRST.contains(&name.as_str()) {
                path.ok = first_arg().map(Box::new);
            }
            if MAPS.contains(&name.as_str()) {
                path.ok = second();
                path.arg = type_args(last).next().and_then(ty_path).map(Box::new);
            }
            if name == "Result" {
                path.arg = second();
            }
            Some(path)
        }
        syn::Type::Slice(syn::TypeSlice { elem, .. }) | syn::Type::Array(syn::TypeArray { elem, .. }) => Some(TyPath {
            segments: vec![Name::const_new("[]")],
            global: false,
            ok: ty_path(elem).map(Box::new),
            shared: false,
            arg: None,
            locked: false,
            object: false,
        }),
        // A trait object or `impl Trait` has the trait's methods.
        syn::Type::TraitObject(t) => first_trait(&t.bounds).map(|t| TyPath { object: true, ..t }),
        syn::Type::ImplTrait(t) => first_trait(&t.bounds).map(|t| TyPath { object: true, ..t }),
        syn::Type::Reference(r) => ty_path(&r.elem),
        syn::Type::Paren(p) => ty_path(&p.elem),
        syn::Type::Group(g) => ty_path(&g.elem),
        _ => None,
    }
}

/// A function a derive gives: its name, whether it takes `self`, and
/// whether it returns `Self`.
type DerivedFn = (&'static str, bool, bool);

/// What deriving a std trait gives a type.
const DERIVED: &[(&str, &[DerivedFn])] = &[
    ("Default", &[("default", false, true)]),
    ("Clone", &[("clone", true, true), ("clone_from", true, false)]),
    ("Debug", &[("fmt", true, false)]),
    ("PartialEq", &[("eq", true, false), ("ne", true, false)]),
    (
        "PartialOrd",
        &[
            ("partial_cmp", true, false),
            ("lt", true, false),
            ("le", true, false),
            ("gt", true, false),
            ("ge", true, false),
        ],
    ),
    ("Ord", &[("cmp", true, false), ("max", true, true), ("min", true, true), ("clamp", true, true)]),
    ("Hash", &[("hash", true, false)]),
];

/// The error `str::parse` gives for a std type.
fn parse_error(target: &TyPath) -> Option<&'static str> {
    let [name] = target.segments.as_slice() else { return None };
    Some(match name.as_str() {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => {
            "ParseIntError"
        }
        "f32" | "f64" => "ParseFloatError",
        "bool" => "ParseBoolError",
        "char" => "ParseCharError",
        "IpAddr" | "Ipv4Addr" | "Ipv6Addr" | "SocketAddr" | "SocketAddrV4" | "SocketAddrV6" => "AddrParseError",
        _ => return None,
    })
}

/// The type arguments of a path segment (`Result<T, E>`: `T`, `E`).
fn type_args(segment: &syn::PathSegment) -> impl Iterator<Item = &syn::Type> {
    let args = match &segment.arguments {
        syn::PathArguments::AngleBracketed(a) => Some(&a.args),
        _ => None,
    };
    args.into_iter().flatten().filter_map(|arg| match arg {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// The first trait of a list of bounds (`?Sized` and lifetimes skipped).
/// `impl Iterator<Item = T>` iterates `T`s.
fn first_trait(bounds: &Punctuated<syn::TypeParamBound, Token![+]>) -> Option<TyPath> {
    bounds.iter().find_map(|b| match b {
        syn::TypeParamBound::Trait(t) if t.maybe.is_none() => {
            let mut path = path_of(&t.path);
            if let Some(syn::PathArguments::AngleBracketed(a)) = t.path.segments.last().map(|s| &s.arguments) {
                path.ok = a.args.iter().find_map(|arg| match arg {
                    syn::GenericArgument::AssocType(item) if item.ident == "Item" => ty_path(&item.ty).map(Box::new),
                    _ => None,
                });
            }
            Some(path)
        }
        _ => None,
    })
}

/// Types whose first type argument is what `?`, `unwrap()` or iterating
/// takes out of them.
const ELEMENT_OF_FIRST: &[&str] =
    &["Result", "Option", "Vec", "VecDeque", "HashSet", "BTreeSet", "BinaryHeap", "LinkedList"];

/// Maps: their second type argument is the values' type, what `get`
/// and indexing give.
const MAPS: &[&str] = &["HashMap", "BTreeMap", "IndexMap"];

/// Iterator adapters whose closure takes the iterator's elements.
const ELEMENT_CLOSURES: &[&str] = &[
    "map",
    "filter",
    "for_each",
    "any",
    "all",
    "find",
    "filter_map",
    "flat_map",
    "inspect",
    "position",
    "take_while",
    "skip_while",
    "map_while",
    "max_by_key",
    "min_by_key",
    "find_map",
    "partition",
    "retain",
    "and_then",
    "is_some_and",
    "is_ok_and",
    "is_none_or",
    "map_or",
    "map_or_else",
    "sort_by_key",
    "sort_unstable_by_key",
    "dedup_by_key",
    "retain_mut",
];

/// Methods that iterate a collection (or keep iterating an iterator) over
/// the same elements.
pub const ELEMENT_ITERS: &[&str] = &[
    "iter",
    "iter_mut",
    "into_iter",
    "drain",
    "filter",
    "inspect",
    "skip",
    "take",
    "rev",
    "skip_while",
    "take_while",
    "peekable",
    "cloned",
    "copied",
    "by_ref",
    "step_by",
    "fuse",
    "as_ref",
    "as_mut",
    "as_deref",
    "as_deref_mut",
    "as_slice",
    "clone",
    "to_vec",
    "to_owned",
];

/// Methods of a map that iterate its values.
pub const MAP_VALUES: &[&str] = &["values", "values_mut", "into_values"];

/// Methods of std collections and iterators that give an `Option` of one
/// element (of a map: a value).
pub const ELEMENT_GETTERS: &[&str] = &[
    "get",
    "get_mut",
    "first",
    "last",
    "first_mut",
    "last_mut",
    "pop",
    "pop_front",
    "pop_back",
    "front",
    "back",
    "next",
    "next_back",
    "nth",
    "find",
    "max",
    "min",
    "max_by_key",
    "min_by_key",
    "max_by",
    "min_by",
    "peek",
];

/// Methods of `Result` and `Option` that return the value inside.
const UNWRAP: &[&str] = &["unwrap", "expect", "unwrap_or_default", "unwrap_unchecked"];

/// Types whose values are used through their first type argument's
/// methods (auto-deref).
const TRANSPARENT: &[&str] = &["Box", "Arc", "Rc", "Cow", "Pin"];

/// Types whose value a guard gives (see [`TyPath::locked`]).
const LOCKS: &[&str] = &["Mutex", "RwLock", "RefCell"];

/// Methods of a `Mutex`, `RwLock` or `RefCell` that give a guard of its
/// value: the `Mutex` and `RwLock` ones wrapped in a `Result`.
pub const LOCK_METHODS: &[(&str, bool)] = &[
    ("lock", true),
    ("read", true),
    ("write", true),
    ("try_lock", true),
    ("try_read", true),
    ("try_write", true),
    ("borrow", false),
    ("borrow_mut", false),
];

fn path_of(path: &syn::Path) -> TyPath {
    TyPath {
        segments: path.segments.iter().map(|s| unraw(&s.ident)).collect(),
        global: path.leading_colon.is_some(),
        ok: None,
        shared: false,
        arg: None,
        locked: false,
        object: false,
    }
}

fn return_type(sig: &syn::Signature) -> Option<TyPath> {
    match &sig.output {
        syn::ReturnType::Type(_, ty) => ty_path(ty),
        syn::ReturnType::Default => None,
    }
}

/// `#[cfg_attr(pred, path = "..")]`: the predicate and the path.
fn cfg_attr_path(attr: &Attribute) -> Option<(Cfg, String)> {
    if !attr.path().is_ident("cfg_attr") {
        return None;
    }
    let metas = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated).ok()?;
    let mut metas = metas.iter();
    let cfg = Cfg::of(metas.next()?);
    metas.find_map(|m| match m {
        Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => Some((cfg.clone(), s.value())),
            _ => None,
        },
        _ => None,
    })
}

fn str_value(attr: &Attribute) -> Option<String> {
    match &attr.meta {
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    }
}

/// Attribute keys of serde whose string value is a path.
const SERDE_PATH_KEYS: &[&str] = &["with", "serialize_with", "deserialize_with", "default"];

/// Macros whose arguments are text, not code.
const TEXT_MACROS: &[&str] = &[
    "stringify",
    "concat",
    "cfg",
    "env",
    "option_env",
    "include_str",
    "include_bytes",
    "file",
    "line",
    "column",
    "module_path",
    "compile_error",
    "concat_idents",
];

/// Macros whose first string argument is a format string: `{name}` in it
/// captures `name` from the scope.
const FORMAT_MACROS: &[&str] = &[
    "format",
    "print",
    "println",
    "eprint",
    "eprintln",
    "write",
    "writeln",
    "panic",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "format_args",
    "unreachable",
    "todo",
    "unimplemented",
    "trace",
    "debug",
    "info",
    "warn",
    "error",
];

/// One scope of local bindings: their names, what is known of their types,
/// and the gated statement or parameter that binds them, if any.
/// Per name: what is known of its type, and the gated statements binding
/// it when every binding in scope is gated (any of them will do).
/// Looked up once per name in code, so hashed with foldhash (these names
/// are never iterated: the order of a map cannot reach any output).
type Scope = foldhash::HashMap<Name, Local>;

/// See [`Scope`].
type Local = (Option<Hint>, Option<Vec<Range<usize>>>);

struct Collector {
    syntax: Syntax,
    /// The module body being filled.
    current: ModuleBody,
    /// The enclosing bodies, while inside inline modules.
    saved: Vec<ModuleBody>,
    /// Indices of the inline modules entered.
    path: Vec<usize>,
    /// The local bindings in scope, innermost last.
    scopes: Vec<Scope>,
    /// Per scope, the generic parameters in it and their first trait bound.
    bounds: Vec<foldhash::HashMap<Name, TyPath>>,
    /// The self types of the enclosing `impl` blocks (`None`: a trait).
    self_ty: Vec<Option<TyPath>>,
    /// Scanning a `macro_rules!` body: `$crate` starts a path.
    in_macro_body: bool,
    /// The element type of the iterator whose adapter's closure is the
    /// next expression visited (`v.iter().map(|x| ..)`): its parameter's.
    closure_element: Option<Hint>,
    /// The span of the `#[cfg]`-gated `let` or parameter whose bindings are
    /// being made.
    binding_gate: Option<Range<usize>>,
    /// Per enclosing function or closure, what `?` returns into: the
    /// function's return type (`None` in closures and `async` blocks).
    returns: Vec<Option<TyPath>>,
    /// The type a `let` declares, while its `expr?` initialiser is visited:
    /// what `parse()` parses into.
    annotated: Option<TyPath>,
    /// The next block visited is a function's body: its value is returned.
    body_tail: bool,
    /// What is known of the value matched, while a `match` arm's pattern
    /// is bound.
    scrutinee: Option<Hint>,
    /// Inside a block (a function's body), not an item's signature.
    in_body: bool,
    /// Per entry of `returns`: the `impl Trait` a function returns, where
    /// rustc reports a returned value whose type lacks the trait.
    opaque_returns: Vec<Option<proc_macro2::Span>>,
}

impl Collector {
    fn body(&mut self) -> &mut ModuleBody {
        &mut self.current
    }

    /// Records a cfg-gated region. The span is computed only for gated
    /// nodes: syn computes a node's span from all of its tokens, so asking
    /// every expression for its span costs time quadratic in the nesting.
    /// Returns the region's span when it is gated.
    fn region(&mut self, attrs: &[Attribute], span: impl FnOnce() -> Range<usize>) -> Option<Range<usize>> {
        if attrs.is_empty() {
            return None;
        }
        let cfg = cfg_of(attrs);
        if cfg == Cfg::Other {
            return None;
        }
        let range = span();
        self.syntax.cfg_regions.push((range.clone(), cfg));
        Some(range)
    }

    fn item(&mut self, name: &syn::Ident, vis: &syn::Visibility, whole: &syn::Item) {
        let (ns, members, ret) = match whole {
            syn::Item::Fn(f) => (ns::VALUE, Vec::new(), return_type(&f.sig)),
            syn::Item::Const(_) | syn::Item::Static(_) => (ns::VALUE, Vec::new(), None),
            syn::Item::Struct(s) => {
                // A unit or tuple struct is also a value: its constructor.
                let ns = if matches!(s.fields, syn::Fields::Named(_)) { ns::TYPE } else { ns::TYPE | ns::VALUE };
                (ns, fields(&s.fields), None)
            }
            syn::Item::Enum(e) => {
                let variants = e
                    .variants
                    .iter()
                    .map(|v| Member {
                        name: unraw(&v.ident),
                        span: v.span().bytes(),
                        name_span: v.ident.span().bytes(),
                        kind: MemberKind::Variant,
                        ty: None,
                        fields: fields(&v.fields),
                        local: false,
                    })
                    .collect();
                (ns::TYPE, variants, None)
            }
            syn::Item::Union(u) => (ns::TYPE, fields(&syn::Fields::Named(u.fields.clone())), None),
            syn::Item::Trait(t) => (ns::TYPE, t.items.iter().filter_map(trait_member).collect(), None),
            _ => (ns::TYPE, Vec::new(), None),
        };
        let alias = match whole {
            syn::Item::Type(t) => ty_path(&t.ty).map(Box::new),
            _ => None,
        };
        let mut members = members;
        let derives = if matches!(whole, syn::Item::Struct(_) | syn::Item::Enum(_) | syn::Item::Union(_)) {
            Self::derives(whole.attrs())
        } else {
            Vec::new()
        };
        // The functions std derives give the type (`Default::default`, ...).
        for (name, span, name_span) in &derives {
            let Some((_, fns)) = DERIVED.iter().find(|(t, _)| t == name) else { continue };
            members.extend(fns.iter().map(|&(f, method, ret_self)| Member {
                name: Name::from(f),
                span: span.clone(),
                name_span: name_span.clone(),
                kind: MemberKind::Fn { method },
                ty: ret_self.then(|| TyPath::name("Self")),
                fields: Vec::new(),
                local: false,
            }));
        }
        let derives = derives.into_iter().map(|(name, span, _)| (name, span)).collect();
        let item = ItemDef {
            name: unraw(name),
            vis: vis.into(),
            span: name.span().bytes(),
            item_span: whole.extent(),
            macro_export: false,
            ns,
            members,
            ret,
            alias,
            derives,
            expands: Vec::new(),
        };
        self.body().items.push(item);
    }

    /// The traits a type derives: each trait's name, the attribute's span
    /// (a `#[cfg_attr(pred, derive(..))]` gates it) and the name's.
    fn derives(attrs: &[Attribute]) -> Vec<(Name, Range<usize>, Range<usize>)> {
        let mut out = Vec::new();
        for attr in attrs {
            let span = attr.span().bytes();
            let lists: Vec<syn::MetaList> = if attr.path().is_ident("derive") {
                attr.meta.require_list().ok().cloned().into_iter().collect()
            } else if attr.path().is_ident("cfg_attr") {
                let Ok(metas) = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) else { continue };
                // The predicate gates the attribute's region (see `meta_paths`).
                metas
                    .into_iter()
                    .skip(1)
                    .filter_map(|m| match m {
                        Meta::List(l) if l.path.is_ident("derive") => Some(l),
                        _ => None,
                    })
                    .collect()
            } else {
                continue;
            };
            for list in lists {
                let Ok(paths) = list.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated) else {
                    continue;
                };
                for path in paths {
                    let Some(last) = path.segments.last() else { continue };
                    out.push((last.ident.to_compact_string(), span.clone(), last.ident.span().bytes()));
                }
            }
        }
        out
    }

    /// The innermost binding of a local `name`: its type hint and gate.
    fn local(&self, name: &str) -> Option<&Local> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    /// The first trait bound of generic parameter `name`, if it is one.
    fn bound(&self, name: &str) -> Option<&TyPath> {
        self.bounds.iter().rev().find_map(|b| b.get(name))
    }

    fn local_hint(&self, name: &str) -> Option<Hint> {
        self.local(name).and_then(|(hint, _)| hint.clone())
    }

    /// Binds `name` in the innermost scope.
    fn bind_name(&mut self, name: Name, hint: Option<Hint>) {
        // A gated binding shadowing one every build has leaves a binding in
        // every build.
        // Gated twins (`#[cfg(not(..))] let x` then `#[cfg(..)] let x`)
        // bind it in the builds of either.
        let gate = match (self.local(&name).map(|(_, gate)| gate), &self.binding_gate) {
            (Some(None), _) | (_, None) => None,
            (Some(Some(earlier)), Some(this)) => Some(earlier.iter().chain([this]).cloned().collect()),
            (None, Some(this)) => Some(vec![this.clone()]),
        };
        if let Some(top) = self.scopes.last_mut() {
            top.insert(name, (hint, gate));
        }
    }

    fn push_ref(&mut self, segments: Vec<Name>, global: bool, span: Range<usize>, ns: u8) {
        // `T::SEATS` for a generic `T: Plan`: an item of the bound, `Plan::SEATS`.
        if let (Some((head, rest)), false) = (segments.split_first(), global) {
            if let (Some(bound), false) = (self.bound(head).cloned(), rest.is_empty()) {
                let segments = bound.segments.iter().chain(rest).cloned().collect();
                self.push_ref(segments, bound.global, span, ns);
                return;
            }
        }
        // A local variable, or a generic parameter heading a path (`T::default()`).
        let binding = segments.first().filter(|_| !global).and_then(|name| self.local(name));
        let local = binding.is_some();
        // Bound by a gated `let` or parameter: only some builds have it.
        if let (Some(mut bindings), Some(name)) = (binding.and_then(|(_, gate)| gate.clone()), segments.first()) {
            let (name, span, module) = (name.clone(), span.clone(), self.path.clone());
            if let Some(binding) = bindings.pop() {
                self.syntax.gated_locals.push(GatedLocal { name, span, binding, module, others: bindings });
            }
        }
        let self_ty = if segments.first().is_some_and(|s| s == "Self") {
            self.self_ty.last().cloned().flatten().map(Box::new)
        } else {
            None
        };
        self.syntax.refs.push(PathRef {
            segments,
            global,
            span,
            module: self.path.clone(),
            local,
            ns,
            self_ty,
            qself: None,
        });
    }

    /// Runs `f` in a new scope of local bindings.
    fn scoped(&mut self, f: impl FnOnce(&mut Self)) {
        self.scopes.push(Scope::default());
        self.bounds.push(foldhash::HashMap::default());
        f(self);
        self.bounds.pop();
        self.scopes.pop();
    }

    /// Binds the names of pattern `pat` in the innermost scope, with `hint`
    /// for a plain `name` or `name: Type` pattern; visits the paths in it.
    fn bind(&mut self, pat: &syn::Pat, hint: Option<Hint>) {
        match pat {
            syn::Pat::Type(t) => {
                self.visit_type(&t.ty);
                let hint = self.type_hint(&t.ty).or(hint);
                self.bind(&t.pat, hint);
            }
            syn::Pat::Ident(i) => {
                if let Some((_, sub)) = &i.subpat {
                    self.bind(sub, None);
                }
                // A constant's name binds a new variable in the builds that
                // lack the constant: either way, the code that follows builds.
                self.bind_name(unraw(&i.ident), if names_a_constant(i) { None } else { hint });
            }
            // `Some(x)`, `Ok(x)`: the value inside; `Err(e)`: the error.
            syn::Pat::TupleStruct(t)
                if hint.is_some()
                    && t.elems.len() == 1
                    && (t.path.is_ident("Some") || t.path.is_ident("Ok") || t.path.is_ident("Err")) =>
            {
                self.path_ref(&t.path, ns::VALUE);
                let inner = |h: Hint| {
                    if t.path.is_ident("Err") {
                        Hint::Failed(Box::new(h))
                    } else {
                        Hint::Unwrapped(Box::new(h))
                    }
                };
                for elem in &t.elems {
                    self.bind(elem, hint.clone().map(inner));
                }
            }
            syn::Pat::Reference(r) => self.bind(&r.pat, hint),
            // A match arm's `pat if guard`: the guard sees the bindings.
            syn::Pat::Guard(g) => {
                self.bind(&g.pat, hint);
                self.visit_expr(&g.guard);
            }
            // `Principal::Federated(u)`: `u` is the variant's field.
            syn::Pat::TupleStruct(t) if t.qself.is_none() => {
                for attr in &t.attrs {
                    self.visit_attribute(attr);
                }
                self.path_ref(&t.path, ns::VALUE);
                let path = path_of(&t.path);
                let mut before_rest = true;
                for (i, elem) in t.elems.iter().enumerate() {
                    before_rest &= !matches!(elem, syn::Pat::Rest(_));
                    self.bind(elem, before_rest.then(|| Hint::Pattern(path.clone(), i.to_compact_string())));
                }
            }
            other => {
                // Paths in the pattern (`Plan::Team`, `Some(x)`), and its bindings.
                self.visit_pat(other);
            }
        }
    }

    /// What is known of the type of the elements `e` iterates over:
    /// `v`, `&v`, `v.iter()`, `v.iter().filter(..)` for a declared collection `v`.
    fn element_of(&mut self, e: &Expr) -> Option<Hint> {
        match e {
            Expr::MethodCall(m) if ELEMENT_ITERS.contains(&m.method.to_string().as_str()) => {
                self.element_of(&m.receiver)
            }
            // `v.iter().map(|t| t.priority)`: what the closure returns.
            Expr::MethodCall(m) if m.method == "map" && m.args.len() == 1 => {
                let element = self.element_of(&m.receiver);
                self.closure_value(m.args.first()?, element)
            }
            Expr::Reference(r) => self.element_of(&r.expr),
            Expr::Paren(p) => self.element_of(&p.expr),
            other => Some(Hint::Unwrapped(Box::new(self.hint_of(other)?))),
        }
    }

    /// What a one-parameter closure returns (`|t| Reverse(t.priority)`:
    /// the key inside `Reverse`), given its parameter's type.
    fn closure_value(&mut self, closure: &Expr, param: Option<Hint>) -> Option<Hint> {
        let Expr::Closure(c) = closure else { return None };
        let [input] = c.inputs.iter().collect::<Vec<_>>()[..] else { return None };
        let name = match input {
            syn::Pat::Ident(i) => unraw(&i.ident),
            syn::Pat::Reference(r) => match &*r.pat {
                syn::Pat::Ident(i) => unraw(&i.ident),
                _ => return None,
            },
            _ => return None,
        };
        let body = match &*c.body {
            Expr::Call(call)
                if call.args.len() == 1 && matches!(&*call.func, Expr::Path(p) if p.path.is_ident("Reverse")) =>
            {
                call.args.first()?
            }
            body => body,
        };
        self.scopes.push(Scope::from_iter([(name, (param, None))]));
        let value = self.hint_of(body);
        self.scopes.pop();
        value
    }

    /// What is known of the type of `e`'s value.
    fn hint_of(&self, e: &Expr) -> Option<Hint> {
        self.hint_within(e, Hint::MAX_CHAIN)
    }

    /// [`Self::hint_of`], chaining at most `budget` fields and method calls:
    /// a long chain `x.a().b()…` is not rebuilt at every link.
    fn hint_within(&self, e: &Expr, budget: usize) -> Option<Hint> {
        let chained = |base: &Expr| budget.checked_sub(1).and_then(|left| self.hint_within(base, left)).map(Box::new);
        match e {
            Expr::Path(p) if p.qself.is_none() => {
                let segments: Vec<Name> = p.path.segments.iter().map(|s| unraw(&s.ident)).collect();
                match segments.as_slice() {
                    [one] if one == "self" => self.self_ty.last().cloned().flatten().map(Hint::Type),
                    [one] if self.local(one).is_some() => self.local_hint(one).filter(|h| h.chain() <= budget),
                    // `LdapError`, `Error::Expired`, `Limits::MAX`: a unit struct's,
                    // unit variant's or constant's value.
                    [.., last] if last.starts_with(|c: char| c.is_ascii_uppercase()) => {
                        Some(Hint::Call(path_of(&p.path)))
                    }
                    _ => None,
                }
            }
            Expr::Call(c) => match &*c.func {
                // `Box::new(x)` is used as `x` is (see `TRANSPARENT`).
                Expr::Path(p) if p.qself.is_none() && c.args.len() == 1 && is_pointer_new(&p.path) => {
                    self.hint_within(c.args.first()?, budget)
                }
                Expr::Path(p) if p.qself.is_none() => Some(Hint::Call(path_of(&p.path))),
                _ => None,
            },
            Expr::Struct(s) => Some(Hint::Type(path_of(&s.path))),
            Expr::MethodCall(m) if UNWRAP.contains(&m.method.to_string().as_str()) => {
                Some(Hint::Unwrapped(chained(&m.receiver)?))
            }
            Expr::MethodCall(m) => Some(Hint::Method(chained(&m.receiver)?, m.method.to_compact_string())),
            Expr::Try(t) => Some(Hint::Unwrapped(chained(&t.expr)?)),
            Expr::Field(f) => match &f.member {
                syn::Member::Named(name) => Some(Hint::Field(chained(&f.base)?, name.to_compact_string())),
                syn::Member::Unnamed(i) => Some(Hint::Field(chained(&f.base)?, i.index.to_compact_string())),
            },
            Expr::Reference(r) => self.hint_within(&r.expr, budget),
            Expr::Paren(p) => self.hint_within(&p.expr, budget),
            Expr::Group(g) => self.hint_within(&g.expr, budget),
            Expr::Cast(c) => ty_path(&c.ty).map(Hint::Type),
            // `v[i]`, `map[k]`: an element.
            Expr::Index(i) => Some(Hint::Unwrapped(chained(&i.expr)?)),
            // A `match`, `if` or block yields what its first typed branch does.
            Expr::Match(m) => m.arms.iter().find_map(|arm| self.hint_within(&arm.body, budget)),
            Expr::If(i) => self.tail_hint(&i.then_branch, budget).or_else(|| {
                let (_, other) = i.else_branch.as_ref()?;
                self.hint_within(other, budget)
            }),
            Expr::Block(b) => self.tail_hint(&b.block, budget),
            Expr::Unsafe(b) => self.tail_hint(&b.block, budget),
            _ => None,
        }
    }

    /// A value the enclosing function returns: into a `Box<dyn Trait>` or
    /// an `impl Trait`, its type must implement the trait.
    fn returned(&mut self, value: &Expr) {
        let Some(Some(ret)) = self.returns.last().cloned() else { return };
        let opaque = self.opaque_returns.last().copied().flatten();
        self.assigned(&ret, value, opaque);
    }

    /// A value that becomes one of type `ty` (returned, or bound by an
    /// annotated `let`), judged at each expression it may come from:
    /// - `x.into()` converts into `ty` (`fn login(a: Saml) -> Identity { a.into() }`);
    /// - `iter.collect()`, `sum()` or `product()` needs `ty`'s `FromIterator`,
    ///   `Sum` or `Product`;
    /// - into a trait object (`Box<dyn Store>`, `impl Store`), the value's
    ///   type must implement the trait; so must each element of a `vec![..]`
    ///   that becomes a `Vec<Box<dyn Store>>`. Rustc reports a value
    ///   returned as an `impl Trait` at the return type (`at`).
    fn assigned(&mut self, ty: &TyPath, value: &Expr, at: Option<proc_macro2::Span>) {
        let elements = ty.ok.as_deref().filter(|e| e.object && ty.segments.last().is_some_and(|l| l == "Vec"));
        let object = (if ty.object { Some(ty) } else { elements }).and_then(|t| t.segments.last()).cloned();
        for tail in tails(value) {
            match tail {
                Expr::MethodCall(m) if m.args.is_empty() && m.turbofish.is_none() => {
                    let need = match m.method.to_string().as_str() {
                        "into" => {
                            if let Some(from) = self.hint_of(&m.receiver) {
                                self.conversion(ty.clone(), false, from, m.method.span().bytes());
                            }
                            None
                        }
                        "collect" => Some("FromIterator"),
                        "sum" => Some("Sum"),
                        "product" => Some("Product"),
                        _ => None,
                    };
                    if let Some(need) = need {
                        self.syntax.trait_uses.push(TraitUse {
                            traits: vec![Name::from(need)],
                            receiver: Hint::Type(ty.clone()),
                            span: m.method.span().bytes(),
                            module: self.path.clone(),
                        });
                    }
                }
                Expr::Macro(m) if !ty.object && m.mac.path.is_ident("vec") => {
                    let Some(name) = &object else { continue };
                    let Ok(items) = m.mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) else {
                        continue;
                    };
                    for item in &items {
                        self.trait_use(&[name.as_str()], item, || item.span());
                    }
                    continue;
                }
                _ => {}
            }
            if let (true, Some(name)) = (ty.object, &object) {
                self.trait_use(&[name.as_str()], tail, || at.unwrap_or_else(|| tail.span()));
            }
        }
    }

    /// The arguments of a call whose type is written down somewhere.
    fn arguments(&mut self, callee: &Range<usize>, args: &Punctuated<Expr, Token![,]>) {
        for (index, arg) in args.iter().enumerate() {
            // A std type implements no trait of the workspace's: only the
            // workspace's types can miss an impl in some build.
            if let Some(value) = self.hint_of(arg).filter(|h| !matches!(h, Hint::Type(t) if is_std_type(t))) {
                let span = arg.span().bytes();
                self.syntax.arguments.push(Argument { callee: callee.clone(), index, value, span });
            }
        }
    }

    /// What a block's final expression yields.
    fn tail_hint(&self, block: &syn::Block, budget: usize) -> Option<Hint> {
        match block.stmts.last()? {
            syn::Stmt::Expr(e, None) => self.hint_within(e, budget),
            _ => None,
        }
    }

    /// A function's parameters, bound in the current scope.
    fn params(&mut self, inputs: &Punctuated<syn::FnArg, Token![,]>) {
        for input in inputs {
            match input {
                syn::FnArg::Receiver(r) => {
                    for attr in &r.attrs {
                        self.visit_attribute(attr);
                    }
                    let hint = self.self_ty.last().cloned().flatten().map(Hint::Type);
                    self.bind_name(Name::const_new("self"), hint);
                }
                syn::FnArg::Typed(t) => {
                    for attr in &t.attrs {
                        self.visit_attribute(attr);
                    }
                    // A gated parameter is bound only in the builds with its feature.
                    self.binding_gate = self.region(&t.attrs, || t.span().bytes());
                    self.bind(&t.pat, self.type_hint(&t.ty));
                    self.binding_gate = None;
                    self.visit_type(&t.ty);
                }
            }
        }
    }

    /// Binds the names of type and const parameters (without their bounds).
    fn generic_names(&mut self, generics: &syn::Generics) {
        for param in &generics.params {
            match param {
                syn::GenericParam::Type(t) => self.bind_name(unraw(&t.ident), None),
                syn::GenericParam::Const(c) => self.bind_name(unraw(&c.ident), None),
                syn::GenericParam::Lifetime(_) => {}
            }
        }
    }

    /// Generic parameters: bound as names of their own (not items), then
    /// their bounds visited. A type parameter stands for its first trait
    /// bound (written on it or in the `where` clause): a value of that type
    /// has the trait's methods.
    fn generics(&mut self, generics: &syn::Generics) {
        self.generic_names(generics);
        let predicates = generics.where_clause.iter().flat_map(|w| &w.predicates);
        let from_where: Vec<(&syn::Ident, &Punctuated<syn::TypeParamBound, Token![+]>)> = predicates
            .filter_map(|p| match p {
                syn::WherePredicate::Type(t) => match &t.bounded_ty {
                    syn::Type::Path(b) if b.qself.is_none() => Some((b.path.get_ident()?, &t.bounds)),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        for t in generics.type_params() {
            let bound = first_trait(&t.bounds)
                .or_else(|| from_where.iter().filter(|(name, _)| **name == t.ident).find_map(|(_, b)| first_trait(b)));
            if let (Some(bound), Some(top)) = (bound, self.bounds.last_mut()) {
                top.insert(unraw(&t.ident), bound);
            }
        }
        self.visit_generics(generics);
    }

    /// What is known of the type of a value declared with type `ty`: a
    /// generic parameter's is its bound's.
    fn type_hint(&self, ty: &syn::Type) -> Option<Hint> {
        ty_path(ty).map(|path| Hint::Type(self.bounded(path)))
    }

    /// A type with each generic parameter in it (`S`, the `S` of `&[S]` or
    /// `Vec<S>`) replaced by its bound.
    fn bounded(&self, mut path: TyPath) -> TyPath {
        if let (false, [one]) = (path.global, path.segments.as_slice()) {
            if let Some(bound) = self.bound(one) {
                return bound.clone();
            }
        }
        path.ok = path.ok.map(|ok| Box::new(self.bounded(*ok)));
        path
    }

    /// A function: generics, signature, then the body with the parameters in scope.
    fn function(&mut self, sig: &syn::Signature, block: Option<&syn::Block>) {
        let gated: Vec<Range<usize>> = sig
            .inputs
            .iter()
            .filter(|input| {
                let attrs = match input {
                    syn::FnArg::Receiver(r) => &r.attrs,
                    syn::FnArg::Typed(t) => &t.attrs,
                };
                !attrs.is_empty() && cfg_of(attrs) != Cfg::Other
            })
            .map(|input| input.span().bytes())
            .collect();
        if !gated.is_empty() {
            let name = sig.ident.span().bytes();
            self.syntax.gated_signatures.push(GatedSignature { name, params: sig.inputs.len(), gated });
        }
        let bounds = type_param_bounds(&sig.generics);
        let names: Vec<&syn::Ident> = sig.generics.type_params().map(|p| &p.ident).collect();
        let params: Vec<Vec<Name>> = sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                syn::FnArg::Typed(t) => Some(param_traits(&t.ty, &names, &bounds)),
                syn::FnArg::Receiver(_) => None,
            })
            .collect();
        if params.iter().any(|p| !p.is_empty()) {
            self.syntax.bounded_params.push((sig.ident.span().bytes(), params));
        }
        if let syn::ReturnType::Type(_, ty) = &sig.output {
            let bare = matches!(&**ty, syn::Type::Path(p) if p.qself.is_none()
                && p.path.get_ident().is_some_and(|id| names.contains(&id)));
            let traits = if bare { param_traits(ty, &names, &bounds) } else { Vec::new() };
            if !traits.is_empty() {
                self.syntax.bounded_returns.push((sig.ident.span().bytes(), traits));
            }
        }
        if bounds.iter().any(|b| !b.is_empty()) {
            self.syntax.bounded_fns.push((sig.ident.span().bytes(), bounds));
        }
        self.returns.push(return_type(sig));
        self.opaque_returns.push(match &sig.output {
            syn::ReturnType::Type(_, ty) if matches!(**ty, syn::Type::ImplTrait(_)) => Some(ty.span()),
            _ => None,
        });
        self.scoped(|c| {
            c.generics(&sig.generics);
            c.params(&sig.inputs);
            c.visit_return_type(&sig.output);
            if let Some(block) = block {
                c.body_tail = true;
                c.visit_block(block);
            }
        });
        self.returns.pop();
        self.opaque_returns.pop();
    }

    /// `expr?`: where the function's return type is written down, the
    /// error of `expr` must convert into the function's.
    fn question_mark(&mut self, e: &syn::ExprTry) {
        let annotated = self.annotated.take();
        let Some(Some(into)) = self.returns.last().cloned() else { return };
        let from = match &*e.expr {
            // `s.parse::<u32>()?`, `let n: u32 = s.parse()?`: std's error for the type.
            Expr::MethodCall(m) if m.method == "parse" && m.args.is_empty() => {
                let target = match &m.turbofish {
                    Some(t) => t.args.first().and_then(|arg| match arg {
                        syn::GenericArgument::Type(t) => ty_path(t),
                        _ => None,
                    }),
                    None => annotated,
                };
                target.as_ref().and_then(parse_error).map(|err| Hint::Type(TyPath::name(err)))
            }
            other => self.hint_of(other).map(|h| Hint::Failed(Box::new(h))),
        };
        if let Some(from) = from {
            self.conversion(into, true, from, e.question_token.span().bytes());
        }
    }

    /// A `macro_rules!` macro: an item in the macro namespace, whose
    /// bodies' paths are judged where it expands.
    fn macro_rules(&mut self, m: &syn::ItemMacro, name: &syn::Ident, item: &syn::Item) {
        let exported = m.attrs.iter().any(|a| a.path().is_ident("macro_export"));
        let (expands, rules) = self.macro_bodies(&m.mac.tokens);
        self.syntax.macro_rules.push((name.span().bytes(), rules));
        declared_names(m.mac.tokens.clone(), &mut self.syntax.macro_members);
        self.body().items.push(ItemDef {
            name: name.to_compact_string(),
            // Not exported, a `macro_rules!` macro reaches no
            // further than its crate (a `use` can re-export it there).
            vis: if exported { Visibility::Public } else { Visibility::Crate },
            span: name.span().bytes(),
            item_span: item.extent(),
            macro_export: exported,
            ns: ns::MACRO,
            members: Vec::new(),
            ret: None,
            alias: None,
            derives: Vec::new(),
            expands,
        });
    }

    /// Records a conversion with `From` (see [`Conversion`]).
    fn conversion(&mut self, into: TyPath, into_error: bool, from: Hint, span: Range<usize>) {
        let module = self.path.clone();
        self.syntax.conversions.push(Conversion { into, into_error, from, span, module });
    }

    /// `T::from(x)`, `Err(x.into())` in a function returning a `Result`,
    /// `map_err(T::from)`: conversions whose target is written down.
    fn converted(&mut self, func: &syn::Path, args: &Punctuated<Expr, Token![,]>) {
        let [arg] = args.iter().collect::<Vec<_>>()[..] else { return };
        if let Some(into) = from_fn(func) {
            if let Some(from) = self.hint_of(arg) {
                self.conversion(into, false, from, func.span().bytes());
            }
        } else if func.is_ident("Err") {
            let Expr::MethodCall(m) = arg else { return };
            let Some(Some(into)) = self.returns.last().cloned() else { return };
            if m.method == "into" && m.args.is_empty() {
                if let Some(from) = self.hint_of(&m.receiver) {
                    self.conversion(into, true, from, m.method.span().bytes());
                }
            }
        }
    }

    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<Name>, start: Option<usize>, item: &syn::ItemUse) {
        let vis = Visibility::from(&item.vis);
        let global = item.leading_colon.is_some();
        let item_span = item.extent();
        let leaf = |c: &mut Collector, path: Vec<Name>, target: UseTarget, end: usize, first: usize| {
            let span = start.unwrap_or(first)..end;
            c.body().uses.push(UseDef {
                path,
                global,
                target,
                vis: vis.clone(),
                extern_crate: false,
                span,
                item_span: item_span.clone(),
                macro_use: false,
            });
        };
        match tree {
            syn::UseTree::Path(p) => {
                let begin = start.or(Some(p.ident.span().bytes().start));
                prefix.push(unraw(&p.ident));
                self.use_tree(&p.tree, prefix, begin, item);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let r = n.ident.span().bytes();
                let mut path = prefix.clone();
                let name = if n.ident == "self" { prefix.last().cloned().unwrap_or_default() } else { unraw(&n.ident) };
                if n.ident != "self" {
                    path.push(unraw(&n.ident));
                }
                leaf(self, path, UseTarget::Name(name), r.end, r.start);
            }
            syn::UseTree::Rename(n) => {
                let r = n.ident.span().bytes();
                let mut path = prefix.clone();
                if n.ident != "self" {
                    path.push(unraw(&n.ident));
                }
                leaf(self, path, UseTarget::Name(n.rename.to_compact_string()), r.end, r.start);
            }
            syn::UseTree::Glob(g) => {
                let r = g.star_token.span().bytes();
                leaf(self, prefix.clone(), UseTarget::Glob, r.end, r.start);
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    // Each leaf of a group points at its own part of the tree.
                    self.use_tree(t, prefix, None, item);
                }
            }
        }
    }

    /// The references in the bodies of a `macro_rules!` macro's rules (the
    /// group after each `=>`); the patterns are not code.
    fn macro_bodies(&mut self, tokens: &TokenStream) -> (Vec<PathRef>, Vec<MacroRule>) {
        let saved = std::mem::take(&mut self.syntax.refs);
        self.in_macro_body = true;
        let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
        let punct = |k: usize, ch: char| matches!(trees.get(k), Some(TokenTree::Punct(p)) if p.as_char() == ch);
        let mut rules = Vec::new();
        for (k, tree) in trees.iter().enumerate() {
            if let TokenTree::Group(g) = tree {
                if k >= 2 && punct(k - 2, '=') && punct(k - 1, '>') {
                    let regions = self.syntax.cfg_regions.len();
                    self.scan_tokens(g.stream());
                    let pattern = match k.checked_sub(3).and_then(|p| trees.get(p)) {
                        Some(TokenTree::Group(p)) => p.stream(),
                        _ => TokenStream::new(),
                    };
                    rules.push(macro_rule(&pattern, g, self.syntax.cfg_regions.get(regions..).unwrap_or_default()));
                }
            }
        }
        self.in_macro_body = false;
        let mut refs = std::mem::replace(&mut self.syntax.refs, saved);
        // Tokens carry no scopes: a name the body binds with `let` anywhere
        // is taken for that local everywhere in it.
        let mut bound = foldhash::HashSet::default();
        let_names(tokens.clone(), &mut bound);
        for r in &mut refs {
            if let [name] = r.segments.as_slice() {
                r.local |= bound.contains(name);
            }
        }
        (refs, rules)
    }

    /// Finds `a::b::c` sequences in a macro's tokens: the arguments of most
    /// macros are expressions, types or paths the compiler will resolve.
    fn scan_tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            if self.in_macro_body {
                self.body_gate(&trees, i);
            }
            if let Some(TokenTree::Group(g)) = trees.get(i) {
                if g.delimiter() != Delimiter::None || !g.stream().is_empty() {
                    self.scan_tokens(g.stream());
                }
                i += 1;
                continue;
            }
            // `$crate::x` in a macro body: the macro's own crate.
            let dollar_crate = self.in_macro_body
                && matches!(trees.get(i), Some(TokenTree::Punct(p)) if p.as_char() == '$')
                && matches!(trees.get(i + 1), Some(TokenTree::Ident(c)) if c == "crate");
            let global = !dollar_crate && is_path_sep(&trees, i);
            let first = if global || dollar_crate { i + 1 + usize::from(global) } else { i };
            // `$crate::x` is the macro's own crate, `.x` a field or method,
            // and `>::x` continues a path that does not start with a name.
            let prev_blocks = i
                .checked_sub(1)
                .and_then(|p| trees.get(p))
                .is_some_and(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == '$' || p.as_char() == '.'))
                || i.checked_sub(2).is_some_and(|p| is_path_sep(&trees, p));
            let Some(TokenTree::Ident(head)) = trees.get(first) else {
                i += 1;
                continue;
            };
            if prev_blocks && !global && !dollar_crate {
                i = first + 1;
                continue;
            }
            let mut segments = vec![if dollar_crate { Name::const_new("$crate") } else { head.to_compact_string() }];
            let start = if global || dollar_crate {
                trees.get(i).map_or(0, |t| t.span().bytes().start)
            } else {
                head.span().bytes().start
            };
            let mut end = head.span().bytes().end;
            let mut j = first + 1;
            while is_path_sep(&trees, j) {
                let Some(TokenTree::Ident(next)) = trees.get(j + 2) else { break };
                segments.push(next.to_compact_string());
                end = next.span().bytes().end;
                j += 3;
            }
            let next_is = |ch: char| matches!(trees.get(j), Some(TokenTree::Punct(p)) if p.as_char() == ch);
            let called = matches!(trees.get(j), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis);
            let is_macro = next_is('!') && !matches!(trees.get(j + 1), Some(TokenTree::Punct(p)) if p.as_char() == '=');
            // A single name is a reference too (`seats()`, `LIMIT`); a field
            // name (`x: 1`) or a binding is not.
            let field_like = segments.len() == 1 && next_is(':') && !is_path_sep(&trees, j);
            // `name = value` in a macro's arguments: a named format argument
            // (or an assignment), not a use of the item `name`.
            let named_argument = segments.len() == 1
                && next_is('=')
                && !matches!(trees.get(j + 1), Some(TokenTree::Punct(p)) if p.as_char() == '=');
            if segments.len() >= 2 || global {
                self.push_ref(segments, global, start..end, if called { ns::VALUE } else { ns::ANY });
            } else if !field_like && !named_argument {
                let ns = if is_macro {
                    ns::MACRO
                } else if called {
                    ns::VALUE
                } else {
                    ns::TYPE | ns::VALUE
                };
                self.push_ref(segments, global, start..end, ns);
            }
            i = j;
        }
    }

    /// `#[cfg(..)]` at `trees[i]` in a `macro_rules!` body: the statement
    /// or item after it (up to its `;` or its first `{..}`) is gated where
    /// the macro expands.
    fn body_gate(&mut self, trees: &[TokenTree], i: usize) {
        let (Some(TokenTree::Punct(hash)), Some(TokenTree::Group(attr))) = (trees.get(i), trees.get(i + 1)) else {
            return;
        };
        if hash.as_char() != '#' || attr.delimiter() != Delimiter::Bracket {
            return;
        }
        let Ok(Meta::List(list)) = syn::parse2::<Meta>(attr.stream()) else { return };
        let Some(cfg) = list.path.is_ident("cfg").then(|| list.parse_args::<Meta>().ok()).flatten() else { return };
        let end = trees
            .iter()
            .skip(i + 2)
            .find(|t| match t {
                TokenTree::Group(g) => g.delimiter() == Delimiter::Brace,
                TokenTree::Punct(p) => p.as_char() == ';',
                _ => false,
            })
            .or(trees.last())
            .map_or(0, |t| t.span().bytes().end);
        self.syntax.cfg_regions.push((hash.span().bytes().start..end, Cfg::of(&cfg)));
    }

    /// Records that `value` needs its type to implement one of `traits`,
    /// when its type is written down somewhere.
    fn trait_use(&mut self, traits: &[&str], value: &Expr, span: impl FnOnce() -> proc_macro2::Span) {
        if let Some(receiver) = self.hint_of(value) {
            self.syntax.trait_uses.push(TraitUse {
                traits: traits.iter().map(|t| Name::from(*t)).collect(),
                receiver,
                span: span().bytes(),
                module: self.path.clone(),
            });
        }
    }

    /// `opt.unwrap_or_default()`: the value inside needs `Default`.
    fn defaulted(&mut self, call: &syn::ExprMethodCall) {
        if call.method != "unwrap_or_default" {
            return;
        }
        if let Some(inner) = self.hint_of(&call.receiver) {
            self.syntax.trait_uses.push(TraitUse {
                traits: vec![Name::const_new("Default")],
                receiver: Hint::Unwrapped(Box::new(inner)),
                span: call.method.span().bytes(),
                module: self.path.clone(),
            });
        }
    }

    /// The values a format macro shows with `{}` or `{:?}`: they need
    /// `Display` or `Debug`.
    fn displayed(&mut self, mac: &syn::Macro, writer: bool) {
        let Ok(args) = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) else { return };
        let mut args = args.into_iter().skip(usize::from(writer));
        let Some(Expr::Lit(syn::ExprLit { lit: Lit::Str(format), .. })) = args.next() else { return };
        let positional: Vec<Expr> = args.filter(|a| !matches!(a, Expr::Assign(_))).collect();
        for (arg, shown_with) in placeholders(&format.value()) {
            let value = match arg {
                Placeholder::Next(i) | Placeholder::Index(i) => positional.get(i).cloned(),
                Placeholder::Name(name) => syn::parse_str::<Expr>(&name).ok().filter(|_| self.local(&name).is_some()),
            };
            if let (Some(value), Some(shown_with)) = (value, shown_with) {
                let span = match &value {
                    Expr::Path(_) if positional.contains(&value) => value.span(),
                    _ => format.span(),
                };
                self.trait_use(&[shown_with], &value, || span);
            }
        }
    }

    /// `{name}` in a format macro's format string: an implicit capture of `name`.
    fn format_string(&mut self, tokens: &TokenStream) {
        let Some(lit) = tokens.clone().into_iter().find_map(|t| match t {
            TokenTree::Literal(l) => Some(l),
            _ => None,
        }) else {
            return;
        };
        let text = lit.to_string();
        if !text.ends_with('"') {
            return;
        }
        let start = lit.span().bytes().start;
        // Named arguments (`{seats}` with `seats = 5`) are not captures.
        let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
        let named: Vec<Name> = trees
            .windows(3)
            .filter_map(|w| match w {
                [TokenTree::Ident(name), TokenTree::Punct(eq), next]
                    if eq.as_char() == '=' && !matches!(next, TokenTree::Punct(p) if p.as_char() == '=') =>
                {
                    Some(name.to_compact_string())
                }
                _ => None,
            })
            .collect();
        for (name, offset) in format_captures(&text).into_iter().filter(|(n, _)| !named.contains(n)) {
            let span = start + offset..start + offset + name.len();
            self.push_ref(vec![name], false, span, ns::VALUE);
        }
    }

    fn module(&mut self, m: &syn::ItemMod, item: &syn::Item) {
        for attr in &m.attrs {
            self.visit_attribute(attr);
        }
        let path_attr = m.attrs.iter().find(|a| a.path().is_ident("path")).and_then(str_value);
        let cfg_paths = m.attrs.iter().filter_map(cfg_attr_path).collect();
        let head = m.mod_token.span().bytes().start..m.ident.span().bytes().end;
        let mut decl = ModDecl {
            name: unraw(&m.ident),
            path_attr,
            cfg_paths,
            inline: None,
            vis: (&m.vis).into(),
            span: head,
            item_span: item.extent(),
            block: false,
            macro_use: m.attrs.iter().any(|a| a.path().is_ident("macro_use")),
            custom_cfg: m.attrs.iter().filter(|a| a.path().is_ident("cfg")).find_map(|a| custom_cfg(&a.meta)),
        };
        if let Some((_, items)) = &m.content {
            decl.inline = Some(self.inline_body(|c| items.iter().for_each(|i| c.visit_item(i))));
        }
        self.body().mods.push(decl);
    }

    /// Runs `visit` with a new module body, and returns that body.
    fn inline_body(&mut self, visit: impl FnOnce(&mut Self)) -> ModuleBody {
        let index = self.body().mods.len();
        self.saved.push(std::mem::take(&mut self.current));
        self.path.push(index);
        visit(self);
        self.path.pop();
        let outer = self.saved.pop().unwrap_or_default();
        std::mem::replace(&mut self.current, outer)
    }

    /// The fields a struct literal or pattern of type `path` names.
    fn field_names<'m>(&mut self, path: &syn::Path, members: impl Iterator<Item = &'m syn::Member>) {
        let owner = Hint::Type(path_of(path));
        for member in members {
            let (name, span) = match member {
                syn::Member::Named(name) => (unraw(name), name.span().bytes()),
                syn::Member::Unnamed(i) => (i.index.to_compact_string(), i.span.bytes()),
            };
            self.syntax.method_calls.push(MethodCall {
                name,
                span,
                module: self.path.clone(),
                receiver: Some(owner.clone()),
                self_ty: self.self_ty.last().cloned().flatten(),
                field: true,
            });
        }
    }

    /// `<T as a::Tr>::f`: the trait's path is what resolves; `f` is one of
    /// its associated items.
    fn qualified(&mut self, qself: Option<&syn::QSelf>, path: &syn::Path) -> bool {
        let Some(q) = qself else { return false };
        self.visit_type(&q.ty);
        // The trait's path and the item after it: `Tr::f` of `<T as Tr>::f`.
        let trait_segments: Vec<&syn::PathSegment> = path.segments.iter().take(q.position).collect();
        if let (Some(first), Some(last)) = (trait_segments.first(), trait_segments.last()) {
            let start = path.leading_colon.map_or_else(|| first.ident.span().bytes().start, |c| c.span().bytes().start);
            let segments = path.segments.iter().map(|s| unraw(&s.ident)).collect();
            // Reported at the trait's path.
            self.push_ref(segments, path.leading_colon.is_some(), start..last.ident.span().bytes().end, ns::ANY);
            if let Some(r) = self.syntax.refs.last_mut() {
                r.qself = ty_path(&q.ty).map(Box::new);
            }
        }
        for seg in &path.segments {
            self.visit_path_arguments(&seg.arguments);
        }
        true
    }

    /// Paths inside an attribute's arguments: derives, serde's path
    /// strings, and the attributes a `cfg_attr` applies (gated by its
    /// predicate like any cfg). `span` gives the attribute's span, asked
    /// for only under `cfg_attr`: syn finds a node's span by printing it.
    fn meta_paths(&mut self, meta: &Meta, span: &dyn Fn() -> proc_macro2::Span) {
        let Meta::List(list) = meta else { return };
        if list.path.is_ident("derive") {
            if let Ok(paths) = list.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated) {
                for p in &paths {
                    self.visit_path(p);
                }
            }
        } else if list.path.is_ident("serde") {
            let Ok(metas) = list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) else { return };
            for meta in &metas {
                let Meta::NameValue(nv) = meta else { continue };
                if !SERDE_PATH_KEYS.iter().any(|k| nv.path.is_ident(k)) {
                    continue;
                }
                let Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) = &nv.value else { continue };
                let Ok(path) = syn::parse_str::<syn::Path>(&s.value()) else { continue };
                let r = s.span().bytes();
                // Inside the quotes.
                let span = (r.start + 1).min(r.end)..r.end.saturating_sub(1).max(r.start);
                let segments = path.segments.iter().map(|s| unraw(&s.ident)).collect();
                // `with` names a module, the other keys a function.
                self.push_ref(segments, path.leading_colon.is_some(), span, ns::ANY);
            }
        } else if list.path.is_ident("cfg_attr") {
            let Ok(metas) = list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) else { return };
            let mut metas = metas.iter();
            if let Some(predicate) = metas.next() {
                let cfg = Cfg::of(predicate);
                if cfg != Cfg::Other {
                    self.syntax.cfg_regions.push((span().bytes(), cfg));
                }
            }
            for meta in metas {
                self.meta_paths(meta, span);
                if !is_builtin_attribute(meta.path()) {
                    self.visit_path(meta.path());
                }
            }
        }
    }
}

/// A struct's or union's fields as members (a tuple field by its index).
fn fields(fields: &syn::Fields) -> Vec<Member> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| Member {
            name: f.ident.as_ref().map_or_else(|| i.to_compact_string(), ToCompactString::to_compact_string),
            span: f.span().bytes(),
            name_span: f.ident.as_ref().map_or_else(|| f.span().bytes(), |n| n.span().bytes()),
            kind: MemberKind::Field,
            ty: ty_path(&f.ty),
            fields: Vec::new(),
            local: !matches!(f.vis, syn::Visibility::Public(_)),
        })
        .collect()
}

/// Per type parameter, the last names of the traits it is bounded by, on
/// itself or in the `where` clause.
/// Traits every type has unless it opts out: a bound on them needs no impl.
const AUTO_TRAITS: &[&str] = &["Sized", "Send", "Sync", "Unpin"];

fn type_param_bounds(generics: &syn::Generics) -> Vec<Vec<Name>> {
    let traits = |bounds: &Punctuated<syn::TypeParamBound, Token![+]>| -> Vec<Name> {
        bounds
            .iter()
            .filter_map(|b| match b {
                // `?Sized` relaxes a bound, and auto traits need no impl.
                syn::TypeParamBound::Trait(t) if t.maybe.is_none() => t
                    .path
                    .segments
                    .last()
                    .map(|s| s.ident.to_compact_string())
                    .filter(|n| !AUTO_TRAITS.contains(&n.as_str())),
                _ => None,
            })
            .collect()
    };
    generics
        .type_params()
        .map(|p| {
            let mut out = traits(&p.bounds);
            for pred in generics.where_clause.iter().flat_map(|w| &w.predicates) {
                if let syn::WherePredicate::Type(t) = pred {
                    if matches!(&t.bounded_ty, syn::Type::Path(b) if b.qself.is_none() && b.path.is_ident(&p.ident)) {
                        out.extend(traits(&t.bounds));
                    }
                }
            }
            out
        })
        .collect()
}

/// The expressions whose value `e` is: the branches of an `if` or
/// `match`, a block's last expression.
fn tails(e: &Expr) -> Vec<&Expr> {
    fn block(b: &syn::Block) -> Option<&Expr> {
        match b.stmts.last()? {
            syn::Stmt::Expr(e, None) => Some(e),
            _ => None,
        }
    }
    match e {
        Expr::Block(b) => block(&b.block).map(tails).unwrap_or_default(),
        Expr::Unsafe(b) => block(&b.block).map(tails).unwrap_or_default(),
        Expr::Paren(p) => tails(&p.expr),
        Expr::If(i) => {
            let mut out = block(&i.then_branch).map(tails).unwrap_or_default();
            if let Some((_, other)) = &i.else_branch {
                out.extend(tails(other));
            }
            out
        }
        Expr::Match(m) => m.arms.iter().flat_map(|arm| tails(&arm.body)).collect(),
        other => vec![other],
    }
}

/// What judging an expansion needs of a `macro_rules!` rule: its pattern,
/// when literal; whether its body only stringifies the fragments; the
/// `#[cfg]` (among the body's `regions`) every use of a fragment is under.
fn macro_rule(pattern: &TokenStream, body: &proc_macro2::Group, regions: &[(Range<usize>, Cfg)]) -> MacroRule {
    let literal = Some(pattern.to_string()).filter(|t| t.len() <= MAX_MACRO_TEXT && !has_dollar(pattern.clone()));
    let mut uses = Vec::new();
    fragment_uses(body.stream(), false, &mut uses);
    let opaque = literal.is_none() && !uses.is_empty() && uses.iter().all(|(_, text)| *text);
    let region_of = |span: &Range<usize>| regions.iter().find(|(r, _)| r.start <= span.start && span.end <= r.end);
    let mut code = uses.iter().filter(|(_, text)| !text).map(|(span, _)| region_of(span).map(|(_, c)| c));
    let gate = code.next().flatten().cloned().filter(|first| code.all(|c| c == Some(first)));
    MacroRule { literal, body: body.span().bytes(), opaque, gate }
}

/// Whether tokens hold a `$` (a macro pattern with fragments).
fn has_dollar(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|t| match t {
        TokenTree::Punct(p) => p.as_char() == '$',
        TokenTree::Group(g) => has_dollar(g.stream()),
        _ => false,
    })
}

/// The uses of fragments (`$name`) in a macro body: their spans, and
/// whether each is inside `stringify!`/`concat!` (text, not code).
fn fragment_uses(tokens: TokenStream, text: bool, out: &mut Vec<(Range<usize>, bool)>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while let Some(tree) = trees.get(i) {
        match (tree, trees.get(i + 1), trees.get(i + 2)) {
            (TokenTree::Ident(name), Some(TokenTree::Punct(bang)), Some(TokenTree::Group(g)))
                if bang.as_char() == '!' && (name == "stringify" || name == "concat") =>
            {
                fragment_uses(g.stream(), true, out);
                i += 3;
                continue;
            }
            (TokenTree::Punct(dollar), Some(TokenTree::Ident(name)), _)
                if dollar.as_char() == '$' && name != "crate" =>
            {
                out.push((name.span().bytes(), text));
                i += 2;
                continue;
            }
            (TokenTree::Group(g), ..) => fragment_uses(g.stream(), text, out),
            _ => {}
        }
        i += 1;
    }
}

/// A configuration name in a cfg predicate that neither Cargo features nor
/// rustc set (`ee` in `cfg(ee)`, `all(ee, unix)`): a build script or
/// `RUSTFLAGS` does.
fn custom_cfg(meta: &Meta) -> Option<String> {
    const RUSTC: &[&str] = &[
        "test",
        "unix",
        "windows",
        "debug_assertions",
        "doc",
        "doctest",
        "miri",
        "proc_macro",
        "overflow_checks",
        "ub_checks",
        "panic",
        "feature",
        "target_os",
        "target_family",
        "target_arch",
        "target_env",
        "target_abi",
        "target_endian",
        "target_pointer_width",
        "target_vendor",
        "target_has_atomic",
        "target_feature",
        "target_thread_local",
        "relocation_model",
        "fmt_debug",
    ];
    match meta {
        Meta::List(list) if ["all", "any", "not", "cfg"].iter().any(|k| list.path.is_ident(k)) => {
            list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated).ok()?.iter().find_map(custom_cfg)
        }
        other => {
            let name = other.path().get_ident()?.to_string();
            (!RUSTC.contains(&name.as_str())).then_some(name)
        }
    }
}

/// `T::from` (a path of two or more segments): converts into `T`.
fn from_fn(path: &syn::Path) -> Option<TyPath> {
    let (last, prefix) = path.segments.iter().collect::<Vec<_>>().split_last().map(|(l, p)| (*l, p.to_vec()))?;
    if last.ident != "from" || prefix.is_empty() {
        return None;
    }
    Some(TyPath {
        segments: prefix.iter().map(|s| unraw(&s.ident)).collect(),
        global: path.leading_colon.is_some(),
        ..TyPath::name("")
    })
}

/// A primitive or a std type that is written by its bare name.
fn is_std_type(ty: &TyPath) -> bool {
    let [name] = ty.segments.as_slice() else { return false };
    name.starts_with(|c: char| c.is_ascii_lowercase())
        || ["String", "Vec", "Option", "Result", "HashMap", "HashSet", "BTreeMap", "BTreeSet", "Path", "PathBuf"]
            .contains(&name.as_str())
}

/// An iterator written as one: `v.iter()`, `v.into_iter().map(..)`.
fn is_iteration(e: &Expr) -> bool {
    match e {
        Expr::MethodCall(m) => {
            let name = m.method.to_string();
            matches!(name.as_str(), "iter" | "into_iter" | "values" | "map" | "copied" | "cloned")
                || (ELEMENT_ITERS.contains(&name.as_str()) && is_iteration(&m.receiver))
        }
        _ => false,
    }
}

/// `Box::new`, `Arc::new`, `Rc::new`.
fn is_pointer_new(path: &syn::Path) -> bool {
    let mut rev = path.segments.iter().rev();
    matches!((rev.next(), rev.next()), (Some(f), Some(t)) if f.ident == "new" && ["Box", "Arc", "Rc"].iter().any(|p| t.ident == p))
}

/// The traits a parameter's type asks of the argument's: `impl A + B`,
/// `&dyn A`, `Box<dyn A>`, or a type parameter `T` with bounds (`names`
/// and `bounds` are the function's type parameters and their bounds).
fn param_traits(ty: &syn::Type, names: &[&syn::Ident], bounds: &[Vec<Name>]) -> Vec<Name> {
    let traits = |b: &Punctuated<syn::TypeParamBound, Token![+]>| -> Vec<Name> {
        b.iter()
            .filter_map(|b| match b {
                syn::TypeParamBound::Trait(t) => t.path.segments.last().map(|s| s.ident.to_compact_string()),
                _ => None,
            })
            .collect()
    };
    match ty {
        syn::Type::Reference(r) => param_traits(&r.elem, names, bounds),
        syn::Type::Paren(p) => param_traits(&p.elem, names, bounds),
        syn::Type::Group(g) => param_traits(&g.elem, names, bounds),
        syn::Type::ImplTrait(t) => traits(&t.bounds),
        syn::Type::TraitObject(t) => traits(&t.bounds),
        syn::Type::Path(p) if p.qself.is_none() => {
            if let Some(i) = p.path.get_ident().and_then(|id| names.iter().position(|n| *n == id)) {
                return bounds.get(i).cloned().unwrap_or_default();
            }
            let Some(last) = p.path.segments.last() else { return Vec::new() };
            match type_args(last).next() {
                Some(inner) if matches!(last.ident.to_string().as_str(), "Box" | "Arc" | "Rc") => {
                    param_traits(inner, names, bounds)
                }
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

/// The spans of the arguments under `#[cfg(..)]`.
fn gated_args(args: &Punctuated<Expr, Token![,]>) -> Vec<Range<usize>> {
    args.iter()
        .filter(|a| {
            let attrs = expr_attrs(a);
            !attrs.is_empty() && cfg_of(attrs) != Cfg::Other
        })
        .map(|a| a.span().bytes())
        .collect()
}

/// A trait item as a member.
fn trait_member(item: &syn::TraitItem) -> Option<Member> {
    let (name, kind, ty) = match item {
        syn::TraitItem::Fn(f) => {
            (&f.sig.ident, MemberKind::Fn { method: f.sig.receiver().is_some() }, return_type(&f.sig))
        }
        syn::TraitItem::Const(c) => (&c.ident, MemberKind::Const, ty_path(&c.ty)),
        syn::TraitItem::Type(t) => (&t.ident, MemberKind::Type, None),
        _ => return None,
    };
    let (name_span, name) = (name.span().bytes(), unraw(name));
    Some(Member { name, span: item.extent(), name_span, kind, ty, fields: Vec::new(), local: false })
}

/// An impl item as a member; `of_trait` for an impl of a trait (whose
/// items are as public as the trait).
fn impl_member(item: &syn::ImplItem, of_trait: bool) -> Option<Member> {
    let (name, kind, ty, vis) = match item {
        syn::ImplItem::Fn(f) => {
            (&f.sig.ident, MemberKind::Fn { method: f.sig.receiver().is_some() }, return_type(&f.sig), &f.vis)
        }
        syn::ImplItem::Const(c) => (&c.ident, MemberKind::Const, ty_path(&c.ty), &c.vis),
        syn::ImplItem::Type(t) => (&t.ident, MemberKind::Type, ty_path(&t.ty), &t.vis),
        _ => return None,
    };
    let (name_span, name) = (name.span().bytes(), unraw(name));
    let local = !of_trait && !matches!(vis, syn::Visibility::Public(_));
    Some(Member { name, span: item.extent(), name_span, kind, ty, fields: Vec::new(), local })
}

/// The `{name}` captures of a format string literal as written: each name
/// and its byte offset in the literal's source text.
fn format_captures(literal: &str) -> Vec<(Name, usize)> {
    let bytes = literal.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b'{') if bytes.get(i + 1) == Some(&b'{') => i += 2,
            Some(b'{') => {
                let start = i + 1;
                let mut end = start;
                while bytes.get(end).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b >= 0x80) {
                    end += 1;
                }
                let name = literal.get(start..end).unwrap_or("");
                let closes = matches!(bytes.get(end), Some(b'}' | b':'));
                if closes && name.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') && name != "_" {
                    out.push((Name::from(name), start));
                }
                i = end.max(i + 1);
            }
            _ => i += 1,
        }
    }
    out
}

/// Attributes whose arguments are not paths (or are handled above).
fn is_builtin_attribute(path: &syn::Path) -> bool {
    matches!(
        path.get_ident().map(ToString::to_string).as_deref(),
        Some("derive" | "serde" | "cfg" | "cfg_attr" | "path" | "doc")
    )
}

/// A path's span from its first segment (or leading `::`) to its last
/// segment's name, leaving out generic arguments.
fn path_span(path: &syn::Path) -> Range<usize> {
    let start = path
        .leading_colon
        .map_or_else(|| path.segments.first().map_or(0, |s| s.ident.span().bytes().start), |c| c.span().bytes().start);
    let end = path.segments.last().map_or(start, |s| s.ident.span().bytes().end);
    start..end
}

fn is_path_sep(trees: &[TokenTree], i: usize) -> bool {
    matches!(
        (trees.get(i), trees.get(i + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
    )
}

macro_rules! with_attrs {
    ($self:ident, $node:expr, $attrs:expr, $visit:expr) => {{
        $self.region($attrs, || $node.span().bytes());
        $visit;
    }};
}

impl Collector {
    /// A path with the namespaces its last segment can be in.
    fn path_ref(&mut self, path: &syn::Path, ns: u8) {
        let segments: Vec<Name> = path.segments.iter().map(|s| unraw(&s.ident)).collect();
        if !segments.is_empty() {
            self.push_ref(segments, path.leading_colon.is_some(), path_span(path), ns);
        }
        for seg in &path.segments {
            self.visit_path_arguments(&seg.arguments);
        }
    }

    fn impl_block(&mut self, i: &syn::ItemImpl, whole: &syn::Item) {
        let self_ty = ty_path(&i.self_ty);
        if let Some((p, _)) = i.trait_.as_ref().filter(|_| !self.in_body) {
            self.syntax.signature_traits.push(path_span(p));
        }
        let trait_path = i.trait_.as_ref().map(|(p, _)| {
            // `From<X>`: what it converts from.
            let arg = p.segments.last().and_then(|last| type_args(last).next()).and_then(ty_path).map(Box::new);
            TyPath { arg, ..path_of(p) }
        });
        let items = i.items.iter().filter_map(|item| impl_member(item, i.trait_.is_some())).collect();
        let own = match &*i.self_ty {
            syn::Type::Path(p) if p.qself.is_none() => p.path.get_ident(),
            _ => None,
        };
        let blanket = own
            .and_then(|own| i.generics.type_params().position(|t| t.ident == *own))
            .and_then(|k| type_param_bounds(&i.generics).into_iter().nth(k))
            .unwrap_or_default();
        self.syntax.impls.push(ImplDef {
            module: self.path.clone(),
            self_ty: self_ty.clone(),
            trait_path,
            span: whole.extent(),
            items,
            blanket,
        });
        for it in &i.items {
            if let syn::ImplItem::Fn(f) = it {
                self.syntax.methods.push((unraw(&f.sig.ident), f.extent()));
            }
        }
        for attr in &i.attrs {
            self.visit_attribute(attr);
        }
        self.scoped(|c| {
            c.generics(&i.generics);
            if let Some((path, _)) = &i.trait_ {
                c.path_ref(path, ns::TYPE);
            }
            c.visit_type(&i.self_ty);
            c.self_ty.push(self_ty);
            for it in &i.items {
                c.visit_impl_item(it);
            }
            c.self_ty.pop();
        });
    }
}

impl Collector {
    /// A block: a scope, and a module of its own when it declares items.
    fn block(&mut self, b: &syn::Block) {
        let tail = std::mem::take(&mut self.body_tail);
        let visit = |c: &mut Self| {
            visit::visit_block(c, b);
            if let (true, Some(syn::Stmt::Expr(e, None))) = (tail, b.stmts.last()) {
                c.returned(e);
            }
        };
        // A block that declares items is a module of its own.
        if !b.stmts.iter().any(|s| matches!(s, syn::Stmt::Item(_))) {
            self.scoped(visit);
            return;
        }
        let span = b.brace_token.span.join().bytes();
        let inline = self.inline_body(|c| c.scoped(visit));
        self.body().mods.push(ModDecl {
            name: Name::default(),
            path_attr: None,
            cfg_paths: Vec::new(),
            inline: Some(inline),
            vis: Visibility::Private,
            span: span.clone(),
            item_span: span,
            block: true,
            macro_use: false,
            custom_cfg: None,
        });
    }

    /// An item: its name, its region, and what its signature and body hold.
    fn item_inner(&mut self, item: &syn::Item) {
        use syn::Item;
        let attrs = item.attrs();
        self.region(attrs, || item.extent());
        match item {
            Item::Const(i) => self.item(&i.ident, &i.vis, item),
            Item::Enum(i) => self.item(&i.ident, &i.vis, item),
            Item::Fn(i) => self.item(&i.sig.ident, &i.vis, item),
            Item::Static(i) => self.item(&i.ident, &i.vis, item),
            Item::Struct(i) => self.item(&i.ident, &i.vis, item),
            Item::Trait(i) => self.item(&i.ident, &i.vis, item),
            Item::TraitAlias(i) => self.item(&i.ident, &i.vis, item),
            Item::Type(i) => self.item(&i.ident, &i.vis, item),
            Item::Union(i) => self.item(&i.ident, &i.vis, item),
            Item::Macro(m) => {
                if let Some(name) = &m.ident {
                    self.macro_rules(m, name, item);
                    // A macro_rules! body is not code where it is written:
                    // its paths resolve where the macro is used.
                    return;
                }
            }
            Item::ExternCrate(e) => {
                let name = unraw(&e.ident);
                let alias = e.rename.as_ref().map_or_else(|| name.clone(), |(_, r)| r.to_compact_string());
                let span = e.ident.span().bytes();
                let decl = UseDef {
                    path: vec![name],
                    global: true,
                    target: UseTarget::Name(alias),
                    vis: (&e.vis).into(),
                    extern_crate: true,
                    span,
                    item_span: item.extent(),
                    macro_use: e.attrs.iter().any(|a| a.path().is_ident("macro_use")),
                };
                self.body().uses.push(decl);
                return;
            }
            Item::Use(u) => {
                for attr in &u.attrs {
                    self.visit_attribute(attr);
                }
                self.use_tree(&u.tree, &mut Vec::new(), None, u);
                return;
            }
            Item::Mod(m) => {
                self.module(m, item);
                return;
            }
            Item::Impl(i) => {
                self.impl_block(i, item);
                return;
            }
            _ => {}
        }
        if let Item::Trait(t) = item {
            for attr in &t.attrs {
                self.visit_attribute(attr);
            }
            self.scoped(|c| {
                c.generic_names(&t.generics);
                c.visit_generics(&t.generics);
                for bound in &t.supertraits {
                    c.visit_type_param_bound(bound);
                }
                // In a trait, `Self` is whatever implements it: what is known
                // of it is the trait's items.
                c.self_ty.push(Some(TyPath::name(unraw(&t.ident))));
                for it in &t.items {
                    c.visit_trait_item(it);
                }
                c.self_ty.pop();
            });
            return;
        }
        // A type's generic parameters are names in its fields' types.
        let generics = match item {
            Item::Struct(i) => Some(&i.generics),
            Item::Enum(i) => Some(&i.generics),
            Item::Union(i) => Some(&i.generics),
            Item::Type(i) => Some(&i.generics),
            _ => None,
        };
        match generics {
            Some(g) if !g.params.is_empty() => self.scoped(|c| {
                c.generic_names(g);
                visit::visit_item(c, item);
            }),
            _ => visit::visit_item(self, item),
        }
    }
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        // An item inside a body has a signature of its own.
        let in_body = std::mem::replace(&mut self.in_body, false);
        self.item_inner(item);
        self.in_body = in_body;
    }

    fn visit_trait_bound(&mut self, b: &'ast syn::TraitBound) {
        if !self.in_body {
            self.syntax.signature_traits.push(path_span(&b.path));
        }
        visit::visit_trait_bound(self, b);
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        for attr in &f.attrs {
            self.visit_attribute(attr);
        }
        self.function(&f.sig, Some(&f.block));
    }

    fn visit_impl_item(&mut self, i: &'ast syn::ImplItem) {
        let attrs: &[Attribute] = match i {
            syn::ImplItem::Const(c) => &c.attrs,
            syn::ImplItem::Fn(f) => &f.attrs,
            syn::ImplItem::Type(t) => &t.attrs,
            syn::ImplItem::Macro(m) => &m.attrs,
            _ => &[],
        };
        self.region(attrs, || i.extent());
        match i {
            syn::ImplItem::Fn(f) => {
                for attr in &f.attrs {
                    self.visit_attribute(attr);
                }
                self.function(&f.sig, Some(&f.block));
            }
            other => visit::visit_impl_item(self, other),
        }
    }

    fn visit_trait_item(&mut self, i: &'ast syn::TraitItem) {
        let attrs: &[Attribute] = match i {
            syn::TraitItem::Const(c) => &c.attrs,
            syn::TraitItem::Fn(f) => &f.attrs,
            syn::TraitItem::Type(t) => &t.attrs,
            syn::TraitItem::Macro(m) => &m.attrs,
            _ => &[],
        };
        self.region(attrs, || i.extent());
        match i {
            syn::TraitItem::Fn(f) => {
                for attr in &f.attrs {
                    self.visit_attribute(attr);
                }
                self.function(&f.sig, f.default.as_ref());
            }
            other => visit::visit_trait_item(self, other),
        }
    }

    fn visit_block(&mut self, b: &'ast syn::Block) {
        let in_body = std::mem::replace(&mut self.in_body, true);
        self.block(b);
        self.in_body = in_body;
    }

    fn visit_expr_closure(&mut self, e: &'ast syn::ExprClosure) {
        for attr in &e.attrs {
            self.visit_attribute(attr);
        }
        let mut first = self.closure_element.take();
        self.returns.push(None);
        self.opaque_returns.push(None);
        self.scoped(|c| {
            for input in &e.inputs {
                c.bind(input, first.take());
            }
            c.visit_return_type(&e.output);
            c.visit_expr(&e.body);
        });
        self.returns.pop();
        self.opaque_returns.pop();
    }

    fn visit_expr_async(&mut self, e: &'ast syn::ExprAsync) {
        self.returns.push(None);
        self.opaque_returns.push(None);
        visit::visit_expr_async(self, e);
        self.returns.pop();
        self.opaque_returns.pop();
    }

    fn visit_expr_try_block(&mut self, e: &'ast syn::ExprTryBlock) {
        self.returns.push(None);
        self.opaque_returns.push(None);
        visit::visit_expr_try_block(self, e);
        self.returns.pop();
        self.opaque_returns.pop();
    }

    fn visit_expr_return(&mut self, e: &'ast syn::ExprReturn) {
        if let Some(value) = &e.expr {
            self.returned(value);
        }
        visit::visit_expr_return(self, e);
    }

    fn visit_expr_try(&mut self, e: &'ast syn::ExprTry) {
        self.question_mark(e);
        visit::visit_expr_try(self, e);
    }

    fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
        // A constant's name binds a new variable in the builds that lack it.
        self.bind_name(unraw(&p.ident), None);
        if !names_a_constant(p) {
            visit::visit_pat_ident(self, p);
        }
    }

    fn visit_pat(&mut self, p: &'ast syn::Pat) {
        match p {
            syn::Pat::Path(e) => {
                if !self.qualified(e.qself.as_ref(), &e.path) {
                    self.path_ref(&e.path, ns::VALUE);
                }
            }
            syn::Pat::TupleStruct(t) => {
                if !self.qualified(t.qself.as_ref(), &t.path) {
                    self.path_ref(&t.path, ns::VALUE);
                }
                for elem in &t.elems {
                    self.visit_pat(elem);
                }
            }
            syn::Pat::Struct(st) => {
                if !self.qualified(st.qself.as_ref(), &st.path) {
                    self.path_ref(&st.path, ns::TYPE);
                }
                self.field_names(&st.path, st.fields.iter().map(|f| &f.member));
                for field in &st.fields {
                    self.visit_pat(&field.pat);
                }
            }
            other => visit::visit_pat(self, other),
        }
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        let gate = self.region(&l.attrs, || l.span().bytes());
        for attr in &l.attrs {
            self.visit_attribute(attr);
        }
        // The binding exists only after its statement: `let seats = seats();`
        // calls the item `seats`.
        let hint = l.init.as_ref().and_then(|i| self.hint_of(&i.expr));
        let annotation = match &l.pat {
            syn::Pat::Type(t) => ty_path(&t.ty),
            _ => None,
        };
        if let Some(init) = &l.init {
            if matches!(&*init.expr, Expr::Try(_)) {
                self.annotated.clone_from(&annotation);
            }
            // `let s: Seat = make();`: the type a generic return takes.
            if let (Expr::Call(call), Some(ty)) = (&*init.expr, &annotation) {
                if let Expr::Path(p) = &*call.func {
                    let plain = p.path.segments.last().is_some_and(|s| s.arguments.is_none());
                    if let (true, None) = (plain, &p.qself) {
                        self.syntax.expected.push((path_span(&p.path), ty.clone()));
                    }
                }
            }
            // `let e: Error = x.into();`, `let r: Registry = it.collect();`
            if let Some(ty) = &annotation {
                self.assigned(ty, &init.expr, None);
            }
            self.visit_expr(&init.expr);
            self.annotated = None;
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
        }
        // A gated `let` binds only in the builds with its feature.
        self.binding_gate = gate;
        self.bind(&l.pat, hint);
        self.binding_gate = None;
    }

    fn visit_expr_match(&mut self, e: &'ast syn::ExprMatch) {
        for attr in &e.attrs {
            self.visit_attribute(attr);
        }
        self.visit_expr(&e.expr);
        let hint = self.hint_of(&e.expr);
        for arm in &e.arms {
            self.scrutinee.clone_from(&hint);
            self.visit_arm(arm);
        }
        self.scrutinee = None;
    }

    fn visit_arm(&mut self, a: &'ast syn::Arm) {
        self.region(&a.attrs, || a.span().bytes());
        for attr in &a.attrs {
            self.visit_attribute(attr);
        }
        let scrutinee = self.scrutinee.take();
        self.scoped(|c| {
            c.bind(&a.pat, scrutinee);
            c.visit_expr(&a.body);
        });
    }

    fn visit_expr_for_loop(&mut self, e: &'ast syn::ExprForLoop) {
        for attr in &e.attrs {
            self.visit_attribute(attr);
        }
        self.trait_use(&["IntoIterator", "Iterator"], &e.expr, || e.expr.span());
        self.visit_expr(&e.expr);
        let element = self.element_of(&e.expr);
        self.scoped(|c| {
            c.bind(&e.pat, element);
            c.visit_block(&e.body);
        });
    }

    fn visit_expr_if(&mut self, e: &'ast syn::ExprIf) {
        for attr in &e.attrs {
            self.visit_attribute(attr);
        }
        // `if let` bindings are in scope in the `then` block only.
        self.scoped(|c| {
            c.visit_expr(&e.cond);
            c.visit_block(&e.then_branch);
        });
        if let Some((_, other)) = &e.else_branch {
            self.visit_expr(other);
        }
    }

    fn visit_expr_while(&mut self, e: &'ast syn::ExprWhile) {
        for attr in &e.attrs {
            self.visit_attribute(attr);
        }
        self.scoped(|c| {
            c.visit_expr(&e.cond);
            c.visit_block(&e.body);
        });
    }

    fn visit_expr_let(&mut self, e: &'ast syn::ExprLet) {
        for attr in &e.attrs {
            self.visit_attribute(attr);
        }
        let hint = self.hint_of(&e.expr);
        self.visit_expr(&e.expr);
        self.bind(&e.pat, hint);
    }

    fn visit_expr_struct(&mut self, e: &'ast syn::ExprStruct) {
        for attr in &e.attrs {
            self.visit_attribute(attr);
        }
        if !self.qualified(e.qself.as_ref(), &e.path) {
            self.path_ref(&e.path, ns::TYPE);
        }
        self.field_names(&e.path, e.fields.iter().map(|f| &f.member));
        for field in &e.fields {
            self.visit_field_value(field);
        }
        // `..Default::default()`: the struct's own `Default`.
        if let Some(Expr::Call(call)) = e.rest.as_deref() {
            if let Expr::Path(p) = &*call.func {
                let names: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
                if p.qself.is_none() && names == ["Default", "default"] {
                    self.syntax.method_calls.push(MethodCall {
                        name: Name::const_new("default"),
                        span: p.path.span().bytes(),
                        module: self.path.clone(),
                        receiver: Some(Hint::Type(path_of(&e.path))),
                        self_ty: self.self_ty.last().cloned().flatten(),
                        field: false,
                    });
                }
            }
        }
        if let Some(rest) = &e.rest {
            self.visit_expr(rest);
        }
    }

    fn visit_field(&mut self, f: &'ast syn::Field) {
        with_attrs!(self, f, &f.attrs, visit::visit_field(self, f));
    }

    fn visit_variant(&mut self, v: &'ast syn::Variant) {
        with_attrs!(self, v, &v.attrs, visit::visit_variant(self, v));
    }

    fn visit_field_value(&mut self, f: &'ast syn::FieldValue) {
        self.region(&f.attrs, || f.span().bytes());
        for attr in &f.attrs {
            self.visit_attribute(attr);
        }
        // `Config { sso }`: the shorthand reads the variable or item `sso`.
        if f.colon_token.is_none() {
            if let syn::Member::Named(name) = &f.member {
                self.push_ref(vec![name.to_compact_string()], false, name.span().bytes(), ns::VALUE);
            }
        }
        self.visit_expr(&f.expr);
    }

    fn visit_stmt_macro(&mut self, m: &'ast syn::StmtMacro) {
        with_attrs!(self, m, &m.attrs, visit::visit_stmt_macro(self, m));
    }

    fn visit_expr(&mut self, e: &'ast Expr) {
        let attrs = expr_attrs(e);
        with_attrs!(self, e, attrs, visit::visit_expr(self, e));
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let Expr::Path(p) = &*call.func {
            if let (None, Some(last)) = (&p.qself, p.path.segments.last()) {
                let callee = path_span(&p.path);
                let turbofish = match &last.arguments {
                    syn::PathArguments::AngleBracketed(a) => a
                        .args
                        .iter()
                        .filter_map(|arg| match arg {
                            syn::GenericArgument::Type(t) => ty_path(t),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let (args, gated) = (call.args.len(), gated_args(&call.args));
                self.arguments(&callee, &call.args);
                self.converted(&p.path, &call.args);
                self.syntax.calls.push(Call { callee, args, gated, turbofish });
            }
        }
        visit::visit_expr_call(self, call);
    }

    fn visit_expr_binary(&mut self, e: &'ast syn::ExprBinary) {
        use syn::BinOp;
        let traits: &[&str] = match e.op {
            BinOp::Eq(_) | BinOp::Ne(_) => &["PartialEq"],
            BinOp::Lt(_) | BinOp::Le(_) | BinOp::Gt(_) | BinOp::Ge(_) => &["PartialOrd"],
            BinOp::Add(_) => &["Add"],
            BinOp::Sub(_) => &["Sub"],
            BinOp::Mul(_) => &["Mul"],
            BinOp::Div(_) => &["Div"],
            BinOp::Rem(_) => &["Rem"],
            BinOp::AddAssign(_) => &["AddAssign"],
            BinOp::SubAssign(_) => &["SubAssign"],
            _ => &[],
        };
        if !traits.is_empty() {
            self.trait_use(traits, &e.left, || e.span());
        }
        visit::visit_expr_binary(self, e);
    }

    fn visit_expr_index(&mut self, e: &'ast syn::ExprIndex) {
        self.trait_use(&["Index"], &e.expr, || e.span());
        visit::visit_expr_index(self, e);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let (callee, args, gated) = (call.method.span().bytes(), call.args.len() + 1, gated_args(&call.args));
        self.arguments(&callee, &call.args);
        self.syntax.calls.push(Call { callee, args, gated, turbofish: Vec::new() });
        self.defaulted(call);
        let receiver = self.hint_of(&call.receiver);
        self.syntax.method_calls.push(MethodCall {
            name: call.method.to_compact_string(),
            span: call.method.span().bytes(),
            module: self.path.clone(),
            receiver,
            self_ty: self.self_ty.last().cloned().flatten(),
            field: false,
        });
        for attr in &call.attrs {
            self.visit_attribute(attr);
        }
        self.visit_expr(&call.receiver);
        if let Some(turbofish) = &call.turbofish {
            self.visit_angle_bracketed_generic_arguments(turbofish);
        }
        // `v.sort_by_key(|t| t.priority)`, `v.iter().max()`: the key or
        // element needs `Ord`.
        let name = call.method.to_string();
        let ordered = match (name.as_str(), call.args.first()) {
            ("sort_by_key" | "sort_unstable_by_key" | "max_by_key" | "min_by_key", Some(key)) => {
                let element = self.element_of(&call.receiver);
                self.closure_value(key, element)
            }
            ("max" | "min", None) => self.element_of(&call.receiver).filter(|_| is_iteration(&call.receiver)),
            _ => None,
        };
        if let Some(receiver) = ordered {
            let (span, module) = (call.method.span().bytes(), self.path.clone());
            self.syntax.trait_uses.push(TraitUse { traits: vec![Name::const_new("Ord")], receiver, span, module });
        }
        // `it.cloned()`: the elements need `Clone` (`copied()`: `Copy`).
        let copy = match name.as_str() {
            "cloned" => Some("Clone"),
            "copied" => Some("Copy"),
            _ => None,
        };
        if let Some(need) = copy.filter(|_| call.args.is_empty() && is_iteration(&call.receiver)) {
            if let Some(receiver) = self.element_of(&call.receiver) {
                let (span, module) = (call.method.span().bytes(), self.path.clone());
                self.syntax.trait_uses.push(TraitUse { traits: vec![Name::from(need)], receiver, span, module });
            }
        }
        // `v.iter().map(|x| ..)`: the closure takes the elements;
        // `r.map_err(|e| ..)` the error.
        let element = if ELEMENT_CLOSURES.contains(&name.as_str()) {
            let element = self.element_of(&call.receiver);
            // `v.into_iter().map(T::from)`: each element converts into `T`.
            if let (true, Some(Expr::Path(f)), Some(from)) = (name == "map", call.args.first(), element.clone()) {
                if let Some(into) = from_fn(&f.path) {
                    self.conversion(into, false, from, f.path.span().bytes());
                }
            }
            element
        } else if name == "map_err" {
            let failed = self.hint_of(&call.receiver).map(|h| Hint::Failed(Box::new(h)));
            if let (Some(Expr::Path(f)), Some(from)) = (call.args.first(), failed.clone()) {
                if let Some(into) = from_fn(&f.path) {
                    self.conversion(into, false, from, f.path.span().bytes());
                }
            }
            failed
        } else {
            None
        };
        for arg in &call.args {
            self.closure_element = element.clone().filter(|_| matches!(arg, Expr::Closure(_)));
            self.visit_expr(arg);
            self.closure_element = None;
        }
    }

    fn visit_expr_field(&mut self, e: &'ast syn::ExprField) {
        let receiver = self.hint_of(&e.base);
        let (name, span) = match &e.member {
            syn::Member::Named(name) => (Some(name.to_compact_string()), name.span().bytes()),
            // A tuple field matters only on a known type (see `enterprise_import::tuple_field`).
            syn::Member::Unnamed(i) => (receiver.is_some().then(|| i.index.to_compact_string()), i.span.bytes()),
        };
        if let Some(name) = name {
            self.syntax.method_calls.push(MethodCall {
                name,
                span,
                module: self.path.clone(),
                receiver,
                self_ty: self.self_ty.last().cloned().flatten(),
                field: true,
            });
        }
        visit::visit_expr_field(self, e);
    }

    fn visit_attribute(&mut self, attr: &'ast Attribute) {
        if let Meta::NameValue(nv) = &attr.meta {
            if let Expr::Lit(l) = &nv.value {
                self.visit_lit(&l.lit);
            } else {
                // `#[doc = include_str!("..")]`.
                self.visit_expr(&nv.value);
            }
        }
        self.meta_paths(&attr.meta, &|| attr.span());
        // The attribute's own path (`#[acme_ee::audited]`); its arguments are
        // tokens, not paths, except for the cases above.
        if !is_builtin_attribute(attr.path()) {
            self.path_ref(attr.path(), ns::MACRO);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.path_ref(path, ns::ANY);
    }

    fn visit_expr_path(&mut self, e: &'ast syn::ExprPath) {
        for attr in &e.attrs {
            self.visit_attribute(attr);
        }
        if !self.qualified(e.qself.as_ref(), &e.path) {
            self.path_ref(&e.path, ns::VALUE);
        }
    }

    fn visit_type_path(&mut self, t: &'ast syn::TypePath) {
        if !self.qualified(t.qself.as_ref(), &t.path) {
            self.path_ref(&t.path, ns::TYPE);
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.path_ref(&mac.path, ns::MACRO);
        let name = mac.path.segments.last().map(|s| unraw(&s.ident)).unwrap_or_default();
        if matches!(name.as_str(), "include" | "include_str" | "include_bytes") && mac.path.segments.len() == 1 {
            if let Some((path, from_crate)) = include_target(&mac.tokens) {
                let span = mac.path.span().bytes().start..mac.delimiter.span().close().bytes().end;
                let code = name == "include";
                self.syntax.includes.push(Include { path, span, module: self.path.clone(), from_crate, code });
            }
            return;
        }
        if TEXT_MACROS.contains(&name.as_str()) {
            return;
        }
        if self.expression_macro(mac, &name) {
            return;
        }
        if !FORMAT_MACROS.contains(&name.as_str()) && name != "matches" {
            let args = mac.delimiter.span().join().bytes();
            let text = Some(mac.tokens.clone())
                .filter(|_| args.len() <= 2 * MAX_MACRO_TEXT)
                .map(|t| t.to_string())
                .filter(|t| t.len() <= MAX_MACRO_TEXT);
            self.syntax.macro_calls.push(MacroCall { path: mac.path.span().bytes(), args, text });
        }
        if FORMAT_MACROS.contains(&name.as_str()) {
            self.format_string(&mac.tokens);
            if DISPLAY_MACROS.contains(&name.as_str()) {
                self.displayed(mac, matches!(name.as_str(), "write" | "writeln"));
            }
            // The arguments are expressions (`name = value` names one).
            if let Ok(args) = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) {
                for arg in &args {
                    match arg {
                        Expr::Assign(a) if matches!(&*a.left, Expr::Path(p) if p.path.get_ident().is_some()) => {
                            self.visit_expr(&a.right);
                        }
                        other => self.visit_expr(other),
                    }
                }
                return;
            }
        }
        self.scan_tokens(mac.tokens.clone());
    }
}

/// Std macros whose arguments are plain expressions, and how many (`0`:
/// any number); past that, the arguments are a message to format.
const EXPRESSION_MACROS: &[(&str, usize)] = &[
    ("vec", 0),
    ("dbg", 0),
    ("assert", 1),
    ("debug_assert", 1),
    ("assert_eq", 2),
    ("assert_ne", 2),
    ("debug_assert_eq", 2),
    ("debug_assert_ne", 2),
];

impl Collector {
    /// `vec![a, b]`, `vec![x; n]`, `assert_eq!(a, b)`: the arguments are
    /// expressions, visited as code is. Returns whether it was one.
    fn expression_macro(&mut self, mac: &syn::Macro, name: &str) -> bool {
        let Some(&(_, most)) = EXPRESSION_MACROS.iter().find(|(m, _)| *m == name) else { return false };
        let args: Vec<Expr> = match mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) {
            Ok(args) => args.into_iter().collect(),
            // `vec![x; n]`
            Err(_) if name == "vec" => {
                let repeat = |input: syn::parse::ParseStream<'_>| -> syn::Result<Vec<Expr>> {
                    let value: Expr = input.parse()?;
                    input.parse::<Token![;]>()?;
                    Ok(vec![value, input.parse()?])
                };
                let Ok(args) = mac.parse_body_with(repeat) else { return false };
                args
            }
            Err(_) => return false,
        };
        if most != 0 && args.len() > most {
            return false;
        }
        if let ([left, _], true) = (args.as_slice(), name.contains("_eq") || name.contains("_ne")) {
            // rustc reports the comparison at the invocation.
            self.trait_use(&["PartialEq"], left, || mac.path.span());
        }
        for arg in &args {
            self.visit_expr(arg);
        }
        true
    }
}

/// Format macros whose first argument (after a writer) is the format string.
const DISPLAY_MACROS: &[&str] =
    &["format", "print", "println", "eprint", "eprintln", "write", "writeln", "panic", "format_args"];

/// What a `{..}` in a format string shows.
#[derive(Debug, PartialEq)]
enum Placeholder {
    /// `{}`: the next positional argument.
    Next(usize),
    /// `{0}`.
    Index(usize),
    /// `{name}`: a named argument or a captured variable.
    Name(String),
}

/// The placeholders of a format string, and the trait each shows its value
/// with: `Display` (no format trait in its spec), `Debug` (`?`), or
/// another (`None`).
fn placeholders(format: &str) -> Vec<(Placeholder, Option<&'static str>)> {
    let mut out = Vec::new();
    let mut next = 0;
    let mut rest = format;
    while let Some(open) = rest.find(['{', '}']) {
        let after = rest.get(open + 1..).unwrap_or("");
        if rest[open..].starts_with("{{") || rest[open..].starts_with("}}") || rest[open..].starts_with('}') {
            rest = after.get(usize::from(after.starts_with(['{', '}']))..).unwrap_or("");
            continue;
        }
        let Some(close) = after.find('}') else { break };
        let inner = &after[..close];
        let (arg, spec) = inner.split_once(':').unwrap_or((inner, ""));
        let arg = arg.trim();
        let placeholder = if arg.is_empty() {
            next += 1;
            Placeholder::Next(next - 1)
        } else if let Ok(i) = arg.parse() {
            Placeholder::Index(i)
        } else {
            Placeholder::Name(arg.to_owned())
        };
        let shown_with = if spec.ends_with('?') {
            Some("Debug")
        } else if spec.ends_with(['x', 'X', 'o', 'b', 'e', 'E', 'p']) {
            None
        } else {
            Some("Display")
        };
        out.push((placeholder, shown_with));
        rest = after.get(close + 1..).unwrap_or("");
    }
    out
}

/// `None`, `Team` (brought in by `use Plan::*`), `LIMIT`: a capitalised
/// plain name in a pattern names a variant or constant where one is in
/// scope, and binds a new variable where none is: never an error, so never
/// a reference, and not a variable either.
fn names_a_constant(p: &syn::PatIdent) -> bool {
    let plain = p.by_ref.is_none() && p.mutability.is_none() && p.subpat.is_none();
    plain && unraw(&p.ident).starts_with(|c: char| c.is_ascii_uppercase())
}

fn expr_attrs(e: &Expr) -> &[Attribute] {
    macro_rules! attrs_of {
        ($($v:ident),*) => {
            match e {
                $(Expr::$v(x) => &x.attrs,)*
                _ => &[],
            }
        };
    }
    attrs_of!(
        Array, Assign, Async, Await, Binary, Block, Break, Call, Cast, Closure, Const, Continue, Field, ForLoop, Group,
        If, Index, Infer, Let, Lit, Loop, Macro, Match, MethodCall, Paren, Path, Range, RawAddr, Reference, Repeat,
        Return, Struct, Try, TryBlock, Tuple, Unary, Unsafe, While, Yield
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax(text: &str) -> Syntax {
        let file = syn::parse_file(text).unwrap();
        let s = extract(&file);
        proc_macro2::extra::invalidate_current_thread_spans();
        s
    }

    fn refs(s: &Syntax, text: &str) -> Vec<String> {
        s.refs.iter().filter(|r| r.segments.len() > 1).map(|r| text[r.span.clone()].to_owned()).collect()
    }

    #[test]
    fn use_trees_flatten_to_leaves() {
        let text = "pub use a::{b::c as d, e::*, f::{self, g}};\nextern crate h as i;\n";
        let s = syntax(text);
        let leaves: Vec<(String, UseTarget, &str)> =
            s.root.uses.iter().map(|u| (u.path.join("::"), u.target.clone(), &text[u.span.clone()])).collect();
        assert_eq!(
            leaves,
            [
                ("a::b::c".to_owned(), UseTarget::Name("d".into()), "b::c"),
                ("a::e".to_owned(), UseTarget::Glob, "e::*"),
                ("a::f".to_owned(), UseTarget::Name("f".into()), "self"),
                ("a::f::g".to_owned(), UseTarget::Name("g".into()), "g"),
                ("h".to_owned(), UseTarget::Name("i".into()), "h"),
            ]
        );
        assert!(s.root.uses[0].vis.is_public() && s.root.uses[4].extern_crate);
    }

    #[test]
    fn visibilities_as_written() {
        let text = "pub fn a() {}\npub(crate) fn b() {}\npub(super) fn c() {}\npub(in crate::x) fn d() {}\npub(self) fn e() {}\nfn f() {}\nmacro_rules! g { () => {} }\n#[macro_export]\nmacro_rules! h { () => {} }\npub(crate) use x::y;\npub(super) mod m {}\n";
        let s = syntax(text);
        let vis: Vec<Visibility> = s.root.items.iter().map(|i| i.vis.clone()).collect();
        let path = |p: &[&str]| Visibility::Restricted(p.iter().map(|s| super::Name::from(*s)).collect());
        assert_eq!(
            vis,
            [
                Visibility::Public,
                Visibility::Crate,
                path(&["super"]),
                path(&["crate", "x"]),
                Visibility::Private,
                Visibility::Private,
                Visibility::Crate,
                Visibility::Public,
            ]
        );
        assert_eq!(s.root.uses[0].vis, Visibility::Crate);
        assert_eq!(s.root.mods[0].vis, path(&["super"]));
    }

    #[test]
    fn paths_everywhere_code_can_write_them() {
        let text = r#"
#[derive(ee::Derive)]
#[cfg_attr(unix, derive(ee::Unix), ee::attr)]
struct S<T: ee::Bound> where T: ee::Where { #[serde(with = "ee::ser")] f: ee::Ty }
impl ee::Trait for S<u8> { fn m(&self) -> <u8 as ee::Q>::Out { ee::call(); format!("{}", ee::X); ee::mac!() } }
fn g(x: &dyn ee::Dyn) -> impl ee::Impl { let ee_local = 1; match x { ee::Pat(..) => {} } }
"#;
        let s = syntax(text);
        assert_eq!(
            refs(&s, text),
            [
                "ee::Derive",
                "ee::Unix",
                "ee::attr",
                "ee::Bound",
                "ee::Where",
                "ee::ser",
                "ee::Ty",
                "ee::Trait",
                "ee::Q",
                "ee::call",
                "ee::X",
                "ee::mac",
                "ee::Dyn",
                "ee::Impl",
                "ee::Pat"
            ]
        );
    }

    #[test]
    fn strings_and_comments_are_not_paths() {
        let text = "// ee::Comment\nfn f() { let _ = \"ee::Str\"; println!(\"ee::Fmt {}\", 1); }\n";
        assert!(refs(&syntax(text), text).is_empty());
    }

    fn names(s: &Syntax) -> Vec<&str> {
        s.refs.iter().filter(|r| r.segments.len() == 1).map(|r| r.segments[0].as_str()).collect()
    }

    #[test]
    fn locals_are_never_references_and_only_where_they_are_bound() {
        let s = syntax(
            "fn f(login: u8) { login; other(); std::mem::drop(1); }\n\
             fn g(paid: bool) { let seats = if paid { seats() } else { 5 }; seats; }\n\
             fn h(x: Option<u8>) { match x { Some(n) => n, None => n() }; }\n",
        );
        let lower: Vec<&str> = names(&s).into_iter().filter(|n| !matches!(*n, "u8" | "bool" | "Option")).collect();
        assert_eq!(lower, ["other", "seats", "Some", "n"]);
    }

    #[test]
    fn macro_arguments_and_format_strings_name_things() {
        let text = "fn f() { format!(\"{} {DAYS} {{x}} {days:>4}\", seats()); assert!(LIMIT > 0); stringify!(hidden); \
                    let v = 1; println!(\"{v}\"); }";
        let s = syntax(text);
        assert_eq!(names(&s), ["format", "DAYS", "days", "seats", "assert", "LIMIT", "stringify", "println"]);
        let days = s.refs.iter().find(|r| r.segments == ["DAYS"]).unwrap();
        assert_eq!(&text[days.span.clone()], "DAYS");
    }

    #[test]
    fn format_placeholders_say_which_arguments_are_displayed() {
        use super::Placeholder::{Index, Name, Next};
        let got = placeholders("{{x}} {} {:?} {0:>4} {name} {:x} {}}}");
        assert_eq!(
            got,
            [
                (Next(0), Some("Display")),
                (Next(1), Some("Debug")),
                (Index(0), Some("Display")),
                (Name("name".into()), Some("Display")),
                (Next(2), None),
                (Next(3), Some("Display"))
            ]
        );
        let text = "fn f(p: &Plan, q: Plan) { println!(\"{} {:?} {q}\", p, p); for x in q {} let _ = p == p; }";
        let uses: Vec<(Vec<super::Name>, &str)> =
            syntax(text).trait_uses.iter().map(|u| (u.traits.clone(), &text[u.span.clone()])).collect();
        let names = |t: &[&str]| t.iter().map(|s| super::Name::from(*s)).collect::<Vec<_>>();
        assert!(uses.contains(&(names(&["Display"]), "p")), "{uses:?}");
        assert!(uses.contains(&(names(&["IntoIterator", "Iterator"]), "q")), "{uses:?}");
        assert!(uses.contains(&(names(&["PartialEq"]), "p == p")), "{uses:?}");
        assert_eq!(uses.iter().filter(|(t, _)| t == &names(&["Display"])).count(), 2, "{uses:?}");
        assert!(uses.contains(&(names(&["Debug"]), "p")), "{uses:?}");
    }

    #[test]
    fn cfg_regions_keep_their_predicates() {
        let text = "#[cfg_attr(feature = \"ee\", derive(X))] struct Z;\n#[cfg(all(feature = \"ee\", unix))] fn a() {}\n#[cfg(any(feature = \"ee\", feature = \"pro\"))] fn b() {}\nfn c() { #[cfg(feature = \"x\")] let _ = 1; }\n#[cfg(not(feature = \"ee\"))] fn d() {}\n\
                    #[cfg(not(not(feature = \"ee\")))] fn e() {}\n#[cfg(any(feature = \"ee\", test))] fn f() {}\n\
                    #[cfg(not(unix))] fn g() {}\n#[test] fn h() {}\n";
        let s = syntax(text);
        let feature = |f: &str| Cfg::Feature(f.to_owned());
        let cfgs: Vec<Cfg> = s.cfg_regions.iter().map(|(_, c)| c.clone()).collect();
        assert_eq!(
            cfgs,
            [
                feature("ee"),
                Cfg::All(vec![feature("ee"), Cfg::Other]),
                Cfg::Any(vec![feature("ee"), feature("pro")]),
                feature("x"),
                // A negation is kept (under another `not` it requires the
                // feature again); two cancel; one of a predicate that reads
                // no feature is such a predicate.
                Cfg::Not(Box::new(feature("ee"))),
                feature("ee"),
                Cfg::Any(vec![feature("ee"), Cfg::Test]),
                // `#[test]` functions exist only with `cfg(test)`.
                Cfg::Test,
            ]
        );
    }

    #[test]
    fn receivers_are_typed_where_written() {
        let text = "struct S; impl S { fn go(&self) { self.audit(); let r: Report = make(); r.export(); \
                    let c = Config::new(); c.sso; let p = Plan { x: 1 }; p.run(); } }";
        let s = syntax(text);
        let hints: Vec<(&str, Option<Hint>)> =
            s.method_calls.iter().map(|m| (m.name.as_str(), m.receiver.clone())).collect();
        let ty = |p: &str| Some(Hint::Type(TyPath::name(p)));
        let call = |p: &[&str]| {
            Some(Hint::Call(TyPath {
                segments: p.iter().map(|s| super::Name::from(*s)).collect(),
                global: false,
                ok: None,
                shared: false,
                arg: None,
                locked: false,
                object: false,
            }))
        };
        assert_eq!(
            hints,
            [
                ("audit", ty("S")),
                ("export", ty("Report")),
                ("sso", call(&["Config", "new"])),
                ("x", ty("Plan")),
                ("run", ty("Plan")),
            ]
        );
    }

    #[test]
    fn modules_and_includes() {
        let text = "#[path = \"x/y.rs\"] mod a;\npub mod b { mod c; fn inner() { q::r(); } }\ninclude!(\"gen.rs\");\n";
        let s = syntax(text);
        assert_eq!(s.root.mods[0].path_attr.as_deref(), Some("x/y.rs"));
        let b = s.root.mods[1].inline.as_ref().unwrap();
        assert_eq!(b.mods[0].name, "c");
        assert_eq!(s.refs.iter().find(|r| r.segments == ["q", "r"]).unwrap().module, [1]);
        assert_eq!(s.includes[0].path, "gen.rs");
    }
}
