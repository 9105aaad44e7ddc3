//! Strip: remove what the extractor left behind around the article body.
//!
//! The extract stage hands over the blocks of the main content with DOM-level boilerplate
//! (navigation, footers, figure captions, share bars) already gone. What remains are
//! leftovers that live *inside* the article container or, for `pith clean`, inside text an
//! older scraper produced: headlines and date lines above the body, photo captions and
//! credits, "Related coverage:" and "Popular" lists, "Advertisement" labels, share and
//! subscribe lines, bylines and "Back to …" links.
//!
//! [`boilerplate`] removes them, block by block, in linear time. It leans on structure
//! first — position (above the first paragraph, after the last one), length, closing
//! punctuation, link density, a short lead-in line followed by a run of short title-like
//! lines — and uses words only where structure cannot decide; those words are data in
//! [`Rules`] (the `[strip]` table of a pipeline file), with common equivalents in a few
//! languages. `crate::text::blocks_from_text` turns scraped plain text into blocks for the same
//! function.
//!
//! # What is removed, and the reason it is counted under
//!
//! | reason       | what |
//! |--------------|------|
//! | `date`       | date/time-stamp lines; a `date 2024-01-12` label glued in front of a block (the label alone is cut) |
//! | `headline`   | a block (nearly) equal to the title near the top; in plain text, the short unpunctuated lines above the first paragraph (headline, kicker, caption line) |
//! | `caption`    | photo captions and credits |
//! | `related`    | "Related coverage:" / "Read more" lead-ins and the list after them; link-only blocks and link lists (HTML) |
//! | `popular`    | "Popular" / "Most read" / "Ranking" headings together with their list |
//! | `navigation` | "Back to …" links after the body, breadcrumbs, a top line naming the section a "Back to" link returns to |
//! | `advert`     | "Advertisement" labels, "Click here to subscribe" promos |
//! | `share`      | "Share this" lines and rows of network names |
//! | `byline`     | "By Jane Doe" lines |
//! | `counter`    | furniture: reading time, view, hit and comment counts, alone or in a meta line with dates and bylines |
//! | `subscribe`  | furniture: newsletter and subscription prompts |
//! | `source`     | furniture: "(Source: …)", "Originally published on …" notes |
//! | `copyright`  | furniture: copyright and reproduction notices |
//! | `tags`       | furniture: "Tags: …" lists, rows of hashtags |
//! | `pager`      | furniture: previous/next and back-to-top links |
//! | `comments`   | furniture: "Leave a reply", "Comments are closed", spam-filter notes |
//! | `login`      | furniture: log-in prompts |
//! | `bio`        | a closing box about the author, reviewer or site: its label ("About the Author") and what follows, when at most `bio_max_blocks` blocks follow |
//!
//! Furniture lines go only at an edge of the body: above its first paragraph or
//! below its last (other furniture does not count as a paragraph there).
//!
//! A block that is long or ends like a sentence is never taken for a list item or a
//! label line, so real paragraphs survive even when they start with "Photo" or mention
//! "popular". The thresholds are [`Rules`] fields or named constants below.

use regex::Regex;

use crate::page::{Block, BlockKind, Tally};
use crate::text::{
    char_len, ends_with, is_sentence, normalize, prose_lists, similarity, Closing, Headline,
    FULL_STOP, SENTENCE_END,
};

mod rules;
pub use rules::{Compiled, Rules};

const DATE: &str = "date";
const HEADLINE: &str = "headline";
const CAPTION: &str = "caption";
const RELATED: &str = "related";
const POPULAR: &str = "popular";
const NAVIGATION: &str = "navigation";
const ADVERT: &str = "advert";
const SHARE: &str = "share";
const BYLINE: &str = "byline";
const COUNTER: &str = "counter";
const SUBSCRIBE: &str = "subscribe";
const SOURCE: &str = "source";
const COPYRIGHT: &str = "copyright";
const TAGS: &str = "tags";
const PAGER: &str = "pager";
const COMMENTS: &str = "comments";
const LOGIN: &str = "login";
const BIO: &str = "bio";

fn any(res: &[Regex], s: &str) -> bool {
    res.iter().any(|r| r.is_match(s))
}

fn count(res: &[Regex], s: &str) -> usize {
    res.iter().map(|r| r.find_iter(s).count()).sum()
}

/// What [`boilerplate`] knows about the page besides its blocks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The page's headline, when known (HTML `<title>`/`og:title`, or metadata).
    pub title: Option<&'a str>,
    /// `true` for `pith clean` input (text from an older scraper, no link information).
    pub plain_text: bool,
    /// The blocks are the items of a listing (a news index, a shop
    /// category): its link lists and linked lines are the content, so the
    /// section, link-list and link-block steps are left out.
    pub items: bool,
}

/// The reason a block is to be removed under, or `None` while it stays; one per block.
type Mark = Option<&'static str>;

/// Remove leftover blocks; count each removal by reason (see the module docs) into `removed`.
///
/// Besides whole blocks, a date label glued in front of a block ("date 2024-01-12 …") is cut
/// off and counted under `date`. Runs in time linear in the number of blocks.
///
/// Each step marks blocks for removal; a later step skips what an earlier one marked, so the
/// order matters. Nothing is dropped until the last step.
pub fn boilerplate(blocks: &mut Vec<Block>, rules: &Compiled, ctx: &Context, removed: &mut Tally) {
    let mut marks: Vec<Mark> = vec![None; blocks.len()];
    mark_labels(blocks, rules, &mut marks, removed);
    mark_edge_furniture(blocks, rules, &mut marks);
    mark_bio_box(blocks, rules, &mut marks);
    let back_targets = mark_back_links(blocks, rules, &mut marks);
    if !ctx.items {
        mark_sections(blocks, rules, &mut marks);
        let protected = mark_link_lists(blocks, rules, &mut marks);
        mark_link_blocks(blocks, rules, &protected, &mut marks);
    }
    mark_headline(blocks, rules, ctx, &mut marks);
    mark_lead_lines(blocks, rules, ctx, &back_targets, &mut marks);
    drop_marked(blocks, &marks, removed);
}

/// Step 1: cuts a date label glued in front of a block, then marks self-evident label lines
/// and captions, which need no context to tell them from text.
fn mark_labels(blocks: &mut [Block], rules: &Compiled, marks: &mut [Mark], removed: &mut Tally) {
    for (i, b) in blocks.iter_mut().enumerate() {
        if let Some(end) = rules.date_label_end(&b.text) {
            let rest = b.text[end..].trim();
            if rest.is_empty() {
                marks[i] = Some(DATE);
                continue;
            }
            let rest = rest.to_string();
            let label = b.text[..end].trim().to_owned();
            b.link_chars = b.link_chars.min(char_len(&rest));
            b.text = rest;
            removed.note("strip", DATE, || label);
        }
        let s = b.text.trim();
        let len = char_len(s);
        marks[i] = rules.label_reason(s, len).or_else(|| {
            (!matches!(b.kind, BlockKind::Heading(_)) && rules.is_caption(s, len))
                .then_some(CAPTION)
        });
    }
}

/// Step 2: marks furniture lines (counters, prompts, notices, tags, pager links) above the
/// first paragraph or below the last, where they frame the body; in the middle they stay.
///
/// Furniture does not count as a paragraph, so a notice ending in a full stop is still at
/// the edge.
fn mark_edge_furniture(blocks: &[Block], rules: &Compiled, marks: &mut [Mark]) {
    let n = blocks.len();
    let furniture: Vec<Mark> = blocks
        .iter()
        .zip(marks.iter())
        .map(|(b, mark)| {
            let s = b.text.trim();
            mark.is_none()
                .then(|| rules.furniture_reason(s, char_len(s)))
                .flatten()
        })
        .collect();
    let paragraph =
        |i: usize| marks[i].is_none() && furniture[i].is_none() && rules.is_body(&blocks[i]);
    let first_body = (0..n).find(|&i| paragraph(i));
    let last_body = (0..n).rev().find(|&i| paragraph(i));
    for (i, reason) in furniture.iter().enumerate() {
        let edge = first_body.is_none_or(|f| i < f) || last_body.is_none_or(|l| i > l);
        if let (Some(reason), true) = (reason, edge) {
            marks[i] = Some(reason);
        }
    }
}

/// Step 2b: marks a closing box about the author or the site: a bio label near the end goes
/// with the blocks under it, up to the next heading that is not another such label (an FAQ
/// after the author box is text).
fn mark_bio_box(blocks: &[Block], rules: &Compiled, marks: &mut [Mark]) {
    let r = &rules.rules;
    let n = blocks.len();
    let is_bio = |b: &Block| {
        let s = b.text.trim();
        char_len(s) <= r.label_max_chars && any(&rules.bio, s)
    };
    let tail_from = n.saturating_sub(r.bio_max_blocks + 1);
    if let Some(start) = (tail_from..n).find(|&i| marks[i].is_none() && is_bio(&blocks[i])) {
        for i in start..n {
            let heading = matches!(blocks[i].kind, BlockKind::Heading(_));
            if i > start && heading && !is_bio(&blocks[i]) {
                break;
            }
            if marks[i].is_none() {
                marks[i] = Some(BIO);
            }
        }
    }
}

/// Step 3: marks "Back to …" links after the last paragraph (or link-only ones anywhere),
/// which lead off the article; returns the normalized targets they name, for
/// [`mark_lead_lines`] to recognise the section line at the top.
fn mark_back_links(blocks: &[Block], rules: &Compiled, marks: &mut [Mark]) -> Vec<String> {
    let r = &rules.rules;
    let n = blocks.len();
    let last_body = (0..n)
        .rev()
        .find(|&i| marks[i].is_none() && rules.is_body(&blocks[i]));
    let mut back_targets: Vec<String> = Vec::new();
    for i in 0..n {
        let s = blocks[i].text.trim();
        if marks[i].is_some()
            || char_len(s) > r.label_max_chars
            || ends_with(s, FULL_STOP, Closing::TagAware)
        {
            continue;
        }
        let after_body = last_body.is_none_or(|lb| i > lb);
        if !after_body && blocks[i].link_density() < r.link_item_density {
            continue;
        }
        if let Some(m) = rules.back_to.iter().find_map(|re| re.find(s)) {
            if m.start() == 0 {
                marks[i] = Some(NAVIGATION);
                back_targets.push(normalize(&s[m.end()..]));
            }
        }
    }
    back_targets
}

/// Step 4: marks section headings ("Related coverage:", "Most read") with the run of
/// list-like lines after them: a list of other articles, not part of this one.
fn mark_sections(blocks: &[Block], rules: &Compiled, marks: &mut [Mark]) {
    let n = blocks.len();
    let mut i = 0;
    while i < n {
        let reason = match (marks[i], rules.section_reason(&blocks[i])) {
            (None, Some(reason)) => reason,
            _ => {
                i += 1;
                continue;
            }
        };
        let mut j = i + 1;
        let mut items = 0;
        while j < n {
            if marks[j].is_none() && !blocks[j].text.trim().is_empty() {
                if !rules.is_list_like(&blocks[j]) {
                    break;
                }
                items += 1;
            }
            j += 1;
        }
        // A popular/ranking word alone is weak: keep such a heading when body text follows
        // it directly ("Popular culture" as a subheading).
        if reason == RELATED || items > 0 || j == n {
            marks[i] = Some(reason);
            for k in i + 1..j {
                if marks[k].is_none() && !blocks[k].text.trim().is_empty() {
                    marks[k] = Some(rules.section_reason(&blocks[k]).unwrap_or(reason));
                }
            }
        }
        i = j;
    }
}

/// Step 5 (HTML): marks link lists, runs of link items with the short lead-in line before
/// them, which point at other pages; returns which blocks are protected as text (items of
/// lists that hold prose, linked headings over running text), for [`mark_link_blocks`].
fn mark_link_lists(blocks: &[Block], rules: &Compiled, marks: &mut [Mark]) -> Vec<bool> {
    let r = &rules.rules;
    let n = blocks.len();
    // Items of a list that holds prose are text, not a link list.
    let prose = prose_lists(blocks, r.link_sentence_min_words, r.link_item_density);
    // So is a linked heading over plain running text: a list article names
    // each item by its link ("1. <a>Colorful Standard</a>" and its review).
    let mut protected: Vec<bool> = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            b.list.is_some_and(|l| prose.contains(&l))
                || (matches!(b.kind, BlockKind::Heading(_))
                    && blocks.get(i + 1).is_some_and(|n| {
                        marks[i + 1].is_none()
                            && rules.is_body(n)
                            && n.link_density() < r.link_item_density
                    }))
        })
        .collect();
    let mut i = 0;
    while i < n {
        if marks[i].is_some() || protected[i] || !rules.is_link_item(&blocks[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n && marks[j].is_none() && !protected[j] && rules.is_link_item(&blocks[j]) {
            j += 1;
        }
        let sentences = r.link_sentence_min_words > 0
            && i > 0
            && marks[i - 1].is_none()
            && !rules.is_link_item(&blocks[i - 1])
            && j < n
            && rules.is_body(&blocks[j])
            && blocks[i..j].iter().all(|b| {
                b.kind == BlockKind::ListItem && is_sentence(&b.text, r.link_sentence_min_words)
            });
        if sentences {
            protected[i..j].iter_mut().for_each(|p| *p = true);
        }
        if j - i >= r.min_link_run && !sentences {
            for mark in &mut marks[i..j] {
                *mark = Some(RELATED);
            }
            if i > 0 && marks[i - 1].is_none() {
                let intro = &blocks[i - 1];
                let s = intro.text.trim();
                if !s.is_empty()
                    && char_len(s) <= r.label_max_chars
                    && !ends_with(s, FULL_STOP, Closing::TagAware)
                {
                    marks[i - 1] = Some(rules.section_reason(intro).unwrap_or(RELATED));
                }
            }
        }
        i = j;
    }
    protected
}

/// Step 6 (HTML): marks single link-only blocks ("Also read: <link>", a stray link line),
/// which point away from the article; a finished sentence whose words are mostly a link
/// cites a source and stays.
fn mark_link_blocks(blocks: &[Block], rules: &Compiled, protected: &[bool], marks: &mut [Mark]) {
    let r = &rules.rules;
    for ((b, mark), protected) in blocks.iter().zip(marks.iter_mut()).zip(protected) {
        if mark.is_none()
            && !protected
            && b.link_density() >= r.link_heavy_density
            && char_len(&b.text) <= r.link_block_max_chars
            && !ends_with(b.text.trim(), FULL_STOP, Closing::TagAware)
        {
            *mark = Some(if any(&rules.navigation, &b.text) {
                NAVIGATION
            } else {
                RELATED
            });
        }
    }
}

/// Step 7: marks the headline, a block (nearly) equal to the title near the top, which the
/// article's metadata already carries.
fn mark_headline(blocks: &[Block], rules: &Compiled, ctx: &Context, marks: &mut [Mark]) {
    let r = &rules.rules;
    let n = blocks.len();
    let title = ctx.title.map(normalize).filter(|t| !t.is_empty());
    if let Some(title) = &title {
        let leading = (0..n)
            .filter(|&i| marks[i].is_none() && !blocks[i].text.trim().is_empty())
            .take(Headline::Strip.window());
        for i in leading.collect::<Vec<_>>() {
            if similarity(&normalize(&blocks[i].text), title) >= r.title_similarity {
                marks[i] = Some(HEADLINE);
            }
        }
    }
}

/// Step 8: marks what sits above the first paragraph: captions with a single hint and, in
/// plain text, short unpunctuated lines (section name, kicker, headline, caption line) that
/// head the page rather than the text.
///
/// The latter go only when a paragraph does follow and there are few of them; a line naming
/// a "Back to" target of [`mark_back_links`] counts as navigation.
fn mark_lead_lines(
    blocks: &[Block],
    rules: &Compiled,
    ctx: &Context,
    back_targets: &[String],
    marks: &mut [Mark],
) {
    let r = &rules.rules;
    let n = blocks.len();
    let mut lead: Vec<(usize, &'static str)> = Vec::new();
    let mut reached_body = false;
    for i in 0..n {
        let b = &blocks[i];
        let s = b.text.trim();
        if marks[i].is_some() || s.is_empty() {
            continue;
        }
        let len = char_len(s);
        let heading = matches!(b.kind, BlockKind::Heading(_));
        if !heading && len <= r.caption_max_chars && count(&rules.caption_hint, s) >= 1 {
            marks[i] = Some(CAPTION);
        } else if ctx.plain_text
            && b.kind == BlockKind::Paragraph
            && len <= r.lead_line_max_chars
            && !ends_with(s, SENTENCE_END, Closing::TagAware)
            && !s.ends_with([':', '：'])
        {
            let norm = normalize(s);
            let reason = if back_targets.iter().any(|t| !t.is_empty() && *t == norm) {
                NAVIGATION
            } else {
                HEADLINE
            };
            lead.push((i, reason));
        } else {
            reached_body = true;
            break;
        }
    }
    if reached_body && lead.len() <= r.max_lead_lines {
        for (i, reason) in lead {
            marks[i] = Some(reason);
        }
    }
}

/// Last step: drops the marked blocks, counting each under its reason in `removed`.
fn drop_marked(blocks: &mut Vec<Block>, marks: &[Mark], removed: &mut Tally) {
    let mut idx = 0;
    blocks.retain(|b| {
        let mark = marks[idx];
        idx += 1;
        match mark {
            Some(reason) => {
                removed.note("strip", reason, || b.text.clone());
                false
            }
            None => true,
        }
    });
}

#[cfg(test)]
mod tests;
