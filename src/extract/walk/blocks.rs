//! Gathering text into blocks: the buffer of the block being read (spaces,
//! table cells, link characters), and the flush that turns it into a
//! [`Block`], marks teaser cards and adds its characters to the enclosing
//! container's content or noise.

use super::{Card, Walk};
use crate::extract::html::weight;
use crate::page::{Block, BlockKind};

/// A heading at least this many tenths link text is a teaser's title.
const TEASER_TITLE_LINK_SHARE: usize = 8;

impl Walk<'_> {
    pub(super) fn space(&mut self) {
        if !self.buf.is_empty() && !self.buf.ends_with([' ', '\t', '\n']) {
            self.buf.push(' ');
        }
    }

    pub(super) fn cell_break(&mut self) {
        let trimmed = self.buf.trim_end_matches(' ').len();
        self.buf.truncate(trimmed);
        if self.row_cells > 0 {
            self.buf.push('\t');
        }
        self.row_cells += 1;
    }

    pub(super) fn text(&mut self, t: &str) {
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

    /// The links still open start again at the next block's text.
    fn restart_links(&mut self) {
        for l in &mut self.open_links {
            l.2 = 0;
        }
    }

    pub(super) fn flush(&mut self) {
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
            self.buf_hrefs.clear();
            self.restart_links();
            return;
        }
        let text = match prefix {
            Some(p) => format!("{p}{body}"),
            None => body.to_owned(),
        };
        let chars = weight(&text);
        let link_chars = self.buf_links.min(text.chars().count());
        let offsite = std::mem::take(&mut self.buf_offsite);
        self.restart_links();
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
        let depth = u8::try_from(self.lists.len().saturating_sub(1)).unwrap_or(u8::MAX);
        self.blocks.push(Block {
            kind,
            text,
            link_chars,
            list,
            depth,
            links: std::mem::take(&mut self.buf_hrefs),
            images: std::mem::take(&mut self.buf_images),
        });
    }
}
