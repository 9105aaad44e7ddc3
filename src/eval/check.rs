//! The two `pith eval` runs, as the binary calls them: every set scored
//! against its floors ([`check_sets`]), and the repair stage on corrupted
//! clean texts ([`repair_corpora`]). Each hands its report to a writer.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use super::{
    corpus_dump_path, repair_report, run_set, set_report, sets, Floors, RepairRun, Scorer,
};
use crate::error::Error;
use crate::pipeline::Pipeline;

/// How [`check_sets`] runs.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct SetsRun {
    /// List this many of each set's worst pages.
    pub worst: usize,
    /// Write each set's scores as its new floors instead of checking them.
    pub raise: bool,
    /// With `raise`: a floor may go down (else it only goes up).
    pub allow_regression: bool,
    /// Report each set's metadata as a table of its fields (and, with
    /// `worst`, the pages each field got wrong).
    pub meta: bool,
}

impl SetsRun {
    /// A check against the floors, no pages listed.
    pub fn new() -> Self {
        Self::default()
    }
}

/// Scores every set under `root` (folders with `truth.jsonl` and `pages/`)
/// with `pipeline`, writes each set's report to `out`, and checks its scores
/// against the floors in `floors_path` (or raises them and saves the file).
/// Returns the floors that were missed, each named (none when raising).
pub fn check_sets(
    pipeline: &Pipeline,
    root: &Path,
    floors_path: &Path,
    run: SetsRun,
    mut out: impl Write,
) -> Result<Vec<String>, Error> {
    let io = |e| Error::io("-", e);
    let sets = sets(root)?;
    if sets.is_empty() {
        return Err(Error::Inputs(format!(
            "no evaluation sets (folders with truth.jsonl and pages/) in {}",
            root.display()
        )));
    }
    let mut floors = Floors::load(floors_path)?;
    let scorer = Scorer::new()?;
    let mut missed = Vec::new();
    for (name, dir) in &sets {
        let started = Instant::now();
        let result = run_set(pipeline, dir, &scorer)?;
        let seconds = started.elapsed().as_secs_f64();
        write!(
            out,
            "{}",
            set_report(name, &result, seconds, run.worst, run.meta)
        )
        .map_err(io)?;
        missed.extend(floors.below(name, &result.score));
        if run.raise {
            floors.raise(name, &result.score, run.allow_regression);
        }
    }
    if run.raise {
        floors.save(floors_path)?;
        writeln!(out, "floors written to {}", floors_path.display()).map_err(io)?;
        return Ok(Vec::new());
    }
    for f in &missed {
        writeln!(out, "BELOW FLOOR: {f}").map_err(io)?;
    }
    Ok(missed)
}

/// `pith eval --repair`: for each corpus of clean texts under `run.root`
/// (every `*/truth.jsonl`), the repair tables of [`repair_report`] with the
/// `repair` options, written to `out` under a `## corpus NAME` heading. With
/// `run.dump`, the first corpus's cases go to that path and the others' to
/// names derived from it.
pub fn repair_corpora(
    run: &RepairRun<'_>,
    repair: &crate::repair::Options,
    mut out: impl Write,
) -> Result<(), Error> {
    let io = |e| Error::io("-", e);
    let corpora = super::repair::clean_corpora(run.root)?;
    if corpora.is_empty() {
        return Err(Error::Inputs(format!(
            "no */truth.jsonl texts under {}",
            run.root.display()
        )));
    }
    for (i, (name, texts)) in corpora.iter().enumerate() {
        if i > 0 {
            writeln!(out).map_err(io)?;
        }
        writeln!(out, "## corpus {name}\n").map_err(io)?;
        let dump = run.dump.map(|p| corpus_dump_path(p, i, name));
        let one = RepairRun {
            dump: dump.as_deref(),
            ..run.clone()
        };
        write!(out, "{}", repair_report(&one, repair, texts)?).map_err(io)?;
    }
    Ok(())
}
