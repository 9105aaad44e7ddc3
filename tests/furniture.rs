//! Furniture lines through `extract` (issue 14): each class of short edge line
//! is removed by the strip stage from an HTML page's article, with its class as
//! the reason `--explain` shows, and stays when it stands between paragraphs.
//! `src/strip/tests.rs` checks the same classes on plain text (`pith clean`).
//!
//! Short unpunctuated lines at the very edges are taken earlier by extract's
//! shape-only edge trim (reason `furniture`); the cases here sit where that trim
//! stops (list items, or above a closing notice that ends in a full stop), so
//! each is decided by its class.

use pith::{Page, Pipeline};

const BODY1: &str = "The harbour board met on Tuesday and agreed to rebuild the old \
    ferry pier before the summer season, after two years of delays and rising costs.";
const BODY2: &str = "Work starts in March, the chair said, and the ferry will run from a \
    temporary landing on the east quay until the new pier opens in late June.";

fn page(before: &str, after: &str) -> Page {
    let html = format!(
        "<!doctype html><html lang=en><head><title>Harbour board backs new pier</title></head>\
         <body><article><h1>Harbour board backs new pier</h1>{before}<p>{BODY1}</p>\
         <p>{BODY2}</p>{after}</article></body></html>"
    );
    Page::html("furniture", html.into_bytes())
}

/// The strip decisions on a page, as (reason, text), and its text.
fn explain(page: &Page) -> (Vec<(String, String)>, String) {
    let pipeline = Pipeline::builtin().expect("built-in pipeline");
    let article = pipeline.explain(page).expect("page extracts");
    let strip = article
        .decisions
        .iter()
        .filter(|d| d.stage == "strip")
        .map(|d| (d.reason.clone(), d.what.clone()))
        .collect();
    (strip, article.text())
}

#[test]
fn each_class_goes_from_the_edges_of_an_article() {
    // (class, element, its text, above the body?)
    let cases: &[(&str, &str, &str, bool)] = &[
        (
            "counter",
            "<ul><li>4 min read</li></ul>",
            "4 min read",
            true,
        ),
        ("counter", "<div>1,204 views</div>", "1,204 views", false),
        (
            "subscribe",
            "<p>Get the week's harbour news in your inbox</p>",
            "Get the week's harbour news in your inbox",
            false,
        ),
        (
            "source",
            "<p>(Source: Harbour Board minutes)</p>",
            "(Source: Harbour Board minutes)",
            false,
        ),
        (
            "copyright",
            "<p>Copyright 2024 Coast Daily. Not to be reproduced.</p>",
            "Copyright 2024 Coast Daily. Not to be reproduced.",
            false,
        ),
        (
            "tags",
            "<p>Tags: ferries, harbour, transport</p>",
            "Tags: ferries, harbour, transport",
            false,
        ),
        ("pager", "<p>Next article »</p>", "Next article »", false),
        ("pager", "<p>Back to top</p>", "Back to top", false),
        (
            "comments",
            "<p>Comments are closed.</p>",
            "Comments are closed.",
            false,
        ),
        (
            "login",
            "<p>You must be logged in to post a comment.</p>",
            "You must be logged in to post a comment.",
            false,
        ),
    ];
    const NOTICE: &str = "© 2024 Coast Daily. All rights reserved.";
    for &(class, element, text, above) in cases {
        let page = if above {
            page(element, "")
        } else {
            page("", &format!("{element}<p>{NOTICE}</p>"))
        };
        let (decisions, out) = explain(&page);
        assert_eq!(out, format!("{BODY1}\n\n{BODY2}\n"), "{class}: {text:?}");
        assert!(
            decisions.contains(&(class.to_string(), text.to_string())),
            "{class}: {text:?} not removed as {class}: {decisions:?}"
        );
        assert!(
            above || decisions.contains(&("copyright".to_string(), NOTICE.to_string())),
            "{decisions:?}"
        );
    }
}

#[test]
fn a_furniture_line_between_paragraphs_stays() {
    let html = format!(
        "<!doctype html><html lang=en><head><title>Harbour board backs new pier</title></head>\
         <body><article><p>{BODY1}</p><p>Tags: ferries, harbour</p><p>{BODY2}</p>\
         </article></body></html>"
    );
    let (decisions, out) = explain(&Page::html("middle", html.into_bytes()));
    assert_eq!(
        out,
        format!("{BODY1}\n\nTags: ferries, harbour\n\n{BODY2}\n")
    );
    assert!(decisions.is_empty(), "{decisions:?}");
}
