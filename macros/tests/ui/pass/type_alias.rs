#![deny(unused_doc_comments)]

use corefence_macros::edition;
use std::collections::HashMap;

/// Seats per tenant.
#[edition(enterprise)]
pub type SeatMap = HashMap<String, u32>;

#[edition(enterprise)]
type Pair<T> = (T, T);

fn main() {
    let mut seats = SeatMap::new();
    seats.insert("acme".into(), 3);
    let pair: Pair<u8> = (1, 2);
    assert_eq!(seats["acme"], 3);
    assert_eq!(pair, (1, 2));
}
