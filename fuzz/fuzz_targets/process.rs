//! Arbitrary bytes through the whole pipeline, as HTML and as scraped text.
//!
//! ```text
//! cd fuzz && cargo +nightly fuzz run process -- -max_len=65536 -timeout=10
//! ```
//!
//! The property: `Pipeline::process` never panics, and an `Ok` article's text
//! is either empty or ends in exactly one newline and holds no NUL.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pith::{Format, Page, Pipeline};

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(Pipeline::default)
}

fn check(page: &Page) {
    match pipeline().process(page) {
        Ok(article) => {
            let text = article.text();
            assert!(!text.contains('\0'), "NUL in output");
            assert!(
                text.is_empty() || (text.ends_with('\n') && !text.ends_with("\n\n")),
                "bad text ending: {:?}",
                text.chars().rev().take(20).collect::<String>()
            );
        }
        Err(failure) => {
            assert_eq!(failure.id, page.id);
            let _ = failure.to_string();
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let html = Page::html("fuzz", data.to_vec());
    check(&html);
    check(&html.clone().with_format(Format::Text));
    // The charset hint path too.
    check(&html.with_content_type("text/html; charset=shift_jis"));
});
