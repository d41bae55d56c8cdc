//! `parse/syntax`: a Rust file syn cannot parse. Its header is still checked;
//! its tags and references are not, and the warning says so.

use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, Location, SourceFile};
use crate::parse::SyntaxError;

/// The warning for a file that does not parse.
pub fn diagnostic(source: &Arc<SourceFile>, err: &SyntaxError) -> Diagnostic {
    Diagnostic::new(
        Code::ParseSyntax,
        Location::new(source, err.span.clone()),
        format!("`{}` does not parse: {}", source.path, err.message),
    )
    .with_label(err.message.clone())
    .with_help("its header was checked, its tags and references were not: fix the syntax error (rustc rejects it too)")
}
