//! Function bodies syn need not parse yet.
//!
//! Three quarters of a typical file's code is function bodies, and most
//! bodies cannot hold a boundary finding: nothing in them names code of a
//! higher edition. A first reading of a file leaves out every body that
//! cannot change what other files see (no cfg gate on `test` or a
//! feature, tag, `include!`, snippet, or item inside other code): they are
//! blanked (every byte but newlines becomes a space, so every offset still
//! holds) before syn parses the file. Items directly in a body (a block's
//! `use`, a nested `fn`) are kept: they make its block a module of the
//! index, in which the statements left out are read later. A long
//! initializer of a `const` or `static` (a table) is left out the same
//! way, read as an empty block `{ }` in the meantime. Once the workspace
//! index says which names can lead to a finding, a body that names one is
//! parsed after all (`index::FileData::completed`); the others never are.

use std::collections::HashSet;
use std::ops::Range;

use super::lex::{self, ident_name, Kind, Token};

/// A function body (or a long initializer) left out of a file's first
/// reading.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Blanked {
    /// Between the braces (for an initializer, between its first and
    /// last bytes, which the first reading reads as braces).
    pub body: Range<usize>,
    /// The items directly in it, which the first reading keeps (see
    /// [`Keep::reading`]): a block that declares items is a module of the
    /// index, and the code left out is read in it.
    pub kept: Vec<Range<usize>>,
    /// Its words and those of the code that says what they mean: the
    /// function's signature and the header of the `impl` or `trait` around
    /// it (`Self`, the parameters' types). Each is a [`word_key`], sorted.
    pub words: Vec<u32>,
    /// The macros it invokes, by the [`word_key`] of their last name (`m`
    /// of `a::m!(..)`): their expansions may break in the macros' own files.
    pub macros: Vec<u32>,
    /// What a reading of its function alone keeps; `None` for a function
    /// inside other code (a `const` block), which is read with its file.
    pub frame: Option<Frame>,
}

/// A function and the blocks around it, by byte offsets: enough for syn to
/// read the function as it reads it in its whole file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Frame {
    /// The whole function (or `const` or `static` item), from its
    /// attributes to its closing brace (or `;`).
    pub item: Range<usize>,
    /// The `mod`, `impl` and `trait` blocks around it, outermost first:
    /// each one's header (attributes to opening brace) and closing brace.
    pub around: Vec<(Range<usize>, usize)>,
}

/// A word's key: a hash of the word, and whether `.` or `::` comes right
/// before it (`x.seats()`, `Plan::seats`) in the lowest bit. Keys of
/// different words may collide, which only costs a body's parse.
pub fn word_key(word: &str, after_path: bool) -> u32 {
    bytes_key(word.as_bytes(), after_path)
}

/// [`word_key`] of a word's bytes.
fn bytes_key(word: &[u8], after_path: bool) -> u32 {
    // Truncated on purpose: the lowest 32 bits of a 64-bit hash.
    #[allow(clippy::cast_possible_truncation)]
    let hash = xxhash_rust::xxh3::xxh3_64(word) as u32;
    (hash & !1) | u32::from(after_path)
}

/// Whether an identifier makes a body matter to the index wherever it
/// stands, macro arguments included: tags (`edition`), `include!` and
/// `#[macro_export]`. (A cfg gate matters when it may read `test` or a
/// feature, see [`Keep::reading`]: the index keeps no gate of `unix`.)
fn always_kept(name: &str) -> bool {
    matches!(name, "include" | "include_str" | "include_bytes" | "edition" | "corefence_macros" | "macro_export")
}

/// Whether the bracket at token `i` opens a macro invocation's arguments
/// (`name!(..)`), not a negation (`if !(a || b)`).
fn invokes_macro(bytes: &[u8], tokens: &[Token], i: usize) -> bool {
    let before = |n: usize| i.checked_sub(n).and_then(|j| tokens.get(j));
    before(1).is_some_and(|t| t.is_punct(b'!'))
        && before(2).is_some_and(|t| {
            t.kind == Kind::Ident
                && !matches!(
                    ident_name(bytes, &t.span()),
                    "if" | "while" | "match" | "return" | "break" | "in" | "else"
                )
        })
}

/// The identifier that token `j` is, if it is one.
fn ident_at<'b>(bytes: &'b [u8], tokens: &[Token], j: usize) -> Option<&'b str> {
    tokens.get(j).filter(|t| t.kind == Kind::Ident).map(|t| ident_name(bytes, &t.span()))
}

/// Whether token `i` of `tokens` begins an item inside a body: items other
/// files see (`impl`, `mod`, `macro_rules!`) and the items and `use`s that
/// make a block a module of the index. Only keywords in code count, not
/// in a macro's arguments (which the index reads as tokens, never as
/// items), and only where they start an item: `fn(u8)` and `extern "C"
/// fn(u8)` are types, `*const T` and `&raw const x` are not `const` items,
/// `a.union(b)` is a method.
fn starts_item(bytes: &[u8], tokens: &[Token], i: usize) -> bool {
    let name = |j: usize| ident_at(bytes, tokens, j);
    let next_is_name = tokens.get(i + 1).is_some_and(|t| t.kind == Kind::Ident);
    let after = |ch: u8| i.checked_sub(1).and_then(|p| tokens.get(p)).is_some_and(|t| t.is_punct(ch));
    match name(i).unwrap_or_default() {
        "impl" | "mod" | "macro_rules" | "use" | "struct" | "enum" | "trait" | "type" | "static" => true,
        "fn" => next_is_name,
        "const" => !after(b'*') && i.checked_sub(1).and_then(name) != Some("raw"),
        "union" => next_is_name && !after(b'.'),
        // `extern crate`, `extern "C" { .. }`, `extern "C" fn f()`; not
        // the type `extern "C" fn(u8)`.
        "extern" => {
            let abi = usize::from(tokens.get(i + 1).is_some_and(|t| t.kind == Kind::Literal));
            !(name(i + 1 + abi) == Some("fn") && tokens.get(i + 2 + abi).is_some_and(|t| t.kind == Kind::Open(b'(')))
        }
        _ => false,
    }
}

/// The words that make a body matter to the index, whatever names the
/// workspace defines: a body holding one is always parsed.
#[derive(Debug, Clone, Default)]
pub struct Keep {
    /// Edition names: a tag under a renamed import (`#[tier(enterprise)]`).
    editions: Vec<String>,
    /// String literals: Cargo features mapped to an edition (`"enterprise"`).
    strings: HashSet<String>,
}

impl Keep {
    /// The words of a run whose editions are named `editions` and whose
    /// gating features are `features`.
    pub fn new<'a>(editions: impl IntoIterator<Item = &'a str>, features: impl IntoIterator<Item = &'a str>) -> Keep {
        let editions = editions.into_iter().map(str::to_owned).collect();
        Keep { editions, strings: features.into_iter().map(str::to_owned).collect() }
    }

    /// Whether `tokens` of `bytes` hold a cfg gate.
    fn gates(bytes: &[u8], tokens: &[Token]) -> bool {
        let gate = |t: &Token| t.kind == Kind::Ident && matches!(ident_name(bytes, &t.span()), "cfg" | "cfg_attr");
        tokens.iter().any(gate)
    }

    /// What a first reading keeps of the body between tokens `open` and
    /// `close` (its braces; `closes` pairs the brackets): `None` when it
    /// holds a word that makes it matter, or an item inside other code, and
    /// it is read whole; else the byte ranges of the items directly in it
    /// (a block's `use`, a nested `fn`), which make its block a module of
    /// the index and are kept, while its statements are left out.
    fn reading(
        &self,
        bytes: &[u8],
        tokens: &[Token],
        closes: &[u32],
        (open, close): (usize, usize),
    ) -> Option<Vec<Range<usize>>> {
        let mut items = Vec::new();
        // How many brackets are open, and how many were when the arguments
        // of the outermost macro invocation around the token opened.
        let (mut depth, mut macro_at) = (0usize, None);
        // A cfg gate, and a word it may read that the index keeps gates
        // of (`test`, `feature`): gates of neither (`unix`) gate nothing.
        let (mut gate, mut gated_word) = (false, false);
        // Where the current statement began.
        let mut statement = open + 1;
        let mut i = open + 1;
        while let Some(t) = tokens.get(i).filter(|_| i < close) {
            let found = match t.kind {
                Kind::Open(_) => {
                    if macro_at.is_none() && invokes_macro(bytes, tokens, i) {
                        macro_at = Some(depth);
                    }
                    depth += 1;
                    false
                }
                Kind::Close(b) => {
                    depth = depth.saturating_sub(1);
                    if macro_at == Some(depth) {
                        macro_at = None;
                    }
                    if depth == 0 && b == b'}' {
                        statement = i + 1;
                    }
                    false
                }
                Kind::Punct { ch: b';', .. } if depth == 0 => {
                    statement = i + 1;
                    false
                }
                Kind::Ident => {
                    let name = ident_name(bytes, &t.span());
                    gate |= matches!(name, "cfg" | "cfg_attr");
                    gated_word |= matches!(name, "test" | "feature");
                    if macro_at.is_none() && starts_item(bytes, tokens, i) {
                        // Only an item that is a statement of the body itself
                        // is kept apart from the rest, and not a macro: its
                        // body may name the locals the statements bind.
                        let end = (depth == 0 && name != "macro_rules")
                            .then(|| item_end(bytes, tokens, closes, i))
                            .flatten()
                            .filter(|&end| end < close && only_heads(bytes, tokens, closes, statement, i))?;
                        // With the comments before it: its doc comments.
                        let after_statement = tokens.get(statement.checked_sub(1)?)?.span().end;
                        items.push(after_statement..tokens.get(end)?.span().end);
                        // What it holds is read with it.
                        i = end + 1;
                        statement = i;
                        continue;
                    }
                    (gate && gated_word) || always_kept(name) || self.editions.iter().any(|e| e == name)
                }
                Kind::Literal => {
                    let text = bytes.get(t.span()).unwrap_or_default();
                    text.strip_prefix(b"\"")
                        .and_then(|t| t.strip_suffix(b"\""))
                        .and_then(|t| std::str::from_utf8(t).ok())
                        .is_some_and(|t| self.strings.contains(t))
                }
                _ => false,
            };
            if found {
                return None;
            }
            i += 1;
        }
        Some(items)
    }
}

/// The token that ends the item whose first keyword is token `at` (`fn`,
/// `use`, the `const` of `const fn`, the `extern` of `extern "C" fn`): the
/// closing brace of its body or block, or its `;`. `None` for what is no
/// item after all (`const { .. }`) and for code cut short.
fn item_end(bytes: &[u8], tokens: &[Token], closes: &[u32], at: usize) -> Option<usize> {
    let word = |j: usize| ident_at(bytes, tokens, j);
    let mut j = at;
    let kind = loop {
        match (tokens.get(j)?.kind, word(j)) {
            (Kind::Literal, _) if word(j.checked_sub(1)?) == Some("extern") => j += 1,
            (Kind::Open(b'{'), _) if j > at => return close_of(closes, j),
            (_, Some("unsafe" | "async" | "safe" | "default" | "auto")) => j += 1,
            (_, Some("const")) if matches!(word(j + 1), Some("fn" | "unsafe" | "async" | "extern")) => j += 1,
            (_, Some("extern")) if word(j + 1) != Some("crate") => j += 1,
            (_, Some(kind)) => break kind,
            _ => return None,
        }
    };
    match kind {
        "fn" => fn_body(tokens, closes, j).map(|(_, close)| close),
        "const" | "static" if word(j + 1).is_none() => None,
        "use" | "const" | "static" | "type" | "extern" => item_close(tokens, closes, j + 1, false),
        "struct" | "union" | "enum" | "trait" | "impl" | "mod" | "macro_rules" => {
            item_close(tokens, closes, j + 1, true)
        }
        _ => None,
    }
}

/// The `;` that ends an item whose head goes on from token `from`, or (with
/// `braces`) the closing brace of its first block: `struct S<T> where T:
/// Fn() -> u8 { .. }`, `use a::{b, c};`.
fn item_close(tokens: &[Token], closes: &[u32], from: usize, braces: bool) -> Option<usize> {
    let mut angle = 0usize;
    let mut i = from;
    while let Some(t) = tokens.get(i) {
        match t.kind {
            Kind::Open(b'{') if braces && angle == 0 => return close_of(closes, i),
            Kind::Open(_) => i = close_of(closes, i)?,
            Kind::Close(_) => return None,
            Kind::Punct { ch: b';', .. } => return Some(i),
            Kind::Punct { ch: b'<', .. } => angle += 1,
            Kind::Punct { ch: b'>', .. } => {
                let arrow = tokens.get(i.wrapping_sub(1)).is_some_and(|p| p.is_punct(b'-') || p.is_punct(b'='));
                if !arrow {
                    angle = angle.saturating_sub(1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether tokens `from..to` are only what may stand before an item's
/// keyword: outer attributes, `pub`, `pub(crate)`, `unsafe`, `async`.
fn only_heads(bytes: &[u8], tokens: &[Token], closes: &[u32], mut from: usize, to: usize) -> bool {
    while from < to {
        let Some(t) = tokens.get(from) else { return false };
        from = match t.kind {
            Kind::Punct { ch: b'#', .. } if tokens.get(from + 1).is_some_and(|n| n.kind == Kind::Open(b'[')) => {
                match close_of(closes, from + 1) {
                    Some(close) => close + 1,
                    None => return false,
                }
            }
            Kind::Ident if matches!(ident_name(bytes, &t.span()), "unsafe" | "async" | "safe" | "default" | "auto") => {
                from + 1
            }
            Kind::Ident if ident_name(bytes, &t.span()) == "pub" => {
                match tokens.get(from + 1).filter(|n| n.kind == Kind::Open(b'(')).map(|_| close_of(closes, from + 1)) {
                    Some(Some(close)) => close + 1,
                    Some(None) => return false,
                    None => from + 1,
                }
            }
            _ => return false,
        };
    }
    true
}

/// The bodies of the functions in `text` that can be left out: not inside
/// a macro's tokens or an attribute, holding none of `keep`'s words, and
/// overlapping none of `snippets`.
pub fn blankable(text: &str, keep: &Keep, snippets: &[Range<usize>]) -> Vec<Blanked> {
    blankable_in(text, &lex::code_tokens(text.as_bytes()), keep, snippets)
}

/// [`blankable`], from `tokens`, the [`lex::code_tokens`] of `text`.
pub fn blankable_in(text: &str, tokens: &[Token], keep: &Keep, snippets: &[Range<usize>]) -> Vec<Blanked> {
    let bytes = text.as_bytes();
    let closes = lex::matching_brackets(tokens);
    let mut out = Vec::new();
    // The brace groups open around the current token.
    let mut groups: Vec<Group> = Vec::new();
    // Where the current item began: after the last `;`, `}` or `{`.
    let mut item_start = 0usize;
    let mut i = 0usize;
    while let Some(token) = tokens.get(i) {
        while groups.last().is_some_and(|g| g.end <= i) {
            groups.pop();
        }
        let name = |t: &Token| if t.kind == Kind::Ident { ident_name(bytes, &t.span()) } else { "" };
        match token.kind {
            // A macro's tokens and an attribute are not items: skip them whole.
            Kind::Open(_) if lex::is_macro_or_attribute(tokens, i) => {
                i = close_of(&closes, i).map_or(tokens.len(), |c| c + 1);
                continue;
            }
            Kind::Ident if matches!(name(token), "fn" | "const" | "static") => {
                let Some((open, close)) = left_out_part(bytes, tokens, &closes, (item_start, i)) else {
                    i += 1;
                    continue;
                };
                let (Some(open_token), Some(close_token)) = (tokens.get(open), tokens.get(close)) else {
                    i += 1;
                    continue;
                };
                // A body between its braces; an initializer between its
                // first and last bytes, which a reading without it makes
                // braces (`= {   };`).
                let body = match (name(token), tokens.get(open + 1), tokens.get(close - 1)) {
                    ("fn", ..) => open_token.span().end..close_token.span().start,
                    (_, Some(first), Some(last)) => first.span().start + 1..last.span().end - 1,
                    _ => {
                        i += 1;
                        continue;
                    }
                };
                let inside = tokens.get(open + 1..close).unwrap_or_default();
                let whole = open_token.span().start..close_token.span().end;
                let touches = snippets.iter().any(|s| s.start < whole.end && whole.start < s.end);
                // A gate on a parameter makes the body's reads of it
                // gated. (A gate on the function itself is read with
                // the item: its region holds the body, read or not.)
                let head = tokens.get(i..open).unwrap_or_default();
                let reading = (!touches && !Keep::gates(bytes, head))
                    .then(|| keep.reading(bytes, tokens, &closes, (open, close)))
                    .flatten()
                    // An initializer is left out whole or read whole.
                    .filter(|kept| name(token) == "fn" || kept.is_empty());
                if let Some(kept) = reading {
                    let sig = tokens.get(past_attributes(tokens, &closes, item_start, i)..open).unwrap_or_default();
                    let header = groups.iter().rev().find_map(|g| g.header.clone()).and_then(|h| tokens.get(h));
                    let mut words = Vec::new();
                    for part in [inside, sig, header.unwrap_or_default()] {
                        words_of(bytes, part, &mut words);
                    }
                    words.sort_unstable();
                    words.dedup();
                    let frame = groups.iter().map(|g| g.block.clone()).collect::<Option<Vec<_>>>().and_then(|around| {
                        let first = tokens.get(item_start)?;
                        Some(Frame { item: first.span().start..close_token.span().end, around })
                    });
                    out.push(Blanked { body, kept, words, macros: invoked(bytes, inside), frame });
                }
                i = close + 1;
                item_start = i;
                continue;
            }
            Kind::Open(b'{') => {
                let header = tokens.get(item_start..i).unwrap_or_default();
                let is_impl = header.iter().any(|t| matches!(name(t), "impl" | "trait"));
                let past = past_attributes(tokens, &closes, item_start, i);
                let close = close_of(&closes, i);
                let block = close.filter(|_| is_block(bytes, tokens, &closes, past)).and_then(|c| {
                    let first = tokens.get(item_start)?;
                    Some((first.span().start..token.span().end, tokens.get(c)?.span().start))
                });
                let end = close.map_or(tokens.len(), |c| c + 1);
                groups.push(Group { end, header: is_impl.then_some(past..i), block });
                item_start = i + 1;
            }
            Kind::Close(b'}') | Kind::Punct { ch: b';', .. } => item_start = i + 1,
            _ => {}
        }
        i += 1;
    }
    out
}

/// A brace group open while [`blankable_in`] reads: items or code.
struct Group {
    /// The token after its closing brace.
    end: usize,
    /// For an `impl` or `trait` block, its header's tokens (`impl Trait for
    /// Type`): words of the bodies of the functions inside.
    header: Option<Range<usize>>,
    /// For a `mod`, `impl` or `trait` block, its header (attributes to
    /// opening brace) and closing brace, by byte offsets: a [`Frame`]'s.
    block: Option<(Range<usize>, usize)>,
}

/// The first token of the item from `start` to `end` that is not in an
/// outer attribute (`#[..]`).
fn past_attributes(tokens: &[Token], closes: &[u32], mut start: usize, end: usize) -> usize {
    while start < end && tokens.get(start).is_some_and(|t| t.is_punct(b'#')) {
        match close_of(closes, start + 1) {
            Some(close) => start = close + 1,
            None => break,
        }
    }
    start
}

/// Whether the item whose tokens start (past its attributes) at `at` is a
/// `mod`, `impl` or `trait` block: `pub(crate) mod`, `unsafe impl`, ...
fn is_block(bytes: &[u8], tokens: &[Token], closes: &[u32], mut at: usize) -> bool {
    while let Some(t) = tokens.get(at).filter(|t| t.kind == Kind::Ident) {
        match ident_name(bytes, &t.span()) {
            "impl" | "trait" | "mod" => return true,
            "pub" if tokens.get(at + 1).is_some_and(|n| n.kind == Kind::Open(b'(')) => match close_of(closes, at + 1) {
                Some(close) => at = close + 1,
                None => return false,
            },
            "pub" | "unsafe" | "default" | "auto" => at += 1,
            _ => return false,
        }
    }
    false
}

/// `text` with everything blanked but the functions of `bodies` and the
/// `mod`, `impl` and `trait` blocks around them: a reading of those
/// functions alone, every offset and line where it was. With it, the byte
/// ranges of the functions, in order. `None` when a function sits in
/// other code (see [`Blanked::frame`]).
pub fn focus(text: &str, bodies: &[&Blanked]) -> Option<(String, Vec<Range<usize>>)> {
    let mut kept: Vec<Range<usize>> = Vec::new();
    let mut items = Vec::with_capacity(bodies.len());
    for b in bodies {
        let frame = b.frame.as_ref()?;
        items.push(frame.item.clone());
        kept.push(frame.item.clone());
        for (header, close) in &frame.around {
            kept.push(header.clone());
            kept.push(*close..close + 1);
        }
    }
    kept.sort_unstable_by_key(|r| (r.start, r.end));
    items.sort_unstable_by_key(|r| r.start);
    let mut out = text.as_bytes().to_vec();
    let mut at = 0;
    for range in kept.iter().chain([&(text.len()..text.len())]) {
        if let Some(gap) = out.get_mut(at..range.start) {
            gap.iter_mut().filter(|b| **b != b'\n').for_each(|b| *b = b' ');
        }
        at = at.max(range.end);
    }
    Some((String::from_utf8(out).ok()?, items))
}

/// The [`word_key`]s of the macros `tokens` invoke, each once.
fn invoked(bytes: &[u8], tokens: &[Token]) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    for w in tokens.windows(3) {
        if let [name, bang, Token { kind: Kind::Open(_), .. }] = w {
            if name.kind == Kind::Ident && bang.is_punct(b'!') {
                out.push(word_key(ident_name(bytes, &name.span()), false));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The names a string literal would capture as a format string: `DAYS`
/// of `"{DAYS} days"` and of `"{DAYS:>4}"`.
fn captures(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|after| {
        let end = after.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(after.len());
        let name = after.get(..end)?;
        let closed = after.get(end..).is_some_and(|rest| rest.starts_with('}') || rest.starts_with(':'));
        (closed && name.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')).then_some(name)
    })
}

/// Adds the [`word_key`]s of `tokens`: identifiers, format strings'
/// implicit captures (`{DAYS}`), and numbers (a tuple field's `.2`).
fn words_of(bytes: &[u8], tokens: &[Token], out: &mut Vec<u32>) {
    let mut after = false;
    for t in tokens {
        let text = bytes.get(t.span()).unwrap_or_default();
        match t.kind {
            Kind::Ident => out.push(bytes_key(text.strip_prefix(b"r#").unwrap_or(text), after)),
            // A tuple field's index, or a format string's implicit captures.
            Kind::Literal if text.iter().all(u8::is_ascii_digit) => out.push(bytes_key(text, after)),
            Kind::Literal if text.contains(&b'{') => {
                let text = std::str::from_utf8(text).unwrap_or_default();
                out.extend(captures(text).map(|w| word_key(w, false)));
            }
            _ => {}
        }
        after = t.is_punct(b'.') || t.is_punct(b':');
    }
}

/// The bracket that closes the one opening at token `i`, if one does.
fn close_of(brackets: &[u32], i: usize) -> Option<usize> {
    let close = usize::try_from(*brackets.get(i)?).ok()?;
    (close > i && close < brackets.len()).then_some(close)
}

/// The braces of the body of the function whose `fn` is token `at`: the
/// first `{` outside brackets and angle brackets (`Foo<{ N }>` is a type),
/// unless a `;` ends the declaration first.
fn fn_body(tokens: &[Token], closes: &[u32], at: usize) -> Option<(usize, usize)> {
    let close = item_close(tokens, closes, at + 2, true)?;
    let open = usize::try_from(*closes.get(close)?).ok()?;
    (tokens.get(close)?.kind == Kind::Close(b'}')).then_some((open, close))
}

/// Initializers of `const` and `static` items shorter than this are read
/// with their file: leaving them out would cost more than it saves.
const MIN_LEFT_OUT_INITIALIZER: usize = 256;

/// The part of the item whose keyword is token `at` (`fn`, `const`,
/// `static`; the item's tokens start at `start`) that a first reading may
/// leave out, by the tokens around it: a function's body between its
/// braces, or a long initializer (a table) between the `=` and the `;`.
fn left_out_part(
    bytes: &[u8],
    tokens: &[Token],
    closes: &[u32],
    (start, at): (usize, usize),
) -> Option<(usize, usize)> {
    let word = |j: usize| ident_at(bytes, tokens, j);
    if word(at) == Some("fn") {
        word(at + 1)?;
        return fn_body(tokens, closes, at);
    }
    // `const NAME: T = ..;`, `static mut NAME: T = ..;`, not `const fn`.
    let named = word(at + 1).filter(|w| !matches!(*w, "fn" | "unsafe" | "async" | "extern" | "safe"))?;
    let after_name = if named == "mut" { at + 3 } else { at + 2 };
    if !only_heads(bytes, tokens, closes, start, at) || !tokens.get(after_name).is_some_and(|t| t.is_punct(b':')) {
        return None;
    }
    let (mut angle, mut i) = (0usize, after_name + 1);
    let eq = loop {
        let t = tokens.get(i)?;
        match t.kind {
            Kind::Open(_) => i = close_of(closes, i)?,
            Kind::Close(_) | Kind::Punct { ch: b';', .. } => return None,
            Kind::Punct { ch: b'<', .. } => angle += 1,
            Kind::Punct { ch: b'>', .. } if !tokens.get(i - 1).is_some_and(|p| p.is_punct(b'-')) => {
                angle = angle.saturating_sub(1);
            }
            Kind::Punct { ch: b'=', .. } if angle == 0 => break i,
            _ => {}
        }
        i += 1;
    };
    let mut semi = eq + 1;
    loop {
        match tokens.get(semi)?.kind {
            Kind::Open(_) => semi = close_of(closes, semi)?,
            Kind::Close(_) => return None,
            Kind::Punct { ch: b';', .. } => break,
            _ => {}
        }
        semi += 1;
    }
    let (first, last) = (tokens.get(eq + 1)?.span(), tokens.get(semi.checked_sub(1)?)?.span());
    let ends_ascii =
        bytes.get(first.start).is_some_and(u8::is_ascii) && bytes.get(last.end - 1).is_some_and(u8::is_ascii);
    (semi > eq + 2 && last.end - first.start >= MIN_LEFT_OUT_INITIALIZER && ends_ascii).then_some((eq, semi))
}

/// `text` with `bodies` blanked: every byte a space but
/// newlines, so every offset and line still holds.
pub fn blank(text: &str, bodies: &[Blanked]) -> String {
    let mut out = text.as_bytes().to_vec();
    let blank = |out: &mut Vec<u8>, range: Range<usize>| {
        if let Some(part) = out.get_mut(range) {
            part.iter_mut().filter(|b| **b != b'\n').for_each(|b| *b = b' ');
        }
    };
    // Bodies lie between ASCII braces (or initializers between ASCII
    // bytes that become braces), in order, apart, and so do the items kept
    // in each, at token boundaries.
    for b in bodies {
        let ends = (b.body.start.checked_sub(1), b.body.end);
        if let (Some(open), close) = ends {
            if out.get(open).is_some_and(u8::is_ascii) && out.get(close).is_some_and(u8::is_ascii) {
                out.get_mut(open).into_iter().for_each(|b| *b = b'{');
                out.get_mut(close).into_iter().for_each(|b| *b = b'}');
            }
        }
        let mut at = b.body.start;
        for kept in &b.kept {
            blank(&mut out, at..kept.start.max(at));
            at = at.max(kept.end);
        }
        blank(&mut out, at..b.body.end.max(at));
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep() -> Keep {
        Keep::new(["community", "enterprise"], ["enterprise"])
    }

    fn bodies(text: &str) -> Vec<&str> {
        blankable(text, &keep(), &[]).into_iter().map(|b| &text[b.body]).collect()
    }

    #[test]
    fn bodies_of_functions_methods_and_trait_defaults_are_found() {
        let text =
            "fn a() { x(); }\nimpl S { pub async fn b(&self) -> u8 { 1 } }\ntrait T { fn c(); fn d() { y() } }\n";
        assert_eq!(bodies(text), [" x(); ", " 1 ", " y() "]);
    }

    #[test]
    fn signatures_with_braces_are_not_bodies() {
        let text = "fn a<const N: usize>() -> Foo<{ N }> where [(); { N }]: Sized { z() }\nfn b(f: fn(u8) -> u8) -> impl Fn() -> u8 { w() }\n";
        assert_eq!(bodies(text), [" z() ", " w() "]);
    }

    #[test]
    fn macro_tokens_and_attributes_are_not_items() {
        let text = "quote! { fn a() { x() } }\nmacro_rules! m { () => { fn b() {} } }\n#[doc = \"fn c() {}\"]\nfn d() { y() }\n";
        assert_eq!(bodies(text), [" y() "]);
    }

    #[test]
    fn bodies_that_matter_to_the_index_are_kept() {
        for body in [
            "#[cfg(feature = \"enterprise\")] let a = 1;",
            "#[cfg_attr(feature = \"enterprise\", allow(unused))] let a = 1;",
            "#[cfg(test)] let a = 1;",
            "#[cfg(not(feature = \"std\"))] let a = 1;",
            "if cfg!(feature = \"enterprise\") {}",
            "include!(\"x.rs\");",
            "#[tier(enterprise)] fn f() {}",
            "#[edition(enterprise)] struct S;",
        ] {
            assert!(bodies(&format!("fn a() {{ {body} }}")).is_empty(), "{body}");
        }
    }

    #[test]
    fn words_that_start_no_item_leave_the_body_out() {
        for body in [
            "let p: *const u8 = q; let f: fn(u8) -> u8 = g; let h: extern \"C\" fn() = k;",
            "let r = &raw const x; a.union(&b);",
            "quote! { impl X { fn m() {} } }; thread_local! { static N: u8 = 1; }",
            "if !(a || b) { c() }",
            "#[cfg(unix)] let a = 1; if cfg!(debug_assertions) {} #[cfg_attr(windows, allow(unused))] let b = 2;",
        ] {
            assert_eq!(bodies(&format!("fn a() {{ {body} }}")).len(), 1, "{body}");
        }
        // Still an item, in a negated block: inside other code.
        assert!(bodies("fn a() { if !(a || { use x::Y; b }) {} }").is_empty());
    }

    /// The first reading of `text`, with the bodies it leaves out blanked.
    fn first_reading(text: &str) -> String {
        blank(text, &blankable(text, &keep(), &[]))
    }

    #[test]
    fn items_directly_in_a_body_are_read_and_its_statements_left_out() {
        let statements = ["let y = Y::new();", "m!(x);", "if y.ok() { run() }"];
        let items = [
            "use x::Y;",
            "#[inline] pub(crate) fn h() -> u8 { z() }",
            "impl S { fn m() {} }",
            "const N: u8 = 1;",
            "struct T(u8);",
            "union U { a: u8 }",
            "extern crate c;",
            "#[derive(Debug)] enum E { A }",
            "unsafe impl<T: Fn() -> u8> Send for S<T> {}",
            "pub const fn k() {}",
            "extern \"C\" fn e() {}",
            "type A<T> = B<{ N }>;",
            "use a::{b, c};",
            "static mut Q: u8 = 0;",
            "trait Tr where Self: Fn() -> u8 { fn d() { use q::R; } }",
            "#[path = \"x.rs\"] mod m;",
        ];
        let mut body = String::new();
        for (i, item) in items.iter().enumerate() {
            body += statements.get(i).copied().unwrap_or("let z = 0;");
            body += item;
        }
        let text = format!("fn a() {{ {body} tail(y) }}\n");
        let read = first_reading(&text);
        assert_eq!(read.len(), text.len());
        let kept: Vec<&str> = read.split("  ").map(str::trim).filter(|s| !s.is_empty()).collect();
        let mut expected = vec!["fn a() {"];
        expected.extend(items);
        expected.push("}");
        assert_eq!(kept, expected);
        assert!(syn::parse_file(&read).is_ok());
        // An item's doc comments are kept with it.
        let text = "fn a() {\n    let x = 1;\n    /// Doc.\n    #[derive(Debug)]\n    struct S;\n    x\n}\n";
        assert_eq!(
            first_reading(text),
            "fn a() {\n              \n    /// Doc.\n    #[derive(Debug)]\n    struct S;\n     \n}\n"
        );
    }

    #[test]
    fn long_initializers_are_left_out_and_read_as_blocks() {
        let table = (0..60).map(|n| format!("Code({n})")).collect::<Vec<_>>().join(", ");
        let text = format!(
            "const SHORT: [u8; 2] = [1, 2];\n\
             pub static TABLE: &[Code] = &[{table}];\n\
             const fn f() -> u8 {{ 1 }}\n\
             impl S {{ const ALL: Map<K, Vec<u8>> = Map::from([{table}]); }}\n\
             static mut M: [u8; 3] = [{table}];\n\
             extern \"C\" {{ static E: u8; }}\n"
        );
        let found = blankable(&text, &keep(), &[]);
        let read = blank(&text, &found);
        assert_eq!(read.len(), text.len());
        assert!(syn::parse_file(&read).is_ok());
        for head in ["pub static TABLE: &[Code] = {", "const ALL: Map<K, Vec<u8>> = {", "static mut M: [u8; 3] = {"] {
            assert!(read.contains(head), "{head}");
        }
        assert!(read.contains("const SHORT: [u8; 2] = [1, 2];"));
        assert!(!read.contains("Code(1)"));
        assert_eq!(found.len(), 4);
        let table = &found[0];
        assert!(table.words.contains(&word_key("Code", false)) && table.words.contains(&word_key("TABLE", false)));
        let item = &text[table.frame.as_ref().expect("at the top level").item.clone()];
        assert!(item.starts_with("pub static TABLE") && item.ends_with("];"));
        // What the index reads at once keeps the initializer.
        let gated =
            format!("static T: &[u8] = &[#[cfg(feature = \"enterprise\")] 1, {table}];", table = "2, ".repeat(100));
        let block = format!("const X: u8 = {{ use a::B; B::f({}) }};", "1 + ".repeat(100));
        for text in [gated, block] {
            assert!(blankable(&text, &keep(), &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn items_inside_other_code_keep_the_whole_body() {
        for body in [
            "let x = { fn g() {} g() };",
            "match a { _ => { use x::Y; Y } }",
            "#![allow(unused)] use x::Y;",
            "let c = const { 1 }; use x::Y;",
            // A macro's body may name the body's locals.
            "let z = 1; macro_rules! m { () => { z } }",
        ] {
            assert!(bodies(&format!("fn a() {{ {body} }}")).is_empty(), "{body}");
        }
    }

    #[test]
    fn bodies_a_snippet_touches_are_kept() {
        let text = "fn a() {\n// SPDX-SnippetBegin\nx();\n// SPDX-SnippetEnd\n}\nfn b() { y() }\n";
        let start = text.find("// SPDX-SnippetBegin").unwrap();
        let end = text.find("SnippetEnd").unwrap() + 10;
        let snippet = start..end;
        let found: Vec<&str> =
            blankable(text, &keep(), std::slice::from_ref(&snippet)).into_iter().map(|b| &text[b.body]).collect();
        assert_eq!(found, [" y() "]);
    }

    #[test]
    fn the_macros_a_body_invokes_are_listed() {
        let text = "fn a() { log::event!(x); format!(\"{}\", y!()); event!(z); }\n";
        let mut expected = vec![word_key("event", false), word_key("format", false), word_key("y", false)];
        expected.sort_unstable();
        assert_eq!(blankable(text, &keep(), &[])[0].macros, expected);
    }

    #[test]
    fn the_words_are_the_body_the_signature_and_the_impl_header() {
        let text = "#[inline]\nimpl Display for Seat {\n    #[must_use]\n    fn fmt(&self, f: &mut Formatter) -> Result { write!(f, \"{DAYS}\")?; x.count; Plan::seats() }\n}\n";
        let found = blankable(text, &keep(), &[]);
        let has = |w: &str, after: bool| found[0].words.contains(&word_key(w, after));
        for word in ["Display", "Seat", "Formatter", "Result", "write", "DAYS", "Plan"] {
            assert!(has(word, false), "{word}");
        }
        assert!(has("count", true) && has("seats", true) && !has("seats", false));
        // Words of a string are no names, but a format string's captures are.
        let found = blankable("fn g() { log(\"a test {LIMIT:>4} {{x}} {0}\", y.2) }", &keep(), &[]);
        let has = |w: &str, after: bool| found[0].words.contains(&word_key(w, after));
        assert!(has("LIMIT", false) && has("2", true) && !has("test", false) && !has("a", false));
        // Attributes say nothing of what the body's names mean.
        assert!(!has("must_use", false) && !has("inline", false));
    }

    #[test]
    fn a_gated_parameter_keeps_the_body() {
        assert!(bodies("fn a(#[cfg(feature = \"enterprise\")] audit: bool) { audit }").is_empty());
        assert!(bodies("fn a<#[cfg(test)] T>(t: T) { t }").is_empty());
        // A gated function is not a gated parameter.
        let gated = "#[cfg(test)]\nfn a(x: u8) { x }\n#[cfg(feature = \"enterprise\")] pub fn b() { c() }";
        assert_eq!(bodies(gated), [" x ", " c() "]);
    }

    #[test]
    fn a_function_is_framed_by_the_mod_impl_and_trait_blocks_around_it() {
        let text = "mod a {\n    pub(crate) mod b {\n        #[cfg(test)]\n        unsafe impl<T: Send> S<T> {\n            #[inline]\n            fn f(&self) { g() }\n        }\n    }\n}\nconst _: () = { fn h() { g() } };\n";
        let found = blankable(text, &keep(), &[]);
        let frame = found[0].frame.as_ref().expect("a function in blocks");
        assert_eq!(&text[frame.item.clone()], "#[inline]\n            fn f(&self) { g() }");
        let around: Vec<(&str, &str)> = frame.around.iter().map(|(h, c)| (&text[h.clone()], &text[*c..=*c])).collect();
        assert_eq!(
            around,
            [("mod a {", "}"), ("pub(crate) mod b {", "}"), ("#[cfg(test)]\n        unsafe impl<T: Send> S<T> {", "}")]
        );
        // In a `const` block, a function is read with its whole file.
        assert_eq!(found[1].frame, None);
    }

    #[test]
    fn a_focus_keeps_the_functions_and_their_blocks_at_their_offsets() {
        let text = "use x::Y;\nstruct S { a: u8 }\nimpl S {\n    fn f(&self) { Y::go() }\n    fn g(&self) { other() }\n}\nfn é() { Y::stop() }\n";
        let found = blankable(text, &keep(), &[]);
        let (kept, items) = focus(text, &[&found[0], &found[2]]).expect("functions in blocks");
        assert_eq!(kept.len(), text.len());
        assert_eq!(kept.lines().count(), text.lines().count());
        let words: Vec<&str> = kept.split_whitespace().collect();
        assert_eq!(
            words,
            ["impl", "S", "{", "fn", "f(&self)", "{", "Y::go()", "}", "}", "fn", "é()", "{", "Y::stop()", "}"]
        );
        assert_eq!(
            items.iter().map(|r| &text[r.clone()]).collect::<Vec<_>>(),
            ["fn f(&self) { Y::go() }", "fn é() { Y::stop() }"]
        );
        assert!(syn::parse_file(&kept).is_ok());
        assert_eq!(focus(text, &[&blankable("const _: () = { fn h() { g() } };", &keep(), &[])[0]]), None);
    }

    #[test]
    fn blanking_keeps_every_offset_and_line() {
        let text = "fn a() {\n    let é = 1;\n}\nfn b() {}\n";
        let blanked = blank(text, &blankable(text, &keep(), &[]));
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked.lines().count(), text.lines().count());
        assert!(syn::parse_file(&blanked).is_ok());
        assert!(!blanked.contains("let"));
    }
}
