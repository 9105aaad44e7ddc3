//! Arbitrary bytes through the pipeline as scraped text (`pith clean`):
//! decode, the text-to-blocks split, strip and repair.
//!
//! ```text
//! cd fuzz && cargo +nightly fuzz run clean_text -- -max_len=65536 -timeout=10
//! ```
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use pith::{Format, Page};

fuzz_target!(|data: &[u8]| {
    let page = Page::html("fuzz", data.to_vec()).with_format(Format::Text);
    common::check(common::pipeline(), &page);
});
