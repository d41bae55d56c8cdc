//! Where things are in the protocol's terms: file URIs for paths, and
//! line/character positions (in UTF-8 or UTF-16 code units, as negotiated)
//! for byte offsets.

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, Uri};

use crate::diagnostic::SourceFile;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What a URI's path keeps unescaped: RFC 3986's unreserved characters and
/// the separators a path is made of.
const PATH: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b'/');

/// The unit a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8, when the client offers it.
    Utf8,
    /// UTF-16 code units: the protocol's default.
    Utf16,
}

/// The `file:` URI of an absolute path.
pub fn uri(path: &Path) -> Option<Uri> {
    let text = crate::workspace::slash_path(path);
    // `C:/x` becomes `/C:/x`, as on every other system the path starts with `/`.
    let rooted = if text.starts_with('/') { text } else { format!("/{text}") };
    format!("file://{}", utf8_percent_encode(&rooted, PATH)).parse().ok()
}

/// The path a `file:` URI names; `None` for any other scheme.
pub fn path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().is_some_and(|s| s.as_str().eq_ignore_ascii_case("file")) {
        return None;
    }
    let decoded = percent_decode_str(uri.path().as_str()).decode_utf8().ok()?;
    // `/C:/x` on Windows is `C:/x`.
    let bytes = decoded.as_bytes();
    let drive = cfg!(windows) && bytes.len() > 2 && bytes.get(2) == Some(&b':');
    Some(PathBuf::from(if drive { decoded.get(1..)? } else { &*decoded }))
}

/// A byte offset of a file as a position.
pub fn position(file: &SourceFile, offset: usize, encoding: Encoding) -> Position {
    let at = file.line_col(offset);
    let line_start = file.line_start(at.line);
    let offset = file.clamp(offset..offset).start;
    let in_line = file.text.get(line_start..offset).unwrap_or_default();
    let character = match encoding {
        Encoding::Utf8 => in_line.len(),
        Encoding::Utf16 => in_line.encode_utf16().count(),
    };
    let line = at.line.saturating_sub(1);
    Position { line: u32::try_from(line).unwrap_or(u32::MAX), character: u32::try_from(character).unwrap_or(u32::MAX) }
}

/// A byte range of a file as a range.
pub fn range(file: &SourceFile, span: &std::ops::Range<usize>, encoding: Encoding) -> Range {
    Range { start: position(file, span.start, encoding), end: position(file, span.end, encoding) }
}

/// A position in `text` as a byte offset: past the end of a line is its
/// end, past the last line is the end of the text, inside a character is
/// its start.
pub fn offset(text: &str, position: Position, encoding: Encoding) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text.get(line_start..).and_then(|rest| rest.find('\n')) {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let rest = text.get(line_start..).unwrap_or_default();
    let line = rest.find('\n').map_or(rest, |end| rest.get(..end).unwrap_or(rest));
    let want = position.character as usize;
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= want {
            return line_start + i;
        }
        units += match encoding {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        };
        if units > want {
            return line_start + i;
        }
    }
    line_start + line.len()
}

/// `text` with a change applied: the whole text, or `range` replaced.
pub fn apply_change(text: &mut String, range: Option<Range>, new: &str, encoding: Encoding) {
    match range {
        None => new.clone_into(text),
        Some(range) => {
            let start = offset(text, range.start, encoding);
            let end = offset(text, range.end, encoding).max(start);
            text.replace_range(start..end, new);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_the_negotiated_units() {
        let text = "a\nçé𝄞x\n";
        let file = SourceFile::new("f.rs", text);
        let x = text.find('x').unwrap();
        assert_eq!(position(&file, x, Encoding::Utf16), Position { line: 1, character: 4 });
        assert_eq!(position(&file, x, Encoding::Utf8), Position { line: 1, character: 8 });
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            assert_eq!(offset(text, position(&file, x, encoding), encoding), x);
        }
        // Past a line's end is its end; past the text is its end.
        assert_eq!(offset(text, Position { line: 0, character: 40 }, Encoding::Utf16), 1);
        assert_eq!(offset(text, Position { line: 9, character: 0 }, Encoding::Utf16), text.len());
        // Inside the surrogate pair of 𝄞 is its start.
        let clef = text.find('𝄞').unwrap();
        assert_eq!(offset(text, Position { line: 1, character: 3 }, Encoding::Utf16), clef);
    }

    #[test]
    fn changes_apply_to_the_range_they_name() {
        let mut text = String::from("fn a() {}\nfn b() {}\n");
        let range = Range { start: Position { line: 1, character: 3 }, end: Position { line: 1, character: 4 } };
        apply_change(&mut text, Some(range), "beta", Encoding::Utf16);
        assert_eq!(text, "fn a() {}\nfn beta() {}\n");
        apply_change(&mut text, None, "whole", Encoding::Utf16);
        assert_eq!(text, "whole");
    }

    #[test]
    fn paths_and_uris_round_trip() {
        let p = if cfg!(windows) { PathBuf::from("C:/work/a b/ç#.rs") } else { PathBuf::from("/work/a b/ç#.rs") };
        let u = uri(&p).unwrap();
        assert!(u.as_str().starts_with("file:///"), "{}", u.as_str());
        assert!(u.as_str().contains("a%20b/%C3%A7%23.rs"), "{}", u.as_str());
        assert_eq!(path(&u).unwrap(), p);
        assert_eq!(path(&"untitled:Untitled-1".parse().unwrap()), None);
    }
}
