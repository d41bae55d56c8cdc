//! End-to-end tests: the command line on the fixture workspaces in
//! `fixtures/`, with snapshots of every output format.

mod cli_cases;
mod config_errors;
mod docs;
mod fix;
mod formats;
mod git_hook;
mod headers;
mod inventory;
mod macro_parity;
mod pre_commit;
mod reuse_differential;
mod sarif_validator;
mod support;
