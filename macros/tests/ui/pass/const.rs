#![deny(unused_doc_comments)]

use corefence_macros::edition;

/// Seats included in the enterprise plan.
#[edition(enterprise)]
pub const INCLUDED_SEATS: u32 = 50;

#[edition(enterprise)]
const _: () = assert!(INCLUDED_SEATS > 0);

fn main() {
    assert_eq!(INCLUDED_SEATS, 50);
}
