//! The header parser on arbitrary bytes, in every comment style: it must
//! never panic, and every span it returns must lie inside the input.
#![no_main]

use corefence::license::comment::CommentStyle;
use corefence::license::header::scan;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for style in CommentStyle::ALL {
        let s = scan(data, style);
        assert!(s.insert_at <= data.len());
        assert!(s.header.end <= data.len());
        for tag in s.licenses.iter().chain(&s.copyrights).chain(&s.stray_licenses) {
            assert!(tag.range.start <= tag.range.end && tag.range.end <= data.len());
        }
        for snippet in &s.snippets {
            assert!(snippet.begin.end <= data.len());
            let _ = s.snippet_at(snippet.begin.start);
        }
    }
});
