//! The per-file stage: [`read`] once, [`scan`] the header, parse what can
//! matter ([`syntax`]), run the per-file checks, and with `--fix` hand the
//! findings to the [`fixer`](super::fixer). Runs on rayon's pool; holds one
//! file's data at a time.

use std::path::Path;
use std::sync::Arc;

use super::shared::Shared;
use super::timings::Step;
use super::{read, scan, syntax};
use crate::checks::{self, FileContext};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::index::FileData;
use crate::license::comment::{self, CommentStyle};
use crate::prefilter::Lexed;
use crate::suppress::{self, Suppression};
use crate::workspace::FileEntry;

/// One file's findings and the license ids its headers use.
#[derive(Default)]
pub struct FileResult {
    pub diagnostics: Vec<Diagnostic>,
    /// License ids the file uses, each with where.
    pub license_ids: Vec<(String, std::ops::Range<usize>)>,
    pub fix: Option<super::FileFix>,
    /// What `corefence report` lists, when asked for.
    pub facts: Option<crate::inventory::facts::FileFacts>,
    /// A bug met while checking the file.
    pub internal_error: Option<String>,
    /// What the workspace index needs from a Rust file that parsed.
    pub index: Option<FileData>,
    /// The file's suppression comments, with its text for their locations.
    pub suppressions: Option<(Arc<SourceFile>, Vec<Suppression>)>,
    /// What the pre-filter found, for a Rust file that could be parsed.
    pub lexed: Option<Lexed>,
    /// A Rust file that could be parsed but was not: the index may still ask for it.
    pub unparsed: bool,
    /// The content's hash, when caching.
    pub hash: Option<u64>,
    /// The file's license comes from a sidecar or `REUSE.toml`, which the
    /// cache cannot watch.
    pub external: bool,
    /// Taken from the cache, unread.
    pub from_cache: bool,
}

impl FileResult {
    /// What the cache knows of an unchanged file that is not reported on.
    fn cached(entry: &crate::cache::CacheEntry) -> Self {
        // Its index data is decoded later, only if the plan indexes it.
        FileResult {
            lexed: entry.lexed.clone(),
            unparsed: entry.lexed.is_some(),
            index: None,
            hash: Some(entry.hash),
            license_ids: entry.license_ids.clone(),
            from_cache: true,
            ..FileResult::default()
        }
    }
}

/// A file over the size limit: only its head is read, for the header.
fn large_file(shared: &Shared<'_>, entry: &FileEntry, header_required: bool) -> FileResult {
    let head = read::head(shared, entry);
    let mut result = match &head {
        Ok(head) if header_required => {
            analyse(&Shared { fix: None, collect_facts: false, ..*shared }, entry, head, header_required, false)
        }
        _ => FileResult::default(),
    };
    let head = head.unwrap_or_default();
    let file = Arc::new(SourceFile::new(entry.rel.clone(), String::from_utf8_lossy(&head).into_owned()));
    let (mib, limit) = (entry.len >> 20, shared.max_file_size >> 20);
    // Rust code that is not read could hide a crossing: an error, so that a
    // pull request cannot pass by growing a file past the limit.
    let diagnostic = if is_rust(&entry.rel) {
        Diagnostic::unreadable(
            &file,
            format!(
                "`{}` is {mib} MiB, over the {limit} MiB limit: its header was checked, its code was not checked for boundary crossings",
                entry.rel
            ),
            "raise `--max-file-size` above the file's size so its code is checked, or split the file",
        )
        .with_severity(crate::diagnostic::Severity::Error)
    } else {
        Diagnostic::unreadable(
            &file,
            format!(
                "`{}` is {mib} MiB, over the {limit} MiB limit: its header was checked, the rest was not read",
                entry.rel
            ),
            "raise `--max-file-size` if it must be read whole, or exclude it",
        )
    };
    result.diagnostics.push(diagnostic);
    result
}

/// Checks one file; `None` when no check applies to it. A panic (a bug, never
/// an expected outcome) is caught here so that it names the file being
/// checked and the rest of the scan goes on; the run then exits with 2.
pub fn check(shared: &Shared<'_>, entry: &FileEntry) -> Option<FileResult> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_caught(shared, entry))).unwrap_or_else(|panic| {
        let what = super::panic_message(panic.as_ref());
        Some(FileResult {
            internal_error: Some(format!("internal error while checking `{}`: {what}", entry.rel)),
            ..FileResult::default()
        })
    })
}

/// Whether the per-file stage looks at a file: Rust code, or a file that
/// must carry a header.
pub fn is_checked(config: &Config, rel: &str) -> bool {
    is_rust(rel) || config.header_required(rel)
}

fn is_rust(rel: &str) -> bool {
    Path::new(rel).extension().is_some_and(|e| e == "rs")
}

fn check_caught(shared: &Shared<'_>, entry: &FileEntry) -> Option<FileResult> {
    if !is_checked(shared.config, &entry.rel) {
        return None;
    }
    let is_rust = is_rust(&entry.rel);
    let header_required = shared.config.header_required(&entry.rel);
    let overlaid = shared.index_content.is_some_and(|c| c.contains_key(&entry.rel));
    if !overlaid && !(shared.reported)(&entry.rel) {
        if let Some(cached) = shared.cache.and_then(|c| c.unchanged(entry)) {
            return Some(FileResult::cached(cached));
        }
    }
    if entry.len > shared.max_file_size {
        return Some(large_file(shared, entry, header_required));
    }
    let bytes = match shared.steps.time(Step::Read, || read::read(shared, entry)) {
        Ok(bytes) => bytes,
        Err(err) => {
            return Some(FileResult { diagnostics: vec![read::unreadable(&entry.rel, &err)], ..FileResult::default() })
        }
    };
    let mut result = analyse(shared, entry, &bytes, header_required, is_rust);
    if shared.cache.is_some() {
        result.hash = Some(crate::cache::hash(&bytes));
    }
    let Some(mode) = shared.fix else { return Some(result) };
    // `--fix` rewrites the files `[headers]` covers, never vendored code,
    // and never a file it could not decode exactly.
    let rewritable = header_required
        && !shared.config.is_third_party(&entry.rel)
        && std::str::from_utf8(&bytes).is_ok()
        && memchr::memchr(0, &bytes).is_none();
    if !rewritable {
        return Some(result);
    }
    let again = Shared { fix: None, collect_facts: false, ..*shared };
    let fixed = super::fixer::fix_text(&entry.rel, &bytes, &result.diagnostics, mode.relicense, |b| {
        analyse(&again, entry, b, header_required, is_rust).diagnostics
    });
    let mut fix =
        super::FileFix { path: entry.rel.clone(), changes: fixed.changes, diff: None, written: false, fixed: None };
    if fixed.bytes != bytes {
        if mode.dry_run {
            fix.diff = Some(super::fixer::unified_diff(&entry.rel, &bytes, &fixed.bytes));
            fix.fixed = Some(fixed.bytes);
        } else if let Err(err) = crate::atomic::replace(&entry.abs, &bytes, &fixed.bytes) {
            let file = Arc::new(SourceFile::new(entry.rel.clone(), ""));
            result.diagnostics.push(Diagnostic::unreadable(
                &file,
                format!("`{}` not fixed: {err}", entry.rel),
                err.help(),
            ));
            fix.changes.retain(|c| c.contains(": not fixed: "));
            result.fix = Some(fix);
            return Some(result);
        } else {
            fix.written = true;
            // Report what is left after the fix, as the file now reads.
            result = analyse(&Shared { fix: None, ..*shared }, entry, &fixed.bytes, header_required, is_rust);
        }
    }
    result.fix = Some(fix);
    Some(result)
}

/// A binary file: checked by the license REUSE gives it from outside (a
/// `.license` sidecar, a `REUSE.toml` annotation), else reported as binary.
fn binary_file(
    shared: &Shared<'_>,
    entry: &FileEntry,
    (bytes, header_required): (&[u8], bool),
    binary: Diagnostic,
) -> FileResult {
    let Some(external) = scan::outside(shared, entry).filter(|_| !is_rust(&entry.rel)) else {
        return FileResult { diagnostics: vec![binary], ..FileResult::default() };
    };
    let licenses = scan::Licenses {
        scan: crate::license::header::scan(b"", CommentStyle::Hash),
        own: Vec::new(),
        snippets: Vec::new(),
        external: Some(external),
    };
    let source = Arc::new(SourceFile::new(entry.rel.clone(), ""));
    let mut diagnostics = Vec::new();
    let (license_ids, facts) =
        run_checks(shared, entry, (&source, bytes), &licenses, (header_required, None), &mut diagnostics);
    FileResult { diagnostics, license_ids, facts, external: true, ..FileResult::default() }
}

/// The per-file checks on a file's licenses (and, for parsed Rust, its
/// tags), adding to `out`; and the license ids it uses, with what `report`
/// keeps of it.
#[allow(clippy::type_complexity)] // two results of one pass
fn run_checks(
    shared: &Shared<'_>,
    entry: &FileEntry,
    (source, bytes): (&Arc<SourceFile>, &[u8]),
    licenses: &scan::Licenses,
    (header_required, parsed): (bool, Option<&crate::parse::ParsedFile>),
    out: &mut Vec<Diagnostic>,
) -> (Vec<(String, std::ops::Range<usize>)>, Option<crate::inventory::facts::FileFacts>) {
    let config = shared.config;
    let (edition, reason) = shared.editions.file_edition(config, shared.ws, &entry.rel);
    let ctx = FileContext {
        config,
        source,
        edition,
        reason: &reason,
        header_required,
        third_party: config.is_third_party(&entry.rel),
        scan: &licenses.scan,
        licenses: &licenses.own,
        snippet_licenses: &licenses.snippets,
        external: licenses.external.as_ref(),
        accepted: shared.accepted,
        parsed,
    };
    shared.steps.time(Step::Check, || checks::check_file(&ctx, out));
    let license_ids = licenses.ids();
    let facts = shared.collect_facts.then(|| crate::inventory::facts::file_facts(&ctx, bytes, &license_ids));
    (license_ids, facts)
}

/// The stages after reading, on one file's bytes: decode, scan, syntax,
/// then the per-file checks; and what the report, the index and the
/// suppressions keep of the file.
fn analyse(shared: &Shared<'_>, entry: &FileEntry, bytes: &[u8], header_required: bool, is_rust: bool) -> FileResult {
    let steps = shared.steps;
    let text = match steps.time(Step::Scan, || read::decode(&entry.rel, bytes)) {
        Ok(text) => text,
        Err(binary) => return binary_file(shared, entry, (bytes, header_required), *binary),
    };
    let mut out = Vec::new();
    if text.not_utf8 {
        out.push(Diagnostic::unreadable(
            &text.source,
            format!("`{}` is not valid UTF-8", entry.rel),
            "convert it to UTF-8 (its header was checked, its code was not)",
        ));
    }
    let licenses = steps.time(Step::Scan, || scan::scan(shared, entry, bytes));
    let syntax = syntax::syntax(shared, &text, bytes, &licenses, is_rust);
    if let Some(problem) = &syntax.problem {
        out.push(checks::parse::syntax::diagnostic(&text.source, problem));
    }
    let parsed = (header_required, syntax.parsed.as_ref());
    let (license_ids, facts) = run_checks(shared, entry, (&text.source, bytes), &licenses, parsed, &mut out);
    let index = syntax.parsed.map(|p| {
        syntax::index_data(shared, entry, (p, syntax.lean), syntax.problem, &licenses.scan, &licenses.snippets)
    });
    let style = comment::style_for_path(Path::new(&entry.rel)).unwrap_or(CommentStyle::Hash);
    let found = suppress::find(&text.decoded, style);
    let suppressions = (!found.is_empty()).then(|| (Arc::clone(&text.source), found));
    FileResult {
        diagnostics: out,
        license_ids,
        facts,
        index,
        suppressions,
        lexed: syntax.lexed,
        unparsed: syntax.unparsed,
        external: licenses.external.is_some(),
        ..FileResult::default()
    }
}
