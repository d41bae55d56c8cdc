//! Cutting a file's enterprise regions (tagged items, snippets) out of its
//! bytes, and the map that takes a position in the exported file back to
//! the original, so a compiler error in the export points at the line the
//! developer wrote.
//!
//! A region that fills whole lines is cut with those lines (its indentation
//! and its line ending), so no blank holes are left; every other byte is
//! kept as it was.

use std::ops::Range;

/// Where the exported file's bytes came from: the cuts made, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineMap {
    /// Original offset where each cut starts, and its length.
    cuts: Vec<(usize, usize)>,
}

impl LineMap {
    /// The original offset of byte `exported` of the exported file.
    pub fn to_original(&self, exported: usize) -> usize {
        // Cuts are kept in exported offsets: each moves what follows it.
        exported + self.cuts.iter().take_while(|(start, _)| *start <= exported).map(|(_, len)| len).sum::<usize>()
    }
}

/// `bytes` without `ranges` (overlapping and nested ranges are merged),
/// each widened to whole lines where only whitespace shares its first and
/// last line; and the map back to the original.
pub fn cut(bytes: &[u8], ranges: &[Range<usize>]) -> (Vec<u8>, LineMap) {
    let wide: Vec<Range<usize>> =
        ranges.iter().map(|r| whole_lines(bytes, r.start.min(bytes.len())..r.end.min(bytes.len()))).collect();
    let merged = merge(wide);
    let mut cuts = Vec::with_capacity(merged.len());
    let mut removed = 0;
    for r in &merged {
        // In exported offsets, the cut sits where the kept bytes before it end.
        cuts.push((r.start - removed, r.end - r.start));
        removed += r.end - r.start;
    }
    (splice_out(bytes, &merged), LineMap { cuts })
}

/// `ranges` sorted, without empty ones, overlapping and touching ones joined.
pub(super) fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges.into_iter().filter(|r| r.start < r.end) {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// `bytes` without the sorted, disjoint `cuts`.
pub(super) fn splice_out(bytes: &[u8], cuts: &[Range<usize>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    for cut in cuts {
        out.extend_from_slice(bytes.get(at..cut.start).unwrap_or_default());
        at = cut.end;
    }
    out.extend_from_slice(bytes.get(at..).unwrap_or_default());
    out
}

/// `r` grown to the start of its first line and past the end of its last
/// line when nothing but whitespace shares them.
fn whole_lines(bytes: &[u8], r: Range<usize>) -> Range<usize> {
    let line_start = bytes.get(..r.start).and_then(|b| memchr::memrchr(b'\n', b)).map_or(0, |i| i + 1);
    let before = bytes.get(line_start..r.start).unwrap_or_default();
    let start = if before.iter().all(|b| *b == b' ' || *b == b'\t') { line_start } else { r.start };
    let after = bytes.get(r.end..).unwrap_or_default();
    let line_end = memchr::memchr(b'\n', after).map_or(bytes.len(), |i| r.end + i + 1);
    let rest = bytes.get(r.end..line_end).unwrap_or_default();
    let end = if rest.iter().all(u8::is_ascii_whitespace) { line_end } else { r.end };
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, piece: &str) -> Range<usize> {
        let at = text.find(piece).unwrap();
        at..at + piece.len()
    }

    #[test]
    fn whole_lines_go_and_every_other_byte_stays() {
        let text = "fn a() {}\n    /// doc\n    #[edition(ee)]\n    fn b() {}\nfn c() {}\r\n";
        let item = span(text, "/// doc\n    #[edition(ee)]\n    fn b() {}");
        let (out, map) = cut(text.as_bytes(), &[item]);
        assert_eq!(String::from_utf8(out).unwrap(), "fn a() {}\nfn c() {}\r\n");
        // `fn c` is on line 2 of the export and line 5 of the original.
        assert_eq!(map.to_original(10), text.find("fn c").unwrap());
        assert_eq!(map.to_original(3), 3);
    }

    #[test]
    fn a_region_sharing_its_line_with_code_is_cut_alone() {
        let text = "let x = 1; #[edition(ee)] fn b() {} let y = 2;\n";
        let (out, _) = cut(text.as_bytes(), &[span(text, "#[edition(ee)] fn b() {}")]);
        assert_eq!(String::from_utf8(out).unwrap(), "let x = 1;  let y = 2;\n");
    }

    #[test]
    fn nested_and_overlapping_regions_merge() {
        let text =
            "a\n// SPDX-SnippetBegin\nb\n// SPDX-SnippetBegin\nc\n// SPDX-SnippetEnd\nd\n// SPDX-SnippetEnd\ne\n";
        // Snippet regions come with their comment markers (see `engine::Region`).
        let outer = text.find("// SPDX-SnippetBegin").unwrap()..text.rfind("SnippetEnd").unwrap() + 10;
        let inner = text.rfind("// SPDX-SnippetBegin").unwrap()..text.find("SnippetEnd").unwrap() + 10;
        let (out, map) = cut(text.as_bytes(), &[inner, outer]);
        assert_eq!(String::from_utf8(out).unwrap(), "a\ne\n");
        assert_eq!(map.to_original(2), text.rfind("e\n").unwrap());
        assert_eq!(map.cuts.iter().map(|(_, len)| len).sum::<usize>(), text.len() - 4);
    }

    #[test]
    fn nothing_to_cut_is_the_same_bytes() {
        let text = b"keep\xff every byte\r\n";
        let (out, map) = cut(text, &[]);
        assert_eq!(out, text);
        assert_eq!(map.to_original(5), 5);
    }
}
