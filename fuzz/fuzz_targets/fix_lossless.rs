//! `check --fix` on an arbitrary file: never panics, is idempotent, and
//! when it only inserts (headers, snippet markers) every original byte
//! survives, in order. The file is checked in memory, as `--fix --dry-run`
//! would, so nothing is written.
#![no_main]

use std::collections::BTreeMap;

use corefence::engine::{run, FixMode, Options};
use libfuzzer_sys::fuzz_target;

const CONFIG: &str = "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n\
    [editions.enterprise]\nlicense = \"LicenseRef-E\"\nuses = [\"community\"]\n[headers]\ninclude = [\"**\"]\n";

/// The new content of `src/lib.rs` and the changes listed, if `--fix` changes it.
fn fixed(data: &[u8], relicense: bool) -> Option<(Vec<u8>, Vec<String>)> {
    let memory = BTreeMap::from([
        ("corefence.toml".to_owned(), CONFIG.as_bytes().to_vec()),
        ("src/lib.rs".to_owned(), data.to_vec()),
    ]);
    let options = Options {
        start: "/memory".into(),
        jobs: 1,
        fix: Some(FixMode { relicense, dry_run: true }),
        memory: Some(memory),
        ..Options::default()
    };
    let outcome = run(&options).ok()?;
    let fix = outcome.fixes.into_iter().find(|f| f.path == "src/lib.rs")?;
    Some((fix.fixed?, fix.changes))
}

fuzz_target!(|data: &[u8]| {
    let relicense = data.first().is_some_and(|b| b & 1 == 1);
    let Some((once, changes)) = fixed(data, relicense) else { return };
    assert!(fixed(&once, relicense).is_none(), "fix is not idempotent");
    let inserts = |c: &String| c.contains(": inserted `") || c.contains(": wrapped `") || c.contains(": not fixed: ");
    if changes.iter().all(inserts) {
        let mut rest = data.iter();
        let mut pending = rest.next();
        for b in &once {
            if pending == Some(b) {
                pending = rest.next();
            }
        }
        assert!(pending.is_none(), "an insertion lost original bytes");
    }
});
