//! Arbitrary bytes through `decode` alone, with and without a charset hint.
//!
//! ```text
//! cd fuzz && cargo +nightly fuzz run decode -- -max_len=65536
//! ```
//!
//! The property: decoding never panics; it fails only on empty or binary
//! input; the text holds no BOM at its start; and bytes that are valid UTF-8
//! with no BOM, no declaration and no NUL come out unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pith::fuzzing::decode;
use pith::options::DecodeOptions as Decode;

const HINTS: [Option<&str>; 5] = [
    None,
    Some("text/html; charset=utf-8"),
    Some("text/html; charset=shift_jis"),
    Some("text/html; charset=utf-16le"),
    Some("text/html; charset=\"x-bogus\""),
];

fuzz_target!(|data: &[u8]| {
    let opts = Decode::default();
    // The first byte picks the hint, so the corpus can steer it.
    let (hint, bytes) = match data.split_first() {
        Some((&h, rest)) => (HINTS[usize::from(h) % HINTS.len()], rest),
        None => (None, data),
    };
    match decode(bytes, hint, &opts) {
        Ok(d) => {
            assert!(!d.text.starts_with('\u{feff}') || !bytes.starts_with(b"\xEF\xBB\xBF"));
            if hint.is_none() && d.rule.as_str() == "sniffed" {
                if let Ok(s) = std::str::from_utf8(bytes) {
                    if d.encoding == encoding_rs::UTF_8 {
                        assert_eq!(d.text, s);
                    }
                }
            }
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
        }
    }
});
