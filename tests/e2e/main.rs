//! End-to-end tests: the command line on the fixture workspaces in
//! `fixtures/`, with snapshots of every output format.

mod boundary;
mod cli_cases;
mod config_errors;
mod docs;
mod formats;
mod sarif_validator;
mod support;
