//! Byte ranges of spans and of whole syntax nodes, cheaply.
//!
//! proc-macro2 counts spans in characters and finds a byte offset by
//! walking the text from the nearest offset it has cached, and syn's
//! `Spanned::span` prints the whole node back into tokens to find its first
//! and last one: for a function, its whole body, once per call. Extraction
//! asks for thousands of ranges per file, so both are done here the short
//! way: a span's line and column through a per-file line table, and a
//! node's extent from the tokens that open and close it.

use std::cell::RefCell;
use std::ops::Range;

use proc_macro2::Span;
use syn::spanned::Spanned;

thread_local! {
    /// The text being extracted on this thread, set by [`within`].
    static LINES: RefCell<Option<Lines>> = const { RefCell::new(None) };
}

/// Where each line of a text starts, to turn a line and column into a byte
/// offset.
struct Lines {
    starts: Vec<usize>,
    len: usize,
    /// The text, where a column is not a byte count everywhere: `None`
    /// for ASCII text (most source files).
    text: Option<Box<str>>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)).collect();
        Lines { starts, len: text.len(), text: (!text.is_ascii()).then(|| text.into()) }
    }

    /// The byte offset of proc-macro2's line (1-based) and column (0-based, in chars).
    fn offset(&self, at: proc_macro2::LineColumn) -> usize {
        let Some(&start) = at.line.checked_sub(1).and_then(|l| self.starts.get(l)) else { return 0 };
        let Some(text) = &self.text else {
            return (start + at.column).min(self.len);
        };
        let rest = text.get(start..).unwrap_or_default();
        match rest.get(..at.column) {
            Some(prefix) if prefix.is_ascii() => start + at.column,
            _ => start + rest.char_indices().nth(at.column).map_or(rest.len(), |(i, _)| i),
        }
    }
}

/// Runs `extract` with `text` as the text whose spans [`Bytes::bytes`]
/// converts on this thread. `text` must be exactly what was parsed.
pub fn within<R>(text: &str, extract: impl FnOnce() -> R) -> R {
    /// Clears the table however `extract` ends.
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            LINES.with(|l| l.borrow_mut().take());
        }
    }
    LINES.with(|l| *l.borrow_mut() = Some(Lines::new(text)));
    let _reset = Reset;
    extract()
}

/// The byte range a span covers.
pub trait Bytes {
    /// Byte offsets into the text being extracted (see [`within`]); outside
    /// [`within`], proc-macro2's own conversion.
    fn bytes(&self) -> Range<usize>;
}

impl Bytes for Span {
    fn bytes(&self) -> Range<usize> {
        LINES.with(|l| match &*l.borrow() {
            Some(lines) => lines.offset(self.start())..lines.offset(self.end()),
            None => self.byte_range(),
        })
    }
}

/// The byte range from the start of `first` to the end of `last`.
fn between(first: Span, last: Span) -> Range<usize> {
    first.bytes().start..last.bytes().end
}

/// The range between an item's first and last tokens; what syn says when
/// the first is not known.
fn from_ends((first, last): (Option<Span>, Span), node: &impl Spanned) -> Range<usize> {
    first.map_or_else(|| node.span().byte_range(), |first| between(first, last))
}

/// The span an item starts at: its first outer attribute, else the first
/// of `leading` that is written.
fn opening(attrs: &[syn::Attribute], leading: &[Option<Span>]) -> Option<Span> {
    let attr = attrs.iter().find(|a| matches!(a.style, syn::AttrStyle::Outer)).map(|a| a.pound_token.spans[0]);
    attr.or_else(|| leading.iter().flatten().next().copied())
}

fn vis(v: &syn::Visibility) -> Option<Span> {
    match v {
        syn::Visibility::Public(p) => Some(p.span),
        syn::Visibility::Restricted(r) => Some(r.pub_token.span),
        syn::Visibility::Inherited => None,
    }
}

/// The first token of a signature, which is always written.
fn signature(sig: &syn::Signature) -> Span {
    let safety = match &sig.safety {
        syn::Safety::Safe(t) => Some(t.span),
        syn::Safety::Unsafe(t) => Some(t.span),
        syn::Safety::Default => None,
    };
    [
        sig.constness.map(|t| t.span),
        sig.asyncness.map(|t| t.span),
        safety,
        sig.abi.as_ref().map(|a| a.extern_token.span),
    ]
    .into_iter()
    .flatten()
    .next()
    .unwrap_or(sig.fn_token.span)
}

fn path_start(path: &syn::Path) -> Option<Span> {
    path.leading_colon.map(|c| c.spans[0]).or_else(|| path.segments.first().map(|s| s.ident.span()))
}

fn macro_end(mac: &syn::Macro, semi: Option<syn::Token![;]>) -> Span {
    semi.map_or_else(|| mac.delimiter.span().close(), |s| s.spans[0])
}

/// The byte range of a node as `Spanned::span` gives it, without printing it.
pub trait Extent {
    /// From the first token of the node to the end of its last.
    fn extent(&self) -> Range<usize>;
}

impl Extent for syn::Item {
    fn extent(&self) -> Range<usize> {
        use syn::Item;
        let ends = match self {
            Item::Const(i) if i.modifiers.defaultness.is_none() => {
                (opening(&i.attrs, &[vis(&i.vis), Some(i.const_token.span)]), i.semi_token.spans[0])
            }
            Item::Enum(i) => (opening(&i.attrs, &[vis(&i.vis), Some(i.enum_token.span)]), i.brace_token.span.close()),
            Item::ExternCrate(i) => {
                (opening(&i.attrs, &[vis(&i.vis), Some(i.extern_token.span)]), i.semi_token.spans[0])
            }
            Item::Fn(i) => {
                (opening(&i.attrs, &[vis(&i.vis), Some(signature(&i.sig))]), i.block.brace_token.span.close())
            }
            Item::ForeignMod(i) => (
                opening(&i.attrs, &[i.unsafety.map(|t| t.span), Some(i.abi.extern_token.span)]),
                i.brace_token.span.close(),
            ),
            Item::Impl(i) if i.modifiers.defaultness.is_none() => {
                (opening(&i.attrs, &[i.unsafety.map(|t| t.span), Some(i.impl_token.span)]), i.brace_token.span.close())
            }
            Item::Macro(i) => (opening(&i.attrs, &[path_start(&i.mac.path)]), macro_end(&i.mac, i.semi_token)),
            Item::Mod(i) => {
                let end = match (&i.content, i.semi) {
                    (Some((brace, _)), _) => brace.span.close(),
                    (None, Some(semi)) => semi.spans[0],
                    (None, None) => return self.span().byte_range(),
                };
                (opening(&i.attrs, &[vis(&i.vis), i.unsafety.map(|t| t.span), Some(i.mod_token.span)]), end)
            }
            Item::Static(i) => (opening(&i.attrs, &[vis(&i.vis), Some(i.static_token.span)]), i.semi_token.spans[0]),
            Item::Struct(i) => {
                let end = match (&i.fields, i.semi_token) {
                    (_, Some(semi)) => semi.spans[0],
                    (syn::Fields::Named(f), None) => f.brace_token.span.close(),
                    _ => return self.span().byte_range(),
                };
                (opening(&i.attrs, &[vis(&i.vis), Some(i.struct_token.span)]), end)
            }
            Item::Trait(i) if i.modifiers.auto_token.is_none() => (
                opening(&i.attrs, &[vis(&i.vis), i.unsafety.map(|t| t.span), Some(i.trait_token.span)]),
                i.brace_token.span.close(),
            ),
            Item::TraitAlias(i) => (opening(&i.attrs, &[vis(&i.vis), Some(i.trait_token.span)]), i.semi_token.spans[0]),
            Item::Type(i) => (opening(&i.attrs, &[vis(&i.vis), Some(i.type_token.span)]), i.semi_token.spans[0]),
            Item::Union(i) => {
                (opening(&i.attrs, &[vis(&i.vis), Some(i.union_token.span)]), i.fields.brace_token.span.close())
            }
            Item::Use(i) => (opening(&i.attrs, &[vis(&i.vis), Some(i.use_token.span)]), i.semi_token.spans[0]),
            _ => return self.span().byte_range(),
        };
        from_ends(ends, self)
    }
}

impl Extent for syn::ItemUse {
    fn extent(&self) -> Range<usize> {
        let first = opening(&self.attrs, &[vis(&self.vis), Some(self.use_token.span)]).unwrap_or(self.use_token.span);
        between(first, self.semi_token.spans[0])
    }
}

impl Extent for syn::ImplItem {
    fn extent(&self) -> Range<usize> {
        use syn::ImplItem;
        let ends = match self {
            ImplItem::Const(i) if i.modifiers.defaultness.is_none() => {
                (opening(&i.attrs, &[vis(&i.vis), Some(i.const_token.span)]), i.semi_token.spans[0])
            }
            ImplItem::Fn(i) if i.modifiers.defaultness.is_none() => {
                (opening(&i.attrs, &[vis(&i.vis), Some(signature(&i.sig))]), i.block.brace_token.span.close())
            }
            ImplItem::Type(i) if i.modifiers.defaultness.is_none() => {
                (opening(&i.attrs, &[vis(&i.vis), Some(i.type_token.span)]), i.semi_token.spans[0])
            }
            ImplItem::Macro(i) => (opening(&i.attrs, &[path_start(&i.mac.path)]), macro_end(&i.mac, i.semi_token)),
            _ => return self.span().byte_range(),
        };
        from_ends(ends, self)
    }
}

impl Extent for syn::ImplItemFn {
    fn extent(&self) -> Range<usize> {
        if self.modifiers.defaultness.is_some() {
            return self.span().byte_range();
        }
        let first = opening(&self.attrs, &[vis(&self.vis)]).unwrap_or_else(|| signature(&self.sig));
        between(first, self.block.brace_token.span.close())
    }
}

impl Extent for syn::TraitItem {
    fn extent(&self) -> Range<usize> {
        use syn::TraitItem;
        let ends = match self {
            TraitItem::Const(i) if i.modifiers.defaultness.is_none() => {
                (opening(&i.attrs, &[Some(i.const_token.span)]), i.semi_token.spans[0])
            }
            TraitItem::Fn(i) if i.modifiers.defaultness.is_none() => {
                let end = match (&i.default, i.semi_token) {
                    (Some(block), _) => block.brace_token.span.close(),
                    (None, Some(semi)) => semi.spans[0],
                    (None, None) => return self.span().byte_range(),
                };
                (opening(&i.attrs, &[Some(signature(&i.sig))]), end)
            }
            TraitItem::Type(i) if i.modifiers.defaultness.is_none() => {
                (opening(&i.attrs, &[Some(i.type_token.span)]), i.semi_token.spans[0])
            }
            TraitItem::Macro(i) => (opening(&i.attrs, &[path_start(&i.mac.path)]), macro_end(&i.mac, i.semi_token)),
            _ => return self.span().byte_range(),
        };
        from_ends(ends, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::visit::Visit;

    /// Every item, impl item and trait item of a file, with its extent
    /// both ways.
    #[derive(Default)]
    struct Compare(Vec<(String, Range<usize>, Range<usize>)>);

    impl Compare {
        fn add(&mut self, node: &(impl Extent + Spanned + quote::ToTokens)) {
            let what = node.to_token_stream().to_string().chars().take(60).collect();
            self.0.push((what, node.extent(), node.span().byte_range()));
        }
    }

    impl Visit<'_> for Compare {
        fn visit_item(&mut self, i: &syn::Item) {
            self.add(i);
            if let syn::Item::Use(u) = i {
                self.0.push((String::from("use"), u.extent(), u.span().byte_range()));
            }
            syn::visit::visit_item(self, i);
        }
        fn visit_impl_item(&mut self, i: &syn::ImplItem) {
            self.add(i);
            if let syn::ImplItem::Fn(f) = i {
                self.0.push((String::from("fn"), f.extent(), f.span().byte_range()));
            }
            syn::visit::visit_impl_item(self, i);
        }
        fn visit_trait_item(&mut self, i: &syn::TraitItem) {
            self.add(i);
            syn::visit::visit_trait_item(self, i);
        }
    }

    /// Every kind of item, with and without attributes, visibility and
    /// qualifiers, and non-ASCII text before and inside them.
    const ITEMS: &str = r#"//! Ünïcode in the file's doc: «»
#![allow(dead_code)]
/// A doc comment, then an attribute.
#[derive(Debug)]
pub(crate) struct Named { a: u8, /* é */ b: String }
struct Tuple(u8, u16);
pub struct Unit;
enum E { A, B(u8), C { x: u8 } }
union U { a: u8, b: u16 }
const C: &str = "ñ";
pub static S: u8 = 1;
type T = Vec<u8>;
use std::{collections::HashMap, fmt::{self, Display}};
pub use std::io as sio;
extern crate alloc;
extern crate std as other;
mod inline { #![allow(unused)] pub fn f() {} }
#[cfg(test)] mod file;
pub const fn cf() -> u8 { 1 }
async fn af() {}
pub(super) unsafe fn uf() {}
extern "C" fn ef() {}
unsafe extern "C" { fn c_fn(); }
macro_rules! m { () => { "ü" }; }
m!();
::std::println! { "x" }
trait Tr: Display { const K: u8; type A; fn f(&self) -> u8; fn g(&self) { } m!(); }
pub unsafe trait UnsafeTr {}
impl<T> Tr for Vec<T> where T: Display {
    const K: u8 = 1;
    type A = u8;
    /// Doc.
    #[inline]
    pub(crate) fn f(&self) -> u8 { let s = "é"; s.len() as u8 }
    async unsafe fn h() {}
    m!();
}
unsafe impl UnsafeTr for u8 {}
impl Unit { fn new() -> Self { Unit } }
fn body() { struct Inner; impl Inner { fn x(&self) {} } }
"#;

    #[test]
    fn extents_equal_what_syn_spans_say() {
        let file = syn::parse_file(ITEMS).unwrap();
        let mut fast = Compare::default();
        // Outside `within`: both conversions are proc-macro2's.
        fast.visit_file(&file);
        let mut within_table = Compare::default();
        within(ITEMS, || within_table.visit_file(&file));
        assert!(fast.0.len() > 40, "{}", fast.0.len());
        for (what, fast, slow) in fast.0.iter().chain(&within_table.0) {
            assert_eq!(fast, slow, "{what}: {:?} vs {:?}", &ITEMS[fast.clone()], &ITEMS[slow.clone()]);
        }
    }

    /// Every token's spans, groups' delimiters included.
    fn spans(stream: proc_macro2::TokenStream, out: &mut Vec<Span>) {
        for tree in stream {
            match tree {
                proc_macro2::TokenTree::Group(g) => {
                    out.extend([g.span_open(), g.span_close(), g.span()]);
                    spans(g.stream(), out);
                }
                other => out.push(other.span()),
            }
        }
    }

    #[test]
    fn spans_convert_to_the_same_bytes_as_proc_macro2() {
        // With characters of several bytes, and all ASCII (columns are bytes).
        let ascii: String = ITEMS.chars().map(|c| if c.is_ascii() { c } else { '?' }).collect();
        for text in [ITEMS, &ascii] {
            let file = syn::parse_file(text).unwrap();
            let mut tokens = Vec::new();
            spans(quote::ToTokens::to_token_stream(&file), &mut tokens);
            let slow: Vec<_> = tokens.iter().map(Span::byte_range).collect();
            let fast: Vec<_> = within(text, || tokens.iter().map(Bytes::bytes).collect());
            assert_eq!(fast, slow);
        }
    }
}
