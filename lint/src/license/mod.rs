//! SPDX license headers: expressions, comment styles, header and snippet
//! detection, and lossless repair.
#![warn(missing_docs)]

pub mod comment;
pub mod expr;
pub mod fix;
pub mod header;
pub mod lexer;
pub mod reuse;
pub mod snippet;
