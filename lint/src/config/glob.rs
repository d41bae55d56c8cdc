//! Globs with gitignore conventions, anchored at the workspace root.
//!
//! `*` stays within one path component, `**` crosses any number, and a
//! trailing `/**` also matches the folder itself (`ee/**` matches `ee`), which
//! is what a user means when assigning a folder: the crate whose Cargo.toml
//! sits in `ee/` is in that folder too.

use std::ops::Range;

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

/// The longest glob accepted: far beyond any real path pattern, and short
/// enough that compiling it stays cheap.
pub const MAX_GLOB_LEN: usize = 1024;

/// A glob with the span it was written at (parsed; matched through a
/// [`PatternSet`]).
#[derive(Debug, Clone)]
pub struct Pattern {
    /// As written.
    pub text: String,
    /// Where it is in `corefence.toml` (`None` for the embedded defaults).
    pub span: Option<Range<usize>>,
    globs: Vec<Glob>,
}

impl Pattern {
    /// Parses `text`; the error says what is wrong with it.
    pub fn new(text: &str, span: Option<Range<usize>>) -> Result<Self, String> {
        if text.len() > MAX_GLOB_LEN {
            return Err(format!("it is {} bytes long; globs may be at most {MAX_GLOB_LEN}", text.len()));
        }
        let body = text.strip_prefix("./").unwrap_or(text).trim_start_matches('/');
        let mut globs = vec![parse(body)?];
        if let Some(folder) = body.strip_suffix("/**") {
            if !folder.is_empty() {
                globs.push(parse(folder)?);
            }
        }
        Ok(Pattern { text: text.to_owned(), span, globs })
    }

    /// Whether a `/`-separated relative path (or crate name) matches. Builds
    /// a matcher for this one pattern: for single questions; a
    /// [`PatternSet`] answers many at once.
    pub fn matches(&self, rel: &str) -> bool {
        PatternSet::new([self]).is_ok_and(|set| set.is_match(rel))
    }
}

fn parse(glob: &str) -> Result<Glob, String> {
    GlobBuilder::new(glob).literal_separator(true).backslash_escape(true).build().map_err(|e| e.kind().to_string())
}

/// Many patterns matched at once (one automaton for all of them), each
/// answer naming the patterns that matched by their position in the list
/// the set was built from.
#[derive(Debug, Clone, Default)]
pub struct PatternSet {
    set: GlobSet,
    /// For each glob in `set`, the position of its pattern.
    owner: Vec<usize>,
}

impl PatternSet {
    /// Compiles `patterns` together. Fails when the automaton would be too
    /// large (the error names the first pattern that cannot be compiled,
    /// by position, when one alone is the cause).
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a Pattern>) -> Result<PatternSet, (Option<usize>, String)> {
        let patterns: Vec<&Pattern> = patterns.into_iter().collect();
        let mut builder = GlobSetBuilder::new();
        let mut owner = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            for g in &p.globs {
                builder.add(g.clone());
                owner.push(i);
            }
        }
        match builder.build() {
            Ok(set) => Ok(PatternSet { set, owner }),
            Err(err) => {
                // Find the culprit, if one pattern alone is too large.
                let alone = patterns.iter().position(|p| {
                    let mut one = GlobSetBuilder::new();
                    for g in &p.globs {
                        one.add(g.clone());
                    }
                    one.build().is_err()
                });
                Err((alone, err.kind().to_string()))
            }
        }
    }

    /// The positions of the patterns `rel` matches, ascending, without repeats.
    pub fn matching(&self, rel: &str) -> Vec<usize> {
        let mut out: Vec<usize> =
            self.set.matches(rel).into_iter().filter_map(|g| self.owner.get(g).copied()).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The last pattern `rel` matches (later entries override earlier ones).
    pub fn last_match(&self, rel: &str) -> Option<usize> {
        self.set.matches(rel).into_iter().filter_map(|g| self.owner.get(g).copied()).max()
    }

    /// Whether any pattern matches.
    pub fn is_match(&self, rel: &str) -> bool {
        self.set.is_match(rel)
    }
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
        assert!(Pattern::new(&"a".repeat(400_000), None).unwrap_err().contains("at most"));
    }

    #[test]
    fn a_set_names_the_patterns_that_match() {
        let patterns = [p("ee/**"), p("**/*.rs"), p("ee/x.rs")];
        let set = PatternSet::new(&patterns).unwrap();
        assert_eq!(set.matching("ee/x.rs"), [0, 1, 2]);
        assert_eq!(set.last_match("ee/y.rs"), Some(1));
        assert_eq!(set.last_match("ee"), Some(0));
        assert!(!set.is_match("free/a.txt"));
    }

    #[test]
    fn ten_thousand_patterns_match_in_one_pass() {
        let patterns: Vec<Pattern> = (0..10_000).map(|i| p(&format!("crates/c{i}/**"))).collect();
        let started = std::time::Instant::now();
        let set = PatternSet::new(&patterns).unwrap();
        for i in 0..10_000 {
            assert_eq!(set.last_match(&format!("crates/c{i}/src/lib.rs")), Some(i));
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "{:?}", started.elapsed());
    }
}
