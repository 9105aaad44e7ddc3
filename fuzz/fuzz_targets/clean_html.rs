//! Arbitrary bytes through the whole pipeline as HTML: what `pith::clean_html`
//! does, on one compiled pipeline.
//!
//! ```text
//! cd fuzz && cargo +nightly fuzz run clean_html -- -max_len=65536 -timeout=10
//! ```
//!
//! The first line of the input, if short, is the page's URL and, after a
//! space, its Content-Type header, so URL parsing and the charset hint are
//! fuzzed along with the page. The property is in `common.rs`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use pith::Page;

fuzz_target!(|data: &[u8]| {
    let (head, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) if i < 200 => (&data[..i], &data[i + 1..]),
        _ => (&b""[..], data),
    };
    let head = String::from_utf8_lossy(head);
    let mut page = Page::html("fuzz", body.to_vec());
    let mut parts = head.splitn(2, ' ');
    if let Some(url) = parts.next().filter(|u| !u.is_empty()) {
        page = page.with_url(url);
    }
    if let Some(ct) = parts.next() {
        page = page.with_content_type(ct);
    }
    common::check(common::pipeline(), &page);
});
