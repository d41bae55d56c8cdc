#![deny(unused_doc_comments)]
// `feature = "ee"` is not a feature of this test crate: the cfg_attr form
// below must simply be inert without it.
#![allow(unexpected_cfgs)]

use corefence_macros::edition as tier;

#[tier(enterprise)]
fn renamed() -> u8 {
    1
}

#[corefence_macros::edition(enterprise)]
fn by_path() -> u8 {
    2
}

#[cfg_attr(feature = "ee", corefence_macros::edition(enterprise))]
fn conditional() -> u8 {
    3
}

#[tier(r#type)]
fn raw_name() -> u8 {
    4
}

// rustfmt would drop the trailing commas this case is about.
#[rustfmt::skip]
#[tier(enterprise,)]
fn trailing_comma() -> u8 {
    5
}

#[rustfmt::skip]
#[tier(enterprise, feature = r"ee",)]
fn raw_feature() -> u8 {
    6
}

#[cfg(not(feature = "ee"))]
fn raw_feature() -> u8 {
    0
}

fn main() {
    let sum = renamed() + by_path() + conditional() + raw_name() + trailing_comma();
    assert_eq!(sum, 15);
    assert_eq!(raw_feature(), 0);
}
