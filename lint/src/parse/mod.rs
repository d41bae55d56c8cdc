//! Parsing Rust files with syn, and what the checks need from the syntax tree.
//!
//! Spans are turned into byte ranges while the tree is alive, and the thread's
//! span table is released after each file: proc-macro2 keeps every parsed
//! file's text in a thread-local map otherwise, which would grow with the
//! workspace instead of staying flat.

mod attrs;
pub mod items;
pub mod tags;

use std::ops::Range;

/// Why a file does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// syn's message.
    pub message: String,
    /// Byte range of the offending token.
    pub span: Range<usize>,
}

/// What the checks need from one parsed Rust file.
#[derive(Debug, Clone, Default)]
pub struct ParsedFile {
    /// Items tagged `#[edition(..)]`, in source order.
    pub tags: Vec<tags::Tag>,
    /// What name resolution needs.
    pub syntax: items::Syntax,
}

/// Bracket nesting beyond which a file is not handed to syn. syn parses
/// recursively, so a generated or hostile file with tens of thousands of
/// nested parentheses would overflow the thread's stack; no hand-written
/// code comes near this depth.
pub const MAX_NESTING: usize = 256;

/// Parses `text` and extracts what the checks need.
pub fn parse(text: &str) -> Result<ParsedFile, SyntaxError> {
    if let Some(at) = too_deep(text.as_bytes()) {
        return Err(SyntaxError {
            message: format!("brackets nest more than {MAX_NESTING} deep; the file is not parsed"),
            span: at..at + 1,
        });
    }
    let result = match syn::parse_file(text) {
        Ok(file) => Ok(ParsedFile { tags: tags::find(&file), syntax: items::extract(&file) }),
        Err(err) => {
            let (start, end) = (err.span().start(), err.span().end());
            let span = byte_offset(text, start)..byte_offset(text, end);
            Err(SyntaxError { message: err.to_string(), span })
        }
    };
    proc_macro2::extra::invalidate_current_thread_spans();
    result
}

/// The offset of the first bracket nested deeper than [`MAX_NESTING`].
/// Brackets in strings and comments are counted too: an over-estimate only
/// makes a pathological file skip parsing, never a normal one.
fn too_deep(bytes: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The byte offset of a proc-macro2 line (1-based) and column (0-based, in chars).
fn byte_offset(text: &str, at: proc_macro2::LineColumn) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(at.line.saturating_sub(1)).map(str::len).sum();
    let rest = text.get(line_start..).unwrap_or("");
    line_start + rest.char_indices().nth(at.column).map_or(rest.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_points_at_the_token() {
        let text = "fn ok() {}\nfn broken(x: ) { }\n";
        let err = parse(text).unwrap_err();
        assert_eq!(&text[err.span.clone()], ")");
        assert!(!err.message.is_empty());
    }

    #[test]
    fn deep_nesting_is_reported_not_overflowed() {
        let text = format!("fn f() {{ let x = {}1{}; }}", "(".repeat(50_000), ")".repeat(50_000));
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("nest more than"), "{}", err.message);
        let fine = format!("fn f() {{ let x = {}1{}; }}", "(".repeat(100), ")".repeat(100));
        assert!(parse(&fine).is_ok());
    }

    #[test]
    fn spans_are_relative_to_each_file() {
        // proc-macro2 numbers spans across every file parsed on a thread;
        // the second file's offsets must still start at its own byte 0.
        let _ = parse("fn first() {}\n");
        let parsed = parse("#[edition(enterprise)]\nfn f() {}\n").unwrap();
        assert_eq!(parsed.tags[0].item_span, 0..32);
    }
}
