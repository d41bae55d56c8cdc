//! SPDX snippets: `SPDX-SnippetBegin` … `SPDX-SnippetEnd` regions with
//! their own license, which may nest.

use std::ops::Range;

use super::tag::LicenseTag;

/// A region of a file delimited by `SPDX-SnippetBegin` and
/// `SPDX-SnippetEnd` markers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// Byte range of the `SPDX-SnippetBegin` marker.
    pub begin: Range<usize>,
    /// Byte range of the matching `SPDX-SnippetEnd` marker; `None` when the
    /// snippet is never closed (also reported as a [`SnippetError`]).
    pub end: Option<Range<usize>>,
    /// The snippet's own license: the first `SPDX-License-Identifier` after
    /// the begin marker, before any nested begin marker or the end marker.
    pub license: Option<LicenseTag>,
    /// 0 for a top-level snippet, 1 for one directly inside another, …
    pub depth: usize,
    /// The lines between the begin marker's line and the end marker's line
    /// (to the end of the file when unclosed).
    pub body: Range<usize>,
    /// 1-based line of the begin marker.
    pub line: usize,
}

impl Snippet {
    /// The bytes this snippet governs, from its begin marker to the end of
    /// its end marker (to the end of the file when unclosed).
    #[must_use]
    pub fn span(&self, file_len: usize) -> Range<usize> {
        self.begin.start..self.end.as_ref().map_or(file_len, |e| e.end)
    }
}

/// What is wrong with a snippet marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnippetErrorKind {
    /// `SPDX-SnippetEnd` without an open snippet.
    UnmatchedEnd,
    /// `SPDX-SnippetBegin` that is never closed.
    UnclosedBegin,
    /// A second `SPDX-License-Identifier` inside a snippet, or one after a
    /// nested snippet, which belongs neither to the snippet nor to the file.
    StrayLicense,
}

/// A malformed snippet structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnippetError {
    /// What is wrong.
    pub kind: SnippetErrorKind,
    /// Byte range of the offending marker or tag.
    pub range: Range<usize>,
    /// 1-based line of `range`.
    pub line: usize,
}

/// A marker found in a comment, in file order.
#[derive(Debug, Clone)]
pub(super) enum Event {
    Begin {
        range: Range<usize>,
        line: usize,
        /// Start of the line after the marker.
        next_line: usize,
    },
    End {
        range: Range<usize>,
        line: usize,
        /// Start of the marker's line.
        line_start: usize,
    },
    License {
        tag: LicenseTag,
        in_header: bool,
    },
}

/// Result of matching snippet markers.
pub(super) struct Pairing {
    pub snippets: Vec<Snippet>,
    pub errors: Vec<SnippetError>,
    /// License tags of the leading comments outside every snippet.
    pub file_licenses: Vec<LicenseTag>,
    /// License tags outside every snippet and after the leading comments,
    /// which SPDX and REUSE do not count.
    pub stray_licenses: Vec<LicenseTag>,
}

struct Open {
    index: usize,
    /// Whether a license tag may still become this snippet's own: only
    /// until its first nested snippet begins.
    accepting: bool,
}

pub(super) fn pair(events: Vec<Event>, file_len: usize) -> Pairing {
    let mut snippets: Vec<Snippet> = Vec::new();
    let mut errors = Vec::new();
    let mut file_licenses = Vec::new();
    let mut stray_licenses = Vec::new();
    let mut stack: Vec<Open> = Vec::new();

    for event in events {
        match event {
            Event::Begin { range, line, next_line } => {
                if let Some(parent) = stack.last_mut() {
                    parent.accepting = false;
                }
                stack.push(Open { index: snippets.len(), accepting: true });
                snippets.push(Snippet {
                    begin: range,
                    end: None,
                    license: None,
                    depth: stack.len() - 1,
                    body: next_line.min(file_len)..file_len,
                    line,
                });
            }
            Event::End { range, line, line_start } => match stack.pop().and_then(|open| snippets.get_mut(open.index)) {
                Some(snippet) => {
                    snippet.body.end = line_start.max(snippet.body.start);
                    snippet.end = Some(range);
                }
                None => errors.push(SnippetError { kind: SnippetErrorKind::UnmatchedEnd, range, line }),
            },
            Event::License { tag, in_header } => match stack.last() {
                Some(open) => {
                    let slot = snippets.get_mut(open.index).filter(|s| open.accepting && s.license.is_none());
                    match slot {
                        Some(snippet) => snippet.license = Some(tag),
                        None => errors.push(SnippetError {
                            kind: SnippetErrorKind::StrayLicense,
                            range: tag.range.clone(),
                            line: tag.line,
                        }),
                    }
                }
                None if in_header => file_licenses.push(tag),
                None => stray_licenses.push(tag),
            },
        }
    }
    for open in stack {
        if let Some(snippet) = snippets.get(open.index) {
            errors.push(SnippetError {
                kind: SnippetErrorKind::UnclosedBegin,
                range: snippet.begin.clone(),
                line: snippet.line,
            });
        }
    }
    errors.sort_by_key(|e| e.range.start);
    Pairing { snippets, errors, file_licenses, stray_licenses }
}

/// The snippets enclosing `byte`, innermost first.
pub(super) fn enclosing(snippets: &[Snippet], byte: usize, file_len: usize) -> Vec<&Snippet> {
    let mut found: Vec<&Snippet> = snippets.iter().filter(|s| s.span(file_len).contains(&byte)).collect();
    found.sort_by(|a, b| b.depth.cmp(&a.depth).then(b.begin.start.cmp(&a.begin.start)));
    found
}

#[cfg(test)]
mod tests {
    use super::super::comment::CommentStyle;
    use super::super::header::scan;
    use super::*;

    fn license_of(s: &Snippet) -> Option<&str> {
        s.license.as_ref().map(|t| t.text.as_str())
    }

    #[test]
    fn snippet_license_is_not_file_level() {
        let src = "\
// SPDX-License-Identifier: AGPL-3.0-only

fn community() {}

// SPDX-SnippetBegin
// SPDX-License-Identifier: LicenseRef-Acme-Enterprise
fn enterprise() {}
// SPDX-SnippetEnd
";
        let s = scan(src.as_bytes(), CommentStyle::Rust);
        assert_eq!(s.licenses.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(), vec!["AGPL-3.0-only"]);
        assert!(s.stray_licenses.is_empty());
        assert_eq!(s.snippets.len(), 1);
        let snippet = &s.snippets[0];
        assert_eq!(license_of(snippet), Some("LicenseRef-Acme-Enterprise"));
        assert_eq!(snippet.depth, 0);
        assert_eq!(snippet.line, 5);
        assert_eq!(
            &src[snippet.body.clone()],
            "// SPDX-License-Identifier: LicenseRef-Acme-Enterprise\nfn enterprise() {}\n"
        );
        assert!(s.snippet_errors.is_empty());
        let inside = src.find("fn enterprise").unwrap_or_default();
        assert_eq!(s.snippet_at(inside).len(), 1);
        assert!(s.snippet_at(src.find("fn community").unwrap_or_default()).is_empty());
    }

    #[test]
    fn snippet_in_leading_comments_is_not_file_level() {
        let src = "// SPDX-SnippetBegin\n// SPDX-License-Identifier: MIT\n// SPDX-SnippetEnd\n// SPDX-License-Identifier: Apache-2.0\nfn x() {}\n";
        let s = scan(src.as_bytes(), CommentStyle::Rust);
        assert_eq!(s.licenses.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(), vec!["Apache-2.0"]);
        assert_eq!(license_of(&s.snippets[0]), Some("MIT"));

        let only_snippet = "// SPDX-SnippetBegin\n// SPDX-License-Identifier: MIT\nfn x() {}\n// SPDX-SnippetEnd\n";
        let s = scan(only_snippet.as_bytes(), CommentStyle::Rust);
        assert!(s.licenses.is_empty());
    }

    #[test]
    fn nested_snippets() {
        let src = "\
fn a() {}
/* SPDX-SnippetBegin
   SPDX-License-Identifier: MIT */
fn outer() {}
    // SPDX-SnippetBegin
    // SPDX-License-Identifier: Apache-2.0
    fn inner() {}
    // SPDX-SnippetEnd
// SPDX-SnippetEnd
";
        let s = scan(src.as_bytes(), CommentStyle::Rust);
        assert!(s.snippet_errors.is_empty(), "{:?}", s.snippet_errors);
        assert_eq!(s.snippets.len(), 2);
        assert_eq!((s.snippets[0].depth, license_of(&s.snippets[0])), (0, Some("MIT")));
        assert_eq!((s.snippets[1].depth, license_of(&s.snippets[1])), (1, Some("Apache-2.0")));
        let enclosing = s.snippet_at(src.find("fn inner").unwrap_or_default());
        assert_eq!(enclosing.iter().map(|s| s.depth).collect::<Vec<_>>(), vec![1, 0]);
        assert_eq!(s.snippet_at(src.find("fn outer").unwrap_or_default()).len(), 1);
    }

    #[test]
    fn license_after_a_nested_snippet_belongs_to_nothing() {
        let src = "// SPDX-SnippetBegin\n// SPDX-SnippetBegin\n// SPDX-SnippetEnd\n// SPDX-License-Identifier: MIT\n// SPDX-SnippetEnd\n";
        let s = scan(src.as_bytes(), CommentStyle::Rust);
        assert_eq!(license_of(&s.snippets[0]), None);
        assert_eq!(s.snippet_errors.len(), 1);
        assert_eq!(s.snippet_errors[0].kind, SnippetErrorKind::StrayLicense);
        assert_eq!(s.snippet_errors[0].line, 4);
        assert!(s.licenses.is_empty());
    }

    #[test]
    fn unbalanced_markers() {
        let src = "fn a() {}\n// SPDX-SnippetEnd\n// SPDX-SnippetBegin\nfn b() {}\n";
        let s = scan(src.as_bytes(), CommentStyle::Rust);
        let kinds: Vec<_> = s.snippet_errors.iter().map(|e| (e.kind, e.line)).collect();
        assert_eq!(kinds, vec![(SnippetErrorKind::UnmatchedEnd, 2), (SnippetErrorKind::UnclosedBegin, 3)]);
        // An unclosed snippet governs the rest of the file.
        assert_eq!(s.snippets[0].end, None);
        assert_eq!(s.snippet_at(src.len() - 1).len(), 1);
    }

    #[test]
    fn markers_in_strings_do_not_count() {
        let src = "const B: &str = \"// SPDX-SnippetBegin\";\nconst R: &str = r#\"/* SPDX-SnippetEnd */\"#;\n";
        let s = scan(src.as_bytes(), CommentStyle::Rust);
        assert!(s.snippets.is_empty());
        assert!(s.snippet_errors.is_empty());
    }

    #[test]
    fn markers_need_a_word_boundary() {
        let s = scan(b"// SPDX-SnippetBeginning\n", CommentStyle::Rust);
        assert!(s.snippets.is_empty());
    }

    #[test]
    fn python_snippets() {
        let src = "# SPDX-License-Identifier: MIT\nx = 1\n# SPDX-SnippetBegin\n# SPDX-License-Identifier: GPL-2.0-only\ny = 2\n# SPDX-SnippetEnd\n";
        let s = scan(src.as_bytes(), CommentStyle::Hash);
        assert_eq!(s.licenses.len(), 1);
        assert_eq!(license_of(&s.snippets[0]), Some("GPL-2.0-only"));
        assert_eq!(s.snippet_at(src.find("y = 2").unwrap_or_default()).len(), 1);
    }
}
