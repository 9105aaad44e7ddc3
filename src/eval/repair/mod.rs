//! Repair evaluation: clean texts are corrupted by a seeded, deterministic
//! generator, pith's repair stage runs on them, and every change is scored
//! against the clean original (issue #6). `pith eval --repair` prints the
//! table; `--dump-corpus` writes the corrupted set as JSONL so other tools
//! (`scripts/compare_ftfy.py`) are measured on exactly the same inputs.
//!
//! The clean texts are every `text` of `*/truth.jsonl` under the bench root.
//! Each is first brought to the normal form the repair stage always produces
//! (the normalisations the README lists: invisible characters removed, NFC,
//! whitespace runs collapsed, one paragraph per line, see [`normalise`]); that
//! form is both the reference and the input to corruption. Then, per
//! [`Kind`]:
//!
//! - **clean**: the raw truth text, untouched: every word the repair changes
//!   is a false positive;
//! - **mojibake-cp1252** / **mojibake-latin1**: the whole text's UTF-8 bytes
//!   read as windows-1252 (WHATWG: the five undefined bytes become C1
//!   controls) or as latin-1;
//! - **mojibake-double**: read as windows-1252 twice;
//! - **mojibake-runs**: the first line (the title, say) stays right; every
//!   other line is broken whole (half the lines), or only a random span of
//!   its words is (a quarter), as windows-1252 or latin-1, or stays right;
//! - **c1-controls**: text saved as windows-1252 and read as latin-1, so
//!   `’ “ ” – — …` are left as C1 control characters;
//! - **typo-…**: in English texts, lowercase words of 5+ ASCII letters
//!   (whole whitespace-separated tokens, apart from leading and trailing
//!   punctuation: not hyphenated, not in URLs or code) are picked with
//!   probability 1/[`TYPO_EVERY`] each and get one typo of the kind:
//!   first letter dropped, one letter deleted (not the first), one letter
//!   inserted, one substituted, two adjacent letters swapped. A typo is only
//!   made if its result is not itself a dictionary word (else it would be a
//!   real word, undetectable by any spell checker; up to 20 (`TYPO_TRIES`)
//!   random edits are tried, then the word is left alone). A text is English
//!   here when at least 90% (`ENGLISH_MIN_SHARE`) of its lowercase ASCII words of
//!   3+ letters are in the dictionary.
//!
//! Scoring is per whitespace-separated token (corruption never adds or
//! removes ASCII spaces): a corrupted token is *right* when the repaired
//! token equals the reference, *missed* when it is left as corrupted, *wrong*
//! otherwise; a clean token that changes is *wrong* too. A text is *restored*
//! when the whole repaired text equals the reference.
//!
//! The parts: `corpus` (the clean texts, their normal form and the cases),
//! `corrupt` (the seeded generator and each corruption) and `score` (the
//! repair run and the figures); this file holds what they share, [`Kind`]
//! and [`Case`], and re-exports each part's public items.

use serde::{Deserialize, Serialize};

mod corpus;
mod corrupt;
mod score;

pub use corpus::{clean_corpora, corpus, normalise, Corpus};
pub use corrupt::TYPO_EVERY;
pub use score::{evaluate, evaluate_batch, Change, Evaluation, Figures, TRUTH_TYPOS};

/// The seed of the committed corpus.
pub const DEFAULT_SEED: u64 = 6;

/// What was done to a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The raw clean text.
    Clean,
    /// UTF-8 read as windows-1252.
    MojibakeCp1252,
    /// UTF-8 read as latin-1.
    MojibakeLatin1,
    /// UTF-8 read as windows-1252, twice.
    MojibakeDouble,
    /// Some lines or spans read as windows-1252 or latin-1, the first line right.
    MojibakeRuns,
    /// windows-1252 read as latin-1: C1 controls for the typographic characters.
    C1Controls,
    /// Typos: the first letter dropped.
    TypoDropFirst,
    /// Typos: one letter (not the first) deleted.
    TypoDeletion,
    /// Typos: one letter inserted.
    TypoInsertion,
    /// Typos: one letter substituted.
    TypoSubstitution,
    /// Typos: two adjacent letters swapped.
    TypoTransposition,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 11] = [
        Kind::Clean,
        Kind::MojibakeCp1252,
        Kind::MojibakeLatin1,
        Kind::MojibakeDouble,
        Kind::MojibakeRuns,
        Kind::C1Controls,
        Kind::TypoDropFirst,
        Kind::TypoDeletion,
        Kind::TypoInsertion,
        Kind::TypoSubstitution,
        Kind::TypoTransposition,
    ];

    /// The kind's name in reports and in the dumped corpus.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Clean => "clean",
            Kind::MojibakeCp1252 => "mojibake-cp1252",
            Kind::MojibakeLatin1 => "mojibake-latin1",
            Kind::MojibakeDouble => "mojibake-double",
            Kind::MojibakeRuns => "mojibake-runs",
            Kind::C1Controls => "c1-controls",
            Kind::TypoDropFirst => "typo-drop-first",
            Kind::TypoDeletion => "typo-deletion",
            Kind::TypoInsertion => "typo-insertion",
            Kind::TypoSubstitution => "typo-substitution",
            Kind::TypoTransposition => "typo-transposition",
        }
    }

    /// Whether the kind injects typos.
    pub fn is_typo(self) -> bool {
        self >= Kind::TypoDropFirst
    }

    /// Whether the kind is an encoding corruption.
    pub fn is_mojibake(self) -> bool {
        !self.is_typo() && self != Kind::Clean
    }
}

/// One corrupted text of the evaluation set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// `<set>/<id>` of the clean text.
    pub id: String,
    /// The corruption.
    pub kind: Kind,
    /// What the repair gets.
    pub input: String,
    /// What it should give back: the normalised clean text.
    pub reference: String,
}

/// The evaluation on a slice of the bench texts, when they are there (the
/// full set's figures are in the README; `pith eval --repair` prints them).
#[cfg(test)]
mod slice {
    use std::path::Path;

    use super::*;
    use crate::repair::Options;

    /// Checks one corpus's slice figures against floors: more than `texts`
    /// mojibake texts with at least the share `restored` of them restored
    /// exactly, and more than `injected` typos repaired with at least this
    /// `precision` and `recall`.
    #[track_caller]
    fn assert_floors(
        m: &Figures,
        typos: &Figures,
        (texts, restored): (usize, f64),
        (injected, precision, recall): (usize, f64, f64),
    ) {
        assert!(m.texts > texts, "{m:?}");
        assert!(m.restored as f64 >= restored * m.texts as f64, "{m:?}");
        assert!(typos.injected > injected, "{typos:?}");
        assert!(typos.precision() >= precision, "{typos:?}");
        assert!(typos.recall() >= recall, "{typos:?}");
    }

    /// Mojibake restored, typo precision and typo recall on every tenth
    /// text of one corpus.
    fn slice_figures(texts: &[(String, String)]) -> (Figures, Figures) {
        let slice: Vec<(String, String)> = texts.iter().step_by(10).cloned().collect();
        let cases = corpus(&slice, DEFAULT_SEED);
        let alone = evaluate(
            &cases
                .iter()
                .filter(|c| c.kind.is_mojibake())
                .cloned()
                .collect::<Vec<_>>(),
            &Options {
                typos: false,
                ..Options::default()
            },
        );
        let report = evaluate(&cases, &Options::default());
        (alone.total(Kind::is_mojibake), report.total(Kind::is_typo))
    }

    #[test]
    fn repair_on_a_slice_of_the_bench() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench");
        let Ok(corpora) = clean_corpora(&root) else {
            return; // no bench beside the repository
        };
        let (name, news) = &corpora[0];
        assert_eq!(name, "readability+scrapinghub");
        // Every tenth text: 32 of 311, both sets.
        // Issue 6's target: 99% of mis-decoded texts restored exactly. Typo
        // floors a little under this slice's figures (precision 99.0%,
        // recall 83.1%; the full set: 99.1% and 86.3%).
        let (m, typos) = slice_figures(news);
        assert_floors(&m, &typos, (100, 0.99), (200, 0.98, 0.82));
        let Some((_, wcxb)) = corpora.iter().find(|(n, _)| n == "wcxb") else {
            return;
        };
        // The wcxb texts, a corpus apart (issue 18 takes these figures up):
        // floors a little under this slice's figures (150 texts: mojibake
        // 492 of 499 restored, 98.6%; typo precision 98.1%, recall 88.8%).
        let (m, typos) = slice_figures(wcxb);
        assert_floors(&m, &typos, (400, 0.98), (5000, 0.975, 0.87));
    }
}
