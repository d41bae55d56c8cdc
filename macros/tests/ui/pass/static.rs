#![deny(unused_doc_comments)]

use corefence_macros::edition;
use std::sync::atomic::{AtomicU32, Ordering};

/// Name shown in the enterprise console.
#[edition(enterprise)]
pub static CONSOLE_NAME: &str = "Console";

#[edition(enterprise)]
static SESSIONS: AtomicU32 = AtomicU32::new(0);

fn main() {
    assert_eq!(CONSOLE_NAME, "Console");
    SESSIONS.fetch_add(1, Ordering::Relaxed);
    assert_eq!(SESSIONS.load(Ordering::Relaxed), 1);
}
