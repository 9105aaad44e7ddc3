//! Typo repair: the dictionary, candidate words, and corrections.

use std::collections::{HashMap, HashSet};

use super::Repairer;
use crate::page::{BlockKind, Repair};

/// The English dictionary: lower-case ASCII words mapped to their SCOWL size
/// level when they are common enough to be suggested (10 … 50), else 0.
pub(super) static EN_WORDS: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/en_words.fst"));

/// English word frequencies: lower-case ASCII words mapped to
/// `floor(8 × log2(count))` of their Google Books count (SymSpell's list; see
/// `data/README.md`), used to rank candidates.
pub(super) static EN_FREQ: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/en_freq.fst"));

/// English word bigrams: `first second` (two lower-case ASCII words joined
/// by one space) mapped to `floor(8 × log2(count))` of the pair's Google
/// Books count, the scale of [`EN_FREQ`] (SymSpell's bigram list; see
/// `data/README.md`). Every pair counted 6.4 million times or more among
/// SymSpell's words is there, so a missing pair is a rare one.
pub(super) static EN_BIGRAMS: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/en_bigrams.fst"));

/// `8 × log2` of the total count of the words in [`EN_FREQ`]
/// (541,808,760,578): the corpus size on the frequency scale, to turn
/// counts into probabilities.
const LOG_TOTAL: i64 = 312;

/// `8 × log2` of the smallest count in [`EN_BIGRAMS`] (6,400,000, rounded
/// up): a pair missing from the list was counted fewer times than this.
const LOG_BIGRAM_FLOOR: i64 = 181;

/// Default for [`Options::typo_min_len`]. Shorter words have many one-edit
/// neighbours and are often abbreviations, slang or foreign function words;
/// chosen by hand, checked on the 311 human-written benchmark articles
/// (`bench/*/truth.jsonl`: 12 corrections, 8 of them real typos).
pub const DEFAULT_TYPO_MIN_LEN: usize = 5;

/// Words longer than this are never corrected (they are URLs, identifiers or
/// chemical names, and the edit search grows with length).
const TYPO_MAX_LEN: usize = 30;

/// Highest SCOWL size level a suggestion may have: the build script stores a
/// non-zero level only for words at levels 10–50 (the usual "medium"
/// spell-checker dictionary), so this is the definition of a "common" word.
const COMMON_MAX_LEVEL: u64 = 50;

// The typo model's weights below are on the log frequency scale of
// `data/en_freq.fst` (eight steps per doubling). They were tuned together by
// a coordinate search on `pith eval --repair` (seed 6: the recall of all typo
// kinds with precision held at 99% or more, with drop-first recall and the
// clean texts' false positives as tie-breakers), each swept over the range
// its comment gives, and checked unchanged on seeds 1 and 2.

/// Weight of [`Repairer::context_fit`] (the pointwise mutual information of
/// a candidate with its neighbours) in a candidate's score; swept 0–1.5.
const CONTEXT_WEIGHT: f64 = 0.7;

/// Added to the score of a candidate the page itself uses (plus
/// `8 × log2` of its count there): the page's own vocabulary is the best
/// evidence of what a misspelt word was meant to be; swept 0–56.
const PAGE_BONUS: f64 = 32.0;

/// Added to the score of a candidate that shares its first [`STEM_LEN`]
/// letters with another known word of the page (`cinematic` on a page that
/// says `cinema`, `tendering` where it says `tenders`): the page's topic
/// favours its word family. Swept 0–32 (at 32 clean words start to change).
const FAMILY_BONUS: f64 = 24.0;

/// Added to the score of a rare candidate (not a common word) that other
/// pages of the batch use (plus `8 × log2` of how many): weaker evidence
/// than the page's own words ([`PAGE_BONUS`]).
const BATCH_BONUS: f64 = 16.0;

/// Channel score of a candidate that only adds a letter in front of the
/// unknown word: a lost first letter (drop caps, a clipped span) is the
/// commonest damage in scraped text, and there is only one such edit per
/// candidate; swept 0–48.
const FRONT_BONUS: f64 = 40.0;

/// Frequency (the scale of [`EN_FREQ`]) assumed for a common word that
/// [`EN_FREQ`] lacks, by SCOWL level: the lower quartile of the words of that
/// level it has (measured over the whole dictionary).
const LEVEL_FREQ: [(u64, f64); 5] = [
    (10, 182.0),
    (20, 161.0),
    (35, 133.0),
    (40, 127.0),
    (50, 121.0),
];

/// Taken off the score of the candidate that drops the unknown word's first
/// letter: a letter glued to a real word (`mplayer`, `fopen`, `xbox`) is
/// more often an identifier or a name than a typo; swept 0–80.
const GLUED_LETTER: f64 = 40.0;

/// Score of the word as written, before the evidence that it is deliberate
/// is added: a candidate needs a frequency above this (adjusted for its
/// context, page use and edit) to be considered at all; swept 40–160.
const KEEP_BASE: f64 = 70.0;

/// Added to the score of the word as written per doubling of its count on
/// the page, times eight (a spelling used twice is probably deliberate: a
/// name, a term); swept 0–30.
const KEEP_PER_REPEAT: f64 = 10.0;

/// Added to the score of the word as written when other pages of the batch
/// use it (kept there), plus [`KEEP_PER_REPEAT`] per doubling of how many:
/// a spelling several pages share is deliberate (a site's jargon, a name
/// in lower case). Weighed like an inflection; on `pith eval --repair
/// --batch` it cost 2 of 7,456 right corrections (typos missed on one page
/// and repeated on a later one).
const KEEP_IN_BATCH: f64 = 120.0;

/// Added to the score of the word as written when it is an inflection of a
/// common word or of a word on the page (`datasheets`, `rebased`); swept
/// 0–120. (An inflection of a rare word or a name only, `reets`, `amous`,
/// is no evidence: the sweep put its weight at 0.)
const KEEP_INFLECTION: f64 = 100.0;

/// Added to the score of the word as written when it reads as a derived form
/// or compound of common words (`reupload`, `cyberattacks`); swept 0–80.
const KEEP_DERIVED: f64 = 60.0;

/// Added to the score of the word as written when none of its blocks reads
/// as English prose (foreign quotes, word lists); swept 0–150.
const KEEP_NOT_ENGLISH: f64 = 120.0;

/// Added to the score of the word as written per percent of technical
/// tokens on the page ([`tech_share`]): jargon (`stdout`, `nodejs`) is
/// common there; swept 0–4.
const KEEP_PER_TECH: f64 = 2.0;

/// Share of the probability (over the candidates and the word as written)
/// the best candidate needs to be applied; swept 0.5–0.97. Higher trades
/// recall for precision.
const MIN_POSTERIOR: f64 = 0.96;

/// A block is treated as English prose, and typo repair runs in it, only if at
/// most this share of its lower-case words (3+ letters) is unknown. Foreign
/// quotes, code-like text and word lists fail this and are left alone.
const MAX_UNKNOWN_SHARE: f64 = 0.12;

/// Typo repair is skipped on a whole page when more than this share of its
/// lower-case words (3+ letters) is unknown: such pages are not English prose
/// (undeclared foreign languages, code listings); it is what keeps the
/// Italian and French articles of the benchmark sets untouched when they are
/// (wrongly) declared English.
const MAX_UNKNOWN_SHARE_PAGE: f64 = 0.08;

/// Lower-case words (3+ letters) a page needs before
/// [`MAX_UNKNOWN_SHARE_PAGE`] applies (shorter texts rely on the block rule).
const PAGE_SHARE_MIN_WORDS: usize = 50;

/// A block of at least this many words with none of the commonest English
/// function words ([`FUNCTION_WORDS`]) is not English prose (a sentence in
/// another language quoted on an English page: `Clique no link para ver o
/// Calendário completo da Cup`); swept 6–16.
const FUNCTION_MIN_WORDS: usize = 12;

/// Lower-case words (3+ letters) a block needs before [`MAX_UNKNOWN_SHARE`]
/// applies; shorter blocks may contain at most one unknown word.
const SHARE_MIN_WORDS: usize = 8;

/// Suffixes whose removal leaving a known word (of [`AFFIX_MIN_STEM`]+
/// letters) makes an unknown word count as an inflection of a real word
/// (`tweeting`, `googled`, `rewatches`).
const KNOWN_SUFFIXES: &[&str] = &[
    "s", "es", "ed", "d", "ing", "er", "ers", "est", "ly", "ness", "ment", "ments", "ful", "less",
    "able", "ism", "isms", "ist", "ists", "ise", "ize", "ised", "ized", "ising", "izing", "ity",
    "y", "ish",
];

/// Inflectional endings: an unknown word that is a known word (of any
/// SCOWL level, names included) plus one of these is taken as written.
/// (Not a bare `d`: `reportd` is a typo far more often than a real word.)
const INFLECTIONS: &[&str] = &["s", "es", "ed", "ing", "er", "ers"];

/// Prefixes whose removal leaving a known word makes an unknown word count as
/// a derived form of a real word (`reupload`, `nonbinary`, `cyberattacks`).
const KNOWN_PREFIXES: &[&str] = &[
    "un", "re", "non", "pre", "post", "over", "under", "anti", "counter", "dis", "mis", "sub",
    "super", "inter", "multi", "semi", "mega", "micro", "cyber", "hyper", "co", "de", "self",
    "mid", "out", "up",
];

/// Highest SCOWL level of a three-letter part of a compound in
/// [`Repairer::is_derived`] (`backend`: `back` + `end`): only the commonest
/// words, since with any short word half of all typos split into two words
/// (`matjer`: `mat` + `jer`). Level 20 cost recall and kept no more clean
/// words.
const SHORT_PART_MAX_LEVEL: u64 = 10;

/// Shortest stem accepted by the prefix/suffix and compound rules.
const AFFIX_MIN_STEM: usize = 4;

impl Repairer {
    /// Dictionary value of a lower-case word: `None` if unknown, `Some(0)` if
    /// correct but rare, `Some(level)` for common words.
    pub(super) fn lookup(&self, word: &str) -> Option<u64> {
        self.dict.as_ref().and_then(|d| d.get(word))
    }

    /// Whether a lower-case ASCII word is in the dictionary (for the
    /// evaluation's typo generator).
    pub(crate) fn knows(&self, word: &str) -> bool {
        self.lookup(word).is_some()
    }

    /// Whether a lower-case ASCII word counts as correct.
    fn is_known(&self, word: &str) -> bool {
        self.lookup(word).is_some() || self.known.contains(word)
    }

    /// Whether an unknown word is still plausibly a real one: a common word
    /// with a common prefix or suffix, or two common words run together.
    /// Stems must be common words (not rare words, names or abbreviations)
    /// of [`AFFIX_MIN_STEM`]+ letters; one part of a compound may be shorter
    /// if it is one of the commonest words ([`SHORT_PART_MAX_LEVEL`]).
    fn is_derived(&self, word: &str) -> bool {
        let ok = |stem: &str| {
            stem.len() >= AFFIX_MIN_STEM
                && (self
                    .lookup(stem)
                    .is_some_and(|l| (1..=COMMON_MAX_LEVEL).contains(&l))
                    || self.known.contains(stem))
        };
        if KNOWN_SUFFIXES.iter().any(|s| {
            word.strip_suffix(s)
                .is_some_and(|stem| ok(stem) || ok(&format!("{stem}e")))
        }) {
            return true;
        }
        if KNOWN_PREFIXES
            .iter()
            .any(|p| word.strip_prefix(p).is_some_and(ok))
        {
            return true;
        }
        // A part of three letters must be one of the commonest words
        // (`backend`, `payday`), and the other part a common word.
        let part = |p: &str| {
            ok(p)
                || (p.len() == 3
                    && self
                        .lookup(p)
                        .is_some_and(|l| (1..=SHORT_PART_MAX_LEVEL).contains(&l)))
        };
        (3..=word.len().saturating_sub(3)).any(|i| {
            word.is_char_boundary(i)
                && part(&word[..i])
                && part(&word[i..])
                && (ok(&word[..i]) || ok(&word[i..]))
        })
    }

    /// Whether an unknown word is the comparative or superlative of an
    /// adjective in `-y` (`barfier`, `glitchiest`): SCOWL lists those forms
    /// for common adjectives only, and the adjective (of any level) or the
    /// noun it is made from (a common one) is enough evidence.
    fn is_comparative(&self, word: &str) -> bool {
        ["ier", "iest"].iter().any(|s| {
            word.strip_suffix(s).is_some_and(|stem| {
                stem.len() >= 3
                    && (self.lookup(&format!("{stem}y")).is_some()
                        || self
                            .lookup(stem)
                            .is_some_and(|l| (1..=COMMON_MAX_LEVEL).contains(&l)))
            })
        })
    }

    /// Frequency of a lower-case word on a log scale (eight steps per
    /// doubling of its count in Google Books), 0 if it is not in the list.
    fn freq(&self, word: &str) -> u64 {
        self.freq.as_ref().and_then(|f| f.get(word)).unwrap_or(0)
    }

    /// A candidate's frequency for ranking: its count in [`EN_FREQ`], or,
    /// for the common words that list lacks (12,540 of 65,041, among them
    /// US spellings such as `favorite` and `analyze`), the lower quartile of
    /// the counted words of the same SCOWL level ([`LEVEL_FREQ`]).
    fn rank_freq(&self, word: &str, level: Option<u64>) -> f64 {
        match self.freq(word) {
            0 => LEVEL_FREQ
                .iter()
                .find(|(l, _)| Some(*l) == level)
                .map_or(0.0, |(_, f)| *f),
            f => f as f64,
        }
    }

    /// Count of a pair of lower-case words on the scale of [`Self::freq`],
    /// if the pair is common enough to be in the bigram list.
    fn bigram(&self, a: &str, b: &str) -> Option<i64> {
        let bi = self.bigrams.as_ref()?;
        let mut key = String::with_capacity(a.len() + b.len() + 1);
        key.push_str(a);
        key.push(' ');
        key.push_str(b);
        bi.get(key).map(|v| v as i64)
    }

    /// How well `b` follows `a`: their pointwise mutual information on the
    /// frequency scale (eight steps per doubling; 0 = as often as chance,
    /// positive = a usual pair), and whether the pair is in the bigram list.
    /// A pair missing from the list gets the highest value its absence
    /// allows (its count is below the list's floor), capped at 0: absence
    /// tells against a pair of frequent words only. `None` when either word
    /// has no frequency (rare words, names, other typos): no evidence.
    fn fit(&self, a: &str, b: &str) -> Option<(i64, bool)> {
        let (fa, fb) = (self.freq(a) as i64, self.freq(b) as i64);
        if fa == 0 || fb == 0 {
            return None;
        }
        Some(match self.bigram(a, b) {
            Some(joint) => (joint + LOG_TOTAL - fa - fb, true),
            None => ((LOG_BIGRAM_FLOOR + LOG_TOTAL - fa - fb).min(0), false),
        })
    }

    /// How well a candidate fits the places where the unknown word stands:
    /// the sum over its occurrences and both sides of [`Self::fit`], and the
    /// number of those pairs that are in the bigram list.
    fn context_fit(&self, cand: &str, places: &[Place]) -> (i64, usize) {
        let (mut sum, mut seen) = (0i64, 0usize);
        for p in places {
            let sides = [
                p.left.as_deref().and_then(|l| self.fit(l, cand)),
                p.right.as_deref().and_then(|r| self.fit(cand, r)),
            ];
            for (v, known) in sides.into_iter().flatten() {
                sum += v;
                seen += usize::from(known);
            }
        }
        (sum, seen)
    }

    /// The correction for an unknown lower-case ASCII word, if it is clear.
    ///
    /// A small noisy-channel model: each candidate (a word one edit away)
    /// scores its frequency, how well it fits the word's neighbours
    /// ([`Self::context_fit`]), whether the page uses it, and how likely the
    /// edit is as a typo ([`channel`]); the word as written scores
    /// [`KEEP_BASE`] plus the evidence that it is deliberate (used again on
    /// the page, an inflection or derived form of a real word, a block or
    /// page that does not read as English, a technical page). Scores are
    /// log-scale (eight steps per doubling), so they turn into
    /// probabilities; the best candidate wins if its share is at least
    /// [`MIN_POSTERIOR`].
    ///
    /// `vocab` counts every word of the page (lower-cased, in any context),
    /// `places` are the word's occurrences, `english` tells whether one of
    /// the word's blocks reads as English prose, `tech` is
    /// the page's share of technical tokens ([`tech_share`]).
    fn correction(
        &self,
        word: &str,
        ev: &Evidence,
        places: &[Place],
        english: bool,
    ) -> Option<String> {
        let (cand, share) = self.best_candidate(word, ev, places, english)?;
        (share >= MIN_POSTERIOR).then_some(cand)
    }

    /// The best candidate for [`Self::correction`] and its share of the
    /// probability.
    fn best_candidate(
        &self,
        word: &str,
        ev: &Evidence,
        places: &[Place],
        english: bool,
    ) -> Option<(String, f64)> {
        let (vocab, family, tech) = (ev.vocab, ev.family, ev.tech);
        let elsewhere = |w: &str| ev.batch.map_or(0, |b| b.pages_with(w));
        let mut best: Option<(f64, String)> = None;
        let mut scores: Vec<f64> = Vec::new();
        let mut tried: HashSet<String> = HashSet::new();
        let beheaded = word.get(1..).unwrap_or_default();
        for cand in edits1(word) {
            if cand.len() < self.opts.typo_min_len || !tried.insert(cand.clone()) {
                continue;
            }
            let seen = vocab.get(&cand).copied().unwrap_or(0);
            let level = self.lookup(&cand);
            let common = level.is_some_and(|l| (1..=COMMON_MAX_LEVEL).contains(&l));
            // A word seen on the page is a candidate if it is a real word or
            // used deliberately (twice); other candidates must be common. A
            // letter glued to a real word (`fopen`, `fprintf`, `xbox`) is far
            // more often an identifier than a typo: the word without its
            // first letter is a candidate only if it is common and on the
            // page. Dictionary words that may not win still compete for the
            // probability: `jwords` may well be `words`, and `rases` a rare
            // word, so neither `swords` nor `rates` is a clear correction.
            // Other pages of the batch vouch for a rare word or a jargon
            // spelling (used on two pages or more) as the page itself does,
            // more weakly; common words are everywhere, so no evidence.
            let batch = if common { 0 } else { elsewhere(&cand) };
            let (ok, competes) = if cand == beheaded {
                (seen > 0 && common, common)
            } else if seen > 0 {
                (level.is_some() || seen >= 2, false)
            } else if batch > 0 {
                (level.is_some() || batch >= 2, true)
            } else {
                (common, level.is_some())
            };
            if !ok && !competes {
                continue;
            }
            let (fit, _) = self.context_fit(&cand, places);
            let mut score =
                self.rank_freq(&cand, level) + CONTEXT_WEIGHT * fit as f64 + channel(word, &cand);
            if seen > 0 {
                score += PAGE_BONUS + log8(seen);
            } else if batch > 0 {
                score += BATCH_BONUS + log8(batch as usize);
            }
            let kin = family
                .get(stem_of(&cand))
                .copied()
                .unwrap_or(0)
                .saturating_sub(usize::from(seen > 0 && self.is_known(&cand)));
            if kin > 0 {
                score += FAMILY_BONUS;
            }
            if cand == beheaded {
                score -= GLUED_LETTER;
            }
            scores.push(score);
            if ok && best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, cand));
            }
        }
        let (top, cand) = best?;
        // The word as written: a spelling used again on the page, an
        // inflection of a common word or of a word the page uses
        // (`datasheets`, `rebased`), a derived form or compound of common
        // words are all likely deliberate.
        let repeats = vocab.get(word).copied().unwrap_or(1);
        let mut keep = KEEP_BASE
            + KEEP_PER_REPEAT * log8(repeats)
            + match elsewhere(word) {
                0 => 0.0,
                n => KEEP_IN_BATCH + KEEP_PER_REPEAT * log8(n as usize),
            }
            + KEEP_PER_TECH * 100.0 * tech;
        let real = |w: &str| {
            self.lookup(w).is_some_and(|l| l > 0) || self.known.contains(w) || vocab.contains_key(w)
        };
        if INFLECTIONS.iter().any(|s| {
            word.strip_suffix(s).is_some_and(|stem| {
                stem.len() >= AFFIX_MIN_STEM
                    && (real(stem) || (s.starts_with(['e', 'i']) && real(&format!("{stem}e"))))
            })
        }) || self.is_comparative(word)
        {
            keep += KEEP_INFLECTION;
        }
        if places.iter().all(|p| {
            p.left
                .as_deref()
                .is_some_and(|l| LOAN_PARTICLES.contains(&l))
        }) {
            keep += KEEP_NOT_ENGLISH;
        }
        if self.is_derived(word) {
            keep += KEEP_DERIVED;
        }
        if !english {
            keep += KEEP_NOT_ENGLISH;
        }
        let max = top.max(keep);
        let total: f64 = scores
            .iter()
            .chain([&keep])
            .map(|s| ((s - max) / 8.0).exp2())
            .sum();
        let share = ((top - max) / 8.0).exp2() / total;
        Some((cand, share))
    }

    /// Whether typo repair applies for this page language.
    pub(super) fn typos_for(&self, lang: Option<&str>) -> bool {
        self.opts.typos && self.dict.is_some() && lang.is_none_or(is_english)
    }

    /// The unknown candidate words of one text, with their byte ranges and
    /// places, and whether the text reads as English prose (few unknown
    /// words); adds the text's lower-case word count and unknown count to
    /// `stats`.
    fn unknown_words(&self, text: &str, stats: &mut PageStats) -> Unknown {
        let mut unknown = Vec::new();
        let (mut total, mut misses) = (0usize, 0usize);
        let all = words(text);
        let function = all
            .iter()
            .filter(|&&(s, e, _)| is_function_word(&text[s..e]))
            .count();
        for (i, &(start, end, eligible)) in all.iter().enumerate() {
            let w = &text[start..end];
            if w.len() < 3 || !w.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            total += 1;
            if self.is_known(w) {
                continue;
            }
            misses += 1;
            // One letter short of the shortest word corrected: a deletion
            // typo in it (the correction must still be long enough).
            if eligible && w.len() + 1 >= self.opts.typo_min_len && w.len() <= TYPO_MAX_LEN {
                let neighbour = |j: usize, gap: &str| {
                    let (s, e, _) = all[j];
                    let n = &text[s..e];
                    (!gap.is_empty()
                        && gap.chars().all(char::is_whitespace)
                        && n.bytes().all(|b| b.is_ascii_alphabetic()))
                    .then(|| n.to_ascii_lowercase())
                };
                let left = i
                    .checked_sub(1)
                    .and_then(|j| neighbour(j, &text[all[j].1..start]));
                let right = all
                    .get(i + 1)
                    .and_then(|&(s, _, _)| neighbour(i + 1, &text[end..s]));
                unknown.push((start, end, Place { left, right }));
            }
        }
        stats.lower += total;
        stats.unknown += misses;
        let english = if total < SHARE_MIN_WORDS {
            misses <= 1
        } else {
            misses as f64 <= total as f64 * MAX_UNKNOWN_SHARE
        } && (all.len() < FUNCTION_MIN_WORDS || function > 0);
        (unknown, english)
    }

    /// Typo repair over several texts that form one page.
    pub(super) fn typos(
        &self,
        texts: &mut [(&mut String, BlockKind)],
        batch: Option<&Vocabulary>,
        log: &mut Vec<Repair>,
    ) {
        let mut stats = PageStats::default();
        let found: Vec<Unknown> = texts
            .iter()
            .map(|(t, kind)| {
                if *kind == BlockKind::Code {
                    (Vec::new(), false)
                } else {
                    self.unknown_words(t, &mut stats)
                }
            })
            .collect();
        // A page with many unknown words is not English prose (an undeclared
        // foreign language, a code listing): left alone as a whole. (Letting
        // the model weigh it like a foreign block changed nothing on the
        // evaluation and cost a fifth more time.)
        if found.iter().all(|f| f.0.is_empty())
            || (stats.lower >= PAGE_SHARE_MIN_WORDS
                && stats.unknown as f64 > stats.lower as f64 * MAX_UNKNOWN_SHARE_PAGE)
        {
            return;
        }
        // Every word of the page, lower-cased, with its count, in any case
        // and in any context (URLs, code, `stdio.h` count too): a spelling
        // used again weighs for keeping it, and a candidate the page uses
        // elsewhere is strong evidence for a correction.
        let mut vocab: HashMap<String, usize> = HashMap::new();
        for (t, _) in texts.iter() {
            for (s, e, _) in words(t) {
                let w = &t[s..e];
                if w.len() + 1 >= self.opts.typo_min_len
                    && w.len() <= TYPO_MAX_LEN + 1
                    && w.bytes().all(|b| b.is_ascii_alphabetic())
                {
                    *vocab.entry(w.to_ascii_lowercase()).or_insert(0) += 1;
                }
            }
        }
        let tech = tech_share(texts);
        // How many distinct known words of the page begin with each stem.
        let mut family: HashMap<String, usize> = HashMap::new();
        for w in vocab.keys() {
            if w.len() >= self.opts.typo_min_len && self.is_known(w) {
                *family.entry(stem_of(w).to_owned()).or_insert(0) += 1;
            }
        }
        // Every place each unknown word stands, and whether one of them is
        // in a block that reads as English.
        let mut places: HashMap<String, (Vec<Place>, bool)> = HashMap::new();
        for ((t, _), (ranges, english)) in texts.iter().zip(&found) {
            for (s, e, place) in ranges {
                let entry = places.entry(t[*s..*e].to_owned()).or_default();
                entry.0.push(place.clone());
                entry.1 |= *english;
            }
        }
        let evidence = Evidence {
            vocab: &vocab,
            family: &family,
            batch,
            tech,
        };
        let fixes: HashMap<String, String> = places
            .iter()
            .filter_map(|(word, (at, english))| {
                let fix = self.correction(word, &evidence, at, *english);
                Some((word.clone(), fix?))
            })
            .collect();
        if fixes.is_empty() {
            return;
        }
        for ((t, _), (ranges, _)) in texts.iter_mut().zip(&found) {
            // Replace back to front so earlier ranges stay valid.
            for &(s, e, _) in ranges.iter().rev() {
                if let Some(to) = fixes.get(&t[s..e]) {
                    log.push(Repair {
                        kind: "typo".into(),
                        from: t[s..e].to_owned(),
                        to: to.clone(),
                    });
                    t.replace_range(s..e, to);
                }
            }
        }
    }
}

/// Word counts of a page, added up by [`Repairer::unknown_words`].
#[derive(Debug, Default)]
struct PageStats {
    /// Lower-case words of 3+ letters.
    lower: usize,
    /// Of those, the ones the dictionary does not know.
    unknown: usize,
}

/// Words seen across a batch of pages: on how many pages each word occurs.
///
/// The typo repair weighs it as it weighs a page's own words, more lightly:
/// an unknown spelling that other pages of the batch use too (a site's
/// jargon, a name written in lower case) is probably deliberate, and a rare
/// word they use is a likelier correction. Build one per batch, repair each
/// page with it, then [`add_page`](Self::add_page) the page's repaired text;
/// the result then depends only on the pages before it, in batch order.
#[derive(Debug, Default, Clone)]
pub struct Vocabulary {
    pages: HashMap<String, u32>,
}

impl Vocabulary {
    /// An empty vocabulary.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts the words of one page (each once, however often the page uses
    /// it): lower-cased ASCII words of 4 to 31 letters. Past
    /// 2^20 distinct words (`MAX_BATCH_WORDS`), new ones are no longer added
    /// (counts of known ones still grow), so memory stays bounded. Give it
    /// the page's repaired text: the words as written would carry a
    /// scraper's systematic damage (`ight` for `night` on page after page)
    /// into the evidence that a spelling is deliberate (it cost 0.6 points
    /// of typo recall on `pith eval --repair --batch`).
    pub fn add_page<'a>(&mut self, texts: impl IntoIterator<Item = &'a str>) {
        let mut page: HashSet<String> = HashSet::new();
        for t in texts {
            for (s, e, _) in words(t) {
                let w = &t[s..e];
                if (4..=TYPO_MAX_LEN + 1).contains(&w.len())
                    && w.bytes().all(|b| b.is_ascii_alphabetic())
                {
                    page.insert(w.to_ascii_lowercase());
                }
            }
        }
        for w in page {
            if let Some(n) = self.pages.get_mut(&w) {
                *n = n.saturating_add(1);
            } else if self.pages.len() < MAX_BATCH_WORDS {
                self.pages.insert(w, 1);
            }
        }
    }

    /// On how many pages added so far a lower-case word occurs.
    pub fn pages_with(&self, word: &str) -> u32 {
        self.pages.get(word).copied().unwrap_or(0)
    }

    /// Distinct words counted.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether no word has been counted.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}

/// Distinct words a [`Vocabulary`] holds at most (some tens of MB).
const MAX_BATCH_WORDS: usize = 1 << 20;

/// What the page (and its batch) says about the words a correction may
/// choose: the page's words with their counts, its word families
/// ([`FAMILY_BONUS`]), the batch's vocabulary, and the page's share of
/// technical tokens ([`tech_share`]).
struct Evidence<'a> {
    vocab: &'a HashMap<String, usize>,
    family: &'a HashMap<String, usize>,
    batch: Option<&'a Vocabulary>,
    tech: f64,
}

/// The unknown words of one text (byte range and place), and whether the
/// text reads as English prose.
type Unknown = (Vec<(usize, usize, Place)>, bool);

/// Where an unknown word stands: the words right before and after it,
/// lower-cased, when only whitespace separates them from it and they are
/// all ASCII letters (else there is no context on that side).
#[derive(Debug, Clone, Default)]
struct Place {
    left: Option<String>,
    right: Option<String>,
}

/// Articles and prepositions of French, Spanish, Italian, German, Dutch and
/// Latin that open the phrases English borrows (`en masse`, `de rigueur`,
/// `al dente`, `von Trapp`): a word right after one of them is taken as
/// written.
const LOAN_PARTICLES: &[&str] = &[
    "en", "de", "des", "du", "la", "le", "les", "el", "al", "del", "da", "di", "von", "der", "van",
];

/// The commonest English function words: prose in other languages (and code,
/// and word lists) has few or none of them.
const FUNCTION_WORDS: &[&str] = &[
    "the", "and", "of", "to", "is", "in", "that", "for", "it", "with", "was", "on", "as", "are",
    "be", "this", "by", "at", "have", "from", "not", "but", "or", "they", "he", "she", "we", "you",
    "his", "her", "their", "which", "has", "had", "were", "been",
];

/// Whether text with no declared language reads as English: at least one
/// word in [`ENGLISH_SHARE`] is one of the commonest English function words.
/// Spanish, French or German prose scores far below (their own function
/// words differ), and so do code listings and word lists.
pub fn reads_as_english<'a>(texts: impl Iterator<Item = &'a str>) -> bool {
    /// One word in this many, at least, is a common English function word.
    const ENGLISH_SHARE: usize = 12;
    /// Enough words to judge; below this the text is given the benefit of the doubt.
    const MIN_WORDS: usize = 40;
    let mut words = 0usize;
    let mut function = 0usize;
    for t in texts {
        for w in t
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
        {
            words += 1;
            if is_function_word(w) {
                function += 1;
            }
        }
    }
    words < MIN_WORDS || function * ENGLISH_SHARE >= words
}

/// Whether a word (any case) is one of [`FUNCTION_WORDS`].
fn is_function_word(w: &str) -> bool {
    w.len() <= 5 && FUNCTION_WORDS.iter().any(|f| f.eq_ignore_ascii_case(w))
}

/// Whether a BCP 47 tag names English (`en`, `en-GB`, `EN_us`).
fn is_english(lang: &str) -> bool {
    let l = lang.trim();
    l.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("en"))
        && matches!(l.as_bytes().get(2), None | Some(b'-' | b'_'))
}

/// The first letters of a word that its family shares (`cinema`,
/// `cinematic`, `cinemas`).
fn stem_of(w: &str) -> &str {
    w.get(..STEM_LEN).unwrap_or(w)
}

/// Letters a word shares with its family in [`FAMILY_BONUS`]: six keep
/// `cinema` and `cinematic` together and `tender` apart from `tendency`.
const STEM_LEN: usize = 6;

/// `8 × log2(n)`: a count on the frequency scale.
fn log8(n: usize) -> f64 {
    8.0 * (n.max(1) as f64).log2()
}

/// How likely the typo that turns `cand` into `word` is, on the frequency
/// scale: each kind of edit is taken as equally likely, and its chance is
/// spread over the edits of that kind the word allows (a letter inserted:
/// 26 letters at `n + 1` places; substituted: 25 letters at `n` places;
/// deleted: `n` places; two letters swapped: `n - 1` places), except that a
/// lost first letter gets [`FRONT_BONUS`].
fn channel(word: &str, cand: &str) -> f64 {
    let n = cand.len();
    if n == word.len() + 1 {
        if cand.get(1..) == Some(word) {
            FRONT_BONUS
        } else {
            -log8(n)
        }
    } else if n + 1 == word.len() {
        -log8(26 * (n + 1))
    } else {
        let (w, c) = (word.as_bytes(), cand.as_bytes());
        let diff: Vec<usize> = (0..n).filter(|&i| w[i] != c[i]).collect();
        let swapped =
            matches!(diff.as_slice(), [i, j] if *j == i + 1 && w[*i] == c[*j] && w[*j] == c[*i]);
        if swapped {
            -log8(n - 1)
        } else {
            -log8(25 * n)
        }
    }
}

/// Share of a page's whitespace-separated tokens (outside code blocks) that
/// look technical: URLs, paths, identifiers and markup ([`is_techy`], an
/// inner `.`), letters mixed with digits (`utf8`, `x86`), or a capital after
/// a lower-case letter (`readFile`, `JavaScript`).
fn tech_share(texts: &[(&mut String, BlockKind)]) -> f64 {
    let (mut techy, mut total) = (0usize, 0usize);
    for (t, kind) in texts {
        if *kind == BlockKind::Code {
            continue;
        }
        for chunk in t.split_whitespace() {
            total += 1;
            techy += usize::from(is_tech_token(chunk));
        }
    }
    techy as f64 / total.max(1) as f64
}

/// Whether a whitespace-separated token looks technical: a URL, path,
/// identifier or markup ([`is_techy`], an inner `.`), letters mixed with
/// digits (`utf8`, `x86`), or a capital after a lower-case letter
/// (`readFile`, `JavaScript`).
fn is_tech_token(chunk: &str) -> bool {
    let mixed =
        chunk.chars().any(|c| c.is_ascii_digit()) && chunk.chars().any(|c| c.is_ascii_alphabetic());
    let camel = chunk
        .chars()
        .zip(chunk.chars().skip(1))
        .any(|(a, b)| a.is_lowercase() && b.is_uppercase());
    mixed || camel || chunk.chars().any(is_techy) || has_inner_dot(chunk)
}

/// All strings one edit away from a lower-case ASCII word.
fn edits1(word: &str) -> impl Iterator<Item = String> + '_ {
    let b = word.as_bytes();
    let n = b.len();
    let letters = b'a'..=b'z';
    let deletes = (0..n).map(move |i| [&b[..i], &b[i + 1..]].concat());
    let transposes = (1..n).filter(move |&i| b[i - 1] != b[i]).map(move |i| {
        let mut v = b.to_vec();
        v.swap(i - 1, i);
        v
    });
    let subs = (0..n).flat_map(move |i| {
        letters.clone().filter(move |&c| c != b[i]).map(move |c| {
            let mut v = b.to_vec();
            v[i] = c;
            v
        })
    });
    let inserts = (0..=n).flat_map(move |i| {
        (b'a'..=b'z').map(move |c| {
            let mut v = Vec::with_capacity(n + 1);
            v.extend_from_slice(&b[..i]);
            v.push(c);
            v.extend_from_slice(&b[i..]);
            v
        })
    });
    deletes
        .chain(transposes)
        .chain(subs)
        .chain(inserts)
        .filter_map(|v| String::from_utf8(v).ok())
}

/// Characters that make a whitespace-delimited chunk look like a URL, path,
/// address, handle, identifier or markup: its words are never corrected.
fn is_techy(c: char) -> bool {
    matches!(
        c,
        '/' | '\\'
            | '@'
            | '_'
            | '='
            | '<'
            | '>'
            | '{'
            | '}'
            | '|'
            | '~'
            | '`'
            | '^'
            | '*'
            | '+'
            | '%'
            | '$'
            | '#'
            | '['
            | ']'
            | '&'
    )
}

/// Splits text into words: maximal runs of letters and digits (an apostrophe
/// between two letters joins them, as in `don't`). Yields `(start, end,
/// eligible)`, where `eligible` is false for words that typo repair must not
/// touch: those with digits, capitals, non-ASCII letters or apostrophes, and
/// every word of a chunk that looks like a URL, address, handle or domain.
fn words(text: &str) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut chunk_start = 0;
    for chunk in text.split_inclusive(char::is_whitespace) {
        let techy = chunk.chars().any(is_techy) || has_inner_dot(chunk);
        let chars: Vec<(usize, char)> = chunk.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            if !chars[i].1.is_alphanumeric() {
                i += 1;
                continue;
            }
            let start = i;
            let mut plain = true;
            while i < chars.len() {
                let c = chars[i].1;
                if c.is_alphanumeric() {
                    plain &= c.is_ascii_lowercase();
                    i += 1;
                } else if (c == '\'' || c == '\u{2019}')
                    && i > start
                    && chars.get(i + 1).is_some_and(|(_, n)| n.is_alphabetic())
                {
                    plain = false;
                    i += 1;
                } else {
                    break;
                }
            }
            // A word hyphenated to a capitalised one is part of a name or a
            // broken identifier (`ntent-Type`).
            let hyphen_cap = |j: Option<usize>, k: Option<usize>| {
                j.and_then(|j| chars.get(j)).is_some_and(|&(_, c)| c == '-')
                    && k.and_then(|k| chars.get(k))
                        .is_some_and(|&(_, c)| c.is_uppercase())
            };
            if hyphen_cap(Some(i), Some(i + 1))
                || hyphen_cap(start.checked_sub(1), start.checked_sub(2))
            {
                plain = false;
            }
            // A word that ends in an apostrophe is a dropped-letter spelling
            // (`keepin'`, `nothin’`), written so on purpose.
            if chars
                .get(i)
                .is_some_and(|&(_, c)| c == '\'' || c == '\u{2019}')
            {
                plain = false;
            }
            let s = chunk_start + chars[start].0;
            let e = chunk_start + chars.get(i).map_or(chunk.len(), |(o, _)| *o);
            out.push((s, e, plain && !techy));
        }
        chunk_start += chunk.len();
    }
    out
}

/// Whether a chunk has a `.` followed by a letter (domains, `e.g.`, file
/// names, sentences glued together).
fn has_inner_dot(chunk: &str) -> bool {
    let mut prev_dot = false;
    for c in chunk.chars() {
        if prev_dot && c.is_alphabetic() {
            return true;
        }
        prev_dot = c == '.';
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repair::Options;

    #[test]
    fn channel_prefers_likely_edits() {
        // A lost first letter beats any other edit.
        assert_eq!(channel("irst", "first"), FRONT_BONUS);
        // Deleted or swapped letters have fewer alternatives than inserted
        // or substituted ones, so they are likelier explanations.
        let deleted = channel("contnue", "continue");
        let swapped = channel("cnotinue", "continue");
        let substituted = channel("contimue", "continue");
        let inserted = channel("continuue", "continue");
        assert!((deleted - -24.0).abs() < 1e-9, "{deleted}");
        assert!(
            swapped > substituted && deleted > inserted,
            "{swapped} {substituted}"
        );
        assert!(substituted < -60.0 && inserted < -60.0);
    }

    #[test]
    fn bigrams_load_and_fit() {
        let r = Repairer::new(&Options::default());
        assert!(r.bigrams.is_some());
        assert!(r.bigram("the", "first").is_some());
        assert_eq!(r.bigram("the", "irst"), None);
        // `first step` is a usual pair, `first than` is not one at all.
        let (usual, seen) = r.fit("first", "step").unwrap();
        assert!(seen && usual > 0, "{usual}");
        assert_eq!(r.fit("irst", "step"), None);
        let place = Place {
            left: Some("better".into()),
            right: Some("than".into()),
        };
        let rather = r.context_fit("rather", std::slice::from_ref(&place));
        let other = r.context_fit("other", std::slice::from_ref(&place));
        assert!(rather.0 > other.0 && rather.1 >= 1, "{rather:?} {other:?}");
    }

    #[test]
    fn common_words_missing_from_the_counts_still_rank() {
        let r = Repairer::new(&Options::default());
        assert_eq!(r.freq("favorite"), 0);
        let level = r.lookup("favorite");
        assert!(r.rank_freq("favorite", level) >= 121.0);
        assert_eq!(r.rank_freq("zzzq", None), 0.0);
    }

    #[test]
    fn technical_share() {
        let mut prose = "The council met on Tuesday and agreed.".to_owned();
        let mut code = "Call readFile() on config.json with utf8 and x86 builds.".to_owned();
        assert_eq!(tech_share(&[(&mut prose, BlockKind::Paragraph)]), 0.0);
        let share = tech_share(&[(&mut code, BlockKind::Paragraph)]);
        assert!((share - 4.0 / 9.0).abs() < 1e-9, "{share}");
        assert_eq!(tech_share(&[(&mut code, BlockKind::Code)]), 0.0);
    }

    /// Typo repair of one paragraph; returns the text and the corrections.
    fn fix(r: &Repairer, text: &str) -> (String, Vec<(String, String)>) {
        let mut t = text.to_owned();
        let mut log = Vec::new();
        r.typos(&mut [(&mut t, BlockKind::Paragraph)], None, &mut log);
        (t, log.into_iter().map(|l| (l.from, l.to)).collect())
    }

    #[test]
    fn comparatives_of_y_adjectives_stay() {
        let r = Repairer::new(&Options::default());
        assert!(r.is_comparative("barfier"));
        assert!(!r.is_comparative("qzxier") && !r.is_comparative("zzzier"));
        let text = "It can, however, be one of the barfier games on the headset, so pack \
                    something for the stomach before you start playing.";
        assert_eq!(fix(&r, text).0, text);
    }

    #[test]
    fn words_after_a_loan_particle_stay() {
        let r = Repairer::new(&Options::default());
        let text = "Then the tribe moves in en masse and holds a karakia (prayer), names \
                    each animal and sets to work removing their bones for cultural purposes.";
        assert_eq!(fix(&r, text).0, text);
        // The same word elsewhere is a typo of `masses`.
        let (out, log) = fix(
            &r,
            "Then the tribe moves in the masse and holds a karakia (prayer), names each \
             animal and sets to work removing their bones for cultural purposes.",
        );
        assert!(out.contains("the masses and"), "{out} {log:?}");
    }

    #[test]
    fn the_batch_vouches_for_spellings_its_pages_use() {
        let r = Repairer::new(&Options::default());
        let text = "Now that the length is a varint capable of storing integers up to \
                    a much larger size, the frames can carry far more data than before.";
        let fixed = |batch: Option<&Vocabulary>| {
            let mut t = text.to_owned();
            let mut log = Vec::new();
            r.typos(&mut [(&mut t, BlockKind::Paragraph)], batch, &mut log);
            t
        };
        // Alone, `varint` reads as a typo of `variant`.
        assert!(fixed(None).contains("a variant capable"));
        // Another page of the batch kept it: a deliberate spelling.
        let mut batch = Vocabulary::new();
        batch.add_page([
            "Each field starts with a varint tag.",
            "The varint is short.",
        ]);
        assert_eq!(batch.pages_with("varint"), 1, "one page, counted once");
        assert_eq!(batch.pages_with("tag"), 0, "words of 4+ letters only");
        assert_eq!(fixed(Some(&batch)), text);
        // Common words on other pages are no evidence either way.
        let mut common = Vocabulary::new();
        common.add_page(["A variant of the old design."]);
        assert!(fixed(Some(&common)).contains("a variant capable"));
    }

    #[test]
    fn compounds_with_a_very_common_short_part() {
        let r = Repairer::new(&Options::default());
        assert!(r.is_derived("backend") && r.is_derived("bedroom"));
        // A short part must be among the commonest words, and the other part
        // a common word of four or more letters.
        assert!(!r.is_derived("matjer") && !r.is_derived("thejer"));
    }

    #[test]
    fn the_page_topic_favours_its_word_family() {
        let r = Repairer::new(&Options::default());
        let place = [Place {
            left: Some("a".into()),
            right: Some("achievement".into()),
        }];
        let vocab: HashMap<String, usize> = [("cinemas".to_owned(), 1)].into();
        let family: HashMap<String, usize> = [("cinema".to_owned(), 1)].into();
        let none = HashMap::new();
        let ev = |vocab, family| Evidence {
            vocab,
            family,
            batch: None,
            tech: 0.0,
        };
        let (alone, p_alone) = r
            .best_candidate("inematic", &ev(&none, &none), &place, true)
            .unwrap();
        let (kin, p_kin) = r
            .best_candidate("inematic", &ev(&vocab, &family), &place, true)
            .unwrap();
        // `kinematic` competes with `cinematic`; `cinemas` on the page
        // tips the balance.
        assert_eq!((alone.as_str(), kin.as_str()), ("cinematic", "cinematic"));
        assert!(p_kin > p_alone + 0.1, "{p_alone} {p_kin}");
    }

    #[test]
    fn english_blocks_need_function_words() {
        let r = Repairer::new(&Options::default());
        let mut stats = PageStats::default();
        let foreign = "Clique no link para ver o video completo da final e da semifinal";
        let (unknown, english) = r.unknown_words(foreign, &mut stats);
        assert!(!english);
        assert_eq!(unknown.len(), 1);
        let (_, english) = r.unknown_words(
            "Click the link to see the whole video of the final",
            &mut stats,
        );
        assert!(english);
    }
}
