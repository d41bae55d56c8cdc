//! What name resolution and the tag checks need from a Rust file, read from
//! its tokens instead of a syntax tree: for files syn must not parse (too
//! deep or too large: see [`super::parse`]) and files it cannot (a syntax
//! error). A crossing must not hide in such a file, so its `use`
//! declarations, paths, `mod` declarations, items, `include!`s, cfg gates
//! and `#[edition]` tags are all still found.
//!
//! The extraction is linear in the tokens and never recurses with the
//! input's nesting, except through `use` groups, which are bounded by
//! `MAX_USE_DEPTH`. It is less exact than the syntax tree (a generic
//! const parameter can look like a `const` item), which is why syn stays
//! the first choice: this is the fallback that keeps a file checked.

use std::ops::Range;

use super::items::{
    self, Cfg, Include, ItemDef, MethodCall, ModDecl, ModuleBody, Name, PathRef, Syntax, UseDef, UseTarget, Visibility,
};
use super::lex::{self, Kind, Token};
use super::tags::{self, EditionTag};
use super::ParsedFile;

/// `use` groups nested deeper than this are not followed.
const MAX_USE_DEPTH: usize = 32;

/// The keywords that start an item.
const ITEM_KEYWORDS: &[&str] = &[
    "fn",
    "struct",
    "enum",
    "trait",
    "type",
    "union",
    "static",
    "const",
    "macro_rules",
    "mod",
    "use",
    "extern",
    "impl",
];

/// Inline modules nested deeper than this are read as plain blocks.
const MAX_MODULE_DEPTH: usize = 64;

/// Tokens (a bracket group counting as one) looked back over from a `{` to
/// find the `impl` or `trait` keyword of its item.
const MAX_HEAD: usize = 256;

/// Extracts everything the index needs from `text`'s tokens.
pub fn extract(text: &str) -> ParsedFile {
    let bytes = text.as_bytes();
    let tokens = lex::code_tokens(bytes);
    let matching = lex::matching_brackets(&tokens);
    let mut x = Extractor {
        text,
        t: &tokens,
        matching: &matching,
        syntax: Syntax::default(),
        current: ModuleBody::default(),
        outer: Vec::new(),
        path: Vec::new(),
        frames: Vec::new(),
        attrs: Vec::new(),
        tag_names: tags::attribute_names(aliases(text, &tokens)),
        tags: Vec::new(),
        skip_until: 0,
    };
    x.run();
    // Unclosed inline modules: fold them into their parents.
    while !x.outer.is_empty() {
        x.leave_module();
    }
    let mut syntax = x.syntax;
    syntax.root = x.current;
    items::keep_resolvable(&mut syntax);
    let mut tags = x.tags;
    tags.sort_by_key(|t| (t.item_span.start, t.attr_span.start));
    ParsedFile { tags, syntax }
}

/// `use corefence_macros::edition as NAME;` renames anywhere in the file
/// (or of a re-export: `use tags::edition as NAME;`).
fn aliases(text: &str, tokens: &[Token]) -> Vec<String> {
    let name = |t: Option<&Token>| match t {
        Some(t) if t.kind == Kind::Ident => Some(lex::ident_name(text.as_bytes(), &t.span()).to_owned()),
        _ => None,
    };
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if t.kind == Kind::Ident && lex::ident_name(text.as_bytes(), &t.span()) == "edition" {
            let sep = i.checked_sub(2).and_then(|k| tokens.get(k)).is_some_and(|t| t.is_punct(b':'));
            let as_kw = name(tokens.get(i + 1));
            if sep && as_kw.as_deref() == Some("as") {
                out.extend(name(tokens.get(i + 2)));
            }
        }
    }
    out
}

/// What an open bracket encloses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// An inline module's body: closing it leaves the module.
    Module,
    /// An `impl` or `trait` body: its `fn`s are methods, not module items.
    Impl,
    /// A `trait` body.
    Trait,
    /// Anything else: a block, a group, an argument list.
    Other,
}

/// An outer attribute waiting for the item or statement it applies to.
struct PendingAttr {
    /// Token indices, `#` to `]`.
    tokens: Range<usize>,
    /// Its `cfg(..)` predicate.
    cfg: Cfg,
    /// `#[path = ".."]`.
    path: Option<String>,
}

struct Extractor<'a> {
    text: &'a str,
    t: &'a [Token],
    matching: &'a [u32],
    syntax: Syntax,
    /// The module body being filled.
    current: ModuleBody,
    /// The bodies of the inline modules it is inside, innermost last.
    outer: Vec<ModuleBody>,
    /// Indices of the inline modules entered.
    path: Vec<usize>,
    /// The open brackets, innermost last.
    frames: Vec<Frame>,
    /// Attributes since the last item or statement started.
    attrs: Vec<PendingAttr>,
    /// The names the tag attribute goes by.
    tag_names: Vec<String>,
    tags: Vec<EditionTag>,
    /// Tokens before this index were consumed by a construct already read.
    skip_until: usize,
}

impl Extractor<'_> {
    fn tok(&self, i: usize) -> Option<&Token> {
        self.t.get(i)
    }

    fn ident(&self, i: usize) -> Option<&str> {
        let t = self.tok(i).filter(|t| t.kind == Kind::Ident)?;
        Some(lex::ident_name(self.text.as_bytes(), &t.span()))
    }

    fn is_ident(&self, i: usize, name: &str) -> bool {
        self.ident(i) == Some(name)
    }

    fn punct(&self, i: usize, ch: u8) -> bool {
        self.tok(i).is_some_and(|t| t.is_punct(ch))
    }

    /// `::` at token `i`.
    fn path_sep(&self, i: usize) -> bool {
        matches!(self.tok(i).map(|t| t.kind), Some(Kind::Punct { ch: b':', joint: true })) && self.punct(i + 1, b':')
    }

    fn open(&self, i: usize, delim: u8) -> bool {
        self.tok(i).is_some_and(|t| t.kind == Kind::Open(delim))
    }

    fn span(&self, tokens: Range<usize>) -> Range<usize> {
        let start = self.tok(tokens.start).map_or(self.text.len(), |t| t.span().start);
        let end = tokens.end.checked_sub(1).and_then(|i| self.tok(i)).map_or(start, |t| t.span().end);
        start..end.max(start)
    }

    /// The closing bracket of the group opened at `i` (or the end).
    fn close_of(&self, i: usize) -> usize {
        self.matching.get(i).copied().filter(|&c| c != u32::MAX).map_or(i, |c| c as usize)
    }

    /// The opening bracket of the group closed at `i`.
    fn open_of(&self, i: usize) -> Option<usize> {
        self.matching.get(i).map(|&o| o as usize).filter(|&o| o < i)
    }

    fn body(&mut self) -> &mut ModuleBody {
        &mut self.current
    }

    fn string_value(&self, i: usize) -> Option<String> {
        let t = self.tok(i).filter(|t| t.kind == Kind::Literal)?;
        let lit = self.text.get(t.span())?;
        syn::parse_str::<syn::LitStr>(lit).ok().map(|s| s.value())
    }

    /// The token index one past the item or statement starting at `i`: its
    /// `;` or `,`, or the end of its braced body when nothing continues it.
    fn extent_end(&self, i: usize) -> usize {
        let mut j = i;
        while let Some(t) = self.tok(j) {
            match t.kind {
                Kind::Open(delim) => {
                    j = self.close_of(j) + 1;
                    if delim == b'{' {
                        let continues = match self.tok(j).map(|t| t.kind) {
                            Some(Kind::Ident) => matches!(self.ident(j), Some("else" | "as")),
                            Some(Kind::Punct { ch, .. }) => !matches!(ch, b'#' | b';' | b','),
                            _ => false,
                        };
                        if !continues {
                            return j;
                        }
                    }
                }
                Kind::Close(_) => return j,
                Kind::Punct { ch: b';' | b',', .. } => return j + 1,
                _ => j += 1,
            }
        }
        j
    }

    fn run(&mut self) {
        let mut i = 0;
        while i < self.t.len() {
            if i < self.skip_until {
                i = self.skip_until;
                continue;
            }
            i = self.step(i).max(i + 1);
        }
    }

    /// Reads the construct at token `i`; returns the next token to read.
    fn step(&mut self, i: usize) -> usize {
        let Some(token) = self.tok(i).cloned() else { return i + 1 };
        match token.kind {
            Kind::Open(delim) => {
                let frame = self.frame_for(i, delim);
                self.frames.push(frame);
                return i + 1;
            }
            Kind::Close(_) => {
                if self.frames.pop() == Some(Frame::Module) {
                    self.leave_module();
                }
                self.attrs.clear();
                return i + 1;
            }
            Kind::Punct { ch: b'#', .. } => return self.attribute(i),
            Kind::Punct { ch: b';' | b',', .. } => {
                self.attrs.clear();
                return i + 1;
            }
            Kind::Punct { ch: b'.', .. } => {
                if let Some(name) = self.ident(i + 1) {
                    if self.open(i + 2, b'(') || self.path_sep(i + 2) {
                        let span = self.tok(i + 1).map_or(0..0, Token::span);
                        self.syntax.method_calls.push(MethodCall {
                            name: Name::from(name),
                            span,
                            module: self.path.clone(),
                            receiver: None,
                            self_ty: None,
                            field: false,
                        });
                    }
                    // A field or method name is never a path.
                    return i + 2;
                }
                return i + 1;
            }
            Kind::Ident => {}
            _ => return i + 1,
        }
        if let Some(next) = self.item(i) {
            return next;
        }
        self.path_ref(i)
    }

    /// The frame a bracket opens: a module body after `mod name`, an impl
    /// or trait body when the item started with `impl` or `trait`.
    fn frame_for(&self, i: usize, delim: u8) -> Frame {
        // (An inline module's brace is read by `module`, never here.)
        if delim != b'{' {
            return Frame::Other;
        }
        // Walk back over the item's head to its keyword (same depth only;
        // a head is short, so the walk is bounded).
        let mut j = i;
        for _ in 0..MAX_HEAD {
            let Some(prev) = j.checked_sub(1) else { break };
            j = prev;
            let Some(t) = self.tok(j) else { break };
            match t.kind {
                Kind::Close(_) => match self.open_of(j) {
                    // Skip the group back to its opener.
                    Some(o) => j = o,
                    None => break,
                },
                Kind::Open(_) | Kind::Punct { ch: b';' | b'}', .. } => break,
                Kind::Ident => match self.ident(j) {
                    Some("impl") if self.item_start(j) => return Frame::Impl,
                    Some("trait") if self.item_start(j) => return Frame::Trait,
                    Some("fn" | "struct" | "enum" | "union" | "mod" | "match" | "if" | "while" | "for" | "loop") => {
                        break
                    }
                    _ => {}
                },
                _ => {}
            }
        }
        Frame::Other
    }

    /// Whether token `i` can start an item: after a statement or item
    /// boundary, an attribute, or an item's qualifiers.
    fn item_start(&self, i: usize) -> bool {
        let Some(prev) = i.checked_sub(1) else { return true };
        match self.tok(prev).map(|t| t.kind) {
            None | Some(Kind::Open(b'{') | Kind::Close(b'}' | b']') | Kind::Punct { ch: b';', .. }) => true,
            Some(Kind::Ident) => {
                matches!(self.ident(prev), Some("pub" | "unsafe" | "default" | "async" | "const" | "extern" | "auto"))
            }
            Some(Kind::Literal) => self.is_ident(prev.wrapping_sub(1), "extern"),
            // `pub(crate) fn`.
            Some(Kind::Close(b')')) => {
                self.open_of(prev).and_then(|o| o.checked_sub(1)).is_some_and(|p| self.is_ident(p, "pub"))
            }
            _ => false,
        }
    }

    fn leave_module(&mut self) {
        let (Some(outer), Some(index)) = (self.outer.pop(), self.path.pop()) else { return };
        let body = std::mem::replace(&mut self.current, outer);
        if let Some(decl) = self.body().mods.get_mut(index) {
            decl.inline = Some(body);
        }
    }

    /// `#[..]` or `#![..]`: remembered for what follows.
    fn attribute(&mut self, i: usize) -> usize {
        let inner = self.punct(i + 1, b'!');
        let open = if inner { i + 2 } else { i + 1 };
        if !self.open(open, b'[') {
            return i + 1;
        }
        let close = self.close_of(open);
        let end = close + 1;
        // Paths inside the attribute: `#[ee::attr]`, `#[derive(ee::X)]`.
        let mut j = open + 1;
        while j < close {
            j = self.path_ref(j);
        }
        if inner {
            return end;
        }
        let mut cfg = Cfg::Other;
        let mut path = None;
        match self.ident(open + 1) {
            Some("cfg") if self.open(open + 2, b'(') => {
                cfg = self.cfg_tree(open + 3, self.close_of(open + 2), 0);
            }
            Some("cfg_attr") if self.open(open + 2, b'(') => {
                // The attribute itself is gated: what it applies is.
                let args_end = self.close_of(open + 2);
                let predicate_end = (open + 3..args_end).find(|&k| self.punct(k, b',')).unwrap_or(args_end);
                let gate = self.cfg_tree(open + 3, predicate_end, 0);
                if gate != Cfg::Other {
                    let span = self.span(i..end);
                    self.syntax.cfg_regions.push((span, gate));
                }
            }
            // A `#[test]` function is `cfg(test)` code.
            Some("test") if open + 2 == close => cfg = Cfg::Test,
            Some("path") if self.punct(open + 2, b'=') => path = self.string_value(open + 3),
            _ => {}
        }
        self.attrs.push(PendingAttr { tokens: i..end, cfg, path });
        end
    }

    /// The cfg predicate in tokens `from..to`.
    fn cfg_tree(&self, from: usize, to: usize, depth: usize) -> Cfg {
        if depth > 16 {
            return Cfg::Other;
        }
        if self.is_ident(from, "feature") && self.punct(from + 1, b'=') {
            return self.string_value(from + 2).map_or(Cfg::Other, Cfg::Feature);
        }
        let list = |x: &Self| -> Vec<Cfg> {
            let close = x.close_of(from + 1).min(to);
            let mut parts = Vec::new();
            let mut k = from + 2;
            while k < close {
                let end = (k..close)
                    .find(|&e| x.punct(e, b',') || matches!(x.tok(e).map(|t| t.kind), Some(Kind::Open(_))))
                    .map_or(close, |e| if x.punct(e, b',') { e } else { x.next_comma(e, close) });
                parts.push(x.cfg_tree(k, end, depth + 1));
                k = end + 1;
            }
            parts
        };
        match self.ident(from) {
            Some("all") if self.open(from + 1, b'(') => Cfg::All(list(self)),
            Some("any") if self.open(from + 1, b'(') => Cfg::Any(list(self)),
            Some("not") if self.open(from + 1, b'(') => {
                Cfg::negated(self.cfg_tree(from + 2, self.close_of(from + 1).min(to), depth + 1))
            }
            Some("test") if from + 1 >= to || self.punct(from + 1, b',') => Cfg::Test,
            _ => Cfg::Other,
        }
    }

    /// The first comma at the same depth from `k` (or `close`).
    fn next_comma(&self, mut k: usize, close: usize) -> usize {
        while k < close {
            if self.punct(k, b',') {
                return k;
            }
            k = if matches!(self.tok(k).map(|t| t.kind), Some(Kind::Open(_))) { self.close_of(k) + 1 } else { k + 1 };
        }
        close
    }

    /// An item at token `i`, if one starts there: reads its head, records
    /// it, and returns where to go on.
    fn item(&mut self, i: usize) -> Option<usize> {
        if !self.item_start(i) {
            return None;
        }
        let start_tok = self.attrs.first().map_or(i, |a| a.tokens.start);
        // Visibility and qualifiers.
        let mut k = i;
        let mut vis = Visibility::Private;
        if self.is_ident(k, "pub") {
            vis = Visibility::Public;
            k += 1;
            if self.open(k, b'(') {
                let close = self.close_of(k);
                let words: Vec<Name> =
                    (k + 1..close).filter_map(|w| self.ident(w)).filter(|w| *w != "in").map(Name::from).collect();
                vis = match words.as_slice() {
                    [one] if one == "crate" => Visibility::Crate,
                    [one] if one == "self" => Visibility::Private,
                    _ => Visibility::Restricted(words),
                };
                k = close + 1;
            }
        }
        while let Some(word) = self.ident(k) {
            match word {
                "unsafe" | "async" | "default" | "auto" => k += 1,
                "const" if self.is_ident(k + 1, "fn") || self.is_ident(k + 1, "unsafe") => k += 1,
                "extern" if self.is_ident(k + 1, "crate") => break,
                "extern" => k += if self.tok(k + 1).is_some_and(|t| t.kind == Kind::Literal) { 2 } else { 1 },
                _ => break,
            }
        }
        let keyword = self.ident(k)?.to_owned();
        if self.attrs.is_empty() && !ITEM_KEYWORDS.contains(&keyword.as_str()) {
            return None;
        }
        let in_impl = matches!(self.frames.last(), Some(Frame::Impl | Frame::Trait));
        let end = self.extent_end(k);
        let item_span = self.span(start_tok..end);
        let name_at = |x: &Self, at: usize| x.ident(at).map(|n| (Name::from(n), x.tok(at).map_or(0..0, Token::span)));
        let named = match keyword.as_str() {
            "fn" | "struct" | "enum" | "trait" | "type" => name_at(self, k + 1),
            "union" if self.ident(k + 1).is_some() && self.open(k + 2, b'{') => name_at(self, k + 1),
            "static" => name_at(self, if self.is_ident(k + 1, "mut") { k + 2 } else { k + 1 }),
            "const" if self.punct(k + 2, b':') => name_at(self, k + 1).filter(|(n, _)| n != "_"),
            "macro_rules" if self.punct(k + 1, b'!') => name_at(self, k + 2),
            "mod" => return self.module(k, vis, start_tok),
            "use" => return Some(self.use_item(k, vis, start_tok)),
            "extern" if self.is_ident(k + 1, "crate") => return Some(self.extern_crate(k, vis, start_tok)),
            "impl" => {
                self.finish_attrs(None, item_span);
                return None;
            }
            _ => {
                if self.attrs.is_empty() {
                    return None;
                }
                // A statement, field, arm or expression with attributes.
                self.finish_attrs(None, item_span);
                return None;
            }
        };
        let Some((name, span)) = named else {
            self.finish_attrs(None, item_span);
            return None;
        };
        self.finish_attrs(Some(&name), item_span.clone());
        if in_impl {
            if keyword == "fn" && self.frames.last() == Some(&Frame::Impl) {
                self.syntax.methods.push((name, item_span));
            }
            return Some(k + 2);
        }
        let macro_export = keyword == "macro_rules" && self.had_attr_named(start_tok, i, "macro_export");
        if keyword == "macro_rules" {
            vis = if macro_export { Visibility::Public } else { Visibility::Crate };
        }
        let ns = match keyword.as_str() {
            "fn" | "const" | "static" => items::ns::VALUE,
            // A tuple or unit struct is a value too; tokens alone cannot always tell.
            "struct" => items::ns::TYPE | items::ns::VALUE,
            "macro_rules" => items::ns::MACRO,
            _ => items::ns::TYPE,
        };
        self.body().items.push(ItemDef {
            name,
            vis,
            span,
            item_span,
            macro_export,
            ns,
            members: Vec::new(),
            ret: None,
            alias: None,
            derives: Vec::new(),
            // Read token by token, a macro's bodies are not judged at its
            // expansions: only with the syntax tree.
            expands: Vec::new(),
        });
        if keyword == "macro_rules" {
            // A macro_rules! body is a pattern: its paths resolve where it is used.
            return Some(self.open_after(k + 3).map_or(k + 3, |o| self.close_of(o) + 1));
        }
        // The rest of the item is read token by token (its paths, its body).
        Some(k + 2)
    }

    /// The first bracket at or after `i`.
    fn open_after(&self, i: usize) -> Option<usize> {
        (i..self.t.len()).take(2).find(|&j| matches!(self.tok(j).map(|t| t.kind), Some(Kind::Open(_))))
    }

    fn had_attr_named(&self, from: usize, to: usize, name: &str) -> bool {
        (from..to).any(|j| self.punct(j, b'#') && self.open(j + 1, b'[') && self.is_ident(j + 2, name))
    }

    /// Applies the pending attributes to the item or statement spanning
    /// `span`: its cfg region, its tags.
    fn finish_attrs(&mut self, name: Option<&str>, span: Range<usize>) {
        let attrs = std::mem::take(&mut self.attrs);
        let mut gates: Vec<Cfg> = attrs.iter().map(|a| a.cfg.clone()).filter(|c| *c != Cfg::Other).collect();
        if gates.len() > 1 {
            self.syntax.cfg_regions.push((span.clone(), Cfg::All(gates)));
        } else if let Some(gate) = gates.pop() {
            self.syntax.cfg_regions.push((span.clone(), gate));
        }
        for attr in &attrs {
            self.tag(attr, name, &span);
        }
    }

    /// An `#[edition(..)]` in any of its forms, read with the macro's own
    /// grammar from the attribute's text.
    fn tag(&mut self, attr: &PendingAttr, name: Option<&str>, item_span: &Range<usize>) {
        let attr_span = self.span(attr.tokens.clone());
        let Some(text) = self.text.get(attr_span.clone()) else { return };
        // Only attributes that can be a tag are handed to syn, and only small ones.
        let head = self.ident(attr.tokens.start + 2).unwrap_or("");
        let candidate = self.tag_names.iter().any(|n| n == head) || head == "corefence_macros" || head == "cfg_attr";
        if !candidate || lex::nesting_bound(text.as_bytes()) > super::MAX_NESTING_BOUND {
            return;
        }
        let parsed = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, text);
        let found: Vec<_> = parsed
            .map(|attrs| attrs.iter().flat_map(|a| tags::in_attribute(a, &self.tag_names)).collect())
            .unwrap_or_default();
        let offset = attr_span.start;
        let shift = |r: Range<usize>| r.start + offset..r.end + offset;
        for (span, args, conditional) in found {
            let args = args
                .map(|mut a| {
                    a.name_span = shift(a.name_span);
                    a
                })
                .map_err(|mut e| {
                    e.span = shift(e.span);
                    e
                });
            self.tags.push(EditionTag {
                args,
                attr_span: shift(span.byte_range()),
                item_span: item_span.clone(),
                item_name: name.map(str::to_owned),
                conditional,
            });
        }
        proc_macro2::extra::invalidate_current_thread_spans();
    }

    /// `mod name;` or `mod name { .. }`.
    fn module(&mut self, k: usize, vis: Visibility, start_tok: usize) -> Option<usize> {
        let name = Name::from(self.ident(k + 1)?);
        let path_attr = self.attrs.iter().find_map(|a| a.path.clone());
        let head = self.span(k..k + 2);
        // Modules nested deeper than any real code are read as blocks: their
        // items count as their parent's (this keeps every later stage from
        // recursing as deep as a hostile file nests).
        let inline = self.open(k + 2, b'{');
        if inline && self.outer.len() >= MAX_MODULE_DEPTH {
            self.attrs.clear();
            return Some(k + 2);
        }
        let end = if inline { self.close_of(k + 2) + 1 } else { self.extent_end(k) };
        let item_span = self.span(start_tok..end);
        self.finish_attrs(Some(&name), item_span.clone());
        let decl = ModDecl {
            name,
            path_attr,
            cfg_paths: Vec::new(),
            inline: None,
            vis,
            span: head,
            item_span,
            block: false,
            macro_use: false,
            custom_cfg: None,
        };
        let body = self.body();
        let index = body.mods.len();
        body.mods.push(decl);
        if inline {
            self.outer.push(std::mem::take(&mut self.current));
            self.path.push(index);
            self.frames.push(Frame::Module);
            return Some(k + 3);
        }
        Some(end)
    }

    /// `extern crate name [as alias];`
    fn extern_crate(&mut self, k: usize, vis: Visibility, start_tok: usize) -> usize {
        let end = self.extent_end(k);
        let item_span = self.span(start_tok..end);
        self.finish_attrs(None, item_span.clone());
        let Some(name) = self.ident(k + 2).map(Name::from) else { return end };
        let alias = if self.is_ident(k + 3, "as") { self.ident(k + 4).map(Name::from) } else { None };
        let span = self.tok(k + 2).map_or(0..0, Token::span);
        let alias = alias.unwrap_or_else(|| name.clone());
        self.body().uses.push(UseDef {
            path: vec![name],
            global: true,
            target: UseTarget::Name(alias),
            vis,
            extern_crate: true,
            span,
            item_span,
            macro_use: false,
        });
        end
    }

    /// `use tree;`, one [`UseDef`] per leaf.
    fn use_item(&mut self, k: usize, vis: Visibility, start_tok: usize) -> usize {
        let end = self.extent_end(k);
        let item_span = self.span(start_tok..end);
        self.finish_attrs(None, item_span.clone());
        let mut j = k + 1;
        let global = self.path_sep(j);
        if global {
            j += 2;
        }
        let leaf = UseLeafCtx { global, vis, item_span };
        self.use_tree(j, end, &mut Vec::new(), None, &leaf, 0);
        end
    }

    /// One use tree from token `j` (before `end`); returns where it ends.
    fn use_tree(
        &mut self,
        mut j: usize,
        end: usize,
        prefix: &mut Vec<Name>,
        start: Option<usize>,
        ctx: &UseLeafCtx,
        depth: usize,
    ) -> usize {
        if depth > MAX_USE_DEPTH {
            return end;
        }
        let pushed = prefix.len();
        let mut begin = start;
        let finish = |x: &mut Self, path: Vec<Name>, target: UseTarget, at: Range<usize>, begin: Option<usize>| {
            let span = begin.unwrap_or(at.start)..at.end;
            x.body().uses.push(UseDef {
                path,
                global: ctx.global,
                target,
                vis: ctx.vis.clone(),
                extern_crate: false,
                span,
                item_span: ctx.item_span.clone(),
                macro_use: false,
            });
        };
        let result = loop {
            if j >= end {
                break j;
            }
            if self.open(j, b'{') {
                let close = self.close_of(j).min(end);
                let mut m = j + 1;
                while m < close {
                    m = self.use_tree(m, close, prefix, None, ctx, depth + 1);
                    if self.punct(m, b',') {
                        m += 1;
                    } else if m < close {
                        // Not a tree: skip to the next comma.
                        m = (m..close).find(|&c| self.punct(c, b',')).map_or(close, |c| c + 1);
                    }
                }
                break close + 1;
            }
            if self.punct(j, b'*') {
                let at = self.tok(j).map_or(0..0, Token::span);
                finish(self, prefix.clone(), UseTarget::Glob, at, begin);
                break j + 1;
            }
            let Some(name) = self.ident(j).map(Name::from) else { break j };
            let at = self.tok(j).map_or(0..0, Token::span);
            if self.path_sep(j + 1) {
                begin = begin.or(Some(at.start));
                prefix.push(name);
                j += 3;
                continue;
            }
            let rename = if self.is_ident(j + 1, "as") { self.ident(j + 2).map(Name::from) } else { None };
            let mut path = prefix.clone();
            let bound = if name == "self" { prefix.last().cloned().unwrap_or_default() } else { name.clone() };
            if name != "self" {
                path.push(name);
            }
            finish(self, path, UseTarget::Name(rename.clone().unwrap_or(bound)), at, begin);
            break if rename.is_some() { j + 3 } else { j + 1 };
        };
        prefix.truncate(pushed);
        result
    }

    /// A path at token `i` (`a::b`, `::a::b`, or a call of a single name):
    /// recorded as a reference; returns the token after it.
    fn path_ref(&mut self, i: usize) -> usize {
        let global = self.path_sep(i);
        let first = if global { i + 2 } else { i };
        let Some(head) = self.ident(first).map(Name::from) else { return i + 1 };
        // `$crate::x` is a macro's own crate; `x.y` a field or method.
        if !global && i > 0 && (self.punct(i - 1, b'$') || self.punct(i - 1, b'.')) {
            return i + 1;
        }
        let start = self.tok(i).map_or(0, |t| t.span().start);
        let mut end = self.tok(first).map_or(start, |t| t.span().end);
        let mut segments = vec![head];
        let mut j = first + 1;
        while self.path_sep(j) {
            let Some(next) = self.ident(j + 2) else { break };
            segments.push(Name::from(next));
            end = self.tok(j + 2).map_or(end, |t| t.span().end);
            j += 3;
        }
        // A single name is kept where it cannot be a local variable: a call,
        // a macro, a struct literal, or a capitalised name (a constant, a
        // type, a variant).
        let call = self.open(j, b'(')
            || self.open(j, b'{')
            || (self.punct(j, b'!') && !self.punct(j + 1, b'='))
            || segments.first().is_some_and(|s| s.starts_with(|c: char| c.is_ascii_uppercase()));
        let definition = first.checked_sub(1).and_then(|p| self.ident(p)).is_some_and(|p| {
            matches!(
                p,
                "fn" | "struct"
                    | "enum"
                    | "union"
                    | "trait"
                    | "type"
                    | "mod"
                    | "const"
                    | "static"
                    | "let"
                    | "macro_rules"
            )
        });
        if (segments.len() >= 2 || global || call) && !definition && !is_keyword(segments.first()) {
            let module = self.path.clone();
            let ns = if self.punct(j, b'!') {
                items::ns::MACRO
            } else if call {
                items::ns::VALUE
            } else {
                items::ns::ANY
            };
            self.syntax.refs.push(PathRef {
                segments,
                global,
                span: start..end,
                module,
                local: false,
                ns,
                self_ty: None,
                qself: None,
            });
        }
        if segments_is_include(self, first, j) {
            self.include(first, j);
        }
        j.max(i + 1)
    }

    /// `include!("..")` at token `first` (its `!` at `bang`).
    fn include(&mut self, first: usize, bang: usize) {
        let open = bang + 1;
        if !matches!(self.tok(open).map(|t| t.kind), Some(Kind::Open(_))) {
            return;
        }
        let close = self.close_of(open);
        if close != open + 2 {
            return;
        }
        if let Some(path) = self.string_value(open + 1) {
            let span = self.span(first..close + 1);
            self.syntax.includes.push(Include { path, span, module: self.path.clone(), from_crate: false, code: true });
        }
    }
}

/// Whether the path ending at `j` is `include` followed by `!`.
fn segments_is_include(x: &Extractor<'_>, first: usize, j: usize) -> bool {
    j == first + 1 && x.is_ident(first, "include") && x.punct(j, b'!')
}

/// What every leaf of one `use` shares.
struct UseLeafCtx {
    global: bool,
    vis: Visibility,
    item_span: Range<usize>,
}

/// Keywords that start a path without naming an item there (`self::`,
/// `crate::` and `super::` do name modules and are kept).
fn is_keyword(first: Option<&Name>) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for",
        "if", "impl", "in", "let", "loop", "match", "move", "mut", "pub", "ref", "return", "static", "struct", "trait",
        "true", "type", "unsafe", "use", "where", "while", "Self",
    ];
    first.is_some_and(|f| KEYWORDS.contains(&f.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What both extractions agree on, for comparing them.
    fn summary(s: &Syntax, text: &str) -> (Vec<String>, Vec<String>, Vec<String>, Vec<String>) {
        fn names(b: &ModuleBody, out: &mut Vec<String>, prefix: &str) {
            for i in &b.items {
                out.push(format!("{prefix}{}:{:?}", i.name, i.vis));
            }
            for m in &b.mods {
                out.push(format!("{prefix}mod {}{}", m.name, m.path_attr.as_deref().unwrap_or("")));
                if let Some(inner) = &m.inline {
                    names(inner, out, &format!("{prefix}{}::", m.name));
                }
            }
        }
        fn uses(b: &ModuleBody, out: &mut Vec<String>) {
            for u in &b.uses {
                out.push(format!(
                    "{}{} {:?} {:?}",
                    if u.global { "::" } else { "" },
                    u.path.join("::"),
                    u.target,
                    u.vis
                ));
            }
            for m in &b.mods {
                if let Some(inner) = &m.inline {
                    uses(inner, out);
                }
            }
        }
        let mut items = Vec::new();
        names(&s.root, &mut items, "");
        let mut use_list = Vec::new();
        uses(&s.root, &mut use_list);
        let mut refs: Vec<String> =
            s.refs.iter().map(|r| format!("{}@{:?}", &text[r.span.clone()], r.module)).collect();
        refs.sort();
        refs.dedup();
        let mut regions: Vec<String> =
            s.cfg_regions.iter().map(|(r, f)| format!("{}:{f:?}", text[r.clone()].len())).collect();
        regions.sort();
        (items, use_list, refs, regions)
    }

    #[test]
    fn agrees_with_the_syntax_tree_on_ordinary_code() {
        let text = r#"
use corefence_macros::edition as tier;
pub use acme_ee::{sso::{self, login as sign_in}, audit::*};
use ::std::fmt;
extern crate acme_ee as ee;
#[path = "x/y.rs"]
mod moved;
pub(crate) mod inline {
    use super::ee::Token;
    pub fn inner() -> Token { crate::ee::make() }
}
#[cfg(feature = "enterprise")]
pub fn gated() { acme_ee::sso::login(); }
#[tier(enterprise)]
pub struct Tagged;
impl Tagged { pub fn method(&self) { self.other(); } }
#[macro_export]
macro_rules! m { () => { acme_ee::hidden() } }
pub const LIMIT: u32 = 5;
static mut COUNT: u8 = 0;
pub(super) enum Plan { Free, #[cfg(all(feature = "enterprise", unix))] Team }
fn local() { let x = LIMIT; include!("gen.rs"); }
#[cfg(not(not(feature = "enterprise")))]
fn twice() {}
#[cfg(any(feature = "enterprise", test))]
fn fixture() {}
#[cfg(all(not(test), unix))]
fn plain() {}
#[cfg(not(unix))]
fn elsewhere() {}
#[test]
fn unit() {}
"#;
        let tree = super::super::items::extract(&syn::parse_file(text).unwrap());
        proc_macro2::extra::invalidate_current_thread_spans();
        let tokens = extract(text);
        let (a, b) = (summary(&tree, text), summary(&tokens.syntax, text));
        assert_eq!(a.0, b.0, "items");
        assert_eq!(a.1, b.1, "uses");
        // Tokens alone keep paths, calls and capitalised names (not `u32`).
        for r in a.2.iter().filter(|r| r.contains("::") || r.starts_with(|c: char| c.is_ascii_uppercase())) {
            assert!(b.2.contains(r), "lexical missed ref {r}: {:?}", b.2);
        }
        assert_eq!(a.3, b.3, "cfg regions");
        assert_eq!(tokens.syntax.includes.len(), 1);
        assert_eq!(tokens.syntax.methods.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(), ["method"]);
        assert_eq!(tokens.syntax.method_calls.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["other"]);
        let tags: Vec<(&str, Option<&str>)> = tokens
            .tags
            .iter()
            .map(|t| (t.args.as_ref().map_or("?", |a| a.edition.as_str()), t.item_name.as_deref()))
            .collect();
        assert_eq!(tags, [("enterprise", Some("Tagged"))]);
        let tag = &tokens.tags[0];
        assert_eq!(&text[tag.attr_span.clone()], "#[tier(enterprise)]");
        assert_eq!(&text[tag.args.as_ref().unwrap().name_span.clone()], "enterprise");
        assert!(text[tag.item_span.clone()].ends_with("pub struct Tagged;"));
    }

    #[test]
    fn deep_nesting_is_read_without_recursion() {
        let text = format!(
            "use acme_ee::sso;\nfn f() -> bool {{ {}acme_ee::sso::login(){} }}\n",
            "!(".repeat(100_000),
            ")".repeat(100_000)
        );
        let handle = std::thread::Builder::new().stack_size(256 << 10).spawn(move || extract(&text)).unwrap();
        let parsed = handle.join().unwrap();
        assert_eq!(parsed.syntax.root.uses.len(), 1);
        assert!(parsed.syntax.refs.iter().any(|r| r.segments == ["acme_ee", "sso", "login"]));
    }
}
