//! An SPDX tag as written in a file: `SPDX-License-Identifier`,
//! `SPDX-FileCopyrightText` and the like, found by [`super::header`], in
//! snippets ([`super::snippet`]) and in REUSE files ([`super::reuse`]).

use std::ops::Range;

/// A tag's value found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseTag {
    /// The value, trimmed; decoded lossily if the file is not UTF-8.
    pub text: String,
    /// Byte range of the value in the file. For an empty value, an empty
    /// range right after the tag.
    pub range: Range<usize>,
    /// 1-based line number.
    pub line: usize,
}
