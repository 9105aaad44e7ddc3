//! Selection: one walk of the tree, the choice of the article's container,
//! the cross-checks of that choice against the page's prose (cards that are
//! the page's items, a container widened to hold most of the prose), and the
//! drop of teasers and link lists inside it ([`select`]). The edges are then
//! tidied ([`super::tidy`]).

use std::collections::HashSet;

use scraper::Html;

use super::measure::Sizes;
use super::tidy::{drop_copies, headline_end, trim_edges};
use super::walk::{self, Walk};
use super::{Compiled, Options};
use crate::budget::Budget;
use crate::page::{Block, BlockKind, Tally};
use crate::text::{self, Closing, CLAUSE_END};

/// What the selection knows of the page besides its tree.
#[derive(Clone, Copy)]
pub(super) struct Hints<'a> {
    /// The headline, cut from the top of the article with the lines above it.
    pub(super) title: Option<&'a str>,
    /// The page's host, from its canonical link or else its URL (a mirror,
    /// an AMP cache or a test server serves pages of another site): headings linked
    /// to another site title items, not teasers.
    pub(super) site: Option<&'a str>,
    /// The page's URL, which relative links are resolved against.
    pub(super) url: Option<&'a str>,
}

/// How one walk and selection reads the page.
#[derive(Clone, Copy)]
pub(super) struct Pass {
    /// The class/id rules apply.
    pub(super) by_names: bool,
    /// Every block the walk kept is taken, teasers and link lines too (a
    /// listing).
    pub(super) items: bool,
}

/// What one walk and selection found.
pub(super) struct Selection {
    pub(super) blocks: Vec<Block>,
    pub(super) removed: Tally,
    /// The article chosen is the text of one `<article>` element (not one
    /// holding several): the page marks it up as a story.
    pub(super) in_article: bool,
}

/// One walk and selection, read as `pass` says.
pub(super) fn select(
    doc: &Html,
    page: Hints<'_>,
    c: &Compiled,
    sizes: &Sizes,
    pass: Pass,
    explain: bool,
    budget: &Budget,
) -> Selection {
    let Pass { by_names, items } = pass;
    let mut walk = Walk::new(c, sizes, by_names);
    walk.site = page.site.map(walk::site_of);
    if c.opts.keep_links || c.opts.keep_images {
        walk.base = page.url.and_then(|u| url::Url::parse(u).ok());
    }
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
    let in_article = containers
        .iter()
        .any(|k| k.article && !k.listing && k.range == range);
    if items {
        // The page is a listing: its items are the teasers and link lines
        // the article rules drop, and every block the walk kept is text.
        range = 0..blocks.len();
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
        if items {
            out.push(b);
            continue;
        }
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
    Selection {
        blocks: out,
        removed,
        in_article,
    }
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
pub(crate) fn sentence_breaks(s: &str) -> usize {
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
