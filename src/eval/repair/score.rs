//! Scoring: each case repaired as the pipeline would ([`repair_in_batch`]),
//! its tokens compared with the reference ([`Figures`]), and the figures added up per kind ([`Evaluation`], from
//! [`evaluate`] or [`evaluate_batch`]). The truth texts' own misspellings
//! ([`TRUTH_TYPOS`]) are counted apart.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Case, Kind};
use crate::page::{Block, BlockKind, Repair};
use crate::repair::{self, Options, Repairer, Vocabulary};

/// Misspellings in the truth texts themselves, found by reading every change
/// the repair makes to the untouched texts, with their correct spelling. A
/// repair of one of these to exactly this spelling is counted as
/// `truth_fixed`, neither right nor wrong; every other change to a clean
/// word is wrong.
pub const TRUTH_TYPOS: &[(&str, &str)] = &[
    ("annointed", "anointed"),
    ("assasination", "assassination"),
    ("distrubutions", "distributions"),
    ("exaagerate", "exaggerate"),
    ("incubaction", "incubation"),
    ("jewerly", "jewelry"),
    ("killled", "killed"),
    ("recieved", "received"),
    ("revokation", "revocation"),
    ("spectactular", "spectacular"),
    ("sutomatic", "automatic"),
];

/// Whether `out` is `reference` with one of [`TRUTH_TYPOS`] corrected.
fn fixes_truth_typo(reference: &str, out: &str) -> bool {
    TRUTH_TYPOS
        .iter()
        .any(|(bad, good)| reference.contains(bad) && reference.replacen(bad, good, 1) == out)
}

/// `text` with every misspelling of [`TRUTH_TYPOS`] corrected.
fn truth_fixed(text: &str) -> String {
    let mut out = text.to_owned();
    for (bad, good) in TRUTH_TYPOS {
        out = out.replace(bad, good);
    }
    out
}

/// Runs the repair stage on a text the way the pipeline does on a page whose
/// language is not declared (one paragraph block per line), with the evidence
/// of a batch's earlier pages when there is one.
fn repair_in_batch(input: &str, r: &Repairer, batch: Option<&Vocabulary>) -> (String, Vec<Repair>) {
    let mut blocks: Vec<Block> = input
        .split('\n')
        .filter(|l| !l.trim().is_empty())
        .map(|l| Block::new(BlockKind::Paragraph, l))
        .collect();
    let log = r.repair(None, &mut blocks, None, repair::Pass::All(batch));
    let lines: Vec<&str> = blocks
        .iter()
        .map(|b| b.text.as_str())
        .filter(|t| !t.is_empty())
        .collect();
    (lines.join("\n"), log)
}

/// The figures of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// Texts of this kind.
    pub texts: usize,
    /// Texts whose repair equals the reference exactly.
    pub restored: usize,
    /// Tokens the corruption changed.
    pub injected: usize,
    /// Corrupted tokens repaired to the reference.
    pub right: usize,
    /// Tokens changed to something other than the reference (corrupted or clean).
    pub wrong: usize,
    /// Corrupted tokens left as they were.
    pub missed: usize,
    /// Of `wrong`: clean tokens that were changed.
    pub clean_changed: usize,
    /// Misspellings of the truth texts ([`TRUTH_TYPOS`]) corrected (not in
    /// `wrong`).
    pub truth_fixed: usize,
}

impl Figures {
    /// right / (right + wrong); 1 when nothing was changed.
    pub fn precision(&self) -> f64 {
        let made = self.right + self.wrong;
        if made == 0 {
            1.0
        } else {
            self.right as f64 / made as f64
        }
    }

    /// right / injected; 1 when nothing was injected.
    pub fn recall(&self) -> f64 {
        if self.injected == 0 {
            1.0
        } else {
            self.right as f64 / self.injected as f64
        }
    }

    fn add(&mut self, o: &Figures) {
        self.texts += o.texts;
        self.restored += o.restored;
        self.injected += o.injected;
        self.right += o.right;
        self.wrong += o.wrong;
        self.missed += o.missed;
        self.clean_changed += o.clean_changed;
        self.truth_fixed += o.truth_fixed;
    }
}

/// A changed token, for reports: `(kind, id, reference, input, output)`.
pub type Change = (Kind, String, String, String, String);

/// Scores one case's output.
fn score_case(case: &Case, output: &str, changes: &mut Vec<Change>) -> Figures {
    let toks = |s: &str| -> Vec<String> {
        s.split(['\n', ' '])
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let reference = toks(&case.reference);
    let input = toks(&normalise_ws(&case.input));
    let out = toks(output);
    let mut t = Figures {
        texts: 1,
        restored: usize::from(output == case.reference || output == truth_fixed(&case.reference)),
        ..Figures::default()
    };
    let mut note = |r: &str, i: &str, o: &str| {
        changes.push((case.kind, case.id.clone(), r.into(), i.into(), o.into()));
    };
    if reference.len() == input.len() && reference.len() == out.len() {
        for ((r, i), o) in reference.iter().zip(&input).zip(&out) {
            let corrupted = if case.kind == Kind::Clean {
                false
            } else {
                r != i
            };
            if corrupted {
                t.injected += 1;
                if o == r {
                    t.right += 1;
                } else if o == i {
                    t.missed += 1;
                    note(r, i, o);
                } else {
                    t.wrong += 1;
                    note(r, i, o);
                }
            } else if o != r {
                if fixes_truth_typo(r, o) {
                    t.truth_fixed += 1;
                } else {
                    t.wrong += 1;
                    t.clean_changed += 1;
                    note(r, i, o);
                }
            }
        }
        return t;
    }
    // Token counts differ (a repair added or removed a space): align the
    // output with the reference; every reference token not matched counts
    // as wrong, every corrupted token matched as right.
    let corrupted: Vec<bool> = if reference.len() == input.len() && case.kind != Kind::Clean {
        reference.iter().zip(&input).map(|(r, i)| r != i).collect()
    } else {
        vec![case.kind != Kind::Clean; reference.len()]
    };
    t.injected = corrupted.iter().filter(|&&c| c).count();
    let diff = similar::capture_diff_slices(similar::Algorithm::Myers, &reference, &out);
    for op in diff {
        for (k, ri) in op.old_range().enumerate() {
            let matched = matches!(op.tag(), similar::DiffTag::Equal);
            let c = corrupted.get(ri).copied().unwrap_or(false);
            match (matched, c) {
                (true, true) => t.right += 1,
                (true, false) => {}
                (false, c) => {
                    t.wrong += 1;
                    t.clean_changed += usize::from(!c);
                    let o = out
                        .get(op.new_range().start + k)
                        .map_or("", String::as_str)
                        .to_owned();
                    note(&reference[ri], "?", &o);
                }
            }
        }
    }
    t
}

/// The input's non-empty lines, as the repair stage gets them (one block
/// per line), so its tokens line up with the reference's.
fn normalise_ws(s: &str) -> String {
    s.split('\n')
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The result of [`evaluate`].
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// Figures per kind.
    pub kinds: BTreeMap<Kind, Figures>,
    /// Every token that was not repaired right, for inspection.
    pub changes: Vec<Change>,
}

impl Evaluation {
    /// The sum over the kinds that satisfy `pick`.
    pub fn total(&self, pick: impl Fn(Kind) -> bool) -> Figures {
        let mut t = Figures::default();
        for (k, v) in &self.kinds {
            if pick(*k) {
                t.add(v);
            }
        }
        t
    }
}

/// [`evaluate`] with each kind's texts repaired as one batch, in corpus
/// order: every text with the [`Vocabulary`] of the texts before it (as
/// `pith extract` does over a folder).
pub fn evaluate_batch(cases: &[Case], opts: &Options) -> Evaluation {
    let mut by_kind: BTreeMap<Kind, Vec<&Case>> = BTreeMap::new();
    for c in cases {
        by_kind.entry(c.kind).or_default().push(c);
    }
    score_groups(by_kind.into_values().collect(), opts, true)
}

/// Repairs every case with `opts` and scores it (on all available cores).
pub fn evaluate(cases: &[Case], opts: &Options) -> Evaluation {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = cases.len().div_ceil(workers.max(1)).max(1);
    let groups = cases.chunks(chunk).map(|c| c.iter().collect()).collect();
    score_groups(groups, opts, false)
}

/// Repairs each group of cases on a thread of its own, in order (with
/// `batch`, each case with the [`Vocabulary`] of the group's cases before
/// it), and adds up the scores.
fn score_groups(groups: Vec<Vec<&Case>>, opts: &Options, batch: bool) -> Evaluation {
    let r = Repairer::new(opts);
    type Part = (Vec<(Kind, Figures)>, Vec<Change>);
    let parts: Vec<Part> = std::thread::scope(|scope| {
        let handles: Vec<_> = groups
            .iter()
            .map(|part| {
                let r = &r;
                scope.spawn(move || {
                    let mut tallies = Vec::new();
                    let mut changes = Vec::new();
                    let mut vocabulary = batch.then(Vocabulary::new);
                    for case in part {
                        let (out, _) = repair_in_batch(&case.input, r, vocabulary.as_ref());
                        tallies.push((case.kind, score_case(case, &out, &mut changes)));
                        if let Some(v) = &mut vocabulary {
                            v.add_page(out.lines());
                        }
                    }
                    (tallies, changes)
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let mut report = Evaluation::default();
    for (tallies, changes) in parts {
        for (k, t) in tallies {
            report.kinds.entry(k).or_default().add(&t);
        }
        report.changes.extend(changes);
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoring_counts_right_wrong_missed() {
        let case = Case {
            id: "x".into(),
            kind: Kind::TypoSubstitution,
            input: "the gxvernment said thxt nothing".into(),
            reference: "the government said that nothing".into(),
        };
        let mut ch = Vec::new();
        let t = score_case(&case, "the government said thxt nothinh", &mut ch);
        assert_eq!(
            (t.injected, t.right, t.missed, t.wrong, t.clean_changed),
            (2, 1, 1, 1, 1)
        );
        assert_eq!(t.restored, 0);
    }
}
