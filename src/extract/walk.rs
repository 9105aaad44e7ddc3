//! The walk: one pass over the parsed page in document order that skips what
//! is never text and what the boilerplate rules remove, flattens the rest into
//! [`Block`]s, and scores every container as it closes (content characters
//! against noise). The measuring pass that precedes it is in `measure.rs`.

use std::collections::HashSet;

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use scraper::{Html, Node};

use super::html::{
    initial_alt, is_block, is_container, is_hidden, is_initial_letter, is_link, is_phrasing,
    is_text_block, weight, without_state_words,
};
use super::measure::{Size, Sizes};
use super::{describe, sentence_breaks, Compiled};
use crate::budget::Budget;
use crate::page::{Block, BlockKind, Tally};

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

struct Best {
    score: f32,
    content: f32,
    range: std::ops::Range<usize>,
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

/// A heading at least this many tenths link text is a teaser's title.
const TEASER_TITLE_LINK_SHARE: usize = 8;

/// An `id` of more words than this is a slug made from a heading, and is not
/// matched against the boilerplate rules.
const MAX_ID_WORDS: usize = 3;

/// An element with more descendants than this is never an image caption.
const CAPTION_MAX_NODES: usize = 256;

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

    /// Finds the declared article body: the largest element marked
    /// `itemprop="articleBody"` that holds real text.
    fn find_declared(&mut self, doc: &Html) {
        /// Less text than this is a marker, not a body.
        const DECLARED_MIN_CHARS: u32 = 200;
        let body = doc
            .tree
            .nodes()
            .filter(|n| {
                n.value().as_element().is_some_and(|e| {
                    e.attr("itemprop")
                        .is_some_and(|p| p.split_whitespace().any(|t| t == "articleBody"))
                })
            })
            .map(|n| (self.sizes.get(&n.id()).map_or(0, |s| s.chars), n))
            .filter(|(chars, _)| *chars >= DECLARED_MIN_CHARS)
            .max_by_key(|(chars, _)| *chars);
        if let Some((_, n)) = body {
            self.declared = std::iter::once(n.id())
                .chain(n.ancestors().map(|a| a.id()))
                .collect();
        }
    }

    /// Whether `n` lies outside the declared article body, when there is one:
    /// neither inside it nor one of its ancestors.
    fn outside_declared(&self, n: ego_tree::NodeRef<'_, Node>) -> bool {
        let Some(&body) = self.declared.first() else {
            return false;
        };
        !self.declared.contains(&n.id()) && !n.ancestors().any(|a| a.id() == body)
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

    /// Whether a hidden element is the page's content streamed for a script
    /// to reveal: server rendering that sends the body in a `<div hidden>`
    /// to be shown or swapped into place (when the page names the place, the
    /// `streamed` pass has already moved it there). It has the `hidden`
    /// attribute (not `aria-hidden` or a hiding style, which off-screen
    /// copies and closed dialogs use) and holds the page's text or prose
    /// ([`Walk::holds_the_page`]).
    fn streamed(&self, e: &scraper::node::Element, id: NodeId) -> bool {
        e.attr("hidden").is_some() && self.holds_the_page(id, true)
    }

    /// Whether the element holds at least `wrapper_share` of the page's text
    /// (or, `by_prose`, of its `<p>` prose): a wrapper of the content,
    /// whatever its markup says.
    fn holds_the_page(&self, id: NodeId, by_prose: bool) -> bool {
        let size = self.sizes.get(&id).copied().unwrap_or_default();
        let share = self.c.opts.wrapper_share;
        let holds = |part: u32, whole: u32| whole > 0 && part as f32 >= share * whole as f32;
        holds(size.chars, self.page.chars) || (by_prose && holds(size.para, self.page.para))
    }

    /// The reason a boilerplate rule removes this element, if one does.
    fn boilerplate(
        &self,
        n: ego_tree::NodeRef<'_, Node>,
        e: &scraper::node::Element,
    ) -> Option<usize> {
        let id = n.id();
        if matches!(e.name(), "html" | "body") {
            return None;
        }
        let by_tag = self.c.tag_reason.get(e.name()).copied();
        let by_name = || {
            // A phrase inside running text (a dateline <span> at the start of a
            // paragraph) belongs to that text whatever its class says.
            if !self.by_names || (is_phrasing(e.name()) && self.in_text()) {
                return None;
            }
            let class = e.attr("class").unwrap_or("");
            // An id made from a heading ("sharing-with-a-single-developer")
            // names a section of the text, not a widget.
            let idv = e
                .attr("id")
                .filter(|id| id.split(['-', '_']).count() <= MAX_ID_WORDS)
                .unwrap_or("");
            if class.is_empty() && idv.is_empty() {
                return None;
            }
            let hay = format!("{class} {idv}").to_ascii_lowercase();
            let hay = without_state_words(&hay);
            let hit = self.c.names.matches(&hay).into_iter().next()?;
            // An embedded post (its text quoted in a `<blockquote>`), not a
            // "Tweet this" button: asked only of elements a rule would remove.
            if self.c.embed.is_match(&hay)
                && n.descendants().any(|d| {
                    d.value()
                        .as_element()
                        .is_some_and(|e| e.name() == "blockquote")
                })
            {
                return None;
            }
            let reason = self.c.name_reason.get(hit).copied()?;
            let keeps = self.c.opts.remove[reason].prose_keeps;
            (keeps == 0 || self.sizes.get(&id).map_or(0, |s| s.para) < keeps).then_some(reason)
        };
        let reason = by_tag.or_else(by_name)?;
        // A wrapper, not a widget: it holds most of the page's text, or (for any
        // rule but comments, whose threads can outgrow the story) most of its
        // prose. When the page declares its article body, that body and what
        // holds it are wrappers whatever their classes say, and nothing else
        // is: a long footer beside a short story is still a footer.
        if self.declared.contains(&id) {
            return None;
        }
        if self.outside_declared(n) {
            return Some(reason);
        }
        if self.c.opts.remove[reason].outgrows_story {
            return Some(reason);
        }
        let comments = self.c.reasons.get(reason).is_some_and(|r| r == "comments");
        (!self.holds_the_page(id, !comments)).then_some(reason)
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
                if self.is_offsite(e) {
                    self.offsite.push(id);
                }
            }
            "img" => match initial_alt(n) {
                Some(letter) => self.text(letter),
                None => self.space(),
            },
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

    /// Whether `<a>` links to another site than the page's own (unknown: no).
    fn is_offsite(&self, e: &scraper::node::Element) -> bool {
        let Some(site) = &self.site else {
            return false;
        };
        e.attr("href")
            .and_then(|h| super::meta::host(h.trim()))
            .is_some_and(|h| !in_site(h, site))
    }

    /// Whether the walk is inside a paragraph-like element.
    fn in_text(&self) -> bool {
        self.ctx.last().is_some_and(|c| c.text_block)
    }

    fn names_match_content(&self, e: &scraper::node::Element) -> bool {
        let class = e.attr("class").unwrap_or("");
        let idv = e.attr("id").unwrap_or("");
        if class.is_empty() && idv.is_empty() {
            return false;
        }
        self.c
            .content
            .is_match(&format!("{class} {idv}").to_ascii_lowercase())
    }

    fn close(&mut self, id: NodeId, e: &scraper::node::Element) {
        let name = e.name();
        if name == "a" && is_link(e) {
            self.links = self.links.saturating_sub(1);
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

    fn score(&mut self, f: &Frame) {
        if !f.candidate || f.first == self.blocks.len() {
            return;
        }
        self.containers.push(Container {
            range: f.first..self.blocks.len(),
            article: f.article,
            listing: f.listing,
        });
        if f.listing {
            return;
        }
        let bonus = if f.bonus {
            self.c.opts.content_bonus
        } else {
            1.0
        };
        let score = f.content * bonus - self.c.opts.penalty * f.noise;
        let range = f.first..self.blocks.len();
        if self.best.as_ref().is_none_or(|b| score > b.score) {
            self.best = Some(Best {
                score,
                content: f.content,
                range: range.clone(),
            });
        }
        if score > 0.0 {
            self.candidates.push(Best {
                score,
                content: f.content,
                range,
            });
        }
    }

    /// The container to take: the best-scoring one, or the tightest container
    /// inside it that keeps nearly all of its content (the rest is page frame).
    pub(super) fn choice(&self) -> Option<std::ops::Range<usize>> {
        let best = self.best.as_ref()?;
        let floor = best.content * self.c.opts.shrink_share;
        self.candidates
            .iter()
            .filter(|b| {
                b.content >= floor
                    && b.range.start >= best.range.start
                    && b.range.end <= best.range.end
            })
            .min_by_key(|b| b.range.len())
            .map(|b| b.range.clone())
    }

    /// A thread or a listing: an element whose children include a run of at
    /// least `dated_units_min` siblings of one tag and class that each carry a
    /// `<time>` (comments, replies, teaser cards), whatever their classes are
    /// called. Counted under the `comments` reason. A soft rule: the retry
    /// without class rules drops it too.
    fn dated_units(&self, n: ego_tree::NodeRef<'_, Node>) -> Option<usize> {
        /// How many descendants of one unit are searched for a `<time>`.
        const UNIT_SCAN: usize = 200;
        let min = self.c.opts.dated_units_min;
        if !self.by_names || min == 0 || self.c.comments_reason.is_none() {
            return None;
        }
        let mut groups: Vec<(&str, &str, usize, usize)> = Vec::new();
        for child in n.children() {
            let Some(e) = child.value().as_element() else {
                continue;
            };
            let key = (e.name(), e.attr("class").unwrap_or(""));
            let dated = child
                .descendants()
                .take(UNIT_SCAN)
                .any(|d| d.value().as_element().is_some_and(|x| x.name() == "time"));
            match groups.iter_mut().find(|g| (g.0, g.1) == key) {
                Some(g) => {
                    g.2 += 1;
                    g.3 += usize::from(dated);
                }
                None => groups.push((key.0, key.1, 1, usize::from(dated))),
            }
        }
        groups
            .iter()
            .any(|g| g.2 >= min && g.3 * 4 >= g.2 * 3)
            .then_some(self.c.comments_reason)
            .flatten()
    }

    /// Text bound to an image: a small block whose children are the image
    /// (with no text of its own) and, beside it, a short text. Words running
    /// around an inline picture, or a short story that happens to hold an
    /// image inside its own text, are not captions.
    fn is_image_caption(&self, n: ego_tree::NodeRef<'_, Node>) -> bool {
        /// How many descendants of one child are searched for an image.
        const SCAN_LIMIT: usize = 16;
        let Some(e) = n.value().as_element() else {
            return false;
        };
        if !matches!(
            e.name(),
            "div" | "figure" | "table" | "center" | "span" | "dl" | "p"
        ) {
            return false;
        }
        let size = |id: NodeId| self.chars(id) as usize;
        let total = size(n.id());
        if total == 0 || total > self.c.opts.caption_max_chars {
            return false;
        }
        // look through single-child wrappers (a table's tbody, a lone row),
        // but not past text of the wrapper's own (a paragraph that opens with
        // a picture is a paragraph)
        let mut n = n;
        for _ in 0..3 {
            let own_text = n
                .children()
                .any(|c| c.value().as_text().is_some_and(|t| !t.trim().is_empty()));
            let mut elements = n.children().filter(|c| c.value().is_element());
            match (elements.next(), elements.next(), own_text) {
                (Some(only), None, false) => n = only,
                _ => break,
            }
        }
        // several sentences beside a picture are a passage (a how-to step), not a caption
        // a caption is a handful of nodes; a deep or wide subtree is not one
        if n.descendants().nth(CAPTION_MAX_NODES).is_some() {
            return false;
        }
        let text: String = n
            .descendants()
            .filter_map(|d| d.value().as_text().map(|t| &**t))
            .collect();
        // link text beside a logo is a menu, not a caption
        let linked: usize = n
            .descendants()
            .filter(|d| d.value().as_element().is_some_and(|e| e.name() == "a"))
            .map(|a| size(a.id()))
            .sum();
        if linked * 2 > total {
            return false;
        }
        if sentence_breaks(&text) > 0 && !text.contains('©') {
            return false;
        }
        let mut image = false;
        for child in n.children() {
            match child.value() {
                Node::Text(t) if !t.trim().is_empty() => return false,
                Node::Element(_) if size(child.id()) == 0 => {
                    image |= child.descendants().take(SCAN_LIMIT).any(|d| {
                        d.value().as_element().is_some_and(|el| {
                            matches!(el.name(), "img" | "picture" | "amp-img" | "video")
                        })
                    });
                }
                _ => {}
            }
        }
        image
    }

    fn is_data_table(&self, table: ego_tree::NodeRef<'_, Node>) -> bool {
        /// A cell holding more characters than this is layout, not data.
        const DATA_CELL_MAX_CHARS: u32 = 400;
        /// How many descendants to look at before deciding.
        const SCAN_LIMIT: usize = 5000;
        let mut widest_row = 0;
        let mut cells_in_row = 0;
        for (i, d) in table.descendants().enumerate().skip(1) {
            if i > SCAN_LIMIT {
                break;
            }
            if let Node::Element(e) = d.value() {
                match e.name() {
                    "table" => return false,
                    "tr" => cells_in_row = 0,
                    "td" | "th" => {
                        cells_in_row += 1;
                        widest_row = widest_row.max(cells_in_row);
                        if self.chars(d.id()) > DATA_CELL_MAX_CHARS {
                            return false;
                        }
                    }
                    "p" | "div" | "ul" | "ol" | "h1" | "h2" | "h3" | "blockquote" => return false,
                    _ => {}
                }
            }
        }
        widest_row >= 2
    }

    fn space(&mut self) {
        if !self.buf.is_empty() && !self.buf.ends_with([' ', '\t', '\n']) {
            self.buf.push(' ');
        }
    }

    fn cell_break(&mut self) {
        let trimmed = self.buf.trim_end_matches(' ').len();
        self.buf.truncate(trimmed);
        if self.row_cells > 0 {
            self.buf.push('\t');
        }
        self.row_cells += 1;
    }

    fn text(&mut self, t: &str) {
        let pre = self.ctx.last().is_some_and(|c| c.pre);
        let before = self.buf.len();
        if self.buf.trim_start().is_empty() && !t.trim().is_empty() {
            self.buf_opens_with_link = self.links > 0;
        }
        if pre {
            self.buf.push_str(t);
        } else {
            for ch in t.chars() {
                if ch.is_ascii_whitespace() {
                    if !self.buf.is_empty() && !self.buf.ends_with([' ', '\t']) {
                        self.buf.push(' ');
                    }
                } else {
                    self.buf.push(ch);
                }
            }
        }
        if self.links > 0 {
            let n = self.buf[before..]
                .chars()
                .filter(|c| !c.is_whitespace())
                .count();
            self.buf_links += n;
            if !self.offsite.is_empty() {
                self.buf_offsite += n;
            }
        }
    }

    fn flush(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let ctx = self.ctx.last_mut();
        let (kind, prefix, pre) = match ctx {
            Some(c) => (c.kind, c.prefix.take(), c.pre),
            None => (BlockKind::Paragraph, None, false),
        };
        let body = if pre {
            self.buf.trim_matches(|c| c == '\n' || c == '\r').trim_end()
        } else if kind == BlockKind::TableRow {
            self.buf
                .trim_end_matches([' ', '\t'])
                .trim_start_matches(' ')
        } else {
            self.buf.trim_matches(|c: char| c == ' ' || c == '\t')
        };
        if body.chars().all(|c| c.is_whitespace()) {
            self.buf.clear();
            self.buf_links = 0;
            self.buf_offsite = 0;
            return;
        }
        let text = match prefix {
            Some(p) => format!("{p}{body}"),
            None => body.to_owned(),
        };
        let chars = weight(&text);
        let link_chars = self.buf_links.min(text.chars().count());
        let offsite = std::mem::take(&mut self.buf_offsite);
        self.buf.clear();
        self.buf_links = 0;
        // A heading linked to another site names an item of a list article
        // (a shop, a book, a tool), not a teaser for another story here.
        let linked_heading = matches!(kind, BlockKind::Heading(_))
            && link_chars * 10 >= text.chars().count() * TEASER_TITLE_LINK_SHARE;
        let offsite_heading = linked_heading && offsite * 2 >= link_chars.max(1);
        let in_teaser = self
            .teaser_unit
            .is_some_and(|u| self.frames.iter().any(|(id, _)| *id == u));
        if !in_teaser {
            self.teaser_unit = None;
        }
        if linked_heading && !in_teaser {
            // A heading that is a link to elsewhere titles a teaser card; the
            // rest of a small card is its blurb.
            if let Some((id, f)) = self.frames.last() {
                if self.sizes.get(id).map_or(u32::MAX, |s| s.chars) <= self.c.opts.teaser_max_chars
                {
                    self.teaser_unit = Some(*id);
                    self.teaser_card = Card {
                        shape: f.shape,
                        offsite: offsite_heading,
                    };
                }
            }
        }
        // A linked title followed by a cut-off excerpt ("… may soon...") is a teaser too.
        let excerpt = std::mem::take(&mut self.buf_opens_with_link)
            && link_chars < text.chars().count()
            && (text.ends_with('…') || text.ends_with("...") && !text.ends_with("...."));
        let teaser = in_teaser || excerpt || (linked_heading && self.teaser_unit.is_some());
        if let Some((_, f)) = self.frames.last_mut() {
            let n = chars as f32;
            let l = link_chars as f32;
            if teaser {
                f.noise += n;
            } else if matches!(kind, BlockKind::Heading(_)) && link_chars == 0 {
                // headings neither make nor break a container
            } else if l / n.max(1.0) > self.c.opts.link_density_max {
                f.noise += n;
            } else if chars >= self.c.opts.min_block_chars {
                f.content += n - l;
                f.noise += l;
            }
        }
        self.teasers.push(teaser);
        self.cards
            .push((teaser && self.teaser_unit.is_some()).then_some(self.teaser_card));
        let list = (!self.lists.is_empty()).then_some(self.list_serial);
        self.blocks.push(Block {
            kind,
            text,
            link_chars,
            list,
        });
    }
}

/// Whether `host` belongs to `site` (as [`site_of`] gives it): the site
/// itself or a subdomain of it, case aside. No allocation: it runs for every
/// link the walk opens and closes.
fn in_site(host: &str, site: &str) -> bool {
    let host = host.trim_end_matches('.');
    let Some(cut) = host.len().checked_sub(site.len()) else {
        return false;
    };
    host.is_char_boundary(cut)
        && host[cut..].eq_ignore_ascii_case(site)
        && (cut == 0 || host[..cut].ends_with('.'))
}

/// A host's site: its last two labels, or three under a short second-level
/// label of a country (`shop.example.co.uk` -> `example.co.uk`), lowercase,
/// so `blog.example.com` and `www.example.com` are one site.
pub(super) fn site_of(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    let keep = if n >= 3 && labels[n - 1].len() == 2 && labels[n - 2].len() <= 3 {
        3
    } else {
        2
    };
    labels[n.saturating_sub(keep)..].join(".")
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
    use super::site_of;

    #[test]
    fn sites_fold_subdomains() {
        assert_eq!(site_of("www.Example.com"), "example.com");
        assert_eq!(site_of("blog.example.com"), "example.com");
        assert_eq!(site_of("shop.example.co.uk"), "example.co.uk");
        assert_eq!(site_of("example.com."), "example.com");
        assert_eq!(site_of("localhost"), "localhost");
        assert_ne!(site_of("trustpilot.com"), site_of("legalzoom.com"));
        assert!(super::in_site("Blog.Example.com", "example.com"));
        assert!(super::in_site("example.com.", "example.com"));
        assert!(!super::in_site("notexample.com", "example.com"));
        assert!(!super::in_site("com", "example.com"));
    }
}
