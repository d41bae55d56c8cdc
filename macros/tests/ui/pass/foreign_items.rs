#![deny(unused_doc_comments)]

use corefence_macros::edition;

extern "C" {
    /// The C library's absolute value.
    #[edition(enterprise)]
    fn abs(value: i32) -> i32;
}

fn main() {
    assert_eq!(unsafe { abs(-3) }, 3);
}
