//! The grammar of the arguments of `#[edition(..)]`.
//!
//! ```text
//! arguments := NAME ( "," "feature" "=" FEATURE )? ","?
//! NAME      := an identifier: `enterprise`, `pro`, `r#type`
//! FEATURE   := a non-empty string literal without suffix: "enterprise"
//! ```
//!
//! - `NAME` is one identifier, never a path or a string. A raw identifier
//!   names the edition without its `r#`: `r#type` is the edition `type`,
//!   the same way `r#type` and `type` name the same thing in Rust. Keywords
//!   that cannot be raw (`self`, `crate`, ...) and `_` are rejected.
//! - Whether `NAME` is an edition the project knows is not part of the
//!   grammar: corefence checks it against its configuration.
//! - `feature = "F"` may appear once, after the name, and gates the item
//!   behind `cfg(feature = "F")`.
//! - Anything else is an error whose span points at the offending token and
//!   whose message ends with [`USAGE`]. Empty arguments (`#[edition]`,
//!   `#[edition()]`) are an error at the attribute itself.
//!
//! This file is the single definition of that grammar. The macro crate
//! compiles it to expand the attribute and the corefence linter compiles a
//! byte-identical copy (`lint/src/parse/tags/edition_args.rs`, kept so by a
//! test) to read the attribute in source files, so the two accept and reject
//! exactly the same input, and each crate packages on its own. That is why
//! it may use `syn` and `proc_macro2` only: no `proc_macro`, no `crate::` path.

use proc_macro2::{TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Error, Ident, LitStr, Token};

/// The canonical forms, used in error messages by both tools.
pub const USAGE: &str = "`#[edition(enterprise)]` or `#[edition(enterprise, feature = \"enterprise\")]`";

/// The only optional argument.
const FEATURE_KEY: &str = "feature";

/// Parsed arguments of `#[edition(NAME)]` / `#[edition(NAME, feature = "F")]`.
pub struct EditionArgs {
    /// The edition the item belongs to, as written (a raw identifier keeps
    /// its `r#`; [`EditionArgs::name`] strips it).
    pub edition: Ident,
    /// The Cargo feature that gates the item, if any.
    pub feature: Option<LitStr>,
}

impl EditionArgs {
    /// The edition's name as corefence's configuration spells it: the
    /// identifier without a raw `r#` prefix.
    pub fn name(&self) -> String {
        self.edition.unraw().to_string()
    }
}

impl Parse for EditionArgs {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let edition = parse_name(input)?;
        let mut feature = None;
        while !input.is_empty() {
            if !input.peek(Token![,]) {
                return Err(expected(input, "expected `,` after the edition name"));
            }
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let (key, value) = parse_feature(input)?;
            if feature.is_some() {
                let argument: TokenStream =
                    [TokenTree::Ident(key), TokenTree::Literal(value.token())].into_iter().collect();
                return Err(Error::new_spanned(argument, format!("duplicate `feature` argument: {USAGE}")));
            }
            feature = Some(value);
        }
        Ok(Self { edition, feature })
    }
}

/// Parses the tokens between the parentheses. Empty input is an error too.
pub fn parse_args(tokens: TokenStream) -> syn::Result<EditionArgs> {
    syn::parse2(tokens)
}

fn parse_name(input: ParseStream) -> syn::Result<Ident> {
    if input.peek(Ident) {
        let name: Ident = input.parse()?;
        if input.peek(Token![::]) {
            return Err(path_error(TokenTree::Ident(name).into(), input));
        }
        if input.peek(Token![=]) {
            return Err(Error::new(name.span(), format!("expected an edition name, found `{name} = ...`: {USAGE}")));
        }
        return Ok(name);
    }
    if input.peek(LitStr) {
        let literal: LitStr = input.parse()?;
        return Err(Error::new_spanned(literal, format!("the edition name is an identifier, not a string: {USAGE}")));
    }
    if input.peek(Ident::peek_any) {
        let keyword = Ident::parse_any(input)?;
        return Err(Error::new(
            keyword.span(),
            format!("expected an edition name, found keyword `{keyword}`: {USAGE}"),
        ));
    }
    if input.peek(Token![::]) {
        return Err(path_error(TokenStream::new(), input));
    }
    Err(expected(input, "expected an edition name"))
}

/// Parses `feature = "F"`, the only argument allowed after the name.
fn parse_feature(input: ParseStream) -> syn::Result<(Ident, LitStr)> {
    if !input.peek(Ident::peek_any) {
        return Err(expected(input, "expected `feature = \"...\"` after the edition name"));
    }
    let key = Ident::parse_any(input)?;
    if key.unraw() != FEATURE_KEY {
        // `name = value` is an option we do not know; a bare identifier is
        // an attempt to put the item in a second edition.
        let message = if input.peek(Token![=]) {
            format!("unknown argument `{key}`, the only option is `feature = \"...\"`: {USAGE}")
        } else {
            format!("an item belongs to exactly one edition, found a second name `{key}`: {USAGE}")
        };
        return Err(Error::new(key.span(), message));
    }
    if !input.peek(Token![=]) {
        return Err(expected(input, "expected `=` after `feature`"));
    }
    input.parse::<Token![=]>()?;
    if !input.peek(LitStr) {
        return Err(expected(input, "the feature is a string literal, as in `feature = \"enterprise\"`"));
    }
    let value: LitStr = input.parse()?;
    if !value.suffix().is_empty() {
        return Err(Error::new_spanned(value, format!("the feature name takes no literal suffix: {USAGE}")));
    }
    if value.value().is_empty() {
        return Err(Error::new_spanned(value, format!("the feature name must not be empty: {USAGE}")));
    }
    Ok((key, value))
}

/// An error at the next token, or at the whole argument list when the input
/// ended early. Unlike `ParseStream::error` it never prefixes "unexpected end
/// of input", so every message reads the same in the macro and the linter.
fn expected(input: ParseStream, what: &str) -> Error {
    Error::new(input.span(), format!("{what}: {USAGE}"))
}

/// Spans the whole path (`a::b`, `::a`) up to the next comma, so the
/// diagnostic underlines what must become a single identifier.
fn path_error(mut path: TokenStream, input: ParseStream) -> Error {
    while !input.is_empty() && !input.peek(Token![,]) {
        match input.parse::<TokenTree>() {
            Ok(token) => path.extend([token]),
            Err(error) => return error,
        }
    }
    Error::new_spanned(path, format!("the edition name is a single identifier, not a path: {USAGE}"))
}
