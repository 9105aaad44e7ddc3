//! Scoring the containers as they close and choosing among them: the best
//! score, or the tightest container inside it that keeps nearly all of its
//! content.

use super::{Container, Frame, Walk};

pub(super) struct Best {
    score: f32,
    content: f32,
    range: std::ops::Range<usize>,
}

impl Walk<'_> {
    pub(super) fn score(&mut self, f: &Frame) {
        if !f.candidate || f.first == self.blocks.len() {
            return;
        }
        self.containers.push(Container {
            range: f.first..self.blocks.len(),
            article: f.article,
            listing: f.listing,
        });
        // A listing of several `<article>`s is other stories, never the
        // story; on a forum thread it is the posts.
        if f.listing && !self.c.thread {
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
    pub(in crate::extract) fn choice(&self) -> Option<std::ops::Range<usize>> {
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
}
