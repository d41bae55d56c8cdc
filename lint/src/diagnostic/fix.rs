//! Fixes as data: the check that finds a problem attaches the edits that
//! repair it, with how safe they are, to its diagnostic; `check --fix`
//! applies them (see `engine::fixer`). Nothing here reads or writes files.

use std::ops::Range;

/// Whether `--fix` may apply a fix.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Applicability {
    /// It keeps the code under the same license: `--fix` applies it.
    Safe,
    /// It changes the license code is under: only `--fix --relicense`
    /// applies it; `--fix` says why not.
    Relicense {
        /// Why it needs `--relicense`.
        why: String,
    },
    /// No edit is safe or obvious: `--fix` says why, and a human decides.
    Manual {
        /// Why.
        why: String,
    },
}

/// Replace the bytes of `range` with `content` (insert when it is empty).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Edit {
    /// Bytes of the file the check read.
    pub range: Range<usize>,
    /// The new text.
    pub content: String,
}

impl Edit {
    /// Inserts `content` at `at`.
    pub fn insert(at: usize, content: impl Into<String>) -> Self {
        Edit { range: at..at, content: content.into() }
    }

    /// Replaces `range` with `content`.
    pub fn replace(range: Range<usize>, content: impl Into<String>) -> Self {
        Edit { range, content: content.into() }
    }
}

/// The repair of one finding.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fix {
    /// Whether `--fix` (or `--fix --relicense`) applies it.
    pub applicability: Applicability,
    /// What it changes, in the file the diagnostic is in; empty for a
    /// manual fix.
    pub edits: Vec<Edit>,
    /// What it does, as listed: ``inserted `SPDX-License-Identifier: MIT` ``.
    pub title: String,
    /// The 1-based line it concerns, in the repaired file.
    pub line: usize,
}

impl Fix {
    /// A fix `--fix` applies.
    pub fn safe(title: impl Into<String>, line: usize, edits: Vec<Edit>) -> Self {
        Fix { applicability: Applicability::Safe, edits, title: title.into(), line }
    }

    /// A fix that changes a license: applied only with `--fix --relicense`.
    pub fn relicense(title: impl Into<String>, why: impl Into<String>, line: usize, edits: Vec<Edit>) -> Self {
        Fix { applicability: Applicability::Relicense { why: why.into() }, edits, title: title.into(), line }
    }

    /// No fix: `--fix` lists `why` at `line`.
    pub fn manual(why: impl Into<String>, line: usize) -> Self {
        Fix { applicability: Applicability::Manual { why: why.into() }, edits: Vec::new(), title: String::new(), line }
    }

    /// Whether `--fix` applies it, with `--relicense` when `relicense`.
    pub fn applies(&self, relicense: bool) -> bool {
        match self.applicability {
            Applicability::Safe => !self.edits.is_empty(),
            Applicability::Relicense { .. } => relicense && !self.edits.is_empty(),
            Applicability::Manual { .. } => false,
        }
    }

    /// Why `--fix` leaves it (with `--relicense` when `relicense`), when it does.
    pub fn refusal(&self, relicense: bool) -> Option<String> {
        match &self.applicability {
            Applicability::Safe => None,
            Applicability::Relicense { .. } if relicense => None,
            Applicability::Relicense { why } => Some(format!("{why} (`--fix --relicense`)")),
            Applicability::Manual { why } => Some(why.clone()),
        }
    }
}

/// `bytes` with `edits` made, in order of position. An edit that overlaps
/// one before it is left out (its finding is still there on the next
/// check); `None` when no edit applies. Insertions at the same place keep
/// their order.
pub fn apply(bytes: &[u8], edits: &[&Edit]) -> (Vec<u8>, Vec<bool>) {
    let mut applied = vec![false; edits.len()];
    let mut out = Vec::with_capacity(bytes.len() + edits.iter().map(|e| e.content.len()).sum::<usize>());
    let mut copied = 0;
    for i in applicable(edits, bytes.len()) {
        let Some(edit) = edits.get(i) else { continue };
        out.extend_from_slice(bytes.get(copied..edit.range.start).unwrap_or_default());
        out.extend_from_slice(edit.content.as_bytes());
        copied = edit.range.end.max(edit.range.start);
        if let Some(a) = applied.get_mut(i) {
            *a = true;
        }
    }
    out.extend_from_slice(bytes.get(copied..).unwrap_or_default());
    (out, applied)
}

/// The indices of the `edits` of a text of `len` bytes that apply together,
/// in position order: an edit overlapping one before it, or past the end,
/// is left out (a later round can make it).
pub fn applicable(edits: &[&Edit], len: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..edits.len()).collect();
    order.sort_by_key(|&i| edits.get(i).map(|e| (e.range.start, e.range.end)));
    let mut copied = 0;
    order.retain(|&i| {
        let Some(edit) = edits.get(i) else { return false };
        let (start, end) = (edit.range.start, edit.range.end.max(edit.range.start));
        let fits = start >= copied && end <= len;
        if fits {
            copied = end;
        }
        fits
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_position_order_and_overlaps_are_left_out() {
        let a = Edit::replace(4..7, "Y");
        let b = Edit::insert(0, "// h\n");
        let overlapping = Edit::replace(5..6, "Z");
        let (out, applied) = apply(b"let x = 1;", &[&a, &b, &overlapping]);
        assert_eq!(String::from_utf8(out).unwrap(), "// h\nlet Y 1;");
        assert_eq!(applied, [true, true, false]);
    }

    #[test]
    fn insertions_at_one_place_keep_their_order() {
        let (out, _) = apply(b"ab", &[&Edit::insert(1, "1"), &Edit::insert(1, "2")]);
        assert_eq!(out, b"a12b");
    }

    #[test]
    fn relicensing_needs_its_flag_and_manual_fixes_never_apply() {
        let edit = || vec![Edit::insert(0, "x")];
        let relicense = Fix::relicense("relicensed", "it changes the license", 1, edit());
        assert!(!relicense.applies(false) && relicense.applies(true));
        assert_eq!(relicense.refusal(false).as_deref(), Some("it changes the license (`--fix --relicense`)"));
        assert!(Fix::safe("normalised", 1, edit()).applies(false));
        let manual = Fix::manual("resolve by hand", 3);
        assert!(!manual.applies(true));
        assert_eq!(manual.refusal(true).as_deref(), Some("resolve by hand"));
    }
}
