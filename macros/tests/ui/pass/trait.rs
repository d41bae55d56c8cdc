#![deny(unused_doc_comments)]

use corefence_macros::edition;

/// Something that can be audited.
#[edition(enterprise)]
pub trait Audited {
    fn audit_trail(&self) -> Vec<String>;
}

#[edition(enterprise)]
unsafe trait RawAudited {}

struct Server;

impl Audited for Server {
    fn audit_trail(&self) -> Vec<String> {
        vec!["started".into()]
    }
}

unsafe impl RawAudited for Server {}

fn assert_raw<T: RawAudited>(_: &T) {}

fn main() {
    assert_eq!(Server.audit_trail(), ["started"]);
    assert_raw(&Server);
}
