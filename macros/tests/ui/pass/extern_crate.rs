#![deny(unused_doc_comments)]

use corefence_macros::edition;

#[edition(enterprise)]
extern crate alloc;

/// Renamed on the way in.
#[edition(enterprise)]
extern crate std as standard;

fn main() {
    let names: alloc::vec::Vec<&str> = alloc::vec!["ada"];
    assert_eq!(standard::mem::size_of::<u32>(), 4);
    assert_eq!(names.len(), 1);
}
