//! The Rust-file path end to end, on arbitrary bytes: pre-filter, parse (or
//! the token reading that stands in for it), extraction, module trees, name
//! resolution and every check, on a small in-memory workspace whose
//! community module is the input. It must never panic, hang or overflow its
//! stack, and every finding must point into a file that exists.
#![no_main]

use std::collections::BTreeMap;

use corefence::engine::{run, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut files: BTreeMap<String, Vec<u8>> = [
        ("corefence.toml", &b"default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n[editions.enterprise]\nlicense = \"LicenseRef-E\"\nuses = [\"community\"]\nfeatures = [\"enterprise\"]\n[[assign]]\npaths = [\"src/ee/**\"]\nedition = \"enterprise\"\n"[..]),
        ("Cargo.toml", b"[package]\nname = \"app\"\nversion = \"0.1.0\"\nlicense = \"AGPL-3.0-only\"\n[features]\nenterprise = []\n"),
        ("src/lib.rs", b"#[cfg(feature = \"enterprise\")]\npub mod ee;\npub mod free;\n"),
        ("src/ee/mod.rs", b"// SPDX-License-Identifier: LicenseRef-E\n#[edition(enterprise)]\npub fn sso() {}\npub struct Token;\n"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_vec()))
    .collect();
    files.insert("src/free.rs".to_owned(), data.to_vec());
    let options = Options { jobs: 1, exhaustive: true, memory: Some(files.clone()), ..Options::default() };
    let outcome = run(&options).expect("a valid configuration");
    assert!(outcome.internal_errors.is_empty(), "{:?}", outcome.internal_errors);
    for d in &outcome.diagnostics {
        assert!(files.contains_key(d.location.path()), "{}", d.location.path());
    }
});
