//! `parse/*`: Rust files syn cannot read.

pub mod syntax;
