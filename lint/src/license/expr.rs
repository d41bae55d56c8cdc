//! SPDX license expressions: parsing with precise diagnostics, semantic
//! equality, and the single obvious repair that `--fix` may apply.
//!
//! Case rules follow the SPDX specification (Annex "SPDX license
//! expressions", case sensitivity):
//! - listed license and exception ids match case-insensitively
//!   (`agpl-3.0-only` is `AGPL-3.0-only`);
//! - operators are `AND`/`OR`/`WITH` in all upper or all lower case; mixed
//!   case (`And`) is an error with an obvious repair;
//! - the `LicenseRef-`/`DocumentRef-`/`AdditionRef-` prefixes are
//!   case-sensitive, while the user-defined part after them is matched
//!   case-insensitively (`LicenseRef-Acme` equals `LicenseRef-acme`). Since
//!   no spelling of a user-defined part is more canonical than another,
//!   [`normalized_text`] leaves it alone.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::str::FromStr;
use std::sync::OnceLock;

use spdx::expression::{ExprNode, Operator};
use spdx::{AdditionItem, ExceptionId, LicenseId, LicenseItem, LicenseReq, ParseMode};

/// Deprecated ids stay parseable so that they can be reported and repaired
/// instead of failing the whole header; `GPL-2.0+` is the spelling older
/// headers use, so the `+` is accepted on GNU ids too.
const MODE: ParseMode = ParseMode {
    allow_slash_as_or_operator: false,
    allow_imprecise_license_names: false,
    allow_postfix_plus_on_gpl: true,
    allow_deprecated: true,
    allow_unknown: false,
};

/// Real expressions nest a few levels; the limit keeps the recursive tree
/// operations far from the stack's end on hostile input.
const MAX_NESTING: usize = 64;

/// Suggestions compare a word against every listed id, so a single parse
/// computes at most this many, and none for words longer than
/// [`MAX_SUGGESTED_WORD`] bytes.
const SUGGESTION_BUDGET: usize = 8;
const MAX_SUGGESTED_WORD: usize = 64;

/// A parsed SPDX license expression compared by meaning, not spelling.
///
/// Two expressions are equal when they denote the same license tree up to
/// commutativity and associativity of `AND`/`OR`, redundant parentheses,
/// duplicate operands, id case, and deprecated ids whose replacement is
/// derivable (`GPL-2.0+` equals `GPL-2.0-or-later`, `GPL-3.0` equals
/// `GPL-3.0-only`). `-only` never equals `-or-later`.
#[derive(Debug, Clone)]
pub struct LicenseExpr {
    text: String,
    root: Node,
    deprecated: Vec<Deprecated>,
}

/// Why a license expression could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    /// Human-readable description of the problem.
    pub message: String,
    /// Byte range of the offending token within the parsed text.
    pub range: Range<usize>,
    /// Replacement text for `range`, when a likely intended spelling exists.
    pub suggestion: Option<String>,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean `{s}`?)")?;
        }
        Ok(())
    }
}

impl std::error::Error for ExprError {}

/// A deprecated license or exception id found in an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecated {
    /// The id in its SPDX spelling, including a trailing `+` when written.
    pub id: String,
    /// What the SPDX license list replaced it with, when that can be derived.
    pub replacement: Option<String>,
    /// Byte range of the id (and its `+`) within the parsed text.
    pub range: Range<usize>,
}

/// Parses `text` as an SPDX license expression.
///
/// # Errors
///
/// See [`LicenseExpr::parse`].
pub fn parse(text: &str) -> Result<LicenseExpr, ExprError> {
    LicenseExpr::parse(text)
}

impl LicenseExpr {
    /// Parses `text` as an SPDX license expression.
    ///
    /// # Errors
    ///
    /// Returns the first problem found: an invalid character, an unknown or
    /// misplaced id (with a suggested spelling when one is close), a
    /// mis-cased operator or reference prefix, or a structural error such as
    /// an unbalanced parenthesis, each with the byte range of its token.
    pub fn parse(text: &str) -> Result<Self, ExprError> {
        let terms = classify(text);
        let mut depth = 0usize;
        for term in &terms {
            match term.kind {
                TermKind::Open => depth += 1,
                TermKind::Close => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth > MAX_NESTING {
                return Err(ExprError {
                    message: format!("license expression nested more than {MAX_NESTING} levels deep"),
                    range: term.range.clone(),
                    suggestion: None,
                });
            }
        }
        let mut rewritten = String::with_capacity(text.len());
        let mut copied = 0;
        let mut deprecated = Vec::new();
        for (i, term) in terms.iter().enumerate() {
            let canonical: Option<&str> = match &term.kind {
                TermKind::Bad(problem) => return Err(problem.to_error()),
                TermKind::Op(op) => Some(op.upper()),
                TermKind::License(id) => {
                    if id.is_deprecated() {
                        let plus = followed_by_plus(&terms, i);
                        let end = if plus { term.range.end + 1 } else { term.range.end };
                        deprecated.push(Deprecated {
                            id: format!("{}{}", id.name, if plus { "+" } else { "" }),
                            replacement: deprecated_replacement(*id, plus),
                            range: term.range.start..end,
                        });
                    }
                    Some(id.name)
                }
                TermKind::Exception(id) => {
                    if id.is_deprecated() {
                        deprecated.push(Deprecated {
                            id: id.name.to_owned(),
                            replacement: None,
                            range: term.range.clone(),
                        });
                    }
                    Some(id.name)
                }
                TermKind::Open | TermKind::Close | TermKind::Plus | TermKind::Ref => None,
            };
            // Only ASCII case changes here, so every byte offset in the
            // rewritten text is also an offset in `text` and spdx's error
            // spans need no translation.
            if let Some(canonical) = canonical {
                if canonical.len() == term.range.len() {
                    rewritten.push_str(text.get(copied..term.range.start).unwrap_or_default());
                    rewritten.push_str(canonical);
                    copied = term.range.end;
                }
            }
        }
        rewritten.push_str(text.get(copied..).unwrap_or_default());

        let expr = spdx::Expression::parse_mode(&rewritten, MODE).map_err(|e| ExprError {
            message: e.reason.to_string(),
            range: clamp_range(text, e.span),
            suggestion: None,
        })?;
        let root = build_tree(&expr).ok_or_else(|| ExprError {
            message: "malformed license expression".to_owned(),
            range: 0..text.len(),
            suggestion: None,
        })?;
        Ok(Self { text: text.to_owned(), root, deprecated })
    }

    /// The text this expression was parsed from.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// A deterministic rendering of the expression's meaning: operands of
    /// `AND`/`OR` flattened, sorted and deduplicated, compound operands
    /// parenthesised, deprecated ids replaced where derivable.
    #[must_use]
    pub fn canonical(&self) -> String {
        self.root.render(false)
    }

    /// Deprecated license and exception ids, in order of appearance.
    #[must_use]
    pub fn deprecated(&self) -> Vec<Deprecated> {
        self.deprecated.clone()
    }

    /// Whether this expression equals any of `accepted`.
    #[must_use]
    pub fn matches_any(&self, accepted: &[LicenseExpr]) -> bool {
        accepted.iter().any(|a| a == self)
    }
}

impl PartialEq for LicenseExpr {
    fn eq(&self, other: &Self) -> bool {
        self.root == other.root
    }
}

impl Eq for LicenseExpr {}

impl Hash for LicenseExpr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.root.render(true).hash(state);
    }
}

impl fmt::Display for LicenseExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

impl FromStr for LicenseExpr {
    type Err = ExprError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The one obvious repair of `text`: canonical id and operator case,
/// deprecated ids replaced by their successor, and unknown ids that have a
/// single clear intended spelling. Whitespace, parentheses and operand order
/// are kept as written.
///
/// Returns `None` when `text` is already in normal form, or when no single
/// repair yields a valid expression with the same meaning.
#[must_use]
pub fn normalized_text(text: &str) -> Option<String> {
    let terms = classify(text);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for (i, term) in terms.iter().enumerate() {
        let written = text.get(term.range.clone()).unwrap_or_default();
        match &term.kind {
            TermKind::Op(op) => {
                if written != op.upper() {
                    edits.push((term.range.clone(), op.upper().to_owned()));
                }
            }
            TermKind::License(id) => {
                let plus = followed_by_plus(&terms, i);
                match deprecated_replacement(*id, plus) {
                    Some(replacement) => {
                        let end = if plus { term.range.end + 1 } else { term.range.end };
                        edits.push((term.range.start..end, replacement));
                    }
                    None if written != id.name => {
                        edits.push((term.range.clone(), id.name.to_owned()));
                    }
                    None => {}
                }
            }
            TermKind::Exception(id) => {
                if written != id.name {
                    edits.push((term.range.clone(), id.name.to_owned()));
                }
            }
            TermKind::Bad(problem) => match (&problem.suggestion, problem.clear) {
                (Some(s), true) => edits.push((problem.fix_range.clone(), s.clone())),
                _ => return None,
            },
            TermKind::Open | TermKind::Close | TermKind::Plus | TermKind::Ref => {}
        }
    }

    let mut out = String::with_capacity(text.len() + 16);
    let mut copied = 0;
    for (range, replacement) in &edits {
        // Edits come in text order; an overlap would mean two repairs
        // competing for the same bytes, which is not an obvious repair.
        if range.start < copied {
            return None;
        }
        out.push_str(text.get(copied..range.start)?);
        out.push_str(replacement);
        copied = range.end;
    }
    out.push_str(text.get(copied..)?);

    if out == text {
        return None;
    }
    let repaired = LicenseExpr::parse(&out).ok()?;
    if let Ok(original) = LicenseExpr::parse(text) {
        if original != repaired {
            return None;
        }
    }
    Some(out)
}

/// The non-deprecated spelling of a deprecated license id, derived from the
/// id's shape:
/// - GNU ids without suffix gain `-only` (or `-or-later` when written with
///   `+`): `GPL-3.0` → `GPL-3.0-only`, `LGPL-2.1+` → `LGPL-2.1-or-later`;
/// - GNU `X-with-Y-exception` ids become `X-only WITH Y-exception-V`, where
///   V is the version of the Y exception matching X's major version;
/// - a deprecated variant named `BASE-QUALIFIER` whose base is itself a
///   current id becomes that base (`BSD-2-Clause-FreeBSD` → `BSD-2-Clause`).
///
/// Returns `None` for current ids and for deprecations that cannot be
/// derived (for example `Nunit`).
#[must_use]
pub fn deprecated_replacement(id: LicenseId, or_later: bool) -> Option<String> {
    if !id.is_deprecated() {
        return None;
    }
    let or_later = or_later || id.name.ends_with('+');
    let name = id.name.trim_end_matches('+');
    if id.is_gnu() {
        if let Some((base, rest)) = name.split_once("-with-") {
            let stem = rest.strip_suffix("-exception")?;
            let license = spdx::gnu_license_id(base, or_later).filter(|l| !l.is_deprecated())?;
            let exception = versioned_exception(stem, base)?;
            return Some(format!("{} WITH {}", license.name, exception.name));
        }
        return spdx::gnu_license_id(name, or_later).filter(|l| !l.is_deprecated()).map(|l| l.name.to_owned());
    }
    let (prefix, _) = name.rsplit_once('-')?;
    let base = spdx::license_id(prefix).filter(|l| !l.is_deprecated())?;
    Some(format!("{}{}", base.name, if or_later { "+" } else { "" }))
}

/// The `Stem-exception-V` exception that goes with the GNU license `base`.
fn versioned_exception(stem: &str, base: &str) -> Option<ExceptionId> {
    let prefix = format!("{}-exception-", stem.to_ascii_lowercase());
    let candidates: Vec<ExceptionId> = spdx::identifiers::EXCEPTIONS
        .iter()
        .filter(|e| {
            let lower = e.name.to_ascii_lowercase();
            lower
                .strip_prefix(&prefix)
                .is_some_and(|version| !version.is_empty() && version.chars().all(|c| c.is_ascii_digit() || c == '.'))
        })
        .filter_map(|e| spdx::exception_id(e.name))
        .filter(|e| !e.is_deprecated())
        .collect();
    let major = base.split('-').nth(1).and_then(|v| v.split('.').next()).unwrap_or_default();
    let same_major: Vec<ExceptionId> = candidates
        .iter()
        .copied()
        .filter(|e| e.name.rsplit('-').next().and_then(|v| v.split('.').next()).is_some_and(|m| m == major))
        .collect();
    match (same_major.as_slice(), candidates.as_slice()) {
        ([one], _) | ([], [one]) => Some(*one),
        _ => None,
    }
}

/// Bounds a span reported by spdx to `text`, on character boundaries.
fn clamp_range(text: &str, range: Range<usize>) -> Range<usize> {
    let mut start = range.start.min(text.len());
    let mut end = range.end.clamp(start, text.len());
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

// ---------------------------------------------------------------------------
// Lexing and classification
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    And,
    Or,
    With,
}

impl Op {
    fn upper(self) -> &'static str {
        match self {
            Op::And => "AND",
            Op::Or => "OR",
            Op::With => "WITH",
        }
    }
}

#[derive(Debug, Clone)]
struct ExprProblem {
    message: String,
    range: Range<usize>,
    suggestion: Option<String>,
    /// The bytes `suggestion` replaces (may include a following `+`).
    fix_range: Range<usize>,
    /// Whether `suggestion` is the only plausible intent, safe for `--fix`.
    clear: bool,
}

impl ExprProblem {
    fn to_error(&self) -> ExprError {
        ExprError { message: self.message.clone(), range: self.range.clone(), suggestion: self.suggestion.clone() }
    }
}

#[derive(Debug, Clone)]
enum TermKind {
    Open,
    Close,
    Plus,
    Op(Op),
    License(LicenseId),
    Exception(ExceptionId),
    /// A well-formed `LicenseRef-`, `DocumentRef-…:LicenseRef-` or
    /// `AdditionRef-` reference.
    Ref,
    Bad(ExprProblem),
}

#[derive(Debug, Clone)]
struct Term {
    range: Range<usize>,
    kind: TermKind,
}

/// Same character classes as spdx's lexer, so that both agree on where each
/// term starts and ends.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':')
}

fn followed_by_plus(terms: &[Term], i: usize) -> bool {
    match (terms.get(i), terms.get(i + 1)) {
        (Some(t), Some(next)) => matches!(next.kind, TermKind::Plus) && next.range.start == t.range.end,
        _ => false,
    }
}

fn classify(text: &str) -> Vec<Term> {
    let mut raw: Vec<(Range<usize>, char)> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let mut end = start + c.len_utf8();
        if is_word_char(c) {
            while let Some(&(i, d)) = chars.peek() {
                if !is_word_char(d) {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
        }
        raw.push((start..end, c));
    }

    let mut budget = SUGGESTION_BUDGET;
    let mut terms: Vec<Term> = Vec::with_capacity(raw.len());
    for (idx, (range, first)) in raw.iter().enumerate() {
        let kind = match first {
            '(' => TermKind::Open,
            ')' => TermKind::Close,
            '+' => TermKind::Plus,
            c if is_word_char(*c) => {
                let after_with = matches!(terms.last(), Some(Term { kind: TermKind::Op(Op::With), .. }));
                let plus_end =
                    raw.get(idx + 1).filter(|(next, c)| *c == '+' && next.start == range.end).map(|(next, _)| next.end);
                classify_word(text, range.clone(), after_with, plus_end, &mut budget)
            }
            c => TermKind::Bad(ExprProblem {
                message: format!("invalid character `{c}` in license expression"),
                range: range.clone(),
                suggestion: (*c == '/').then(|| "OR".to_owned()),
                fix_range: range.clone(),
                clear: false,
            }),
        };
        terms.push(Term { range: range.clone(), kind });
    }
    terms
}

fn classify_word(
    text: &str,
    range: Range<usize>,
    after_with: bool,
    plus_end: Option<usize>,
    budget: &mut usize,
) -> TermKind {
    let word = text.get(range.clone()).unwrap_or_default();
    let mut may_suggest = || {
        let allowed = *budget > 0 && word.len() <= MAX_SUGGESTED_WORD;
        *budget = budget.saturating_sub(1);
        allowed
    };
    let bad = |message: String, suggestion: Option<String>, fix_range: Range<usize>, clear: bool| {
        TermKind::Bad(ExprProblem { message, range: range.clone(), suggestion, fix_range, clear })
    };

    for op in [Op::And, Op::Or, Op::With] {
        if word.eq_ignore_ascii_case(op.upper()) {
            let lower = op.upper().to_ascii_lowercase();
            if word == op.upper() || word == lower {
                return TermKind::Op(op);
            }
            return bad(
                format!("operator `{word}` must be written all upper case or all lower case"),
                Some(op.upper().to_owned()),
                range.clone(),
                true,
            );
        }
    }

    if let Some(kind) = classify_reference(word, &range) {
        return kind;
    }

    if after_with {
        if let Some(id) = exception_ci(word) {
            return TermKind::Exception(id);
        }
        if license_ci(word).is_some() {
            return bad(
                format!("`{word}` is a license, but `WITH` must be followed by an exception"),
                None,
                range.clone(),
                false,
            );
        }
        let (suggestion, clear) =
            may_suggest().then(|| suggest_exception(word)).flatten().map_or((None, false), |(s, c)| (Some(s), c));
        return bad(format!("unknown license exception `{word}`"), suggestion, range.clone(), clear);
    }

    if let Some(id) = license_ci(word) {
        if plus_end.is_some() && id.is_gnu() && id.name.ends_with("-only") {
            let or_later = spdx::gnu_license_id(id.name.trim_end_matches("-only"), true);
            return bad(
                format!("`{}` means this version only, which contradicts the `+`", id.name),
                or_later.map(|l| l.name.to_owned()),
                range.start..plus_end.unwrap_or(range.end),
                false,
            );
        }
        return TermKind::License(id);
    }
    if exception_ci(word).is_some() {
        return bad(format!("`{word}` is a license exception and must follow `WITH`"), None, range.clone(), false);
    }
    let plus = plus_end.is_some();
    let (suggestion, clear) =
        may_suggest().then(|| suggest_license(word, plus)).flatten().map_or((None, false), |(s, c)| (Some(s), c));
    let fix_range = match plus_end {
        Some(end) if suggestion.as_deref().is_some_and(|s| !s.ends_with('+')) => range.start..end,
        _ => range.clone(),
    };
    bad(format!("unknown license id `{word}`"), suggestion, fix_range, clear)
}

/// Recognises user-defined references. A reference whose prefix differs
/// only in case is an error with a clear repair, since the prefixes are
/// case-sensitive keywords.
fn classify_reference(word: &str, range: &Range<usize>) -> Option<TermKind> {
    const PREFIXES: [&str; 3] = ["DocumentRef-", "LicenseRef-", "AdditionRef-"];
    let lower = word.to_ascii_lowercase();
    if !PREFIXES.iter().any(|p| lower.starts_with(&p.to_ascii_lowercase())) {
        return None;
    }
    let idstring_ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    let fix_prefix = |part: &str| -> Option<String> {
        PREFIXES.iter().find_map(|p| {
            let head = part.get(..p.len())?;
            head.eq_ignore_ascii_case(p).then(|| format!("{p}{}", part.get(p.len()..).unwrap_or_default()))
        })
    };
    let parts: Vec<&str> = word.split(':').collect();
    let well_formed = match parts.as_slice() {
        [single] => fix_prefix(single).filter(|fixed| {
            (fixed.starts_with("LicenseRef-") || fixed.starts_with("AdditionRef-"))
                && fixed.split_once('-').is_some_and(|(_, id)| idstring_ok(id))
        }),
        [doc, item] => match (fix_prefix(doc), fix_prefix(item)) {
            (Some(d), Some(i))
                if d.starts_with("DocumentRef-")
                    && (i.starts_with("LicenseRef-") || i.starts_with("AdditionRef-"))
                    && d.split_once('-').is_some_and(|(_, id)| idstring_ok(id))
                    && i.split_once('-').is_some_and(|(_, id)| idstring_ok(id)) =>
            {
                Some(format!("{d}:{i}"))
            }
            _ => None,
        },
        _ => None,
    };
    Some(match well_formed {
        Some(fixed) if fixed == word => TermKind::Ref,
        Some(fixed) => TermKind::Bad(ExprProblem {
            message: format!("reference prefix in `{word}` must be written `{}`", fixed.split_once('-').map_or("", |(p, _)| p)),
            range: range.clone(),
            suggestion: Some(fixed),
            fix_range: range.clone(),
            clear: true,
        }),
        None => TermKind::Bad(ExprProblem {
            message: format!(
                "malformed reference `{word}`: expected `LicenseRef-<id>`, `AdditionRef-<id>` or `DocumentRef-<id>:LicenseRef-<id>` with <id> made of letters, digits, `-` and `.`"
            ),
            range: range.clone(),
            suggestion: None,
            fix_range: range.clone(),
            clear: false,
        }),
    })
}

fn license_ci(word: &str) -> Option<LicenseId> {
    if word.contains('+') {
        return None;
    }
    spdx::license_id(word).or_else(|| {
        spdx::identifiers::LICENSES
            .iter()
            .find(|l| !l.name.ends_with('+') && l.name.eq_ignore_ascii_case(word))
            .and_then(|l| spdx::license_id(l.name))
    })
}

fn exception_ci(word: &str) -> Option<ExceptionId> {
    spdx::exception_id(word).or_else(|| {
        spdx::identifiers::EXCEPTIONS
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(word))
            .and_then(|e| spdx::exception_id(e.name))
    })
}

// ---------------------------------------------------------------------------
// Suggestions
// ---------------------------------------------------------------------------

/// A spelling-insensitive form of an id: lower case, punctuation dropped,
/// `.0` after a version digit dropped and `v` before a version dropped, so
/// that `Apache2.0`, `apache-2` and `Apache-2.0` coincide and `GPLv3` meets
/// `GPL-3.0`.
fn loose_key(s: &str) -> String {
    let chars: Vec<char> = s.to_ascii_lowercase().chars().collect();
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let prev = out.chars().last();
        let next = chars.get(i + 1).copied();
        if c == '.'
            && next == Some('0')
            && prev.is_some_and(|p| p.is_ascii_digit())
            && !chars.get(i + 2).is_some_and(char::is_ascii_digit)
        {
            i += 2;
            continue;
        }
        if c == 'v' && prev.is_some_and(|p| p.is_ascii_alphabetic()) && next.is_some_and(|n| n.is_ascii_digit()) {
            i += 1;
            continue;
        }
        if c.is_ascii_alphanumeric() {
            out.push(c);
        }
        i += 1;
    }
    out
}

/// The text a license term should read as: deprecated ids replaced where
/// derivable, `+` kept for non-GNU ids.
fn preferred_text(id: LicenseId, plus: bool) -> String {
    if let Some(replacement) = deprecated_replacement(id, plus) {
        return replacement;
    }
    if plus && id.is_gnu() {
        let base = id.name.trim_end_matches("-only");
        if let Some(l) = spdx::gnu_license_id(base, true) {
            return l.name.to_owned();
        }
    }
    format!("{}{}", id.name, if plus { "+" } else { "" })
}

/// The closest license id to an unknown `word`, and whether it is the only
/// plausible intent.
fn suggest_license(word: &str, plus: bool) -> Option<(String, bool)> {
    static LOOSE_KEYS: OnceLock<Vec<(LicenseId, String)>> = OnceLock::new();
    let listed = || {
        spdx::identifiers::LICENSES.iter().filter(|l| !l.name.ends_with('+')).filter_map(|l| spdx::license_id(l.name))
    };
    let keys = LOOSE_KEYS.get_or_init(|| listed().map(|l| (l, loose_key(l.name))).collect());

    let key = loose_key(word);
    let mut same_key: Vec<String> =
        keys.iter().filter(|(_, k)| *k == key).map(|(l, _)| preferred_text(*l, plus)).collect();
    same_key.sort();
    same_key.dedup();
    if let Some(first) = same_key.first() {
        return Some((first.clone(), same_key.len() == 1));
    }

    if let Some((id, len)) = spdx::imprecise_license_id(word) {
        if len == word.len() {
            // A bare family name (`gpl`, `bsd`) leaves the version open, so
            // only a name carrying a version is a clear repair.
            return Some((preferred_text(id, plus), word.chars().any(|c| c.is_ascii_digit())));
        }
    }

    crate::suggest::nearest(word, listed().map(|l| (l.name, preferred_text(l, plus))))
}

fn suggest_exception(word: &str) -> Option<(String, bool)> {
    let key = loose_key(word);
    let listed = || spdx::identifiers::EXCEPTIONS.iter().filter_map(|e| spdx::exception_id(e.name));
    let same_key: Vec<&str> = listed().filter(|e| loose_key(e.name) == key).map(|e| e.name).collect();
    if let Some(first) = same_key.first() {
        return Some(((*first).to_owned(), same_key.len() == 1));
    }
    crate::suggest::nearest(word, listed().map(|e| (e.name, e.name.to_owned())))
}

// ---------------------------------------------------------------------------
// Canonical tree
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Leaf {
    /// Comparison key: the display form with user-defined reference parts
    /// lower-cased.
    key: String,
    display: String,
}

#[derive(Debug, Clone)]
enum Node {
    Leaf(Leaf),
    And(Vec<Node>),
    Or(Vec<Node>),
}

impl Node {
    fn rank(&self) -> u8 {
        match self {
            Node::Leaf(_) => 0,
            Node::And(_) => 1,
            Node::Or(_) => 2,
        }
    }

    /// Joins two operands, appending to the larger operand of the same kind
    /// so that a long `A OR B OR …` chain is built in linear time. Order is
    /// irrelevant here: [`Node::normalized`] sorts afterwards.
    fn join(is_and: bool, left: Node, right: Node) -> Node {
        match (is_and, left, right) {
            (true, Node::And(mut a), Node::And(mut b)) | (false, Node::Or(mut a), Node::Or(mut b)) => {
                if a.len() < b.len() {
                    std::mem::swap(&mut a, &mut b);
                }
                a.extend(b);
                if is_and {
                    Node::And(a)
                } else {
                    Node::Or(a)
                }
            }
            (true, Node::And(mut kids), other) | (true, other, Node::And(mut kids)) => {
                kids.push(other);
                Node::And(kids)
            }
            (false, Node::Or(mut kids), other) | (false, other, Node::Or(mut kids)) => {
                kids.push(other);
                Node::Or(kids)
            }
            (true, l, r) => Node::And(vec![l, r]),
            (false, l, r) => Node::Or(vec![l, r]),
        }
    }

    /// This tree in normal form, bottom-up.
    fn normalized(self) -> Node {
        match self {
            Node::Leaf(_) => self,
            Node::And(kids) => Node::junction(true, kids.into_iter().map(Node::normalized).collect()),
            Node::Or(kids) => Node::junction(false, kids.into_iter().map(Node::normalized).collect()),
        }
    }

    /// Builds a junction in normal form: nested junctions of the same kind
    /// are flattened, operands sorted and deduplicated, and a junction of a
    /// single operand collapses to that operand.
    fn junction(is_and: bool, operands: Vec<Node>) -> Node {
        let mut flat = Vec::with_capacity(operands.len());
        for operand in operands {
            match operand {
                Node::And(kids) if is_and => flat.extend(kids),
                Node::Or(kids) if !is_and => flat.extend(kids),
                other => flat.push(other),
            }
        }
        flat.sort();
        flat.dedup();
        if flat.len() == 1 {
            if let Some(only) = flat.pop() {
                return only;
            }
        }
        if is_and {
            Node::And(flat)
        } else {
            Node::Or(flat)
        }
    }

    fn render(&self, keys: bool) -> String {
        match self {
            Node::Leaf(leaf) => {
                if keys {
                    leaf.key.clone()
                } else {
                    leaf.display.clone()
                }
            }
            Node::And(kids) | Node::Or(kids) => {
                let sep = if matches!(self, Node::And(_)) { " AND " } else { " OR " };
                kids.iter()
                    .map(|k| match k {
                        Node::Leaf(_) => k.render(keys),
                        _ => format!("({})", k.render(keys)),
                    })
                    .collect::<Vec<_>>()
                    .join(sep)
            }
        }
    }
}

impl Ord for Node {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Node::Leaf(a), Node::Leaf(b)) => a.key.cmp(&b.key),
            (Node::And(a), Node::And(b)) | (Node::Or(a), Node::Or(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for Node {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Node {}

fn build_tree(expr: &spdx::Expression) -> Option<Node> {
    let mut stack: Vec<Node> = Vec::new();
    for node in expr.iter() {
        match node {
            ExprNode::Req(req) => stack.push(Node::Leaf(leaf(&req.req))),
            ExprNode::Op(op) => {
                let right = stack.pop()?;
                let left = stack.pop()?;
                stack.push(Node::join(matches!(op, Operator::And), left, right));
            }
        }
    }
    let root = stack.pop()?;
    stack.is_empty().then(|| root.normalized())
}

fn leaf(req: &LicenseReq) -> Leaf {
    let addition = req.addition.as_ref().map(|a| match a {
        AdditionItem::Spdx(id) => (id.name.to_owned(), id.name.to_owned()),
        AdditionItem::Other(r) => {
            let display = r.to_string();
            (display.to_ascii_lowercase(), display)
        }
    });
    let (mut key, mut display, addition) = match &req.license {
        LicenseItem::Spdx { id, or_later } => {
            let replaced = deprecated_replacement(*id, *or_later).and_then(|r| {
                match r.split_once(" WITH ") {
                    // The replacement brings its own exception; keep the
                    // deprecated id when one was already written.
                    Some((lic, exc)) if addition.is_none() => {
                        Some((lic.to_owned(), Some((exc.to_owned(), exc.to_owned()))))
                    }
                    Some(_) => None,
                    None => Some((r, addition.clone())),
                }
            });
            let (text, addition) = replaced.unwrap_or_else(|| {
                let plus = if *or_later && !id.is_gnu() { "+" } else { "" };
                (format!("{}{plus}", id.name), addition)
            });
            (text.clone(), text, addition)
        }
        LicenseItem::Other(r) => {
            let display = r.to_string();
            (display.to_ascii_lowercase(), display, addition)
        }
    };
    if let Some((add_key, add_display)) = addition {
        key.push_str(" WITH ");
        key.push_str(&add_key);
        display.push_str(" WITH ");
        display.push_str(&add_display);
    }
    Leaf { key, display }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> LicenseExpr {
        match parse(s) {
            Ok(e) => e,
            Err(e) => panic!("`{s}` should parse: {e}"),
        }
    }

    fn err(s: &str) -> ExprError {
        match parse(s) {
            Ok(e) => panic!("`{s}` should not parse, got {}", e.canonical()),
            Err(e) => e,
        }
    }

    #[test]
    fn ids_compare_case_insensitively() {
        assert_eq!(p("agpl-3.0-only"), p("AGPL-3.0-only"));
        assert_eq!(p("mit"), p("MIT"));
        assert_eq!(p("apache-2.0 with llvm-exception").canonical(), "Apache-2.0 WITH LLVM-exception");
    }

    #[test]
    fn case_insensitive_lookup_is_unambiguous() {
        let names: Vec<String> = spdx::identifiers::LICENSES.iter().map(|l| l.name.to_ascii_lowercase()).collect();
        let mut dedup = names.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!(names.len(), dedup.len());
    }

    #[test]
    fn operators_upper_or_lower_case() {
        assert_eq!(p("MIT or Apache-2.0"), p("MIT OR Apache-2.0"));
        assert_eq!(p("MIT and Apache-2.0"), p("MIT AND Apache-2.0"));
        let e = err("MIT Or Apache-2.0");
        assert_eq!(e.range, 4..6);
        assert_eq!(e.suggestion.as_deref(), Some("OR"));
    }

    #[test]
    fn commutative_associative_and_parentheses() {
        assert_eq!(p("MIT OR Apache-2.0"), p("Apache-2.0 OR MIT"));
        assert_eq!(p("(MIT AND Zlib) AND ISC"), p("MIT AND (Zlib AND ISC)"));
        assert_eq!(p("((MIT))"), p("MIT"));
        assert_eq!(p("MIT OR MIT OR Zlib"), p("Zlib OR MIT"));
        assert_eq!(p("MIT AND MIT"), p("MIT"));
        assert_ne!(p("MIT AND Zlib"), p("MIT OR Zlib"));
        // Precedence: AND binds tighter than OR.
        assert_eq!(p("MIT OR Zlib AND ISC"), p("(ISC AND Zlib) OR MIT"));
        assert_ne!(p("MIT OR Zlib AND ISC"), p("(MIT OR Zlib) AND ISC"));
        assert_eq!(p("MIT OR Zlib AND ISC").canonical(), "MIT OR (ISC AND Zlib)");
    }

    #[test]
    fn dedup_that_collapses_a_junction_flattens_again() {
        assert_eq!(p("ISC OR ((MIT OR Zlib) AND (Zlib OR MIT))"), p("ISC OR MIT OR Zlib"));
    }

    #[test]
    fn only_is_not_or_later() {
        assert_ne!(p("GPL-2.0-only"), p("GPL-2.0-or-later"));
        assert_ne!(p("AGPL-3.0-only"), p("AGPL-3.0-or-later"));
        assert_ne!(p("Apache-2.0"), p("Apache-2.0+"));
    }

    #[test]
    fn deprecated_ids_equal_their_replacement() {
        assert_eq!(p("GPL-2.0+"), p("GPL-2.0-or-later"));
        assert_eq!(p("GPL-3.0"), p("GPL-3.0-only"));
        assert_eq!(p("AGPL-3.0"), p("AGPL-3.0-only"));
        assert_eq!(p("GPL-2.0-with-classpath-exception"), p("GPL-2.0-only WITH Classpath-exception-2.0"));
        assert_eq!(p("GPL-2.0+").canonical(), "GPL-2.0-or-later");
    }

    #[test]
    fn with_exceptions() {
        let e = p("GPL-2.0-or-later WITH Classpath-exception-2.0");
        assert_ne!(e, p("GPL-2.0-or-later"));
        assert_eq!(e, p("gpl-2.0-or-later with classpath-exception-2.0"));
        assert_eq!(
            p("MIT OR GPL-2.0-only WITH Bison-exception-2.2"),
            p("GPL-2.0-only WITH Bison-exception-2.2 OR MIT")
        );
        let bad = err("MIT WITH Apache-2.0");
        assert_eq!(bad.range, 9..19);
        assert!(bad.message.contains("is a license"), "{}", bad.message);
        let unknown = err("GPL-2.0-only WITH Classpath-exceptin-2.0");
        assert_eq!(unknown.suggestion.as_deref(), Some("Classpath-exception-2.0"));
    }

    #[test]
    fn license_refs() {
        assert_eq!(p("LicenseRef-Acme-Commercial"), p("LicenseRef-acme-commercial"));
        assert_ne!(p("LicenseRef-Acme"), p("LicenseRef-Other"));
        assert_eq!(p("DocumentRef-spdx-a:LicenseRef-b"), p("DocumentRef-SPDX-A:LicenseRef-B"));
        assert_ne!(p("DocumentRef-a:LicenseRef-b"), p("LicenseRef-b"));
        assert_eq!(p("AGPL-3.0-only OR LicenseRef-Acme").canonical(), "AGPL-3.0-only OR LicenseRef-Acme");
        let e = err("licenseref-Acme");
        assert_eq!(e.suggestion.as_deref(), Some("LicenseRef-Acme"));
        assert_eq!(normalized_text("licenseref-Acme").as_deref(), Some("LicenseRef-Acme"));
        assert!(parse("LicenseRef-").is_err());
        assert!(parse("LicenseRef-a_b").is_err());
        assert_eq!(p("MIT WITH AdditionRef-x"), p("MIT WITH AdditionRef-X"));
    }

    #[test]
    fn unknown_id_suggestions() {
        let e = err("Apache2.0");
        assert_eq!(e.range, 0..9);
        assert_eq!(e.suggestion.as_deref(), Some("Apache-2.0"));
        assert_eq!(err("AGPL3").suggestion.as_deref(), Some("AGPL-3.0-only"));
        assert_eq!(err("GPLv2").suggestion.as_deref(), Some("GPL-2.0-only"));
        assert_eq!(err("bsd3").suggestion.as_deref(), Some("BSD-3-Clause"));
        assert_eq!(err("MTI").suggestion.as_deref(), Some("MIT"));
        assert_eq!(err("AGPL-3.0-onyl").suggestion.as_deref(), Some("AGPL-3.0-only"));
        let e = err("MIT OR Apache2");
        assert_eq!(e.range, 7..14);
        assert_eq!(e.suggestion.as_deref(), Some("Apache-2.0"));
        assert_eq!(err("Frobnicator-License").suggestion, None);
        // The `+` turns a GNU guess into its or-later id, and is covered by the repair.
        assert_eq!(normalized_text("GPL2+").as_deref(), Some("GPL-2.0-or-later"));
    }

    #[test]
    fn structural_errors_point_at_the_token() {
        let e = err("MIT OR");
        assert_eq!(e.range, 6..6);
        let e = err("(MIT");
        assert_eq!(e.range, 0..1);
        let e = err("MIT ISC");
        assert_eq!(e.range, 4..7);
        let e = err("MIT/ISC");
        assert_eq!(e.range, 3..4);
        assert_eq!(e.suggestion.as_deref(), Some("OR"));
        assert!(parse("").is_err());
        assert!(parse("   ").is_err());
        let e = err("MIT OR é");
        assert_eq!(e.range, 7..9);
        // spdx points at the whitespace that separates the `+`.
        assert_eq!(err("Apache-2.0 +").range, 10..11);
    }

    #[test]
    fn deprecated_detection() {
        let e = p("MIT OR GPL-2.0+ AND agpl-3.0");
        assert_eq!(
            e.deprecated(),
            vec![
                Deprecated { id: "GPL-2.0+".into(), replacement: Some("GPL-2.0-or-later".into()), range: 7..15 },
                Deprecated { id: "AGPL-3.0".into(), replacement: Some("AGPL-3.0-only".into()), range: 20..28 },
            ]
        );
        assert!(p("GPL-3.0-only").deprecated().is_empty());
    }

    #[test]
    fn deprecated_replacements_are_derived() {
        let r = |s: &str, plus: bool| spdx::license_id(s).and_then(|id| deprecated_replacement(id, plus));
        assert_eq!(r("GPL-3.0", false).as_deref(), Some("GPL-3.0-only"));
        assert_eq!(r("LGPL-2.1", false).as_deref(), Some("LGPL-2.1-only"));
        assert_eq!(r("LGPL-2.1", true).as_deref(), Some("LGPL-2.1-or-later"));
        assert_eq!(r("GFDL-1.3", false).as_deref(), Some("GFDL-1.3-only"));
        assert_eq!(r("AGPL-1.0", false).as_deref(), Some("AGPL-1.0-only"));
        assert_eq!(r("GPL-3.0-with-GCC-exception", false).as_deref(), Some("GPL-3.0-only WITH GCC-exception-3.1"));
        assert_eq!(r("GPL-2.0-with-bison-exception", false).as_deref(), Some("GPL-2.0-only WITH Bison-exception-2.2"));
        assert_eq!(r("BSD-2-Clause-FreeBSD", false).as_deref(), Some("BSD-2-Clause"));
        assert_eq!(r("Nunit", false), None);
        assert_eq!(r("MIT", false), None);
        // Every derived replacement is itself a valid, non-deprecated expression.
        for lic in spdx::identifiers::LICENSES {
            let Some(id) = spdx::license_id(lic.name) else {
                continue;
            };
            for plus in [false, true] {
                if let Some(rep) = deprecated_replacement(id, plus) {
                    let parsed = p(&rep);
                    assert!(parsed.deprecated().is_empty(), "{} -> {rep}", lic.name);
                }
            }
        }
    }

    #[test]
    fn normalized_text_repairs() {
        assert_eq!(normalized_text("agpl-3.0-only").as_deref(), Some("AGPL-3.0-only"));
        assert_eq!(normalized_text("mit").as_deref(), Some("MIT"));
        assert_eq!(normalized_text("mit or apache-2.0").as_deref(), Some("MIT OR Apache-2.0"));
        assert_eq!(normalized_text("GPL-2.0+").as_deref(), Some("GPL-2.0-or-later"));
        assert_eq!(normalized_text("AGPL-3.0").as_deref(), Some("AGPL-3.0-only"));
        assert_eq!(normalized_text("LGPL-2.1 OR MIT").as_deref(), Some("LGPL-2.1-only OR MIT"));
        assert_eq!(normalized_text("Apache2.0").as_deref(), Some("Apache-2.0"));
        assert_eq!(
            normalized_text("GPL-2.0-with-classpath-exception").as_deref(),
            Some("GPL-2.0-only WITH Classpath-exception-2.0")
        );
        // Whitespace and parentheses are kept as written.
        assert_eq!(normalized_text("( mit  AND isc )").as_deref(), Some("( MIT  AND ISC )"));
    }

    #[test]
    fn normalized_text_declines() {
        assert_eq!(normalized_text("MIT"), None);
        assert_eq!(normalized_text("AGPL-3.0-only OR LicenseRef-acme"), None);
        // No single obvious repair.
        assert_eq!(normalized_text("gpl"), None);
        assert_eq!(normalized_text("MTI"), None);
        assert_eq!(normalized_text("Frobnicator"), None);
        assert_eq!(normalized_text("MIT OR"), None);
        assert_eq!(normalized_text("mit OR"), None);
        // A deprecated id without a derivable successor is left alone.
        assert_eq!(normalized_text("Nunit"), None);
        // The replacement's exception would clash with the written one.
        assert_eq!(normalized_text("GPL-2.0-with-classpath-exception WITH LLVM-exception"), None);
    }

    #[test]
    fn normalized_text_is_a_fixed_point() {
        for s in ["agpl-3.0-only", "GPL-2.0+", "mit or Apache2.0", "gpl-3.0 WITH gcc-exception-3.1"] {
            let once = normalized_text(s).unwrap_or_else(|| s.to_owned());
            assert_eq!(normalized_text(&once), None, "{s} -> {once}");
            // What it normalises to is a valid expression with no deprecated id.
            assert!(p(&once).deprecated().is_empty(), "{s} -> {once}");
        }
    }

    #[test]
    fn matches_any() {
        let accepted = [p("AGPL-3.0-only"), p("LicenseRef-Acme-Enterprise")];
        assert!(p("agpl-3.0").matches_any(&accepted));
        assert!(p("LicenseRef-Acme-Enterprise").matches_any(&accepted));
        assert!(!p("AGPL-3.0-or-later").matches_any(&accepted));
        assert!(!p("AGPL-3.0-only OR MIT").matches_any(&accepted));
        assert!(!p("MIT").matches_any(&[]));
    }

    #[test]
    fn hash_agrees_with_eq() {
        use std::collections::HashSet;
        let set: HashSet<LicenseExpr> =
            ["MIT OR ISC", "isc or mit", "(ISC) OR MIT OR ISC"].iter().map(|s| p(s)).collect();
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn hostile_input_stays_cheap_and_bounded() {
        let deep = format!("{}MIT{}", "(".repeat(100), ")".repeat(100));
        assert!(err(&deep).message.contains("nested"));
        let nested_ok = format!("{}MIT{}", "(".repeat(64), ")".repeat(64));
        assert_eq!(p(&nested_ok), p("MIT"));
        let long_chain = vec!["MIT"; 20_000].join(" OR ");
        assert_eq!(p(&long_chain).canonical(), "MIT");
        let alternating: Vec<&str> = (0..2_000).map(|i| if i % 2 == 0 { "MIT" } else { "ISC" }).collect();
        assert_eq!(p(&alternating.join(" AND ")), p("ISC AND MIT"));
        let unknown = vec!["Frobnicate"; 5_000].join(" OR ");
        assert_eq!(err(&unknown).range, 0..10);
        assert_eq!(normalized_text(&unknown), None);
        assert_eq!(normalized_text(&vec!["Apache2.0"; 50].join(" OR ")), None, "beyond the suggestion budget");
    }

    #[test]
    fn more_suggestions() {
        assert_eq!(normalized_text("AGPL3").as_deref(), Some("AGPL-3.0-only"));
        assert_eq!(normalized_text("LGPL2.1+").as_deref(), Some("LGPL-2.1-or-later"));
        assert_eq!(err("AGPL-3.0-or-greater").suggestion, None);
    }

    #[test]
    fn only_plus_is_contradictory() {
        let e = err("GPL-2.0-only+");
        assert_eq!(e.range, 0..12);
        assert_eq!(e.suggestion.as_deref(), Some("GPL-2.0-or-later"));
    }

    proptest::proptest! {
        #[test]
        fn parse_and_normalize_never_panic(s in "\\PC{0,40}") {
            let _ = parse(&s);
            let _ = normalized_text(&s);
        }

        #[test]
        fn error_ranges_are_in_bounds(s in "[a-zA-Z0-9 ().+:/-]{0,30}") {
            if let Err(e) = parse(&s) {
                proptest::prop_assert!(e.range.start <= e.range.end && e.range.end <= s.len());
                proptest::prop_assert!(s.get(e.range.clone()).is_some());
            }
            if let Some(n) = normalized_text(&s) {
                proptest::prop_assert!(parse(&n).is_ok());
                proptest::prop_assert_eq!(normalized_text(&n), None);
            }
        }
    }
}
