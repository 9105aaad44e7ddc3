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

pub mod repair;
mod report;
mod words;

pub use report::{corpus_dump_path, repair_report, set_report, RepairRun};

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::page::{Origin, Page};
use crate::pipeline::Pipeline;

/// Shingle length, as in the benchmark.
const SHINGLE: usize = 4;

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
    /// (whitespace collapsed). `None` when no truth has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<f64>,
    /// The same for the author: equal once a leading "By" is dropped and case
    /// ignored, or contained in the truth's byline (reader modes keep the whole
    /// byline line: "By Ann Lee March 25, 2015").
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

/// Tokenizers and scorers, compiled once.
#[derive(Debug)]
pub struct Scorer {
    token: Regex,
    /// Python's `\w` (what `score_wcxb.py` splits words with): letters,
    /// numbers of every kind and `_`, but not the combining marks and joiners
    /// that Rust's `\w` also takes.
    word: Regex,
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

#[derive(Deserialize)]
struct TruthLine {
    id: serde_json::Value,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default, alias = "author")]
    byline: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default, rename = "publishedTime", alias = "published")]
    published_time: Option<String>,
    #[serde(default, rename = "siteName", alias = "site")]
    site_name: Option<String>,
    #[serde(default)]
    page_type: Option<String>,
    #[serde(default)]
    with: Option<Vec<String>>,
    #[serde(default)]
    without: Option<Vec<String>>,
}

/// A truth line's `id` as text: a string as it is, a number as written.
fn id_text(id: serde_json::Value) -> String {
    match id {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}

/// One truth line, as `run_set` keeps it.
struct Truth {
    id: String,
    url: Option<String>,
    text: String,
    meta: [Option<String>; 5],
    page_type: Option<String>,
    with: Vec<String>,
    without: Vec<String>,
}

impl Truth {
    fn from_line(line: &str) -> Result<Self, Error> {
        let t: TruthLine = serde_json::from_str(line)?;
        Ok(Truth {
            id: id_text(t.id),
            url: t.url,
            text: t.text,
            meta: [t.title, t.byline, t.lang, t.published_time, t.site_name],
            page_type: t.page_type,
            with: t.with.unwrap_or_default(),
            without: t.without.unwrap_or_default(),
        })
    }

    /// Whether this line is WCXB's kind (it names a page type or snippets).
    fn is_word_bag(&self) -> bool {
        self.page_type.is_some() || !self.with.is_empty() || !self.without.is_empty()
    }
}

/// The metadata a truth line gives, and what pith found, field by field.
type MetaPair = [(Option<String>, Option<String>); 5];

/// Whether pith's value for a metadata field matches the truth's (see [`Score`]).
fn meta_matches(field: &str, truth: &str, got: Option<&str>) -> bool {
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let Some(got) = got.map(collapse).filter(|g| !g.is_empty()) else {
        return false;
    };
    let truth = collapse(truth);
    match field {
        "author" => {
            let person = |s: &str| {
                let l = s.to_lowercase();
                l.strip_prefix("by ").map(str::to_owned).unwrap_or(l)
            };
            let (t, g) = (person(&truth), person(&got));
            t == g || t.contains(&g)
        }
        "lang" => {
            let primary = |s: &str| s.split(['-', '_']).next().unwrap_or("").to_lowercase();
            primary(&truth) == primary(&got)
        }
        "published" => truth.get(..10).unwrap_or(&truth) == got,
        _ => truth == got,
    }
}

/// Fills `score`'s metadata figures from the pages' pairs.
fn score_metadata(score: &mut Score, pairs: &[MetaPair]) {
    for (i, (field, slot)) in score.metadata_mut().into_iter().enumerate() {
        let mut have = 0usize;
        let mut right = 0usize;
        for pair in pairs {
            let (truth, got) = &pair[i];
            if let Some(t) = truth.as_deref().filter(|t| !t.trim().is_empty()) {
                have += 1;
                right += usize::from(meta_matches(field, t, got.as_deref()));
            }
        }
        *slot = (have > 0).then(|| right as f64 / have as f64);
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
fn predict(pipeline: &Pipeline, dir: &Path, t: &Truth) -> (String, [Option<String>; 5]) {
    let path = page_path(dir, &t.id);
    let article = crate::source::read_file(&path).ok().and_then(|body| {
        let page = Page {
            id: t.id.clone(),
            url: t.url.clone(),
            body,
            content_type: None,
            format: crate::page::Format::Html,
            origin: Origin::File(path.clone()),
        };
        pipeline.process(&page).ok()
    });
    let Some(a) = article else {
        return (String::new(), Default::default());
    };
    let text = a.text();
    (text, [a.title, a.author, a.lang, a.published, a.site])
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
}

/// Runs `pipeline` over the set in `dir` and scores it with the set's
/// [`Metric`]. A worker that panics is an error, not a page left out of the
/// score.
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
                Error::Extract(format!(
                    "an evaluation worker panicked on a page of {}",
                    dir.display()
                ))
            })?);
        }
        Ok::<_, Error>(out)
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

/// Pinned lowest scores, per set (`quality.toml`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Floors(pub BTreeMap<String, Score>);

impl Floors {
    /// Reads a floors file; a missing file is no floors.
    pub fn load(path: &Path) -> Result<Self, Error> {
        match std::fs::read_to_string(path) {
            Ok(t) => toml::from_str(&t).map_err(|e| Error::Config {
                origin: path.display().to_string(),
                message: e.message().to_owned(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Floors::default()),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Which of `score`'s figures fall below the floor for `set` (by more
    /// than rounding), or above it for the `without` ceiling; page types'
    /// floors are checked as `set/type`.
    pub fn below(&self, set: &str, score: &Score) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(f) = self.0.get(set) {
            below_floor(set, f, score, &mut out);
        }
        out
    }

    /// Raises the floors of `set` to `score` (rounded to three decimals, down
    /// for floors and up for the `without` ceiling). Lowering one needs
    /// `allow_lower`.
    pub fn raise(&mut self, set: &str, score: &Score, allow_lower: bool) {
        let old = self.0.get(set).filter(|_| !allow_lower);
        let new = raised(old, score);
        self.0.insert(set.to_owned(), new);
    }

    /// Writes the floors file.
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let body = toml::to_string(self).map_err(|e| Error::Config {
            origin: path.display().to_string(),
            message: e.to_string(),
        })?;
        let text = format!(
            "# Quality floors: the lowest accepted scores per evaluation set, as\n# `pith eval` (and ../shared/bench/score.py, or score_wcxb.py for word-bag\n# sets) computes them; `without` is a ceiling. Floors only go up:\n# `pith eval --raise` lifts them; lowering one needs --allow-regression.\n\n{body}"
        );
        crate::sink::write_atomic(path, text.as_bytes())
    }
}

/// Pushes onto `out` each figure of `got` under its floor in `floor`.
fn below_floor(label: &str, floor: &Score, got: &Score, out: &mut Vec<String>) {
    /// Scores are pinned to three decimals; this much below still passes.
    const TOLERANCE: f64 = 0.0005;
    let optional = |name: &str, f: Option<f64>, g: Option<f64>| {
        f.map(|f| (name.to_owned(), g.unwrap_or(0.0), f))
    };
    let mut floors: Vec<(String, f64, f64)> = vec![
        ("precision".to_owned(), got.precision, floor.precision),
        ("recall".to_owned(), got.recall, floor.recall),
        ("f1".to_owned(), got.f1, floor.f1),
    ];
    for (name, f) in floor.metadata() {
        let g = got
            .metadata()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v);
        floors.extend(optional(name, Some(f), g));
    }
    floors.extend(optional("with", floor.with, got.with));
    for (name, got, floor) in floors {
        if got + TOLERANCE < floor {
            out.push(format!(
                "{label} {name} {got:.3} is below its floor {floor:.3}"
            ));
        }
    }
    if let (Some(ceiling), Some(g)) = (floor.without, got.without) {
        if g > ceiling + TOLERANCE {
            out.push(format!(
                "{label} without {g:.3} is above its ceiling {ceiling:.3}"
            ));
        }
    }
    for (ty, f) in &floor.types {
        let g = got.types.get(ty).cloned().unwrap_or_default();
        below_floor(&format!("{label}/{ty}"), f, &g, out);
    }
}

/// `new` rounded to three decimals, never below `old`'s floors (or above
/// its `without` ceiling) when there is an `old`.
fn raised(old: Option<&Score>, new: &Score) -> Score {
    let down = |x: f64| (x * 1000.0).floor() / 1000.0;
    let up = |x: f64| (x * 1000.0).ceil() / 1000.0;
    let higher = |o: Option<f64>, n: Option<f64>| match (o, n) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let mut out = Score {
        precision: down(new.precision),
        recall: down(new.recall),
        f1: down(new.f1),
        title: new.title.map(down),
        author: new.author.map(down),
        lang: new.lang.map(down),
        published: new.published.map(down),
        site: new.site.map(down),
        with: new.with.map(down),
        without: new.without.map(up),
        types: BTreeMap::new(),
    };
    for (ty, s) in &new.types {
        let o = old.and_then(|o| o.types.get(ty));
        out.types.insert(ty.clone(), raised(o, s));
    }
    let Some(old) = old else {
        return out;
    };
    out.precision = out.precision.max(old.precision);
    out.recall = out.recall.max(old.recall);
    out.f1 = out.f1.max(old.f1);
    let mut old_meta = old.clone();
    for ((_, o), (_, n)) in old_meta.metadata_mut().into_iter().zip(out.metadata_mut()) {
        *n = higher(*o, *n);
    }
    out.with = higher(old.with, out.with);
    out.without = match (old.without, out.without) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    for (ty, s) in &old.types {
        out.types.entry(ty.clone()).or_insert_with(|| s.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn floors_only_go_up_unless_allowed() {
        let mut f = Floors::default();
        let hi = Score {
            precision: 0.9,
            recall: 0.9,
            f1: 0.9,
            title: Some(0.9),
            ..Score::default()
        };
        let lo = Score {
            precision: 0.8,
            recall: 0.8,
            f1: 0.8,
            title: Some(0.8),
            ..Score::default()
        };
        f.raise("s", &hi, false);
        f.raise("s", &lo, false);
        assert_eq!(f.0["s"].f1, 0.9);
        assert_eq!(f.0["s"].title, Some(0.9));
        assert_eq!(f.below("s", &lo).len(), 4);
        f.raise("s", &lo, true);
        assert_eq!(f.0["s"].f1, 0.8);
    }

    #[test]
    fn page_type_floors_and_the_without_ceiling() {
        let typed = |f1: f64, without: f64| {
            let one = Score {
                f1,
                with: Some(0.5),
                without: Some(without),
                ..Score::default()
            };
            Score {
                types: [("forum".to_owned(), one.clone())].into(),
                ..one
            }
        };
        let mut f = Floors::default();
        f.raise("w", &typed(0.7004, 0.0301), false);
        // Floors round down, the ceiling rounds up.
        assert_eq!(f.0["w"].types["forum"].f1, 0.7);
        assert_eq!(f.0["w"].without, Some(0.031));
        assert!(f.below("w", &typed(0.7, 0.031)).is_empty());
        let worse = f.below("w", &typed(0.6, 0.05));
        assert_eq!(
            worse,
            [
                "w f1 0.600 is below its floor 0.700",
                "w without 0.050 is above its ceiling 0.031",
                "w/forum f1 0.600 is below its floor 0.700",
                "w/forum without 0.050 is above its ceiling 0.031",
            ]
        );
        // Raising keeps the better of old and new, the ceiling too.
        f.raise("w", &typed(0.6, 0.01), false);
        assert_eq!(f.0["w"].types["forum"].f1, 0.7);
        assert_eq!(f.0["w"].without, Some(0.01));
        // The floors file keeps its page types.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.toml");
        f.save(&path).unwrap();
        assert_eq!(Floors::load(&path).unwrap(), f);
    }

    #[test]
    fn metadata_matching_rules() {
        assert!(meta_matches("title", "A  title", Some("A title")));
        assert!(!meta_matches("title", "A title", None));
        assert!(meta_matches("author", "By Ann Lee", Some("Ann Lee")));
        assert!(meta_matches(
            "author",
            "By Ann Lee March 25, 2015",
            Some("ann lee")
        ));
        assert!(!meta_matches("author", "Ann Lee", Some("Ann Lee, Bo Chan")));
        assert!(meta_matches("lang", "en-US", Some("en")));
        assert!(meta_matches(
            "published",
            "2018-04-05T06:00",
            Some("2018-04-05")
        ));
        assert!(!meta_matches("published", "2018-04-05", Some("2018-04-06")));
        let mut score = Score::default();
        let pair = |t: &str, g: &str| -> MetaPair {
            std::array::from_fn(|i| {
                (
                    (i == 0).then(|| t.to_owned()),
                    (i == 0).then(|| g.to_owned()),
                )
            })
        };
        score_metadata(&mut score, &[pair("A", "A"), pair("B", "C")]);
        assert_eq!(score.title, Some(0.5));
        assert_eq!(score.author, None);
    }
}
