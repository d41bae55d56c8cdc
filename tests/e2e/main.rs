//! End-to-end tests: the command line on the fixture workspaces in
//! `fixtures/`, with snapshots of every output format.

// Test code fails by panicking; the no-panic lints are for the product.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod boundary;
mod bypass;
mod cache;
mod cli_cases;
mod completions;
mod config_errors;
mod differential;
mod docs;
mod export;
mod fix;
mod formats;
mod git_hook;
mod headers;
mod hostile;
mod hostile_output;
mod init;
mod install;
mod inventory;
mod layout;
mod lsp;
mod macro_parity;
mod pre_commit;
mod prefilter;
mod pull_request;
mod real_workspace;
mod replay;
mod reuse_differential;
mod sarif_validator;
mod staged;
mod support;
mod terminal;
mod trust;
