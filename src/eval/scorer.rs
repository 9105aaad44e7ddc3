//! The shingle metric of `../shared/bench/score.py`: the [`Scorer`] that
//! tokenises texts and scores predictions page by page.

use std::collections::HashMap;

use regex::Regex;

use super::{f1_of, words, PageScore, Score};
use crate::error::Error;

/// Shingle length, as in the benchmark.
const SHINGLE: usize = 4;

/// Tokenizers and scorers, compiled once.
#[derive(Debug)]
pub struct Scorer {
    token: Regex,
    /// Python's `\w` (what `score_wcxb.py` splits words with): letters,
    /// numbers of every kind and `_`, but not the combining marks and joiners
    /// that Rust's `\w` also takes.
    pub(super) word: Regex,
}

impl Scorer {
    /// Builds the scorer.
    pub fn new() -> Result<Self, Error> {
        let compile = |re: &str| Regex::new(re).map_err(|e| Error::Extract(e.to_string()));
        Ok(Scorer {
            token: compile(r"\w+")?,
            word: compile(r"[\p{L}\p{N}_]+")?,
        })
    }

    /// Precision, recall and F1 of one page under WCXB's word-bag metric.
    pub fn word_bag(&self, truth: &str, pred: &str) -> (f64, f64, f64) {
        words::page_prf(&self.word, pred, truth)
    }

    fn shingles<'t>(&self, text: &'t str) -> HashMap<Vec<&'t str>, usize> {
        let toks: Vec<&str> = self.token.find_iter(text).map(|m| m.as_str()).collect();
        let mut out = HashMap::new();
        if toks.is_empty() {
            return out;
        }
        let n = toks.len().saturating_sub(SHINGLE - 1).max(1);
        for i in 0..n {
            let end = (i + SHINGLE).min(toks.len());
            *out.entry(toks[i..end].to_vec()).or_insert(0) += 1;
        }
        out
    }

    /// The shingle F1 of one text against another (1 when both are empty):
    /// how close an output stays to its blessed text.
    pub fn shingle_f1(&self, truth: &str, pred: &str) -> f64 {
        let (tp, fp, fneg) = self.counts(truth, pred);
        if tp + fp + fneg == 0.0 {
            return 1.0;
        }
        let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
        let r = if tp + fneg > 0.0 {
            tp / (tp + fneg)
        } else {
            0.0
        };
        f1_of(p, r)
    }

    /// Normalised true positives, false positives and false negatives of one page.
    fn counts(&self, truth: &str, pred: &str) -> (f64, f64, f64) {
        let t = self.shingles(truth);
        let p = self.shingles(pred);
        let mut tp = 0usize;
        let mut fp = 0usize;
        for (k, &pc) in &p {
            let tc = t.get(k).copied().unwrap_or(0);
            tp += pc.min(tc);
            fp += pc.saturating_sub(tc);
        }
        let fneg: usize = t
            .iter()
            .map(|(k, &tc)| tc.saturating_sub(p.get(k).copied().unwrap_or(0)))
            .sum();
        let s = (tp + fp + fneg) as f64;
        if s == 0.0 {
            (0.0, 0.0, 0.0)
        } else {
            (tp as f64 / s, fp as f64 / s, fneg as f64 / s)
        }
    }

    /// Scores predictions against truths, page by page, as `score.py` does.
    pub fn score(&self, pages: &[(String, String, String)]) -> (Score, Vec<PageScore>) {
        let mut precisions = Vec::new();
        let mut recalls = Vec::new();
        let mut per_page = Vec::new();
        for (id, truth, pred) in pages {
            let (tp, fp, fneg) = self.counts(truth, pred);
            let precision = if fp == 0.0 && fneg == 0.0 {
                1.0
            } else if tp == 0.0 && fp == 0.0 {
                0.0
            } else {
                tp / (tp + fp)
            };
            let recall = if fp == 0.0 && fneg == 0.0 {
                1.0
            } else if tp == 0.0 && fneg == 0.0 {
                0.0
            } else {
                tp / (tp + fneg)
            };
            if tp + fp > 0.0 {
                precisions.push(precision);
            }
            if tp + fneg > 0.0 {
                recalls.push(recall);
            }
            per_page.push(PageScore {
                id: id.clone(),
                precision,
                recall,
                f1: f1_of(precision, recall),
                page_type: None,
                truth_empty: truth.trim().is_empty(),
            });
        }
        let mean = |v: &[f64]| {
            if v.is_empty() {
                0.0
            } else {
                v.iter().sum::<f64>() / v.len() as f64
            }
        };
        let (p, r) = (mean(&precisions), mean(&recalls));
        let f1 = f1_of(p, r);
        (
            Score {
                precision: p,
                recall: r,
                f1,
                ..Score::default()
            },
            per_page,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::MISS_F1;

    #[test]
    fn shingle_f1_of_close_texts() {
        let s = Scorer::new().unwrap();
        let a = "one two three four five six seven eight";
        assert_eq!(s.shingle_f1(a, a), 1.0);
        assert_eq!(s.shingle_f1("", ""), 1.0);
        assert_eq!(s.shingle_f1(a, ""), 0.0);
        let f = s.shingle_f1(a, "one two three four five six seven nine");
        // 5 shingles each, 4 shared.
        assert!((f - 0.8).abs() < 1e-9, "{f}");
    }

    #[test]
    fn identical_text_scores_one_and_empty_scores_zero() {
        let s = Scorer::new().unwrap();
        let t = "one two three four five six".to_owned();
        let (score, _) = s.score(&[("a".into(), t.clone(), t.clone())]);
        assert_eq!(score.f1, 1.0);
        let (score, pages) = s.score(&[("a".into(), t, String::new())]);
        assert_eq!(score.recall, 0.0);
        assert!(!pages[0].truth_empty && pages[0].f1 < MISS_F1, "a miss");
        let (_, pages) = s.score(&[("b".into(), String::new(), "footer".into())]);
        assert!(pages[0].truth_empty, "nothing to find: not a miss");
    }

    #[test]
    fn half_the_text_is_half_the_recall() {
        let s = Scorer::new().unwrap();
        let truth = "a b c d e f g h i j k l m n o p".to_owned();
        let pred = "a b c d e f g h".to_owned();
        let (score, _) = s.score(&[("x".into(), truth, pred)]);
        assert_eq!(score.precision, 1.0);
        assert!((score.recall - 5.0 / 13.0).abs() < 1e-9, "{}", score.recall);
    }
}
