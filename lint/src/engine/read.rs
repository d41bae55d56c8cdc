//! Stage 1, read: a file's bytes, once (from git's index with `--staged`,
//! else the working tree; of a file over the size limit only its head),
//! and its text as the checks see it.

use std::borrow::Cow;
use std::io::Read as _;
use std::sync::Arc;

use super::shared::Shared;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::workspace::FileEntry;

/// Bytes looked at to decide whether a file is binary, as git does.
const BINARY_SNIFF: usize = 8000;

/// How much of a file over the size limit is read: enough for any header.
const HEAD_OF_LARGE_FILE: u64 = 64 << 10;

/// The file's content: the index's with `--staged`, else the working tree's.
pub(super) fn read(shared: &Shared<'_>, entry: &FileEntry) -> std::io::Result<Vec<u8>> {
    match shared.index_content.and_then(|c| c.get(&entry.rel)) {
        Some(staged) => Ok(staged.clone()),
        None => std::fs::read(&entry.abs),
    }
}

/// The head of a file over the size limit, enough for its header; a
/// character split at its end is cut rather than call the file non-UTF-8.
pub(super) fn head(shared: &Shared<'_>, entry: &FileEntry) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::new();
    match shared.index_content.and_then(|c| c.get(&entry.rel)) {
        Some(staged) => head.extend(staged.iter().take(usize::try_from(HEAD_OF_LARGE_FILE).unwrap_or(usize::MAX))),
        None => {
            std::fs::File::open(&entry.abs).and_then(|f| f.take(HEAD_OF_LARGE_FILE).read_to_end(&mut head))?;
        }
    }
    if let Err(e) = std::str::from_utf8(&head) {
        if e.error_len().is_none() {
            head.truncate(e.valid_up_to());
        }
    }
    Ok(head)
}

/// A file's text as the checks see it.
pub(super) struct Text<'b> {
    /// The text, decoded lossily only where it is not UTF-8.
    pub decoded: Cow<'b, str>,
    /// The same, shared by the diagnostics that point into it.
    pub source: Arc<SourceFile>,
    /// Whether decoding replaced bytes (its code is then not checked).
    pub not_utf8: bool,
}

/// Decodes a file; a binary file (a NUL byte near its start, as git
/// decides) is a `file/unreadable` warning instead.
pub(super) fn decode<'b>(rel: &str, bytes: &'b [u8]) -> Result<Text<'b>, Box<Diagnostic>> {
    // Validating is much faster than decoding lossily: decode only what is not UTF-8.
    let text = std::str::from_utf8(bytes).map_or_else(|_| String::from_utf8_lossy(bytes), Cow::Borrowed);
    let source = Arc::new(SourceFile::new(rel, text.as_ref()));
    if memchr::memchr(0, bytes.get(..BINARY_SNIFF).unwrap_or(bytes)).is_some() {
        return Err(Box::new(Diagnostic::unreadable(
            &source,
            format!("`{rel}` is a binary file"),
            "remove it, or add it to [headers] exclude (or .gitignore) if it belongs there",
        )));
    }
    let not_utf8 = matches!(text, Cow::Owned(_));
    Ok(Text { decoded: text, source, not_utf8 })
}

/// `file/unreadable` for a file that could not be read.
pub(super) fn unreadable(rel: &str, err: &std::io::Error) -> Diagnostic {
    Diagnostic::unreadable(
        &Arc::new(SourceFile::new(rel, "")),
        format!("cannot read `{rel}`: {err}"),
        "check the file's permissions, or exclude it",
    )
}
