#![deny(unused_doc_comments)]

use corefence_macros::edition;

/// Raw license word, read either way.
#[edition(enterprise)]
#[repr(C)]
pub union LicenseWord {
    pub bits: u32,
    pub bytes: [u8; 4],
}

fn main() {
    let word = LicenseWord { bits: 0 };
    assert_eq!(unsafe { word.bytes }, [0; 4]);
}
