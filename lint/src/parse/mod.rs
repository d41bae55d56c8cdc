//! Parsing Rust files with syn, and what the checks need from the syntax tree.
//!
//! Spans are turned into byte ranges while the tree is alive, and the thread's
//! span table is released after each file: proc-macro2 keeps every parsed
//! file's text in a thread-local map otherwise, which would grow with the
//! workspace instead of staying flat.

mod attrs;
pub mod extent;
pub mod items;
pub mod lex;
pub mod lexical;
pub mod skeleton;
pub mod tags;

use std::ops::Range;

/// Why a file does not parse.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SyntaxError {
    /// syn's message.
    pub message: String,
    /// Byte range of the offending token.
    pub span: Range<usize>,
    /// Valid Rust perhaps, but nested deeper than [`MAX_NESTING_BOUND`].
    pub too_deep: bool,
}

/// What the checks need from one parsed Rust file.
#[derive(Debug, Clone, Default)]
pub struct ParsedFile {
    /// Items tagged `#[edition(..)]`, in source order.
    pub tags: Vec<tags::EditionTag>,
    /// What name resolution needs.
    pub syntax: items::Syntax,
}

/// How deep (see [`lex::nesting_bound`]) a file may nest and still be
/// handed to syn. Real code stays far below it (the deepest of 5,000 files
/// of popular crates is under 400); generated or hostile code can go
/// arbitrarily deep, and syn recurses once per level.
pub const MAX_NESTING_BOUND: usize = 1500;

/// Files larger than this are read token by token, not parsed: syn's tree
/// takes about 120 bytes of memory per byte of source.
pub const MAX_PARSE_BYTES: usize = 1 << 20;

/// Stack one level of syn's recursion may take (parse, visit, drop),
/// measured on unoptimised builds with room to spare.
const STACK_PER_LEVEL: usize = 48 << 10;

/// How the file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// By syn: the full syntax tree.
    Tree,
    /// Token by token ([`lexical`]): too large, too deep or not valid Rust.
    Tokens,
}

/// A parsed file, and why it could not be parsed fully, if it could not.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// What the checks need.
    pub file: ParsedFile,
    /// How it was read.
    pub reading: Reading,
    /// Why syn did not read it (a syntax error, too deep): a `parse/syntax` warning.
    pub problem: Option<SyntaxError>,
    /// The function bodies left out of syn's reading (see [`skeleton`]).
    pub blanked: Vec<skeleton::Blanked>,
}

/// Parses `text` and extracts what the checks need. Never fails: a file syn
/// cannot or must not parse is read token by token instead, so its
/// references are still checked.
pub fn parse(text: &str) -> Parsed {
    parse_leaving_out(text, Vec::new())
}

/// [`parse`], leaving the function bodies `bodies` out of syn's reading
/// (see [`skeleton`]); a file read token by token is read whole.
pub fn parse_leaving_out(text: &str, bodies: Vec<skeleton::Blanked>) -> Parsed {
    let deepest = if text.len() > MAX_PARSE_BYTES { (0, 0) } else { lex::deepest(text.as_bytes()) };
    parse_nesting(text, (bodies, &[]), deepest)
}

/// [`parse_leaving_out`], with `text`'s [`lex::deepest`] (or a bound above
/// it) already known, and the doc comments starting at `docs` (from
/// [`lex::code_tokens_and_docs`]) read as plain comments when the file holds
/// no tag: a tag's item must keep its doc comment, which `--fix` wraps in a
/// snippet with it.
pub fn parse_nesting(
    text: &str,
    (bodies, docs): (Vec<skeleton::Blanked>, &[usize]),
    (bound, at): (usize, usize),
) -> Parsed {
    let tokens =
        |problem| Parsed { file: lexical::extract(text), reading: Reading::Tokens, problem, blanked: Vec::new() };
    if text.len() > MAX_PARSE_BYTES {
        return tokens(None);
    }
    if bound > MAX_NESTING_BOUND {
        return tokens(Some(SyntaxError {
            message: format!("about {bound} levels deep, more than the {MAX_NESTING_BOUND} corefence parses"),
            span: at..at.saturating_add(1).min(text.len()).max(at),
            too_deep: true,
        }));
    }
    // Parsing, visiting and dropping the tree all recurse as deep as the
    // code nests: give them a stack that fits, whatever thread this is.
    let needed = (bound + 32) * STACK_PER_LEVEL;
    let prelude = blank_prelude(text);
    let blanked = if bodies.is_empty() { prelude } else { skeleton::blank(&prelude, &bodies).into() };
    let blanked =
        if docs.is_empty() || tags::may_hold(text) { blanked } else { lex::plain_docs(&blanked, docs).into() };
    match stacker::maybe_grow(needed, needed + (1 << 20), || parse_tree(&blanked)) {
        Ok(file) => Parsed { file, reading: Reading::Tree, problem: None, blanked: bodies },
        Err(err) => tokens(Some(err)),
    }
}

/// The text with a byte order mark and an interpreter line (`#!` not
/// followed by `[`) blanked out: syn would drop them and count every span
/// from after them. Newlines stay, so every byte offset still holds.
fn blank_prelude(text: &str) -> std::borrow::Cow<'_, str> {
    let bom = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let rest = &text[bom..];
    let shebang = rest.strip_prefix("#!").filter(|after| !after.trim_start().starts_with('['));
    let line = shebang.map_or(0, |_| rest.find('\n').unwrap_or(rest.len()));
    if bom + line == 0 {
        return text.into();
    }
    let blanked = " ".repeat(bom) + &rest[..line].chars().map(|c| " ".repeat(c.len_utf8())).collect::<String>();
    (blanked + &rest[line..]).into()
}

/// The text with a cargo-script frontmatter block blanked out (syn does not
/// know the syntax yet); newlines stay, so every byte offset still holds.
pub fn without_frontmatter(text: &str, frontmatter: Option<Range<usize>>) -> std::borrow::Cow<'_, str> {
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

/// syn's reading of a file: everything is extracted and the tree dropped
/// before this returns.
fn parse_tree(text: &str) -> Result<ParsedFile, SyntaxError> {
    let result = match syn::parse_file(text) {
        Ok(file) => {
            Ok(extent::within(text, || ParsedFile { tags: tags::find(text, &file), syntax: items::extract(&file) }))
        }
        Err(err) => {
            let (start, end) = (err.span().start(), err.span().end());
            let span = byte_offset(text, start)..byte_offset(text, end);
            Err(SyntaxError { message: err.to_string(), span, too_deep: false })
        }
    };
    proc_macro2::extra::invalidate_current_thread_spans();
    result
}

/// The byte offset of a proc-macro2 line (1-based) and column (0-based, in chars).
fn byte_offset(text: &str, at: proc_macro2::LineColumn) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(at.line.saturating_sub(1)).map(str::len).sum();
    let rest = text.get(line_start..).unwrap_or("");
    line_start + rest.char_indices().nth(at.column).map_or(rest.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_points_at_the_token_and_references_are_still_read() {
        let text = "fn ok() { acme_ee::sso::login(); }\nfn broken(x: ) { }\n";
        let parsed = parse(text);
        let err = parsed.problem.expect("a syntax error");
        assert_eq!(&text[err.span.clone()], ")");
        assert_eq!(parsed.reading, Reading::Tokens);
        assert!(parsed.file.syntax.refs.iter().any(|r| r.segments == ["acme_ee", "sso", "login"]));
    }

    /// Chains syn nests one level per link, each `n` links long.
    fn chains(n: usize) -> Vec<(&'static str, String)> {
        vec![
            ("not", format!("fn f() {{ {}a; }}", "!".repeat(n))),
            ("add", format!("const X: u8 = {}1;", "1 + ".repeat(n))),
            ("generics", format!("type T = {}u8{};", "Vec<".repeat(n), ">".repeat(n))),
            ("fn pointers", format!("type T = {}u8;", "fn() -> ".repeat(n))),
            ("else if", format!("fn f() {{ if a {{}} {} }}", "else if a {} ".repeat(n))),
            ("methods", format!("fn f() {{ x{}; }}", ".m()".repeat(n))),
            ("parens", format!("fn f() {{ {}1{}; }}", "(".repeat(n), ")".repeat(n))),
            ("references", format!("type T = {}u8;", "&".repeat(n))),
            ("closures", format!("fn f() {{ {}a; }}", "|x| ".repeat(n))),
            ("blocks", format!("fn f() {{ {}{} }}", "{ ".repeat(n), "} ".repeat(n))),
            ("modules", format!("{}{}", "mod a { ".repeat(n), "}".repeat(n))),
        ]
    }

    #[test]
    fn deep_nesting_of_every_kind_is_read_token_by_token() {
        // A small stack: the token reading must not recurse with the input.
        let handle = std::thread::Builder::new()
            .stack_size(512 << 10)
            .spawn(|| {
                chains(50_000)
                    .into_iter()
                    .map(|(kind, text)| {
                        let parsed = parse(&text);
                        (kind, parsed.reading, parsed.problem.map(|p| p.message))
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap();
        for (kind, reading, problem) in handle.join().unwrap() {
            assert_eq!(reading, Reading::Tokens, "{kind}");
            assert!(problem.is_some_and(|p| p.contains("levels deep")), "{kind}");
        }
    }

    #[test]
    fn nesting_below_the_limit_is_parsed_on_any_stack() {
        // syn needs far more than this thread's stack for these: the parse
        // must grow its own.
        let handle = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(|| {
                chains(MAX_NESTING_BOUND / 5)
                    .into_iter()
                    .map(|(kind, text)| (kind, parse(&text).reading))
                    .collect::<Vec<_>>()
            })
            .unwrap();
        for (kind, reading) in handle.join().unwrap() {
            assert_eq!(reading, Reading::Tree, "{kind}");
        }
    }

    #[test]
    fn large_files_are_read_token_by_token_without_a_warning() {
        let text = format!("use acme_ee::sso;\n{}", "pub fn f() {}\n".repeat(MAX_PARSE_BYTES / 10));
        let parsed = parse(&text);
        assert_eq!((parsed.reading, parsed.problem), (Reading::Tokens, None));
        assert_eq!(parsed.file.syntax.root.uses.len(), 1);
    }

    #[test]
    fn spans_count_from_the_first_byte_of_the_file_after_a_bom_or_shebang() {
        for prelude in ["\u{feff}", "#!/usr/bin/env run-cargo-script\n", "\u{feff}#!/bin/é\n"] {
            let text = format!("{prelude}use acme_ee::sso;\n");
            let parsed = parse(&text).file;
            let span = parsed.syntax.root.uses[0].span.clone();
            assert_eq!(&text[span], "acme_ee::sso", "{prelude:?}");
        }
    }

    #[test]
    fn doc_comments_are_read_as_plain_comments_unless_the_file_may_hold_a_tag() {
        let lean = |text: &str| {
            let (tokens, docs) = lex::code_tokens_and_docs(text.as_bytes());
            parse_nesting(text, (Vec::new(), &docs), lex::deepest_of(text.as_bytes(), tokens)).file
        };
        let text = "/// Seats, see [`acme_ee::plan`].\n#[inline]\npub fn seats() -> u32 { acme_ee::limit() }\n";
        let (plain, whole) = (lean(text), parse(text).file);
        assert_eq!(format!("{:?}", plain.syntax.refs), format!("{:?}", whole.syntax.refs));
        let start = |f: &ParsedFile| f.syntax.root.items[0].item_span.start;
        assert_eq!((start(&plain), start(&whole)), (text.find("#[inline]").unwrap(), 0));
        // `--fix` wraps a tagged item in a snippet by its span: with its doc comment.
        let tagged = "/// Seats.\n#[edition(enterprise)]\npub fn seats() -> u32 { 5 }\n";
        assert_eq!(lean(tagged).tags[0].item_span, 0..tagged.len() - 1);
    }

    #[test]
    fn spans_are_relative_to_each_file() {
        // proc-macro2 numbers spans across every file parsed on a thread;
        // the second file's offsets must still start at its own byte 0.
        let _ = parse("fn first() {}\n");
        let parsed = parse("#[edition(enterprise)]\nfn f() {}\n").file;
        assert_eq!(parsed.tags[0].item_span, 0..32);
    }

    /// What other files see of a reading: everything but what bodies say,
    /// and of the cfg regions those the index reads (`test`, a feature).
    fn outline(parsed: &Parsed) -> String {
        fn reads(c: &items::Cfg) -> bool {
            match c {
                items::Cfg::Feature(_) | items::Cfg::Test => true,
                items::Cfg::All(parts) | items::Cfg::Any(parts) => parts.iter().any(reads),
                items::Cfg::Not(inner) => reads(inner),
                items::Cfg::Other => false,
            }
        }
        let s = &parsed.file.syntax;
        let gates: Vec<_> = s.cfg_regions.iter().filter(|(_, c)| reads(c)).collect();
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{gates:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            s.root,
            s.includes,
            s.methods,
            s.impls,
            s.gated_signatures,
            s.bounded_fns,
            s.macro_members,
            s.macro_rules,
            s.signature_traits,
            parsed.file.tags
        )
    }

    /// The first reading of `text` leaves out bodies and initializers, and
    /// nothing another file sees.
    fn assert_outline_whole(text: &str, name: &str) {
        let whole = parse(text);
        if whole.problem.is_some() {
            return;
        }
        let keep = skeleton::Keep::new(["community", "enterprise"], ["enterprise"]);
        let lean = parse_leaving_out(text, skeleton::blankable(text, &keep, &[]));
        assert_eq!(outline(&lean), outline(&whole), "{name}");
    }

    #[test]
    fn a_first_reading_keeps_all_other_files_see() {
        // A file that may hold a tag keeps doc comments as attributes: the
        // items kept in a body keep theirs; a macro in a body names its
        // locals; a long table; bodies with gates of every kind.
        let text = "use corefence_macros::edition;
fn a() -> u8 {
    let z0 = 1;
    macro_rules! check { () => { z0 } }
    #[cfg(unix)]
    let u = 2;
    check!() + u
}
fn b() -> u8 {
    let x = 1;
    /// Doc.
    #[derive(Debug)]
    struct S;
    /** Block doc. */
    fn inner() {}
    inner();
    x
}
fn c() { let x = 1; #[cfg(test)] let t = x; }
static TABLE: &[u32] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70];
";
        assert_outline_whole(text, "inline");
        // And every Rust file of the fixtures and the differential cases.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("fixtures")];
        let mut files = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("a readable folder").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    assert_outline_whole(&text, &path.display().to_string());
                    files += 1;
                }
            }
        }
        for entry in std::fs::read_dir(root.join("tests/differential")).expect("the cases").flatten() {
            let case = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for part in case.split("\n--- ").skip(1) {
                let Some((name, body)) = part.split_once('\n') else { continue };
                if std::path::Path::new(name.trim_end()).extension().is_some_and(|e| e == "rs") {
                    assert_outline_whole(body, &format!("{}: {name}", entry.path().display()));
                    files += 1;
                }
            }
        }
        assert!(files > 500, "{files} files");
    }

    #[test]
    fn functions_read_apart_say_what_they_say_in_their_file() {
        let text = "\u{feff}use ee::{Plan, login};
mod a {
    mod b;
    mod z { fn zz() { first() } }
    pub mod c {
        impl super::S {
            pub fn f(&self, x: Token) -> Plan {
                self.audit();
                #[cfg(unix)]
                let p: Plan = make();
                p.seats();
                println!(\"{SEATS}\");
                login(x.into())
            }
        }
    }
}
trait T { fn d(&self) -> u8 { Self::count() + self.seats() } }
fn g<X: Into<Plan>>(x: X) -> impl Into<Plan> { let _ = [1].iter().map(|s| s.audit()); x }
fn h(p: Plan) -> u8 {
    let n = p.seats();
    use ee::Seat;
    fn inner() -> Seat { Seat::new() }
    const K: u8 = 1;
    inner().audit(n) + K
}
static PLANS: &[(Plan, u8)] = &[
    (Plan::Team, 1), (Plan::Basic, 2), (Plan::Pro, 3), (Plan::Enterprise, 4), (Plan::Trial, 5), (Plan::Free, 6),
    (Plan::Team, 7), (Plan::Basic, 8), (Plan::Pro, 9), (Plan::Enterprise, 10), (Plan::Trial, 11), (Plan::Free, 12),
    (Plan::Team, 13), (Plan::Basic, 14), (Plan::Pro, 15), (Plan::Enterprise, 16), (Plan::Trial, 17), (Plan::Free, 18),
];
";
        let keep = skeleton::Keep::new(["community", "enterprise"], ["enterprise"]);
        let bodies = skeleton::blankable(text, &keep, &[]);
        assert_eq!(bodies.len(), 6);
        // The block of `h` declares items: they are read with the file.
        assert_eq!(bodies[4].kept.len(), 3);
        let lists = |s: &items::Syntax| {
            format!(
                "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
                s.refs,
                s.method_calls,
                s.calls,
                s.arguments,
                s.conversions,
                s.trait_uses,
                s.gated_locals,
                s.expected,
                s.macro_calls,
                s.cfg_regions
            )
        };
        // Each set of wanted bodies: read apart and put in place, or read
        // with the file, the others left out either way.
        for wanted in [vec![0, 1, 2, 3, 4, 5], vec![1], vec![0, 3], vec![2], vec![4], vec![1, 4], vec![5], vec![3, 5]] {
            let (apart, others): (Vec<_>, Vec<_>) = bodies.iter().enumerate().partition(|(i, _)| wanted.contains(i));
            let others: Vec<_> = others.into_iter().map(|(_, b)| b.clone()).collect();
            let expected = parse_leaving_out(text, others).file.syntax;
            let apart: Vec<_> = apart.into_iter().map(|(_, b)| b).collect();
            let (focus, items) = skeleton::focus(text, &apart).expect("functions in blocks");
            let lean = parse_leaving_out(text, bodies.clone()).file.syntax;
            let mut syntax = lean.clone();
            syntax.put_functions(parse(&focus).file.syntax, &items).expect("the same modules");
            assert_eq!(lists(&syntax), lists(&expected), "{wanted:?}");
            assert_ne!(lists(&syntax), lists(&lean), "{wanted:?}");
        }
    }
}
