//! Typo repair: finding the unknown words of a page and correcting the ones
//! whose correction is clear.
//!
//! This file holds the page-level pass ([`Repairer::typos`]: which words are
//! candidates, which blocks and pages read as English, and where each unknown
//! word stands); the parts it draws on live in submodules:
//!
//! - [`dict`]: the embedded dictionary, frequency and word-pair lists, and
//!   the lookups on them;
//! - [`candidates`]: the words one edit away, the noisy-channel model and its
//!   tuned weights, and the choice of a correction;
//! - [`words`](mod@words): tokenising, technical tokens, and whether text is English;
//! - [`vocabulary`]: the batch [`Vocabulary`].

use std::collections::HashMap;

use super::Repairer;
use crate::page::{BlockKind, Repair};

mod candidates;
mod dict;
mod vocabulary;
mod words;

use candidates::{stem_of, Evidence};
pub(super) use dict::{EN_BIGRAMS, EN_FREQ, EN_WORDS};
pub use vocabulary::Vocabulary;
pub use words::reads_as_english;
use words::{is_english, is_function_word, tech_share, words};

/// Words longer than this are never corrected (they are URLs, identifiers or
/// chemical names, and the edit search grows with length).
const TYPO_MAX_LEN: usize = 30;

/// A block is treated as English prose, and typo repair runs in it, only if at
/// most this share of its lower-case words (3+ letters) is unknown. Foreign
/// quotes, code-like text and word lists fail this and are left alone.
const MAX_UNKNOWN_SHARE: f64 = 0.12;

/// Typo repair is skipped on a whole page when more than this share of its
/// lower-case words (3+ letters) is unknown: such pages are not English prose
/// (undeclared foreign languages, code listings); it is what keeps the
/// Italian and French articles of the benchmark sets untouched when they are
/// (wrongly) declared English.
const MAX_UNKNOWN_SHARE_PAGE: f64 = 0.08;

/// Lower-case words (3+ letters) a page needs before
/// [`MAX_UNKNOWN_SHARE_PAGE`] applies (shorter texts rely on the block rule).
const PAGE_SHARE_MIN_WORDS: usize = 50;

/// A block of at least this many words with none of the commonest English
/// function words ([`FUNCTION_WORDS`](words::FUNCTION_WORDS)) is not English prose (a sentence in
/// another language quoted on an English page: `Clique no link para ver o
/// Calendário completo da Cup`); swept 6–16.
const FUNCTION_MIN_WORDS: usize = 12;

/// Lower-case words (3+ letters) a block needs before [`MAX_UNKNOWN_SHARE`]
/// applies; shorter blocks may contain at most one unknown word.
const SHARE_MIN_WORDS: usize = 8;

impl Repairer {
    /// Whether typo repair applies for this page language.
    pub(super) fn typos_for(&self, lang: Option<&str>) -> bool {
        self.opts.typos && self.dict.is_some() && lang.is_none_or(is_english)
    }

    /// The unknown candidate words of one text, with their byte ranges and
    /// places, and whether the text reads as English prose (few unknown
    /// words); adds the text's lower-case word count and unknown count to
    /// `stats`.
    fn unknown_words(&self, text: &str, stats: &mut PageStats) -> Unknown {
        let mut unknown = Vec::new();
        let (mut total, mut misses) = (0usize, 0usize);
        let all = words(text);
        let function = all
            .iter()
            .filter(|&&(s, e, _)| is_function_word(&text[s..e]))
            .count();
        for (i, &(start, end, eligible)) in all.iter().enumerate() {
            let w = &text[start..end];
            if w.len() < 3 || !w.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            total += 1;
            if self.is_known(w) {
                continue;
            }
            misses += 1;
            // One letter short of the shortest word corrected: a deletion
            // typo in it (the correction must still be long enough).
            if eligible && w.len() + 1 >= self.opts.typo_min_len && w.len() <= TYPO_MAX_LEN {
                let neighbour = |j: usize, gap: &str| {
                    let (s, e, _) = all[j];
                    let n = &text[s..e];
                    (!gap.is_empty()
                        && gap.chars().all(char::is_whitespace)
                        && n.bytes().all(|b| b.is_ascii_alphabetic()))
                    .then(|| n.to_ascii_lowercase())
                };
                let left = i
                    .checked_sub(1)
                    .and_then(|j| neighbour(j, &text[all[j].1..start]));
                let right = all
                    .get(i + 1)
                    .and_then(|&(s, _, _)| neighbour(i + 1, &text[end..s]));
                unknown.push((start, end, Place { left, right }));
            }
        }
        stats.lower += total;
        stats.unknown += misses;
        let english = if total < SHARE_MIN_WORDS {
            misses <= 1
        } else {
            misses as f64 <= total as f64 * MAX_UNKNOWN_SHARE
        } && (all.len() < FUNCTION_MIN_WORDS || function > 0);
        (unknown, english)
    }

    /// Typo repair over several texts that form one page.
    pub(super) fn typos(
        &self,
        texts: &mut [(&mut String, BlockKind)],
        batch: Option<&Vocabulary>,
        log: &mut Vec<Repair>,
    ) {
        let mut stats = PageStats::default();
        let found: Vec<Unknown> = texts
            .iter()
            .map(|(t, kind)| {
                if *kind == BlockKind::Code {
                    (Vec::new(), false)
                } else {
                    self.unknown_words(t, &mut stats)
                }
            })
            .collect();
        // A page with many unknown words is not English prose (an undeclared
        // foreign language, a code listing): left alone as a whole. (Letting
        // the model weigh it like a foreign block changed nothing on the
        // evaluation and cost a fifth more time.)
        if found.iter().all(|f| f.0.is_empty())
            || (stats.lower >= PAGE_SHARE_MIN_WORDS
                && stats.unknown as f64 > stats.lower as f64 * MAX_UNKNOWN_SHARE_PAGE)
        {
            return;
        }
        // Every word of the page, lower-cased, with its count, in any case
        // and in any context (URLs, code, `stdio.h` count too): a spelling
        // used again weighs for keeping it, and a candidate the page uses
        // elsewhere is strong evidence for a correction.
        let mut vocab: HashMap<String, usize> = HashMap::new();
        for (t, _) in texts.iter() {
            for (s, e, _) in words(t) {
                let w = &t[s..e];
                if w.len() + 1 >= self.opts.typo_min_len
                    && w.len() <= TYPO_MAX_LEN + 1
                    && w.bytes().all(|b| b.is_ascii_alphabetic())
                {
                    *vocab.entry(w.to_ascii_lowercase()).or_insert(0) += 1;
                }
            }
        }
        let tech = tech_share(texts);
        // How many distinct known words of the page begin with each stem.
        let mut family: HashMap<String, usize> = HashMap::new();
        for w in vocab.keys() {
            if w.len() >= self.opts.typo_min_len && self.is_known(w) {
                *family.entry(stem_of(w).to_owned()).or_insert(0) += 1;
            }
        }
        // Every place each unknown word stands, and whether one of them is
        // in a block that reads as English.
        let mut places: HashMap<String, (Vec<Place>, bool)> = HashMap::new();
        for ((t, _), (ranges, english)) in texts.iter().zip(&found) {
            for (s, e, place) in ranges {
                let entry = places.entry(t[*s..*e].to_owned()).or_default();
                entry.0.push(place.clone());
                entry.1 |= *english;
            }
        }
        let evidence = Evidence {
            vocab: &vocab,
            family: &family,
            batch,
            tech,
        };
        let fixes: HashMap<String, String> = places
            .iter()
            .filter_map(|(word, (at, english))| {
                let fix = self.correction(word, &evidence, at, *english);
                Some((word.clone(), fix?))
            })
            .collect();
        if fixes.is_empty() {
            return;
        }
        for ((t, _), (ranges, _)) in texts.iter_mut().zip(&found) {
            // Replace back to front so earlier ranges stay valid.
            for &(s, e, _) in ranges.iter().rev() {
                if let Some(to) = fixes.get(&t[s..e]) {
                    log.push(Repair {
                        kind: "typo".into(),
                        from: t[s..e].to_owned(),
                        to: to.clone(),
                    });
                    t.replace_range(s..e, to);
                }
            }
        }
    }
}

/// Word counts of a page, added up by [`Repairer::unknown_words`].
#[derive(Debug, Default)]
struct PageStats {
    /// Lower-case words of 3+ letters.
    lower: usize,
    /// Of those, the ones the dictionary does not know.
    unknown: usize,
}

/// The unknown words of one text (byte range and place), and whether the
/// text reads as English prose.
type Unknown = (Vec<(usize, usize, Place)>, bool);

/// Where an unknown word stands: the words right before and after it,
/// lower-cased, when only whitespace separates them from it and they are
/// all ASCII letters (else there is no context on that side).
#[derive(Debug, Clone, Default)]
struct Place {
    left: Option<String>,
    right: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repair::Options;

    /// Typo repair of one paragraph; returns the text and the corrections.
    fn fix(r: &Repairer, text: &str) -> (String, Vec<(String, String)>) {
        let mut t = text.to_owned();
        let mut log = Vec::new();
        r.typos(&mut [(&mut t, BlockKind::Paragraph)], None, &mut log);
        (t, log.into_iter().map(|l| (l.from, l.to)).collect())
    }

    #[test]
    fn comparatives_of_y_adjectives_stay() {
        let r = Repairer::new(&Options::default());
        assert!(r.is_comparative("barfier"));
        assert!(!r.is_comparative("qzxier") && !r.is_comparative("zzzier"));
        let text = "It can, however, be one of the barfier games on the headset, so pack \
                    something for the stomach before you start playing.";
        assert_eq!(fix(&r, text).0, text);
    }

    #[test]
    fn words_after_a_loan_particle_stay() {
        let r = Repairer::new(&Options::default());
        let text = "Then the tribe moves in en masse and holds a karakia (prayer), names \
                    each animal and sets to work removing their bones for cultural purposes.";
        assert_eq!(fix(&r, text).0, text);
        // The same word elsewhere is a typo of `masses`.
        let (out, log) = fix(
            &r,
            "Then the tribe moves in the masse and holds a karakia (prayer), names each \
             animal and sets to work removing their bones for cultural purposes.",
        );
        assert!(out.contains("the masses and"), "{out} {log:?}");
    }

    #[test]
    fn the_batch_vouches_for_spellings_its_pages_use() {
        let r = Repairer::new(&Options::default());
        let text = "Now that the length is a varint capable of storing integers up to \
                    a much larger size, the frames can carry far more data than before.";
        let fixed = |batch: Option<&Vocabulary>| {
            let mut t = text.to_owned();
            let mut log = Vec::new();
            r.typos(&mut [(&mut t, BlockKind::Paragraph)], batch, &mut log);
            t
        };
        // Alone, `varint` reads as a typo of `variant`.
        assert!(fixed(None).contains("a variant capable"));
        // Another page of the batch kept it: a deliberate spelling.
        let mut batch = Vocabulary::new();
        batch.add_page([
            "Each field starts with a varint tag.",
            "The varint is short.",
        ]);
        assert_eq!(batch.pages_with("varint"), 1, "one page, counted once");
        assert_eq!(batch.pages_with("tag"), 0, "words of 4+ letters only");
        assert_eq!(fixed(Some(&batch)), text);
        // Common words on other pages are no evidence either way.
        let mut common = Vocabulary::new();
        common.add_page(["A variant of the old design."]);
        assert!(fixed(Some(&common)).contains("a variant capable"));
    }

    #[test]
    fn english_blocks_need_function_words() {
        let r = Repairer::new(&Options::default());
        let mut stats = PageStats::default();
        let foreign = "Clique no link para ver o video completo da final e da semifinal";
        let (unknown, english) = r.unknown_words(foreign, &mut stats);
        assert!(!english);
        assert_eq!(unknown.len(), 1);
        let (_, english) = r.unknown_words(
            "Click the link to see the whole video of the final",
            &mut stats,
        );
        assert!(english);
    }
}
