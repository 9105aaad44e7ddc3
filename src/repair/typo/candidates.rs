//! The candidate side of typo repair: the words one edit away from an
//! unknown word ([`edits1`]), how likely each edit is as a typo ([`channel`]),
//! the evidence a page and its batch give ([`Evidence`]), and the scoring
//! that weighs a candidate against the word as written, with the tuned
//! weights of that model.

use std::collections::{HashMap, HashSet};

use super::dict::{AFFIX_MIN_STEM, COMMON_MAX_LEVEL};
use super::{Place, Vocabulary};
use crate::repair::Repairer;

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
/// tokens on the page ([`tech_share`](super::words::tech_share)): jargon (`stdout`, `nodejs`) is
/// common there; swept 0–4.
const KEEP_PER_TECH: f64 = 2.0;

/// Share of the probability (over the candidates and the word as written)
/// the best candidate needs to be applied; swept 0.5–0.97. Higher trades
/// recall for precision.
const MIN_POSTERIOR: f64 = 0.96;

/// Inflectional endings: an unknown word that is a known word (of any
/// SCOWL level, names included) plus one of these is taken as written.
/// (Not a bare `d`: `reportd` is a typo far more often than a real word.)
const INFLECTIONS: &[&str] = &["s", "es", "ed", "ing", "er", "ers"];

impl Repairer {
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
    /// the page's share of technical tokens ([`tech_share`](super::words::tech_share)).
    pub(super) fn correction(
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
}

/// What the page (and its batch) says about the words a correction may
/// choose: the page's words with their counts, its word families
/// ([`FAMILY_BONUS`]), the batch's vocabulary, and the page's share of
/// technical tokens ([`tech_share`](super::words::tech_share)).
pub(super) struct Evidence<'a> {
    pub(super) vocab: &'a HashMap<String, usize>,
    pub(super) family: &'a HashMap<String, usize>,
    pub(super) batch: Option<&'a Vocabulary>,
    pub(super) tech: f64,
}

/// Articles and prepositions of French, Spanish, Italian, German, Dutch and
/// Latin that open the phrases English borrows (`en masse`, `de rigueur`,
/// `al dente`, `von Trapp`): a word right after one of them is taken as
/// written.
const LOAN_PARTICLES: &[&str] = &[
    "en", "de", "des", "du", "la", "le", "les", "el", "al", "del", "da", "di", "von", "der", "van",
];

/// The first letters of a word that its family shares (`cinema`,
/// `cinematic`, `cinemas`).
pub(super) fn stem_of(w: &str) -> &str {
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
}
