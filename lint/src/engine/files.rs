//! The per-file stage: read once, scan the header, parse Rust, run the
//! per-file checks. Runs on rayon's pool; holds one file's data at a time.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use crate::checks::{self, ExternalLicense, FileContext, WrittenLicense};
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Location, SourceFile};
use crate::edition::EditionMap;
use crate::index::FileData;
use crate::license::comment::{self, CommentStyle};
use crate::license::expr::LicenseExpr;
use crate::license::header::{self, Tag};
use crate::license::reuse::{self, Annotation};
use crate::parse;
use crate::suppress::{self, Suppression};
use crate::workspace::{FileEntry, Workspace};

/// What every file's check shares.
pub struct Shared<'a> {
    pub config: &'a Config,
    pub ws: &'a Workspace,
    pub editions: &'a EditionMap,
    pub accepted: &'a [Vec<LicenseExpr>],
    pub reuse: &'a ReuseToml,
}

/// The root `REUSE.toml`, if any.
#[derive(Default)]
pub struct ReuseToml {
    annotations: Vec<Annotation>,
}

impl ReuseToml {
    /// Reads `REUSE.toml` at the root; a broken one is reported and ignored.
    pub fn load(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Self {
        let Ok(text) = std::fs::read_to_string(root.join("REUSE.toml")) else { return ReuseToml::default() };
        match reuse::parse_reuse_toml(&text) {
            Ok(annotations) => ReuseToml { annotations },
            Err(err) => {
                let file = Arc::new(SourceFile::new("REUSE.toml", text));
                diagnostics.push(
                    Diagnostic::new(Code::FileUnreadable, Location::file_start(&file), err.to_string()).with_help(
                        "fix REUSE.toml (see the REUSE specification); its annotations are ignored until then",
                    ),
                );
                ReuseToml::default()
            }
        }
    }
}

/// One file's findings and the license ids its headers use.
pub struct FileResult {
    pub diagnostics: Vec<Diagnostic>,
    pub license_ids: Vec<String>,
    /// What the workspace index needs from a Rust file that parsed.
    pub index: Option<FileData>,
    /// The file's suppression comments, with its text for their locations.
    pub suppressions: Option<(Arc<SourceFile>, Vec<Suppression>)>,
}

/// Bytes looked at to decide whether a file is binary, as git does.
const BINARY_SNIFF: usize = 8000;

/// Checks one file; `None` when no check applies to it.
pub fn check(shared: &Shared<'_>, entry: &FileEntry) -> Option<FileResult> {
    let config = shared.config;
    let is_rust = Path::new(&entry.rel).extension().is_some_and(|e| e == "rs");
    let header_required = config.header_required(&entry.rel);
    if !is_rust && !header_required {
        return None;
    }
    let mut out = Vec::new();
    let bytes = match std::fs::read(&entry.abs) {
        Ok(bytes) => bytes,
        Err(err) => {
            let file = Arc::new(SourceFile::new(entry.rel.clone(), ""));
            out.push(
                Diagnostic::new(
                    Code::FileUnreadable,
                    Location::file_start(&file),
                    format!("cannot read `{}`: {err}", entry.rel),
                )
                .with_help("check the file's permissions, or exclude it"),
            );
            return Some(FileResult { diagnostics: out, license_ids: Vec::new(), index: None, suppressions: None });
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    let source = Arc::new(SourceFile::new(entry.rel.clone(), text.as_ref()));
    if memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF)]).is_some() {
        out.push(
            Diagnostic::new(
                Code::FileUnreadable,
                Location::file_start(&source),
                format!("`{}` is a binary file", entry.rel),
            )
            .with_help("remove it, or add it to [headers] exclude (or .gitignore) if it belongs there"),
        );
        return Some(FileResult { diagnostics: out, license_ids: Vec::new(), index: None, suppressions: None });
    }
    let not_utf8 = matches!(text, std::borrow::Cow::Owned(_));
    if not_utf8 {
        out.push(
            Diagnostic::new(
                Code::FileUnreadable,
                Location::file_start(&source),
                format!("`{}` is not valid UTF-8", entry.rel),
            )
            .with_help("convert it to UTF-8 (its header was checked, its code was not)"),
        );
    }

    let style = comment::style_for_path(Path::new(&entry.rel));
    let scan = header::scan(&bytes, style.unwrap_or(CommentStyle::Hash));
    let (own, snippet_tags): (Vec<Tag>, Vec<(usize, Tag)>) = if style.is_some() {
        let snippets =
            scan.snippets.iter().enumerate().filter_map(|(i, s)| s.license.clone().map(|t| (i, t))).collect();
        (scan.licenses.clone(), snippets)
    } else {
        (Vec::new(), Vec::new())
    };
    let licenses: Vec<WrittenLicense> = own.into_iter().map(WrittenLicense::new).collect();
    let snippet_licenses: Vec<(usize, WrittenLicense)> =
        snippet_tags.into_iter().map(|(i, t)| (i, WrittenLicense::new(t))).collect();
    let external = if licenses.is_empty() { external_license(shared, entry) } else { None };

    let parsed = if is_rust && !not_utf8 {
        match parse::parse(&text) {
            Ok(parsed) => Some(parsed),
            Err(err) => {
                out.push(checks::syntax_error::diagnostic(&source, &err));
                None
            }
        }
    } else {
        None
    };

    let (edition, reason) = shared.editions.file_edition(config, shared.ws, &entry.rel);
    let ctx = FileContext {
        config,
        source: &source,
        edition,
        reason: &reason,
        header_required,
        third_party: config.is_third_party(&entry.rel),
        scan: &scan,
        licenses: &licenses,
        snippet_licenses: &snippet_licenses,
        external: external.as_ref(),
        accepted: shared.accepted,
        parsed: parsed.as_ref(),
    };
    checks::check_file(&ctx, &mut out);
    let license_ids = ctx
        .effective_licenses()
        .into_iter()
        .chain(snippet_licenses.iter().map(|(_, l)| l))
        .filter_map(|l| l.expr.as_ref().ok())
        .flat_map(checks::license_texts::ids)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let index = parsed.map(|p| index_data(shared, entry, p, &scan, &snippet_licenses));
    let strings = index.as_ref().map_or(&[][..], |i| i.syntax.marker_strings.as_slice());
    let found = suppress::find_outside(&text, strings);
    let suppressions = (!found.is_empty()).then(|| (Arc::clone(&source), found));
    Some(FileResult { diagnostics: out, license_ids, index, suppressions })
}

/// What the workspace index keeps of a parsed file: its syntax, and the
/// regions tags and edition snippets mark as explicitly of an edition.
fn index_data(
    shared: &Shared<'_>,
    entry: &FileEntry,
    parsed: parse::ParsedFile,
    scan: &header::Scan,
    snippet_licenses: &[(usize, WrittenLicense)],
) -> FileData {
    let mut tagged: Vec<(std::ops::Range<usize>, usize)> = parsed
        .tags
        .iter()
        .filter_map(|t| {
            let args = t.args.as_ref().ok()?;
            Some((t.item_span.clone(), shared.config.edition_named(&args.edition)?))
        })
        .collect();
    for (i, license) in snippet_licenses {
        let Ok(expr) = &license.expr else { continue };
        let Some(snippet) = scan.snippets.get(*i) else { continue };
        if let Some(edition) = shared.accepted.iter().position(|acc| expr.matches_any(acc)) {
            tagged.push((snippet.body.clone(), edition));
        }
    }
    FileData { rel: entry.rel.clone(), syntax: parsed.syntax, tagged }
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
    let tag = Tag { text: found.text, range: 0..0, line: 1 };
    Some(ExternalLicense { origin: "REUSE.toml".to_owned(), license: WrittenLicense::new(tag) })
}
