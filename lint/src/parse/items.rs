//! What name resolution needs from one file, extracted while its syntax tree
//! is alive: the items each module defines, its `use` declarations, its
//! `mod` declarations, every path written in code (with its byte span), the
//! files it `include!`s, and the regions gated by `#[cfg(feature = ..)]`.
//!
//! Only plain data leaves this module, so the tree can be dropped as soon as
//! the file is done.

use std::collections::HashSet;
use std::ops::Range;

use super::attrs::AttrsOf;
use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, Expr, Lit, Meta, Token};

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
    pub methods: Vec<(String, Range<usize>)>,
    /// Method calls: name, span of the name, enclosing inline modules.
    pub method_calls: Vec<(String, Range<usize>, Vec<usize>)>,
    /// Code under `#[cfg(..)]` that requires features: span and the features.
    pub cfg_regions: Vec<(Range<usize>, Vec<String>)>,
    /// String literals that mention `corefence:`: text in them that looks
    /// like a suppression comment is not one.
    pub marker_strings: Vec<Range<usize>>,
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

/// A named item.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ItemDef {
    /// Its name.
    pub name: String,
    /// Its declared visibility.
    pub vis: Visibility,
    /// The name's span.
    pub span: Range<usize>,
    /// The whole item, attributes included.
    pub item_span: Range<usize>,
    /// `#[macro_export]`: also visible at the crate root.
    pub macro_export: bool,
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
    Restricted(Vec<String>),
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
                let path: Vec<String> = r.path.segments.iter().map(|s| s.ident.to_string()).collect();
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
    Name(String),
    /// `*`.
    Glob,
}

/// One leaf of a `use` tree, or an `extern crate`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UseDef {
    /// The full path (for a glob: the module's path).
    pub path: Vec<String>,
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
}

/// A `mod` declaration.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ModDecl {
    /// The module's name.
    pub name: String,
    /// `#[path = ".."]`.
    pub path_attr: Option<String>,
    /// The body of an inline module.
    pub inline: Option<ModuleBody>,
    /// Its declared visibility.
    pub vis: Visibility,
    /// `mod x` (attributes excluded), where findings point.
    pub span: Range<usize>,
    /// The whole item, attributes included.
    pub item_span: Range<usize>,
}

/// A path written in code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PathRef {
    /// Its segments.
    pub segments: Vec<String>,
    /// Written with a leading `::`.
    pub global: bool,
    /// From the first to the last segment.
    pub span: Range<usize>,
    /// The inline modules it sits in, as indices into each body's `mods`.
    pub module: Vec<usize>,
    /// A single name bound by a local pattern (a variable, not an item).
    pub local: bool,
}

/// An `include!("..")`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Include {
    /// The path as written.
    pub path: String,
    /// The invocation.
    pub span: Range<usize>,
    /// The inline modules it sits in.
    pub module: Vec<usize>,
}

/// Extracts everything from a parsed file.
pub fn extract(file: &syn::File) -> Syntax {
    let mut c = Collector {
        syntax: Syntax::default(),
        current: ModuleBody::default(),
        saved: Vec::new(),
        path: Vec::new(),
        locals: Vec::new(),
    };
    for attr in &file.attrs {
        c.visit_attribute(attr);
    }
    for item in &file.items {
        c.visit_item(item);
    }
    let mut syntax = c.syntax;
    syntax.root = c.current;
    keep_resolvable(&mut syntax);
    syntax
}

/// Keeps only the paths that can resolve to workspace code, so the index
/// stays small: a one-name path can only name an item or module of this
/// file, and std's crates and `Self` never name workspace code.
pub(super) fn keep_resolvable(syntax: &mut Syntax) {
    let mut local_names = std::collections::HashSet::new();
    collect_names(&syntax.root, &mut local_names);
    syntax.refs.retain(|r| match r.segments.as_slice() {
        [one] => !r.local && local_names.contains(one.as_str()),
        [first, ..] => !matches!(first.as_str(), "std" | "core" | "alloc" | "Self"),
        [] => false,
    });
}

fn collect_names<'a>(body: &'a ModuleBody, out: &mut HashSet<&'a str>) {
    out.extend(body.items.iter().map(|i| i.name.as_str()));
    for m in &body.mods {
        out.insert(m.name.as_str());
        if let Some(inner) = &m.inline {
            collect_names(inner, out);
        }
    }
}

/// The features a `#[cfg(..)]` predicate requires: `feature = "x"`, and every
/// required feature of `all(..)`; `any(..)` and `not(..)` require none.
pub fn required_features(meta: &Meta, out: &mut Vec<String>) {
    match meta {
        Meta::NameValue(nv) if nv.path.is_ident("feature") => {
            if let Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) = &nv.value {
                out.push(s.value());
            }
        }
        Meta::List(list) if list.path.is_ident("all") => {
            if let Ok(items) = list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) {
                for m in &items {
                    required_features(m, out);
                }
            }
        }
        _ => {}
    }
}

/// The features required by a node's `#[cfg(..)]` attributes.
fn cfg_features(attrs: &[Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("cfg")) {
        if let Ok(meta) = attr.parse_args::<Meta>() {
            required_features(&meta, &mut out);
        }
    }
    out
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

struct Collector {
    syntax: Syntax,
    /// The module body being filled.
    current: ModuleBody,
    /// The enclosing bodies, while inside inline modules.
    saved: Vec<ModuleBody>,
    /// Indices of the inline modules entered.
    path: Vec<usize>,
    /// Names bound by patterns in the enclosing function bodies.
    locals: Vec<HashSet<String>>,
}

impl Collector {
    fn body(&mut self) -> &mut ModuleBody {
        &mut self.current
    }

    /// Records a cfg-gated region. The span is computed only for gated
    /// nodes: syn computes a node's span from all of its tokens, so asking
    /// every expression for its span costs time quadratic in the nesting.
    fn region(&mut self, attrs: &[Attribute], span: impl FnOnce() -> proc_macro2::Span) {
        if attrs.is_empty() {
            return;
        }
        let features = cfg_features(attrs);
        if !features.is_empty() {
            self.syntax.cfg_regions.push((span().byte_range(), features));
        }
    }

    fn item(&mut self, name: &syn::Ident, vis: &syn::Visibility, whole: &syn::Item) {
        let item = ItemDef {
            name: name.to_string(),
            vis: vis.into(),
            span: name.span().byte_range(),
            item_span: whole.span().byte_range(),
            macro_export: false,
        };
        self.body().items.push(item);
    }

    fn push_ref(&mut self, segments: Vec<String>, global: bool, span: Range<usize>) {
        let local = segments.len() == 1
            && !global
            && segments.first().is_some_and(|s| self.locals.iter().any(|l| l.contains(s)));
        self.syntax.refs.push(PathRef { segments, global, span, module: self.path.clone(), local });
    }

    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>, start: Option<usize>, item: &syn::ItemUse) {
        let vis = Visibility::from(&item.vis);
        let global = item.leading_colon.is_some();
        let item_span = item.span().byte_range();
        let leaf = |c: &mut Collector, path: Vec<String>, target: UseTarget, end: usize, first: usize| {
            let span = start.unwrap_or(first)..end;
            c.body().uses.push(UseDef {
                path,
                global,
                target,
                vis: vis.clone(),
                extern_crate: false,
                span,
                item_span: item_span.clone(),
            });
        };
        match tree {
            syn::UseTree::Path(p) => {
                let begin = start.or(Some(p.ident.span().byte_range().start));
                prefix.push(p.ident.to_string());
                self.use_tree(&p.tree, prefix, begin, item);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let r = n.ident.span().byte_range();
                let mut path = prefix.clone();
                let name =
                    if n.ident == "self" { prefix.last().cloned().unwrap_or_default() } else { n.ident.to_string() };
                if n.ident != "self" {
                    path.push(n.ident.to_string());
                }
                leaf(self, path, UseTarget::Name(name), r.end, r.start);
            }
            syn::UseTree::Rename(n) => {
                let r = n.ident.span().byte_range();
                let mut path = prefix.clone();
                if n.ident != "self" {
                    path.push(n.ident.to_string());
                }
                leaf(self, path, UseTarget::Name(n.rename.to_string()), r.end, r.start);
            }
            syn::UseTree::Glob(g) => {
                let r = g.star_token.span().byte_range();
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

    /// Finds `a::b::c` sequences in a macro's tokens: the arguments of most
    /// macros are expressions, types or paths the compiler will resolve.
    fn scan_tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            if let Some(TokenTree::Group(g)) = trees.get(i) {
                if g.delimiter() != Delimiter::None || !g.stream().is_empty() {
                    self.scan_tokens(g.stream());
                }
                i += 1;
                continue;
            }
            if let Some(TokenTree::Literal(lit)) = trees.get(i) {
                self.string_literal(lit.span(), &lit.to_string());
            }
            let global = is_path_sep(&trees, i);
            let first = if global { i + 2 } else { i };
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
            if prev_blocks && !global {
                i = first + 1;
                continue;
            }
            let mut segments = vec![head.to_string()];
            let start = if global {
                trees.get(i).map_or(0, |t| t.span().byte_range().start)
            } else {
                head.span().byte_range().start
            };
            let mut end = head.span().byte_range().end;
            let mut j = first + 1;
            while is_path_sep(&trees, j) {
                let Some(TokenTree::Ident(next)) = trees.get(j + 2) else { break };
                segments.push(next.to_string());
                end = next.span().byte_range().end;
                j += 3;
            }
            if segments.len() >= 2 {
                self.push_ref(segments, global, start..end);
            }
            i = j;
        }
    }

    fn module(&mut self, m: &syn::ItemMod, item: &syn::Item) {
        for attr in &m.attrs {
            self.visit_attribute(attr);
        }
        let path_attr = m.attrs.iter().find(|a| a.path().is_ident("path")).and_then(str_value);
        let head = m.mod_token.span().byte_range().start..m.ident.span().byte_range().end;
        let mut decl = ModDecl {
            name: m.ident.to_string(),
            path_attr,
            inline: None,
            vis: (&m.vis).into(),
            span: head,
            item_span: item.span().byte_range(),
        };
        if let Some((_, items)) = &m.content {
            let index = self.body().mods.len();
            self.saved.push(std::mem::take(&mut self.current));
            self.path.push(index);
            for i in items {
                self.visit_item(i);
            }
            self.path.pop();
            let outer = self.saved.pop().unwrap_or_default();
            decl.inline = Some(std::mem::replace(&mut self.current, outer));
        }
        self.body().mods.push(decl);
    }

    fn string_literal(&mut self, span: proc_macro2::Span, text: &str) {
        if text.contains(crate::suppress::MARKER) {
            self.syntax.marker_strings.push(span.byte_range());
        }
    }

    /// `<T as a::Tr>::f`: the trait's path is what resolves; `f` is one of
    /// its associated items.
    fn qualified(&mut self, qself: Option<&syn::QSelf>, path: &syn::Path) -> bool {
        let Some(q) = qself else { return false };
        self.visit_type(&q.ty);
        let trait_segments: Vec<&syn::PathSegment> = path.segments.iter().take(q.position).collect();
        if let (Some(first), Some(last)) = (trait_segments.first(), trait_segments.last()) {
            let start = path
                .leading_colon
                .map_or_else(|| first.ident.span().byte_range().start, |c| c.span().byte_range().start);
            let segments = trait_segments.iter().map(|s| s.ident.to_string()).collect();
            self.push_ref(segments, path.leading_colon.is_some(), start..last.ident.span().byte_range().end);
        }
        for seg in &path.segments {
            self.visit_path_arguments(&seg.arguments);
        }
        true
    }

    /// Paths inside an attribute's arguments: derives, serde's path
    /// strings, and the attributes a `cfg_attr` applies (gated by its
    /// predicate like any cfg).
    fn meta_paths(&mut self, meta: &Meta, span: proc_macro2::Span) {
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
                let r = s.span().byte_range();
                // Inside the quotes.
                let span = (r.start + 1).min(r.end)..r.end.saturating_sub(1).max(r.start);
                let segments = path.segments.iter().map(|s| s.ident.to_string()).collect();
                self.push_ref(segments, path.leading_colon.is_some(), span);
            }
        } else if list.path.is_ident("cfg_attr") {
            let Ok(metas) = list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) else { return };
            let mut metas = metas.iter();
            let mut features = Vec::new();
            if let Some(predicate) = metas.next() {
                required_features(predicate, &mut features);
            }
            if !features.is_empty() {
                self.syntax.cfg_regions.push((span.byte_range(), features));
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

/// Attributes whose arguments are not paths (or are handled above).
fn is_builtin_attribute(path: &syn::Path) -> bool {
    matches!(
        path.get_ident().map(ToString::to_string).as_deref(),
        Some("derive" | "serde" | "cfg" | "cfg_attr" | "path" | "doc")
    )
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
        $self.region($attrs, || $node.span());
        $visit;
    }};
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        use syn::Item;
        let attrs = item.attrs();
        self.region(attrs, || item.span());
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
                    let exported = m.attrs.iter().any(|a| a.path().is_ident("macro_export"));
                    self.body().items.push(ItemDef {
                        name: name.to_string(),
                        // Not exported, a `macro_rules!` macro reaches no
                        // further than its crate (a `use` can re-export it there).
                        vis: if exported { Visibility::Public } else { Visibility::Crate },
                        span: name.span().byte_range(),
                        item_span: item.span().byte_range(),
                        macro_export: exported,
                    });
                    // A macro_rules! body is a pattern, not code: its paths
                    // resolve where the macro is used.
                    return;
                }
            }
            Item::ExternCrate(e) => {
                let name = e.ident.to_string();
                let alias = e.rename.as_ref().map_or_else(|| name.clone(), |(_, r)| r.to_string());
                let span = e.ident.span().byte_range();
                let decl = UseDef {
                    path: vec![name],
                    global: true,
                    target: UseTarget::Name(alias),
                    vis: (&e.vis).into(),
                    extern_crate: true,
                    span,
                    item_span: item.span().byte_range(),
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
                for it in &i.items {
                    if let syn::ImplItem::Fn(f) = it {
                        self.syntax.methods.push((f.sig.ident.to_string(), f.span().byte_range()));
                    }
                }
            }
            _ => {}
        }
        visit::visit_item(self, item);
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.locals.push(HashSet::new());
        visit::visit_item_fn(self, f);
        self.locals.pop();
    }

    fn visit_impl_item(&mut self, i: &'ast syn::ImplItem) {
        let attrs: &[Attribute] = match i {
            syn::ImplItem::Const(c) => &c.attrs,
            syn::ImplItem::Fn(f) => &f.attrs,
            syn::ImplItem::Type(t) => &t.attrs,
            syn::ImplItem::Macro(m) => &m.attrs,
            _ => &[],
        };
        self.region(attrs, || i.span());
        self.locals.push(HashSet::new());
        visit::visit_impl_item(self, i);
        self.locals.pop();
    }

    fn visit_trait_item(&mut self, i: &'ast syn::TraitItem) {
        let attrs: &[Attribute] = match i {
            syn::TraitItem::Const(c) => &c.attrs,
            syn::TraitItem::Fn(f) => &f.attrs,
            syn::TraitItem::Type(t) => &t.attrs,
            syn::TraitItem::Macro(m) => &m.attrs,
            _ => &[],
        };
        self.region(attrs, || i.span());
        self.locals.push(HashSet::new());
        visit::visit_trait_item(self, i);
        self.locals.pop();
    }

    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        self.locals.push(HashSet::new());
        visit::visit_expr_closure(self, c);
        self.locals.pop();
    }

    fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
        if let Some(top) = self.locals.last_mut() {
            top.insert(p.ident.to_string());
        }
        visit::visit_pat_ident(self, p);
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        with_attrs!(self, l, &l.attrs, visit::visit_local(self, l));
    }

    fn visit_arm(&mut self, a: &'ast syn::Arm) {
        with_attrs!(self, a, &a.attrs, visit::visit_arm(self, a));
    }

    fn visit_field(&mut self, f: &'ast syn::Field) {
        with_attrs!(self, f, &f.attrs, visit::visit_field(self, f));
    }

    fn visit_variant(&mut self, v: &'ast syn::Variant) {
        with_attrs!(self, v, &v.attrs, visit::visit_variant(self, v));
    }

    fn visit_field_value(&mut self, f: &'ast syn::FieldValue) {
        with_attrs!(self, f, &f.attrs, visit::visit_field_value(self, f));
    }

    fn visit_stmt_macro(&mut self, m: &'ast syn::StmtMacro) {
        with_attrs!(self, m, &m.attrs, visit::visit_stmt_macro(self, m));
    }

    fn visit_expr(&mut self, e: &'ast Expr) {
        let attrs = expr_attrs(e);
        with_attrs!(self, e, attrs, visit::visit_expr(self, e));
    }

    fn visit_lit(&mut self, lit: &'ast Lit) {
        let token = match lit {
            Lit::Str(l) => Some(l.token()),
            Lit::ByteStr(l) => Some(l.token()),
            Lit::CStr(l) => Some(l.token()),
            Lit::Verbatim(l) => Some(l.clone()),
            _ => None,
        };
        if let Some(token) = token {
            self.string_literal(lit.span(), &token.to_string());
        }
        visit::visit_lit(self, lit);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.syntax.method_calls.push((call.method.to_string(), call.method.span().byte_range(), self.path.clone()));
        visit::visit_expr_method_call(self, call);
    }

    fn visit_attribute(&mut self, attr: &'ast Attribute) {
        if let Meta::NameValue(nv) = &attr.meta {
            if let Expr::Lit(l) = &nv.value {
                self.visit_lit(&l.lit);
            }
        }
        self.meta_paths(&attr.meta, attr.span());
        // The attribute's own path (`#[acme_ee::audited]`); its arguments are
        // tokens, not paths, except for the cases above.
        if !is_builtin_attribute(attr.path()) {
            self.visit_path(attr.path());
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let start = path.leading_colon.map_or_else(
            || path.segments.first().map_or(0, |s| s.ident.span().byte_range().start),
            |c| c.span().byte_range().start,
        );
        let end = path.segments.last().map_or(start, |s| s.ident.span().byte_range().end);
        if !segments.is_empty() {
            self.push_ref(segments, path.leading_colon.is_some(), start..end);
        }
        visit::visit_path(self, path);
    }

    fn visit_expr_path(&mut self, e: &'ast syn::ExprPath) {
        for attr in &e.attrs {
            self.visit_attribute(attr);
        }
        if !self.qualified(e.qself.as_ref(), &e.path) {
            self.visit_path(&e.path);
        }
    }

    fn visit_type_path(&mut self, t: &'ast syn::TypePath) {
        if !self.qualified(t.qself.as_ref(), &t.path) {
            self.visit_path(&t.path);
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        if mac.path.is_ident("include") {
            if let Ok(lit) = mac.parse_body::<syn::LitStr>() {
                let span = mac.path.span().byte_range().start..mac.delimiter.span().close().byte_range().end;
                self.syntax.includes.push(Include { path: lit.value(), span, module: self.path.clone() });
            }
            return;
        }
        self.scan_tokens(mac.tokens.clone());
    }
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
        let path = |p: &[&str]| Visibility::Restricted(p.iter().map(|s| (*s).to_owned()).collect());
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

    #[test]
    fn only_names_of_this_file_are_kept_and_locals_never() {
        let s = syntax("fn login() {}\nfn other() {}\nfn f(login: u8) { login; other; unknown; std::mem::drop(1); }");
        let single: Vec<(&str, bool)> =
            s.refs.iter().filter(|r| r.segments.len() == 1).map(|r| (r.segments[0].as_str(), r.local)).collect();
        assert_eq!(single, [("other", false)]);
        assert!(s.refs.iter().all(|r| r.segments.len() == 1));
    }

    #[test]
    fn cfg_regions_require_features() {
        let text = "#[cfg_attr(feature = \"ee\", derive(X))] struct Z;\n#[cfg(all(feature = \"ee\", unix))] fn a() {}\n#[cfg(any(feature = \"ee\"))] fn b() {}\nfn c() { #[cfg(feature = \"x\")] let _ = 1; }\n";
        let s = syntax(text);
        let features: Vec<Vec<String>> = s.cfg_regions.iter().map(|(_, f)| f.clone()).collect();
        assert_eq!(features, [vec!["ee".to_owned()], vec!["ee".to_owned()], vec!["x".to_owned()]]);
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
