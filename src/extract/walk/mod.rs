//! The walk: one pass over the parsed page in document order that skips what
//! is never text and what the boilerplate rules remove, flattens the rest into
//! [`Block`]s, and scores every container as it closes (content characters
//! against noise). The measuring pass that precedes it is in `measure.rs`.
//!
//! This file holds the walk itself (opening and closing elements); what it
//! skips is in `classify`, the gathering of text into blocks in `blocks`,
//! the scoring and choice of containers in `score`, and the site of a link
//! in `site`.

use std::collections::HashSet;

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use scraper::{Html, Node};

use super::html::{
    initial_alt, is_block, is_container, is_hidden, is_initial_letter, is_link, is_text_block,
};
use super::measure::{Size, Sizes};
use super::{describe, Compiled};
use crate::budget::Budget;
use crate::page::{Block, BlockKind, Image, Link, Tally};

mod blocks;
mod classify;
mod score;
mod site;

use score::Best;
pub(super) use site::site_of;

/// A container being scored: its first block and running totals.
struct Frame {
    first: usize,
    content: f32,
    noise: f32,
    bonus: bool,
    candidate: bool,
    /// Whether the element is an `<article>`.
    article: bool,
    /// How many `<article>` children it has.
    articles: u32,
    /// It (or a descendant) holds several `<article>`s side by side: a listing
    /// of separate pieces (the story plus teasers, or comments), never one article.
    listing: bool,
    /// The element's tag and class, hashed: cards of one kind share it.
    shape: u64,
}

/// A teaser card (a small container titled by a linked heading).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Card {
    /// Its element's tag and class, hashed: the cards of one list share it.
    pub(super) shape: u64,
    /// Its title links to another site. Such a card scores as a teaser, but
    /// inside the article it is an item of a list article (a shop, a book, a
    /// tool and its review), not a teaser for another story of this site.
    pub(super) offsite: bool,
}

/// The innermost block-level element: decides the kind of the text it holds.
struct Ctx {
    node: NodeId,
    /// Whether the element is a paragraph-like run of text ([`is_text_block`]).
    text_block: bool,
    kind: BlockKind,
    prefix: Option<String>,
    pre: bool,
}

/// A container that closed with blocks: its range and what kind of element it was.
pub(super) struct Container {
    pub(super) range: std::ops::Range<usize>,
    pub(super) article: bool,
    pub(super) listing: bool,
}

pub(super) struct Walk<'a> {
    c: &'a Compiled,
    by_names: bool,
    sizes: &'a Sizes,
    /// Text of the whole page.
    page: Size,
    pub(super) blocks: Vec<Block>,
    buf: String,
    buf_links: usize,
    /// Characters of `buf` inside links to another site (see [`Walk::site`]).
    buf_offsite: usize,
    /// The links to another site open around the walk, innermost last.
    offsite: Vec<NodeId>,
    /// The page's own site (see [`site_of`]), when its URL is known: a
    /// heading linked to another site names an item (a shop, a book), not
    /// another story of this one.
    pub(super) site: Option<String>,
    /// Whether the text being gathered starts inside a link (a teaser's title).
    buf_opens_with_link: bool,
    links: u32,
    /// With `keep_links`: the links open around the walk, innermost last:
    /// the element, its target, and where its text starts in `buf`.
    open_links: Vec<(NodeId, String, usize)>,
    /// With `keep_links`: the links of `buf`, for its block.
    buf_hrefs: Vec<Link>,
    /// With `keep_images`: the images met inside `buf`, for its block.
    buf_images: Vec<Image>,
    /// What relative links are resolved against: the page's URL.
    pub(super) base: Option<url::Url>,
    ctx: Vec<Ctx>,
    frames: Vec<(NodeId, Frame)>,
    lists: Vec<(NodeId, bool, i64)>,
    /// Outermost lists opened so far: the number of the current one.
    list_serial: u32,
    /// Data tables open (by node); inside a data row block elements do not break lines.
    tables: Vec<(NodeId, bool)>,
    row_depth: u32,
    row_cells: u32,
    skip: Option<NodeId>,
    best: Option<Best>,
    /// Parallel to `blocks`: the block is a teaser card's title or blurb.
    pub(super) teasers: Vec<bool>,
    /// The small container of the teaser card being read, if any.
    teaser_unit: Option<NodeId>,
    /// What is known of that card.
    teaser_card: Card,
    /// Parallel to `blocks`: the teaser card a teaser block belongs to.
    pub(super) cards: Vec<Option<Card>>,
    /// Every scored container, for the final choice among nested ones.
    candidates: Vec<Best>,
    /// Every container that closed with blocks, innermost first: the block
    /// ranges the selection may widen to.
    pub(super) containers: Vec<Container>,
    pub(super) removed: Tally,
    /// The element the page declares as its article body (schema.org
    /// `itemprop="articleBody"`) and its ancestors, innermost first.
    declared: Vec<NodeId>,
    /// The ids that a toggle on the page names in `aria-controls`: the
    /// panels of accordions and tabs, hidden until clicked.
    disclosed: HashSet<String>,
}

/// Where a kept link points: tabs and line breaks dropped and the ends trimmed
/// (as a URL parser does), made absolute against `base` when there is one.
/// `None` for a link that leads nowhere a reader could follow: empty, an
/// in-page fragment, or a `javascript:`, `vbscript:`, `data:` or `file:` URL.
fn link_target(raw: &str, base: Option<&url::Url>) -> Option<String> {
    let href: String = raw
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let scheme = href.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    if matches!(
        scheme.as_deref(),
        Some("javascript" | "vbscript" | "data" | "file")
    ) {
        return None;
    }
    Some(match base {
        Some(b) => b.join(href).map_or_else(|_| href.to_owned(), String::from),
        None => href.to_owned(),
    })
}

/// An in-page link (`href="#…"`) with at most this much text is a permalink symbol.
const PERMALINK_MAX_CHARS: u32 = 2;

impl<'a> Walk<'a> {
    /// Characters of text under `id`.
    fn chars(&self, id: NodeId) -> u32 {
        self.sizes.get(&id).map_or(0, |s| s.chars)
    }

    pub(super) fn new(c: &'a Compiled, sizes: &'a Sizes, by_names: bool) -> Self {
        Walk {
            c,
            by_names,
            sizes,
            page: Size::default(),
            blocks: Vec::new(),
            buf: String::new(),
            buf_links: 0,
            buf_offsite: 0,
            offsite: Vec::new(),
            site: None,
            buf_opens_with_link: false,
            links: 0,
            open_links: Vec::new(),
            buf_hrefs: Vec::new(),
            buf_images: Vec::new(),
            base: None,
            ctx: Vec::new(),
            frames: Vec::new(),
            lists: Vec::new(),
            list_serial: 0,
            tables: Vec::new(),
            row_depth: 0,
            row_cells: 0,
            skip: None,
            best: None,
            candidates: Vec::new(),
            containers: Vec::new(),
            teasers: Vec::new(),
            teaser_unit: None,
            teaser_card: Card::default(),
            cards: Vec::new(),
            removed: Tally::default(),
            declared: Vec::new(),
            disclosed: HashSet::new(),
        }
    }

    pub(super) fn run(&mut self, doc: &Html, budget: &Budget) {
        self.page = self
            .sizes
            .get(&doc.root_element().id())
            .copied()
            .unwrap_or_default();
        self.find_declared(doc);
        self.disclosed = doc
            .tree
            .nodes()
            .filter_map(|n| n.value().as_element()?.attr("aria-controls"))
            .flat_map(str::split_whitespace)
            .map(str::to_owned)
            .collect();
        for edge in doc.tree.root().traverse() {
            if budget.tick() {
                break;
            }
            match edge {
                Edge::Open(n) => {
                    if self.skip.is_some() {
                        continue;
                    }
                    match n.value() {
                        Node::Element(e) => self.open(n.id(), e, n),
                        Node::Text(t) => self.text(t),
                        _ => {}
                    }
                }
                Edge::Close(n) => {
                    if let Node::Element(e) = n.value() {
                        if self.skip == Some(n.id()) {
                            self.skip = None;
                        } else if self.skip.is_none() {
                            self.close(n.id(), e);
                        }
                    }
                }
            }
        }
        self.flush();
    }

    fn open(&mut self, id: NodeId, e: &scraper::node::Element, n: ego_tree::NodeRef<'_, Node>) {
        let name = e.name();
        if self.c.drop_tags.contains(name)
            || (is_hidden(e)
                && !is_initial_letter(n)
                && !self.streamed(e, id)
                && !e.id().is_some_and(|i| self.disclosed.contains(i)))
        {
            self.skip = Some(id);
            return;
        }
        let reason = self
            .boilerplate(n, e)
            .filter(|_| !is_initial_letter(n))
            .or_else(|| self.dated_units(n))
            .or_else(|| {
                (self.c.caption_reason.is_some() && self.is_image_caption(n))
                    .then_some(self.c.caption_reason)
                    .flatten()
            });
        if let Some(reason) = reason {
            self.skip = Some(id);
            let size = self.chars(id) as f32;
            if let Some((_, f)) = self.frames.last_mut() {
                f.noise += size;
            }
            if let Some(r) = self.c.reasons.get(reason) {
                self.removed.note("extract", r, || describe(n));
            }
            return;
        }
        if name == "a"
            && e.attr("href").is_some_and(|h| h.starts_with('#'))
            && self.chars(id) <= PERMALINK_MAX_CHARS
        {
            // "¶", "#", "§": a heading's permalink, not words
            self.skip = Some(id);
            return;
        }
        match name {
            "br" => {
                if self.row_depth > 0 {
                    self.space();
                } else {
                    self.flush();
                }
                return;
            }
            "a" if is_link(e) => {
                self.links += 1;
                if self.c.opts.keep_links {
                    let href = e.attr("href").unwrap_or_default();
                    if let Some(href) = link_target(href, self.base.as_ref()) {
                        self.open_links.push((id, href, self.buf.len()));
                    }
                }
                if self.is_offsite(e) {
                    self.offsite.push(id);
                }
            }
            "img" => {
                if self.c.opts.keep_images {
                    self.image(e);
                }
                match initial_alt(n) {
                    Some(letter) => self.text(letter),
                    None => self.space(),
                }
            }
            "input" => self.space(),
            _ => {}
        }
        if name == "table" {
            let data = self.is_data_table(n);
            if data && !self.c.opts.keep_tables {
                self.skip = Some(id);
                self.removed.note("extract", "table", || describe(n));
                return;
            }
            self.tables.push((id, data));
        }
        let in_data_table = self.tables.last().is_some_and(|t| t.1);
        if in_data_table && name == "tr" {
            self.flush();
            self.row_depth += 1;
            self.row_cells = 0;
            self.ctx.push(Ctx {
                node: id,
                text_block: true,
                kind: BlockKind::TableRow,
                prefix: None,
                pre: false,
            });
            return;
        }
        if self.row_depth > 0 {
            if matches!(name, "td" | "th") {
                self.cell_break();
            } else if is_block(name) {
                self.space();
            }
            return;
        }
        if !is_block(name) && name != "pre" {
            return;
        }
        self.flush();
        if is_container(name) {
            let bonus = matches!(name, "article" | "main")
                || e.attr("role") == Some("main")
                || e.attr("itemprop")
                    .is_some_and(|v| v.eq_ignore_ascii_case("articleBody"))
                || self.names_match_content(e);
            self.frames.push((
                id,
                Frame {
                    first: self.blocks.len(),
                    content: 0.0,
                    noise: 0.0,
                    bonus,
                    candidate: true,
                    article: name == "article",
                    articles: 0,
                    listing: false,
                    shape: shape_of(e),
                },
            ));
        }
        match name {
            "ol" | "ul" | "menu" | "dir" => {
                let start = e
                    .attr("start")
                    .and_then(|s| s.trim().parse::<i64>().ok())
                    .unwrap_or(1);
                if self.lists.is_empty() {
                    self.list_serial += 1;
                }
                self.lists.push((id, name == "ol", start));
            }
            _ => {}
        }
        let kind = match name {
            "h1" => BlockKind::Heading(1),
            "h2" => BlockKind::Heading(2),
            "h3" => BlockKind::Heading(3),
            "h4" => BlockKind::Heading(4),
            "h5" => BlockKind::Heading(5),
            "h6" => BlockKind::Heading(6),
            "li" => BlockKind::ListItem,
            "blockquote" => BlockKind::Quote,
            "pre" => BlockKind::Code,
            _ => self
                .ctx
                .last()
                .map_or(BlockKind::Paragraph, |c| match c.kind {
                    BlockKind::Quote | BlockKind::Code | BlockKind::ListItem => c.kind,
                    _ => BlockKind::Paragraph,
                }),
        };
        let mut prefix = None;
        if name == "li" {
            if let Some(list) = self.lists.last_mut() {
                if list.1 {
                    let n = e
                        .attr("value")
                        .and_then(|v| v.trim().parse::<i64>().ok())
                        .unwrap_or(list.2);
                    list.2 = n + 1;
                    prefix = Some(format!("{n}. "));
                }
            }
        }
        let pre = name == "pre" || self.ctx.last().is_some_and(|c| c.pre);
        self.ctx.push(Ctx {
            node: id,
            text_block: is_text_block(name),
            kind,
            prefix,
            pre,
        });
    }

    /// Whether the walk is inside a paragraph-like element.
    fn in_text(&self) -> bool {
        self.ctx.last().is_some_and(|c| c.text_block)
    }

    /// With `keep_images`: records an image (its `src`, or the lazy loader's
    /// `data-src` when `src` is a placeholder) for the block being gathered,
    /// or, between blocks, for the block before it: a figure belongs after
    /// the paragraph it follows. Pixels (a width or height of 0 or 1) are
    /// not images.
    fn image(&mut self, e: &scraper::node::Element) {
        let pixel = ["width", "height"].iter().any(|k| {
            e.attr(k)
                .is_some_and(|v| matches!(v.trim(), "0" | "1" | "0px" | "1px"))
        });
        let src = ["src", "data-src", "data-lazy-src", "data-original"]
            .iter()
            .filter_map(|k| e.attr(k))
            .find_map(|s| link_target(s, self.base.as_ref()));
        let (Some(src), false) = (src, pixel) else {
            return;
        };
        let image = Image {
            alt: crate::text::collapse(e.attr("alt").unwrap_or_default()),
            src,
        };
        match self.blocks.last_mut() {
            Some(b) if self.buf.trim().is_empty() => b.images.push(image),
            _ => self.buf_images.push(image),
        }
    }

    fn close(&mut self, id: NodeId, e: &scraper::node::Element) {
        let name = e.name();
        if name == "a" && is_link(e) {
            self.links = self.links.saturating_sub(1);
            if self.open_links.last().is_some_and(|l| l.0 == id) {
                if let Some((_, href, start)) = self.open_links.pop() {
                    let text = self.buf.get(start..).unwrap_or_default().trim();
                    if !text.is_empty() {
                        self.buf_hrefs.push(Link {
                            text: text.to_owned(),
                            href,
                        });
                    }
                }
            }
            if self.offsite.last() == Some(&id) {
                self.offsite.pop();
            }
        }
        if self.tables.last().is_some_and(|t| t.0 == id) {
            self.tables.pop();
        }
        if self.ctx.last().is_some_and(|c| c.node == id) {
            if self
                .ctx
                .last()
                .is_some_and(|c| c.kind == BlockKind::TableRow)
            {
                self.row_depth = self.row_depth.saturating_sub(1);
            }
            self.flush();
            self.ctx.pop();
        } else if self.row_depth == 0 && (is_block(name) || name == "pre") {
            self.flush();
        }
        if self.lists.last().is_some_and(|l| l.0 == id) {
            self.lists.pop();
        }
        if self.frames.last().is_some_and(|f| f.0 == id) {
            if let Some((_, mut f)) = self.frames.pop() {
                f.listing |= f.articles >= 2;
                self.score(&f);
                if let Some((_, parent)) = self.frames.last_mut() {
                    parent.content += f.content;
                    parent.noise += f.noise;
                    parent.articles += u32::from(f.article);
                    parent.listing |= f.listing;
                }
            }
        }
    }
}

/// An element's tag and class attribute, hashed: the cards of one list share it.
fn shape_of(e: &scraper::node::Element) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    e.name().hash(&mut h);
    e.attr("class").unwrap_or("").hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::link_target;

    #[test]
    fn link_targets_are_absolute_and_followable() {
        let base = url::Url::parse("https://example.org/news/story.html").ok();
        let t = |raw| link_target(raw, base.as_ref());
        assert_eq!(
            t("../about\n#team").as_deref(),
            Some("https://example.org/about#team")
        );
        assert_eq!(t(" /a b ").as_deref(), Some("https://example.org/a%20b"));
        assert_eq!(t("#top"), None);
        assert_eq!(t("JavaScript:void(0)"), None);
        assert_eq!(t("file:///etc/passwd"), None);
        assert_eq!(link_target("x.html", None).as_deref(), Some("x.html"));
    }
}
