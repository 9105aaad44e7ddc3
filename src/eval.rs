//! Quality evaluation: run the pipeline over an evaluation set and score it
//! the way `../shared/bench/score.py` (the ScrapingHub article-extraction
//! benchmark) does: 4-token shingles, per-page precision and recall
//! normalised by page, averaged over pages, F1 of the averages.
//!
//! A set is a folder holding `truth.jsonl` (`{"id", "url", "text"}` lines)
//! and `pages/<id>.html`. [`Floors`] pins the lowest accepted scores per set
//! in a file kept in the repository (`quality.toml`); floors only go up.

pub mod repair;

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
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
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
}

/// Tokenizer and scorer, compiled once.
#[derive(Debug)]
pub struct Scorer {
    token: Regex,
}

impl Scorer {
    /// Builds the scorer.
    pub fn new() -> Result<Self, Error> {
        let token = Regex::new(r"\w+").map_err(|e| Error::Extract(e.to_string()))?;
        Ok(Scorer { token })
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
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
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

/// Runs `pipeline` over the set in `dir` and scores it.
pub fn run_set(
    pipeline: &Pipeline,
    dir: &Path,
    scorer: &Scorer,
) -> Result<(Score, Vec<PageScore>), Error> {
    let truth_path = dir.join("truth.jsonl");
    let raw = std::fs::read_to_string(&truth_path).map_err(|e| Error::io(&truth_path, e))?;
    let mut truths = Vec::new();
    for line in raw.lines().filter(|l| !l.trim().is_empty()) {
        let t: TruthLine = serde_json::from_str(line)?;
        let id = match t.id {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        let truth_meta = [t.title, t.byline, t.lang, t.published_time, t.site_name];
        truths.push((id, t.url, t.text, truth_meta));
    }
    let rows = std::thread::scope(|scope| {
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = truths.len().div_ceil(workers.max(1)).max(1);
        let handles: Vec<_> = truths
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(id, url, text, truth_meta)| {
                            let path = dir.join("pages").join(format!("{id}.html"));
                            let article = std::fs::read(&path).ok().and_then(|body| {
                                let page = Page {
                                    id: id.clone(),
                                    url: url.clone(),
                                    body,
                                    content_type: None,
                                    format: crate::page::Format::Html,
                                    origin: Origin::File(path.clone()),
                                };
                                pipeline.process(&page).ok()
                            });
                            let pred = article.as_ref().map(|a| a.text()).unwrap_or_default();
                            let a = article.as_ref();
                            let got = [
                                a.and_then(|a| a.title.clone()),
                                a.and_then(|a| a.author.clone()),
                                a.and_then(|a| a.lang.clone()),
                                a.and_then(|a| a.published.clone()),
                                a.and_then(|a| a.site.clone()),
                            ];
                            let pair: MetaPair =
                                std::array::from_fn(|i| (truth_meta[i].clone(), got[i].clone()));
                            ((id.clone(), text.clone(), pred), pair)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect::<Vec<_>>()
    });
    let (rows, pairs): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
    let (mut score, pages) = scorer.score(&rows);
    score_metadata(&mut score, &pairs);
    Ok((score, pages))
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

    /// Which of `score`'s figures fall below the floor for `set` (by more than rounding).
    pub fn below(&self, set: &str, score: &Score) -> Vec<String> {
        /// Scores are pinned to three decimals; this much below still passes.
        const TOLERANCE: f64 = 0.0005;
        let Some(f) = self.0.get(set) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let metadata = f.metadata().into_iter().filter_map(|(name, floor)| {
            let got = score.metadata().into_iter().find(|(n, _)| *n == name)?.1;
            Some((name, got, floor))
        });
        for (name, got, floor) in [
            ("precision", score.precision, f.precision),
            ("recall", score.recall, f.recall),
            ("f1", score.f1, f.f1),
        ]
        .into_iter()
        .chain(metadata)
        {
            if got + TOLERANCE < floor {
                out.push(format!(
                    "{set} {name} {got:.3} is below its floor {floor:.3}"
                ));
            }
        }
        out
    }

    /// Raises the floors of `set` to `score` (rounded down to three decimals).
    /// Lowering one needs `allow_lower`.
    pub fn raise(&mut self, set: &str, score: &Score, allow_lower: bool) {
        let down = |x: f64| (x * 1000.0).floor() / 1000.0;
        let new = Score {
            precision: down(score.precision),
            recall: down(score.recall),
            f1: down(score.f1),
            title: score.title.map(down),
            author: score.author.map(down),
            lang: score.lang.map(down),
            published: score.published.map(down),
            site: score.site.map(down),
        };
        let entry = self.0.entry(set.to_owned()).or_insert(new);
        if allow_lower {
            *entry = new;
        } else {
            entry.precision = entry.precision.max(new.precision);
            entry.recall = entry.recall.max(new.recall);
            entry.f1 = entry.f1.max(new.f1);
            let mut new = new;
            for ((_, old), (_, got)) in entry.metadata_mut().into_iter().zip(new.metadata_mut()) {
                *old = match (*old, *got) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
            }
        }
    }

    /// Writes the floors file.
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let body = toml::to_string(self).map_err(|e| Error::Config {
            origin: path.display().to_string(),
            message: e.to_string(),
        })?;
        let text = format!(
            "# Quality floors: the lowest accepted scores per evaluation set, as\n# `pith eval` (and ../shared/bench/score.py) computes them. Floors only go up:\n# `pith eval --raise` lifts them; lowering one needs --allow-regression.\n\n{body}"
        );
        crate::sink::write_atomic(path, text.as_bytes())
    }
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
        let (score, _) = s.score(&[("a".into(), t, String::new())]);
        assert_eq!(score.recall, 0.0);
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
