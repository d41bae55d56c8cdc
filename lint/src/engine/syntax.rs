//! Stage 3, syntax: what syn says of a Rust file, when the lexical
//! pre-filter says it can matter (or with `--exhaustive`), and what the
//! workspace index keeps of it. The cache wraps this stage: a file it knows
//! unchanged is not read at all (see [`super::files`]).

use std::sync::Arc;

use super::read::{self, Text};
use super::scan::{snippet_licenses, Licenses};
use super::shared::Shared;
use super::timings::Step;
use crate::checks::{self, WrittenLicense};
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::index::{Encoded, FileData, Lean};
use crate::license::comment::CommentStyle;
use crate::license::header;
use crate::parse;
use crate::parse::skeleton;
use crate::prefilter::Lexed;
use crate::workspace::FileEntry;

/// What syn says of one file.
pub(super) struct Syntax {
    /// What the pre-filter found, for a Rust file that could be parsed.
    pub lexed: Option<Lexed>,
    /// The parsed file, when it was parsed.
    pub parsed: Option<parse::ParsedFile>,
    /// Why syn could not read it, when it could not.
    pub problem: Option<parse::SyntaxError>,
    /// A Rust file that could be parsed but was not: the index may still ask for it.
    pub unparsed: bool,
    /// The function bodies its reading left out.
    pub lean: Option<Lean>,
}

/// Parses `text` of a Rust file if the pre-filter (or `--exhaustive`) wants it.
pub(super) fn syntax(shared: &Shared<'_>, text: &Text<'_>, bytes: &[u8], licenses: &Licenses, is_rust: bool) -> Syntax {
    let scan = &licenses.scan;
    let lexed = (is_rust && !text.not_utf8).then(|| {
        let mut lexed = shared.steps.time(Step::Lex, || shared.words.scan(bytes));
        // A snippet marks code of an edition, as a tag does.
        lexed.tag |= !scan.snippets.is_empty();
        lexed
    });
    let wanted = lexed.as_ref().is_some_and(|l| shared.parse_all || l.needs_syntax());
    let (parsed, problem, lean) = if wanted {
        let (parsed, lean) = shared.steps.time(Step::Parse, || read_rust(shared, &text.decoded, bytes, scan));
        (Some(parsed.file), parsed.problem, lean)
    } else {
        (None, None, None)
    };
    let unparsed = lexed.is_some() && !wanted;
    Syntax { lexed, parsed, problem, unparsed, lean }
}

/// Parses a Rust file, leaving out the function bodies that cannot change
/// the index (see [`skeleton`]) unless the run parses every body.
fn read_rust(shared: &Shared<'_>, text: &str, bytes: &[u8], scan: &header::Scan) -> (parse::Parsed, Option<Lean>) {
    let text = parse::without_frontmatter(text, scan.frontmatter.clone());
    let (mut parsed, nesting) = match shared.keep {
        // One lexing gives the bodies to leave out, the doc comments to
        // read as plain comments and how deep the file nests.
        Some(keep) if text.len() <= parse::MAX_PARSE_BYTES => {
            let snippets: Vec<_> =
                scan.snippets.iter().map(|s| s.begin.start..s.end.as_ref().map_or(s.body.end, |e| e.end)).collect();
            let (tokens, docs) = parse::lex::code_tokens_and_docs(text.as_bytes());
            let bodies = skeleton::blankable_in(&text, &tokens, keep, &snippets);
            let deepest = parse::lex::deepest_of(text.as_bytes(), tokens);
            (parse::parse_nesting(&text, (bodies, &docs), deepest), deepest.0)
        }
        _ => (parse::parse_leaving_out(&text, Vec::new()), 0),
    };
    let lean = (!parsed.blanked.is_empty()).then(|| {
        let mut bodies = std::mem::take(&mut parsed.blanked);
        // Kept for the whole run: no room to grow.
        for body in &mut bodies {
            body.words.shrink_to_fit();
        }
        bodies.shrink_to_fit();
        let hash = crate::workspace::content_hash(bytes);
        Lean { bodies: Encoded::new(bodies), hash, frontmatter: scan.frontmatter.clone(), nesting }
    });
    (parsed, lean)
}

/// Parses a Rust file the pre-filter let through but the index needs after
/// all: its index data, and the `parse/syntax` warning if syn could not read
/// it. `None` when the file cannot be read any more (its first read already
/// said why).
pub fn index_only(shared: &Shared<'_>, entry: &FileEntry) -> Option<(FileData, Option<Diagnostic>)> {
    let bytes = read::read(shared, entry).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let scan = header::scan(&bytes, CommentStyle::Rust);
    let snippets = snippet_licenses(&scan);
    let (parsed, lean) = shared.steps.time(Step::Parse, || read_rust(shared, text, &bytes, &scan));
    let warning = parsed
        .problem
        .as_ref()
        .map(|problem| checks::parse::syntax::diagnostic(&Arc::new(SourceFile::new(entry.rel.clone(), text)), problem));
    Some((index_data(shared, entry, (parsed.file, lean), parsed.problem, &scan, &snippets), warning))
}

/// What the workspace index keeps of a parsed file: its syntax, and the
/// regions tags and edition snippets mark as explicitly of an edition.
pub(super) fn index_data(
    shared: &Shared<'_>,
    entry: &FileEntry,
    (parsed, lean): (parse::ParsedFile, Option<Lean>),
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
    let mut data = FileData::parsed(entry.rel.clone(), parsed.syntax, tagged, problem);
    data.lean = lean;
    data
}
