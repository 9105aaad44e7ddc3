//! Extract: find the main content of an HTML page and turn it into [`Block`]s.
//!
//! The cascade, in the order [`main_content`] runs it:
//!
//! 1. **Guard** against pathological nesting ([`depth`]), then **parse** with
//!    html5ever (through `scraper`), put content streamed out of order where
//!    the page's script would ([`streamed`]) and read the page's metadata
//!    ([`meta`]).
//! 2. **Measure** how much text, and how much `<p>` prose, sits under every
//!    element, in one post-order pass ([`walk::measure`]).
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
//!    non-sentence furniture at the edges ([`select`]).
//! 5. **Retry** without the class/id rules when that leaves too little.
//!
//! Nothing here names a site, and no decision rests on English words: the
//! word lists live in the pipeline file's `[strip]` table.

mod date;
mod depth;
mod html;
mod measure;
mod meta;
mod streamed;
mod walk;

use std::collections::{HashMap, HashSet};

use regex::{Regex, RegexSet};
use scraper::{Html, Node};
use serde::Deserialize;

use crate::budget::Budget;
use crate::page::{Block, BlockKind, Tally};
use crate::text::{self, letters, Closing, Headline, CLAUSE_END};
pub(crate) use date::DatePatterns;
use measure::{measure, Sizes};
pub(crate) use meta::Meta;
use walk::Walk;

/// One boilerplate rule: elements with one of `tags`, or whose `class`/`id`
/// matches `names`, are removed with their subtree and counted under `reason`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoveRule {
    /// The reason recorded in `removed` counts (`navigation`, `caption`, …).
    pub reason: String,
    /// Element names removed outright (lowercase).
    #[serde(default)]
    pub tags: Vec<String>,
    /// A regex matched against the lowercased `class` and `id` attributes.
    #[serde(default)]
    pub names: Option<String>,
    /// Matches may hold more text than the story itself (a 50-slide gallery
    /// of captions): the wrapper guard does not protect them. A page that is
    /// only such a block still comes back through the retry without class rules.
    #[serde(default)]
    pub outgrows_story: bool,
    /// A match by `names` holding at least this many characters of `<p>`
    /// prose stays: a story section whose class names the table of contents
    /// or sidebar laid out beside it (`…-toc-content-sidebar`), not a widget.
    /// 0 (the default) never keeps a match.
    #[serde(default)]
    pub prose_keeps: u32,
}

/// The `[extract]` table of a pipeline file.
///
/// Every key is required after the merge with `pipelines/default.toml`, which
/// holds the defaults; there is no second copy of them in code.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Below this many characters of body text the page fails at the extract stage.
    pub min_chars: usize,
    /// Titles of error and block pages ("404 Not Found", "Access denied",
    /// "Just a moment..."): regexes over the page's title.
    pub error_titles: Vec<String>,
    /// A page whose title matches `error_titles` and whose text is shorter
    /// than this fails as an error page instead of giving its footer or
    /// menu. 0 turns the check off.
    pub error_page_max_chars: usize,
    /// Elements that never hold article text; skipped without counting as noise.
    pub drop_tags: Vec<String>,
    /// A regex over lowercased `class`/`id` that marks a likely article container.
    pub content_names: String,
    /// A regex over lowercased `class`/`id` that marks a post embedded in the
    /// story (a tweet, an Instagram post): an element so named that holds a
    /// `<blockquote>` is quoted text of the article, never removed by a
    /// class/id rule (its wrapper is often classed `social`).
    pub embed_names: String,
    /// How much a container matching `content_names` (or `<article>`,
    /// `<main>`, `itemprop=articleBody`) has its content score multiplied by.
    pub content_bonus: f32,
    /// How much each noise character costs against one content character when
    /// containers are compared.
    pub penalty: f32,
    /// Blocks whose share of link text is above this are dropped from the article.
    pub link_density_max: f32,
    /// Blocks shorter than this (in characters; CJK characters count double)
    /// add nothing to a container's content score.
    pub min_block_chars: usize,
    /// An element holding an image and at most this many characters of text,
    /// in a child element of its own, is a caption.
    pub caption_max_chars: usize,
    /// Lines above the headline inside the article container that are at
    /// most this long are kicker, section, date or byline lines, and go with it.
    pub kicker_max_chars: usize,
    /// Short lines that are not sentences, before the article's first
    /// sentence and at most this long, are bylines, dates or standfirsts.
    pub lead_line_max_chars: usize,
    /// Short lines that are not sentences at the article's end, at most this
    /// long, are counters and buttons ("412 views", "Like").
    pub tail_line_max_chars: usize,
    /// A container inside the best one that keeps at least this share of its
    /// content is taken instead: what the outer one adds is page frame.
    pub shrink_share: f32,
    /// A container of at most this many characters whose heading is a link
    /// elsewhere is a teaser card: its title and blurb are not the article.
    pub teaser_max_chars: u32,
    /// A run of at least this many sibling elements of one tag and class, each
    /// holding a `<time>`, is a comment thread or a listing (0 turns it off).
    pub dated_units_min: usize,
    /// Keep a link-heavy block that sits between two sentences of plain text.
    pub keep_isolated_links: bool,
    /// A run of link-heavy list items inside the text, each of at least this
    /// many words, is kept (with `keep_isolated_links`): a list of link-led
    /// sentences, not a link list. 0 turns the rule off.
    pub link_item_min_words: usize,
    /// When the article found has fewer characters than this, the page is
    /// walked again without the class/id rules and the longer result wins.
    pub retry_below_chars: usize,
    /// The page's JSON-LD `articleBody` replaces the text found when it has at
    /// least this many characters and the text found is shorter than
    /// `ld_body_share` of it (a page whose HTML is a script-filled shell).
    pub ld_body_min_chars: usize,
    /// See `ld_body_min_chars`: the share of the `articleBody` below which the
    /// text found is taken as missing. 0 turns the fallback off.
    pub ld_body_share: f32,
    /// A boilerplate rule does not remove an element that holds at least this
    /// share of the page's text: it is a wrapper, not a widget.
    pub wrapper_share: f32,
    /// The choice is checked against the page's prose (blocks that are
    /// finished sentences of `prose_min_words`+ words, not link-heavy, not
    /// teasers): when the page holds at least `widen_min_prose` characters of
    /// it and the chosen container less than this share, the selection
    /// widens (see `widen_to_share`). 0 turns the check off.
    pub widen_below_share: f32,
    /// See `widen_below_share`: pages with less prose than this (characters)
    /// are not checked.
    pub widen_min_prose: usize,
    /// See `widen_below_share`: the selection widens to the smallest container
    /// around it that holds this share of the page's prose …
    pub widen_to_share: f32,
    /// … provided that, of the characters it adds, at least this share is
    /// prose (an intro and the items of a list article, not the page frame).
    pub widen_added_prose: f32,
    /// Fewest words of a prose block, for the widening check.
    pub prose_min_words: usize,
    /// When runs of blocks that repeat an earlier run word for word and in
    /// order (see `drop_copies`: 3+ blocks, 500+ characters) make up at least
    /// this share of the article's characters, the page holds its text twice
    /// (a desktop and a mobile copy, a builder's hidden variant) and the
    /// copies go. 0 turns it off.
    pub copy_min_share: f32,
    /// Keep photo captions and credits (`caption` rules are skipped).
    pub keep_captions: bool,
    /// Keep comment sections (`comments` rules are skipped).
    pub keep_comments: bool,
    /// Keep data tables (as tab-separated rows).
    pub keep_tables: bool,
    /// The boilerplate rules, in order; the first that matches names the reason.
    pub remove: Vec<RemoveRule>,
}

/// Options compiled for use: regexes built, tag lists hashed.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    opts: Options,
    drop_tags: HashSet<String>,
    tag_reason: HashMap<String, usize>,
    names: RegexSet,
    name_reason: Vec<usize>,
    reasons: Vec<String>,
    content: Regex,
    pub(super) embed: Regex,
    /// The index of the `caption` rule, whose reason image-bound text is counted under.
    caption_reason: Option<usize>,
    /// The index of the `comments` rule, for threads found by their shape.
    comments_reason: Option<usize>,
    pub(crate) dates: DatePatterns,
    error_titles: RegexSet,
}

impl Compiled {
    /// Whether the finished text (after strip and repair) is an article:
    /// at least `min_chars` characters, and not an error or block page (a
    /// short text under a title such as "404 Not Found", see
    /// `Options::error_titles`). `Err` says why not.
    pub(crate) fn judge(&self, title: Option<&str>, blocks: &[Block]) -> Result<(), String> {
        let chars: usize = blocks.iter().map(|b| b.text.chars().count()).sum();
        if let Some(title) = title.filter(|t| {
            chars < self.opts.error_page_max_chars && self.error_titles.is_match(t.trim())
        }) {
            return Err(format!(
                "error page: the title says {title:?} ({chars} characters of text)"
            ));
        }
        let min = self.opts.min_chars.max(1);
        if chars < min {
            return Err(format!(
                "no article text found ({chars} characters, minimum {min})"
            ));
        }
        Ok(())
    }

    /// Compiles the options; the error names the offending key.
    pub(crate) fn new(opts: &Options) -> Result<Self, String> {
        let mut tag_reason = HashMap::new();
        let mut patterns = Vec::new();
        let mut name_reason = Vec::new();
        let mut reasons = Vec::new();
        for (i, r) in opts.remove.iter().enumerate() {
            let skipped = (opts.keep_captions && r.reason == "caption")
                || (opts.keep_comments && r.reason == "comments");
            reasons.push(r.reason.clone());
            if skipped {
                continue;
            }
            for t in &r.tags {
                tag_reason.entry(t.to_ascii_lowercase()).or_insert(i);
            }
            if let Some(n) = &r.names {
                Regex::new(n).map_err(|e| format!("extract.remove[{i}].names: {e}"))?;
                patterns.push(n.clone());
                name_reason.push(i);
            }
        }
        let names = RegexSet::new(&patterns).map_err(|e| format!("extract.remove: {e}"))?;
        let content =
            Regex::new(&opts.content_names).map_err(|e| format!("extract.content_names: {e}"))?;
        let embed =
            Regex::new(&opts.embed_names).map_err(|e| format!("extract.embed_names: {e}"))?;
        let dates = DatePatterns::new().map_err(|e| format!("date patterns: {e}"))?;
        let error_titles =
            RegexSet::new(&opts.error_titles).map_err(|e| format!("extract.error_titles: {e}"))?;
        let caption_reason = if opts.keep_captions {
            None
        } else {
            opts.remove.iter().position(|r| r.reason == "caption")
        };
        let comments_reason = if opts.keep_comments {
            None
        } else {
            opts.remove.iter().position(|r| r.reason == "comments")
        };
        Ok(Compiled {
            caption_reason,
            comments_reason,
            opts: opts.clone(),
            drop_tags: opts
                .drop_tags
                .iter()
                .map(|t| t.to_ascii_lowercase())
                .collect(),
            tag_reason,
            names,
            name_reason,
            reasons,
            embed,
            content,
            dates,
            error_titles,
        })
    }
}

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

/// What the selection knows of the page besides its tree.
#[derive(Clone, Copy)]
struct Hints<'a> {
    /// The headline, cut from the top of the article with the lines above it.
    title: Option<&'a str>,
    /// The page's host, from its canonical link or else its URL (a mirror,
    /// an AMP cache or a test server serves pages of another site): headings linked
    /// to another site title items, not teasers.
    site: Option<&'a str>,
}

/// One walk and selection; `by_names` applies the class/id rules.
fn select(
    doc: &Html,
    page: Hints<'_>,
    c: &Compiled,
    sizes: &Sizes,
    by_names: bool,
    explain: bool,
    budget: &Budget,
) -> (Vec<Block>, Tally) {
    let mut walk = Walk::new(c, sizes, by_names);
    walk.site = page.site.map(walk::site_of);
    if explain {
        walk.removed = Tally::tracing();
    }
    walk.run(doc, budget);
    let chosen = walk.choice();
    let Walk {
        blocks,
        teasers,
        cards,
        mut removed,
        containers,
        ..
    } = walk;
    // A card titled by a link to another site scored as a teaser; in the
    // article it is an item of a list article and stays.
    let mut teasers: Vec<bool> = teasers
        .into_iter()
        .zip(&cards)
        .map(|(teaser, card)| teaser && !card.is_some_and(|k| k.offsite))
        .collect();
    if let Some(items) = item_cards(&blocks, &teasers, &cards, c) {
        removed.note("extract", "cards-are-items", || {
            format!(
                "teaser cards of {} kind(s) hold most of the page's prose: they are its items",
                items.len()
            )
        });
        for (t, card) in teasers.iter_mut().zip(&cards) {
            if card.is_some_and(|k| items.contains(&k.shape)) {
                *t = false;
            }
        }
    }
    let mut range = chosen.unwrap_or(0..blocks.len());
    if let Some(wider) = widen(&blocks, &teasers, &range, &containers, c) {
        removed.note("extract", "widened", || {
            format!(
                "blocks {}..{} -> {}..{}",
                range.start, range.end, wider.start, wider.end
            )
        });
        range = wider;
    }
    if removed.trace.is_some() {
        for b in blocks[..range.start].iter().chain(&blocks[range.end..]) {
            removed.note("extract", "outside-article", || b.text.clone());
        }
    }
    if let Some(title) = page.title {
        let cut = headline_end(&blocks[range.clone()], title, c.opts.kicker_max_chars);
        if cut > 0 {
            let head = &blocks[range.start..range.start + cut];
            removed.note_many("extract", "headline", cut, |i| head[i].text.clone());
            range.start += cut;
        }
    }
    let mut out = Vec::with_capacity(range.len());
    let linky = |b: &Block| b.kind != BlockKind::Code && b.link_density() > c.opts.link_density_max;
    // A link-heavy block between two plain ones is part of the text (a product
    // named by its link, a source cited in full); runs of them are link lists,
    // except a list of link-led sentences inside the text (a changelog's
    // "Bug 1677080 – Fix the …" items).
    let plain = |j: usize| range.contains(&j) && blocks.get(j).is_some_and(|n| !linky(n));
    let sentence_item = |b: &Block| {
        c.opts.link_item_min_words > 0
            && b.kind == BlockKind::ListItem
            && text::is_sentence(&b.text, c.opts.link_item_min_words)
    };
    // Link-heavy items of a list that also holds prose are part of that list's text.
    let prose = text::prose_lists(
        &blocks[range.clone()],
        c.opts.link_item_min_words,
        c.opts.link_density_max,
    );
    let mut isolated: Vec<bool> = blocks
        .iter()
        .map(|b| b.list.is_some_and(|l| prose.contains(&l)))
        .collect();
    let mut i = 0;
    while i < blocks.len() {
        if !linky(&blocks[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < blocks.len() && linky(&blocks[i]) {
            i += 1;
        }
        let inside = start > 0 && plain(start - 1) && plain(i);
        let one = i - start == 1
            && inside
            && text::ends_with(&blocks[start - 1].text, CLAUSE_END, Closing::Plain)
            && text::ends_with(&blocks[i].text, CLAUSE_END, Closing::Plain);
        let items = inside && blocks[start..i].iter().all(sentence_item);
        if one || items {
            isolated[start..i].iter_mut().for_each(|x| *x = true);
        }
        // A linked heading over the text of its section (a list article's
        // item named by its link), even right after the previous item's
        // link line: the heading of plain running text.
        if matches!(blocks[i - 1].kind, BlockKind::Heading(_))
            && plain(i)
            && text::ends_with(&blocks[i].text, CLAUSE_END, Closing::Plain)
        {
            isolated[i - 1] = true;
        }
    }
    let blocks = blocks.into_iter().zip(teasers).zip(isolated);
    for ((b, teaser), isolated) in blocks.skip(range.start).take(range.len()) {
        if teaser {
            removed.note("extract", "teaser", || b.text.clone());
            continue;
        }
        if linky(&b) && !(isolated && c.opts.keep_isolated_links) {
            removed.note("extract", "links", || b.text.clone());
            continue;
        }
        out.push(b);
    }
    drop_copies(&mut out, c.opts.copy_min_share, &mut removed);
    trim_edges(&mut out, c, &mut removed);
    (out, removed)
}

/// Drops a second copy of the text. A copy is a run of at least
/// [`COPY_MIN_BLOCKS`] blocks and [`COPY_MIN_CHARS`] characters that repeats,
/// word for word (whitespace aside) and in order, a run that ended before it:
/// the page laid the same section out twice, for two screen sizes or as a
/// page builder's hidden variant. When such runs make up at least
/// `min_share` of the characters, they go and the first copy is the article.
/// A line repeated here and there (a credit under each photo, a chorus, a
/// quoted post, the field labels of product cards) is no such run and stays.
fn drop_copies(blocks: &mut Vec<Block>, min_share: f32, removed: &mut Tally) {
    /// Fewest blocks in a copied run: two in a row repeat by chance (a
    /// heading and a boilerplate paragraph under it).
    const COPY_MIN_BLOCKS: usize = 3;
    /// Fewest characters in a copied run: repeated field labels and values
    /// of listing cards are shorter.
    const COPY_MIN_CHARS: usize = 500;
    if min_share <= 0.0 || blocks.len() < 2 * COPY_MIN_BLOCKS {
        return;
    }
    // The index of the first block with each text.
    let mut first: HashMap<String, usize> = HashMap::new();
    let firsts: Vec<usize> = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let key = b.text.split_whitespace().collect::<Vec<_>>().join(" ");
            *first.entry(key).or_insert(i)
        })
        .collect();
    let chars = |b: &Block| b.text.chars().count();
    let mut copy = vec![false; blocks.len()];
    let mut copied = 0;
    let mut j = 0;
    while j < blocks.len() {
        if firsts[j] == j {
            j += 1;
            continue;
        }
        let start = j;
        j += 1;
        while j < blocks.len() && firsts[j] == firsts[j - 1] + 1 && firsts[j] < start {
            j += 1;
        }
        let run_chars: usize = blocks[start..j].iter().map(chars).sum();
        if j - start >= COPY_MIN_BLOCKS && run_chars >= COPY_MIN_CHARS {
            copy[start..j].iter_mut().for_each(|c| *c = true);
            copied += run_chars;
        }
    }
    let total: usize = blocks.iter().map(chars).sum();
    if copied == 0 || (copied as f32) < min_share * total as f32 {
        return;
    }
    let mut copy = copy.into_iter();
    blocks.retain(|b| {
        let again = copy.next().unwrap_or(false);
        if again {
            removed.note("extract", "copy", || b.text.clone());
        }
        !again
    });
}

/// Whether a block is prose for the cross-checks: a paragraph, list item or
/// quote that is not link-heavy and is a finished sentence of
/// `prose_min_words` words or more.
fn is_prose(b: &Block, o: &Options) -> bool {
    matches!(
        b.kind,
        BlockKind::Paragraph | BlockKind::ListItem | BlockKind::Quote
    ) && b.link_density() <= o.link_density_max
        && text::ends_with(&b.text, CLAUSE_END, Closing::Plain)
        && b.text.split_whitespace().count() >= o.prose_min_words
}

/// The kinds of teaser card (tag and class) that are the page's items: when
/// cards whose blurb runs to two or more sentences hold most of the page's
/// prose, the page is a guide whose every entry is a card linking to its own
/// page (each venue, each walk), not a story with related links beside it.
/// Cards of those kinds, short blurbs too, stay in the article and count as
/// prose for the cross-check; cards of other kinds (the related links under
/// the guide) are still teasers.
fn item_cards(
    blocks: &[Block],
    teasers: &[bool],
    cards: &[Option<walk::Card>],
    c: &Compiled,
) -> Option<HashSet<u64>> {
    /// How many times the prose outside cards the cards' blurbs must hold.
    /// Swept on wcxb ids not divisible by 5 (1 / 1.5 / 2 / 3): articles
    /// 0.9501 / 0.9501 / 0.9508 / 0.9508, all types 0.7685 / 0.7685 / 0.7685
    /// / 0.7678. Related-post blurbs are one sentence or a cut-off excerpt.
    const CARD_PROSE_RATIO: f32 = 2.0;
    let o = &c.opts;
    let (mut in_cards, mut rest) = (0usize, 0usize);
    let mut items = HashSet::new();
    for ((b, &t), card) in blocks.iter().zip(teasers).zip(cards) {
        if !is_prose(b, o) {
            continue;
        }
        let n = b.text.chars().count();
        if !t {
            rest += n;
        } else if let Some(card) = card.filter(|_| sentence_breaks(&b.text) >= 1) {
            in_cards += n;
            items.insert(card.shape);
        }
    }
    (in_cards >= o.widen_min_prose && in_cards as f32 >= CARD_PROSE_RATIO * rest as f32)
        .then_some(items)
}

/// The cross-check of the choice against the page's prose: a container that
/// won on its score but holds a small part of the page's prose (the intro of
/// a list article whose items, each with a name, a link and a button, cost
/// the item list its score; a standfirst beside the body) gives way to the
/// smallest container around it that holds most of the prose, when what that
/// adds is mostly prose too. A listing of several `<article>`s is not taken
/// in from an `<article>`: those are other posts (a blog's "you may also
/// like" with full excerpts), not more of this one.
fn widen(
    blocks: &[Block],
    teasers: &[bool],
    range: &std::ops::Range<usize>,
    containers: &[walk::Container],
    c: &Compiled,
) -> Option<std::ops::Range<usize>> {
    let o = &c.opts;
    if o.widen_below_share <= 0.0 {
        return None;
    }
    let prose: Vec<usize> = blocks
        .iter()
        .zip(teasers)
        .map(|(b, &t)| {
            if !t && is_prose(b, o) {
                b.text.chars().count()
            } else {
                0
            }
        })
        .collect();
    let sum = |r: &std::ops::Range<usize>| prose[r.clone()].iter().sum::<usize>();
    let total = sum(&(0..blocks.len()));
    let inside = sum(range);
    if total < o.widen_min_prose || inside as f32 >= o.widen_below_share * total as f32 {
        return None;
    }
    let from_article = containers.iter().any(|k| k.article && k.range == *range);
    let wider = containers
        .iter()
        .filter(|k| !(k.listing && from_article))
        .map(|k| &k.range)
        .filter(|r| r.start <= range.start && r.end >= range.end && r.len() > range.len())
        .filter(|r| sum(r) as f32 >= o.widen_to_share * total as f32)
        .min_by_key(|r| r.len())?;
    let added_prose = sum(wider) - inside;
    // Characters of every block, counted only for the blocks widening adds.
    let added_chars: usize = blocks[wider.start..range.start]
        .iter()
        .chain(&blocks[range.end..wider.end])
        .map(|b| b.text.chars().count())
        .sum();
    (added_chars > 0 && added_prose as f32 >= o.widen_added_prose * added_chars as f32)
        .then(|| wider.clone())
}

/// How many sentence boundaries lie inside `s`: sentence punctuation followed by
/// a space and an upper-case letter (or, in CJK text, by more text).
fn sentence_breaks(s: &str) -> usize {
    let mut n = 0;
    let mut it = s.trim().chars().peekable();
    while let Some(c) = it.next() {
        if matches!(c, '。' | '！' | '？') && it.peek().is_some() {
            n += 1;
        } else if matches!(c, '.' | '!' | '?') && it.peek().is_some_and(|c| c.is_whitespace()) {
            let mut look = it.clone();
            while look
                .peek()
                .is_some_and(|c| c.is_whitespace() || matches!(c, '"' | '“' | '\'' | '‘'))
            {
                look.next();
            }
            if look.peek().is_some_and(|c| c.is_uppercase()) {
                n += 1;
            }
        }
    }
    n
}

/// Drops page furniture left at the edges of the article: short lines that are
/// not sentences before the first paragraph (byline, date, standfirst) and at
/// the end (view counts, "Like", a heading whose list was removed).
fn trim_edges(blocks: &mut Vec<Block>, c: &Compiled, removed: &mut Tally) {
    /// At most this many lines are taken from each edge.
    const EDGE_MAX_LINES: usize = 4;
    let short_line = |b: &Block, max: usize| {
        b.kind == BlockKind::Paragraph
            && b.text.chars().count() <= max
            && !text::ends_with(&b.text, CLAUSE_END, Closing::Plain)
    };
    let Some(first_sentence) = blocks
        .iter()
        .position(|b| text::ends_with(&b.text, CLAUSE_END, Closing::Plain))
    else {
        return;
    };
    // A text made mostly of short lines (a changelog, a poem, a recipe's
    // steps; by characters) has no furniture of that shape to tell apart.
    let chars = |b: &Block| b.text.chars().count();
    let short: usize = blocks
        .iter()
        .filter(|b| short_line(b, c.opts.lead_line_max_chars))
        .map(chars)
        .sum();
    if short * 2 > blocks.iter().map(chars).sum() {
        return;
    }
    let lead = blocks
        .iter()
        .take(first_sentence.min(EDGE_MAX_LINES))
        .take_while(|b| short_line(b, c.opts.lead_line_max_chars))
        .count();
    let mut tail = 0;
    for b in blocks.iter().rev().take(EDGE_MAX_LINES) {
        let furniture =
            short_line(b, c.opts.tail_line_max_chars) || matches!(b.kind, BlockKind::Heading(_));
        if !furniture || blocks.len() - tail <= lead + 1 {
            break;
        }
        tail += 1;
    }
    if lead + tail > 0 && lead + tail < blocks.len() {
        let tail_blocks: Vec<Block> = blocks.drain(blocks.len() - tail..).collect();
        let lead_blocks: Vec<Block> = blocks.drain(..lead).collect();
        for b in lead_blocks.into_iter().chain(tail_blocks) {
            removed.note("extract", "furniture", || b.text);
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

/// When the headline sits among the first blocks of the article, the headline
/// and the short lines above it (kicker, section name, date, byline) are page
/// furniture: returns how many blocks to drop from the start (0 if none).
fn headline_end(blocks: &[Block], title: &str, kicker_max: usize) -> usize {
    let t = letters(title);
    if t.is_empty() {
        return 0;
    }
    for (i, b) in blocks.iter().take(Headline::Extract.window()).enumerate() {
        let l = letters(&b.text);
        let same = !l.is_empty()
            && (l == t
                || (l.len() * 10 >= t.len() * 8 && t.contains(&l))
                || (t.len() * 10 >= l.len() * 8 && l.contains(&t)));
        if same {
            let all_short = blocks[..i]
                .iter()
                .all(|b| b.text.chars().count() <= kicker_max);
            if !all_short {
                return 0;
            }
            // An `<h1>` split by `<br>` goes on in more `<h1>` blocks: a
            // byline or a dek set inside the headline element.
            let rest = blocks[i + 1..]
                .iter()
                .take_while(|n| {
                    b.kind == BlockKind::Heading(1)
                        && n.kind == b.kind
                        && n.text.chars().count() <= kicker_max
                })
                .count();
            return i + 1 + rest;
        }
    }
    0
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

#[cfg(test)]
mod copy_tests {
    use super::*;

    fn blocks(texts: &[&str]) -> Vec<Block> {
        texts
            .iter()
            .map(|t| Block::new(BlockKind::Paragraph, *t))
            .collect()
    }

    fn texts(blocks: &[Block]) -> Vec<&str> {
        blocks.iter().map(|b| b.text.as_str()).collect()
    }

    const A: &str = "The ferry pier was built in 1908 of greenheart timber brought from Guyana, \
        and it stood for a century before the piles gave way one winter.";
    const B: &str = "The new pier will be concrete, with a timber deck laid over it so that it \
        looks, from the promenade, much as the old one did in the postcards.";
    const C: &str = "Work starts in March and the ferry will run from a temporary landing on the \
        east quay until the pier opens in late June, the harbour board said.";
    const D: &str = "Photo courtesy of the Harbour Museum, reproduced with permission.";
    const E: &str = "The board will vote on the contract in February, after a public meeting \
        at the town hall where the two designs that were shortlisted will be shown.";

    #[test]
    fn a_second_copy_of_the_text_goes() {
        let mut b = blocks(&["Old pier", A, B, C, E, "  Old   pier", A, B, C, E]);
        let mut removed = Tally::tracing();
        drop_copies(&mut b, 0.25, &mut removed);
        assert_eq!(texts(&b), vec!["Old pier", A, B, C, E]);
        assert_eq!(removed.counts.get("copy"), Some(&5));
    }

    #[test]
    fn scattered_repeats_stay() {
        // A credit under each photo, a repeated heading and paragraph pair: no
        // run of three repeats in order.
        let input = [A, D, B, D, C, D, "Timeline", A, "Timeline", B];
        let mut b = blocks(&input);
        let mut removed = Tally::default();
        drop_copies(&mut b, 0.25, &mut removed);
        assert_eq!(texts(&b), input.to_vec());
        assert!(removed.counts.is_empty());
    }

    #[test]
    fn a_small_copied_run_or_share_stays() {
        // Short card fields repeated in order: under COPY_MIN_CHARS.
        let cards = ["Weight:", "1.2 kg", "Capacity:", "40 litres"];
        let input: Vec<&str> = cards.iter().chain(&cards).chain(&cards).copied().collect();
        let mut b = blocks(&input);
        drop_copies(&mut b, 0.25, &mut Tally::default());
        assert_eq!(b.len(), input.len());
        // A copied run that is a small share of a long text.
        let long = A.repeat(20);
        let input = [long.as_str(), A, B, C, E, A, B, C, E];
        let mut b = blocks(&input);
        drop_copies(&mut b, 0.25, &mut Tally::default());
        assert_eq!(b.len(), input.len());
        // Off.
        let input = [A, B, C, E, A, B, C, E];
        let mut b = blocks(&input);
        drop_copies(&mut b, 0.0, &mut Tally::default());
        assert_eq!(b.len(), input.len());
    }
}
