//! What the walk skips, asked of each element as it opens: the boilerplate
//! rules (by tag and by class or id, with the wrappers of the content and the
//! declared article body exempt), threads of dated units, image captions, and
//! whether a table holds data or layout.

use ego_tree::NodeId;
use scraper::{Html, Node};

use super::Walk;
use crate::extract::html::{is_phrasing, without_state_words};
use crate::extract::sentence_breaks;

/// An `id` of more words than this is a slug made from a heading, and is not
/// matched against the boilerplate rules.
const MAX_ID_WORDS: usize = 3;

/// An element with more descendants than this is never an image caption.
const CAPTION_MAX_NODES: usize = 256;

impl Walk<'_> {
    /// Finds the declared article body: the largest element marked
    /// `itemprop="articleBody"` that holds real text.
    pub(super) fn find_declared(&mut self, doc: &Html) {
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

    /// Whether a hidden element is the page's content streamed for a script
    /// to reveal: server rendering that sends the body in a `<div hidden>`
    /// to be shown or swapped into place (when the page names the place, the
    /// `streamed` pass has already moved it there). It has the `hidden`
    /// attribute (not `aria-hidden` or a hiding style, which off-screen
    /// copies and closed dialogs use) and holds the page's text or prose
    /// ([`Walk::holds_the_page`]).
    pub(super) fn streamed(&self, e: &scraper::node::Element, id: NodeId) -> bool {
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
    pub(super) fn boilerplate(
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

    pub(super) fn names_match_content(&self, e: &scraper::node::Element) -> bool {
        let class = e.attr("class").unwrap_or("");
        let idv = e.attr("id").unwrap_or("");
        if class.is_empty() && idv.is_empty() {
            return false;
        }
        self.c
            .content
            .is_match(&format!("{class} {idv}").to_ascii_lowercase())
    }

    /// A thread or a listing: an element whose children include a run of at
    /// least `dated_units_min` siblings of one tag and class that each carry a
    /// `<time>` (comments, replies, teaser cards), whatever their classes are
    /// called. Counted under the `comments` reason. A soft rule: the retry
    /// without class rules drops it too.
    pub(super) fn dated_units(&self, n: ego_tree::NodeRef<'_, Node>) -> Option<usize> {
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
    pub(super) fn is_image_caption(&self, n: ego_tree::NodeRef<'_, Node>) -> bool {
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

    pub(super) fn is_data_table(&self, table: ego_tree::NodeRef<'_, Node>) -> bool {
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
}
