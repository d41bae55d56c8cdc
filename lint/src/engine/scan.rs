//! Stage 2, scan: a file's header and snippets, every license expression
//! in them parsed once, and the license REUSE gives it from outside.

use std::path::Path;

use super::shared::Shared;
use crate::checks::{self, ExternalLicense, WrittenLicense};
use crate::license::comment::{self, CommentStyle};
use crate::license::header::{self, Scan};
use crate::license::reuse::{self, Precedence};
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

/// Scans `bytes` of `entry`, and applies what REUSE says of the file from
/// outside it (REUSE 3.x): a `.license` sidecar replaces the file's own
/// information; a `REUSE.toml` annotation applies where the file says
/// nothing (`precedence = "closest"`), instead of what it says
/// (`"override"`), or together with it (`"aggregate"`: both licenses apply).
pub(super) fn scan(shared: &Shared<'_>, entry: &FileEntry, bytes: &[u8]) -> Licenses {
    let style = comment::style_for_path(Path::new(&entry.rel));
    let scan = header::scan(bytes, style.unwrap_or(CommentStyle::Hash));
    let (mut own, snippets) = if style.is_some() {
        (scan.licenses.iter().cloned().map(WrittenLicense::new).collect(), snippet_licenses(&scan))
    } else {
        (Vec::new(), Vec::new())
    };
    let mut external = None;
    if let Some(sidecar) = sidecar(shared, entry) {
        own.clear();
        external = Some(sidecar);
    }
    if let Some((annotation, precedence)) = annotation(shared, entry) {
        match precedence {
            Precedence::Closest if own.is_empty() && external.is_none() => external = Some(annotation),
            Precedence::Closest => {}
            Precedence::Override => {
                own.clear();
                external = Some(annotation);
            }
            Precedence::Aggregate => {
                let inside =
                    own.iter().map(|l| l.tag.text.clone()).chain(external.iter().map(|e| e.license.tag.text.clone()));
                let all: Vec<String> = inside.chain(std::iter::once(annotation.license.tag.text.clone())).collect();
                let origin = match &external {
                    Some(e) => format!("{} and REUSE.toml", e.origin),
                    None if own.is_empty() => "REUSE.toml".to_owned(),
                    None => "the file's header and REUSE.toml".to_owned(),
                };
                own.clear();
                let mut copyrights: Vec<String> = scan.copyrights.iter().map(|t| t.text.clone()).collect();
                copyrights.extend(external.iter().flat_map(|e| e.copyrights.iter().cloned()));
                copyrights.extend(annotation.copyrights);
                copyrights.dedup();
                let license = WrittenLicense::new(tag(&conjunction(&all)));
                external = Some(ExternalLicense { origin, license, copyrights });
            }
        }
    }
    Licenses { scan, own, snippets, external }
}

/// Expressions that all apply, as one (`A AND (B OR C)`).
fn conjunction(all: &[String]) -> String {
    let mut distinct: Vec<&String> = Vec::new();
    for e in all {
        if !distinct.contains(&e) {
            distinct.push(e);
        }
    }
    match distinct.as_slice() {
        [one] => (*one).clone(),
        many => many.iter().map(|e| format!("({e})")).collect::<Vec<_>>().join(" AND "),
    }
}

/// A license tag written outside the file.
fn tag(text: &str) -> LicenseTag {
    LicenseTag { text: text.to_owned(), range: 0..0, line: 1 }
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

/// The license of the file's REUSE `.license` sidecar, if it has one with
/// an identifier: several identifiers all apply.
fn sidecar(shared: &Shared<'_>, entry: &FileEntry) -> Option<ExternalLicense> {
    // The walk saw every file: only a sidecar it found is opened.
    let name = format!("{}.license", entry.rel);
    shared.ws.files.binary_search_by(|f| f.rel.as_str().cmp(&name)).ok()?;
    let found = reuse::sidecar_license(&entry.abs).ok()??;
    let ids: Vec<String> = found.licenses.into_iter().map(|t| t.text).collect();
    if ids.is_empty() {
        return None;
    }
    let copyrights = found.copyrights.into_iter().map(|t| t.text).collect();
    let license = WrittenLicense::new(tag(&conjunction(&ids)));
    Some(ExternalLicense { origin: format!("{}.license", entry.rel), license, copyrights })
}

/// The license the root `REUSE.toml` gives the file, and how it combines.
fn annotation(shared: &Shared<'_>, entry: &FileEntry) -> Option<(ExternalLicense, Precedence)> {
    let found = reuse::reuse_toml_license(&shared.reuse.annotations, Path::new(&entry.rel))?;
    let copyrights = shared.reuse.annotations.get(found.annotation).map(|a| a.copyrights.clone()).unwrap_or_default();
    let license = WrittenLicense::new(tag(&found.text));
    let license = ExternalLicense { origin: "REUSE.toml".to_owned(), license, copyrights };
    Some((license, found.precedence))
}

/// The license REUSE gives a file from outside it, for a file that cannot
/// carry one (a binary file): its sidecar, else its `REUSE.toml` annotation.
pub(super) fn outside(shared: &Shared<'_>, entry: &FileEntry) -> Option<ExternalLicense> {
    sidecar(shared, entry).or_else(|| annotation(shared, entry).map(|(l, _)| l))
}
