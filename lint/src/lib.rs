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
//! The pipeline runs one way: [`workspace`] discovers crates and files,
//! [`config`] and [`edition`] say which edition each belongs to, [`checks`]
//! return [`diagnostic`]s, and [`report`] renders them. [`cli`] wires the
//! command line to it.

pub mod atomic;
pub mod baseline;
pub mod cache;
pub mod checks;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod edition;
pub mod engine;
pub mod export;
pub mod git;
pub mod hook;
pub mod index;
pub mod inventory;
pub mod license;
pub mod parse;
pub mod prefilter;
pub mod report;
pub mod suggest;
pub mod suppress;
pub mod workspace;

#[cfg(test)]
mod testing;
