//! Source text with a line index, shared by the diagnostics that point into it.

use std::ops::Range;

/// A 1-based line and column (columns count Unicode scalar values, as rustc does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Where each line of a text starts: byte offsets to 1-based lines.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `bytes` by line.
    pub fn new(bytes: &[u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding `byte`.
    pub fn line_of(&self, byte: usize) -> usize {
        self.starts.partition_point(|&s| s <= byte).max(1)
    }

    /// The start of the 1-based `line`, if the text has it.
    pub fn start_of_line(&self, line: usize) -> Option<usize> {
        line.checked_sub(1).and_then(|i| self.starts.get(i)).copied()
    }

    /// The start of the line holding `byte`.
    pub fn line_start(&self, byte: usize) -> usize {
        self.start_of_line(self.line_of(byte)).unwrap_or(0)
    }

    /// The offset of the `\n` ending the line holding `byte`, or `len`.
    pub fn line_end(&self, byte: usize, len: usize) -> usize {
        self.starts.get(self.line_of(byte)).map_or(len, |next| next.saturating_sub(1))
    }
}

/// The text of one file as diagnostics see it.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the workspace root, `/`-separated.
    pub path: String,
    /// The text (lossily decoded when the file is not UTF-8: only for display).
    pub text: String,
    lines: LineIndex,
}

impl SourceFile {
    /// Indexes `text` by line.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let lines = LineIndex::new(text.as_bytes());
        SourceFile { path: path.into(), text, lines }
    }

    /// Clamps a span to the text and to char boundaries.
    pub fn clamp(&self, span: Range<usize>) -> Range<usize> {
        let floor = |mut i: usize| {
            i = i.min(self.text.len());
            while !self.text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = floor(span.start);
        start..floor(span.end).max(start)
    }

    /// The 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.clamp(offset..offset).start;
        let line = self.lines.line_of(offset);
        let start = self.lines.start_of_line(line).unwrap_or(0);
        let column = self.text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        LineCol { line, column }
    }

    /// The byte offset of the start of a 1-based line (the end of the text past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.lines.start_of_line(line).unwrap_or(self.text.len())
    }

    /// The text of a 1-based line without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_start(line);
        let end = self.line_start(line + 1);
        self.text.get(start..end).unwrap_or("").trim_end_matches(['\n', '\r'])
    }

    /// The span of a 1-based line without its line ending.
    pub fn line_span(&self, line: usize) -> Range<usize> {
        let start = self.line_start(line);
        start..start + self.line_text(line).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let f = SourceFile::new("a", "ab\r\nçd\nlast");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(4), LineCol { line: 2, column: 1 });
        assert_eq!(f.line_col(6), LineCol { line: 2, column: 2 }, "ç is one column");
        assert_eq!(f.line_col(99), LineCol { line: 3, column: 5 });
        assert_eq!(f.line_text(1), "ab");
        assert_eq!(f.line_text(3), "last");
        assert_eq!(f.line_text(9), "");
        assert_eq!(f.line_span(2), 4..7);
    }
}
