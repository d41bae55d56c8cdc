//! `#[edition(..)]` tags Rust code with the open-core edition it belongs to.
//!
//! ```
//! use corefence_macros::edition;
//!
//! /// Where the company's identity provider lives.
//! #[edition(enterprise)]
//! pub struct SsoConfig {
//!     pub issuer: String,
//! }
//!
//! /// Signs a user in through the company's identity provider.
//! #[edition(enterprise)]
//! pub fn single_sign_on(config: &SsoConfig) -> String {
//!     format!("session from {}", config.issuer)
//! }
//!
//! # fn main() {
//! let config = SsoConfig { issuer: "id.example.com".into() };
//! assert_eq!(single_sign_on(&config), "session from id.example.com");
//! # }
//! ```
//!
//! The attribute changes nothing about the item. It adds one paragraph to
//! the item's rustdoc, after its own docs:
//!
//! > Available in the **enterprise** edition.
//!
//! The boundary itself is kept by the `corefence` linter: it reads these
//! attributes and fails when community code uses enterprise code. The linter
//! also checks that the edition name is one the project's `corefence.toml`
//! declares; the macro accepts any identifier, so a typo in the name is
//! reported by the linter, not by the compiler. A raw identifier names the
//! edition without its prefix: `#[edition(r#type)]` is the edition `type`.
//!
//! # Feature gate
//!
//! `feature = "F"` also compiles the item only when the Cargo feature `F` is
//! on, by adding `#[cfg(feature = "F")]`:
//!
//! ```
//! # use corefence_macros::edition;
//! # pub struct Server;
//! # pub struct AuditLog;
//! #[edition(enterprise, feature = "enterprise")]
//! impl Server {
//!     pub fn audit_log(&self) -> AuditLog {
//!         AuditLog
//!     }
//! }
//! # fn main() {}
//! ```
//!
//! Without the feature the item is not compiled at all, so a community
//! build that uses it fails to compile (this example has no `enterprise`
//! feature):
//!
//! ```compile_fail,E0425
//! # use corefence_macros::edition;
//! #[edition(enterprise, feature = "enterprise")]
//! pub fn audit_log() {}
//!
//! # fn main() {
//! audit_log(); // error[E0425]: cannot find function `audit_log`
//! # }
//! ```
//!
//! Declare the feature in the crate's `[features]` table, as for any
//! `cfg(feature = "..")`. The gate is a convenience for the compiler; the
//! edition boundary is still the linter's to check.
//!
//! # Malformed arguments
//!
//! The forms are `#[edition(NAME)]` and `#[edition(NAME, feature = "F")]`.
//! Anything else is a compile error at the offending argument; the item is
//! still compiled, without a gate, so the error is not followed by a flood
//! of "cannot find" errors where the item is used.
//!
//! ```compile_fail
//! use corefence_macros::edition;
//!
//! #[edition("enterprise")] // the name is an identifier, not a string
//! pub fn single_sign_on() {}
//! # fn main() {}
//! ```

mod args;
mod expand;

use proc_macro::TokenStream;

/// Tags an item with its edition: `#[edition(enterprise)]`, or
/// `#[edition(enterprise, feature = "enterprise")]` to also compile the item
/// only with that Cargo feature. See the [crate documentation](crate).
#[proc_macro_attribute]
pub fn edition(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(args.into(), item.into()).into()
}
