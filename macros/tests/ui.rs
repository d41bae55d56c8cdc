//! Compile-time behaviour of `#[edition(..)]` as users see it.
//!
//! `pass/` holds one file per group of item kinds the attribute can sit on;
//! each must compile and run. `fail/` holds one file per malformed argument
//! list, with the exact diagnostic in its `.stderr`.
//!
//! The `.stderr` files must not change with the compiler version, so each
//! fail case is the smallest program around the attribute: the tagged item
//! is still emitted beside the `compile_error!` and is used, so the macro's
//! own message is the only diagnostic rustc prints. Keep new cases that way;
//! rustc's own wording (notes, suggestions, lint texts) is what drifts. The
//! one rustc line left is the "this error originates in the attribute macro"
//! note under `#[edition]` and `#[edition()]`: with no argument to point at,
//! the error sits on the attribute itself, which rustc marks as a macro span.
//!
//! The feature gate is proven by `pass/feature_gate.rs` (a fallback of the
//! same name would clash if the gated item were compiled), not by a fail case
//! on the missing item: rustc's "cannot find" error carries notes about
//! configured-out items whose wording changes between releases. The crate
//! docs hold the matching `compile_fail,E0425` doctest, which checks only the
//! stable error code.
//! Regenerate with `TRYBUILD=overwrite cargo test -p corefence-macros --test ui`
//! and review the diff by eye.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
