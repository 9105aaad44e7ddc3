//! Tidying the chosen blocks: a second copy of the text ([`drop_copies`]),
//! the headline with the lines above it ([`headline_end`]) and short
//! furniture at the edges ([`trim_edges`]).

use std::collections::HashMap;

use super::Compiled;
use crate::page::{Block, BlockKind, Tally};
use crate::text::{self, letters, Closing, Headline, CLAUSE_END};

/// Fewest blocks in a copied run: two in a row repeat by chance (a
/// heading and a boilerplate paragraph under it).
const COPY_MIN_BLOCKS: usize = 3;
/// Fewest characters in a copied run: repeated field labels and values
/// of listing cards are shorter.
const COPY_MIN_CHARS: usize = 500;

/// Drops a second copy of the text. A copy is a run of at least
/// [`COPY_MIN_BLOCKS`] blocks and [`COPY_MIN_CHARS`] characters that repeats,
/// word for word (whitespace aside) and in order, a run that ended before it:
/// the page laid the same section out twice, for two screen sizes or as a
/// page builder's hidden variant. When such runs make up at least
/// `min_share` of the characters, they go and the first copy is the article.
/// A line repeated here and there (a credit under each photo, a chorus, a
/// quoted post, the field labels of product cards) is no such run and stays.
pub(super) fn drop_copies(blocks: &mut Vec<Block>, min_share: f32, removed: &mut Tally) {
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

/// Drops page furniture left at the edges of the article: short lines that are
/// not sentences before the first paragraph (byline, date, standfirst) and at
/// the end (view counts, "Like", a heading whose list was removed).
pub(super) fn trim_edges(blocks: &mut Vec<Block>, c: &Compiled, removed: &mut Tally) {
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

/// When the headline sits among the first blocks of the article, the headline
/// and the short lines above it (kicker, section name, date, byline) are page
/// furniture: returns how many blocks to drop from the start (0 if none).
pub(super) fn headline_end(blocks: &[Block], title: &str, kicker_max: usize) -> usize {
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
