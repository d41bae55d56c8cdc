//! The configuration loader on arbitrary text: it returns a config or
//! diagnostics, never panics, and every diagnostic span is inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(errors) = corefence::config::from_str("corefence.toml", text) {
        for d in errors.0 {
            assert!(d.location.span.end <= text.len());
            let _ = corefence::report::short::line(&d);
        }
    }
});
