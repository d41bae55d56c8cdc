#![deny(unused_doc_comments)]

use corefence_macros::edition;
use std::fmt;

struct Server {
    name: &'static str,
}

/// Enterprise operations on a server.
#[edition(enterprise)]
impl Server {
    fn audit_log(&self) -> String {
        format!("audit log of {}", self.name)
    }
}

#[edition(enterprise)]
impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

#[edition(enterprise)]
impl<T: Into<String>> From<(T,)> for Server {
    fn from(_: (T,)) -> Self {
        Server { name: "converted" }
    }
}

fn main() {
    let server = Server { name: "eu-1" };
    assert_eq!(server.audit_log(), "audit log of eu-1");
    assert_eq!(server.to_string(), "eu-1");
    assert_eq!(Server::from(("x",)).name, "converted");
}
