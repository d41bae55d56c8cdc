//! The checks, one file each, named after what they flag. Each returns
//! diagnostics and prints nothing; the [`crate::engine`] runs them.

pub mod unmatched_config;
