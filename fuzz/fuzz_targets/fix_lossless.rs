//! The fixer on arbitrary files: never panics, is idempotent, and an
//! insertion changes nothing but the inserted header lines.
#![no_main]

use corefence::license::comment::CommentStyle;
use corefence::license::fix::{fix, ChangeKind, FixRequest};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let want = FixRequest { license: "AGPL-3.0-only".to_owned(), relicense: data.first().is_some_and(|b| b & 1 == 1) };
    let once = fix(data, CommentStyle::Rust, &want);
    let Some(fixed) = once.new_bytes else { return };
    let twice = fix(&fixed, CommentStyle::Rust, &want);
    assert!(twice.new_bytes.is_none(), "fix is not idempotent");
    if once.changes.iter().all(|c| c.kind == ChangeKind::Inserted) {
        // Every original byte survives, in order.
        let mut rest = data.iter();
        let mut pending = rest.next();
        for b in &fixed {
            if pending == Some(b) {
                pending = rest.next();
            }
        }
        assert!(pending.is_none(), "an insertion lost original bytes");
    }
});
