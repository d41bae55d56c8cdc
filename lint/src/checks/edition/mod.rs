//! `edition/*`: `#[edition(..)]` tags and crate metadata naming editions.

pub mod invalid;
pub mod unknown;
