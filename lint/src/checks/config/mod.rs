//! `config/*` found by checking the workspace (the configuration's own
//! errors, `config/invalid`, are reported by [`crate::config`] as it loads).

pub mod unmatched;
