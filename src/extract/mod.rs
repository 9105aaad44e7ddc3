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
mod kind;
mod measure;
mod meta;
mod options;
mod select;
mod streamed;
mod tidy;
mod walk;

use scraper::{Html, Node};

use crate::budget::Budget;
use crate::page::{Block, PageType, Tally};
use crate::text;
pub(crate) use date::DatePatterns;
use measure::measure;
use measure::Sizes;
pub(crate) use meta::Meta;
pub(crate) use options::Compiled;
pub use options::{Options, RemoveRule};
pub(crate) use select::sentence_breaks;
use select::{select, Hints, Pass, Selection};

/// What extraction found on one page.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    pub blocks: Vec<Block>,
    pub meta: Meta,
    pub removed: Tally,
    /// The blocks are the items of a listing (teasers and link lines kept):
    /// strip leaves its link-list rules out.
    pub items: bool,
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
    let Some(mut doc) = parse(&html, budget, true) else {
        return Extracted::default();
    };
    streamed::place(&mut doc);
    let mut meta = meta::read(&doc, url, &c.dates);
    let headline = meta::headline(&doc, meta.page.title.as_deref());
    // A forum thread: its replies are the content (see `thread_url_segments`).
    let thread = meta.declares_thread
        || url
            .into_iter()
            .chain(meta.page.canonical.as_deref())
            .any(|u| c.is_thread_url(u));
    let c = if thread { c.for_threads() } else { c };
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
        url,
    };
    let first = select_retrying(&doc, hints, c, &sizes, false, explain, budget);
    let (mut blocks, mut removed, mut in_article) = (first.blocks, first.removed, first.in_article);
    let mut read = (doc, sizes);
    let mut noscript = false;
    if chars(&blocks) < c.opts.retry_below_chars && !budget.exceeded() && has_noscript(&html) {
        if let Some((shown, again)) =
            read_without_scripts(&html, &read, &blocks, hints, c, explain, budget)
        {
            (blocks, removed, in_article) = (again.blocks, again.removed, again.in_article);
            read = shown;
            noscript = true;
        }
    }
    // The page's own copy of its text, when what the walk found falls far
    // short of it: a shell filled by scripts, a body the rules emptied.
    let mut declared_body = false;
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
            declared_body = true;
        }
    }
    // Too little article: the page is a listing whose items are the teaser
    // cards and link lines the article rules dropped (a news index, a shop
    // category, a job board), unless it declared its text. A page that
    // declares itself an article, or marks its story up as one `<article>`,
    // is held to the lower limit.
    let story = meta.declares_article || in_article;
    let mut items = false;
    if !declared_body && !budget.exceeded() && short_of_article(&blocks, story, c) {
        let (doc, sizes) = &read;
        let all = select_retrying(doc, hints, c, sizes, true, explain, budget);
        if is_listing(&blocks, &all.blocks, story, c) {
            let (found, all_chars) = (chars(&blocks), chars(&all.blocks));
            (blocks, removed) = (all.blocks, all.removed);
            removed.explain("extract", "listing", || {
                format!("{found} characters of article, {all_chars} with the teasers and links: they are the page's items")
            });
            items = true;
        }
    }
    if thread {
        removed.explain("extract", "thread", || {
            "a forum thread (its URL or JSON-LD): its replies are content".to_owned()
        });
    }
    if noscript {
        removed.explain("extract", "noscript", || {
            "too little text with scripts: the <noscript> content is read".to_owned()
        });
    }
    // The page's type, from its signals and what extraction decided: it
    // changes nothing of the text.
    if !budget.exceeded() {
        let model = kind::model();
        let facts = kind::Facts {
            items,
            thread,
            found: chars(&blocks),
        };
        let features = kind::features(&read.0, url, &meta, facts, model);
        let (page_type, why) = kind::classify(&features, model);
        meta.page.page_type = Some(page_type);
        removed.explain("extract", "page-type", || why);
        drop_foreign_byline(&mut meta, page_type, &mut removed);
        removed.explain("extract", "page-features", || kind::describe(&features));
    }
    Extracted {
        blocks,
        meta,
        removed,
        items,
    }
}

/// Drops the author and date a page only shows where they are not its own:
/// on a type without bylines ([`PageType::has_byline`]), the shown author
/// and date (a byline element, a `<time>`, the URL); on any type but a story
/// or a thread, a date read from the text. What the markup declares as an
/// article's stays. Says what it dropped in `removed`'s explanation.
fn drop_foreign_byline(meta: &mut meta::Meta, page_type: PageType, removed: &mut Tally) {
    let undeclared = !meta.declares_article;
    let no_byline = undeclared && !page_type.has_byline();
    let story = matches!(page_type, PageType::Article | PageType::Forum);
    let author = meta.page.author.take_if(|_| no_byline && meta.author_shown);
    let text_date = undeclared && !story && meta.published_in_text;
    let published = meta
        .page
        .published
        .take_if(|_| (no_byline && meta.published_shown) || text_date);
    if author.is_none() && published.is_none() {
        return;
    }
    removed.explain("extract", "byline", || {
        let shown: Vec<String> = [("author", author), ("date", published)]
            .into_iter()
            .filter_map(|(what, v)| v.map(|v| format!("{what} {v:?}")))
            .collect();
        format!(
            "not the page's own on a {} page: the shown {} dropped",
            page_type.as_str(),
            shown.join(" and ")
        )
    });
}

/// A page whose scripts build the text: a browser without scripts shows its
/// `<noscript>` content instead (a forum's crawler view of the whole thread).
/// Reads the page as that browser would and returns that reading (tree and
/// sizes) with its selection, when it finds more article than `found`, or as
/// much and more text on the page than the scripted reading `scripted`.
fn read_without_scripts(
    html: &str,
    scripted: &(Html, Sizes),
    found: &[Block],
    hints: Hints<'_>,
    c: &Compiled,
    explain: bool,
    budget: &Budget,
) -> Option<((Html, Sizes), Selection)> {
    let mut shown = parse(html, budget, false)?;
    unwrap_noscript(&mut shown);
    streamed::place(&mut shown);
    let sizes = measure(&shown, c, budget);
    let again = select_retrying(&shown, hints, c, &sizes, false, explain, budget);
    let more = chars(&again.blocks) > chars(found)
        || (chars(&again.blocks) == chars(found)
            && page_chars(&shown, &sizes) > page_chars(&scripted.0, &scripted.1));
    more.then_some(((shown, sizes), again))
}

/// [`select()`] with the class/id rules, and again without them when that
/// leaves less than `retry_below_chars`: those rules are the guesses that go
/// wrong (a blog whose every section is a "widget").
fn select_retrying(
    doc: &Html,
    hints: Hints<'_>,
    c: &Compiled,
    sizes: &Sizes,
    items: bool,
    explain: bool,
    budget: &Budget,
) -> Selection {
    let by_names = Pass {
        by_names: true,
        items,
    };
    let first = select(doc, hints, c, sizes, by_names, explain, budget);
    let found = chars(&first.blocks);
    if found < c.opts.retry_below_chars && !budget.exceeded() {
        let without = Pass {
            by_names: false,
            items,
        };
        let again = select(doc, hints, c, sizes, without, explain, budget);
        if chars(&again.blocks) > found {
            return again;
        }
    }
    first
}

/// Whether the article found is short enough for the page to be a listing
/// (see [`is_listing`]): under `listing_below_chars`, or under
/// `undeclared_listing_below_chars` when the page is not a `story` (it
/// declares no article and marks up none as one `<article>`) and no
/// paragraph reaches `listing_paragraph_chars`.
fn short_of_article(article: &[Block], story: bool, c: &Compiled) -> bool {
    let o = &c.opts;
    let found = chars(article);
    found < o.listing_below_chars
        || (!story
            && found < o.undeclared_listing_below_chars
            && article
                .iter()
                .all(|b| b.text.len() < o.listing_paragraph_chars))
}

/// Whether the page is a listing, given the article found and every block
/// the walk kept (`items`): the items hold more, and either the article is
/// under `listing_below_chars` or the items add at least
/// `listing_min_items` blocks and `listing_min_ratio` times the article's
/// characters (a short story with a few related links stays a story).
fn is_listing(article: &[Block], items: &[Block], story: bool, c: &Compiled) -> bool {
    let o = &c.opts;
    let (found, all) = (chars(article), chars(items));
    all > found
        && (found < o.listing_below_chars
            || (short_of_article(article, story, c)
                && items.len() >= article.len() + o.listing_min_items
                && all as f32 >= o.listing_min_ratio * found as f32))
}

/// Characters of text on the whole page, as [`measure()`] counts them.
fn page_chars(doc: &Html, sizes: &Sizes) -> u32 {
    sizes.get(&doc.root_element().id()).map_or(0, |s| s.chars)
}

/// The bytes of text in `blocks`.
fn chars(blocks: &[Block]) -> usize {
    blocks.iter().map(|b| b.text.len()).sum()
}

/// Whether the page has a `<noscript>` element (ASCII case aside).
fn has_noscript(html: &str) -> bool {
    html.as_bytes()
        .windows(9)
        .any(|w| w.eq_ignore_ascii_case(b"<noscript"))
}

/// Turns every `<noscript>` of a tree parsed without scripting into a
/// `<div>`, so its content is walked like any other (the pipeline's
/// `drop_tags` name `noscript` for the pages that do run their scripts).
fn unwrap_noscript(doc: &mut Html) {
    let ids: Vec<_> = doc
        .tree
        .nodes()
        .filter(|n| {
            n.value()
                .as_element()
                .is_some_and(|e| e.name() == "noscript")
        })
        .map(|n| n.id())
        .collect();
    for id in ids {
        if let Some(mut n) = doc.tree.get_mut(id) {
            if let Node::Element(e) = n.value() {
                e.name.local = html5ever::local_name!("div");
            }
        }
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
/// `scripting` is the parser's scripting flag: on, as in a browser that runs
/// scripts, `<noscript>` holds raw text; off, it holds elements.
fn parse(html: &str, budget: &Budget, scripting: bool) -> Option<Html> {
    use html5ever::tendril::TendrilSink;
    let opts = html5ever::ParseOpts {
        tree_builder: html5ever::tree_builder::TreeBuilderOpts {
            scripting_enabled: scripting,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut parser =
        html5ever::driver::parse_document(scraper::HtmlTreeSink::new(Html::new_document()), opts);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_bylines_go_where_they_are_not_the_pages_own() {
        let shown = |in_text: bool, declared: bool| meta::Meta {
            page: crate::page::Metadata {
                author: Some("Visit the Acme Store".into()),
                published: Some("2025-02-01".into()),
                ..Default::default()
            },
            author_shown: true,
            published_shown: true,
            published_in_text: in_text,
            declares_article: declared,
            ..Default::default()
        };
        let after = |mut m: meta::Meta, t: PageType| {
            let mut removed = Tally::tracing();
            drop_foreign_byline(&mut m, t, &mut removed);
            let said = removed.trace.unwrap_or_default().len();
            (m.page.author.is_some(), m.page.published.is_some(), said)
        };
        // A product page: both go, and the explanation says so.
        assert_eq!(
            after(shown(false, false), PageType::Product),
            (false, false, 1)
        );
        // Declared as an article: both stay.
        assert_eq!(
            after(shown(false, true), PageType::Product),
            (true, true, 0)
        );
        // A listing keeps a byline, but not a date read from its text.
        assert_eq!(
            after(shown(false, false), PageType::Listing),
            (true, true, 0)
        );
        assert_eq!(
            after(shown(true, false), PageType::Listing),
            (true, false, 1)
        );
        // A story keeps what it shows.
        assert_eq!(
            after(shown(true, false), PageType::Article),
            (true, true, 0)
        );
    }
}
