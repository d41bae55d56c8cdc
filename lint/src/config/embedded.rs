//! The configuration corefence uses when a workspace has no `corefence.toml`.
//!
//! It is written as TOML and goes through the same loader as a user's file, so
//! the defaults can never drift from what the loader accepts; `corefence init`
//! starts from the same values.

use super::{raw, validate, Config};

/// The embedded default, as TOML.
pub const DEFAULT_TOML: &str = r#"
default = "community"

[editions.community]
license = "AGPL-3.0-only"

[editions.enterprise]
license = "LicenseRef-Enterprise"
uses = ["community"]
features = ["enterprise"]

[[assign]]
crates = ["*-ee", "*_ee", "*-enterprise"]
edition = "enterprise"

[[assign]]
paths = ["ee/**", "**/ee/**", "enterprise/**", "**/enterprise/**"]
edition = "enterprise"
"#;

/// The embedded default configuration.
pub fn config() -> Config {
    let (raw, mut problems) = raw::parse(DEFAULT_TOML);
    let config = validate::validate(&raw.unwrap_or_default(), None, &mut problems);
    debug_assert!(problems.is_empty(), "embedded default is invalid: {problems:?}");
    config
}
