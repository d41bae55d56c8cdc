//! Finds a file's SPDX header: the license and copyright tags of its
//! leading comments, following the SPDX and REUSE conventions.
//!
//! Only comments before the first code token form the header. Ahead of them
//! may come a UTF-8 byte order mark, an interpreter line (`#!…`, but never a
//! Rust `#![` inner attribute), an XML declaration in markup, and a
//! frontmatter block (cargo-script in Rust, YAML front matter in markup);
//! none of these count as code, and a missing header is inserted after
//! them.

use std::ops::Range;

use super::comment::CommentStyle;
use super::lexer::{self, Comment};
use super::snippet::{self, Event, Snippet, SnippetError};
use super::tag::LicenseTag;
use crate::diagnostic::LineIndex;

const BOM: &[u8] = b"\xEF\xBB\xBF";
const LICENSE_TAG: &[u8] = b"SPDX-License-Identifier:";
const SNIPPET_BEGIN: &[u8] = b"SPDX-SnippetBegin";
const SNIPPET_END: &[u8] = b"SPDX-SnippetEnd";
const COPYRIGHT_TAG: &[u8] = b"SPDX-FileCopyrightText:";

/// The line terminator a file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineEnding {
    /// `\n`
    #[default]
    Lf,
    /// `\r\n`
    CrLf,
}

impl LineEnding {
    /// The terminator itself.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }
}

/// Everything license-related found in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// The file starts with a UTF-8 byte order mark.
    pub bom: bool,
    /// The interpreter line (`#!…`), without its line ending.
    pub shebang: Option<Range<usize>>,
    /// The XML declaration (`<?xml …?>`) of a markup file, which must stay
    /// first.
    pub xml_declaration: Option<Range<usize>>,
    /// The frontmatter block, from its opening fence to the end of its
    /// closing fence (without that line's ending).
    pub frontmatter: Option<Range<usize>>,
    /// The leading comment block; empty (at `insert_at`) when there is none.
    pub header: Range<usize>,
    /// File-level `SPDX-License-Identifier` values, in order. More than one
    /// value is a conflict for the caller to report.
    pub licenses: Vec<LicenseTag>,
    /// License tags outside the header and outside every snippet (for
    /// example a header after code), which do not count.
    pub stray_licenses: Vec<LicenseTag>,
    /// Copyright statements of the header: the value of
    /// `SPDX-FileCopyrightText:`, or a whole `Copyright …`/`© …` statement.
    pub copyrights: Vec<LicenseTag>,
    /// Snippets in file order of their begin markers.
    pub snippets: Vec<Snippet>,
    /// Unbalanced snippet markers and tags belonging to nothing.
    pub snippet_errors: Vec<SnippetError>,
    /// Where a missing header goes: after the BOM, interpreter line, XML
    /// declaration, frontmatter and a Python encoding declaration, before
    /// everything else (including Rust inner attributes).
    pub insert_at: usize,
    /// The file's dominant line ending (the first line's on a tie, `\n` for
    /// a file without line breaks).
    pub line_ending: LineEnding,
    /// The file is not valid UTF-8; the scan still reads its ASCII bytes.
    pub not_utf8: bool,
    /// Length of the scanned file, for spans that run to its end.
    pub len: usize,
}

impl Scan {
    /// The snippets enclosing `byte`, innermost first.
    #[must_use]
    pub fn snippet_at(&self, byte: usize) -> Vec<&Snippet> {
        snippet::enclosing(&self.snippets, byte, self.len)
    }
}

/// Offset of the `\n` ending the line containing `from`, or the file length.
pub(super) fn line_end(bytes: &[u8], from: usize) -> usize {
    let from = from.min(bytes.len());
    memchr::memchr(b'\n', bytes.get(from..).unwrap_or_default()).map_or(bytes.len(), |n| from + n)
}

/// Start of the line after the one containing `from`, or the file length.
pub(super) fn next_line(bytes: &[u8], from: usize) -> usize {
    (line_end(bytes, from) + 1).min(bytes.len())
}

/// Start of the line containing `at`.
pub(super) fn line_start(bytes: &[u8], at: usize) -> usize {
    let at = at.min(bytes.len());
    memchr::memrchr(b'\n', bytes.get(..at).unwrap_or_default()).map_or(0, |n| n + 1)
}

fn without_cr(bytes: &[u8], start: usize, end: usize) -> usize {
    if end > start && bytes.get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
}

fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// The dominant line ending: majority vote, the first line's on a tie.
pub(super) fn detect_line_ending(bytes: &[u8]) -> LineEnding {
    let mut crlf = 0usize;
    let mut lf = 0usize;
    let mut first = None;
    for i in memchr::memchr_iter(b'\n', bytes) {
        let is_crlf = i > 0 && bytes.get(i - 1) == Some(&b'\r');
        first.get_or_insert(is_crlf);
        if is_crlf {
            crlf += 1;
        } else {
            lf += 1;
        }
    }
    let crlf_wins = match crlf.cmp(&lf) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => first == Some(true),
    };
    if crlf_wins {
        LineEnding::CrLf
    } else {
        LineEnding::Lf
    }
}

/// In Rust, `#!` followed (across whitespace and comments) by `[` starts an
/// inner attribute, as rustc decides; anything else is an interpreter line.
fn rust_attribute_follows(bytes: &[u8], mut j: usize) -> bool {
    loop {
        while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        let rest = bytes.get(j..).unwrap_or_default();
        if rest.starts_with(b"//") {
            j = line_end(bytes, j);
        } else if rest.starts_with(b"/*") {
            let mut depth = 0usize;
            loop {
                let here = bytes.get(j..).unwrap_or_default();
                if here.is_empty() {
                    return false;
                } else if here.starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if here.starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
        } else {
            return rest.first() == Some(&b'[');
        }
    }
}

fn detect_shebang(bytes: &[u8], pos: usize, style: CommentStyle) -> Option<Range<usize>> {
    if !style.allows_shebang() || !bytes.get(pos..)?.starts_with(b"#!") {
        return None;
    }
    if style == CommentStyle::Rust && rust_attribute_follows(bytes, pos + 2) {
        return None;
    }
    Some(pos..without_cr(bytes, pos, line_end(bytes, pos)))
}

fn detect_xml_declaration(bytes: &[u8], pos: usize, style: CommentStyle) -> Option<Range<usize>> {
    if style != CommentStyle::Html || !bytes.get(pos..)?.starts_with(b"<?xml") {
        return None;
    }
    let close = memchr::memmem::find(bytes.get(pos..)?, b"?>")?;
    Some(pos..pos + close + 2)
}

/// A fenced block at `pos`: a line of three or more dashes (Rust allows an
/// infostring after it, markup does not) up to a line with the same dashes.
fn detect_frontmatter(bytes: &[u8], pos: usize, style: CommentStyle) -> Option<Range<usize>> {
    if !matches!(style, CommentStyle::Rust | CommentStyle::Html) {
        return None;
    }
    let open_end = without_cr(bytes, pos, line_end(bytes, pos));
    let open = bytes.get(pos..open_end)?;
    let dashes = open.iter().take_while(|b| **b == b'-').count();
    if dashes < 3 {
        return None;
    }
    let info = open.get(dashes..).unwrap_or_default().trim_ascii();
    let info_ok = if style == CommentStyle::Rust {
        info.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b','))
            && !info.starts_with(b"-")
    } else {
        dashes == 3 && info.is_empty()
    };
    if !info_ok {
        return None;
    }
    let mut line = next_line(bytes, pos);
    while line < bytes.len() {
        let end = without_cr(bytes, line, line_end(bytes, line));
        let content = bytes.get(line..end).unwrap_or_default();
        let run = content.iter().take_while(|b| **b == b'-').count();
        if run == dashes && content.get(run..).is_some_and(|rest| rest.trim_ascii().is_empty()) {
            return Some(pos..end);
        }
        line = next_line(bytes, line);
    }
    None
}

/// A Python source-encoding declaration (PEP 263) must stay on line 1 or 2.
fn is_encoding_declaration(line: &[u8]) -> bool {
    line.starts_with(b"#")
        && (memchr::memmem::find(line, b"coding:").is_some() || memchr::memmem::find(line, b"coding=").is_some())
}

/// Byte range of a tag's value: the bytes from `from` to `end` (the end of
/// its line or comment), trimmed, with a trailing block-comment closer
/// removed.
pub(super) fn tag_value(bytes: &[u8], from: usize, end: usize) -> Range<usize> {
    let end = end.clamp(from, bytes.len().max(from));
    let mut s = from;
    let mut e = end;
    let trim = |s: &mut usize, e: &mut usize| {
        while *s < *e && bytes.get(*s).is_some_and(u8::is_ascii_whitespace) {
            *s += 1;
        }
        while *e > *s && bytes.get(*e - 1).is_some_and(u8::is_ascii_whitespace) {
            *e -= 1;
        }
    };
    trim(&mut s, &mut e);
    for closer in [&b"*/"[..], b"-->"] {
        if bytes.get(s..e).is_some_and(|v| v.ends_with(closer)) {
            e -= closer.len();
            trim(&mut s, &mut e);
        }
    }
    if s == e {
        // An empty value sits right after the tag, before any padding.
        return from..from;
    }
    s..e
}

fn make_tag(bytes: &[u8], range: Range<usize>, lines: &LineIndex) -> LicenseTag {
    LicenseTag {
        text: String::from_utf8_lossy(bytes.get(range.clone()).unwrap_or_default()).into_owned(),
        line: lines.line_of(range.start),
        range,
    }
}

fn word_ends(bytes: &[u8], at: usize) -> bool {
    !bytes.get(at).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
}

/// Copyright statements on the lines of a header comment.
fn copyrights_in(bytes: &[u8], comment: &Comment, lines: &LineIndex, out: &mut Vec<LicenseTag>) {
    let mut start = comment.body.start;
    while start < comment.body.end {
        let end = lines.line_end(start, bytes.len()).min(comment.body.end);
        let line = bytes.get(start..end).unwrap_or_default();
        let decoration = line
            .iter()
            .take_while(|b| b.is_ascii_whitespace() || matches!(b, b'*' | b'/' | b'!' | b'#' | b';' | b'-'))
            .count();
        let content = start + decoration;
        let rest = bytes.get(content..end).unwrap_or_default();
        if rest.starts_with(COPYRIGHT_TAG) {
            out.push(make_tag(bytes, tag_value(bytes, content + COPYRIGHT_TAG.len(), end), lines));
        } else if rest.starts_with(b"Copyright") || rest.starts_with("©".as_bytes()) {
            out.push(make_tag(bytes, tag_value(bytes, content, end), lines));
        }
        start = end + 1;
    }
}

/// An SPDX tag recognised inside a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    License,
    Begin,
    End,
    /// Another SPDX tag (`SPDX-FileCopyrightText:` …), which ends a value
    /// before it on the same line.
    Other,
}

fn mark_at(bytes: &[u8], at: usize, limit: usize) -> Option<Mark> {
    let rest = bytes.get(at..limit).unwrap_or_default();
    if rest.starts_with(LICENSE_TAG) {
        Some(Mark::License)
    } else if rest.starts_with(SNIPPET_BEGIN) && word_ends(bytes, at + SNIPPET_BEGIN.len()) {
        Some(Mark::Begin)
    } else if rest.starts_with(SNIPPET_END) && word_ends(bytes, at + SNIPPET_END.len()) {
        Some(Mark::End)
    } else {
        const OTHER_TAGS: [&[u8]; 3] = [COPYRIGHT_TAG, b"SPDX-SnippetCopyrightText:", b"SPDX-FileContributor:"];
        OTHER_TAGS.iter().any(|t| rest.starts_with(t)).then_some(Mark::Other)
    }
}

/// Snippet and license events of all comments, in file order, and the
/// copyright statements of the first `header_count` (leading) comments.
fn collect_tags(
    bytes: &[u8],
    comments: &[Comment],
    header_count: usize,
    lines: &LineIndex,
) -> (Vec<Event>, Vec<LicenseTag>) {
    let mut events = Vec::new();
    let mut copyrights = Vec::new();
    for (index, comment) in comments.iter().enumerate() {
        let in_header = index < header_count;
        if in_header {
            copyrights_in(bytes, comment, lines, &mut copyrights);
        }
        let body = bytes.get(comment.body.clone()).unwrap_or_default();
        let marks: Vec<(usize, Mark)> = memchr::memmem::find_iter(body, b"SPDX-")
            .filter_map(|offset| {
                let at = comment.body.start + offset;
                mark_at(bytes, at, comment.body.end).map(|m| (at, m))
            })
            .collect();
        for (k, (at, mark)) in marks.iter().enumerate() {
            let at = *at;
            match mark {
                Mark::License => {
                    // A value ends at its line's end or at the next tag on
                    // the same line, whichever comes first.
                    let from = at + LICENSE_TAG.len();
                    let next_tag = marks.get(k + 1).map_or(comment.body.end, |(n, _)| *n);
                    let end = lines.line_end(from, bytes.len()).min(comment.body.end).min(next_tag);
                    events.push(Event::License { tag: make_tag(bytes, tag_value(bytes, from, end), lines), in_header });
                }
                Mark::Begin => events.push(Event::Begin {
                    range: at..at + SNIPPET_BEGIN.len(),
                    line: lines.line_of(at),
                    next_line: (lines.line_end(at, bytes.len()) + 1).min(bytes.len()),
                }),
                Mark::End => events.push(Event::End {
                    range: at..at + SNIPPET_END.len(),
                    line: lines.line_of(at),
                    line_start: lines.line_start(at),
                }),
                Mark::Other => {}
            }
        }
    }
    (events, copyrights)
}

/// Scans a file's bytes for its SPDX header, copyright statements and
/// snippets. Never fails and never panics: anything unreadable simply
/// yields no tags.
#[must_use]
pub fn scan(bytes: &[u8], style: CommentStyle) -> Scan {
    let lines = LineIndex::new(bytes);
    let bom = bytes.starts_with(BOM);
    let mut pos = if bom { BOM.len() } else { 0 };

    let shebang = detect_shebang(bytes, pos, style);
    if let Some(r) = &shebang {
        pos = next_line(bytes, r.end);
    }
    let xml_declaration = detect_xml_declaration(bytes, pos, style);
    if let Some(r) = &xml_declaration {
        let rest_of_line = bytes.get(r.end..line_end(bytes, r.end)).unwrap_or_default();
        pos = if is_blank(rest_of_line) { next_line(bytes, r.end) } else { r.end };
    }
    let frontmatter = detect_frontmatter(bytes, pos, style);
    if let Some(r) = &frontmatter {
        pos = next_line(bytes, r.end);
    }

    let mut insert_at = pos;
    if style == CommentStyle::Hash && lines.line_of(pos) <= 2 {
        let first = bytes.get(pos..without_cr(bytes, pos, line_end(bytes, pos))).unwrap_or_default();
        if is_encoding_declaration(first) {
            insert_at = next_line(bytes, pos);
        }
    }

    // Tags further down (strays, snippets) all start with `SPDX-`: without
    // one past the leading comments, the rest of the file need not be lexed.
    let mut comments = lexer::leading_comments(bytes, pos, style);
    let lexed_to = comments.last().map_or(pos, |c| c.range.end);
    if memchr::memmem::find(bytes.get(lexed_to..).unwrap_or_default(), b"SPDX-").is_some() {
        comments = lexer::comments(bytes, pos, style);
    }
    let mut header_count = 0usize;
    let mut cursor = pos;
    for c in &comments {
        if !is_blank(bytes.get(cursor..c.range.start).unwrap_or_default()) {
            break;
        }
        header_count += 1;
        cursor = c.range.end;
    }
    let header = match (comments.first(), header_count.checked_sub(1).and_then(|i| comments.get(i))) {
        (Some(first), Some(last)) => first.range.start..last.range.end,
        _ => insert_at..insert_at,
    };

    let (events, copyrights) = collect_tags(bytes, &comments, header_count, &lines);
    let pairing = snippet::pair(events, bytes.len());

    Scan {
        bom,
        shebang,
        xml_declaration,
        frontmatter,
        header,
        licenses: pairing.file_licenses,
        stray_licenses: pairing.stray_licenses,
        copyrights,
        snippets: pairing.snippets,
        snippet_errors: pairing.errors,
        insert_at,
        line_ending: detect_line_ending(bytes),
        not_utf8: std::str::from_utf8(bytes).is_err(),
        len: bytes.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rs(src: &str) -> Scan {
        scan(src.as_bytes(), CommentStyle::Rust)
    }

    fn texts(tags: &[LicenseTag]) -> Vec<&str> {
        tags.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn simple_line_header() {
        let src = "// SPDX-FileCopyrightText: 2024 Acme\n// SPDX-License-Identifier: AGPL-3.0-only\n\nfn main() {}\n";
        let s = rs(src);
        assert_eq!(texts(&s.licenses), vec!["AGPL-3.0-only"]);
        let tag = &s.licenses[0];
        assert_eq!(tag.line, 2);
        assert_eq!(&src[tag.range.clone()], "AGPL-3.0-only");
        assert_eq!(texts(&s.copyrights), vec!["2024 Acme"]);
        assert_eq!(s.header, 0..src.find("\n\n").unwrap_or_default());
        assert_eq!(s.insert_at, 0);
        assert!(!s.not_utf8);
    }

    #[test]
    fn tag_in_string_literal_is_not_a_header() {
        let s = rs("let s = \"// SPDX-License-Identifier: MIT\";\n");
        assert!(s.licenses.is_empty());
        assert!(s.stray_licenses.is_empty());
        assert_eq!(s.header, 0..0);
    }

    #[test]
    fn header_after_code_does_not_count() {
        let mut src = String::new();
        for i in 0..299 {
            src.push_str("const C: u32 = ");
            src.push_str(&i.to_string());
            src.push_str(";\n");
        }
        src.push_str("// SPDX-License-Identifier: MIT\n");
        let s = rs(&src);
        assert!(s.licenses.is_empty());
        assert_eq!(s.stray_licenses.len(), 1);
        assert_eq!(s.stray_licenses[0].line, 300);
        assert_eq!(s.insert_at, 0);
    }

    #[test]
    fn lowercase_id_is_reported_as_written() {
        let s = rs("// SPDX-License-Identifier: agpl-3.0-only\n");
        assert_eq!(texts(&s.licenses), vec!["agpl-3.0-only"]);
    }

    #[test]
    fn tag_is_case_sensitive() {
        let s = rs("// spdx-license-identifier: MIT\n");
        assert!(s.licenses.is_empty());
    }

    #[test]
    fn conflicting_identifiers_are_all_returned() {
        let s = rs("// SPDX-License-Identifier: MIT\n// SPDX-License-Identifier: LicenseRef-Acme\nfn x() {}\n");
        assert_eq!(texts(&s.licenses), vec!["MIT", "LicenseRef-Acme"]);
        assert_eq!(s.licenses[1].line, 2);
    }

    #[test]
    fn block_comment_headers() {
        let src = "/* SPDX-License-Identifier: MIT */\nfn x() {}\n";
        let s = rs(src);
        assert_eq!(texts(&s.licenses), vec!["MIT"]);
        assert_eq!(&src[s.licenses[0].range.clone()], "MIT");

        let src = "/*\n * Copyright (c) 2020 Acme\n * SPDX-License-Identifier: Apache-2.0\n */\nfn x() {}\n";
        let s = rs(src);
        assert_eq!(texts(&s.licenses), vec!["Apache-2.0"]);
        assert_eq!(s.licenses[0].line, 3);
        assert_eq!(texts(&s.copyrights), vec!["Copyright (c) 2020 Acme"]);
        assert_eq!(s.header, 0..src.find("\nfn").unwrap_or_default());

        let s = rs("/*! SPDX-License-Identifier: MIT\n */\n");
        assert_eq!(texts(&s.licenses), vec!["MIT"]);
        let s = rs("/** SPDX-License-Identifier: MIT */ fn x() {}");
        assert_eq!(texts(&s.licenses), vec!["MIT"]);
    }

    #[test]
    fn doc_comment_headers() {
        let s = rs("//! SPDX-License-Identifier: MIT\n//! Crate docs.\n\n#![forbid(unsafe_code)]\n");
        assert_eq!(texts(&s.licenses), vec!["MIT"]);
        let s = rs("/// SPDX-License-Identifier: MIT\npub fn x() {}\n");
        assert_eq!(texts(&s.licenses), vec!["MIT"]);
    }

    #[test]
    fn blank_lines_between_header_comments() {
        let s = rs("// Copyright 2024 Acme\n\n\n// SPDX-License-Identifier: MIT\nfn x() {}\n");
        assert_eq!(texts(&s.licenses), vec!["MIT"]);
        assert_eq!(texts(&s.copyrights), vec!["Copyright 2024 Acme"]);
    }

    #[test]
    fn inner_attribute_with_space_is_not_a_shebang() {
        let s = rs("#! [allow(x)]\nfn main() {}\n");
        assert_eq!(s.shebang, None);
        assert_eq!(s.insert_at, 0);
        let s = rs("#!\n// comment\n[allow(x)]\n");
        assert_eq!(s.shebang, None);
        let s = rs("#![allow(x)]\n// SPDX-License-Identifier: MIT\n");
        assert!(s.licenses.is_empty(), "an inner attribute is code");
    }

    #[test]
    fn shebang_then_header() {
        let src = "#!/usr/bin/env rust-script\n// SPDX-License-Identifier: MIT\nfn main() {}\n";
        let s = rs(src);
        assert_eq!(s.shebang, Some(0..26));
        assert_eq!(texts(&s.licenses), vec!["MIT"]);
        assert_eq!(s.insert_at, 27);
    }

    #[test]
    fn bom_insertion_point() {
        let s = rs("\u{feff}fn main() {}\n");
        assert!(s.bom);
        assert_eq!(s.insert_at, 3);
        let s = rs("\u{feff}// SPDX-License-Identifier: MIT\n");
        assert_eq!(texts(&s.licenses), vec!["MIT"]);
        let s = scan("\u{feff}# SPDX-License-Identifier: MIT\n".as_bytes(), CommentStyle::Hash);
        assert_eq!(texts(&s.licenses), vec!["MIT"]);
    }

    #[test]
    fn cargo_script_frontmatter() {
        let src = "#!/usr/bin/env -S cargo +nightly -Zscript\n---cargo\n[dependencies]\nregex = \"1\" # SPDX-License-Identifier: MIT\n---\n// SPDX-License-Identifier: Apache-2.0\nfn main() {}\n";
        let s = rs(src);
        let fm = s.frontmatter.clone().unwrap_or_default();
        assert!(src[fm.clone()].starts_with("---cargo") && src[fm].ends_with("---"));
        assert_eq!(texts(&s.licenses), vec!["Apache-2.0"]);
        assert_eq!(s.insert_at, src.find("// SPDX").unwrap_or_default());

        // Without a shebang the frontmatter may start the file.
        let s = rs("---\n[package]\n---\nfn main() {}\n");
        assert_eq!(s.frontmatter, Some(0..17));
        assert_eq!(s.insert_at, 18);
        // An unclosed fence is not frontmatter.
        assert_eq!(rs("---\nfn main() {}\n").frontmatter, None);
        // Frontmatter cannot follow anything but a shebang.
        assert_eq!(rs("// c\n---\n---\n").frontmatter, None);
    }

    #[test]
    fn python_with_shebang_and_encoding() {
        let src = "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nimport os\n";
        let s = scan(src.as_bytes(), CommentStyle::Hash);
        assert_eq!(s.shebang, Some(0..22));
        assert_eq!(s.insert_at, src.find("import").unwrap_or_default());
        let src = "#!/usr/bin/env python3\n# SPDX-License-Identifier: MIT\nx = '# SPDX-License-Identifier: GPL-3.0'\n";
        let s = scan(src.as_bytes(), CommentStyle::Hash);
        assert_eq!(texts(&s.licenses), vec!["MIT"]);
    }

    #[test]
    fn markdown_and_xml() {
        let s = scan(b"<!-- SPDX-License-Identifier: CC-BY-4.0 -->\n# Title\n", CommentStyle::Html);
        assert_eq!(texts(&s.licenses), vec!["CC-BY-4.0"]);
        let src = "<?xml version=\"1.0\"?>\n<!-- SPDX-License-Identifier: MIT -->\n<a/>\n";
        let s = scan(src.as_bytes(), CommentStyle::Html);
        assert_eq!(s.xml_declaration, Some(0..21));
        assert_eq!(texts(&s.licenses), vec!["MIT"]);
        let s = scan(b"---\ntitle: x\n---\n# Doc\n", CommentStyle::Html);
        assert_eq!(s.insert_at, 17);
    }

    #[test]
    fn css_block_header() {
        let s = scan(b"/* SPDX-License-Identifier: MIT */\nbody {}\n", CommentStyle::Css);
        assert_eq!(texts(&s.licenses), vec!["MIT"]);
    }

    #[test]
    fn value_ends_at_the_next_tag_on_its_line() {
        let s = rs("/* SPDX-License-Identifier: MIT SPDX-FileCopyrightText: 2024 Acme */\n");
        assert_eq!(texts(&s.licenses), vec!["MIT"]);
    }

    #[test]
    fn empty_value_points_after_the_tag() {
        let src = "// SPDX-License-Identifier:\n";
        let s = rs(src);
        assert_eq!(s.licenses[0].text, "");
        assert_eq!(s.licenses[0].range, 27..27);
    }

    #[test]
    fn latin1_file_is_scanned_as_ascii() {
        let mut bytes = b"// Copyright \xA9 2020 M\xFCller\n// SPDX-License-Identifier: MIT\n".to_vec();
        bytes.extend_from_slice(b"fn main() {}\n");
        let s = scan(&bytes, CommentStyle::Rust);
        assert!(s.not_utf8);
        assert_eq!(texts(&s.licenses), vec!["MIT"]);
        assert_eq!(s.copyrights.len(), 1);
    }

    #[test]
    fn line_endings() {
        assert_eq!(detect_line_ending(b"a\r\nb\r\nc\n"), LineEnding::CrLf);
        assert_eq!(detect_line_ending(b"a\nb\nc\r\n"), LineEnding::Lf);
        assert_eq!(detect_line_ending(b"a\r\nb\n"), LineEnding::CrLf);
        assert_eq!(detect_line_ending(b"a"), LineEnding::Lf);
        let s = rs("// SPDX-License-Identifier: MIT\r\nfn x() {}\r\n");
        assert_eq!(s.line_ending, LineEnding::CrLf);
        assert_eq!(texts(&s.licenses), vec!["MIT"]);
    }

    #[test]
    fn hostile_long_lines_scan_in_linear_time() {
        let started = std::time::Instant::now();
        let n = 200_000;
        let _ = scan(" ".repeat(n * 5).as_bytes(), CommentStyle::Ini);
        let _ = scan("'\\".repeat(n).as_bytes(), CommentStyle::Rust);
        let _ = scan(format!("#!{}", "/**/".repeat(n)).as_bytes(), CommentStyle::Rust);
        let tags = format!("// {}", "SPDX-License-Identifier: x ".repeat(n / 4));
        assert_eq!(scan(tags.as_bytes(), CommentStyle::Rust).licenses.len(), n / 4);
        let ends = format!("// {}", "SPDX-SnippetEnd ".repeat(n / 4));
        assert_eq!(scan(ends.as_bytes(), CommentStyle::Rust).snippet_errors.len(), n / 4);
        let blocks = "/* Copyright x */".repeat(n / 4);
        assert_eq!(scan(blocks.as_bytes(), CommentStyle::CFamily).copyrights.len(), n / 4);
        assert!(started.elapsed().as_secs() < 20, "took {:?}", started.elapsed());
    }

    proptest::proptest! {
        #[test]
        fn scan_never_panics_on_any_bytes(bytes in proptest::prelude::any::<Vec<u8>>()) {
            for style in [
                CommentStyle::Rust, CommentStyle::CFamily, CommentStyle::CFamilyNested, CommentStyle::Css,
                CommentStyle::Hash, CommentStyle::Ini, CommentStyle::DoubleDash, CommentStyle::Html,
            ] {
                let s = scan(&bytes, style);
                proptest::prop_assert!(s.header.end <= bytes.len());
            }
        }

        #[test]
        fn scan_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400), style in 0usize..8) {
            let style = [
                CommentStyle::Rust, CommentStyle::CFamily, CommentStyle::CFamilyNested, CommentStyle::Css,
                CommentStyle::Hash, CommentStyle::Ini, CommentStyle::DoubleDash, CommentStyle::Html,
            ][style];
            let s = scan(&bytes, style);
            proptest::prop_assert!(s.insert_at <= bytes.len());
            for tag in s.licenses.iter().chain(&s.copyrights) {
                proptest::prop_assert!(tag.range.start <= tag.range.end && tag.range.end <= bytes.len());
            }
        }

        #[test]
        fn scan_never_panics_on_header_like_input(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "\u{feff}", "#!", "#! [", "/bin/sh", "---", "cargo", "\n", "\r\n", "//", "/*", "*/", "\"", "'", "r#\"",
                "\"#", "SPDX-License-Identifier:", " MIT", "SPDX-SnippetBegin", "SPDX-SnippetEnd", "<!--", "-->",
                "#", ";", "--", "<?xml", "?>", "©", "Copyright", "fn x() {}", " ", "\u{e9}",
            ]), 0..40),
            style in 0usize..8,
        ) {
            let style = [
                CommentStyle::Rust, CommentStyle::CFamily, CommentStyle::CFamilyNested, CommentStyle::Css,
                CommentStyle::Hash, CommentStyle::Ini, CommentStyle::DoubleDash, CommentStyle::Html,
            ][style];
            let src: String = parts.concat();
            let s = scan(src.as_bytes(), style);
            proptest::prop_assert!(s.insert_at <= src.len());
            for tag in &s.licenses {
                proptest::prop_assert_eq!(src.get(tag.range.clone()).map(str::to_owned), Some(tag.text.clone()));
            }
        }
    }
}
