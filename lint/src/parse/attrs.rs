//! The outer attributes of items, whatever their kind: one place for the
//! long `match` over syn's item enums that the tag finder and the item index
//! both need.

use syn::Attribute;

impl AttrsOf for syn::Item {
    fn attrs(&self) -> &[Attribute] {
        use syn::Item;
        match self {
            Item::Const(i) => &i.attrs,
            Item::Enum(i) => &i.attrs,
            Item::ExternCrate(i) => &i.attrs,
            Item::Fn(i) => &i.attrs,
            Item::ForeignMod(i) => &i.attrs,
            Item::Impl(i) => &i.attrs,
            Item::Macro(i) => &i.attrs,
            Item::Mod(i) => &i.attrs,
            Item::Static(i) => &i.attrs,
            Item::Struct(i) => &i.attrs,
            Item::Trait(i) => &i.attrs,
            Item::TraitAlias(i) => &i.attrs,
            Item::Type(i) => &i.attrs,
            Item::Union(i) => &i.attrs,
            Item::Use(i) => &i.attrs,
            _ => &[],
        }
    }
}

/// The outer attributes of anything that can carry them.
pub(crate) trait AttrsOf {
    /// The attributes written on the item.
    fn attrs(&self) -> &[Attribute];
}

impl AttrsOf for syn::ImplItem {
    fn attrs(&self) -> &[Attribute] {
        match self {
            syn::ImplItem::Const(i) => &i.attrs,
            syn::ImplItem::Fn(i) => &i.attrs,
            syn::ImplItem::Type(i) => &i.attrs,
            syn::ImplItem::Macro(i) => &i.attrs,
            _ => &[],
        }
    }
}

impl AttrsOf for syn::TraitItem {
    fn attrs(&self) -> &[Attribute] {
        match self {
            syn::TraitItem::Const(i) => &i.attrs,
            syn::TraitItem::Fn(i) => &i.attrs,
            syn::TraitItem::Type(i) => &i.attrs,
            syn::TraitItem::Macro(i) => &i.attrs,
            _ => &[],
        }
    }
}

impl AttrsOf for syn::ForeignItem {
    fn attrs(&self) -> &[Attribute] {
        match self {
            syn::ForeignItem::Fn(i) => &i.attrs,
            syn::ForeignItem::Static(i) => &i.attrs,
            syn::ForeignItem::Type(i) => &i.attrs,
            syn::ForeignItem::Macro(i) => &i.attrs,
            _ => &[],
        }
    }
}
