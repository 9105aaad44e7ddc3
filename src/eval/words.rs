//! The word-bag metric of WCXB (the Web Content eXtraction Benchmark), as
//! `../shared/bench/score_wcxb.py` computes it, so `pith eval` figures on a
//! WCXB-style set compare with the benchmark's published table.
//!
//! Per page: the lowercase `\w+` words of prediction and truth as bags; the
//! overlap is their multiset intersection; precision is overlap / predicted
//! words, recall overlap / truth words, F1 of the two. An empty truth scores
//! 1 when the prediction is empty too, else 0; an empty prediction scores 0.
//! The set's figures are plain means of the per-page precision, recall and
//! F1 (not an F1 of means). `with` and `without` are the mean shares of the
//! page's must-have and must-not-have snippets found in the prediction
//! (case-insensitive substring); a page without `without` snippets counts 0.

use std::collections::{BTreeMap, HashMap};

use regex::Regex;

use super::Score;

/// One page to score: its truth and what pith produced.
#[derive(Debug, Clone, Copy)]
pub(super) struct Row<'a> {
    pub truth: &'a str,
    pub pred: &'a str,
    pub page_type: &'a str,
    pub with: &'a [String],
    pub without: &'a [String],
}

/// One page's figures.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Figures {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub with: f64,
    pub without: f64,
}

/// Lower-cased words of `text`, counted.
fn bag<'t>(word: &Regex, text: &'t str, out: &mut HashMap<&'t str, usize>) -> usize {
    let mut n = 0;
    for m in word.find_iter(text) {
        *out.entry(m.as_str()).or_insert(0) += 1;
        n += 1;
    }
    n
}

/// Precision, recall and F1 of one page.
pub(super) fn page_prf(word: &Regex, pred: &str, truth: &str) -> (f64, f64, f64) {
    let (pred, truth) = (pred.to_lowercase(), truth.to_lowercase());
    let mut t = HashMap::new();
    let mut p = HashMap::new();
    let nt = bag(word, &truth, &mut t);
    let np = bag(word, &pred, &mut p);
    if nt == 0 {
        return if np == 0 {
            (1.0, 1.0, 1.0)
        } else {
            (0.0, 0.0, 0.0)
        };
    }
    if np == 0 {
        return (0.0, 0.0, 0.0);
    }
    let overlap: usize = p
        .iter()
        .map(|(w, &c)| c.min(t.get(w).copied().unwrap_or(0)))
        .sum();
    let (prec, rec) = (overlap as f64 / np as f64, overlap as f64 / nt as f64);
    (prec, rec, super::f1_of(prec, rec))
}

/// Share of `snippets` found in `text`, case-insensitively (1 when there are none).
fn share_found(text: &str, snippets: &[String]) -> f64 {
    if snippets.is_empty() {
        return 1.0;
    }
    let low = text.to_lowercase();
    let found = snippets
        .iter()
        .filter(|s| low.contains(&s.to_lowercase()))
        .count();
    found as f64 / snippets.len() as f64
}

/// The figures of one page.
pub(super) fn figures(word: &Regex, row: &Row<'_>) -> Figures {
    let (precision, recall, f1) = page_prf(word, row.pred, row.truth);
    Figures {
        precision,
        recall,
        f1,
        with: share_found(row.pred, row.with),
        without: if row.without.is_empty() {
            0.0
        } else {
            share_found(row.pred, row.without)
        },
    }
}

/// Means of `pages`' figures as a [`Score`].
fn summary<'a>(pages: impl Iterator<Item = &'a Figures>) -> Score {
    let mut n = 0usize;
    let mut sum = Figures::default();
    for f in pages {
        n += 1;
        sum.precision += f.precision;
        sum.recall += f.recall;
        sum.f1 += f.f1;
        sum.with += f.with;
        sum.without += f.without;
    }
    let mean = |x: f64| if n == 0 { 0.0 } else { x / n as f64 };
    Score {
        precision: mean(sum.precision),
        recall: mean(sum.recall),
        f1: mean(sum.f1),
        with: Some(mean(sum.with)),
        without: Some(mean(sum.without)),
        ..Score::default()
    }
}

/// The set's score, overall and per page type, from its pages' figures.
pub(super) fn score(rows: &[Row<'_>], figures: &[Figures]) -> Score {
    let mut score = summary(figures.iter());
    let mut by_type: BTreeMap<&str, Vec<&Figures>> = BTreeMap::new();
    for (row, f) in rows.iter().zip(figures) {
        by_type.entry(row.page_type).or_default().push(f);
    }
    score.types = by_type
        .into_iter()
        .map(|(t, fs)| (t.to_owned(), summary(fs.into_iter())))
        .collect();
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word() -> Regex {
        Regex::new(r"[\p{L}\p{N}_]+").unwrap()
    }

    #[test]
    fn word_bags_overlap_as_multisets() {
        let w = word();
        // pred: a a b c (4 words), truth: A b b d e (5): overlap a1 + b1 = 2.
        let (p, r, f1) = page_prf(&w, "a a b c", "A b b d e");
        assert_eq!((p, r), (0.5, 0.4));
        assert!((f1 - 2.0 * 0.5 * 0.4 / 0.9).abs() < 1e-12);
        assert_eq!(page_prf(&w, "", ""), (1.0, 1.0, 1.0));
        assert_eq!(page_prf(&w, "x", ""), (0.0, 0.0, 0.0));
        assert_eq!(page_prf(&w, "", "x"), (0.0, 0.0, 0.0));
        // Words are \w+ runs, not whitespace-split tokens.
        assert_eq!(page_prf(&w, "Don't-stop", "don t stop").2, 1.0);
        // As in Python, a combining mark splits a word: "cafe\u{301}" is "cafe".
        assert_eq!(page_prf(&w, "cafe\u{301}", "cafe").2, 1.0);
    }

    #[test]
    fn snippets_and_types() {
        let w = word();
        let with = vec!["Main Text".to_owned(), "gone".to_owned()];
        let without = vec!["Menu".to_owned()];
        let rows = [
            Row {
                truth: "main text here",
                pred: "the main text here menu",
                page_type: "article",
                with: &with,
                without: &without,
            },
            Row {
                truth: "post",
                pred: "post",
                page_type: "forum",
                with: &[],
                without: &[],
            },
        ];
        let figs: Vec<Figures> = rows.iter().map(|r| figures(&w, r)).collect();
        assert_eq!(figs[0].with, 0.5);
        assert_eq!(figs[0].without, 1.0);
        // No snippets: every must-have counts as found, no must-not as found.
        assert_eq!((figs[1].with, figs[1].without), (1.0, 0.0));
        let s = score(&rows, &figs);
        assert_eq!(s.without, Some(0.5));
        assert_eq!(s.types["forum"].f1, 1.0);
        assert!((s.f1 - (figs[0].f1 + 1.0) / 2.0).abs() < 1e-12);
    }
}
