//! A Rust tokenizer on bytes: identifiers, punctuation, brackets, literals
//! and comments, each with its byte range, in one pass without recursion and
//! without building a tree.
//!
//! syn needs a whole syntax tree (about 120 bytes of memory per byte of
//! source, and a recursion as deep as the code nests). This lexer needs
//! neither, so it is what corefence falls back to for files syn cannot or
//! must not parse: it bounds their nesting before syn sees them
//! ([`nesting_bound`]) and checks their references token by token
//! (`parse::lexical`). It never fails: any byte sequence is some sequence of
//! tokens.

use std::ops::Range;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An identifier or keyword (`r#type` included).
    Ident,
    /// `'a`, `'static`, a label.
    Lifetime,
    /// A string, char, byte or number literal.
    Literal,
    /// One punctuation byte; `joint` when the next byte is punctuation too
    /// (so `::` is `:` joint, `:`).
    Punct {
        /// The byte.
        ch: u8,
        /// Immediately followed by another punctuation byte.
        joint: bool,
    },
    /// `(`, `[` or `{`.
    Open(u8),
    /// `)`, `]` or `}`.
    Close(u8),
    /// A line or block comment, doc comments included.
    Comment,
}

/// One token: 12 bytes, since a file read token by token keeps all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: Kind,
    start: u32,
    end: u32,
}

impl Token {
    /// Where it is.
    pub fn span(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Whether this is the punctuation byte `ch`.
    pub fn is_punct(&self, ch: u8) -> bool {
        matches!(self.kind, Kind::Punct { ch: c, .. } if c == ch)
    }
}

/// The tokens of `bytes`, comments included.
pub fn tokens(bytes: &[u8]) -> Lexer<'_> {
    Lexer { b: bytes, i: 0 }
}

/// An identifier's name: its text without a raw prefix (`r#type` is `type`).
pub fn ident_name<'a>(bytes: &'a [u8], span: &Range<usize>) -> &'a str {
    let text = bytes.get(span.clone()).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("");
    text.strip_prefix("r#").unwrap_or(text)
}

/// Iterator over the tokens of a byte string.
pub struct Lexer<'a> {
    b: &'a [u8],
    i: usize,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// A byte of an identifier (any non-ASCII byte counts: UTF-8 names).
pub(crate) fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn is_punct(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'#'
            | b'$'
            | b'%'
            | b'&'
            | b'*'
            | b'+'
            | b','
            | b'-'
            | b'.'
            | b'/'
            | b':'
            | b';'
            | b'<'
            | b'='
            | b'>'
            | b'?'
            | b'@'
            | b'^'
            | b'|'
            | b'~'
    )
}

/// Length of the UTF-8 sequence a leading byte announces; 1 for anything
/// malformed, so scanning always advances.
pub(crate) fn utf8_len(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 1,
    }
}

impl Lexer<'_> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.b.get(at).copied()
    }

    fn at(&self, at: usize, pat: &[u8]) -> bool {
        self.b.get(at..).is_some_and(|rest| rest.starts_with(pat))
    }

    fn ident_end(&self, mut j: usize) -> usize {
        while self.byte(j).is_some_and(is_ident) {
            j += 1;
        }
        j
    }

    /// The end of a quoted body starting after its opening quote.
    fn quoted_end(&self, mut j: usize, close: &[u8], escapes: bool) -> usize {
        while j < self.b.len() {
            if escapes && self.byte(j) == Some(b'\\') {
                j += 2;
            } else if self.at(j, close) {
                return j + close.len();
            } else {
                j += 1;
            }
        }
        self.b.len()
    }

    fn block_comment_end(&self, start: usize) -> usize {
        let (mut j, mut depth) = (start + 2, 1usize);
        while j < self.b.len() {
            if self.at(j, b"/*") {
                depth += 1;
                j += 2;
            } else if self.at(j, b"*/") {
                depth -= 1;
                j += 2;
                if depth == 0 {
                    return j;
                }
            } else {
                j += 1;
            }
        }
        self.b.len()
    }

    /// `'a'`, `'\n'`: a char literal (its end); `'a`: a lifetime (`None`).
    fn char_end(&self, i: usize) -> Option<usize> {
        match self.byte(i + 1)? {
            b'\\' => {
                // No escape is longer than `\u{10FFFF}`.
                (i + 3..=i + 12)
                    .take_while(|&j| self.byte(j).is_some_and(|b| b != b'\n'))
                    .find_map(|j| (self.byte(j) == Some(b'\'')).then_some(j + 1))
            }
            b'\'' => None,
            lead => {
                let after = i + 1 + utf8_len(lead);
                (self.byte(after) == Some(b'\'')).then_some(after + 1)
            }
        }
    }

    /// A literal starting with a prefix letter (`r"`, `r#"`, `b"`, `br"`,
    /// `b'`, `c"`, `cr#"`): its end; `None` when the letter starts an identifier.
    fn prefixed_literal_end(&self, i: usize) -> Option<usize> {
        let first = self.byte(i)?;
        let mut j = i + 1;
        if matches!(first, b'b' | b'c') && self.byte(j) == Some(b'r') {
            j += 1;
        }
        if self.byte(j - 1) == Some(b'r') {
            let hashes_start = j;
            while self.byte(j) == Some(b'#') {
                j += 1;
            }
            if self.byte(j) != Some(b'"') {
                return None;
            }
            let mut close = vec![b'"'];
            close.extend(std::iter::repeat_n(b'#', j - hashes_start));
            return Some(self.quoted_end(j + 1, &close, false));
        }
        match self.byte(j)? {
            b'"' => Some(self.quoted_end(j + 1, b"\"", true)),
            b'\'' if first == b'b' => self.char_end(j),
            _ => None,
        }
    }

    fn number_end(&self, mut j: usize) -> usize {
        while let Some(b) = self.byte(j) {
            let exponent_sign = matches!(b, b'+' | b'-') && matches!(self.byte(j - 1), Some(b'e' | b'E'));
            // `1.5` continues the number; `1..2` and `1.max(2)` do not.
            let fraction = b == b'.' && self.byte(j + 1).is_some_and(|n| n.is_ascii_digit());
            if is_ident(b) || fraction || exponent_sign {
                j += 1;
            } else {
                break;
            }
        }
        j
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        while self.byte(self.i).is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
        let i = self.i;
        let c = self.byte(i)?;
        let (kind, end) = if self.at(i, b"//") {
            let end = memchr::memchr(b'\n', self.b.get(i..).unwrap_or_default()).map_or(self.b.len(), |n| i + n);
            (Kind::Comment, end)
        } else if self.at(i, b"/*") {
            (Kind::Comment, self.block_comment_end(i))
        } else if c == b'"' {
            (Kind::Literal, self.quoted_end(i + 1, b"\"", true))
        } else if c == b'\'' {
            match self.char_end(i) {
                Some(end) => (Kind::Literal, end),
                None => (Kind::Lifetime, self.ident_end(i + 1).max(i + 1)),
            }
        } else if let Some(end) = matches!(c, b'r' | b'b' | b'c').then(|| self.prefixed_literal_end(i)).flatten() {
            (Kind::Literal, end)
        } else if c == b'r' && self.at(i + 1, b"#") && self.byte(i + 2).is_some_and(is_ident_start) {
            (Kind::Ident, self.ident_end(i + 2))
        } else if is_ident_start(c) {
            (Kind::Ident, self.ident_end(i))
        } else if c.is_ascii_digit() {
            (Kind::Literal, self.number_end(i + 1))
        } else if matches!(c, b'(' | b'[' | b'{') {
            (Kind::Open(c), i + 1)
        } else if matches!(c, b')' | b']' | b'}') {
            (Kind::Close(c), i + 1)
        } else if is_punct(c) {
            (Kind::Punct { ch: c, joint: self.byte(i + 1).is_some_and(is_punct) }, i + 1)
        } else {
            // A stray byte (a control character, `\`): a one-byte punct
            // that joins nothing.
            (Kind::Punct { ch: c, joint: false }, i + utf8_len(c))
        };
        let end = end.clamp(i + 1, self.b.len().max(i + 1));
        self.i = end;
        // Offsets past 4 GiB saturate; corefence never reads such a file whole.
        let offset = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        Some(Token { kind, start: offset(i), end: offset(end) })
    }
}

/// For every token index of a bracket, the index of its partner: an
/// opening bracket's closing one (the end when it never closes), a closing
/// bracket's opening one; `u32::MAX` elsewhere and for a stray closer.
pub fn matching_brackets(tokens: &[Token]) -> Vec<u32> {
    let index = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    let mut out = vec![u32::MAX; tokens.len()];
    let mut open = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        match t.kind {
            Kind::Open(_) => open.push(i),
            Kind::Close(_) => {
                if let Some(o) = open.pop() {
                    if let Some(slot) = out.get_mut(o) {
                        *slot = index(i);
                    }
                    if let Some(slot) = out.get_mut(i) {
                        *slot = index(o);
                    }
                }
            }
            _ => {}
        }
    }
    for o in open {
        if let Some(slot) = out.get_mut(o) {
            *slot = index(tokens.len());
        }
    }
    out
}

/// An upper bound on how deep syn's syntax tree of `bytes` can nest, from
/// tokens alone.
///
/// syn recurses once per level of the tree when it parses, visits and drops
/// it, and its tree nests not only at brackets but at every operator of a
/// chain: `!!!!x`, `1 + 1 + … + 1`, `Vec<Vec<…>>`, `fn() -> fn() -> …`,
/// `a.b().c()…` and `if … else if …` are one level per link. Every tree
/// node consumes at least one token, so the depth of any node is at most
/// the sum, over the brackets enclosing it, of the length of the stretch of
/// tokens it belongs to: tokens between separators (`;`, `,` outside
/// angle brackets, and the end of a braced block that does not continue
/// the expression), with a whole bracket group counting as one token of its
/// stretch. Comments never count, so brackets in comments or strings cannot
/// inflate the bound.
pub fn nesting_bound(bytes: &[u8]) -> usize {
    deepest(bytes).0
}

/// [`nesting_bound`], and the offset of the token that ends the deepest
/// stretch (where a reader should look).
pub fn deepest(bytes: &[u8]) -> (usize, usize) {
    deepest_of(bytes, tokens(bytes))
}

/// The tokens of `bytes` but comments.
pub fn code_tokens(bytes: &[u8]) -> Vec<Token> {
    // Sized for the worst realistic density up front: pages never written
    // cost no memory, while growing by doubling would copy the whole vector.
    let mut out = Vec::with_capacity(bytes.len() / 2 + 16);
    out.extend(tokens(bytes).filter(|t| t.kind != Kind::Comment));
    out
}

/// [`code_tokens`], and where each doc comment (`///`, `//!`, `/**`,
/// `/*!`) starts that is not inside a macro's tokens or an attribute: the
/// comments [`plain_docs`] may turn into plain ones.
pub fn code_tokens_and_docs(bytes: &[u8]) -> (Vec<Token>, Vec<usize>) {
    let mut out = Vec::with_capacity(bytes.len() / 2 + 16);
    let mut docs = Vec::new();
    // Per open bracket: whether it is a macro's tokens or an attribute, or
    // inside one.
    let mut opaque: Vec<bool> = Vec::new();
    for token in tokens(bytes) {
        match token.kind {
            Kind::Comment => {
                let start = token.span().start;
                if !opaque.last().copied().unwrap_or(false) && is_doc_comment(bytes.get(start..token.span().end)) {
                    docs.push(start);
                }
                continue;
            }
            Kind::Open(_) => {
                let invoked = is_macro_or_attribute(&out, out.len());
                opaque.push(invoked || opaque.last().copied().unwrap_or(false));
            }
            Kind::Close(_) => {
                opaque.pop();
            }
            _ => {}
        }
        out.push(token);
    }
    (out, docs)
}

/// Whether the group opening at code token `i` (or at the end of
/// `tokens`, the next one) is a macro's tokens (`m! {`, `macro_rules! m {`)
/// or an attribute (`#[`, `#![`).
pub(crate) fn is_macro_or_attribute(tokens: &[Token], i: usize) -> bool {
    let before = |n: usize| i.checked_sub(n).and_then(|j| tokens.get(j));
    before(1).is_some_and(|p| p.is_punct(b'!') || p.is_punct(b'#'))
        || (before(1).is_some_and(|p| p.kind == Kind::Ident) && before(2).is_some_and(|p| p.is_punct(b'!')))
}

/// Whether a comment's text is a doc comment: `///` but not `////`, `//!`,
/// `/**` but not `/***` or `/**/`, `/*!`.
fn is_doc_comment(text: Option<&[u8]>) -> bool {
    match text.unwrap_or_default() {
        [b'/', b'/', b'/', b'/', ..] | [b'/', b'*', b'*', b'*' | b'/', ..] => false,
        // `/**` must go on past its third byte: `/**/` is empty.
        [b'/', b'/', b'/' | b'!', ..] | [b'/', b'*', b'!', ..] | [b'/', b'*', b'*', _, ..] => true,
        _ => false,
    }
}

/// `text` with the doc comments starting at `docs` (from
/// [`code_tokens_and_docs`]) made plain comments: the byte after their
/// opening `//` or `/*` becomes a space, so that syn reads no `#[doc]`
/// attribute for them (each would be an attribute with a string literal to
/// build, parse and drop). Every offset and line still holds.
pub fn plain_docs(text: &str, docs: &[usize]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for &d in docs {
        // The doc marker is ASCII, so these are character boundaries.
        let (Some(kept), true) = (text.get(at..d + 2), text.as_bytes().get(d + 2).is_some_and(u8::is_ascii)) else {
            continue;
        };
        out.push_str(kept);
        out.push(' ');
        at = d + 3;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// [`deepest`] from `tokens`, the tokens of `bytes` (comments may be left
/// out: they never count).
pub fn deepest_of(bytes: &[u8], tokens: impl IntoIterator<Item = Token>) -> (usize, usize) {
    /// One open bracket level.
    #[derive(Default)]
    struct Level {
        /// Tokens in the current stretch.
        len: usize,
        /// The deepest bound of a group inside the current stretch, and where.
        child: usize,
        child_at: usize,
        /// The deepest stretch closed at this level, and where it ended.
        best: (usize, usize),
        /// `<` not yet closed by `>`: commas inside generics do not separate.
        angle: usize,
        /// The last token closed a brace group.
        after_brace: bool,
    }
    impl Level {
        fn end_stretch(&mut self, at: usize) {
            if self.len + self.child > self.best.0 {
                // The deepest point is inside the deepest group, unless the
                // stretch itself is the long chain.
                let at = if self.child > self.len { self.child_at } else { at };
                self.best = (self.len + self.child, at);
            }
            self.len = 0;
            self.child = 0;
        }
    }
    let mut levels = vec![Level::default()];
    let mut prev_dash_or_eq = false;
    for token in tokens {
        if token.kind == Kind::Comment {
            continue;
        }
        let Some(level) = levels.last_mut() else { break };
        if level.after_brace {
            level.after_brace = false;
            let continues = match token.kind {
                Kind::Ident => matches!(ident_name(bytes, &token.span()), "else" | "as"),
                Kind::Punct { ch, .. } => ch != b'#' && ch != b';',
                _ => false,
            };
            if !continues {
                level.end_stretch(token.span().start);
            }
        }
        match token.kind {
            Kind::Open(_) => levels.push(Level::default()),
            Kind::Close(c) => {
                if levels.len() > 1 {
                    if let Some(mut inner) = levels.pop() {
                        inner.end_stretch(token.span().start);
                        if let Some(outer) = levels.last_mut() {
                            outer.len += 1;
                            if inner.best.0 + 1 > outer.child {
                                outer.child = inner.best.0 + 1;
                                outer.child_at = inner.best.1;
                            }
                            outer.after_brace = c == b'}';
                        }
                    }
                }
            }
            Kind::Punct { ch: b';', .. } => level.end_stretch(token.span().start),
            Kind::Punct { ch: b',', .. } if level.angle == 0 => level.end_stretch(token.span().start),
            Kind::Punct { ch, .. } => {
                level.len += 1;
                match ch {
                    b'<' => level.angle += 1,
                    // `->` and `=>` are arrows, not closing angles.
                    b'>' if !prev_dash_or_eq => level.angle = level.angle.saturating_sub(1),
                    _ => {}
                }
            }
            _ => level.len += 1,
        }
        prev_dash_or_eq = matches!(token.kind, Kind::Punct { ch: b'-' | b'=', joint: true });
    }
    // Unclosed brackets: fold them into their parents.
    while let Some(mut inner) = levels.pop() {
        inner.end_stretch(bytes.len());
        match levels.last_mut() {
            Some(outer) => {
                outer.len += 1;
                if inner.best.0 + 1 > outer.child {
                    outer.child = inner.best.0 + 1;
                    outer.child_at = inner.best.1;
                }
            }
            None => return inner.best,
        }
    }
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokens(text.as_bytes()).map(|t| (t.kind, &text[t.span()])).collect()
    }

    #[test]
    fn tokens_of_tricky_literals() {
        let text = r##"a::b r#type 'a 'x' '\'' b'x' br#"x"# c"y" "s\"t" 1.5e-3 1..2 x.0 /* /* n */ */ // c
z"##;
        let got: Vec<&str> = kinds(text).into_iter().map(|(_, s)| s).collect();
        assert_eq!(
            got,
            [
                "a",
                ":",
                ":",
                "b",
                "r#type",
                "'a",
                "'x'",
                "'\\''",
                "b'x'",
                "br#\"x\"#",
                "c\"y\"",
                "\"s\\\"t\"",
                "1.5e-3",
                "1",
                ".",
                ".",
                "2",
                "x",
                ".",
                "0",
                "/* /* n */ */",
                "// c",
                "z"
            ]
        );
        assert_eq!(kinds("a::b")[1].0, Kind::Punct { ch: b':', joint: true });
    }

    #[test]
    fn any_bytes_lex_to_the_end() {
        let bytes = b"\x00\xff\"unterminated \\";
        let spans: Vec<Range<usize>> = tokens(bytes).map(|t| t.span()).collect();
        assert_eq!(spans.last().map(|s| s.end), Some(bytes.len()));
    }

    #[test]
    fn nesting_bound_sees_chains_without_brackets() {
        let shallow = "fn a() { let x = 1 + 2; }\nfn b() -> Vec<u8> { vec![1, 2] }\nstruct S { a: u8, b: u8 }\n";
        assert!(nesting_bound(shallow.as_bytes()) < 20, "{}", nesting_bound(shallow.as_bytes()));
        let many_items = "pub fn f() { g(); }\n".repeat(5000);
        assert!(nesting_bound(many_items.as_bytes()) < 20);
        for deep in [
            format!("fn f() {{ {}a; }}", "!".repeat(5000)),
            format!("const X: u8 = {}1;", "1 + ".repeat(5000)),
            format!("type T = {}u8{};", "Vec<".repeat(5000), ">".repeat(5000)),
            format!("type T = {}u8;", "fn() -> ".repeat(5000)),
            format!("type T = {}u8{};", "Vec<Vec<u8>, ".repeat(3000), ">".repeat(3000)),
            format!("fn f() {{ if a {{}} {} }}", "else if a {} ".repeat(5000)),
            format!("fn f() {{ x{}; }}", ".m()".repeat(5000)),
        ] {
            assert!(nesting_bound(deep.as_bytes()) >= 5000, "{}", &deep[..60]);
        }
        // Brackets in comments and strings do not count.
        let quoted = format!("// {}\nconst S: &str = \"{}\";\n", "(".repeat(10_000), "[".repeat(10_000));
        assert!(nesting_bound(quoted.as_bytes()) < 10);
    }

    #[test]
    fn doc_comments_outside_macros_are_found_and_made_plain() {
        let text = r#"//! Crate docs.
/*! An inner one. */
/// An item.
//// Not a doc.
/**/ /*** Not one either. */ /** A block doc. */
fn f() { let s = "/// in a string"; }
m! { /// A macro's input: its doc attribute may be matched.
    fn g() {} }
macro_rules! n { () => { /// Expanded.
    fn h() {} } }
#[doc = "/// an attribute"]
struct S { /// A field.
    a: u8 }
"#;
        let (code, docs) = code_tokens_and_docs(text.as_bytes());
        let found: Vec<&str> = docs.iter().map(|&d| text[d..].split(['\n', '.']).next().unwrap()).collect();
        assert_eq!(found, ["//! Crate docs", "/*! An inner one", "/// An item", "/** A block doc", "/// A field"]);
        assert_eq!(code, code_tokens(text.as_bytes()));
        let plain = plain_docs(text, &docs);
        assert_eq!(plain.len(), text.len());
        assert!(plain.starts_with(
            "//  Crate docs.\n/*  An inner one. */\n//  An item.\n//// Not a doc.\n/**/ /*** Not one either. */ /*  A block doc. */\n"
        ));
        assert!(plain.contains("m! { /// A macro's input") && plain.contains("=> { /// Expanded."));
        // The same code, in the same places, without the doc attributes.
        assert_eq!(code_tokens(plain.as_bytes()), code);
        let attrs = |t: &str| {
            let file = syn::parse_file(t).unwrap();
            let items = file.items.iter().map(|i| crate::parse::attrs::AttrsOf::attrs(i).len());
            std::iter::once(file.attrs.len()).chain(items).collect::<Vec<_>>()
        };
        assert_eq!(attrs(text), [2, 2, 0, 0, 1]);
        assert_eq!(attrs(&plain), [0, 0, 0, 0, 1]);
    }
}

#[cfg(test)]
mod size {
    #[test]
    fn a_token_takes_twelve_bytes() {
        assert_eq!(std::mem::size_of::<super::Token>(), 12);
    }
}
