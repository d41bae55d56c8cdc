#![deny(unused_doc_comments)]

use corefence_macros::edition;

/// How a tenant is billed.
#[edition(enterprise)]
#[derive(Debug, PartialEq)]
pub enum Billing {
    /// Per seat and month.
    Seats(u32),
    Flat,
}

fn main() {
    assert_ne!(Billing::Seats(3), Billing::Flat);
}
