//! The expansion of `#[edition(..)]`, on `proc_macro2` types so that it runs
//! in unit tests.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

use crate::args::{parse_args, EditionArgs};

/// Expands `#[edition(args)] item`.
///
/// The item comes back unchanged, with a rustdoc paragraph naming its
/// edition and, when the arguments name a feature, a `cfg` gate. The item is
/// never parsed, so every item kind an attribute macro can sit on works.
///
/// Malformed arguments become a `compile_error!` beside the ungated item:
/// dropping the item would bury the one real error under "cannot find"
/// errors at every use of it.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    match parse_args(args) {
        Ok(args) => tag(&args, item),
        Err(error) => {
            let error = error.to_compile_error();
            quote! { #error #item }
        }
    }
}

fn tag(args: &EditionArgs, item: TokenStream) -> TokenStream {
    let gate = args.feature.as_ref().map(|feature| quote! { #[cfg(feature = #feature)] });
    let note = format!("Available in the **{}** edition.", args.name());
    let (attributes, rest) = split_outer_attributes(item);
    // rustdoc joins doc attributes in order, so the note goes after the
    // item's own docs, and the empty line before it makes it a paragraph of
    // its own instead of a continuation of the last sentence.
    quote! {
        #gate
        #attributes
        #[doc = ""]
        #[doc = #note]
        #rest
    }
}

/// Splits the leading `#[...]` attributes (doc comments arrive as
/// `#[doc = ".."]`) from the rest of the item.
fn split_outer_attributes(item: TokenStream) -> (TokenStream, TokenStream) {
    let mut attributes: Vec<TokenTree> = item.into_iter().collect();
    let mut end = 0;
    while let Some([TokenTree::Punct(pound), TokenTree::Group(group), ..]) = attributes.get(end..) {
        if pound.as_char() != '#' || group.delimiter() != Delimiter::Bracket {
            break;
        }
        end += 2;
    }
    let rest = attributes.split_off(end);
    (attributes.into_iter().collect(), rest.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::expand;
    use crate::args::{parse_args, USAGE};
    use proc_macro2::TokenStream;
    use quote::quote;

    fn tokens(source: &str) -> TokenStream {
        source.parse().expect("test input is valid Rust tokens")
    }

    fn expand_str(args: &str, item: &str) -> String {
        expand(tokens(args), tokens(item)).to_string()
    }

    /// Asserts that malformed arguments give exactly one `compile_error!`
    /// with `message`, followed by the untouched, ungated item.
    fn assert_rejected(args: &str, message: &str) {
        let item = "pub fn single_sign_on() {}";
        let expanded = expand_str(args, item);
        let expected_error = format!("{message}: {USAGE}");
        let expected = quote! { ::core::compile_error! { #expected_error } };
        let expected = format!("{expected} {}", tokens(item));
        assert_eq!(expanded, expected, "arguments `{args}`");
        assert!(!expanded.contains("cfg"), "no gate on error: {expanded}");
    }

    #[test]
    fn plain_item_gets_the_edition_note() {
        let expanded = expand_str("enterprise", "pub fn single_sign_on() {}");
        let expected = quote! {
            #[doc = ""]
            #[doc = "Available in the **enterprise** edition."]
            pub fn single_sign_on() {}
        };
        assert_eq!(expanded, expected.to_string());
    }

    #[test]
    fn feature_adds_a_cfg_gate() {
        let expanded =
            expand_str(r#"enterprise, feature = "enterprise""#, "impl Server { pub fn audit_log(&self) {} }");
        let expected = quote! {
            #[cfg(feature = "enterprise")]
            #[doc = ""]
            #[doc = "Available in the **enterprise** edition."]
            impl Server { pub fn audit_log(&self) {} }
        };
        assert_eq!(expanded, expected.to_string());
    }

    #[test]
    fn note_follows_existing_docs_and_attributes() {
        let expanded = expand_str(
            r#"pro, feature = "pro-tier""#,
            r#"#[doc = " Signs users in."] #[derive(Debug)] #[must_use] pub struct Session;"#,
        );
        let expected = quote! {
            #[cfg(feature = "pro-tier")]
            #[doc = " Signs users in."]
            #[derive(Debug)]
            #[must_use]
            #[doc = ""]
            #[doc = "Available in the **pro** edition."]
            pub struct Session;
        };
        assert_eq!(expanded, expected.to_string());
    }

    #[test]
    fn trailing_comma_is_accepted() {
        assert_eq!(expand_str("enterprise,", "fn f() {}"), expand_str("enterprise", "fn f() {}"));
        assert_eq!(
            expand_str(r#"enterprise, feature = "ee","#, "fn f() {}"),
            expand_str(r#"enterprise, feature = "ee""#, "fn f() {}")
        );
    }

    #[test]
    fn raw_identifier_names_the_edition_without_prefix() {
        let expanded = expand_str("r#type", "struct S;");
        assert!(expanded.contains("Available in the **type** edition."), "{expanded}");
        let parsed = parse_args(tokens("r#type")).expect("raw identifiers are names");
        assert_eq!(parsed.name(), "type");
    }

    #[test]
    fn raw_string_feature_is_accepted() {
        let expanded = expand_str(r#"enterprise, feature = r"ee""#, "fn f() {}");
        assert!(expanded.starts_with("# [cfg (feature = r\"ee\")]"), "{expanded}");
    }

    #[test]
    fn item_kinds_without_attributes_are_untouched() {
        for item in [
            "macro_rules! m { () => {}; }",
            "extern crate alloc;",
            "use std::fmt;",
            "mod inner { pub fn f() {} }",
            "type Id = u64;",
            "const LIMIT: usize = 3;",
            "static NAME: &str = \"x\";",
            "union U { a: u32, b: f32 }",
        ] {
            let expanded = expand_str("enterprise", item);
            assert!(expanded.ends_with(&tokens(item).to_string()), "{expanded}");
        }
    }

    #[test]
    fn inner_attribute_tokens_in_the_body_are_left_alone() {
        let item = "mod inner { #![allow(unused)] fn f() {} }";
        let expanded = expand_str("enterprise", item);
        assert!(expanded.ends_with(&tokens(item).to_string()), "{expanded}");
    }

    #[test]
    fn empty_arguments_are_rejected() {
        assert_rejected("", "expected an edition name");
    }

    #[test]
    fn two_editions_are_rejected() {
        assert_rejected("enterprise, pro", "an item belongs to exactly one edition, found a second name `pro`");
    }

    #[test]
    fn string_name_is_rejected() {
        assert_rejected(r#""enterprise""#, "the edition name is an identifier, not a string");
    }

    #[test]
    fn unknown_key_is_rejected() {
        assert_rejected(
            r#"enterprise, flavor = "x""#,
            "unknown argument `flavor`, the only option is `feature = \"...\"`",
        );
    }

    #[test]
    fn non_string_feature_is_rejected() {
        let message = "the feature is a string literal, as in `feature = \"enterprise\"`";
        assert_rejected("enterprise, feature = enterprise", message);
        assert_rejected("enterprise, feature = 1", message);
        assert_rejected("enterprise, feature =", message);
        assert_rejected(r#"enterprise, feature = b"ee""#, message);
    }

    #[test]
    fn odd_feature_literals_are_rejected() {
        assert_rejected(r#"enterprise, feature = """#, "the feature name must not be empty");
        assert_rejected(r#"enterprise, feature = "ee"x"#, "the feature name takes no literal suffix");
    }

    #[test]
    fn feature_without_value_is_rejected() {
        assert_rejected("enterprise, feature", "expected `=` after `feature`");
    }

    #[test]
    fn duplicate_feature_is_rejected() {
        assert_rejected(r#"enterprise, feature = "a", feature = "b""#, "duplicate `feature` argument");
    }

    #[test]
    fn paths_are_rejected() {
        let message = "the edition name is a single identifier, not a path";
        assert_rejected("a::b", message);
        assert_rejected("::a", message);
        assert_rejected(r#"a::b, feature = "x""#, message);
    }

    #[test]
    fn keywords_are_rejected() {
        assert_rejected("crate", "expected an edition name, found keyword `crate`");
        assert_rejected("_", "expected an edition name, found keyword `_`");
    }

    #[test]
    fn other_malformed_forms_are_rejected() {
        assert_rejected("1", "expected an edition name");
        assert_rejected("enterprise pro", "expected `,` after the edition name");
        assert_rejected(r#"enterprise = "x""#, "expected an edition name, found `enterprise = ...`");
        assert_rejected(r#"enterprise, "x""#, "expected `feature = \"...\"` after the edition name");
        assert_rejected(r#"feature = "x""#, "expected an edition name, found `feature = ...`");
        assert_rejected("enterprise,,", "expected `feature = \"...\"` after the edition name");
    }
}
