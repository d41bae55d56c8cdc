//! Finding items tagged with the `#[edition(..)]` attribute, in every form the
//! macro can be written: `#[edition(..)]`, `#[corefence_macros::edition(..)]`,
//! a renamed import (`use corefence_macros::edition as tier;` then
//! `#[tier(..)]`) and `#[cfg_attr(pred, edition(..))]`.
//!
//! The arguments are parsed by the very grammar the macro uses
//! (`macros/src/args.rs`, compiled into both crates), so the linter accepts
//! and rejects exactly what the compiler does.

use std::ops::Range;

use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Attribute, Meta, Token};

use super::attrs::AttrsOf;
use super::extent::Bytes;

// A copy of `macros/src/args.rs`, so that each crate packages and builds
// on its own; a test keeps the two byte-identical.
#[allow(dead_code, clippy::pedantic, missing_docs)]
mod edition_args;

/// The attribute's own name.
const ATTRIBUTE: &str = "edition";

/// One `#[edition(..)]` on an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionTag {
    /// The parsed arguments, or why they are malformed.
    pub args: Result<TagArgs, TagError>,
    /// The attribute, `#[` to `]`.
    pub attr_span: Range<usize>,
    /// The whole item, attributes included.
    pub item_span: Range<usize>,
    /// The item's name, where it has one (for messages).
    pub item_name: Option<String>,
    /// Written inside `cfg_attr`: the tag applies only in some builds.
    pub conditional: bool,
}

/// Well-formed arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagArgs {
    /// The edition named (raw identifiers unraw'd).
    pub edition: String,
    /// Span of the name.
    pub name_span: Range<usize>,
    /// `feature = ".."`, if given.
    pub feature: Option<String>,
}

/// Malformed arguments, as the macro would report them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagError {
    /// The macro's message.
    pub message: String,
    /// Where.
    pub span: Range<usize>,
}

/// Whether `text` may hold a tag: every form of it writes the word
/// `edition` somewhere in the file (in the attribute, or in the `use` that
/// renames it).
pub fn may_hold(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), ATTRIBUTE.as_bytes()).is_some()
}

/// Every tag in `file`, parsed from `text`, in source order; a file that
/// cannot hold one ([`may_hold`]) is not visited.
pub fn find(text: &str, file: &syn::File) -> Vec<EditionTag> {
    if !may_hold(text) {
        return Vec::new();
    }
    let mut names = vec![ATTRIBUTE.to_owned()];
    let mut aliases = AliasFinder { names: &mut names };
    aliases.visit_file(file);
    let mut finder = TagFinder { names: &names, tags: Vec::new() };
    finder.visit_file(file);
    finder.tags.sort_by_key(|t| (t.item_span.start, t.attr_span.start));
    finder.tags
}

/// Collects `use corefence_macros::edition as NAME;` renames anywhere in the file.
struct AliasFinder<'a> {
    names: &'a mut Vec<String>,
}

impl<'ast> Visit<'ast> for AliasFinder<'_> {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        collect_aliases(&item.tree, false, self.names);
    }
}

/// `edition` renamed at the end of a path: the attribute itself, or a
/// re-export of it (`pub use corefence_macros::edition;` in a tags crate or
/// module). Only an attribute macro can be written `#[tier(..)]`, so no
/// other item called `edition` is taken for it where it matters.
fn collect_aliases(tree: &syn::UseTree, in_path: bool, names: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(p) => collect_aliases(&p.tree, true, names),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| collect_aliases(t, in_path, names)),
        syn::UseTree::Rename(r) if in_path && r.ident.unraw() == ATTRIBUTE => {
            names.push(r.rename.unraw().to_string());
        }
        _ => {}
    }
}

/// The tags one attribute carries: the attribute's span, the arguments,
/// and whether it is conditional (inside `cfg_attr`).
pub(super) fn in_attribute(
    attr: &Attribute,
    names: &[String],
) -> Vec<(proc_macro2::Span, Result<TagArgs, TagError>, bool)> {
    // `#[r#edition(..)]` is `#[edition(..)]`. Through another path than
    // `corefence_macros::edition` (a re-export: `tags::edition`), only
    // well-formed arguments make it the tag: another crate's `edition`
    // attribute is not ours.
    let tag = |meta: &Meta| {
        let segments: Vec<String> = meta.path().segments.iter().map(|s| s.ident.unraw().to_string()).collect();
        match segments.as_slice() {
            [one] if names.contains(one) => Some(read_args(meta)),
            [krate, attr] if krate == "corefence_macros" && attr == ATTRIBUTE => Some(read_args(meta)),
            [_, .., attr] if attr == ATTRIBUTE => read_args(meta).ok().map(Ok),
            _ => None,
        }
    };
    let mut out = Vec::new();
    if let Some(args) = tag(&attr.meta) {
        out.push((attr.span(), args, false));
    } else if attr.path().is_ident("cfg_attr") {
        // cfg_attr(pred, attr1, attr2, ..): the predicate comes first.
        if let Ok(list) = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) {
            out.extend(list.iter().skip(1).filter_map(tag).map(|args| (attr.span(), args, true)));
        }
    }
    out
}

/// The names the attribute goes by in a file: `edition`, and every
/// `use corefence_macros::edition as NAME;`.
pub(super) fn attribute_names(aliases: impl IntoIterator<Item = String>) -> Vec<String> {
    std::iter::once(ATTRIBUTE.to_owned()).chain(aliases).collect()
}

struct TagFinder<'n> {
    names: &'n [String],
    tags: Vec<EditionTag>,
}

impl TagFinder<'_> {
    fn attributes(&mut self, attrs: &[Attribute], item: &dyn ItemInfo) {
        for attr in attrs {
            for (span, args, conditional) in in_attribute(attr, self.names) {
                self.push(span, args, item, conditional);
            }
        }
    }

    fn push(
        &mut self,
        attr: proc_macro2::Span,
        args: Result<TagArgs, TagError>,
        item: &dyn ItemInfo,
        conditional: bool,
    ) {
        self.tags.push(EditionTag {
            args,
            attr_span: attr.bytes(),
            item_span: item.span().bytes(),
            item_name: item.name(),
            conditional,
        });
    }
}

fn read_args(meta: &Meta) -> Result<TagArgs, TagError> {
    let error = |e: syn::Error| TagError { message: e.to_string(), span: e.span().bytes() };
    match meta {
        Meta::List(list) if !list.tokens.is_empty() => {
            let args = edition_args::parse_args(list.tokens.clone()).map_err(error)?;
            Ok(TagArgs {
                edition: args.name(),
                name_span: args.edition.span().bytes(),
                feature: args.feature.map(|f| f.value()),
            })
        }
        // `#[edition]`, `#[edition()]`, `#[edition = ".."]`: the macro reports these on the attribute.
        _ => Err(error(syn::Error::new_spanned(meta, format!("expected an edition name: {}", edition_args::USAGE)))),
    }
}

/// The span and name of anything that can carry the attribute.
trait ItemInfo {
    fn span(&self) -> proc_macro2::Span;
    fn name(&self) -> Option<String>;
}

macro_rules! item_info {
    ($($ty:ty => |$i:ident| $name:expr;)*) => {$(
        impl ItemInfo for $ty {
            fn span(&self) -> proc_macro2::Span {
                Spanned::span(self)
            }
            fn name(&self) -> Option<String> {
                let $i = self;
                $name
            }
        }
    )*};
}

item_info! {
    syn::Item => |i| item_name(i);
    syn::ImplItem => |i| match i {
        syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
        syn::ImplItem::Const(c) => Some(c.ident.to_string()),
        syn::ImplItem::Type(t) => Some(t.ident.to_string()),
        _ => None,
    };
    syn::TraitItem => |i| match i {
        syn::TraitItem::Fn(f) => Some(f.sig.ident.to_string()),
        syn::TraitItem::Const(c) => Some(c.ident.to_string()),
        syn::TraitItem::Type(t) => Some(t.ident.to_string()),
        _ => None,
    };
    syn::ForeignItem => |i| match i {
        syn::ForeignItem::Fn(f) => Some(f.sig.ident.to_string()),
        syn::ForeignItem::Static(s) => Some(s.ident.to_string()),
        syn::ForeignItem::Type(t) => Some(t.ident.to_string()),
        _ => None,
    };
}

fn item_name(item: &syn::Item) -> Option<String> {
    use syn::Item;
    let ident = match item {
        Item::Fn(i) => &i.sig.ident,
        Item::Struct(i) => &i.ident,
        Item::Enum(i) => &i.ident,
        Item::Union(i) => &i.ident,
        Item::Trait(i) => &i.ident,
        Item::TraitAlias(i) => &i.ident,
        Item::Const(i) => &i.ident,
        Item::Static(i) => &i.ident,
        Item::Type(i) => &i.ident,
        Item::Mod(i) => &i.ident,
        Item::ExternCrate(i) => &i.ident,
        Item::Macro(i) => return i.ident.as_ref().map(ToString::to_string),
        Item::Impl(i) => return Some(quote_type(&i.self_ty)),
        _ => return None,
    };
    Some(ident.to_string())
}

fn quote_type(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| format!("impl {}", s.ident)).unwrap_or_default(),
        _ => "impl".to_owned(),
    }
}

impl<'ast> Visit<'ast> for TagFinder<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        self.attributes(item.attrs(), item);
        syn::visit::visit_item(self, item);
    }

    fn visit_impl_item(&mut self, item: &'ast syn::ImplItem) {
        self.attributes(item.attrs(), item);
        syn::visit::visit_impl_item(self, item);
    }

    fn visit_trait_item(&mut self, item: &'ast syn::TraitItem) {
        self.attributes(item.attrs(), item);
        syn::visit::visit_trait_item(self, item);
    }

    fn visit_foreign_item(&mut self, item: &'ast syn::ForeignItem) {
        self.attributes(item.attrs(), item);
        syn::visit::visit_foreign_item(self, item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(text: &str) -> Vec<EditionTag> {
        crate::parse::parse(text).file.tags
    }

    fn editions(text: &str) -> Vec<String> {
        tags(text).into_iter().map(|t| t.args.map_or_else(|e| e.message, |a| a.edition)).collect()
    }

    #[test]
    fn every_written_form() {
        let text = r#"
use corefence_macros::edition as tier;
#[edition(enterprise)] fn plain() {}
#[corefence_macros::edition(pro)] struct Path;
#[tier(enterprise, feature = "ee")] enum Renamed {}
#[cfg_attr(feature = "ee", edition(enterprise))] fn conditional() {}
#[cfg_attr(test, derive(Debug))] struct NotATag;
#[other::edition(2021)] fn not_ours() {}
#[tags::edition(enterprise)] fn reexported() {}
impl S {
    #[edition(enterprise)] fn assoc(&self) {}
}
trait T { #[edition(enterprise)] fn in_trait(); }
mod m { #[edition(enterprise)] pub const C: u8 = 1; }
"#;
        let found = tags(text);
        let names: Vec<Option<&str>> = found.iter().map(|t| t.item_name.as_deref()).collect();
        assert_eq!(
            names,
            [
                Some("plain"),
                Some("Path"),
                Some("Renamed"),
                Some("conditional"),
                Some("reexported"),
                Some("assoc"),
                Some("in_trait"),
                Some("C")
            ]
        );
        assert_eq!(
            editions(text),
            ["enterprise", "pro", "enterprise", "enterprise", "enterprise", "enterprise", "enterprise", "enterprise"]
        );
        assert!(found[3].conditional && !found[0].conditional);
        assert_eq!(found[2].args.as_ref().unwrap().feature.as_deref(), Some("ee"));
        let plain = &found[0];
        assert_eq!(&text[plain.item_span.clone()], "#[edition(enterprise)] fn plain() {}");
        assert_eq!(&text[plain.args.as_ref().unwrap().name_span.clone()], "enterprise");
    }

    #[test]
    fn reexported_renamed_and_raw_spellings() {
        let text = "use crate::tags::edition as tier;\nuse acme_tags::{edition as r#grade};\n\
                    #[tier(enterprise)] fn a() {}\n#[grade(pro)] fn b() {}\n\
                    #[r#edition(r#enterprise)] impl S {}\n#[r#tier(enterprise)] fn c() {}\n";
        assert_eq!(editions(text), ["enterprise", "pro", "enterprise", "enterprise"]);
    }

    #[test]
    fn malformed_arguments_carry_the_macros_message() {
        let text = "#[edition(\"enterprise\")] fn f() {}\n#[edition] fn g() {}\n";
        let found = tags(text);
        let first = found[0].args.as_ref().unwrap_err();
        assert!(first.message.starts_with("the edition name is an identifier, not a string"), "{}", first.message);
        assert_eq!(&text[first.span.clone()], "\"enterprise\"");
        assert!(found[1].args.is_err());
    }

    #[test]
    fn raw_identifiers_name_the_plain_edition() {
        assert_eq!(editions("#[edition(r#type)] fn f() {}"), ["type"]);
    }
}
