//! The batch vocabulary: on how many pages of a batch each word occurs, the
//! evidence typo repair takes from a batch's earlier pages.

use std::collections::{HashMap, HashSet};

use super::words::words;
use super::TYPO_MAX_LEN;

/// Words seen across a batch of pages: on how many pages each word occurs.
///
/// The typo repair weighs it as it weighs a page's own words, more lightly:
/// an unknown spelling that other pages of the batch use too (a site's
/// jargon, a name written in lower case) is probably deliberate, and a rare
/// word they use is a likelier correction. Build one per batch, repair each
/// page with it, then [`add_page`](Self::add_page) the page's repaired text;
/// the result then depends only on the pages before it, in batch order.
#[derive(Debug, Default, Clone)]
pub struct Vocabulary {
    pages: HashMap<String, u32>,
}

impl Vocabulary {
    /// An empty vocabulary.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts the words of one page (each once, however often the page uses
    /// it): lower-cased ASCII words of 4 to 31 letters. Past
    /// 2^20 distinct words (`MAX_BATCH_WORDS`), new ones are no longer added
    /// (counts of known ones still grow), so memory stays bounded. Give it
    /// the page's repaired text: the words as written would carry a
    /// scraper's systematic damage (`ight` for `night` on page after page)
    /// into the evidence that a spelling is deliberate (it cost 0.6 points
    /// of typo recall on `pith eval --repair --batch`).
    pub fn add_page<'a>(&mut self, texts: impl IntoIterator<Item = &'a str>) {
        let mut page: HashSet<String> = HashSet::new();
        for t in texts {
            for (s, e, _) in words(t) {
                let w = &t[s..e];
                if (4..=TYPO_MAX_LEN + 1).contains(&w.len())
                    && w.bytes().all(|b| b.is_ascii_alphabetic())
                {
                    page.insert(w.to_ascii_lowercase());
                }
            }
        }
        for w in page {
            if let Some(n) = self.pages.get_mut(&w) {
                *n = n.saturating_add(1);
            } else if self.pages.len() < MAX_BATCH_WORDS {
                self.pages.insert(w, 1);
            }
        }
    }

    /// On how many pages added so far a lower-case word occurs.
    pub fn pages_with(&self, word: &str) -> u32 {
        self.pages.get(word).copied().unwrap_or(0)
    }

    /// Distinct words counted.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether no word has been counted.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}

/// Distinct words a [`Vocabulary`] holds at most (some tens of MB).
const MAX_BATCH_WORDS: usize = 1 << 20;
