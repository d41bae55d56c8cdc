//! What `corefence report` and `corefence export` know of the workspace:
//! per file, its edition, lines, tags, licenses and checksum, and the
//! stretches explicitly of an edition; per crate, its edition and license.
//! The engine gathers them while it checks (with `collect_facts`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::checks::FileContext;
use crate::config::{Config, EditionId};
use crate::edition::EditionMap;
use crate::workspace::Workspace;

/// Everything gathered, in path and folder order.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// The workspace root.
    pub root: PathBuf,
    /// Per checked file.
    pub files: Vec<FileFacts>,
    /// Per crate.
    pub crates: Vec<CrateFacts>,
    /// Every file of the workspace with its edition: its path or crate
    /// edition, or, for a module file, the edition its declaration gives it.
    pub file_editions: Vec<(String, EditionId)>,
    /// Symbolic links to files of the workspace: the link's path, its own
    /// edition (by path or crate), and the file it ends at.
    pub links: Vec<(String, EditionId, String)>,
}

impl Inventory {
    /// The inventory of a run: the checked files' facts, and what the
    /// workspace model says of every crate, file and link (`declared`: the
    /// edition each module file's declaration gives it).
    pub(crate) fn gather(
        root: &Path,
        files: Vec<FileFacts>,
        (config, ws, editions): (&Config, &Workspace, &EditionMap),
        declared: &BTreeMap<String, EditionId>,
    ) -> Self {
        Inventory {
            root: root.to_path_buf(),
            files,
            crates: crate_facts(config, ws, editions),
            file_editions: file_editions(config, ws, editions, declared),
            links: link_editions(config, ws, editions),
        }
    }
}

/// What `corefence report` knows of one checked file.
#[derive(Debug, Clone)]
pub struct FileFacts {
    /// Relative path.
    pub path: String,
    /// The file's edition.
    pub edition: EditionId,
    /// Lines of text.
    pub lines: usize,
    /// Editions of the `#[edition(..)]` tags in it.
    pub tagged: Vec<EditionId>,
    /// License and exception ids its header (or sidecar) and snippets use.
    pub license_ids: Vec<String>,
    /// The file-level expressions as written.
    pub declared: Vec<String>,
    /// SHA-1 of the content, hex.
    pub sha1: String,
    /// Its copyright statements: the header's, or those REUSE gives it
    /// from outside (sidecar, `REUSE.toml`).
    pub copyrights: Vec<String>,
    /// Code explicitly of an edition: tagged items (attributes and doc
    /// comments included) and SPDX snippets (markers included).
    pub regions: Vec<Region>,
    /// Lines of `SPDX-SnippetBegin` markers that are never closed.
    pub unclosed_snippets: Vec<usize>,
}

/// A stretch of a file that is explicitly of an edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// Bytes, from the first attribute or begin marker to the item's end or end marker.
    pub span: std::ops::Range<usize>,
    /// Its edition.
    pub edition: EditionId,
    /// The tagged item's name; `None` for a snippet.
    pub item: Option<String>,
    /// Lines it spans.
    pub lines: usize,
}

/// What `corefence report` knows of one crate.
#[derive(Debug, Clone)]
pub struct CrateFacts {
    /// Package name.
    pub name: String,
    /// Folder, relative to the root.
    pub dir: String,
    /// The crate's own edition.
    pub edition: EditionId,
    /// Its Cargo.toml license, if any (inherited ones resolved).
    pub license: Option<String>,
    /// SHA-1 of its Cargo.toml, hex.
    pub manifest_sha1: String,
    /// The edition whose build alone has it (`build-only-crates`), if any.
    pub build_only: Option<EditionId>,
    /// The workspace crates it depends on (every kind), by index.
    pub depends_on: Vec<usize>,
}

/// What `corefence report` lists about the file.
pub(crate) fn file_facts(
    ctx: &FileContext<'_>,
    bytes: &[u8],
    license_ids: &[(String, std::ops::Range<usize>)],
) -> FileFacts {
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
    let mut regions: Vec<Region> = ctx.parsed.map_or_else(Vec::new, |p| {
        p.tags
            .iter()
            .filter_map(|t| {
                let edition = ctx.config.edition_named(&t.args.as_ref().ok()?.edition)?;
                let span = t.item_span.clone();
                Some(Region { lines: lines(&span), span, edition, item: t.item_name.clone() })
            })
            .collect()
    });
    for (i, license) in ctx.snippet_licenses {
        let (Ok(expr), Some(snippet)) = (&license.expr, ctx.scan.snippets.get(*i)) else { continue };
        if let Some(edition) = ctx.accepted.iter().position(|acc| expr.matches_any(acc)) {
            let span = comment_lines(bytes, snippet.span(bytes.len()));
            regions.push(Region { lines: lines(&span), span, edition, item: None });
        }
    }
    FileFacts {
        path: ctx.source.path.clone(),
        edition: ctx.edition,
        lines: bytecount_lines(bytes),
        tagged,
        license_ids: license_ids.iter().map(|(id, _)| id.clone()).collect::<BTreeSet<_>>().into_iter().collect(),
        declared: ctx.effective_licenses().iter().map(|l| l.tag.text.clone()).collect(),
        sha1: sha1_smol::Sha1::from(bytes).digest().to_string(),
        copyrights: match ctx.external {
            Some(e) if ctx.licenses.is_empty() => e.copyrights.clone(),
            _ => ctx.scan.copyrights.iter().map(|t| t.text.clone()).collect(),
        },
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

/// Every file's edition: its declaration's for a module file, else its
/// path or crate edition.
fn file_editions(
    config: &Config,
    ws: &Workspace,
    editions: &EditionMap,
    declared: &BTreeMap<String, EditionId>,
) -> Vec<(String, EditionId)> {
    ws.files
        .iter()
        .map(|f| {
            let edition =
                declared.get(f.rel.as_str()).copied().unwrap_or_else(|| editions.file_edition(config, ws, &f.rel).0);
            (f.rel.clone(), edition)
        })
        .collect()
}

/// Every symbolic link to a workspace file, with the link's own edition.
fn link_editions(config: &Config, ws: &Workspace, editions: &EditionMap) -> Vec<(String, EditionId, String)> {
    ws.links
        .iter()
        .map(|(link, target)| (link.clone(), editions.file_edition(config, ws, link).0, target.clone()))
        .collect()
}

fn crate_facts(config: &Config, ws: &Workspace, editions: &EditionMap) -> Vec<CrateFacts> {
    ws.crates
        .iter()
        .enumerate()
        .map(|(i, c)| CrateFacts {
            name: c.name.clone(),
            dir: c.dir.clone(),
            edition: editions.crate_edition(i).0,
            license: c.info.license.as_ref().map(|l| l.value.clone()).or_else(|| {
                c.info.license_inherited.as_ref().and_then(|_| ws.inherited_license(c).map(|(_, l)| l.value.clone()))
            }),
            manifest_sha1: sha1_smol::Sha1::from(c.manifest.text.as_bytes()).digest().to_string(),
            build_only: config.build_only_edition(&c.name),
            depends_on: {
                let mut on: Vec<usize> = c.info.dependencies.iter().filter_map(|d| ws.dependency_crate(c, d)).collect();
                on.sort_unstable();
                on.dedup();
                on
            },
        })
        .collect()
}
