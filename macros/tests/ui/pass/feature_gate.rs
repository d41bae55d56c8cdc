// Proves the gate: this crate has no `enterprise` feature, so the tagged
// `audit_log` must not be compiled. If it were, it would clash with the
// community fallback of the same name (E0428) and this case would not build.
#![allow(unexpected_cfgs)]

use corefence_macros::edition;

/// The full audit log.
#[edition(enterprise, feature = "enterprise")]
fn audit_log() -> &'static str {
    "every event"
}

/// The community edition keeps no audit log.
#[cfg(not(feature = "enterprise"))]
fn audit_log() -> &'static str {
    "none"
}

struct Server;

#[edition(enterprise, feature = "enterprise")]
impl Server {
    fn edition(&self) -> &'static str {
        "enterprise"
    }
}

#[cfg(not(feature = "enterprise"))]
impl Server {
    fn edition(&self) -> &'static str {
        "community"
    }
}

fn main() {
    assert_eq!(audit_log(), "none");
    assert_eq!(Server.edition(), "community");
}
