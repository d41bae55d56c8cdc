//! The part of a source file a human report shows, made safe to print.
//!
//! miette prints source lines as they are, so a control character in a line
//! would reach the terminal and a 1 MB line would be printed whole (and, past
//! 65 535 columns, make miette's label drawing panic). An [`Excerpt`] is the
//! lines the report shows, each with those characters written as `\u{..}`
//! (tabs stay: miette expands them) and, when longer than [`MAX_COLUMNS`],
//! cut to a window around the label on it with `…` where text was left out.
//! Spans are mapped into the excerpt so labels still point at the right
//! characters, and line and column numbers are the file's own.

use std::ops::Range;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::diagnostic::SourceFile;

use super::visible::{push_char, visible};

/// Lines with more characters than this are cut to a window of this many.
pub const MAX_COLUMNS: usize = 160;

/// How many characters of the window come before the label it is centred on.
const LEAD_COLUMNS: usize = 60;

/// Marks text left out of a cut line.
const ELLIPSIS: &str = "…";

/// One shown line: where it is in the file and in the excerpt.
#[derive(Debug)]
struct Shown {
    /// The line's byte range in the file, without its line ending.
    content: Range<usize>,
    /// Where the line starts in the excerpt.
    at: usize,
    /// Where the line's text ends in the excerpt (before its newline).
    end: usize,
    /// For each character boundary in the window, its offset in the file and
    /// in the excerpt, ascending; never empty.
    marks: Vec<(usize, usize)>,
}

/// Lines of one file, ready for miette.
#[derive(Debug)]
pub struct Excerpt {
    /// The file's path, made visible.
    name: String,
    /// The shown lines, each ending as the file's does.
    text: String,
    /// 0-based number of the first shown line.
    first_line: usize,
    lines: Vec<Shown>,
    /// Each span's start: its offset in the file and 0-based character column.
    columns: Vec<(usize, usize)>,
}

impl Excerpt {
    /// The lines `spans` touch, one line of context around them, and every
    /// line between (as miette shows them). A cut line's window is centred on
    /// the first span starting on it, else on the first span of all (`spans`
    /// should list the primary span first).
    pub fn new(file: &SourceFile, spans: &[Range<usize>]) -> Self {
        let line_of = |offset: usize| file.line_col(offset).line;
        let first = spans.iter().map(|s| line_of(s.start)).min().unwrap_or(1).saturating_sub(1).max(1);
        let last_in_file = file.line_col(file.text.len()).line;
        let last = spans.iter().map(|s| line_of(s.end)).max().unwrap_or(1).saturating_add(1).min(last_in_file);
        let default_focus = spans.first().map_or(0, |s| column_of(file, s.start));

        let mut text = String::new();
        let mut lines = Vec::new();
        for line in first..=last.max(first) {
            let start = file.line_start(line);
            let next = file.line_start(line + 1).max(start);
            let raw = file.text.get(start..next).unwrap_or("");
            let without_lf = raw.strip_suffix('\n').unwrap_or(raw);
            let content_text = without_lf.strip_suffix('\r').unwrap_or(without_lf);
            let content = start..start + content_text.len();
            let focus = spans
                .iter()
                .find(|s| content.contains(&s.start) || s.start == content.end)
                .map_or(default_focus, |s| column_of(file, s.start));
            let at = text.len();
            let marks = push_line(&mut text, content_text, start, focus);
            let end = text.len();
            if raw.len() > content_text.len() {
                text.push('\n');
            }
            lines.push(Shown { content, at, end, marks });
        }
        Excerpt {
            name: visible(&file.path).into_owned(),
            text,
            first_line: first - 1,
            lines,
            columns: spans.iter().map(|s| (s.start, column_of(file, s.start))).collect(),
        }
    }

    /// A span of the file as a span of the excerpt.
    pub fn span(&self, span: &Range<usize>) -> SourceSpan {
        let start = self.offset(span.start, false);
        let end = self.offset(span.end, true).max(start);
        SourceSpan::from(start..end)
    }

    /// Where a file offset is in the excerpt. Offsets left of a cut line's
    /// window go to the leading `…`, offsets right of it to the trailing one.
    fn offset(&self, offset: usize, is_end: bool) -> usize {
        let index = self.lines.partition_point(|l| l.content.start <= offset).saturating_sub(1);
        let Some(line) = self.lines.get(index) else { return 0 };
        let (Some(&(first, first_at)), Some(&(last, last_at))) = (line.marks.first(), line.marks.last()) else {
            return line.at;
        };
        if offset < first {
            return if is_end { first_at } else { line.at };
        }
        if offset > line.content.end {
            return line.end;
        }
        if offset > last {
            return if is_end { line.end } else { last_at };
        }
        let i = line.marks.partition_point(|&(o, _)| o < offset);
        match line.marks.get(i) {
            Some(&(o, at)) if o == offset || is_end => at,
            _ => line.marks.get(i.saturating_sub(1)).map_or(line.at, |&(_, at)| at),
        }
    }

    /// The file's 0-based column of an excerpt offset that starts a span.
    fn column(&self, at: usize) -> Option<usize> {
        let line = self.lines.iter().find(|l| l.at <= at && at <= l.end)?;
        let &(offset, _) = line.marks.iter().find(|&&(_, a)| a == at)?;
        self.columns.iter().find(|&&(o, _)| o == offset).map(|&(_, c)| c)
    }
}

/// The 0-based character column of a byte offset.
fn column_of(file: &SourceFile, offset: usize) -> usize {
    file.line_col(offset).column.saturating_sub(1)
}

/// Appends a line's shown text and returns its marks (see [`Shown::marks`]).
fn push_line(text: &mut String, line: &str, start: usize, focus: usize) -> Vec<(usize, usize)> {
    let chars = line.chars().count();
    let (from, to) = if chars <= MAX_COLUMNS {
        (0, chars)
    } else {
        let from = focus.saturating_sub(LEAD_COLUMNS).min(chars - MAX_COLUMNS);
        (from, from + MAX_COLUMNS)
    };
    if from > 0 {
        text.push_str(ELLIPSIS);
    }
    let mut marks = Vec::with_capacity(to - from + 1);
    let mut window = line.char_indices().skip(from).take(to - from).peekable();
    let first = window.peek().map_or(line.len(), |&(i, _)| i);
    marks.push((start + first, text.len()));
    for (i, c) in window {
        push_char(text, c, true);
        marks.push((start + i + c.len_utf8(), text.len()));
    }
    if to < chars {
        text.push_str(ELLIPSIS);
    }
    marks
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        // miette counts columns in bytes of what it is given; the header
        // shows the file's own, in characters, as the short format does.
        let column = if before == 0 { self.column(span.offset()).unwrap_or(inner.column()) } else { inner.column() };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            inner.line_count() + self.first_line,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(f: &SourceFile, span: Range<usize>) -> Excerpt {
        Excerpt::new(f, std::slice::from_ref(&span))
    }

    fn shown(e: &Excerpt, span: &Range<usize>) -> String {
        let s = e.span(span);
        e.text[s.offset()..s.offset() + s.len()].to_owned()
    }

    #[test]
    fn ordinary_lines_are_kept_as_they_are() {
        let f = SourceFile::new("a.rs", "one\ntwo three\r\nfour\n");
        let e = one(&f, 8..13);
        assert_eq!(e.text, "one\ntwo three\nfour\n");
        assert_eq!(shown(&e, &(8..13)), "three");
        assert_eq!(e.first_line, 0);
    }

    #[test]
    fn control_characters_are_escaped_and_spans_follow() {
        let f = SourceFile::new("a\u{1b}.rs", "x\u{1b}[2Ky = BAD;\n");
        let e = one(&f, 9..12);
        assert_eq!(e.text, "x\\u{1b}[2Ky = BAD;\n");
        assert_eq!(shown(&e, &(9..12)), "BAD");
        assert_eq!(e.name, "a\\u{1b}.rs");
        assert_eq!(e.column(e.span(&(9..12)).offset()), Some(9), "the file's column, not the shown one");
    }

    #[test]
    fn a_long_line_is_cut_around_the_span() {
        let line = format!("{}TARGET{}", "a".repeat(500_000), "b".repeat(500_000));
        let f = SourceFile::new("a.rs", format!("first\n{line}\nlast\n"));
        let at = 6 + 500_000;
        let e = one(&f, at..at + 6);
        assert!(e.text.len() < 3 * MAX_COLUMNS, "{} bytes", e.text.len());
        assert_eq!(shown(&e, &(at..at + 6)), "TARGET");
        let cut = e.text.lines().nth(1).unwrap();
        assert!(cut.starts_with('…') && cut.ends_with('…'), "{cut}");
        assert_eq!(e.column(e.span(&(at..at + 6)).offset()), Some(500_000));
        // A span running off the window ends at the trailing marker.
        assert!(shown(&e, &(at..at + 100_000)).ends_with("bbb…"));
    }

    #[test]
    fn a_span_at_the_start_of_a_long_line_keeps_the_start() {
        let f = SourceFile::new("a.rs", "x".repeat(1 << 20));
        let e = one(&f, 0..0);
        assert_eq!(e.text.chars().count(), MAX_COLUMNS + 1);
        assert!(e.text.ends_with('…'));
        assert_eq!(e.span(&(0..0)), SourceSpan::from(0..0));
    }

    #[test]
    fn lines_are_numbered_as_in_the_file() {
        let text = (1..=50).map(|i| format!("line {i}\n")).collect::<Vec<_>>().concat();
        let f = SourceFile::new("a.rs", text.clone());
        let at = text.find("line 30").unwrap();
        let e = one(&f, at..at + 4);
        assert_eq!(e.text, "line 29\nline 30\nline 31\n");
        let contents = e.read_span(&e.span(&(at..at + 4)), 0, 0).unwrap();
        assert_eq!((contents.line(), contents.column()), (29, 0));
    }
}
