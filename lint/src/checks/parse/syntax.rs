//! `parse/syntax`: a Rust file syn cannot parse (a syntax error, or code
//! nested too deep to parse safely). Its header is still checked, and its
//! tags and references are read token by token; the warning says so.

use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, Location, SourceFile};
use crate::parse::SyntaxError;

/// The warning for a file that does not parse, or nests too deep to parse.
pub fn diagnostic(source: &Arc<SourceFile>, err: &SyntaxError) -> Diagnostic {
    let (message, label, fix) = if err.too_deep {
        (
            format!("`{}` nests too deep to parse: {}", source.path, err.message),
            "nested too deep".to_owned(),
            "split the deeply nested code (a generator's output, or a very long chain)",
        )
    } else {
        (
            format!("`{}` does not parse: {}", source.path, err.message),
            err.message.clone(),
            "fix the syntax error (rustc rejects it too)",
        )
    };
    Diagnostic::new(Code::ParseSyntax, Location::new(source, err.span.clone()), message).with_label(label).with_help(
        format!(
        "its header was checked and its references were read token by token, which is less exact than a parse: {fix}"
    ),
    )
}
