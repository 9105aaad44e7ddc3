//! Arbitrary text as a pipeline file: parse, lay over the defaults, compile,
//! and, when that succeeds, run a small page through the result.
//!
//! ```text
//! cd fuzz && cargo +nightly fuzz run pipeline_toml -- -max_len=16384 -timeout=10
//! ```
//!
//! The property: a pipeline file is either an error that names its origin
//! (`pipeline fuzz.toml: …`) or a pipeline that processes a page without
//! panicking, whatever thresholds, regexes and switches it holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pith::{Page, Pipeline};

const PAGE: &[u8] = b"<html><head><title>Rain | Daily</title></head><body>
<nav><a href=\"/\">Home</a></nav><article><h1>Rain</h1>
<p>It rained all day in the valley, and the river rose by a metre before dusk.</p>
<p>Farmers said the water would help the late crops after a dry summer.</p>
<p class=\"caption\">Photo: Reuters</p></article></body></html>";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Pipeline::from_toml(text, "fuzz.toml") {
        Ok(p) => {
            let page = Page::html("p", PAGE.to_vec()).with_url("https://example.com/rain");
            if let Err(f) = p.process(&page) {
                assert_eq!(f.id, "p");
            }
            let page = page.with_format(pith::Format::Text);
            let _ = p.process(&page);
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.starts_with("pipeline fuzz.toml"), "{msg}");
        }
    }
});
