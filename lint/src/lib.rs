//! corefence keeps an open-core Rust codebase honest: community code never
//! imports, re-exports or depends on enterprise code, and every file carries
//! the SPDX license of its edition.
//!
//! ```no_run
//! let outcome = corefence::engine::run(&corefence::engine::Options {
//!     start: std::path::PathBuf::from("fixtures/demo"),
//!     ..Default::default()
//! })
//! .expect("valid configuration");
//! for d in &outcome.diagnostics {
//!     println!("{}", corefence::report::short::line(d));
//! }
//! ```
//!
//! The pipeline runs one way: the engine discovers crates and files, reads,
//! scans and parses each once, indexes the workspace's modules, runs the
//! [`checks`] (one file per diagnostic code) and returns [`diagnostic`]s,
//! which [`report`] renders. [`cli`] wires the command line to it. The
//! modules that are public are those the command line, the tests and the
//! fuzz targets use; the rest are the crate's own.

// The documentation is for maintainers, built with
// `--document-private-items`: it links to the crate's own modules.
#![allow(rustdoc::private_intra_doc_links)]

pub(crate) mod atomic;
pub(crate) mod baseline;
pub(crate) mod cache;
pub mod checks;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub(crate) mod edition;
pub mod engine;
pub(crate) mod export;
pub(crate) mod git;
pub mod hook;
pub(crate) mod index;
pub(crate) mod inventory;
pub mod license;
pub(crate) mod lsp;
pub mod parse;
pub(crate) mod prefilter;
pub mod report;
pub(crate) mod suggest;
pub(crate) mod suppress;
pub(crate) mod workspace;

#[cfg(test)]
mod testing;
