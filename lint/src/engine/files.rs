//! The per-file stage: read once, scan the header, parse Rust, run the
//! per-file checks. Runs on rayon's pool; holds one file's data at a time.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use crate::checks::{self, ExternalLicense, FileContext, WrittenLicense};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::edition::EditionMap;
use crate::index::FileData;
use crate::license;
use crate::license::comment::{self, CommentStyle};
use crate::license::expr::LicenseExpr;
use crate::license::header;
use crate::license::reuse::{self, Annotation};
use crate::license::tag::LicenseTag;
use crate::parse;
use crate::prefilter::{Lexed, Words};
use crate::suppress::{self, Suppression};
use crate::workspace::{FileEntry, Workspace};

/// What every file's check shares.
pub struct Shared<'a> {
    pub config: &'a Config,
    pub ws: &'a Workspace,
    pub editions: &'a EditionMap,
    pub accepted: &'a [Vec<LicenseExpr>],
    pub reuse: &'a ReuseToml,
    pub fix: Option<super::FixMode>,
    /// Whether to gather [`super::FileFacts`] for `corefence report`.
    pub collect_facts: bool,
    /// Files larger than this many bytes get only their header checked.
    pub max_file_size: u64,
    /// With `--staged`: the index content of files whose working tree differs.
    pub index_content: Option<&'a std::collections::BTreeMap<String, Vec<u8>>>,
    /// The pre-filter's words.
    pub words: &'a Words,
    /// Parse every Rust file (`--exhaustive`), not only those the pre-filter keeps.
    pub parse_all: bool,
    /// The previous run's index cache, when caching.
    pub cache: Option<&'a crate::cache::Cache>,
    /// Whether a file's findings are reported (the paths asked about, the
    /// staged files): only the others may come from the cache unread.
    pub reported: &'a (dyn Fn(&str) -> bool + Sync),
}

/// The root `REUSE.toml`, if any.
#[derive(Default)]
pub struct ReuseToml {
    annotations: Vec<Annotation>,
}

impl ReuseToml {
    /// Reads `REUSE.toml` at the root (what reading it gave); a broken one
    /// is reported and ignored.
    pub fn load(read: std::io::Result<Vec<u8>>, diagnostics: &mut Vec<Diagnostic>) -> Self {
        let Ok(text) = read.map(|b| String::from_utf8_lossy(&b).into_owned()) else { return ReuseToml::default() };
        match reuse::parse_reuse_toml(&text) {
            Ok(annotations) => ReuseToml { annotations },
            Err(err) => {
                let file = Arc::new(SourceFile::new("REUSE.toml", text));
                diagnostics.push(Diagnostic::unreadable(
                    &file,
                    err.to_string(),
                    "fix REUSE.toml (see the REUSE specification); its annotations are ignored until then",
                ));
                ReuseToml::default()
            }
        }
    }
}

/// One file's findings and the license ids its headers use.
pub struct FileResult {
    pub diagnostics: Vec<Diagnostic>,
    /// License ids the file uses, each with where.
    pub license_ids: Vec<(String, std::ops::Range<usize>)>,
    pub fix: Option<super::FileFix>,
    /// What `corefence report` lists, when asked for.
    pub facts: Option<super::FileFacts>,
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
    fn empty() -> Self {
        FileResult {
            diagnostics: Vec::new(),
            license_ids: Vec::new(),
            fix: None,
            facts: None,
            internal_error: None,
            index: None,
            suppressions: None,
            lexed: None,
            unparsed: false,
            hash: None,
            external: false,
            from_cache: false,
        }
    }

    /// What the cache knows of an unchanged file.
    fn cached(entry: &crate::cache::CacheEntry) -> Self {
        FileResult {
            lexed: entry.lexed.clone(),
            index: entry.index.clone(),
            unparsed: entry.lexed.is_some() && entry.index.is_none(),
            hash: Some(entry.hash),
            license_ids: entry.license_ids.clone(),
            from_cache: true,
            ..FileResult::empty()
        }
    }
}

/// A file over the size limit: only its head is read, for the header.
fn large_file(shared: &Shared<'_>, entry: &FileEntry, header_required: bool) -> FileResult {
    use std::io::Read;
    let mut head = Vec::new();
    let read = match shared.index_content.and_then(|c| c.get(&entry.rel)) {
        Some(staged) => {
            head.extend(staged.iter().take(usize::try_from(HEAD_OF_LARGE_FILE).unwrap_or(usize::MAX)));
            Ok(head.len())
        }
        None => std::fs::File::open(&entry.abs).and_then(|f| f.take(HEAD_OF_LARGE_FILE).read_to_end(&mut head)),
    };
    // Cut a character split at the end of the head rather than call the file non-UTF-8.
    if let Err(e) = std::str::from_utf8(&head) {
        if e.error_len().is_none() {
            head.truncate(e.valid_up_to());
        }
    }
    let mut result = if read.is_ok() && header_required {
        analyse(&Shared { fix: None, collect_facts: false, ..*shared }, entry, &head, header_required, false)
    } else {
        FileResult::empty()
    };
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

/// Bytes looked at to decide whether a file is binary, as git does.
const BINARY_SNIFF: usize = 8000;

/// Checks one file; `None` when no check applies to it. A panic (a bug, never
/// an expected outcome) is caught here so that it names the file being
/// checked and the rest of the scan goes on; the run then exits with 2.
pub fn check(shared: &Shared<'_>, entry: &FileEntry) -> Option<FileResult> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_caught(shared, entry))).unwrap_or_else(|panic| {
        let what = super::panic_message(panic.as_ref());
        Some(FileResult {
            internal_error: Some(format!("internal error while checking `{}`: {what}", entry.rel)),
            ..FileResult::empty()
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

/// How much of a file over the size limit is read: enough for any header.
const HEAD_OF_LARGE_FILE: u64 = 64 << 10;

fn check_caught(shared: &Shared<'_>, entry: &FileEntry) -> Option<FileResult> {
    if !is_checked(shared.config, &entry.rel) {
        return None;
    }
    let is_rust = is_rust(&entry.rel);
    let header_required = shared.config.header_required(&entry.rel);
    let mut out = Vec::new();
    let overlaid = shared.index_content.is_some_and(|c| c.contains_key(&entry.rel));
    if !overlaid && !(shared.reported)(&entry.rel) {
        if let Some(cached) = shared.cache.and_then(|c| c.unchanged(entry)) {
            return Some(FileResult::cached(cached));
        }
    }
    if entry.len > shared.max_file_size {
        return Some(large_file(shared, entry, header_required));
    }
    let bytes = match read(shared, entry) {
        Ok(bytes) => bytes,
        Err(err) => {
            let file = Arc::new(SourceFile::new(entry.rel.clone(), ""));
            out.push(Diagnostic::unreadable(
                &file,
                format!("cannot read `{}`: {err}", entry.rel),
                "check the file's permissions, or exclude it",
            ));
            return Some(FileResult { diagnostics: out, ..FileResult::empty() });
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
        } else if let Err(err) = license::fix::write_atomic(&entry.abs, &bytes, &fixed.bytes) {
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

/// The file's content: the index's with `--staged`, else the working tree's.
fn read(shared: &Shared<'_>, entry: &FileEntry) -> std::io::Result<Vec<u8>> {
    match shared.index_content.and_then(|c| c.get(&entry.rel)) {
        Some(staged) => Ok(staged.clone()),
        None => std::fs::read(&entry.abs),
    }
}

/// Parses a Rust file the pre-filter let through but the index needs after
/// all: its index data, and the `parse/syntax` warning if syn could not read
/// it. `None` when the file cannot be read any more (its first read already
/// said why).
pub fn index_only(shared: &Shared<'_>, entry: &FileEntry) -> Option<(FileData, Option<Diagnostic>)> {
    let bytes = read(shared, entry).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let scan = header::scan(&bytes, CommentStyle::Rust);
    let snippets = snippet_licenses(&scan);
    let parsed = parse::parse(&without_frontmatter(text, scan.frontmatter.clone()));
    let warning = parsed
        .problem
        .as_ref()
        .map(|problem| checks::parse::syntax::diagnostic(&Arc::new(SourceFile::new(entry.rel.clone(), text)), problem));
    Some((index_data(shared, entry, parsed.file, parsed.problem, &scan, &snippets), warning))
}

/// The licenses of a file's snippets, by snippet index.
fn snippet_licenses(scan: &header::Scan) -> Vec<(usize, WrittenLicense)> {
    scan.snippets.iter().enumerate().filter_map(|(i, s)| Some((i, WrittenLicense::new(s.license.clone()?)))).collect()
}

/// Runs the checks on one file's bytes.
fn analyse(shared: &Shared<'_>, entry: &FileEntry, bytes: &[u8], header_required: bool, is_rust: bool) -> FileResult {
    let config = shared.config;
    let mut out = Vec::new();
    // Validating is much faster than decoding lossily: decode only what is not UTF-8.
    let text = std::str::from_utf8(bytes).map_or_else(|_| String::from_utf8_lossy(bytes), std::borrow::Cow::Borrowed);
    let source = Arc::new(SourceFile::new(entry.rel.clone(), text.as_ref()));
    if memchr::memchr(0, bytes.get(..BINARY_SNIFF).unwrap_or(bytes)).is_some() {
        out.push(Diagnostic::unreadable(
            &source,
            format!("`{}` is a binary file", entry.rel),
            "remove it, or add it to [headers] exclude (or .gitignore) if it belongs there",
        ));
        return FileResult { diagnostics: out, ..FileResult::empty() };
    }
    let not_utf8 = matches!(text, std::borrow::Cow::Owned(_));
    if not_utf8 {
        out.push(Diagnostic::unreadable(
            &source,
            format!("`{}` is not valid UTF-8", entry.rel),
            "convert it to UTF-8 (its header was checked, its code was not)",
        ));
    }

    let style = comment::style_for_path(Path::new(&entry.rel));
    let scan = header::scan(bytes, style.unwrap_or(CommentStyle::Hash));
    let (licenses, snippet_licenses): (Vec<WrittenLicense>, Vec<(usize, WrittenLicense)>) = if style.is_some() {
        (scan.licenses.iter().cloned().map(WrittenLicense::new).collect(), snippet_licenses(&scan))
    } else {
        (Vec::new(), Vec::new())
    };
    let external = if licenses.is_empty() { external_license(shared, entry) } else { None };

    let lexed = (is_rust && !not_utf8).then(|| {
        let mut lexed = shared.words.scan(bytes);
        // A snippet marks code of an edition, as a tag does.
        lexed.tag |= !scan.snippets.is_empty();
        lexed
    });
    let wanted = lexed.as_ref().is_some_and(|l| shared.parse_all || l.needs_syntax());
    let (parsed, problem) = if wanted {
        let parsed = parse::parse(&without_frontmatter(&text, scan.frontmatter.clone()));
        if let Some(problem) = &parsed.problem {
            out.push(checks::parse::syntax::diagnostic(&source, problem));
        }
        (Some(parsed.file), parsed.problem)
    } else {
        (None, None)
    };
    let unparsed = lexed.is_some() && !wanted;

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
    let license_ids = license_ids_of(&ctx);
    let facts = shared.collect_facts.then(|| facts_of(&ctx, bytes, &license_ids));
    let index = parsed.map(|p| index_data(shared, entry, p, problem, &scan, &snippet_licenses));
    let strings = index.as_ref().map_or(&[][..], |i| i.syntax.marker_strings.as_slice());
    let found = suppress::find_outside(&text, strings);
    let suppressions = (!found.is_empty()).then(|| (Arc::clone(&source), found));
    FileResult {
        diagnostics: out,
        license_ids,
        facts,
        index,
        suppressions,
        lexed,
        unparsed,
        external: external.is_some(),
        ..FileResult::empty()
    }
}

/// The license ids the file uses (its own or external header, and its
/// snippets), each with where it is written. Spans, not locations: a
/// location would keep the whole text of every file alive until the end.
fn license_ids_of(ctx: &FileContext<'_>) -> Vec<(String, std::ops::Range<usize>)> {
    ctx.effective_licenses()
        .into_iter()
        .chain(ctx.snippet_licenses.iter().map(|(_, l)| l))
        .filter_map(|l| Some((l.expr.as_ref().ok()?, l.tag.range.clone())))
        .flat_map(|(expr, range)| checks::license::text::ids(expr).into_iter().map(move |id| (id, range.clone())))
        .collect()
}

/// What `corefence report` lists about the file.
fn facts_of(ctx: &FileContext<'_>, bytes: &[u8], license_ids: &[(String, std::ops::Range<usize>)]) -> super::FileFacts {
    let tagged = ctx.parsed.map_or_else(Vec::new, |p| {
        p.tags
            .iter()
            .filter_map(|t| t.args.as_ref().ok())
            .filter_map(|a| ctx.config.edition_named(&a.edition))
            .collect()
    });
    let lines = |span: &std::ops::Range<usize>| {
        let (start, end) = (ctx.source.line_col(span.start).line, ctx.source.line_col(span.end).line);
        end.saturating_sub(start) + 1
    };
    let mut regions: Vec<super::Region> = ctx.parsed.map_or_else(Vec::new, |p| {
        p.tags
            .iter()
            .filter_map(|t| {
                let edition = ctx.config.edition_named(&t.args.as_ref().ok()?.edition)?;
                let span = t.item_span.clone();
                Some(super::Region { lines: lines(&span), span, edition, item: t.item_name.clone() })
            })
            .collect()
    });
    for (i, license) in ctx.snippet_licenses {
        let (Ok(expr), Some(snippet)) = (&license.expr, ctx.scan.snippets.get(*i)) else { continue };
        if let Some(edition) = ctx.accepted.iter().position(|acc| expr.matches_any(acc)) {
            let span = comment_lines(bytes, snippet.span(bytes.len()));
            regions.push(super::Region { lines: lines(&span), span, edition, item: None });
        }
    }
    super::FileFacts {
        path: ctx.source.path.clone(),
        edition: ctx.edition,
        lines: bytecount_lines(bytes),
        tagged,
        license_ids: license_ids.iter().map(|(id, _)| id.clone()).collect::<BTreeSet<_>>().into_iter().collect(),
        declared: ctx.effective_licenses().iter().map(|l| l.tag.text.clone()).collect(),
        sha1: sha1_smol::Sha1::from(bytes).digest().to_string(),
        regions,
        unclosed_snippets: ctx.scan.snippets.iter().filter(|s| s.end.is_none()).map(|s| s.line).collect(),
    }
}

/// A snippet's span grown over the comment markers around its begin and
/// end markers (`// SPDX-SnippetBegin`, `# …`, `/* … */`, `<!-- … -->`):
/// to the start of the begin marker's line and the end of the end marker's
/// line, when nothing but comment punctuation and spaces shares them.
fn comment_lines(bytes: &[u8], span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let punctuation = |b: &u8| !b.is_ascii_alphanumeric() && *b != b'"' && *b != b'\'' && *b != b'\n';
    let line_start = bytes.get(..span.start).and_then(|b| memchr::memrchr(b'\n', b)).map_or(0, |i| i + 1);
    let start = if bytes.get(line_start..span.start).is_some_and(|b| b.iter().all(punctuation)) {
        line_start
    } else {
        span.start
    };
    let line_end = bytes.get(span.end..).and_then(|b| memchr::memchr(b'\n', b)).map_or(bytes.len(), |i| span.end + i);
    let end =
        if bytes.get(span.end..line_end).is_some_and(|b| b.iter().all(punctuation)) { line_end } else { span.end };
    start..end
}

/// Lines in a file (a last line without a newline counts).
fn bytecount_lines(bytes: &[u8]) -> usize {
    let newlines = memchr::memchr_iter(b'\n', bytes).count();
    newlines + usize::from(bytes.last().is_some_and(|b| *b != b'\n'))
}

/// What the workspace index keeps of a parsed file: its syntax, and the
/// regions tags and edition snippets mark as explicitly of an edition.
fn index_data(
    shared: &Shared<'_>,
    entry: &FileEntry,
    parsed: parse::ParsedFile,
    problem: Option<parse::SyntaxError>,
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
    FileData { rel: entry.rel.clone(), syntax: parsed.syntax, tagged, problem }
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

/// The text with a cargo-script frontmatter block blanked out (syn does not
/// know the syntax yet); newlines stay, so every byte offset still holds.
fn without_frontmatter(text: &str, frontmatter: Option<std::ops::Range<usize>>) -> std::borrow::Cow<'_, str> {
    let Some(range) = frontmatter.filter(|r| text.get(r.clone()).is_some()) else { return text.into() };
    let mut owned = String::with_capacity(text.len());
    owned.push_str(&text[..range.start]);
    for c in text[range.clone()].chars() {
        if c == '\n' {
            owned.push('\n');
        } else {
            owned.extend(std::iter::repeat_n(' ', c.len_utf8()));
        }
    }
    owned.push_str(&text[range.end..]);
    owned.into()
}
