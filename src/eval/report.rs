//! The text `pith eval` prints: a set's scores with its misses and worst
//! pages, and the repair evaluation's tables. Computed here, printed by the
//! binary.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use super::repair::{self as ev, Figures, Kind};
use super::{field_counts, meta_wrong, PageScore, Score, SetResult, FIELDS, MISS_F1};
use crate::error::Error;

/// `writeln!` into a `String` (which cannot fail).
macro_rules! put {
    ($out:expr) => {{
        $out.push('\n');
    }};
    ($out:expr, $($arg:tt)*) => {{
        let _ = writeln!($out, $($arg)*);
    }};
}

/// A word-bag score's snippet shares, as `score_wcxb.py` prints them.
fn snippets(score: &Score) -> String {
    match (score.with, score.without) {
        (Some(w), Some(wo)) => format!("  with {:.1}%  without {:.1}%", w * 100.0, wo * 100.0),
        _ => String::new(),
    }
}

/// The lines of one set's evaluation: its score (and each page type's), its
/// metadata figures (with `meta`, the table of [`meta_report`] instead of
/// one line), its misses (pages under [`MISS_F1`] whose truth is not empty,
/// named where there are few enough to read) and its `worst` pages.
/// `seconds` is how long the set took.
pub fn set_report(
    name: &str,
    result: &SetResult,
    seconds: f64,
    worst: usize,
    meta: bool,
) -> String {
    let (score, mut pages) = (&result.score, result.pages.clone());
    let mut out = String::new();
    put!(
        out,
        "{name:<14} pages {:>4}  precision {:.3}  recall {:.3}  F1 {:.3}{}  ({}, {seconds:.1} s)",
        pages.len(),
        score.precision,
        score.recall,
        score.f1,
        snippets(score),
        result.metric.name(),
    );
    for (ty, s) in &score.types {
        let n = pages
            .iter()
            .filter(|p| p.page_type.as_deref() == Some(ty))
            .count();
        put!(
            out,
            "  {ty:<12} pages {n:>4}  precision {:.3}  recall {:.3}  F1 {:.3}{}",
            s.precision,
            s.recall,
            s.f1,
            snippets(s)
        );
    }
    let metadata = score.metadata();
    if meta {
        out.push_str(&meta_report(result, worst));
    } else if !metadata.is_empty() {
        let figures: Vec<String> = metadata
            .iter()
            .map(|(k, v)| format!("{k} {v:.3}"))
            .collect();
        put!(out, "{:<14} metadata: {}", "", figures.join("  "));
    }
    pages.sort_by(|a, b| a.f1.total_cmp(&b.f1));
    let miss = |p: &&PageScore| !p.truth_empty && p.f1 < MISS_F1;
    let mut groups: Vec<(String, Vec<&PageScore>)> =
        vec![(name.to_owned(), pages.iter().filter(miss).collect())];
    for ty in score.types.keys() {
        let of_type = pages
            .iter()
            .filter(miss)
            .filter(|p| p.page_type.as_deref() == Some(ty))
            .collect();
        groups.push((format!("{name}/{ty}"), of_type));
    }
    for (label, misses) in &groups {
        /// Sets or types with at most this many misses have them named.
        const NAMED: usize = 12;
        let named: Vec<String> = misses
            .iter()
            .take(NAMED)
            .map(|p| format!("{} ({:.2})", p.id, p.f1))
            .collect();
        put!(
            out,
            "{:<14} misses (F1 < {} with a truth) in {label}: {}{}",
            "",
            MISS_F1,
            misses.len(),
            if misses.is_empty() || misses.len() > NAMED {
                String::new()
            } else {
                format!(": {}", named.join(", "))
            }
        );
    }
    for p in pages.iter().take(worst) {
        put!(
            out,
            "    {:.3}  P {:.3}  R {:.3}  {}{}",
            p.f1,
            p.precision,
            p.recall,
            p.page_type
                .as_deref()
                .map(|t| format!("{t:<13} "))
                .unwrap_or_default(),
            p.id
        );
    }
    out
}

/// A set's metadata, field by field: on the pages whose truth has a value,
/// how many pith matches (see [`Score`] for how values are compared); on the
/// pages whose truth has none, how many pith gives one anyway. Then, for
/// each field, up to `worst` pages pith got wrong, truth beside pith. Empty
/// for a set whose truth has no metadata.
pub fn meta_report(result: &SetResult, worst: usize) -> String {
    let counts = field_counts(&result.meta);
    let mut out = String::new();
    if counts.is_empty() {
        return out;
    }
    let pct = |n: usize, of: usize| {
        if of == 0 {
            "-".to_owned()
        } else {
            format!("{:.1}%", 100.0 * n as f64 / of as f64)
        }
    };
    put!(
        out,
        "  {:<10} {:>10} {:>6} {:>8}   {:>10} {:>6} {:>7}",
        "metadata",
        "with truth",
        "right",
        "accuracy",
        "no truth",
        "given",
        "false"
    );
    for c in &counts {
        put!(
            out,
            "  {:<10} {:>10} {:>6} {:>8}   {:>10} {:>6} {:>7}",
            c.field,
            c.with_truth,
            c.right,
            pct(c.right, c.with_truth),
            c.without_truth,
            c.given,
            pct(c.given, c.without_truth)
        );
    }
    let show = |v: &Option<String>| match v.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => format!("{v:?}"),
        _ => "none".to_owned(),
    };
    for c in &counts {
        let i = FIELDS.iter().position(|f| *f == c.field).unwrap_or(0);
        let wrong = result
            .meta
            .iter()
            .zip(&result.pages)
            .filter(|(pair, _)| meta_wrong(i, pair))
            .take(worst);
        for (pair, page) in wrong {
            let (truth, got) = &pair[i];
            put!(
                out,
                "    {:<9} {}: truth {} · pith {}",
                c.field,
                page.id,
                show(truth),
                show(got)
            );
        }
    }
    out
}

/// How `pith eval --repair` runs on one corpus.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RepairRun<'a> {
    /// The folder the clean texts came from (named in the heading).
    pub root: &'a Path,
    /// The corruption generator's seed.
    pub seed: u64,
    /// Repair each kind's texts as one batch instead of each text alone.
    pub batch: bool,
    /// List this many changes of each kind.
    pub worst: usize,
    /// Also write the corrupted cases here as JSONL.
    pub dump: Option<&'a Path>,
}

impl<'a> RepairRun<'a> {
    /// A run over clean texts from `root` with `seed`, each text alone,
    /// no changes listed, nothing dumped.
    pub fn new(root: &'a Path, seed: u64) -> Self {
        RepairRun {
            root,
            seed,
            batch: false,
            worst: 0,
            dump: None,
        }
    }
}

/// The repair tables (Markdown) of one corpus of clean texts `(id, text)`:
/// each kind's restored texts, right and wrong changes, misses, precision and
/// recall; then the mojibake repair alone (as ftfy is measured); then the
/// false positives on the clean texts and, with `worst`, changes listed.
pub fn repair_report(
    run: &RepairRun<'_>,
    repair: &crate::repair::Options,
    texts: &[(String, String)],
) -> Result<String, Error> {
    let started = Instant::now();
    let cases = ev::corpus(texts, run.seed);
    if let Some(path) = run.dump {
        let mut body = String::new();
        for c in &cases {
            body.push_str(&serde_json::to_string(c)?);
            body.push('\n');
        }
        std::fs::write(path, body).map_err(|e| Error::io(path, e))?;
    }
    let report = if run.batch {
        ev::evaluate_batch(&cases, repair)
    } else {
        ev::evaluate(&cases, repair)
    };
    let mut out = String::new();
    put!(
        out,
        "repair evaluation: {} clean texts from {}, seed {}, {} cases{} ({:.1} s)",
        texts.len(),
        run.root.display(),
        run.seed,
        cases.len(),
        if run.batch {
            ", each kind repaired as one batch"
        } else {
            ""
        },
        started.elapsed().as_secs_f64()
    );
    put!(out);
    put!(out, "| kind | texts | restored exactly | changes right | wrong (clean words) | missed | precision | recall |");
    put!(out, "|---|---:|---:|---:|---:|---:|---:|---:|");
    let row = |out: &mut String, name: &str, t: &Figures| {
        put!(
            out,
            "| {name} | {} | {} ({:.1}%) | {} | {} ({}) | {} | {:.2}% | {} |",
            t.texts,
            t.restored,
            100.0 * t.restored as f64 / t.texts.max(1) as f64,
            t.right,
            t.wrong,
            t.clean_changed,
            t.missed,
            100.0 * t.precision(),
            if t.injected == 0 {
                "-".to_owned()
            } else {
                format!("{:.2}% of {}", 100.0 * t.recall(), t.injected)
            }
        );
    };
    for (k, t) in &report.kinds {
        row(&mut out, k.name(), t);
    }
    row(
        &mut out,
        "**all mojibake**",
        &report.total(Kind::is_mojibake),
    );
    row(&mut out, "**all typos**", &report.total(Kind::is_typo));
    // ftfy does no typo repair: the mojibake repair alone, for comparison.
    let encoding: Vec<ev::Case> = cases
        .iter()
        .filter(|c| c.kind.is_mojibake())
        .cloned()
        .collect();
    let alone = ev::evaluate(
        &encoding,
        &crate::repair::Options {
            typos: false,
            ..repair.clone()
        },
    );
    put!(out);
    put!(
        out,
        "with typo repair switched off (the mojibake repair alone, as ftfy is measured):"
    );
    put!(out);
    put!(out, "| kind | texts | restored exactly |");
    put!(out, "|---|---:|---:|");
    let short = |out: &mut String, name: &str, t: &Figures| {
        put!(
            out,
            "| {name} | {} | {} ({:.1}%) |",
            t.texts,
            t.restored,
            100.0 * t.restored as f64 / t.texts.max(1) as f64
        );
    };
    for (k, t) in &alone.kinds {
        short(&mut out, k.name(), t);
    }
    short(
        &mut out,
        "**all mojibake**",
        &alone.total(Kind::is_mojibake),
    );
    let clean = report.total(|k| k == Kind::Clean);
    put!(out);
    put!(
        out,
        "clean texts: {} words changed (false positives); {} misspellings of the truth texts corrected (listed in pith::eval::repair::TRUTH_TYPOS, not counted as wrong)",
        clean.wrong, clean.truth_fixed
    );
    if run.worst > 0 {
        put!(out);
        for kind in Kind::ALL {
            for (k, id, r, i, o) in report
                .changes
                .iter()
                .filter(|c| c.0 == kind)
                .take(run.worst)
            {
                put!(out, "{:<20} {id:<30} {r:?} -> {i:?} -> {o:?}", k.name());
            }
        }
    }
    Ok(out)
}

/// Where `--dump-corpus PATH` writes corpus `i` named `name`: PATH itself
/// for the first, PATH with `.NAME` before its extension for the others.
pub fn corpus_dump_path(path: &Path, i: usize, name: &str) -> std::path::PathBuf {
    if i == 0 {
        return path.to_owned();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = match path.extension() {
        Some(ext) => format!("{stem}.{name}.{}", ext.to_string_lossy()),
        None => format!("{stem}.{name}"),
    };
    path.with_file_name(file)
}
