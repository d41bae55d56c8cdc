//! SPDX license headers: expressions, comment styles, header and snippet
//! detection, REUSE interoperability, and lossless repair.
//!
//! - [`expr`]: parses SPDX expressions, compares them by meaning, diagnoses
//!   unknown and deprecated ids, and computes the one obvious repair.
//! - [`comment`]: the comment syntax of a file, chosen by its name.
//! - [`lexer`]: finds comments without being fooled by string literals.
//! - [`header`]: the leading-comment header of a file and its tags.
//! - [`snippet`]: `SPDX-SnippetBegin`/`SPDX-SnippetEnd` regions.
//! - [`reuse`]: `.license` sidecars and `REUSE.toml` annotations.
//! - [`tag`]: an SPDX tag as written.
//! - [`fix`]: header insertion and repair that keeps every other byte.
//!
//! Everything here takes untrusted bytes and never panics on them; the
//! work done is linear in the input, apart from small bounded extras
//! (id suggestions, expression nesting).
#![warn(missing_docs)]

pub mod comment;
pub mod expr;
pub mod fix;
pub mod header;
pub mod lexer;
pub mod reuse;
pub mod snippet;
pub mod tag;
