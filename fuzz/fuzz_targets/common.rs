//! What every target checks on an article: shared by `clean_html` and `clean_text`.

use std::sync::OnceLock;

use pith::{Page, Pipeline};

/// One pipeline per process: compiling it per input would drown the fuzzer.
pub fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(Pipeline::default)
}

/// `process` never panics; an `Ok` article's text is empty or ends in exactly
/// one newline and holds no NUL; a failure keeps the page's id and prints.
pub fn check(pipeline: &Pipeline, page: &Page) {
    match pipeline.process(page) {
        Ok(article) => {
            let text = article.text();
            assert!(!text.contains('\0'), "NUL in output");
            assert!(
                text.is_empty() || (text.ends_with('\n') && !text.ends_with("\n\n")),
                "bad text ending: {:?}",
                text.chars().rev().take(20).collect::<String>()
            );
            if let Some(t) = &article.meta.title {
                assert!(!t.contains('\n'), "newline in title {t:?}");
            }
        }
        Err(failure) => {
            assert_eq!(failure.id, page.id);
            assert!(!failure.to_string().is_empty());
        }
    }
}
