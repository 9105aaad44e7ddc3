//! Extract: find the main content of an HTML page and turn it into [`Block`]s.
//!
//! The cascade, in the order [`main_content`] runs it:
//!
//! 1. **Guard** against pathological nesting ([`depth`]), then **parse** with
//!    html5ever (through `scraper`), put content streamed out of order where
//!    the page's script would ([`streamed`]) and read the page's metadata
//!    ([`meta`]).
//! 2. **Measure** how much text, and how much `<p>` prose, sits under every
//!    element, in one post-order pass ([`measure()`]).
//! 3. **Walk** the tree once in document order ([`walk`]): skip what is never
//!    text (`script`, hidden elements …) and what a boilerplate rule removes
//!    by tag or class/id (`[[extract.remove]]`: navigation, share bars,
//!    captions, comments …) — except a wrapper holding most of the page's text
//!    or prose. Text bound to an image is a caption; a run of dated sibling
//!    units is a thread; a small card titled by a link is a teaser. The rest
//!    becomes blocks (paragraphs, headings, numbered list items, quotes, code,
//!    table rows), and every container is scored as it closes: content
//!    characters minus `penalty` × noise (link text, removed boilerplate).
//!    A subtree's blocks are contiguous, so a container is a range of blocks.
//! 4. **Select** the best container that is not a listing of several
//!    `<article>`s, then the tightest container inside it that keeps nearly
//!    all of its content; drop teasers and link-heavy blocks (unless one sits
//!    between two sentences), the headline with the lines above it, and short
//!    non-sentence furniture at the edges ([`select()`], [`tidy`]).
//! 5. **Retry** without the class/id rules when that leaves too little.
//!
//! Nothing here names a site, and no decision rests on English words: the
//! word lists live in the pipeline file's `[strip]` table.

mod date;
mod depth;
mod html;
mod measure;
mod meta;
mod options;
mod select;
mod streamed;
mod tidy;
mod walk;

use scraper::{Html, Node};

use crate::budget::Budget;
use crate::page::{Block, Tally};
use crate::text;
pub(crate) use date::DatePatterns;
use measure::measure;
pub(crate) use meta::Meta;
pub(crate) use options::Compiled;
pub use options::{Options, RemoveRule};
pub(crate) use select::sentence_breaks;
use select::{select, Hints};

/// What extraction found on one page.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    pub blocks: Vec<Block>,
    pub meta: Meta,
    pub removed: Tally,
}

/// Finds the main content of `html` and returns it as blocks, with the page's metadata.
/// With `explain`, every removal is recorded in [`Extracted::removed`]'s trace.
/// When `budget` runs out the work stops early and the result is partial: the
/// caller looks at [`Budget::exceeded`].
pub(crate) fn main_content(
    html: &str,
    url: Option<&str>,
    c: &Compiled,
    explain: bool,
    budget: &Budget,
) -> Extracted {
    let html = depth::limit(html, MAX_DEPTH);
    let Some(mut doc) = parse(&html, budget) else {
        return Extracted::default();
    };
    streamed::place(&mut doc);
    let meta = meta::read(&doc, url, &c.dates);
    let headline = meta::headline(&doc, meta.page.title.as_deref());
    let sizes = measure(&doc, c, budget);
    // The page's site: the canonical or og:url it declares, else its URL.
    let hints = Hints {
        title: headline.as_deref(),
        site: meta
            .page
            .canonical
            .as_deref()
            .and_then(meta::host)
            .or_else(|| url.and_then(meta::host)),
    };
    let (mut blocks, mut removed) = select(&doc, hints, c, &sizes, true, explain, budget);
    let chars: usize = blocks.iter().map(|b| b.text.len()).sum();
    if chars < c.opts.retry_below_chars && !budget.exceeded() {
        // Class/id rules are the guesses that go wrong (a blog whose every
        // section is a "widget"): without them, does the page hold more?
        let (b2, r2) = select(&doc, hints, c, &sizes, false, explain, budget);
        if b2.iter().map(|b| b.text.len()).sum::<usize>() > chars {
            (blocks, removed) = (b2, r2);
        }
    }
    // The page's own copy of its text, when what the walk found falls far
    // short of it: a shell filled by scripts, a body the rules emptied.
    if let Some(body) = meta.body.as_deref() {
        let found: usize = blocks.iter().map(|b| b.text.chars().count()).sum();
        let declared = body.chars().count();
        if declared >= c.opts.ld_body_min_chars
            && (found as f32) < c.opts.ld_body_share * declared as f32
        {
            removed.note("extract", "short-of-json-ld", || {
                format!(
                    "{found} characters found, the JSON-LD articleBody has {declared}: it is used"
                )
            });
            blocks = text::blocks_from_text(body);
        }
    }
    Extracted {
        blocks,
        meta,
        removed,
    }
}

/// An element as `<tag class="…" id="…">` and the start of its text, for `--explain`.
fn describe(n: ego_tree::NodeRef<'_, Node>) -> String {
    /// How much of the element's text is shown.
    const PREVIEW_CHARS: usize = 80;
    let Some(e) = n.value().as_element() else {
        return String::new();
    };
    let mut out = format!("<{}", e.name());
    for attr in ["class", "id"] {
        if let Some(v) = e.attr(attr) {
            out.push_str(&format!(" {attr}=\"{v}\""));
        }
    }
    out.push_str("> ");
    let mut n_chars = 0;
    'text: for d in n.descendants() {
        if let Some(t) = d.value().as_text() {
            for w in t.split_whitespace() {
                out.push_str(w);
                out.push(' ');
                n_chars += w.chars().count() + 1;
                if n_chars > PREVIEW_CHARS {
                    out.push('…');
                    break 'text;
                }
            }
        }
    }
    out.trim_end().to_owned()
}

/// Deepest element nesting parsed as written; deeper start tags are dropped
/// before parsing (see [`depth`]). Real pages stay far below it.
const MAX_DEPTH: usize = 512;

/// How much HTML is fed to the parser between two looks at the budget. The
/// parse is the one step of extract that is not a loop of ours; fed in chunks
/// (html5ever is a streaming parser, so the tree is the same) it can stop.
const PARSE_CHUNK_BYTES: usize = 256 * 1024;

/// Parses `html` in chunks, or `None` when the budget runs out first.
fn parse(html: &str, budget: &Budget) -> Option<Html> {
    use html5ever::tendril::TendrilSink;
    let mut parser = html5ever::driver::parse_document(
        scraper::HtmlTreeSink::new(Html::new_document()),
        Default::default(),
    );
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = rest.len().min(PARSE_CHUNK_BYTES);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (chunk, tail) = rest.split_at(cut);
        parser.process(chunk.into());
        rest = tail;
        if budget.check() {
            return None;
        }
    }
    Some(parser.finish())
}
