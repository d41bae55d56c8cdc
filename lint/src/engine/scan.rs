//! Stage 2, scan: a file's header and snippets, every license expression
//! in them parsed once, and the license REUSE gives it from outside.

use std::path::Path;

use super::shared::Shared;
use crate::checks::{self, ExternalLicense, WrittenLicense};
use crate::license::comment::{self, CommentStyle};
use crate::license::header::{self, Scan};
use crate::license::reuse;
use crate::license::tag::LicenseTag;
use crate::workspace::FileEntry;

/// What a file says of its license.
pub(super) struct Licenses {
    /// The header and snippet scan.
    pub scan: Scan,
    /// File-level identifiers, parsed.
    pub own: Vec<WrittenLicense>,
    /// Snippet identifiers, parsed, by snippet index.
    pub snippets: Vec<(usize, WrittenLicense)>,
    /// The license given from outside the file, when it has none of its own.
    pub external: Option<ExternalLicense>,
}

/// Scans `bytes` of `entry`.
pub(super) fn scan(shared: &Shared<'_>, entry: &FileEntry, bytes: &[u8]) -> Licenses {
    let style = comment::style_for_path(Path::new(&entry.rel));
    let scan = header::scan(bytes, style.unwrap_or(CommentStyle::Hash));
    let (own, snippets) = if style.is_some() {
        (scan.licenses.iter().cloned().map(WrittenLicense::new).collect(), snippet_licenses(&scan))
    } else {
        (Vec::new(), Vec::new())
    };
    let external = if own.is_empty() { external_license(shared, entry) } else { None };
    Licenses { scan, own, snippets, external }
}

impl Licenses {
    /// The license ids the file uses (its own or external header, and its
    /// snippets), each with where it is written. Spans, not locations: a
    /// location would keep the whole text of every file alive until the end.
    pub fn ids(&self) -> Vec<(String, std::ops::Range<usize>)> {
        let own: Vec<&WrittenLicense> = if self.own.is_empty() {
            self.external.iter().map(|e| &e.license).collect()
        } else {
            self.own.iter().collect()
        };
        own.into_iter()
            .chain(self.snippets.iter().map(|(_, l)| l))
            .filter_map(|l| Some((l.expr.as_ref().ok()?, l.tag.range.clone())))
            .flat_map(|(expr, range)| checks::license::text::ids(expr).into_iter().map(move |id| (id, range.clone())))
            .collect()
    }
}

/// The licenses of a file's snippets, by snippet index.
pub(super) fn snippet_licenses(scan: &header::Scan) -> Vec<(usize, WrittenLicense)> {
    scan.snippets.iter().enumerate().filter_map(|(i, s)| Some((i, WrittenLicense::new(s.license.clone()?)))).collect()
}

/// A REUSE `.license` sidecar, else a `REUSE.toml` annotation.
fn external_license(shared: &Shared<'_>, entry: &FileEntry) -> Option<ExternalLicense> {
    if let Ok(Some(sidecar)) = reuse::sidecar_license(&entry.abs) {
        if let Some(tag) = sidecar.licenses.into_iter().next() {
            return Some(ExternalLicense {
                origin: format!("{}.license", entry.rel),
                license: WrittenLicense::new(tag),
            });
        }
    }
    let found = reuse::reuse_toml_license(&shared.reuse.annotations, Path::new(&entry.rel))?;
    let tag = LicenseTag { text: found.text, range: 0..0, line: 1 };
    Some(ExternalLicense { origin: "REUSE.toml".to_owned(), license: WrittenLicense::new(tag) })
}
