//! Quality evaluation: run the pipeline over an evaluation set and score it
//! the way `../shared/bench/score.py` (the ScrapingHub article-extraction
//! benchmark) does: 4-token shingles, per-page precision and recall
//! normalised by page, averaged over pages, F1 of the averages.
//!
//! A set is a folder holding `truth.jsonl` (`{"id", "url", "text"}` lines)
//! and `pages/<id>.html` (or `.html.gz`). [`Floors`] pins the lowest accepted
//! scores per set in a file kept in the repository (`quality.toml`); floors
//! only go up.
//!
//! A set whose truth lines carry WCXB's fields (`page_type`, `with`,
//! `without`) is scored with WCXB's own metric instead ([`Metric::WordBag`],
//! as `../shared/bench/score_wcxb.py` computes it), overall and per page type.

mod check;
mod floors;
pub mod repair;
mod report;
mod scorer;
mod truth;
mod words;

pub use check::{check_sets, repair_corpora, SetsRun};
pub use floors::Floors;
pub use report::{corpus_dump_path, meta_report, repair_report, set_report, RepairRun};
pub use scorer::Scorer;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::page::{Article, Failure, Origin, Page};
use crate::pipeline::Pipeline;
pub use truth::{field_counts, meta_wrong, FieldCount, MetaPair, FIELDS};
use truth::{id_text, score_metadata, Truth};

/// Scores of one set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Mean per-page precision.
    pub precision: f64,
    /// Mean per-page recall.
    pub recall: f64,
    /// F1 of the two means.
    pub f1: f64,
    /// Share of the pages whose truth has a title where pith's title matches
    /// (case and whitespace ignored, also without a site's name before or
    /// after either). `None` when no truth has one.
    pub title: Option<f64>,
    /// The same for the author: the same set of people (a leading "By"
    /// dropped, split at commas, "and", "&"), or one person contained in the
    /// truth's byline (reader modes keep the whole byline line: "By Ann Lee
    /// March 25, 2015").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<f64>,
    /// The same for the language: equal primary subtags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<f64>,
    /// The same for the published date: equal `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<f64>,
    /// The same for the site name: equal after collapsing whitespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<f64>,
    /// Word-bag sets: the mean share of the pages' must-have snippets found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with: Option<f64>,
    /// Word-bag sets: the mean share of the pages' must-not-have snippets
    /// found (lower is better: in a floors file it is a ceiling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub without: Option<f64>,
    /// For each metadata field above: the share of the pages whose truth has
    /// no value where pith gives one anyway (lower is better: in a floors
    /// file these are ceilings). Only fields the truth has on some page.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub false_values: BTreeMap<String, f64>,
    /// Word-bag sets: the same figures for each page type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub types: BTreeMap<String, Score>,
}

/// How a set's pages are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Metric {
    /// ScrapingHub's 4-token shingles (`score.py`): per-page precision and
    /// recall averaged over pages, F1 of the two means.
    Shingles,
    /// WCXB's word bags (`score_wcxb.py`): per-page precision, recall and F1
    /// averaged over pages, also per page type.
    WordBag,
}

impl Metric {
    /// The name `pith eval` prints.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Shingles => "shingles",
            Metric::WordBag => "word-bag",
        }
    }
}

impl Score {
    /// The metadata figures, by field name, where the set has them.
    pub fn metadata(&self) -> Vec<(&'static str, f64)> {
        [
            ("title", self.title),
            ("author", self.author),
            ("lang", self.lang),
            ("published", self.published),
            ("site", self.site),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
    }

    fn metadata_mut(&mut self) -> [(&'static str, &mut Option<f64>); 5] {
        [
            ("title", &mut self.title),
            ("author", &mut self.author),
            ("lang", &mut self.lang),
            ("published", &mut self.published),
            ("site", &mut self.site),
        ]
    }
}

/// One page's result within a set.
#[derive(Debug, Clone, PartialEq)]
pub struct PageScore {
    /// The page id.
    pub id: String,
    /// Its precision.
    pub precision: f64,
    /// Its recall.
    pub recall: f64,
    /// Its F1.
    pub f1: f64,
    /// Its page type, where the truth gives one.
    pub page_type: Option<String>,
    /// Whether its truth text is empty (nothing to find: an error page, a
    /// script shell).
    pub truth_empty: bool,
}

/// A page scoring below this F1 while its truth is not empty is a miss:
/// `pith eval` lists such pages per set.
pub const MISS_F1: f64 = 0.2;

/// F1 of a precision and a recall (0 when both are 0).
fn f1_of(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// The page file of `id` in `dir/pages`: `<id>.html`, else `<id>.html.gz`.
fn page_path(dir: &Path, id: &str) -> PathBuf {
    let plain = dir.join("pages").join(format!("{id}.html"));
    if plain.is_file() {
        return plain;
    }
    let gz = dir.join("pages").join(format!("{id}.html.gz"));
    if gz.is_file() {
        gz
    } else {
        plain
    }
}

/// What pith made of one truth page: its text and its metadata.
type Prediction = (String, [Option<String>; 5]);

/// What pith made of one truth page. A page that cannot be read, or whose
/// extraction fails in the ordinary way (no text found, a budget), scores as
/// empty text; a bug (see [`outcome`]) is an error naming the page.
fn predict(pipeline: &Pipeline, dir: &Path, t: &Truth) -> Result<Prediction, Error> {
    let path = page_path(dir, &t.id);
    let Ok(body) = crate::source::read_file(&path) else {
        return Ok(Prediction::default());
    };
    let page = Page {
        id: t.id.clone(),
        url: t.url.clone(),
        body,
        content_type: None,
        content_language: None,
        format: crate::page::Format::Html,
        origin: Origin::File(path.clone()),
    };
    outcome(&t.id, &path, || pipeline.process(&page))
}

/// The prediction `run` gives for page `id` (at `path`): the article's text
/// and metadata, empty text for an ordinary failure, and an error naming the
/// page for a bug: a pipeline stage that panicked ([`Error::Internal`]) or a
/// panic in `run` itself. A bug must fail the evaluation, not pass for a page
/// where nothing was found.
fn outcome(
    id: &str,
    path: &Path,
    run: impl FnOnce() -> Result<Article, Failure>,
) -> Result<Prediction, Error> {
    let bug = |what: String| Error::Internal(format!("page {id} ({}): {what}", path.display()));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned());
        bug(format!("the evaluation worker panicked: {message}"))
    })?;
    match result {
        Ok(a) => {
            let text = a.text();
            Ok((
                text,
                [
                    a.meta.title,
                    a.meta.author,
                    a.meta.lang,
                    a.meta.published,
                    a.meta.site,
                ],
            ))
        }
        Err(f) if matches!(*f.error, Error::Internal(_)) => Err(bug(f.to_string())),
        Err(_) => Ok(Prediction::default()),
    }
}

/// A set's evaluation: the metric it was scored with, its score and its pages.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SetResult {
    /// [`Metric::WordBag`] when the set's truth lines carry WCXB's
    /// `page_type`, `with` or `without`, else [`Metric::Shingles`].
    pub metric: Metric,
    /// The set's figures.
    pub score: Score,
    /// Each page's figures, in truth order.
    pub pages: Vec<PageScore>,
    /// Each page's metadata, truth's and pith's, in truth order.
    pub meta: Vec<MetaPair>,
}

/// Runs `pipeline` over the set in `dir` and scores it with the set's
/// [`Metric`]. A page that hits a bug (a stage that panicked, or a panic in
/// its worker) is an error naming the page, not a page scored as empty text
/// or left out of the score.
pub fn run_set(pipeline: &Pipeline, dir: &Path, scorer: &Scorer) -> Result<SetResult, Error> {
    let truth_path = dir.join("truth.jsonl");
    let raw = std::fs::read_to_string(&truth_path).map_err(|e| Error::io(&truth_path, e))?;
    let truths = raw
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(Truth::from_line)
        .collect::<Result<Vec<_>, _>>()?;
    let preds = std::thread::scope(|scope| {
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = truths.len().div_ceil(workers.max(1)).max(1);
        let handles: Vec<_> = truths
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|t| predict(pipeline, dir, t))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(truths.len());
        for h in handles {
            out.extend(h.join().map_err(|_| {
                Error::Internal(format!(
                    "an evaluation worker panicked on a page of {}",
                    dir.display()
                ))
            })?);
        }
        // The first page (in truth order) that hit a bug fails the set.
        out.into_iter().collect::<Result<Vec<_>, Error>>()
    })?;
    let pairs: Vec<MetaPair> = truths
        .iter()
        .zip(&preds)
        .map(|(t, (_, got))| std::array::from_fn(|i| (t.meta[i].clone(), got[i].clone())))
        .collect();
    let metric = if truths.iter().any(Truth::is_word_bag) {
        Metric::WordBag
    } else {
        Metric::Shingles
    };
    let (mut score, pages) = if metric == Metric::WordBag {
        let rows: Vec<words::Row<'_>> = truths
            .iter()
            .zip(&preds)
            .map(|(t, (pred, _))| words::Row {
                truth: &t.text,
                pred,
                page_type: t.page_type.as_deref().unwrap_or("article"),
                with: &t.with,
                without: &t.without,
            })
            .collect();
        let figures: Vec<words::Figures> = rows
            .iter()
            .map(|r| words::figures(&scorer.word, r))
            .collect();
        let pages = truths
            .iter()
            .zip(&rows)
            .zip(&figures)
            .map(|((t, r), f)| PageScore {
                id: t.id.clone(),
                precision: f.precision,
                recall: f.recall,
                f1: f.f1,
                page_type: Some(r.page_type.to_owned()),
                truth_empty: t.text.trim().is_empty(),
            })
            .collect();
        (words::score(&rows, &figures), pages)
    } else {
        let rows: Vec<(String, String, String)> = truths
            .iter()
            .zip(preds)
            .map(|(t, (pred, _))| (t.id.clone(), t.text.clone(), pred))
            .collect();
        scorer.score(&rows)
    };
    score_metadata(&mut score, &pairs);
    Ok(SetResult {
        metric,
        score,
        pages,
        meta: pairs,
    })
}

/// The evaluation sets under `root`: every folder holding `truth.jsonl` and `pages/`.
pub fn sets(root: &Path) -> Result<Vec<(String, PathBuf)>, Error> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root).map_err(|e| Error::io(root, e))? {
        let p = entry.map_err(|e| Error::io(root, e))?.path();
        if p.join("truth.jsonl").is_file() && p.join("pages").is_dir() {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push((name, p));
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::Stage;

    /// A failure of page `id` with `error`.
    fn failure(id: &str, error: Error) -> Failure {
        Failure::of(&Page::html(id, Vec::new()), Stage::Extract, error)
    }

    #[test]
    fn ordinary_failures_score_as_empty_text() {
        let path = Path::new("set/pages/a.html");
        let got = outcome("a", path, || {
            Err(failure("a", Error::Extract("no text found".into())))
        });
        assert_eq!(got.unwrap(), Prediction::default());
    }

    #[test]
    fn a_bug_is_an_error_naming_the_page() {
        let path = Path::new("set/pages/b7.html");
        let caught = outcome("b7", path, || {
            Err(failure("b7", Error::Internal("index out of bounds".into())))
        });
        let message = caught.unwrap_err().to_string();
        assert!(
            message.contains("b7") && message.contains("index out of bounds"),
            "{message}"
        );
        let panicked = outcome("c9", path, || panic!("worker bug"));
        let message = panicked.unwrap_err().to_string();
        assert!(
            message.contains("c9") && message.contains("worker bug"),
            "{message}"
        );
    }
}
