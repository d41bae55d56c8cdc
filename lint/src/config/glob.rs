//! Globs with gitignore conventions, anchored at the workspace root.
//!
//! `*` stays within one path component, `**` crosses any number, and a
//! trailing `/**` also matches the folder itself (`ee/**` matches `ee`), which
//! is what a user means when assigning a folder: the crate whose Cargo.toml
//! sits in `ee/` is in that folder too.

use std::ops::Range;

use globset::{Glob, GlobBuilder, GlobMatcher};

/// A compiled glob with the span it was written at.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// As written.
    pub text: String,
    /// Where it is in `corefence.toml` (`None` for the embedded defaults).
    pub span: Option<Range<usize>>,
    matchers: Vec<GlobMatcher>,
}

impl Pattern {
    /// Compiles `text`; the error is globset's message.
    pub fn new(text: &str, span: Option<Range<usize>>) -> Result<Self, String> {
        let body = text.strip_prefix("./").unwrap_or(text).trim_start_matches('/');
        let mut matchers = vec![compile(body)?];
        if let Some(folder) = body.strip_suffix("/**") {
            if !folder.is_empty() {
                matchers.push(compile(folder)?);
            }
        }
        Ok(Pattern { text: text.to_owned(), span, matchers })
    }

    /// Whether a `/`-separated relative path (or crate name) matches.
    pub fn matches(&self, rel: &str) -> bool {
        self.matchers.iter().any(|m| m.is_match(rel))
    }
}

fn compile(glob: &str) -> Result<GlobMatcher, String> {
    GlobBuilder::new(glob)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map(|g: Glob| g.compile_matcher())
        .map_err(|e| e.kind().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Pattern {
        Pattern::new(s, None).unwrap()
    }

    #[test]
    fn gitignore_conventions() {
        assert!(p("ee/**").matches("ee"));
        assert!(p("ee/**").matches("ee/a/b.rs"));
        assert!(!p("ee/**").matches("free/a.rs"));
        assert!(p("**/ee/**").matches("crates/ee/x.rs"));
        assert!(p("**/ee/**").matches("ee/x.rs"));
        assert!(!p("src/*.rs").matches("src/a/b.rs"));
        assert!(p("**/*.rs").matches("a.rs"));
        assert!(p("./vendor/**").matches("vendor/x/y"));
        assert!(p("acme-ee-*").matches("acme-ee-sso"));
    }

    #[test]
    fn bad_glob_is_an_error() {
        assert!(Pattern::new("src/[a-", None).is_err());
    }
}
