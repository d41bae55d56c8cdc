#![deny(unused_doc_comments)]

use corefence_macros::edition;

/// Single sign-on.
#[edition(enterprise)]
pub mod sso {
    //! Inner docs stay first.
    #![allow(clippy::all)]

    pub fn provider() -> &'static str {
        "saml"
    }
}

#[edition(enterprise)]
mod empty {}

fn main() {
    assert_eq!(sso::provider(), "saml");
}
