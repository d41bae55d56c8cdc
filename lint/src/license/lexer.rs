//! Finds the comments of a source file without being fooled by string
//! literals, so that a tag quoted in code never counts as a tag.
//!
//! The lexer works on bytes: every marker it looks for is ASCII, so it
//! behaves the same on UTF-8 and on ASCII-compatible legacy encodings, and
//! it never needs the input to be valid UTF-8.
//!
//! Precision differs by style. Rust is lexed fully (raw strings, byte and C
//! strings, char literals vs lifetimes, nested block comments). For other
//! languages, quotes other than triple quotes and backticks end at the end
//! of the line, so that a construct the lexer does not model (a regex
//! literal, an apostrophe in a YAML scalar) can hide at most the rest of
//! its own line.

use std::ops::Range;

use super::comment::CommentStyle;
use crate::parse::lex::{is_ident, utf8_len};

/// One comment found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The whole comment, markers included, without the line ending of a
    /// line comment.
    pub range: Range<usize>,
    /// The text between the markers.
    pub body: Range<usize>,
    /// Whether this is a block comment rather than a line comment.
    pub block: bool,
}

/// All comments of `bytes` from offset `start` on, in file order.
#[must_use]
pub fn comments(bytes: &[u8], start: usize, style: CommentStyle) -> Vec<Comment> {
    let start = start.min(bytes.len());
    let mut lexer = Lexer { b: bytes, i: start, start, style, out: Vec::new(), leading_only: false };
    lexer.run();
    lexer.out
}

/// The comments of `bytes` from offset `start` up to the first code: the
/// file's leading comments (what a header can be), without lexing the rest.
#[must_use]
pub fn leading_comments(bytes: &[u8], start: usize, style: CommentStyle) -> Vec<Comment> {
    let start = start.min(bytes.len());
    let mut lexer = Lexer { b: bytes, i: start, start, style, out: Vec::new(), leading_only: true };
    lexer.run();
    lexer.out
}

struct Lexer<'a> {
    b: &'a [u8],
    i: usize,
    /// Where lexing began; it counts as the start of a line.
    start: usize,
    style: CommentStyle,
    out: Vec<Comment>,
    /// Stop at the first step that consumes code.
    leading_only: bool,
}

impl Lexer<'_> {
    fn at(&self, pos: usize, pat: &[u8]) -> bool {
        self.b.get(pos..).is_some_and(|rest| rest.starts_with(pat))
    }

    fn byte(&self, pos: usize) -> Option<u8> {
        self.b.get(pos).copied()
    }

    fn prev_is_ident(&self) -> bool {
        self.i > 0 && self.byte(self.i - 1).is_some_and(is_ident)
    }

    fn line_end(&self, from: usize) -> usize {
        memchr::memchr(b'\n', self.b.get(from..).unwrap_or_default()).map_or(self.b.len(), |n| from + n)
    }

    fn run(&mut self) {
        while self.i < self.b.len() {
            let before = self.i;
            let found = self.out.len();
            match self.style {
                CommentStyle::Rust => self.step_rust(),
                CommentStyle::CFamily | CommentStyle::CFamilyNested => self.step_c(),
                CommentStyle::Css => self.step_css(),
                CommentStyle::Hash => self.step_hash(),
                CommentStyle::Ini => self.step_ini(),
                CommentStyle::DoubleDash => self.step_double_dash(),
                CommentStyle::Html => self.step_html(),
            }
            // Every step consumes input; this guards against a step that
            // does not, which would otherwise loop forever.
            if self.i <= before {
                self.i = before + 1;
            }
            let code = || self.b.get(before..self.i).unwrap_or_default().iter().any(|b| !b.is_ascii_whitespace());
            if self.leading_only && self.out.len() == found && code() {
                return;
            }
        }
    }

    fn line_comment(&mut self, marker_len: usize) {
        let start = self.i;
        let mut end = self.line_end(start);
        if end > start && self.byte(end - 1) == Some(b'\r') {
            end -= 1;
        }
        let body_start = (start + marker_len).min(end);
        self.out.push(Comment { range: start..end, body: body_start..end, block: false });
        self.i = end.max(start + 1);
    }

    fn block_comment(&mut self, open: &[u8], close: &[u8], nested: bool) {
        let start = self.i;
        let body_start = start + open.len();
        let mut j = body_start;
        let mut depth = 1usize;
        while j < self.b.len() {
            if nested && self.at(j, open) {
                depth += 1;
                j += open.len();
            } else if self.at(j, close) {
                depth -= 1;
                j += close.len();
                if depth == 0 {
                    self.out.push(Comment { range: start..j, body: body_start..j - close.len(), block: true });
                    self.i = j;
                    return;
                }
            } else {
                j += 1;
            }
        }
        // Unclosed: the comment runs to the end of the file.
        let end = self.b.len();
        self.out.push(Comment { range: start..end, body: body_start.min(end)..end, block: true });
        self.i = end;
    }

    /// Skips a quoted literal starting at `self.i` whose opening delimiter
    /// is `open_len` bytes long and whose closing delimiter is `close`.
    /// With `escapes`, a backslash protects the next byte; with
    /// `line_bounded`, an unescaped newline ends the literal.
    fn skip_quoted(&mut self, open_len: usize, close: &[u8], escapes: bool, line_bounded: bool) {
        let mut j = self.i + open_len;
        while j < self.b.len() {
            match self.byte(j) {
                Some(b'\\') if escapes => j += 2,
                Some(b'\n') if line_bounded => {
                    self.i = j + 1;
                    return;
                }
                _ if self.at(j, close) => {
                    self.i = j + close.len();
                    return;
                }
                _ => j += 1,
            }
        }
        self.i = self.b.len();
    }

    fn step_rust(&mut self) {
        let i = self.i;
        let Some(c) = self.byte(i) else { return };
        if self.at(i, b"//") {
            self.line_comment(2);
        } else if self.at(i, b"/*") {
            self.block_comment(b"/*", b"*/", true);
        } else if c == b'"' {
            self.skip_quoted(1, b"\"", true, false);
        } else if c == b'\'' {
            self.skip_char_or_lifetime(i);
        } else if matches!(c, b'r' | b'b' | b'c') && !self.prev_is_ident() {
            self.skip_prefixed_literal(i);
        } else if is_ident(c) {
            let mut j = i;
            while self.byte(j).is_some_and(is_ident) {
                j += 1;
            }
            self.i = j;
        } else {
            self.i = i + 1;
        }
    }

    /// `'a'`, `'\n'` and `'"'` are char literals; `'a` and `'static` are
    /// lifetimes or labels, whose quote opens nothing.
    fn skip_char_or_lifetime(&mut self, i: usize) {
        match self.byte(i + 1) {
            Some(b'\\') => {
                // An escape: `'\''`, `'\u{1F600}'`. Find the closing quote
                // after the escaped byte; no escape is longer than
                // `\u{10FFFF}`, so looking further only costs time.
                let mut j = i + 3;
                while let Some(b) = self.byte(j).filter(|_| j <= i + 12) {
                    if b == b'\'' {
                        self.i = j + 1;
                        return;
                    }
                    if b == b'\n' {
                        break;
                    }
                    j += 1;
                }
                self.i = i + 1;
            }
            Some(lead) => {
                let after = i + 1 + utf8_len(lead);
                if self.byte(after) == Some(b'\'') {
                    self.i = after + 1;
                } else {
                    self.i = i + 1;
                }
            }
            None => self.i = i + 1,
        }
    }

    /// Raw strings `r"…"`, `r#"…"#`, byte strings `b"…"`, `br#"…"#`, byte
    /// chars `b'…'` and C strings `c"…"`, `cr#"…"#`; anything else starting
    /// with these letters is an identifier.
    fn skip_prefixed_literal(&mut self, i: usize) {
        let mut j = i + 1;
        let first = self.byte(i);
        if matches!(first, Some(b'b' | b'c')) && self.byte(j) == Some(b'r') {
            j += 1;
        }
        let raw = self.byte(j - 1) == Some(b'r');
        if raw {
            let hashes_start = j;
            while self.byte(j) == Some(b'#') {
                j += 1;
            }
            let hashes = j - hashes_start;
            if self.byte(j) == Some(b'"') {
                let mut close = vec![b'"'];
                close.extend(std::iter::repeat_n(b'#', hashes));
                self.i = j;
                self.skip_quoted(1, &close, false, false);
                return;
            }
        } else if self.byte(j) == Some(b'"') {
            self.i = j;
            self.skip_quoted(1, b"\"", true, false);
            return;
        } else if first == Some(b'b') && self.byte(j) == Some(b'\'') {
            self.skip_char_or_lifetime(j);
            return;
        }
        // Not a literal: consume the identifier it starts.
        let mut k = i;
        while self.byte(k).is_some_and(is_ident) {
            k += 1;
        }
        self.i = k;
    }

    fn step_c(&mut self) {
        let i = self.i;
        let Some(c) = self.byte(i) else { return };
        if self.at(i, b"//") {
            self.line_comment(2);
        } else if self.at(i, b"/*") {
            self.block_comment(b"/*", b"*/", self.style.nested_blocks());
        } else if self.at(i, b"\"\"\"") {
            self.skip_quoted(3, b"\"\"\"", true, false);
        } else if c == b'"' || c == b'\'' {
            self.skip_quoted(1, &[c], true, true);
        } else if c == b'`' {
            self.skip_quoted(1, b"`", true, false);
        } else {
            self.i = i + 1;
        }
    }

    fn step_css(&mut self) {
        let i = self.i;
        let Some(c) = self.byte(i) else { return };
        if self.at(i, b"/*") {
            self.block_comment(b"/*", b"*/", false);
        } else if c == b'"' || c == b'\'' {
            self.skip_quoted(1, &[c], true, true);
        } else {
            self.i = i + 1;
        }
    }

    fn step_hash(&mut self) {
        let i = self.i;
        let Some(c) = self.byte(i) else { return };
        let at_word_start = i == self.start || self.byte(i.wrapping_sub(1)).is_some_and(|p| p.is_ascii_whitespace());
        if c == b'#' && at_word_start {
            self.line_comment(1);
        } else if self.at(i, b"\"\"\"") || self.at(i, b"'''") {
            let close = [c, c, c];
            self.skip_quoted(3, &close, true, false);
        } else if c == b'"' || c == b'\'' {
            self.skip_quoted(1, &[c], true, true);
        } else {
            self.i = i + 1;
        }
    }

    /// Lexing only ever stops at line starts in INI files: a line is a
    /// comment when its first non-blank character is `;` or `#`, and
    /// nothing else on a line can start one.
    fn step_ini(&mut self) {
        let mut j = self.i;
        while matches!(self.byte(j), Some(b' ' | b'\t' | b'\r' | 0x0b | 0x0c)) {
            j += 1;
        }
        match self.byte(j) {
            Some(b';' | b'#') => {
                self.i = j;
                self.line_comment(1);
                self.i = self.line_end(self.i) + 1;
            }
            Some(_) => self.i = self.line_end(j) + 1,
            None => self.i = j,
        }
    }

    fn step_double_dash(&mut self) {
        let i = self.i;
        let Some(c) = self.byte(i) else { return };
        if self.at(i, b"--") {
            self.line_comment(2);
        } else if c == b'"' || c == b'\'' {
            self.skip_quoted(1, &[c], true, true);
        } else {
            self.i = i + 1;
        }
    }

    fn step_html(&mut self) {
        let i = self.i;
        if self.at(i, b"<!--") {
            self.block_comment(b"<!--", b"-->", false);
        } else if self.at(i, b"<![CDATA[") {
            self.skip_quoted(9, b"]]>", false, false);
        } else {
            self.i = i + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_comments_stop_at_code() {
        let src = b"// one\n/* two */\n\nfn f() {}\n// three\n";
        let all = comments(src, 0, CommentStyle::Rust);
        let leading = leading_comments(src, 0, CommentStyle::Rust);
        assert_eq!(all.len(), 3);
        assert_eq!(leading, all[..2]);
    }

    fn bodies(src: &str, style: CommentStyle) -> Vec<String> {
        comments(src.as_bytes(), 0, style)
            .into_iter()
            .map(|c| src.get(c.body).unwrap_or("<bad range>").to_owned())
            .collect()
    }

    #[test]
    fn rust_strings_hide_comment_markers() {
        let src = r##"let s = "// not a comment"; // real
let r = r#"/* "nope" */"#; /* yes */
let b = b"//"; let c = '"'; // after char
"##;
        assert_eq!(bodies(src, CommentStyle::Rust), vec![" real", " yes ", " after char"]);
    }

    #[test]
    fn rust_lifetimes_are_not_chars() {
        let src = "fn f<'a>(x: &'a str) -> &'a str { x } // c\nlet q = '\\''; // d\n";
        assert_eq!(bodies(src, CommentStyle::Rust), vec![" c", " d"]);
    }

    #[test]
    fn rust_nested_block_comments() {
        let src = "/* a /* b */ c */ x /* d";
        assert_eq!(bodies(src, CommentStyle::Rust), vec![" a /* b */ c ", " d"]);
        // C does not nest: the first `*/` ends the comment.
        assert_eq!(bodies("/* a /* b */ c */", CommentStyle::CFamily), vec![" a /* b "]);
    }

    #[test]
    fn rust_raw_identifiers_and_byte_chars() {
        let src = "let r#type = b'\"'; // c\nlet br = cr#\"//\"#; // e\n";
        assert_eq!(bodies(src, CommentStyle::Rust), vec![" c", " e"]);
    }

    #[test]
    fn hash_comments_need_a_word_start() {
        let src = "echo a#b # c\nx = \"# no\" # yes\n\"\"\"\n# inside\n\"\"\"\n";
        assert_eq!(bodies(src, CommentStyle::Hash), vec![" c", " yes"]);
    }

    #[test]
    fn line_bounded_quotes_do_not_swallow_the_file() {
        let src = "const re = /\"/; // one\n// two\n";
        assert_eq!(bodies(src, CommentStyle::CFamily), vec![" two"]);
        let src = "name: Bob's # hidden\n# seen\n";
        assert_eq!(bodies(src, CommentStyle::Hash), vec![" seen"]);
    }

    #[test]
    fn other_styles() {
        assert_eq!(bodies("a { } /* x */ '/*' \"*/\"", CommentStyle::Css), vec![" x "]);
        assert_eq!(bodies("; a\nk = v ; no\n  # b", CommentStyle::Ini), vec![" a", " b"]);
        assert_eq!(bodies("select '--' -- c\r\n", CommentStyle::DoubleDash), vec![" c"]);
        assert_eq!(bodies("<![CDATA[<!-- no -->]]><!-- yes -->", CommentStyle::Html), vec![" yes "]);
    }

    #[test]
    fn crlf_is_not_part_of_a_line_comment() {
        let c = comments(b"// a\r\nx", 0, CommentStyle::Rust);
        assert_eq!(c, vec![Comment { range: 0..4, body: 2..4, block: false }]);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_ranges_are_ordered(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200), style in 0usize..8) {
            let style = [
                CommentStyle::Rust, CommentStyle::CFamily, CommentStyle::CFamilyNested, CommentStyle::Css,
                CommentStyle::Hash, CommentStyle::Ini, CommentStyle::DoubleDash, CommentStyle::Html,
            ][style];
            let found = comments(&bytes, 0, style);
            let mut last = 0;
            for c in found {
                proptest::prop_assert!(c.range.start >= last);
                proptest::prop_assert!(c.range.start <= c.body.start && c.body.start <= c.body.end && c.body.end <= c.range.end);
                proptest::prop_assert!(c.range.end <= bytes.len());
                last = c.range.end;
            }
        }
    }
}
