//! `license/*`: SPDX headers, snippets, Cargo.toml licenses and license texts.

pub mod conflict;
pub mod deprecated;
pub mod invalid;
pub mod manifest;
pub mod mismatch;
pub mod missing;
pub mod snippet;
pub mod text;
