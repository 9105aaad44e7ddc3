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

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::error::Error;
use crate::page::{Block, BlockKind, Repair};
use crate::repair::{self, Options, Repairer, Vocabulary};

/// The seed of the committed corpus.
pub const DEFAULT_SEED: u64 = 6;

/// One word in this many eligible ones gets a typo (on average).
pub const TYPO_EVERY: u64 = 50;

/// Random edits tried per chosen word before giving up on it.
const TYPO_TRIES: usize = 20;

/// Shortest lowercase word that gets a typo (the "5+ letters").
const TYPO_MIN_LEN: usize = 5;

/// Share of known words that makes a text English for the typo generator.
const ENGLISH_MIN_SHARE: f64 = 0.9;

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

/// A named corpus of clean texts, `(set/id, text)` each.
pub type Corpus = (String, Vec<(String, String)>);

/// The clean texts under `root`, as corpora reported apart: every `text` of
/// `*/truth.jsonl`, as `(set/id, text)`, in a stable order (sets by name,
/// lines in file order). A WCXB-style set (its truth lines name a
/// `page_type`) is a corpus of its own, named as the set; the other sets
/// (the news sets this evaluation was built on) form one corpus, named by
/// their set names joined with `+`.
pub fn clean_corpora(root: &Path) -> Result<Vec<Corpus>, Error> {
    #[derive(Deserialize)]
    struct Line {
        id: serde_json::Value,
        #[serde(default)]
        text: String,
        #[serde(default)]
        page_type: Option<String>,
    }
    let mut sets = Vec::new();
    for entry in std::fs::read_dir(root).map_err(|e| Error::io(root, e))? {
        let p = entry.map_err(|e| Error::io(root, e))?.path();
        if p.join("truth.jsonl").is_file() {
            sets.push(p);
        }
    }
    sets.sort();
    let mut news: (Vec<String>, Vec<(String, String)>) = Default::default();
    let mut own = Vec::new();
    for dir in sets {
        let path = dir.join("truth.jsonl");
        let set = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let raw = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let mut texts = Vec::new();
        let mut typed = false;
        for line in raw.lines().filter(|l| !l.trim().is_empty()) {
            let t: Line = serde_json::from_str(line)?;
            let id = super::id_text(t.id);
            typed |= t.page_type.is_some();
            texts.push((format!("{set}/{id}"), t.text));
        }
        if typed {
            own.push((set, texts));
        } else {
            news.0.push(set);
            news.1.extend(texts);
        }
    }
    let mut out = Vec::new();
    if !news.1.is_empty() {
        out.push((news.0.join("+"), news.1));
    }
    out.extend(own);
    Ok(out)
}

/// The normal form the repair stage gives any text, whatever else it does:
/// HTML character references left in the text decoded (`400&percnt;` →
/// `400%`), one non-empty line per paragraph, invisible characters (soft
/// hyphen, zero-width space, word joiner, BOM, C0 controls) removed, NFC,
/// runs of spaces, tabs and no-break spaces collapsed to one space, lines
/// trimmed.
pub fn normalise(text: &str) -> String {
    let text = repair::decode_references(text);
    let mut lines = Vec::new();
    for line in text.split(['\n', '\r']) {
        let visible: String = line
            .chars()
            .filter(|&c| {
                !(matches!(c, '\u{AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}')
                    || (c.is_control() && c != '\t'))
            })
            .nfc()
            .collect();
        let words: Vec<&str> = visible
            .split([' ', '\t', '\u{B}', '\u{C}', '\u{A0}'])
            .filter(|w| !w.is_empty())
            .collect();
        if !words.is_empty() {
            lines.push(words.join(" "));
        }
    }
    lines.join("\n")
}

/// splitmix64: a small, well-known generator; the same seed gives the same
/// corpus on every machine.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0; the modulo bias is negligible here).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability 1/n.
    fn one_in(&mut self, n: u64) -> bool {
        self.next() % n.max(1) == 0
    }

    /// A lowercase ASCII letter.
    fn letter(&mut self) -> u8 {
        b'a' + self.below(26) as u8
    }
}

/// The generator for one text and kind: seeded from the corpus seed, the
/// text's id and the kind, so adding texts or kinds leaves the others alone.
fn rng_for(seed: u64, id: &str, kind: Kind) -> Rng {
    // FNV-1a over the id and kind name.
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in id.bytes().chain([0]).chain(kind.name().bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01B3);
    }
    Rng(seed ^ h)
}

/// The windows-1252 characters of bytes 0x80–0x9F as browsers decode them
/// (the five undefined bytes become the C1 control of the same value).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// UTF-8 bytes of `s` read as windows-1252 (`cp1252`) or latin-1.
fn misread(s: &str, cp1252: bool) -> String {
    s.bytes()
        .map(|b| match b {
            0x80..=0x9F if cp1252 => CP1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// Text saved as windows-1252 and read as latin-1: each character of
/// windows-1252's 0x80–0x9F range becomes the C1 control of its byte.
fn c1_leftovers(s: &str) -> String {
    s.chars()
        .map(|c| match CP1252_HIGH.iter().position(|&x| x == c) {
            Some(i) if !c.is_control() => char::from(0x80 + i as u8),
            _ => c,
        })
        .collect()
}

/// Some lines (and spans of words within lines) misread, the first line right.
fn broken_runs(s: &str, rng: &mut Rng) -> String {
    let mut out = Vec::new();
    for (i, line) in s.split('\n').enumerate() {
        let cp1252 = rng.below(2) == 0;
        let roll = rng.below(4);
        if i == 0 || roll == 3 {
            out.push(line.to_owned());
        } else if roll < 2 {
            out.push(misread(line, cp1252));
        } else {
            let words: Vec<&str> = line.split(' ').collect();
            let a = rng.below(words.len());
            let b = a + 1 + rng.below(words.len() - a);
            let mut parts: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
            for p in &mut parts[a..b] {
                *p = misread(p, cp1252);
            }
            out.push(parts.join(" "));
        }
    }
    out.join("\n")
}

/// The lowercase core of a token, as `(start, end)` byte offsets, if the
/// token is a word that may get a typo: leading and trailing punctuation
/// aside, 5+ ASCII lowercase letters and nothing else.
fn typo_core(token: &str) -> Option<(usize, usize)> {
    let is_punct = |c: char| {
        matches!(
            c,
            '"' | '\''
                | '('
                | ')'
                | ','
                | '.'
                | ';'
                | ':'
                | '!'
                | '?'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '—'
                | '–'
                | '['
                | ']'
        )
    };
    let core = token.trim_matches(is_punct);
    let start = token.len() - token.trim_start_matches(is_punct).len();
    let ok = core.len() >= TYPO_MIN_LEN && core.bytes().all(|b| b.is_ascii_lowercase());
    // `e.g.`-like or domain-like tokens: a dot inside the trimmed part.
    ok.then_some((start, start + core.len()))
}

/// Whether a text is English enough for the typo generator.
fn is_english(text: &str, r: &Repairer) -> bool {
    let (mut known, mut total) = (0usize, 0usize);
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if w.len() >= 3 && w.bytes().all(|b| b.is_ascii_lowercase()) {
            total += 1;
            known += usize::from(r.knows(w));
        }
    }
    total > 0 && known as f64 >= total as f64 * ENGLISH_MIN_SHARE
}

/// One typo of `kind` in `word`, or `None` if the edit is impossible.
fn typo(word: &str, kind: Kind, rng: &mut Rng) -> Option<String> {
    let mut b = word.as_bytes().to_vec();
    let n = b.len();
    match kind {
        Kind::TypoDropFirst => {
            b.remove(0);
        }
        Kind::TypoDeletion => {
            b.remove(1 + rng.below(n - 1));
        }
        Kind::TypoInsertion => {
            let c = rng.letter();
            b.insert(rng.below(n + 1), c);
        }
        Kind::TypoSubstitution => {
            let i = rng.below(n);
            let c = rng.letter();
            if c == b[i] {
                return None;
            }
            b[i] = c;
        }
        Kind::TypoTransposition => {
            let i = rng.below(n - 1);
            if b[i] == b[i + 1] {
                return None;
            }
            b.swap(i, i + 1);
        }
        _ => return None,
    }
    String::from_utf8(b).ok()
}

/// Injects typos of `kind` into an English text.
fn typos(s: &str, kind: Kind, rng: &mut Rng, r: &Repairer) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for (li, line) in s.split('\n').enumerate() {
        if li > 0 {
            out.push('\n');
        }
        for (ti, token) in line.split(' ').enumerate() {
            if ti > 0 {
                out.push(' ');
            }
            let Some((a, e)) = typo_core(token) else {
                out.push_str(token);
                continue;
            };
            if !rng.one_in(TYPO_EVERY) {
                out.push_str(token);
                continue;
            }
            let word = &token[a..e];
            let bad = (0..TYPO_TRIES)
                .filter_map(|_| typo(word, kind, rng))
                .find(|t| !r.knows(t));
            match bad {
                Some(t) => {
                    out.push_str(&token[..a]);
                    out.push_str(&t);
                    out.push_str(&token[e..]);
                }
                None => out.push_str(token),
            }
        }
    }
    out
}

/// The whole corrupted set: one case per clean text and kind, except where
/// the corruption changes nothing (an ASCII text misread; a non-English text,
/// or one without a chosen word, for typos).
pub fn corpus(texts: &[(String, String)], seed: u64) -> Vec<Case> {
    let r = Repairer::new(&Options::default());
    let mut out = Vec::new();
    for (id, raw) in texts {
        let reference = normalise(raw);
        let english = is_english(&reference, &r);
        for kind in Kind::ALL {
            let mut rng = rng_for(seed, id, kind);
            let input = match kind {
                Kind::Clean => raw.clone(),
                Kind::MojibakeCp1252 => misread(&reference, true),
                Kind::MojibakeLatin1 => misread(&reference, false),
                Kind::MojibakeDouble => misread(&misread(&reference, true), true),
                Kind::MojibakeRuns => broken_runs(&reference, &mut rng),
                Kind::C1Controls => c1_leftovers(&reference),
                _ if english => typos(&reference, kind, &mut rng, &r),
                _ => continue,
            };
            if kind != Kind::Clean && input == reference {
                continue;
            }
            out.push(Case {
                id: id.clone(),
                kind,
                input,
                reference: reference.clone(),
            });
        }
    }
    out
}

/// Runs the repair stage on a text the way the pipeline does on a page whose
/// language is not declared: one paragraph block per line.
pub fn repair_text(input: &str, r: &Repairer) -> (String, Vec<Repair>) {
    repair_in_batch(input, r, None)
}

/// [`repair_text`] with the evidence of a batch's earlier pages.
pub fn repair_in_batch(
    input: &str,
    r: &Repairer,
    batch: Option<&Vocabulary>,
) -> (String, Vec<Repair>) {
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
pub struct Tally {
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

impl Tally {
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

    fn add(&mut self, o: &Tally) {
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
fn score_case(case: &Case, output: &str, changes: &mut Vec<Change>) -> Tally {
    let toks = |s: &str| -> Vec<String> {
        s.split(['\n', ' '])
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let reference = toks(&case.reference);
    let input = toks(&normalise_ws(&case.input));
    let out = toks(output);
    let mut t = Tally {
        texts: 1,
        restored: usize::from(output == case.reference || output == truth_fixed(&case.reference)),
        ..Tally::default()
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
pub struct Report {
    /// Figures per kind.
    pub kinds: BTreeMap<Kind, Tally>,
    /// Every token that was not repaired right, for inspection.
    pub changes: Vec<Change>,
}

impl Report {
    /// The sum over the kinds that satisfy `pick`.
    pub fn total(&self, pick: impl Fn(Kind) -> bool) -> Tally {
        let mut t = Tally::default();
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
pub fn evaluate_batch(cases: &[Case], opts: &Options) -> Report {
    let mut by_kind: BTreeMap<Kind, Vec<&Case>> = BTreeMap::new();
    for c in cases {
        by_kind.entry(c.kind).or_default().push(c);
    }
    score_groups(by_kind.into_values().collect(), opts, true)
}

/// Repairs every case with `opts` and scores it (on all available cores).
pub fn evaluate(cases: &[Case], opts: &Options) -> Report {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = cases.len().div_ceil(workers.max(1)).max(1);
    let groups = cases.chunks(chunk).map(|c| c.iter().collect()).collect();
    score_groups(groups, opts, false)
}

/// Repairs each group of cases on a thread of its own, in order (with
/// `batch`, each case with the [`Vocabulary`] of the group's cases before
/// it), and adds up the scores.
fn score_groups(groups: Vec<Vec<&Case>>, opts: &Options, batch: bool) -> Report {
    let r = Repairer::new(opts);
    type Part = (Vec<(Kind, Tally)>, Vec<Change>);
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
    let mut report = Report::default();
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
    fn generator_is_deterministic_and_corrupts() {
        let texts = vec![(
            "t/1".to_owned(),
            "It’s a café — “quoted” text about the government and its ministers, \
             which reiterated the importance of continuous cooperation between countries."
                .to_owned(),
        )];
        let a = corpus(&texts, DEFAULT_SEED);
        let b = corpus(&texts, DEFAULT_SEED);
        assert_eq!(a, b);
        let get = |k: Kind| a.iter().find(|c| c.kind == k).map(|c| c.input.as_str());
        assert_eq!(
            get(Kind::MojibakeCp1252).unwrap_or_default(),
            "Itâ€™s a cafÃ© â€” â€œquotedâ€\u{9d} text about the government and its ministers, which reiterated the importance of continuous cooperation between countries."
        );
        assert!(get(Kind::MojibakeLatin1)
            .unwrap_or_default()
            .contains("â\u{80}\u{99}"));
        assert!(get(Kind::C1Controls)
            .unwrap_or_default()
            .starts_with("It\u{92}s"));
        assert!(get(Kind::MojibakeDouble)
            .unwrap_or_default()
            .contains("Ã¢â‚¬â„¢"));
    }

    #[test]
    fn typo_kinds_make_the_edit_they_name() {
        let mut rng = Rng(1);
        assert_eq!(
            typo("reiterated", Kind::TypoDropFirst, &mut rng).as_deref(),
            Some("eiterated")
        );
        for kind in [
            Kind::TypoDeletion,
            Kind::TypoInsertion,
            Kind::TypoSubstitution,
            Kind::TypoTransposition,
        ] {
            for _ in 0..50 {
                if let Some(t) = typo("continuously", kind, &mut rng) {
                    let d = t.len() as i64 - 12;
                    assert_eq!(
                        d,
                        match kind {
                            Kind::TypoDeletion => -1,
                            Kind::TypoInsertion => 1,
                            _ => 0,
                        }
                    );
                    assert!(t.starts_with('c') || kind != Kind::TypoDeletion);
                }
            }
        }
    }

    #[test]
    fn eligible_words() {
        assert_eq!(typo_core("(government),"), Some((1, 11)));
        assert_eq!(typo_core("four"), None);
        assert_eq!(typo_core("Government"), None);
        assert_eq!(typo_core("co-sponsored"), None);
        assert_eq!(typo_core("example.com/page"), None);
        assert_eq!(typo_core("e.g.,"), None);
    }

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

    #[test]
    fn normal_form() {
        assert_eq!(
            normalise(" a\u{A0} b\n\n c\u{AD}d e\u{301} \n"),
            "a b\ncd é"
        );
        assert_eq!(
            normalise("up 400&percnt; &amp;c &nope;"),
            "up 400% &c &nope;"
        );
    }
}

/// The evaluation on a slice of the bench texts, when they are there (the
/// full set's figures are in the README; `pith eval --repair` prints them).
#[cfg(test)]
mod slice {
    use super::*;

    /// Mojibake restored, typo precision and typo recall on every tenth
    /// text of one corpus.
    fn slice_figures(texts: &[(String, String)]) -> (Tally, Tally) {
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
        let (m, typos) = slice_figures(news);
        assert!(m.texts > 100, "{m:?}");
        // Issue 6's target: 99% of mis-decoded texts restored exactly.
        assert!(m.restored as f64 >= 0.99 * m.texts as f64, "{m:?}");
        assert!(typos.injected > 200, "{typos:?}");
        // Floors a little under this slice's figures (precision 99.0%,
        // recall 83.1%; the full set: 99.1% and 86.3%).
        assert!(typos.precision() >= 0.98, "{typos:?}");
        assert!(typos.recall() >= 0.82, "{typos:?}");
        let Some((_, wcxb)) = corpora.iter().find(|(n, _)| n == "wcxb") else {
            return;
        };
        // The wcxb texts, a corpus apart (issue 18 takes these figures up):
        // floors a little under this slice's figures (150 texts: mojibake
        // 492 of 499 restored, 98.6%; typo precision 98.1%, recall 88.8%).
        let (m, typos) = slice_figures(wcxb);
        assert!(m.texts > 400, "{m:?}");
        assert!(m.restored as f64 >= 0.98 * m.texts as f64, "{m:?}");
        assert!(typos.injected > 5000, "{typos:?}");
        assert!(typos.precision() >= 0.975, "{typos:?}");
        assert!(typos.recall() >= 0.87, "{typos:?}");
    }
}
