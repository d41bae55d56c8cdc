#![deny(unused_doc_comments)]

use corefence_macros::edition;

mod vendor {
    pub fn audit() -> u8 {
        1
    }
    pub fn export() -> u8 {
        2
    }
    pub mod nested {
        pub const LEVEL: u8 = 3;
    }
}

/// Re-exported for enterprise callers.
#[edition(enterprise)]
pub use vendor::audit;

#[edition(enterprise)]
use vendor::{export as export_all, nested::*};

fn main() {
    assert_eq!(audit() + export_all() + LEVEL, 6);
}
