#![deny(unused_doc_comments)]

use corefence_macros::edition;

/// Builds an enterprise session.
#[edition(enterprise)]
macro_rules! session {
    ($user:expr) => {
        format!("session for {}", $user)
    };
}

fn main() {
    assert_eq!(session!("ada"), "session for ada");
}
