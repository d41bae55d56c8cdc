//! Text from the workspace made safe to print: file names, header text and
//! source lines may carry characters a terminal acts on instead of showing
//! (ESC starts a sequence that can erase lines or recolour the screen, CR and
//! backspace overwrite what came before, a bidi override reorders the rest of
//! the line). The human and short formats show each such character as the
//! escape Rust writes for it, `\u{1b}` for ESC, so a hostile file name or
//! header can neither hide a finding nor fake a clean run; and they clip text
//! that can be arbitrarily long (a license expression read from a 1 MB line)
//! so that one finding prints a bounded amount.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Longest message, label or help line the text formats print, in characters.
pub const MAX_TEXT_CHARS: usize = 500;

/// Whether a terminal would act on `c` rather than show it: the C0 and C1
/// controls and DEL (which include ESC, CR, LF, BEL, backspace and NUL), the
/// bidirectional overrides, embeddings, isolates and marks that reorder text
/// (the "Trojan Source" characters rustc lints against), and the line and
/// paragraph separators some terminals and editors break lines at.
pub fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

/// Appends `c`, written as `\u{..}` when a terminal would act on it. Tabs
/// are kept when `keep_tab` is set (source snippets, where miette expands them).
pub fn push_char(out: &mut String, c: char, keep_tab: bool) {
    if acts_on_terminal(c) && !(keep_tab && c == '\t') {
        let _ = write!(out, "{}", c.escape_unicode());
    } else {
        out.push(c);
    }
}

/// `s` with every character a terminal would act on written as `\u{..}`,
/// tabs and newlines included, so the result stays on one line.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(acts_on_terminal) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_char(&mut out, c, false);
    }
    Cow::Owned(out)
}

/// `s` cut to at most `max` characters by replacing its middle with `…`, so
/// both ends (often a quoted value and what is wrong with it) stay readable.
pub fn clip(s: &str, max: usize) -> Cow<'_, str> {
    let Some((cut, _)) = s.char_indices().nth(max) else {
        return Cow::Borrowed(s);
    };
    let tail_chars = max.saturating_sub(1) / 2;
    let head_chars = max.saturating_sub(1) - tail_chars;
    let head_end = s.char_indices().nth(head_chars).map_or(cut, |(i, _)| i);
    let tail_start = match tail_chars.checked_sub(1) {
        Some(n) => s.char_indices().rev().nth(n).map_or(s.len(), |(i, _)| i),
        None => s.len(),
    };
    let (head, tail) = (s.get(..head_end).unwrap_or(""), s.get(tail_start..).unwrap_or(""));
    Cow::Owned(format!("{head}…{tail}"))
}

/// A message, label or help line as the text formats print it: clipped,
/// then made visible.
pub fn field(s: &str) -> String {
    visible(&clip(s, MAX_TEXT_CHARS)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_escaped() {
        assert_eq!(visible("src/lib.rs"), "src/lib.rs");
        assert_eq!(visible("a\u{1b}[2Kb"), "a\\u{1b}[2Kb");
        assert_eq!(visible("x\ny\rz\u{7}\u{8}\0\t"), "x\\u{a}y\\u{d}z\\u{7}\\u{8}\\u{0}\\u{9}");
        assert_eq!(visible("\u{202e}gnp.rs"), "\\u{202e}gnp.rs");
        assert_eq!(visible("\u{9b}31m"), "\\u{9b}31m", "C1 CSI");
        assert_eq!(visible("café ✓"), "café ✓");
    }

    #[test]
    fn tabs_are_kept_only_when_asked() {
        let (mut kept, mut escaped) = (String::new(), String::new());
        push_char(&mut kept, '\t', true);
        push_char(&mut escaped, '\t', false);
        assert_eq!((kept.as_str(), escaped.as_str()), ("\t", "\\u{9}"));
    }

    #[test]
    fn clip_keeps_both_ends() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("0123456789", 10), "0123456789");
        let clipped = clip("0123456789abcdef", 9);
        assert_eq!(clipped, "0123…cdef");
        assert_eq!(clipped.chars().count(), 9);
        assert_eq!(clip("ééééééééééé", 5), "éé…éé");
        assert_eq!(clip("abc", 1), "…");
        assert_eq!(clip(&"a".repeat(1 << 20), MAX_TEXT_CHARS).chars().count(), MAX_TEXT_CHARS);
    }
}
